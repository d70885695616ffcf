package dates

import (
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/diag"
)

//go:embed lexicon.yaml
var defaultYAML []byte

// DefaultFile is the name under which the embedded word lists report errors.
const DefaultFile = "dates/lexicon.yaml"

// Source is one lexicon file: its name (for error positions) and its bytes.
type Source struct {
	Name string
	Data []byte
}

type cat uint8

const (
	cNone cat = iota
	cMonth
	cHijriMonth
	cHijriEra
	cGregEra
	cWeekday
	cRelDay
	cDir
	cPOD
	cMod
	cUnit
	cPluralUnit
	cDualUnit
	cNumber
	cDurCue
	cFutCue
	cFutExc
	cYearWord
	cYearPrep
	cMonthWord
	cDayWord
	cOf
	cArticle
	cOrdSuffix
	cRangeStart
	cRangeConn
	cFew
	cFutRef
	cPastRef
	cPresRef
	cAmbMonth
)

// unit indexes
const (
	uMinute = iota
	uHour
	uDay
	uWeek
	uMonth
	uYear
)

var unitNames = []string{"minute", "hour", "day", "week", "month", "year"}

// direction values
const (
	dirLast = -1
	dirThis = 0
	dirNext = 1
)

// valueParser turns a mapping key of a category into its value.
type valueParser func(s string) (int, string, error)

func intRange(lo, hi int) valueParser {
	return func(s string) (int, string, error) {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < lo || n > hi {
			return 0, "", fmt.Errorf("expected a number from %d to %d, got %q", lo, hi, s)
		}
		return n, "", nil
	}
}

func names(list ...string) valueParser {
	return func(s string) (int, string, error) {
		for i, n := range list {
			if s == n {
				return i, n, nil
			}
		}
		return 0, "", fmt.Errorf("unknown value %q (known: %s)", s, strings.Join(list, ", "))
	}
}

type catSpec struct {
	cat   cat
	value valueParser // nil for plain lists
	// article: add ال forms of Arabic words.
	article bool
}

var catSpecs = map[string]catSpec{
	"months":                   {cat: cMonth, value: intRange(1, 12)},
	"ambiguous_months":         {cat: cAmbMonth},
	"hijri_months":             {cat: cHijriMonth, value: intRange(1, 12)},
	"hijri_era":                {cat: cHijriEra},
	"gregorian_era":            {cat: cGregEra},
	"weekdays":                 {cat: cWeekday, value: names("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")},
	"relative_days":            {cat: cRelDay, value: intRange(-7, 7)},
	"direction":                {cat: cDir, value: dirValue},
	"parts_of_day":             {cat: cPOD, value: names("morning", "midday", "afternoon", "evening", "night")},
	"mods":                     {cat: cMod, value: names("START", "MID", "END")},
	"units":                    {cat: cUnit, value: names(unitNames...), article: true},
	"plural_units":             {cat: cPluralUnit, value: names(unitNames...), article: true},
	"dual_units":               {cat: cDualUnit, value: names(unitNames...)},
	"numbers":                  {cat: cNumber, value: intRange(1, 1000)},
	"duration_cues":            {cat: cDurCue},
	"future_cues":              {cat: cFutCue},
	"future_prefix_exceptions": {cat: cFutExc},
	"year_words":               {cat: cYearWord},
	"year_preps":               {cat: cYearPrep},
	"month_words":              {cat: cMonthWord},
	"day_words":                {cat: cDayWord},
	"of_words":                 {cat: cOf},
	"articles":                 {cat: cArticle},
	"ordinal_suffixes":         {cat: cOrdSuffix},
	"range_starts":             {cat: cRangeStart},
	"range_connectors":         {cat: cRangeConn},
	"few_words":                {cat: cFew},
	"future_ref":               {cat: cFutRef},
	"past_ref":                 {cat: cPastRef},
	"present_ref":              {cat: cPresRef},
}

func dirValue(s string) (int, string, error) {
	switch s {
	case "last":
		return dirLast, s, nil
	case "next":
		return dirNext, s, nil
	case "this":
		return dirThis, s, nil
	}
	return 0, "", fmt.Errorf("unknown direction %q (known: last, next, this)", s)
}

// phrase is one lexicon entry compiled to keys.
type phrase struct {
	keys []string
	cat  cat
	val  int
	str  string
	def  bool // made by adding the article ال
}

// Lexicon holds the compiled word lists of the dates stage. It is immutable
// once built and safe for concurrent use.
type Lexicon struct {
	index  map[string][]*phrase // first key -> phrases, longest first
	amb    map[string]bool      // joined keys of ambiguous month words
	futExc map[string]bool
}

var (
	defaultOnce sync.Once
	defaultLex  *Lexicon
	defaultErr  error
)

// DefaultLexicon returns the embedded word lists. The result is shared.
func DefaultLexicon() (*Lexicon, error) {
	defaultOnce.Do(func() {
		lex, errs := LoadLexicon()
		defaultLex, defaultErr = lex, errs.Err()
	})
	return defaultLex, defaultErr
}

// entryKey identifies an entry for overriding: category and phrase key.
type entryKey struct {
	cat cat
	key string
}

