package main

import "testing"

func TestGCPercent(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 100}, {4 << 20, 800}, {20 << 20, 480}, {96 << 20, 100}, {192 << 20, 50}, {384 << 20, 25}, {4 << 30, 25},
	} {
		if got := gcPercent(c.live); got != c.want {
			t.Errorf("gcPercent(%d MB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
}
