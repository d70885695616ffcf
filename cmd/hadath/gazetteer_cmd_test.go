package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hadath/hadath/extractors/gazetteer"
)

// isolateCache keeps the compiled gazetteer cache of a test in a temporary
// folder.
func isolateCache(t *testing.T) {
	t.Helper()
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
}

func TestGazetteerLint(t *testing.T) {
	isolateCache(t)
	r := runCLI(t, "", "gazetteer", "lint", "-q")
	r.mustCode(t, exitOK)
	if r.stdout != "" || !strings.Contains(r.stderr, "0 error(s)") {
		t.Errorf("defaults: stdout %q stderr %q", r.stdout, r.stderr)
	}
	lint := "../../gazetteers/testdata/lint/"
	r = runCLI(t, "", "gazetteer", "lint", "--no-default-gazetteers", lint+"errors.yaml", lint+"warnings.yaml")
	r.mustCode(t, exitLint)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 20 {
		t.Errorf("%d lines:\n%s", len(lines), r.stdout)
	}
	for _, w := range []string{
		lint + `errors.yaml:4:5: unknown key "kidn" (did you mean "kind"?)`,
		lint + `errors.yaml:20:5: entry "e-parent": parent "e-nowhere" does not exist`,
		lint + `warnings.yaml:7:12: warning: name "الباب" is a common word`,
		lint + `warnings.yaml:25:18: warning: name "Tripoli" of "w-tripoli-ly" is shared with "w-tripoli-lb"`,
	} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("missing %q in:\n%s", w, r.stdout)
		}
	}
	if !strings.Contains(r.stderr, "9 error(s), 11 warning(s)") {
		t.Errorf("stderr %q", r.stderr)
	}
	// warnings alone pass, unless --strict
	runCLI(t, "", "gazetteer", "lint", "--only", lint+"warnings.yaml").mustCode(t, exitOK)
	runCLI(t, "", "gazetteer", "lint", "--strict", "--only", lint+"warnings.yaml").mustCode(t, exitLint)
	// usage errors
	r = runCLI(t, "", "gazetteer", "lint", "testdata/none.yaml")
	r.mustCode(t, exitUsage)
	runCLI(t, "", "gazetteer", "lint", "--only").mustCode(t, exitUsage)
}

