package normalize

import (
	"math/bits"
	"strings"
	"sync"
	"sync/atomic"
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
	case r < fastLen:
		return wordRunes[r/64]&(1<<(r%64)) != 0
	}
	return isWordRuneSlow(r)
}

// isWordRuneSlow is isWordRune without the table for the runes below
// fastLen, from which the table is made.
func isWordRuneSlow(r rune) bool {
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
	sc.tokenize(rs, true, 0)
	return sc.emit(make([]pipeline.Token, len(sc.spans)))
}

// identityMin is the length of the first identity table (512 KiB of
// ints), and identityMax the most it grows to (32 MiB): the keys of tokens
// that start later in a field than the table reaches get key maps of their
// own.
const (
	identityMin = 1 << 16
	identityMax = 1 << 22
)

// identityLimit is identityMax but in tests of the tokens beyond the
// identity table.
var identityLimit = identityMax

var (
	identityMu  sync.Mutex
	identityTab atomic.Pointer[[]int]
)

// identityFor returns the offsets 0, 1, 2, ... at least up to n-1 (up to
// identityMax-1). The key map of a token whose every rune gives exactly one
// key rune (nearly every token: no diacritic, tatweel, dot or ligature) is
// a slice of it, so that such a token costs no map of its own. The table is
// shared by every document and every goroutine and is never written to:
// nothing writes into a Token.KeyMap (stages only read it, and appending to
// one reallocates, as its capacity equals its length). It grows, by
// powers of two, to the longest field tokenized, so that a long field's
// tokens take the fast paths to its end (a 400 KB field has 200 k runes);
// a table that is replaced stays alive as long as tokens hold slices of it.
func identityFor(n int) []int {
	if p := identityTab.Load(); p != nil && (len(*p) >= n || len(*p) == identityMax) {
		return *p
	}
	identityMu.Lock()
	defer identityMu.Unlock()
	if p := identityTab.Load(); p != nil && (len(*p) >= n || len(*p) == identityMax) {
		return *p
	}
	size := identityMin
	for size < n && size < identityMax {
		size *= 2
	}
	id := make([]int, size)
	for i := range id {
		id[i] = i
	}
	identityTab.Store(&id)
	return id
}

// identity returns the identity table as it is now (identityFor).
func identity() []int { return identityFor(0) }

