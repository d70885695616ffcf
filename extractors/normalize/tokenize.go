package normalize

import (
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
// output. It lives in scratchPool between calls, so that a document costs
// only the memory it keeps (its tokens, keys and the key maps that are not
// slices of identity). What a document keeps is never pooled.
type scratch struct {
	arena
	toks     []pipeline.Token
	repaired []pipeline.Token
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
	clear(sc.repaired)
	sc.toks, sc.repaired = sc.toks[:0], sc.repaired[:0]
	if cap(sc.toks) > maxPooledTokens || cap(sc.repaired) > maxPooledTokens || cap(sc.maps) > 8*maxPooledTokens {
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
	m0 := len(ar.maps)
	var key []rune
	key, ar.maps = AppendKey(ar.scratch[:0], ar.maps, rs, start, end)
	ar.scratch = key
	sp := tokSpan{k0: len(ar.keys), m0: m0, m1: len(ar.maps)}
	if m := ar.maps[m0:]; len(m) > 0 && m[0]+len(m) <= identityLen && consecutive(m) {
		// the common case: the map is a slice of identity()
		sp.m0, sp.m1, sp.ident = m[0], m[0]+len(m), true
		ar.maps = ar.maps[:m0]
	}
	for _, r := range key {
		ar.keys = utf8.AppendRune(ar.keys, r)
	}
	sp.k1 = len(ar.keys)
	ar.spans = append(ar.spans, sp)
	return append(out, pipeline.Token{
		Start: start, End: end, Kind: kind,
		Joined: joined && len(out) > 0,
	})
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
