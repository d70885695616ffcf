package quantities

import (
	"encoding/json"
	"testing"

	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/scripts/benchdata"
)

// fixtureTexts returns the texts of the test cases, the seed article and
// the examples (texts and titles).
func fixtureTexts(t *testing.T) []string {
	t.Helper()
	var texts []string
	for _, c := range quantityCases {
		texts = append(texts, c.in)
	}
	fx, err := benchdata.FixtureTexts("../..")
	if err != nil {
		t.Fatal(err)
	}
	return append(texts, fx...)
}

// TestStartsNeedMatchOrNumber checks what field relies on to skip tokens:
// no quantity starts at a token that is not a number and has no lexicon
// match, or none that mayStart accepts. quantity has no side effects, so skipping such a token gives the
// same quantities as trying it.
func TestStartsNeedMatchOrNumber(t *testing.T) {
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	skipped, refused := 0, 0
	for _, text := range fixtureTexts(t) {
		doc, f := newDoc(text)
		if err := dateStage.Process(doc); err != nil {
			t.Fatal(err)
		}
		sc := getScan(lex, f)
		sc.matchAll()
		for i := range f.Tokens {
			if f.Tokens[i].Kind == pipeline.Number || sc.mayStart(i) {
				continue
			}
			if len(sc.matches(i)) > 0 {
				refused++
			}
			skipped++
			if q, end, ok := sc.quantity(i); ok || end > i {
				t.Errorf("%q: a quantity starts at token %d (%q), which has no match: %+v", text, i, f.Tokens[i].Key, q)
			}
		}
		sc.release()
	}
	if skipped == 0 || refused == 0 {
		t.Fatalf("%d tokens skipped, %d of them with matches: the test reads too little", skipped, refused)
	}
}

// TestScanReuse checks that a pooled scan keeps nothing of the previous
// field: fields processed in turn, long then short, give the quantities
// they give alone.
func TestScanReuse(t *testing.T) {
	st := New(nil)
	texts := fixtureTexts(t)
	want := make([]string, len(texts))
	key := func(f *pipeline.Field) string {
		b, err := json.Marshal(f.Quantities)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	for i, text := range texts {
		want[i] = key(run(t, st, text))
	}
	for round := 0; round < 2; round++ {
		for i := len(texts) - 1; i >= 0; i-- {
			if got := key(run(t, st, texts[i])); got != want[i] {
				t.Fatalf("text %d after others:\n got %s\nwant %s", i, got, want[i])
			}
		}
	}
}
