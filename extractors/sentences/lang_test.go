package sentences

import (
	"math/rand/v2"
	"testing"
	"unicode"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

// langRef is Lang as it was written before the table: the reference.
func langRef(rs []rune) string {
	ar, lat := 0, 0
	for _, r := range rs {
		switch {
		case r < 0x80:
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				lat++
			}
		case r >= 0x0621 && r <= 0x064A:
			if r != normalize.Tatweel {
				ar++
			}
		case normalize.IsArabicLetter(r):
			ar++
		case r < 0x250 && unicode.IsLetter(r):
			lat++
		}
	}
	switch {
	case ar == 0 && lat == 0:
		return "und"
	case ar >= lat:
		return "ar"
	default:
		return "en"
	}
}

// TestLangTable checks Lang against the reference rune by rune and on
// random mixes of runes from the table's range and beyond.
func TestLangTable(t *testing.T) {
	for r := rune(-2); r < 0x3000; r++ {
		for _, rs := range [][]rune{{r}, {r, 'a'}, {r, 'ب'}} {
			if got, want := Lang(rs), langRef(rs); got != want {
				t.Fatalf("Lang(%q) = %s, want %s", rs, got, want)
			}
		}
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		rs := make([]rune, rng.IntN(12))
		for i := range rs {
			switch rng.IntN(3) {
			case 0:
				rs[i] = rune(rng.IntN(0x800))
			case 1:
				rs[i] = 0x600 + rune(rng.IntN(0x100))
			default:
				rs[i] = rune(rng.IntN(0x110000))
			}
		}
		if got, want := Lang(rs), langRef(rs); got != want {
			t.Fatalf("Lang(%q) = %s, want %s", rs, got, want)
		}
	}
}

// FuzzProcessLang checks that the document language Process counts while
// it splits is Lang of the first field, with the tokenizer's tokens and
// with tokens that overlap or leave letters out.
func FuzzProcessLang(f *testing.F) {
	for _, s := range []string{"حلب. Aleppo is a city. ب.", "a\nب", "", "U.S. Dec. 7 \xff ﻻ"} {
		f.Add(s, uint8(0))
	}
	s := New([]string{"Dec", "د"})
	f.Fuzz(func(t *testing.T, text string, drop uint8) {
		rs := []rune(text)
		toks := normalize.Tokenize(rs)
		if drop > 0 && len(toks) > 1 {
			// drop a token, or make one overlap the one before it
			i := 1 + int(drop)%(len(toks)-1)
			if drop%2 == 0 {
				toks = append(toks[:i], toks[i+1:]...)
			} else {
				toks[i].Start = toks[i-1].Start
			}
		}
		doc := &pipeline.Document{Fields: []*pipeline.Field{{Name: "text", Text: text, Runes: rs, Tokens: toks}}}
		if err := s.Process(doc); err != nil {
			t.Fatal(err)
		}
		if want := Lang(rs); doc.Lang != want {
			t.Fatalf("%q: Lang %s, want %s", text, doc.Lang, want)
		}
		for _, st := range doc.Fields[0].Sentences {
			if want := Lang(rs[st.Start:st.End]); st.Lang != want {
				t.Fatalf("%q: sentence [%d,%d) Lang %s, want %s", text, st.Start, st.End, st.Lang, want)
			}
		}
	})
}
