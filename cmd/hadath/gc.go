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

// tuneGC sets the collector for a batch run, unless GOGC is set. Go's
// default (GOGC=100) lets the heap grow by its live size between
// collections: with the default gazetteers (a live heap of some 20 MB) that
// means a collection every 20 MB of the ~35 bytes a document allocates per
// byte of text, and with a large gazetteer index (hundreds of MB, all of it
// long-lived and pointer-free) a doubled peak for nothing. tuneGC collects
// once after loading, measures the live heap and sets the percentage so
// that the heap grows by about gcHeadroom between collections, between 25%
// and 800%. See docs/SCALE.md.
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
	debug.SetGCPercent(pct)
	log.Debug().Uint64("live_bytes", live).Int("gogc", pct).Msg("collector tuned to the live heap")
}

// gcPercent is the GOGC value that lets a heap of live bytes grow by about
// gcHeadroom, between 25 and 800.
func gcPercent(live uint64) int {
	if live == 0 {
		return 100
	}
	return int(min(800, max(25, 100*gcHeadroom/live)))
}
