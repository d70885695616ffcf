package output

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hadath/hadath/pipeline"
)

// refEncode is the encoding/json implementation the appenders replace
// (Writer.encode before issue #7): the lines Writer writes for res, from a
// json.Encoder with SetEscapeHTML(false). On error it returns what the
// encoder had written before the failed value.
func refEncode(res pipeline.Result, events bool) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	rec := FromResult(res)
	if events && len(rec.Errors) == 0 {
		for i := range rec.Events {
			ev := rec.Events[i]
			ev.DocID = rec.ID
			if err := enc.Encode(ev); err != nil {
				return buf.Bytes(), err
			}
		}
		return buf.Bytes(), nil
	}
	if events {
		err := enc.Encode(struct {
			DocID  string                 `json:"doc_id"`
			Source string                 `json:"source,omitempty"`
			Errors []pipeline.RecordError `json:"errors"`
		}{rec.ID, rec.Source, rec.Errors})
		return buf.Bytes(), err
	}
	err := enc.Encode(rec)
	return buf.Bytes(), err
}

// oldWriter is the Writer before issue #7, verbatim, for the benchmarks:
// a json.Encoder on the buffered output for Write, and one per call on a
// pooled buffer for Encode.
type oldWriter struct {
	bw     *bufio.Writer
	enc    *json.Encoder
	events bool
}

func newOldWriter(w io.Writer, events bool) *oldWriter {
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	return &oldWriter{bw: bw, enc: enc, events: events}
}

func (w *oldWriter) Write(res pipeline.Result) error {
	if res.Encoded != nil {
		_, err := w.bw.Write(res.Encoded)
		return err
	}
	return w.encode(w.enc, res)
}

func (w *oldWriter) Encode(res pipeline.Result) ([]byte, error) {
	buf := oldEncBufs.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 {
			buf.Reset()
			oldEncBufs.Put(buf)
		}
	}()
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := w.encode(enc, res); err != nil {
		return nil, err
	}
	return bytes.Clone(buf.Bytes()), nil
}

var oldEncBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (w *oldWriter) encode(enc *json.Encoder, res pipeline.Result) error {
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

func (w *oldWriter) Flush() error { return w.bw.Flush() }

// refRecordLine encodes one record as the old Writer did.
func refRecordLine(rec *Record) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(rec)
	return buf.Bytes(), err
}

// firstDiff describes where two encodings part.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-60)
	return fmt.Sprintf("at byte %d:\n got  …%q\n want …%q", i, got[lo:min(len(got), i+60)], want[lo:min(len(want), i+60)])
}

// checkRecord compares the appender with encoding/json on rec: the same
// bytes, or the same error.
func checkRecord(t testing.TB, rec *Record) {
	t.Helper()
	want, werr := refRecordLine(rec)
	got, gerr := appendRecordLine(nil, rec)
	if werr != nil || gerr != nil {
		if werr == nil || gerr == nil || werr.Error() != gerr.Error() {
			t.Fatalf("error %v, encoding/json %v", gerr, werr)
		}
		return
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("appendRecordLine differs from encoding/json (a field added to a pipeline type must be added to append.go) %s", firstDiff(got, want))
	}
}

// checkResult compares Writer.Encode and Writer.Write with refEncode on
// res in both modes.
func checkResult(t testing.TB, res pipeline.Result) {
	t.Helper()
	for _, events := range []bool{false, true} {
		want, werr := refEncode(res, events)
		w := NewWriter(nil, events)
		got, gerr := w.Encode(res)
		if werr != nil || gerr != nil {
			if werr == nil || gerr == nil || werr.Error() != gerr.Error() {
				t.Fatalf("events=%v: Encode error %v, encoding/json %v", events, gerr, werr)
			}
		} else if !bytes.Equal(got, want) {
			t.Fatalf("events=%v: Encode differs %s", events, firstDiff(got, want))
		}
		var out bytes.Buffer
		w = NewWriter(&out, events)
		gerr = w.Write(res)
		if ferr := w.Flush(); ferr != nil {
			t.Fatal(ferr)
		}
		if (werr == nil) != (gerr == nil) || (werr != nil && werr.Error() != gerr.Error()) {
			t.Fatalf("events=%v: Write error %v, encoding/json %v", events, gerr, werr)
		}
		if !bytes.Equal(out.Bytes(), want) {
			t.Fatalf("events=%v: Write differs %s", events, firstDiff(out.Bytes(), want))
		}
	}
}

