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
// end the token index after the phrase. Readings are substrings of the key,
// but for لل read as ال, which is built on the stack; each goes through the
// index's filter before the map. The clitics are tested as byte pairs: the
// Arabic letters (U+0621-U+064A) are two bytes, led by 0xD8 or 0xD9. A key
// whose ending no first key has (TailFilter) is refused before any reading.
func (ix *Index[C, V]) Match(toks []pipeline.Token, i int, found func(e *Entry[C, V], end, pre int)) {
	t := &toks[i]
	k := t.Key
	if ix.useTails && !ix.tails.MayStart(k) {
		return
	}
	ix.try(toks, i, k, 0, found)
	if t.Kind != pipeline.Word {
		return
	}
	if len(k) < 2 || k[0] != 0xD8 && k[0] != 0xD9 || k[1]&0xC0 != 0x80 {
		return // not an Arabic letter first
	}
	if r0 := rune(k[0]&0x1F)<<6 | rune(k[1]&0x3F); !normalize.IsArabicLetter(r0) {
		return
	}
	// only "fewer than 3" and "fewer than 3 after one clitic" matter: count
	// up to 4
	n := runesUpTo(k, 4)
	if n < 3 {
		return
	}
	// the readings start after nothing, or after و / ف (byte offset, runes)
	type start struct{ off, runes int }
	starts := [2]start{{0, 0}}
	ns := 1
	if k[:2] == "و" || k[:2] == "ف" {
		starts[1] = start{2, 1}
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
		// three runes are left, the first two bytes a whole rune when
		// they are one of these letters
		switch rest[:2] {
		case "ب":
			ix.try(toks, i, rest[2:], st.runes+1, found)
		case "ل":
			ix.try(toks, i, rest[2:], st.runes+1, found)
			if len(rest) >= 4 && rest[2:4] == "ل" {
				ix.tryAlef(toks, i, rest[2:], found)
			}
		}
	}
}

// runesUpTo returns the number of runes in s, as a range loop counts them,
// or max when s has more. Two-byte sequences are read inline.
func runesUpTo(s string, max int) int {
	n := 0
	for i := 0; i < len(s) && n < max; n++ {
		c := s[i]
		switch {
		case c < utf8.RuneSelf:
			i++
		case c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
			i += 2
		default:
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		}
	}
	return n
}

// try calls found for the entries whose first key is key and whose other
// keys follow token i.
func (ix *Index[C, V]) try(toks []pipeline.Token, i int, key string, pre int, found func(e *Entry[C, V], end, pre int)) {
	if !ix.filter.Has(key) {
		return
	}
	for _, e := range ix.byFirst[key] {
		if end, ok := follow(toks, i, e.Keys); ok {
			found(e, end, pre)
		}
	}
}

// tryAlef is try for the key "ا"+rest (لل read as ل + ال, pre -1), built in
// a buffer on the stack: the map lookup of string(b) does not allocate.
func (ix *Index[C, V]) tryAlef(toks []pipeline.Token, i int, rest string, found func(e *Entry[C, V], end, pre int)) {
	var buf [64]byte
	b := append(append(buf[:0], "ا"...), rest...)
	if !ix.filter.HasBytes(b) {
		return
	}
	for _, e := range ix.byFirst[string(b)] {
		if end, ok := follow(toks, i, e.Keys); ok {
			found(e, end, -1)
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
