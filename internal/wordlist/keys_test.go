package wordlist

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hadath/hadath/pipeline"
)

// shapeIndex returns an index of phrases whose first keys have the shapes of
// the date and quantity word lists: Arabic words of one to six letters,
// with and without the article, digits and English words, some followed by
// a second key.
func shapeIndex(rng *rand.Rand) *Index[int, int] {
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	ix := &Index[int, int]{}
	for i := 0; i < 3000; i++ {
		rs := make([]rune, 1+rng.IntN(6))
		for j := range rs {
			rs[j] = letters[rng.IntN(len(letters))]
		}
		k := string(rs)
		switch i % 5 {
		case 0:
			k = "ال" + k
		case 1:
			k = "wd" + string(rune('a'+i%26))
		case 2:
			k = string(rune('0' + i%10))
		}
		keys := []string{k}
		if i%3 == 0 {
			keys = append(keys, "في")
		}
		ix.Add(&Entry[int, int]{Keys: keys, Cat: i})
	}
	ix.Sort()
	return ix
}

// hits returns what ix finds at the first of toks: with the keyTable, as
// Match runs after Sort, or reading by reading.
func hits(ix *Index[int, int], toks []pipeline.Token, table bool) []hit {
	var out []hit
	add := func(e *Entry[int, int], end, pre int) { out = append(out, hit{e, end, pre}) }
	if table {
		ix.Match(toks, 0, add)
	} else {
		ix.matchReadings(toks, 0, add)
	}
	return out
}

// TestKeyTableKeepsEveryReading checks that Match finds the same phrases,
// ends and clitics with the keyTable as reading by reading, at every first
// key read with every proclitic Match removes and with لل for ال, as a word
// and as a number, and at random keys; and that the table's filter turns
// most random keys away.
func TestKeyTableKeepsEveryReading(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ix := shapeIndex(rng)
	check := func(kind pipeline.TokenKind, key string, rest []string) bool {
		toks := []pipeline.Token{{Kind: kind, Key: key}}
		for _, k := range rest {
			toks = append(toks, pipeline.Token{Kind: pipeline.Word, Key: k, Joined: true})
		}
		with, without := hits(ix, toks, true), hits(ix, toks, false)
		if !slices.Equal(with, without) {
			t.Fatalf("key %q (kind %d): found %v with the key table, %v without", key, kind, with, without)
		}
		return len(with) > 0
	}
	found := 0
	for k0, es := range ix.byFirst {
		rest := es[0].Keys[1:]
		variants := []string{k0}
		for _, c := range []string{"و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"} {
			variants = append(variants, c+k0)
		}
		if len(k0) > 2 && k0[:2] == "ا" {
			variants = append(variants, "ل"+k0[2:], "ول"+k0[2:], "فل"+k0[2:])
		}
		for _, v := range variants {
			for _, kind := range []pipeline.TokenKind{pipeline.Word, pipeline.Number, pipeline.Punct} {
				if check(kind, v, rest) {
					found++
				}
				// the phrase is cut short: only the one-key entries match
				check(kind, v, nil)
			}
		}
	}
	if found < len(ix.byFirst) {
		t.Fatalf("only %d readings found for %d first keys: the test does not exercise Match", found, len(ix.byFirst))
	}
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	passed, total := 0, 100000
	for range total {
		rs := make([]rune, 1+rng.IntN(8))
		for i := range rs {
			rs[i] = letters[rng.IntN(len(letters))]
		}
		key := string(rs)
		check(pipeline.Word, key, nil)
		x := hashString(key, 0) >> ix.keys.bloomShift
		if ix.keys.bloom[x>>6]&(1<<(x&63)) != 0 {
			passed++
		}
	}
	if passed > total/4 {
		t.Errorf("the filter lets %d of %d random keys through", passed, total)
	}
}

// TestAddAfterSort checks that an entry added after Sort is found, by
// reading, until the next Sort, and then by the keyTable.
func TestAddAfterSort(t *testing.T) {
	var ix Index[int, int]
	ix.Add(&Entry[int, int]{Keys: []string{"يوم"}})
	ix.Sort()
	ix.Add(&Entry[int, int]{Keys: []string{"شهر"}})
	toks := []pipeline.Token{{Kind: pipeline.Word, Key: "والشهر"}, {Kind: pipeline.Word, Key: "بشهر"}}
	for _, sorted := range []bool{false, true} {
		if sorted {
			ix.Sort()
		}
		n := 0
		ix.Match(toks, 1, func(*Entry[int, int], int, int) { n++ })
		if n != 1 {
			t.Errorf("sorted %v: %d matches at %q, want 1", sorted, n, toks[1].Key)
		}
	}
}

// BenchmarkMatch runs Match at every token of the fixtures, with an index
// of word-list shapes.
func BenchmarkMatch(b *testing.B) {
	var toks []pipeline.Token
	for _, ts := range fixtureTokens(b) {
		toks = append(toks, ts...)
	}
	ix := shapeIndex(rand.New(rand.NewPCG(1, 2)))
	n := 0
	found := func(*Entry[int, int], int, int) { n++ }
	b.ReportAllocs()
	for b.Loop() {
		for i := range toks {
			ix.Match(toks, i, found)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(toks)), "ns/token")
}

// TestKeyTableSameHash checks that lookup tells apart keys of the same
// hash and tag (they differ only between their first and last eight bytes)
// and finds no entry at a key of that hash that is not in the table.
func TestKeyTableSameHash(t *testing.T) {
	ix := Index[int, int]{}
	a, b, c := "ابتثجحخد"+"ر"+"سشصضطظعغ", "ابتثجحخد"+"ز"+"سشصضطظعغ", "ابتثجحخد"+"ذ"+"سشصضطظعغ"
	if hashString(a, 0) != hashString(b, 0) || hashString(a, 0) != hashString(c, 0) {
		t.Fatal("the keys do not share a hash: the test does not exercise the key compare")
	}
	ix.Add(&Entry[int, int]{Keys: []string{a}, Cat: 1})
	ix.Add(&Entry[int, int]{Keys: []string{b}, Cat: 2})
	ix.Sort()
	for _, k := range []string{a, b, c, "و" + a, "ب" + b} {
		want := 0
		ix.matchReadings([]pipeline.Token{{Kind: pipeline.Word, Key: k}}, 0, func(e *Entry[int, int], _, _ int) { want = want*10 + e.Cat })
		got := 0
		ix.Match([]pipeline.Token{{Kind: pipeline.Word, Key: k}}, 0, func(e *Entry[int, int], _, _ int) { got = got*10 + e.Cat })
		if got != want {
			t.Errorf("key %q: found cats %d with the key table, %d without", k, got, want)
		}
	}
}
