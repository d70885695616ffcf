package normalize

import (
	"unicode"
	"unicode/utf8"

	"github.com/hadath/hadath/pipeline"
)

func isWordRune(r rune) bool {
	switch {
	case r >= 0x0621 && r <= 0x064A, r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		return true
	case r < 0x80:
		return false
	case r == Tatweel:
		return true
	}
	if _, ok := DigitValue(r); ok {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsMark(r)
}

func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '‘'
}

func isHyphen(r rune) bool {
	switch r {
	case '-', '‐', '‑', '‒', '–', '—', '−':
		return true
	}
	return false
}

func isLatin(r rune) bool { return r < 0x0250 && unicode.IsLetter(r) }

// Tokenize splits rs into word, number and punctuation tokens, with keys and
// offsets. Sentence indexes are left at zero.
func Tokenize(rs []rune) []pipeline.Token {
	return tokenize(rs, nil)
}

func tokenize(rs []rune, out []pipeline.Token) []pipeline.Token {
	a := &arena{maps: make([]int, 0, len(rs)+16), keys: make([]byte, 0, 2*len(rs)+16)}
	first := len(out)
	out = tokenizeInto(rs, out, a)
	// one string holds every key; each token's key is a slice of it
	all := string(a.keys)
	for i := first; i < len(out); i++ {
		r := a.spans[i-first]
		out[i].Key = all[r[0]:r[1]]
	}
	return out
}

// arena holds the keys and key maps of one field's tokens, so that a token
// costs no allocation of its own.
type arena struct {
	scratch []rune
	maps    []int
	keys    []byte
	spans   [][2]int
}

func tokenizeInto(rs []rune, out []pipeline.Token, ar *arena) []pipeline.Token {
	n := len(rs)
	joined := false
	for i := 0; i < n; {
		r := rs[i]
		switch {
		case isWordRune(r) || (isInvisible(r) && i+1 < n && isWordRune(rs[i+1]) && i > 0 && isWordRune(rs[i-1])):
			j := i + 1
			segLen := 1
			hasDot := false
			for j < n {
				c := rs[j]
				if isWordRune(c) {
					j++
					segLen++
					continue
				}
				if isInvisible(c) && j+1 < n && isWordRune(rs[j+1]) {
					j++
					continue
				}
				if isApostrophe(c) && j+1 < n && isLatin(rs[j-1]) && isLatin(rs[j+1]) {
					// possessive 's ends the word: Syria's -> Syria
					if (rs[j+1] == 's' || rs[j+1] == 'S') && (j+2 >= n || !isWordRune(rs[j+2])) {
						break
					}
					j++
					continue
				}
				if c == '.' && isLatin(rs[j-1]) && segLen == 1 {
					if j+1 < n && isLatin(rs[j+1]) && (j+2 >= n || !isWordRune(rs[j+2])) {
						// U.S -> keep going
						hasDot = true
						segLen = 0
						j++
						continue
					}
					if hasDot {
						j++ // trailing dot of U.S.
					}
				}
				break
			}
			out = ar.appendTok(out, rs, i, j, pipeline.Word, joined)
			// possessive 's is skipped without breaking the phrase
			if j+1 < n && isApostrophe(rs[j]) && (rs[j+1] == 's' || rs[j+1] == 'S') && (j+2 >= n || !isWordRune(rs[j+2])) {
				j += 2
			}
			i = j
			joined = true
		case isDigitRune(r):
			j := i + 1
			for j < n {
				c := rs[j]
				if isDigitRune(c) {
					j++
					continue
				}
				if (c == ',' || c == '.' || c == '٫' || c == '٬') && j+1 < n && isDigitRune(rs[j+1]) {
					j++
					continue
				}
				break
			}
			out = ar.appendTok(out, rs, i, j, pipeline.Number, joined)
			i = j
			joined = true
		case r == '\n' || r == '\r' || r == 0x2029 || r == 0x2028:
			joined = false
			i++
		case unicode.IsSpace(r) || isInvisible(r) || r == 0:
			i++
		case isHyphen(r) || isApostrophe(r):
			i++
		default:
			out = ar.appendTok(out, rs, i, i+1, pipeline.Punct, false)
			i++
			joined = false
		}
	}
	return out
}

func (ar *arena) appendTok(out []pipeline.Token, rs []rune, start, end int, kind pipeline.TokenKind, joined bool) []pipeline.Token {
	m0 := len(ar.maps)
	var key []rune
	key, ar.maps = AppendKey(ar.scratch[:0], ar.maps, rs, start, end)
	ar.scratch = key
	var m []int
	if len(key) > 0 {
		m = ar.maps[m0:len(ar.maps):len(ar.maps)]
	}
	k0 := len(ar.keys)
	for _, r := range key {
		ar.keys = utf8.AppendRune(ar.keys, r)
	}
	ar.spans = append(ar.spans, [2]int{k0, len(ar.keys)})
	return append(out, pipeline.Token{
		Start: start, End: end, Kind: kind, KeyMap: m,
		Joined: joined && len(out) > 0,
	})
}
