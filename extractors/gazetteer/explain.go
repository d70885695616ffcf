package gazetteer

import (
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"

	"github.com/hadath/hadath/internal/suggest"
	"github.com/hadath/hadath/pipeline"
)

// Explanation tells, token by token, how the matcher read a document.
type Explanation struct {
	Fields []FieldExplanation `json:"fields"`
}

// FieldExplanation covers one field (text or title).
type FieldExplanation struct {
	Field  string         `json:"field"`
	Tokens []TokenTrace   `json:"tokens"`
	Focus  map[string]int `json:"country_focus,omitempty"`
}

// TokenTrace is what the matcher did at one token.
type TokenTrace struct {
	Index int    `json:"index"`
	Text  string `json:"text"`
	Key   string `json:"key"`
	// InMatch is set on tokens inside a match that began earlier.
	InMatch    bool             `json:"in_match,omitempty"`
	Candidates []CandidateTrace `json:"candidates,omitempty"`
	Match      *MatchTrace      `json:"match,omitempty"`
	NearMisses []string         `json:"near_misses,omitempty"`
}

// CandidateTrace is one reading of the first token: the exact form or a
// form with proclitics removed, and the windows tried from it.
type CandidateTrace struct {
	Key     string        `json:"key"`
	Clitic  bool          `json:"clitic,omitempty"`
	Windows []WindowTrace `json:"windows,omitempty"`
}

// WindowTrace is one window of Len tokens starting at the token.
type WindowTrace struct {
	Len    int    `json:"len"`
	Key    string `json:"key,omitempty"`
	Result string `json:"result"`
}

// MatchTrace is the decision at a token where a name matched.
type MatchTrace struct {
	Text  string `json:"text"`
	Len   int    `json:"len"`
	Match string `json:"match"`
	Cue   string `json:"cue,omitempty"`
	// Span says why this window (longest match, exact over clitic).
	Span string `json:"span"`
	// Rule says why this entry among those sharing the name.
	Rule       string        `json:"rule"`
	Candidates []ScoredTrace `json:"candidates"`
}

// ScoredTrace is one entry considered for a match, with its score.
type ScoredTrace struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Kind    string   `json:"kind,omitempty"`
	Country string   `json:"country,omitempty"`
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons,omitempty"`
}

type traceRec struct {
	toks map[int]*TokenTrace
}

func (r *traceRec) candidates(i int, cands []candidate) {
	t := r.toks[i]
	t.Candidates = t.Candidates[:0]
	for _, c := range cands {
		t.Candidates = append(t.Candidates, CandidateTrace{Key: c.key, Clitic: c.clitic})
	}
}

func (r *traceRec) window(i, ci, n int, key, result string) {
	t := r.toks[i]
	t.Candidates[ci].Windows = append(t.Candidates[ci].Windows, WindowTrace{Len: n, Key: key, Result: result})
}

func (s *Stage) buildExplainIndexes() {
	s.explainOnce.Do(func() {
		var single []string
		s.byFirst = map[string][]string{}
		s.ix.EachKey(func(k string) {
			if i := strings.IndexByte(k, ' '); i >= 0 {
				s.byFirst[k[:i]] = append(s.byFirst[k[:i]], k)
			} else {
				single = append(single, k)
			}
		})
		for _, l := range s.byFirst {
			sort.Strings(l)
		}
		s.near = suggest.New(single)
	})
}

