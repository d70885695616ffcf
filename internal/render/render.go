package render

import (
	"bufio"
	"fmt"
	"html"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/hadath/hadath/pipeline"
)

// Options configure a page.
type Options struct {
	// Title is the page title; "hadath" when empty.
	Title string
}

// Renderer streams a page: New writes the head, Document one section per
// document, Close the end of the page.
type Renderer struct {
	w   *bufio.Writer
	n   int
	err error
}

// New starts a page on w.
func New(w io.Writer, o Options) *Renderer {
	r := &Renderer{w: bufio.NewWriterSize(w, 64<<10)}
	title := o.Title
	if title == "" {
		title = "hadath"
	}
	r.printf(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hadath">
<title>%s</title>
<style>%s</style>
</head>
<body>
<header><h1>%s</h1>
%s
</header>
`, esc(title), css, esc(title), legend)
	return r
}

func (r *Renderer) printf(format string, a ...any) {
	if r.err == nil {
		_, r.err = fmt.Fprintf(r.w, format, a...)
	}
}

func (r *Renderer) str(s string) {
	if r.err == nil {
		_, r.err = r.w.WriteString(s)
	}
}

// Close ends the page and flushes it.
func (r *Renderer) Close() error {
	if r.n == 0 {
		r.str("<p class=\"empty\">No documents.</p>\n")
	}
	r.str("</body>\n</html>\n")
	if r.err != nil {
		return r.err
	}
	return r.w.Flush()
}

const css = `
:root{--place:#cfe8ff;--org:#ffe0b3;--date:#d9f2d0;--qty:#f3d6f5;--trig:#ffd1d1;--trig-b:#c0392b}
body{font-family:"DejaVu Sans","Noto Sans","Noto Naskh Arabic","Segoe UI",Tahoma,Arial,sans-serif;margin:1.2em 2em;color:#222;background:#fff;line-height:1.5}
h1{font-size:1.4em;margin:0 0 .3em}
h2{font-size:1.15em;margin:.2em 0}
.legend{display:flex;flex-wrap:wrap;gap:.6em;margin:.4em 0 1em;padding:0;list-style:none;font-size:.9em}
.legend li{padding:.1em .5em;border-radius:3px}
section.doc{border-top:2px solid #ccc;padding-top:.8em;margin-top:1.2em}
.meta{color:#555;font-size:.85em;margin:.2em 0 .8em}
.meta span{margin-inline-end:1.2em}
.cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1.25fr);gap:1.2em;align-items:start}
.events-col{overflow-x:auto;max-height:95vh;overflow-y:auto}
.text{white-space:pre-wrap;font-size:1.05em;line-height:2.1;border:1px solid #e5e5e5;border-radius:4px;padding:.8em 1em;background:#fcfcfc}
.text[dir=rtl]{font-size:1.15em}
mark{color:inherit;border-radius:3px;padding:.05em .1em}
mark.place{background:var(--place)}
mark.organization{background:var(--org)}
mark.date{background:var(--date)}
mark.quantity{background:var(--qty)}
mark.trigger{background:var(--trig);box-shadow:inset 0 -2px 0 var(--trig-b);font-weight:bold}
mark.trigger:target{outline:3px solid var(--trig-b)}
.legend .place{background:var(--place)}.legend .organization{background:var(--org)}.legend .date{background:var(--date)}.legend .quantity{background:var(--qty)}.legend .trigger{background:var(--trig);box-shadow:inset 0 -2px 0 var(--trig-b)}
table.events{border-collapse:collapse;font-size:.8em;width:100%}
table.events th,table.events td{border:1px solid #ddd;padding:.2em .35em;vertical-align:top;text-align:start}
table.events th{background:#f2f2f2;position:sticky;top:0}
table.events tr:target{background:#fff6d6}
td.num{text-align:end;font-variant-numeric:tabular-nums}
.status{white-space:nowrap;font-size:.85em;padding:0 .3em;border-radius:3px;background:#eee}
.errors{color:#a00}
.empty{color:#777}
@media (max-width:900px){.cols{grid-template-columns:1fr}}
`

const legend = `<ul class="legend" aria-label="legend">
<li class="place">place</li>
<li class="organization">organization</li>
<li class="date">date</li>
<li class="quantity">quantity</li>
<li class="trigger">event trigger</li>
</ul>`

func esc(s string) string { return html.EscapeString(s) }

// span is a highlighted piece of a field's text.
type span struct {
	start, end int
	prio       int    // nesting order for equal ranges: lower is outer
	tag        string // element name
	attrs      string // attributes of the first piece (with id)
	contAttrs  string // attributes of continuation pieces (no id)
}

// Document writes one document's section.
func (r *Renderer) Document(res pipeline.Result) error {
	r.n++
	p := fmt.Sprintf("d%d", r.n)
	d := res.Doc
	if d == nil {
		d = &pipeline.Document{ID: res.Source}
	}
	dir := direction(d)
	r.printf("<section class=\"doc\" id=\"%s\">\n<h2><bdi>%s</bdi></h2>\n<div class=\"meta\">", p, esc(d.ID))
	if d.HasDate {
		r.printf("<span>date %s</span>", d.DocDate.Format("2006-01-02"))
	} else if d.Date != "" {
		r.printf("<span>date <bdi>%s</bdi></span>", esc(d.Date))
	}
	if d.Lang != "" {
		r.printf("<span>lang %s</span>", esc(d.Lang))
	}
	if d.URL != "" {
		if u, err := url.Parse(d.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
			r.printf("<span><a href=\"%s\" rel=\"noreferrer noopener\">%s</a></span>", esc(d.URL), esc(d.URL))
		} else {
			r.printf("<span><bdi>%s</bdi></span>", esc(d.URL))
		}
	}
	r.printf("<span>%d events</span></div>\n", len(d.Events))
	var errs []string
	if res.Err != nil {
		errs = append(errs, res.Err.Error())
	}
	for _, e := range d.Errors {
		if e.Stage != "" {
			errs = append(errs, e.Stage+": "+e.Message)
		} else {
			errs = append(errs, e.Message)
		}
	}
	if len(errs) > 0 {
		r.str("<ul class=\"errors\">")
		for _, e := range errs {
			r.printf("<li>%s</li>", esc(e))
		}
		r.str("</ul>\n")
	}
	r.str("<div class=\"cols\">\n<div class=\"fields\">\n")
	fields := d.Fields
	if len(fields) == 0 && d.Text != "" {
		fields = []*pipeline.Field{{Name: "text", Text: d.Text, Runes: []rune(d.Text)}}
	}
	// the title first, as a heading
	for _, name := range []string{"title", "text"} {
		for _, f := range fields {
			if f.Name != name {
				continue
			}
			if f.Runes == nil {
				f.Runes = []rune(f.Text)
			}
			cls := "text"
			if name == "title" {
				cls = "text title"
			}
			r.printf("<div class=\"%s\" dir=\"%s\" lang=\"%s\" data-field=\"%s\">", cls, dir, esc(langOf(d)), esc(f.Name))
			r.str(highlight(f, fieldSpans(p, d, f)))
			r.str("</div>\n")
		}
	}
	r.str("</div>\n")
	r.eventsTable(p, d)
	r.str("</div>\n</section>\n")
	return r.err
}

func langOf(d *pipeline.Document) string {
	if d.Lang != "" {
		return d.Lang
	}
	return "und"
}

// direction is rtl for Arabic documents, ltr for English ones, else auto.
func direction(d *pipeline.Document) string {
	switch strings.ToLower(d.Lang) {
	case "ar", "fa", "ur", "he", "ps", "ckb":
		return "rtl"
	case "en":
		return "ltr"
	}
	rtl, ltr := 0, 0
	for _, c := range d.Text {
		switch {
		case isRTL(c):
			rtl++
		case unicode.IsLetter(c):
			ltr++
		}
	}
	switch {
	case rtl > ltr:
		return "rtl"
	case ltr > 0:
		return "ltr"
	}
	return "auto"
}

func isRTL(c rune) bool {
	return unicode.In(c, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana)
}

// mixed reports whether s has a strong character of the direction opposite
// to dir, so that it needs isolating.
func mixed(s, dir string) bool {
	for _, c := range s {
		if dir == "rtl" && unicode.IsLetter(c) && !isRTL(c) {
			return true
		}
		if dir == "ltr" && isRTL(c) {
			return true
		}
	}
	return false
}

// EventAnchor is the id of an event's trigger mark in document prefix p.
func EventAnchor(p string, ev *pipeline.Event) string { return p + "-ev-" + ev.ID }

// RowAnchor is the id of an event's table row.
func RowAnchor(p string, ev *pipeline.Event) string { return p + "-row-" + ev.ID }

func fieldSpans(p string, d *pipeline.Document, f *pipeline.Field) []span {
	dir := direction(d)
	var out []span
	markAttrs := func(cls, title, extra string) string {
		a := fmt.Sprintf(` class="%s" title="%s"`, cls, esc(title))
		return a + extra
	}
	// sentences of another language than the document's are isolated
	for _, s := range f.Sentences {
		if s.Lang != "" && d.Lang != "" && s.Lang != d.Lang {
			a := fmt.Sprintf(` dir="auto" lang="%s"`, esc(s.Lang))
			out = append(out, span{start: s.Start, end: s.End, prio: 0, tag: "span", attrs: a, contAttrs: a})
		}
	}
	bidi := func(text string) string {
		if mixed(text, dir) {
			return ` dir="auto"`
		}
		return ""
	}
	for i := range d.Events {
		ev := &d.Events[i]
		if fieldName(ev.Field) != f.Name {
			continue
		}
		title := ev.Type
		if ev.Subtype != "" {
			title += "/" + ev.Subtype
		}
		title += " (" + ev.Status + ")"
		if ev.Codes.ACLEDEventType != "" {
			title += " — ACLED: " + ev.Codes.ACLEDEventType
		}
		extra := fmt.Sprintf(` data-event="%s" data-type="%s"%s`, esc(ev.ID), esc(ev.Type), bidi(ev.Trigger.Text))
		cont := markAttrs("trigger", title, extra)
		out = append(out, span{start: ev.Trigger.Start, end: ev.Trigger.End, prio: 1, tag: "mark",
			attrs: fmt.Sprintf(` id="%s"`, EventAnchor(p, ev)) + cont, contAttrs: cont})
		// the other mentions merged into this event are highlighted too
		for _, m := range ev.Evidence {
			if m.Start == ev.Trigger.Start || fieldName(m.Field) != f.Name || m.End > len(f.Runes) {
				continue
			}
			mc := markAttrs("trigger", title+" — another mention", fmt.Sprintf(` data-event="%s" data-type="%s"%s`, esc(ev.ID), esc(ev.Type), bidi(m.Text)))
			out = append(out, span{start: m.Start, end: m.End, prio: 1, tag: "mark", attrs: mc, contAttrs: mc})
		}
	}
	for _, e := range f.Entities {
		name := e.Name
		if name == "" {
			name = e.Text // unlinked (found by a designator)
		}
		title := e.Type + ": " + name
		if e.Kind != "" {
			title += " (" + e.Kind + ")"
		}
		if e.ID != "" {
			title += " [" + e.ID + "]"
		}
		cls := "place"
		if e.Type == "organization" {
			cls = "organization"
		}
		a := markAttrs(cls, title, fmt.Sprintf(` data-id="%s"%s`, esc(e.ID), bidi(e.Text)))
		out = append(out, span{start: e.Start, end: e.End, prio: 2, tag: "mark", attrs: a, contAttrs: a})
	}
	for _, dm := range f.Dates {
		title := dm.Type + ": " + dm.Value
		if dm.Value == "" {
			title = dm.Type + " (unresolved)"
		}
		if dm.Precision != "" {
			title += " (" + dm.Precision + ")"
		}
		a := markAttrs("date", title, fmt.Sprintf(` data-value="%s"%s`, esc(dm.Value), bidi(dm.Text)))
		out = append(out, span{start: dm.Start, end: dm.End, prio: 3, tag: "mark", attrs: a, contAttrs: a})
	}
	for _, q := range f.Quantities {
		title := "quantity: " + strconv.FormatFloat(q.Value, 'f', -1, 64)
		if q.Counted != "" {
			title += " " + q.Counted
		}
		if q.Approximate {
			title += " (approximate)"
		}
		a := markAttrs("quantity", title, fmt.Sprintf(` data-value="%s"%s`, strconv.FormatFloat(q.Value, 'f', -1, 64), bidi(q.Text)))
		out = append(out, span{start: q.Start, end: q.End, prio: 4, tag: "mark", attrs: a, contAttrs: a})
	}
	return out
}

func fieldName(s string) string {
	if s == "" {
		return "text"
	}
	return s
}

// highlight returns the field's text as escaped HTML with the spans as
// properly nested elements. Spans are placed by code-point offsets; a span
// that crosses the end of an enclosing one is closed there and reopened
// (without its id) after it.
func highlight(f *pipeline.Field, spans []span) string {
	runes := f.Runes
	if runes == nil {
		runes = []rune(f.Text)
	}
	n := len(runes)
	var valid []*span
	for i := range spans {
		s := &spans[i]
		if s.start < 0 {
			s.start = 0
		}
		if s.end > n {
			s.end = n
		}
		if s.start < s.end {
			valid = append(valid, s)
		}
	}
	sort.SliceStable(valid, func(i, j int) bool {
		a, b := valid[i], valid[j]
		if a.start != b.start {
			return a.start < b.start
		}
		if a.end != b.end {
			return a.end > b.end
		}
		return a.prio < b.prio
	})
	var sb strings.Builder
	sb.Grow(n * 3)
	var stack []*span
	next := 0
	pos := 0
	for pos <= n {
		// close the spans ending here, reopening the ones above them
		low := -1
		for i, s := range stack {
			if s.end == pos {
				low = i
				break
			}
		}
		if low >= 0 {
			for i := len(stack) - 1; i >= low; i-- {
				sb.WriteString("</" + stack[i].tag + ">")
			}
			var keep []*span
			for _, s := range stack[low:] {
				if s.end > pos {
					keep = append(keep, s)
				}
			}
			stack = stack[:low]
			for _, s := range keep {
				sb.WriteString("<" + s.tag + s.contAttrs + ">")
				stack = append(stack, s)
			}
		}
		for next < len(valid) && valid[next].start == pos {
			s := valid[next]
			sb.WriteString("<" + s.tag + s.attrs + ">")
			stack = append(stack, s)
			next++
		}
		if pos == n {
			break
		}
		// text up to the next boundary
		stop := n
		if next < len(valid) && valid[next].start < stop {
			stop = valid[next].start
		}
		for _, s := range stack {
			if s.end < stop {
				stop = s.end
			}
		}
		sb.WriteString(esc(string(runes[pos:stop])))
		pos = stop
	}
	return sb.String()
}

func (r *Renderer) eventsTable(p string, d *pipeline.Document) {
	r.str("<div class=\"events-col\">\n")
	if len(d.Events) == 0 {
		r.str("<p class=\"empty\">No events.</p>\n</div>\n")
		return
	}
	r.str(`<table class="events"><thead><tr><th>#</th><th>type</th><th>status, conf.</th><th>trigger</th><th>date</th><th>location</th><th>actors</th><th>quantities</th><th>ACLED</th></tr></thead>
<tbody>
`)
	for i := range d.Events {
		ev := &d.Events[i]
		typ := esc(ev.Type)
		if ev.Subtype != "" {
			typ += "<br><small>" + esc(ev.Subtype) + "</small>"
		}
		date := ""
		if ev.Date != nil {
			date = esc(ev.Date.Value)
			if ev.Date.Precision != "" && ev.Date.Precision != "day" {
				date += " <small>(" + esc(ev.Date.Precision) + ")</small>"
			}
		}
		loc := ""
		if l := ev.Location; l != nil {
			name := l.Name
			if name == "" {
				name = l.Text
			}
			loc = "<bdi>" + esc(name) + "</bdi>"
			if l.Kind != "" {
				loc += " <small>" + esc(l.Kind) + "</small>"
			}
		}
		var actors []string
		for _, a := range ev.Actors {
			name := a.Name
			if name == "" {
				name = a.Text
			}
			actors = append(actors, esc(a.Role)+": <bdi>"+esc(name)+"</bdi>")
		}
		var qs []string
		for _, q := range ev.Quantities {
			qs = append(qs, esc(q.Role)+": "+strconv.FormatFloat(q.Value, 'f', -1, 64))
		}
		acled := esc(ev.Codes.ACLEDEventType)
		if ev.Codes.ACLEDSubEventType != "" {
			acled += "<br><small>" + esc(ev.Codes.ACLEDSubEventType) + "</small>"
		}
		r.printf("<tr id=\"%s\"><td class=\"num\">%d</td><td>%s</td><td><span class=\"status\">%s</span><br><small>%.2f</small></td><td><a href=\"#%s\"><bdi>%s</bdi></a></td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			RowAnchor(p, ev), i+1, typ, esc(ev.Status), ev.Confidence, EventAnchor(p, ev), esc(ev.Trigger.Text), date, loc,
			strings.Join(actors, "<br>"), strings.Join(qs, "<br>"), acled)
	}
	r.str("</tbody></table>\n</div>\n")
}