var (
	nastyStrings = []string{
		"", "a", "Aleppo", "شرق حلب", "<b>&amp;</b> a=1&b=<2>", "\u2028", "x\u2029y",
		"\x00", "\x01\x1f\x7f", `"quoted" \back\slash/`, "\b\f\n\r\t", "\xff", "a\xfeb",
		"\xe2\x80", "\xe2\x80\xa8", "\xe2\x80\xa9z", "\xed\xa0\x80", "a\xc0\xafb", "😀 emoji 🇸🇾",
		"\U0010FFFF", "\uFFFD", "\xf4\x90\x80\x80", "\xf0\x9f\x98", "tab\tend\n", "\u0600\u061c\u200f",
		"ends in half \xd8", strings.Repeat("long <text> ", 20),
	}
	nastyFloats = []float64{
		0, math.Copysign(0, -1), 1, -1, 0.1, 0.8, 12, 36.2021, -37.1343, 123456789.125,
		1e20, 1e21, -1e21, 999999999999999999999.0, 1e-6, -1e-6, 1e-7, 9.99e-7, 1.5e-10, 1e-9,
		5e-324, math.MaxFloat64, -math.MaxFloat64, 1e100, 1e-100, 0.000001234, 2.5e+25, float64(1 << 53),
	}
	nastyInts = []int{0, 1, -1, 42, 12345, math.MaxInt, math.MinInt}
	rawValues = []json.RawMessage{
		json.RawMessage(`"<rt> & co"`), json.RawMessage(`3`), json.RawMessage(` { "a" : [1, 2 ,3] ,"b":null } `),
		json.RawMessage(`"\u2028 \u003c"`), json.RawMessage("\"\u2028 raw\""), json.RawMessage(`true`),
		json.RawMessage("[\n 1.50e3,\t-0 ]"), json.RawMessage(`"\xff bytes"`), nil,
	}
)

// filler sets every exported field of a value, recursively, from pools of
// awkward values, so that a field added to a pipeline type shows up in the
// differential tests.
type filler struct {
	rnd     *rand.Rand
	strs    []string
	floats  []float64
	ints    []int
	raws    []json.RawMessage
	full    bool // every field non-zero: pointers set, slices not empty
	depth   int
	maxElem int
}

func (f *filler) str() string {
	if f.full {
		return f.strs[1+f.rnd.IntN(len(f.strs)-1)]
	}
	return f.strs[f.rnd.IntN(len(f.strs))]
}

func (f *filler) fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(f.str())
	case reflect.Int, reflect.Int64, reflect.Int32:
		n := f.ints[f.rnd.IntN(len(f.ints))]
		if f.full && n == 0 {
			n = 7
		}
		v.SetInt(int64(n))
	case reflect.Uint8:
		v.SetUint(uint64(f.rnd.IntN(256)))
	case reflect.Float64:
		x := f.floats[f.rnd.IntN(len(f.floats))]
		if f.full && x == 0 {
			x = 0.25
		}
		v.SetFloat(x)
	case reflect.Bool:
		v.SetBool(f.full || f.rnd.IntN(2) == 0)
	case reflect.Pointer:
		if !f.full && (f.depth > 3 || f.rnd.IntN(3) == 0) {
			v.SetZero()
			return
		}
		p := reflect.New(v.Type().Elem())
		f.depth++
		f.fill(p.Elem())
		f.depth--
		v.Set(p)
	case reflect.Slice:
		if v.Type() == reflect.TypeFor[json.RawMessage]() {
			v.Set(reflect.ValueOf(f.raws[f.rnd.IntN(len(f.raws))]))
			return
		}
		n := 1 + f.rnd.IntN(f.maxElem)
		if !f.full {
			switch f.rnd.IntN(4) {
			case 0:
				v.SetZero()
				return
			case 1:
				n = 0
			}
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		f.depth++
		for i := range n {
			f.fill(s.Index(i))
		}
		f.depth--
		v.Set(s)
	case reflect.Map:
		if !f.full && f.rnd.IntN(3) == 0 {
			if f.rnd.IntN(2) == 0 {
				v.SetZero()
			} else {
				v.Set(reflect.MakeMap(v.Type()))
			}
			return
		}
		m := reflect.MakeMap(v.Type())
		for range 1 + f.rnd.IntN(f.maxElem) {
			k := reflect.New(v.Type().Key()).Elem()
			e := reflect.New(v.Type().Elem()).Elem()
			f.fill(k)
			f.fill(e)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if fv := v.Field(i); fv.CanSet() {
				f.fill(fv)
			}
		}
	}
}