// scratch is the working memory of one tokenization: the arena, which
// describes the tokens until they are written to their exact-size slice,
// and glued-word repair's decisions. It lives in scratchPool between calls, so that a document costs
// only the memory it keeps (its tokens, keys and the key maps that are not
// slices of identity). What a document keeps is never pooled, but for
// the key chunk the last keys were cut from (see keysString), which the
// scratch keeps to cut the next ones from.
type scratch struct {
	arena
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

// release drops what the scratch still points to (the keys and key maps
// of the last document, which must not be kept alive by the pool) and
// returns it to the pool. The spans hold no pointers.
func (sc *scratch) release() {
	sc.all, sc.ownMaps, sc.ident = "", nil, nil
	if cap(sc.spans) > maxPooledTokens || cap(sc.long) > maxPooledTokens || cap(sc.maps) > 8*maxPooledTokens || cap(sc.cuts) > maxPooledTokens {
		return
	}
	scratchPool.Put(sc)
}

// tokenize tokenizes rs into sc.spans, one per token. The tokens' keys and
// key maps are made their own memory (one string and one []int for all
// the tokens) by finish; emit or token then writes the tokens. When
// withMaps is false the key maps are left nil (PhraseKeys needs only the
// keys). When long is above zero, sc.long lists the word tokens whose keys
// have at least long runes (the tokens that glued-word repair considers).
func (sc *scratch) tokenize(rs []rune, withMaps bool, long int) {
	sc.arena.reset()
	sc.reserve(len(rs))
	sc.minLong = long
	tokenizeInto(rs, &sc.arena)
	sc.arena.finish(withMaps)
}

// reserve gives a scratch that is new (or was last used on shorter texts)
// room for a text of n runes in one allocation per buffer, rather than a
// series of doublings: the pool is emptied at every other garbage
// collection, so fresh scratch is common. A token takes five runes or more
// on average (a word and a space), its key two bytes a rune at most.
func (sc *scratch) reserve(n int) {
	sc.idTab = identityFor(n)
	if len(sc.idTab) > identityLimit {
		sc.idTab = sc.idTab[:identityLimit]
	}
	if t := n/5 + 16; cap(sc.spans) < t {
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
	// long lists the indexes of the word spans whose keys have at least
	// minLong runes, when minLong is above zero
	long    []int
	minLong int
	// set by finish: every key, the key maps that are not slices of
	// identity, and identity itself (nil without maps)
	all     string
	ownMaps []int
	ident   []int
	// chunk is the block that finish cuts the strings of keys from
	chunk strings.Builder
	// idTab is the identity table of the field being tokenized, set by
	// reserve (identityFor of its length): a token whose runes all lie
	// within it and each give one key rune has a slice of it for its map
	idTab []int
}

// keyChunk is the size of the blocks that the keys of fields are cut
// from, so that a field's keys cost a copy rather than an allocation of
// their own; keys longer than a quarter of it get their own string.
const keyChunk = 64 << 10

// tokSpan is a token while it is built: its offsets and kind, and where
// its key and key map are in the arena. It holds no pointer, so that the
// arena's spans need no clearing.
type tokSpan struct {
	start, end int
	k0, k1     int // the key's bytes in arena.keys
	m0, m1     int // the key map in arena.maps, or in identity() when ident
	kind       pipeline.TokenKind
	joined     bool
	ident      bool
}

func (ar *arena) reset() {
	ar.maps, ar.keys, ar.spans, ar.long = ar.maps[:0], ar.keys[:0], ar.spans[:0], ar.long[:0]
}

// finish makes the memory the tokens keep: one string holding every key,
// of which each token's key is a substring, and one exact-size copy of the
// key maps that are not slices of identity().
func (ar *arena) finish(withMaps bool) {
	ar.all = ar.keysString()
	ar.ownMaps, ar.ident = nil, nil
	if withMaps {
		ar.ident = ar.idTab
		if ar.ident == nil {
			ar.ident = identity()
		}
		if len(ar.maps) > 0 {
			ar.ownMaps = make([]int, len(ar.maps))
			copy(ar.ownMaps, ar.maps)
		}
	}
}

// keysString returns a string of ar.keys: a new one for long keys, else
// the next bytes of ar.chunk, which a strings.Builder only appends to, so
// that the strings cut from it before stay as they are. A chunk lives as
// long as any key of it.
func (ar *arena) keysString() string {
	n := len(ar.keys)
	if n == 0 || n > keyChunk/4 {
		return string(ar.keys)
	}
	if ar.chunk.Cap()-ar.chunk.Len() < n {
		ar.chunk = strings.Builder{}
		ar.chunk.Grow(keyChunk)
	}
	start := ar.chunk.Len()
	ar.chunk.Write(ar.keys)
	return ar.chunk.String()[start:]
}

// token returns the token of sp, after finish.
func (ar *arena) token(sp *tokSpan) pipeline.Token {
	t := pipeline.Token{Start: sp.start, End: sp.end, Key: ar.all[sp.k0:sp.k1], Kind: sp.kind, Joined: sp.joined}
	switch {
	case ar.ident == nil || sp.m0 == sp.m1:
	case sp.ident:
		t.KeyMap = ar.ident[sp.m0:sp.m1:sp.m1]
	default:
		t.KeyMap = ar.ownMaps[sp.m0:sp.m1:sp.m1]
	}
	return t
}

// emit writes the tokens, after finish, to out, which is as long as the
// spans and zeroed, and returns it; it writes what token returns.
func (ar *arena) emit(out []pipeline.Token) []pipeline.Token {
	if len(out) < len(ar.spans) {
		return out
	}
	out = out[:len(ar.spans)]
	ar.emitSpans(out, ar.spans)
	return out
}

// emitSpans writes the tokens of spans, which are some of ar.spans, after
// finish, to out, which is zeroed and at least as long, field by field: a
// token built on the stack first would be copied.
func (ar *arena) emitSpans(out []pipeline.Token, spans []tokSpan) {
	if len(out) < len(spans) {
		return
	}
	out = out[:len(spans)]
	all, ident, own := ar.all, ar.ident, ar.ownMaps
	for i := range spans {
		sp, t := &spans[i], &out[i]
		t.Start, t.End = sp.start, sp.end
		t.Key = all[sp.k0:sp.k1]
		switch {
		case ident == nil || sp.m0 == sp.m1:
		case sp.ident:
			t.KeyMap = ident[sp.m0:sp.m1:sp.m1]
		default:
			t.KeyMap = own[sp.m0:sp.m1:sp.m1]
		}
		t.Kind, t.Joined = sp.kind, sp.joined
	}
}

func tokenizeInto(rs []rune, ar *arena) {
	tokenizeRange(rs, 0, len(rs), false, ar)
}

// tokenizeRange tokenizes the tokens of rs that start from i (where the
// previous token left joined) up to stop, and returns where it stopped and
// joined. A token that starts before stop may end after it; it may also
// look up to two runes past the token's end, which rs must then hold
// (tokenizeText stops at a space, which ends every token).
func tokenizeRange(rs []rune, i, stop int, joined bool, ar *arena) (int, bool) {
	n := len(rs)
	// keys and spans are ar's, kept in locals while the words that take
	// the fast path are appended (a store into ar costs a write barrier
	// while the collector runs); ar has them again around the other calls
	keys, spans, long, minLong := ar.keys, ar.spans, ar.long, ar.minLong
	idLen := len(ar.idTab)
	for i < stop {
		r := rs[i]
		if r == ' ' {
			i++
			continue
		}
		switch {
		case isWordRune(r) || (isInvisible(r) && i+1 < n && isWordRune(rs[i+1]) && i > 0 && isWordRune(rs[i-1])):
			// while every rune has a wordKeys entry, the key is built
			// during the scan (fast), into keys' spare capacity; lim
			// keeps two bytes of room for each rune
			k0 := len(keys)
			buf := keys[:cap(keys)]
			p := k0
			j := i
			for lim := min(n, i+(len(buf)-k0)/2); j < lim; j++ {
				c := rs[j]
				if uint(c) >= uint(len(wordKeys)) || wordKeys[c] == 0 || p+1 >= len(buf) {
					break
				}
				e := wordKeys[c]
				buf[p], buf[p+1] = byte(e), byte(e>>8)
				p += int(e >> 16)
			}
			fast := j > i
			if !fast {
				j = i + 1
			}
			segLen := j - i
			hasDot := false
			for j < n {
				c := rs[j]
				if c == ' ' {
					break
				}
				if uint(c) < uint(len(wordKeys)) && wordKeys[c] != 0 {
					// only after a rune that left the fast scan, or past
					// lim
					j++
					fast = false
					segLen++
					continue
				}
				if isWordRune(c) {
					j++
					fast = false
					segLen++
					continue
				}
				if isInvisible(c) && j+1 < n && isWordRune(rs[j+1]) {
					j++
					fast = false
					continue
				}
				if isApostrophe(c) && j+1 < n && isLatin(rs[j-1]) && isLatin(rs[j+1]) {
					// possessive 's ends the word: Syria's -> Syria
					if (rs[j+1] == 's' || rs[j+1] == 'S') && (j+2 >= n || !isWordRune(rs[j+2])) {
						break
					}
					j++
					fast = false
					continue
				}
				if c == '.' && isLatin(rs[j-1]) && segLen == 1 {
					if j+1 < n && isLatin(rs[j+1]) && (j+2 >= n || !isWordRune(rs[j+2])) {
						// U.S -> keep going
						hasDot = true
						segLen = 0
						j++
						fast = false
						continue
					}
					if hasDot {
						j++ // trailing dot of U.S.
						fast = false
					}
				}
				break
			}
			// nk is the number of key runes, one a rune on the fast path
			nk := j - i
			switch {
			case fast && j <= idLen:
				// appendKeyed, inline
				keys = buf[:p]
				spans = append(spans, tokSpan{start: i, end: j, k0: k0, k1: p, m0: i, m1: j,
					kind: pipeline.Word, joined: joined && len(spans) > 0, ident: true})
			case fast:
				ar.keys, ar.spans = buf[:p], spans
				ar.appendKeyed(i, j, k0, pipeline.Word, joined)
				keys, spans = ar.keys, ar.spans
			default:
				ar.keys, ar.spans = keys, spans
				ar.appendTok(rs, i, j, pipeline.Word, joined)
				keys, spans = ar.keys, ar.spans
				sp := &spans[len(spans)-1]
				nk = sp.m1 - sp.m0
			}
			if minLong > 0 && nk >= minLong {
				long = append(long, len(spans)-1)
			}
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
			ar.keys, ar.spans = keys, spans
			ar.appendTok(rs, i, j, pipeline.Number, joined)
			keys, spans = ar.keys, ar.spans
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
			if uint(r) < fastLen && fastFold[r] != 0 && i < idLen {
				// appendTok of a rune that has a fastFold, inline
				k0 := len(keys)
				keys = appendFold(keys, fastFold[r])
				spans = append(spans, tokSpan{start: i, end: i + 1, k0: k0, k1: len(keys), m0: i, m1: i + 1,
					kind: pipeline.Punct, ident: true})
			} else {
				ar.keys, ar.spans = keys, spans
				ar.appendTok(rs, i, i+1, pipeline.Punct, false)
				keys, spans = ar.keys, ar.spans
			}
			i++
			joined = false
		}
	}
	ar.keys, ar.spans, ar.long = keys, spans, long
	return i, joined
}

// appendTok appends the span of the token rs[start:end], with its key and
// key map. joined is dropped for the first token.
func (ar *arena) appendTok(rs []rune, start, end int, kind pipeline.TokenKind, joined bool) {
	k0 := len(ar.keys)
	if ar.fastKey(rs, start, end) {
		ar.appendKeyed(start, end, k0, kind, joined)
		return
	}
	sp := tokSpan{start: start, end: end, k0: k0, kind: kind, joined: joined && len(ar.spans) > 0}
	ar.slowKey(rs, start, end, &sp)
	sp.k1 = len(ar.keys)
	ar.spans = append(ar.spans, sp)
}

// appendKeyed appends the span of the token [start, end) whose key, in
// which each rune gave one key rune, is ar.keys[k0:]: its map is a slice
// of ar.idTab. joined is dropped for the first token.
func (ar *arena) appendKeyed(start, end, k0 int, kind pipeline.TokenKind, joined bool) {
	sp := tokSpan{start: start, end: end, k0: k0, k1: len(ar.keys), kind: kind, joined: joined && len(ar.spans) > 0}
	if end > start {
		sp.m0, sp.m1, sp.ident = start, end, true
		if end > len(ar.idTab) {
			sp.m0, sp.m1, sp.ident = len(ar.maps), len(ar.maps)+end-start, false
			for i := start; i < end; i++ {
				ar.maps = append(ar.maps, i)
			}
		}
	}
	ar.spans = append(ar.spans, sp)
}

// wordFold is fastFold for the runes that are word runes (isWordRune), 0
// for the others: the tokenizer builds the key of a word made of such
// runes while it scans it.
var wordFold = func() (t [fastLen]rune) {
	for r := range t {
		if isWordRune(rune(r)) {
			t[r] = fastFold[r]
		}
	}
	return t
}()

// wordKeys holds, for each rune that has a wordFold, the UTF-8 bytes of
// its key rune (the first in the low byte, a second one or zero in the
// next) and, from bit 16, how many bytes they are; 0 for the others. The
// tokenizer writes both bytes and advances by the count, without a branch.
var wordKeys = func() (t [fastLen]uint32) {
	for r, f := range wordFold {
		if f != 0 {
			b := appendFold(nil, f)
			t[r] = uint32(b[0]) | uint32(len(b))<<16
			if len(b) == 2 {
				t[r] |= uint32(b[1]) << 8
			}
		}
	}
	return t
}()

// appendFold appends the key bytes of f, a fastFold rune (below fastLen).
func appendFold(keys []byte, f rune) []byte {
	if f < 0x80 {
		return append(keys, byte(f))
	}
	return append(keys, byte(0xC0|f>>6), byte(0x80|f&0x3F))
}

// wordRunes holds, as bits, isWordRune's answer for the runes from 0x80
// to fastLen, which it would otherwise find in the Unicode tables.
var wordRunes = func() (t [fastLen / 64]uint64) {
	for r := rune(0x80); r < fastLen; r++ {
		if isWordRuneSlow(r) {
			t[r/64] |= 1 << (r % 64)
		}
	}
	return t
}()

// fastLen bounds the runes of fastFold and wordFold, and their key runes:
// both take two bytes in UTF-8 at most.
const fastLen = 0x0800

// fastFold holds the key rune of each rune below fastLen that folds to
// exactly one rune below fastLen by itself (see foldRune): ASCII letters
// and digits, the basic Arabic letters, Arabic digits and punctuation,
// accented Latin letters; 0 for the others (dropped, expanded, or
// depending on their neighbours, as the dot does).
var fastFold = func() (t [fastLen]rune) {
	for r := rune(0); r < fastLen; r++ {
		if r == '.' {
			continue
		}
		if k := foldRune(nil, r); len(k) == 1 && k[0] != 0 && k[0] < fastLen {
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
	if m := ar.maps[m0:]; len(m) > 0 && m[0]+len(m) <= len(ar.idTab) && consecutive(m) {
		// the map is a slice of ar.idTab
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
	out := pipeline.MakeRunes(leadBytes(s))
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

// leadBytes counts the bytes of s that are not continuation bytes
// (10xxxxxx), eight at a time: the number of runes of s when it is valid
// UTF-8, fewer otherwise.
func leadBytes(s string) int {
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
	return n
}
