package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"

	"github.com/rs/zerolog"
)

// gcHeadroom is the heap a run may grow by between collections once the
// resources are loaded: about 20 times what the largest common documents
// need while they are processed by a few workers.
const gcHeadroom = 96 << 20

// tuneGC sets the collector for a batch run, unless GOGC is set: the
// default (GOGC=100) lets the heap grow by its live size between
// collections, which with a large gazetteer index (hundreds of MB, all of
// it long-lived and pointer-free) doubles the peak memory for nothing. It
// collects once after loading, measures the live heap and lowers the
// percentage so that the heap grows by about gcHeadroom, never below 25%;
// a small live heap keeps GOGC=100. See docs/SCALE.md.
func tuneGC(log zerolog.Logger) {
	if os.Getenv("GOGC") != "" {
		return
	}
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	live := s[0].Value.Uint64()
	pct := gcPercent(live)
	if pct < 100 {
		debug.SetGCPercent(pct)
		log.Debug().Uint64("live_bytes", live).Int("gogc", pct).Msg("collector tuned for a large live heap")
	}
}

// gcPercent is the GOGC value that lets a heap of live bytes grow by about
// gcHeadroom, between 25 and 100.
func gcPercent(live uint64) int {
	if live == 0 {
		return 100
	}
	return int(min(100, max(25, 100*gcHeadroom/live)))
}
