package gazetteer

import (
	"reflect"
	"runtime"
	"testing"

	"github.com/hadath/hadath/gazetteers"
)

// TestIndexInMappedMemory sends every large array of the index to
// bigSlice's mapped memory (hugeMin 0) and checks that the compiled and the
// decoded index match as the heap-only ones do, and that indexes dropped
// and collected release it without harm to the one in use.
func TestIndexInMappedMemory(t *testing.T) {
	lx := commonLexicon(t)
	g, errs := gazetteers.Load(indexSources())
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	want := entitiesWith(t, Compile(g, lx.CommonKeys()), lx, seedText)

	old := hugeMin
	hugeMin = 0
	defer func() { hugeMin = old }()
	ix := Compile(g, lx.CommonKeys())
	if runtime.GOOS == "linux" && (ix.mapped == nil || len(ix.mapped.mem) != 2) {
		t.Fatalf("compiled index: mapped %+v, want the table and the recs", ix.mapped)
	}
	for i := 0; i < 3; i++ {
		dec, err := DecodeIndex(ix.Encode())
		if err != nil {
			t.Fatal(err)
		}
		if got := entitiesWith(t, dec, lx, seedText); !reflect.DeepEqual(got, want) {
			t.Fatalf("index in mapped memory matches differently:\n%+v\nvs\n%+v", got, want)
		}
		runtime.GC() // the decoded indexes of earlier rounds are released
	}
	if got := entitiesWith(t, ix, lx, seedText); !reflect.DeepEqual(got, want) {
		t.Fatalf("compiled index in mapped memory matches differently:\n%+v\nvs\n%+v", got, want)
	}
}

func TestBigSliceSmallStaysOnTheHeap(t *testing.T) {
	var ix Index
	s := bigSlice[uint64](&ix, 1024)
	if len(s) != 1024 || ix.mapped != nil {
		t.Fatalf("8 KB: len %d, mapped %v", len(s), ix.mapped)
	}
	big := bigSlice[uint64](&ix, hugeMin/8+1)
	for i := range big {
		if big[i] != 0 {
			t.Fatalf("word %d is %x, want zeroed memory", i, big[i])
		}
		big[i] = uint64(i)
	}
	if big[len(big)-1] != uint64(len(big)-1) {
		t.Fatal("mapped memory does not keep what is written")
	}
	if runtime.GOOS == "linux" && (ix.mapped == nil || len(ix.mapped.mem) != 1) {
		t.Errorf("%d bytes not mapped", len(big)*8)
	}
}
