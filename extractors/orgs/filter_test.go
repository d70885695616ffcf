package orgs_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/hadath/hadath/extractors/orgs"
	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/rules"
	"github.com/hadath/hadath/scripts/benchdata"
)

// TestPrefilterKeepsMatches runs the stage with and without its prefilters
// on the fixtures (and the news sample when present) and on generated text
// with every designator of the default rules, after every clitic: the
// entities must be the same.
func TestPrefilterKeepsMatches(t *testing.T) {
	p := full(t)
	set, errs := rules.Load(nil)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	var texts []string
	docs, _, err := benchdata.Corpus("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		texts = append(texts, d.Text)
	}
	gen := generated(set)
	texts = append(texts, gen...)

	filtered, plain := stage(t, nil), stage(t, nil)
	orgs.SetNoFilter(plain, true)
	var found, foundGen int
	for ti, text := range texts {
		doc := &pipeline.Document{ID: "t", Text: text, Fields: []*pipeline.Field{{Name: "text", Text: text}}}
		// the stages before this one
		for _, st := range p.Stages {
			if st.Name() == orgs.Name {
				break
			}
			if err := st.Process(doc); err != nil {
				t.Fatal(err)
			}
		}
		f := doc.Fields[0]
		a, b := *f, *f
		a.Entities = append([]pipeline.Entity(nil), f.Entities...)
		b.Entities = append([]pipeline.Entity(nil), f.Entities...)
		if err := filtered.Process(&pipeline.Document{Fields: []*pipeline.Field{&a}}); err != nil {
			t.Fatal(err)
		}
		if err := plain.Process(&pipeline.Document{Fields: []*pipeline.Field{&b}}); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(a.Entities, b.Entities) {
			t.Errorf("text %d %.80q: with the prefilters\n%v\nwithout\n%v", ti, text, texts1(a.Entities), texts1(b.Entities))
		}
		n := len(designators(&b))
		found += n
		if ti >= len(texts)-len(gen) {
			foundGen += n
		}
	}
	// the generated text must exercise the matching, not only the filter
	if foundGen < len(gen) {
		t.Errorf("%d designator entities in %d generated texts", foundGen, len(gen))
	}
	t.Logf("%d texts, %d designator entities (%d in generated text)", len(texts), found, foundGen)
}

func texts1(es []pipeline.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, fmt.Sprintf("%s/%s[%d,%d)", e.Text, e.Match, e.Start, e.End))
	}
	return out
}

// generated returns sentences with each designator word of set, bare and
// after each conjunction and preposition (ل+ال written لل), followed by
// names of each form.
func generated(set *rules.Set) []string {
	cl := set.Language.Clitics
	prefixes := []string{""}
	prefixes = append(prefixes, cl.Conjunctions...)
	prefixes = append(prefixes, cl.Prepositions...)
	for _, c := range cl.Conjunctions {
		for _, p := range cl.Prepositions {
			prefixes = append(prefixes, c+p)
		}
	}
	arNames := []string{"التجاري الدولي", "نابلس", "« القادسية »", "\" إنفورميشن ويك \"", "شيودا اليابانية", "الدراسات العلمية والثقافية"}
	enBefore := []string{"the Cairo", "the Justice and Development", "the Kassala"}
	var out []string
	for _, d := range set.Organizations.Designators {
		for _, w := range d.Words {
			var b strings.Builder
			switch d.Lang {
			case "ar":
				forms := []string{}
				for _, p := range prefixes {
					forms = append(forms, p+w)
					if rest, ok := strings.CutPrefix(w, "ال"); ok && strings.HasSuffix(p, "ل") {
						forms = append(forms, p+"ل"+rest)
					}
				}
				for _, f := range forms {
					for _, n := range arNames {
						fmt.Fprintf(&b, "وقال %s %s إن الاجتماع انتهى. ", f, n)
					}
				}
			case "en":
				if strings.HasSuffix(w, " of") {
					fmt.Fprintf(&b, "The %s Foreign Affairs said. A %s Trade and Industry report. ", w, w)
				} else {
					for _, n := range enBefore {
						fmt.Fprintf(&b, "Officials of %s %s said. %s for Rights and Freedoms met. ", n, w, w)
					}
				}
			}
			out = append(out, b.String())
		}
	}
	return out
}
