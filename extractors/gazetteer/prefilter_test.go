package gazetteer

import (
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/scripts/benchdata"
)

// generatedIndex compiles the test gazetteer with n generated pseudo-Arabic
// names (as the big benchmark does) and returns it with the names.
func generatedIndex(t *testing.T, n int) (*Index, []string) {
	t.Helper()
	g, errs := gazetteers.Load(indexSources())
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	names := benchdata.Names(n)
	for i, nm := range names {
		g.Entries = append(g.Entries, &gazetteers.Entry{ID: benchdata.ID(i), Type: gazetteers.TypePlace, Kind: "village",
			Country: "SY", Names: gazetteers.Names{{Lang: "ar", Names: []string{nm}}}})
	}
	return Compile(g, commonLexicon(t).CommonKeys()), names
}

// TestMaybeStartsAgreesWithFindStart checks the read-ahead pass: every
// key that findStart finds passes, and maybe is the Bloom filter's answer.
func TestMaybeStartsAgreesWithFindStart(t *testing.T) {
	ix, names := generatedIndex(t, 20000)
	var keys []string
	for _, nm := range names[:5000] {
		keys = append(keys, strings.Fields(nm)...)
		keys = append(keys, "و"+nm, "x"+nm)
	}
	keys = append(keys, "", "a", strings.Repeat("ب", 100))
	th := make([]tokHash, len(keys))
	for i, k := range keys {
		th[i].h, th[i].head = hashKey(k)
		th[i].maybe = !ix.maybeStart(th[i].h) // maybeStarts must overwrite
	}
	ix.maybeStarts(th, nil)
	passed := 0
	for i, k := range keys {
		if th[i].maybe != ix.maybeStart(th[i].h) {
			t.Fatalf("%q: maybeStarts says %v, maybeStart %v", k, th[i].maybe, !th[i].maybe)
		}
		if r := ix.findStart(k, th[i].h, th[i].head); r >= 0 && !th[i].maybe {
			t.Fatalf("%q starts a name (rec %d) but did not pass", k, r)
		}
		if th[i].maybe {
			passed++
		}
	}
	if passed == 0 || passed == len(keys) {
		t.Fatalf("%d of %d keys passed: the test keys do not exercise the filter", passed, len(keys))
	}
	// an empty index lets nothing pass
	empty := &Index{}
	empty.maybeStarts(th, nil)
	for i := range th {
		if th[i].maybe {
			t.Fatalf("the empty index let %q pass", keys[i])
		}
	}
}

// TestFindStartAgreesWithFind checks the start filter: findStart finds
// every key that starts a name, as find does, and nothing else.
func TestFindStartAgreesWithFind(t *testing.T) {
	ix, _ := generatedIndex(t, 20000)
	check := func(k string) {
		t.Helper()
		want := ix.find(k)
		if want >= 0 && ix.recs[want].maxLen == 0 {
			want = -1
		}
		h, head := hashKey(k)
		if got := ix.findStart(k, h, head); got != want {
			t.Fatalf("findStart(%q) = %d, want %d", k, got, want)
		}
	}
	for i := range ix.recs {
		k := ix.str(ix.recs[i].key)
		check(k)
		for _, p := range []string{"و", "ب", "ل", "ال", "ا"} {
			check(p + k)
			if rest, ok := strings.CutPrefix(k, p); ok {
				check(rest)
			}
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	for range 50000 {
		rs := make([]rune, 1+r.IntN(8))
		for j := range rs {
			rs[j] = letters[r.IntN(len(letters))]
		}
		check(string(rs))
	}
}

// TestStartFilterDropsNoMatch compares the entities found with the start
// filter and with a filter that lets every key through.
func TestStartFilterDropsNoMatch(t *testing.T) {
	ix, names := generatedIndex(t, 20000)
	open := *ix
	open.startBloom = make([]uint64, len(ix.startBloom))
	for i := range open.startBloom {
		open.startBloom[i] = ^uint64(0)
	}
	// the names themselves, with clitics, between words that are not names
	r := rand.New(rand.NewPCG(5, 6))
	var b strings.Builder
	b.WriteString(seedText)
	clitics := []string{"", "", "و", "ب", "ل", "وب", "فل", "ك"}
	for i := range 3000 {
		b.WriteString(" ")
		nm := names[r.IntN(len(names))]
		c := clitics[r.IntN(len(clitics))]
		if c == "ل" && strings.HasPrefix(nm, "ال") {
			nm = strings.TrimPrefix(nm, "ا") // ل + ال is written لل
		}
		b.WriteString(c + nm)
		if i%7 == 0 {
			b.WriteString("، قالت المصادر إن")
		}
	}
	text := b.String()
	lx := commonLexicon(t)
	got, want := entitiesWith(t, ix, lx, text), entitiesWith(t, &open, lx, text)
	if len(want) < 2000 {
		t.Fatalf("only %d entities: the test text does not exercise the matcher", len(want))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("the start filter changes the entities (%d with it, %d without)", len(got), len(want))
	}
}

// TestProcessConcurrent runs Process on many documents at once (they share
// the pooled scratch buffers) and compares with one at a time.
func TestProcessConcurrent(t *testing.T) {
	s, n, ss := build(t)
	texts := []string{"قصف على حلب وبحلب", "وصلت إلى الولايات المتحدة وللرقة", "Aleppo and Turkey, US.", "لا شيء هنا", ""}
	mk := func() []*pipeline.Document {
		var docs []*pipeline.Document
		for i := range 200 {
			d := &pipeline.Document{Fields: []*pipeline.Field{{Name: "text", Text: texts[i%len(texts)]},
				{Name: "title", Text: texts[(i+1)%len(texts)]}}}
			for _, st := range []pipeline.Stage{n, ss} {
				if err := st.Process(d); err != nil {
					t.Fatal(err)
				}
			}
			docs = append(docs, d)
		}
		return docs
	}
	serial, parallel := mk(), mk()
	for _, d := range serial {
		if err := s.Process(d); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(parallel); i += 4 {
				if err := s.Process(parallel[i]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	for i := range serial {
		for fi := range serial[i].Fields {
			if g, w := parallel[i].Fields[fi].Entities, serial[i].Fields[fi].Entities; !reflect.DeepEqual(g, w) {
				t.Fatalf("doc %d field %d: %v, want %v", i, fi, g, w)
			}
		}
	}
}
