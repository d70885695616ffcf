package events

import (
	"strings"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

// stripMode says which affixes a phrase's first word may carry in text.
type stripMode int

const (
	exactOnly stripMode = iota
	// cueMode: و ف ب ل before, pronoun suffixes after.
	cueMode
	// triggerMode: cueMode plus the article ال (and لل for ل+ال).
	triggerMode
)

var conjunctions = []string{"و", "ف"}
var prepositions = []string{"ب", "ل", "ك"}
var suffixes = []string{"هما", "هم", "هن", "ها", "كم", "نا", "ه"}

// phrase is a compiled word sequence with a payload index.
type phrase struct {
	keys []string
	val  int
}

// phraseSet finds phrases by their first key.
type phraseSet struct {
	byFirst map[string][]phrase
	mode    stripMode
}

func newPhraseSet(mode stripMode) *phraseSet {
	return &phraseSet{byFirst: map[string][]phrase{}, mode: mode}
}

func (ps *phraseSet) add(text string, val int) {
	keys := normalize.PhraseKeys(text)
	if len(keys) == 0 {
		return
	}
	ps.byFirst[keys[0]] = append(ps.byFirst[keys[0]], phrase{keys: keys, val: val})
}

func (ps *phraseSet) empty() bool { return len(ps.byFirst) == 0 }

// form is one reading of a token: the key with affixes removed, and how many
// key runes were removed at the front (where the mention starts).
type form struct {
	s   string
	pre int
}

// forms returns the readings of a token key under the set's mode.
func (ps *phraseSet) forms(key string, buf []form) []form {
	buf = append(buf[:0], form{key, 0})
	if ps.mode == exactOnly || key == "" {
		return buf
	}
	r := []rune(key)
	if !normalize.IsArabicLetter(r[0]) {
		return buf
	}
	stems := []form{{key, 0}}
	for _, c := range append([]string{""}, conjunctions...) {
		rest := strings.TrimPrefix(key, c)
		if c != "" && rest == key {
			continue
		}
		cn := len([]rune(c))
		if c != "" {
			stems = append(stems, form{rest, cn})
		}
		for _, p := range prepositions {
			if strings.HasPrefix(rest, p) && len([]rune(rest)) > 3 {
				stems = append(stems, form{strings.TrimPrefix(rest, p), cn + 1})
				if ps.mode == triggerMode && p == "ل" && strings.HasPrefix(rest, "لل") {
					stems = append(stems, form{"ا" + strings.TrimPrefix(rest, "ل"), cn + 1})
				}
			}
		}
	}
	if ps.mode == triggerMode {
		n := len(stems)
		for _, s := range stems[:n] {
			if strings.HasPrefix(s.s, "ال") && len([]rune(s.s)) > 4 {
				stems = append(stems, form{strings.TrimPrefix(s.s, "ال"), s.pre})
			}
		}
	}
	for _, s := range stems[1:] {
		if len([]rune(s.s)) >= 2 {
			buf = append(buf, s)
		}
	}
	n := len(buf)
	for _, s := range buf[:n] {
		for _, suf := range suffixes {
			if strings.HasSuffix(s.s, suf) && len([]rune(s.s))-len([]rune(suf)) >= 3 {
				buf = append(buf, form{strings.TrimSuffix(s.s, suf), s.pre})
			}
		}
	}
	return buf
}

// matchAt returns the longest phrase starting at token i (tokens i..i+n-1
// must be words or numbers), its payload and length.
func (ps *phraseSet) matchAt(toks []pipeline.Token, i, limit int, buf []form) (val, n int, ok bool) {
	val, n, _, ok = ps.matchPre(toks, i, limit, buf)
	return val, n, ok
}

// matchPre is matchAt that also returns the code-point offset where the
// phrase starts inside token i (after removed proclitics).
func (ps *phraseSet) matchPre(toks []pipeline.Token, i, limit int, buf []form) (val, n, start int, ok bool) {
	t := &toks[i]
	if t.Kind == pipeline.Punct {
		return 0, 0, 0, false
	}
	for _, f := range ps.forms(t.Key, buf) {
		for _, p := range ps.byFirst[f.s] {
			if len(p.keys) <= n || i+len(p.keys) > limit {
				continue
			}
			good := true
			for k := 1; k < len(p.keys); k++ {
				tk := &toks[i+k]
				if tk.Kind == pipeline.Punct || tk.Key != p.keys[k] {
					// allow the article on later words to differ: "إطلاق النار"
					if tk.Kind != pipeline.Punct && ps.mode == triggerMode && tk.Key == "ال"+p.keys[k] {
						continue
					}
					good = false
					break
				}
			}
			if good {
				val, n, ok = p.val, len(p.keys), true
				start = t.Start
				if f.pre > 0 && f.pre < len(t.KeyMap) {
					start = t.KeyMap[f.pre]
				}
			}
		}
	}
	return val, n, start, ok
}
