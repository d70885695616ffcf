package normalize

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hadath/hadath/pipeline"
)

// Name is the stage name of the tokenizer in config.yaml.
const Name = "normalize"

// isInvisible reports marks that carry no letter: bidi controls, joiners, BOM.
func isInvisible(r rune) bool {
	switch r {
	case 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, 0x2060, 0x00AD,
		0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069:
		return true
	}
	return false
}

// IsArabicDiacritic reports harakat, tanween, shadda, sukun, dagger alef and
// the small high/low marks that news text sometimes carries.
func IsArabicDiacritic(r rune) bool {
	return (r >= 0x064B && r <= 0x065F) || r == 0x0670 || (r >= 0x06D6 && r <= 0x06ED && r != 0x06E5 && r != 0x06E6)
}

// Tatweel is the Arabic elongation mark.
const Tatweel = 0x0640

// DigitValue returns the value of any Unicode decimal digit (category Nd).
func DigitValue(r rune) (int, bool) {
	if r < 0x80 {
		if r >= '0' && r <= '9' {
			return int(r - '0'), true
		}
		return 0, false
	}
	if r >= 0x0621 && r <= 0x064A { // Arabic letters: the common case
		return 0, false
	}
	if r >= 0x0660 && r <= 0x0669 {
		return int(r - 0x0660), true
	}
	if r >= 0x06F0 && r <= 0x06F9 {
		return int(r - 0x06F0), true
	}
	// the next decimal digits are NKo's, at U+07C0 (TestDigitValueAllRunes)
	if r < 0x07C0 || !unicode.Is(unicode.Nd, r) {
		return 0, false
	}
	for _, rg := range unicode.Nd.R16 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	for _, rg := range unicode.Nd.R32 {
		if r >= rune(rg.Lo) && r <= rune(rg.Hi) {
			return int(r-rune(rg.Lo)) % 10, true
		}
	}
	return 0, false
}

// foldRune appends the key form of r to dst. It returns the new dst.
func foldRune(dst []rune, r rune) []rune {
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
	// Arabic letters in the basic block need nothing more.
	if r >= 0x0621 && r <= 0x064A {
		return append(dst, r)
	}
	// Presentation forms, ligatures, full-width and accented Latin: NFKD
	// then drop combining marks, then re-fold each resulting rune.
	if (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF) || r >= 0x00C0 {
		if r >= presentationLo && r <= presentationHi {
			if k := presentationKeys()[r-presentationLo]; k != nil {
				return append(dst, k...)
			}
		} else if hasDecomposition(r) {
			if out, ok := foldDecomposed(dst, r); ok {
				return out
			}
		}
	}
	return append(dst, unicode.ToLower(r))
}

// foldDecomposed appends the folded runes of r's NFKD decomposition, less
// its combining marks, and reports whether r has one; when it has not, dst
// is returned unchanged. It allocates: foldRune calls it only for runes
// that hasDecomposition picks and that are not presentation forms.
func foldDecomposed(dst []rune, r rune) ([]rune, bool) {
	var buf [utf8.UTFMax * 4]byte
	n := utf8.EncodeRune(buf[:], r)
	d := norm.NFKD.String(string(buf[:n]))
	if d == string(buf[:n]) {
		return dst, false
	}
	for _, x := range d {
		if unicode.Is(unicode.Mn, x) {
			continue
		}
		dst = foldSimple(dst, x)
	}
	return dst, true
}

// hasDecomposition reports whether r may be changed by NFKD, without
// allocating: it is true for every rune that has a decomposition (the
// Hangul syllables, decomposed by rule rather than by table, included),
// so that the common rune that has none ('،', '؟', '“', a diacritic) skips
// the allocating foldDecomposed. TestFoldRuneAllRunes checks it against
// NFKD for every rune.
func hasDecomposition(r rune) bool {
	if r >= 0xAC00 && r <= 0xD7A3 {
		return true
	}
	var buf [utf8.UTFMax]byte
	n := utf8.EncodeRune(buf[:], r)
	return norm.NFKD.Properties(buf[:n]).Decomposition() != nil
}

