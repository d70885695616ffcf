package eval

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hadath/hadath/pipeline"
)

// Options are the settings shared by the eval tasks.
type Options struct {
	Pipeline *pipeline.Pipeline
	// Workers for the pipeline; 0 means all CPUs.
	Workers int
	// Limit is the number of sentences (or documents) to read; 0: all.
	Limit int
	// Top is the length of the miss and false-alarm lists; 0: all.
	Top int
	// Mapping maps gold labels to scored types (ner, and dates in CoNLL).
	Mapping Mapping
	// DateTypes are the DateMention types scored as DATE (dates task).
	DateTypes []string
	// Notes are copied into the report (e.g. from BuildPipeline).
	Notes []string
}

// DefaultDateTypes are the DateMention types scored against gold DATE
// spans: Wojood's DATE includes durations ("ثلاثة أيام"); TIME is a separate
// Wojood label, so our "time" mentions are not scored.
var DefaultDateTypes = []string{"date", "duration"}

// Report is the result of an eval run, printed as a table or JSON and saved
// with --save.
type Report struct {
	Task string `json:"task"`
	File string `json:"file"`
	// Unit is what a case is: sentence or document.
	Unit   string `json:"unit"`
	Units  int    `json:"units"`
	Tokens int    `json:"tokens"`
	// Failed counts documents the pipeline failed on.
	Failed    int        `json:"failed"`
	Labels    []LabelMap `json:"labels,omitempty"`
	DateTypes []string   `json:"date_types,omitempty"`
	Notes     []string   `json:"notes,omitempty"`
	Scores
	Events *EventScores `json:"events,omitempty"`
	// Seconds is the pipeline time; not saved, for the terminal only.
	Seconds float64 `json:"-"`

	// Saved runs (--save) also keep every mention and the texts of the
	// units they are in, for eval diff.
	Records   []Record   `json:"records,omitempty"`
	UnitTexts []UnitText `json:"unit_texts,omitempty"`

	cases []Case
}

// UnitText is the text of a sentence or document of a saved run.
type UnitText struct {
	Unit int    `json:"unit"`
	ID   string `json:"id"`
	Text string `json:"text"`
}

// WithRecords fills Records and UnitTexts for saving.
func (r *Report) WithRecords() *Report {
	out := *r
	out.Records = r.Scores.Records
	if r.Events != nil {
		out.Records = r.Events.records
	}
	seen := map[int]bool{}
	for _, rec := range out.Records {
		if !seen[rec.Unit] && rec.Unit < len(r.cases) {
			seen[rec.Unit] = true
			out.UnitTexts = append(out.UnitTexts, UnitText{Unit: rec.Unit, ID: r.cases[rec.Unit].ID, Text: r.cases[rec.Unit].Text})
		}
	}
	sort.Slice(out.UnitTexts, func(i, j int) bool { return out.UnitTexts[i].Unit < out.UnitTexts[j].Unit })
	return &out
}

func (r *Report) trim(top int) {
	if top <= 0 {
		return
	}
	if len(r.Misses) > top {
		r.Misses = r.Misses[:top]
	}
	if len(r.FalseAlarms) > top {
		r.FalseAlarms = r.FalseAlarms[:top]
	}
	if r.Values != nil && len(r.Values.Errors) > top {
		r.Values.Errors = r.Values.Errors[:top]
	}
}

func (r *Report) addUndefinedNotes() {
	if r.Micro.Exact.PrecisionUndefined {
		r.Notes = append(r.Notes, "no predictions: precision is undefined and reported as 0")
	}
	if r.Micro.Exact.RecallUndefined {
		r.Notes = append(r.Notes, "no gold mentions: recall is undefined and reported as 0")
	}
}

// NER scores the pipeline's places and organizations against CoNLL gold.
func NER(ctx context.Context, file string, sents []Sentence, o Options) (*Report, error) {
	if o.Limit > 0 && len(sents) > o.Limit {
		sents = sents[:o.Limit]
	}
	cases, toks := SentenceCases(file, sents, o.Mapping)
	r := &Report{Task: "ner", File: file, Unit: "sentence", Units: len(sents), Tokens: toks,
		Labels: o.Mapping.Pairs(), Notes: append([]string(nil), o.Notes...)}
	if err := predict(ctx, r, cases, "", o, entityMentions); err != nil {
		return nil, err
	}
	r.Scores = *Score(cases, o.Mapping.Types(), false)
	r.cases = cases
	r.addUndefinedNotes()
	r.trim(o.Top)
	return r, nil
}

