package normalize

import (
	"math/bits"
	"sync"
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
	sc := getScratch()
	defer sc.release()
	toks := sc.tokenize(rs, true)
	return exact(toks)
}

// exact returns a copy of toks in a slice of its own, exactly as long: the
// tokens a document keeps are built in scratch memory first, so that the
// slice does not carry the slack of append's growth. It is never nil.
func exact(toks []pipeline.Token) []pipeline.Token {
	out := make([]pipeline.Token, len(toks))
	copy(out, toks)
	return out
}

// identityLen is how many offsets identity holds (512 KiB of ints): keys of
// tokens that start later in a field than this get key maps of their own.
const identityLen = 1 << 16

// identity returns the offsets 0, 1, 2, ... identityLen-1. The key map of a
// token whose every rune gives exactly one key rune (nearly every token:
// no diacritic, tatweel, dot or ligature) is a slice of it, so that such a
// token costs no map of its own. The slice is shared by every document and
// every goroutine and is never written to: nothing writes into a
// Token.KeyMap (stages only read it, and appending to one reallocates, as
// its capacity equals its length).
var identity = sync.OnceValue(func() []int {
	id := make([]int, identityLen)
	for i := range id {
		id[i] = i
	}
	return id
})

// scratch is the working memory of one tokenization: the arena, the tokens
// before they are copied to their exact-size slice, and glued-word repair's
// decisions. It lives in scratchPool between calls, so that a document costs
// only the memory it keeps (its tokens, keys and the key maps that are not
// slices of identity). What a document keeps is never pooled.
type scratch struct {
	arena
	toks []pipeline.Token
	// splits and cuts are glued-word repair's decisions (see repair)
	splits []splitAt
	cuts   []int
}

// scratchPool holds idle scratch; stages run on many goroutines at once.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooledTokens bounds the token buffers kept for reuse (about 20 MB):
// the scratch of a huge document is left to the collector rather than
// pinned in the pool.
const maxPooledTokens = 1 << 18

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// release clears what the scratch still points to (the keys and key maps
// of the last document, which must not be kept alive by the pool) and
// returns it to the pool. Only the part last used needs clearing: each
// reuse clears what it is about to reuse first.
func (sc *scratch) release() {
	clear(sc.toks)
	sc.toks = sc.toks[:0]
	if cap(sc.toks) > maxPooledTokens || cap(sc.maps) > 8*maxPooledTokens || cap(sc.cuts) > maxPooledTokens {
		return
	}
	scratchPool.Put(sc)
}

// tokenize tokenizes rs into sc.toks and returns them. The tokens' keys and
// key maps are their own memory (one string and one []int for all the
// tokens); only the returned slice is scratch. When withMaps is false the
// key maps are left nil (PhraseKeys needs only the keys).
func (sc *scratch) tokenize(rs []rune, withMaps bool) []pipeline.Token {
	sc.arena.reset()
	clear(sc.toks)
	sc.reserve(len(rs))
	sc.toks = tokenizeInto(rs, sc.toks[:0], &sc.arena)
	sc.arena.finish(sc.toks, withMaps)
	return sc.toks
}

// reserve gives a scratch that is new (or was last used on shorter texts)
// room for a text of n runes in one allocation per buffer, rather than a
// series of doublings: the pool is emptied at every other garbage
// collection, so fresh scratch is common. A token takes five runes or more
// on average (a word and a space), its key two bytes a rune at most.
func (sc *scratch) reserve(n int) {
	if t := n/5 + 16; cap(sc.toks) < t {
		sc.toks = make([]pipeline.Token, 0, t)
		sc.spans = make([]tokSpan, 0, t)
	}
	if k := 2*n + 16; cap(sc.keys) < k {
		sc.keys = make([]byte, 0, k)
	}
}

// arena holds the keys and key maps of one field's tokens while they are
// built, so that a token costs no allocation of its own; finish copies
// them into the memory the tokens keep.
type arena struct {
	scratch []rune
	maps    []int
	keys    []byte
	spans   []tokSpan
}

// tokSpan says where a token's key and key map are in the arena.
type tokSpan struct {
	k0, k1 int // the key's bytes in arena.keys
	m0, m1 int // the key map in arena.maps, or in identity() when ident
	ident  bool
}

func (ar *arena) reset() {
	ar.maps, ar.keys, ar.spans = ar.maps[:0], ar.keys[:0], ar.spans[:0]
}

