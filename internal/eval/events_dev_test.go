package eval

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hadath/hadath/pipeline"
)

// TestJoinLabels joins testdata/events.labels.jsonl (labels only) with its
// hand-made corpus testdata/events-corpus.jsonl:
//
//	u1 (tune): "قصفت الطائرات مدينة حمص. وأسفر القصف عن مقتل 5 مدنيين."
//	   gold attack at sy-homs, killed=5, evidence "قصفت"
//	u2 (test): "دعت الأمم المتحدة إلى هدنة في حلب." gold ceasefire proposed
//	u3: not labelled, not scored.
func TestJoinLabels(t *testing.T) {
	o := JoinOptions{TextFrom: "testdata/events-corpus.jsonl"}
	docs, err := JoinLabels("testdata/events.labels.jsonl", o)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || !strings.HasPrefix(docs[0].Text, "قصفت") || docs[0].DocDate != "2016-12-07" {
		t.Fatalf("joined: %+v", docs)
	}
	o.Split = "test"
	docs, err = JoinLabels("testdata/events.labels.jsonl", o)
	if err != nil || len(docs) != 1 || docs[0].ID != "u2" {
		t.Fatalf("split test: %v %+v", err, docs)
	}

	// the whole chain: u1's attack keeps its toll, u2's truce is proposed
	p, _ := testPipeline(t)
	docs, _ = JoinLabels("testdata/events.labels.jsonl", JoinOptions{TextFrom: "testdata/events-corpus.jsonl"})
	r, err := Events(context.Background(), "labels", docs, Options{Pipeline: p})
	if err != nil {
		t.Fatal(err)
	}
	o2 := r.Events.Overall
	if o2.Type.TP != 2 || o2.TypeStatus.TP != 2 || o2.Type.Pred != 2 {
		t.Errorf("scores: %+v", o2)
	}
	if r.Events.Quantities.TP != 1 {
		t.Errorf("the attack should carry killed=5: %+v", r.Events.Quantities)
	}

	// absent corpus: ErrNoText, for callers to skip
	_, err = JoinLabels("testdata/events.labels.jsonl", JoinOptions{TextFrom: "testdata/no-such.jsonl"})
	if !errors.Is(err, ErrNoText) {
		t.Errorf("absent corpus: %v", err)
	}
	// a changed text is refused (the offsets would be wrong)
	dir := t.TempDir()
	b, _ := os.ReadFile("testdata/events-corpus.jsonl")
	changed := filepath.Join(dir, "c.jsonl")
	os.WriteFile(changed, []byte(strings.Replace(string(b), "حمص", "حماة", 1)), 0o644)
	if _, err := JoinLabels("testdata/events.labels.jsonl", JoinOptions{TextFrom: changed}); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Errorf("changed text: %v", err)
	}
	// unknown fields in labels are errors
	if _, err := ReadLabelDocs(strings.NewReader(`{"id":"x","sha256":"","events":[],"text":"no"}`), "x"); err == nil {
		t.Error("a labels line with text: no error")
	}
}

// TestACLEDSmall: testdata/acled.csv, four hand-written rows:
//
//	T1 Riots/Protests "Students demonstrated in Oran ..." 0 killed
//	T2 Remote violence "An airstrike hit a house in Benghazi, killing 3 civilians." 3
//	T3 Battle-No change "Army troops killed a militant in Bouira." 1
//	T4 Strategic development "The weather was calm." (no event) 0
func TestACLEDSmall(t *testing.T) {
	rows, err := ReadACLEDFile("testdata/acled.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[1].Date != "2016-01-06" || rows[1].Fatalities != 3 {
		t.Fatalf("rows: %+v", rows)
	}
	p, _ := testPipeline(t)
	r, err := ACLED(context.Background(), "acled.csv", rows, Options{Pipeline: p})
	if err != nil {
		t.Fatal(err)
	}
	if r.Found != 3 || r.TypeMain != 2 || r.TypeAny != 2 || r.FatalitiesExact != 4 {
		// T3's main event is a casualties event: ACLED calls it a battle
		t.Errorf("report: found %d, type main %d, any %d, fatalities %d; examples %+v", r.Found, r.TypeMain, r.TypeAny, r.FatalitiesExact, r.Examples)
	}
	if r.LocationAgree < 2 {
		t.Errorf("locations: %d of %d agree", r.LocationAgree, r.Located)
	}
	if !placeNamed(&pipeline.Entity{Text: "Al-Bayda"}, "Bayda") || !placeNamed(&pipeline.Entity{Name: "Sétif"}, "Setif") {
		t.Error("al- prefix")
	}
}