// SentenceCases makes one case per sentence with its mapped gold; it also
// returns the number of tokens.
func SentenceCases(file string, sents []Sentence, m Mapping) ([]Case, int) {
	cases := make([]Case, len(sents))
	toks := 0
	for i, s := range sents {
		cases[i] = Case{ID: fmt.Sprintf("%s:%d", filepath.Base(file), s.Line), Text: s.Text, Tokens: s.Tokens,
			Gold: m.Apply(s.Gold, s.Tokens)}
		toks += len(s.Tokens)
	}
	return cases, toks
}

// EntityMentions appends the entities of a processed document to c.Pred,
// aligned to c's tokens: a span covers every token it overlaps, so "حلب"
// found inside "بحلب" is that token.
func EntityMentions(d *pipeline.Document, c *Case) { entityMentions(d, c) }

// entityMentions turns a processed document's entities into mentions
// aligned to the case's tokens.
func entityMentions(d *pipeline.Document, c *Case) {
	f := d.Fields[0]
	for _, e := range f.Entities {
		s, t, ok := Align(c.Tokens, e.Start, e.End)
		if !ok {
			continue
		}
		c.Pred = append(c.Pred, Mention{Type: e.Type, Start: s, End: t, Text: e.Text, ID: e.ID})
	}
}

func dateMentions(types map[string]bool) func(d *pipeline.Document, c *Case) {
	return func(d *pipeline.Document, c *Case) {
		f := d.Fields[0]
		for _, m := range f.Dates {
			if !types[m.Type] {
				continue
			}
			s, t, ok := Align(c.Tokens, m.Start, m.End)
			if !ok {
				continue
			}
			c.Pred = append(c.Pred, Mention{Type: "date", Start: s, End: t, Text: m.Text, Value: m.Value})
		}
	}
}

// predict runs one document per case through the pipeline and collects
// its mentions with collect.
func predict(ctx context.Context, r *Report, cases []Case, docDate string, o Options, collect func(*pipeline.Document, *Case)) error {
	return predictDocs(ctx, r, cases, func(int) string { return docDate }, o, func(_ int, d *pipeline.Document, c *Case) { collect(d, c) })
}

// predictDocs is predict with a document date per case; collect gets the
// case index.
func predictDocs(ctx context.Context, r *Report, cases []Case, docDate func(int) string, o Options, collect func(int, *pipeline.Document, *Case)) error {
	if o.Pipeline == nil {
		return fmt.Errorf("eval: no pipeline")
	}
	docs := make([]*pipeline.Document, len(cases))
	for i := range cases {
		d, err := NewDoc(cases[i].ID, cases[i].Text, docDate(i))
		if err != nil {
			return fmt.Errorf("%s: %w", cases[i].ID, err)
		}
		docs[i] = d
	}
	t0 := time.Now()
	failed, err := RunDocs(ctx, o.Pipeline, docs, o.Workers)
	if err != nil {
		return err
	}
	r.Seconds = time.Since(t0).Seconds()
	r.Failed = failed
	if failed > 0 {
		r.Notes = append(r.Notes, fmt.Sprintf("the pipeline failed on %d %ss (their predictions are partial)", failed, r.Unit))
	}
	for i, d := range docs {
		if len(d.Fields) > 0 {
			collect(i, d, &cases[i])
		}
	}
	return nil
}

// DatesCoNLL scores date detection against the DATE spans (o.Mapping) of a
// CoNLL file. Gold has no values, so only spans are scored.
func DatesCoNLL(ctx context.Context, file string, sents []Sentence, o Options) (*Report, error) {
	if o.Limit > 0 && len(sents) > o.Limit {
		sents = sents[:o.Limit]
	}
	cases, toks := SentenceCases(file, sents, o.Mapping)
	types := dateTypes(o)
	r := &Report{Task: "dates", File: file, Unit: "sentence", Units: len(sents), Tokens: toks,
		Labels: o.Mapping.Pairs(), DateTypes: sortedKeys(types), Notes: append([]string(nil), o.Notes...)}
	if err := predict(ctx, r, cases, "", o, dateMentions(types)); err != nil {
		return nil, err
	}
	r.Scores = *Score(cases, []string{"date"}, false)
	r.cases = cases
	r.addUndefinedNotes()
	r.trim(o.Top)
	return r, nil
}

