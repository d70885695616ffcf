package quantities

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hadath/hadath/extractors/dates"
	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

var docDate = time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC)

var dateStage = dates.New(nil)

func newDoc(text string) (*pipeline.Document, *pipeline.Field) {
	rs := []rune(text)
	f := &pipeline.Field{Name: "text", Text: text, Runes: rs, Tokens: normalize.Tokenize(rs)}
	doc := &pipeline.Document{Text: text, Fields: []*pipeline.Field{f}, DocDate: docDate, HasDate: true}
	return doc, f
}

// run runs the dates stage then the quantities stage, as the pipeline does.
func run(t testing.TB, st *Stage, text string) *pipeline.Field {
	t.Helper()
	doc, f := newDoc(text)
	if err := dateStage.Process(doc); err != nil {
		t.Fatal(err)
	}
	if err := st.Process(doc); err != nil {
		t.Fatalf("Process(%q): %v", text, err)
	}
	return f
}

func show(q pipeline.Quantity) string {
	return fmt.Sprintf("%s|%s|%t|%s|%s|%s", q.Text, strconv.FormatFloat(q.Value, 'f', -1, 64), q.Approximate, q.Bound, q.Counted, q.CountedText)
}

// Each expected quantity is "text|value|approximate|bound|counted|counted_text".
var quantityCases = []struct {
	in   string
	want []string
}{
	// --- the seed article
	{"ويقدر عددها بـ500 حالة، تحت رعاية", []string{"500|500|false||case|حالة"}},
	{"ويقدر عددها بـ500 حالة", []string{"500|500|false||case|حالة"}},
	{"وتجاوز عدد النازحين 80 ألفا منذ بدء عملية تحريرها", []string{"80 ألفا|80000|false|||"}},
	{"إعلان هدنة إنسانية لمدة 5 أيام وإجلاء", nil},
	{"الأربعاء 7 ديسمبر/كانون الأول 2016", nil},
	// --- digits and multipliers
	{"80 ألف نازح", []string{"80 ألف|80000|false||displaced|نازح"}},
	{"٨٠ ألف نازح", []string{"٨٠ ألف|80000|false||displaced|نازح"}},
	{"1.5 million people", []string{"1.5 million|1500000|false||people|people"}},
	{"1,5 مليون لاجئ", []string{"1,5 مليون|1500000|false||refugees|لاجئ"}},
	{"يقدر عددهم بـ٦٫٢ مليون نازح", []string{"٦٫٢ مليون|6200000|false||displaced|نازح"}},
	{"بـ6.2 مليون", []string{"6.2 مليون|6200000|false|||"}},
	{"80,000 people", []string{"80,000|80000|false||people|people"}},
	{"٨٠٬٠٠٠ شخص", []string{"٨٠٬٠٠٠|80000|false||people|شخص"}},
	{"1,234,567 refugees", []string{"1,234,567|1234567|false||refugees|refugees"}},
	{"2.5 مليار دولار", []string{"2.5 مليار|2500000000|false||dollars|دولار"}},
	{"3 ملايين لاجئ", []string{"3 ملايين|3000000|false||refugees|لاجئ"}},
	{"4.8 million refugees", []string{"4.8 million|4800000|false||refugees|refugees"}},
	{"250 thousand", []string{"250 thousand|250000|false|||"}},
	{"قتل 12 شخصا", []string{"12|12|false||people|شخصا"}},
	{"مقتل 7 مدنيين", []string{"7|7|false||civilians|مدنيين"}},
	{"أصيب 30 آخرون", []string{"30|30|false|||"}},
	{"1.234,5 tonnes", []string{"1.234,5|1234.5|false|||"}},
	{"سقط 15 قتيلا و40 جريحا", []string{"15|15|false||killed|قتيلا", "40|40|false||injured|جريحا"}},
	{"50% of the city", []string{"50|50|false||percent|%"}},
	{"٦٠٪ من السكان", []string{"٦٠|60|false||percent|٪"}},
	{"40 في المئة", []string{"40|40|false||percent|في المئة"}},
	// --- Arabic number words
	{"ثلاثة آلاف", []string{"ثلاثة آلاف|3000|false|||"}},
	{"ثلاثة آلاف شخص", []string{"ثلاثة آلاف|3000|false||people|شخص"}},
	{"مئتا شخص", []string{"مئتا|200|false||people|شخص"}},
	{"مئتين من المسلحين", []string{"مئتين|200|false||fighters|المسلحين"}},
	{"مئتي ألف", []string{"مئتي ألف|200000|false|||"}},
	{"مليون ونصف", []string{"مليون ونصف|1500000|false|||"}},
	{"مليون ونصف المليون لاجئ", []string{"مليون ونصف|1500000|false|||"}},
	{"خمسة وعشرين", []string{"خمسة وعشرين|25|false|||"}},
	{"خمسة وعشرون قتيلا", []string{"خمسة وعشرون|25|false||killed|قتيلا"}},
	{"ثلاثة عشر جنديا", []string{"ثلاثة عشر|13|false||soldiers|جنديا"}},
	{"أحد عشر مدنيا", []string{"أحد عشر|11|false||civilians|مدنيا"}},
	{"اثنا عشر شخصا", []string{"اثنا عشر|12|false||people|شخصا"}},
	{"خمسة عشر ألف", []string{"خمسة عشر ألف|15000|false|||"}},
	{"مئة وخمسون عائلة", []string{"مئة وخمسون|150|false||families|عائلة"}},
	{"مائة شخص", []string{"مائة|100|false||people|شخص"}},
	{"ثلاثمئة أسرة", []string{"ثلاثمئة|300|false||families|أسرة"}},
	{"ثلاث مئة", []string{"ثلاث مئة|300|false|||"}},
	{"خمسمائة ألف", []string{"خمسمائة ألف|500000|false|||"}},
	{"ألف شخص", []string{"ألف|1000|false||people|شخص"}},
	{"ألفا شخص", []string{"ألفا|1000|false||people|شخص"}},
	{"ألفين", []string{"ألفين|2000|false|||"}},
	{"ألف ومئتا شخص", []string{"ألف ومئتا|1200|false||people|شخص"}},
	{"مليون نازح", []string{"مليون|1000000|false||displaced|نازح"}},
	{"عشرة جنود", []string{"عشرة|10|false||soldiers|جنود"}},
	{"ثلاثة قتلى", []string{"ثلاثة|3|false||killed|قتلى"}},
	{"سبعة أطفال", []string{"سبعة|7|false||children|أطفال"}},
	{"أربعين معتقلا", []string{"أربعين|40|false||detained|معتقلا"}},
	{"وخمسة جرحى", []string{"خمسة|5|false||injured|جرحى"}},
	{"تسعة وتسعين", []string{"تسعة وتسعين|99|false|||"}},
	{"ثمانية", []string{"ثمانية|8|false|||"}},
	{"قال أحد المسؤولين", nil},
	{"واحد من أكبر", nil},
	{"رجل واحد", nil},
	{"شخص واحد", nil},
	{"واحد قتيل", []string{"واحد|1|false||killed|قتيل"}},
	{"ست الحبايب", nil},
	// --- vague
	{"عشرات القتلى", []string{"عشرات|10|true||killed|القتلى"}},
	{"عشرات الآلاف من النازحين", []string{"عشرات الآلاف|10000|true||displaced|النازحين"}},
	{"مئات المدنيين", []string{"مئات|100|true||civilians|المدنيين"}},
	{"مئات الآلاف", []string{"مئات الآلاف|100000|true|||"}},
	{"آلاف اللاجئين", []string{"آلاف|1000|true||refugees|اللاجئين"}},
	{"الآلاف من المدنيين", []string{"الآلاف|1000|true||civilians|المدنيين"}},
	{"ملايين السوريين", []string{"ملايين|1000000|true|||"}},
	{"dozens of civilians", []string{"dozens|12|true||civilians|civilians"}},
	{"hundreds of people", []string{"hundreds|100|true||people|people"}},
	{"thousands of refugees", []string{"thousands|1000|true||refugees|refugees"}},
	{"tens of thousands of displaced people", []string{"tens of thousands|10000|true||displaced|displaced people"}},
	{"hundreds of thousands", []string{"hundreds of thousands|100000|true|||"}},
	{"scores of fighters", []string{"scores|20|true||fighters|fighters"}},
	{"وعشرات الجرحى", []string{"عشرات|10|true||injured|الجرحى"}},
	// --- bounds and approximations
	{"أكثر من 200 قتيل", []string{"200|200|false|min|killed|قتيل"}},
	{"بأكثر من 200 قتيل", []string{"200|200|false|min|killed|قتيل"}},
	{"ما لا يقل عن 50 مدنيا", []string{"50|50|false|min|civilians|مدنيا"}},
	{"يزيد عن 300 شخص", []string{"300|300|false|min|people|شخص"}},
	{"تجاوز 80 ألفا", []string{"80 ألفا|80000|false|min||"}},
	{"نحو 100 ألف", []string{"100 ألف|100000|true|||"}},
	{"حوالي 3 آلاف", []string{"3 آلاف|3000|true|||"}},
	{"قرابة 40 عائلة", []string{"40|40|true||families|عائلة"}},
	{"زهاء 500 شخص", []string{"500|500|true||people|شخص"}},
	{"أقل من 10 حالات", []string{"10|10|false|max|case|حالات"}},
	{"ما يصل إلى 5000 لاجئ", []string{"5000|5000|false|max|refugees|لاجئ"}},
	{"200 قتيل تقريبا", []string{"200|200|true||killed|قتيل"}},
	{"at least 12 soldiers", []string{"12|12|false|min|soldiers|soldiers"}},
	{"at least 12 Syrian soldiers", []string{"12|12|false|min|soldiers|soldiers"}},
	{"more than 300 people", []string{"300|300|false|min|people|people"}},
	{"over 1,000 families", []string{"1,000|1000|false|min|families|families"}},
	{"nearly 50 civilians", []string{"50|50|true|max|civilians|civilians"}},
	{"about 200 fighters", []string{"200|200|true||fighters|fighters"}},
	{"around 4,000 people", []string{"4,000|4000|true||people|people"}},
	{"up to 100 cases", []string{"100|100|false|max|case|cases"}},
	{"fewer than 20 detainees", []string{"20|20|false|max|detained|detainees"}},
	{"an estimated 250,000 people", []string{"250,000|250000|true||people|people"}},
	{"some 300 wounded", []string{"300|300|true||injured|wounded"}},
	// --- English number words
	{"twenty-five", []string{"twenty-five|25|false|||"}},
	{"twenty-five soldiers", []string{"twenty-five|25|false||soldiers|soldiers"}},
	{"three hundred people", []string{"three hundred|300|false||people|people"}},
	{"one hundred and five", []string{"one hundred and five|105|false|||"}},
	{"two thousand five hundred", []string{"two thousand five hundred|2500|false|||"}},
	{"two million refugees", []string{"two million|2000000|false||refugees|refugees"}},
	{"five killed", []string{"five|5|false||killed|killed"}},
	{"twelve", []string{"twelve|12|false|||"}},
	{"one of the leaders", nil},
	{"one soldier", []string{"one|1|false||soldiers|soldier"}},
	{"ninety-nine", []string{"ninety-nine|99|false|||"}},
	{"a thousand", []string{"thousand|1000|false|||"}},
	// --- dates taken first
	{"في عام 2015 قتل 20 شخصا", []string{"20|20|false||people|شخصا"}},
	{"هدنة لمدة 48 ساعة", nil},
	{"منذ 15 مارس 2011", nil},
	{"on December 7, 2016, 30 people", []string{"30|30|false||people|people"}},
	{"a five-day truce", nil},
	{"for 72 hours", nil},
	{"07/12/2016", nil},
	{"2016-12-07", nil},
	{"لمدة خمسة أيام", nil},
	{"لمدة يومين", nil},
	{"1437 هـ", nil},
	// --- mixed sentences
	{"قتل 5 مدنيين وأصيب 12 آخرون في قصف على حلب", []string{"5|5|false||civilians|مدنيين", "12|12|false|||"}},
	{"نزوح أكثر من 80 ألف شخص خلال أسبوع", []string{"80 ألف|80000|false|min|people|شخص"}},
	{"the UN said 31,000 people fled", []string{"31,000|31000|false||people|people"}},
	{"القرار 2254", []string{"2254|2254|false|||"}},
	{"عدد 3", []string{"3|3|false|||"}},
}

