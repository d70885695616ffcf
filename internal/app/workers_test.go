package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/pipeline"
)

// workersFixture writes a JSON Lines file of many documents (the examples,
// the seed article, and a few broken lines) followed by a text file, so that
// workers really interleave and error records must keep their place.
func workersFixture(t *testing.T) []string {
	t.Helper()
	ex, err := os.ReadFile("../../testdata/examples.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(ex), []byte("\n"))
	var b bytes.Buffer
	for r := 0; r < 20; r++ {
		for i, l := range lines {
			var m map[string]any
			if err := json.Unmarshal(l, &m); err != nil {
				t.Fatal(err)
			}
			m["id"] = fmt.Sprintf("%v-%d", m["id"], r)
			out, _ := json.Marshal(m)
			b.Write(out)
			b.WriteByte('\n')
			if (r+i)%7 == 3 {
				fmt.Fprintf(&b, "{\"id\": \"seed-%d\", \"text\": %q}\n", r, string(seed))
			}
		}
		if r%6 == 5 {
			b.WriteString("{\"id\": \"broken\", \"text\": \n")
			b.WriteString("{\"id\": \"notext\"}\n")
		}
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "docs.jsonl")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{p, seedPath}
}

func extractWith(t *testing.T, paths []string, workers int, emit string) ([]byte, app.Stats) {
	t.Helper()
	return extractAhead(t, paths, workers, emit, 0)
}

func extractAhead(t *testing.T, paths []string, workers int, emit string, ahead int64) ([]byte, app.Stats) {
	t.Helper()
	c, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.Workers = workers
	c.Emit = emit
	c.DocDate = "2016-12-07"
	p, err := app.FromConfig(c, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	st, err := app.Extract(context.Background(), c, p, app.ExtractOptions{Paths: paths, Stdout: &out, AheadBytes: ahead}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes(), st
}

// TestWorkersSameOutput checks that hadath extract writes the same bytes
// with 1 and 4 workers (and with 2 and 0 = NumCPU), in both emit modes.
func TestWorkersSameOutput(t *testing.T) {
	paths := workersFixture(t)
	for _, emit := range []string{"documents", "events"} {
		want, wst := extractWith(t, paths, 1, emit)
		if wst.Written < 50 || wst.Failed == 0 || wst.Events == 0 {
			t.Fatalf("%s: fixture too weak: %+v", emit, wst)
		}
		for _, w := range []int{4, 2, 0} {
			got, st := extractWith(t, paths, w, emit)
			if st != wst {
				t.Errorf("%s: workers=%d stats %+v, workers=1 %+v", emit, w, st, wst)
			}
			if !bytes.Equal(got, want) {
				gl, wl := bytes.Split(got, []byte("\n")), bytes.Split(want, []byte("\n"))
				for i := 0; i < len(gl) && i < len(wl); i++ {
					if !bytes.Equal(gl[i], wl[i]) {
						t.Fatalf("%s: workers=%d differs from workers=1 at line %d:\n got: %.300s\nwant: %.300s", emit, w, i+1, gl[i], wl[i])
					}
				}
				t.Fatalf("%s: workers=%d: %d lines, workers=1: %d", emit, w, len(gl), len(wl))
			}
		}
	}
}

// TestTightReadAheadSameOutput checks that a bound on the bytes read ahead
// so tight that each document waits for the one before it to be decoded
// (every document is longer than it) changes nothing in the output, and
// does not stall, with one worker or four.
func TestTightReadAheadSameOutput(t *testing.T) {
	paths := workersFixture(t)
	want, wst := extractWith(t, paths, 1, "documents")
	for _, w := range []int{1, 4} {
		got, st := extractAhead(t, paths, w, "documents", 1)
		if st != wst || !bytes.Equal(got, want) {
			t.Fatalf("workers=%d, read-ahead of 1 byte: stats %+v and %d bytes, want %+v and %d bytes", w, st, len(got), wst, len(want))
		}
	}
}

// TestEncodedDocumentsReleaseTheirAnalysis checks that a JSON Lines run
// hands on documents without their runes, tokens and entities (released
// once the worker has encoded them) but with their events, whole with
// KeepAnalysis, and that a document written twice because of a duplicate
// id (its note spliced into its encoding) still has all its findings.
func TestEncodedDocumentsReleaseTheirAnalysis(t *testing.T) {
	c, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.DocDate = "2016-12-07"
	p, err := app.FromConfig(c, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	line := fmt.Sprintf("{\"id\": \"a\", \"text\": %q}\n", string(seed))
	in := filepath.Join(t.TempDir(), "dup.jsonl")
	if err := os.WriteFile(in, []byte(line+line), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, kept bytes.Buffer
	n := 0
	_, err = app.Extract(context.Background(), c, p, app.ExtractOptions{Paths: []string{in}, Stdout: &out,
		OnResult: func(r pipeline.Result) {
			n++
			f := r.Doc.Fields[0]
			if f.Tokens != nil || f.Runes != nil || f.Entities != nil {
				t.Errorf("result %d keeps %d tokens, %d runes and %d entities", n, len(f.Tokens), len(f.Runes), len(f.Entities))
			}
			if len(r.Doc.Events) == 0 || r.Doc.Events[0].Location == nil {
				t.Errorf("result %d lost its events", n)
			}
		}}, zerolog.Nop())
	if err != nil || n != 2 {
		t.Fatalf("%d results, %v", n, err)
	}
	n = 0
	_, err = app.Extract(context.Background(), c, p, app.ExtractOptions{Paths: []string{in}, Stdout: &kept,
		KeepAnalysis: true, OnResult: func(r pipeline.Result) {
			n++
			if f := r.Doc.Fields[0]; len(f.Tokens) == 0 || len(f.Runes) == 0 || len(f.Entities) == 0 {
				t.Errorf("KeepAnalysis: result %d has %d tokens, %d runes and %d entities", n, len(f.Tokens), len(f.Runes), len(f.Entities))
			}
		}}, zerolog.Nop())
	if err != nil || n != 2 {
		t.Fatalf("KeepAnalysis: %d results, %v", n, err)
	}
	if !bytes.Equal(out.Bytes(), kept.Bytes()) {
		t.Error("KeepAnalysis changes the output")
	}
	lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
	var first, second map[string]any
	if json.Unmarshal(lines[0], &first) != nil || json.Unmarshal(lines[1], &second) != nil {
		t.Fatalf("output not JSON: %s", out.Bytes())
	}
	if second["notes"] == nil || fmt.Sprint(first["entities"]) != fmt.Sprint(second["entities"]) ||
		fmt.Sprint(first["events"]) != fmt.Sprint(second["events"]) {
		t.Errorf("the duplicate, encoded again, differs beyond its note:\n%s\n%s", lines[0], lines[1])
	}
}
