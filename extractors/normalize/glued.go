package normalize

import (
	"sync"
	"unsafe"
)

// gluedSlots is the number of slots of a gluedMemo (a power of two): 8,192
// slots of 64 bytes, 512 KiB (with 4,096 slots, conflicts between the
// keys of a news corpus double the index searches).
const gluedSlots = 1 << 13

// gluedKeyLen is the longest key (bytes) a gluedMemo slot holds: 16
// Arabic letters. Longer keys are decided without the memo.
const gluedKeyLen = 32

// maxMemoCuts is how many cut points a slot holds; a split into more
// pieces is decided without the memo.
const maxMemoCuts = 8

// gluedSlot remembers the repair decision for one key: no split (ncuts
// 0) or the cut points (rune indexes into the key).
type gluedSlot struct {
	h     uint32
	klen  uint8 // 0: empty
	ncuts uint8
	cuts  [maxMemoCuts]uint8
	key   [gluedKeyLen]byte
	_     [18]byte
}

// gluedMemo is a direct-mapped cache of repair decisions, for one Stage
// (the decision depends on its vocabulary and function words) and one
// goroutine at a time. The decision for a token depends on its key alone,
// and the words that pass mayBeGlued repeat from one article to the next,
// while deciding costs an index lookup and, for many, a search over every
// split with an index lookup per piece. A slot holds the whole
// key and is compared in full, so the memo changes nothing but speed.
type gluedMemo struct {
	slots [gluedSlots]gluedSlot
}

// gluedPool holds one Stage's idle memos. It is a free list rather than a
// sync.Pool, which the collector empties: a memo dropped at every other
// collection would be refilled, one index search per key, several times a
// run. It keeps at most maxIdleMemos, so that a burst of goroutines does
// not pin memory for good.
type gluedPool struct {
	mu   sync.Mutex
	idle []*gluedMemo
}

// maxIdleMemos bounds the memos a gluedPool keeps (4 MiB).
const maxIdleMemos = 8

func (gp *gluedPool) get() *gluedMemo {
	gp.mu.Lock()
	if n := len(gp.idle); n > 0 {
		m := gp.idle[n-1]
		gp.idle[n-1] = nil
		gp.idle = gp.idle[:n-1]
		gp.mu.Unlock()
		return m
	}
	gp.mu.Unlock()
	return new(gluedMemo)
}

func (gp *gluedPool) put(m *gluedMemo) {
	gp.mu.Lock()
	if len(gp.idle) < maxIdleMemos {
		gp.idle = append(gp.idle, m)
	}
	gp.mu.Unlock()
}

// hashKey is FNV-1a over the key's bytes.
func hashKey(k string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(k); i++ {
		h ^= uint32(k[i])
		h *= 16777619
	}
	return h
}

// lookup returns the slot for key and whether it holds key's decision.
// The slot is nil when the key is too long to be remembered.
func (m *gluedMemo) lookup(key string) (*gluedSlot, bool) {
	if m == nil || len(key) > gluedKeyLen || len(key) == 0 {
		return nil, false
	}
	h := hashKey(key)
	sl := &m.slots[h&(gluedSlots-1)]
	return sl, sl.h == h && int(sl.klen) == len(key) && string(sl.key[:sl.klen]) == key
}

// store records the decision for key in sl (from lookup); a split with
// more than maxMemoCuts cuts, or a cut past 255, is not remembered.
func (sl *gluedSlot) store(key string, cuts []int) {
	if sl == nil || len(cuts) > maxMemoCuts {
		return
	}
	for _, c := range cuts {
		if c > 255 {
			return
		}
	}
	sl.h, sl.klen, sl.ncuts = hashKey(key), uint8(len(key)), uint8(len(cuts))
	for i, c := range cuts {
		sl.cuts[i] = uint8(c)
	}
	copy(sl.key[:], key)
}

// appendCuts appends the remembered cut points to dst; it returns nil when
// the key is not to be split.
func (sl *gluedSlot) appendCuts(dst []int) []int {
	if sl.ncuts == 0 {
		return nil
	}
	for _, c := range sl.cuts[:sl.ncuts] {
		dst = append(dst, int(c))
	}
	return dst
}

// a slot is one cache line
var _ = [1]struct{}{}[unsafe.Sizeof(gluedSlot{})-64]
