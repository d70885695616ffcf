package dates

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/scripts/benchdata"
)

// fixtureTexts returns the texts of the test cases, the seed article and
// the examples (texts and titles).
func fixtureTexts(t *testing.T) []string {
	t.Helper()
	var texts []string
	for _, c := range dateCases {
		texts = append(texts, c.in)
	}
	fx, err := benchdata.FixtureTexts("../..")
	if err != nil {
		t.Fatal(err)
	}
	return append(texts, fx...)
}

// sampleTexts returns the shared news samples, English (benchdata.English)
// and Arabic (benchdata.News), none of those absent: the words of English
// text (the, a, in, by, day) are the ones mayStart turns away most.
func sampleTexts(t *testing.T) []string {
	t.Helper()
	en, err := benchdata.English()
	if err != nil {
		t.Fatal(err)
	}
	ar, err := benchdata.News()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, d := range append(en, ar...) {
		texts = append(texts, d.Text)
	}
	return texts
}

// eachScan calls fn with a scan of every fixture and news sample text,
// matched (matchAll), with and without a document date.
func eachScan(t *testing.T, fn func(text string, f *pipeline.Field, sc *scan)) {
	t.Helper()
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	for _, has := range []bool{true, false} {
		for _, text := range append(fixtureTexts(t), sampleTexts(t)...) {
			doc, f := newDoc(text, docDate, has)
			sc := getScan(lex, doc, f)
			sc.matchAll()
			fn(text, f, sc)
			sc.release()
		}
	}
}

// TestStartsNeedMatchOrNumber checks what field relies on to skip tokens:
// no pattern starts at a token that is not a number and has no lexicon
// match, or no match that mayStart accepts, with or without a document
// date. best has no side effects, so skipping such a token gives the same
// mentions as trying it.
func TestStartsNeedMatchOrNumber(t *testing.T) {
	skipped, refused := 0, 0
	eachScan(t, func(text string, f *pipeline.Field, sc *scan) {
		for i := range f.Tokens {
			if f.Tokens[i].Kind == pipeline.Number || sc.mayStart(i) {
				continue
			}
			if len(sc.matches(i)) > 0 {
				refused++
			}
			skipped++
			if ms, end := sc.best(i); end > i || len(ms) > 0 {
				t.Errorf("%q: a mention starts at token %d (%q), which has no match: %+v", text, i, f.Tokens[i].Key, ms)
			}
		}
	})
	if skipped == 0 || refused == 0 {
		t.Fatalf("%d tokens skipped, %d of them with matches: the test reads too little", skipped, refused)
	}
}

// TestScanReuse checks that a pooled scan keeps nothing of the previous
// field: fields processed in turn, long then short, with and without a
// document date, give the mentions they give alone.
func TestScanReuse(t *testing.T) {
	st := New(nil)
	texts := fixtureTexts(t)
	want := make([]string, len(texts))
	key := func(f *pipeline.Field) string {
		b, err := json.Marshal(f.Dates)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for i, text := range texts {
		want[i] = key(run(t, st, text, docDate, i%2 == 0))
	}
	for round := 0; round < 2; round++ {
		for i := len(texts) - 1; i >= 0; i-- {
			if got := key(run(t, st, texts[i], docDate, i%2 == 0)); got != want[i] {
				t.Fatalf("text %d after others:\n got %s\nwant %s", i, got, want[i])
			}
		}
	}
}

// bestUngated is best trying every kind of expression at every token, as
// it did before the category gates.
func (sc *scan) bestUngated(i int) ([]men, int) {
	var best []men
	end := i
	for _, expr := range []func(int) ([]men, int){sc.explicitDate, sc.monthExpr, sc.yearExpr,
		sc.weekdayExpr, sc.relExpr, sc.durationExpr, sc.numericDate, sc.rangeExpr} {
		if ms, e := expr(i); len(ms) > 0 && e > end {
			best, end = ms, e
		}
	}
	return best, end
}

// TestBestGates checks the category gates of best: at every token of the
// fixtures and the news samples, with and without a document date, best
// gives what trying every kind of expression gives.
func TestBestGates(t *testing.T) {
	found := 0
	eachScan(t, func(text string, f *pipeline.Field, sc *scan) {
		for i := range f.Tokens {
			ms, end := sc.best(i)
			wms, wend := sc.bestUngated(i)
			if end != wend || !reflect.DeepEqual(ms, wms) {
				t.Fatalf("%q, token %d (%q): best %+v %d, every kind %+v %d", text, i, f.Tokens[i].Key, ms, end, wms, wend)
			}
			if end > i {
				found++
			}
		}
	})
	if found == 0 {
		t.Fatal("no mention found: the test reads nothing")
	}
}
