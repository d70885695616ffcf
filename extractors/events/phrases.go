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

// appendForms appends the readings of a token key under the set's mode to
// dst and returns it; the readings are the appended tail, the key itself
// first. It allocates only for the rare لل reading (and when dst grows).
// Lengths are compared in bytes: an Arabic key holds only two-byte letters.
func (ps *phraseSet) appendForms(dst []form, key string) []form {
	base := len(dst)
	dst = append(dst, form{key, 0})
	if ps.mode == exactOnly || key == "" {
		return dst
	}
	// match keys hold only base Arabic letters: a range test is enough
	if r, _ := utf8.DecodeRuneInString(key); r < 0x0621 || r > 0x064A {
		return dst
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
			dst = append(dst, s)
		}
	}
	n := len(dst)
	for i := base; i < n; i++ {
		s := dst[i]
		for _, suf := range suffixes {
			if len(s.s)-len(suf) >= 6 && strings.HasSuffix(s.s, suf) {
				dst = append(dst, form{s.s[:len(s.s)-len(suf)], s.pre})
			}
		}
	}
	return dst
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
// per mode: the phrase sets scan the same tokens many times. It is scratch
// of one Process call (see scratch): reset per field, reused across calls.
type formCache struct {
	by   [3][]formRef // by mode, by token: where its readings are in pool
	pool []form       // the readings of every token read so far
}

// formRef locates a token's readings in formCache.pool; n is 0 until they
// are computed (a token has at least one reading, its key). int32 halves
// the table; a field would need 2^31 readings (tens of GB) to overflow it.
type formRef struct {
	off, n int32
}

// reset prepares the cache for a field of n tokens.
func (fc *formCache) reset(n int) {
	for m := range fc.by {
		if cap(fc.by[m]) < n {
			fc.by[m] = make([]formRef, n)
			continue
		}
		fc.by[m] = fc.by[m][:n]
		clear(fc.by[m])
	}
	clear(fc.pool) // drop the keys of the previous field
	fc.pool = fc.pool[:0]
	// about two readings per token are taken: one allocation for a new
	// cache rather than a series of doublings
	if cap(fc.pool) < 2*n {
		fc.pool = make([]form, 0, 2*n+64)
	}
}

// get returns the readings of token i under ps's mode. A nil cache (or a
// token beyond it) computes them without keeping them. The slice is valid
// until the next reset, even when later readings move the pool.
func (fc *formCache) get(ps *phraseSet, toks []pipeline.Token, i int) []form {
	if fc == nil || i >= len(fc.by[ps.mode]) {
		return ps.appendForms(nil, toks[i].Key)
	}
	ref := &fc.by[ps.mode][i]
	if ref.n == 0 {
		off := len(fc.pool)
		fc.pool = ps.appendForms(fc.pool, toks[i].Key)
		ref.off, ref.n = int32(off), int32(len(fc.pool)-off)
	}
	end := ref.off + ref.n
	return fc.pool[ref.off:end:end]
}
