package output

import (
	"bytes"
	"encoding/csv"
	"errors"
	"strings"
	"testing"

	"github.com/hadath/hadath/pipeline"
)

func richDoc() *pipeline.Document {
	lat, lon := 36.2021, 37.1343
	text := "Rebels said, \"hello\". 12 soldiers were killed in Aleppo on Friday, and 3 wounded.\nNext sentence."
	runes := []rune(text)
	d := &pipeline.Document{ID: "doc-1", URL: "https://example.org/a?b=1&c=2", Text: text, Lang: "en",
		Fields: []*pipeline.Field{{Name: "text", Text: text, Runes: runes,
			Sentences: []pipeline.Sentence{{Start: 0, End: 21}, {Start: 22, End: 81}, {Start: 82, End: len(runes)}}}},
	}
	d.Events = []pipeline.Event{
		{ID: "e1", Type: "attack", Subtype: "armed_clash", Status: "occurred", Sentence: 1,
			Trigger:  pipeline.Span{Text: "killed", Start: 39, End: 45},
			Location: &pipeline.Entity{Name: "Aleppo", Text: "Aleppo", Kind: "city", Country: "SY", Admin1: "Aleppo", Lat: &lat, Lon: &lon},
			Date:     &pipeline.EventDate{Value: "2016-12-09", Precision: "day", Source: "sentence"},
			Actors: []pipeline.Actor{
				{Role: "target", Text: "soldiers", Name: "Syrian Arab Army"},
				{Role: "actor", Text: "Rebels", Name: "armed opposition"},
				{Role: "requester", Text: "the UN"},
				{Role: "mediator", Text: "Red Cross"},
				{Role: "actor", Text: "Nusra"},
				{Role: "actor", Text: "army", Name: "Syrian Arab Army"}, // also the target: left out
				{Role: "requester", Text: "the UN"},                     // listed once
			},
			Quantities: []pipeline.EventQuantity{{Role: "injured", Value: 3}, {Role: "killed", Value: 12}},
			Codes:      pipeline.Codes{CAMEO: "190", ACLEDEventType: "Battles", ACLEDSubEventType: "Armed clash"},
			Confidence: 0.8},
		{ID: "e2", Type: "displacement", Status: "occurred", Sentence: 2, Trigger: pipeline.Span{Text: "Next", Start: 82, End: 86},
			Date:  &pipeline.EventDate{Value: "2016-11", Precision: "month"},
			Codes: pipeline.Codes{ACLEDEventType: "Strategic developments", ACLEDSubEventType: "Other"}, Confidence: 0.5},
	}
	return d
}

func TestRowsMapping(t *testing.T) {
	rows := Rows(pipeline.Result{Item: pipeline.Item{Doc: richDoc()}})
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	r := rows[0]
	checks := []struct{ name, got, want string }{
		{"event_type", r.EventType, "Battles"},
		{"sub_event_type", r.SubEventType, "Armed clash"},
		{"actor1", r.Actor1, "armed opposition"},
		{"assoc_actor_1", r.AssocActor1, "the UN; Nusra"},
		{"actor2", r.Actor2, "Syrian Arab Army"},
		{"location", r.Location, "Aleppo"},
		{"country", r.Country, "SY"},
		{"notes", r.Notes, "12 soldiers were killed in Aleppo on Friday, and 3 wounded."},
		{"source", r.Source, "https://example.org/a?b=1&c=2"},
		{"doc_id", r.DocID, "doc-1"},
		{"cameo", r.CAMEO, "190"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if r.Fatalities != 12 || r.TimePrecision != 1 || r.GeoPrecision != 1 {
		t.Errorf("fatalities %v time_precision %d geo_precision %d, want 12 1 1", r.Fatalities, r.TimePrecision, r.GeoPrecision)
	}
	r2 := rows[1]
	if r2.Fatalities != 0 || r2.TimePrecision != 2 || r2.GeoPrecision != 0 || r2.Latitude != nil || r2.Notes != "Next sentence." {
		t.Errorf("second row: %+v", r2)
	}
}

func TestPrecisionCodes(t *testing.T) {
	for p, want := range map[string]int{"day": 1, "month": 2, "week": 2, "year": 3, "decade": 3, "": 0} {
		if got := TimePrecision(p); got != want {
			t.Errorf("TimePrecision(%q) = %d, want %d", p, got, want)
		}
	}
	for k, want := range map[string]int{"neighbourhood": 1, "town": 1, "city": 1, "landmark": 1, "village": 1,
		"district": 2, "region": 2, "governorate": 3, "country": 3} {
		if got := GeoPrecision(k); got != want {
			t.Errorf("GeoPrecision(%q) = %d, want %d", k, got, want)
		}
	}
}

func parseCSV(t *testing.T, b []byte) []map[string]string {
	t.Helper()
	rd := csv.NewReader(bytes.NewReader(b))
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v\n%s", err, b)
	}
	if len(recs) == 0 {
		t.Fatal("no header")
	}
	if strings.Join(recs[0], ",") != strings.Join(CSVColumns, ",") {
		t.Fatalf("header %v", recs[0])
	}
	var out []map[string]string
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = rec[i]
		}
		out = append(out, m)
	}
	return out
}

