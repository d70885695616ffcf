package eval

import (
	"fmt"
	"sort"
	"strings"
)

// DefaultMap maps gold NER labels to hadath entity types.
var DefaultMap = map[string]string{"LOC": "place", "GPE": "place", "ORG": "organization"}

// Mapping maps gold labels to our types. Labels not in it are not scored.
type Mapping map[string]string

// ParseMapping builds a mapping from LABEL=type specs, on top of defaults
// unless only is set. "LABEL=" (empty type) removes a label.
func ParseMapping(defaults map[string]string, specs []string, only bool) (Mapping, error) {
	m := Mapping{}
	if !only {
		for k, v := range defaults {
			m[k] = v
		}
	}
	for _, s := range specs {
		k, v, ok := strings.Cut(s, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("--map %q: want LABEL=type", s)
		}
		if v == "" {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("no label mapping: give --map LABEL=type")
	}
	return m, nil
}

// Types returns the distinct target types, sorted.
func (m Mapping) Types() []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range m {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

// Pairs lists the mapping as sorted LABEL=type pairs.
func (m Mapping) Pairs() []LabelMap {
	var out []LabelMap
	for k, v := range m {
		out = append(out, LabelMap{Label: k, Type: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// LabelMap is one gold label and the type it is scored as.
type LabelMap struct {
	Label string `json:"label"`
	Type  string `json:"type"`
}

// Apply turns raw gold spans into typed mentions (dropping unmapped labels
// and duplicates, e.g. LOC and GPE on the same tokens).
func (m Mapping) Apply(spans []Span, toks []Token) []Mention {
	var out []Mention
	seen := map[[3]any]bool{}
	for _, s := range spans {
		t, ok := m[s.Label]
		if !ok {
			continue
		}
		k := [3]any{t, s.Start, s.End}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, Mention{Type: t, Start: s.Start, End: s.End, Text: TokensText(toks, s.Start, s.End), Label: s.Label})
	}
	return out
}
