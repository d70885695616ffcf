package wordlist

import (
	"fmt"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

// Match calls found for every entry that starts at token i of toks, trying
// the key as is and with the proclitics و ف then ب ل removed; pre is the
// number of key runes removed (-1: keep the whole token, for لل read as ال),
// end the token index after the phrase. Readings are substrings of the key
// (no allocation but for لل).
func (ix Index[C, V]) Match(toks []pipeline.Token, i int, found func(e *Entry[C, V], end, pre int)) {
	t := &toks[i]
	ix.try(toks, i, t.Key, 0, found)
	k := t.Key
	if t.Kind != pipeline.Word {
		return
	}
	r0, size := utf8.DecodeRuneInString(k)
	if !normalize.IsArabicLetter(r0) {
		return
	}
	n := utf8.RuneCountInString(k)
	if n < 3 {
		return
	}
	// the readings start after nothing, or after و / ف (byte offset, runes)
	type start struct{ off, runes int }
	starts := [2]start{{0, 0}}
	ns := 1
	if r0 == 'و' || r0 == 'ف' {
		starts[1] = start{size, 1}
		ns = 2
	}
	for _, st := range starts[:ns] {
		rest, left := k[st.off:], n-st.runes
		if st.off > 0 && left >= 2 {
			ix.try(toks, i, rest, st.runes, found)
		}
		if left < 3 {
			continue
		}
		c, sz := utf8.DecodeRuneInString(rest)
		if c != 'ب' && c != 'ل' {
			continue
		}
		ix.try(toks, i, rest[sz:], st.runes+1, found)
		if c2, _ := utf8.DecodeRuneInString(rest[sz:]); c == 'ل' && c2 == 'ل' {
			ix.try(toks, i, "ا"+rest[sz:], -1, found)
		}
	}
}

// try calls found for the entries whose first key is key and whose other
// keys follow token i.
func (ix Index[C, V]) try(toks []pipeline.Token, i int, key string, pre int, found func(e *Entry[C, V], end, pre int)) {
	for _, e := range ix[key] {
		if end, ok := follow(toks, i, e.Keys); ok {
			found(e, end, pre)
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
