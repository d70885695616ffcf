package dates

import (
	"strings"
	"testing"
)

func TestDefaultLexicon(t *testing.T) {
	lex, err := DefaultLexicon()
	if err != nil || lex == nil {
		t.Fatalf("default lexicon: %v", err)
	}
	if len(lex.index.Lookup("ديسمبر")) == 0 || len(lex.index.Lookup("كانون")) == 0 {
		t.Fatal("months missing")
	}
}

func TestLoadLexiconErrors(t *testing.T) {
	src := Source{Name: "user.yaml", Data: []byte(`months:
  13: [foo]
weekdays:
  funday: [x]
colours: [red]
relative_days:
  -1: [{a: b}]
numbers:
  5: ["..."]
`)}
	lex, errs := LoadLexicon(src)
	if lex != nil {
		t.Fatal("lexicon returned despite errors")
	}
	msg := errs.Error()
	for _, want := range []string{
		"user.yaml:2:3: months: expected a number from 1 to 12",
		"user.yaml:4:3: weekdays: unknown value \"funday\"",
		"user.yaml:5:1: unknown key \"colours\"",
		"user.yaml:7:8: expected a word",
		"user.yaml:9:7: word \"...\" has no letters or digits",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in:\n%s", want, msg)
		}
	}
	if len(errs) != 5 {
		t.Errorf("got %d errors, want 5:\n%s", len(errs), msg)
	}
}

func TestLoadLexiconSyntax(t *testing.T) {
	_, errs := LoadLexicon(Source{Name: "bad.yaml", Data: []byte("months: [\n")})
	if len(errs) == 0 || !strings.HasPrefix(errs[0].Error(), "bad.yaml:") {
		t.Fatalf("got %v", errs)
	}
}

func TestLoadLexiconExtendOverride(t *testing.T) {
	lex, errs := LoadLexicon(Source{Name: "user.yaml", Data: []byte(`
months:
  12: [كانون اول]
weekdays:
  friday: [جمعه]
remove: [البارحة]
`)})
	if errs.Err() != nil {
		t.Fatal(errs)
	}
	st := New(lex)
	f := run(t, st, "في 7 كانون اول 2016 وقال البارحة", docDate, true)
	if len(f.Dates) != 1 || f.Dates[0].Value != "2016-12-07" {
		t.Fatalf("%+v", f.Dates)
	}
	f = run(t, st, "قال جمعه", docDate, true)
	if len(f.Dates) != 1 || f.Dates[0].Value != "2016-12-02" {
		t.Fatalf("%+v", f.Dates)
	}
}
