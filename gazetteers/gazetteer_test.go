package gazetteers

import (
	"os"
	"strings"
	"testing"
)

func TestDefaultsLoadWithoutErrors(t *testing.T) {
	srcs, err := DefaultSources()
	if err != nil {
		t.Fatal(err)
	}
	g, errs := Load(srcs)
	if err := errs.Err(); err != nil {
		t.Fatalf("embedded gazetteers have errors:\n%v", err)
	}
	if len(g.Entries) < 1000 {
		t.Errorf("only %d default entries", len(g.Entries))
	}
	// every ISO country has an entry with Arabic and English names
	for code := range isoAlpha2 {
		if code == "XK" {
			continue
		}
		e := g.ByID("country-" + strings.ToLower(code))
		if e == nil {
			t.Errorf("no entry for country %s", code)
			continue
		}
		if e.Name("ar") == "" || e.Name("en") == "" {
			t.Errorf("%s lacks an Arabic or English name", e.ID)
		}
		if e.Lat == nil || e.Lon == nil {
			t.Errorf("%s lacks coordinates", e.ID)
		}
	}
}

// TestBrokenFileReportsEveryErrorWithPosition checks the exact
// file:line:col of each problem, all reported at once.
func TestBrokenFileReportsEveryErrorWithPosition(t *testing.T) {
	data, err := os.ReadFile("testdata/broken.yaml")
	if err != nil {
		t.Fatal(err)
	}
	_, errs := Load([]Source{{Name: "broken.yaml", Data: data}})
	got := errs.Error()
	want := []string{
		"broken.yaml:10:11: unknown place kind \"metropolis\"",
		"broken.yaml:12:5: unknown key \"colour\"",
		"broken.yaml:13:5: duplicate id \"a\" (first defined at broken.yaml:2:5)",
		"broken.yaml:19:14: country \"XX\" is not an ISO 3166-1 alpha-2 code",
		"broken.yaml:20:10: lat is a place attribute; not allowed on an organization",
		"broken.yaml:21:10: lon is a place attribute; not allowed on an organization",
		"broken.yaml:27:10: lat must be a number, got \"north\"",
		"broken.yaml:30:11: unknown type \"animal\" (place or organization)",
		"broken.yaml:31:13: bad language code \"EN\"",
		"broken.yaml:35:10: lat 95 out of range [-90, 90]",
		"broken.yaml:36:10: lon 181 out of range [-180, 180]",
	}
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	// errors are sorted by position
	for i := 1; i < len(errs); i++ {
		if errs[i-1].Pos.Line > errs[i].Pos.Line {
			t.Errorf("errors not sorted: %v before %v", errs[i-1], errs[i])
		}
	}
}

func TestParentMustExist(t *testing.T) {
	src := "entries:\n  - id: x\n    type: place\n    names: {en: [X]}\n    parent: nowhere\n"
	_, errs := Load([]Source{{Name: "p.yaml", Data: []byte(src)}})
	if !strings.Contains(errs.Error(), `p.yaml:2:5: entry "x": parent "nowhere" does not exist`) {
		t.Errorf("got %v", errs)
	}
}

func TestSyntaxError(t *testing.T) {
	_, errs := Load([]Source{{Name: "s.yaml", Data: []byte("entries:\n  - id: [unclosed\n")}})
	if len(errs) == 0 || !strings.HasPrefix(errs.Error(), "s.yaml:") {
		t.Fatalf("want a positioned syntax error, got %v", errs)
	}
}

func TestEmptyAndWrongShape(t *testing.T) {
	for _, src := range []string{"", "entries: 3\n", "- a\n", "entrys: []\n"} {
		_, errs := Load([]Source{{Name: "w.yaml", Data: []byte(src)}})
		if errs.Err() == nil {
			t.Errorf("%q: no error", src)
		}
	}
}

