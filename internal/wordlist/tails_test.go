package wordlist

import (
	"math/rand/v2"
	"testing"

	"github.com/hadath/hadath/pipeline"
)

// tailIndex returns an index of phrases whose first keys have the shapes of
// the date and quantity word lists: Arabic words of one to six letters,
// with and without the article, digits and English words, some followed by
// a second key.
func tailIndex(rng *rand.Rand) *Index[int, int] {
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

// matches reports whether ix finds a phrase at the first of toks, with the
// tail filter (as Match runs) or without it.
func matches(ix *Index[int, int], toks []pipeline.Token, tails bool) bool {
	saved := ix.useTails
	ix.useTails = tails
	defer func() { ix.useTails = saved }()
	found := false
	ix.Match(toks, 0, func(*Entry[int, int], int, int) { found = true })
	return found
}

// TestTailFilterKeepsEveryReading checks that Match finds the same phrases
// with the tail filter as without it, at every first key read with every
// proclitic Match removes and with لل for ال, as a word and as a number,
// and at random keys; and that the filter turns most random keys away.
func TestTailFilterKeepsEveryReading(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	ix := tailIndex(rng)
	check := func(kind pipeline.TokenKind, key string, rest []string) bool {
		toks := []pipeline.Token{{Kind: kind, Key: key}}
		for _, k := range rest {
			toks = append(toks, pipeline.Token{Kind: pipeline.Word, Key: k, Joined: true})
		}
		with, without := matches(ix, toks, true), matches(ix, toks, false)
		if with != without {
			t.Fatalf("key %q (kind %d): found %v with the tail filter, %v without", key, kind, with, without)
		}
		return with
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
			for _, kind := range []pipeline.TokenKind{pipeline.Word, pipeline.Number} {
				if check(kind, v, rest) {
					found++
				}
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
		if ix.tails.MayStart(key) {
			passed++
		}
	}
	if passed > total*3/4 {
		t.Errorf("the filter lets %d of %d random keys through", passed, total)
	}
}
