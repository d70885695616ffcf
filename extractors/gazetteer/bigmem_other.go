//go:build !linux

package gazetteer

// mapHuge is Linux only: elsewhere the arrays stay on the Go heap.
func mapHuge(size int) []byte { return nil }

// unmap is never called off Linux.
func unmap(mem []byte) {}