func TestQuantities(t *testing.T) {
	st := New(nil)
	for _, c := range quantityCases {
		f := run(t, st, c.in)
		checkOffsets(t, f)
		var got []string
		for _, q := range f.Quantities {
			got = append(got, show(q))
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("%q:\n got  %q\n want %q", c.in, got, c.want)
		}
	}
	t.Logf("%d quantity cases", len(quantityCases))
}

func checkOffsets(t testing.TB, f *pipeline.Field) {
	t.Helper()
	prev := 0
	for _, q := range f.Quantities {
		if q.Start < prev || q.Start >= q.End || q.End > len(f.Runes) {
			t.Fatalf("bad offsets %d..%d in %q", q.Start, q.End, f.Text)
		}
		if string(f.Runes[q.Start:q.End]) != q.Text {
			t.Fatalf("text %q != runes %q", q.Text, string(f.Runes[q.Start:q.End]))
		}
		if q.TokStart < 0 || q.TokEnd > len(f.Tokens) || q.TokStart >= q.TokEnd {
			t.Fatalf("bad token range %d..%d", q.TokStart, q.TokEnd)
		}
		for _, d := range f.Dates {
			if q.Start < d.End && d.Start < q.End {
				t.Fatalf("quantity %q overlaps date %q", q.Text, d.Text)
			}
		}
		prev = q.End
	}
}

