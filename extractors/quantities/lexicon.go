package quantities

import (
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/diag"
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

type catSpec struct {
	cat     cat
	value   valueParser
	article bool // add ال forms of Arabic words
}

var catSpecs = map[string]catSpec{
	"values":       {cat: cValue, value: positive},
	"teens":        {cat: cTeen},
	"multipliers":  {cat: cMult, value: positive, article: true},
	"half":         {cat: cHalf},
	"vague":        {cat: cVague, value: positive, article: true},
	"weak":         {cat: cWeak},
	"cues":         {cat: cCue, value: cueKind},
	"approx_after": {cat: cApproxAfter},
	"of_words":     {cat: cOf},
	"connectors":   {cat: cConn},
	"counted":      {cat: cCounted, value: label, article: true},
}

type phrase struct {
	keys []string
	cat  cat
	val  float64
	str  string
	def  bool
}

// Lexicon holds the compiled word lists of the quantities stage. It is
// immutable once built and safe for concurrent use.
type Lexicon struct {
	index map[string][]*phrase
	weak  map[string]bool
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

type entryKey struct {
	cat cat
	key string
}

// LoadLexicon builds a lexicon from the embedded defaults extended by srcs,
// in order. A later file overrides the value of a word already listed in the
// same category; the top-level key "remove" takes words out of every list.
// Every problem of every file is returned; the lexicon is nil when there is
// an error.
func LoadLexicon(srcs ...Source) (*Lexicon, diag.ErrorList) {
	var errs diag.ErrorList
	entries := map[entryKey]*phrase{}
	var order []entryKey
	for _, src := range append([]Source{{Name: DefaultFile, Data: defaultYAML}}, srcs...) {
		loadFile(src, entries, &order, &errs)
	}
	errs.Sort()
	if errs.Err() != nil {
		return nil, errs
	}
	lex := &Lexicon{index: map[string][]*phrase{}, weak: map[string]bool{}}
	for _, k := range order {
		p := entries[k]
		if p == nil {
			continue
		}
		if p.cat == cWeak {
			lex.weak[strings.Join(p.keys, " ")] = true
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
				key := strings.Join(phraseKeys(w.s), " ")
				for ek := range entries {
					if ek.key == key || ek.key == "ال"+key {
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
		add := func(w word, val float64, str string) {
			keys := phraseKeys(w.s)
			if len(keys) == 0 {
				errs.Add(diag.NodePos(file, w.n), "word %q has no letters, digits or symbol", w.s)
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
				put(append([]string{"ال" + keys[0]}, keys[1:]...), true)
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
