package gazetteer

import (
	"testing"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/extractors/sentences"
	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/pipeline"
)

const testGaz = `entries:
  - {id: aleppo, type: place, kind: city, names: {ar: [حلب], en: [Aleppo]}, lat: 36.2, lon: 37.16}
  - {id: aleppo-old, type: place, kind: neighbourhood, names: {ar: [حلب القديمة], en: [Old City of Aleppo]}}
  - {id: aleppo-north, type: place, kind: region, names: {ar: [ريف حلب الشمالي]}}
  - {id: raqqa, type: place, kind: city, names: {ar: [الرقة], en: [Raqqa]}}
  - {id: homs, type: place, kind: city, names: {ar: [حمص], en: [Homs]}}
  - {id: idlib-gov, type: place, kind: governorate, names: {ar: [محافظة إدلب]}}
  - {id: us, type: place, kind: country, names: {ar: [الولايات المتحدة], en: [United States, US]}}
  - {id: tr, type: place, kind: country, names: {ar: [تركيا], en: [Turkey]}}
  - {id: washington, type: place, kind: city, names: {en: [Washington]}}
  - {id: un, type: organization, kind: un, names: {ar: [الأمم المتحدة], en: [United Nations, UN]}}
  - {id: bab-hadid, type: place, kind: neighbourhood, names: {ar: [باب الحديد], en: [Bab al-Hadid]}}
  - {id: dpa, type: organization, kind: media, names: {en: [dpa]}}
`

func build(t *testing.T) (*Stage, *normalize.Stage, *sentences.Stage) {
	t.Helper()
	g, errs := gazetteers.Load([]gazetteers.Source{{Name: "t.yaml", Data: []byte(testGaz)}})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	s := New(g, Options{Conjunctions: []string{"و", "ف"}, Prepositions: []string{"ب", "ك", "ل"},
		Qualifiers: []Qualifier{{Value: "east", Before: []string{"شرق", "eastern"}, After: []string{"الشرقية"}},
			{Value: "northeast", Before: []string{"شمال شرق"}}}})
	n := normalize.New(normalize.Options{FunctionWords: []string{"في", "على", "من"}, Vocabulary: s})
	return s, n, sentences.New(nil)
}

func run(t *testing.T, text string) []pipeline.Entity {
	t.Helper()
	g, n, ss := build(t)
	doc := &pipeline.Document{Fields: []*pipeline.Field{{Name: "text", Text: text}}}
	for _, st := range []pipeline.Stage{n, ss, g} {
		if err := st.Process(doc); err != nil {
			t.Fatal(err)
		}
	}
	f := doc.Fields[0]
	for _, e := range f.Entities {
		if got := string(f.Runes[e.Start:e.End]); got != e.Text {
			t.Fatalf("offsets [%d,%d) give %q, entity says %q", e.Start, e.End, got, e.Text)
		}
	}
	return f.Entities
}

type want struct {
	id, text, match, qualifier string
}

func TestMatch(t *testing.T) {
	cases := []struct {
		text string
		want []want
	}{
		{"قصف على حلب", []want{{"aleppo", "حلب", "exact", ""}}},
		{"وصلت القافلة بحلب أمس", []want{{"aleppo", "حلب", "clitic", ""}}},
		{"وبحلب", []want{{"aleppo", "حلب", "clitic", ""}}},
		{"وللرقة", []want{{"raqqa", "لرقة", "clitic", ""}}},
		{"في الرقة", []want{{"raqqa", "الرقة", "exact", ""}}},
		{"بالرقة", []want{{"raqqa", "الرقة", "clitic", ""}}},
		// longest match wins
		{"إلى ريف حلب الشمالي", []want{{"aleppo-north", "ريف حلب الشمالي", "exact", ""}}},
		{"في حلب القديمة", []want{{"aleppo-old", "حلب القديمة", "exact", ""}}},
		// a name does not span punctuation
		{"في حلب، القديمة", []want{{"aleppo", "حلب", "exact", ""}}},
		// hamza normalization: ادلب matches إدلب
		{"وليس الى محافظة ادلب", []want{{"idlib-gov", "محافظة ادلب", "exact", ""}}},
		// glued words
		{"الفصائل فيحلبفي ظل", []want{{"aleppo", "حلب", "glued", ""}}},
		// qualifiers
		{"في شرق حلب", []want{{"aleppo", "حلب", "exact", "east"}}},
		{"أحياء حلب الشرقية", []want{{"aleppo", "حلب", "exact", "east"}}},
		{"شمال شرق حمص", []want{{"homs", "حمص", "exact", "northeast"}}},
		{"in eastern Aleppo", []want{{"aleppo", "Aleppo", "exact", "east"}}},
		// English: case, acronyms, hyphens, possessive
		{"The US and the UN met.", []want{{"us", "US", "exact", ""}, {"un", "UN", "exact", ""}}},
		{"Aleppo's old city", []want{{"aleppo", "Aleppo", "exact", ""}}},
		{"in Bab al-Hadid", []want{{"bab-hadid", "Bab al-Hadid", "exact", ""}}},
		{"ALEPPO", []want{{"aleppo", "ALEPPO", "exact", ""}}},
		{"told dpa on Monday", []want{{"dpa", "dpa", "exact", ""}}},
		{"وكشفت الولايات المتحدة وتركيا", []want{{"us", "الولايات المتحدة", "exact", ""}, {"tr", "تركيا", "clitic", ""}}},
		// near misses: no match inside longer words or on common words
		{"حلبة السباق", nil},
		{"الحلبي", nil},
		{"let us go", nil},
		{"roast turkey", nil},
		{"Washingtonian policy", nil},
		{"Aleppos", nil},
		{"حمصي", nil},
	}
	for _, c := range cases {
		got := run(t, c.text)
		if len(got) != len(c.want) {
			t.Errorf("%q: got %d entities %+v, want %d", c.text, len(got), got, len(c.want))
			continue
		}
		for i, w := range c.want {
			g := got[i]
			if g.ID != w.id || g.Text != w.text || g.Match != w.match || g.Qualifier != w.qualifier {
				t.Errorf("%q: got {%s %q %s %q}, want %+v", c.text, g.ID, g.Text, g.Match, g.Qualifier, w)
			}
		}
	}
}

func TestEntityAttributes(t *testing.T) {
	got := run(t, "حلب")
	if len(got) != 1 {
		t.Fatalf("got %v", got)
	}
	e := got[0]
	if e.Name != "Aleppo" || e.NameAr != "حلب" || e.Kind != "city" || e.Lat == nil || *e.Lat != 36.2 {
		t.Errorf("attributes: %+v", e)
	}
}

func BenchmarkMatchSeed(b *testing.B) {
	text := "دعا مقاتلو المعارضة المسلحة في شرق حلب، الأربعاء 7 ديسمبر/كانون الأول، إلى إعلان هدنة إنسانية لمدة 5 أيام وإجلاء الحالات الطبية الحرجة والمدنيين من أحياء مدينة حلب إلى ريف حلب الشمالي وليس الى محافظة ادلب. "
	g, errs := gazetteers.Load([]gazetteers.Source{{Name: "t.yaml", Data: []byte(testGaz)}})
	if err := errs.Err(); err != nil {
		b.Fatal(err)
	}
	s := New(g, Options{Conjunctions: []string{"و", "ف"}, Prepositions: []string{"ب", "ك", "ل"}})
	rs := []rune(text)
	f := &pipeline.Field{Name: "text", Text: text, Runes: rs, Tokens: normalize.Tokenize(rs)}
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		s.Match(f)
	}
}
