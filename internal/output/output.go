package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"sync"
	"sync/atomic"

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

// Writer writes JSON Lines. Records are encoded by the hand-written
// appenders of append.go, which give the bytes of a json.Encoder with
// SetEscapeHTML(false).
type Writer struct {
	bw     *bufio.Writer
	events bool
	// ratio is the size of the output of the last long document Encode
	// encoded, in bytes per 1024 bytes of its text (see outputHint)
	ratio atomic.Uint32
}

// NewWriter returns a writer; with events set it writes one line per event.
func NewWriter(w io.Writer, events bool) *Writer {
	return &Writer{bw: bufio.NewWriterSize(w, 256<<10), events: events}
}

// Write writes the result: res.Encoded when set (see Encode), else the
// result encoded now. Error records are written in both modes.
func (w *Writer) Write(res pipeline.Result) error {
	if res.Encoded != nil {
		_, err := w.bw.Write(res.Encoded)
		b := res.Encoded[:0]
		putEncBuf(&b) // Encode's buffer, written
		return err
	}
	bp := getEncBuf()
	defer putEncBuf(bp)
	b, err := w.appendResult((*bp)[:0], &res)
	*bp = b
	// in events mode the lines before a failed event are written, as
	// they were by json.Encoder
	if len(b) > 0 {
		if _, werr := w.bw.Write(b); werr != nil {
			return werr
		}
	}
	return err
}

// Encode returns the lines Write writes for res, for Write to write as
// res.Encoded; it is safe for concurrent use (workers encode their own
// results). The bytes are a buffer of the writer's pool, not a copy:
// Write puts them back once written, so the caller must neither keep them
// nor pass them to Write twice.
func (w *Writer) Encode(res pipeline.Result) ([]byte, error) {
	bp := getEncBuf()
	buf := (*bp)[:0]
	text := textBytes(res.Doc)
	if want := w.outputHint(text); cap(buf) < want {
		putEncBuf(bp)
		buf = make([]byte, 0, want)
		bp = &buf
	}
	b, err := w.appendResult(buf, &res)
	if err != nil {
		*bp = b
		putEncBuf(bp)
		return nil, err
	}
	if text >= longDoc {
		w.ratio.Store(uint32(min(len(b)/(text>>10+1), 1<<20)))
	}
	return b, nil
}

// longDoc is the size of text (bytes) from which Encode sizes a document's
// buffer from the output of the long document before it.
const longDoc = 256 << 10

// outputHint is the room Encode gives the output of a document of text
// bytes: none for short documents (the pool's buffers serve them), and for
// long ones an eighth more than the last long document's output per byte
// of text (64 KB only, for the first), so that the buffer is made once instead of
// growing by doubling: the output of a 7 MB document is some 30 MB, and
// each doubling copied it into fresh memory (a quarter of the CPU of a run
// over such documents).
func (w *Writer) outputHint(text int) int {
	if text < longDoc {
		return 0
	}
	r := int(w.ratio.Load())
	return (text>>10+1)*r*9/8 + 64<<10
}

// textBytes is the size of doc's text, all fields.
func textBytes(doc *pipeline.Document) int {
	if doc == nil {
		return 0
	}
	n := 0
	for _, f := range doc.Fields {
		if f != nil {
			n += len(f.Text)
		}
	}
	return n
}

// WithNote returns what Encode returns for res once note is appended to
// res.Doc.Notes, given encoded, what Encode returned for res before, and
// notes, the document's notes then: the note is spliced into encoded (its
// buffer is reused), so that a run may recycle a document's analysis as
// soon as it is encoded and still add a note found later (a duplicate id
// is known only in input order). In events mode the lines carry no notes
// and encoded is returned as it is. The error says that encoded is not a
// record Encode wrote.
func (w *Writer) WithNote(encoded []byte, notes []string, note string) ([]byte, error) {
	if w.events {
		return encoded, nil
	}
	// a document's record ends with its notes (when it has some), then
	// ,"errors":[...]} and a newline; a string's quotes are escaped, and
	// no key after the notes is "errors" but that one, so the last
	// ,"errors": is the record's
	at := bytes.LastIndex(encoded, []byte(`,"errors":`))
	if at < 1 || (len(notes) > 0 && encoded[at-1] != ']') {
		return nil, errors.New("output: a note for bytes that are not an encoded record")
	}
	var ins []byte
	if len(notes) == 0 {
		ins = appendString(append(ins, `,"notes":[`...), note)
		ins = append(ins, ']')
	} else {
		at-- // before the ] of the notes
		ins = appendString(append(ins, ','), note)
	}
	return slices.Insert(encoded, at, ins...), nil
}

// encBufs are the buffers of Write and Encode, reused from one document
// to the next instead of growing a fresh buffer per document.
var encBufs = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

func getEncBuf() *[]byte { return encBufs.Get().(*[]byte) }

// maxEncBuf is the largest buffer encBufs keeps: the output of a document
// of a few MB of text (JSON is about 4.5 times the text of dense news). A
// long document's output built again from 16 KB, doubling, cost 16% of a
// run over 400 KB documents (1 MB, the bound before, kept none of theirs).
const maxEncBuf = 16 << 20

func putEncBuf(bp *[]byte) {
	if cap(*bp) <= maxEncBuf { // a huge document's buffer is not kept
		*bp = (*bp)[:0]
		encBufs.Put(bp)
	}
}

// appendResult appends the lines of res to dst. On error dst holds the
// complete lines before the failed value (events mode), nothing of it.
func (w *Writer) appendResult(dst []byte, res *pipeline.Result) ([]byte, error) {
	n := len(dst)
	if !w.events {
		dst, err := appendDocumentLine(dst, res)
		if err != nil {
			return dst[:n], err
		}
		return dst, nil
	}
	// events mode: the events of a document without errors, else one
	// error line (FromResult's id, events and errors)
	id := res.Source
	var events []pipeline.Event
	var errs []pipeline.RecordError
	if d := res.Doc; d != nil {
		id, events, errs = d.ID, d.Events, d.Errors
	}
	if len(errs) > 0 || res.Err != nil {
		return appendErrorLine(dst, id, res.Source, errs, res.Err), nil
	}
	for i := range events {
		n = len(dst)
		var err error
		if dst, err = appendEventLine(dst, &events[i], id); err != nil {
			return dst[:n], err
		}
	}
	return dst, nil
}

// Flush writes buffered data.
func (w *Writer) Flush() error { return w.bw.Flush() }
