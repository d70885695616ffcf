package mining

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
)

// Header describes a run in the comments at the top of the stubs.
type Header struct {
	Docs     int
	MinCount int
	Command  string
}

// WriteYAML writes the candidates as gazetteer entries for review: ids
// TODO-<slug> (unique), type, names, and comments with the count, cues and
// examples. With the TODO ids replaced (and kinds, countries and
// coordinates added), the file loads as a gazetteer.
func WriteYAML(w io.Writer, cs []Candidate, h Header) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "# Suggested gazetteer entries: %d name(s) seen at least %d times after a cue in %d document(s)\n",
		len(cs), h.MinCount, h.Docs)
	if h.Command != "" {
		fmt.Fprintf(bw, "# %s\n", oneLine(h.Command))
	}
	bw.WriteString("# Review each one: delete what is not a name, merge spellings, replace the\n" +
		"# TODO id, add kind, country and coordinates (see docs/GAZETTEERS.md).\n")
	if len(cs) == 0 {
		bw.WriteString("entries: []\n")
		return bw.Flush()
	}
	bw.WriteString("entries:\n")
	used := map[string]int{}
	for _, c := range cs {
		slug := Slug(c.Names[0])
		if slug == "" {
			slug = c.Type
		}
		used[slug]++
		if n := used[slug]; n > 1 {
			slug += "-" + strconv.Itoa(n)
		}
		var cues []string
		for _, q := range c.Cues {
			cues = append(cues, fmt.Sprintf("%s %d", q.Word, q.Count))
		}
		fmt.Fprintf(bw, "  # %d× in %d document(s); cues: %s\n", c.Count, c.Docs, oneLine(strings.Join(cues, ", ")))
		for _, ex := range c.Examples {
			fmt.Fprintf(bw, "  #   %s\n", oneLine(ex))
		}
		fmt.Fprintf(bw, "  - id: TODO-%s\n", slug)
		fmt.Fprintf(bw, "    type: %s\n", c.Type)
		fmt.Fprintf(bw, "    names:\n      %s: [", c.Lang)
		for i, n := range c.Names {
			if i > 0 {
				bw.WriteString(", ")
			}
			bw.WriteString(quote(n))
		}
		bw.WriteString("]\n")
	}
	return bw.Flush()
}

// quote returns s as a YAML double-quoted scalar (a JSON string).
func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// oneLine keeps a comment on one line.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029 || r == 0x85 {
			return ' '
		}
		return r
	}, s)
}

// translit spells Arabic letters in ASCII for ids.
var translit = map[rune]string{
	'ا': "a", 'أ': "a", 'إ': "i", 'آ': "a", 'ٱ': "a", 'ء': "", 'ؤ': "u", 'ئ': "i",
	'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h", 'خ': "kh", 'د': "d", 'ذ': "dh",
	'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s", 'ض': "d", 'ط': "t", 'ظ': "z",
	'ع': "", 'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l", 'م': "m", 'ن': "n",
	'ه': "h", 'ة': "a", 'و': "w", 'ي': "y", 'ى': "a", 'ک': "k", 'ی': "y",
}

// Slug makes an id fragment of a name: lower-case ASCII letters and digits
// separated by hyphens, Arabic letters transliterated roughly.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		var s string
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			s = string(r)
		case translit[r] != "" || (r >= 0x0621 && r <= 0x064A):
			s = translit[r]
			if s == "" {
				continue
			}
		case r >= 0x00C0 && r < 0x0250 && unicode.IsLetter(r):
			s = string(foldLatin(r))
		default:
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteString(s)
	}
	return b.String()
}

// foldLatin maps a few accented letters to ASCII; others become 'x'.
func foldLatin(r rune) rune {
	switch {
	case strings.ContainsRune("àáâãäåā", r):
		return 'a'
	case strings.ContainsRune("èéêëē", r):
		return 'e'
	case strings.ContainsRune("ìíîïī", r):
		return 'i'
	case strings.ContainsRune("òóôõöøō", r):
		return 'o'
	case strings.ContainsRune("ùúûüū", r):
		return 'u'
	case r == 'ç':
		return 'c'
	case r == 'ñ':
		return 'n'
	}
	return 'x'
}
