package orgs_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/extractors/orgs"
	"github.com/hadath/hadath/extractors/sentences"
	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/rules"
)

var (
	plOnce sync.Once
	pl     *pipeline.Pipeline
	plErr  error
)

// full is the default pipeline: gazetteer, dates and quantities run before
// the stage, as in `hadath extract`.
func full(t *testing.T) *pipeline.Pipeline {
	t.Helper()
	plOnce.Do(func() { pl, plErr = app.Default(zerolog.Nop()) })
	if plErr != nil {
		t.Fatal(plErr)
	}
	return pl
}

func process(t *testing.T, p *pipeline.Pipeline, text string) *pipeline.Document {
	t.Helper()
	doc := &pipeline.Document{ID: "t", Text: text, Fields: []*pipeline.Field{{Name: "text", Text: text}},
		DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true}
	if err := p.Process(doc); err != nil {
		t.Fatalf("%q: %v", text, err)
	}
	checkEntities(t, text, doc.Fields[0])
	return doc
}

// checkEntities checks the invariants of a field's entities: exact offsets,
// sorted by start, no duplicate span, a designator entity overlapping
// another only by containing a place of its own.
func checkEntities(t *testing.T, text string, f *pipeline.Field) {
	t.Helper()
	es := f.Entities
	for i, e := range es {
		if e.Start < 0 || e.End > len(f.Runes) || e.Start >= e.End {
			t.Errorf("%q: entity %q has bad span [%d,%d)", text, e.Text, e.Start, e.End)
			continue
		}
		if got := string(f.Runes[e.Start:e.End]); got != e.Text {
			t.Errorf("%q: [%d,%d) is %q, entity says %q", text, e.Start, e.End, got, e.Text)
		}
		if e.TokStart < 0 || e.TokEnd > len(f.Tokens) || e.TokStart >= e.TokEnd {
			t.Errorf("%q: entity %q has bad token range [%d,%d)", text, e.Text, e.TokStart, e.TokEnd)
		}
		if e.Match == orgs.Match && (e.ID != "" || e.Type != "organization" || e.Kind == "") {
			t.Errorf("%q: bad designator entity %+v", text, e)
		}
		if i > 0 && es[i-1].Start > e.Start {
			t.Errorf("%q: entities not sorted: %q before %q", text, es[i-1].Text, e.Text)
		}
		for _, o := range es[:i] {
			if o.Start == e.Start && o.End == e.End {
				t.Errorf("%q: duplicate span %q", text, e.Text)
			}
			if o.End > e.Start && e.Start >= o.Start {
				inside := e.End <= o.End && o.Match == orgs.Match && e.Type == "place"
				if !inside {
					t.Errorf("%q: %q [%d,%d) overlaps %q [%d,%d)", text, e.Text, e.Start, e.End, o.Text, o.Start, o.End)
				}
			}
		}
	}
}

type want struct {
	text  string
	start int // -1: do not check
	kind  string
}

func designators(f *pipeline.Field) []pipeline.Entity {
	var out []pipeline.Entity
	for _, e := range f.Entities {
		if e.Match == orgs.Match {
			out = append(out, e)
		}
	}
	return out
}

