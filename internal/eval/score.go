package eval

import (
	"sort"
	"strings"
)

// Mention is a typed span in a case's units: tokens for CoNLL and JSONL
// gold (see Align), [Start, End).
type Mention struct {
	Type  string `json:"type"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	// Label is the gold label the mention came from (gold only).
	Label string `json:"label,omitempty"`
	// ID is the gazetteer id (predictions only).
	ID string `json:"id,omitempty"`
	// Value is a normalized value (dates), compared on matched pairs.
	Value string `json:"value,omitempty"`
}

// Case is one scoring unit (a sentence or a document) with its gold and
// predicted mentions.
type Case struct {
	// ID names the case in lists, e.g. "file.txt:120" (sentence at line 120).
	ID   string
	Text string
	// Tokens map mention units to code points of Text; nil means mention
	// offsets are code points.
	Tokens     []Token
	Gold, Pred []Mention
}

// PRF is precision, recall and F1 with their counts. A ratio with a zero
// denominator is reported as 0 and flagged undefined.
type PRF struct {
	TP                 int     `json:"tp"`
	Gold               int     `json:"gold"`
	Pred               int     `json:"pred"`
	Precision          float64 `json:"precision"`
	Recall             float64 `json:"recall"`
	F1                 float64 `json:"f1"`
	PrecisionUndefined bool    `json:"precision_undefined,omitempty"`
	RecallUndefined    bool    `json:"recall_undefined,omitempty"`
}

// NewPRF computes the ratios.
func NewPRF(tp, gold, pred int) PRF {
	s := PRF{TP: tp, Gold: gold, Pred: pred}
	if pred == 0 {
		s.PrecisionUndefined = true
	} else {
		s.Precision = float64(tp) / float64(pred)
	}
	if gold == 0 {
		s.RecallUndefined = true
	} else {
		s.Recall = float64(tp) / float64(gold)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// TypeScore is one row of the score table.
type TypeScore struct {
	Type    string `json:"type"`
	Gold    int    `json:"gold"`
	Pred    int    `json:"pred"`
	Exact   PRF    `json:"exact"`
	Partial PRF    `json:"partial"`
}

// ListItem is an aggregated miss or false alarm.
type ListItem struct {
	Type  string `json:"type"`
	Text  string `json:"text"`
	Count int    `json:"count"`
	// Boundary counts the occurrences that overlapped a same-type mention
	// on the other side (a partial match: wrong boundaries).
	Boundary int `json:"boundary,omitempty"`
	// Other is the most frequent overlapping text on the other side.
	Other string `json:"other,omitempty"`
	// ID is the most frequent gazetteer id (false alarms).
	ID string `json:"id,omitempty"`
	// Where and Example show the first occurrence.
	Where   string `json:"where"`
	Example string `json:"example"`
}

// ValueScore is the agreement of values on matched pairs (dates).
type ValueScore struct {
	// Matched pairs (exact or partial) whose gold has a value.
	Matched  int     `json:"matched"`
	Correct  int     `json:"correct"`
	Accuracy float64 `json:"accuracy"`
	// The same on exactly matched pairs.
	ExactMatched  int     `json:"exact_matched"`
	ExactCorrect  int     `json:"exact_correct"`
	ExactAccuracy float64 `json:"exact_accuracy"`
	// Errors are the disagreements, aggregated by text and values.
	Errors []ValueError `json:"errors,omitempty"`
}

// ValueError is a matched date whose value differs from the gold one.
type ValueError struct {
	Text    string `json:"text"`
	Gold    string `json:"gold"`
	Pred    string `json:"pred"`
	Count   int    `json:"count"`
	Where   string `json:"where"`
	Example string `json:"example"`
}

// Record is one gold or predicted mention with its outcome, saved with
// --save so that runs can be compared (eval diff).
type Record struct {
	Unit  int    `json:"unit"`
	Side  string `json:"side"` // gold or pred
	Type  string `json:"type"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	Text  string `json:"text"`
	Match string `json:"match"` // exact, partial or none
	Value string `json:"value,omitempty"`
	// Chars is the span in code points of the unit's text.
	Chars [2]int `json:"chars"`
}

// Scores is the outcome of Score.
type Scores struct {
	Types       []TypeScore `json:"types"`
	Micro       TypeScore   `json:"micro"`
	Misses      []ListItem  `json:"misses"`
	FalseAlarms []ListItem  `json:"false_alarms"`
	Values      *ValueScore `json:"values,omitempty"`
	Records     []Record    `json:"-"`
}

const (
	matchNone    = "none"
	matchExact   = "exact"
	matchPartial = "partial"
)