func newFiller(seed uint64, full bool) *filler {
	return &filler{rnd: rand.New(rand.NewPCG(seed, 0x5eed)), strs: nastyStrings, floats: nastyFloats,
		ints: nastyInts, raws: rawValues, full: full, maxElem: 3}
}

// TestAppendEveryField fills every field of a record (and of the types it
// holds) and compares with encoding/json.
func TestAppendEveryField(t *testing.T) {
	for seed := range uint64(200) {
		var rec Record
		newFiller(seed, true).fill(reflect.ValueOf(&rec).Elem())
		checkRecord(t, &rec)
	}
}

// TestAppendRandomRecords compares with encoding/json on records with
// random fields: empty, nil or set, nasty strings and floats.
func TestAppendRandomRecords(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	for seed := range uint64(n) {
		var rec Record
		newFiller(seed, false).fill(reflect.ValueOf(&rec).Elem())
		checkRecord(t, &rec)
	}
}

// TestAppendRandomResults compares the Writer (Encode and Write, both
// modes) with the old encoding/json writer on random documents.
func TestAppendRandomResults(t *testing.T) {
	for seed := range uint64(300) {
		f := newFiller(seed, false)
		var doc pipeline.Document
		f.fill(reflect.ValueOf(&doc).Elem())
		doc.Fields = slices.DeleteFunc(doc.Fields, func(f *pipeline.Field) bool { return f == nil })
		res := pipeline.Result{Item: pipeline.Item{Doc: &doc, Source: f.str()}, Failed: f.rnd.IntN(4) == 0}
		switch f.rnd.IntN(4) {
		case 0:
			res.Doc = nil
			res.Err = errors.New(f.str())
		case 1:
			res.Err = errors.New(f.str())
		}
		if res.Doc != nil && f.rnd.IntN(2) == 0 {
			res.Doc.Errors = nil // events mode writes events only without errors
		}
		if res.Doc != nil && res.Doc.HasDate {
			years := []int{2016, 1, 0, -5, 12345}
			res.Doc.DocDate = time.Date(years[f.rnd.IntN(len(years))], time.Month(1+f.rnd.IntN(12)), 1+f.rnd.IntN(31), 23, 0, 0, 0, time.FixedZone("", 3600*f.rnd.IntN(5)))
		}
		checkResult(t, res)
		// the document path is the record path on FromResult
		rec := FromResult(res)
		want, werr := appendRecordLine(nil, &rec)
		got, gerr := appendDocumentLine(nil, &res)
		if (werr == nil) != (gerr == nil) || (werr == nil && !bytes.Equal(got, want)) {
			t.Fatalf("appendDocumentLine differs from appendRecordLine(FromResult): %v %v %s", gerr, werr, firstDiff(got, want))
		}
	}
}

