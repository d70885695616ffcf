package eval

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/hadath/hadath/pipeline"
)

// ACLEDTypes maps ACLED event types (the v6 names of the 2016 files and
// the current ones) to the hadath event types that agree with them.
var ACLEDTypes = map[string][]string{
	"Riots/Protests": {"protest"},
	"Protests":       {"protest"},
	"Riots":          {"protest"},

	"Battle-No change of territory":              {"attack"},
	"Battle-Government regains territory":        {"capture", "attack"},
	"Battle-Non-state actor overtakes territory": {"capture", "attack"},
	"Battles": {"attack", "capture"},

	"Remote violence":            {"attack"},
	"Explosions/Remote violence": {"attack"},

	"Violence against civilians": {"attack", "casualties", "arrest"},

	"Non-violent transfer of territory": {"withdrawal", "capture"},
	"Strategic development":             {"arrest", "negotiation", "ceasefire", "siege", "aid", "evacuation", "displacement", "withdrawal", "capture"},
	"Strategic developments":            {"arrest", "negotiation", "ceasefire", "siege", "aid", "evacuation", "displacement", "withdrawal", "capture"},
}

// ACLEDRow is one ACLED event: its NOTES are the document.
type ACLEDRow struct {
	ID, Date, Type, Location, Admin1, Country, Notes string
	Fatalities                                       int
}

// ReadACLED reads an ACLED CSV export (columns EVENT_DATE, EVENT_TYPE,
// LOCATION, ADMIN1, COUNTRY, NOTES, FATALITIES; EVENT_ID_CNTY or
// EVENT_ID_NO_CNTY as id). Dates are DD/MM/YYYY (old files), YYYY-MM-DD or
// "02 January 2016".
func ReadACLED(r io.Reader, name string) ([]ACLEDRow, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.ToUpper(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))] = i
	}
	for _, c := range []string{"EVENT_DATE", "EVENT_TYPE", "NOTES", "FATALITIES"} {
		if _, ok := col[c]; !ok {
			return nil, fmt.Errorf("%s: no %s column", name, c)
		}
	}
	get := func(rec []string, c string) string {
		if i, ok := col[c]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var out []ACLEDRow
	line := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line++
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		row := ACLEDRow{ID: get(rec, "EVENT_ID_CNTY"), Type: get(rec, "EVENT_TYPE"), Location: get(rec, "LOCATION"),
			Admin1: get(rec, "ADMIN1"), Country: get(rec, "COUNTRY"), Notes: get(rec, "NOTES")}
		if row.ID == "" {
			row.ID = get(rec, "EVENT_ID_NO_CNTY")
		}
		if row.ID == "" {
			row.ID = fmt.Sprintf("%s:%d", name, line)
		}
		row.Date, err = acledDate(get(rec, "EVENT_DATE"))
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if f := get(rec, "FATALITIES"); f != "" {
			if row.Fatalities, err = strconv.Atoi(f); err != nil {
				return nil, fmt.Errorf("%s:%d: FATALITIES %q: %w", name, line, f, err)
			}
		}
		out = append(out, row)
	}
	return out, nil
}