// Explain runs the matcher over the document's tokenized fields (the
// normalize and sentences stages must have run) and records each step. It
// does not change the document.
func (s *Stage) Explain(doc *pipeline.Document) *Explanation {
	defer runtime.KeepAlive(s) // the index's mapped memory (bigSlice)
	s.buildExplainIndexes()
	ex := &Explanation{}
	recs := make([]*traceRec, len(doc.Fields))
	traces := make([][]TokenTrace, len(doc.Fields))
	hits := make([][]hit, len(doc.Fields))
	for fi, f := range doc.Fields {
		traces[fi] = make([]TokenTrace, len(f.Tokens))
		rec := &traceRec{toks: map[int]*TokenTrace{}}
		for i := range f.Tokens {
			t := &f.Tokens[i]
			traces[fi][i] = TokenTrace{Index: i, Text: f.Slice(t.Start, t.End), Key: t.Key}
			rec.toks[i] = &traces[fi][i]
		}
		recs[fi] = rec
		hits[fi] = s.find(f, rec, nil)
	}
	ctx := s.context(doc, hits...)
	var focus map[string]int
	if len(ctx.countries) > 0 {
		focus = ctx.focus()
	}
	for fi, f := range doc.Fields {
		tt := traces[fi]
		s.resolve(f, hits[fi], ctx, func(h *hit, rs []scored) {
			tt[h.i].Match = s.describe(f, h, rs)
			for j := h.i + 1; j < h.i+h.n; j++ {
				tt[j].InMatch = true
			}
		}, nil, nil)
		for i := range tt {
			t := &tt[i]
			tok := &f.Tokens[i]
			if t.Match != nil || t.InMatch || tok.Kind != pipeline.Word {
				continue
			}
			t.NearMisses = s.nearMisses(f, i, t)
		}
		fe := FieldExplanation{Field: f.Name, Tokens: tt}
		if focus != nil {
			fe.Focus = focus
		}
		ex.Fields = append(ex.Fields, fe)
	}
	return ex
}

func (s *Stage) describe(f *pipeline.Field, h *hit, rs []scored) *MatchTrace {
	toks := f.Tokens
	first := &toks[h.i]
	start := first.Start
	if h.cand.prefix > 0 {
		start = first.KeyMap[h.cand.prefix]
	}
	m := &MatchTrace{Text: f.Slice(start, toks[h.i+h.n-1].End), Len: h.n, Match: "exact"}
	if h.cand.clitic {
		m.Match = "clitic"
	}
	if h.cue != nil {
		m.Cue = h.cue.text
	}
	// why this window: was a shorter window, or the same window read
	// another way, also a name?
	var shorter []string
	exactToo := false
	cands := s.firstCandidates(first, nil)
	for _, c := range cands {
		for n := 1; n <= h.n && h.i+n <= len(toks); n++ {
			parts := []string{c.key}
			ok := true
			for j := h.i + 1; j < h.i+n; j++ {
				if toks[j].Kind == pipeline.Punct || !toks[j].Joined {
					ok = false
					break
				}
				parts = append(parts, toks[j].Key)
			}
			if !ok {
				break
			}
			k := strings.Join(parts, " ")
			if _, n := s.ix.namesOf(s.ix.find(k)); n == 0 {
				continue
			}
			if n < h.n {
				shorter = append(shorter, fmt.Sprintf("%q (%d token)", k, n))
			} else if c.clitic != h.cand.clitic {
				exactToo = true
			}
		}
	}
	switch {
	case len(shorter) > 0:
		m.Span = "longest match: " + fmt.Sprint(h.n) + " tokens beat " + strings.Join(shorter, ", ")
	case exactToo && !h.cand.clitic:
		m.Span = "exact form beats the clitic reading"
	case h.cand.clitic:
		m.Span = "clitic reading: the written form is not a name"
	default:
		m.Span = "only window that matched"
	}
	for _, r := range rs {
		e := s.entry(r.ref)
		st := ScoredTrace{ID: s.ix.str(e.id), Name: s.ix.str(s.ix.names[r.ref].name), Kind: s.ix.str(e.kind), Country: s.ix.str(e.country), Score: r.score}
		for _, c := range r.components {
			st.Reasons = append(st.Reasons, fmt.Sprintf("%s %+.1f", c.rule, c.value))
		}
		m.Candidates = append(m.Candidates, st)
	}
	m.Rule = decidingRule(rs)
	return m
}

// decidingRule names the score component that separates the winner from
// the runner-up the most.
func decidingRule(rs []scored) string {
	if len(rs) == 1 {
		return "only entry with this name"
	}
	a, b := rs[0], rs[1]
	if a.score == b.score {
		return "tie: kind rank order, then smaller id"
	}
	val := func(cs []component, prefix string) float64 {
		for _, c := range cs {
			if strings.HasPrefix(c.rule, prefix) {
				return c.value
			}
		}
		return 0
	}
	best, bestD := "", 0.0
	for _, p := range []struct{ prefix, name string }{
		{"cue word", "cue word"}, {"valid at", "validity at the document date"}, {"not valid", "validity at the document date"},
		{"country focus", "country focus of the document"}, {"preferred country", "preferred country"},
		{"kind rank", "kind rank"}, {"population", "population"},
	} {
		if d := val(a.components, p.prefix) - val(b.components, p.prefix); d > bestD {
			best, bestD = p.name, d
		}
	}
	if best == "" {
		return "score"
	}
	return best
}

