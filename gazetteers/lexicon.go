package gazetteers

import (
	"embed"
	"strings"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/internal/yamlx"
)

//go:embed lexicon/words.yaml
var lexiconFS embed.FS

// LexiconFile is the name of the embedded word lists in messages.
const LexiconFile = "gazetteers/lexicon/words.yaml"

// Lexicon holds the word lists that tune matching: place names that are
// also common words, and the cue words that tell a place's kind.
type Lexicon struct {
	CommonWords map[string][]string `yaml:"common_words"`
	PlaceCues   []PlaceCue          `yaml:"place_cues"`
}

// PlaceCue is a list of words written before a place of one of Kinds.
type PlaceCue struct {
	Kinds  []string `yaml:"kinds"`
	Before []string `yaml:"before"`
}

// DefaultLexicon returns the embedded word lists.
func DefaultLexicon() (*Lexicon, error) {
	b, err := lexiconFS.ReadFile("lexicon/words.yaml")
	if err != nil {
		return nil, err
	}
	lx, errs := ParseLexicon(LexiconFile, b)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return lx, nil
}

// ParseLexicon reads word lists in the format of lexicon/words.yaml.
func ParseLexicon(file string, data []byte) (*Lexicon, diag.ErrorList) {
	var lx Lexicon
	if errs := yamlx.Decode(file, data, &lx); len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	var errs diag.ErrorList
	for _, c := range lx.PlaceCues {
		for _, k := range c.Kinds {
			if !contains(PlaceKinds, k) {
				errs.Add(diag.Position{Filename: file}, "place_cues: unknown place kind %q", k)
			}
		}
	}
	return &lx, errs
}

// CommonKeys returns the match keys of the common words (phrase keys joined
// by a space).
func (lx *Lexicon) CommonKeys() map[string]bool {
	m := map[string]bool{}
	if lx == nil {
		return m
	}
	for _, ws := range lx.CommonWords {
		for _, w := range ws {
			if k := strings.Join(normalize.PhraseKeys(w), " "); k != "" {
				m[k] = true
			}
		}
	}
	return m
}
