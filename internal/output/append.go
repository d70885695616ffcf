package output

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hadath/hadath/pipeline"
)

// This file is the JSON Lines hot path: hand-written appenders for Record
// and the pipeline types it holds. Their output is byte for byte what a
// json.Encoder with SetEscapeHTML(false) writes for the same value (field
// order, omitempty, null for nil slices, float and string formatting, and
// the newline after each value). Writer goes one step further and appends
// a result's record straight from the document (document), without
// building the Record of FromResult. append_test.go checks both against
// encoding/json, also on every field of every type filled by reflection,
// so that a field added to a pipeline type without an appender here fails
// the tests. Only json.RawMessage values (Record.Meta) are handed to
// encoding/json (json.Compact, which has no reflection).

// encoder appends JSON and keeps the first error met: a float that JSON
// cannot hold (NaN, ±Inf) or an invalid json.RawMessage, with the error
// encoding/json reports for it. After an error the appended bytes are
// meaningless and must be dropped.
type encoder struct {
	err error
	// touched is the value of the loads of touch, otherwise unused.
	touched byte
}

// appendRecordLine appends rec and a newline to dst, as json.Encoder's
// Encode does.
func appendRecordLine(dst []byte, rec *Record) ([]byte, error) {
	var e encoder
	dst = e.record(dst, rec)
	return append(dst, '\n'), e.err
}

// appendDocumentLine appends the record of res and a newline: the bytes of
// appendRecordLine(FromResult(res)).
func appendDocumentLine(dst []byte, res *pipeline.Result) ([]byte, error) {
	var e encoder
	dst = e.document(dst, res)
	return append(dst, '\n'), e.err
}

// appendEventLine appends one event of events mode, with docID as its
// doc_id, and a newline.
func appendEventLine(dst []byte, ev *pipeline.Event, docID string) ([]byte, error) {
	var e encoder
	dst = e.event(dst, ev, docID)
	return append(dst, '\n'), e.err
}

// appendErrorLine appends the error line of events mode, the struct
// {doc_id, source (omitempty), errors} of the old Writer.encode, with
// inputErr (when set) as a last error of stage input.
func appendErrorLine(dst []byte, docID, source string, errs []pipeline.RecordError, inputErr error) []byte {
	dst = append(dst, `{"doc_id":`...)
	dst = appendString(dst, docID)
	if source != "" {
		dst = append(dst, `,"source":`...)
		dst = appendString(dst, source)
	}
	dst = append(dst, `,"errors":`...)
	dst = appendErrors(dst, errs, inputErr)
	return append(dst, '}', '\n')
}

// record appends a Record as encoding/json does (nil slices are null).
func (e *encoder) record(b []byte, r *Record) []byte {
	b = appendHeader(b, r.ID, r.Source, r.Lang, r.Date, r.URL, r.Title)

	b = append(b, `,"entities":`...)
	if r.Entities == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		b = e.entities(b, r.Entities, true)
		b = append(b, ']')
	}
	b = append(b, `,"dates":`...)
	if r.Dates == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		b = appendDateMentions(b, r.Dates, true)
		b = append(b, ']')
	}
	b = append(b, `,"quantities":`...)
	if r.Quantities == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		b = e.quantities(b, r.Quantities, true)
		b = append(b, ']')
	}
	b = append(b, `,"events":`...)
	if r.Events == nil {
		b = append(b, "null"...)
	} else {
		b = e.events(b, r.Events)
	}
	b = e.tail(b, r.Meta, r.Notes)
	b = append(b, `,"errors":`...)
	b = appendRecordErrors(b, r.Errors)
	return append(b, '}')
}

