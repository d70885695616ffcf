package gazetteer

import (
	"strings"
	"testing"
	"time"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/extractors/sentences"
	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/pipeline"
)

const ambGaz = `entries:
  - {id: aleppo, type: place, kind: city, country: "SY", names: {ar: [حلب], en: [Aleppo]}}
  - {id: aleppo-gov, type: place, kind: governorate, country: "SY", names: {ar: [حلب], en: [Aleppo]}}
  - {id: tripoli-ly, type: place, kind: city, country: "LY", population: 1150989, names: {ar: [طرابلس], en: [Tripoli]}}
  - {id: tripoli-lb, type: place, kind: city, country: "LB", population: 229398, names: {ar: [طرابلس], en: [Tripoli]}}
  - {id: beirut, type: place, kind: city, country: "LB", names: {ar: [بيروت], en: [Beirut]}}
  - {id: sidon, type: place, kind: city, country: "LB", names: {ar: [صيدا], en: [Sidon]}}
  - {id: benghazi, type: place, kind: city, country: "LY", names: {ar: [بنغازي], en: [Benghazi]}}
  - {id: country-lb, type: place, kind: country, country: "LB", names: {ar: [لبنان], en: [Lebanon]}}
  - {id: al-bab, type: place, kind: city, country: "SY", names: {ar: [الباب], en: [al-Bab]}}
  - {id: palmyra, type: place, kind: city, country: "SY", names: {ar: [تدمر], en: [Palmyra]}}
  - {id: mali, type: place, kind: country, country: "ML", names: {ar: [مالي], en: [Mali]}}
  - {id: nusra, type: organization, kind: armed_group, valid_to: "2016-07-28", names: {ar: [جبهة النصرة], en: [Nusra Front]}}
  - {id: jfs, type: organization, kind: armed_group, valid_from: "2016-07-28", valid_to: "2017-01-28", names: {ar: [جبهة فتح الشام, جبهة النصرة], en: [Nusra Front]}}
`

func buildAmb(t *testing.T, prefer string) (*Stage, []pipeline.Stage) {
	t.Helper()
	g, errs := gazetteers.Load([]gazetteers.Source{{Name: "amb.yaml", Data: []byte(ambGaz)}})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	lx, err := gazetteers.DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	s := New(g, Options{Conjunctions: []string{"و", "ف"}, Prepositions: []string{"ب", "ك", "ل"}, Lexicon: lx, PreferCountry: prefer})
	n := normalize.New(normalize.Options{FunctionWords: []string{"في", "على", "من"}, Vocabulary: s})
	return s, []pipeline.Stage{n, sentences.New(nil)}
}

func runAmb(t *testing.T, text, prefer, date string) []pipeline.Entity {
	t.Helper()
	s, pre := buildAmb(t, prefer)
	doc := &pipeline.Document{Fields: []*pipeline.Field{{Name: "text", Text: text}}}
	if date != "" {
		d, err := time.Parse("2006-01-02", date)
		if err != nil {
			t.Fatal(err)
		}
		doc.DocDate, doc.HasDate = d, true
	}
	for _, st := range append(pre, s) {
		if err := st.Process(doc); err != nil {
			t.Fatal(err)
		}
	}
	return doc.Fields[0].Entities
}

func ids(es []pipeline.Entity) string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID+"="+e.Text)
	}
	return strings.Join(out, " ")
}