// TestWikiSmall: testdata/wikievents.jsonl, one document:
//
//	"A bomb exploded in Mosul, killing three people." attack "exploded",
//	death "killing"; "Police arrested two men." arrest "arrested" and a
//	Contact event (not scored).
func TestWikiSmall(t *testing.T) {
	docs, err := ReadWikiEventsFile("testdata/wikievents.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	text, spans, err := wikiText(&docs[0])
	if err != nil {
		t.Fatal(err)
	}
	if r := []rune(text); string(r[spans[11][0]:spans[11][1]]) != "arrested" {
		t.Fatalf("token spans: %q %v", text, spans[11])
	}
	p, _ := testPipeline(t)
	r, err := WikiEvents(context.Background(), "wikievents.jsonl", docs, Options{Pipeline: p})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range r.Classes {
		if c.Name == "injury" {
			continue
		}
		if c.Gold != 1 || c.TP != 1 {
			t.Errorf("%s: %+v", c.Name, c.PRF)
		}
	}
	if r.Micro.Gold != 3 || r.Micro.TP != 3 {
		t.Errorf("micro: %+v", r.Micro)
	}
}

// TestEventsDevSet scores the hand-labelled Arabic development set
// (testdata/events-dev) when ../shared is present. The bounds are
// regression guards a little under the measured scores (docs/EVALUATION.md).
func TestEventsDevSet(t *testing.T) {
	dir := sharedData(t)
	if testing.Short() {
		t.Skip("short")
	}
	p, _ := testPipeline(t)
	for _, split := range []string{"tune", "test"} {
		docs, err := JoinLabels(filepath.Join("..", "..", "testdata", "events-dev", "saudinewsnet-dev.labels.jsonl"),
			JoinOptions{TextFrom: filepath.Join(dir, "news", "saudinewsnet-2015-conflict-dev.jsonl"), Split: split})
		if err != nil {
			t.Fatal(err)
		}
		if len(docs) < 20 {
			t.Errorf("%s: %d documents", split, len(docs))
		}
		r, err := Events(context.Background(), split, docs, Options{Pipeline: p})
		if err != nil {
			t.Fatal(err)
		}
		o := r.Events.Overall
		if o.Type.F1 < 0.75 || o.TypeStatus.F1 < 0.65 {
			t.Errorf("%s: type F1 %.3f (want >= .75), type+status F1 %.3f (want >= .65)", split, o.Type.F1, o.TypeStatus.F1)
		}
	}
	rows, err := ReadACLEDFile(filepath.Join(dir, "events", "acled-2016-north-africa.csv"))
	if err != nil {
		t.Fatal(err)
	}
	ar, err := ACLED(context.Background(), "acled", rows, Options{Pipeline: p})
	if err != nil {
		t.Fatal(err)
	}
	n := float64(ar.Rows)
	if float64(ar.Found)/n < 0.9 || float64(ar.TypeMain)/n < 0.72 || float64(ar.FatalitiesExact)/n < 0.7 {
		t.Errorf("ACLED: found %d, type %d, fatalities %d of %d", ar.Found, ar.TypeMain, ar.FatalitiesExact, ar.Rows)
	}
}
