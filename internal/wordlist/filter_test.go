package wordlist

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

// fixtureTokens returns the tokens of the seed article, of the examples
// and of words made of every combination of the clitics around short
// stems.
func fixtureTokens(t testing.TB) [][]pipeline.Token {
	t.Helper()
	var out [][]pipeline.Token
	for _, name := range []string{"../../testdata/seed-aleppo-2016-12-07.txt", "../../testdata/examples.jsonl"} {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, normalize.Tokenize([]rune(string(b))))
	}
	var words []string
	for _, c := range []string{"", "و", "ف"} {
		for _, p := range []string{"", "ب", "ل", "لل", "ك"} {
			for _, st := range []string{"", "ا", "ل", "ه", "م", "قتل", "الهدنة", "ليلة", "امس", "a", "1", "ل1", "😀", "ـ"} {
				words = append(words, c+p+st, c+p+st+" "+st)
			}
		}
	}
	out = append(out, normalize.Tokenize([]rune(strings.Join(words, " "))))
	return out
}

// refMatch is Match as first written (rune decoding, RuneCountInString,
// the لل reading built by concatenation), on the map alone.
func refMatch[C comparable, V any](ix *Index[C, V], toks []pipeline.Token, i int, found func(e *Entry[C, V], end, pre int)) {
	try := func(key string, pre int) {
		for _, e := range ix.byFirst[key] {
			if end, ok := follow(toks, i, e.Keys); ok {
				found(e, end, pre)
			}
		}
	}
	t := &toks[i]
	try(t.Key, 0)
	k := t.Key
	if t.Kind != pipeline.Word {
		return
	}
	r0, size := utf8.DecodeRuneInString(k)
	if !normalize.IsArabicLetter(r0) {
		return
	}
	n := utf8.RuneCountInString(k)
	if n < 3 {
		return
	}
	type start struct{ off, runes int }
	starts := [2]start{{0, 0}}
	ns := 1
	if r0 == 'و' || r0 == 'ف' {
		starts[1] = start{size, 1}
		ns = 2
	}
	for _, st := range starts[:ns] {
		rest, left := k[st.off:], n-st.runes
		if st.off > 0 && left >= 2 {
			try(rest, st.runes)
		}
		if left < 3 {
			continue
		}
		c, sz := utf8.DecodeRuneInString(rest)
		if c != 'ب' && c != 'ل' {
			continue
		}
		try(rest[sz:], st.runes+1)
		if c2, _ := utf8.DecodeRuneInString(rest[sz:]); c == 'ل' && c2 == 'ل' {
			try("ا"+rest[sz:], -1)
		}
	}
}

func TestFilterNeverMisses(t *testing.T) {
	var keys []string
	for _, toks := range fixtureTokens(t) {
		for _, tk := range toks {
			keys = append(keys, tk.Key)
		}
	}
	for i := range 3000 {
		keys = append(keys, fmt.Sprint(i), strings.Repeat("ب", i%20)+fmt.Sprint(i))
	}
	var zero Filter
	for _, n := range []int{0, 10, len(keys) / 2, len(keys)} {
		f := NewFilter(n)
		for _, k := range keys[:n] {
			f.Add(k)
		}
		for _, k := range keys[:n] {
			if !f.Has(k) || !f.HasBytes([]byte(k)) {
				t.Fatalf("filter of %d keys misses %q", n, k)
			}
		}
		// keys not added mostly do not pass
		pass, other := 0, 0
		for _, k := range keys[n:] {
			if !slices.Contains(keys[:n], k) {
				other++
				if f.Has(k) {
					pass++
				}
			}
		}
		if other > 100 && pass*5 > other {
			t.Errorf("filter of %d keys lets %d of %d other keys through", n, pass, other)
		}
	}
	if !zero.Has("x") || !zero.HasBytes(nil) {
		t.Fatal("the zero filter must let every key through")
	}
	zero.Add("x") // no effect, no panic
}

type hit struct {
	e        *Entry[int, int]
	end, pre int
}

// TestIndexFilterDropsNothing checks that the filter of an Index never
// drops a match: Match gives the same entries, ends and clitics with the
// filter as without it, and as refMatch, on every token of the fixtures,
// for entries made of the fixtures' own words with and without clitics.
func TestIndexFilterDropsNothing(t *testing.T) {
	fixtures := fixtureTokens(t)
	var ix Index[int, int]
	add := func(keys ...string) {
		ix.Add(&Entry[int, int]{Keys: keys, Cat: len(keys)})
	}
	for _, toks := range fixtures {
		for i, tk := range toks {
			if tk.Kind == pipeline.Punct || i%2 == 1 {
				continue
			}
			add(tk.Key)
			rs := []rune(tk.Key)
			if len(rs) > 3 {
				add(string(rs[1:])) // as if a clitic were attached
			}
			// لل read as ل + ال
			if k := strings.TrimLeft(tk.Key, "وف"); strings.HasPrefix(k, "لل") {
				add("ا" + strings.TrimPrefix(k, "ل"))
			}
			if i+1 < len(toks) && i%3 == 0 {
				add(tk.Key, toks[i+1].Key)
			}
		}
	}
	ix.Sort()
	bare := Index[int, int]{byFirst: ix.byFirst} // the zero filter
	found, tried := 0, 0
	for _, toks := range fixtures {
		for i := range toks {
			var got, bareGot, want []hit
			ix.Match(toks, i, func(e *Entry[int, int], end, pre int) { got = append(got, hit{e, end, pre}) })
			bare.Match(toks, i, func(e *Entry[int, int], end, pre int) { bareGot = append(bareGot, hit{e, end, pre}) })
			refMatch(&bare, toks, i, func(e *Entry[int, int], end, pre int) { want = append(want, hit{e, end, pre}) })
			if !slices.Equal(got, want) || !slices.Equal(bareGot, want) {
				t.Fatalf("token %d %q: with the filter %v, without %v, want %v", i, toks[i].Key, got, bareGot, want)
			}
			found += len(got)
			tried++
		}
	}
	if found == 0 || found == tried {
		t.Fatalf("%d matches on %d tokens: the test reads nothing", found, tried)
	}
}

func TestRunesUpTo(t *testing.T) {
	for _, s := range []string{"", "a", "ab", "قتل", "وقتل", "ق😀ل", "\xd9", "\xd9\x84\x84", "ق\xffل\xe2\x82", "€€€€€", "ـقتل"} {
		for max := 0; max <= 5; max++ {
			if got, want := runesUpTo(s, max), min(utf8.RuneCountInString(s), max); got != want {
				t.Errorf("runesUpTo(%q, %d) = %d, want %d", s, max, got, want)
			}
		}
	}
}