func TestUserFileOverridesDefault(t *testing.T) {
	base := "entries:\n  - id: x\n    type: place\n    names: {en: [Old]}\n"
	user := "entries:\n  - id: x\n    type: place\n    names: {en: [New]}\n"
	g, errs := Load([]Source{{Name: "base.yaml", Data: []byte(base)}, {Name: "user.yaml", Data: []byte(user), Override: true}})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	if len(g.Entries) != 1 || g.ByID("x").Name("en") != "New" {
		t.Errorf("override failed: %+v", g.Entries)
	}
	// without Override, the same id twice is an error
	_, errs = Load([]Source{{Name: "base.yaml", Data: []byte(base)}, {Name: "user.yaml", Data: []byte(user)}})
	if errs.Err() == nil {
		t.Error("duplicate id across files accepted without override")
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte("entries:\n  - id: x\n    type: place\n    names: {ar: [حلب]}\n    lat: 1\n    lon: 2\n"))
	f.Add([]byte("entries: [{id: a, type: organization, names: {en: [A]}}]"))
	f.Add([]byte("&a [*a, *a]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, errs := Load([]Source{{Name: "f.yaml", Data: data}})
		if g == nil {
			t.Fatal("nil gazetteer")
		}
		for _, e := range errs {
			if e.Pos.Filename != "f.yaml" {
				t.Fatalf("error without file name: %v", e)
			}
		}
	})
}

// TestNamesByLanguage: names are kept by language code, sorted, whatever
// the order they are written in, each with its own position and key; a
// language given twice keeps the names of both.
func TestNamesByLanguage(t *testing.T) {
	src := "entries:\n" +
		"  - id: x\n" +
		"    type: place\n" +
		"    names:\n" +
		"      fr: [Alep]\n" +
		"      en: [Aleppo, Halab]\n" +
		"      ar: [حلب]\n" +
		"      en: [Beroea]\n"
	g, errs := Load([]Source{{Name: "n.yaml", Data: []byte(src)}})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	e := g.ByID("x")
	if got := strings.Join(e.Languages(), ","); got != "ar,en,fr" {
		t.Fatalf("languages %s, want ar,en,fr", got)
	}
	if got := strings.Join(e.Names.In("en"), "|"); got != "Aleppo|Halab|Beroea" {
		t.Errorf("en names %s", got)
	}
	if e.Names.In("de") != nil || e.Name("de") != "" || e.Name("en") != "Aleppo" {
		t.Errorf("In(de) %v, Name(de) %q, Name(en) %q", e.Names.In("de"), e.Name("de"), e.Name("en"))
	}
	for _, c := range []struct {
		lang string
		i    int
		pos  string
		key  string
	}{
		{"ar", 0, "n.yaml:7:12", MatchKey("حلب")},
		{"en", 1, "n.yaml:6:20", "halab"},
		{"en", 2, "n.yaml:8:12", "beroea"},
		{"fr", 0, "n.yaml:5:12", "alep"},
	} {
		if got := e.NamePosition(c.lang, c.i).String(); got != c.pos {
			t.Errorf("%s %d: position %s, want %s", c.lang, c.i, got, c.pos)
		}
		if got := e.NameKey(c.lang, c.i); got != c.key {
			t.Errorf("%s %d: key %q, want %q", c.lang, c.i, got, c.key)
		}
	}
	// out of range: the entry's position and no key, without a panic
	if got := e.NamePosition("en", 3).String(); got != "n.yaml:2:5" {
		t.Errorf("out of range: %s", got)
	}
	bare := &Entry{Names: Names{{Lang: "en", Names: []string{"Aleppo"}}}}
	if bare.NameKey("en", 0) != "aleppo" || bare.NameKey("en", 1) != "" || bare.NameKey("de", 0) != "" {
		t.Errorf("keys of an entry without NameKeys: %q %q %q", bare.NameKey("en", 0), bare.NameKey("en", 1), bare.NameKey("de", 0))
	}
}