func TestAppendHandMade(t *testing.T) {
	lat, lon := 36.2021, math.Copysign(0, -1)
	start, end := 3, 0
	full := pipeline.Entity{Field: "title", Type: "place", Text: "حلب", Start: 1, End: 2, Sentence: 3, ID: "sy-aleppo",
		Name: "Aleppo", NameAr: "حلب", Kind: "city", Country: "SY", Admin1: "Aleppo", Lat: &lat, Lon: &lon,
		Qualifier: "east", Match: "clitic", Score: 0.75, Alternatives: []pipeline.Alternative{{ID: "x", Name: "<y>", Score: 0}, {Score: 1e-7}}}
	recs := []Record{
		{},
		{Entities: []pipeline.Entity{}, Dates: []pipeline.DateMention{}, Quantities: []pipeline.Quantity{},
			Events: []pipeline.Event{}, Errors: []pipeline.RecordError{}, Meta: map[string]json.RawMessage{}, Notes: []string{}},
		FromResult(pipeline.Result{Item: pipeline.Item{Doc: processedDoc(), Source: "dump.jsonl:3"}}),
		FromResult(pipeline.Result{Item: pipeline.Item{Err: errors.New("bad <line>\n"), Source: "x.jsonl:\xff"}}),
		{ID: "full", Source: "s", Lang: "ar", Date: "2016-12-07", URL: "https://example.org/?a=1&b=<2>", Title: "\u2028title",
			Entities:   []pipeline.Entity{full, {Type: "org", Match: "designator", Score: math.Copysign(0, -1)}},
			Dates:      []pipeline.DateMention{{Field: "text", Text: "Friday", Type: "date", Value: "2016-12-09", Precision: "day", Anchor: "document_date", Mod: "START", PartOfDay: "night", Note: "weekday"}, {}},
			Quantities: []pipeline.Quantity{{Field: "text", Text: "12", Value: 12, Counted: "killed", CountedText: "soldiers", Approximate: true, Bound: "min"}, {Value: 1e21}, {Value: 123456789.125}},
			Events: []pipeline.Event{
				{ID: "e1", DocID: "d", Type: "attack", Subtype: "airstrike", Status: "occurred",
					StatusCue: &pipeline.Span{Field: "text", Text: "said", Start: 1, End: 2}, Trigger: pipeline.Span{Text: "killed", Start: 5, End: 11},
					Sentence: 2, Location: &full, Origin: &pipeline.Entity{}, Destination: &full,
					Date:       &pipeline.EventDate{Value: "2016-12", Precision: "month", Source: "sentence", Text: "December", Start: &start, End: &end},
					Actors:     []pipeline.Actor{{Role: "actor", Text: "Rebels", ID: "r", Name: "armed opposition"}, {}},
					Quantities: []pipeline.EventQuantity{{Role: "killed", Value: 12, Counted: "soldiers", Text: "12", Approximate: true, Bound: "max"}, {Value: -1e-7}},
					Duration:   "P5D", Codes: pipeline.Codes{CAMEO: "190", PLOVERCategory: "c", PLOVERMode: "m", ACLEDEventType: "Battles", ACLEDSubEventType: "Armed clash"},
					Confidence: 0.8, Rule: "r1", Field: "title",
					Evidence: []pipeline.EventMention{{Sentence: 2, Field: "text", Text: "killed", Start: 5, End: 11}, {}}},
				{ID: "e2"}, // nil actors and quantities: null
				{ID: "e3", Codes: pipeline.Codes{PLOVERMode: "only"}, Actors: []pipeline.Actor{}, Quantities: []pipeline.EventQuantity{}, Evidence: []pipeline.EventMention{}},
				{ID: "e4", Codes: pipeline.Codes{ACLEDSubEventType: "last", CAMEO: "first"}},
			},
			Meta:   map[string]json.RawMessage{"z": json.RawMessage(" [1, 2] "), "a": nil, "<&>": json.RawMessage(`{"k" : "v"}`), "\u2028": json.RawMessage(`"\u2028"`)},
			Notes:  []string{"note 1", "", "\x00"},
			Errors: []pipeline.RecordError{{Stage: "dates", Message: "boom"}, {Message: ""}}},
	}
	for _, s := range nastyStrings {
		recs = append(recs, Record{ID: s, Source: s, Title: s, Notes: []string{s}, Meta: map[string]json.RawMessage{s: json.RawMessage(`1`)},
			Entities: []pipeline.Entity{{Text: s, Name: s}}, Errors: []pipeline.RecordError{{Stage: s, Message: s}}})
	}
	for _, x := range nastyFloats {
		recs = append(recs, Record{Quantities: []pipeline.Quantity{{Value: x}},
			Entities: []pipeline.Entity{{Lat: &x, Lon: &x, Score: x, Alternatives: []pipeline.Alternative{{Score: x}}}},
			Events:   []pipeline.Event{{Confidence: x, Quantities: []pipeline.EventQuantity{{Value: x}}}}})
	}
	for i := range recs {
		t.Run(fmt.Sprint(i), func(t *testing.T) { checkRecord(t, &recs[i]) })
	}
}