// Score matches predictions to gold in every case and counts, for each of
// types (predictions of other types are ignored):
//
//   - exact: same span and type;
//   - partial: overlapping span and same type. Pairs are one-to-one: exact
//     pairs first, then the remaining mentions greedily by largest overlap
//     (then position), so partial TP >= exact TP and P and R share a TP.
//
// Duplicate predictions (same type and span) count once. Misses are gold
// mentions without an exact match; false alarms are predictions without an
// exact match. When values is set, gold values are compared on matched
// pairs.
func Score(cases []Case, types []string, values bool) *Scores {
	want := map[string]bool{}
	for _, t := range types {
		want[t] = true
	}
	type counts struct{ gold, pred, exact, partial int }
	cnt := map[string]*counts{}
	for _, t := range types {
		cnt[t] = &counts{}
	}
	missAgg := newAgg()
	faAgg := newAgg()
	var vs ValueScore
	valErr := map[[3]string]*ValueError{}
	var recs []Record

	for ci := range cases {
		c := &cases[ci]
		var gold, pred []Mention
		for _, g := range c.Gold {
			if want[g.Type] {
				gold = append(gold, g)
			}
		}
		seen := map[[3]any]bool{}
		for _, p := range c.Pred {
			k := [3]any{p.Type, p.Start, p.End}
			if want[p.Type] && !seen[k] {
				seen[k] = true
				pred = append(pred, p)
			}
		}
		gm, pm, gp := match(gold, pred)
		for i, g := range gold {
			n := cnt[g.Type]
			n.gold++
			switch gm[i] {
			case matchExact:
				n.exact++
				n.partial++
			case matchPartial:
				n.partial++
			}
			if gm[i] != matchExact {
				other := ""
				if gp[i] >= 0 {
					other = pred[gp[i]].Text
				}
				missAgg.add(g.Type, g.Text, gm[i] == matchPartial, other, "", c, g)
			}
			if values && g.Value != "" && gp[i] >= 0 {
				pv := pred[gp[i]].Value
				ok := pv == g.Value
				vs.Matched++
				if ok {
					vs.Correct++
				}
				if gm[i] == matchExact {
					vs.ExactMatched++
					if ok {
						vs.ExactCorrect++
					}
				}
				if !ok {
					k := [3]string{g.Text, g.Value, pv}
					e := valErr[k]
					if e == nil {
						e = &ValueError{Text: g.Text, Gold: g.Value, Pred: pv, Where: c.ID, Example: snippet(c, g.Start, g.End)}
						valErr[k] = e
					}
					e.Count++
				}
			}
			recs = append(recs, Record{Unit: ci, Side: "gold", Type: g.Type, Start: g.Start, End: g.End, Text: g.Text, Match: gm[i], Value: g.Value, Chars: chars(c, g)})
		}
		for j, p := range pred {
			n := cnt[p.Type]
			n.pred++
			if pm[j] != matchExact {
				other := ""
				for i := range gold {
					if gp[i] == j {
						other = gold[i].Text
					}
				}
				faAgg.add(p.Type, p.Text, pm[j] == matchPartial, other, p.ID, c, p)
			}
			recs = append(recs, Record{Unit: ci, Side: "pred", Type: p.Type, Start: p.Start, End: p.End, Text: p.Text, Match: pm[j], Value: p.Value, Chars: chars(c, p)})
		}
	}

	s := &Scores{Records: recs}
	var tot counts
	for _, t := range types {
		n := cnt[t]
		s.Types = append(s.Types, TypeScore{Type: t, Gold: n.gold, Pred: n.pred,
			Exact: NewPRF(n.exact, n.gold, n.pred), Partial: NewPRF(n.partial, n.gold, n.pred)})
		tot.gold += n.gold
		tot.pred += n.pred
		tot.exact += n.exact
		tot.partial += n.partial
	}
	s.Micro = TypeScore{Type: "micro", Gold: tot.gold, Pred: tot.pred,
		Exact: NewPRF(tot.exact, tot.gold, tot.pred), Partial: NewPRF(tot.partial, tot.gold, tot.pred)}
	s.Misses = missAgg.list()
	s.FalseAlarms = faAgg.list()
	if values {
		if vs.Matched > 0 {
			vs.Accuracy = float64(vs.Correct) / float64(vs.Matched)
		}
		if vs.ExactMatched > 0 {
			vs.ExactAccuracy = float64(vs.ExactCorrect) / float64(vs.ExactMatched)
		}
		for _, e := range valErr {
			vs.Errors = append(vs.Errors, *e)
		}
		sort.Slice(vs.Errors, func(i, j int) bool {
			a, b := vs.Errors[i], vs.Errors[j]
			if a.Count != b.Count {
				return a.Count > b.Count
			}
			if a.Text != b.Text {
				return a.Text < b.Text
			}
			if a.Gold != b.Gold {
				return a.Gold < b.Gold
			}
			return a.Pred < b.Pred
		})
		s.Values = &vs
	}
	return s
}

