package eval

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hadath/hadath/pipeline"
)

// EventDoc is one line of the events gold (docs/EVALUATION.md).
type EventDoc struct {
	ID string `json:"id"`
	// Text is the document; or TextFile, a path relative to the gold file.
	Text     string      `json:"text,omitempty"`
	TextFile string      `json:"text_file,omitempty"`
	DocDate  string      `json:"doc_date,omitempty"`
	Events   []GoldEvent `json:"events"`
	line     int
}

// GoldEvent is one gold event.
type GoldEvent struct {
	Type string `json:"type"`
	// Status defaults to occurred.
	Status string `json:"status,omitempty"`
	// Location is a gazetteer id or the place's surface text; empty: none.
	Location string `json:"location,omitempty"`
	// Date is the event's date value (YYYY-MM-DD, YYYY-MM, ...); empty: none.
	Date       string         `json:"date,omitempty"`
	Quantities []GoldQuantity `json:"quantities,omitempty"`
	// Evidence is the text that states the event, code points into the
	// text; optional (then events match by type alone).
	Evidence *Evidence `json:"evidence,omitempty"`
}

// GoldQuantity is a number attached to a gold event.
type GoldQuantity struct {
	Role  string  `json:"role"`
	Value float64 `json:"value"`
}

// Evidence is a code-point span of the document text.
type Evidence struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// ReadEventDocsFile reads the events gold; text_file paths are read
// relative to the gold file.
func ReadEventDocsFile(path string) ([]EventDoc, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadEventDocs(f, path, filepath.Dir(path))
}

// ReadEventDocs reads the events gold from r; dir resolves text_file.
func ReadEventDocs(r io.Reader, name, dir string) ([]EventDoc, error) {
	ids := map[string]int{}
	return readJSONLines(r, name, strictJSON, func(d *EventDoc, line int) error {
		d.line = line
		pos := fmt.Sprintf("%s:%d", name, line)
		if d.ID == "" {
			d.ID = fmt.Sprintf("%s:%d", filepath.Base(name), line)
		}
		if prev, dup := ids[d.ID]; dup {
			return fmt.Errorf("%s: id %q already used on line %d", pos, d.ID, prev)
		}
		ids[d.ID] = line
		switch {
		case d.Text != "" && d.TextFile != "":
			return fmt.Errorf("%s: give text or text_file, not both", pos)
		case d.TextFile != "":
			p := d.TextFile
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			t, err := os.ReadFile(p)
			if err != nil {
				return fmt.Errorf("%s: %w", pos, err)
			}
			d.Text = string(t)
		case d.Text == "":
			return fmt.Errorf("%s: no text or text_file", pos)
		}
		if d.DocDate != "" {
			if _, err := parseDate(d.DocDate); err != nil {
				return fmt.Errorf("%s: doc_date: %w", pos, err)
			}
		}
		n := utf8.RuneCountInString(d.Text)
		for k, e := range d.Events {
			if e.Type == "" {
				return fmt.Errorf("%s: events[%d]: no type", pos, k)
			}
			if ev := e.Evidence; ev != nil && (ev.Start < 0 || ev.End > n || ev.Start >= ev.End) {
				return fmt.Errorf("%s: events[%d]: evidence [%d,%d) outside the text (%d code points)", pos, k, ev.Start, ev.End, n)
			}
		}
		return nil
	})
}

// EventDims are the event scores: P, R and F1 of matched events (by type)
// whose other attributes also agree.
type EventDims struct {
	Type         PRF `json:"type"`
	TypeStatus   PRF `json:"type_status"`
	TypeLocation PRF `json:"type_location"`
	TypeDate     PRF `json:"type_date"`
	// All agrees on type, status, location and date.
	All PRF `json:"all"`
}

// EventTypeRow is one row of the per-type table.
type EventTypeRow struct {
	Type string `json:"type"`
	EventDims
}

// Disagreement is an attribute of a matched event that differs from gold.
type Disagreement struct {
	Where     string `json:"where"`
	Type      string `json:"type"`
	Attribute string `json:"attribute"` // status, location, date, quantities
	Gold      string `json:"gold"`
	Pred      string `json:"pred"`
	Example   string `json:"example"`
}

// EventScores are the scores of eval events.
type EventScores struct {
	Overall EventDims      `json:"overall"`
	PerType []EventTypeRow `json:"per_type"`
	// Quantities are (role, value) pairs of matched events.
	Quantities PRF `json:"quantities"`
	// QuantityEvents counts matched events whose quantities agree exactly.
	QuantityEvents int `json:"quantity_events_agreeing"`
	Matched        int `json:"matched"`
	// MatchedBy counts matches by how they were found: evidence (trigger
	// inside the evidence), sentence (same sentence), document.
	MatchedBy     map[string]int `json:"matched_by"`
	Disagreements []Disagreement `json:"disagreements,omitempty"`
	records       []Record
}

