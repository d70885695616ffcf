package mining

import (
	"embed"
	"strings"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/internal/yamlx"
)

//go:embed cues.yaml
var cuesFS embed.FS

// CuesFile is the name of the embedded cue lists in messages.
const CuesFile = "internal/mining/cues.yaml"

// Cues are the word lists that find candidate names.
type Cues struct {
	Place        CueSet              `yaml:"place"`
	Organization CueSet              `yaml:"organization"`
	StopWords    map[string][]string `yaml:"stop_words"`
	Particles    map[string][]string `yaml:"particles"`
}

// CueSet holds the cues of one entry type, by language.
type CueSet struct {
	// Before cues are followed by the name.
	Before map[string][]string `yaml:"before"`
	// Named cues are followed by the rest of the name and start it.
	Named map[string][]string `yaml:"named"`
	// After cues follow the name.
	After map[string][]string `yaml:"after"`
}

// DefaultCues returns the embedded cue lists.
func DefaultCues() (*Cues, error) {
	b, err := cuesFS.ReadFile("cues.yaml")
	if err != nil {
		return nil, err
	}
	c, errs := ParseCues(CuesFile, b)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return c, nil
}

// ParseCues reads cue lists in the format of cues.yaml.
func ParseCues(file string, data []byte) (*Cues, diag.ErrorList) {
	var c Cues
	if errs := yamlx.Decode(file, data, &c); len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return &c, nil
}

// cueMode says where the name is written relative to a cue.
type cueMode uint8

const (
	modeBefore cueMode = iota // cue NAME
	modeNamed                 // [cue NAME]
	modeAfter                 // NAME cue
)

// cue is one compiled cue phrase.
type cue struct {
	typ  string
	mode cueMode
	keys []string // match keys of its tokens
	word string   // as written in the cue list
}

// compile turns the cue lists into phrases grouped by the key of their
// first token (for before/named cues) or last token (after cues).
func (c *Cues) compile() (first, last map[string][]cue) {
	first, last = map[string][]cue{}, map[string][]cue{}
	add := func(typ string, mode cueMode, m map[string][]string) {
		langs := sortedKeys(m)
		for _, l := range langs {
			for _, w := range m[l] {
				ks := normalize.PhraseKeys(w)
				if len(ks) == 0 {
					continue
				}
				cu := cue{typ: typ, mode: mode, keys: ks, word: strings.TrimSpace(w)}
				if mode == modeAfter {
					last[ks[len(ks)-1]] = append(last[ks[len(ks)-1]], cu)
				} else {
					first[ks[0]] = append(first[ks[0]], cu)
				}
			}
		}
	}
	for _, s := range []struct {
		typ string
		set CueSet
	}{{TypePlace, c.Place}, {TypeOrganization, c.Organization}} {
		add(s.typ, modeBefore, s.set.Before)
		add(s.typ, modeNamed, s.set.Named)
		add(s.typ, modeAfter, s.set.After)
	}
	// longest phrases first, so "town of" wins over "in" at the same token
	for _, m := range []map[string][]cue{first, last} {
		for k, l := range m {
			sortCues(l)
			m[k] = l
		}
	}
	return first, last
}

func keySet(lists ...map[string][]string) map[string]bool {
	out := map[string]bool{}
	for _, m := range lists {
		for _, ws := range m {
			for _, w := range ws {
				if k := strings.Join(normalize.PhraseKeys(w), " "); k != "" {
					out[k] = true
				}
			}
		}
	}
	return out
}
