package wordlist

import (
	"math/bits"
	"unsafe"
)

// Filter is a Bloom filter with one hash over match keys: the prefilter
// in front of a map of phrases. It never misses a key that was added; a key
// that was not is let through with a probability about the share of bits
// set (under 2%: NewFilter gives each key 64 to 128 bits). The hash reads
// only the length and the first and last eight bytes of a key (four Arabic
// letters each), mixed by one multiplication: testing a reading costs a few
// loads, not a pass over the string as the map's hash does.
//
// The zero Filter lets every key through: a table that has not been
// compiled is looked up as if it had no filter.
type Filter struct {
	bits  []uint64
	shift uint8 // 64 - log2(len(bits)*64)
}

// filterBitsPerKey is the fewest filter bits NewFilter gives each key (the
// size is rounded up to a power of two).
const filterBitsPerKey = 64

const (
	minFilterLog = 10 // 128 bytes
	maxFilterLog = 22 // 512 KiB
)

// NewFilter returns an empty filter sized for n keys.
func NewFilter(n int) Filter {
	lg := minFilterLog
	for lg < maxFilterLog && 1<<lg < n*filterBitsPerKey {
		lg++
	}
	return Filter{bits: make([]uint64, 1<<lg/64), shift: uint8(64 - lg)}
}

// Add adds key. On the zero Filter, which lets every key through, it does
// nothing.
func (f *Filter) Add(key string) {
	if f.bits == nil {
		return
	}
	h := hashString(key, f.shift)
	f.bits[h>>6] |= 1 << (h & 63)
}

// Has reports whether key may have been added: false means it was not.
// It holds hashString's code, inlined by hand: it is called for most
// readings of most tokens.
func (f *Filter) Has(key string) bool {
	if f.bits == nil {
		return true
	}
	n := len(key)
	var a, b uint64
	switch {
	case n >= 8:
		a, b = le64(key), le64(key[n-8:])
	case n >= 4:
		a, b = uint64(le32(key)), uint64(le32(key[n-4:]))
	default:
		for i := 0; i < n; i++ {
			a = a<<8 | uint64(key[i])
		}
	}
	h := mix(a, b, n, f.shift)
	return f.bits[h>>6]&(1<<(h&63)) != 0
}

// HasBytes is Has for a key held in a byte slice.
func (f *Filter) HasBytes(key []byte) bool {
	if f.bits == nil {
		return true
	}
	h := hashBytes(key, f.shift)
	return f.bits[h>>6]&(1<<(h&63)) != 0
}

// hashString hashes s to 64-shift bits: its length and its first and last
// eight bytes (four bytes each for keys of four to seven bytes, the bytes
// themselves for shorter keys), mixed by one multiplication.
func hashString(s string, shift uint8) uint64 {
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
	return mix(a, b, n, shift)
}

// hashBytes is hashString of string(s), without the conversion (s is
// only read during the call).
func hashBytes(s []byte, shift uint8) uint64 {
	return hashString(unsafe.String(unsafe.SliceData(s), len(s)), shift)
}

func mix(a, b uint64, n int, shift uint8) uint64 {
	return (a ^ bits.RotateLeft64(b, 29) ^ uint64(n)<<56) * 0x9E3779B97F4A7C15 >> shift
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
