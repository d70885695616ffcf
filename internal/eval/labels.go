package eval

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"unicode/utf8"
)

// LabelDoc is one line of a labels file: the gold events of a document
// without its text. The text is joined at run time from a corpus that is
// not in the repository (JoinLabels); SHA256 checks that it is the text
// that was labelled.
type LabelDoc struct {
	// ID is the document's id in the corpus (the value of the id field).
	ID string `json:"id"`
	// Line is the document's line in the corpus (1-based), informative.
	Line int `json:"line,omitempty"`
	// Split names the part of the set: "tune" (rules were tuned on it) or
	// "test" (held out).
	Split   string      `json:"split,omitempty"`
	SHA256  string      `json:"sha256"`
	DocDate string      `json:"doc_date,omitempty"`
	Events  []GoldEvent `json:"events"`
}

// JoinOptions say where the text of a labels file comes from.
type JoinOptions struct {
	// TextFrom is a JSON Lines corpus, one document an object.
	TextFrom string
	// TextField and IDField name the fields holding the text and the id
	// (default "content" and "url").
	TextField, IDField string
	// Split keeps only the documents of that split ("" or "all": all).
	Split string
}

// ErrNoText is returned (wrapped) by JoinLabels when the corpus is absent,
// e.g. in a clone without ../shared: callers skip.
var ErrNoText = errors.New("text corpus not found")

// ReadLabelDocs reads a labels file (JSON Lines of LabelDoc; unknown fields
// are errors).
func ReadLabelDocs(r io.Reader, name string) ([]LabelDoc, error) {
	seen := map[string]int{}
	return readJSONLines(r, name, strictJSON, func(d *LabelDoc, line int) error {
		if d.ID == "" {
			return fmt.Errorf("%s:%d: no id", name, line)
		}
		if prev, dup := seen[d.ID]; dup {
			return fmt.Errorf("%s:%d: id %q already used on line %d", name, line, d.ID, prev)
		}
		seen[d.ID] = line
		for k, e := range d.Events {
			if e.Type == "" {
				return fmt.Errorf("%s:%d: events[%d]: no type", name, line, k)
			}
		}
		return nil
	})
}

// JoinLabels reads a labels file and the corpus it refers to, and returns
// gold documents with their text, for Events. A document whose text is
// missing from the corpus or whose SHA-256 differs is an error: the offsets
// would be wrong. The corpus file missing altogether gives ErrNoText.
func JoinLabels(labelsPath string, o JoinOptions) ([]EventDoc, error) {
	if o.TextField == "" {
		o.TextField = "content"
	}
	if o.IDField == "" {
		o.IDField = "url"
	}
	f, err := os.Open(labelsPath)
	if err != nil {
		return nil, err
	}
	labels, err := ReadLabelDocs(f, labelsPath)
	f.Close()
	if err != nil {
		return nil, err
	}
	texts, err := readCorpus(o.TextFrom, o.IDField, o.TextField)
	if err != nil {
		return nil, err
	}
	var out []EventDoc
	for i, l := range labels {
		if o.Split != "" && o.Split != "all" && l.Split != o.Split {
			continue
		}
		pos := fmt.Sprintf("%s:%d", labelsPath, i+1)
		text, ok := texts[l.ID]
		if !ok {
			return nil, fmt.Errorf("%s: id %q not in %s", pos, l.ID, o.TextFrom)
		}
		sum := sha256.Sum256([]byte(text))
		if l.SHA256 != "" && hex.EncodeToString(sum[:]) != l.SHA256 {
			return nil, fmt.Errorf("%s: the text of %q in %s is not the labelled one (sha256 differs)", pos, l.ID, o.TextFrom)
		}
		if l.DocDate != "" {
			if _, err := parseDate(l.DocDate); err != nil {
				return nil, fmt.Errorf("%s: doc_date: %w", pos, err)
			}
		}
		n := utf8.RuneCountInString(text)
		for k, e := range l.Events {
			if ev := e.Evidence; ev != nil && (ev.Start < 0 || ev.End > n || ev.Start >= ev.End) {
				return nil, fmt.Errorf("%s: events[%d]: evidence [%d,%d) outside the text (%d code points)", pos, k, ev.Start, ev.End, n)
			}
		}
		out = append(out, EventDoc{ID: l.ID, Text: text, DocDate: l.DocDate, Events: l.Events, line: i + 1})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s: no documents (split %q)", labelsPath, o.Split)
	}
	return out, nil
}

// readCorpus reads id -> text from a JSON Lines file.
func readCorpus(path, idField, textField string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s", ErrNoText, path)
		}
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", filepath.Base(path), line, err)
		}
		id, _ := m[idField].(string)
		text, _ := m[textField].(string)
		if id != "" {
			out[id] = text
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}