func dateTypes(o Options) map[string]bool {
	list := o.DateTypes
	if len(list) == 0 {
		list = DefaultDateTypes
	}
	m := map[string]bool{}
	for _, t := range list {
		m[t] = true
	}
	return m
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DateDoc is one line of the JSON Lines date gold.
type DateDoc struct {
	ID      string     `json:"id,omitempty"`
	Text    string     `json:"text"`
	DocDate string     `json:"doc_date,omitempty"`
	Dates   []GoldDate `json:"dates"`
	line    int
}

// GoldDate is a gold date: code-point offsets into text and its value.
type GoldDate struct {
	Start int    `json:"start"`
	End   int    `json:"end"`
	Value string `json:"value,omitempty"`
}

// ReadDateDocs reads the JSON Lines date gold.
func ReadDateDocs(r io.Reader, name string) ([]DateDoc, error) {
	return readJSONLines(r, name, strictJSON, func(d *DateDoc, line int) error {
		d.line = line
		if d.DocDate != "" {
			if _, err := parseDate(d.DocDate); err != nil {
				return fmt.Errorf("%s:%d: doc_date: %w", name, line, err)
			}
		}
		n := utf8.RuneCountInString(d.Text)
		for k, g := range d.Dates {
			if g.Start < 0 || g.End > n || g.Start >= g.End {
				return fmt.Errorf("%s:%d: dates[%d]: span [%d,%d) outside the text (%d code points)", name, line, k, g.Start, g.End, n)
			}
		}
		return nil
	})
}

// DateCases makes one case per document of the JSON Lines date gold, its
// spans aligned to white-space tokens; it also returns the number of tokens.
func DateCases(file string, docs []DateDoc) ([]Case, int, error) {
	cases := make([]Case, len(docs))
	toks := 0
	for i, d := range docs {
		id := d.ID
		if id == "" {
			id = fmt.Sprintf("%s:%d", filepath.Base(file), d.line)
		}
		tk := WhitespaceTokens(d.Text)
		c := Case{ID: id, Text: d.Text, Tokens: tk}
		runes := []rune(d.Text)
		for _, g := range d.Dates {
			s, e, ok := Align(tk, g.Start, g.End)
			if !ok {
				return nil, 0, fmt.Errorf("%s: date [%d,%d) is only white space", id, g.Start, g.End)
			}
			c.Gold = append(c.Gold, Mention{Type: "date", Start: s, End: e, Text: string(runes[g.Start:g.End]), Value: g.Value})
		}
		cases[i] = c
		toks += len(tk)
	}
	return cases, toks, nil
}

func parseDate(s string) (time.Time, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		return t, fmt.Errorf("want YYYY-MM-DD, got %q", s)
	}
	return t, nil
}

// DatesJSONL scores dates against the JSON Lines gold: spans (aligned to
// white-space tokens, like CoNLL tokens) and values on matched pairs.
func DatesJSONL(ctx context.Context, file string, docs []DateDoc, o Options) (*Report, error) {
	if o.Limit > 0 && len(docs) > o.Limit {
		docs = docs[:o.Limit]
	}
	cases, toks, err := DateCases(file, docs)
	if err != nil {
		return nil, err
	}
	types := dateTypes(o)
	r := &Report{Task: "dates", File: file, Unit: "document", Units: len(docs), Tokens: toks,
		DateTypes: sortedKeys(types), Notes: append([]string(nil), o.Notes...)}
	collect := dateMentions(types)
	if err := predictDocs(ctx, r, cases, func(i int) string { return docs[i].DocDate }, o, func(_ int, d *pipeline.Document, c *Case) { collect(d, c) }); err != nil {
		return nil, err
	}
	r.Scores = *Score(cases, []string{"date"}, true)
	r.cases = cases
	r.addUndefinedNotes()
	r.trim(o.Top)
	return r, nil
}

// IsJSONL tells whether a gold file is JSON Lines (by extension, else by its
// first non-blank byte).
func IsJSONL(path string) (bool, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".jsonl", ".ndjson", ".json":
		return true, nil
	case ".txt", ".conll", ".bio", ".iob":
		return false, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	for {
		b, err := br.ReadByte()
		if err != nil {
			return false, nil
		}
		if b == ' ' || b == '\t' || b == '\n' || b == '\r' {
			continue
		}
		return b == '{', nil
	}
}
