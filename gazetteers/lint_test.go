package gazetteers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func lintFiles(t *testing.T, o LintOptions, withDefaults bool, files ...string) []string {
	t.Helper()
	var srcs []Source
	if withDefaults {
		d, err := DefaultSources()
		if err != nil {
			t.Fatal(err)
		}
		srcs = d
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join("testdata", "lint", f))
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, Source{Name: f, Data: b, Override: true})
	}
	if o.Lexicon == nil {
		lx, err := DefaultLexicon()
		if err != nil {
			t.Fatal(err)
		}
		o.Lexicon = lx
	}
	_, errs := Lint(srcs, o)
	var out []string
	for _, e := range errs {
		out = append(out, e.Error())
	}
	return out
}

// TestLintErrorsExactPositions checks every error of the broken fixtures,
// with its exact file:line:col, all reported at once and sorted.
func TestLintErrorsExactPositions(t *testing.T) {
	got := lintFiles(t, LintOptions{}, false, "syntax.yaml", "errors.yaml", "dup.yaml")
	want := []string{
		`dup.yaml:2:5: duplicate id "dup" (first defined at errors.yaml:41:5)`,
		`errors.yaml:4:5: unknown key "kidn" (did you mean "kind"?)`,
		`errors.yaml:7:11: unknown type "plcae" (did you mean "place"? place or organization)`,
		`errors.yaml:12:10: lat -91 out of range [-90, 90]`,
		`errors.yaml:13:10: lon 200 out of range [-180, 180]`,
		`errors.yaml:18:14: country "SYR" is not an ISO 3166-1 alpha-2 code`,
		`errors.yaml:20:5: entry "e-parent": parent "e-nowhere" does not exist`,
		`errors.yaml:28:17: valid_from must be YYYY, YYYY-MM or YYYY-MM-DD, got "2017-13"`,
		`errors.yaml:34:15: valid_to 2015 is before valid_from 2016-07-28`,
		`errors.yaml:39:17: population must be a non-negative integer, got "-5"`,
		// yaml.v3 gives no column for syntax errors; the line is the one
		// of the unclosed flow mapping
		`syntax.yaml:4: did not find expected ',' or '}'`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLintWarnings(t *testing.T) {
	got := lintFiles(t, LintOptions{}, false, "warnings.yaml")
	want := []string{
		`warnings.yaml:7:12: warning: name "الباب" is a common word; it matches only after a place cue such as مدينة or "city of"`,
		`warnings.yaml:8:12: warning: name "al-Bab" of place "w-bab" is also the name of organization "w-bab-org" (warnings.yaml:13:12)`,
		`warnings.yaml:8:20: warning: name "Al Bab" repeats "al-Bab" of the same entry (same match key "al bab")`,
		`warnings.yaml:13:12: warning: name "Al-Bab" of organization "w-bab-org" is also the name of place "w-bab" (warnings.yaml:8:12)`,
		`warnings.yaml:18:12: warning: name "Ur" is too short to match safely (2 letters); use an all-caps acronym or a longer form`,
		`warnings.yaml:18:16: warning: name "UR" repeats "Ur" of the same entry (same match key "ur")`,
		`warnings.yaml:19:12: warning: name "اب" is too short to match safely (2 letters); use an all-caps acronym or a longer form`,
		`warnings.yaml:25:18: warning: name "Tripoli" of "w-tripoli-ly" is shared with "w-tripoli-lb" (city LB, warnings.yaml:31:18)`,
		`warnings.yaml:25:33: warning: name "طرابلس" of "w-tripoli-ly" is shared with "w-tripoli-lb" (city LB, warnings.yaml:31:33)`,
		`warnings.yaml:31:18: warning: name "Tripoli" of "w-tripoli-lb" is shared with "w-tripoli-ly" (city LY, warnings.yaml:25:18)`,
		`warnings.yaml:31:33: warning: name "طرابلس" of "w-tripoli-lb" is shared with "w-tripoli-ly" (city LY, warnings.yaml:25:33)`,
	}
	if len(got) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%s", len(got), len(want), strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

// TestLintOnly reports the problems of the user file alone, with the
// defaults loaded: a parent among the defaults exists, a default replaced
// and a name shared with a default are reported at the user file.
func TestLintOnly(t *testing.T) {
	dir := t.TempDir()
	user := `entries:
  - id: my-aleppo-gov
    type: place
    kind: governorate
    country: "SY"
    parent: country-sy
    names: {ar: [حلب]}
  - id: sy-raqqa
    type: place
    kind: city
    country: "SY"
    names: {ar: [الرقة], en: [Raqqa]}
`
	if err := os.MkdirAll(filepath.Join(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	srcs, err := DefaultSources()
	if err != nil {
		t.Fatal(err)
	}
	srcs = append(srcs, Source{Name: "user.yaml", Data: []byte(user), Override: true})
	lx, _ := DefaultLexicon()
	_, errs := Lint(srcs, LintOptions{Lexicon: lx, Files: []string{"user.yaml"}})
	got := errs.Error()
	for _, w := range []string{
		`user.yaml:7:18: warning: name "حلب" of "my-aleppo-gov" is shared with "sy-aleppo" (city SY, gazetteers/places-mena.yaml:`,
		`user.yaml:8:5: warning: entry "sy-raqqa" replaces the entry defined at gazetteers/places-mena.yaml:`,
	} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in:\n%s", w, got)
		}
	}
	for _, e := range errs {
		if e.Pos.Filename != "user.yaml" {
			t.Errorf("problem outside user.yaml: %v", e)
		}
	}
	if errs.Err() != nil {
		t.Errorf("errors: %v", errs.Err())
	}
}

// TestDefaultsLintClean keeps the embedded gazetteers free of errors and of
// names shared between entries or too short to be safe.
func TestDefaultsLintClean(t *testing.T) {
	srcs, err := DefaultSources()
	if err != nil {
		t.Fatal(err)
	}
	lx, err := DefaultLexicon()
	if err != nil {
		t.Fatal(err)
	}
	_, errs := Lint(srcs, LintOptions{Lexicon: lx})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	for _, w := range errs {
		if strings.Contains(w.Msg, "too short") || strings.Contains(w.Msg, "shared with") || strings.Contains(w.Msg, "also the name") {
			t.Errorf("%v", w)
		}
	}
}

func TestValidAt(t *testing.T) {
	g, errs := Load([]Source{{Name: "v.yaml", Data: []byte(`entries:
  - {id: a, type: organization, kind: armed_group, valid_to: "2016-07", names: {en: [A]}}
  - {id: b, type: organization, kind: armed_group, valid_from: 2016-07-28, valid_to: 2017, names: {en: [B]}}
  - {id: c, type: organization, kind: armed_group, names: {en: [C]}}
`)}})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		id, date     string
		valid, known bool
	}{
		{"a", "2016-07-31", true, true}, {"a", "2016-08-01", false, true},
		{"b", "2016-07-27", false, true}, {"b", "2016-07-28", true, true}, {"b", "2017-12-31", true, true}, {"b", "2018-01-01", false, true},
		{"c", "2000-01-01", true, false},
	}
	for _, c := range cases {
		d, _, err := parsePartialDate(c.date)
		if err != nil {
			t.Fatal(err)
		}
		v, k := g.ByID(c.id).ValidAt(d)
		if v != c.valid || k != c.known {
			t.Errorf("%s at %s: valid %v known %v", c.id, c.date, v, k)
		}
	}
}