// presentationLo and presentationHi bound the Arabic presentation forms
// (and the small blocks between them) whose keys presentationKeys holds.
const presentationLo, presentationHi = 0xFB50, 0xFEFF

// presentationKeys returns, for each rune from presentationLo to
// presentationHi, its folded decomposition (possibly empty), or nil when
// it has none. Scraped Arabic text carries presentation forms often
// enough (ﺍ ﻟ ﻣ ...) to make them worth a table: computed once, by
// foldDecomposed itself (whose output holds no presentation form, as
// foldSimple drops them), and shared read-only.
func presentationKeys() [][]rune {
	presentation.once.Do(func() {
		t := make([][]rune, presentationHi-presentationLo+1)
		for i := range t {
			if k, ok := foldDecomposed([]rune{}, rune(presentationLo+i)); ok {
				t[i] = k
			}
		}
		presentation.keys = t
	})
	return presentation.keys
}

var presentation struct {
	once sync.Once
	keys [][]rune
}

// foldSimple folds a rune that is already decomposed.
func foldSimple(dst []rune, r rune) []rune {
	if r >= 0xFB50 || r >= 0x00C0 && unicode.Is(unicode.Mn, r) {
		return dst
	}
	if r == 0x0654 || r == 0x0655 || IsArabicDiacritic(r) {
		return dst
	}
	return foldRune(dst, r)
}

// AppendKey appends the key of src[start:end] to key and the original offset
// of each produced rune to m, and returns both. Dots are dropped from keys
// (so that "U.S." and "US" agree) unless they sit between digits.
func AppendKey(key []rune, m []int, src []rune, start, end int) ([]rune, []int) {
	for i := start; i < end; i++ {
		r := src[i]
		if r == '.' {
			if i > start && i+1 < end && isDigitRune(src[i-1]) && isDigitRune(src[i+1]) {
				key = append(key, '.')
				m = append(m, i)
			}
			continue
		}
		n := len(key)
		key = foldRune(key, r)
		for j := n; j < len(key); j++ {
			m = append(m, i)
		}
	}
	return key, m
}

func isDigitRune(r rune) bool {
	_, ok := DigitValue(r)
	return ok
}

// Key returns the match key of s. It is what gazetteer names and rule words
// are compiled to, and what Token.Key holds for a single token.
func Key(s string) string {
	rs := []rune(s)
	k, _ := AppendKey(nil, nil, rs, 0, len(rs))
	return string(k)
}

// PhraseKeys splits s into tokens like the tokenizer does and returns the key
// of each word or number token; punctuation is dropped.
func PhraseKeys(s string) []string {
	rs := []rune(s)
	sc := getScratch()
	defer sc.release()
	sc.tokenize(rs, false, 0)
	out := make([]string, 0, len(sc.spans))
	for i := range sc.spans {
		sp := &sc.spans[i]
		if sp.kind == pipeline.Punct {
			continue
		}
		out = append(out, sc.all[sp.k0:sp.k1])
	}
	return out
}

// HasArabic reports whether s holds an Arabic letter.
func HasArabic(s string) bool {
	for _, r := range s {
		if IsArabicLetter(r) {
			return true
		}
	}
	return false
}

// IsArabicLetter reports letters of the Arabic script.
func IsArabicLetter(r rune) bool {
	if r >= 0x0621 && r <= 0x064A {
		return r != Tatweel
	}
	if r < 0x0600 {
		return false
	}
	return unicode.Is(unicode.Arabic, r) && unicode.IsLetter(r) && r != Tatweel
}

// IsUpperAcronym reports whether every letter of s is upper case and there
// is at least one: "UN", "U.S.", "ICRC".
func IsUpperAcronym(s string) bool {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			n++
		}
	}
	return n > 0 && !strings.ContainsFunc(s, IsArabicLetter)
}
