package pipeline

import (
	"testing"
	"unsafe"
)

// TestTokenSize guards the field order of Token: a document holds one per
// word, and padding between fields would make every one larger.
func TestTokenSize(t *testing.T) {
	if unsafe.Sizeof(uintptr(0)) != 8 {
		t.Skip("sizes are for 64-bit platforms")
	}
	if n := unsafe.Sizeof(Token{}); n != 64 {
		t.Fatalf("Token is %d bytes, want 64 (one cache line)", n)
	}
}
