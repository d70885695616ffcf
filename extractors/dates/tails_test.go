package dates

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/hadath/hadath/internal/wordlist"
	"github.com/hadath/hadath/pipeline"
)

// lexPhrases returns the phrases of the embedded word lists.
func lexPhrases(t *testing.T) []*phrase {
	t.Helper()
	entries, errs := wordlist.Load[cat, int, Source](format)
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

// TestCategoriesFitMask checks that every category has its own bit in
// scan.cats.
func TestCategoriesFitMask(t *testing.T) {
	if cAmbMonth >= 64 {
		t.Fatalf("%d categories do not fit a uint64", cAmbMonth+1)
	}
}

// TestFormatsMatchFmt compares the hand-written formats with time.Format
// and fmt, in and out of the years they write by hand.
func TestFormatsMatchFmt(t *testing.T) {
	for _, y := range []int{-10000, -1, 0, 7, 99, 999, 1436, 2015, 9999, 10000, 123456} {
		for _, m := range []time.Month{1, 2, 11, 12} {
			for _, d := range []int{1, 9, 10, 28, 31} {
				tm := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
				if got, want := fmtDay(tm), tm.Format("2006-01-02"); got != want {
					t.Errorf("fmtDay(%v) = %q, want %q", tm, got, want)
				}
				if got, want := fmtMonth(tm), tm.Format("2006-01"); got != want {
					t.Errorf("fmtMonth(%v) = %q, want %q", tm, got, want)
				}
				wy, w := tm.ISOWeek()
				if got, want := fmtWeek(tm), fmt.Sprintf("%04d-W%02d", wy, w); got != want {
					t.Errorf("fmtWeek(%v) = %q, want %q", tm, got, want)
				}
			}
		}
		if got, want := fmtYear(y), fmt.Sprintf("%04d", y); got != want {
			t.Errorf("fmtYear(%d) = %q, want %q", y, got, want)
		}
	}
}

// TestSetTextsSharesConversion checks the texts of setTexts against the
// string conversion of each mention's runes, invalid runes included.
func TestSetTextsSharesConversion(t *testing.T) {
	f := &pipeline.Field{Runes: []rune{'a', 'ب', 0xD800, '😀', -1, 'c', 0x10FFFF + 1, 'ز'}}
	sc := &scan{f: f}
	out := []pipeline.DateMention{{Start: 0, End: 2}, {Start: 2, End: 5}, {Start: 5, End: 8}, {Start: 1, End: 1}}
	sc.setTexts(out)
	for _, d := range out {
		if want := string(f.Runes[d.Start:d.End]); d.Text != want {
			t.Errorf("[%d,%d): %q, want %q", d.Start, d.End, d.Text, want)
		}
	}
}
