package gazetteer

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/internal/diag"
)

// Index is the compiled match index of a gazetteer: every entry, name, match
// key and name token the matcher needs, in flat arrays without pointers.
// Strings live in one arena and are referred to by offset, entries and names
// by integer index, and keys are found through an open-addressing hash
// table of integers. The garbage collector never scans any of it (a
// 500k-name index is a handful of pointer-free allocations), it builds in
// one pass over the entries, and it is written to and read from the compiled
// cache as it is (see LoadIndex). Offsets and indices are 32-bit: an index
// holds at most 4 GiB of strings and 4 billion names; Compile does not
// check (a 500k-name gazetteer is far below both).
type Index struct {
	arena string    // every string, concatenated
	ents  []entRec  // entries, in gazetteer order
	names []nameRec // names grouped by match key, best rank first
	recs  []rec     // distinct match keys and name tokens
	// table is the hash table: each slot holds the high 32 bits of the
	// key's hash and its rec index + 1 (0: empty), so that most keys that
	// are not in the index are refused without touching recs. Its length
	// is a power of two, at most half full.
	table []uint64
	// bloom is a blocked Bloom filter of the recs' hashes (two bits in one
	// word, 8 to 16 bits per rec): small enough to stay in the CPU cache
	// when the table is not, it refuses most absent keys without a miss.
	bloom []uint64
	// startBloom is the same filter of the recs that start a name (maxLen >
	// 0), the only ones a first-token reading looks for (findStart): half
	// the recs in half the bytes, so more of it stays in the CPU cache.
	startBloom []uint64
	// warns are the loader's warnings, kept so that a cached index reports
	// them as the first load did.
	warns diag.ErrorList
	// mapped is the memory of the arrays that bigSlice mapped outside the
	// Go heap, released when the Index is collected.
	mapped *mappings
}

// sref is a string of the arena: offset and length in bytes.
type sref struct{ off, n uint32 }

// entRec is an entry: what matching, disambiguation and the output need.
type entRec struct {
	id, typ, kind, country, admin1, nameEn, nameAr sref
	lat, lon                                       float64
	pop                                            int64
	from, to                                       int32 // validity window, days since 1970-01-01, inclusive
	flags                                          uint8
	rank                                           int8 // kind rank: lower wins; 10 for none
}

// Entry flags.
const (
	entCoord  = 1 << iota // lat and lon are set
	entWindow             // the entry has a validity window
	entFrom               // from bounds the window
	entTo                 // to bounds the window
)

// nameRec is one name of one entry.
type nameRec struct {
	name  sref
	entry uint32
	flags uint8
}

// Name flags.
const (
	// nameAcronym names (all upper case) match only upper-case text.
	nameAcronym = 1 << iota
	// nameCapital names (written with a capital) match only capitalized text.
	nameCapital
	// nameCommon names are common words: they match only after a place cue
	// of their kind.
	nameCommon
)

// rec is a distinct string of the index: a match key, a token of a name's
// key, or both.
type rec struct {
	hash uint64
	// head is the first 8 bytes of the key (little-endian, zero-padded):
	// with the hash and the length it determines a key of up to 16 bytes
	// (see hashKey), which is then compared without reading the arena. It
	// is derived from the key, never stored in the cache.
	head   uint64
	key    sref
	first  uint32 // names[first:first+n] carry this match key
	n      uint32
	maxLen uint16 // tokens in the longest name whose key starts with this token
	tok    bool   // a token of some name's key
	// next is a 64-bit signature of the second tokens of the names whose
	// key starts with this token: bit hashString(second)&63 is set for
	// each. A window whose second token's bit is clear cannot match, and is
	// refused without a lookup.
	next uint64
}

const maxNameTokens = 1<<16 - 1

// hashString hashes s 8 bytes at a time. It is fixed (no random seed) so
// that a cached table stays valid.
func hashString(s string) uint64 {
	h, _ := hashKey(s)
	return h
}

// Constants of hashKey; the multipliers are odd.
const (
	hashSeedMul = 0x9E3779B97F4A7C15
	hashSeedAdd = 0x632BE59BD9B4E019
	hashMulA    = 0xbf58476d1ce4e5b9
	hashMulB    = 0x94d049bb133111eb
)

