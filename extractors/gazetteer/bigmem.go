package gazetteer

import (
	"runtime"
	"unsafe"
)

// hugeMin is the size in bytes from which bigSlice asks the OS for memory
// of its own, backed by huge pages where it can. A variable so that tests
// can send every array there.
var hugeMin = 4 << 20

// bigSlice returns a zeroed slice of n Ts for one of ix's large, randomly
// read arrays (the hash table, the recs). From hugeMin bytes on, where the
// OS allows (Linux), the memory is mapped outside the Go heap and backed by
// 2 MB pages (transparent huge pages in madvise mode, the default of most
// distributions): a lookup in a 100 MB array then costs a cache miss
// instead of a cache miss and a TLB miss (a page walk, longer still in a
// virtual machine). ix releases the mapping when it is collected. T must
// hold no pointers: the collector does not see that memory.
func bigSlice[T any](ix *Index, n int) []T {
	var z T
	size := n * int(unsafe.Sizeof(z))
	if n == 0 || size < hugeMin {
		return make([]T, n)
	}
	mem := mapHuge(size)
	if mem == nil {
		return make([]T, n)
	}
	if ix.mapped == nil {
		ix.mapped = &mappings{}
		runtime.AddCleanup(ix, (*mappings).release, ix.mapped)
	}
	ix.mapped.mem = append(ix.mapped.mem, mem)
	return unsafe.Slice((*T)(unsafe.Pointer(unsafe.SliceData(mem))), n)
}

// mappings is the memory an Index mapped. Every method that reads it runs
// on behalf of a Stage (or an Index method) whose caller keeps it
// reachable until it returns; the exported Stage entry points end with
// runtime.KeepAlive to make sure.
type mappings struct{ mem [][]byte }

// release unmaps the memory.
func (m *mappings) release() {
	for _, b := range m.mem {
		unmap(b)
	}
	m.mem = nil
}