// LoadLexicon builds a lexicon from the embedded defaults extended by srcs,
// in order. A later file overrides the value of a word already listed in the
// same category; the top-level key "remove" takes words out of every list.
// Every problem of every file is returned; the lexicon is nil when there is
// an error (warnings do not count).
func LoadLexicon(srcs ...Source) (*Lexicon, diag.ErrorList) {
	var errs diag.ErrorList
	entries := map[entryKey]*phrase{}
	var order []entryKey
	all := append([]Source{{Name: DefaultFile, Data: defaultYAML}}, srcs...)
	for _, src := range all {
		loadFile(src, entries, &order, &errs)
	}
	errs.Sort()
	if errs.Err() != nil {
		return nil, errs
	}
	lex := &Lexicon{index: map[string][]*phrase{}, amb: map[string]bool{}, futExc: map[string]bool{}}
	for _, k := range order {
		p := entries[k]
		if p == nil {
			continue
		}
		switch p.cat {
		case cAmbMonth:
			lex.amb[strings.Join(p.keys, " ")] = true
			continue
		case cFutExc:
			lex.futExc[strings.Join(p.keys, " ")] = true
			continue
		}
		lex.index[p.keys[0]] = append(lex.index[p.keys[0]], p)
	}
	for _, ps := range lex.index {
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].keys) > len(ps[j].keys) })
	}
	return lex, errs
}

func loadFile(src Source, entries map[entryKey]*phrase, order *[]entryKey, errs *diag.ErrorList) {
	file := src.Name
	var root yaml.Node
	if err := yaml.Unmarshal(src.Data, &root); err != nil {
		*errs = append(*errs, diag.YAMLError(file, err)...)
		return
	}
	if len(root.Content) == 0 {
		return
	}
	doc := root.Content[0]
	if doc.Kind == yaml.ScalarNode && doc.Tag == "!!null" {
		return
	}
	if doc.Kind != yaml.MappingNode {
		errs.Add(diag.NodePos(file, doc), "expected a mapping of word lists")
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if seen[k.Value] {
			errs.Add(diag.NodePos(file, k), "key %q given twice", k.Value)
		}
		seen[k.Value] = true
		if k.Value == "remove" {
			for _, w := range words(file, v, errs) {
				keys := phraseKeys(w.s)
				for ek := range entries {
					if ek.key == strings.Join(keys, " ") {
						entries[ek] = nil
					}
				}
			}
			continue
		}
		spec, ok := catSpecs[k.Value]
		if !ok {
			errs.Add(diag.NodePos(file, k), "unknown key %q (known: %s, remove)", k.Value, strings.Join(knownKeys(), ", "))
			continue
		}
		add := func(w word, val int, str string) {
			keys := phraseKeys(w.s)
			if len(keys) == 0 {
				errs.Add(diag.NodePos(file, w.n), "word %q has no letters or digits", w.s)
				return
			}
			put := func(keys []string, def bool) {
				ek := entryKey{spec.cat, strings.Join(keys, " ")}
				if _, ok := entries[ek]; !ok {
					*order = append(*order, ek)
				}
				entries[ek] = &phrase{keys: keys, cat: spec.cat, val: val, str: str, def: def}
			}
			put(keys, false)
			if spec.article && normalize.HasArabic(keys[0]) && !strings.HasPrefix(strings.TrimSpace(w.s), "ال") {
				dk := append([]string{"ال" + keys[0]}, keys[1:]...)
				put(dk, true)
			}
		}
		if spec.value == nil {
			for _, w := range words(file, v, errs) {
				add(w, 0, "")
			}
			continue
		}
		if v.Kind != yaml.MappingNode {
			errs.Add(diag.NodePos(file, v), "%q must be a mapping of value: [words]", k.Value)
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			vk, vv := v.Content[j], v.Content[j+1]
			val, str, err := spec.value(vk.Value)
			if err != nil {
				errs.Add(diag.NodePos(file, vk), "%s: %v", k.Value, err)
				continue
			}
			for _, w := range words(file, vv, errs) {
				add(w, val, str)
			}
		}
	}
}

func knownKeys() []string {
	var out []string
	for k := range catSpecs {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type word struct {
	s string
	n *yaml.Node
}

// words reads a word or a list of words.
func words(file string, n *yaml.Node, errs *diag.ErrorList) []word {
	switch n.Kind {
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return nil
		}
		if n.Tag != "!!str" {
			errs.Add(diag.NodePos(file, n), "expected a word, got %s", n.Tag)
			return nil
		}
		if strings.TrimSpace(n.Value) == "" {
			errs.Add(diag.NodePos(file, n), "empty word")
			return nil
		}
		return []word{{n.Value, n}}
	case yaml.SequenceNode:
		var out []word
		for _, c := range n.Content {
			if c.Kind != yaml.ScalarNode {
				errs.Add(diag.NodePos(file, c), "expected a word")
				continue
			}
			out = append(out, words(file, c, errs)...)
		}
		return out
	}
	errs.Add(diag.NodePos(file, n), "expected a word or a list of words")
	return nil
}

// phraseKeys makes the match keys of a lexicon phrase. Punctuation such as
// the dot of "Dec." is dropped.
func phraseKeys(s string) []string {
	out := normalize.PhraseKeys(s)
	for i, k := range out {
		out[i] = strings.TrimSuffix(k, ".")
	}
	return out
}
