package normalize

import "testing"

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
