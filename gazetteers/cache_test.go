package gazetteers

import (
	"os"
	"path/filepath"
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
