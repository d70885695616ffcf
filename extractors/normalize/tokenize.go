package normalize

import (
	"unicode"

	"github.com/hadath/hadath/pipeline"
)

func isWordRune(r rune) bool {
	if r == Tatweel {
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
			out = appendTok(out, rs, i, j, pipeline.Word, joined)
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
			out = appendTok(out, rs, i, j, pipeline.Number, joined)
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
			out = appendTok(out, rs, i, i+1, pipeline.Punct, false)
			i++
			joined = false
		}
	}
	return out
}

func appendTok(out []pipeline.Token, rs []rune, start, end int, kind pipeline.TokenKind, joined bool) []pipeline.Token {
	key, m := AppendKey(make([]rune, 0, end-start), make([]int, 0, end-start), rs, start, end)
	if kind == pipeline.Word && len(key) == 0 {
		// only marks: keep the token so offsets stay covered, key empty
		m = nil
	}
	return append(out, pipeline.Token{
		Start: start, End: end, Kind: kind, Key: string(key), KeyMap: m,
		Joined: joined && len(out) > 0,
	})
}
