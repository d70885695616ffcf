package progress

import (
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Meter counts documents and bytes and reports them periodically. A nil
// *Meter is valid and does nothing.
type Meter struct {
	out      io.Writer // terminal; nil in log mode
	logf     func(docs int64, mb, docsPerSec, mbPerSec float64, elapsed time.Duration)
	interval time.Duration
	start    time.Time
	now      func() time.Time

	docs, bytes atomic.Int64

	mu      sync.Mutex // guards the terminal line
	showing bool       // a status line is on screen, without its newline

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// TerminalInterval and LogInterval are the report periods.
const (
	TerminalInterval = 250 * time.Millisecond
	LogInterval      = 10 * time.Second
)

// NewTerminal returns a meter that redraws one status line on term.
func NewTerminal(term io.Writer) *Meter {
	return start(&Meter{out: term, interval: TerminalInterval})
}

// NewLog returns a meter that calls logf every interval (LogInterval when
// zero).
func NewLog(interval time.Duration, logf func(docs int64, mb, docsPerSec, mbPerSec float64, elapsed time.Duration)) *Meter {
	if interval <= 0 {
		interval = LogInterval
	}
	return start(&Meter{logf: logf, interval: interval})
}

func start(m *Meter) *Meter {
	m.now = time.Now
	m.start = m.now()
	m.stop = make(chan struct{})
	m.done = make(chan struct{})
	go m.loop()
	return m
}

func (m *Meter) loop() {
	defer close(m.done)
	t := time.NewTicker(m.interval)
	defer t.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-t.C:
			m.report()
		}
	}
}

// Add counts processed documents and their size in bytes.
func (m *Meter) Add(docs int, bytes int64) {
	if m == nil {
		return
	}
	m.docs.Add(int64(docs))
	m.bytes.Add(bytes)
}

// Line formats the status line.
func Line(docs int64, mb, docsPerSec, mbPerSec float64, elapsed time.Duration) string {
	return fmt.Sprintf("%d docs  %.1f MB  %.1f docs/s  %.2f MB/s  %s", docs, mb, docsPerSec, mbPerSec, elapsed.Truncate(time.Second))
}

func (m *Meter) snapshot() (int64, float64, float64, float64, time.Duration) {
	el := m.now().Sub(m.start)
	d := m.docs.Load()
	mb := float64(m.bytes.Load()) / 1e6
	sec := el.Seconds()
	if sec <= 0 {
		sec = 1e-9
	}
	return d, mb, float64(d) / sec, mb / sec, el
}

func (m *Meter) report() {
	d, mb, dps, mbps, el := m.snapshot()
	if m.out == nil {
		if m.logf != nil {
			m.logf(d, mb, dps, mbps, el)
		}
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	fmt.Fprint(m.out, "\r\x1b[K"+Line(d, mb, dps, mbps, el))
	m.showing = true
}

// Stop ends the reports and erases the status line. It is safe to call
// more than once.
func (m *Meter) Stop() {
	if m == nil {
		return
	}
	m.once.Do(func() {
		close(m.stop)
		<-m.done
		m.mu.Lock()
		defer m.mu.Unlock()
		if m.showing {
			fmt.Fprint(m.out, "\r\x1b[K")
			m.showing = false
		}
	})
}

// Writer wraps w (the same terminal) so that each write first erases the
// status line; the next report redraws it below. Use it for log output.
func (m *Meter) Writer(w io.Writer) io.Writer {
	if m == nil || m.out == nil {
		return w
	}
	return clearingWriter{m, w}
}

type clearingWriter struct {
	m *Meter
	w io.Writer
}

func (c clearingWriter) Write(p []byte) (int, error) {
	c.m.mu.Lock()
	defer c.m.mu.Unlock()
	if c.m.showing {
		fmt.Fprint(c.w, "\r\x1b[K")
		c.m.showing = false
	}
	return c.w.Write(p)
}
