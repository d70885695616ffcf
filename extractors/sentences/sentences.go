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

// Process implements pipeline.Stage.
func (s *Stage) Process(doc *pipeline.Document) error {
	for _, f := range doc.Fields {
		f.Sentences = s.Split(f)
	}
	if doc.Lang == "" && len(doc.Fields) > 0 {
		doc.Lang = Lang(doc.Fields[0].Runes)
	}
	return nil
}

// Split returns the sentences of f and sets each token's Sentence.
func (s *Stage) Split(f *pipeline.Field) []pipeline.Sentence {
	toks := f.Tokens
	var out []pipeline.Sentence
	begin := 0
	flush := func(end int) {
		if end <= begin {
			return
		}
		st := pipeline.Sentence{Start: toks[begin].Start, End: toks[end-1].End, TokStart: begin, TokEnd: end}
		st.Lang = Lang(f.Runes[st.Start:st.End])
		idx := len(out)
		for k := begin; k < end; k++ {
			toks[k].Sentence = idx
		}
		out = append(out, st)
		begin = end
	}
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		// a line break between tokens ends the sentence
		if i > begin && hasBreak(f.Runes, toks[i-1].End, t.Start) {
			flush(i)
		}
		if t.Kind != pipeline.Punct {
			continue
		}
		r := f.Runes[t.Start]
		if !isEnd(r) {
			continue
		}
		if r == '.' && i > 0 && toks[i-1].End == t.Start && toks[i-1].Kind == pipeline.Word {
			prev := toks[i-1].Key
			if utf8.RuneCountInString(prev) == 1 || len(prev) <= s.maxAbbrev && s.abbrev[prev] {
				// "Dec." "د." "J." : not an end unless a line break follows
				continue
			}
		}
		j := i + 1
		for j < len(toks) && toks[j].Kind == pipeline.Punct && (isEnd(f.Runes[toks[j].Start]) || isCloser(f.Runes[toks[j].Start])) && toks[j].Start == toks[j-1].End {
			j++
		}
		flush(j)
		i = j - 1
	}
	flush(len(toks))
	return out
}

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
	ar, lat := 0, 0
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