// nearMisses explains why an unmatched word token matched nothing.
func (s *Stage) nearMisses(f *pipeline.Field, i int, t *TokenTrace) []string {
	var out []string
	seen := map[string]bool{}
	add := func(msg string) {
		if !seen[msg] && len(out) < 8 {
			seen[msg] = true
			out = append(out, msg)
		}
	}
	// a name whose first token matched but not the next ones
	for _, c := range t.Candidates {
		for _, w := range c.Windows {
			if strings.HasPrefix(w.Result, "refused") {
				add(fmt.Sprintf("%q %s", w.Key, w.Result))
			}
		}
		names := s.byFirst[c.Key]
		if len(c.Windows) == 0 {
			names = nil // no longer window was tried
		}
		for j, k := range names {
			if j == 3 {
				add(fmt.Sprintf("... and %d more names starting with %q", len(names)-3, c.Key))
				break
			}
			parts := strings.Split(k, " ")
			var got []string
			for j := 1; j < len(parts) && i+j < len(f.Tokens); j++ {
				got = append(got, f.Tokens[i+j].Key)
			}
			add(fmt.Sprintf("name %q: first token matched, text goes on %q", k, strings.Join(got, " ")))
		}
	}
	// a key one letter off a name
	for _, k := range s.stripped(t.Key, nil) {
		if len([]rune(k)) < 3 {
			continue
		}
		for _, n := range s.near.Near(k) {
			add(fmt.Sprintf("%q is one letter off the name %q", k, n))
		}
	}
	return out
}

// WriteText prints the explanation for people.
func (ex *Explanation) WriteText(w io.Writer) error {
	var b strings.Builder
	for _, fe := range ex.Fields {
		fmt.Fprintf(&b, "field %s\n", fe.Field)
		if len(fe.Focus) > 0 {
			var cs []string
			for c, n := range fe.Focus {
				cs = append(cs, fmt.Sprintf("%s:%d", c, n))
			}
			sort.Strings(cs)
			fmt.Fprintf(&b, "  country focus (unambiguous places): %s\n", strings.Join(cs, " "))
		}
		for _, t := range fe.Tokens {
			if t.Key == "" {
				continue
			}
			fmt.Fprintf(&b, "[%d] %q key %q", t.Index, t.Text, t.Key)
			if t.InMatch {
				b.WriteString(" (inside the match above)\n")
				continue
			}
			b.WriteByte('\n')
			for _, c := range t.Candidates {
				kind := "exact form"
				if c.Clitic {
					kind = "without proclitics"
				}
				fmt.Fprintf(&b, "    candidate %q (%s)", c.Key, kind)
				if len(c.Windows) == 0 {
					b.WriteString(": no name starts with it\n")
					continue
				}
				b.WriteByte('\n')
				for _, w := range c.Windows {
					fmt.Fprintf(&b, "      %d token(s) %q: %s\n", w.Len, w.Key, w.Result)
				}
			}
			if m := t.Match; m != nil {
				fmt.Fprintf(&b, "    MATCH %q (%s, %d token(s))", m.Text, m.Match, m.Len)
				if m.Cue != "" {
					fmt.Fprintf(&b, " after cue %q", m.Cue)
				}
				fmt.Fprintf(&b, "\n      span: %s\n      entry: %s\n", m.Span, m.Rule)
				for i, c := range m.Candidates {
					mark := "  "
					if i == 0 {
						mark = "->"
					}
					fmt.Fprintf(&b, "      %s %s (%s %s) score %.1f", mark, c.ID, c.Kind, c.Country, c.Score)
					if len(c.Reasons) > 0 {
						fmt.Fprintf(&b, ": %s", strings.Join(c.Reasons, "; "))
					}
					b.WriteByte('\n')
				}
			}
			for _, n := range t.NearMisses {
				fmt.Fprintf(&b, "    near miss: %s\n", n)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