// document appends the record of res, that is record(FromResult(res)),
// without building the Record: the entities, dates and quantities of the
// fields are not copied into one slice each.
func (e *encoder) document(b []byte, res *pipeline.Result) []byte {
	d := res.Doc
	if d == nil {
		b = appendHeader(b, res.Source, res.Source, "", "", "", "")
		b = append(b, `,"entities":[],"dates":[],"quantities":[],"events":[],"errors":`...)
		b = appendErrors(b, nil, res.Err)
		return append(b, '}')
	}
	date := d.Date
	if d.HasDate {
		var tmp [32]byte
		date = string(d.DocDate.AppendFormat(tmp[:0], "2006-01-02"))
	}
	b = appendHeader(b, d.ID, res.Source, d.Lang, date, d.URL, d.Title)
	b = append(b, `,"entities":[`...)
	first := true
	for _, f := range d.Fields {
		if f != nil && len(f.Entities) > 0 {
			b = e.entities(b, f.Entities, first)
			first = false
		}
	}
	b = append(b, `],"dates":[`...)
	first = true
	for _, f := range d.Fields {
		if f != nil && len(f.Dates) > 0 {
			b = appendDateMentions(b, f.Dates, first)
			first = false
		}
	}
	b = append(b, `],"quantities":[`...)
	first = true
	for _, f := range d.Fields {
		if f != nil && len(f.Quantities) > 0 {
			b = e.quantities(b, f.Quantities, first)
			first = false
		}
	}
	b = append(b, `],"events":`...)
	b = e.events(b, d.Events) // [] also for nil, as FromResult gives
	b = e.tail(b, d.Extra, d.Notes)
	b = append(b, `,"errors":`...)
	b = appendErrors(b, d.Errors, res.Err)
	return append(b, '}')
}

// appendHeader opens a record with its id and string attributes.
func appendHeader(b []byte, id, source, lang, date, url, title string) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, id)
	if source != "" {
		b = append(b, `,"source":`...)
		b = appendString(b, source)
	}
	if lang != "" {
		b = append(b, `,"lang":`...)
		b = appendString(b, lang)
	}
	if date != "" {
		b = append(b, `,"date":`...)
		b = appendString(b, date)
	}
	if url != "" {
		b = append(b, `,"url":`...)
		b = appendString(b, url)
	}
	if title != "" {
		b = append(b, `,"title":`...)
		b = appendString(b, title)
	}
	return b
}

// tail appends the meta and notes of a record.
func (e *encoder) tail(b []byte, meta map[string]json.RawMessage, notes []string) []byte {
	if len(meta) > 0 {
		b = append(b, `,"meta":`...)
		b = e.rawMap(b, meta)
	}
	if len(notes) > 0 {
		b = append(b, `,"notes":[`...)
		for i, s := range notes {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, s)
		}
		b = append(b, ']')
	}
	return b
}