// match pairs gold and predicted mentions one-to-one: exact pairs first,
// then overlapping same-type pairs by decreasing overlap. It returns the
// match kind of each gold and prediction and, for each gold, its pair (-1).
func match(gold, pred []Mention) (gm, pm []string, gp []int) {
	gm = make([]string, len(gold))
	pm = make([]string, len(pred))
	gp = make([]int, len(gold))
	for i := range gm {
		gm[i] = matchNone
		gp[i] = -1
	}
	for j := range pm {
		pm[j] = matchNone
	}
	for i, g := range gold {
		for j, p := range pred {
			if pm[j] == matchNone && p.Type == g.Type && p.Start == g.Start && p.End == g.End {
				gm[i], pm[j], gp[i] = matchExact, matchExact, j
				break
			}
		}
	}
	type cand struct{ i, j, ov int }
	var cands []cand
	for i, g := range gold {
		if gm[i] != matchNone {
			continue
		}
		for j, p := range pred {
			if pm[j] != matchNone || p.Type != g.Type {
				continue
			}
			if ov := min(g.End, p.End) - max(g.Start, p.Start); ov > 0 {
				cands = append(cands, cand{i, j, ov})
			}
		}
	}
	sort.Slice(cands, func(a, b int) bool {
		x, y := cands[a], cands[b]
		if x.ov != y.ov {
			return x.ov > y.ov
		}
		if x.i != y.i {
			return x.i < y.i
		}
		return x.j < y.j
	})
	for _, c := range cands {
		if gm[c.i] == matchNone && pm[c.j] == matchNone {
			gm[c.i], pm[c.j], gp[c.i] = matchPartial, matchPartial, c.j
		}
	}
	return gm, pm, gp
}

type aggEntry struct {
	item   ListItem
	others map[string]int
	ids    map[string]int
}

type agg struct{ m map[[2]string]*aggEntry }

func newAgg() *agg { return &agg{m: map[[2]string]*aggEntry{}} }

func (a *agg) add(typ, text string, boundary bool, other, id string, c *Case, m Mention) {
	k := [2]string{typ, text}
	e := a.m[k]
	if e == nil {
		e = &aggEntry{item: ListItem{Type: typ, Text: text, Where: c.ID, Example: snippet(c, m.Start, m.End)},
			others: map[string]int{}, ids: map[string]int{}}
		a.m[k] = e
	}
	e.item.Count++
	if boundary {
		e.item.Boundary++
	}
	if other != "" {
		e.others[other]++
	}
	if id != "" {
		e.ids[id]++
	}
}

func mostFrequent(m map[string]int) string {
	best, n := "", 0
	for k, v := range m {
		if v > n || (v == n && k < best) {
			best, n = k, v
		}
	}
	return best
}

func (a *agg) list() []ListItem {
	out := make([]ListItem, 0, len(a.m))
	for _, e := range a.m {
		it := e.item
		it.Other = mostFrequent(e.others)
		it.ID = mostFrequent(e.ids)
		out = append(out, it)
	}
	sortItems(out)
	return out
}

func sortItems(out []ListItem) {
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Text != b.Text {
			return a.Text < b.Text
		}
		return a.Type < b.Type
	})
}

func chars(c *Case, m Mention) [2]int {
	if c.Tokens == nil {
		return [2]int{m.Start, m.End}
	}
	if m.Start < 0 || m.End > len(c.Tokens) || m.Start >= m.End {
		return [2]int{}
	}
	return [2]int{c.Tokens[m.Start].Start, c.Tokens[m.End-1].End}
}

// snippetWidth is how many code points of context a snippet keeps on each
// side of the mention.
const snippetWidth = 40

// snippet shows the mention in its sentence, bracketed, with some context.
func snippet(c *Case, start, end int) string {
	ch := chars(c, Mention{Start: start, End: end})
	return Snippet(c.Text, ch[0], ch[1])
}

// Snippet shows text[s:e] (code points) bracketed in some context.
func Snippet(text string, s, e int) string {
	r := []rune(text)
	if s < 0 || e > len(r) || s > e {
		return ""
	}
	lo, hi := max(0, s-snippetWidth), min(len(r), e+snippetWidth)
	var b strings.Builder
	if lo > 0 {
		b.WriteString("…")
	}
	b.WriteString(clean(string(r[lo:s])))
	if e > s {
		b.WriteString("[")
		b.WriteString(clean(string(r[s:e])))
		b.WriteString("]")
	}
	b.WriteString(clean(string(r[e:hi])))
	if hi < len(r) {
		b.WriteString("…")
	}
	return b.String()
}

func clean(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}
