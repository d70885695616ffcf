package output

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/hadath/hadath/pipeline"
)

// Formats are the output formats of extract (docs/EXPORTS.md).
var Formats = []string{"jsonl", "csv", "geojson"}

// ResultWriter writes a stream of results in one format. Close flushes the
// buffered output and ends it (GeoJSON's closing brackets); it does not
// close the underlying io.Writer and must be called once, also after a
// failed or interrupted run, so that what was written stays well formed.
type ResultWriter interface {
	Write(res pipeline.Result) error
	Close() error
}

// Counter is implemented by writers that pass over some input, so that the
// run summary can report it: the keys are log field names.
type Counter interface {
	Counts() map[string]int
}

// NewFormatWriter returns a writer for format (jsonl, csv or geojson; ""
// means jsonl). events selects one JSON line per event for jsonl; csv and
// geojson always write one row or feature per event.
func NewFormatWriter(format string, w io.Writer, events bool) (ResultWriter, error) {
	switch format {
	case "", "jsonl":
		return jsonlWriter{NewWriter(w, events)}, nil
	case "csv":
		return NewCSVWriter(w), nil
	case "geojson":
		return NewGeoJSONWriter(w), nil
	}
	return nil, fmt.Errorf("unknown output format %q (want %s)", format, strings.Join(Formats, ", "))
}

type jsonlWriter struct{ *Writer }

func (w jsonlWriter) Close() error { return w.Flush() }

// EventRow is one event in the flat, ACLED-like layout shared by the CSV
// and GeoJSON outputs. Field order is column order.
type EventRow struct {
	EventID       string   `json:"event_id"`
	EventDate     string   `json:"event_date"`
	TimePrecision int      `json:"time_precision"` // 1 day, 2 week/month, 3 year or coarser; 0 unknown
	EventType     string   `json:"event_type"`
	SubEventType  string   `json:"sub_event_type"`
	Actor1        string   `json:"actor1"`
	AssocActor1   string   `json:"assoc_actor_1"`
	Actor2        string   `json:"actor2"`
	Location      string   `json:"location"`
	Admin1        string   `json:"admin1"`
	Country       string   `json:"country"`
	Latitude      *float64 `json:"latitude"`
	Longitude     *float64 `json:"longitude"`
	GeoPrecision  int      `json:"geo_precision"` // 1 town or finer, 2 district/region, 3 governorate/country; 0 no location
	Fatalities    float64  `json:"fatalities"`
	Notes         string   `json:"notes"`
	Source        string   `json:"source"`
	DocID         string   `json:"doc_id"`
	HadathType    string   `json:"hadath_type"`
	HadathSubtype string   `json:"hadath_subtype"`
	Status        string   `json:"status"`
	Confidence    float64  `json:"confidence"`
	CAMEO         string   `json:"cameo"`
}

// CSVColumns are the CSV header, in order.
var CSVColumns = []string{
	"event_id", "event_date", "time_precision", "event_type", "sub_event_type",
	"actor1", "assoc_actor_1", "actor2", "location", "admin1", "country",
	"latitude", "longitude", "geo_precision", "fatalities", "notes", "source",
	"doc_id", "hadath_type", "hadath_subtype", "status", "confidence", "cameo",
}

// TimePrecision maps a date precision to ACLED's time_precision code.
func TimePrecision(p string) int {
	switch p {
	case "":
		return 0
	case "day", "hour", "minute", "second", "time", "part_of_day":
		return 1
	case "week", "month":
		return 2
	}
	return 3 // year, decade, century, ...
}

// GeoPrecision maps a gazetteer kind to ACLED's geo_precision code.
func GeoPrecision(kind string) int {
	switch kind {
	case "neighbourhood", "neighborhood", "village", "town", "city", "landmark":
		return 1
	case "district", "region":
		return 2
	case "governorate", "country":
		return 3
	}
	return 3
}

