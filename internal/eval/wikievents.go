package eval

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/hadath/hadath/pipeline"
)

// WikiEvents classes: the KAIROS types scored, by prefix, and the hadath
// event types whose mentions may match them. People killed or injured in
// an attack are that attack's quantities (the casualties mention is in the
// attack's evidence), so death and injury triggers also match mentions of
// attack events.
var WikiClasses = []WikiClass{
	{Name: "attack", Prefix: "Conflict.Attack.", Ours: []string{"attack"}},
	{Name: "death", Prefix: "Life.Die.", Ours: []string{"casualties", "attack"}},
	{Name: "injury", Prefix: "Life.Injure.", Ours: []string{"casualties", "attack"}},
	{Name: "arrest", Prefix: "Justice.ArrestJailDetain.", Ours: []string{"arrest"}},
}

// WikiClass maps KAIROS event types to ours.
type WikiClass struct {
	Name   string   `json:"name"`
	Prefix string   `json:"kairos_prefix"`
	Ours   []string `json:"ours"`
}

// WikiDoc is a WikiEvents document: sentences of tokens with character
// offsets, and event mentions whose triggers are token ranges.
type WikiDoc struct {
	ID string `json:"doc_id"`
	// RawSentences are [[[token, start, end], ...], text] pairs.
	RawSentences [][2]json.RawMessage `json:"sentences"`
	Events       []struct {
		Type    string `json:"event_type"`
		Trigger struct {
			Start int    `json:"start"`
			End   int    `json:"end"`
			Text  string `json:"text"`
		} `json:"trigger"`
	} `json:"event_mentions"`
}

// wikiText rebuilds a document's text, one sentence a line, and the
// code-point span of every token in it.
func wikiText(d *WikiDoc) (string, [][2]int, error) {
	var b strings.Builder
	var spans [][2]int
	pos := 0
	for si, s := range d.RawSentences {
		var toks [][3]json.RawMessage
		if err := json.Unmarshal(s[0], &toks); err != nil {
			return "", nil, fmt.Errorf("sentence %d: %w", si, err)
		}
		var text string
		if err := json.Unmarshal(s[1], &text); err != nil {
			return "", nil, fmt.Errorf("sentence %d: %w", si, err)
		}
		rs := []rune(text)
		base := -1
		for _, t := range toks {
			var st, en int
			if json.Unmarshal(t[1], &st) != nil || json.Unmarshal(t[2], &en) != nil {
				return "", nil, fmt.Errorf("sentence %d: bad token", si)
			}
			if base < 0 {
				base = st
			}
			a, z := st-base, en-base
			if a < 0 || z > len(rs) || a > z {
				return "", nil, fmt.Errorf("sentence %d: token [%d,%d) outside the sentence", si, st, en)
			}
			spans = append(spans, [2]int{pos + a, pos + z})
		}
		b.WriteString(text)
		b.WriteString("\n")
		pos += len(rs) + 1
	}
	return b.String(), spans, nil
}

// ReadWikiEvents reads WikiEvents JSON Lines.
func ReadWikiEvents(r io.Reader, name string) ([]WikiDoc, error) {
	return readJSONLines[WikiDoc](r, name, json.Unmarshal, nil)
}

// WikiClassScore is trigger P/R/F1 of one class.
type WikiClassScore struct {
	WikiClass
	PRF
	// Misses and FalseAlarms are trigger texts, for tuning.
	Misses      map[string]int `json:"misses,omitempty"`
	FalseAlarms map[string]int `json:"false_alarms,omitempty"`
}

// WikiReport is the result of `eval wikievents`.
type WikiReport struct {
	File    string           `json:"file"`
	Docs    int              `json:"docs"`
	Classes []WikiClassScore `json:"classes"`
	// Micro is over the classes: a predicted mention counts once, for the
	// first class whose gold trigger it matches.
	Micro   PRF     `json:"micro"`
	Seconds float64 `json:"seconds"`
}

type wikiMention struct {
	typ        string // our type
	start, end int
}

// WikiEvents runs the documents through the pipeline and scores trigger
// mentions (every entry of each event's evidence) against the gold
// triggers of the mapped KAIROS types. A predicted mention matches a gold
// trigger of its class when their spans overlap; one-to-one.
func WikiEvents(ctx context.Context, file string, wds []WikiDoc, o Options) (*WikiReport, error) {
	if o.Limit > 0 && len(wds) > o.Limit {
		wds = wds[:o.Limit]
	}
	docs := make([]*pipeline.Document, len(wds))
	spans := make([][][2]int, len(wds))
	for i := range wds {
		text, sp, err := wikiText(&wds[i])
		if err != nil {
			return nil, fmt.Errorf("%s: %w", wds[i].ID, err)
		}
		spans[i] = sp
		if docs[i], err = NewDoc(wds[i].ID, text, ""); err != nil {
			return nil, err
		}
	}
	t0 := time.Now()
	if _, err := RunDocs(ctx, o.Pipeline, docs, o.Workers); err != nil {
		return nil, err
	}
	rep := ScoreWiki(wds, spans, docs)
	rep.File = file
	rep.Seconds = time.Since(t0).Seconds()
	return rep, nil
}

