package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/rs/zerolog"
)

// gcHeadroom is the heap a run may grow by between collections once the
// resources are loaded: several times what the documents in flight need.
// Less is faster, not slower, down to about this: the memory a collection
// frees is reused while it is still in the CPU cache and mapped, where a
// larger headroom has the run fault in and write fresh pages, and the
// collections cost little because the large live heap (a gazetteer index)
// holds no pointers. Against 96 MB, on the 52 MB bench text with one
// worker: CPU -8% (500k names) and -11% (default gazetteers), peak RSS
// 265 -> 200 MB (500k names); no change with two workers.
const gcHeadroom = 32 << 20

// tuneGC sets the collector for a batch run, unless GOGC is set. Go's
// default (GOGC=100) lets the heap grow by its live size between
// collections: with the default gazetteers (a live heap of some 20 MB) that
// means a collection every 20 MB of the ~35 bytes a document allocates per
// byte of text, and with a large gazetteer index (hundreds of MB, all of it
// long-lived and pointer-free) a doubled peak for nothing. tuneGC collects
// once after loading, measures the live heap and sets the percentage so
// that the heap grows by about gcHeadroom between collections, between 25%
// and 800%. The live heap then grows by the documents in flight (more with
// more workers), and a fixed percentage would grow the headroom with it: so
// until stop is called, the setting follows the live heap that each
// collection leaves, checked every retuneEvery. See docs/SCALE.md.
func tuneGC(log zerolog.Logger) (stop func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	runtime.GC()
	live, ok := liveHeap()
	if !ok {
		return func() {}
	}
	pct := gcPercent(live)
	debug.SetGCPercent(pct)
	log.Debug().Uint64("live_bytes", live).Int("gogc", pct).Msg("collector tuned to the live heap")
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(retuneEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				if live, ok := liveHeap(); ok {
					if p := gcPercent(live); p != pct {
						pct = p
						debug.SetGCPercent(pct)
					}
				}
			}
		}
	}()
	return func() { close(done) }
}

// retuneEvery is how often tuneGC's setting follows the live heap.
const retuneEvery = 200 * time.Millisecond

// liveHeap returns the heap the last collection left live.
func liveHeap() (uint64, bool) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0, false
	}
	return s[0].Value.Uint64(), true
}

// gcPercent is the GOGC value that lets a heap of live bytes grow by about
// gcHeadroom, between 25 and 800.
func gcPercent(live uint64) int {
	if live == 0 {
		return 100
	}
	return int(min(800, max(25, 100*gcHeadroom/live)))
}
