package gazetteers

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCacheKey checks that the cache key changes with every part of the
// sources' content and not with their names. The cache itself is tested with the compiled
// index (extractors/gazetteer).
func TestCacheKey(t *testing.T) {
	base := []Source{{Name: "a.yaml", Data: []byte("entries: []\n")}, {Name: "b.yaml", Data: []byte("x")}}
	k := CacheKey(base)
	if len(k) != 64 || CacheKey(base) != k {
		t.Fatalf("key %q not stable", k)
	}
	clone := func() []Source {
		out := make([]Source, len(base))
		copy(out, base)
		return out
	}
	changes := map[string]func([]Source) []Source{
		"data":     func(s []Source) []Source { s[1].Data = []byte("y"); return s },
		"override": func(s []Source) []Source { s[1].Override = true; return s },
		"order":    func(s []Source) []Source { s[0], s[1] = s[1], s[0]; return s },
		"boundary": func(s []Source) []Source { s[0].Data = []byte("entries: []\nx"); s[1].Data = nil; return s },
		"fewer":    func(s []Source) []Source { return s[:1] },
	}
	for name, ch := range changes {
		if CacheKey(ch(clone())) == k {
			t.Errorf("%s: same key", name)
		}
	}
	// the same bytes under other names share the cache
	renamed := clone()
	renamed[0].Name, renamed[1].Name = "/abs/a.yaml", "../b.yaml"
	if CacheKey(renamed) != k {
		t.Error("renamed sources: another key")
	}
}

func TestCacheDir(t *testing.T) {
	if d, err := (CacheOptions{Dir: "/x/y"}).CacheDir(); err != nil || d != "/x/y" {
		t.Errorf("explicit dir: %q %v", d, err)
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	d, err := CacheOptions{}.CacheDir()
	if err != nil || filepath.Base(d) != "hadath" || filepath.Dir(d) != os.Getenv("XDG_CACHE_HOME") {
		t.Errorf("default dir: %q %v", d, err)
	}
}

// TestSourcesFromFiles checks sources read lazily from their files
// (ReadSources): the same cache key and entries as with their bytes in
// memory, and clear errors for what cannot be read.
func TestSourcesFromFiles(t *testing.T) {
	dir := t.TempDir()
	a := []byte("entries:\n  - {id: x1, type: place, kind: city, names: {en: [Xville]}}\n")
	p := filepath.Join(dir, "a.yaml")
	if err := os.WriteFile(p, a, 0o644); err != nil {
		t.Fatal(err)
	}
	srcs, err := ReadSources([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	if srcs[0].Data != nil || srcs[0].Path != p || !srcs[0].Override {
		t.Fatalf("source %+v: want the path, no data yet", srcs[0])
	}
	inMem := []Source{{Name: p, Data: a, Override: true}}
	if CacheKey(srcs) != CacheKey(inMem) {
		t.Error("a file and its bytes have different cache keys")
	}
	if w := WithContent(srcs); string(w[0].Data) != string(a) || srcs[0].Data != nil {
		t.Errorf("WithContent: %q (and the input changed: %v)", w[0].Data, srcs[0].Data != nil)
	}
	g, errs := Load(srcs)
	if errs.Err() != nil || g.ByID("x1") == nil {
		t.Fatalf("load from the file: %v", errs)
	}
	if _, err := ReadSources([]string{filepath.Join(dir, "missing.yaml")}); err == nil {
		t.Error("a missing file: no error")
	}
	if _, err := ReadSources([]string{dir}); err == nil || !strings.Contains(err.Error(), "directory") {
		t.Errorf("a folder: %v", err)
	}
	// the file goes away after ReadSources: another key, and Load says so
	if err := os.Remove(p); err != nil {
		t.Fatal(err)
	}
	if CacheKey(srcs) == CacheKey(inMem) {
		t.Error("a file gone: same key as its former bytes")
	}
	if _, errs := Load(srcs); errs.Err() == nil || !strings.HasPrefix(errs.Err().Error(), p+": cannot read") {
		t.Errorf("load of a file gone: %v", errs.Err())
	}
}

// TestSourceFromAPipe checks that a gazetteer given as a pipe (a shell's
// <(...)) is read once, right away: hashing it and then parsing it would
// find it empty the second time.
func TestSourceFromAPipe(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	data := "entries:\n  - {id: p1, type: place, kind: city, names: {en: [Pipetown]}}\n"
	go func() {
		w.WriteString(data)
		w.Close()
	}()
	defer r.Close()
	p := fmt.Sprintf("/dev/fd/%d", r.Fd())
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no %s here: %v", p, err)
	}
	srcs, err := ReadSources([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	if string(srcs[0].Data) != data {
		t.Fatalf("pipe source data %q, want it read at once", srcs[0].Data)
	}
	CacheKey(srcs)
	if g, errs := Load(srcs); errs.Err() != nil || g.ByID("p1") == nil {
		t.Errorf("load after the cache key: %v", errs)
	}
}