func TestArabic(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []want
	}{
		{"municipality and its town", "أعلنت بلدية نابلس أمس", []want{{"بلدية نابلس", 6, "government"}}},
		{"clitic و", "وبلدية نابلس قررت", []want{{"بلدية نابلس", 1, "government"}}},
		{"clitics وب", "واجتمع الوفد وببلدية نابلس", []want{{"بلدية نابلس", 15, "government"}}},
		{"local council", "رسالة إلى مجلس محلي البيرة بشأن الطريق", []want{{"مجلس محلي البيرة", 10, "government"}}},
		{"definite bank", "وقال البنك التجاري إن أرباحه ارتفعت", []want{{"البنك التجاري", 5, "other"}}},
		{"لل is ل + ال", "العضو المنتدب للبنك التجاري في كلمة", []want{{"لبنك التجاري", 15, "other"}}},
		{"institute, three words", "وانخرط في معهد الدراسات المتقدمة التابع للجامعة", []want{{"معهد الدراسات المتقدمة", 10, "other"}}},
		{"coordinated name", "وقع معهد الدراسات العلمية والثقافية اتفاقا", []want{{"معهد الدراسات العلمية والثقافية", 4, "other"}}},
		{"stops at a date", "نشر معهد الدراسات الأربعاء تقريرا", []want{{"معهد الدراسات", 4, "other"}}},
		{"stops at a title", "وقال مدير معهد الأبحاث الدكتور سعيد", []want{{"معهد الأبحاث", 10, "other"}}},
		{"quoted newspaper that is also a place", "وذكرت صحيفة « القادسية » أن", []want{{"القادسية", 14, "media"}}},
		{"quoted magazine", "من مجلة \" إنفورميشن ويك \" أن", []want{{"إنفورميشن ويك", 10, "media"}}},
		{"quoted company with a clitic", "وأعلنت لشركة \"آلمو\" أنها", []want{{"آلمو", 14, "other"}}},
		{"definite newspaper, name only", "قال رئيس تحرير جريدة الوفاق أمس", []want{{"الوفاق", 21, "media"}}},
		{"foreign company", "من شركة شيودا اليابانية واليد", []want{{"شيودا", 8, "other"}}},
		{"foreign newspaper, two words", "ذكرت صحيفة هامبورغر مورغنبوست الألمانية", []want{{"هامبورغر مورغنبوست", 11, "media"}}},
		{"foreign university keeps its designator", "درس في جامعة ريكو اليابانية", []want{{"جامعة ريكو", 7, "other"}}},
		{"news agency of two words", "ونقلت وكالة أنباء انتارا الرسمية", []want{{"انتارا", 18, "media"}}},
		{"diacritics and tatweel", "وقال البَنْك التجـاري إن", []want{{"البَنْك التجـاري", 5, "other"}}},
		{"two in one sentence", "اتفقت بلدية نابلس والبنك التجاري على قرض", []want{{"بلدية نابلس", 6, "government"}, {"البنك التجاري", 19, "other"}}},

		// near misses
		{"gazetteer entity is not duplicated", "وأكد مجلس الأمن الدولي قراره", nil},
		{"ministries are left out", "وأعلنت وزارة الصناعة أن الإنتاج ارتفع", nil},
		{"generic council", "عقد المجلس البلدي اجتماعا", nil},
		{"bare designator", "وقالت الجامعة إن الدوام مستمر", nil},
		{"designator at the end", "وكتبت صحيفة", nil},
		{"indefinite adjective", "منظمة إجرامية تقوم بقتل الناس", nil},
		{"masculine designator, feminine noun", "الجمعية يعطي البنك المرونة في مواءمة", nil},
		{"function words are no foreign name", "أو شركة حتى تجد في النهاية أنها", nil},
		{"empty quotes", "صحيفة « » أن", nil},
		{"a number in quotes", "شركة « 2016 » أن", nil},
		{"unclosed quote", "شركة « آلمو أن الأرباح", nil},
		{"quote after punctuation", "صحيفة ، « آلمو » أن", nil},
		{"name across a comma", "البنك ، التجاري", nil},
		{"verb with ال", "معهد التقى الوزير", nil},
	}
	p := full(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := process(t, p, c.text)
			got := designators(doc.Fields[0])
			if len(got) != len(c.want) {
				t.Fatalf("%q: got %d designator entities %v, want %v", c.text, len(got), texts(got), c.want)
			}
			for i, w := range c.want {
				g := got[i]
				if g.Text != w.text || (w.start >= 0 && g.Start != w.start) || g.Kind != w.kind {
					t.Errorf("%q: got %q at %d (%s), want %q at %d (%s)", c.text, g.Text, g.Start, g.Kind, w.text, w.start, w.kind)
				}
			}
		})
	}
}

func texts(es []pipeline.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s[%d,%d)", e.Text, e.Start, e.End))
	}
	return out
}

// TestPlaceKept: the town named by a municipality stays a place, inside
// the organization, for events to locate; a quoted newspaper named like a
// place is no longer a place.
func TestPlaceKept(t *testing.T) {
	p := full(t)
	doc := process(t, p, "أعلنت بلدية نابلس أمس")
	var place *pipeline.Entity
	for i, e := range doc.Fields[0].Entities {
		if e.Type == "place" {
			place = &doc.Fields[0].Entities[i]
		}
	}
	if place == nil || place.Text != "نابلس" || place.ID == "" {
		t.Fatalf("place lost: %v", texts(doc.Fields[0].Entities))
	}
	doc = process(t, p, "وذكرت صحيفة « القادسية » أن")
	for _, e := range doc.Fields[0].Entities {
		if e.Type == "place" {
			t.Errorf("the quoted newspaper is still a place: %+v", e)
		}
	}
}

