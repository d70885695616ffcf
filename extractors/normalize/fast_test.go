package normalize

import (
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/hadath/hadath/pipeline"
)

// TestGluedMemoAgrees checks that the memo of repair decisions changes
// nothing: the tokens of texts repaired with a memo (cold, then warm, then
// with thousands of other keys evicting slots) equal those repaired
// without one.
func TestGluedMemoAgrees(t *testing.T) {
	v := vocab{"حلب": true, "السوري": true, "الجيش": true, "دمشق": true}
	s := New(Options{FunctionWords: []string{"في", "على", "من"}, Vocabulary: v})
	words := []string{"فيحلبفي", "السوريعلى", "الجيشفيدمشق", "منعلىفي", "المدنيين", "عنوان",
		"فيحلبفيحلبفيحلبفيحلبفيحلب", // longer than a memo slot holds
		"فيحلبعلىحلبمنحلبفيحلبعلىحلبمنحلبفيحلب", "Aleppo", "والمدينة"}
	// thousands of distinct long keys, some glued, to make slots collide
	letters := []rune("بتثجحخدذرزسشصضطظعغفقكلمنهوي")
	for i := 0; i < 6000; i++ {
		w := []rune{letters[i%len(letters)], letters[(i/len(letters))%len(letters)], letters[(i/7)%len(letters)], 'ا', 'ت', 'ن'}
		v[Key(string(w))] = true
		switch i % 3 {
		case 0:
			words = append(words, "في"+string(w)+"حلب")
		case 1:
			words = append(words, string(w)+"الجيش")
		default:
			words = append(words, string(w)+string(w))
		}
	}
	text := strings.Join(words, " ")
	want := repairWith(t, s, text, nil)
	m := new(gluedMemo)
	for round := 0; round < 3; round++ {
		if got := repairWith(t, s, text, m); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: tokens with the memo differ from tokens without", round)
		}
	}
	glued := 0
	for _, tk := range want {
		if tk.Glued {
			glued++
		}
	}
	if glued < 4000 {
		t.Fatalf("only %d glued pieces: the test does not exercise repair", glued)
	}
}

func repairWith(t *testing.T, s *Stage, text string, m *gluedMemo) []pipeline.Token {
	t.Helper()
	rs := []rune(text)
	sc := getScratch()
	defer sc.release()
	sc.tokenize(rs, true, s.minGlued)
	return s.repair(sc, m)
}

// TestFastKeyAllRunes checks the tokenizer's fast key path against
// AppendKey for every rune below U+3000 (the fast path covers runes below
// U+0800) and a sample of the others, alone and between letters, digits
// and dots, as the last rune of a token and beyond the identity table.
func TestFastKeyAllRunes(t *testing.T) {
	var ar arena
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r > 0x3000 {
			r += 100
		}
		for _, rs := range [][]rune{{r}, {'ب', r, 'b', r}, {'1', r, '.', '2', r, 'ة'}} {
			ar.reset()
			ar.appendTok(rs, 0, len(rs), pipeline.Word, false)
			ar.finish(true)
			toks := ar.emit(make([]pipeline.Token, 1))
			k, m := AppendKey(nil, nil, rs, 0, len(rs))
			if toks[0].Key != string(k) || !slices.Equal(toks[0].KeyMap, m) && len(m) > 0 {
				t.Fatalf("%U in %q: key %q map %v, want %q %v", r, string(rs), toks[0].Key, toks[0].KeyMap, string(k), m)
			}
		}
	}
	// a token past the identity table gets a map of its own, with the same
	// offsets
	rs := make([]rune, identityMin+3)
	for i := range rs {
		rs[i] = 'ب'
	}
	ar.reset()
	ar.idTab = identity()[:identityMin]
	ar.appendTok(rs, identityMin-1, identityMin+3, pipeline.Word, false)
	ar.finish(true)
	toks := ar.emit(make([]pipeline.Token, 1))
	if _, m := AppendKey(nil, nil, rs, identityMin-1, identityMin+3); !slices.Equal(toks[0].KeyMap, m) {
		t.Fatalf("map past the identity table %v, want %v", toks[0].KeyMap, m)
	}
	if &toks[0].KeyMap[0] == &identity()[identityMin-1] {
		t.Fatal("a map past the identity table is a slice of it")
	}
}

// TestRunes compares Runes with the conversion on valid and invalid UTF-8.
func TestRunes(t *testing.T) {
	for _, s := range []string{"", "a", "حلب", "ab\x80cd", "\xff\xfe", "日本語 text مرحبا 🙂",
		"\xc2", "\xc0\x80", "\xed\xa0\x80x", "\xe2\x82", strings.Repeat("بـ٦ a\x00\x80", 9)} {
		if got, want := Runes(s), []rune(s); !slices.Equal(got, want) || len(got) != cap(got) && utf8.ValidString(s) {
			t.Errorf("Runes(%q) = %q (cap %d), want %q", s, string(got), cap(got), string(want))
		}
	}
}

