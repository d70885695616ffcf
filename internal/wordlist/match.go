package wordlist

import (
	"fmt"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

// Match calls found for every entry that starts at token i of toks, trying
// the key as is and with the proclitics و ف then ب ل removed (see
// eachReading); pre is the number of key runes removed (-1: keep the whole
// token, for لل read as ال), end the token index after the phrase. After
// Sort, the key is looked up once in the index's keyTable, which holds the
// readings of every key at which a phrase can start; before, each reading
// is looked up in the map.
func (ix *Index[C, V]) Match(toks []pipeline.Token, i int, found func(e *Entry[C, V], end, pre int)) {
	t := &toks[i]
	if ix.keys.slots == nil {
		ix.matchReadings(toks, i, found)
		return
	}
	cs := ix.keys.lookup(t.Key)
	word := t.Kind == pipeline.Word
	for k := range cs {
		c := &cs[k]
		if c.pre != 0 && !word {
			break // the key itself is read first, alone when not a word
		}
		if end, ok := follow(toks, i, c.e.Keys); ok {
			found(c.e, end, int(c.pre))
		}
	}
}

// matchReadings is Match without the keyTable: every reading of the key is
// looked up in the map.
func (ix *Index[C, V]) matchReadings(toks []pipeline.Token, i int, found func(e *Entry[C, V], end, pre int)) {
	t := &toks[i]
	eachReading(t.Key, t.Kind == pipeline.Word, func(key string, pre int) {
		for _, e := range ix.byFirst[key] {
			if end, ok := follow(toks, i, e.Keys); ok {
				found(e, end, pre)
			}
		}
	})
}

// eachReading calls try with every reading of the key k of a token that
// Match looks up, in order, with the number of key runes removed (pre): k
// itself, then, for a word (k of three runes or more, an Arabic letter
// first), k with و or ف removed, then with ب or ل removed after nothing or
// after و ف, and for لل the reading ال (pre -1, the alef added). The
// clitics are tested as byte pairs: the Arabic letters (U+0621-U+064A) are
// two bytes, led by 0xD8 or 0xD9.
func eachReading(k string, word bool, try func(key string, pre int)) {
	try(k, 0)
	if !word {
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
			try(rest, st.runes)
		}
		if left < 3 {
			continue
		}
		// three runes are left, the first two bytes a whole rune when
		// they are one of these letters
		switch rest[:2] {
		case "ب":
			try(rest[2:], st.runes+1)
		case "ل":
			try(rest[2:], st.runes+1)
			if len(rest) >= 4 && rest[2:4] == "ل" {
				try("ا"+rest[2:], -1)
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