type dimCount struct{ gold, pred, typ, status, loc, date, all int }

func (c dimCount) dims() EventDims {
	return EventDims{Type: NewPRF(c.typ, c.gold, c.pred), TypeStatus: NewPRF(c.status, c.gold, c.pred),
		TypeLocation: NewPRF(c.loc, c.gold, c.pred), TypeDate: NewPRF(c.date, c.gold, c.pred), All: NewPRF(c.all, c.gold, c.pred)}
}

// eventCase is a document with its gold and predicted events.
type eventCase struct {
	Case
	gold []GoldEvent
	pred []pipeline.Event
	// sentences of the processed text, to match by sentence
	sents []pipeline.Sentence
}

// Events runs the gold documents through the pipeline and scores events.
func Events(ctx context.Context, file string, docs []EventDoc, o Options) (*Report, error) {
	if o.Limit > 0 && len(docs) > o.Limit {
		docs = docs[:o.Limit]
	}
	cases := make([]Case, len(docs))
	toks := 0
	for i, d := range docs {
		cases[i] = Case{ID: d.ID, Text: d.Text}
		toks += len(WhitespaceTokens(d.Text))
	}
	r := &Report{Task: "events", File: file, Unit: "document", Units: len(docs), Tokens: toks, Notes: append([]string(nil), o.Notes...)}
	ecs := make([]eventCase, len(docs))
	err := predictDocs(ctx, r, cases, func(i int) string { return docs[i].DocDate }, o, func(i int, d *pipeline.Document, c *Case) {
		ecs[i].pred = d.Events
		ecs[i].sents = d.Fields[0].Sentences
	})
	if err != nil {
		return nil, err
	}
	for i := range ecs {
		ecs[i].Case = cases[i]
		ecs[i].gold = docs[i].Events
	}
	es := ScoreEvents(ecs)
	r.Events = es
	r.Types = nil
	for _, row := range es.PerType {
		r.Types = append(r.Types, TypeScore{Type: row.Type, Gold: row.EventDims.Type.Gold, Pred: row.EventDims.Type.Pred, Exact: row.EventDims.Type, Partial: row.All})
	}
	r.Micro = TypeScore{Type: "micro", Gold: es.Overall.Type.Gold, Pred: es.Overall.Type.Pred, Exact: es.Overall.Type, Partial: es.Overall.All}
	r.Misses, r.FalseAlarms = eventLists(ecs, es.records)
	r.cases = cases
	if r.Micro.Exact.PrecisionUndefined {
		r.Notes = append(r.Notes, "no predicted events: precision is undefined and reported as 0")
	}
	r.trim(o.Top)
	if o.Top > 0 && len(es.Disagreements) > o.Top {
		es.Disagreements = es.Disagreements[:o.Top]
	}
	return r, nil
}