// Rows flattens the events of a processed document. A document with
// errors has no rows.
func Rows(res pipeline.Result) []EventRow {
	d := res.Doc
	if d == nil || res.Err != nil || res.Failed || len(d.Errors) > 0 {
		return nil
	}
	src := d.URL
	if src == "" {
		src = d.ID
	}
	rows := make([]EventRow, 0, len(d.Events))
	for i := range d.Events {
		ev := &d.Events[i]
		r := EventRow{
			EventID: ev.ID, EventType: ev.Codes.ACLEDEventType, SubEventType: ev.Codes.ACLEDSubEventType,
			Notes: EvidenceSentence(d, ev), Source: src, DocID: d.ID,
			HadathType: ev.Type, HadathSubtype: ev.Subtype, Status: ev.Status, Confidence: ev.Confidence, CAMEO: ev.Codes.CAMEO,
		}
		if ev.Date != nil {
			r.EventDate, r.TimePrecision = ev.Date.Value, TimePrecision(ev.Date.Precision)
		}
		// actor1 and assoc_actor_1 are the actors and requesters, actor2
		// the first target; a name is listed once (the same group can be
		// merged from two mentions of an event)
		var side []string
		for _, a := range ev.Actors {
			name := a.Name
			if name == "" {
				name = a.Text
			}
			switch a.Role {
			case "actor", "requester":
				if !slices.Contains(side, name) {
					side = append(side, name)
				}
			case "target":
				if r.Actor2 == "" {
					r.Actor2 = name
				}
			}
		}
		side = slices.DeleteFunc(side, func(n string) bool { return n == r.Actor2 && len(side) > 1 })
		if len(side) > 0 {
			r.Actor1 = side[0]
			r.AssocActor1 = strings.Join(side[1:], "; ")
		}
		if l := ev.Location; l != nil {
			r.Location = l.Name
			if r.Location == "" {
				r.Location = l.Text
			}
			r.Admin1, r.Country = l.Admin1, l.Country
			r.Latitude, r.Longitude = l.Lat, l.Lon
			r.GeoPrecision = GeoPrecision(l.Kind)
		}
		for _, q := range ev.Quantities {
			if q.Role == "killed" {
				r.Fatalities = q.Value
				break
			}
		}
		rows = append(rows, r)
	}
	return rows
}

// EvidenceSentence returns the text of the sentence holding the event's
// trigger.
func EvidenceSentence(d *pipeline.Document, ev *pipeline.Event) string {
	name := ev.Field
	if name == "" {
		name = "text"
	}
	for _, f := range d.Fields {
		if f.Name != name {
			continue
		}
		if ev.Sentence >= 0 && ev.Sentence < len(f.Sentences) {
			s := f.Sentences[ev.Sentence]
			if s.Start <= ev.Trigger.Start && ev.Trigger.Start < s.End {
				return strings.TrimSpace(f.Slice(s.Start, s.End))
			}
		}
		for _, s := range f.Sentences {
			if s.Start <= ev.Trigger.Start && ev.Trigger.Start < s.End {
				return strings.TrimSpace(f.Slice(s.Start, s.End))
			}
		}
		return ev.Trigger.Text
	}
	return ev.Trigger.Text
}

// CSVRecord formats a row in CSVColumns order.
func (r EventRow) CSVRecord() []string {
	coord := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', -1, 64)
	}
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
	itoa := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	return []string{
		r.EventID, r.EventDate, itoa(r.TimePrecision), r.EventType, r.SubEventType,
		r.Actor1, r.AssocActor1, r.Actor2, r.Location, r.Admin1, r.Country,
		coord(r.Latitude), coord(r.Longitude), itoa(r.GeoPrecision), num(r.Fatalities), r.Notes, r.Source,
		r.DocID, r.HadathType, r.HadathSubtype, r.Status, num(r.Confidence), r.CAMEO,
	}
}

// CSVWriter writes one CSV row per event, with a header row first (also
// when there are no events).
type CSVWriter struct {
	bw      *bufio.Writer
	cw      *csv.Writer
	started bool
	docErrs int
}

// NewCSVWriter returns a CSV writer on w.
func NewCSVWriter(w io.Writer) *CSVWriter {
	bw := bufio.NewWriterSize(w, 256<<10)
	return &CSVWriter{bw: bw, cw: csv.NewWriter(bw)}
}

func (w *CSVWriter) header() error {
	if w.started {
		return nil
	}
	w.started = true
	return w.cw.Write(CSVColumns)
}

// Write writes the rows of one result; a document with errors gives none
// and is counted.
func (w *CSVWriter) Write(res pipeline.Result) error {
	if err := w.header(); err != nil {
		return err
	}
	if res.Doc == nil || res.Err != nil || res.Failed || len(res.Doc.Errors) > 0 {
		w.docErrs++
		return nil
	}
	for _, r := range Rows(res) {
		if err := w.cw.Write(r.CSVRecord()); err != nil {
			return err
		}
	}
	return w.cw.Error()
}

// Close writes the header if nothing was written, and flushes.
func (w *CSVWriter) Close() error {
	herr := w.header()
	w.cw.Flush()
	if err := w.cw.Error(); err != nil {
		return err
	}
	if err := w.bw.Flush(); err != nil {
		return err
	}
	return herr
}

// Counts reports the documents left out because of errors.
func (w *CSVWriter) Counts() map[string]int {
	return map[string]int{"documents_without_rows": w.docErrs}
}