// ScoreWiki scores processed documents against their gold triggers.
func ScoreWiki(wds []WikiDoc, spans [][][2]int, docs []*pipeline.Document) *WikiReport {
	rep := &WikiReport{Docs: len(wds)}
	var tp, gold, pred int
	cls := make([]WikiClassScore, len(WikiClasses))
	ctp := make([]int, len(cls))
	cgold := make([]int, len(cls))
	cpred := make([]int, len(cls))
	for i := range cls {
		cls[i] = WikiClassScore{WikiClass: WikiClasses[i], Misses: map[string]int{}, FalseAlarms: map[string]int{}}
	}
	classOf := func(kairos string) int {
		for i, c := range WikiClasses {
			if strings.HasPrefix(kairos, c.Prefix) {
				return i
			}
		}
		return -1
	}
	for di, d := range wds {
		type gm struct {
			class, start, end int
			text              string
		}
		var golds []gm
		for _, e := range d.Events {
			c := classOf(e.Type)
			if c < 0 || e.Trigger.Start < 0 || e.Trigger.End > len(spans[di]) || e.Trigger.Start >= e.Trigger.End {
				continue
			}
			golds = append(golds, gm{c, spans[di][e.Trigger.Start][0], spans[di][e.Trigger.End-1][1], e.Trigger.Text})
		}
		var preds []wikiMention
		for _, ev := range docs[di].Events {
			if len(ev.Evidence) == 0 {
				preds = append(preds, wikiMention{ev.Type, ev.Trigger.Start, ev.Trigger.End})
			}
			for _, m := range ev.Evidence {
				preds = append(preds, wikiMention{ev.Type, m.Start, m.End})
			}
		}
		text := []rune(docs[di].Text)
		usedP := make([]bool, len(preds))
		usedG := make([]bool, len(golds))
		// one-to-one, gold in order, first overlapping prediction of a
		// type the class accepts
		for gi, g := range golds {
			cgold[g.class]++
			gold++
			for pi, p := range preds {
				if usedP[pi] || !(p.start < g.end && g.start < p.end) || !accepts(WikiClasses[g.class], p.typ) {
					continue
				}
				usedP[pi], usedG[gi] = true, true
				ctp[g.class]++
				cpred[g.class]++
				tp++
				break
			}
			if !usedG[gi] {
				cls[g.class].Misses[strings.ToLower(g.text)]++
			}
		}
		// unmatched predictions count against the first class of their type
		for pi, p := range preds {
			if usedP[pi] {
				continue
			}
			for c, wc := range WikiClasses {
				if accepts(wc, p.typ) {
					// a mention overlapping a matched gold trigger of
					// another class is a second reading, not an error
					cpred[c]++
					pred++
					if p.start >= 0 && p.end <= len(text) {
						cls[c].FalseAlarms[strings.ToLower(string(text[p.start:p.end]))]++
					}
					break
				}
			}
		}
	}
	for i := range cls {
		cls[i].PRF = NewPRF(ctp[i], cgold[i], cpred[i])
	}
	rep.Classes = cls
	rep.Micro = NewPRF(tp, gold, tp+pred)
	return rep
}

func accepts(c WikiClass, typ string) bool {
	for _, t := range c.Ours {
		if t == typ {
			return true
		}
	}
	return false
}

// WriteWiki prints the report as text; top limits the miss and false-alarm
// lists (0: all).
func WriteWiki(w io.Writer, r *WikiReport, top int) {
	fmt.Fprintf(w, "eval wikievents %s: %d documents (pipeline %.1fs)\n\n", r.File, r.Docs, r.Seconds)
	tw := newTab(w)
	fmt.Fprintln(tw, "class\tKAIROS\tours\tgold\tpred\tmatched\tP\tR\tF1\t")
	line := func(c, k, o string, s PRF) {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\t%.1f\t\n", c, k, o, s.Gold, s.Pred, s.TP,
			pct(s.Precision, s.PrecisionUndefined), pct(s.Recall, s.RecallUndefined), 100*s.F1)
	}
	for _, c := range r.Classes {
		line(c.Name, c.Prefix+"*", strings.Join(c.Ours, ","), c.PRF)
	}
	line("micro", "", "", r.Micro)
	tw.Flush()
	for _, c := range r.Classes {
		fmt.Fprintf(w, "\n%s misses: %s\n%s false alarms: %s\n", c.Name, topCounts(c.Misses, top), c.Name, topCounts(c.FalseAlarms, top))
	}
}

func topCounts(m map[string]int, top int) string {
	keys := keysOf(m)
	sortByCount(keys, m)
	if top > 0 && len(keys) > top {
		keys = keys[:top]
	}
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func sortByCount(keys []string, m map[string]int) {
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && m[keys[j]] > m[keys[j-1]]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
}

// ReadWikiEventsFile opens and reads a WikiEvents file.
func ReadWikiEventsFile(path string) ([]WikiDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadWikiEvents(f, path)
}