// ScoreEvents matches events document by document: a predicted event may
// match a gold event of the same type, one-to-one, preferring a trigger
// inside the gold evidence (largest overlap), then a trigger in a sentence
// the evidence overlaps, then any event of the type in the document (by
// nearness); ties go to document order.
func ScoreEvents(ecs []eventCase) *EventScores {
	es := &EventScores{MatchedBy: map[string]int{}}
	var tot dimCount
	per := map[string]*dimCount{}
	row := func(t string) *dimCount {
		if per[t] == nil {
			per[t] = &dimCount{}
		}
		return per[t]
	}
	qtp, qgold, qpred := 0, 0, 0
	for ci := range ecs {
		ec := &ecs[ci]
		for _, g := range ec.gold {
			row(g.Type).gold++
			tot.gold++
		}
		for _, p := range ec.pred {
			row(p.Type).pred++
			tot.pred++
		}
		gp, how := matchEvents(ec)
		pm := make([]bool, len(ec.pred))
		for gi, g := range ec.gold {
			rec := Record{Unit: ci, Side: "gold", Type: g.Type, Text: g.Type, Match: matchNone}
			if g.Evidence != nil {
				rec.Start, rec.End = g.Evidence.Start, g.Evidence.End
				rec.Chars = [2]int{g.Evidence.Start, g.Evidence.End}
				rec.Text = sliceRunes(ec.Text, g.Evidence.Start, g.Evidence.End)
			}
			j := gp[gi]
			if j < 0 {
				es.records = append(es.records, rec)
				continue
			}
			rec.Match = matchExact
			es.records = append(es.records, rec)
			pm[j] = true
			p := ec.pred[j]
			es.Matched++
			es.MatchedBy[how[gi]]++
			n := row(g.Type)
			n.typ++
			tot.typ++
			ex := Snippet(ec.Text, p.Trigger.Start, p.Trigger.End)
			dis := func(attr, gv, pv string) {
				es.Disagreements = append(es.Disagreements, Disagreement{Where: ec.ID, Type: g.Type, Attribute: attr, Gold: orDash(gv), Pred: orDash(pv), Example: ex})
			}
			gs := g.Status
			if gs == "" {
				gs = "occurred"
			}
			okS := gs == p.Status
			if okS {
				n.status++
				tot.status++
			} else {
				dis("status", gs, p.Status)
			}
			okL := locationAgrees(g.Location, p.Location)
			if okL {
				n.loc++
				tot.loc++
			} else {
				dis("location", g.Location, locationString(p.Location))
			}
			pd := ""
			if p.Date != nil {
				pd = p.Date.Value
			}
			okD := g.Date == pd
			if okD {
				n.date++
				tot.date++
			} else {
				dis("date", g.Date, pd)
			}
			if okS && okL && okD {
				n.all++
				tot.all++
			}
			tp := quantityOverlap(g.Quantities, p.Quantities)
			qtp += tp
			qgold += len(g.Quantities)
			qpred += len(p.Quantities)
			if tp == len(g.Quantities) && tp == len(p.Quantities) {
				es.QuantityEvents++
			} else {
				dis("quantities", goldQuantities(g.Quantities), predQuantities(p.Quantities))
			}
		}
		for j, p := range ec.pred {
			rec := Record{Unit: ci, Side: "pred", Type: p.Type, Start: p.Trigger.Start, End: p.Trigger.End,
				Text: p.Trigger.Text, Match: matchNone, Chars: [2]int{p.Trigger.Start, p.Trigger.End}, Value: p.Rule}
			if pm[j] {
				rec.Match = matchExact
			}
			es.records = append(es.records, rec)
		}
	}
	es.Overall = tot.dims()
	var types []string
	for t := range per {
		types = append(types, t)
	}
	sort.Strings(types)
	for _, t := range types {
		es.PerType = append(es.PerType, EventTypeRow{Type: t, EventDims: per[t].dims()})
	}
	es.Quantities = NewPRF(qtp, qgold, qpred)
	sort.SliceStable(es.Disagreements, func(i, j int) bool {
		a, b := es.Disagreements[i], es.Disagreements[j]
		if a.Attribute != b.Attribute {
			return a.Attribute < b.Attribute
		}
		return a.Type < b.Type
	})
	return es
}

func sliceRunes(s string, start, end int) string {
	r := []rune(s)
	if start < 0 || end > len(r) || start >= end {
		return ""
	}
	return string(r[start:end])
}

// matchEvents pairs gold and predicted events of one document; it returns
// for each gold event the predicted one (-1) and how it was matched.
func matchEvents(ec *eventCase) ([]int, []string) {
	type cand struct {
		g, p, tier, ov, dist int
	}
	var cands []cand
	for gi, g := range ec.gold {
		for pj, p := range ec.pred {
			if p.Type != g.Type {
				continue
			}
			c := cand{g: gi, p: pj, tier: 2}
			if ev := g.Evidence; ev != nil {
				c.ov = min(ev.End, p.Trigger.End) - max(ev.Start, p.Trigger.Start)
				c.dist = abs(p.Trigger.Start - ev.Start)
				switch {
				case c.ov > 0:
					c.tier = 0
				case sentenceOverlaps(ec.sents, p.Sentence, ev.Start, ev.End):
					c.tier = 1
				}
			}
			cands = append(cands, c)
		}
	}
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if a.ov != b.ov {
			return a.ov > b.ov
		}
		if a.dist != b.dist {
			return a.dist < b.dist
		}
		if a.g != b.g {
			return a.g < b.g
		}
		return a.p < b.p
	})
	gp := make([]int, len(ec.gold))
	how := make([]string, len(ec.gold))
	for i := range gp {
		gp[i] = -1
	}
	used := make([]bool, len(ec.pred))
	names := []string{"evidence", "sentence", "document"}
	for _, c := range cands {
		if gp[c.g] < 0 && !used[c.p] {
			gp[c.g], used[c.p], how[c.g] = c.p, true, names[c.tier]
		}
	}
	return gp, how
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func sentenceOverlaps(sents []pipeline.Sentence, i, start, end int) bool {
	if i < 0 || i >= len(sents) {
		return false
	}
	s := sents[i]
	return s.Start < end && start < s.End
}

