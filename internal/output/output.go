package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"sync"

	"github.com/hadath/hadath/pipeline"
)

// Record is the JSON form of one processed document. The schema is
// documented in docs/SCHEMA.md.
type Record struct {
	ID         string                     `json:"id"`
	Source     string                     `json:"source,omitempty"`
	Lang       string                     `json:"lang,omitempty"`
	Date       string                     `json:"date,omitempty"`
	URL        string                     `json:"url,omitempty"`
	Title      string                     `json:"title,omitempty"`
	Entities   []pipeline.Entity          `json:"entities"`
	Dates      []pipeline.DateMention     `json:"dates"`
	Quantities []pipeline.Quantity        `json:"quantities"`
	Events     []pipeline.Event           `json:"events"`
	Meta       map[string]json.RawMessage `json:"meta,omitempty"`
	Notes      []string                   `json:"notes,omitempty"`
	Errors     []pipeline.RecordError     `json:"errors"`
}

// FromResult builds the record of a result.
func FromResult(res pipeline.Result) Record {
	rec := Record{Source: res.Source}
	if d := res.Doc; d != nil {
		rec.ID, rec.Lang, rec.URL, rec.Title = d.ID, d.Lang, d.URL, d.Title
		if d.HasDate {
			rec.Date = d.DocDate.Format("2006-01-02")
		} else {
			rec.Date = d.Date
		}
		for _, f := range d.Fields {
			rec.Entities = append(rec.Entities, f.Entities...)
			rec.Dates = append(rec.Dates, f.Dates...)
			rec.Quantities = append(rec.Quantities, f.Quantities...)
		}
		rec.Events = d.Events
		rec.Meta = d.Extra
		rec.Notes = d.Notes
		rec.Errors = append(rec.Errors, d.Errors...)
	} else {
		rec.ID = res.Source
	}
	if res.Err != nil {
		rec.Errors = append(rec.Errors, pipeline.RecordError{Stage: "input", Message: res.Err.Error()})
	}
	if rec.Entities == nil {
		rec.Entities = []pipeline.Entity{}
	}
	if rec.Dates == nil {
		rec.Dates = []pipeline.DateMention{}
	}
	if rec.Quantities == nil {
		rec.Quantities = []pipeline.Quantity{}
	}
	if rec.Events == nil {
		rec.Events = []pipeline.Event{}
	}
	if rec.Errors == nil {
		rec.Errors = []pipeline.RecordError{}
	}
	return rec
}

// Writer writes JSON Lines.
type Writer struct {
	bw     *bufio.Writer
	enc    *json.Encoder
	events bool
}

// NewWriter returns a writer; with events set it writes one line per event.
func NewWriter(w io.Writer, events bool) *Writer {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &Writer{bw: bw, enc: enc, events: events}
}

// Write writes the result: res.Encoded when set (see Encode), else the
// result encoded now. Error records are written in both modes.
func (w *Writer) Write(res pipeline.Result) error {
	if res.Encoded != nil {
		_, err := w.bw.Write(res.Encoded)
		return err
	}
	return w.encode(w.enc, res)
}

// Encode returns the lines Write writes for res. It is safe for concurrent
// use: workers encode their results in parallel (pipeline.RunOptions).
func (w *Writer) Encode(res pipeline.Result) ([]byte, error) {
	buf := encBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // a huge document's buffer is not kept
			buf.Reset()
			encBufs.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := w.encode(enc, res); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

// encBufs are Encode's scratch buffers: the output is copied out at its
// exact size instead of growing a fresh buffer per document.
var encBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (w *Writer) encode(enc *json.Encoder, res pipeline.Result) error {
	rec := FromResult(res)
	if w.events && len(rec.Errors) == 0 {
		for i := range rec.Events {
			ev := rec.Events[i]
			ev.DocID = rec.ID
			if err := enc.Encode(ev); err != nil {
				return err
			}
		}
		return nil
	}
	if w.events {
		return enc.Encode(struct {
			DocID  string                 `json:"doc_id"`
			Source string                 `json:"source,omitempty"`
			Errors []pipeline.RecordError `json:"errors"`
		}{rec.ID, rec.Source, rec.Errors})
	}
	return enc.Encode(rec)
}

// Flush writes buffered data.
func (w *Writer) Flush() error { return w.bw.Flush() }
