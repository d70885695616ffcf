package orgs

import (
	"strings"
	"testing"

	"github.com/hadath/hadath/rules"
)

// TestTailFilter: the tail filter lets through every key and every word
// that ends with one, whatever the lengths (the hash reads a word of eight
// bytes or fewer differently).
func TestTailFilter(t *testing.T) {
	for _, keys := range [][]string{
		{"بنك", "مصرف", "جامعه"},
		{"abcdefghij", "xyz"},
		{"ab", "c"},
		{"abcdefgh", "abcdefghijklmnop"},
	} {
		f := newTailFilter(keys)
		for _, k := range keys {
			for _, pre := range []string{"", "x", "وب", "abcdefghijkl"} {
				if !f.mayEnd(pre + k) {
					t.Errorf("%q: drops %q", keys, pre+k)
				}
			}
		}
		short := 8
		for _, k := range keys {
			short = min(short, len(k))
		}
		if f.mayEnd(strings.Repeat("q", short-1)) {
			t.Errorf("%q: lets through a word shorter than every key", keys)
		}
	}
	if f := newTailFilter([]string{"ab", ""}); !f.mayEnd("anything") || !f.mayEnd("") {
		t.Error("an empty key must let everything through")
	}
	if f := newTailFilter(nil); f.mayEnd("بنك") {
		t.Error("no keys must let nothing through")
	}
}

// TestStageFilters: every key of the compiled maps passes the prefilters,
// after any clitic.
func TestStageFilters(t *testing.T) {
	set, errs := rules.Load(nil)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	s, err := New(&set.Organizations, Options{Conjunctions: set.Language.Clitics.Conjunctions, Prepositions: set.Language.Clitics.Prepositions})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []map[string][]arDesig{s.ar, s.arDef} {
		for k := range m {
			if !s.arKeys.Has(k) {
				t.Errorf("arKeys drops %q", k)
			}
			for _, p := range append([]string{""}, append(s.conj, s.prep...)...) {
				if !s.arTail.mayEnd(p + k) {
					t.Errorf("arTail drops %q", p+k)
				}
			}
		}
	}
	for _, m := range []map[string][]enDesig{s.enAfter, s.enBefore} {
		for k := range m {
			if !s.enKeys.Has(k) {
				t.Errorf("enKeys drops %q", k)
			}
		}
	}
	if len(s.arDef) == 0 || s.arDef["بنك"] == nil {
		t.Errorf("arDef: %v", s.arDef)
	}
}
