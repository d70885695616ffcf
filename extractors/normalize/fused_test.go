package normalize

import (
	"bufio"
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/hadath/hadath/pipeline"
)

// fusedAgrees checks tokenizeText against Runes then tokenize: the same
// runes (and capacity), tokens and long list.
func fusedAgrees(t *testing.T, s string, long int) {
	t.Helper()
	rs := Runes(s)
	sc := getScratch()
	sc.tokenize(rs, true, long)
	want := sc.emit(make([]pipeline.Token, len(sc.spans)))
	wantLong := slices.Clone(sc.long)
	sc.release()

	sc = getScratch()
	got := sc.tokenizeText(s, long)
	toks := sc.emit(make([]pipeline.Token, len(sc.spans)))
	gotLong := slices.Clone(sc.long)
	sc.release()
	if !slices.Equal(got, rs) || cap(got) != cap(rs) {
		t.Fatalf("%q: runes %q (cap %d), want %q (cap %d)", s, string(got), cap(got), string(rs), cap(rs))
	}
	if !reflect.DeepEqual(toks, want) {
		t.Fatalf("%q: tokens\n%+v\nwant\n%+v", s, toks, want)
	}
	if !slices.Equal(gotLong, wantLong) {
		t.Fatalf("%q: long %v, want %v", s, gotLong, wantLong)
	}
}

// fusedPieces are the pieces random texts are made of: the fast path's
// words and spaces, and everything that leaves it.
var fusedPieces = []string{" ", " ", " ", "في", "حلب", "المدينة", "أحمد", "Syria", "US", "a",
	"ـ", "\u064e", "\u0301", "٣", "٢٠١٥", "12", ",", ".", "U.S.", "'s", "’", "-", "،", "؟", "«", "»",
	"\n", "\r\n", "\x00", "\xff", "\xc2", "\xe2\x82", "\xd8", "\u200c", "\u00a0", "日本", "🙂", "ﻟ", "ﷺ",
	"\u2029", "x\u0308", "ß", "Ö", "ی", "ة", "  ", "\t", "3.5", "٫"}

// TestTokenizeTextAgrees compares the fused decoding and tokenization with
// Runes then tokenize on random texts of fusedPieces, on every text of
// one or two pieces, and on the news corpus when present.
func TestTokenizeTextAgrees(t *testing.T) {
	for _, a := range fusedPieces {
		fusedAgrees(t, a, 6)
		for _, b := range fusedPieces {
			fusedAgrees(t, a+b, 6)
			fusedAgrees(t, a+" "+b+" ", 0)
		}
	}
	// every rune below U+3000 after, inside and before words and numbers
	for r := rune(0); r < 0x3000; r++ {
		c := string(r)
		fusedAgrees(t, "حلب"+c+" a"+c+c+"b"+c+"ب"+c+"٣"+c+"1 U.S"+c+" 's"+c, 3)
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var sb strings.Builder
		for range rnd.IntN(60) {
			sb.WriteString(fusedPieces[rnd.IntN(len(fusedPieces))])
		}
		fusedAgrees(t, sb.String(), 1+rnd.IntN(7))
	}
	// long words: the key buffer's room runs out within a word
	fusedAgrees(t, strings.Repeat("ب", 3000)+" "+strings.Repeat("حلب ", 500), 6)
	// past the first identity table, which grows to cover the text, and
	// with the table held to its first length
	long := strings.Repeat("ب ", identityMin/2-1) + "حلب دمشق, a ـحلب حلب"
	fusedAgrees(t, long, 6)
	identityLimit = identityMin
	fusedAgrees(t, long, 6)
	identityLimit = identityMax
	f, err := os.Open("/work/shared/data/news/saudinewsnet-2015-conflict-dev.jsonl")
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<26)
	for n := 0; sc.Scan() && n < 300; n++ {
		var m map[string]any
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		for _, v := range m {
			if s, ok := v.(string); ok {
				fusedAgrees(t, s, 6)
			}
		}
	}
}

func FuzzTokenizeText(f *testing.F) {
	for _, p := range fusedPieces {
		f.Add("حلب " + p + " a" + p)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fusedAgrees(t, s, 6)
	})
}

// TestKeyChunksStay checks that the keys cut from a key chunk stay as
// they were while later fields are tokenized (into the same chunk and new
// ones), long keys that get their own string included.
func TestKeyChunksStay(t *testing.T) {
	rnd := rand.New(rand.NewPCG(3, 4))
	var toks [][]pipeline.Token
	var want [][]string
	for i := range 2000 {
		var sb strings.Builder
		for range rnd.IntN(200) {
			sb.WriteString(fusedPieces[rnd.IntN(len(fusedPieces))])
		}
		if i%500 == 0 {
			sb.WriteString(strings.Repeat("حلب ", keyChunk/4))
		}
		ts := Tokenize([]rune(sb.String()))
		ks := make([]string, len(ts))
		for j, tk := range ts {
			ks[j] = strings.Clone(tk.Key)
		}
		toks, want = append(toks, ts), append(want, ks)
	}
	for i, ts := range toks {
		for j, tk := range ts {
			if tk.Key != want[i][j] {
				t.Fatalf("field %d token %d: key %q, was %q", i, j, tk.Key, want[i][j])
			}
		}
	}
}