// finish gives each token its key, a substring of one string holding every
// key, and its key map: a slice of identity() or of one exact-size copy of
// the arena's other maps.
func (ar *arena) finish(toks []pipeline.Token, withMaps bool) {
	all := string(ar.keys)
	var maps, ident []int
	if withMaps {
		ident = identity()
		if len(ar.maps) > 0 {
			maps = make([]int, len(ar.maps))
			copy(maps, ar.maps)
		}
	}
	for i := range toks {
		sp := &ar.spans[i]
		toks[i].Key = all[sp.k0:sp.k1]
		switch {
		case !withMaps || sp.m0 == sp.m1:
		case sp.ident:
			toks[i].KeyMap = ident[sp.m0:sp.m1:sp.m1]
		default:
			toks[i].KeyMap = maps[sp.m0:sp.m1:sp.m1]
		}
	}
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
	sp := tokSpan{k0: len(ar.keys)}
	if !ar.fastKey(rs, start, end) {
		ar.slowKey(rs, start, end, &sp)
	} else if end > start {
		// each rune gave one key rune: the map is a slice of identity()
		sp.m0, sp.m1, sp.ident = start, end, true
		if end > identityLen {
			sp.m0, sp.m1, sp.ident = len(ar.maps), len(ar.maps)+end-start, false
			for i := start; i < end; i++ {
				ar.maps = append(ar.maps, i)
			}
		}
	}
	sp.k1 = len(ar.keys)
	ar.spans = append(ar.spans, sp)
	return append(out, pipeline.Token{
		Start: start, End: end, Kind: kind,
		Joined: joined && len(out) > 0,
	})
}

// fastFold holds the key rune of each rune below 0x0650 that folds to
// exactly one rune by itself (see foldRune): ASCII letters and digits, the
// basic Arabic letters; 0 for the others (dropped, expanded, or depending
// on their neighbours, as the dot does).
var fastFold = func() (t [0x0650]rune) {
	for r := rune(0); r < 0x0650; r++ {
		if r == '.' || r >= 0x80 && (r < 0x0621 || r > 0x064A) {
			continue
		}
		if k := foldRune(nil, r); len(k) == 1 && k[0] != 0 {
			t[r] = k[0]
		}
	}
	return t
}()

// fastKey appends to ar.keys the key of rs[start:end] when every rune of it
// has a fastFold (the common case: a word of basic Arabic or ASCII letters,
// or a number of ASCII digits) and reports whether it did; otherwise it
// leaves ar.keys as it was.
func (ar *arena) fastKey(rs []rune, start, end int) bool {
	k0 := len(ar.keys)
	for _, r := range rs[start:end] {
		if r >= rune(len(fastFold)) || fastFold[r] == 0 {
			ar.keys = ar.keys[:k0]
			return false
		}
		f := fastFold[r]
		if f < 0x80 {
			ar.keys = append(ar.keys, byte(f))
		} else {
			ar.keys = append(ar.keys, byte(0xC0|f>>6), byte(0x80|f&0x3F))
		}
	}
	return true
}

// slowKey appends the key and key map of rs[start:end] in the general way
// (AppendKey), and sets sp's map.
func (ar *arena) slowKey(rs []rune, start, end int, sp *tokSpan) {
	m0 := len(ar.maps)
	var key []rune
	key, ar.maps = AppendKey(ar.scratch[:0], ar.maps, rs, start, end)
	ar.scratch = key
	sp.m0, sp.m1 = m0, len(ar.maps)
	if m := ar.maps[m0:]; len(m) > 0 && m[0]+len(m) <= identityLen && consecutive(m) {
		// the map is a slice of identity()
		sp.m0, sp.m1, sp.ident = m[0], m[0]+len(m), true
		ar.maps = ar.maps[:m0]
	}
	for _, r := range key {
		ar.keys = utf8.AppendRune(ar.keys, r)
	}
}

// consecutive reports whether m holds m[0], m[0]+1, m[0]+2, ...
func consecutive(m []int) bool {
	for i, v := range m {
		if v != m[0]+i {
			return false
		}
	}
	return true
}

// Runes returns []rune(s), decoded in one pass with a fast path for one-
// and two-byte sequences (ASCII and Arabic text), into a slice sized by
// counting the bytes that start a sequence eight at a time. Invalid bytes
// become U+FFFD, one per byte, as in the conversion.
func Runes(s string) []rune {
	n := 0
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		// continuation bytes are 10xxxxxx: bit 7 set, bit 6 clear
		n += 8 - bits.OnesCount64(x&^(x<<1)&0x8080808080808080)
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 != 0x80 {
			n++
		}
	}
	out := make([]rune, 0, n)
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			out = append(out, rune(c))
			i++
			continue
		}
		if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			out = append(out, rune(c&0x1F)<<6|rune(s[i+1]&0x3F))
			i += 2
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		out = append(out, r)
		i += size
	}
	return out
}
