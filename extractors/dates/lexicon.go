package dates

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/internal/wordlist"
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

// catBit is the bit of category c in a set of categories (there are fewer
// than 64).
func catBit(c cat) uint64 { return 1 << (c & 63) }

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

var catSpecs = map[string]wordlist.Category[cat, int]{
	"months":                   {Cat: cMonth, Value: intRange(1, 12)},
	"ambiguous_months":         {Cat: cAmbMonth},
	"hijri_months":             {Cat: cHijriMonth, Value: intRange(1, 12)},
	"hijri_era":                {Cat: cHijriEra},
	"gregorian_era":            {Cat: cGregEra},
	"weekdays":                 {Cat: cWeekday, Value: names("sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday")},
	"relative_days":            {Cat: cRelDay, Value: intRange(-7, 7)},
	"direction":                {Cat: cDir, Value: dirValue},
	"parts_of_day":             {Cat: cPOD, Value: names("morning", "midday", "afternoon", "evening", "night")},
	"mods":                     {Cat: cMod, Value: names("START", "MID", "END")},
	"units":                    {Cat: cUnit, Value: names(unitNames...), Article: true},
	"plural_units":             {Cat: cPluralUnit, Value: names(unitNames...), Article: true},
	"dual_units":               {Cat: cDualUnit, Value: names(unitNames...)},
	"numbers":                  {Cat: cNumber, Value: intRange(1, 1000)},
	"duration_cues":            {Cat: cDurCue},
	"future_cues":              {Cat: cFutCue},
	"future_prefix_exceptions": {Cat: cFutExc},
	"year_words":               {Cat: cYearWord},
	"year_preps":               {Cat: cYearPrep},
	"month_words":              {Cat: cMonthWord},
	"day_words":                {Cat: cDayWord},
	"of_words":                 {Cat: cOf},
	"articles":                 {Cat: cArticle},
	"ordinal_suffixes":         {Cat: cOrdSuffix},
	"range_starts":             {Cat: cRangeStart},
	"range_connectors":         {Cat: cRangeConn},
	"few_words":                {Cat: cFew},
	"future_ref":               {Cat: cFutRef},
	"past_ref":                 {Cat: cPastRef},
	"present_ref":              {Cat: cPresRef},
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
type phrase = wordlist.Entry[cat, int]

// Lexicon holds the compiled word lists of the dates stage. It is immutable
// once built and safe for concurrent use.
type Lexicon struct {
	index  wordlist.Index[cat, int] // first key -> phrases, longest first
	amb    map[string]bool          // joined keys of ambiguous month words
	futExc map[string]bool
}

var defaultLexicon = sync.OnceValues(func() (*Lexicon, error) {
	lex, errs := LoadLexicon()
	return lex, errs.Err()
})

// DefaultLexicon returns the embedded word lists. The result is shared.
func DefaultLexicon() (*Lexicon, error) { return defaultLexicon() }

// format is the YAML format of the word lists.
var format = wordlist.Format[cat, int]{
	Categories: catSpecs, Keys: phraseKeys, NoKeys: "letters or digits",
	Default: wordlist.Source{Name: DefaultFile, Data: defaultYAML},
}

// LoadLexicon builds a lexicon from the embedded defaults extended by srcs,
// in order. A later file overrides the value of a word already listed in the
// same category; the top-level key "remove" takes words out of every list.
// Every problem of every file is returned; the lexicon is nil when there is
// an error (warnings do not count).
func LoadLexicon(srcs ...Source) (*Lexicon, diag.ErrorList) {
	entries, errs := wordlist.Load(format, srcs...)
	if errs.Err() != nil {
		return nil, errs
	}
	lex := &Lexicon{index: wordlist.Index[cat, int]{}, amb: map[string]bool{}, futExc: map[string]bool{}}
	for _, p := range entries {
		switch p.Cat {
		case cAmbMonth:
			lex.amb[strings.Join(p.Keys, " ")] = true
			continue
		case cFutExc:
			lex.futExc[strings.Join(p.Keys, " ")] = true
			continue
		}
		lex.index.Add(p)
	}
	lex.index.Sort()
	return lex, errs
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