func TestDisambiguation(t *testing.T) {
	cases := []struct {
		name, text, prefer, date, want string
	}{
		// without context: kind rank (city before governorate), then
		// population (Tripoli LY is larger)
		{"kind rank", "قصف على حلب", "", "", "aleppo=حلب"},
		{"population", "clashes in Tripoli", "", "", "tripoli-ly=Tripoli"},
		// a cue word before the name
		{"governorate cue", "في محافظة حلب", "", "", "aleppo-gov=حلب"},
		{"governorate cue with clitic", "وبمحافظة حلب", "", "", "aleppo-gov=حلب"},
		{"english cue", "in the province of Aleppo", "", "", "aleppo-gov=Aleppo"},
		{"city cue", "في مدينة حلب", "", "", "aleppo=حلب"},
		// the document's other places: its country focus
		{"focus LB", "اشتباكات في طرابلس بعد غارة على بيروت وصيدا", "", "", "tripoli-lb=طرابلس beirut=بيروت sidon=صيدا"},
		{"focus LY", "اشتباكات في طرابلس وبنغازي", "", "", "tripoli-ly=طرابلس benghazi=بنغازي"},
		{"focus later in the text", "Tripoli. Lebanon", "", "", "tripoli-lb=Tripoli country-lb=Lebanon"},
		// the user's bias beats kind rank and population, not the document
		{"prefer", "clashes in Tripoli", "LB", "", "tripoli-lb=Tripoli"},
		{"prefer loses to focus", "Tripoli and Benghazi", "LB", "", "tripoli-ly=Tripoli benghazi=Benghazi"},
		// validity windows at the document date
		{"valid before rename", "جبهة النصرة", "", "2015-05-01", "nusra=جبهة النصرة"},
		{"valid after rename", "جبهة النصرة", "", "2016-10-01", "jfs=جبهة النصرة"},
		{"no date", "جبهة النصرة", "", "", "jfs=جبهة النصرة"},
		// common words need a place cue of their kind
		{"common word alone", "فتح الباب أمام المفاوضات", "", "", ""},
		{"common word with cue", "معارك في مدينة الباب", "", "", "al-bab=الباب"},
		{"common word with clitic cue", "وصلوا لمدينة الباب", "", "", "al-bab=الباب"},
		{"common word verb", "القصف تدمر المنازل", "", "", ""},
		{"common word city cue", "آثار مدينة تدمر", "", "", "palmyra=تدمر"},
		{"common word wrong cue", "دولة مالي", "", "", "mali=مالي"},
		{"common word financial", "دعم مالي", "", "", ""},
		{"common word country needs country cue", "مدينة مالي", "", "", ""},
		// the English name is not gated: only its Arabic form is a common word
		{"english not gated", "in al-Bab", "", "", "al-bab=al-Bab"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := ids(runAmb(t, c.text, c.prefer, c.date)); got != c.want {
				t.Errorf("%q: got %q, want %q", c.text, got, c.want)
			}
		})
	}
}

func TestAlternatives(t *testing.T) {
	es := runAmb(t, "clashes in Tripoli", "", "")
	if len(es) != 1 {
		t.Fatalf("got %v", es)
	}
	e := es[0]
	if e.Score == 0 || len(e.Alternatives) != 1 || e.Alternatives[0].ID != "tripoli-lb" || e.Alternatives[0].Name != "Tripoli" {
		t.Fatalf("alternatives: %+v score %v", e.Alternatives, e.Score)
	}
	if e.Alternatives[0].Score >= e.Score {
		t.Errorf("runner-up scores %v >= winner %v", e.Alternatives[0].Score, e.Score)
	}
	// an unambiguous name has neither
	es = runAmb(t, "in Beirut", "", "")
	if len(es) != 1 || es[0].Score != 0 || es[0].Alternatives != nil {
		t.Errorf("unambiguous: %+v", es)
	}
}

func TestExplain(t *testing.T) {
	s, pre := buildAmb(t, "")
	text := "قصف على محافظة حلب وبيروتت ومدينة الباب وجبهة فتح"
	doc := &pipeline.Document{Fields: []*pipeline.Field{{Name: "text", Text: text}}}
	for _, st := range pre {
		if err := st.Process(doc); err != nil {
			t.Fatal(err)
		}
	}
	ex := s.Explain(doc)
	var b strings.Builder
	if err := ex.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, w := range []string{
		`[3] "حلب" key "حلب"`,
		`MATCH "حلب" (exact, 1 token(s)) after cue "محافظه"`,
		`entry: cue word`,
		`-> aleppo-gov (governorate SY) score`,
		`aleppo (city SY) score 58.0: country focus SY (1 unambiguous places) +40.0; kind rank city +18.0`,
		`candidate "وبيروتت" (exact form): no name starts with it`,
		`near miss: "بيروتت" is one letter off the name "بيروت"`,
		`MATCH "الباب" (exact, 1 token(s)) after cue "مدينه"`,
		`candidate "جبهه" (without proclitics)`,
		`near miss: name "جبهه فتح الشام": first token matched, text goes on "فتح"`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("missing %q in:\n%s", w, out)
		}
	}
	// explaining does not change the document
	if doc.Fields[0].Entities != nil {
		t.Error("Explain set entities")
	}
	// the same decisions as Process
	if err := s.Process(doc); err != nil {
		t.Fatal(err)
	}
	if got := ids(doc.Fields[0].Entities); got != "aleppo-gov=حلب al-bab=الباب" {
		t.Errorf("process: %s", got)
	}
	// a token that a case rule refused
	s2, pre2 := buildAmb(t, "")
	doc2 := &pipeline.Document{Fields: []*pipeline.Field{{Name: "text", Text: "فتح الباب"}}}
	for _, st := range pre2 {
		_ = st.Process(doc2)
	}
	b.Reset()
	_ = s2.Explain(doc2).WriteText(&b)
	if !strings.Contains(b.String(), `refused: الباب is a common word and needs a place cue`) {
		t.Errorf("no refusal in:\n%s", b.String())
	}
}