func FuzzRunes(f *testing.F) {
	f.Add("حلب \xff a")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Runes(s), []rune(s); !slices.Equal(got, want) {
			t.Fatalf("Runes(%q) = %q, want %q", s, string(got), string(want))
		}
	})
}

// mayBeGluedRef is mayBeGlued as first written: every function word tried
// as prefix and suffix, and the first and last article.
func mayBeGluedRef(s *Stage, key string) bool {
	for _, fw := range s.fnList {
		if strings.HasPrefix(key, fw) || strings.HasSuffix(key, fw) {
			return true
		}
	}
	if i := strings.Index(key, "ال"); i >= 0 && utf8.RuneCountInString(key[:i]) >= 3 {
		return true
	}
	if i := strings.LastIndex(key, "ال"); i >= 0 && utf8.RuneCountInString(key[:i]) >= 3 {
		return true
	}
	return false
}

// TestMayBeGluedAgrees checks the bit-filtered mayBeGlued against the
// reference on every key of one to five letters over a small alphabet that
// holds the function words' letters, the article and others, with Arabic
// function words (two bytes and longer, و included; four bytes and longer;
// three; six), and with a one-byte function word (which turns the filter
// off).
func TestMayBeGluedAgrees(t *testing.T) {
	letters := []string{"ف", "ي", "ع", "ل", "ا", "م", "ن", "ب", "ح", "a"}
	for _, fws := range [][]string{{"في", "على", "من", "إلى", "و"}, {"في", "a"},
		{"في", "على", "من", "إلى", "الى", "عن", "مع"}, {"في", "عن", "aي"}, {"على", "الي"}} {
		s := New(Options{FunctionWords: fws, Vocabulary: vocab{}})
		if (s.heads == nil) != (fws[1] == "a") || s.heads != nil && len(s.widths) == 0 {
			t.Fatalf("%q: filter on = %v", fws, s.heads != nil)
		}
		var keys []string
		var gen func(prefix string, n int)
		gen = func(prefix string, n int) {
			if n == 0 {
				keys = append(keys, prefix)
				return
			}
			for _, l := range letters {
				gen(prefix+l, n-1)
			}
		}
		for n := 1; n <= 5; n++ {
			gen("", n)
		}
		yes := 0
		for _, k := range keys {
			got, want := s.mayBeGlued(k), mayBeGluedRef(s, k)
			if got != want {
				t.Fatalf("%q: mayBeGlued(%q) = %v, want %v", fws, k, got, want)
			}
			if got {
				yes++
			}
		}
		if yes == 0 || yes == len(keys) {
			t.Fatalf("%q: %d of %d keys may be glued: the test is degenerate", fws, yes, len(keys))
		}
	}
}

// TestTokenizeFusedKeys checks the keys that the tokenizer builds while it
// scans a word (see wordFold) against AppendKey, for every rune below
// U+3000 and a sample of the others, inside, before and after words.
func TestTokenizeFusedKeys(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if r > 0x3000 {
			r += 100
		}
		for _, rs := range [][]rune{{'ب', r, 'b', r, 'ة'}, {r, 'ح', 'ل', 'ب', ' ', 'a', r}, {'U', '.', r, 'S', '.', ' ', r, r}} {
			for _, tk := range Tokenize(rs) {
				k, m := AppendKey(nil, nil, rs, tk.Start, tk.End)
				if tk.Key != string(k) || !slices.Equal(tk.KeyMap, m) && len(m) > 0 {
					t.Fatalf("%U in %q: token [%d,%d) key %q map %v, want %q %v", r, string(rs), tk.Start, tk.End, tk.Key, tk.KeyMap, string(k), m)
				}
			}
		}
	}
}

// TestGluedPoolKeeps checks that the free list of memos hands back the
// memos put into it (a warm memo survives collections) and keeps at most
// maxIdleMemos.
func TestGluedPoolKeeps(t *testing.T) {
	var gp gluedPool
	ms := make([]*gluedMemo, maxIdleMemos+2)
	for i := range ms {
		ms[i] = gp.get()
	}
	for _, m := range ms {
		gp.put(m)
	}
	if len(gp.idle) != maxIdleMemos {
		t.Fatalf("%d idle memos, want %d", len(gp.idle), maxIdleMemos)
	}
	runtime.GC()
	runtime.GC()
	if m := gp.get(); m != ms[maxIdleMemos-1] {
		t.Fatal("the last memo put was not handed back after two collections")
	}
}
