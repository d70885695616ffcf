package orgs

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"sort"
	"testing"

	"github.com/hadath/hadath/pipeline"
)

// mergeReference is what mergeEntities replaces: the kept entities, the
// found ones appended, and a stable sort of them all.
func mergeReference(old []pipeline.Entity, drop map[int]bool, found []pipeline.Entity) []pipeline.Entity {
	var es []pipeline.Entity
	for ei, e := range old {
		if !drop[ei] {
			es = append(es, e)
		}
	}
	es = append(es, found...)
	sort.SliceStable(es, func(a, b int) bool { return entityBefore(&es[a], &es[b]) })
	return es
}

func TestMergeEntitiesMatchesSort(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 9))
	mk := func(n int, sorted bool, tag string) []pipeline.Entity {
		es := make([]pipeline.Entity, n)
		pos := 0
		for i := range es {
			if sorted {
				pos += r.IntN(3) // ties on purpose
			} else {
				pos = r.IntN(50)
			}
			es[i] = pipeline.Entity{Start: pos, End: pos + 1 + r.IntN(4), ID: fmt.Sprintf("%s%d", tag, i)}
		}
		if sorted {
			sort.SliceStable(es, func(a, b int) bool { return entityBefore(&es[a], &es[b]) })
		}
		return es
	}
	for trial := range 2000 {
		old := mk(r.IntN(30), trial%5 != 0, "g")
		found := mk(1+r.IntN(6), false, "o")
		drop := map[int]bool{}
		for range r.IntN(3) {
			if len(old) > 0 {
				drop[r.IntN(len(old))] = true
			}
		}
		want := mergeReference(old, drop, append([]pipeline.Entity(nil), found...))
		got := mergeEntities(old, drop, append([]pipeline.Entity(nil), found...))
		if len(want) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("trial %d: merge\n%v\nwant\n%v", trial, got, want)
		}
	}
}
