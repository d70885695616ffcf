package eval

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hadath/hadath/pipeline"
)

func readEventGold(t *testing.T) []EventDoc {
	t.Helper()
	docs, err := ReadEventDocsFile(filepath.Join("testdata", "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func pev(typ, status string, ts, te int, trig string, loc *pipeline.Entity, date string, q ...pipeline.EventQuantity) pipeline.Event {
	e := pipeline.Event{Type: typ, Status: status, Trigger: pipeline.Span{Text: trig, Start: ts, End: te}, Location: loc, Quantities: q, Rule: typ + "-rule"}
	if date != "" {
		e.Date = &pipeline.EventDate{Value: date}
	}
	return e
}

// TestScoreEvents scores testdata/events.jsonl against injected events:
//
//	e1 gold: G1 ceasefire proposed sy-aleppo-east, no date, evidence
//	         "هدنة إنسانية"; G2 casualties occurred دوما 2016-12-06
//	         killed=12 injured=3, evidence "وقتل 12 مدنيا"; G3 attack
//	         (status defaults to occurred) sy-douma 2016-12-06.
//	   pred: P1 ceasefire proposed sy-aleppo-east 2016-12-07 (date wrong);
//	         P2 casualties occurred (text دوما) 2016-12-06 killed=12;
//	         P3 attack occurred sy-douma 2016-12-06.
//	e2 (text_file) gold: G4 capture occurred Palmyra 2016-12-05;
//	         G5 negotiation planned ch-geneva 2016-12-07 (no evidence);
//	         G6 displacement (no evidence).
//	   pred: P4 capture occurred (name Palmyra) 2016-12-05; P5 negotiation
//	         occurred ch-geneva 2016-12-07 (status wrong); P6 siege (no
//	         gold: false alarm).
//
// gold 6, pred 6. type: 5 matched, P=R=F1=5/6. type+status: G5 wrong, 4:
// 4/6. type+location: 5/6. type+date: G1 wrong, 4/6. all: G1, G5 wrong, 3:
// 1/2. quantities: 1 of gold 2, pred 1: P=1 R=.5 F1=2/3; quantities agree
// on 4 of 5 matched events (G2 lacks injured=3). Matched by evidence 4
// (G1-G4), by document 1 (G5).
func TestScoreEvents(t *testing.T) {
	docs := readEventGold(t)
	if len(docs) != 2 || !strings.HasPrefix(docs[1].Text, "Government forces") {
		t.Fatalf("docs: %+v", docs)
	}
	aleppo := &pipeline.Entity{ID: "sy-aleppo-east", Text: "شرق حلب"}
	douma := &pipeline.Entity{ID: "sy-douma", Text: "دوما", Name: "Douma"}
	palmyra := &pipeline.Entity{ID: "sy-palmyra", Text: "Palmyra", Name: "Palmyra"}
	geneva := &pipeline.Entity{ID: "ch-geneva", Text: "Geneva"}
	ecs := []eventCase{
		{Case: Case{ID: "e1", Text: docs[0].Text}, gold: docs[0].Events, pred: []pipeline.Event{
			pev("ceasefire", "proposed", 49, 61, "هدنة إنسانية", aleppo, "2016-12-07"),
			pev("casualties", "occurred", 76, 79, "قتل", douma, "2016-12-06", pipeline.EventQuantity{Role: "killed", Value: 12}),
			pev("attack", "occurred", 92, 95, "قصف", douma, "2016-12-06"),
		}},
		{Case: Case{ID: "e2", Text: docs[1].Text}, gold: docs[1].Events, pred: []pipeline.Event{
			pev("capture", "occurred", 18, 26, "captured", palmyra, "2016-12-05"),
			pev("negotiation", "occurred", 58, 63, "Talks", geneva, "2016-12-07"),
			pev("siege", "occurred", 0, 10, "Government", nil, ""),
		}},
	}
	es := ScoreEvents(ecs)
	o := es.Overall
	checkPRF(t, "type", o.Type, 5, 6, 6, 5.0/6, 5.0/6, 5.0/6)
	checkPRF(t, "type+status", o.TypeStatus, 4, 6, 6, 4.0/6, 4.0/6, 4.0/6)
	checkPRF(t, "type+location", o.TypeLocation, 5, 6, 6, 5.0/6, 5.0/6, 5.0/6)
	checkPRF(t, "type+date", o.TypeDate, 4, 6, 6, 4.0/6, 4.0/6, 4.0/6)
	checkPRF(t, "all", o.All, 3, 6, 6, 0.5, 0.5, 0.5)
	checkPRF(t, "quantities", es.Quantities, 1, 2, 1, 1, 0.5, 2.0/3)
	if es.QuantityEvents != 4 || es.Matched != 5 || es.MatchedBy["evidence"] != 4 || es.MatchedBy["document"] != 1 {
		t.Errorf("counts: quantity events %d matched %d by %v", es.QuantityEvents, es.Matched, es.MatchedBy)
	}
	var types []string
	for _, r := range es.PerType {
		types = append(types, r.Type)
	}
	if strings.Join(types, ",") != "attack,capture,casualties,ceasefire,displacement,negotiation,siege" {
		t.Errorf("per type: %v", types)
	}
	// displacement: gold 1, pred 0: P undefined; siege: gold 0, pred 1.
	if d := es.PerType[4].EventDims.Type; !d.PrecisionUndefined || d.Recall != 0 {
		t.Errorf("displacement: %+v", d)
	}
	if s := es.PerType[6].EventDims.Type; !s.RecallUndefined || s.Precision != 0 || s.Pred != 1 {
		t.Errorf("siege: %+v", s)
	}
	var attrs []string
	for _, d := range es.Disagreements {
		attrs = append(attrs, d.Where+":"+d.Type+":"+d.Attribute+":"+d.Gold+":"+d.Pred)
	}
	// sorted by attribute, then type
	want := "e1:ceasefire:date:-:2016-12-07,e1:casualties:quantities:injured=3 killed=12:killed=12,e2:negotiation:status:planned:occurred"
	if strings.Join(attrs, ",") != want {
		t.Errorf("disagreements:\n got %s\nwant %s", strings.Join(attrs, ","), want)
	}
	misses, fas := eventLists(ecs, es.records)
	if len(misses) != 1 || misses[0].Type != "displacement" || misses[0].Where != "e2" {
		t.Errorf("misses: %+v", misses)
	}
	if len(fas) != 1 || fas[0].Type != "siege" || fas[0].Text != "Government" || fas[0].ID != "siege-rule" {
		t.Errorf("false alarms: %+v", fas)
	}
}

func TestReadEventDocsErrors(t *testing.T) {
	for _, in := range []string{
		`{"id":"a","events":[]}`,
		`{"id":"a","text":"x","text_file":"y","events":[]}`,
		`{"id":"a","text":"abc","events":[{"type":"attack","evidence":{"start":1,"end":7}}]}`,
		`{"id":"a","text":"abc","events":[{"status":"occurred"}]}`,
		`{"id":"a","text":"abc","events":[],"extra":1}`,
		"{\"id\":\"a\",\"text\":\"abc\",\"events\":[]}\n{\"id\":\"a\",\"text\":\"abc\",\"events\":[]}",
	} {
		if _, err := ReadEventDocs(strings.NewReader(in), "g.jsonl", "."); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}

// TestEventsEndToEnd runs the events fixture through the real pipeline;
// the rules move, so only the shape is checked.
func TestEventsEndToEnd(t *testing.T) {
	p, _ := testPipeline(t)
	r, err := Events(context.Background(), "testdata/events.jsonl", readEventGold(t), Options{Pipeline: p})
	if err != nil {
		t.Fatal(err)
	}
	if r.Events == nil || r.Units != 2 || r.Micro.Exact.Gold != 6 || r.Failed != 0 {
		t.Fatalf("report: %+v", r)
	}
	if r.Events.Matched == 0 {
		t.Errorf("no event matched: %+v", r.Events)
	}
	var b strings.Builder
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "type+status") {
		t.Errorf("text:\n%s", b.String())
	}
}

// TestDiff saves two runs of the small NER fixture and compares them.
//
//	A: predictions of smallCases.
//	B: the same, but لبنان in s5 found, الجو in s3 dropped, بحلب in s1 lost
//	   and a new false alarm زار in s5.
func TestDiff(t *testing.T) {
	m, _ := ParseMapping(DefaultMap, nil, false)
	mk := func(cases []Case) *Report {
		r := &Report{Task: "ner", File: "ner-small.txt", Unit: "sentence", Units: len(cases), Scores: *Score(cases, m.Types(), false), cases: cases}
		saved := r.WithRecords()
		// through JSON, as eval diff reads it
		b, err := json.Marshal(saved)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		path := filepath.Join(dir, "run.json")
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		back, err := LoadRun(path)
		if err != nil {
			t.Fatal(err)
		}
		return back
	}
	a := mk(smallCases(t, m))
	cb := smallCases(t, m)
	cb[0].Pred = cb[0].Pred[1:] // drop حلب
	cb[2].Pred = nil            // drop الجو
	predAt(t, &cb[4], "place", "لبنان")
	predAt(t, &cb[4], "place", "زار")
	b := mk(cb)
	d, err := Diff(a, b, "a.json", "b.json")
	if err != nil {
		t.Fatal(err)
	}
	one := func(what string, l []Change, text, from, to string) {
		t.Helper()
		if len(l) != 1 || l[0].Text != text || l[0].From != from || l[0].To != to {
			t.Errorf("%s: got %+v, want %s %s→%s", what, l, text, from, to)
		}
	}
	one("newly found", d.NewlyFound, "لبنان", "none", "exact")
	one("newly missed", d.NewlyMissed, "بحلب", "exact", "none")
	one("new false alarms", d.NewFalseAlarms, "زار", "absent", "none")
	one("gone false alarms", d.GoneFalseAlarms, "الجو", "none", "absent")
	if d.NewlyFound[0].Example != "زار [لبنان]" || d.NewlyFound[0].Where != "ner-small.txt:20" {
		t.Errorf("example: %+v", d.NewlyFound[0])
	}
	// place: A exact 2/4 P, 2/5 R; B: pred حلب dropped, الجو dropped,
	// لبنان and زار added: pred 4, exact TP 2 (نابلس, لبنان): same P and R.
	var place TypeDelta
	for _, r := range d.Types {
		if r.Type == "place" {
			place = r
		}
	}
	if !near(place.DP, 0) || !near(place.DR, 0) || place.B.Pred != 4 {
		t.Errorf("place delta: %+v", place)
	}
	var buf strings.Builder
	if err := WriteDiffText(&buf, d); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "newly found (1)") {
		t.Errorf("text:\n%s", buf.String())
	}
	if _, err := Diff(a, &Report{Task: "dates"}, "a", "b"); err == nil {
		t.Error("different tasks: no error")
	}
}