func TestGazetteerStats(t *testing.T) {
	r := runCLI(t, "", "gazetteer", "stats", "--json")
	r.mustCode(t, exitOK)
	var st struct {
		Entries    int            `json:"entries"`
		ByType     map[string]int `json:"by_type"`
		ByLanguage map[string]int `json:"names_by_language"`
		IndexBytes int64          `json:"index_heap_bytes"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil {
		t.Fatal(err)
	}
	if st.Entries < 1000 || st.ByType["organization"] < 300 || st.ByLanguage["ar"] < 1000 || st.IndexBytes <= 0 {
		t.Errorf("stats: %+v", st)
	}
	r = runCLI(t, "", "gazetteer", "stats")
	r.mustCode(t, exitOK)
	for _, w := range []string{"entries by type/kind:", "place/city", "names per entry", "index heap"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("missing %q in:\n%s", w, r.stdout)
		}
	}
}

func TestGazetteerExplain(t *testing.T) {
	isolateCache(t)
	r := runCLI(t, "", "gazetteer", "explain", "قصف على مدينة الباب والقصف تدمر المنازل قرب حلبب")
	r.mustCode(t, exitOK)
	for _, w := range []string{
		`MATCH "مدينة الباب" (exact, 2 token(s))`,
		`"تدمر" refused: تدمر is a common word and needs a place cue`,
		`near miss: "حلبب" is one letter off the name "حلب"`,
	} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("missing %q in:\n%s", w, r.stdout)
		}
	}
	doc := filepath.Join(t.TempDir(), "doc.txt")
	if err := os.WriteFile(doc, []byte("وصلت القافلة بحلب"), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runCLI(t, "", "gazetteer", "explain", "--json", "--file", doc)
	r.mustCode(t, exitOK)
	var ex gazetteer.Explanation
	if err := json.Unmarshal([]byte(r.stdout), &ex); err != nil {
		t.Fatal(err)
	}
	m := ex.Fields[0].Tokens[2].Match
	if m == nil || m.Match != "clitic" || m.Candidates[0].ID != "sy-aleppo" {
		t.Errorf("explain json: %+v", ex.Fields[0].Tokens[2])
	}
	runCLI(t, "", "gazetteer", "explain").mustCode(t, exitUsage)
	runCLI(t, "", "gazetteer", "explain", "--file", doc, "text").mustCode(t, exitUsage)
}

const tripoliGaz = `entries:
  - {id: t-ly, type: place, kind: city, country: "LY", population: 1150989, names: {en: [Tripoli], ar: [طرابلس]}}
  - {id: t-lb, type: place, kind: city, country: "LB", population: 229398, names: {en: [Tripoli], ar: [طرابلس]}}
`

func TestExtractPreferCountryAndAlternatives(t *testing.T) {
	isolateCache(t)
	gz := filepath.Join(t.TempDir(), "tripoli.yaml")
	if err := os.WriteFile(gz, []byte(tripoliGaz), 0o644); err != nil {
		t.Fatal(err)
	}
	first := func(args ...string) (string, []byte) {
		t.Helper()
		r := runCLI(t, `{"id":"1","text":"Clashes in Tripoli."}`+"\n", append([]string{"extract", "--gazetteer", gz}, args...)...)
		r.mustCode(t, exitOK)
		recs := records(t, r.stdout)
		for _, e := range recs[0].Entities {
			if e.Text == "Tripoli" {
				b, _ := json.Marshal(e)
				return e.ID, b
			}
		}
		t.Fatalf("no Tripoli in %s", r.stdout)
		return "", nil
	}
	id, b := first()
	if id != "t-ly" || !strings.Contains(string(b), `"alternatives":[{"id":"t-lb","name":"Tripoli","score":`) {
		t.Errorf("default: %s", b)
	}
	if id, b = first("--prefer-country", "LB"); id != "t-lb" {
		t.Errorf("--prefer-country LB: %s", b)
	}
	if id, _ = first("--prefer-country", "LB", "--no-cache"); id != "t-lb" {
		t.Errorf("--no-cache: %s", id)
	}
	// render reads the same flags
	for _, c := range []struct {
		args []string
		want string
	}{{nil, `data-id="t-ly"`}, {[]string{"--prefer-country", "LB", "--no-cache"}, `data-id="t-lb"`}} {
		r := runCLI(t, `{"id":"1","text":"Clashes in Tripoli."}`+"\n", append([]string{"render", "--gazetteer", gz}, c.args...)...)
		r.mustCode(t, exitOK)
		if !strings.Contains(r.stdout, c.want) {
			t.Errorf("render %v: no %s in the page", c.args, c.want)
		}
	}
	r := runCLI(t, "", "extract", "--prefer-country", "Lebanon", "-")
	r.mustCode(t, exitUsage)
	if !strings.Contains(r.stderr, "prefer_country") {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestGazetteerImport(t *testing.T) {
	isolateCache(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "sy.yaml")
	r := runCLI(t, "", "gazetteer", "import", "geonames", "../../internal/geonames/testdata/mini.zip",
		"--countries", "sy", "--min-population", "1000", "-o", out)
	r.mustCode(t, exitOK)
	if !strings.Contains(r.stderr, "duplicates of default entries") {
		t.Errorf("stderr %q", r.stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// Aleppo, its governorate, al-Bab, Tartus and Syria duplicate default
	// entries
	if strings.Contains(string(data), "gn-1001\n") || strings.Contains(string(data), "gn-1007\n") || !strings.Contains(string(data), "gn-1006\n") {
		t.Errorf("output:\n%s", data)
	}
	runCLI(t, "", "gazetteer", "lint", "--only", out).mustCode(t, exitOK)
	r = runCLI(t, "", "gazetteer", "import", "iso3166", "../../internal/geonames/testdata/iso.tsv")
	r.mustCode(t, exitOK)
	if !strings.Contains(r.stdout, "id: country-sy") {
		t.Errorf("iso3166 stdout:\n%s", r.stdout)
	}
	runCLI(t, "", "gazetteer", "import", "geonames", "testdata/none.zip").mustCode(t, exitUsage)
}

func TestGazetteerSuggest(t *testing.T) {
	isolateCache(t)
	fixture := "../../internal/mining/testdata/fixture.jsonl"
	out := filepath.Join(t.TempDir(), "suggested.yaml")
	r := runCLI(t, "", "gazetteer", "suggest", fixture, "--min-count", "2", "--type", "place", "--examples", "1", "-o", out)
	r.mustCode(t, exitOK)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for _, w := range []string{"entries:\n", "- id: TODO-alfwa\n    type: place\n    names:\n      ar: [\"الفوعة\"]\n", "[Wadi Zamrin]"} {
		if !strings.Contains(s, w) {
			t.Errorf("missing %q in\n%s", w, s)
		}
	}
	if strings.Contains(s, "organization") || !strings.Contains(r.stderr, "suggested 3 name(s)") {
		t.Errorf("stderr %q\n%s", r.stderr, s)
	}
	r = runCLI(t, "", "gazetteer", "suggest", fixture, "--type", "people")
	r.mustCode(t, exitUsage)
}
