package output_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/output"
	"github.com/hadath/hadath/pipeline"
)

// validateGeoJSON checks an RFC 7946 FeatureCollection of Points and
// returns its features.
func validateGeoJSON(t *testing.T, b []byte) []map[string]any {
	t.Helper()
	var fc map[string]any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&fc); err != nil {
		t.Fatalf("GeoJSON is not JSON: %v\n%.500s", err, b)
	}
	if dec.More() {
		t.Fatal("trailing data after the FeatureCollection")
	}
	if fc["type"] != "FeatureCollection" {
		t.Fatalf("type = %v", fc["type"])
	}
	raw, ok := fc["features"].([]any)
	if !ok {
		t.Fatalf("features is %T", fc["features"])
	}
	var out []map[string]any
	for i, r := range raw {
		f, ok := r.(map[string]any)
		if !ok || f["type"] != "Feature" {
			t.Fatalf("feature %d: %v", i, r)
		}
		g, ok := f["geometry"].(map[string]any)
		if !ok || g["type"] != "Point" {
			t.Fatalf("feature %d geometry: %v", i, f["geometry"])
		}
		c, ok := g["coordinates"].([]any)
		if !ok || len(c) != 2 {
			t.Fatalf("feature %d coordinates: %v", i, g["coordinates"])
		}
		lon, err1 := c[0].(json.Number).Float64()
		lat, err2 := c[1].(json.Number).Float64()
		if err1 != nil || err2 != nil || lon < -180 || lon > 180 || lat < -90 || lat > 90 {
			t.Fatalf("feature %d coordinates out of range: %v", i, c)
		}
		p, ok := f["properties"].(map[string]any)
		if !ok {
			t.Fatalf("feature %d properties: %v", i, f["properties"])
		}
		for _, col := range output.CSVColumns {
			if _, ok := p[col]; !ok {
				t.Errorf("feature %d lacks property %s", i, col)
			}
		}
		// properties repeat the point
		if fmt.Sprint(p["latitude"]) != c[1].(json.Number).String() || fmt.Sprint(p["longitude"]) != c[0].(json.Number).String() {
			t.Errorf("feature %d: properties lat/lon %v/%v disagree with [lon, lat] %v", i, p["latitude"], p["longitude"], c)
		}
		out = append(out, f)
	}
	return out
}

