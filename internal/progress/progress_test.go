package progress

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestTerminalRedrawsAtMostFourTimesASecond(t *testing.T) {
	var term syncBuf
	m := NewTerminal(&term)
	m.Add(3, 2_500_000)
	time.Sleep(1100 * time.Millisecond)
	// a log line erases the status line first
	log := m.Writer(&term)
	log.Write([]byte("log line\n"))
	m.Stop()
	m.Stop() // idempotent
	out := term.String()
	draws := strings.Count(out, "docs/s")
	if draws < 2 || draws > 5 {
		t.Errorf("%d redraws in 1.1 s, want 2..5 (at most 4/s):\n%q", draws, out)
	}
	if !strings.Contains(out, "3 docs  2.5 MB") || !strings.Contains(out, "MB/s") {
		t.Errorf("status line lacks the counts: %q", out)
	}
	if !strings.Contains(out, "\r\x1b[Klog line\n") {
		t.Errorf("the log line did not erase the status line: %q", out)
	}
	if !strings.HasSuffix(out, "\r\x1b[K") && !strings.HasSuffix(out, "log line\n") {
		t.Errorf("Stop left the status line on screen: %q", out)
	}
}

func TestLogMode(t *testing.T) {
	var mu sync.Mutex
	var calls []int64
	m := NewLog(30*time.Millisecond, func(docs int64, mb, dps, mbps float64, el time.Duration) {
		mu.Lock()
		calls = append(calls, docs)
		mu.Unlock()
	})
	m.Add(7, 100)
	time.Sleep(100 * time.Millisecond)
	m.Stop()
	mu.Lock()
	defer mu.Unlock()
	if len(calls) < 2 || calls[0] != 7 {
		t.Errorf("log calls %v", calls)
	}
	d := NewLog(0, nil)
	defer d.Stop()
	if d.interval != LogInterval {
		t.Error("default interval is not LogInterval")
	}
}

func TestNilMeter(t *testing.T) {
	var m *Meter
	m.Add(1, 1)
	m.Stop()
	var b bytes.Buffer
	if m.Writer(&b) != &b {
		t.Error("nil meter wraps the writer")
	}
}
