package app_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/output"
	"github.com/hadath/hadath/pipeline"
)

var update = flag.Bool("update", false, "rewrite golden files")

const seedPath = "../../testdata/seed-aleppo-2016-12-07.txt"

func defaultPipeline(t testing.TB) *pipeline.Pipeline {
	t.Helper()
	p, err := app.Default(zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func seedDoc(t testing.TB) *pipeline.Document {
	t.Helper()
	b, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	return &pipeline.Document{ID: "seed", Text: text, Fields: []*pipeline.Field{{Name: "text", Text: text}},
		DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true}
}

func processSeed(t *testing.T) (*pipeline.Document, []byte) {
	t.Helper()
	p := defaultPipeline(t)
	doc := seedDoc(t)
	if err := p.Process(doc); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	w := output.NewWriter(&buf, false)
	if err := w.Write(pipeline.Result{Item: pipeline.Item{Doc: doc, Source: "seed"}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return doc, buf.Bytes()
}

func TestSeedOffsetsAreExact(t *testing.T) {
	doc, _ := processSeed(t)
	f := doc.Fields[0]
	check := func(kind, text string, start, end int) {
		if start < 0 || end > len(f.Runes) || start >= end {
			t.Errorf("%s %q: bad span [%d,%d)", kind, text, start, end)
			return
		}
		if got := string(f.Runes[start:end]); got != text {
			t.Errorf("%s: [%d,%d) is %q, mention says %q", kind, start, end, got, text)
		}
	}
	for _, e := range f.Entities {
		check("entity", e.Text, e.Start, e.End)
	}
	for _, d := range f.Dates {
		check("date", d.Text, d.Start, d.End)
	}
	for _, q := range f.Quantities {
		check("quantity", q.Text, q.Start, q.End)
	}
	for _, ev := range doc.Events {
		check("trigger", ev.Trigger.Text, ev.Trigger.Start, ev.Trigger.End)
		for _, a := range ev.Actors {
			check("actor", a.Text, a.Start, a.End)
		}
		for _, q := range ev.Quantities {
			check("event quantity", q.Text, q.Start, q.End)
		}
		if ev.StatusCue != nil {
			check("status cue", ev.StatusCue.Text, ev.StatusCue.Start, ev.StatusCue.End)
		}
	}
}

func TestSeedEntities(t *testing.T) {
	doc, _ := processSeed(t)
	f := doc.Fields[0]
	ids := map[string][]pipeline.Entity{}
	for _, e := range f.Entities {
		ids[e.ID] = append(ids[e.ID], e)
	}
	for _, id := range []string{
		"sy-aleppo", "sy-aleppo-east", "sy-aleppo-old-city", "sy-aleppo-countryside-north", "sy-idlib-gov",
		"sy-aleppo-bab-al-hadid", "sy-aleppo-aqyul", "sy-aleppo-citadel", "us-washington", "country-us", "country-tr",
		"org-un", "org-icrc", "org-red-crescent", "org-dpa", "org-sputnik", "org-sy-national-coalition", "org-sy-army",
	} {
		if len(ids[id]) == 0 {
			t.Errorf("missing entity %s", id)
		}
	}
	// Idlib is written without hamza in the article
	if es := ids["sy-idlib-gov"]; len(es) > 0 && !strings.Contains(es[0].Text, "ادلب") {
		t.Errorf("Idlib mention %q", es[0].Text)
	}
	// the three wordings of the Syrian army
	army := map[string]bool{}
	for _, e := range ids["org-sy-army"] {
		army[e.Text] = true
	}
	for _, w := range []string{"الجيش السوري", "القوات السورية", "القوات الحكومية السورية"} {
		if !army[w] {
			t.Errorf("Syrian army not found as %q (found %v)", w, army)
		}
	}
	// "فيحلبفي": glued in the source, still Aleppo
	glued := false
	for _, e := range ids["sy-aleppo"] {
		if e.Match == "glued" && string(f.Runes[e.Start-2:e.End+2]) == "فيحلبفي" {
			glued = true
		}
	}
	if !glued {
		t.Error("Aleppo inside the glued token فيحلبفي not found")
	}
	// near misses: nothing matched inside a longer word
	for _, e := range f.Entities {
		if e.Match == "glued" {
			continue
		}
		if e.End < len(f.Runes) && isLetter(f.Runes[e.End]) {
			t.Errorf("entity %q ends inside a word: %q", e.Text, string(f.Runes[e.Start:min(e.End+3, len(f.Runes))]))
		}
	}
}

func isLetter(r rune) bool {
	return r >= 0x0621 && r <= 0x064A || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func TestSeedDates(t *testing.T) {
	doc, _ := processSeed(t)
	var gotDay, gotMid bool
	for _, d := range doc.Fields[0].Dates {
		if strings.Contains(d.Text, "7 ديسمبر/كانون الأول") && d.Value == "2016-12-07" {
			gotDay = true
		}
		if strings.Contains(d.Text, "نوفمبر/تشرين الثاني") && d.Value == "2016-11" && d.Mod == "MID" {
			gotMid = true
		}
	}
	if !gotDay {
		t.Errorf("2016-12-07 for الأربعاء 7 ديسمبر/كانون الأول not found in %+v", doc.Fields[0].Dates)
	}
	if !gotMid {
		t.Errorf("2016-11 MID for منتصف شهر نوفمبر/تشرين الثاني not found")
	}
}

type evWant struct {
	name     string
	typ      string
	status   string
	location string // entity id prefix, "" for any
	check    func(ev pipeline.Event) bool
}

func hasQuantity(v float64) func(pipeline.Event) bool {
	return func(ev pipeline.Event) bool {
		for _, q := range ev.Quantities {
			if q.Value == v {
				return true
			}
		}
		return false
	}
}

func TestSeedEvents(t *testing.T) {
	doc, _ := processSeed(t)
	wants := []evWant{
		{"ceasefire proposed for Aleppo, 5 days", "ceasefire", "proposed", "sy-aleppo", func(ev pipeline.Event) bool { return ev.Duration == "P5D" }},
		{"evacuation of 500 medical cases proposed", "evacuation", "proposed", "sy-aleppo", hasQuantity(500)},
		{"negotiations", "negotiation", "", "", nil},
		{"the army's capture of the Old City", "capture", "occurred", "sy-aleppo-old-city", func(ev pipeline.Event) bool {
			for _, a := range ev.Actors {
				if a.ID == "org-sy-army" {
					return true
				}
			}
			return false
		}},
		{"displacement of 80,000", "displacement", "occurred", "", hasQuantity(80000)},
		{"the factions refuse to withdraw", "withdrawal", "refused", "sy-aleppo", nil},
		{"the fighters' withdrawal from the Old City", "withdrawal", "occurred", "sy-aleppo-old-city", nil},
		{"a truce expected within hours", "ceasefire", "planned", "", nil},
		{"evacuation to the northern countryside", "evacuation", "proposed", "", func(ev pipeline.Event) bool {
			return ev.Destination != nil && ev.Destination.ID == "sy-aleppo-countryside-north"
		}},
	}
	for _, w := range wants {
		found := false
		for _, ev := range doc.Events {
			if ev.Type != w.typ || (w.status != "" && ev.Status != w.status) {
				continue
			}
			if w.location != "" && (ev.Location == nil || !strings.HasPrefix(ev.Location.ID, w.location)) {
				continue
			}
			if w.check != nil && !w.check(ev) {
				continue
			}
			found = true
			break
		}
		if !found {
			t.Errorf("event not found: %s (%s/%s at %s)", w.name, w.typ, w.status, w.location)
		}
	}
}

func TestSeedGolden(t *testing.T) {
	_, got := processSeed(t)
	_, again := processSeed(t)
	if !bytes.Equal(got, again) {
		t.Fatal("two runs differ")
	}
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, got, "", "  "); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("..", "..", "testdata", "golden", "seed.json")
	if *update {
		if err := os.WriteFile(path, pretty.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/app -run Golden -update)", err)
	}
	if !bytes.Equal(pretty.Bytes(), want) {
		t.Errorf("output differs from %s; review the change and run with -update", path)
	}
}
