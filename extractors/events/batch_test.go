package events

import (
	"math/rand/v2"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

// TestMergeEvidenceSameAsIncremental checks that mergeEvidence gives the
// evidence lists that appending each absorbed event's evidence in turn,
// sorting after each append, gives (MaxEvidence included).
func TestMergeEvidenceSameAsIncremental(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	mentions := func() []pipeline.EventMention {
		ms := make([]pipeline.EventMention, 1+rng.IntN(4)+rng.IntN(2)*rng.IntN(60))
		for i := range ms {
			ms[i] = pipeline.EventMention{Start: rng.IntN(50), Text: string(rune('a' + rng.IntN(26)))}
		}
		return ms
	}
	for round := range 2000 {
		out := make([]pipeline.Event, 1+rng.IntN(6))
		want := make([]pipeline.Event, len(out))
		for k := range out {
			ms := mentions()
			if rng.IntN(2) == 0 {
				sortEvidence(ms)
			}
			out[k].Evidence = ms
			want[k].Evidence = append([]pipeline.EventMention(nil), ms...)
		}
		var abs []absorbedEvidence
		for range rng.IntN(12) {
			a := absorbedEvidence{into: rng.IntN(len(out)), ms: mentions()}
			abs = append(abs, a)
			w := &want[a.into]
			if room := MaxEvidence - len(w.Evidence); room > 0 {
				w.Evidence = append(w.Evidence, a.ms[:min(room, len(a.ms))]...)
				sortEvidence(w.Evidence)
			}
		}
		mergeEvidence(out, abs, make([]int, len(out)))
		for k := range out {
			if !reflect.DeepEqual(out[k].Evidence, want[k].Evidence) {
				t.Fatalf("round %d, event %d:\n got %v\nwant %v", round, k, out[k].Evidence, want[k].Evidence)
			}
			if cap(out[k].Evidence) != len(out[k].Evidence) && len(abs) > 0 {
				for _, a := range abs {
					if a.into == k {
						t.Fatalf("round %d, event %d: room to grow into the next list", round, k)
					}
				}
			}
		}
	}
}

// TestArabicFirst checks arabicFirst against normalize.IsArabicLetter of
// the first rune, for every rune of the BMP and invalid bytes.
func TestArabicFirst(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		for _, k := range []string{string(r), string(r) + "ب", string(r) + "x"} {
			want := false
			if r0, n := utf8.DecodeRuneInString(k); n > 0 {
				want = normalize.IsArabicLetter(r0)
			}
			if got := arabicFirst(k); got != want {
				t.Fatalf("%q: %v, want %v", k, got, want)
			}
		}
	}
	for _, k := range []string{"", "\xd8", "\xd8\x20", "\xd9\x80", "\xd8\xa1", "\xe0\xa1\x80", "\xff\xfe"} {
		want := false
		if r0, n := utf8.DecodeRuneInString(k); n > 0 {
			want = normalize.IsArabicLetter(r0)
		}
		if got := arabicFirst(k); got != want {
			t.Fatalf("%q: %v, want %v", k, got, want)
		}
	}
}

// TestTriggerTexts checks that the trigger texts are those f.Slice gives,
// invalid runes included.
func TestTriggerTexts(t *testing.T) {
	runes := []rune("قتل 5 في هجوم\uFFFDx")
	runes = append(runes, 0xD800, -1, 'a', 0x10FFFF+1, 'ب')
	f := &pipeline.Field{Runes: runes}
	for i := 0; i+1 <= len(runes); i++ {
		f.Tokens = append(f.Tokens, pipeline.Token{Start: i, End: i + 1})
	}
	var trigs []trig
	for a := range len(runes) {
		for b := a + 1; b <= len(runes); b++ {
			trigs = append(trigs, trig{start: a, end: b, cs: a})
		}
	}
	var sc scratch
	sc.triggerTexts(f, trigs)
	for _, tr := range trigs {
		if want := f.Slice(tr.cs, f.Tokens[tr.end-1].End); tr.text != want {
			t.Fatalf("%d-%d: %q, want %q", tr.start, tr.end, tr.text, want)
		}
	}
}

// TestMergeKey checks that events merge may join share their mergeKey:
// every pair of events of the same type, status and field, among random
// ones, has the same key, so that merge passes over only events mergeable
// would refuse.
func TestMergeKey(t *testing.T) {
	types := []string{"attack", "casualties", "ceasefire", "evacuation", "siege", "x", "", "withdrawal", "capture"}
	statuses := []string{"occurred", "proposed", "planned", "negated", "reported", "", "o"}
	fields := []string{"", "title", "text", "t"}
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(l []string) string {
		// a fresh copy: equal strings, not the same pointer
		return string([]byte(l[r.IntN(len(l))]))
	}
	evs := make([]pipeline.Event, 500)
	for i := range evs {
		evs[i] = pipeline.Event{Type: pick(types), Status: pick(statuses), Field: pick(fields)}
	}
	distinct := 0
	for i := range evs {
		for j := range evs {
			a, b := &evs[i], &evs[j]
			same := a.Type == b.Type && a.Status == b.Status && a.Field == b.Field
			if same && mergeKey(a) != mergeKey(b) {
				t.Fatalf("%q %q %q: keys %x and %x", a.Type, a.Status, a.Field, mergeKey(a), mergeKey(b))
			}
			if mergeable(a, b) && !same {
				t.Fatalf("mergeable without the same type, status and field: %+v %+v", a, b)
			}
			if !same && mergeKey(a) != mergeKey(b) {
				distinct++
			}
		}
	}
	if distinct == 0 {
		t.Fatal("every key the same: the key passes over nothing")
	}
}