func TestCSVWriter(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSVWriter(&buf)
	failed := richDoc()
	failed.ID = "bad"
	failed.Errors = []pipeline.RecordError{{Stage: "events", Message: "boom"}}
	for _, res := range []pipeline.Result{
		{Item: pipeline.Item{Doc: richDoc()}},
		{Item: pipeline.Item{Doc: failed}, Failed: true},
		{Item: pipeline.Item{Err: errors.New("bad line"), Source: "x.jsonl:3"}},
	} {
		if err := w.Write(res); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rows := parseCSV(t, buf.Bytes())
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2 (documents with errors give none):\n%s", len(rows), buf.String())
	}
	want := map[string]string{
		"event_id": "e1", "event_date": "2016-12-09", "time_precision": "1", "event_type": "Battles",
		"actor1": "armed opposition", "latitude": "36.2021", "longitude": "37.1343", "geo_precision": "1",
		"fatalities": "12", "notes": "12 soldiers were killed in Aleppo on Friday, and 3 wounded.",
		"hadath_type": "attack", "status": "occurred", "confidence": "0.8", "cameo": "190",
	}
	for k, v := range want {
		if rows[0][k] != v {
			t.Errorf("%s = %q, want %q", k, rows[0][k], v)
		}
	}
	if rows[1]["latitude"] != "" || rows[1]["fatalities"] != "0" || rows[1]["geo_precision"] != "" {
		t.Errorf("unlocated row: %v", rows[1])
	}
	if c := w.Counts()["documents_without_rows"]; c != 2 {
		t.Errorf("documents_without_rows = %d, want 2", c)
	}
	// quotes in the evidence survive the round trip
	var b2 bytes.Buffer
	w2 := NewCSVWriter(&b2)
	d := richDoc()
	d.Events[0].Sentence = 0
	d.Events[0].Trigger = pipeline.Span{Text: "said", Start: 7, End: 11}
	_ = w2.Write(pipeline.Result{Item: pipeline.Item{Doc: d}})
	_ = w2.Close()
	if got := parseCSV(t, b2.Bytes())[0]["notes"]; got != `Rebels said, "hello".` {
		t.Errorf("notes = %q", got)
	}
}

func TestCSVHeaderOnlyWhenEmpty(t *testing.T) {
	var buf bytes.Buffer
	w := NewCSVWriter(&buf)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if rows := parseCSV(t, buf.Bytes()); len(rows) != 0 {
		t.Errorf("rows without input: %v", rows)
	}
}

func TestNewFormatWriter(t *testing.T) {
	for _, f := range []string{"", "jsonl", "csv", "geojson"} {
		if _, err := NewFormatWriter(f, &bytes.Buffer{}, false); err != nil {
			t.Errorf("%q: %v", f, err)
		}
	}
	if _, err := NewFormatWriter("xml", &bytes.Buffer{}, false); err == nil {
		t.Error("xml accepted")
	}
}
