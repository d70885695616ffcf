package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestInterrupt runs the real binary on a long input, sends SIGINT (then,
// in a second run, SIGTERM) once output has started, and checks the exit
// status and that every line written is a complete JSON record.
func TestInterrupt(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildBinary(t)
	in := filepath.Join(dir, "in.jsonl")
	f, err := os.Create(in)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	text := strings.Repeat("دعا مقاتلو المعارضة في شرق حلب إلى هدنة لمدة 5 أيام وإجلاء 500 حالة. ", 20)
	for i := 0; i < 20000; i++ {
		fmt.Fprintf(w, "{\"id\":\"d%d\",\"text\":%q}\n", i, text)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, c := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		cmd := exec.Command(bin, "extract", "--workers", "2", in)
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		var stderr strings.Builder
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		br := bufio.NewReaderSize(stdout, 1<<20)
		first, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("no output: %v", err)
		}
		if err := cmd.Process.Signal(c.sig); err != nil {
			t.Fatal(err)
		}
		lines := []string{first}
		for {
			l, err := br.ReadString('\n')
			if l != "" {
				lines = append(lines, l)
			}
			if err != nil {
				if l != "" && !strings.HasSuffix(l, "\n") {
					t.Errorf("%v: partial last line %.80q", c.sig, l)
				}
				break
			}
		}
		err = cmd.Wait()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		if code != c.code {
			t.Errorf("%v: exit %d, want %d; stderr: %s", c.sig, code, c.code, stderr.String())
		}
		if len(lines) >= 20000 {
			t.Errorf("%v: the run was not interrupted", c.sig)
		}
		for i, l := range lines {
			var rec map[string]any
			if err := json.Unmarshal([]byte(l), &rec); err != nil {
				t.Fatalf("%v: line %d is not JSON: %v", c.sig, i, err)
			}
		}
		if !strings.Contains(stderr.String(), "summary") {
			t.Errorf("%v: no summary on stderr: %s", c.sig, stderr.String())
		}
	}
}

// TestBrokenPipe: `hadath extract big | head -1` must end at once and
// quietly once the reader of its output has gone.
func TestBrokenPipe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	dir := t.TempDir()
	bin := buildBinary(t)
	in := filepath.Join(dir, "in.jsonl")
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		fmt.Fprintf(&b, "{\"id\":\"d%d\",\"text\":\"قصف على حلب وإدلب. Clashes in Homs.\"}\n", i)
	}
	if err := os.WriteFile(in, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", "'"+bin+"' extract '"+in+"' | head -n 1 > /dev/null; echo ${PIPESTATUS:-done}")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("pipeline failed: %v", err)
		}
	case <-time.After(60 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatal("hadath kept running after its reader went away")
	}
	if strings.Contains(stderr.String(), "panic") || strings.Contains(stderr.String(), "goroutine ") {
		t.Errorf("not quiet: %s", stderr.String())
	}
}

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// buildBinary builds the hadath binary once for all the tests that run it.
func buildBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "hadath-test-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "hadath")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = fmt.Errorf("build: %v\n%s", err, out)
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}
