package pipeline

import (
	"math/bits"
	"sync"
)

// Recycle hands the runes, tokens and entities of doc's fields back for
// later documents (see MakeRunes, MakeTokens and MakeEntities) and drops
// them from doc. A batch run calls it once a document is encoded: the next
// documents then fill memory that is mapped and warm in the CPU cache
// instead of fresh memory that the runtime must zero, and the collector
// has less to do. Call it only when nothing reads those runes, tokens and
// entities any more, nor slices of them; the tokens' keys and key maps and
// the entities' strings are not recycled and stay valid, and so do the
// dates, quantities and events (events hold their own copies of their
// places).
func Recycle(doc *Document) {
	if doc == nil {
		return
	}
	for _, f := range doc.Fields {
		if f == nil {
			continue
		}
		runePool.put(f.Runes)
		tokenPool.put(f.Tokens) // cleared: drops the keys the tokens point at
		entityPool.put(f.Entities)
		f.Runes, f.Tokens, f.Entities = nil, nil, nil
	}
}

// MakeEntities returns n zero entities: a recycled slice when there is one.
// Slices of it may be handed out as the entities of several fields (each
// is recycled on its own).
func MakeEntities(n int) []Entity { return entityPool.make(n)[:n] }

// MakeRunes returns an empty slice with room for at least n runes: a
// recycled one when there is one.
func MakeRunes(n int) []rune { return runePool.make(n) }

// MakeTokens returns n zero tokens: a recycled slice when there is one.
func MakeTokens(n int) []Token { return tokenPool.make(n)[:n] }

// slicePool pools slices of T by capacity class (poolClass). Slices
// shorter than min or longer than maxRecycled are left to the allocator
// and the collector.
type slicePool[T any] struct {
	min int
	// clear zeroes a slice's elements when it is put, so that it holds no
	// pointers while pooled and make returns zero elements
	clear bool
	pools [numClasses]sync.Pool
}

// make returns an empty slice with room for at least n elements (zero
// elements when p clears), a recycled one when there is one.
func (p *slicePool[T]) make(n int) []T {
	if n < p.min || n > maxRecycled {
		return make([]T, 0, n)
	}
	cl := poolClass(n, true)
	// a slice of one of the next classes (at most twice n) serves too:
	// long fields differ in length, and a miss costs fresh memory
	for c := cl; c < min(cl+classesUp+1, numClasses); c++ {
		if s, ok := p.pools[c].Get().(*[]T); ok {
			return (*s)[:0]
		}
	}
	return make([]T, 0, classSize(cl))
}

// put hands s (the whole of its capacity) to the pool of its class.
func (p *slicePool[T]) put(s []T) {
	c := cap(s)
	if c < p.min {
		return
	}
	if p.clear {
		clear(s[:c])
	}
	s = s[:0]
	p.pools[poolClass(c, false)].Put(&s)
}

// classesUp is how many classes above n's make looks in for a slice.
const classesUp = 4

// Recycled slices are pooled by capacity, in classes four to a power of
// two (2^k, 1.25·2^k, 1.5·2^k, 1.75·2^k), so that a slice made for n
// elements has at most a quarter more room than n and any slice of n's
// class or above holds n.
const (
	minRecycled = 256 // smaller slices cost the allocator less than a pool
	// entities are 264 bytes: 16 of them (4 KB) are worth a pool
	minRecycledEntities = 16
	maxRecycled         = 1 << 22 // larger ones (a 4-million-word field) are left to the collector
	numClasses          = 4 * 23  // classes of 2^0 .. 2^22
)

var (
	runePool   = slicePool[rune]{min: minRecycled}
	tokenPool  = slicePool[Token]{min: minRecycled, clear: true}
	entityPool = slicePool[Entity]{min: minRecycledEntities, clear: true}
)

// poolClass returns the class of the smallest size at least c when up,
// else of the largest size at most c; c is in [4, maxRecycled] when up,
// at least 4 when not.
func poolClass(c int, up bool) int {
	if c > maxRecycled {
		c, up = maxRecycled, false
	}
	k := bits.Len(uint(c)) - 1 // 2^k <= c < 2^(k+1); k >= 2
	quarter := 1 << (k - 2)
	rest := c - 1<<k
	q := rest / quarter
	if up && rest%quarter != 0 {
		q++
	}
	return 4*k + q // q == 4 is class 4(k+1): 2^(k+1)
}

// classSize is the capacity that class cl stands for.
func classSize(cl int) int {
	k, q := cl/4, cl%4
	return 1<<k + q<<(k-2)
}
