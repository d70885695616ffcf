package events

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/rules"
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

// built returns the reading f with its string built (ا+s in alefMode).
func built(f form) form {
	if f.mode == alefMode {
		f.s, f.mode = "ا"+f.s, triggerMode
	}
	return f
}

// TestAppendReadingsSameAsRule checks that the readings of each mode are,
// in order, those the rule gives in that mode, and that they fit the
// buffer of appendForms.
func TestAppendReadingsSameAsRule(t *testing.T) {
	keys := readingKeys(t)
	for _, k := range keys {
		all := appendReadings([]form{{s: "x"}}, k)[1:]
		for i := range all {
			all[i] = built(all[i])
		}
		if len(all) > maxReadings {
			t.Fatalf("key %q: %d readings, more than maxReadings", k, len(all))
		}
		for _, mode := range []stripMode{exactOnly, cueMode, triggerMode} {
			var got []form
			for _, f := range all {
				if f.mode <= mode {
					f.mode = 0 // refReadings does not set it
					got = append(got, f)
				}
			}
			if want := refReadings(mode, k); !slices.Equal(got, want) {
				t.Fatalf("mode %d, key %q:\n got %v\nwant %v", mode, k, got, want)
			}
		}
	}
}

// TestReadingsDoNotAllocate checks that reading a token, لل included,
// costs no allocation once the cache has room.
func TestReadingsDoNotAllocate(t *testing.T) {
	idx := newFirstIndex()
	ps := newPhraseSet(idx, triggerMode)
	for _, w := range []string{"الأمم", "المدينة", "هدنة"} {
		ps.add(w, 0)
	}
	idx.compile()
	buf := make([]form, 0, 64)
	for _, k := range []string{"للأمم", "وللمدينة", "فللهدنة", "لهدنتهم", "والمدينة", "قال"} {
		if n := testing.AllocsPerRun(10, func() { buf, _ = idx.appendForms(buf[:0], k) }); n != 0 {
			t.Errorf("%q: %.0f allocations", k, n)
		}
	}
}

// TestFirstIndex checks that the prefilter never hides a first key, that
// appendForms keeps exactly the readings that start a phrase of some set,
// in order, with the bits of exactly the sets they start a phrase of, and
// that the union by mode covers the readings of that mode.
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
	for _, compiled := range []bool{false, true} {
		if compiled {
			idx.compile()
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
			fs, union := idx.appendForms(nil, k)
			var want []form
			var wantUnion [numModes]uint32
			for _, f := range appendReadings(nil, k) {
				f = built(f)
				for _, ps := range sets {
					if _, ok := ps.byFirst[f.s]; ok {
						f.sets |= ps.bit
					}
				}
				if f.sets == 0 {
					misses++
					continue
				}
				want = append(want, f)
				for m := f.mode; m < numModes; m++ {
					wantUnion[m] |= f.sets
				}
			}
			if !slices.Equal(fs, want) {
				t.Fatalf("key %q: forms %v, want %v", k, fs, want)
			}
			if got := [numModes]uint32{union.of(exactOnly), union.of(cueMode), union.of(triggerMode)}; got != wantUnion {
				t.Fatalf("key %q: union %x, want %x", k, union, wantUnion)
			}
		}
		if misses == 0 {
			t.Fatal("no reading outside the sets: the test reads nothing")
		}
	}
}

// BenchmarkTriggerScan reads every word of the seed article and the
// examples as the trigger scan of field does: readings computed once per
// token, looked up in the first-key index, then in the trigger sets.
func BenchmarkTriggerScan(b *testing.B) {
	set, errs := rules.Load(nil)
	if errs.Err() != nil {
		b.Fatal(errs.Err())
	}
	s, err := New(&set.Events)
	if err != nil {
		b.Fatal(err)
	}
	var text strings.Builder
	for _, f := range []string{"../../testdata/seed-aleppo-2016-12-07.txt", "../../testdata/examples.jsonl"} {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		text.Write(data)
	}
	toks := normalize.Tokenize([]rune(text.String()))
	var fc formCache
	b.SetBytes(int64(text.Len()))
	for b.Loop() {
		fc.fill(toks, s.idx, s.trigBits)
		for i := range toks {
			if toks[i].Kind == pipeline.Word {
				s.trigAR.matchPre(toks, i, len(toks), &fc)
			}
		}
	}
}

// TestRangeMemo checks that a rangeMemo and a sentList give what
// sentRange gives, for sorted and unsorted lists and sentences asked in
// any order.
func TestRangeMemo(t *testing.T) {
	for _, list := range [][]int{{}, {0}, {0, 0, 1, 3, 3, 3, 4}, {2, 0, 1}, {1, 1, 0, 2}, {0, 2, 1, 2}} {
		var m rangeMemo
		var l sentList
		l.reset()
		sentence := func(i int) int { return list[i] }
		for _, s := range []int{0, 0, 1, 3, 3, 2, 4, 4, 0, 5, -1, 3} {
			lo, hi := m.get(len(list), sentence, s)
			wlo, whi := sentRange(len(list), sentence, s)
			if lo != wlo || hi != whi {
				t.Fatalf("list %v, sentence %d: [%d, %d), want [%d, %d)", list, s, lo, hi, wlo, whi)
			}
			if lo, hi := l.get(len(list), sentence, s); lo != wlo || hi != whi {
				t.Fatalf("sentList %v, sentence %d: [%d, %d), want [%d, %d)", list, s, lo, hi, wlo, whi)
			}
		}
	}
}

// TestNoReadingNeverHides checks the tail prefilter of the rules' index
// (noReading): every key of the fixtures, and every first key of the rules
// with every combination of the affixes around it, gives the same readings
// and unions with it and without it, and it does reject keys.
func TestNoReadingNeverHides(t *testing.T) {
	set, errs := rules.Load(nil)
	if errs.Err() != nil {
		t.Fatal(errs.Err())
	}
	s, err := New(&set.Events)
	if err != nil {
		t.Fatal(err)
	}
	idx := s.idx
	keys := readingKeys(t)
	b, err := os.ReadFile("../../testdata/events-dev/saudinewsnet-dev.labels.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range strings.Fields(string(b)) {
		keys = append(keys, normalize.PhraseKeys(w)...)
	}
	for k := range idx.sets {
		stems := []string{k}
		if rest, ok := strings.CutPrefix(k, "ا"); ok {
			stems = append(stems, rest) // لل + rest reads as ل + ا + rest
		}
		if rest, ok := strings.CutPrefix(k, "ال"); ok {
			stems = append(stems, rest)
		}
		for _, c := range []string{"", "و", "ف"} {
			for _, p := range []string{"", "ب", "ل", "ك", "لل"} {
				for _, a := range []string{"", "ال"} {
					for _, st := range stems {
						for _, suf := range []string{"", "هما", "هم", "هن", "ها", "كم", "نا", "ه", "ما", "ن", "ا", "م", "x"} {
							keys = append(keys, c+p+a+st+suf)
						}
					}
				}
			}
		}
	}
	rejected := 0
	for _, k := range keys {
		if idx.noReading(k) {
			rejected++
		}
		fs, union := idx.appendForms(nil, k)
		idx.noTails = true
		wfs, wunion := idx.appendForms(nil, k)
		idx.noTails = false
		if !slices.Equal(fs, wfs) || union != wunion {
			t.Fatalf("key %q: forms %v %v, without the prefilter %v %v", k, fs, union, wfs, wunion)
		}
	}
	if rejected == 0 {
		t.Fatal("the prefilter rejects no key")
	}
	t.Logf("%d keys, %d rejected by the prefilter", len(keys), rejected)
}
