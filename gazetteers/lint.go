package gazetteers

import (
	"fmt"
	"unicode"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/diag"
)

// LintOptions tunes Lint.
type LintOptions struct {
	// Lexicon gives the common words; nil means no common-word check.
	Lexicon *Lexicon
	// Files, when not empty, restricts the report to problems in these
	// files (the other sources are still loaded, so that parents and names
	// shared with them are checked).
	Files []string
}

// NameRef is one name of one entry with its position.
type NameRef struct {
	Entry *Entry
	Lang  string
	Name  string
	Pos   diag.Position
}

// NameIndex groups the names of g by match key (phrase keys joined by a
// space), in load order.
func NameIndex(g *Gazetteer) map[string][]NameRef {
	idx := map[string][]NameRef{}
	for _, e := range g.Entries {
		for _, l := range e.Names {
			lang := l.Lang
			for i, n := range l.Names {
				k := e.NameKey(lang, i)
				if k == "" {
					continue
				}
				idx[k] = append(idx[k], NameRef{Entry: e, Lang: lang, Name: n, Pos: e.NamePosition(lang, i)})
			}
		}
	}
	return idx
}

// Lint loads the sources and reports every problem: the errors of Load, and
// warnings for names that are risky to match: a name shared by several
// entries (of different types, or of the same type), a name that is a
// common word, a name too short to be safe (fewer than 3 letters, unless an
// all-caps acronym), the same name twice in one entry, and entries that
// replace an entry of an earlier file. The list is sorted by position.
func Lint(srcs []Source, o LintOptions) (*Gazetteer, diag.ErrorList) {
	g, errs, ovs := load(srcs)
	for _, ov := range ovs {
		errs.Warn(ov.new.Pos, "entry %q replaces the entry defined at %s", ov.new.ID, ov.old.Pos)
	}
	common := o.Lexicon.CommonKeys()
	idx := NameIndex(g)
	for key, refs := range idx {
		// the same entry twice
		first := map[*Entry]NameRef{}
		var distinct []NameRef
		for _, r := range refs {
			if f, ok := first[r.Entry]; ok {
				errs.Warn(r.Pos, "name %q repeats %q of the same entry (same match key %q)", r.Name, f.Name, key)
				continue
			}
			first[r.Entry] = r
			distinct = append(distinct, r)
		}
		for i, r := range distinct {
			if len(distinct) > 1 {
				other := distinct[0]
				if i == 0 {
					other = distinct[1]
				}
				more := ""
				if n := len(distinct) - 2; n > 0 {
					more = fmt.Sprintf(" and %d more", n)
				}
				if other.Entry.Type != r.Entry.Type {
					errs.Warn(r.Pos, "name %q of %s %q is also the name of %s %q (%s)%s", r.Name, r.Entry.Type, r.Entry.ID,
						other.Entry.Type, other.Entry.ID, other.Pos, more)
				} else {
					errs.Warn(r.Pos, "name %q of %q is shared with %q (%s %s, %s)%s; the matcher disambiguates by cue words, document country, kind and population",
						r.Name, r.Entry.ID, other.Entry.ID, other.Entry.Kind, other.Entry.Country, other.Pos, more)
				}
			}
			if common[key] {
				if r.Entry.Type == TypePlace {
					errs.Warn(r.Pos, "name %q is a common word; it matches only after a place cue such as مدينة or \"city of\"", r.Name)
				} else {
					errs.Warn(r.Pos, "name %q is a common word; it will also match the word", r.Name)
				}
			}
			if n := letters(key); n < 3 && !(normalize.IsUpperAcronym(r.Name) && !normalize.HasArabic(r.Name)) {
				errs.Warn(r.Pos, "name %q is too short to match safely (%d letters); use an all-caps acronym or a longer form", r.Name, n)
			}
		}
	}
	if len(o.Files) > 0 {
		keep := map[string]bool{}
		for _, f := range o.Files {
			keep[f] = true
		}
		var out diag.ErrorList
		for _, e := range errs {
			if keep[e.Pos.Filename] {
				out = append(out, e)
			}
		}
		errs = out
	}
	errs.Sort()
	return g, errs
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}
