package quantities

import (
	"math/rand/v2"
	"testing"

	"github.com/hadath/hadath/internal/wordlist"
	"github.com/hadath/hadath/pipeline"
)

// lexPhrases returns the phrases of the embedded word lists.
func lexPhrases(t *testing.T) []*phrase {
	t.Helper()
	entries, errs := wordlist.Load[cat, float64, Source](format)
	if errs.Err() != nil || len(entries) == 0 {
		t.Fatalf("no phrases: %v", errs.Err())
	}
	return entries
}

// matchesSomething reports whether the lexicon's Match finds a phrase at the
// first of toks.
func matchesSomething(lex *Lexicon, toks []pipeline.Token) bool {
	found := false
	lex.index.Match(toks, 0, func(*phrase, int, int) { found = true })
	return found
}

// checkTail fails when the tail filter turns away a token key at which
// Match finds a phrase (the rest of the phrase's keys follow it).
func checkTail(t *testing.T, lex *Lexicon, kind pipeline.TokenKind, key string, rest []string) {
	t.Helper()
	toks := []pipeline.Token{{Kind: kind, Key: key}}
	for _, k := range rest {
		toks = append(toks, pipeline.Token{Kind: pipeline.Word, Key: k, Joined: true})
	}
	if matchesSomething(lex, toks) && !lex.tails.MayStart(key) {
		t.Errorf("tail filter turns away %q (kind %d), which starts a phrase", key, kind)
	}
}

// TestTailFilterKeepsEveryReading tries each phrase's first key with every
// proclitic Match removes, and with لل for ال.
func TestTailFilterKeepsEveryReading(t *testing.T) {
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range lexPhrases(t) {
		{
			k0, rest := p.Keys[0], p.Keys[1:]
			variants := []string{k0}
			for _, c := range []string{"و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"} {
				variants = append(variants, c+k0)
			}
			if len(k0) > 2 && k0[:2] == "ا" {
				variants = append(variants, "ل"+k0[2:], "ول"+k0[2:], "فل"+k0[2:])
			}
			for _, v := range variants {
				for _, kind := range []pipeline.TokenKind{pipeline.Word, pipeline.Number} {
					checkTail(t, lex, kind, v, rest)
					n++
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no phrases")
	}
}

// TestTailFilterRandomKeys compares the filter with Match on random keys
// made of the letters of the lexicon, and checks that it turns most of them
// away.
func TestTailFilterRandomKeys(t *testing.T) {
	lex, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	var letters []rune
	seen := map[rune]bool{}
	for _, p := range lexPhrases(t) {
		for _, r := range p.Keys[0] {
			if !seen[r] {
				seen[r] = true
				letters = append(letters, r)
			}
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	passed, total := 0, 200000
	for range total {
		rs := make([]rune, 1+rng.IntN(8))
		for i := range rs {
			rs[i] = letters[rng.IntN(len(letters))]
		}
		key := string(rs)
		checkTail(t, lex, pipeline.Word, key, nil)
		if lex.tails.MayStart(key) {
			passed++
		}
	}
	if passed > total/2 {
		t.Errorf("the filter lets %d of %d random keys through", passed, total)
	}
}
