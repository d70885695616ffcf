package app

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

func TestGCPercent(t *testing.T) {
	for _, c := range []struct {
		live, base uint64
		workers    int
		want       int
	}{
		// the resources alone (base = live): 16 MB and 16 MB per worker
		{0, 0, 1, 100}, {2 << 20, 2 << 20, 1, 800}, {4 << 20, 4 << 20, 1, 800}, {20 << 20, 20 << 20, 1, 160},
		{32 << 20, 32 << 20, 1, 100}, {64 << 20, 64 << 20, 1, 50}, {96 << 20, 96 << 20, 1, 33},
		{128 << 20, 128 << 20, 1, 25}, {384 << 20, 384 << 20, 1, 25}, {4 << 30, 4 << 30, 1, 25},
		{48 << 20, 48 << 20, 2, 100}, {96 << 20, 96 << 20, 2, 50}, {80 << 20, 80 << 20, 4, 100}, {96 << 20, 96 << 20, 0, 33},
		// documents in flight: what they hold, if more
		{96 << 20, 64 << 20, 1, 33}, {200 << 20, 100 << 20, 1, 50}, {400 << 20, 100 << 20, 2, 75},
		{1 << 30, 0, 1, 100}, {100 << 20, 200 << 20, 1, 32},
	} {
		if got := gcPercent(c.live, c.base, c.workers); got != c.want {
			t.Errorf("gcPercent(%d MB, base %d MB, %d workers) = %d, want %d", c.live>>20, c.base>>20, c.workers, got, c.want)
		}
	}
}

// TestTuneGCFollowsTheLiveHeap checks that the setting TuneGC makes follows
// the live heap of the run until it is stopped.
func TestTuneGCFollowsTheLiveHeap(t *testing.T) {
	if os.Getenv("GOGC") != "" {
		t.Skip("GOGC is set: TuneGC does nothing")
	}
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	stop := TuneGC(zerolog.Nop(), 1)
	small := gogc(t)
	keep := make([]byte, 256<<20) // 256 MB more live heap: the percentage must fall
	for i := 0; i < len(keep); i += 4096 {
		keep[i] = 1
	}
	runtime.GC()
	deadline := time.Now().Add(5 * time.Second)
	var now int
	for time.Now().Before(deadline) {
		time.Sleep(retuneEvery)
		now = gogc(t)
		if now < small {
			break
		}
	}
	runtime.KeepAlive(keep)
	stop()
	// 256 MB in flight get at most 1.5 times their size
	if now >= small || now > gcPercent(256<<20, 0, 1) {
		t.Errorf("GOGC %d with a small heap, %d with 256 MB more (want less, and at most %d)", small, now, gcPercent(256<<20, 0, 1))
	}
}

// gogc reads the collector's percentage.
func gogc(t *testing.T) int {
	s := []metrics.Sample{{Name: "/gc/gogc:percent"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Skip("no /gc/gogc:percent metric")
	}
	return int(s[0].Value.Uint64())
}
