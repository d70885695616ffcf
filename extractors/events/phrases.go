package events

import (
	"strings"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/wordlist"
	"github.com/hadath/hadath/pipeline"
)

// stripMode says which affixes a phrase's first word may carry in text.
// Each mode reads a token in every way the one before it does, and more.
type stripMode uint8

const (
	exactOnly stripMode = iota
	// cueMode: و ف ب ل before, pronoun suffixes after.
	cueMode
	// triggerMode: cueMode plus the article ال (and لل for ل+ال).
	triggerMode
	numModes
	// alefMode marks, among the readings appendReadings gives, a
	// triggerMode reading ا+s (لل read as ل+ال) whose string is not built:
	// appendForms takes the index's string for it when it starts a phrase.
	alefMode = numModes
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
// a key starts a phrase of (one bit per non-empty set; sets beyond 32 share
// bits, which only costs a useless lookup), behind a wordlist.Filter of
// every first key. A token's readings are looked up here once, for all the
// modes (see formCache), and a set's own map only when a reading's mask
// has its bit: most tokens start no phrase of any set, and most readings
// are rejected by the filter without hashing the string for a map.
type firstIndex struct {
	sets   map[string]uint32
	filter wordlist.Filter // built by compile; the zero Filter lets all through
	nsets  int             // bits given
	// alef holds the first keys that start with ا, each mapped to itself:
	// a reading ا+s (لل read as ل+ال) found in it takes the key's string
	// rather than one built for the token
	alef map[string]string
	// tails is the bitset of the tail hashes of the first keys, built by
	// compile (nil before: noReading then rejects nothing): of the last
	// eight bytes of a key of eight bytes or more (tail8), of the six
	// bytes of a key of six or seven (tail6), of a shorter key itself
	// (tailShort). See noReading.
	tails *[tailWords]uint64
	// noTails turns noReading off, for tests that compare with it.
	noTails bool
}

// tailBits is the log2 of the number of bits of firstIndex.tails: about
// forty bits per first key for the rules' eight hundred.
const (
	tailBits  = 15
	tailWords = 1 << tailBits / 64
)

// tailHash hashes a tail (tail6, tail8) to tailBits bits.
func tailHash(v uint64) uint64 { return v * 0x9E3779B97F4A7C15 >> (64 - tailBits) }

// tail6Tag sets tail6's numbers apart from tail8's (a collision would
// only let a key through).
const tail6Tag = 0x5A << 56

// tailShortTag sets tailShort's numbers apart from tail6's.
const tailShortTag = 0x5B << 56

// tailShort reads s (len(s) < 6) as a little-endian number, tagged with
// its length.
func tailShort(s string) uint64 {
	v := uint64(len(s))<<48 | tailShortTag
	for i := 0; i < len(s); i++ {
		v |= uint64(s[i]) << (8 * i)
	}
	return v
}

// tail6 reads the six bytes of s (len(s) == 6) as a little-endian number,
// tagged.
func tail6(s string) uint64 {
	_ = s[5]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | tail6Tag
}

// alefTail6 is tail6 of ا followed by the four bytes of s (len(s) == 4).
func alefTail6(s string) uint64 {
	_ = s[3]
	return 0xD8 | 0xA7<<8 | uint64(s[0])<<16 | uint64(s[1])<<24 | uint64(s[2])<<32 | uint64(s[3])<<40 | tail6Tag
}

// tail8 reads the eight bytes of s (len(s) == 8) as a little-endian
// number.
func tail8(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// alefTail8 is tail8 of ا followed by the six bytes of s (len(s) == 6).
func alefTail8(s string) uint64 {
	_ = s[5]
	return 0xD8 | 0xA7<<8 | uint64(s[0])<<16 | uint64(s[1])<<24 | uint64(s[2])<<32 |
		uint64(s[3])<<40 | uint64(s[4])<<48 | uint64(s[5])<<56
}

// addTail adds the tail of key.
func (x *firstIndex) addTail(key string) {
	if x.tails == nil {
		return
	}
	n := len(key)
	var v uint64
	switch {
	case n >= 8:
		v = tail8(key[n-8:])
	case n >= 6:
		v = tail6(key[n-6:])
	default:
		v = tailShort(key)
	}
	h := tailHash(v)
	x.tails[h>>6] |= 1 << (h & 63)
}

func (x *firstIndex) hasTail(v uint64) bool {
	h := tailHash(v)
	return x.tails[h>>6]&(1<<(h&63)) != 0
}

// noReading reports whether no reading of key (appendReadings) can start
// a phrase, by a test cheaper than reading it: appendForms would return
// none. It only decides keys of an even number of bytes; it rejects no
// other. A key of six bytes or less has two readings at most: itself and,
// after a conjunction, its last four bytes; their own tails are asked. The
// readings of a longer key are itself and its substrings of six bytes or
// more (all even) that end at the key's end or before its pronoun suffix
// (suffixLen of each reading is that of the key: it reads six bytes at
// most), or, when the key starts with لل after at most a conjunction, ا
// followed by such a substring of four bytes or more. A reading that is a
// first key has that key's tail, in tails: for a reading ending at b, the
// eight bytes before b (a reading of eight bytes or more) or the six (of
// six), or these after ا. The key itself needs no filter: its tail8 is
// asked.
func (x *firstIndex) noReading(key string) bool {
	n := len(key)
	if x.tails == nil || x.noTails || n&1 != 0 {
		return false
	}
	if n <= 6 {
		// the key, and for a conjunction and two letters the two letters
		if n == 6 {
			return !x.hasTail(tail6(key)) && ((key[:2] != "و" && key[:2] != "ف") || !x.hasTail(tailShort(key[2:])))
		}
		return !x.hasTail(tailShort(key))
	}
	// alef readings come only from لل after at most a conjunction
	if key[:4] == "لل" || ((key[:2] == "و" || key[:2] == "ف") && key[2:6] == "لل") {
		if x.tailAt(key, n, true) {
			return false
		}
		k := suffixLen(key)
		return k == 0 || !x.tailAt(key, n-k, true)
	}
	// most keys: tailAt without its alef readings, by hand (n >= 8)
	if x.hasTail(tail8(key[n-8:])) || x.hasTail(tail6(key[n-6:])) {
		return false
	}
	// a pronoun suffix ends with one of these letters (suffixLen)
	switch pairAt(key, n-2) {
	case hehPair, meemPair, noonPair, alefPair:
	default:
		return true
	}
	k := suffixLen(key)
	b := n - k
	if k == 0 || b < 6 {
		return true
	}
	return !x.hasTail(tail6(key[b-6:b])) && (b < 8 || !x.hasTail(tail8(key[b-8:b])))
}

// tailAt reports whether a reading of key ending at byte b may be a
// first key, by the tails it may have: those of key's bytes before b, or
// (alef: key has readings ا+s) of ا and these.
func (x *firstIndex) tailAt(key string, b int, alef bool) bool {
	if b >= 8 && x.hasTail(tail8(key[b-8:b])) {
		return true
	}
	if b >= 6 && x.hasTail(tail6(key[b-6:b])) {
		return true
	}
	if !alef {
		return false
	}
	if b >= 6 && x.hasTail(alefTail8(key[b-6:b])) {
		return true
	}
	return b >= 4 && x.hasTail(alefTail6(key[b-4:b]))
}

func newFirstIndex() *firstIndex {
	return &firstIndex{sets: map[string]uint32{}, alef: map[string]string{}}
}

func (x *firstIndex) add(key string, bit uint32) {
	x.sets[key] |= bit
	x.filter.Add(key)
	x.addTail(key)
	if strings.HasPrefix(key, "ا") {
		x.alef[key] = key
	}
}

// compile builds the filter of the first keys added so far (those added
// later go into it too).
func (x *firstIndex) compile() {
	x.filter = wordlist.NewFilter(len(x.sets))
	x.tails = new([tailWords]uint64)
	for k := range x.sets {
		x.filter.Add(k)
		x.addTail(k)
	}
}

// lookup returns the bits of the sets that have a phrase starting with key.
func (x *firstIndex) lookup(key string) uint32 {
	if !x.filter.Has(key) {
		return 0
	}
	return x.sets[key]
}

// lookupAlef is lookup for the key ا+s, built in a buffer on the stack
// (the map lookups of string(b) do not allocate); it also returns the
// index's own string of that key.
func (x *firstIndex) lookupAlef(s string) (uint32, string) {
	var buf [64]byte
	b := append(append(buf[:0], "ا"...), s...)
	if !x.filter.HasBytes(b) {
		return 0, ""
	}
	m := x.sets[string(b)]
	if m == 0 {
		return 0, ""
	}
	return m, x.alef[string(b)]
}

func (ps *phraseSet) empty() bool { return len(ps.byFirst) == 0 }

// form is one reading of a token: the key with affixes removed, how many
// key runes were removed at the front (where the mention starts), the bits
// of the sets that have a phrase starting with it (firstIndex) and the
// first mode that reads the token so (alefMode: the reading is ا+s). Four
// fields at most: the compiler keeps such a struct in registers.
type form struct {
	s    string
	pre  int32
	sets uint32
	mode stripMode
}

// maxReadings is the most readings appendReadings gives a key: the key,
// two prepositions (ل and لل as ل+ال), a conjunction and its two
// prepositions, each of these six without the article, and each of those
// twelve without a suffix.
const maxReadings = 24

// appendForms appends to dst the readings of key (appendReadings) that
// start a phrase of a set of x, with their set bits, in order, and returns
// it with the union of the set bits of the readings of each mode. The
// other readings are dropped: no set can match them. The readings are
// appended to dst then compacted in place, the slots left behind cleared.
// It allocates only when dst grows.
func (x *firstIndex) appendForms(dst []form, key string) ([]form, modeSets) {
	if x.noReading(key) {
		return dst, modeSets{}
	}
	return x.appendRead(dst, key)
}

// appendRead is appendForms without noReading, for a key it let through.
func (x *firstIndex) appendRead(dst []form, key string) ([]form, modeSets) {
	base := len(dst)
	dst = appendReadings(dst, key)
	var exact, cue, trigger uint32 // the set bits by mode, in registers
	w := base
	for i := base; i < len(dst); i++ {
		r := dst[i]
		var m uint32
		if r.mode == alefMode {
			m, r.s = x.lookupAlef(r.s)
			r.mode = triggerMode
		} else if n := len(r.s); x.tails == nil || n < 8 || x.hasTail(tail8(r.s[n-8:])) {
			// a first key of eight bytes or more has its tail8 in tails
			// (once built): most such readings stop there, before the
			// filter
			m = x.lookup(r.s)
		}
		if m == 0 {
			continue
		}
		r.sets = m
		dst[w] = r
		w++
		switch r.mode {
		case exactOnly:
			exact |= m
		case cueMode:
			cue |= m
		default:
			trigger |= m
		}
	}
	for j := w; j < len(dst); j++ {
		dst[j] = form{} // a few slots: cheaper than a call to clear
	}
	cue |= exact
	return dst[:w], modeSets{exact, cue, trigger | cue}
}

// modeSets is the union of the set bits of a token's readings of each
// mode. A struct of scalars, not an array, is returned in registers.
type modeSets struct{ exact, cue, trigger uint32 }

// of returns the union for mode m.
func (ms modeSets) of(m stripMode) uint32 {
	switch m {
	case exactOnly:
		return ms.exact
	case cueMode:
		return ms.cue
	}
	return ms.trigger
}

// appendReadings appends the readings of key to dst, each with the first
// mode that reads it, in this order: the key (exactOnly); with a
// preposition ب ل ك removed (and for لل, under triggerMode, also ا + the
// rest: لل = ل + ال, a form in alefMode) when more than three letters
// remain; with a conjunction و ف removed, then also its preposition; under
// triggerMode, each of these with the article ال removed when more than
// four letters remain; then each reading so far with a pronoun suffix
// removed when at least three letters remain. Readings of one letter are
// dropped. The readings of a mode are those of the modes up to it, in this
// order. The affixes are tested as byte pairs: an Arabic key holds only
// two-byte letters (lengths are in bytes). It does not allocate: every
// reading is a substring of key (with ا before it in alefMode).
func appendReadings(dst []form, key string) []form {
	base := len(dst)
	dst = append(dst, form{s: key, mode: exactOnly})
	// match keys hold only base Arabic letters: a range test is enough
	if !baseLetterFirst(key) {
		return dst
	}
	dst = appendPrep(dst, key, 0)
	if key[:2] == "و" || key[:2] == "ف" {
		rest := key[2:]
		if len(rest) >= 4 {
			dst = append(dst, form{s: rest, pre: 1, mode: cueMode})
		}
		dst = appendPrep(dst, rest, 1)
	}
	n := len(dst)
	for i := base; i < n; i++ {
		s := dst[i]
		switch {
		case s.mode == alefMode:
			// ا+s, where s starts with ل: the article is ا and s's ل
			if len(s.s)+2 > 8 && s.s[:2] == "ل" {
				dst = append(dst, form{s: s.s[2:], pre: s.pre, mode: triggerMode})
			}
		case len(s.s) > 8 && s.s[:4] == "ال":
			dst = append(dst, form{s: s.s[4:], pre: s.pre, mode: triggerMode})
		}
	}
	n = len(dst)
	for i := base; i < n; i++ {
		s := dst[i]
		// ا+s ends as s does and s has at least five bytes, so the
		// suffix of ا+s is that of s (suffixLen reads six bytes only
		// when the suffix is هما, which ا+s's first bytes cannot be)
		size := len(s.s)
		if s.mode == alefMode {
			size += 2
		}
		if k := suffixLen(s.s); k > 0 && size-k >= 6 {
			// max keeps alefMode
			dst = append(dst, form{s: s.s[:len(s.s)-k], pre: s.pre, mode: max(s.mode, cueMode)})
		}
	}
	return dst
}

// baseLetterFirst reports whether s starts with a letter of U+0621-U+064A,
// two bytes: 0xD8 0xA1 to 0xD9 0x8A.
func baseLetterFirst(s string) bool {
	if len(s) < 2 || s[1]&0xC0 != 0x80 {
		return false
	}
	switch s[0] {
	case 0xD8:
		return s[1] >= 0xA1
	case 0xD9:
		return s[1] <= 0x8A
	}
	return false
}

// appendPrep appends the reading of rest (cn conjunctions removed before
// it) without its preposition, when rest has more than three letters.
func appendPrep(dst []form, rest string, cn int32) []form {
	if len(rest) <= 6 {
		return dst
	}
	switch rest[:2] {
	case "ب", "ك":
	case "ل":
		dst = append(dst, form{s: rest[2:], pre: cn + 1, mode: cueMode})
		if rest[2:4] == "ل" {
			dst = append(dst, form{s: rest[2:], pre: cn + 1, mode: alefMode})
		}
		return dst
	default:
		return dst
	}
	return append(dst, form{s: rest[2:], pre: cn + 1, mode: cueMode})
}

// The last letters of the pronoun suffixes, as the two bytes of their
// UTF-8 form read as a big-endian number.
const (
	hehPair  = 0xD987 // ه
	meemPair = 0xD985 // م
	noonPair = 0xD986 // ن
	alefPair = 0xD8A7 // ا
	kafPair  = 0xD983 // ك
)

// pairAt returns the two bytes of s at i as a big-endian number.
func pairAt(s string, i int) int { return int(s[i])<<8 | int(s[i+1]) }

// suffixLen returns the length in bytes of the pronoun suffix s ends with
// (هما هم هن ها كم نا ه; no two end one word), 0 when none does.
func suffixLen(s string) int {
	n := len(s)
	if n < 2 {
		return 0
	}
	switch pairAt(s, n-2) {
	case hehPair:
		return 2
	case meemPair:
		if n >= 4 {
			if p := pairAt(s, n-4); p == hehPair || p == kafPair {
				return 4
			}
		}
	case noonPair:
		if n >= 4 && pairAt(s, n-4) == hehPair {
			return 4
		}
	case alefPair:
		if n >= 4 {
			if p := pairAt(s, n-4); p == hehPair || p == noonPair {
				return 4
			}
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
	if fc.refuses(ps, i) {
		return 0, 0, false
	}
	val, n, _, ok = ps.matchPre(toks, i, limit, fc)
	return val, n, ok
}

// starts reports whether a phrase starts at token i (matchAt).
func (ps *phraseSet) starts(toks []pipeline.Token, i, limit int, fc *formCache) bool {
	_, _, _, ok := ps.matchPre(toks, i, limit, fc)
	return ok
}

// matchPre is matchAt that also returns the code-point offset where the
// phrase starts inside token i (after removed proclitics).
func (ps *phraseSet) matchPre(toks []pipeline.Token, i, limit int, fc *formCache) (val, n, start int, ok bool) {
	t := &toks[i]
	if t.Kind == pipeline.Punct {
		return 0, 0, 0, false
	}
	if fc.refuses(ps, i) {
		return 0, 0, 0, false
	}
	fs, sets := fc.get(ps, toks, i)
	if sets&ps.bit == 0 {
		return 0, 0, 0, false
	}
	for _, f := range fs {
		if f.mode > ps.mode || f.sets&ps.bit == 0 {
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

// formCache holds the readings of each token of one field that start a
// phrase of some set, computed once for all the modes, with their set bits:
// the phrase sets scan the same tokens many times, in different modes. It
// is scratch of one Process call (see scratch): filled per field, reused
// across calls.
type formCache struct {
	idx  *firstIndex // the index the set bits come from
	refs []formRef   // by token: where its readings are in pool
	pool []form      // the readings of every token of the field
	// cands are the tokens with a reading of triggerMode in the sets of
	// fill's bits (the trigger sets), in order
	cands []int32
}

// formRef locates a token's readings in formCache.pool: pool[off:end].
// int32 halves the offsets; a field would need 2^31 readings (tens of GB)
// to overflow them. sets is, by mode, the union of the set bits of the
// readings of that mode.
type formRef struct {
	off, end int32
	sets     modeSets
}

// fill prepares the cache for the tokens of a field, read by the phrase
// sets of idx, and reads them all, in order (a Punct token as one without
// readings: matchPre refuses it first). The trigger scan would read
// nearly every token, and one pass is cheaper than a test per lookup; the
// sets then ask a token's set bits (refuses) before anything else. The
// tokens whose triggerMode readings have one of trig's bits go to cands.
func (fc *formCache) fill(toks []pipeline.Token, idx *firstIndex, trig uint32) {
	n := len(toks)
	fc.idx = idx
	if cap(fc.refs) < n {
		fc.refs = make([]formRef, n)
	}
	refs := fc.refs[:n] // every ref is written below
	fc.refs = refs
	clear(fc.pool) // drop the keys of the previous field
	pool := fc.pool[:0]
	// few tokens start a phrase: one allocation for a new cache rather
	// than a series of doublings
	if cap(pool) < n/2 {
		pool = make([]form, 0, n/2+64)
	}
	cands := fc.cands[:0]
	for i := range toks {
		t := &toks[i]
		off := int32(len(pool))
		// appendForms, its test first: most tokens stop there
		if t.Kind == pipeline.Punct || idx.noReading(t.Key) {
			refs[i] = formRef{off: off, end: off}
			continue
		}
		var sets modeSets
		pool, sets = idx.appendRead(pool, t.Key)
		refs[i] = formRef{off: off, end: int32(len(pool)), sets: sets}
		if sets.trigger&trig != 0 {
			cands = append(cands, int32(i))
		}
	}
	fc.pool, fc.cands = pool, cands
}

// refuses reports whether token i has no reading that starts a phrase of
// ps: most tokens. It is small enough to be inlined where phrases are
// matched token after token.
func (fc *formCache) refuses(ps *phraseSet, i int) bool {
	if fc == nil || i >= len(fc.refs) || fc.idx != ps.idx {
		return false
	}
	return fc.refs[i].sets.of(ps.mode)&ps.bit == 0
}

// get returns the readings of token i that start a phrase of some set of
// ps's index (of every mode: matchPre skips those beyond ps's mode) and the
// union of the set bits of those of ps's mode. A nil cache (or a token
// beyond it, or a set of another index) computes them without keeping
// them. The slice is valid until the next fill.
func (fc *formCache) get(ps *phraseSet, toks []pipeline.Token, i int) ([]form, uint32) {
	if fc == nil || i >= len(fc.refs) || fc.idx != ps.idx {
		fs, sets := ps.idx.appendForms(nil, toks[i].Key)
		return fs, sets.of(ps.mode)
	}
	ref := &fc.refs[i]
	return fc.pool[ref.off:ref.end:ref.end], ref.sets.of(ps.mode)
}
