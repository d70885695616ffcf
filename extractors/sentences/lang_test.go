package sentences

import (
	"math/rand/v2"
	"testing"
	"unicode"

	"github.com/hadath/hadath/extractors/normalize"
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
