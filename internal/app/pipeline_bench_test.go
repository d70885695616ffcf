package app_test

// Throughput benchmarks (issue #7). Run them with
//
//	go test ./internal/app -run '^$' -bench . -benchmem -benchtime 3x
//
// Every benchmark reports MB/s (UTF-8 bytes of document text) and docs/s.
// Corpora: "fixtures" is the seed article and testdata/examples.jsonl;
// "news" is /work/shared/data/news/saudinewsnet-2015-conflict-dev.jsonl
// (field content) and "english" /work/shared/data/events/wikievents-dev.jsonl
// (English news articles, field text), each skipped when absent. Gazetteers: "default" is the
// embedded one; "big500k" is 500,000 generated pseudo-Arabic names
// (scripts/benchdata), built in memory, without the defaults, as
// `hadath extract --no-default-gazetteers --gazetteer big.yaml` does.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/extractors/gazetteer"
	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/input"
	"github.com/hadath/hadath/internal/output"
	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/scripts/benchdata"
)

type benchCorpus struct {
	name  string
	jsonl []byte // {"id","text","date"} lines, the input of app.Extract
	docs  int
	bytes int64 // text bytes
}

var corpora struct {
	once sync.Once
	list []benchCorpus
	err  error
}

func benchCorpora(b *testing.B) []benchCorpus {
	corpora.once.Do(func() {
		docs, news, err := benchdata.Corpus("../..")
		if err != nil {
			corpora.err = err
			return
		}
		// the first documents are the fixtures the repository ships
		nfix := len(docs)
		if news {
			all, _ := benchdata.News()
			nfix -= len(all)
		}
		mk := func(name string, ds []benchdata.Doc) benchCorpus {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			for _, d := range ds {
				_ = enc.Encode(map[string]string{"id": d.ID, "text": d.Text, "date": "2016-12-07"})
			}
			return benchCorpus{name: name, jsonl: buf.Bytes(), docs: len(ds), bytes: benchdata.Bytes(ds)}
		}
		corpora.list = append(corpora.list, mk("fixtures", docs[:nfix]))
		if news {
			corpora.list = append(corpora.list, mk("news", docs[nfix:]))
		}
		en, err := benchdata.English()
		if err != nil {
			corpora.err = err
			return
		}
		if len(en) > 0 {
			corpora.list = append(corpora.list, mk("english", en))
		}
	})
	if corpora.err != nil {
		b.Fatal(corpora.err)
	}
	return corpora.list
}

type benchPipeline struct {
	cfg *config.Config
	p   *pipeline.Pipeline
}

var pipes struct {
	sync.Mutex
	m map[string]*benchPipeline
}

// benchPipe builds (once) the default pipeline or the one with the 500k
// generated names.
func benchPipe(b *testing.B, gaz string) *benchPipeline {
	pipes.Lock()
	defer pipes.Unlock()
	if bp := pipes.m[gaz]; bp != nil {
		return bp
	}
	var c *config.Config
	var res *app.Resources
	if gaz == "default" {
		c, res = benchResources(b, nil)
	} else {
		c, res = benchResources(b, bigEntries())
	}
	t0 := time.Now()
	p, err := app.Build(c, res, zerolog.Nop())
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("%s: pipeline built in %v", gaz, time.Since(t0).Round(time.Millisecond))
	if pipes.m == nil {
		pipes.m = map[string]*benchPipeline{}
	}
	bp := &benchPipeline{cfg: c, p: p}
	pipes.m[gaz] = bp
	return bp
}

// parse reads the corpus with the input reader, as hadath extract does.
func parse(b *testing.B, c *config.Config, data []byte) []*pipeline.Document {
	o := c.InputOptions()
	o.Stdin = bytes.NewReader(data)
	ch := make(chan pipeline.Item, 64)
	go input.New(o).Read(context.Background(), []string{"-"}, ch)
	var docs []*pipeline.Document
	for it := range ch {
		if it.Err != nil {
			b.Fatal(it.Err)
		}
		docs = append(docs, it.Doc)
	}
	return docs
}

