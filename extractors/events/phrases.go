package events

import (
	"math/bits"
	"strings"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

// stripMode says which affixes a phrase's first word may carry in text.
type stripMode int

const (
	exactOnly stripMode = iota
	// cueMode: و ف ب ل before, pronoun suffixes after.
	cueMode
	// triggerMode: cueMode plus the article ال (and لل for ل+ال).
	triggerMode
)

// phrase is a compiled word sequence with a payload index.
type phrase struct {
	keys []string
	val  int
}

// phraseSet finds phrases by their first key.
type phraseSet struct {
	byFirst map[string][]phrase
	mode    stripMode
	// idx is the first-key index shared by the sets of a Stage; bit is
	// this set's bit in its masks, taken by the first phrase added (an
	// empty set has none and matches nothing).
	idx *firstIndex
	bit uint32
}

// newPhraseSet returns an empty set whose first keys go to idx (a nil idx
// gets an index of its own).
func newPhraseSet(idx *firstIndex, mode stripMode) *phraseSet {
	if idx == nil {
		idx = newFirstIndex()
	}
	return &phraseSet{byFirst: map[string][]phrase{}, mode: mode, idx: idx}
}

func (ps *phraseSet) add(text string, val int) {
	keys := normalize.PhraseKeys(text)
	if len(keys) == 0 {
		return
	}
	ps.byFirst[keys[0]] = append(ps.byFirst[keys[0]], phrase{keys: keys, val: val})
	if ps.bit == 0 {
		ps.bit = 1 << (ps.idx.nsets % 32)
		ps.idx.nsets++
	}
	ps.idx.add(keys[0], ps.bit)
}

// firstIndex is the prefilter of the phrase sets of one Stage: which sets
// a key starts a phrase of (one bit per non-empty set; sets beyond 32 share bits,
// which only costs a useless lookup), behind a Bloom bitset over a cheap
// hash of every first key. A token reading is looked up here once per
// strip mode, and a set's own map only when the reading's mask has its
// bit: most tokens start no phrase of any set, and most readings are
// rejected by the bitset without hashing the string for a map.
type firstIndex struct {
	sets  map[string]uint32
	bloom []uint64 // 1<<bloomBits bits
	nsets int      // bits given
}

// bloomBits is the width of the prefilter hash: 2^16 bits (8 KiB) for a
// few thousand first keys, a few percent false positives.
const bloomBits = 16

func newFirstIndex() *firstIndex {
	return &firstIndex{sets: map[string]uint32{}, bloom: make([]uint64, 1<<bloomBits/64)}
}

func (x *firstIndex) add(key string, bit uint32) {
	x.sets[key] |= bit
	h := keyHash(key)
	x.bloom[h>>6] |= 1 << (h & 63)
}

// lookup returns the bits of the sets that have a phrase starting with key.
func (x *firstIndex) lookup(key string) uint32 {
	h := keyHash(key)
	if x.bloom[h>>6]&(1<<(h&63)) == 0 {
		return 0
	}
	return x.sets[key]
}

// keyHash is a cheap hash of a key to bloomBits bits: its length and its
// first and last eight bytes (four Arabic letters each; four bytes each for
// keys of two or three letters), mixed by one multiplication.
func keyHash(s string) uint32 {
	n := len(s)
	var a, b uint64
	switch {
	case n >= 8:
		a, b = le64(s), le64(s[n-8:])
	case n >= 4:
		a, b = uint64(le32(s)), uint64(le32(s[n-4:]))
	default:
		for i := 0; i < n; i++ {
			a = a<<8 | uint64(s[i])
		}
	}
	h := (a ^ bits.RotateLeft64(b, 29) ^ uint64(n)<<56) * 0x9E3779B97F4A7C15
	return uint32(h >> (64 - bloomBits))
}

// le32 reads the first four bytes of s (len(s) >= 4) as a little-endian
// word.
func le32(s string) uint32 {
	_ = s[3]
	return uint32(s[0]) | uint32(s[1])<<8 | uint32(s[2])<<16 | uint32(s[3])<<24
}

// le64 reads the first eight bytes of s (len(s) >= 8) as a little-endian
// word; the compiler merges the loads.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func (ps *phraseSet) empty() bool { return len(ps.byFirst) == 0 }

// form is one reading of a token: the key with affixes removed, how many
// key runes were removed at the front (where the mention starts), and the
// bits of the sets that have a phrase starting with it (firstIndex).
type form struct {
	s    string
	pre  int32
	sets uint32
}

// appendForms appends the readings of a token key under the set's mode to
// dst and returns it with the union of their set bits; the readings are the
// appended tail, the key itself first. It allocates only for the rare لل
// reading (and when dst grows). Lengths are compared in bytes: an Arabic key
// holds only two-byte letters.
func (ps *phraseSet) appendForms(dst []form, key string) ([]form, uint32) {
	base := len(dst)
	dst = ps.appendReadings(dst, key)
	var all uint32
	for i := base; i < len(dst); i++ {
		m := ps.idx.lookup(dst[i].s)
		dst[i].sets = m
		all |= m
	}
	return dst, all
}

// appendReadings appends the readings of key under the set's mode, without
// their set bits, in this order: the key; with a preposition ب ل ك removed
// (and for لل under triggerMode also ا + the rest: لل = ل + ال) when more
// than three letters remain; with a conjunction و ف removed, then also its
// preposition; under triggerMode, each of these with the article ال removed
// when more than four letters remain; then each reading so far with a
// pronoun suffix removed when at least three letters remain. Readings of
// one letter are dropped. The affixes are tested as byte pairs: an Arabic
// key holds only two-byte letters (lengths are in bytes).
func (ps *phraseSet) appendReadings(dst []form, key string) []form {
	base := len(dst)
	dst = append(dst, form{s: key})
	if ps.mode == exactOnly || key == "" {
		return dst
	}
	// match keys hold only base Arabic letters: a range test is enough
	if r, _ := utf8.DecodeRuneInString(key); r < 0x0621 || r > 0x064A {
		return dst
	}
	dst = ps.appendPrep(dst, key, 0)
	if len(key) >= 2 && (key[:2] == "و" || key[:2] == "ف") {
		rest := key[2:]
		if len(rest) >= 4 {
			dst = append(dst, form{s: rest, pre: 1})
		}
		dst = ps.appendPrep(dst, rest, 1)
	}
	if ps.mode == triggerMode {
		n := len(dst)
		for i := base; i < n; i++ {
			if s := dst[i]; len(s.s) > 8 && s.s[:4] == "ال" {
				dst = append(dst, form{s: s.s[4:], pre: s.pre})
			}
		}
	}
	n := len(dst)
	for i := base; i < n; i++ {
		s := dst[i]
		if k := suffixLen(s.s); k > 0 && len(s.s)-k >= 6 {
			dst = append(dst, form{s: s.s[:len(s.s)-k], pre: s.pre})
		}
	}
	return dst
}

// appendPrep appends the reading of rest (cn conjunctions removed before
// it) without its preposition, when rest has more than three letters.
func (ps *phraseSet) appendPrep(dst []form, rest string, cn int32) []form {
	if len(rest) <= 6 {
		return dst
	}
	switch rest[:2] {
	case "ب", "ك":
	case "ل":
		dst = append(dst, form{s: rest[2:], pre: cn + 1})
		if ps.mode == triggerMode && rest[2:4] == "ل" {
			dst = append(dst, form{s: "ا" + rest[2:], pre: cn + 1})
		}
		return dst
	default:
		return dst
	}
	return append(dst, form{s: rest[2:], pre: cn + 1})
}

// suffixLen returns the length in bytes of the pronoun suffix s ends with
// (هما هم هن ها كم نا ه; no two end one word), 0 when none does.
func suffixLen(s string) int {
	n := len(s)
	if n < 2 {
		return 0
	}
	switch s[n-2:] {
	case "ه":
		return 2
	case "م":
		if n >= 4 && (s[n-4:n-2] == "ه" || s[n-4:n-2] == "ك") {
			return 4
		}
	case "ن":
		if n >= 4 && s[n-4:n-2] == "ه" {
			return 4
		}
	case "ا":
		if n >= 4 && (s[n-4:n-2] == "ه" || s[n-4:n-2] == "ن") {
			return 4
		}
		if n >= 6 && s[n-6:n-2] == "هم" {
			return 6
		}
	}
	return 0
}

// matchAt returns the longest phrase starting at token i (tokens i..i+n-1
// must be words or numbers), its payload and length.
func (ps *phraseSet) matchAt(toks []pipeline.Token, i, limit int, fc *formCache) (val, n int, ok bool) {
	val, n, _, ok = ps.matchPre(toks, i, limit, fc)
	return val, n, ok
}

// matchPre is matchAt that also returns the code-point offset where the
// phrase starts inside token i (after removed proclitics).
func (ps *phraseSet) matchPre(toks []pipeline.Token, i, limit int, fc *formCache) (val, n, start int, ok bool) {
	t := &toks[i]
	if t.Kind == pipeline.Punct {
		return 0, 0, 0, false
	}
	fs, sets := fc.get(ps, toks, i)
	if sets&ps.bit == 0 {
		return 0, 0, 0, false
	}
	for _, f := range fs {
		if f.sets&ps.bit == 0 {
			continue
		}
		for _, p := range ps.byFirst[f.s] {
			if len(p.keys) <= n || i+len(p.keys) > limit {
				continue
			}
			good := true
			for k := 1; k < len(p.keys); k++ {
				tk := &toks[i+k]
				if tk.Kind == pipeline.Punct || tk.Key != p.keys[k] {
					// allow the article on later words to differ: "إطلاق النار"
					if tk.Kind != pipeline.Punct && ps.mode == triggerMode && strings.HasPrefix(tk.Key, "ال") && tk.Key[len("ال"):] == p.keys[k] {
						continue
					}
					good = false
					break
				}
			}
			if good {
				val, n, ok = p.val, len(p.keys), true
				start = t.Start
				if f.pre > 0 && int(f.pre) < len(t.KeyMap) {
					start = t.KeyMap[f.pre]
				}
			}
		}
	}
	return val, n, start, ok
}

// formCache holds the readings of each token of one field, computed once
// per mode, with their set bits: the phrase sets scan the same tokens many
// times. It is scratch of one Process call (see scratch): reset per field,
// reused across calls.
type formCache struct {
	idx  *firstIndex  // the index the set bits come from
	by   [3][]formRef // by mode, by token: where its readings are in pool
	pool []form       // the readings of every token read so far
}

// formRef locates a token's readings in formCache.pool; n is 0 until they
// are computed (a token has at least one reading, its key). int32 halves
// the offsets; a field would need 2^31 readings (tens of GB) to overflow
// them. sets is the union of the readings' set bits.
type formRef struct {
	off, n int32
	sets   uint32
}

// reset prepares the cache for a field of n tokens, read by the phrase sets
// of idx.
func (fc *formCache) reset(n int, idx *firstIndex) {
	fc.idx = idx
	for m := range fc.by {
		if cap(fc.by[m]) < n {
			fc.by[m] = make([]formRef, n)
			continue
		}
		fc.by[m] = fc.by[m][:n]
		clear(fc.by[m])
	}
	clear(fc.pool) // drop the keys of the previous field
	fc.pool = fc.pool[:0]
	// about two readings per token are taken: one allocation for a new
	// cache rather than a series of doublings
	if cap(fc.pool) < 2*n {
		fc.pool = make([]form, 0, 2*n+64)
	}
}

// get returns the readings of token i under ps's mode and the union of
// their set bits. A nil cache (or a token beyond it, or a set of another
// index) computes them without keeping them. The slice is valid until the
// next reset, even when later readings move the pool.
func (fc *formCache) get(ps *phraseSet, toks []pipeline.Token, i int) ([]form, uint32) {
	if fc == nil || i >= len(fc.by[ps.mode]) || fc.idx != ps.idx {
		return ps.appendForms(nil, toks[i].Key)
	}
	ref := &fc.by[ps.mode][i]
	if ref.n == 0 {
		off := len(fc.pool)
		fc.pool, ref.sets = ps.appendForms(fc.pool, toks[i].Key)
		ref.off, ref.n = int32(off), int32(len(fc.pool)-off)
	}
	end := ref.off + ref.n
	return fc.pool[ref.off:end:end], ref.sets
}
