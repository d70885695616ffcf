package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/hadath/hadath/pipeline"
)

// TestHugeAndEmptyDocuments runs a 2 MB document made of one repeated
// paragraph (thousands of mentions of one event) and an empty one through
// the default pipeline. A stage with quadratic work would not finish within
// the test timeout; the test checks the result, not the time.
func TestHugeAndEmptyDocuments(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	p := defaultPipeline(t)
	para := "دعا مقاتلو المعارضة في شرق حلب إلى هدنة لمدة 5 أيام وإجلاء 500 حالة إلى ريف حلب الشمالي. " +
		"Rebels in eastern Aleppo called for a five-day truce under the auspices of the United Nations. "
	text := strings.Repeat(para, 2<<20/len(para))
	for _, tc := range []struct {
		name, text string
	}{{"huge", text}, {"empty", ""}, {"spaces", "   \n\n  "}} {
		doc := &pipeline.Document{ID: tc.name, Text: tc.text, Fields: []*pipeline.Field{{Name: "text", Text: tc.text}},
			DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true}
		if err := p.Process(doc); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		f := doc.Fields[0]
		if tc.name != "huge" {
			if len(f.Entities)+len(doc.Events) != 0 {
				t.Errorf("%s: found something in nothing", tc.name)
			}
			continue
		}
		if len(f.Entities) < 1000 || len(doc.Events) == 0 {
			t.Fatalf("huge: %d entities, %d events", len(f.Entities), len(doc.Events))
		}
		for _, ev := range doc.Events {
			if len(ev.Evidence) > 100 {
				t.Errorf("evidence not capped: %d", len(ev.Evidence))
			}
			if string(f.Runes[ev.Trigger.Start:ev.Trigger.End]) != ev.Trigger.Text {
				t.Fatalf("bad trigger offsets %+v", ev.Trigger)
			}
		}
	}
}