// hashKey returns the hash of s (hashString) and its head: its first 8
// bytes, little-endian, zero-padded. Every step of the hash is a bijection
// of the 64-bit state (xor with a block, multiplication by an odd number,
// h ^= h>>k), the state starts from the length, and the bytes past the end
// of a short last block are zero. So for a given length of at most 16
// bytes, the hash and the head determine the string: the head gives the
// state after the first block, and the final state, inverted, gives the
// second block. Index.find relies on it to compare such keys without
// reading them.
func hashKey(s string) (h, head uint64) {
	h = uint64(len(s))*hashSeedMul + hashSeedAdd
	first := true
	for len(s) >= 8 {
		v := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
			uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
		if first {
			head, first = v, false
		}
		h = (h ^ v) * hashMulA
		h ^= h >> 31
		s = s[8:]
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		v |= uint64(s[i]) << (8 * i)
	}
	if first {
		head = v
	}
	h = (h ^ v) * hashMulB
	h ^= h >> 29
	h *= hashMulA
	h ^= h >> 32
	return h, head
}

// headDecides is the longest key that hash, head and length determine.
const headDecides = 16

// nextBit is the bit of token t in a rec's next signature; find takes it
// from the token's hash (bit hash&63).
func nextBit(t string) uint64 { return 1 << (hashString(t) & 63) }

func (ix *Index) str(r sref) string { return ix.arena[r.off : r.off+r.n] }

// find returns the rec of key, or -1.
func (ix *Index) find(key string) int {
	h, head := hashKey(key)
	return ix.findHashed(key, h, head)
}

// findHashed is find for a key whose hashKey is h, head.
func (ix *Index) findHashed(key string, h, head uint64) int {
	if len(ix.table) == 0 {
		return -1
	}
	if w := ix.bloom[(h>>40)&uint64(len(ix.bloom)-1)]; w&bloomBits(h) != bloomBits(h) {
		return -1
	}
	return ix.probe(key, h, head)
}

// findStart returns the rec of key when some name starts with it (its
// maxLen > 0), else -1; h, head are key's hashKey.
func (ix *Index) findStart(key string, h, head uint64) int {
	if !ix.maybeStart(h) {
		return -1
	}
	return ix.probeStart(key, h, head)
}

// probeStart is findStart after the Bloom filter let key pass.
func (ix *Index) probeStart(key string, h, head uint64) int {
	if ri := ix.probe(key, h, head); ri >= 0 && ix.recs[ri].maxLen > 0 {
		return ri
	}
	return -1
}

// maybeStart reports whether startBloom lets hash h pass: false means that
// no name starts with the key.
func (ix *Index) maybeStart(h uint64) bool {
	if len(ix.table) == 0 {
		return false
	}
	b := bloomBits(h)
	return ix.startBloom[(h>>40)&uint64(len(ix.startBloom)-1)]&b == b
}

// maybeStarts sets the maybe of every th (see maybeStart) and reads
// ahead, for each key that passes, its table slot, its rec, and the first
// entry of its names (resolve reads it), so that the matcher's probes find
// those lines in the cache instead of waiting for each in turn. It reads in
// stages, one loop per level, each over the keys that passed: the loads of
// a loop do not depend on each other, so the CPU overlaps their misses,
// where one loop down the whole chain would wait at each level. pass is
// scratch memory, returned for reuse; the checksum of what was read keeps
// the compiler from dropping the reads.
func (ix *Index) maybeStarts(th []tokHash, pass []uint32) (sum uint64, _ []uint32) {
	sb, table, recs, names, ents := ix.startBloom, ix.table, ix.recs, ix.names, ix.ents
	if len(table) == 0 || len(recs) == 0 || len(names) == 0 || len(ents) == 0 {
		for i := range th {
			th[i].maybe = false
		}
		return 0, pass
	}
	bmask, tmask := uint64(len(sb)-1), uint64(len(table)-1)
	pass = slices.Grow(pass[:0], len(th))[:len(th)]
	n := 0
	for i := range th {
		h := th[i].h
		b := bloomBits(h)
		maybe := sb[(h>>40)&bmask]&b == b
		th[i].maybe = maybe
		pass[n] = uint32(i)
		if maybe {
			n++
		}
	}
	pass = pass[:n]
	// the slots: each becomes its rec (0, which stays in the cache, for
	// none)
	for k, i := range pass {
		h := th[i].h
		v := table[h&tmask]
		ri := uint32(v) - 1
		if v>>32 != h>>32 {
			ri = 0
		}
		if v == 0 {
			ri = 0
		}
		pass[k] = ri
	}
	// the recs: each becomes its first name
	for k, ri := range pass {
		r := &recs[ri]
		sum += r.hash
		ni := r.first
		if r.n == 0 {
			ni = 0
		}
		pass[k] = ni
	}
	// the names: each becomes its entry
	for k, ni := range pass {
		pass[k] = names[ni].entry
	}
	for _, e := range pass {
		sum += uint64(ents[e].id.off)
	}
	return sum, pass
}

