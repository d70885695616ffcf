package sentences

import (
	"unicode"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

// Name is the stage name in config.yaml.
const Name = "sentences"

// Stage splits sentences.
type Stage struct {
	abbrev map[string]bool
	// maxAbbrev is the byte length of the longest abbreviation key: a
	// longer word is not looked up.
	maxAbbrev int
}

// New builds the stage with abbreviations (written without their dot).
func New(abbreviations []string) *Stage {
	s := &Stage{abbrev: map[string]bool{}}
	for _, a := range abbreviations {
		k := normalize.Key(a)
		s.abbrev[k] = true
		s.maxAbbrev = max(s.maxAbbrev, len(k))
	}
	return s
}

// Name implements pipeline.Stage.
func (s *Stage) Name() string { return Name }

func isEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '؟', '…', '۔', '।':
		return true
	}
	return false
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', '”', '’', '»', ')', ']', '}', '›', '」':
		return true
	}
	return false
}

// Process implements pipeline.Stage. The language of the document is that
// of its first field, counted while that field's sentences are.
func (s *Stage) Process(doc *pipeline.Document) error {
	for i, f := range doc.Fields {
		var c langCounter
		f.Sentences = s.split(f, &c)
		if i == 0 && doc.Lang == "" {
			if c.ok {
				doc.Lang = c.lang()
			} else {
				doc.Lang = Lang(f.Runes)
			}
		}
	}
	return nil
}

// Split returns the sentences of f and sets each token's Sentence.
func (s *Stage) Split(f *pipeline.Field) []pipeline.Sentence {
	var c langCounter
	return s.split(f, &c)
}

// langCounter adds up Lang's letter counts over a field, sentence by
// sentence and across the gaps between them, so that the field's language
// costs no second pass over its runes.
type langCounter struct {
	ar, lat int
	// pos is the end of the runes counted so far; ok is false once a
	// sentence starts before it (which the tokenizer's tokens never
	// cause) or the field is not counted to its end
	pos int
	ok  bool
}

// split is Split, which counts into c the letters of f (see langCounter).
func (s *Stage) split(f *pipeline.Field, c *langCounter) []pipeline.Sentence {
	toks, rs := f.Tokens, f.Runes
	var out []pipeline.Sentence
	begin := 0
	c.ok = true
	flush := func(end int) {
		if end <= begin {
			return
		}
		st := pipeline.Sentence{Start: toks[begin].Start, End: toks[end-1].End, TokStart: begin, TokEnd: end}
		if c.ok && st.Start >= c.pos {
			c.ar, c.lat = countLetters(rs[c.pos:st.Start], c.ar, c.lat)
			c.pos = st.Start
		} else {
			c.ok = false
		}
		ar, lat := countLetters(rs[st.Start:st.End], 0, 0)
		st.Lang = langOf(ar, lat)
		if c.ok {
			c.ar, c.lat, c.pos = c.ar+ar, c.lat+lat, st.End
		}
		idx := len(out)
		for k := begin; k < end; k++ {
			toks[k].Sentence = int32(idx)
		}
		out = append(out, st)
		begin = end
	}
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		// a line break between tokens ends the sentence
		if i > begin && hasBreak(rs, toks[i-1].End, t.Start) {
			flush(i)
		}
		if t.Kind != pipeline.Punct {
			continue
		}
		r := rs[t.Start]
		if !isEnd(r) {
			continue
		}
		if r == '.' && i > 0 && toks[i-1].End == t.Start && toks[i-1].Kind == pipeline.Word {
			prev := toks[i-1].Key
			// prev is one rune when its first rune is all of it, as
			// utf8.RuneCountInString would count
			if _, size := utf8.DecodeRuneInString(prev); size == len(prev) && size > 0 || len(prev) <= s.maxAbbrev && s.abbrev[prev] {
				// "Dec." "د." "J." : not an end unless a line break follows
				continue
			}
		}
		j := i + 1
		for j < len(toks) && toks[j].Kind == pipeline.Punct && (isEnd(rs[toks[j].Start]) || isCloser(rs[toks[j].Start])) && toks[j].Start == toks[j-1].End {
			j++
		}
		flush(j)
		i = j - 1
	}
	flush(len(toks))
	if c.ok && c.pos <= len(rs) {
		c.ar, c.lat = countLetters(rs[c.pos:], c.ar, c.lat)
		c.pos = len(rs)
	} else {
		c.ok = false
	}
	return out
}

// lang is the language of the letters counted (see Lang).
func (c *langCounter) lang() string { return langOf(c.ar, c.lat) }

func hasBreak(rs []rune, from, to int) bool {
	for k := from; k < to && k < len(rs); k++ {
		if rs[k] == '\n' || rs[k] == '\r' || rs[k] == 0x2029 {
			return true
		}
	}
	return false
}

// Lang tells the language of a text by its script: "ar" when Arabic letters
// are the majority of letters, "en" for Latin, "und" when there are none.
func Lang(rs []rune) string {
	return langOf(countLetters(rs, 0, 0))
}

// countLetters adds to ar and lat the Arabic and the Latin letters of rs.
func countLetters(rs []rune, ar, lat int) (int, int) {
	for _, r := range rs {
		if uint32(r) < uint32(len(scriptOf)) {
			c := scriptOf[r]
			ar += int(c >> 1)
			lat += int(c & 1)
			continue
		}
		switch script(r) {
		case scriptArabic:
			ar++
		case scriptLatin:
			lat++
		}
	}
	return ar, lat
}

// langOf is Lang of a text of ar Arabic and lat Latin letters.
func langOf(ar, lat int) string {
	switch {
	case ar == 0 && lat == 0:
		return "und"
	case ar >= lat:
		return "ar"
	default:
		return "en"
	}
}

// Script classes of Lang; scriptArabic and scriptLatin are the bits that
// Lang adds to its counts.
const (
	scriptNone   = 0
	scriptLatin  = 1
	scriptArabic = 2
)

// script tells whether r counts as an Arabic or a Latin letter for Lang.
func script(r rune) uint8 {
	switch {
	case r < 0x80:
		if r|0x20 >= 'a' && r|0x20 <= 'z' {
			return scriptLatin
		}
	case r >= 0x0621 && r <= 0x064A:
		if r != normalize.Tatweel {
			return scriptArabic
		}
	case normalize.IsArabicLetter(r):
		return scriptArabic
	case r < 0x250 && unicode.IsLetter(r):
		return scriptLatin
	}
	return scriptNone
}

// scriptOf is script for the runes below U+0700 (ASCII, Latin and the
// Arabic block), read by Lang without a call.
var scriptOf = func() (t [0x700]uint8) {
	for r := range t {
		t[r] = script(rune(r))
	}
	return t
}()