func report(b *testing.B, docs int) {
	b.ReportMetric(float64(docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

var gazNames = []string{"default", "big500k"}

// BenchmarkStage times each stage alone, on documents that went through
// the stages before it (outside the timer). Every stage replaces what it
// wrote on a second run, so the same documents serve every iteration.
func BenchmarkStage(b *testing.B) {
	for _, corp := range benchCorpora(b) {
		for _, gaz := range gazNames {
			b.Run(corp.name+"/"+gaz, func(b *testing.B) {
				bp := benchPipe(b, gaz)
				docs := parse(b, bp.cfg, corp.jsonl)
				for _, st := range bp.p.Stages {
					b.Run(st.Name(), func(b *testing.B) {
						b.SetBytes(corp.bytes)
						b.ReportAllocs()
						for b.Loop() {
							for _, d := range docs {
								if st.Name() == "normalize" {
									for _, f := range d.Fields {
										f.Runes = nil // count the []rune conversion
									}
								}
								if err := st.Process(d); err != nil {
									b.Fatal(err)
								}
							}
						}
						report(b, corp.docs)
					})
					// prepare the input of the next stage
					for _, d := range docs {
						if err := st.Process(d); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	}
}

// BenchmarkEndToEnd is hadath extract without the loading: JSON Lines in
// memory through the reader, every stage and the JSON writer, to
// io.Discard, with 1 and 2 workers, and the collector set as extract sets
// it (TuneGC).
func BenchmarkEndToEnd(b *testing.B) {
	for _, corp := range benchCorpora(b) {
		for _, gaz := range gazNames {
			for _, workers := range []int{1, 2} {
				b.Run(fmt.Sprintf("%s/%s/workers=%d", corp.name, gaz, workers), func(b *testing.B) {
					bp := benchPipe(b, gaz)
					c := *bp.cfg
					c.Workers = workers
					b.SetBytes(corp.bytes)
					b.ReportAllocs()
					old := debug.SetGCPercent(100)
					stop := app.TuneGC(zerolog.Nop(), workers)
					defer debug.SetGCPercent(old)
					defer stop()
					var ents int
					for b.Loop() {
						st, err := app.Extract(context.Background(), &c, bp.p,
							app.ExtractOptions{Stdin: bytes.NewReader(corp.jsonl), Stdout: io.Discard}, zerolog.Nop())
						if err != nil || st.Failed > 0 || st.Written != corp.docs {
							b.Fatalf("extract: %v %+v", err, st)
						}
						ents = st.Events
					}
					report(b, corp.docs)
					b.ReportMetric(float64(ents)/float64(corp.docs), "events/doc")
				})
			}
		}
	}
}

// BenchmarkOutput times the JSON writer alone on processed documents.
func BenchmarkOutput(b *testing.B) {
	for _, corp := range benchCorpora(b) {
		b.Run(corp.name, func(b *testing.B) {
			bp := benchPipe(b, "default")
			docs := parse(b, bp.cfg, corp.jsonl)
			for _, d := range docs {
				if err := bp.p.Process(d); err != nil {
					b.Fatal(err)
				}
			}
			b.SetBytes(corp.bytes)
			b.ReportAllocs()
			for b.Loop() {
				w := output.NewWriter(io.Discard, false)
				for _, d := range docs {
					if err := w.Write(pipeline.Result{Item: pipeline.Item{Doc: d, Source: d.Source}}); err != nil {
						b.Fatal(err)
					}
				}
				if err := w.Flush(); err != nil {
					b.Fatal(err)
				}
			}
			report(b, corp.docs)
		})
	}
}

// BenchmarkBuildBig times building the pipeline from 500k in-memory
// entries (gazetteer index, vocabulary), that is the load without YAML.
func BenchmarkBuildBig(b *testing.B) {
	c, res := benchResources(b, bigEntries())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := app.Build(c, res, zerolog.Nop()); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGazetteerScaling times the gazetteer stage alone on the news
// corpus with the first 5,000, 50,000 and 500,000 generated names (the
// same generator: each list holds the one before), the issue's "matching
// that costs about the same with 500k names as with 5k". More names also
// match more tokens (a place each, resolved and written), so the
// benchmark reports the entities per document beside MB/s, and ns/token.
func BenchmarkGazetteerScaling(b *testing.B) {
	var news *benchCorpus
	list := benchCorpora(b)
	for i := range list {
		if list[i].name == "news" {
			news = &list[i]
		}
	}
	if news == nil {
		b.Skip("no news corpus (" + benchdata.NewsPath + ")")
	}
	for _, n := range []int{5_000, 50_000, benchdata.BigNames, -benchdata.BigNames} {
		name := fmt.Sprintf("names=%d", n)
		if n < 0 {
			name = fmt.Sprintf("names=5000+%d-unmatched", -n-5_000)
		}
		b.Run(name, func(b *testing.B) {
			bp := scaledPipe(b, n)
			docs := parse(b, bp.cfg, news.jsonl)
			var gaz pipeline.Stage
			for _, st := range bp.p.Stages {
				if st.Name() == gazetteer.Name {
					gaz = st
					break
				}
				for _, d := range docs {
					if err := st.Process(d); err != nil {
						b.Fatal(err)
					}
				}
			}
			if gaz == nil {
				b.Fatal("no gazetteer stage")
			}
			toks, ents := 0, 0
			b.SetBytes(news.bytes)
			b.ReportAllocs()
			for b.Loop() {
				toks, ents = 0, 0
				for _, d := range docs {
					if err := gaz.Process(d); err != nil {
						b.Fatal(err)
					}
					for _, f := range d.Fields {
						toks += len(f.Tokens)
						ents += len(f.Entities)
					}
				}
			}
			report(b, news.docs)
			b.ReportMetric(float64(ents)/float64(news.docs), "entities/doc")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(toks), "ns/token")
		})
	}
}

// scaledPipe is benchPipe with the first n generated names instead of the
// 500k (the same pipeline for n = 500k); for n < 0, the first 5,000 and
// -n-5,000 names of eight letters that the text never holds, so that the
// index has the size of -n names and the matches of 5,000.
func scaledPipe(b *testing.B, n int) *benchPipeline {
	if n == benchdata.BigNames {
		return benchPipe(b, "big500k")
	}
	var entries []*gazetteers.Entry
	if n > 0 {
		entries = bigEntries()[:n]
	} else {
		entries = append(bigEntries()[:5_000:5_000], entriesOf(benchdata.Unmatched(-n-5_000), "u")...)
	}
	c, res := benchResources(b, entries)
	p, err := app.Build(c, res, zerolog.Nop())
	if err != nil {
		b.Fatal(err)
	}
	return &benchPipeline{cfg: c, p: p}
}

// benchResources loads the configuration and resources as extract does:
// with the embedded gazetteers when entries is nil, else with entries
// alone (as --no-default-gazetteers --gazetteer FILE).
func benchResources(b *testing.B, entries []*gazetteers.Entry) (*config.Config, *app.Resources) {
	c, err := config.Load("", nil)
	if err != nil {
		b.Fatal(err)
	}
	c.NoDefaultGazetteers = entries != nil
	res, err := app.LoadResources(c)
	if err != nil {
		b.Fatal(err)
	}
	if entries != nil {
		res.Gazetteer, res.Index = &gazetteers.Gazetteer{Entries: entries}, nil
	}
	return c, res
}

// bigEntries are the entries of the 500k generated names, as
// scripts/benchdata.WriteYAML writes them for hadath.
func bigEntries() []*gazetteers.Entry {
	return entriesOf(benchdata.Names(benchdata.BigNames), "g")
}

// entriesOf makes a place entry of each name, with the id prefix and the
// name's index for id (benchdata.ID's form for "g").
func entriesOf(names []string, prefix string) []*gazetteers.Entry {
	out := make([]*gazetteers.Entry, len(names))
	for i, n := range names {
		out[i] = &gazetteers.Entry{ID: prefix + strconv.Itoa(i), Type: gazetteers.TypePlace, Kind: "village", Country: "SY",
			Names: gazetteers.Names{{Lang: "ar", Names: []string{n}}}}
	}
	return out
}
