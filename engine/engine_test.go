package engine_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/engine"
	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
)

// extract runs `hadath extract` (app.Extract with the default config) over
// paths, or over stdin when stdin is not nil.
func extract(t *testing.T, paths []string, stdin []byte, edit func(*config.Config)) []byte {
	t.Helper()
	c, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.DocDate = "2016-12-07"
	if edit != nil {
		edit(c)
	}
	p, err := app.FromConfig(c, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	o := app.ExtractOptions{Paths: paths, Stdout: &out}
	if stdin != nil {
		o.Stdin = bytes.NewReader(stdin)
	}
	if _, err := app.Extract(context.Background(), c, p, o, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// fixture writes a JSON Lines file with good, odd and broken lines.
func fixture(t *testing.T) string {
	t.Helper()
	ex, err := os.ReadFile("../testdata/examples.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	seed, err := os.ReadFile("../testdata/seed-aleppo-2016-12-07.txt")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.Write(ex)
	if !bytes.HasSuffix(ex, []byte("\n")) {
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "{\"id\": 42, \"text\": %q, \"outlet\": \"x\"}\n", string(seed))
	b.WriteString("\n")                                         // blank: skipped
	b.WriteString("{\"text\": \"بدون معرف في حلب\"}\n")         // no id: id is the source
	b.WriteString("{\"id\": \"bad\", \"text\": \n")             // malformed
	b.WriteString("[1, 2]\n")                                   // not an object
	b.WriteString("{\"id\": \"nt\", \"title\": \"no text\"}\n") // missing text
	b.WriteString("{\"id\": \"d\", \"date\": \"07/12/2016\", \"text\": \"قتل 5 أشخاص في قصف على إدلب أمس\"}\n")
	p := filepath.Join(t.TempDir(), "fixture.jsonl")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestProcessLineFromMatchesExtract(t *testing.T) {
	for _, emit := range []string{"documents", "events"} {
		t.Run(emit, func(t *testing.T) {
			path := fixture(t)
			want := extract(t, []string{path}, nil, func(c *config.Config) { c.Emit = emit })
			e, err := engine.New(engine.Options{DocDate: "2016-12-07", Emit: emit})
			if err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(path)
			var got bytes.Buffer
			nfailed := 0
			for i, line := range bytes.SplitAfter(data, []byte("\n")) {
				out, failed, err := e.ProcessLineFrom(fmt.Sprintf("%s:%d", path, i+1), line)
				if err != nil {
					t.Fatal(err)
				}
				if failed {
					nfailed++
				}
				got.Write(out)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("engine output differs from hadath extract\n got: %s\nwant: %s", got.Bytes(), want)
			}
			if nfailed != 3 {
				t.Errorf("failed = %d, want 3", nfailed)
			}
		})
	}
}

func TestProcessLineMatchesStdin(t *testing.T) {
	e, err := engine.New(engine.Options{DocDate: "2016-12-07"})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(fixture(t))
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 || line[0] != '{' {
			continue // stdin would read these as a text document
		}
		want := extract(t, nil, line, nil)
		got, err := e.ProcessLine(line)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("line %.40q:\n got: %s\nwant: %s", line, got, want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	e, err := engine.New(engine.Options{DocDate: "2016-12-07"})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile("../testdata/examples.jsonl")
	lines := bytes.Split(bytes.TrimSpace(data), []byte("\n"))
	want := make([][]byte, len(lines))
	for i, l := range lines {
		want[i], _ = e.ProcessLine(l)
	}
	errc := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			for r := 0; r < 5; r++ {
				for i, l := range lines {
					got, err := e.ProcessLine(l)
					if err == nil && !bytes.Equal(got, want[i]) {
						err = fmt.Errorf("line %d differs under concurrency", i)
					}
					if err != nil {
						errc <- err
						return
					}
				}
			}
			errc <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
}

func TestBadConfig(t *testing.T) {
	if _, err := engine.New(engine.Options{Emit: "nope"}); err == nil {
		t.Fatal("want an error for emit: nope")
	}
	if _, err := engine.New(engine.Options{Stages: []string{"normalize", "bogus"}}); err == nil {
		t.Fatal("want an error for an unknown stage")
	}
}
