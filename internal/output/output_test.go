package output

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hadath/hadath/pipeline"
)

func processedDoc() *pipeline.Document {
	lat := 36.2021
	return &pipeline.Document{
		ID: "a1", Text: "دعا مقاتلو المعارضة في شرق حلب <b>&</b>", Title: "هدنة حلب", Lang: "ar",
		URL: "https://example.org/?a=1&b=<2>", Date: "07/12/2016",
		DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true,
		Source: "dump.jsonl:3",
		Extra:  map[string]json.RawMessage{"outlet": json.RawMessage(`"<rt> & co"`), "n": json.RawMessage(`3`)},
		Fields: []*pipeline.Field{
			{Name: "text",
				Entities:   []pipeline.Entity{{Field: "text", Type: "place", Text: "شرق حلب", Start: 23, End: 30, ID: "sy-aleppo-east", Name: "East Aleppo", Lat: &lat, Match: "exact"}},
				Dates:      []pipeline.DateMention{{Field: "text", Text: "الأربعاء", Start: 1, End: 9, Type: "date", Value: "2016-12-07", Precision: "day", Anchor: "document_date"}},
				Quantities: []pipeline.Quantity{{Field: "text", Text: "5 أيام", Start: 40, End: 46, Value: 5}},
			},
			{Name: "title",
				Entities: []pipeline.Entity{{Field: "title", Type: "place", Text: "حلب", Start: 5, End: 8, ID: "sy-aleppo", Name: "Aleppo", Match: "exact"}},
			},
		},
		Events: []pipeline.Event{
			{ID: "a1-e1", Type: "ceasefire", Status: "requested", Trigger: pipeline.Span{Text: "هدنة", Start: 0, End: 4}, Actors: []pipeline.Actor{}, Quantities: []pipeline.EventQuantity{}},
			{ID: "a1-e2", Type: "evacuation", Status: "reported", Trigger: pipeline.Span{Text: "إجلاء", Start: 10, End: 15}, Actors: []pipeline.Actor{}, Quantities: []pipeline.EventQuantity{}},
		},
		Notes: []string{"invalid UTF-8 replaced by U+FFFD"},
	}
}

// decode parses one JSON line into a generic map, failing on invalid JSON.
func decode(t *testing.T, line []byte) map[string]any {
	t.Helper()
	var m map[string]any
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("invalid JSON %q: %v", line, err)
	}
	return m
}

func lines(t *testing.T, b []byte) [][]byte {
	t.Helper()
	if len(b) == 0 {
		return nil
	}
	if b[len(b)-1] != '\n' {
		t.Fatalf("output does not end with a newline: %q", b)
	}
	return bytes.Split(b[:len(b)-1], []byte("\n"))
}

