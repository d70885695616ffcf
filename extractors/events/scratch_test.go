package events_test

import (
	"encoding/json"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/hadath/hadath/pipeline"
)

// TestScratchReuse checks that the pooled scratch of the events stage
// (token readings, triggers, the formatted document date) carries nothing
// from one document to the next: documents with different dates and
// fields, processed in turn and on several goroutines at once (run with
// -race), give the same events every time.
func TestScratchReuse(t *testing.T) {
	seed, err := os.ReadFile("../../testdata/seed-aleppo-2016-12-07.txt")
	if err != nil {
		t.Fatal(err)
	}
	mk := []func() *pipeline.Document{
		func() *pipeline.Document {
			return &pipeline.Document{ID: "a", Text: string(seed), Fields: []*pipeline.Field{{Name: "text", Text: string(seed)}},
				DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true}
		},
		func() *pipeline.Document {
			text := "قتل 18 شخصا في سقوط صاروخ على سوق في دوما. وطالبت الأمم المتحدة بإجلاء الجرحى من حمص."
			title := "هدنة في حلب وإجلاء المدنيين"
			return &pipeline.Document{ID: "b", Text: text, Title: title,
				Fields:  []*pipeline.Field{{Name: "text", Text: text}, {Name: "title", Text: title}},
				DocDate: time.Date(2015, 7, 21, 0, 0, 0, 0, time.UTC), HasDate: true}
		},
		func() *pipeline.Document {
			text := "Rebels in eastern Aleppo called for a five-day truce and the evacuation of the wounded."
			return &pipeline.Document{ID: "c", Text: text, Fields: []*pipeline.Field{{Name: "text", Text: text}}}
		},
	}
	p := pipelineForTest(t)
	run := func(i int) string {
		doc := mk[i]()
		if err := p.Process(doc); err != nil {
			t.Error(err)
			return ""
		}
		b, err := json.Marshal(doc.Events)
		if err != nil {
			t.Error(err)
		}
		return string(b)
	}
	want := make([]string, len(mk))
	for i := range mk {
		want[i] = run(i)
	}
	if want[0] == "null" || want[1] == "null" {
		t.Fatalf("no events: %s %s", want[0], want[1])
	}
	for _, i := range []int{1, 0, 2, 1, 2, 0} {
		if got := run(i); got != want[i] {
			t.Fatalf("document %d after others:\n got %s\nwant %s", i, got, want[i])
		}
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for k := range 6 {
				i := (g + k) % len(mk)
				if got := run(i); got != want[i] {
					t.Errorf("goroutine %d, document %d:\n got %s\nwant %s", g, i, got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestPlacesAreCopies checks that the places of the events are copies, not
// pointers into the field's entities (the stage points there while it
// builds and merges events, and copies the places of the events kept), and
// that no two events share a date (those dated by the document share one
// until they are kept).
func TestPlacesAreCopies(t *testing.T) {
	seed, err := os.ReadFile("../../testdata/seed-aleppo-2016-12-07.txt")
	if err != nil {
		t.Fatal(err)
	}
	doc := &pipeline.Document{ID: "a", Text: string(seed), Fields: []*pipeline.Field{{Name: "text", Text: string(seed)}},
		DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true}
	if err := pipelineForTest(t).Process(doc); err != nil {
		t.Fatal(err)
	}
	f := doc.Fields[0]
	places := 0
	for _, ev := range doc.Events {
		for _, p := range []*pipeline.Entity{ev.Location, ev.Origin, ev.Destination} {
			if p == nil {
				continue
			}
			places++
			for k := range f.Entities {
				if p == &f.Entities[k] {
					t.Fatalf("event %s: place %q points into the field's entities", ev.ID, p.Text)
				}
			}
		}
	}
	if places == 0 {
		t.Fatal("no event has a place: the test reads nothing")
	}
	dates := map[*pipeline.EventDate]bool{}
	byDoc := 0
	for _, ev := range doc.Events {
		if ev.Date == nil {
			continue
		}
		if dates[ev.Date] {
			t.Fatalf("event %s shares its date %+v", ev.ID, ev.Date)
		}
		dates[ev.Date] = true
		if ev.Date.Source == "document" {
			byDoc++
		}
	}
	if byDoc < 2 {
		t.Fatalf("%d events dated by the document: the test reads too little", byDoc)
	}
}