func TestSeed(t *testing.T) {
	data, err := os.ReadFile("../../testdata/seed-aleppo-2016-12-07.txt")
	if err != nil {
		t.Fatal(err)
	}
	f := run(t, New(nil), string(data))
	checkOffsets(t, f)
	find := func(text string, v float64) bool {
		for _, q := range f.Quantities {
			if q.Text == text && q.Value == v {
				return true
			}
		}
		return false
	}
	if !find("500", 500) {
		t.Errorf("no 500 for بـ500 حالة: %v", f.Quantities)
	}
	if !find("80 ألفا", 80000) {
		t.Errorf("no 80000 for 80 ألفا: %v", f.Quantities)
	}
	for _, q := range f.Quantities {
		if q.Text == "5" || q.Text == "7" || q.Text == "6" {
			t.Errorf("date or duration number reported as quantity: %+v", q)
		}
		if q.Text == "500" && (q.Counted != "case" || q.CountedText != "حالة") {
			t.Errorf("500: %+v", q)
		}
	}
}

func TestTitleField(t *testing.T) {
	text := "أكثر من 200 قتيل"
	rs := []rune(text)
	f := &pipeline.Field{Name: "title", Text: text, Runes: rs, Tokens: normalize.Tokenize(rs)}
	doc := &pipeline.Document{Fields: []*pipeline.Field{f}}
	if err := New(nil).Process(doc); err != nil {
		t.Fatal(err)
	}
	if len(f.Quantities) != 1 || f.Quantities[0].Field != "title" || f.Quantities[0].TokStart != 2 || f.Quantities[0].TokEnd != 3 {
		t.Fatalf("%+v", f.Quantities)
	}
}

