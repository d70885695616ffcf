package eval

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

func pct(v float64, undefined bool) string {
	if undefined {
		return "0.0*"
	}
	return fmt.Sprintf("%.1f", 100*v)
}

func newTab(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
}

func newTabLeft(w io.Writer) *tabwriter.Writer {
	return tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
}

// WriteText prints the report as aligned tables.
func WriteText(w io.Writer, r *Report) error {
	fmt.Fprintf(w, "eval %s %s: %d %ss, %d tokens", r.Task, r.File, r.Units, r.Unit, r.Tokens)
	if r.Seconds > 0 {
		fmt.Fprintf(w, " (pipeline %.1fs)", r.Seconds)
	}
	fmt.Fprintln(w)
	if len(r.Labels) > 0 {
		var parts []string
		for _, l := range r.Labels {
			parts = append(parts, l.Label+"→"+l.Type)
		}
		fmt.Fprintf(w, "gold labels: %s\n", strings.Join(parts, ", "))
	}
	if len(r.DateTypes) > 0 {
		fmt.Fprintf(w, "predicted types scored as date: %s\n", strings.Join(r.DateTypes, ", "))
	}
	fmt.Fprintln(w)
	if r.Events != nil {
		writeEvents(w, r)
	} else {
		writeTypes(w, r.Types, r.Micro)
		if v := r.Values; v != nil {
			fmt.Fprintf(w, "\nvalues: %d/%d correct on matched spans (%.1f%%); %d/%d on exact spans (%.1f%%)\n",
				v.Correct, v.Matched, 100*v.Accuracy, v.ExactCorrect, v.ExactMatched, 100*v.ExactAccuracy)
			if len(v.Errors) > 0 {
				fmt.Fprintln(w, "\nwrong values:")
				tw := newTabLeft(w)
				fmt.Fprintln(tw, "n\ttext\tgold\tours\twhere\texample")
				for _, e := range v.Errors {
					fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", e.Count, e.Text, e.Gold, orDash(e.Pred), e.Where, e.Example)
				}
				tw.Flush()
			}
		}
	}
	writeList(w, "misses (false negatives)", "found", r.Misses)
	writeList(w, "false alarms (false positives)", "gold", r.FalseAlarms)
	if anyUndefined(r) {
		fmt.Fprintln(w, "\n* undefined (no predictions or no gold), shown as 0")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
	return nil
}

func anyUndefined(r *Report) bool {
	if r.Events != nil {
		for _, row := range r.Events.PerType {
			if row.EventDims.Type.PrecisionUndefined || row.EventDims.Type.RecallUndefined {
				return true
			}
		}
		return false
	}
	for _, t := range append([]TypeScore{r.Micro}, r.Types...) {
		if t.Exact.PrecisionUndefined || t.Exact.RecallUndefined {
			return true
		}
	}
	return false
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeTypes(w io.Writer, types []TypeScore, micro TypeScore) {
	tw := newTab(w)
	fmt.Fprintln(tw, "type\tgold\tpred\texact P\tR\tF1\tpartial P\tR\tF1\t")
	row := func(t TypeScore) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%.1f\t%s\t%s\t%.1f\t\n", t.Type, t.Gold, t.Pred,
			pct(t.Exact.Precision, t.Exact.PrecisionUndefined), pct(t.Exact.Recall, t.Exact.RecallUndefined), 100*t.Exact.F1,
			pct(t.Partial.Precision, t.Partial.PrecisionUndefined), pct(t.Partial.Recall, t.Partial.RecallUndefined), 100*t.Partial.F1)
	}
	for _, t := range types {
		row(t)
	}
	if len(types) > 1 {
		row(micro)
	}
	tw.Flush()
}

func writeList(w io.Writer, title, otherName string, items []ListItem) {
	fmt.Fprintf(w, "\n%s:", title)
	if len(items) == 0 {
		fmt.Fprintln(w, " none")
		return
	}
	fmt.Fprintln(w)
	tw := newTabLeft(w)
	fmt.Fprintf(tw, "n\ttype\ttext\tboundary\t%s\tid\twhere\texample\n", otherName)
	for _, it := range items {
		b := "-"
		if it.Boundary > 0 {
			b = fmt.Sprint(it.Boundary)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", it.Count, it.Type, it.Text, b, orDash(it.Other), orDash(it.ID), it.Where, it.Example)
	}
	tw.Flush()
}
