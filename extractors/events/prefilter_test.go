package events_test

import (
	"bufio"
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/hadath/hadath/extractors/events"
	"github.com/hadath/hadath/pipeline"
)

// appendStrings appends the strings of a decoded JSON value of more than
// ten bytes: the texts, titles and evidence of the fixtures.
func appendStrings(dst []string, v any) []string {
	switch v := v.(type) {
	case string:
		if len(v) > 10 {
			dst = append(dst, v)
		}
	case []any:
		for _, x := range v {
			dst = appendStrings(dst, x)
		}
	case map[string]any:
		for _, x := range v {
			dst = appendStrings(dst, x)
		}
	}
	return dst
}

// TestTailFilterKeepsEvents checks that the tail prefilter of the token
// readings drops no event: the seed article, the examples and the labelled
// dev texts give the same events with it and without it.
func TestTailFilterKeepsEvents(t *testing.T) {
	p := pipelineForTest(t)
	var st *events.Stage
	for _, s := range p.Stages {
		if e, ok := s.(*events.Stage); ok {
			st = e
		}
	}
	if st == nil {
		t.Fatal("no events stage")
	}
	var texts []string
	seed, err := os.ReadFile("../../testdata/seed-aleppo-2016-12-07.txt")
	if err != nil {
		t.Fatal(err)
	}
	texts = append(texts, string(seed))
	for _, name := range []string{"../../testdata/examples.jsonl", "../../testdata/events-dev/saudinewsnet-dev.labels.jsonl"} {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			var rec map[string]any
			if json.Unmarshal(sc.Bytes(), &rec) != nil {
				continue
			}
			texts = appendStrings(texts, rec)
		}
		f.Close()
	}
	run := func(text string) string {
		doc := &pipeline.Document{ID: "t", Text: text, Fields: []*pipeline.Field{{Name: "text", Text: text}},
			DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true}
		if err := p.Process(doc); err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(doc.Events)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	defer events.SetTailFilter(st, true)
	nev := 0
	for i, text := range texts {
		events.SetTailFilter(st, true)
		with := run(text)
		events.SetTailFilter(st, false)
		without := run(text)
		if with != without {
			t.Fatalf("text %d: with the prefilter\n%s\nwithout\n%s", i, with, without)
		}
		if with != "null" {
			nev++
		}
	}
	if nev == 0 {
		t.Fatal("no events in the fixtures")
	}
	t.Logf("%d texts, %d with events", len(texts), nev)
}
