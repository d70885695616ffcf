package normalize

import (
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hadath/hadath/pipeline"
)

// refFoldRune is foldRune as it was before the presentation-form table and
// the allocation-free decomposition test: every rune from U+00C0 on went
// through norm.NFKD.String.
func refFoldRune(dst []rune, r rune) []rune {
	switch {
	case r < 0x80:
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, r)
	case isInvisible(r), r == Tatweel, IsArabicDiacritic(r):
		return dst
	}
	switch r {
	case 'أ', 'إ', 'آ', 'ٱ', 0x0672, 0x0673:
		return append(dst, 'ا')
	case 'ى', 'ی', 0x06D2:
		return append(dst, 'ي')
	case 'ة', 0x06C0:
		return append(dst, 'ه')
	case 'ک':
		return append(dst, 'ك')
	case '٫':
		return append(dst, '.')
	case '٬':
		return append(dst, ',')
	case '’', '‘', 'ʼ', '`', '´':
		return append(dst, '\'')
	case '‐', '‑', '‒', '–', '—', '−':
		return append(dst, '-')
	}
	if d, ok := DigitValue(r); ok {
		return append(dst, rune('0'+d))
	}
	if r >= 0x0621 && r <= 0x064A {
		return append(dst, r)
	}
	if (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF) || r >= 0x00C0 {
		var buf [utf8.UTFMax * 4]byte
		n := utf8.EncodeRune(buf[:], r)
		d := norm.NFKD.String(string(buf[:n]))
		if d != string(buf[:n]) {
			for _, x := range d {
				if unicode.Is(unicode.Mn, x) {
					continue
				}
				dst = refFoldSimple(dst, x)
			}
			return dst
		}
	}
	return append(dst, unicode.ToLower(r))
}

func refFoldSimple(dst []rune, r rune) []rune {
	if r >= 0xFB50 || r >= 0x00C0 && unicode.Is(unicode.Mn, r) {
		return dst
	}
	if r == 0x0654 || r == 0x0655 || IsArabicDiacritic(r) {
		return dst
	}
	return refFoldRune(dst, r)
}

// TestFoldRuneAllRunes checks foldRune against the reference for every
// code point, and that hasDecomposition misses no rune that NFKD changes.
func TestFoldRuneAllRunes(t *testing.T) {
	if testing.Short() {
		t.Skip("every code point")
	}
	bad := 0
	for r := rune(0); r <= unicode.MaxRune && bad < 20; r++ {
		got, want := foldRune(nil, r), refFoldRune(nil, r)
		if !slices.Equal(got, want) {
			t.Errorf("foldRune(%U) = %q, want %q", r, string(got), string(want))
			bad++
		}
		if r >= 0xC0 {
			s := string(r)
			if norm.NFKD.String(s) != s && !hasDecomposition(r) {
				t.Errorf("hasDecomposition(%U) = false, but NFKD changes it", r)
				bad++
			}
		}
	}
}

// TestKeyMapsShareIdentity checks that key maps are right whether they are
// slices of the identity table or of their own array, in a field longer
// than the first table (which grows to cover it) and with the table held
// to its first length (so that the tokens past it get maps of their own),
// and that the table is left as it was.
func TestKeyMapsShareIdentity(t *testing.T) {
	text := "مُحَمَّد في حلب ﻻ U.S. 6٫2 ـحلب " + strings.Repeat("x", identityMin) + " حلب مُحَمَّد ـحلب"
	rs := []rune(text)
	for _, limit := range []int{identityMax, identityMin} {
		identityLimit = limit
		toks := Tokenize(rs)
		identityLimit = identityMax
		shared := 0
		for _, tk := range toks {
			// the reference: the key map AppendKey gives for the token alone
			key, m := AppendKey(nil, nil, rs, tk.Start, tk.End)
			if string(key) != tk.Key || !slices.Equal(m, tk.KeyMap) || len(tk.KeyMap) != cap(tk.KeyMap) {
				t.Errorf("limit %d: token [%d,%d): key %q map %v (cap %d), want %q %v", limit, tk.Start, tk.End, tk.Key, tk.KeyMap, cap(tk.KeyMap), string(key), m)
			}
			if tk.Start > identityMin && len(tk.KeyMap) > 0 && &tk.KeyMap[0] == &identity()[tk.KeyMap[0]] {
				shared++
			}
		}
		// past the first table, "حلب" and "ـحلب" (whose key skips the
		// tatweel: its offsets follow each other) have identity maps when
		// the table covers them, and maps of their own when not;
		// "مُحَمَّد" (diacritics) has its own in both
		if want := map[bool]int{true: 2, false: 0}[limit == identityMax]; shared != want {
			t.Errorf("limit %d: %d tokens past %d share the identity table, want %d", limit, shared, identityMin, want)
		}
	}
	for i, v := range identity() {
		if v != i {
			t.Fatalf("identity()[%d] = %d", i, v)
		}
	}
}

// TestProcessAllocs checks that tokenizing a field allocates only what the
// document keeps: the runes, the tokens, the keys and (here, for the
// diacritics) one key-map array.
func TestProcessAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts under the race detector")
	}
	s := New(Options{FunctionWords: []string{"في", "على", "من"}, Vocabulary: vocab{"حلب": true}})
	text := strings.Repeat("قالت مصادر، إن مُحَمَّد وصل فيحلبفي «اليوم» ﺍﻟﻴﻮﻡ؟ U.S. forces 80,000. ", 50)
	doc := &pipeline.Document{Fields: []*pipeline.Field{{Name: "text", Text: text}}}
	if err := s.Process(doc); err != nil { // warm the pool and tables
		t.Fatal(err)
	}
	n := testing.AllocsPerRun(20, func() {
		doc.Fields[0].Runes = nil
		if err := s.Process(doc); err != nil {
			t.Fatal(err)
		}
	})
	t.Logf("%v allocations per field", n)
	// runes, tokens, key string and key maps
	if n > 4 {
		t.Errorf("Process: %v allocations per field, want at most 4", n)
	}
}
