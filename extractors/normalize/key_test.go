package normalize

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestKey(t *testing.T) {
	cases := []struct{ in, want string }{
		{"حلب", "حلب"},
		{"إدلب", "ادلب"},
		{"ادلب", "ادلب"},
		{"الأحمر", "الاحمر"},
		{"حماة", "حماه"},
		{"على", "علي"},
		{"بـ500", "ب500"},
		{"٨٠", "80"},
		{"۱۲", "12"},
		{"٦٫٢", "6.2"},
		{"مُحَمَّد", "محمد"},
		{"ﻻ", "لا"},                // lam-alef ligature (presentation form)
		{"ی", "ي"},                 // Persian yeh
		{"ک", "ك"},                 // Persian kaf
		{"\u200fحلب\u200e", "حلب"}, // RLM / LRM
		{"U.S.", "us"},
		{"Türkiye", "turkiye"},
		{"Côte", "cote"},
		{"ALEPPO", "aleppo"},
		{"１２", "12"}, // full-width digits
	}
	for _, c := range cases {
		if got := Key(c.in); got != c.want {
			t.Errorf("Key(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestKeyMapPointsIntoOriginal(t *testing.T) {
	src := []rune("بـِحَلَب")
	key, m := AppendKey(nil, nil, src, 0, len(src))
	if string(key) != "بحلب" {
		t.Fatalf("key %q", string(key))
	}
	want := []int{0, 3, 5, 7}
	for i := range want {
		if m[i] != want[i] {
			t.Fatalf("map %v, want %v", m, want)
		}
	}
}

// TestFirstRune compares firstRune with utf8.DecodeRuneInString.
func TestFirstRune(t *testing.T) {
	for _, s := range []string{"", "a", "حلب", "\xd8", "\xd8a", "\xc1\x80", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "🙂", "\xff", "\x80"} {
		r, n := firstRune(s)
		wr, wn := utf8.DecodeRuneInString(s)
		if r != wr || n != wn {
			t.Errorf("firstRune(%q) = %U, %d, want %U, %d", s, r, n, wr, wn)
		}
	}
}

// TestDigitValueAllRunes checks DigitValue, and its shortcuts, against
// the Unicode table of decimal digits for every rune.
func TestDigitValueAllRunes(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		_, ok := DigitValue(r)
		if ok != unicode.Is(unicode.Nd, r) {
			t.Fatalf("DigitValue(%U): %v, want %v", r, ok, !ok)
		}
	}
}

// TestIsWordRuneTable checks isWordRune, which reads a table below
// fastLen, against isWordRuneSlow for every rune.
func TestIsWordRuneTable(t *testing.T) {
	for r := rune(-1); r <= unicode.MaxRune+1; r++ {
		if isWordRune(r) != isWordRuneSlow(r) {
			t.Fatalf("isWordRune(%U) = %v", r, isWordRune(r))
		}
	}
}
