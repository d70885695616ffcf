package hadathbeam_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"

	"github.com/hadath/hadath/beam/hadathbeam"
)

// TestMain runs the pipelines on Prism (ptest's default runner); pass
// --runner to use another.
func TestMain(m *testing.M) { ptest.Main(m) }

// fixture writes a small JSON Lines file: the examples the repository ships,
// the seed article as one document, a short Arabic document and a broken
// line.
func fixture(t *testing.T, dir string) string {
	t.Helper()
	ex, err := os.ReadFile("../../testdata/examples.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	seed, err := os.ReadFile("../../testdata/seed-aleppo-2016-12-07.txt")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.Write(bytes.TrimSpace(ex))
	fmt.Fprintf(&b, "\n{\"id\": \"seed\", \"date\": \"2016-12-07\", \"text\": %q}\n", string(seed))
	// A document without id is not here: hadath names it "file:line" and
	// hashes that into its event ids, which Beam cannot know.
	b.WriteString("{\"id\": \"idlib\", \"text\": \"غارات على ريف إدلب الجنوبي\"}\n")
	b.WriteString("{\"id\": \"broken\", \"text\": \n")
	p := filepath.Join(dir, "in.jsonl")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// hadathExtract runs the real command (go tool hadath, see go.mod) on path.
func hadathExtract(t *testing.T, path string) []byte {
	t.Helper()
	cmd := exec.Command("go", "tool", "hadath", "extract", "--doc-date", "2016-12-07", "--log-level", "error", path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	// exit status 1: some documents failed (the broken line), as intended
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) {
		t.Fatalf("hadath extract: %v\n%s", err, stderr.Bytes())
	}
	return out
}

func sortedLines(b []byte) [][]byte {
	ls := bytes.Split(bytes.TrimSuffix(b, []byte("\n")), []byte("\n"))
	slices.SortFunc(ls, bytes.Compare)
	return ls
}

func TestPipelineMatchesHadathExtract(t *testing.T) {
	dir := t.TempDir()
	in := fixture(t, dir)
	want := hadathExtract(t, in)
	// Beam does not know line numbers: "file:N" becomes "file" (in source,
	// in ids made from it and in input error messages).
	want = regexp.MustCompile(regexp.QuoteMeta(in)+`:\d+`).ReplaceAll(want, []byte(in))

	const shards = 3
	outPrefix := filepath.Join(dir, "out", "records")
	if err := os.MkdirAll(filepath.Dir(outPrefix), 0o755); err != nil {
		t.Fatal(err)
	}
	p, s := beam.NewPipelineWithRoot()
	if err := hadathbeam.Build(s, hadathbeam.Options{Input: in, Output: outPrefix, Shards: shards, DocDate: "2016-12-07"}); err != nil {
		t.Fatal(err)
	}
	if _, err := ptest.RunWithMetrics(p); err != nil {
		t.Fatal(err)
	}
	var got []byte
	files, _ := filepath.Glob(outPrefix + "-*")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, b...)
	}
	gl, wl := sortedLines(got), sortedLines(want)
	if len(wl) < 6 {
		t.Fatalf("hadath extract wrote only %d lines", len(wl))
	}
	if !slices.EqualFunc(gl, wl, bytes.Equal) {
		t.Errorf("beam output (%d lines in %d files) differs from hadath extract (%d lines)", len(gl), len(files), len(wl))
		for i := 0; i < len(gl) && i < len(wl); i++ {
			if !bytes.Equal(gl[i], wl[i]) {
				k := 0
				for k < len(gl[i]) && k < len(wl[i]) && gl[i][k] == wl[i][k] {
					k++
				}
				from := max(k-150, 0)
				t.Fatalf("first difference, line %d byte %d:\n  beam: ...%.300s\nhadath: ...%.300s", i, k, gl[i][from:], wl[i][from:])
			}
		}
	}
}