func TestDigits(t *testing.T) {
	for in, want := range map[string]float64{"80": 80, "80,000": 80000, "1,5": 1.5, "6.2": 6.2, "1.500.000": 1500000,
		"1,234.5": 1234.5, "1.234,5": 1234.5, "007": 7} {
		if got, ok := digits(in); !ok || got != want {
			t.Errorf("digits(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"1,2,3", "1.2.3", "", "1,23.4,5"} {
		if _, ok := digits(in); ok {
			t.Errorf("digits(%q) accepted", in)
		}
	}
}

func TestLoadLexicon(t *testing.T) {
	if _, err := DefaultLexicon(); err != nil {
		t.Fatal(err)
	}
	_, errs := LoadLexicon(Source{Name: "u.yaml", Data: []byte("values:\n  zero: [nothing]\ncues:\n  lots: [x]\nfoo: 1\ncounted:\n  \"a b\": [x]\n")})
	msg := errs.Error()
	for _, want := range []string{"u.yaml:2:3: values: expected a positive whole number", "u.yaml:4:3: cues: unknown cue kind", "u.yaml:5:1: unknown key \"foo\"", "u.yaml:7:3: counted: label"} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	lex, errs := LoadLexicon(Source{Name: "u.yaml", Data: []byte("counted:\n  ambulances: [سيارة إسعاف, ambulances]\nremove: [قرابة]\n")})
	if errs.Err() != nil {
		t.Fatal(errs)
	}
	f := run(t, New(lex), "20 سيارة إسعاف و قرابة 30")
	if len(f.Quantities) != 2 || f.Quantities[0].Counted != "ambulances" || f.Quantities[1].Approximate {
		t.Fatalf("%+v", f.Quantities)
	}
}
