package events

import (
	"strings"
	"unicode/utf8"

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

// forms returns the readings of a token key under the set's mode. It
// appends to buf and allocates only for the rare لل reading. Lengths are
// compared in bytes: an Arabic key holds only two-byte letters.
func (ps *phraseSet) forms(key string, buf []form) []form {
	buf = append(buf[:0], form{key, 0})
	if ps.mode == exactOnly || key == "" {
		return buf
	}
	// match keys hold only base Arabic letters: a range test is enough
	if r, _ := utf8.DecodeRuneInString(key); r < 0x0621 || r > 0x064A {
		return buf
	}
	var stemArr [16]form
	stems := append(stemArr[:0], form{key, 0})
	for ci := -1; ci < len(conjunctions); ci++ {
		rest, cn := key, 0
		if ci >= 0 {
			c := conjunctions[ci]
			if !strings.HasPrefix(key, c) {
				continue
			}
			rest, cn = key[len(c):], 1
			stems = append(stems, form{rest, cn})
		}
		if len(rest) <= 6 {
			continue
		}
		for _, p := range prepositions {
			if strings.HasPrefix(rest, p) {
				stems = append(stems, form{rest[len(p):], cn + 1})
				if ps.mode == triggerMode && p == "ل" && strings.HasPrefix(rest, "لل") {
					stems = append(stems, form{"ا" + rest[len(p):], cn + 1})
				}
			}
		}
	}
	if ps.mode == triggerMode {
		n := len(stems)
		for _, s := range stems[:n] {
			if strings.HasPrefix(s.s, "ال") && len(s.s) > 8 {
				stems = append(stems, form{s.s[len("ال"):], s.pre})
			}
		}
	}
	for _, s := range stems[1:] {
		if len(s.s) >= 4 {
			buf = append(buf, s)
		}
	}
	n := len(buf)
	for _, s := range buf[:n] {
		for _, suf := range suffixes {
			if len(s.s)-len(suf) >= 6 && strings.HasSuffix(s.s, suf) {
				buf = append(buf, form{s.s[:len(s.s)-len(suf)], s.pre})
			}
		}
	}
	return buf
}

// matchAt returns the longest phrase starting at token i (tokens i..i+n-1
// must be words or numbers), its payload and length.
func (ps *phraseSet) matchAt(toks []pipeline.Token, i, limit int, fc *formCache) (val, n int, ok bool) {
	val, n, _, ok = ps.matchPre(toks, i, limit, fc)
	return val, n, ok
}

// matchPre is matchAt that also returns the code-point offset where the
// phrase starts inside token i (after removed proclitics).
func (ps *phraseSet) matchPre(toks []pipeline.Token, i, limit int, fc *formCache) (val, n, start int, ok bool) {
	t := &toks[i]
	if t.Kind == pipeline.Punct {
		return 0, 0, 0, false
	}
	for _, f := range fc.get(ps, toks, i) {
		for _, p := range ps.byFirst[f.s] {
			if len(p.keys) <= n || i+len(p.keys) > limit {
				continue
			}
			good := true
			for k := 1; k < len(p.keys); k++ {
				tk := &toks[i+k]
				if tk.Kind == pipeline.Punct || tk.Key != p.keys[k] {
					// allow the article on later words to differ: "إطلاق النار"
					if tk.Kind != pipeline.Punct && ps.mode == triggerMode && strings.HasPrefix(tk.Key, "ال") && tk.Key[len("ال"):] == p.keys[k] {
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

// formCache holds the readings of each token of one field, computed once
// per mode: the phrase sets scan the same tokens many times.
type formCache struct {
	by   [3][][]form // by mode, by token
	pool []form      // backing store for the readings
}

func newFormCache(n int) *formCache {
	fc := &formCache{}
	for m := range fc.by {
		fc.by[m] = make([][]form, n)
	}
	return fc
}

// get returns the readings of token i under ps's mode. A nil cache (or a
// token beyond it) computes them without keeping them.
func (fc *formCache) get(ps *phraseSet, toks []pipeline.Token, i int) []form {
	if fc == nil || i >= len(fc.by[ps.mode]) {
		return ps.forms(toks[i].Key, nil)
	}
	if f := fc.by[ps.mode][i]; f != nil {
		return f
	}
	if cap(fc.pool)-len(fc.pool) < 32 {
		fc.pool = make([]form, 0, 4096)
	}
	f := ps.forms(toks[i].Key, fc.pool[len(fc.pool):len(fc.pool)])
	// forms appended in place unless it outgrew the pool's free space
	if &f[:1][0] == &fc.pool[:len(fc.pool)+1][len(fc.pool)] {
		fc.pool = fc.pool[:len(fc.pool)+len(f)]
		f = f[:len(f):len(f)]
	}
	fc.by[ps.mode][i] = f
	return f
}
