package events

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hadath/hadath/extractors/normalize"
)

// refReadings is the reading rule as first written (slices of affixes,
// strings.HasPrefix/HasSuffix): appendReadings must give the same readings
// in the same order.
func refReadings(mode stripMode, key string) []form {
	conjunctions := []string{"و", "ف"}
	prepositions := []string{"ب", "ل", "ك"}
	suffixes := []string{"هما", "هم", "هن", "ها", "كم", "نا", "ه"}
	dst := []form{{s: key}}
	if mode == exactOnly || key == "" {
		return dst
	}
	if r := []rune(key)[0]; r < 0x0621 || r > 0x064A {
		return dst
	}
	stems := []form{{s: key}}
	for ci := -1; ci < len(conjunctions); ci++ {
		rest, cn := key, int32(0)
		if ci >= 0 {
			c := conjunctions[ci]
			if !strings.HasPrefix(key, c) {
				continue
			}
			rest, cn = key[len(c):], 1
			stems = append(stems, form{s: rest, pre: cn})
		}
		if len(rest) <= 6 {
			continue
		}
		for _, p := range prepositions {
			if strings.HasPrefix(rest, p) {
				stems = append(stems, form{s: rest[len(p):], pre: cn + 1})
				if mode == triggerMode && p == "ل" && strings.HasPrefix(rest, "لل") {
					stems = append(stems, form{s: "ا" + rest[len(p):], pre: cn + 1})
				}
			}
		}
	}
	if mode == triggerMode {
		for _, s := range stems[:len(stems)] {
			if strings.HasPrefix(s.s, "ال") && len(s.s) > 8 {
				stems = append(stems, form{s: s.s[len("ال"):], pre: s.pre})
			}
		}
	}
	for _, s := range stems[1:] {
		if len(s.s) >= 4 {
			dst = append(dst, s)
		}
	}
	n := len(dst)
	for i := 0; i < n; i++ {
		s := dst[i]
		for _, suf := range suffixes {
			if len(s.s)-len(suf) >= 6 && strings.HasSuffix(s.s, suf) {
				dst = append(dst, form{s: s.s[:len(s.s)-len(suf)], pre: s.pre})
			}
		}
	}
	return dst
}

// readingKeys returns keys to read: every word of the seed article and of
// the examples, and every combination of the affixes around short stems.
func readingKeys(t *testing.T) []string {
	var keys []string
	for _, f := range []string{"../../testdata/seed-aleppo-2016-12-07.txt", "../../testdata/examples.jsonl"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range strings.Fields(string(b)) {
			keys = append(keys, normalize.PhraseKeys(w)...)
		}
	}
	stems := []string{"", "ا", "ل", "ه", "م", "قتل", "لها", "هدنة", "اجلاء", "حصار", "هم", "نا", "ما", "كم", "الم", "a", "1", "ل1"}
	for _, c := range []string{"", "و", "ف"} {
		for _, p := range []string{"", "ب", "ل", "ك", "لل"} {
			for _, a := range []string{"", "ال"} {
				for _, st := range stems {
					for _, suf := range []string{"", "هما", "هم", "هن", "ها", "كم", "نا", "ه", "ما", "ن", "ا", "م"} {
						keys = append(keys, c+p+a+st+suf)
					}
				}
			}
		}
	}
	return keys
}

func TestAppendReadingsSameAsRule(t *testing.T) {
	keys := readingKeys(t)
	for _, mode := range []stripMode{exactOnly, cueMode, triggerMode} {
		ps := newPhraseSet(nil, mode)
		for _, k := range keys {
			got := ps.appendReadings([]form{{s: "x"}}, k)[1:]
			if want := refReadings(mode, k); !slices.Equal(got, want) {
				t.Fatalf("mode %d, key %q:\n got %v\nwant %v", mode, k, got, want)
			}
		}
	}
}

// TestFirstIndex checks that the prefilter never hides a first key, and
// that readings carry the bits of exactly the sets they start a phrase of.
func TestFirstIndex(t *testing.T) {
	idx := newFirstIndex()
	sets := make([]*phraseSet, 40) // more sets than bits
	for i := range sets {
		sets[i] = newPhraseSet(idx, triggerMode)
	}
	keys := readingKeys(t)
	for i, k := range keys {
		if i%3 == 0 && k != "" {
			sets[i%len(sets)].add(k, i)
		}
	}
	for _, ps := range sets {
		for k := range ps.byFirst {
			if idx.lookup(k)&ps.bit == 0 {
				t.Fatalf("first key %q of a set not found", k)
			}
		}
	}
	misses := 0
	for _, k := range keys {
		fs, all := sets[0].appendForms(nil, k)
		var union uint32
		for _, f := range fs {
			union |= f.sets
			var want uint32
			for _, ps := range sets {
				if _, ok := ps.byFirst[f.s]; ok {
					want |= ps.bit
				}
			}
			if f.sets != want {
				t.Fatalf("reading %q of %q: sets %x, want %x", f.s, k, f.sets, want)
			}
			if want == 0 {
				misses++
			}
		}
		if union != all {
			t.Fatalf("key %q: union %x, returned %x", k, union, all)
		}
	}
	if misses == 0 {
		t.Fatal("no reading outside the sets: the test reads nothing")
	}
}
