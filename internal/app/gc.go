package app

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/rs/zerolog"
)

// gcHeadroom returns the heap a run with workers workers may grow by
// between collections once the resources are loaded, at least (gcPercent
// gives long documents more): several times what short documents in
// flight need, so 16 MB and 16 MB per worker. Less is faster, not slower,
// down to about this: the memory a collection frees is reused while it is
// still in the CPU cache and mapped, where a larger headroom has the run
// fault in and write fresh pages, and the collections cost little because
// the large live heap (a gazetteer index) holds no pointers; below it, the
// collections come too often for the documents in flight. Paired runs on
// the 52 MB bench text (CPU, against a fixed 96 MB): one worker -8% at 32
// MB with 500k names (16 MB: -4%), -11% with the default gazetteers; two
// workers -3% at 48 MB (32 MB: +0%, 16 MB: +10%).
func gcHeadroom(workers int) uint64 {
	return uint64(16+16*max(workers, 1)) << 20
}

// TuneGC sets the collector for a batch run, unless GOGC is set. Go's
// default (GOGC=100) lets the heap grow by its live size between
// collections: with the default gazetteers (a live heap of some 20 MB) that
// means a collection every 20 MB of the ~35 bytes a document allocates per
// byte of text, and with a large gazetteer index (hundreds of MB, all of it
// long-lived and pointer-free) a doubled peak for nothing. TuneGC collects
// once after loading, measures the live heap and sets the percentage so
// that the heap grows by about gcHeadroom(workers) between collections,
// between 25% and 800%. The live heap then grows by the documents in
// flight (more with more workers, much more with long documents), and a
// fixed percentage would grow the headroom with it: so until stop is
// called, the setting follows the live heap that each collection leaves,
// checked every retuneEvery, and gives the documents in flight their own
// size (gcPercent). See docs/SCALE.md.
func TuneGC(log zerolog.Logger, workers int) (stop func()) {
	if os.Getenv("GOGC") != "" {
		return func() {}
	}
	if workers <= 0 {
		workers = runtime.NumCPU() // as pipeline.Run does
	}
	runtime.GC()
	live, ok := liveHeap()
	if !ok {
		return func() {}
	}
	base := live // the resources: what documents in flight add comes on top
	pct := gcPercent(live, base, workers)
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
					if p := gcPercent(live, base, workers); p != pct {
						pct = p
						debug.SetGCPercent(pct)
					}
				}
			}
		}
	}()
	return func() { close(done) }
}

// retuneEvery is how often TuneGC's setting follows the live heap.
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

// gcPercent is the GOGC value that lets a heap of live bytes, of which base
// are the resources loaded before the run, grow by about gcHeadroom(workers)
// or what the documents in flight hold (live - base), whichever
// is more, between 25 and 800.
func gcPercent(live, base uint64, workers int) int {
	if live == 0 {
		return 100
	}
	hr := gcHeadroom(workers)
	if live > base {
		// long documents: a collection scans the documents in flight (their
		// tokens and entities hold pointers), so it must not come more
		// often than once per their size (1.5 times their size was needed
		// until pooled slices of a larger size class served long fields:
		// with them, 1 time runs in 0.99 of the CPU for 30-40 MB less)
		hr = max(hr, live-base)
	}
	return int(min(800, max(25, 100*hr/live)))
}
