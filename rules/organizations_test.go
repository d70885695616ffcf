package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestOrganizationDefaults(t *testing.T) {
	set, errs := Load(nil)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	o := set.Organizations
	if len(o.Designators) == 0 || len(o.StopWords["ar"]) == 0 || len(o.StopWords["en"]) == 0 {
		t.Fatalf("organizations.yaml not loaded: %+v", o)
	}
	langs := map[string]bool{}
	for _, d := range o.Designators {
		langs[d.Lang] = true
		if d.Pos.Filename != "rules/organizations.yaml" || d.Pos.Line == 0 {
			t.Errorf("designator %q: position %v", d.ID, d.Pos)
		}
	}
	if !langs["ar"] || !langs["en"] {
		t.Errorf("languages: %v", langs)
	}
}

func writeUser(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "orgs.yaml")
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOrganizationUserErrors(t *testing.T) {
	p := writeUser(t, `organizations:
  stop_word: [x]
  designators:
    - id: a
      kind: government
      lang: ar
      wordz: [وزارة]
`)
	_, errs := Load([]string{p})
	got := errs.Error()
	for _, w := range []string{p + `:2:3: unknown key "stop_word"`, p + `:7:7: unknown key "wordz"`} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}

	p = writeUser(t, `organizations:
  designators:
    - {id: a, kind: governmint, lang: ar, words: [وزارة]}
    - {id: a, kind: other, lang: de, words: [Bank]}
    - id: b
      kind: other
      lang: ar
      words: [شركة]
      span: before
      names: [quoted, place, plural]
      max_words: 12
    - {id: c, kind: other, lang: en, words: [Bank], names: [quoted]}
    - {id: d, kind: other, lang: ar, words: [" "]}
    - {id: e, kind: other, lang: ar}
    - {id: "", kind: other, lang: ar, words: [بنك]}
    - {id: f, kind: other, lang: ar, words: [بنك], span: after, names: [place]}
`)
	_, errs = Load([]string{p})
	got = errs.Error()
	for _, w := range []string{
		p + `:3:7: designator "a": unknown organization kind "governmint"`,
		p + `:4:7: designator "a": duplicate id`,
		p + `:4:7: designator "a": lang must be ar or en, got "de"`,
		p + `:5:7: designator "b": span must be with or after, got "before"`,
		p + `:5:7: designator "b": unknown name form "plural"`,
		p + `:16:7: designator "f": name form place needs span with`,
		p + `:5:7: designator "b": max_words must be between 1 and 8, got 12`,
		p + `:12:7: designator "c": names are for Arabic rules`,
		p + `:13:7: designator "d": empty word`,
		p + `:14:7: designator "e" has no words`,
		p + `:15:7: designator without id`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
}

func TestOrganizationUserMerge(t *testing.T) {
	def, _ := Load(nil)
	p := writeUser(t, `organizations:
  stop_words:
    ar: [الأردنية]
  designators:
    - {id: bank-ar, kind: ngo, lang: ar, words: [البنك]}
    - {id: ministry-ar, kind: government, lang: ar, words: [وزارة]}
`)
	set, errs := Load([]string{p})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	o := set.Organizations
	if len(o.Designators) != len(def.Organizations.Designators)+1 {
		t.Errorf("designators: %d, defaults %d", len(o.Designators), len(def.Organizations.Designators))
	}
	for _, d := range o.Designators {
		if d.ID == "bank-ar" && (d.Kind != "ngo" || d.Pos.Filename != p || d.Pos.Line != 5) {
			t.Errorf("bank-ar not replaced: %+v", d)
		}
	}
	sw := o.StopWords["ar"]
	if len(sw) != len(def.Organizations.StopWords["ar"])+1 || sw[len(sw)-1] != "الأردنية" {
		t.Errorf("stop words not extended")
	}
}
