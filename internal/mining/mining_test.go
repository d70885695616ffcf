package mining

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/input"
	"github.com/hadath/hadath/pipeline"
)

// mine runs the fixture through normalize, sentences and gazetteer and
// returns the miner.
func mine(t *testing.T, examples int) *Miner {
	t.Helper()
	c, err := config.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.NoGazetteerCache = true
	res, err := app.LoadResources(c)
	if err != nil {
		t.Fatal(err)
	}
	c.Stages = []string{"normalize", "sentences", "gazetteer"}
	p, err := app.Build(c, res, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	known := map[string]bool{}
	res.Index.EachKey(func(k string) { known[k] = true })
	L := res.Rules.Language
	m, err := New(Options{Conjunctions: L.Clitics.Conjunctions, Prepositions: L.Clitics.Prepositions,
		MinStem: L.Clitics.MinStem, FunctionWords: L.FunctionWords.All(), Known: known, Examples: examples})
	if err != nil {
		t.Fatal(err)
	}
	items := make(chan pipeline.Item, 4)
	go input.New(input.Options{}).Read(context.Background(), []string{"testdata/fixture.jsonl"}, items)
	err = p.Run(context.Background(), items, 4, func(r pipeline.Result) error {
		if r.Err != nil || r.Failed {
			t.Errorf("document %s: %v", r.Source, r.Err)
			return nil
		}
		m.Add(r.Doc)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func byKey(cs []Candidate) map[string]Candidate {
	m := map[string]Candidate{}
	for _, c := range cs {
		m[c.Type+" "+c.Key] = c
	}
	return m
}

func TestCandidates(t *testing.T) {
	m := mine(t, 2)
	if m.Docs() != 5 {
		t.Fatalf("docs = %d", m.Docs())
	}
	got := byKey(m.Candidates(2, 0, "all"))
	want := map[string]struct {
		count, docs int
		name        string
	}{
		"place الفوعه":                {3, 3, "الفوعة"},   // مدينة, بمدينة, مدينة
		"place المزيرعه":              {3, 3, "المزيرعة"}, // بلدة والمزيرعة: proclitic removed
		"place wadi zamrin":           {3, 2, "Wadi Zamrin"},
		"organization جبهه الصمود":    {2, 2, "جبهة الصمود"}, // named cue, الشعبي is an adjective
		"organization zamrin martyrs": {2, 2, "Zamrin Martyrs"},
	}
	for k, w := range want {
		c, ok := got[k]
		if !ok {
			t.Errorf("missing %q; got %v", k, keys(got))
			continue
		}
		if c.Count != w.count || c.Docs != w.docs || c.Names[0] != w.name {
			t.Errorf("%s: count %d docs %d names %q, want %d %d %q", k, c.Count, c.Docs, c.Names, w.count, w.docs, w.name)
		}
		if len(c.Examples) != 2 || !strings.Contains(c.Examples[0], "["+w.name+"]") {
			t.Errorf("%s: examples %q", k, c.Examples)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d candidates: %v", len(got), keys(got))
	}
	// known places (حلب, Aleppo), months, and words with their proclitic
	for _, k := range []string{"place حلب", "place aleppo", "place march", "place والمزيرعه", "place الفوعه المحاصره"} {
		if _, ok := got[k]; ok {
			t.Errorf("%q suggested", k)
		}
	}
	if cs := m.Candidates(2, 0, "organization"); len(cs) != 2 {
		t.Errorf("--type organization: %d", len(cs))
	}
	if cs := m.Candidates(2, 2, "all"); len(cs) != 2 || cs[0].Count < cs[1].Count {
		t.Errorf("--top 2: %+v", cs)
	}
	if cs := m.Candidates(4, 0, "all"); len(cs) != 0 {
		t.Errorf("--min-count 4: %+v", cs)
	}
}

func TestDeterministicYAML(t *testing.T) {
	var outs []string
	for range 3 {
		m := mine(t, 2)
		var b bytes.Buffer
		if err := WriteYAML(&b, m.Candidates(2, 0, "all"), Header{Docs: m.Docs(), MinCount: 2}); err != nil {
			t.Fatal(err)
		}
		outs = append(outs, b.String())
	}
	if outs[0] != outs[1] || outs[1] != outs[2] {
		t.Fatalf("output differs between runs:\n%s\n---\n%s", outs[0], outs[1])
	}
	out := outs[0]
	// ties on count are broken by key: Latin before Arabic
	order := []string{"TODO-wadi-zamrin", "TODO-alfwa", "TODO-almzyra", "TODO-zamrin-martyrs", "TODO-jbha-alsmwd"}
	last := -1
	for _, id := range order {
		i := strings.Index(out, "id: "+id+"\n")
		if i <= last {
			t.Fatalf("%s missing or out of order:\n%s", id, out)
		}
		last = i
	}
	if !strings.Contains(out, "# 3× in 3 document(s); cues: مدينة 3\n") {
		t.Errorf("no count comment:\n%s", out)
	}
	// with the TODO ids replaced, the stubs load as a gazetteer
	data := strings.ReplaceAll(out, "TODO-", "x-")
	g, errs := gazetteers.Load([]gazetteers.Source{{Name: "suggested.yaml", Data: []byte(data)}})
	if err := errs.Err(); err != nil {
		t.Fatalf("load: %v\n%s", err, data)
	}
	if len(g.Entries) != 5 {
		t.Fatalf("%d entries", len(g.Entries))
	}
	e := g.ByID("x-alfwa")
	if e == nil || e.Type != "place" || e.Name("ar") != "الفوعة" {
		t.Errorf("x-alfwa = %+v", e)
	}
	var empty bytes.Buffer
	if err := WriteYAML(&empty, nil, Header{}); err != nil {
		t.Fatal(err)
	}
	if _, errs := gazetteers.Load([]gazetteers.Source{{Name: "empty.yaml", Data: empty.Bytes()}}); errs.Err() != nil {
		t.Errorf("empty: %v", errs.Err())
	}
}

func TestSlugAndClean(t *testing.T) {
	for in, want := range map[string]string{
		"الفوعة": "alfwa", "Wadi Zamrin": "wadi-zamrin", "Deir ez-Zor": "deir-ez-zor",
		"دار سعد": "dar-sd", "Sérvia": "servia", "": "",
	} {
		if got := Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
	if got := clean("ﺍﻟﺤﻮﻃﺔ\u202b "); got != "الحوطة" {
		t.Errorf("clean = %q", got)
	}
}

func TestDefaultCues(t *testing.T) {
	c, err := DefaultCues()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Place.Before["ar"]) < 8 || len(c.Organization.After["en"]) < 4 {
		t.Errorf("cues: %+v", c)
	}
	if _, errs := ParseCues("x.yaml", []byte("place:\n  befor: {ar: [x]}\n")); len(errs) == 0 {
		t.Error("unknown key accepted")
	}
}

func keys(m map[string]Candidate) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
