package wordlist

// keyTable is the compiled form of an Index: it maps every token key at
// which Match can find a phrase to the entries found there, with the
// number of key runes removed, in the order Match calls found. A key K
// reads as a first key F when K is F behind a run of the proclitics that
// eachReading removes (و ف ب ل, و ف then ب ل), or, for لل read as ال, when
// F is "ا"+s and K is s behind ل, ول or فل: Sort makes these keys from the
// first keys, and keeps those with a reading.
//
// A lookup hashes the key once (its length and its first and last eight
// bytes, as Filter does): a Bloom filter with one bit per key and at least
// keyBloomBitsPerKey bits a key turns most keys away in one load; the
// others are looked up in an open-addressed table of the keys (at most half
// full), by the same hash. The probe reads tags, a dense array of 32 bits of
// each slot's hash (0 in an empty slot), and compares a slot's key only
// when its tag matches; the keys are held one after another in keyData, so
// that the table's memory stays small and close together.
type keyTable[C comparable, V any] struct {
	bloom   []uint64
	tags    []uint32
	slots   []keySlot
	keyData string
	cands   []cand[C, V]
	// bloomShift and slotShift take the high bits of the hash for a bit
	// of bloom and for a slot.
	bloomShift, slotShift uint8
}

// keySlot is one key of a keyTable, keyData[off:off+klen], and its
// cands[lo:lo+n].
type keySlot struct {
	off, klen, lo, n uint32
}

// cand is an entry found at a key: its first key is the key less pre runes
// (-1: with ال for لل).
type cand[C comparable, V any] struct {
	e   *Entry[C, V]
	pre int
}

// keyBloomBitsPerKey is the fewest Bloom filter bits a keyTable gives each
// key (the size is rounded up to a power of two).
const keyBloomBitsPerKey = 16

// clitics are the runs of proclitics eachReading removes before a reading,
// and alefClitics those before the s of a first key "ا"+s read from لل.
var (
	clitics     = [...]string{"", "و", "ف", "ب", "ل", "وب", "ول", "فب", "فل"}
	alefClitics = [...]string{"ل", "ول", "فل"}
)

// compileKeys builds the keyTable of byFirst.
func compileKeys[C comparable, V any](byFirst map[string][]*Entry[C, V]) keyTable[C, V] {
	seen := map[string]bool{}
	var keys []string
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	for f := range byFirst {
		for _, p := range clitics {
			add(p + f)
		}
		if len(f) >= 2 && f[:2] == "ا" {
			for _, p := range alefClitics {
				add(p + f[2:])
			}
		}
	}
	var kt keyTable[C, V]
	type found struct {
		key   string
		lo, n int
	}
	var hits []found
	for _, k := range keys {
		lo := len(kt.cands)
		eachReading(k, true, func(r string, pre int) {
			for _, e := range byFirst[r] {
				kt.cands = append(kt.cands, cand[C, V]{e: e, pre: pre})
			}
		})
		if n := len(kt.cands) - lo; n > 0 {
			hits = append(hits, found{k, lo, n})
		}
	}
	slotLog := 4
	for 1<<slotLog < 2*len(hits) {
		slotLog++
	}
	bloomLog := 10
	for 1<<bloomLog < keyBloomBitsPerKey*len(hits) {
		bloomLog++
	}
	kt.slots = make([]keySlot, 1<<slotLog)
	kt.tags = make([]uint32, 1<<slotLog)
	var data []byte
	kt.bloom = make([]uint64, 1<<bloomLog/64)
	kt.slotShift, kt.bloomShift = uint8(64-slotLog), uint8(64-bloomLog)
	mask := len(kt.slots) - 1
	for _, h := range hits {
		x := hashString(h.key, 0)
		b := x >> kt.bloomShift
		kt.bloom[b>>6] |= 1 << (b & 63)
		s := int(x >> kt.slotShift)
		for kt.tags[s] != 0 {
			s = (s + 1) & mask
		}
		kt.tags[s] = keyTag(x)
		kt.slots[s] = keySlot{off: uint32(len(data)), klen: uint32(len(h.key)), lo: uint32(h.lo), n: uint32(h.n)}
		data = append(data, h.key...)
	}
	kt.keyData = string(data)
	return kt
}

// lookup returns the entries found at key k, in Match's order; nil when
// there are none. The hash is hashString's code, inlined by hand: lookup
// runs for every token.
func (kt *keyTable[C, V]) lookup(k string) []cand[C, V] {
	n := len(k)
	var a, b uint64
	switch {
	case n >= 8:
		a, b = le64(k), le64(k[n-8:])
	case n >= 4:
		a, b = uint64(le32(k)), uint64(le32(k[n-4:]))
	default:
		for i := 0; i < n; i++ {
			a = a<<8 | uint64(k[i])
		}
	}
	x := mix(a, b, n, 0)
	if bit := x >> kt.bloomShift; kt.bloom[bit>>6]&(1<<(bit&63)) == 0 {
		return nil
	}
	tags := kt.tags
	mask := len(tags) - 1
	tag := keyTag(x)
	for s := int(x >> kt.slotShift); ; s = (s + 1) & mask {
		t := tags[s&mask]
		if t == 0 {
			return nil
		}
		if t != tag {
			continue
		}
		if sl := &kt.slots[s&mask]; int(sl.klen) == n && kt.keyData[sl.off:sl.off+sl.klen] == k {
			return kt.cands[sl.lo : sl.lo+sl.n]
		}
	}
}

// keyTag returns the tag of a key of hash x in a keyTable: 32 low-middle
// bits of x, never 0. The slot and the Bloom bit take the high bits.
func keyTag(x uint64) uint32 { return uint32(x>>8) | 1 }