// TestAppendStringsAllBytes checks the string escaping on every byte value
// and every pair of bytes around the non-ASCII ranges.
func TestAppendStringsAllBytes(t *testing.T) {
	var all []byte
	for c := range 256 {
		all = append(all, byte(c))
	}
	for _, s := range []string{string(all), "x" + string(all[0x80:]) + "y"} {
		want, _ := json.Marshal(s) // HTML escaping differs, so compare only where it does not apply
		if strings.ContainsAny(s, "<>&") {
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(s); err != nil {
				t.Fatal(err)
			}
			want = bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		}
		if got := appendString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendString %s", firstDiff(got, want))
		}
	}
	for a := 0xc0; a < 0x100; a++ {
		for b := 0x70; b < 0xc0; b++ {
			s := string([]byte{'a', byte(a), byte(b), 0x80, 0xa8, '"'})
			want, _ := json.Marshal(s)
			if got := appendString(nil, s); !bytes.Equal(got, want) {
				t.Fatalf("appendString(%q) %s", s, firstDiff(got, want))
			}
		}
	}
}

// TestAppendErrors checks that values JSON cannot hold fail as they did
// with encoding/json, with the same message and without output (events
// mode keeps the lines before the failed event).
func TestAppendErrors(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(-1)
	bad := []Record{
		{Quantities: []pipeline.Quantity{{Value: nan}}},
		{Entities: []pipeline.Entity{{Lat: &inf}}},
		{Entities: []pipeline.Entity{{Score: math.Inf(1)}}},
		{Entities: []pipeline.Entity{{Score: 1, Alternatives: []pipeline.Alternative{{Score: nan}}}}},
		{Events: []pipeline.Event{{Confidence: nan}}},
		{Events: []pipeline.Event{{Quantities: []pipeline.EventQuantity{{Value: inf}}}}},
		{Meta: map[string]json.RawMessage{"a": json.RawMessage(`{`)}},
		{Meta: map[string]json.RawMessage{"a": json.RawMessage(``)}},
		{Meta: map[string]json.RawMessage{"a": json.RawMessage(`1 2`)}},
		{Meta: map[string]json.RawMessage{"b": json.RawMessage(`x`), "a": json.RawMessage(`"\x01"`)}},
		{Quantities: []pipeline.Quantity{{Value: nan}}, Meta: map[string]json.RawMessage{"a": json.RawMessage(`{`)}},
	}
	for i := range bad {
		if _, err := refRecordLine(&bad[i]); err == nil {
			t.Fatalf("record %d: encoding/json accepts it", i)
		}
		checkRecord(t, &bad[i])
	}
	// through the Writer, both modes
	doc := &pipeline.Document{ID: "d", Fields: []*pipeline.Field{{Name: "text"}},
		Events: []pipeline.Event{{ID: "ok"}, {ID: "nan", Confidence: nan}, {ID: "after"}},
		Extra:  map[string]json.RawMessage{"x": json.RawMessage(`{`)}}
	checkResult(t, pipeline.Result{Item: pipeline.Item{Doc: doc}})
	var out bytes.Buffer
	w := NewWriter(&out, true)
	if err := w.Write(pipeline.Result{Item: pipeline.Item{Doc: doc}}); err == nil {
		t.Fatal("NaN written")
	}
	_ = w.Flush()
	if got := out.String(); !strings.HasPrefix(got, `{"id":"ok",`) || strings.Count(got, "\n") != 1 {
		t.Errorf("events mode before the error: %q", got)
	}
	if b, err := w.Encode(pipeline.Result{Item: pipeline.Item{Doc: doc}}); err == nil || b != nil {
		t.Errorf("Encode = %q, %v", b, err)
	}
}