func acledDate(s string) (string, error) {
	for _, layout := range []string{"02/01/2006", "2006-01-02", "02 January 2006", "2 January 2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", fmt.Errorf("EVENT_DATE %q: not DD/MM/YYYY or YYYY-MM-DD", s)
}

// ACLEDReport is the result of `eval acled`.
type ACLEDReport struct {
	File  string `json:"file"`
	Rows  int    `json:"rows"`
	Found int    `json:"found"` // rows with at least one event
	// TypeAny: some event's type agrees with EVENT_TYPE; TypeMain: the
	// main event's (highest confidence, then first) does.
	TypeAny  int `json:"type_any"`
	TypeMain int `json:"type_main"`
	// FatalitiesExact: the largest killed quantity of the row's events (0
	// when none) equals FATALITIES.
	FatalitiesExact int `json:"fatalities_exact"`
	// Located rows have a main event with a place (else the first placed
	// event); LocationAgree of them name LOCATION or ADMIN1.
	Located       int            `json:"located"`
	LocationAgree int            `json:"location_agree"`
	PerType       []ACLEDTypeRow `json:"per_type"`
	// Confusion counts ACLED type -> our main event type ("-" none).
	Confusion map[string]map[string]int `json:"confusion"`
	Examples  []ACLEDExample            `json:"examples,omitempty"`
	Seconds   float64                   `json:"seconds"`
}

// ACLEDTypeRow is the per-EVENT_TYPE breakdown.
type ACLEDTypeRow struct {
	Type            string `json:"type"`
	Rows            int    `json:"rows"`
	Found           int    `json:"found"`
	TypeAny         int    `json:"type_any"`
	TypeMain        int    `json:"type_main"`
	FatalitiesExact int    `json:"fatalities_exact"`
}

// ACLEDExample is a row that disagrees, to tune from.
type ACLEDExample struct {
	ID         string `json:"id"`
	Type       string `json:"acled_type"`
	Ours       string `json:"ours"`
	Fatalities int    `json:"fatalities"`
	Killed     int    `json:"killed"`
	Notes      string `json:"notes"`
}

// ACLED runs each row's NOTES through the pipeline (dated by EVENT_DATE)
// and compares the events with the row.
func ACLED(ctx context.Context, file string, rows []ACLEDRow, o Options) (*ACLEDReport, error) {
	if o.Limit > 0 && len(rows) > o.Limit {
		rows = rows[:o.Limit]
	}
	docs := make([]*pipeline.Document, len(rows))
	for i, r := range rows {
		d, err := NewDoc(r.ID, r.Notes, r.Date)
		if err != nil {
			return nil, err
		}
		docs[i] = d
	}
	t0 := time.Now()
	if _, err := RunDocs(ctx, o.Pipeline, docs, o.Workers); err != nil {
		return nil, err
	}
	rep := ScoreACLED(rows, docs)
	rep.File = file
	rep.Seconds = time.Since(t0).Seconds()
	if o.Top > 0 && len(rep.Examples) > o.Top {
		rep.Examples = rep.Examples[:o.Top]
	}
	return rep, nil
}

// ScoreACLED compares processed documents with their rows.
func ScoreACLED(rows []ACLEDRow, docs []*pipeline.Document) *ACLEDReport {
	rep := &ACLEDReport{Rows: len(rows), Confusion: map[string]map[string]int{}}
	per := map[string]*ACLEDTypeRow{}
	for i, r := range rows {
		evs := docs[i].Events
		pt := per[r.Type]
		if pt == nil {
			pt = &ACLEDTypeRow{Type: r.Type}
			per[r.Type] = pt
		}
		pt.Rows++
		allowed := map[string]bool{}
		for _, t := range ACLEDTypes[r.Type] {
			allowed[t] = true
		}
		main := MainEvent(evs)
		ours := "-"
		if main != nil {
			ours = main.Type
			rep.Found++
			pt.Found++
		}
		if rep.Confusion[r.Type] == nil {
			rep.Confusion[r.Type] = map[string]int{}
		}
		rep.Confusion[r.Type][ours]++
		any := false
		for _, e := range evs {
			if allowed[e.Type] {
				any = true
			}
		}
		if any {
			rep.TypeAny++
			pt.TypeAny++
		}
		if main != nil && allowed[main.Type] {
			rep.TypeMain++
			pt.TypeMain++
		}
		killed := Killed(evs)
		if killed == r.Fatalities {
			rep.FatalitiesExact++
			pt.FatalitiesExact++
		}
		if loc := mainLocation(main, evs); loc != nil {
			rep.Located++
			if placeNamed(loc, r.Location) || placeNamed(loc, r.Admin1) {
				rep.LocationAgree++
			}
		}
		if main == nil || !allowed[main.Type] || killed != r.Fatalities {
			rep.Examples = append(rep.Examples, ACLEDExample{ID: r.ID, Type: r.Type, Ours: ours, Fatalities: r.Fatalities, Killed: killed, Notes: r.Notes})
		}
	}
	for _, t := range keysOf(per) {
		rep.PerType = append(rep.PerType, *per[t])
	}
	return rep
}

// MainEvent is the event a one-event record is about: the most confident,
// then the first.
func MainEvent(evs []pipeline.Event) *pipeline.Event {
	var best *pipeline.Event
	for i := range evs {
		if best == nil || evs[i].Confidence > best.Confidence {
			best = &evs[i]
		}
	}
	return best
}

// Killed is the largest killed quantity of the events, 0 when none.
func Killed(evs []pipeline.Event) int {
	k := 0.0
	for _, e := range evs {
		for _, q := range e.Quantities {
			if q.Role == "killed" && q.Value > k {
				k = q.Value
			}
		}
	}
	return int(k)
}

func mainLocation(main *pipeline.Event, evs []pipeline.Event) *pipeline.Entity {
	if main != nil && main.Location != nil {
		return main.Location
	}
	for i := range evs {
		if evs[i].Location != nil {
			return evs[i].Location
		}
	}
	return nil
}

// placeNamed reports whether name (a LOCATION or ADMIN1 cell) names the
// entity: its text, English or Arabic name, compared without case, accents,
// hyphens, spaces or a leading "al".
func placeNamed(e *pipeline.Entity, name string) bool {
	n := foldName(name)
	if n == "" {
		return false
	}
	for _, s := range []string{e.Text, e.Name, e.NameAr} {
		if s != "" && foldName(s) == n {
			return true
		}
	}
	return false
}

func foldName(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if strings.HasPrefix(s, "al-") || strings.HasPrefix(s, "al ") || strings.HasPrefix(s, "el-") {
		s = s[3:]
	}
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) || r == '-' || r == ' ' || r == '\'' || r == '’' {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// WriteACLED prints the report as text.
func WriteACLED(w io.Writer, r *ACLEDReport) {
	pc := func(n, d int) string {
		if d == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(d))
	}
	fmt.Fprintf(w, "eval acled %s: %d rows (pipeline %.1fs)\n\n", r.File, r.Rows, r.Seconds)
	tw := newTab(w)
	fmt.Fprintln(tw, "measure\tn\tof\t%\t")
	fmt.Fprintf(tw, "event found\t%d\t%d\t%s\t\n", r.Found, r.Rows, pc(r.Found, r.Rows))
	fmt.Fprintf(tw, "type agrees (main event)\t%d\t%d\t%s\t\n", r.TypeMain, r.Rows, pc(r.TypeMain, r.Rows))
	fmt.Fprintf(tw, "type agrees (any event)\t%d\t%d\t%s\t\n", r.TypeAny, r.Rows, pc(r.TypeAny, r.Rows))
	fmt.Fprintf(tw, "fatalities exact\t%d\t%d\t%s\t\n", r.FatalitiesExact, r.Rows, pc(r.FatalitiesExact, r.Rows))
	fmt.Fprintf(tw, "location agrees (located rows)\t%d\t%d\t%s\t\n", r.LocationAgree, r.Located, pc(r.LocationAgree, r.Located))
	fmt.Fprintf(tw, "location agrees (all rows)\t%d\t%d\t%s\t\n", r.LocationAgree, r.Rows, pc(r.LocationAgree, r.Rows))
	tw.Flush()
	fmt.Fprintln(w)
	tw = newTab(w)
	fmt.Fprintln(tw, "ACLED type\trows\tfound\ttype main\ttype any\tfatalities\t")
	for _, t := range r.PerType {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t\n", t.Type, t.Rows, pc(t.Found, t.Rows), pc(t.TypeMain, t.Rows), pc(t.TypeAny, t.Rows), pc(t.FatalitiesExact, t.Rows))
	}
	tw.Flush()
	fmt.Fprintln(w, "\nmain event type by ACLED type:")
	for _, t := range keysOf(r.Confusion) {
		m := r.Confusion[t]
		keys := keysOf(m)
		sort.SliceStable(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] })
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
		fmt.Fprintf(w, "  %s: %s\n", t, strings.Join(parts, ", "))
	}
	if len(r.Examples) > 0 {
		fmt.Fprintln(w, "\nrows that disagree (type or fatalities):")
		for _, e := range r.Examples {
			fmt.Fprintf(w, "  %s [%s → %s] fatalities %d, ours %d: %s\n", e.ID, e.Type, e.Ours, e.Fatalities, e.Killed, e.Notes)
		}
	}
}

// ReadACLEDFile opens and reads an ACLED CSV file.
func ReadACLEDFile(path string) ([]ACLEDRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return ReadACLED(f, path)
}

func keysOf[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
