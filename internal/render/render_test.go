package render

import (
	"bytes"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hadath/hadath/pipeline"
)

func field(text string) *pipeline.Field {
	return &pipeline.Field{Name: "text", Text: text, Runes: []rune(text)}
}

func TestHighlightEscapesAndPlacesByCodePoints(t *testing.T) {
	// Arabic letters are 2 bytes in UTF-8: offsets must be code points.
	f := field(`دعا <مقاتلو> & "حلب"`)
	// حلب at code points 16..19
	got := highlight(f, []span{{start: 16, end: 19, tag: "mark", attrs: ` class="place"`, contAttrs: ` class="place"`}})
	want := `دعا &lt;مقاتلو&gt; &amp; &#34;<mark class="place">حلب</mark>&#34;`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestHighlightNestingAndCrossing(t *testing.T) {
	f := field("abcdefghij")
	sp := []span{
		{start: 2, end: 6, prio: 1, tag: "mark", attrs: ` id="t"`, contAttrs: ` class="c"`},
		{start: 4, end: 8, prio: 2, tag: "mark", attrs: ` id="x"`, contAttrs: ` class="x2"`},
		{start: 2, end: 6, prio: 3, tag: "mark", attrs: ` id="same"`, contAttrs: ``},
		{start: 9, end: 9, tag: "mark", attrs: ` id="empty"`},
		{start: 8, end: 99, tag: "mark", attrs: ` id="clipped"`},
	}
	got := highlight(f, sp)
	want := `ab<mark id="t"><mark id="same">cd<mark id="x">ef</mark></mark></mark><mark class="x2">gh</mark><mark id="clipped">ij</mark>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if strings.Contains(got, "empty") {
		t.Error("an empty span was rendered")
	}
	// balanced: as many opening as closing marks
	if o, c := strings.Count(got, "<mark"), strings.Count(got, "</mark>"); o != c {
		t.Errorf("%d <mark> and %d </mark>", o, c)
	}
}

func seedLikeDoc() *pipeline.Document {
	text := "دعا مقاتلو المعارضة في شرق حلب إلى هدنة <script>alert(1)</script> مع UN Security Council."
	f := field(text)
	idx := func(s string) (int, int) {
		i := strings.Index(text, s)
		st := len([]rune(text[:i]))
		return st, st + len([]rune(s))
	}
	ps, pe := idx("شرق حلب")
	ts, te := idx("هدنة")
	os_, oe := idx("UN Security Council")
	f.Sentences = []pipeline.Sentence{{Start: 0, End: len(f.Runes), Lang: "ar"}}
	f.Entities = []pipeline.Entity{
		{Type: "place", Text: "شرق حلب", Start: ps, End: pe, ID: "sy-aleppo-east", Name: "East Aleppo", Kind: "region"},
		{Type: "organization", Text: "UN Security Council", Start: os_, End: oe, ID: "org-unsc", Name: `UNSC "<b>"`},
	}
	f.Quantities = []pipeline.Quantity{{Text: "1", Start: ts + 20, End: ts + 21, Value: 1}}
	return &pipeline.Document{ID: `doc<1>&"x"`, Lang: "ar", Text: text, URL: "javascript:alert(1)",
		DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true, Fields: []*pipeline.Field{f},
		Events: []pipeline.Event{{ID: "ev1", Type: "ceasefire", Status: "proposed", Trigger: pipeline.Span{Text: "هدنة", Start: ts, End: te},
			Location: &f.Entities[0], Actors: []pipeline.Actor{{Role: "requester", Text: "مقاتلو المعارضة", Name: "armed opposition"}},
			Codes: pipeline.Codes{ACLEDEventType: "Strategic developments"}, Confidence: 0.9}},
	}
}

func renderDocs(t *testing.T, results ...pipeline.Result) string {
	t.Helper()
	var buf bytes.Buffer
	r := New(&buf, Options{Title: "t <&>"})
	for _, res := range results {
		if err := r.Document(res); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestDocumentPage(t *testing.T) {
	page := renderDocs(t, pipeline.Result{Item: pipeline.Item{Doc: seedLikeDoc()}})
	for _, bad := range []string{"<script", "alert(1)</script>", `href="javascript:`, "<b>", `doc<1>`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	for _, want := range []string{
		`<title>t &lt;&amp;&gt;</title>`,
		`dir="rtl" lang="ar"`,
		`class="place" title="place: East Aleppo (region) [sy-aleppo-east]" data-id="sy-aleppo-east">شرق حلب</mark>`,
		`<mark id="d1-ev-ev1" class="trigger"`,
		`>هدنة</mark>`,
		`<a href="#d1-ev-ev1"><bdi>هدنة</bdi></a>`,
		`<tr id="d1-row-ev1">`,
		// Latin run inside Arabic text is isolated
		`dir="auto">UN Security Council</mark>`,
		`&lt;script&gt;`,
		`<ul class="legend"`,
		`<bdi>armed opposition</bdi>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	// self-contained: nothing is loaded from elsewhere
	if regexp.MustCompile(`(?i)<(script|link|img|iframe)|@import|url\(|src=`).MatchString(page) {
		t.Error("page loads external resources")
	}
}

func TestEnglishAndFailedDocuments(t *testing.T) {
	en := &pipeline.Document{ID: "en", Lang: "en", Text: "Rebels withdrew.", Fields: []*pipeline.Field{field("Rebels withdrew.")}}
	bad := &pipeline.Document{ID: "bad", Errors: []pipeline.RecordError{{Stage: "events", Message: "internal error: <boom>"}}}
	page := renderDocs(t,
		pipeline.Result{Item: pipeline.Item{Doc: en}},
		pipeline.Result{Item: pipeline.Item{Doc: bad}, Failed: true},
		pipeline.Result{Item: pipeline.Item{Err: errors.New("x.jsonl:2: bad JSON <x>"), Source: "x.jsonl:2"}},
	)
	if !strings.Contains(page, `class="text" dir="ltr" lang="en"`) {
		t.Error("English document is not ltr")
	}
	if !strings.Contains(page, "events: internal error: &lt;boom&gt;") || !strings.Contains(page, "bad JSON &lt;x&gt;") {
		t.Error("errors are not shown escaped")
	}
	if strings.Count(page, `<section class="doc"`) != 3 {
		t.Error("want three sections")
	}
}

func TestDirection(t *testing.T) {
	for _, tc := range []struct{ lang, text, want string }{
		{"ar", "abc", "rtl"}, {"en", "حلب", "ltr"}, {"", "حلب حلب x", "rtl"}, {"", "Aleppo", "ltr"}, {"", "123", "auto"},
	} {
		if got := direction(&pipeline.Document{Lang: tc.lang, Text: tc.text}); got != tc.want {
			t.Errorf("direction(%q, %q) = %s, want %s", tc.lang, tc.text, got, tc.want)
		}
	}
}

// TestUnlinkedOrganizationTitle: an organization found by a designator has
// no id or name; its tooltip names it by its text.
func TestUnlinkedOrganizationTitle(t *testing.T) {
	text := "قالت جامعة القاهرة"
	d := &pipeline.Document{ID: "u", Lang: "ar", Fields: []*pipeline.Field{{Name: "text", Text: text, Runes: []rune(text),
		Entities: []pipeline.Entity{{Type: "organization", Text: "جامعة القاهرة", Start: 5, End: 18, Kind: "other", Match: "designator"}}}}}
	page := renderDocs(t, pipeline.Result{Item: pipeline.Item{Doc: d}})
	if want := `title="organization: جامعة القاهرة (other)" data-id=""`; !strings.Contains(page, want) {
		t.Errorf("page lacks %s", want)
	}
}
