package wordlist

import (
	"fmt"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

// Match calls found for every entry that starts at token i of toks, trying
// the key as is and with the proclitics و ف then ب ل removed; pre is the
// number of key runes removed (-1: keep the whole token, for لل read as ال),
// end the token index after the phrase.
func (ix Index[C, V]) Match(toks []pipeline.Token, i int, found func(e *Entry[C, V], end, pre int)) {
	t := &toks[i]
	try := func(key string, pre int) {
		for _, e := range ix[key] {
			if end, ok := follow(toks, i, e.Keys); ok {
				found(e, end, pre)
			}
		}
	}
	try(t.Key, 0)
	r := []rune(t.Key)
	if t.Kind != pipeline.Word || len(r) < 3 || !normalize.IsArabicLetter(r[0]) {
		return
	}
	starts := []int{0}
	if r[0] == 'و' || r[0] == 'ف' {
		starts = append(starts, 1)
	}
	for _, st := range starts {
		rest := r[st:]
		if st > 0 && len(rest) >= 2 {
			try(string(rest), st)
		}
		if len(rest) >= 3 && (rest[0] == 'ب' || rest[0] == 'ل') {
			try(string(rest[1:]), st+1)
			if rest[0] == 'ل' && rest[1] == 'ل' {
				try("ا"+string(rest[1:]), -1)
			}
		}
	}
}

// follow checks the keys after the first against the tokens after i.
func follow(toks []pipeline.Token, i int, keys []string) (int, bool) {
	j := i + 1
	for _, k := range keys[1:] {
		if j >= len(toks) {
			return 0, false
		}
		t := &toks[j]
		if t.Kind == pipeline.Punct || !t.Joined || t.Key != k {
			return 0, false
		}
		j++
	}
	return j, true
}

// Process runs fn on every field of doc, filling f.Runes first, and turns
// a panic into the error "<stage>: internal error: ...".
func Process(stage string, doc *pipeline.Document, fn func(f *pipeline.Field)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error: %v", stage, r)
		}
	}()
	for _, f := range doc.Fields {
		if f == nil {
			continue
		}
		if f.Runes == nil {
			f.Runes = []rune(f.Text)
		}
		fn(f)
	}
	return nil
}

// ValidToken reports whether toks[i] has sane offsets in f.
func ValidToken(f *pipeline.Field, toks []pipeline.Token, i int) bool {
	t := &toks[i]
	return t.Start >= 0 && t.End <= len(f.Runes) && t.Start < t.End
}

// Span returns the rune offsets in f of the tokens [ts, te) of toks, leaving
// out the pre key runes of a proclitic on the first token; ok is false when
// the offsets are not sane.
func Span(f *pipeline.Field, toks []pipeline.Token, ts, te, pre int) (start, end int, ok bool) {
	t := &toks[ts]
	start = t.Start
	if pre > 0 && pre < len(t.KeyMap) {
		if st := t.KeyMap[pre]; st > start && st < t.End {
			start = st
		}
	}
	end = toks[te-1].End
	if start >= end || end > len(f.Runes) {
		return 0, 0, false
	}
	return start, end, true
}
