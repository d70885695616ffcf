package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
)

// LoadRun reads a run saved with --save.
func LoadRun(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if r.Task == "" {
		return nil, fmt.Errorf("%s: not a saved eval run (no task)", path)
	}
	return &r, nil
}

// TypeDelta compares one row of two runs' score tables.
type TypeDelta struct {
	Type string    `json:"type"`
	A    TypeScore `json:"a"`
	B    TypeScore `json:"b"`
	// Deltas of B minus A, exact and partial.
	DP  float64 `json:"delta_precision"`
	DR  float64 `json:"delta_recall"`
	DF1 float64 `json:"delta_f1"`
	// DPartialF1 is the change of partial F1.
	DPartialF1 float64 `json:"delta_partial_f1"`
}

// Change is one mention whose outcome differs between the runs.
type Change struct {
	Unit    int    `json:"unit"`
	Where   string `json:"where"`
	Type    string `json:"type"`
	Text    string `json:"text"`
	From    string `json:"from"` // outcome in A: exact, partial, none, absent
	To      string `json:"to"`   // outcome in B
	Example string `json:"example"`
}

// DiffReport is the comparison of two saved runs.
type DiffReport struct {
	Task  string      `json:"task"`
	A     string      `json:"a"`
	B     string      `json:"b"`
	Notes []string    `json:"notes,omitempty"`
	Types []TypeDelta `json:"types"`
	// Gold mentions now exactly matched that were not (NewlyFound), and the
	// reverse (NewlyMissed); boundary changes (exact <-> partial) count too.
	NewlyFound  []Change `json:"newly_found"`
	NewlyMissed []Change `json:"newly_missed"`
	// Predictions without exact match in B that A did not make, and those of
	// A that are gone in B.
	NewFalseAlarms  []Change `json:"new_false_alarms"`
	GoneFalseAlarms []Change `json:"gone_false_alarms"`
	// Counts before trimming.
	Counts map[string]int `json:"counts"`
}

// Trim shortens the lists to top items (0: all).
func (d *DiffReport) Trim(top int) {
	if top <= 0 {
		return
	}
	for _, l := range []*[]Change{&d.NewlyFound, &d.NewlyMissed, &d.NewFalseAlarms, &d.GoneFalseAlarms} {
		if len(*l) > top {
			*l = (*l)[:top]
		}
	}
}

type recKey struct {
	unit       int
	side, typ  string
	start, end int
	n          int // occurrence, for equal keys
}

func indexRecords(recs []Record) (map[recKey]Record, []recKey) {
	m := map[recKey]Record{}
	var keys []recKey
	for _, r := range recs {
		k := recKey{unit: r.Unit, side: r.Side, typ: r.Type, start: r.Start, end: r.End}
		for {
			if _, dup := m[k]; !dup {
				break
			}
			k.n++
		}
		m[k] = r
		keys = append(keys, k)
	}
	return m, keys
}