// TestEventActor: an unlinked organization is an event actor, and the
// place inside it does not get in the way of the event's location.
func TestEventActor(t *testing.T) {
	doc := process(t, full(t), "وطالبت بلدية نابلس الأربعاء بإجلاء المدنيين من حلب.")
	if len(doc.Events) != 1 {
		t.Fatalf("events: %+v", doc.Events)
	}
	ev := doc.Events[0]
	found := false
	for _, a := range ev.Actors {
		if a.Text == "بلدية نابلس" && a.ID == "" && a.Role == "requester" {
			found = true
		}
	}
	if !found {
		t.Errorf("actors: %+v", ev.Actors)
	}
	if ev.Location == nil || ev.Location.Text != "حلب" {
		t.Errorf("location: %+v", ev.Location)
	}
}

func TestEnglish(t *testing.T) {
	cases := []struct {
		name string
		text string
		want []want
	}{
		{"of, with and", "The Ministry of Fisheries and Ocean Resources said on Monday.", []want{{"Ministry of Fisheries and Ocean Resources", 4, "government"}}},
		{"name before", "The Defence Ministry said the talks failed.", []want{{"Defence Ministry", 4, "government"}}},
		{"party", "Members of the Green Valley Party met in Tunis.", []want{{"Green Valley Party", 15, "political"}}},
		{"university with a place", "He studied at Kassala University last year.", []want{{"Kassala University", 14, "other"}}},
		{"bank of", "The Bank of Narnia raised its rates.", []want{{"Bank of Narnia", 4, "other"}}},
		{"name after the designator too", "The Egyptian Commission for Rights and Freedoms said.", []want{{"Egyptian Commission for Rights and Freedoms", 4, "government"}}},
		{"army", "Clashes with the Zorbian National Army erupted.", []want{{"Zorbian National Army", 17, "military"}}},
		{"gazetteer organization inside a longer name", "The Ministry of Foreign Affairs said on Monday.", []want{{"Ministry of Foreign Affairs", 4, "government"}}},

		// near misses
		{"lower case", "the ministry of defence said", nil},
		{"no name", "Officials met the Ministry on Monday.", nil},
		{"designator first", "Party officials met.", nil},
		{"gazetteer organization before the designator", "Hamas Movement leaders met.", nil},
		{"stop word", "The Party said.", nil},
	}
	p := full(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := process(t, p, c.text)
			got := designators(doc.Fields[0])
			if len(got) != len(c.want) {
				t.Fatalf("%q: got %v, want %v", c.text, texts(got), c.want)
			}
			for i, w := range c.want {
				if g := got[i]; g.Text != w.text || g.Start != w.start || g.Kind != w.kind {
					t.Errorf("%q: got %q at %d (%s), want %+v", c.text, g.Text, g.Start, g.Kind, w)
				}
			}
		})
	}
	// the gazetteer's "Foreign Affairs" (a magazine) was replaced
	doc := process(t, p, "The Ministry of Foreign Affairs said on Monday.")
	for _, e := range doc.Fields[0].Entities {
		if e.Text == "Foreign Affairs" {
			t.Errorf("inner gazetteer organization kept: %+v", e)
		}
	}
}

// TestTitleField: entities of the title carry the field name.
func TestTitleField(t *testing.T) {
	doc := &pipeline.Document{ID: "t", Text: "نص", Title: "البنك التجاري يربح",
		Fields: []*pipeline.Field{{Name: "text", Text: "نص"}, {Name: "title", Text: "البنك التجاري يربح"}}}
	if err := full(t).Process(doc); err != nil {
		t.Fatal(err)
	}
	got := designators(doc.Fields[1])
	if len(got) != 1 || got[0].Field != "title" || got[0].Text != "البنك التجاري" {
		t.Errorf("title: %v", got)
	}
}