// probe walks the (non-empty) table from key's slot and returns its rec,
// or -1: the fingerprint refuses most other slots, and a key of up to
// headDecides bytes is told by its hash, head and length alone.
func (ix *Index) probe(key string, h, head uint64) int {
	fp := h >> 32
	mask := uint64(len(ix.table) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		v := ix.table[i]
		if v == 0 {
			return -1
		}
		if v>>32 != fp {
			continue
		}
		ri := uint32(v) - 1
		if r := &ix.recs[ri]; r.hash == h && r.head == head && int(r.key.n) == len(key) &&
			(len(key) <= headDecides || ix.str(r.key) == key) {
			return int(ri)
		}
	}
}

// findBytes is find for a key held in a scratch buffer.
func (ix *Index) findBytes(key []byte) int {
	return ix.find(unsafe.String(unsafe.SliceData(key), len(key)))
}

// maxLen returns the length in tokens of the longest name whose key starts
// with token k (0 when none does).
func (ix *Index) maxLen(k string) int {
	if r := ix.find(k); r >= 0 {
		return int(ix.recs[r].maxLen)
	}
	return 0
}

// known reports whether k is a token of some name.
func (ix *Index) known(k string) bool {
	r := ix.find(k)
	return r >= 0 && ix.recs[r].tok
}

// namesOf returns the indices range of the names with match key k.
func (ix *Index) namesOf(r int) (first, n uint32) {
	if r < 0 {
		return 0, 0
	}
	return ix.recs[r].first, ix.recs[r].n
}

// Len returns the number of entries.
func (ix *Index) Len() int { return len(ix.ents) }

// Names returns the number of names.
func (ix *Index) Names() int { return len(ix.names) }

// Warnings returns the warnings of the load the index was compiled from.
func (ix *Index) Warnings() diag.ErrorList { return ix.warns }

// EachKey calls fn with every match key of a name, in index order.
func (ix *Index) EachKey(fn func(key string)) {
	for i := range ix.recs {
		if ix.recs[i].n > 0 {
			fn(ix.str(ix.recs[i].key))
		}
	}
}

// Bytes returns the approximate memory the index holds.
func (ix *Index) Bytes() int {
	return len(ix.arena) + len(ix.ents)*int(unsafe.Sizeof(entRec{})) + len(ix.names)*int(unsafe.Sizeof(nameRec{})) +
		len(ix.recs)*int(unsafe.Sizeof(rec{})) + 8*len(ix.table)
}

var kindRank = map[string]int8{"city": 0, "town": 1, "village": 2, "neighbourhood": 3, "landmark": 4,
	"country": 5, "governorate": 6, "district": 7, "region": 8}

// builder accumulates an Index.
type builder struct {
	ix     *Index
	arena  []byte
	intern map[string]sref
}

func (b *builder) add(s string) sref {
	r := sref{uint32(len(b.arena)), uint32(len(s))}
	b.arena = append(b.arena, s...)
	return r
}

// short interns the small, repeated strings (type, kind, country, admin1).
func (b *builder) short(s string) sref {
	if r, ok := b.intern[s]; ok {
		return r
	}
	r := b.add(s)
	b.intern[s] = r
	return r
}