// FuzzAppendRecord builds records from the fuzzer's strings, floats and
// integers (spread over every field by a generator seeded by seed) and
// compares the appender with encoding/json, then does the same for a
// document through the Writer (both modes). raw becomes a meta value.
func FuzzAppendRecord(f *testing.F) {
	f.Add("Aleppo", "شرق حلب", 36.2021, 0.8, int64(12), uint64(1), []byte(`{"a": 1}`))
	f.Add("<>&\u2028", "\xff\x00", 1e21, 1e-7, int64(-1), uint64(2), []byte(`"x"`))
	f.Add("", "\"\\", math.Copysign(0, -1), 123456789.125, int64(math.MaxInt64), uint64(3), []byte(``))
	f.Add("😀", "\xe2\x80\xa8", math.NaN(), math.Inf(1), int64(math.MinInt64), uint64(4), []byte(" [ 1 , 2 ] "))
	f.Fuzz(func(t *testing.T, a, b string, x, y float64, n int64, seed uint64, raw []byte) {
		cut := a
		if len(a) > 1 {
			cut = a[:len(a)/2] // may split a rune
		}
		fl := &filler{
			rnd:  rand.New(rand.NewPCG(seed, uint64(n))),
			strs: []string{"", a, b, a + b, cut, b + "\u2029" + a},
			floats: []float64{x, y, -x, x * y, x / 3, 0, math.Copysign(0, -1), float64(n),
				math.Nextafter(1e21, 0), 1e-6, math.Nextafter(1e-6, 0)},
			ints:    []int{int(n), -int(n), 0, int(n >> 32)},
			raws:    []json.RawMessage{raw, nil, json.RawMessage(`1`)},
			full:    seed%5 == 0,
			maxElem: 2,
		}
		var rec Record
		fl.fill(reflect.ValueOf(&rec).Elem())
		checkRecord(t, &rec)
		// the Writer's path, from a document
		var doc pipeline.Document
		fl.fill(reflect.ValueOf(&doc).Elem())
		doc.Fields = slices.DeleteFunc(doc.Fields, func(f *pipeline.Field) bool { return f == nil })
		res := pipeline.Result{Item: pipeline.Item{Doc: &doc, Source: b}}
		switch seed % 3 {
		case 1:
			res.Err = errors.New(a)
		case 2:
			res.Doc, res.Err = nil, errors.New(a)
		}
		checkResult(t, res)
	})
}

// TestWithNote checks that a note spliced into an encoded document
// (Writer.WithNote) gives the bytes of the document encoded with the note,
// in both modes, on random documents whose strings include the bytes the
// splice looks for.
func TestWithNote(t *testing.T) {
	tricky := []string{`,"errors":`, `,"errors":[]}`, `"],"errors":[`, `]`, `,"notes":[`}
	for _, events := range []bool{false, true} {
		w := NewWriter(io.Discard, events)
		for seed := range uint64(400) {
			f := newFiller(seed, false)
			f.strs = append(slices.Clone(f.strs), tricky...)
			var doc pipeline.Document
			f.fill(reflect.ValueOf(&doc).Elem())
			doc.Fields = slices.DeleteFunc(doc.Fields, func(f *pipeline.Field) bool { return f == nil })
			res := pipeline.Result{Item: pipeline.Item{Doc: &doc, Source: f.str()}}
			if f.rnd.IntN(3) == 0 {
				res.Err = errors.New(f.str())
			}
			before, err := w.Encode(res)
			if err != nil {
				continue // not encodable: Write reports it, no note is spliced
			}
			note := f.str()
			notes := doc.Notes
			got, err := w.WithNote(slices.Clone(before), notes, note)
			if err != nil {
				t.Fatalf("seed %d events %v: WithNote: %v", seed, events, err)
			}
			doc.Notes = append(slices.Clip(notes), note)
			want, err := w.Encode(res)
			if err != nil {
				t.Fatalf("seed %d: Encode with the note: %v", seed, err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("seed %d events %v (notes %q, note %q): %s", seed, events, notes, note, firstDiff(got, want))
			}
		}
	}
	w := NewWriter(io.Discard, false)
	for _, bad := range []string{"", "{}", `{"errors":[]}`, `{"id":"x","errors":[]}`} {
		if _, err := w.WithNote([]byte(bad), []string{"a"}, "b"); err == nil {
			t.Errorf("WithNote(%q): no error", bad)
		}
	}
}