// TestBadInput: empty fields, NUL bytes, invalid UTF-8 (as runes U+FFFD)
// and tokens with impossible offsets neither fail nor give bad offsets.
func TestBadInput(t *testing.T) {
	p := full(t)
	for _, text := range []string{
		"",
		" ",
		"\x00",
		"بلدية\x00نابلس",
		"بلدية \x00 نابلس",
		"البنك \xff\xfe التجاري",
		"البنك التجاري\xff",
		"\xffصحيفة « \xfe » أن",
		"صحيفة «",
		"«",
		"Ministry of",
		"Ministry of \x00Defence",
		strings.Repeat("البنك ", 500),
		strings.Repeat("صحيفة « ", 300),
		strings.Repeat("Bank of ", 300),
	} {
		doc := &pipeline.Document{ID: "t", Text: text, Fields: []*pipeline.Field{{Name: "text", Text: text}}}
		if err := p.Process(doc); err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		f := doc.Fields[0]
		if !utf8.ValidString(text) && len(f.Runes) != utf8.RuneCountInString(text) {
			t.Errorf("%q: runes %d", text, len(f.Runes))
		}
		checkEntities(t, text, f)
	}

	// the stage alone, on fields other stages left odd: no tokens, no
	// runes, entities with token ranges out of bounds
	st := stage(t, nil)
	f := &pipeline.Field{Name: "text", Text: "البنك التجاري"}
	f.Tokens = normalize.Tokenize([]rune(f.Text))
	f.Entities = []pipeline.Entity{{Type: "place", Text: "x", TokStart: 5, TokEnd: 9}, {Type: "place", TokStart: 1, TokEnd: 0}}
	f.Dates = []pipeline.DateMention{{TokStart: -3, TokEnd: 100}}
	doc := &pipeline.Document{Fields: []*pipeline.Field{nil, {Name: "title"}, f}}
	if err := st.Process(doc); err != nil {
		t.Fatal(err)
	}
	for _, e := range f.Entities {
		if e.Match == orgs.Match {
			t.Errorf("name inside a date: %+v", e)
		}
	}
	// tokens whose offsets lie outside the text
	g := &pipeline.Field{Name: "text", Text: "ab", Tokens: []pipeline.Token{{Start: 0, End: 5, Key: "البنك"}, {Start: 6, End: 9, Key: "التجاري", Joined: true}}}
	if err := st.Process(&pipeline.Document{Fields: []*pipeline.Field{g}}); err != nil {
		t.Fatal(err)
	}
	if len(g.Entities) != 0 {
		t.Errorf("entities from tokens outside the text: %+v", g.Entities)
	}
}

// stage builds the stage alone with the default rules plus the user file
// src (when not nil).
func stage(t *testing.T, src []byte) *orgs.Stage {
	t.Helper()
	var paths []string
	if src != nil {
		p := filepath.Join(t.TempDir(), "user.yaml")
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	set, errs := rules.Load(paths)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	s, err := orgs.New(&set.Organizations, orgs.Options{Conjunctions: set.Language.Clitics.Conjunctions, Prepositions: set.Language.Clitics.Prepositions})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// run tokenizes text and runs only the stage (no gazetteer).
func run(t *testing.T, s *orgs.Stage, text string) []string {
	t.Helper()
	f := &pipeline.Field{Name: "text", Text: text, Runes: []rune(text)}
	f.Tokens = normalize.Tokenize(f.Runes)
	f.Sentences = sentences.New(nil).Split(f)
	if err := s.Process(&pipeline.Document{Fields: []*pipeline.Field{f}}); err != nil {
		t.Fatal(err)
	}
	checkEntities(t, text, f)
	var out []string
	for _, e := range f.Entities {
		out = append(out, e.Text+"/"+e.Kind)
	}
	sort.Strings(out)
	return out
}

// TestUserRules: a user file adds a designator, replaces a default one by
// id and extends the stop words.
func TestUserRules(t *testing.T) {
	text := "وأعلنت وزارة الصناعة الأردنية أن البنك التجاري الجديد ربح"
	if got := run(t, stage(t, nil), text); strings.Join(got, ",") != "البنك التجاري/other" {
		t.Errorf("defaults: %v", got)
	}
	user := []byte(`organizations:
  stop_words:
    ar: [الأردنية]
  designators:
    - {id: ministry-ar, kind: government, lang: ar, words: [وزارة]}
    - {id: bank-ar, kind: ngo, lang: ar, words: [البنك], max_words: 1}
`)
	got := run(t, stage(t, user), text)
	if strings.Join(got, ",") != "البنك التجاري/ngo,وزارة الصناعة/government" {
		t.Errorf("with user rules: %v", got)
	}
}

func TestNew(t *testing.T) {
	if s, err := orgs.New(nil, orgs.Options{}); err != nil || s.Name() != orgs.Name {
		t.Fatalf("nil rules: %v", err)
	}
	for _, d := range []rules.Designator{
		{ID: "x", Kind: "party", Lang: "ar", Words: []string{"حزب"}},
		{ID: "x", Kind: "political", Lang: "fr", Words: []string{"parti"}},
		{ID: "x", Kind: "political", Lang: "ar", Words: []string{"حزب"}, Names: []string{"long"}},
	} {
		if _, err := orgs.New(&rules.Organizations{Designators: []rules.Designator{d}}, orgs.Options{}); err == nil {
			t.Errorf("%+v: no error", d)
		}
	}
}