func TestFromResult(t *testing.T) {
	tests := []struct {
		name  string
		res   pipeline.Result
		check func(t *testing.T, rec Record, m map[string]any)
	}{
		{
			name: "processed document",
			res:  pipeline.Result{Item: pipeline.Item{Doc: processedDoc(), Source: "dump.jsonl:3"}},
			check: func(t *testing.T, rec Record, m map[string]any) {
				if rec.ID != "a1" || rec.Source != "dump.jsonl:3" || rec.Lang != "ar" || rec.Title != "هدنة حلب" {
					t.Errorf("attributes: %+v", rec)
				}
				if rec.Date != "2016-12-07" {
					t.Errorf("date = %q, want the parsed date as YYYY-MM-DD", rec.Date)
				}
				if len(rec.Entities) != 2 || rec.Entities[0].Field != "text" || rec.Entities[1].Field != "title" {
					t.Errorf("entities of both fields, text first: %+v", rec.Entities)
				}
				if len(rec.Dates) != 1 || len(rec.Quantities) != 1 || len(rec.Events) != 2 {
					t.Errorf("dates %d quantities %d events %d", len(rec.Dates), len(rec.Quantities), len(rec.Events))
				}
				if len(rec.Errors) != 0 {
					t.Errorf("errors = %+v", rec.Errors)
				}
				meta, ok := m["meta"].(map[string]any)
				if !ok || meta["outlet"] != "<rt> & co" || meta["n"] != json.Number("3") {
					t.Errorf("meta = %v", m["meta"])
				}
				if notes, ok := m["notes"].([]any); !ok || len(notes) != 1 {
					t.Errorf("notes = %v", m["notes"])
				}
				if _, ok := m["text"]; ok {
					t.Errorf("the document text should not be copied to the record")
				}
			},
		},
		{
			name: "unparsed date kept as given",
			res: pipeline.Result{Item: pipeline.Item{Doc: &pipeline.Document{ID: "d", Date: "last Tuesday",
				Fields: []*pipeline.Field{{Name: "text"}}}, Source: "f:1"}},
			check: func(t *testing.T, rec Record, m map[string]any) {
				if rec.Date != "last Tuesday" {
					t.Errorf("date = %q", rec.Date)
				}
			},
		},
		{
			name: "input error without document",
			res:  pipeline.Result{Item: pipeline.Item{Err: errors.New("dump.jsonl:7: malformed JSON: x"), Source: "dump.jsonl:7"}},
			check: func(t *testing.T, rec Record, m map[string]any) {
				if rec.ID != "dump.jsonl:7" || rec.Source != "dump.jsonl:7" {
					t.Errorf("id %q source %q", rec.ID, rec.Source)
				}
				if len(rec.Errors) != 1 || rec.Errors[0].Stage != "input" || !strings.Contains(rec.Errors[0].Message, "malformed JSON") {
					t.Errorf("errors = %+v", rec.Errors)
				}
			},
		},
		{
			name: "input error with document",
			res: pipeline.Result{Item: pipeline.Item{Doc: &pipeline.Document{ID: "m", Source: "f:2"},
				Err: errors.New(`f:2: missing field "text"`), Source: "f:2"}},
			check: func(t *testing.T, rec Record, m map[string]any) {
				if rec.ID != "m" {
					t.Errorf("id = %q, want the document's", rec.ID)
				}
				if len(rec.Errors) != 1 || rec.Errors[0].Stage != "input" {
					t.Errorf("errors = %+v", rec.Errors)
				}
			},
		},
		{
			name: "stage failure",
			res: pipeline.Result{Item: pipeline.Item{Doc: &pipeline.Document{ID: "s", Fields: []*pipeline.Field{{Name: "text"}},
				Errors: []pipeline.RecordError{{Stage: "dates", Message: "internal error: boom"}}}, Source: "f:3"}, Failed: true},
			check: func(t *testing.T, rec Record, m map[string]any) {
				if len(rec.Errors) != 1 || rec.Errors[0].Stage != "dates" {
					t.Errorf("errors = %+v", rec.Errors)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := FromResult(tc.res)
			b, err := json.Marshal(rec)
			if err != nil {
				t.Fatal(err)
			}
			m := decode(t, b)
			for _, k := range []string{"entities", "dates", "quantities", "events", "errors"} {
				if _, ok := m[k].([]any); !ok {
					t.Errorf("%s = %v, want an array (not null or missing)", k, m[k])
				}
			}
			if _, ok := m["id"].(string); !ok {
				t.Errorf("id missing: %s", b)
			}
			tc.check(t, rec, m)
		})
	}
}

func TestWriterDocuments(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf, false)
	results := []pipeline.Result{
		{Item: pipeline.Item{Doc: processedDoc(), Source: "dump.jsonl:3"}},
		{Item: pipeline.Item{Err: errors.New("dump.jsonl:4: malformed JSON"), Source: "dump.jsonl:4"}},
		{Item: pipeline.Item{Doc: &pipeline.Document{ID: "empty", Fields: []*pipeline.Field{{Name: "text"}}}, Source: "dump.jsonl:5"}},
	}
	for _, r := range results {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("writer is buffered; wrote %d bytes before Flush", buf.Len())
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	ls := lines(t, buf.Bytes())
	if len(ls) != 3 {
		t.Fatalf("got %d lines, want 3:\n%s", len(ls), buf.Bytes())
	}
	for i, want := range []string{"a1", "dump.jsonl:4", "empty"} {
		if m := decode(t, ls[i]); m["id"] != want {
			t.Errorf("line %d id = %v, want %s", i, m["id"], want)
		}
	}
	out := buf.String()
	for _, s := range []string{"شرق حلب", "<rt> & co", "a=1&b=<2>"} {
		if !strings.Contains(out, s) {
			t.Errorf("output does not contain %q literally", s)
		}
	}
	for _, s := range []string{`\u003c`, `\u0026`, `\u06`} {
		if strings.Contains(out, s) {
			t.Errorf("output escapes characters (%s)", s)
		}
	}
	if !strings.Contains(string(ls[2]), `"entities":[]`) || !strings.Contains(string(ls[2]), `"errors":[]`) {
		t.Errorf("empty arrays not written as []: %s", ls[2])
	}
}

func TestWriterEvents(t *testing.T) {
	failed := &pipeline.Document{ID: "f", Fields: []*pipeline.Field{{Name: "text"}},
		Events: []pipeline.Event{{ID: "f-e1", Type: "attack"}},
		Errors: []pipeline.RecordError{{Stage: "events", Message: "boom"}}}
	tests := []struct {
		name string
		res  []pipeline.Result
		want []string // "doc_id type" or "doc_id ERR"
	}{
		{
			name: "one line per event",
			res:  []pipeline.Result{{Item: pipeline.Item{Doc: processedDoc(), Source: "dump.jsonl:3"}}},
			want: []string{"a1 ceasefire", "a1 evacuation"},
		},
		{
			name: "document without events writes nothing",
			res:  []pipeline.Result{{Item: pipeline.Item{Doc: &pipeline.Document{ID: "quiet", Fields: []*pipeline.Field{{Name: "text"}}}, Source: "x"}}},
			want: nil,
		},
		{
			name: "errors are written in events mode",
			res: []pipeline.Result{
				{Item: pipeline.Item{Err: errors.New("bad line"), Source: "dump.jsonl:9"}},
				{Item: pipeline.Item{Doc: failed, Source: "dump.jsonl:10"}, Failed: true},
				{Item: pipeline.Item{Doc: processedDoc(), Source: "dump.jsonl:11"}},
			},
			want: []string{"dump.jsonl:9 ERR", "f ERR", "a1 ceasefire", "a1 evacuation"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			w := NewWriter(&buf, true)
			for _, r := range tc.res {
				if err := w.Write(r); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range lines(t, buf.Bytes()) {
				m := decode(t, l)
				id, _ := m["doc_id"].(string)
				if id == "" {
					t.Errorf("line without doc_id: %s", l)
				}
				if errs, ok := m["errors"].([]any); ok {
					if len(errs) == 0 {
						t.Errorf("error line with no errors: %s", l)
					}
					got = append(got, id+" ERR")
					continue
				}
				typ, _ := m["type"].(string)
				got = append(got, id+" "+typ)
				if _, ok := m["trigger"].(map[string]any); !ok {
					t.Errorf("event without trigger: %s", l)
				}
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("lines = %q, want %q", got, tc.want)
			}
			if bytes.Contains(buf.Bytes(), []byte(`\u0`)) {
				t.Errorf("escaped characters in %s", buf.Bytes())
			}
		})
	}
}

// TestWriterDoesNotMutate checks that writing events does not set DocID on
// the document's own events (records may be written twice, e.g. in tests).
func TestWriterDoesNotMutate(t *testing.T) {
	doc := processedDoc()
	w := NewWriter(new(bytes.Buffer), true)
	if err := w.Write(pipeline.Result{Item: pipeline.Item{Doc: doc}}); err != nil {
		t.Fatal(err)
	}
	for _, ev := range doc.Events {
		if ev.DocID != "" {
			t.Errorf("event %s got DocID %q", ev.ID, ev.DocID)
		}
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	f.n++
	return 0, errors.New("disk full")
}

func TestWriterError(t *testing.T) {
	w := NewWriter(&failWriter{}, false)
	// Enough records to overflow the buffer: the error must surface from
	// Write or at the latest from Flush.
	var werr error
	for range 2000 {
		if werr = w.Write(pipeline.Result{Item: pipeline.Item{Doc: processedDoc()}}); werr != nil {
			break
		}
	}
	ferr := w.Flush()
	if werr == nil && ferr == nil {
		t.Fatal("write error was lost")
	}
}

// TestEncodeEqualsWrite checks that a result encoded in a worker (Encode,
// then Write of res.Encoded) gives the bytes Write gives, in both modes,
// and that Encode is safe for concurrent use.
func TestEncodeEqualsWrite(t *testing.T) {
	results := []pipeline.Result{
		{Item: pipeline.Item{Doc: processedDoc(), Source: "dump.jsonl:3"}},
		{Item: pipeline.Item{Err: errors.New("dump.jsonl:4: malformed JSON"), Source: "dump.jsonl:4"}},
		{Item: pipeline.Item{Doc: &pipeline.Document{ID: "empty", Fields: []*pipeline.Field{{Name: "text"}}}, Source: "dump.jsonl:5"}},
	}
	for _, events := range []bool{false, true} {
		var direct, pre bytes.Buffer
		wd, wp := NewWriter(&direct, events), NewWriter(&pre, events)
		encoded := make([][]byte, len(results))
		var wg sync.WaitGroup
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b, err := wp.Encode(results[i])
				if err != nil {
					t.Error(err)
				}
				encoded[i] = b
			}()
		}
		wg.Wait()
		for i, r := range results {
			if err := wd.Write(r); err != nil {
				t.Fatal(err)
			}
			r.Encoded = encoded[i]
			if err := wp.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := wd.Flush(); err != nil {
			t.Fatal(err)
		}
		if err := wp.Flush(); err != nil {
			t.Fatal(err)
		}
		if direct.Len() == 0 || !bytes.Equal(direct.Bytes(), pre.Bytes()) {
			t.Errorf("events=%v: encoded output differs:\n%s\nvs\n%s", events, pre.Bytes(), direct.Bytes())
		}
	}
}

// TestEncodeLongDocuments checks the buffer Encode sizes for long
// documents: the bytes are those Write gives, the first long document
// teaches the writer its output per byte of text, and a second like it is
// then encoded into a buffer that was made large enough at once.
func TestEncodeLongDocuments(t *testing.T) {
	long := func(id string, n int) pipeline.Result {
		doc := processedDoc()
		doc.ID = id
		text := strings.Repeat("حلب ", n)
		f := &pipeline.Field{Name: "text", Text: text}
		for i := 0; i < n; i += 3 {
			f.Entities = append(f.Entities, pipeline.Entity{Type: "place", Text: "حلب", Start: 4 * i, End: 4*i + 3, ID: fmt.Sprint("p", i), Name: "Aleppo", Match: "exact"})
		}
		doc.Fields = []*pipeline.Field{f}
		return pipeline.Result{Item: pipeline.Item{Doc: doc, Source: id}}
	}
	w := NewWriter(io.Discard, false)
	if h := w.outputHint(longDoc); h != 64<<10 {
		t.Fatalf("hint before any long document: %d, want the 64 KB floor", h)
	}
	if h := w.outputHint(longDoc - 1); h != 0 {
		t.Fatalf("hint for a short document: %d, want 0", h)
	}
	for i, n := range []int{40000, 50000, 45000} {
		res := long(fmt.Sprint("long", i), n)
		text := len(res.Doc.Fields[0].Text)
		hint := w.outputHint(text)
		got, err := w.Encode(res)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		wd := NewWriter(&want, false)
		if err := wd.Write(res); err != nil {
			t.Fatal(err)
		}
		if err := wd.Flush(); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Fatalf("document %d: %s", i, firstDiff(got, want.Bytes()))
		}
		if i > 0 && (hint < len(got) || cap(got) != hint) {
			t.Errorf("document %d: hint %d, capacity %d for %d bytes of output: want one buffer of the hint", i, hint, cap(got), len(got))
		}
		if r := int(w.ratio.Load()); r < len(got)/(text>>10+1)-1 || r > len(got)/(text>>10+1) {
			t.Errorf("document %d: ratio %d per KB, output %d for %d bytes of text", i, r, len(got), text)
		}
	}
}
