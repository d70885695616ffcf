package normalize

import (
	"unicode/utf8"

	"github.com/hadath/hadath/pipeline"
)

// tokenizeText is Runes(s) followed by tokenize of the runes (with their
// maps), fused into one pass over the text for the common case: a word
// whose every rune has a wordKeys entry (basic Arabic and ASCII letters),
// in one- or two-byte UTF-8, followed by an ASCII space, is decoded, keyed
// and described while its bytes are read, and so is the space. At any
// other token the text is decoded up to the next space and two runes more,
// and tokenizeRange takes the tokens that start up to that space, as it
// would on the whole text: every token ends at a space at the latest, and
// looks at most two runes past its end. It returns the runes, which equal
// Runes(s); the tokens equal those of tokenize(Runes(s), true, long).
func (sc *scratch) tokenizeText(s string, long int) []rune {
	n := leadBytes(s)
	rs := pipeline.MakeRunes(n)
	sc.arena.reset()
	sc.reserve(n)
	sc.minLong = long
	rs = tokenizeText(s, rs, &sc.arena)
	sc.arena.finish(true)
	return rs
}

// decodeRune is utf8.DecodeRuneInString(s[i:]), i < len(s), with the one-
// and two-byte sequences decoded inline.
func decodeRune(s string, i int) (rune, int) {
	c := s[i]
	if c < utf8.RuneSelf {
		return rune(c), 1
	}
	if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s[i:])
}

// tokenizeText appends the runes of s to rs (empty) and their tokens to ar
// (see scratch.tokenizeText), and returns rs.
func tokenizeText(s string, rs []rune, ar *arena) []rune {
	joined := false
	keys, spans, long, minLong := ar.keys, ar.spans, ar.long, ar.minLong
	idLen := len(ar.idTab)
	for b := 0; b < len(s); {
		if s[b] == ' ' {
			rs = append(rs, ' ')
			b++
			continue
		}
		// a word of wordKeys runes, keyed into keys' spare capacity (two
		// bytes a rune at most, as in tokenizeRange), up to the first rune
		// that has no entry, which is not decoded yet
		i := len(rs)
		k0 := len(keys)
		buf := keys[:cap(keys)]
		p := k0
		room := (len(buf) - k0) / 2
		bj := b
		for bj < len(s) && len(rs)-i < room {
			c := uint32(s[bj])
			w := 1
			if c >= utf8.RuneSelf {
				if c < 0xC2 || c >= 0xE0 || bj+1 >= len(s) || s[bj+1]&0xC0 != 0x80 {
					break
				}
				c = (c&0x1F)<<6 | uint32(s[bj+1]&0x3F)
				w = 2
			}
			e := wordKeys[c&(fastLen-1)]
			if e == 0 {
				break
			}
			b2 := buf[p : p+2 : p+2]
			b2[0], b2[1] = byte(e), byte(e>>8)
			p += int(e >> 16)
			rs = append(rs, rune(c))
			bj += w
		}
		j := len(rs)
		if j > i && bj < len(s) && s[bj] == ' ' && j <= idLen {
			// the word ends at a space: what tokenizeRange does on its
			// fast path, and the space
			keys = buf[:p]
			spans = append(spans, tokSpan{start: i, end: j, k0: k0, k1: p, m0: i, m1: j,
				kind: pipeline.Word, joined: joined && len(spans) > 0, ident: true})
			if minLong > 0 && j-i >= minLong {
				long = append(long, len(spans)-1)
			}
			joined = true
			rs = append(rs, ' ')
			b = bj + 1
			continue
		}
		// any other token: the runes up to the next space and two more,
		// then the tokens that start up to that space, from i
		stop, bStop := -1, len(s)
		for bj < len(s) {
			r, size := decodeRune(s, bj)
			rs = append(rs, r)
			bj += size
			if r == ' ' && stop < 0 {
				stop, bStop = len(rs), bj
			} else if stop >= 0 && len(rs) >= stop+2 {
				break
			}
		}
		if stop < 0 {
			stop = len(rs)
		}
		ar.keys, ar.spans, ar.long = keys, spans, long
		next, jn := tokenizeRange(rs, i, stop, joined, ar)
		keys, spans, long = ar.keys, ar.spans, ar.long
		joined = jn
		if next != stop {
			// a token that went past the space (none does): the rest of
			// the text the general way
			for bj < len(s) {
				r, size := decodeRune(s, bj)
				rs = append(rs, r)
				bj += size
			}
			tokenizeRange(rs, next, len(rs), joined, ar)
			return rs
		}
		// the runes decoded past the space are decoded again
		rs = rs[:stop]
		b = bStop
	}
	ar.keys, ar.spans, ar.long = keys, spans, long
	return rs
}