// rec returns the rec of key, adding it (and its bytes) when new.
func (b *builder) rec(key string) int {
	ix := b.ix
	if 2*(len(ix.recs)+1) > len(ix.table) {
		b.grow()
	}
	h, head := hashKey(key)
	mask := uint64(len(ix.table) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		v := ix.table[i]
		if v == 0 {
			ix.recs = append(ix.recs, rec{hash: h, head: head, key: b.add(key)})
			ix.table[i] = slot(h, len(ix.recs)-1)
			return len(ix.recs) - 1
		}
		ri := uint32(v) - 1
		if r := &ix.recs[ri]; r.hash == h && string(b.arena[r.key.off:r.key.off+r.key.n]) == key {
			return int(ri)
		}
	}
}

// grow doubles the table and re-inserts every rec by its stored hash.
func (b *builder) grow() {
	ix := b.ix
	ix.table = makeTable(ix.recs, make([]uint64, tableSize(4*(len(ix.recs)+1))))
}

// tableSize is the smallest power of two, at least 1024, that holds n.
func tableSize(n int) int {
	size := 1024
	for size < n {
		size *= 2
	}
	return size
}

// finishTables builds the final hash table (at most half full) and the
// Bloom filter from the recs.
func (ix *Index) finishTables() {
	ix.table = makeTable(ix.recs, bigSlice[uint64](ix, tableSize(2*(len(ix.recs)+1))))
	ix.bloom = makeBloom(ix.recs, false)
	ix.startBloom = makeBloom(ix.recs, true)
}

// bloomBits are the two bits of hash h in its bloom word.
func bloomBits(h uint64) uint64 { return 1<<(h&63) | 1<<((h>>6)&63) }

// makeBloom returns the bloom filter of recs, or of those that start a
// name when starts.
func makeBloom(recs []rec, starts bool) []uint64 {
	cnt := len(recs)
	if starts {
		cnt = 0
		for i := range recs {
			if recs[i].maxLen > 0 {
				cnt++
			}
		}
	}
	n := 64
	for n < cnt/8 { // 8 to 16 bits per rec
		n *= 2
	}
	b := make([]uint64, n)
	for i := range recs {
		if starts && recs[i].maxLen == 0 {
			continue
		}
		h := recs[i].hash
		b[(h>>40)&uint64(n-1)] |= bloomBits(h)
	}
	return b
}

// slot is the table value of rec ri with hash h.
func slot(h uint64, ri int) uint64 { return h>>32<<32 | uint64(ri+1) }

// makeTable fills t, zeroed and a power of two long, with recs and
// returns it.
func makeTable(recs []rec, t []uint64) []uint64 {
	mask := uint64(len(t) - 1)
	for ri := range recs {
		for i := recs[ri].hash & mask; ; i = (i + 1) & mask {
			if t[i] == 0 {
				t[i] = slot(recs[ri].hash, ri)
				break
			}
		}
	}
	return t
}