func TestGeoJSONWriterSkipsUnlocated(t *testing.T) {
	lat, lon := 36.2, 37.1
	bad := 123.0
	doc := &pipeline.Document{ID: "d", Fields: []*pipeline.Field{{Name: "text"}}, Events: []pipeline.Event{
		{ID: "a", Type: "attack", Location: &pipeline.Entity{Name: "Aleppo", Kind: "city", Lat: &lat, Lon: &lon}},
		{ID: "b", Type: "attack"},
		{ID: "c", Type: "attack", Location: &pipeline.Entity{Name: "nowhere", Kind: "region"}},
		{ID: "d", Type: "attack", Location: &pipeline.Entity{Name: "bad", Kind: "city", Lat: &bad, Lon: &lon}},
	}}
	var buf bytes.Buffer
	w := output.NewGeoJSONWriter(&buf)
	if err := w.Write(pipeline.Result{Item: pipeline.Item{Doc: doc}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	fs := validateGeoJSON(t, buf.Bytes())
	if len(fs) != 1 || fs[0]["id"] != "a" {
		t.Fatalf("features %v", fs)
	}
	c := fs[0]["geometry"].(map[string]any)["coordinates"].([]any)
	if c[0].(json.Number).String() != "37.1" || c[1].(json.Number).String() != "36.2" {
		t.Errorf("coordinates %v, want [lon, lat] = [37.1, 36.2]", c)
	}
	if n := w.Counts()["unlocated_events"]; n != 3 {
		t.Errorf("unlocated_events = %d, want 3", n)
	}
	// an empty collection is still valid
	var e bytes.Buffer
	ew := output.NewGeoJSONWriter(&e)
	if err := ew.Close(); err != nil {
		t.Fatal(err)
	}
	if fs := validateGeoJSON(t, e.Bytes()); len(fs) != 0 {
		t.Errorf("empty collection has %d features", len(fs))
	}
}

// runFormat runs the whole extract path (reader, pipeline, writer) in one
// format over the seed and the English examples.
func runFormat(t *testing.T, p *pipeline.Pipeline, format, emit string) []byte {
	t.Helper()
	c, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.DocDate, c.Format, c.Emit = "2016-12-07", format, emit
	var out bytes.Buffer
	root := filepath.Join("..", "..", "testdata")
	_, err = app.Extract(context.Background(), c, p, app.ExtractOptions{
		Paths:  []string{filepath.Join(root, "seed-aleppo-2016-12-07.txt"), filepath.Join(root, "examples.jsonl")},
		Stdout: &out,
	}, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestFormatsAgreeWithJSONLines(t *testing.T) {
	p, err := app.Default(zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}

	var events []pipeline.Event
	for _, l := range bytes.Split(bytes.TrimSpace(runFormat(t, p, "jsonl", "events")), []byte("\n")) {
		var ev pipeline.Event
		if err := json.Unmarshal(l, &ev); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		events = append(events, ev)
	}
	if len(events) < 20 {
		t.Fatalf("only %d events from the seed and examples", len(events))
	}

	rd := csv.NewReader(bytes.NewReader(runFormat(t, p, "csv", "")))
	recs, err := rd.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != strings.Join(output.CSVColumns, ",") {
		t.Fatalf("header %v", recs[0])
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	rows := recs[1:]
	if len(rows) != len(events) {
		t.Fatalf("%d CSV rows, %d JSON Lines events", len(rows), len(events))
	}
	var located []pipeline.Event
	for i, ev := range events {
		r := rows[i]
		get := func(k string) string { return r[col[k]] }
		if get("event_id") != ev.ID || get("hadath_type") != ev.Type || get("status") != ev.Status ||
			get("event_type") != ev.Codes.ACLEDEventType || get("sub_event_type") != ev.Codes.ACLEDSubEventType ||
			get("doc_id") != ev.DocID || get("cameo") != ev.Codes.CAMEO {
			t.Errorf("row %d %v disagrees with event %+v", i, r, ev)
		}
		if ev.Location != nil && ev.Location.Lat != nil && ev.Location.Lon != nil {
			located = append(located, ev)
			if get("latitude") != strconv.FormatFloat(*ev.Location.Lat, 'f', -1, 64) ||
				get("longitude") != strconv.FormatFloat(*ev.Location.Lon, 'f', -1, 64) {
				t.Errorf("row %d coordinates %s,%s; event %v,%v", i, get("latitude"), get("longitude"), *ev.Location.Lat, *ev.Location.Lon)
			}
		} else if get("latitude") != "" {
			t.Errorf("row %d has coordinates, the event none", i)
		}
		if get("notes") == "" || !strings.Contains(get("notes"), ev.Trigger.Text) {
			t.Errorf("row %d notes %q lack the trigger %q", i, get("notes"), ev.Trigger.Text)
		}
	}

	fs := validateGeoJSON(t, runFormat(t, p, "geojson", ""))
	if len(fs) != len(located) {
		t.Fatalf("%d features, %d located events", len(fs), len(located))
	}
	if len(located) == len(events) {
		t.Log("every event is located; the skip path is covered by TestGeoJSONWriterSkipsUnlocated")
	}
	for i, ev := range located {
		f := fs[i]
		c := f["geometry"].(map[string]any)["coordinates"].([]any)
		pr := f["properties"].(map[string]any)
		if f["id"] != ev.ID || pr["hadath_type"] != ev.Type || pr["event_type"] != ev.Codes.ACLEDEventType ||
			c[0].(json.Number).String() != strconv.FormatFloat(*ev.Location.Lon, 'f', -1, 64) ||
			c[1].(json.Number).String() != strconv.FormatFloat(*ev.Location.Lat, 'f', -1, 64) {
			t.Errorf("feature %d (%v %v %v) disagrees with event %s %s %v,%v", i, f["id"], pr["hadath_type"], c, ev.ID, ev.Type, *ev.Location.Lat, *ev.Location.Lon)
		}
	}
}