// appendErrors appends the errors of a result as FromResult gathers them:
// errs, then inputErr (when set) with stage input; [] when there are none.
func appendErrors(b []byte, errs []pipeline.RecordError, inputErr error) []byte {
	b = append(b, '[')
	b = appendRecordErrorList(b, errs)
	if inputErr != nil {
		if len(errs) > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"stage":"input","message":`...)
		b = appendString(b, inputErr.Error())
		b = append(b, '}')
	}
	return append(b, ']')
}

// touchBatch is the number of entities whose strings entities touches at
// once, a batch ahead of the one it encodes.
const touchBatch = 8

func (e *encoder) entities(b []byte, xs []pipeline.Entity, first bool) []byte {
	for i := range xs {
		if i%touchBatch == 0 {
			// the next batch (and at first also this one)
			lo := i + touchBatch
			if i == 0 {
				lo = 0
			}
			if lo < len(xs) {
				e.touch(xs[lo:min(i+2*touchBatch, len(xs))])
			}
		}
		if i > 0 || !first {
			b = append(b, ',')
		}
		b = e.entity(b, &xs[i])
	}
	return b
}

// touch reads the first byte of the id, name and Arabic name of xs, to
// bring them into the caches before they are encoded. These strings
// usually come from a gazetteer, scattered over its large string arena,
// so that each one misses the caches: met one at a time while encoding,
// they would wait for memory in turn (about half the time of encoding
// such entities), whereas the loads here, close together and
// independent, overlap. The bytes are kept in e.touched so that the
// compiler keeps the loads.
func (e *encoder) touch(xs []pipeline.Entity) {
	var t byte
	for i := range xs {
		x := &xs[i]
		if len(x.ID) > 0 {
			t ^= x.ID[0]
		}
		if len(x.Name) > 0 {
			t ^= x.Name[0]
		}
		if len(x.NameAr) > 0 {
			t ^= x.NameAr[0]
		}
	}
	e.touched ^= t
}

func appendDateMentions(b []byte, xs []pipeline.DateMention, first bool) []byte {
	for i := range xs {
		if i > 0 || !first {
			b = append(b, ',')
		}
		b = appendDateMention(b, &xs[i])
	}
	return b
}

func (e *encoder) quantities(b []byte, xs []pipeline.Quantity, first bool) []byte {
	for i := range xs {
		if i > 0 || !first {
			b = append(b, ',')
		}
		b = e.quantity(b, &xs[i])
	}
	return b
}

// events appends a slice of events ([] when empty).
func (e *encoder) events(b []byte, xs []pipeline.Event) []byte {
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		ev := &xs[i]
		b = e.event(b, ev, ev.DocID)
	}
	return append(b, ']')
}

func appendRecordErrors(b []byte, errs []pipeline.RecordError) []byte {
	if errs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	b = appendRecordErrorList(b, errs)
	return append(b, ']')
}

func appendRecordErrorList(b []byte, errs []pipeline.RecordError) []byte {
	for i := range errs {
		if i > 0 {
			b = append(b, ',')
		}
		re := &errs[i]
		b = append(b, '{')
		if re.Stage != "" {
			b = append(b, `"stage":`...)
			b = appendString(b, re.Stage)
			b = append(b, ',')
		}
		b = append(b, `"message":`...)
		b = appendString(b, re.Message)
		b = append(b, '}')
	}
	return b
}

// entity appends a pipeline.Entity.
func (e *encoder) entity(b []byte, x *pipeline.Entity) []byte {
	b = append(b, '{')
	if x.Field != "" {
		b = append(b, `"field":`...)
		b = appendString(b, x.Field)
		b = append(b, ',')
	}
	b = append(b, `"type":`...)
	b = appendString(b, x.Type)
	b = append(b, `,"text":`...)
	b = appendString(b, x.Text)
	b = append(b, `,"start":`...)
	b = appendInt(b, x.Start)
	b = append(b, `,"end":`...)
	b = appendInt(b, x.End)
	b = append(b, `,"sentence":`...)
	b = appendInt(b, x.Sentence)
	if x.ID != "" {
		b = append(b, `,"id":`...)
		b = appendString(b, x.ID)
	}
	if x.Name != "" {
		b = append(b, `,"name":`...)
		b = appendString(b, x.Name)
	}
	if x.NameAr != "" {
		b = append(b, `,"name_ar":`...)
		b = appendString(b, x.NameAr)
	}
	if x.Kind != "" {
		b = append(b, `,"kind":`...)
		b = appendString(b, x.Kind)
	}
	if x.Country != "" {
		b = append(b, `,"country":`...)
		b = appendString(b, x.Country)
	}
	if x.Admin1 != "" {
		b = append(b, `,"admin1":`...)
		b = appendString(b, x.Admin1)
	}
	if x.Lat != nil {
		b = append(b, `,"lat":`...)
		b = e.float(b, *x.Lat)
	}
	if x.Lon != nil {
		b = append(b, `,"lon":`...)
		b = e.float(b, *x.Lon)
	}
	if x.Qualifier != "" {
		b = append(b, `,"qualifier":`...)
		b = appendString(b, x.Qualifier)
	}
	b = append(b, `,"match":`...)
	b = appendString(b, x.Match)
	if x.Score != 0 { // omitempty: -0 is empty too (reflect.Value.IsZero)
		b = append(b, `,"score":`...)
		b = e.float(b, x.Score)
	}
	if len(x.Alternatives) > 0 {
		b = append(b, `,"alternatives":[`...)
		for i := range x.Alternatives {
			if i > 0 {
				b = append(b, ',')
			}
			a := &x.Alternatives[i]
			b = append(b, `{"id":`...)
			b = appendString(b, a.ID)
			b = append(b, `,"name":`...)
			b = appendString(b, a.Name)
			b = append(b, `,"score":`...)
			b = e.float(b, a.Score)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

func appendDateMention(b []byte, x *pipeline.DateMention) []byte {
	b = append(b, '{')
	if x.Field != "" {
		b = append(b, `"field":`...)
		b = appendString(b, x.Field)
		b = append(b, ',')
	}
	b = append(b, `"text":`...)
	b = appendString(b, x.Text)
	b = append(b, `,"start":`...)
	b = appendInt(b, x.Start)
	b = append(b, `,"end":`...)
	b = appendInt(b, x.End)
	b = append(b, `,"sentence":`...)
	b = appendInt(b, x.Sentence)
	b = append(b, `,"type":`...)
	b = appendString(b, x.Type)
	b = append(b, `,"value":`...)
	b = appendString(b, x.Value)
	b = append(b, `,"precision":`...)
	b = appendString(b, x.Precision)
	b = append(b, `,"anchor":`...)
	b = appendString(b, x.Anchor)
	if x.Mod != "" {
		b = append(b, `,"mod":`...)
		b = appendString(b, x.Mod)
	}
	if x.PartOfDay != "" {
		b = append(b, `,"part_of_day":`...)
		b = appendString(b, x.PartOfDay)
	}
	if x.Note != "" {
		b = append(b, `,"note":`...)
		b = appendString(b, x.Note)
	}
	return append(b, '}')
}

// quantity appends a pipeline.Quantity.
func (e *encoder) quantity(b []byte, x *pipeline.Quantity) []byte {
	b = append(b, '{')
	if x.Field != "" {
		b = append(b, `"field":`...)
		b = appendString(b, x.Field)
		b = append(b, ',')
	}
	b = append(b, `"text":`...)
	b = appendString(b, x.Text)
	b = append(b, `,"start":`...)
	b = appendInt(b, x.Start)
	b = append(b, `,"end":`...)
	b = appendInt(b, x.End)
	b = append(b, `,"sentence":`...)
	b = appendInt(b, x.Sentence)
	b = append(b, `,"value":`...)
	b = e.float(b, x.Value)
	if x.Counted != "" {
		b = append(b, `,"counted":`...)
		b = appendString(b, x.Counted)
	}
	if x.CountedText != "" {
		b = append(b, `,"counted_text":`...)
		b = appendString(b, x.CountedText)
	}
	b = append(b, `,"approximate":`...)
	b = strconv.AppendBool(b, x.Approximate)
	if x.Bound != "" {
		b = append(b, `,"bound":`...)
		b = appendString(b, x.Bound)
	}
	return append(b, '}')
}

func appendSpan(b []byte, x *pipeline.Span) []byte {
	b = append(b, '{')
	if x.Field != "" {
		b = append(b, `"field":`...)
		b = appendString(b, x.Field)
		b = append(b, ',')
	}
	b = append(b, `"text":`...)
	b = appendString(b, x.Text)
	b = append(b, `,"start":`...)
	b = appendInt(b, x.Start)
	b = append(b, `,"end":`...)
	b = appendInt(b, x.End)
	return append(b, '}')
}

func appendEventDate(b []byte, x *pipeline.EventDate) []byte {
	b = append(b, `{"value":`...)
	b = appendString(b, x.Value)
	b = append(b, `,"precision":`...)
	b = appendString(b, x.Precision)
	b = append(b, `,"source":`...)
	b = appendString(b, x.Source)
	if x.Text != "" {
		b = append(b, `,"text":`...)
		b = appendString(b, x.Text)
	}
	if x.Start != nil {
		b = append(b, `,"start":`...)
		b = appendInt(b, *x.Start)
	}
	if x.End != nil {
		b = append(b, `,"end":`...)
		b = appendInt(b, *x.End)
	}
	return append(b, '}')
}

func appendCodes(b []byte, x *pipeline.Codes) []byte {
	b = append(b, '{')
	n := len(b)
	if x.CAMEO != "" {
		b = append(b, `"cameo":`...)
		b = appendString(b, x.CAMEO)
	}
	if x.PLOVERCategory != "" {
		if len(b) > n {
			b = append(b, ',')
		}
		b = append(b, `"plover_category":`...)
		b = appendString(b, x.PLOVERCategory)
	}
	if x.PLOVERMode != "" {
		if len(b) > n {
			b = append(b, ',')
		}
		b = append(b, `"plover_mode":`...)
		b = appendString(b, x.PLOVERMode)
	}
	if x.ACLEDEventType != "" {
		if len(b) > n {
			b = append(b, ',')
		}
		b = append(b, `"acled_event_type":`...)
		b = appendString(b, x.ACLEDEventType)
	}
	if x.ACLEDSubEventType != "" {
		if len(b) > n {
			b = append(b, ',')
		}
		b = append(b, `"acled_sub_event_type":`...)
		b = appendString(b, x.ACLEDSubEventType)
	}
	return append(b, '}')
}

// event appends a pipeline.Event with docID in place of its DocID (events
// mode sets it on a copy of the event).
func (e *encoder) event(b []byte, x *pipeline.Event, docID string) []byte {
	b = append(b, `{"id":`...)
	b = appendString(b, x.ID)
	if docID != "" {
		b = append(b, `,"doc_id":`...)
		b = appendString(b, docID)
	}
	b = append(b, `,"type":`...)
	b = appendString(b, x.Type)
	if x.Subtype != "" {
		b = append(b, `,"subtype":`...)
		b = appendString(b, x.Subtype)
	}
	b = append(b, `,"status":`...)
	b = appendString(b, x.Status)
	if x.StatusCue != nil {
		b = append(b, `,"status_cue":`...)
		b = appendSpan(b, x.StatusCue)
	}
	b = append(b, `,"trigger":`...)
	b = appendSpan(b, &x.Trigger)
	b = append(b, `,"sentence":`...)
	b = appendInt(b, x.Sentence)
	if x.Location != nil {
		b = append(b, `,"location":`...)
		b = e.entity(b, x.Location)
	}
	if x.Origin != nil {
		b = append(b, `,"origin":`...)
		b = e.entity(b, x.Origin)
	}
	if x.Destination != nil {
		b = append(b, `,"destination":`...)
		b = e.entity(b, x.Destination)
	}
	if x.Date != nil {
		b = append(b, `,"date":`...)
		b = appendEventDate(b, x.Date)
	}

	b = append(b, `,"actors":`...)
	if x.Actors == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range x.Actors {
			if i > 0 {
				b = append(b, ',')
			}
			a := &x.Actors[i]
			b = append(b, `{"role":`...)
			b = appendString(b, a.Role)
			b = append(b, `,"text":`...)
			b = appendString(b, a.Text)
			b = append(b, `,"start":`...)
			b = appendInt(b, a.Start)
			b = append(b, `,"end":`...)
			b = appendInt(b, a.End)
			if a.ID != "" {
				b = append(b, `,"id":`...)
				b = appendString(b, a.ID)
			}
			if a.Name != "" {
				b = append(b, `,"name":`...)
				b = appendString(b, a.Name)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}

	b = append(b, `,"quantities":`...)
	if x.Quantities == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i := range x.Quantities {
			if i > 0 {
				b = append(b, ',')
			}
			q := &x.Quantities[i]
			b = append(b, `{"role":`...)
			b = appendString(b, q.Role)
			b = append(b, `,"value":`...)
			b = e.float(b, q.Value)
			if q.Counted != "" {
				b = append(b, `,"counted":`...)
				b = appendString(b, q.Counted)
			}
			b = append(b, `,"text":`...)
			b = appendString(b, q.Text)
			b = append(b, `,"start":`...)
			b = appendInt(b, q.Start)
			b = append(b, `,"end":`...)
			b = appendInt(b, q.End)
			b = append(b, `,"approximate":`...)
			b = strconv.AppendBool(b, q.Approximate)
			if q.Bound != "" {
				b = append(b, `,"bound":`...)
				b = appendString(b, q.Bound)
			}
			b = append(b, '}')
		}
		b = append(b, ']')
	}

	if x.Duration != "" {
		b = append(b, `,"duration":`...)
		b = appendString(b, x.Duration)
	}
	b = append(b, `,"codes":`...)
	b = appendCodes(b, &x.Codes)
	b = append(b, `,"confidence":`...)
	b = e.float(b, x.Confidence)
	b = append(b, `,"rule":`...)
	b = appendString(b, x.Rule)
	if x.Field != "" {
		b = append(b, `,"field":`...)
		b = appendString(b, x.Field)
	}
	if len(x.Evidence) > 0 {
		b = append(b, `,"evidence":[`...)
		for i := range x.Evidence {
			if i > 0 {
				b = append(b, ',')
			}
			m := &x.Evidence[i]
			b = append(b, `{"sentence":`...)
			b = appendInt(b, m.Sentence)
			if m.Field != "" {
				b = append(b, `,"field":`...)
				b = appendString(b, m.Field)
			}
			b = append(b, `,"text":`...)
			b = appendString(b, m.Text)
			b = append(b, `,"start":`...)
			b = appendInt(b, m.Start)
			b = append(b, `,"end":`...)
			b = appendInt(b, m.End)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// rawMessageType is only used to build the error encoding/json reports
// for an invalid json.RawMessage.
var rawMessageType = reflect.TypeFor[json.RawMessage]()

// rawMap appends a map of raw JSON values as encoding/json does: keys
// sorted, values compacted (a nil value is null; an empty or invalid one
// is an error).
func (e *encoder) rawMap(b []byte, m map[string]json.RawMessage) []byte {
	var small [16]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, strings.Compare)
	b = append(b, '{')
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		v := m[k]
		if v == nil { // RawMessage.MarshalJSON gives null
			b = append(b, "null"...)
			continue
		}
		buf := bytes.NewBuffer(b)
		if err := json.Compact(buf, v); err != nil {
			if e.err == nil {
				e.err = &json.MarshalerError{Type: rawMessageType, Err: err}
			}
			// Compact leaves b as it was; the output is dropped anyway
			continue
		}
		b = buf.Bytes()
	}
	return append(b, '}')
}

// float appends f as encoding/json's float64 encoder does: like ES6
// number-to-string, %f between 1e-6 and 1e21 and %e outside (with e-09
// written e-9). NaN and infinities are an error, as in encoding/json.
func (e *encoder) float(b []byte, f float64) []byte {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		if e.err == nil {
			// reflect only builds the same error as encoding/json
			e.err = &json.UnsupportedValueError{Value: reflect.ValueOf(f), Str: strconv.FormatFloat(f, 'g', -1, 64)}
		}
		return b
	}
	abs := math.Abs(f)
	if abs == 0 || (abs >= 1e-6 && abs < 1e21) {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	b = strconv.AppendFloat(b, f, 'e', -1, 64)
	if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return b
}

const hexDigits = "0123456789abcdef"

// digitPairs holds the two digits of each number below 100.
const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// appendInt appends v in decimal, as strconv.AppendInt does. Offsets and
// sentence numbers, the integers of the output, are small: those below
// 100000 are written here, without strconv's buffer.
func appendInt(b []byte, v int) []byte {
	switch {
	case uint(v) < 10:
		return append(b, byte('0'+v))
	case uint(v) < 100:
		return append(b, digitPairs[2*v], digitPairs[2*v+1])
	case uint(v) < 1000:
		hi, lo := v/100, v%100
		return append(b, byte('0'+hi), digitPairs[2*lo], digitPairs[2*lo+1])
	case uint(v) < 10000:
		hi, lo := v/100, v%100
		return append(b, digitPairs[2*hi], digitPairs[2*hi+1], digitPairs[2*lo], digitPairs[2*lo+1])
	case uint(v) < 100000:
		hi, mid, lo := v/10000, v/100%100, v%100
		return append(b, byte('0'+hi), digitPairs[2*mid], digitPairs[2*mid+1], digitPairs[2*lo], digitPairs[2*lo+1])
	}
	return strconv.AppendInt(b, int64(v), 10)
}

// appendString appends s as a JSON string the way encoding/json does
// without HTML escaping: ", \ and control characters escaped (\b \f \n \r
// \t short, others \u00XX), each byte of invalid UTF-8 replaced by \ufffd,
// U+2028 and U+2029 escaped, everything else (DEL included) as is.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		// two-byte sequences (Arabic) are valid and never escaped
		if c >= 0xC2 && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