// Compile builds the index of g. common holds the match keys of common words
// (Lexicon.CommonKeys): place names among them need a place cue.
func Compile(g *gazetteers.Gazetteer, common map[string]bool) *Index {
	// size the arrays from the names, so that nothing grows by copying
	nNames, nToks, nBytes := 0, 0, 0
	for _, e := range g.Entries {
		nBytes += len(e.ID)
		for _, l := range e.Names {
			nNames += len(l.Names)
			for _, n := range l.Names {
				nBytes += 3 * len(n) // the name, its key, its tokens
				nToks += 1 + strings.Count(n, " ")
			}
		}
	}
	ix := &Index{ents: make([]entRec, 0, len(g.Entries)), recs: make([]rec, 0, nNames+nToks)}
	b := &builder{ix: ix, intern: map[string]sref{}, arena: make([]byte, 0, nBytes+nBytes/8)}
	ix.table = make([]uint64, tableSize(2*cap(ix.recs)))
	type pending struct {
		rec uint32
		nr  nameRec
	}
	ps := make([]pending, 0, nNames)
	for ei, e := range g.Entries {
		er := entRec{id: b.add(e.ID), typ: b.short(e.Type), kind: b.short(e.Kind), country: b.short(e.Country),
			admin1: b.short(e.Admin1), pop: e.Population, rank: 10}
		if e.Type == gazetteers.TypePlace {
			if r, ok := kindRank[e.Kind]; ok {
				er.rank = r
			}
		}
		if e.Lat != nil && e.Lon != nil {
			er.lat, er.lon = *e.Lat, *e.Lon
			er.flags |= entCoord
		}
		if from, to, hasFrom, hasTo, known := e.ValidWindow(); known {
			er.flags |= entWindow
			if hasFrom {
				er.flags |= entFrom
				er.from = days(from)
			}
			if hasTo {
				er.flags |= entTo
				er.to = days(to)
			}
		}
		ix.ents = append(ix.ents, er)
		for _, l := range e.Names {
			lang := l.Lang
			for i, n := range l.Names {
				nr := nameRec{entry: uint32(ei), name: b.add(n)}
				if i == 0 && lang == "en" {
					ix.ents[ei].nameEn = nr.name
				} else if i == 0 && lang == "ar" {
					ix.ents[ei].nameAr = nr.name
				}
				k := e.NameKey(lang, i)
				if k == "" {
					continue
				}
				if !normalize.HasArabic(n) {
					if normalize.IsUpperAcronym(n) && utf8.RuneCountInString(k) <= 6 {
						nr.flags |= nameAcronym
					}
					if first, _ := utf8.DecodeRuneInString(n); unicode.IsUpper(first) {
						nr.flags |= nameCapital
					}
				}
				if e.Type == gazetteers.TypePlace && common[k] {
					nr.flags |= nameCommon
				}
				ps = append(ps, pending{uint32(b.rec(k)), nr})
				// the tokens of k
				ntok := 1 + strings.Count(k, " ")
				first, rest, _ := strings.Cut(k, " ")
				fr := b.rec(first)
				ix.recs[fr].tok = true
				if ntok > maxNameTokens {
					ntok = maxNameTokens
				}
				if uint16(ntok) > ix.recs[fr].maxLen {
					ix.recs[fr].maxLen = uint16(ntok)
				}
				second := true
				for rest != "" {
					var t string
					t, rest, _ = strings.Cut(rest, " ")
					ix.recs[b.rec(t)].tok = true
					if second {
						ix.recs[fr].next |= nextBit(t)
						second = false
					}
				}
			}
		}
	}
	// group the names by key (counting sort), then order each group
	for _, p := range ps {
		ix.recs[p.rec].n++
	}
	next := uint32(0)
	for i := range ix.recs {
		ix.recs[i].first = next
		next += ix.recs[i].n
	}
	ix.names = make([]nameRec, len(ps))
	fill := make([]uint32, len(ix.recs))
	for _, p := range ps {
		r := &ix.recs[p.rec]
		ix.names[r.first+fill[p.rec]] = p.nr
		fill[p.rec]++
	}
	ix.arena = string(b.arena)
	// the final recs: without the estimate's slack, in big memory
	recs := bigSlice[rec](ix, len(ix.recs))
	copy(recs, ix.recs)
	ix.recs = recs
	ix.finishTables()
	for i := range ix.recs {
		r := &ix.recs[i]
		if r.n < 2 {
			continue
		}
		group := ix.names[r.first : r.first+r.n]
		sort.SliceStable(group, func(a, c int) bool {
			ea, ec := &ix.ents[group[a].entry], &ix.ents[group[c].entry]
			if ea.rank != ec.rank {
				return ea.rank < ec.rank
			}
			return ix.str(ea.id) < ix.str(ec.id)
		})
	}
	return ix
}

// days returns the day number (since 1970-01-01, UTC) of t.
func days(t time.Time) int32 {
	u := t.Unix()
	d := u / 86400
	if u < 0 && u%86400 != 0 {
		d--
	}
	return int32(d)
}

// validAt tells whether the entry's validity window holds t; known is false
// when the entry has none.
func (e *entRec) validAt(t time.Time) (valid, known bool) {
	if e.flags&entWindow == 0 {
		return true, false
	}
	d := days(t)
	if e.flags&entFrom != 0 && d < e.from {
		return false, true
	}
	if e.flags&entTo != 0 && d > e.to {
		return false, true
	}
	return true, true
}
