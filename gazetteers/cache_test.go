package gazetteers

import (
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
)

func TestCacheRoundTripAndInvalidation(t *testing.T) {
	dir := t.TempDir()
	srcs, err := DefaultSources()
	if err != nil {
		t.Fatal(err)
	}
	user := Source{Name: "user.yaml", Override: true, Data: []byte(`entries:
  - {id: sy-raqqa, type: place, kind: city, country: "SY", population: 220000, names: {ar: [الرقة], en: [Raqqa]}}
  - {id: x-front, type: organization, kind: armed_group, valid_from: "2016-07", names: {en: [X Front]}}
`)}
	srcs = append(srcs, user)
	want, werrs := Load(srcs)
	if err := werrs.Err(); err != nil {
		t.Fatal(err)
	}
	o := CacheOptions{Dir: dir}
	g1, e1, hit := LoadCached(srcs, o)
	if hit || e1.Err() != nil {
		t.Fatalf("first load: hit %v errs %v", hit, e1)
	}
	g2, e2, hit := LoadCached(srcs, o)
	if !hit || e2.Err() != nil {
		t.Fatalf("second load: hit %v errs %v", hit, e2)
	}
	for _, g := range []*Gazetteer{g1, g2} {
		if !reflect.DeepEqual(g.Entries, want.Entries) || !reflect.DeepEqual(g.Files, want.Files) {
			t.Fatal("cached gazetteer differs from the parsed one")
		}
		if g.ByID("sy-raqqa").Population != 220000 || g.ByID("x-front").ValidFrom != "2016-07" {
			t.Error("fields lost")
		}
	}
	if !reflect.DeepEqual(e2, werrs) {
		t.Errorf("warnings differ: %v vs %v", e2, werrs)
	}
	// a changed source misses the cache
	srcs[len(srcs)-1].Data = append([]byte(nil), user.Data...)
	srcs[len(srcs)-1].Data = append(srcs[len(srcs)-1].Data, "  - {id: y, type: place, names: {en: [Yville]}}\n"...)
	g3, _, hit := LoadCached(srcs, o)
	if hit || g3.ByID("y") == nil {
		t.Errorf("changed source: hit %v", hit)
	}
	// a corrupt cache file is ignored and rewritten
	files, _ := filepath.Glob(filepath.Join(dir, "gazetteer-*.bin"))
	if len(files) != 2 {
		t.Fatalf("cache files: %v", files)
	}
	for _, f := range files {
		if err := os.WriteFile(f, []byte("garbage"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g4, _, hit := LoadCached(srcs, o)
	if hit || g4.ByID("y") == nil {
		t.Errorf("corrupt cache: hit %v", hit)
	}
	if _, _, hit := LoadCached(srcs, o); !hit {
		t.Error("cache not rewritten after corruption")
	}
	// sources with errors are not cached
	bad := []Source{{Name: "bad.yaml", Data: []byte("entries:\n  - {id: z, type: plaice, names: {en: [Z]}}\n")}}
	LoadCached(bad, o)
	if _, errs, hit := LoadCached(bad, o); hit || errs.Err() == nil {
		t.Errorf("bad sources: hit %v errs %v", hit, errs)
	}
	// Disable never touches the directory
	d2 := t.TempDir()
	LoadCached(srcs, CacheOptions{Dir: d2, Disable: true})
	if fs, _ := os.ReadDir(d2); len(fs) != 0 {
		t.Errorf("disabled cache wrote %d files", len(fs))
	}
}

// TestCacheConcurrent loads the same sources from many goroutines at once:
// every load succeeds and no temporary file is left behind.
func TestCacheConcurrent(t *testing.T) {
	dir := t.TempDir()
	srcs, err := DefaultSources()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			g, errs, _ := LoadCached(srcs, CacheOptions{Dir: dir})
			if errs.Err() != nil || len(g.Entries) < 1000 {
				t.Errorf("load: %v, %d entries", errs.Err(), len(g.Entries))
			}
		}()
	}
	wg.Wait()
	fs, _ := os.ReadDir(dir)
	if len(fs) != 1 {
		var names []string
		for _, f := range fs {
			names = append(names, f.Name())
		}
		t.Errorf("cache dir holds %v", names)
	}
}