// Diff compares runs a and b of the same task and gold file. Mentions are
// identified by unit (sentence or document number) and span, so both runs
// must have read the same file with the same --limit.
func Diff(a, b *Report, nameA, nameB string) (*DiffReport, error) {
	if a.Task != b.Task {
		return nil, fmt.Errorf("runs of different tasks: %s and %s", a.Task, b.Task)
	}
	d := &DiffReport{Task: a.Task, A: nameA, B: nameB, Counts: map[string]int{}}
	if a.File != b.File || a.Units != b.Units {
		d.Notes = append(d.Notes, fmt.Sprintf("the runs read different gold (%s, %d units; %s, %d units): changes may be meaningless", a.File, a.Units, b.File, b.Units))
	}
	if len(a.Records) == 0 && len(b.Records) == 0 {
		d.Notes = append(d.Notes, "the runs have no records (save them with --save)")
	}
	rowsA, rowsB := map[string]TypeScore{}, map[string]TypeScore{}
	var order []string
	add := func(m map[string]TypeScore, t TypeScore) {
		if _, ok := rowsA[t.Type]; !ok {
			if _, ok := rowsB[t.Type]; !ok {
				order = append(order, t.Type)
			}
		}
		m[t.Type] = t
	}
	for _, t := range a.Types {
		add(rowsA, t)
	}
	for _, t := range b.Types {
		add(rowsB, t)
	}
	sort.Strings(order)
	rows := append([]string{}, order...)
	rowsA["micro"], rowsB["micro"] = a.Micro, b.Micro
	rows = append(rows, "micro")
	for _, t := range rows {
		x, y := rowsA[t], rowsB[t]
		d.Types = append(d.Types, TypeDelta{Type: t, A: x, B: y,
			DP: y.Exact.Precision - x.Exact.Precision, DR: y.Exact.Recall - x.Exact.Recall,
			DF1: y.Exact.F1 - x.Exact.F1, DPartialF1: y.Partial.F1 - x.Partial.F1})
	}

	textsA, textsB := unitTexts(a), unitTexts(b)
	ma, ka := indexRecords(a.Records)
	mb, kb := indexRecords(b.Records)
	change := func(r Record, from, to string) Change {
		u := textsB[r.Unit]
		if u.Text == "" {
			u = textsA[r.Unit]
		}
		return Change{Unit: r.Unit, Where: u.ID, Type: r.Type, Text: r.Text, From: from, To: to, Example: Snippet(u.Text, r.Chars[0], r.Chars[1])}
	}
	// gold mentions: present in both (same gold), compare outcomes
	for _, k := range kb {
		rb := mb[k]
		ra, inA := ma[k]
		from := "absent"
		if inA {
			from = ra.Match
		}
		if k.side == "gold" {
			if from == rb.Match {
				continue
			}
			if rb.Match == matchExact {
				d.NewlyFound = append(d.NewlyFound, change(rb, from, rb.Match))
			} else if from == matchExact {
				d.NewlyMissed = append(d.NewlyMissed, change(rb, from, rb.Match))
			}
			continue
		}
		if rb.Match != matchExact && (!inA || ra.Match == matchExact) {
			d.NewFalseAlarms = append(d.NewFalseAlarms, change(rb, from, rb.Match))
		}
	}
	for _, k := range ka {
		ra := ma[k]
		rb, inB := mb[k]
		if k.side == "gold" {
			if !inB && ra.Match == matchExact {
				d.NewlyMissed = append(d.NewlyMissed, change(ra, ra.Match, "absent"))
			}
			continue
		}
		if ra.Match != matchExact && (!inB || rb.Match == matchExact) {
			to := "absent"
			if inB {
				to = rb.Match
			}
			d.GoneFalseAlarms = append(d.GoneFalseAlarms, change(ra, ra.Match, to))
		}
	}
	for _, l := range [][]Change{d.NewlyFound, d.NewlyMissed, d.NewFalseAlarms, d.GoneFalseAlarms} {
		sortChanges(l)
	}
	d.Counts["newly_found"] = len(d.NewlyFound)
	d.Counts["newly_missed"] = len(d.NewlyMissed)
	d.Counts["new_false_alarms"] = len(d.NewFalseAlarms)
	d.Counts["gone_false_alarms"] = len(d.GoneFalseAlarms)
	return d, nil
}

func unitTexts(r *Report) map[int]UnitText {
	m := map[int]UnitText{}
	for _, u := range r.UnitTexts {
		m[u.Unit] = u
	}
	return m
}

func sortChanges(l []Change) {
	sort.Slice(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Unit != b.Unit {
			return a.Unit < b.Unit
		}
		if a.Example != b.Example {
			return a.Example < b.Example
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		return a.Text < b.Text
	})
}

// WriteDiffText prints the comparison.
func WriteDiffText(w io.Writer, d *DiffReport) error {
	fmt.Fprintf(w, "eval diff (%s): A=%s B=%s\n\n", d.Task, d.A, d.B)
	tw := newTab(w)
	fmt.Fprintln(tw, "type\tP A\tP B\tΔP\tR A\tR B\tΔR\tF1 A\tF1 B\tΔF1\tΔpartial F1\t")
	for _, t := range d.Types {
		fmt.Fprintf(tw, "%s\t%.1f\t%.1f\t%+.1f\t%.1f\t%.1f\t%+.1f\t%.1f\t%.1f\t%+.1f\t%+.1f\t\n", t.Type,
			100*t.A.Exact.Precision, 100*t.B.Exact.Precision, 100*t.DP,
			100*t.A.Exact.Recall, 100*t.B.Exact.Recall, 100*t.DR,
			100*t.A.Exact.F1, 100*t.B.Exact.F1, 100*t.DF1, 100*t.DPartialF1)
	}
	tw.Flush()
	list := func(title, key string, l []Change) {
		fmt.Fprintf(w, "\n%s (%d):", title, d.Counts[key])
		if len(l) == 0 {
			fmt.Fprintln(w, " none")
			return
		}
		fmt.Fprintln(w)
		tw := newTabLeft(w)
		fmt.Fprintln(tw, "where\ttype\ttext\tA→B\texample")
		for _, c := range l {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s→%s\t%s\n", c.Where, c.Type, c.Text, c.From, c.To, c.Example)
		}
		tw.Flush()
	}
	list("newly found", "newly_found", d.NewlyFound)
	list("newly missed", "newly_missed", d.NewlyMissed)
	list("new false alarms", "new_false_alarms", d.NewFalseAlarms)
	list("false alarms gone", "gone_false_alarms", d.GoneFalseAlarms)
	for _, n := range d.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}
