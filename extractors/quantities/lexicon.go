package quantities

import (
	_ "embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/internal/wordlist"
)

//go:embed numbers.yaml
var defaultYAML []byte

// DefaultFile is the name under which the embedded word lists report errors.
const DefaultFile = "quantities/numbers.yaml"

// Source is one lexicon file: its name (for error positions) and its bytes.
type Source struct {
	Name string
	Data []byte
}

type cat uint8

const (
	cNone cat = iota
	cValue
	cTeen
	cMult
	cHalf
	cVague
	cWeak
	cCue
	cApproxAfter
	cOf
	cConn
	cCounted
)

// cue kinds
const (
	cueMin = iota
	cueMax
	cueApprox
	cueApproxMax
)

type valueParser func(s string) (float64, string, error)

func positive(s string) (float64, string, error) {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n <= 0 || n > 1e15 {
		return 0, "", fmt.Errorf("expected a positive whole number, got %q", s)
	}
	return float64(n), "", nil
}

func cueKind(s string) (float64, string, error) {
	switch s {
	case "min":
		return cueMin, s, nil
	case "max":
		return cueMax, s, nil
	case "approx":
		return cueApprox, s, nil
	case "approx_max":
		return cueApproxMax, s, nil
	}
	return 0, "", fmt.Errorf("unknown cue kind %q (known: min, max, approx, approx_max)", s)
}

func label(s string) (float64, string, error) {
	if s == "" {
		return 0, "", fmt.Errorf("empty label")
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
			return 0, "", fmt.Errorf("label %q: use letters, digits, - and _", s)
		}
	}
	return 0, s, nil
}

var catSpecs = map[string]wordlist.Category[cat, float64]{
	"values":       {Cat: cValue, Value: positive},
	"teens":        {Cat: cTeen},
	"multipliers":  {Cat: cMult, Value: positive, Article: true},
	"half":         {Cat: cHalf},
	"vague":        {Cat: cVague, Value: positive, Article: true},
	"weak":         {Cat: cWeak},
	"cues":         {Cat: cCue, Value: cueKind},
	"approx_after": {Cat: cApproxAfter},
	"of_words":     {Cat: cOf},
	"connectors":   {Cat: cConn},
	"counted":      {Cat: cCounted, Value: label, Article: true},
}

// phrase is one lexicon entry compiled to keys.
type phrase = wordlist.Entry[cat, float64]

// Lexicon holds the compiled word lists of the quantities stage. It is
// immutable once built and safe for concurrent use.
type Lexicon struct {
	index wordlist.Index[cat, float64]
	weak  map[string]bool
}

var defaultLexicon = sync.OnceValues(func() (*Lexicon, error) {
	lex, errs := LoadLexicon()
	return lex, errs.Err()
})

// DefaultLexicon returns the embedded word lists. The result is shared.
func DefaultLexicon() (*Lexicon, error) { return defaultLexicon() }

// format is the YAML format of the word lists.
var format = wordlist.Format[cat, float64]{
	Categories: catSpecs, Keys: phraseKeys, NoKeys: "letters, digits or symbol", RemoveArticle: true,
	Default: wordlist.Source{Name: DefaultFile, Data: defaultYAML},
}

// LoadLexicon builds a lexicon from the embedded defaults extended by srcs,
// in order. A later file overrides the value of a word already listed in the
// same category; the top-level key "remove" takes words out of every list.
// Every problem of every file is returned; the lexicon is nil when there is
// an error.
func LoadLexicon(srcs ...Source) (*Lexicon, diag.ErrorList) {
	entries, errs := wordlist.Load(format, srcs...)
	if errs.Err() != nil {
		return nil, errs
	}
	lex := &Lexicon{index: wordlist.Index[cat, float64]{}, weak: map[string]bool{}}
	for _, p := range entries {
		if p.Cat == cWeak {
			lex.weak[strings.Join(p.Keys, " ")] = true
			continue
		}
		lex.index.Add(p)
	}
	lex.index.Sort()
	return lex, errs
}

// phraseKeys makes the match keys of a phrase; a lone symbol such as % is
// kept as its own key.
func phraseKeys(s string) []string {
	out := normalize.PhraseKeys(s)
	if len(out) == 0 {
		if k := normalize.Key(strings.TrimSpace(s)); k != "" && !strings.ContainsFunc(k, unicode.IsSpace) {
			out = []string{k}
		}
	}
	return out
}
