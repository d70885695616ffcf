package eval

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"unicode/utf8"
)

// Token is one gold token with its code-point span in the rebuilt sentence
// text.
type Token struct {
	Text       string
	Start, End int
}

// Sentence is one gold sentence rebuilt as text: its tokens joined by single
// spaces.
type Sentence struct {
	// Line is the 1-based line number of the sentence's first token.
	Line   int
	Tokens []Token
	Text   string
	// Gold are the labelled spans with their raw labels (e.g. LOC, GPE), in
	// token indices [Start, End).
	Gold []Span
}

// Span is a labelled range of units (tokens) [Start, End).
type Span struct {
	Label      string
	Start, End int
}

// ReadCoNLLFile reads a CoNLL/BIO file; see ReadCoNLL.
func ReadCoNLLFile(path string) ([]Sentence, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadCoNLL(f, path)
}

// ReadCoNLL reads `token TAG [TAG...]` lines, a blank line between
// sentences. Tags are O, B-X, I-X (IOB2; an I-X that continues nothing
// starts a span), and also S-X/U-X (single) and E-X/L-X (last). A token may
// carry several tags for nested spans; spans of the same label nest by
// order: a token's k-th I-X continues the k-th open X span (outermost
// first). Lines starting with -DOCSTART- are skipped.
func ReadCoNLL(r io.Reader, name string) ([]Sentence, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	var out []Sentence
	var cur sentenceBuilder
	line := 0
	flush := func() {
		if len(cur.tokens) > 0 {
			out = append(out, cur.finish())
		}
		cur = sentenceBuilder{}
	}
	for sc.Scan() {
		line++
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			flush()
			continue
		}
		if strings.HasPrefix(fields[0], "-DOCSTART-") {
			flush()
			continue
		}
		if cur.line == 0 {
			cur.line = line
		}
		if err := cur.add(fields[0], fields[1:]); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	flush()
	return out, nil
}

type openSpan struct {
	label string
	start int
}

type sentenceBuilder struct {
	line   int
	tokens []Token
	text   strings.Builder
	pos    int
	open   map[string][]int // label -> start tokens of open spans, outermost first
	spans  []Span
}

func (b *sentenceBuilder) add(tok string, tags []string) error {
	i := len(b.tokens)
	if i > 0 {
		b.text.WriteByte(' ')
		b.pos++
	}
	n := utf8.RuneCountInString(tok)
	b.tokens = append(b.tokens, Token{Text: tok, Start: b.pos, End: b.pos + n})
	b.text.WriteString(tok)
	b.pos += n
	if b.open == nil {
		b.open = map[string][]int{}
	}
	type cnt struct{ begin, cont, single, last int }
	counts := map[string]*cnt{}
	var labels []string
	for _, t := range tags {
		if t == "O" || t == "o" || t == "_" {
			continue
		}
		p, label, ok := strings.Cut(t, "-")
		if !ok || label == "" || len(p) != 1 {
			return fmt.Errorf("bad tag %q (want O, B-X, I-X, E-X, S-X)", t)
		}
		c := counts[label]
		if c == nil {
			c = &cnt{}
			counts[label] = c
			labels = append(labels, label)
		}
		switch p {
		case "B", "b":
			c.begin++
		case "I", "i":
			c.cont++
		case "E", "e", "L", "l":
			c.last++
		case "S", "s", "U", "u":
			c.single++
		default:
			return fmt.Errorf("bad tag %q (want O, B-X, I-X, E-X, S-X)", t)
		}
	}
	// close the open spans that this token does not continue
	for label, starts := range b.open {
		c := counts[label]
		keep := 0
		if c != nil {
			keep = c.cont + c.last
		}
		if keep > len(starts) {
			keep = len(starts)
		}
		for _, s := range starts[keep:] {
			b.spans = append(b.spans, Span{Label: label, Start: s, End: i})
		}
		if keep == 0 {
			delete(b.open, label)
		} else {
			b.open[label] = starts[:keep]
		}
	}
	for _, label := range labels {
		c := counts[label]
		starts := b.open[label]
		// I-X with nothing to continue starts a span (IOB1 style)
		for extra := c.cont + c.last - len(starts); extra > 0; extra-- {
			starts = append(starts, i)
		}
		// E-X closes the innermost c.last continued spans after this token
		for k := 0; k < c.last && len(starts) > 0; k++ {
			s := starts[len(starts)-1]
			starts = starts[:len(starts)-1]
			b.spans = append(b.spans, Span{Label: label, Start: s, End: i + 1})
		}
		for k := 0; k < c.begin; k++ {
			starts = append(starts, i)
		}
		for k := 0; k < c.single; k++ {
			b.spans = append(b.spans, Span{Label: label, Start: i, End: i + 1})
		}
		if len(starts) == 0 {
			delete(b.open, label)
		} else {
			b.open[label] = starts
		}
	}
	return nil
}

func (b *sentenceBuilder) finish() Sentence {
	n := len(b.tokens)
	for label, starts := range b.open {
		for _, s := range starts {
			b.spans = append(b.spans, Span{Label: label, Start: s, End: n})
		}
	}
	sortSpans(b.spans)
	return Sentence{Line: b.line, Tokens: b.tokens, Text: b.text.String(), Gold: dedupSpans(b.spans)}
}

func sortSpans(s []Span) {
	sort.Slice(s, func(i, j int) bool {
		a, b := s[i], s[j]
		if a.Start != b.Start {
			return a.Start < b.Start
		}
		if a.End != b.End {
			return a.End > b.End
		}
		return a.Label < b.Label
	})
}

func dedupSpans(s []Span) []Span {
	out := s[:0]
	for i, x := range s {
		if i > 0 && x == s[i-1] {
			continue
		}
		out = append(out, x)
	}
	return out
}

// TokensText returns the text of tokens [start, end) joined by spaces.
func TokensText(toks []Token, start, end int) string {
	var b strings.Builder
	for i := start; i < end && i < len(toks); i++ {
		if i > start {
			b.WriteByte(' ')
		}
		b.WriteString(toks[i].Text)
	}
	return b.String()
}

// WhitespaceTokens splits text at white space, with code-point spans.
func WhitespaceTokens(text string) []Token {
	var out []Token
	pos, start := 0, -1
	var cur strings.Builder
	for _, r := range text {
		if isSpace(r) {
			if start >= 0 {
				out = append(out, Token{Text: cur.String(), Start: start, End: pos})
				cur.Reset()
				start = -1
			}
		} else {
			if start < 0 {
				start = pos
			}
			cur.WriteRune(r)
		}
		pos++
	}
	if start >= 0 {
		out = append(out, Token{Text: cur.String(), Start: start, End: pos})
	}
	return out
}

func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
		return true
	}
	return r >= 0x2000 && r <= 0x200A
}

// Align maps a code-point span to the tokens it overlaps, [first, last+1).
// ok is false when it overlaps none.
func Align(toks []Token, start, end int) (int, int, bool) {
	if end <= start {
		end = start + 1
	}
	first := sort.Search(len(toks), func(i int) bool { return toks[i].End > start })
	last := first
	for last < len(toks) && toks[last].Start < end {
		last++
	}
	if last == first {
		return 0, 0, false
	}
	return first, last, true
}
