package output_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/output"
	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/scripts/benchdata"
)

// extractResults runs the default pipeline over the inputs (paths, or
// JSON Lines on stdin when paths is empty) and returns the written output
// and the results, in output order, with their encoding cleared.
func extractResults(tb testing.TB, p *pipeline.Pipeline, emit string, paths []string, stdin []byte) ([]byte, []pipeline.Result) {
	tb.Helper()
	c, err := config.Load("", nil)
	if err != nil {
		tb.Fatal(err)
	}
	c.DocDate, c.Emit = "2016-12-07", emit
	var out bytes.Buffer
	var results []pipeline.Result
	o := app.ExtractOptions{Paths: paths, Stdout: &out, KeepAnalysis: true, OnResult: func(r pipeline.Result) {
		r.Encoded = nil
		results = append(results, r)
	}}
	if len(paths) == 0 {
		o.Stdin = bytes.NewReader(stdin)
	}
	if _, err := app.Extract(context.Background(), c, p, o, zerolog.Nop()); err != nil {
		tb.Fatal(err)
	}
	return out.Bytes(), results
}

func testdataPaths() []string {
	root := filepath.Join("..", "..", "testdata")
	return []string{filepath.Join(root, "seed-aleppo-2016-12-07.txt"), filepath.Join(root, "examples.jsonl")}
}

// TestPipelineOutputMatchesEncodingJSON runs extract over the seed article
// and the examples and checks that the output (encoded by the workers with
// Writer.Encode, and again with Writer.Write) is byte for byte what the
// encoding/json writer gives for the same results.
func TestPipelineOutputMatchesEncodingJSON(t *testing.T) {
	p, err := app.Default(zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	for _, emit := range []string{"documents", "events"} {
		got, results := extractResults(t, p, emit, testdataPaths(), nil)
		if len(results) < 4 {
			t.Fatalf("%s: %d results", emit, len(results))
		}
		var want, direct bytes.Buffer
		w := output.NewWriter(&direct, emit == "events")
		events := 0
		for _, r := range results {
			b, err := output.RefEncode(r, emit == "events")
			if err != nil {
				t.Fatal(err)
			}
			want.Write(b)
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
			if r.Doc != nil {
				events += len(r.Doc.Events)
			}
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		if events == 0 {
			t.Fatalf("%s: no events in the test data", emit)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s: extract output differs from encoding/json (%d vs %d bytes)", emit, len(got), want.Len())
		}
		if !bytes.Equal(direct.Bytes(), want.Bytes()) {
			t.Errorf("%s: Writer.Write differs from encoding/json", emit)
		}
	}
}

// benchResults are the processed documents of a corpus, for BenchmarkEncode.
type benchResults struct {
	name    string
	results []pipeline.Result
}

func loadBenchResults(b *testing.B) []benchResults {
	p, err := app.Default(zerolog.Nop())
	if err != nil {
		b.Fatal(err)
	}
	_, fix := extractResults(b, p, "documents", testdataPaths(), nil)
	out := []benchResults{{"fixtures", fix}}
	if _, err := os.Stat(benchdata.NewsPath); err == nil {
		news, err := benchdata.News()
		if err != nil {
			b.Fatal(err)
		}
		var in bytes.Buffer
		enc := json.NewEncoder(&in)
		for _, d := range news {
			_ = enc.Encode(map[string]string{"id": d.ID, "text": d.Text})
		}
		_, res := extractResults(b, p, "documents", nil, in.Bytes())
		out = append(out, benchResults{"news", res})
	}
	return out
}

// BenchmarkEncode compares the encoding/json writer with the appenders on
// processed documents, in the same run: Encode (what the workers call) in
// both modes, and Write on a stream of documents. MB/s counts output
// bytes; the old writer (OldWriter) is the code before issue #7.
func BenchmarkEncode(b *testing.B) {
	for _, corp := range loadBenchResults(b) {
		size := map[bool]int64{}
		for _, events := range []bool{false, true} {
			for _, r := range corp.results {
				enc, err := output.RefEncode(r, events)
				if err != nil {
					b.Fatal(err)
				}
				size[events] += int64(len(enc))
			}
		}
		for _, mode := range []struct {
			name   string
			events bool
		}{{"documents", false}, {"events", true}} {
			b.Run(corp.name+"/encode_"+mode.name+"/encoding_json", func(b *testing.B) {
				w := output.NewOldWriter(io.Discard, mode.events)
				b.SetBytes(size[mode.events])
				b.ReportAllocs()
				for b.Loop() {
					for _, r := range corp.results {
						if _, err := w.Encode(r); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
			b.Run(corp.name+"/encode_"+mode.name+"/append", func(b *testing.B) {
				w := output.NewWriter(io.Discard, mode.events)
				b.SetBytes(size[mode.events])
				b.ReportAllocs()
				for b.Loop() {
					for _, r := range corp.results {
						if _, err := w.Encode(r); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
		b.Run(corp.name+"/write_documents/encoding_json", func(b *testing.B) {
			b.SetBytes(size[false])
			b.ReportAllocs()
			for b.Loop() {
				w := output.NewOldWriter(io.Discard, false)
				for _, r := range corp.results {
					if err := w.Write(r); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Flush(); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(corp.name+"/write_documents/append", func(b *testing.B) {
			b.SetBytes(size[false])
			b.ReportAllocs()
			for b.Loop() {
				w := output.NewWriter(io.Discard, false)
				for _, r := range corp.results {
					if err := w.Write(r); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Flush(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
