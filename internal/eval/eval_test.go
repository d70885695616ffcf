package eval

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/pipeline"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func checkPRF(t *testing.T, what string, got PRF, tp, gold, pred int, p, r, f float64) {
	t.Helper()
	if got.TP != tp || got.Gold != gold || got.Pred != pred || !near(got.Precision, p) || !near(got.Recall, r) || !near(got.F1, f) {
		t.Errorf("%s: got tp=%d gold=%d pred=%d P=%.4f R=%.4f F1=%.4f, want tp=%d gold=%d pred=%d P=%.4f R=%.4f F1=%.4f",
			what, got.TP, got.Gold, got.Pred, got.Precision, got.Recall, got.F1, tp, gold, pred, p, r, f)
	}
}

func readSents(t *testing.T, name string) []Sentence {
	t.Helper()
	s, err := ReadCoNLLFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// predAt adds a prediction on the code points of word inside sentence c
// (the n-th occurrence, 0-based), aligned to tokens as the pipeline's are.
func predAt(t *testing.T, c *Case, typ, word string) {
	t.Helper()
	i := strings.Index(c.Text, word)
	if i < 0 {
		t.Fatalf("%q not in %q", word, c.Text)
	}
	start := len([]rune(c.Text[:i]))
	end := start + len([]rune(word))
	s, e, ok := Align(c.Tokens, start, end)
	if !ok {
		t.Fatalf("%q does not align", word)
	}
	c.Pred = append(c.Pred, Mention{Type: typ, Start: s, End: e, Text: word, ID: "id-" + word})
}

func TestReadCoNLLNested(t *testing.T) {
	in := `جامعة I-EVENT B-ORG
بيرزيت I-EVENT I-ORG B-GPE
-DOCSTART- O

مدينة B-GPE
الخليل I-GPE
القديمة I-GPE

مدينة I-GPE B-GPE
الخليل I-GPE I-GPE
و O
رام S-GPE
`
	sents, err := ReadCoNLL(strings.NewReader(in), "x")
	if err != nil {
		t.Fatal(err)
	}
	if len(sents) != 3 {
		t.Fatalf("got %d sentences, want 3", len(sents))
	}
	// sentence 1: EVENT continues from nothing (I- starts a span) over both
	// tokens; ORG over both; GPE on the second.
	want := []Span{{"EVENT", 0, 2}, {"ORG", 0, 2}, {"GPE", 1, 2}}
	if got := sents[0].Gold; !equalSpans(got, want) {
		t.Errorf("sentence 1: got %v, want %v", got, want)
	}
	if sents[0].Text != "جامعة بيرزيت" || sents[0].Tokens[1].Start != 6 || sents[0].Tokens[1].End != 12 {
		t.Errorf("sentence 1 text/offsets: %q %+v", sents[0].Text, sents[0].Tokens)
	}
	if got := sents[1].Gold; !equalSpans(got, []Span{{"GPE", 0, 3}}) {
		t.Errorf("sentence 2: got %v", got)
	}
	// sentence 3: the outer I-GPE continues, B-GPE opens an inner span,
	// both go on over الخليل; رام is a single-token span.
	want = []Span{{"GPE", 0, 2}, {"GPE", 3, 4}}
	if got := sents[2].Gold; !equalSpans(got, want) {
		t.Errorf("sentence 3: got %v, want %v", got, want)
	}
	if sents[2].Line != 9 {
		t.Errorf("sentence 3 line: got %d, want 9", sents[2].Line)
	}
	if _, err := ReadCoNLL(strings.NewReader("كلمة X-LOC\n"), "bad"); err == nil || !strings.Contains(err.Error(), "bad:1") {
		t.Errorf("bad tag: got %v", err)
	}
}

func TestReadCoNLLNestedSameType(t *testing.T) {
	// Wojood: an ORG inside an ORG (the outer one started earlier).
	in := "رئيس B-ORG\nجامعة I-ORG B-ORG\nبيرزيت I-ORG I-ORG B-GPE\nقال O\n"
	sents, err := ReadCoNLL(strings.NewReader(in), "x")
	if err != nil {
		t.Fatal(err)
	}
	want := []Span{{"ORG", 0, 3}, {"ORG", 1, 3}, {"GPE", 2, 3}}
	if got := sents[0].Gold; !equalSpans(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func equalSpans(a, b []Span) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestAlignClitic(t *testing.T) {
	toks := WhitespaceTokens("وقعت اشتباكات بحلب أمس")
	// "حلب" is code points 15..18 inside "بحلب" (14..18)
	s, e, ok := Align(toks, 15, 18)
	if !ok || s != 2 || e != 3 {
		t.Errorf("got %d %d %v, want 2 3 true", s, e, ok)
	}
	// a span over two tokens' parts covers both
	if s, e, _ := Align(toks, 10, 16); s != 1 || e != 3 {
		t.Errorf("got %d %d, want 1 3", s, e)
	}
	if _, _, ok := Align(toks, 4, 5); ok {
		t.Error("a space aligned to a token")
	}
}

// smallCases is testdata/ner-small.txt with injected predictions:
//
//	s1 "قصفت الطائرات بحلب وقال أنان": gold LOC بحلب, PERS أنان (unmapped);
//	   pred place "حلب" inside بحلب (clitic: counts for the token),
//	   pred person "أنان" (a type not scored: ignored).
//	s2 "بلدية نابلس تعلن": gold ORG بلدية نابلس and GPE نابلس (nested);
//	   pred place نابلس (exact), organization نابلس (partial).
//	s3 "الجو جميل": no gold; pred place الجو (false alarm).
//	s4 "الولايات المتحدة الأمريكية و لبنان": gold LOC both;
//	   pred place "الولايات المتحدة" (partial); لبنان missed.
//	s5 "زار لبنان": gold LOC لبنان, missed.
func smallCases(t *testing.T, m Mapping) []Case {
	cases, toks := SentenceCases("ner-small.txt", readSents(t, "ner-small.txt"), m)
	if len(cases) != 5 || toks != 17 {
		t.Fatalf("got %d cases %d tokens, want 5 17", len(cases), toks)
	}
	predAt(t, &cases[0], "place", "حلب")
	predAt(t, &cases[0], "person", "أنان")
	predAt(t, &cases[1], "place", "نابلس")
	predAt(t, &cases[1], "organization", "نابلس")
	predAt(t, &cases[1], "place", "نابلس") // duplicate: counts once
	predAt(t, &cases[2], "place", "الجو")
	predAt(t, &cases[3], "place", "الولايات المتحدة")
	return cases
}

func TestScoreSmall(t *testing.T) {
	m, err := ParseMapping(DefaultMap, nil, false)
	if err != nil {
		t.Fatal(err)
	}
	s := Score(smallCases(t, m), m.Types(), false)
	if len(s.Types) != 2 || s.Types[0].Type != "organization" || s.Types[1].Type != "place" {
		t.Fatalf("types: %+v", s.Types)
	}
	org, place := s.Types[0], s.Types[1]
	// organization: gold 1 (بلدية نابلس), pred 1 (نابلس): no exact match,
	// one partial. Exact P=R=F1=0, partial 1/1.
	checkPRF(t, "organization exact", org.Exact, 0, 1, 1, 0, 0, 0)
	checkPRF(t, "organization partial", org.Partial, 1, 1, 1, 1, 1, 1)
	// place: gold 5 (بحلب, نابلس, الولايات المتحدة الأمريكية, لبنان, لبنان),
	// pred 4 (حلب, نابلس, الجو, الولايات المتحدة). Exact TP 2 (بحلب via the
	// clitic, نابلس): P=2/4=.5, R=2/5=.4, F1=2*.5*.4/.9=4/9.
	// Partial TP 3 (+ الولايات): P=3/4, R=3/5, F1=2*.75*.6/1.35=2/3.
	checkPRF(t, "place exact", place.Exact, 2, 5, 4, 0.5, 0.4, 4.0/9)
	checkPRF(t, "place partial", place.Partial, 3, 5, 4, 0.75, 0.6, 2.0/3)
	// micro: gold 6, pred 5; exact 2: P=.4, R=1/3, F1=2*(.4/3)/(.4+1/3)=4/11.
	// partial 4: P=.8, R=2/3, F1=2*(.8*2/3)/(.8+2/3)=8/11.
	checkPRF(t, "micro exact", s.Micro.Exact, 2, 6, 5, 0.4, 1.0/3, 4.0/11)
	checkPRF(t, "micro partial", s.Micro.Partial, 4, 6, 5, 0.8, 2.0/3, 8.0/11)

	// misses: لبنان twice first, then by text.
	wantMiss := []struct {
		typ, text    string
		n, boundary  int
		other, where string
	}{
		{"place", "لبنان", 2, 0, "", "ner-small.txt:14"},
		{"place", "الولايات المتحدة الأمريكية", 1, 1, "الولايات المتحدة", "ner-small.txt:14"},
		{"organization", "بلدية نابلس", 1, 1, "نابلس", "ner-small.txt:7"},
	}
	if len(s.Misses) != len(wantMiss) {
		t.Fatalf("misses: %+v", s.Misses)
	}
	for i, w := range wantMiss {
		g := s.Misses[i]
		if g.Type != w.typ || g.Text != w.text || g.Count != w.n || g.Boundary != w.boundary || g.Other != w.other || g.Where != w.where {
			t.Errorf("miss %d: got %+v, want %+v", i, g, w)
		}
	}
	if got := s.Misses[0].Example; got != "الولايات المتحدة الأمريكية و [لبنان]" {
		t.Errorf("example: %q", got)
	}
	wantFA := []struct{ typ, text, id string }{
		{"place", "الجو", "id-الجو"},
		{"place", "الولايات المتحدة", "id-الولايات المتحدة"},
		{"organization", "نابلس", "id-نابلس"},
	}
	if len(s.FalseAlarms) != len(wantFA) {
		t.Fatalf("false alarms: %+v", s.FalseAlarms)
	}
	for i, w := range wantFA {
		g := s.FalseAlarms[i]
		if g.Type != w.typ || g.Text != w.text || g.ID != w.id || g.Count != 1 {
			t.Errorf("false alarm %d: got %+v, want %+v", i, g, w)
		}
	}
	if s.FalseAlarms[0].Boundary != 0 || s.FalseAlarms[1].Boundary != 1 {
		t.Errorf("false alarm boundaries: %+v", s.FalseAlarms)
	}
	// the clitic-attached gold is an exact match
	for _, r := range s.Records {
		if r.Unit == 0 && r.Side == "gold" && r.Match != matchExact {
			t.Errorf("بحلب: %+v", r)
		}
	}
}

func TestScoreMapping(t *testing.T) {
	// Only ORG is scored: place predictions are ignored, PERS as well.
	m, err := ParseMapping(DefaultMap, []string{"ORG=organization"}, true)
	if err != nil {
		t.Fatal(err)
	}
	s := Score(smallCases(t, m), m.Types(), false)
	if len(s.Types) != 1 || s.Types[0].Type != "organization" {
		t.Fatalf("types: %+v", s.Types)
	}
	checkPRF(t, "micro exact", s.Micro.Exact, 0, 1, 1, 0, 0, 0)
	if len(s.FalseAlarms) != 1 || len(s.Misses) != 1 {
		t.Errorf("lists: %+v %+v", s.Misses, s.FalseAlarms)
	}
	// PERS mapped to person, LOC removed: gold person أنان (1, exact),
	// GPE نابلس still place.
	m, err = ParseMapping(DefaultMap, []string{"PERS=person", "LOC="}, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Types(); strings.Join(got, ",") != "organization,person,place" {
		t.Errorf("types %v", got)
	}
	s = Score(smallCases(t, m), m.Types(), false)
	// person: gold 1 pred 1 exact 1. place: gold 1 (نابلس GPE), pred 4
	// (حلب, نابلس, الجو, الولايات المتحدة), exact 1: P=.25 R=1 F1=.4.
	checkPRF(t, "person", s.Types[1].Exact, 1, 1, 1, 1, 1, 1)
	checkPRF(t, "place", s.Types[2].Exact, 1, 1, 4, 0.25, 1, 0.4)
	if _, err := ParseMapping(nil, []string{"LOC"}, false); err == nil {
		t.Error("LOC without =: no error")
	}
	if _, err := ParseMapping(nil, nil, true); err == nil {
		t.Error("empty mapping: no error")
	}
}

func TestScoreNoPredictions(t *testing.T) {
	m, _ := ParseMapping(DefaultMap, nil, false)
	cases, _ := SentenceCases("ner-small.txt", readSents(t, "ner-small.txt"), m)
	s := Score(cases, m.Types(), false)
	// gold 6, pred 0: P = 0/0 undefined (reported 0), R = 0, F1 = 0.
	checkPRF(t, "micro exact", s.Micro.Exact, 0, 6, 0, 0, 0, 0)
	if !s.Micro.Exact.PrecisionUndefined || s.Micro.Exact.RecallUndefined {
		t.Errorf("flags: %+v", s.Micro.Exact)
	}
	r := &Report{Task: "ner", Scores: *s}
	r.addUndefinedNotes()
	if len(r.Notes) != 1 || !strings.Contains(r.Notes[0], "precision is undefined") {
		t.Errorf("notes: %v", r.Notes)
	}
	var b strings.Builder
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "0.0*") || !strings.Contains(b.String(), "* undefined") {
		t.Errorf("text output does not flag the undefined precision:\n%s", b.String())
	}
	// no gold at all (sentence 3 only) and one false alarm: recall undefined
	c := cases[2]
	predAt(t, &c, "place", "الجو")
	s = Score([]Case{c}, m.Types(), false)
	checkPRF(t, "no gold", s.Micro.Exact, 0, 0, 1, 0, 0, 0)
	if !s.Micro.Exact.RecallUndefined || s.Micro.Exact.PrecisionUndefined {
		t.Errorf("flags: %+v", s.Micro.Exact)
	}
}

func TestScoreOneToOne(t *testing.T) {
	// one gold over 3 tokens, two predictions inside it: only one partial
	// pair (the larger overlap); the other is a false alarm.
	c := Case{ID: "c", Text: "a b c d", Tokens: WhitespaceTokens("a b c d"),
		Gold: []Mention{{Type: "place", Start: 0, End: 3, Text: "a b c"}},
		Pred: []Mention{{Type: "place", Start: 2, End: 3, Text: "c"}, {Type: "place", Start: 0, End: 2, Text: "a b"}}}
	s := Score([]Case{c}, []string{"place"}, false)
	// partial: TP 1, gold 1, pred 2: P=.5 R=1 F1=2/3; exact all 0.
	checkPRF(t, "partial", s.Micro.Partial, 1, 1, 2, 0.5, 1, 2.0/3)
	checkPRF(t, "exact", s.Micro.Exact, 0, 1, 2, 0, 0, 0)
	if s.Misses[0].Other != "a b" {
		t.Errorf("paired with %q, want the larger overlap", s.Misses[0].Other)
	}
}

func TestDatesJSONLScore(t *testing.T) {
	f, err := os.Open("testdata/dates.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := ReadDateDocs(f, "dates.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	cases, toks, err := DateCases("dates.jsonl", docs)
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) != 4 || toks != 27 {
		t.Fatalf("%d cases %d tokens", len(cases), toks)
	}
	add := func(i int, word, value string) {
		predAt(t, &cases[i], "date", word)
		cases[i].Pred[len(cases[i].Pred)-1].Value = value
	}
	// d1: gold "يوم الأحد الماضي" 2016-12-04; pred "الأحد الماضي" (partial,
	//     right value).
	// d2: gold "5 ديسمبر 2016" 2016-12-05 and "ثلاثة أيام" P3D; pred the
	//     first (exact, right value), the duration is missed.
	// d3: gold "Monday" 2016-12-05; pred "Monday" with 2016-12-12 (exact,
	//     wrong value).
	// d4: no gold; pred "الجملة." (false alarm).
	add(0, "الأحد الماضي", "2016-12-04")
	add(1, "5 ديسمبر 2016", "2016-12-05")
	add(2, "Monday", "2016-12-12")
	add(3, "الجملة", "XXXX")
	s := Score(cases, []string{"date"}, true)
	// gold 4, pred 4, exact 2: P=R=F1=.5; partial 3: .75.
	checkPRF(t, "exact", s.Micro.Exact, 2, 4, 4, 0.5, 0.5, 0.5)
	checkPRF(t, "partial", s.Micro.Partial, 3, 4, 4, 0.75, 0.75, 0.75)
	// values on matched pairs: d1 ok, d2 ok, d3 wrong: 2/3; exact pairs 1/2.
	v := s.Values
	if v.Matched != 3 || v.Correct != 2 || v.ExactMatched != 2 || v.ExactCorrect != 1 || !near(v.Accuracy, 2.0/3) || !near(v.ExactAccuracy, 0.5) {
		t.Errorf("values: %+v", v)
	}
	if len(v.Errors) != 1 || v.Errors[0].Gold != "2016-12-05" || v.Errors[0].Pred != "2016-12-12" || v.Errors[0].Text != "Monday" {
		t.Errorf("value errors: %+v", v.Errors)
	}
	if len(s.Misses) != 2 || s.Misses[0].Text != "ثلاثة أيام" || s.Misses[1].Text != "يوم الأحد الماضي" || s.Misses[1].Boundary != 1 {
		t.Errorf("misses: %+v", s.Misses)
	}
	// the false alarm covers the whole token "الجملة."
	if len(s.FalseAlarms) != 2 || s.FalseAlarms[1].Text != "الجملة" || s.FalseAlarms[1].Example != "لا تواريخ في هذه [الجملة.]" {
		t.Errorf("false alarms: %+v", s.FalseAlarms)
	}
	if _, err := ReadDateDocs(strings.NewReader(`{"text":"abc","dates":[{"start":2,"end":9}]}`), "x"); err == nil {
		t.Error("span outside the text: no error")
	}
	if _, err := ReadDateDocs(strings.NewReader(`{"text":"abc","doc_date":"7/12/2016","dates":[]}`), "x"); err == nil {
		t.Error("bad doc_date: no error")
	}
}

func testPipeline(t *testing.T) (*pipeline.Pipeline, []string) {
	t.Helper()
	c, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	p, notes, err := BuildPipeline(c, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	return p, notes
}

// TestNEREndToEnd runs testdata/e2e.txt through the real pipeline:
//
//	"قصفت الطائرات مدينة حلب"  gold LOC حلب
//	"وقعت اشتباكات عنيفة بحلب أمس"  gold LOC بحلب (clitic)
//	"دعت الأمم المتحدة إلى هدنة"  gold ORG الأمم المتحدة
//
// Every gold entity must be found at least partially; the clitic one and
// the organization exactly. (Whether "مدينة" belongs to the name is the
// gazetteer's business, so sentence 1 may be exact or partial.)
func TestNEREndToEnd(t *testing.T) {
	p, notes := testPipeline(t)
	m, _ := ParseMapping(DefaultMap, nil, false)
	r, err := NER(context.Background(), "testdata/e2e.txt", readSents(t, "e2e.txt"), Options{Pipeline: p, Workers: 3, Mapping: m, Notes: notes})
	if err != nil {
		t.Fatal(err)
	}
	if r.Units != 3 || r.Tokens != 14 || r.Failed != 0 {
		t.Errorf("units %d tokens %d failed %d", r.Units, r.Tokens, r.Failed)
	}
	checkPRF(t, "micro partial", r.Micro.Partial, 3, 3, 3, 1, 1, 1)
	for _, rec := range r.Scores.Records {
		if rec.Side == "gold" && rec.Unit > 0 && rec.Match != matchExact {
			t.Errorf("not an exact match: %+v", rec)
		}
	}
	// same result with one worker, and with --limit
	r1, err := NER(context.Background(), "testdata/e2e.txt", readSents(t, "e2e.txt"), Options{Pipeline: p, Workers: 1, Mapping: m, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	if r1.Units != 2 || r1.Micro.Partial.Gold != 2 {
		t.Errorf("limit 2: %d units, %d gold", r1.Units, r1.Micro.Partial.Gold)
	}
}

// TestDatesEndToEnd: the explicit date of testdata/dates.jsonl is found
// with its value through the real pipeline.
func TestDatesEndToEnd(t *testing.T) {
	p, _ := testPipeline(t)
	f, err := os.Open("testdata/dates.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	docs, err := ReadDateDocs(f, "dates.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	r, err := DatesJSONL(context.Background(), "testdata/dates.jsonl", docs, Options{Pipeline: p})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, rec := range r.Scores.Records {
		if rec.Side == "pred" && rec.Text == "5 ديسمبر 2016" && rec.Value == "2016-12-05" && rec.Match == matchExact {
			found = true
		}
	}
	if !found {
		t.Errorf("5 ديسمبر 2016 not found with its value: %+v", r.Scores.Records)
	}
	if r.Values == nil || r.Values.Matched == 0 {
		t.Errorf("values: %+v", r.Values)
	}
}

func sharedData(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("HADATH_SHARED")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared")
	}
	dir = filepath.Join(dir, "data")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("no shared data (%s): %v", dir, err)
	}
	return dir
}

// TestSharedCorpora reads the development corpora, when present, and
// checks their shape (not the scores, which move as hadath is tuned).
func TestSharedCorpora(t *testing.T) {
	dir := sharedData(t)
	sents, err := ReadCoNLLFile(filepath.Join(dir, "ner", "anercorp-train.txt"))
	if err != nil {
		t.Fatal(err)
	}
	m, _ := ParseMapping(DefaultMap, nil, false)
	cases, toks := SentenceCases("anercorp-train.txt", sents, m)
	gold := 0
	for _, c := range cases {
		gold += len(c.Gold)
	}
	if toks < 100000 || gold < 4000 {
		t.Errorf("ANERcorp: %d tokens, %d gold entities", toks, gold)
	}
	if testing.Short() {
		return
	}
	p, _ := testPipeline(t)
	r, err := NER(context.Background(), "anercorp-train.txt", sents, Options{Pipeline: p, Mapping: m, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if r.Micro.Exact.Pred == 0 || r.Failed != 0 {
		t.Errorf("ANERcorp 500 sentences: %+v, %d failed", r.Micro, r.Failed)
	}
	w, err := ReadCoNLLFile(filepath.Join(dir, "ner", "wojood-sample-val.txt"))
	if err != nil {
		t.Fatal(err)
	}
	dm, _ := ParseMapping(map[string]string{"DATE": "date"}, nil, false)
	wc, _ := SentenceCases("wojood-sample-val.txt", w, dm)
	dates := 0
	for _, c := range wc {
		dates += len(c.Gold)
	}
	if dates < 50 {
		t.Errorf("Wojood val: %d DATE spans", dates)
	}
}
