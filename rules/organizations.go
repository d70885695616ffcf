package rules

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/internal/diag"
)

// Organizations is the content of organizations.yaml: designator words that
// announce an organization's name (وزارة الخارجية, جامعة القاهرة, "Ministry
// of Defence", "Cairo University"), as GATE ANNIE's organization key words
// do. See docs/RULES.md, "Organizations without a gazetteer entry".
type Organizations struct {
	// StopWords end a name: words that follow a designator but do not
	// belong to the name (الذي, التي, الآن ...).
	StopWords ByLang `yaml:"stop_words"`
	// Designators are the rules; a user rule with an existing id replaces
	// the default one.
	Designators []Designator `yaml:"designators"`
}

// Designator spans.
const (
	// SpanWith: the designator belongs to the name (وزارة الخارجية).
	SpanWith = "with"
	// SpanAfter: the name is only what follows the designator (صحيفة
	// «القادسية» gives القادسية).
	SpanAfter = "after"
)

// Name forms a designator accepts after it (Arabic).
const (
	// FormDefinite is 1..max_words words with the article ال (الخارجية,
	// الدفاع الأمريكية), or the later words of a name with و+ال or ل+ال.
	FormDefinite = "definite"
	// FormQuoted is a name in quotes right after the designator («نوكيا»).
	FormQuoted = "quoted"
	// FormPlace is a gazetteer place right after the designator (جامعة
	// القاهرة, بلدية نابلس); the place stays an entity of its own.
	FormPlace = "place"
	// FormForeign is 1..max_words words without the article followed by an
	// adjective of origin (شركة شيودا اليابانية, صحيفة لوموند الفرنسية):
	// a foreign name. The adjective is not part of the name.
	FormForeign = "foreign"
)

// NameForms are the allowed values of a designator's names.
var NameForms = []string{FormDefinite, FormQuoted, FormPlace, FormForeign}

// Designator is one rule of organizations.yaml.
type Designator struct {
	// ID is unique; a user rule with the same id replaces this one.
	ID string `yaml:"id"`
	// Kind is the kind given to the organizations it finds (one of
	// gazetteers.OrgKinds).
	Kind string `yaml:"kind"`
	// Lang is ar or en.
	Lang string `yaml:"lang"`
	// Words are the designators as written. Arabic ones may carry
	// proclitics in the text (وبوزارة). English ones ending in "of" take
	// the capitalized name after them ("Ministry of Defence"), others the
	// capitalized name before them ("Cairo University").
	Words []string `yaml:"words"`
	// Span is "with" (default: the designator belongs to the name) or
	// "after" (the name is only what follows it).
	Span string `yaml:"span"`
	// Names are the Arabic name forms accepted after the designator
	// (definite, quoted, place); default [definite].
	Names []string `yaml:"names"`
	// MaxWords bounds the name's length in words (default 3; quoted names
	// and English names may be up to 2 words longer).
	MaxWords int `yaml:"max_words"`

	Pos diag.Position `yaml:"-"`
}

// UnmarshalYAML records the rule's line and column for later errors.
func (d *Designator) UnmarshalYAML(n *yaml.Node) error {
	type plain Designator
	var p plain
	if err := n.Decode(&p); err != nil {
		return err
	}
	*d = Designator(p)
	d.Pos = diag.Position{Line: n.Line, Column: n.Column}
	return nil
}

// OrgForms returns the rule's name forms, [definite] when none is given.
func (d *Designator) OrgForms() []string {
	if len(d.Names) == 0 {
		return []string{FormDefinite}
	}
	return d.Names
}

// setFile names the file of rules decoded from it.
func setFile(ds []Designator, file string) {
	for i := range ds {
		ds[i].Pos.Filename = file
	}
}

func (o *Organizations) merge(file string, u *Organizations) {
	mergeByLang(&o.StopWords, u.StopWords)
	for _, d := range u.Designators {
		d.Pos.Filename = file
		replaced := false
		for i := range o.Designators {
			// an id given twice in one file stays twice: validate reports it
			if o.Designators[i].ID == d.ID && d.ID != "" && o.Designators[i].Pos.Filename != file {
				o.Designators[i] = d
				replaced = true
				break
			}
		}
		if !replaced {
			o.Designators = append(o.Designators, d)
		}
	}
}

func (o *Organizations) validate() diag.ErrorList {
	var errs diag.ErrorList
	seen := map[string]bool{}
	for _, d := range o.Designators {
		pos := d.Pos
		if d.ID == "" {
			errs.Add(pos, "designator without id")
		} else if seen[d.ID] {
			errs.Add(pos, "designator %q: duplicate id", d.ID)
		}
		seen[d.ID] = true
		if !contains(gazetteers.OrgKinds, d.Kind) {
			errs.Add(pos, "designator %q: unknown organization kind %q (one of %s)", d.ID, d.Kind, strings.Join(gazetteers.OrgKinds, ", "))
		}
		if d.Lang != "ar" && d.Lang != "en" {
			errs.Add(pos, "designator %q: lang must be ar or en, got %q", d.ID, d.Lang)
		}
		if d.Span != "" && d.Span != SpanWith && d.Span != SpanAfter {
			errs.Add(pos, "designator %q: span must be %s or %s, got %q", d.ID, SpanWith, SpanAfter, d.Span)
		}
		for _, f := range d.Names {
			if !contains(NameForms, f) {
				errs.Add(pos, "designator %q: unknown name form %q (one of %s)", d.ID, f, strings.Join(NameForms, ", "))
			}
			if f == FormPlace && d.Span == SpanAfter {
				errs.Add(pos, "designator %q: name form place needs span %s (the place stays a place)", d.ID, SpanWith)
			}
		}
		if d.Lang == "en" && len(d.Names) > 0 {
			errs.Add(pos, "designator %q: names are for Arabic rules (English names are capitalized words)", d.ID)
		}
		if d.MaxWords < 0 || d.MaxWords > 8 {
			errs.Add(pos, "designator %q: max_words must be between 1 and 8, got %d", d.ID, d.MaxWords)
		}
		if len(d.Words) == 0 {
			errs.Add(pos, "designator %q has no words", d.ID)
		}
		for _, w := range d.Words {
			if strings.TrimSpace(w) == "" {
				errs.Add(pos, "designator %q: empty word", d.ID)
			}
		}
	}
	return errs
}
