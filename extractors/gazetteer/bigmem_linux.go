package gazetteer

import "syscall"

// madvHugepage is MADV_HUGEPAGE (linux/mman.h), which package syscall lacks
// on some architectures.
const madvHugepage = 14

// mapHuge maps size bytes of zeroed anonymous memory, rounded up to 2 MB,
// and asks for transparent huge pages; nil when the mapping fails.
func mapHuge(size int) []byte {
	size = (size + 2<<20 - 1) &^ (2<<20 - 1)
	mem, err := syscall.Mmap(-1, 0, size, syscall.PROT_READ|syscall.PROT_WRITE, syscall.MAP_ANON|syscall.MAP_PRIVATE)
	if err != nil {
		return nil
	}
	_ = syscall.Madvise(mem, madvHugepage) // a hint: without it, 4 KB pages
	return mem
}

// unmap releases memory from mapHuge.
func unmap(mem []byte) { _ = syscall.Munmap(mem) }