func locationAgrees(gold string, p *pipeline.Entity) bool {
	gold = strings.TrimSpace(gold)
	if p == nil {
		return gold == ""
	}
	if gold == "" {
		return false
	}
	for _, s := range []string{p.ID, p.Text, p.Name, p.NameAr} {
		if s != "" && strings.EqualFold(s, gold) {
			return true
		}
	}
	return false
}

func locationString(p *pipeline.Entity) string {
	if p == nil {
		return ""
	}
	if p.ID != "" {
		return p.ID + " (" + p.Text + ")"
	}
	return p.Text
}

func quantityOverlap(gold []GoldQuantity, pred []pipeline.EventQuantity) int {
	used := make([]bool, len(pred))
	n := 0
	for _, g := range gold {
		for j, p := range pred {
			if !used[j] && p.Role == g.Role && math.Abs(p.Value-g.Value) < 1e-9 {
				used[j] = true
				n++
				break
			}
		}
	}
	return n
}

func goldQuantities(q []GoldQuantity) string {
	var parts []string
	for _, x := range q {
		parts = append(parts, fmt.Sprintf("%s=%g", x.Role, x.Value))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

func predQuantities(q []pipeline.EventQuantity) string {
	var parts []string
	for _, x := range q {
		parts = append(parts, fmt.Sprintf("%s=%g", x.Role, x.Value))
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// eventLists aggregates unmatched gold events (by type and evidence text)
// and unmatched predictions (by type and trigger text; ID is the rule).
func eventLists(ecs []eventCase, recs []Record) (misses, fas []ListItem) {
	ma, fa := newAgg(), newAgg()
	for _, r := range recs {
		if r.Match != matchNone {
			continue
		}
		c := &ecs[r.Unit].Case
		m := Mention{Start: r.Chars[0], End: r.Chars[1]}
		if r.Side == "gold" {
			if r.Chars == [2]int{} {
				// no evidence: show the document's beginning
				c = &Case{ID: c.ID, Text: c.Text}
				m = Mention{Start: 0, End: 0}
			}
			ma.add(r.Type, r.Text, false, "", "", c, m)
		} else {
			fa.add(r.Type, r.Text, false, "", r.Value, c, m)
		}
	}
	return ma.list(), fa.list()
}

func writeEvents(w io.Writer, r *Report) {
	es := r.Events
	tw := newTab(w)
	fmt.Fprintln(tw, "score\tgold\tpred\tmatched\tP\tR\tF1\t")
	line := func(name string, s PRF) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%s\t%.1f\t\n", name, s.Gold, s.Pred, s.TP,
			pct(s.Precision, s.PrecisionUndefined), pct(s.Recall, s.RecallUndefined), 100*s.F1)
	}
	o := es.Overall
	line("type", o.Type)
	line("type+status", o.TypeStatus)
	line("type+location", o.TypeLocation)
	line("type+date", o.TypeDate)
	line("all", o.All)
	line("quantities", es.Quantities)
	tw.Flush()
	fmt.Fprintf(w, "quantities agree on %d of %d matched events; matched by evidence %d, sentence %d, document %d\n\n",
		es.QuantityEvents, es.Matched, es.MatchedBy["evidence"], es.MatchedBy["sentence"], es.MatchedBy["document"])
	tw = newTab(w)
	fmt.Fprintln(tw, "type\tgold\tpred\tP\tR\tF1\t+status F1\t+location F1\t+date F1\tall F1\t")
	for _, row := range es.PerType {
		t := row.EventDims.Type
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f\t\n", row.Type, t.Gold, t.Pred,
			pct(t.Precision, t.PrecisionUndefined), pct(t.Recall, t.RecallUndefined), 100*t.F1,
			100*row.TypeStatus.F1, 100*row.TypeLocation.F1, 100*row.TypeDate.F1, 100*row.All.F1)
	}
	tw.Flush()
	if len(es.Disagreements) > 0 {
		fmt.Fprintln(w, "\nattribute disagreements on matched events:")
		tw := newTabLeft(w)
		fmt.Fprintln(tw, "where\ttype\tattribute\tgold\tours\texample")
		for _, d := range es.Disagreements {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.Where, d.Type, d.Attribute, d.Gold, d.Pred, d.Example)
		}
		tw.Flush()
	}
}
