package dates

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/wordlist"
	"github.com/hadath/hadath/pipeline"
)

// Name is the stage name in config.yaml.
const Name = "dates"

// Anchor values.
const (
	AnchorExplicit = "explicit"
	AnchorDocument = "document_date"
	AnchorYearDoc  = "year_from_document"
	AnchorNone     = "none"
)

// Stage finds dates, times and durations. It is safe for concurrent use.
type Stage struct {
	lex *Lexicon
}

// New builds the stage. A nil lexicon means DefaultLexicon.
func New(lex *Lexicon) *Stage {
	if lex == nil {
		lex, _ = DefaultLexicon()
		if lex == nil {
			lex = &Lexicon{index: wordlist.Index[cat, int]{}, amb: map[string]bool{}, futExc: map[string]bool{}}
		}
	}
	return &Stage{lex: lex}
}

// Name implements pipeline.Stage.
func (s *Stage) Name() string { return Name }

// Process implements pipeline.Stage: it sets f.Dates for every field.
func (s *Stage) Process(doc *pipeline.Document) error {
	return wordlist.Process(Name, doc, func(f *pipeline.Field) { f.Dates = s.field(doc, f) })
}

// match is a lexicon phrase found at a token.
type match struct {
	p   *phrase
	end int // token index after the phrase
	pre int // key runes of a proclitic removed from the first token; -1: keep whole token
}

// men is a mention under construction.
type men struct {
	ts, te int // tokens [ts, te)
	pre    int // clitic runes to trim from the first token
	dm     pipeline.DateMention
}

type scan struct {
	// all holds the matches of every token, token by token; off[i] is
	// where token i's matches start (see matches), off[len(toks)] is len(all)
	all []match
	off []int
	// addFn appends a match to all; made once per scan, not per token
	addFn func(p *phrase, end, pre int)
	lex   *Lexicon
	doc   *pipeline.Document
	f     *pipeline.Field
	toks  []pipeline.Token
	d0    time.Time
	has   bool
	// cueEnd[i] is true when a duration cue ends right before token i.
	cueEnd []bool
	// cats[i] has bit c set when a match of category c starts at token i:
	// get answers most questions from it without a pass over the matches.
	cats []uint64
	// starts lists the tokens where a pattern may start (see matchAll).
	starts []int
	// found and text are the buffers of field and setTexts.
	found []pipeline.DateMention
	text  []byte
}

// scanPool holds idle scans: the per-token tables of a field are reused
// by the next field rather than allocated for each. Stages run on many
// goroutines at once.
var scanPool = sync.Pool{New: func() any {
	sc := new(scan)
	sc.addFn = func(p *phrase, end, pre int) { sc.all = append(sc.all, match{p: p, end: end, pre: pre}) }
	return sc
}}

// maxPooledTokens bounds the tables kept for reuse: the scan of a huge
// field is left to the collector.
const maxPooledTokens = 1 << 18

// getScan returns a scan of field f of doc with empty tables of its size.
func getScan(lex *Lexicon, doc *pipeline.Document, f *pipeline.Field) *scan {
	sc := scanPool.Get().(*scan)
	n := len(f.Tokens)
	sc.lex, sc.doc, sc.f, sc.toks = lex, doc, f, f.Tokens
	sc.d0, sc.has = day(doc.DocDate), doc.HasDate
	// release left cueEnd cleared; matchAll sets all of off and cats
	sc.off = slices.Grow(sc.off[:0], n+1)[:n+1]
	sc.cueEnd = slices.Grow(sc.cueEnd[:0], n+1)[:n+1]
	sc.cats = slices.Grow(sc.cats[:0], n)[:n]
	sc.all = sc.all[:0]
	return sc
}

// release clears sc, so that it keeps nothing of the field or the lexicon,
// and puts it back in the pool.
func (sc *scan) release() {
	clear(sc.cueEnd)
	clear(sc.all)
	sc.all = sc.all[:0]
	clear(sc.found)
	sc.found = sc.found[:0]
	sc.lex, sc.doc, sc.f, sc.toks = nil, nil, nil, nil
	sc.d0, sc.has = time.Time{}, false
	if cap(sc.off) > maxPooledTokens || cap(sc.starts) > maxPooledTokens || cap(sc.all) > 4*maxPooledTokens || cap(sc.text) > 4*maxPooledTokens ||
		cap(sc.found) > maxPooledTokens {
		return
	}
	scanPool.Put(sc)
}

func (s *Stage) field(doc *pipeline.Document, f *pipeline.Field) []pipeline.DateMention {
	toks := f.Tokens
	if len(toks) == 0 {
		return nil
	}
	sc := getScan(s.lex, doc, f)
	defer sc.release()
	sc.matchAll()
	// the mentions are gathered in sc.found, then copied to a slice of
	// their number
	out := sc.found[:0]
	// every pattern starts with a number or a lexicon word of some
	// categories (see TestStartsNeedMatchOrNumber): only the tokens of
	// starts are tried, from the end of the last mention on
	next := 0
	for _, i := range sc.starts {
		if i < next || toks[i].Kind != pipeline.Number && !sc.mayStart(i) {
			continue
		}
		best, end := sc.best(i)
		if end <= i {
			continue
		}
		for _, mm := range best {
			if dm, ok := sc.finish(mm); ok {
				out = append(out, dm)
			}
		}
		next = end
	}
	slices.SortStableFunc(out, func(a, b pipeline.DateMention) int { return cmp.Compare(a.Start, b.Start) })
	// drop overlaps (defensive: patterns do not produce them)
	k := 0
	for _, d := range out {
		if k > 0 && d.Start < out[k-1].End {
			continue
		}
		out[k] = d
		k++
	}
	sc.found = out
	if k == 0 {
		return nil
	}
	out = slices.Clone(out[:k])
	sc.setTexts(out)
	return out
}

// startCats are the categories of the lexicon words a pattern of best can
// start with, on their own; leadCats those a pattern starts with only
// before a number or a Latin word: في 2015 (yearExpr), من 5 إلى 10
// (rangeExpr), or, for articles and units, before or after some other
// words (see mayStart). The other categories (من as cOf, إلى, لمدة, م,
// ...) only follow or precede a pattern.
const (
	startCats = 1<<cPOD | 1<<cDayWord | 1<<cWeekday | 1<<cMonth | 1<<cMod |
		1<<cMonthWord | 1<<cHijriMonth | 1<<cYearWord | 1<<cDir | 1<<cFutRef |
		1<<cPastRef | 1<<cPresRef | 1<<cRelDay | 1<<cDualUnit | 1<<cNumber
	leadCats = 1<<cYearPrep | 1<<cRangeStart | 1<<cArticle | 1<<cUnit | 1<<cPluralUnit
)

// mayStart reports whether a pattern may start at token i, which is not a
// number: false means best finds nothing there. A token whose only
// matches are of leadCats is tried only when what follows (or, for a
// unit, a duration cue before it) lets some pattern go on:
//
//   - a year preposition (in, في) before a number (yearExpr);
//   - a range start (between, من) before a number or a month (rangeExpr);
//   - an article before a direction word (the next few days, relExpr) or,
//     after a duration cue, before a unit (for a week, durationExpr);
//   - a unit or plural unit in its article form (الأسبوع الماضي, relExpr)
//     or, for a unit, after a duration cue (for week, durationExpr).
//
// English text is full of such words (the, a, in, by, from, day): most of
// them start nothing.
func (sc *scan) mayStart(i int) bool {
	c := sc.cats[i]
	if c&startCats != 0 {
		return true
	}
	if c&leadCats == 0 {
		return false
	}
	if c&(1<<cUnit) != 0 && sc.cueEnd[i] {
		return true
	}
	ms := sc.matches(i)
	for k := range ms {
		m := &ms[k]
		switch m.p.Cat {
		case cYearPrep:
			if m.end < len(sc.toks) && sc.toks[m.end].Kind == pipeline.Number {
				return true
			}
		case cRangeStart:
			if m.end < len(sc.toks) && (sc.toks[m.end].Kind == pipeline.Number || sc.cats[m.end]&(1<<cMonth) != 0) {
				return true
			}
		case cArticle:
			if m.end < len(sc.toks) && (sc.cats[m.end]&(1<<cDir) != 0 || sc.cueEnd[i] && sc.cats[m.end]&(1<<cUnit) != 0) {
				return true
			}
		case cUnit, cPluralUnit:
			if m.p.Def {
				return true
			}
		}
	}
	return false
}

// setTexts sets the text of every mention from its rune offsets. The texts
// are written one after another in sc.text and made one string, which the
// mentions share: one allocation per field rather than one per mention.
func (sc *scan) setTexts(out []pipeline.DateMention) {
	if len(out) == 0 {
		return
	}
	b := sc.text[:0]
	for i := range out {
		for _, r := range sc.f.Runes[out[i].Start:out[i].End] {
			b = utf8.AppendRune(b, r)
		}
	}
	all := string(b)
	off := 0
	for i := range out {
		n := 0
		for _, r := range sc.f.Runes[out[i].Start:out[i].End] {
			n += runeLen(r)
		}
		out[i].Text = all[off : off+n]
		off += n
	}
	sc.text = b[:0]
}

// runeLen is the length of r in UTF-8 as a string conversion writes it
// (invalid runes become U+FFFD).
func runeLen(r rune) int {
	if n := utf8.RuneLen(r); n > 0 {
		return n
	}
	return utf8.RuneLen(utf8.RuneError)
}

// matchAll finds the lexicon phrases at every token, with their
// categories, marks the ends of the duration cues and lists in starts the
// numbers and the tokens with a match of startCats or leadCats.
func (sc *scan) matchAll() {
	sc.starts = sc.starts[:0]
	for i := range sc.toks {
		start := len(sc.all)
		sc.off[i] = start
		var cats uint64
		if sc.valid(i) {
			sc.matchesAt(i)
			for k := start; k < len(sc.all); k++ {
				m := &sc.all[k]
				cats |= catBit(m.p.Cat)
				if m.p.Cat == cDurCue {
					sc.cueEnd[m.end] = true
				}
			}
		}
		sc.cats[i] = cats
		if cats&(startCats|leadCats) != 0 || sc.toks[i].Kind == pipeline.Number {
			sc.starts = append(sc.starts, i)
		}
	}
	sc.off[len(sc.toks)] = len(sc.all)
}

// matches returns the lexicon phrases found at token i.
func (sc *scan) matches(i int) []match { return sc.all[sc.off[i]:sc.off[i+1]] }

// valid reports whether token i has sane offsets.
func (sc *scan) valid(i int) bool { return wordlist.ValidToken(sc.f, sc.toks, i) }

func (sc *scan) finish(mm men) (pipeline.DateMention, bool) {
	if mm.ts < 0 || mm.te > len(sc.toks) || mm.ts >= mm.te {
		return pipeline.DateMention{}, false
	}
	for i := mm.ts; i < mm.te; i++ {
		if !sc.valid(i) {
			return pipeline.DateMention{}, false
		}
	}
	t := &sc.toks[mm.ts]
	start, end, ok := wordlist.Span(sc.f, sc.toks, mm.ts, mm.te, mm.pre)
	if !ok {
		return pipeline.DateMention{}, false
	}
	dm := mm.dm
	dm.Start, dm.End = start, end // field sets Text
	dm.TokStart, dm.TokEnd = mm.ts, mm.te
	dm.Sentence = int(t.Sentence)
	if sc.f.Name != "text" {
		dm.Field = sc.f.Name
	}
	return dm, true
}

// matchesAt appends to all the lexicon phrases that start at token i,
// trying the key as is and with the proclitics و ف then ب ل removed.
func (sc *scan) matchesAt(i int) {
	t := &sc.toks[i]
	if t.Kind == pipeline.Punct || t.Key == "" {
		return
	}
	sc.lex.index.Match(sc.toks, i, sc.addFn)
}

// get returns the longest match of category c at token i.
func (sc *scan) get(i int, c cat) *match {
	if i < 0 || i >= len(sc.toks) || sc.cats[i]&catBit(c) == 0 {
		return nil
	}
	var best *match
	ms := sc.matches(i)
	for k := range ms {
		m := &ms[k]
		if m.p.Cat == c && (best == nil || m.end > best.end) {
			best = m
		}
	}
	return best
}

// getDef is get restricted to article forms (def) or bare forms.
func (sc *scan) getDef(i int, c cat, def bool) *match {
	if i < 0 || i >= len(sc.toks) || sc.cats[i]&catBit(c) == 0 {
		return nil
	}
	var best *match
	ms := sc.matches(i)
	for k := range ms {
		m := &ms[k]
		if m.p.Cat == c && m.p.Def == def && m.pre >= 0 && (best == nil || m.end > best.end) {
			best = m
		}
	}
	return best
}

func (sc *scan) punct(i int, keys ...string) bool {
	if i < 0 || i >= len(sc.toks) || sc.toks[i].Kind != pipeline.Punct {
		return false
	}
	t := &sc.toks[i]
	raw := sc.raw(t)
	for _, k := range keys {
		if t.Key == k || runesAre(raw, k) {
			return true
		}
	}
	return false
}

// raw returns the runes of token t in the field, clamped to the field as
// pipeline.Field.Slice clamps them.
func (sc *scan) raw(t *pipeline.Token) []rune {
	start, end := max(t.Start, 0), min(t.End, len(sc.f.Runes))
	if start >= end {
		return nil
	}
	return sc.f.Runes[start:end]
}

// runesAre reports whether string(rs) == k without making the string. k
// is valid UTF-8 without U+FFFD, so an invalid rune of rs, which the
// conversion would write as U+FFFD, matches no rune of k either.
func runesAre(rs []rune, k string) bool {
	n := 0
	for _, r := range k {
		if n >= len(rs) || rs[n] != r {
			return false
		}
		n++
	}
	return n == len(rs)
}

// num returns the integer value of a plain digit token and its digit count.
func (sc *scan) num(i int) (int, int, bool) {
	if i < 0 || i >= len(sc.toks) || sc.toks[i].Kind != pipeline.Number {
		return 0, 0, false
	}
	k := sc.toks[i].Key
	if len(k) == 0 || len(k) > 6 {
		return 0, 0, false
	}
	n := 0
	for _, c := range k {
		if c < '0' || c > '9' {
			return 0, 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, len(k), true
}

// dayNum reads a day of month (1-31, at most two digits) with an optional
// ordinal suffix (7th).
func (sc *scan) dayNum(i int) (int, int, bool) {
	n, nd, ok := sc.num(i)
	if !ok || nd > 2 || n < 1 || n > 31 {
		return 0, 0, false
	}
	j := i + 1
	if m := sc.get(j, cOrdSuffix); m != nil && sc.toks[j].Joined && sc.toks[j].Start == sc.toks[i].End {
		j = m.end
	}
	return n, j, true
}

// yearNum reads a four-digit year.
func (sc *scan) yearNum(i int, lo, hi int) (int, bool) {
	n, nd, ok := sc.num(i)
	if !ok || nd != 4 || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

// isLatin reports whether the token at i is a Latin word.
func (sc *scan) isLatin(i int) bool {
	k := sc.toks[i].Key
	return k != "" && k[0] < 0x80 && unicode.IsLetter(rune(k[0]))
}

// capital reports whether the original token starts with an upper-case letter.
func (sc *scan) capital(i int) bool {
	t := &sc.toks[i]
	return t.Start < len(sc.f.Runes) && unicode.IsUpper(sc.f.Runes[t.Start])
}

// month reads a Gregorian month name at i, with its alternative name in the
// other system ("ديسمبر/كانون الأول", "كانون الأول (ديسمبر)"), and a dot after
// an abbreviation when dotOK. It returns month, end.
func (sc *scan) month(i int, ambOK bool) (int, int, bool) {
	m := sc.get(i, cMonth)
	if m == nil || m.pre < 0 {
		return 0, 0, false
	}
	key := strings.Join(m.p.Keys, " ")
	if sc.lex.amb[key] && m.pre == 0 {
		if !ambOK {
			return 0, 0, false
		}
		if sc.isLatin(i) && !sc.capital(i) {
			return 0, 0, false
		}
	} else if sc.lex.amb[key] && !ambOK {
		return 0, 0, false
	}
	mon, end := m.p.Val, m.end
	// alternative name
	j := end
	closeParen, hadPunct := false, false
	if sc.punct(j, "/", "(", "\\", "|") {
		closeParen = sc.punct(j, "(")
		hadPunct = true
		j++
	}
	if alt := sc.get(j, cMonth); alt != nil && alt.p.Val == mon && alt.pre == 0 && (hadPunct || sc.toks[j].Joined) {
		end = alt.end
		if closeParen && sc.punct(end, ")") {
			end++
		}
	}
	return mon, end, true
}

// yearAfter reads an optional year after a day and month: [,] [عام] 2016 [م].
func (sc *scan) yearAfter(j int) (int, int, bool) {
	k := j
	if sc.punct(k, ",", "،") {
		k++
	}
	if m := sc.get(k, cYearWord); m != nil && m.pre >= 0 {
		k = m.end
	} else if m := sc.get(k, cOf); m != nil && m.pre == 0 {
		if _, ok := sc.yearNum(m.end, 1000, 2999); ok {
			k = m.end
		}
	}
	y, ok := sc.yearNum(k, 1000, 2999)
	if !ok {
		return 0, j, false
	}
	k++
	if m := sc.get(k, cGregEra); m != nil && m.pre == 0 {
		k = m.end
	}
	return y, k, true
}

// prefix reads [POD] [يوم] [WEEKDAY] [,] before a date.
type prefixInfo struct {
	pod   string
	wd    int
	wdEnd int
	pre   int
	next  int
}

func (sc *scan) prefix(i int) prefixInfo {
	p := prefixInfo{wd: -1, next: i}
	j := i
	first := true
	take := func(m *match) {
		if first {
			p.pre = m.pre
			first = false
		}
		j = m.end
	}
	if m := sc.get(j, cPOD); m != nil && !sc.isLatin(j) {
		p.pod = m.p.Str
		take(m)
	}
	if m := sc.get(j, cDayWord); m != nil {
		take(m)
	}
	if m := sc.get(j, cWeekday); m != nil {
		p.wd = m.p.Val
		take(m)
		p.wdEnd = j
		if sc.punct(j, ",", "،") {
			j++
		}
	}
	p.next = j
	return p
}

func (sc *scan) best(i int) ([]men, int) {
	var best []men
	end := i
	consider := func(ms []men, e int) {
		if len(ms) > 0 && e > end {
			best, end = ms, e
		}
	}
	// each kind is tried only at a token it can start at (see exprCats):
	// the others find nothing there
	c := sc.cats[i]
	num := sc.toks[i].Kind == pipeline.Number
	if num || c&explicitCats != 0 {
		consider(sc.explicitDate(i))
	}
	if c&monthCats != 0 {
		consider(sc.monthExpr(i))
	}
	if num || c&yearCats != 0 {
		consider(sc.yearExpr(i))
	}
	if c&weekdayCats != 0 {
		consider(sc.weekdayExpr(i))
	}
	if c&relCats != 0 {
		consider(sc.relExpr(i))
	}
	if num || c&durationCats != 0 || sc.cueEnd[i] {
		consider(sc.durationExpr(i))
	}
	if num {
		consider(sc.numericDate(i))
	}
	if num || c&rangeCats != 0 {
		consider(sc.rangeExpr(i))
	}
	return best, end
}

// exprCats: the categories of the lexicon words each kind of expression
// of best can start with; explicitDate, yearExpr, durationExpr,
// numericDate and rangeExpr also start at a number, durationExpr after a
// duration cue (for a week).
const (
	explicitCats = 1<<cPOD | 1<<cDayWord | 1<<cWeekday | 1<<cMonth
	monthCats    = 1<<cMod | 1<<cMonthWord | 1<<cMonth | 1<<cHijriMonth
	yearCats     = 1<<cYearWord | 1<<cYearPrep
	weekdayCats  = 1<<cPOD | 1<<cDayWord | 1<<cDir | 1<<cWeekday
	relCats      = 1<<cFutRef | 1<<cPastRef | 1<<cPresRef | 1<<cPOD | 1<<cDayWord |
		1<<cRelDay | 1<<cDir | 1<<cUnit | 1<<cPluralUnit | 1<<cArticle
	durationCats = 1<<cDualUnit | 1<<cNumber
	rangeCats    = 1<<cRangeStart | 1<<cMonth
)

// resolveDM fills the value of a day and month without a year.
func (sc *scan) dayMonth(d, m, y int, hasYear, future bool) (string, string, time.Time, bool) {
	if hasYear {
		if !validDate(y, m, d) {
			return "", "", time.Time{}, false
		}
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		return fmtDay(t), AnchorExplicit, t, true
	}
	if !sc.has {
		if !validDate(2000, m, d) {
			return "", "", time.Time{}, false
		}
		return fmt.Sprintf("XXXX-%02d-%02d", m, d), AnchorNone, time.Time{}, true
	}
	bt, ok := sc.pickYear(func(y int) (time.Time, bool) {
		if !validDate(y, m, d) {
			return time.Time{}, false
		}
		return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC), true
	}, future)
	if !ok {
		return "", "", time.Time{}, false
	}
	return fmtDay(bt), AnchorYearDoc, bt, true
}

// pickYear chooses the year of a date given without one: the latest
// candidate on or before the document date, unless the clause is in the
// future or the next candidate after it is much nearer (less than a quarter
// of the distance), e.g. "3 يناير" in a paper of 30 December.
func (sc *scan) pickYear(at func(y int) (time.Time, bool), future bool) (time.Time, bool) {
	var past, next time.Time
	for _, yy := range []int{sc.d0.Year() - 1, sc.d0.Year(), sc.d0.Year() + 1} {
		t, ok := at(yy)
		if !ok {
			continue
		}
		if !t.After(sc.d0) {
			past = t
		} else if next.IsZero() {
			next = t
		}
	}
	switch {
	case past.IsZero() && next.IsZero():
		return time.Time{}, false
	case past.IsZero():
		return next, true
	case next.IsZero():
		return past, true
	case future || absDays(next, sc.d0)*4 < absDays(past, sc.d0):
		return next, true
	}
	return past, true
}

func weekdayNote(wd int, t time.Time) string {
	if wd < 0 || t.IsZero() || int(t.Weekday()) == wd {
		return ""
	}
	return fmt.Sprintf("weekday %s disagrees with %s (a %s)", weekdayNames[wd], fmtDay(t), weekdayNames[t.Weekday()])
}

// explicitDate: [POD] [يوم] [WEEKDAY] DAY [من] [شهر] MONTH[/MONTH] [YEAR]
// and the English [WEEKDAY,] MONTH[.] DAY[th][, YEAR]; Hijri months too.
func (sc *scan) explicitDate(i int) ([]men, int) {
	p := sc.prefix(i)
	if r, e := sc.dateCore(i, p); e > i {
		return r, e
	}
	return nil, i
}

func (sc *scan) dateCore(i int, p prefixInfo) ([]men, int) {
	j := p.next
	mk := func(dm pipeline.DateMention, e int) ([]men, int) {
		dm.PartOfDay = p.pod
		return []men{{ts: i, te: e, pre: p.pre, dm: dm}}, e
	}
	// day first
	if d, k, ok := sc.dayNum(j); ok {
		if m := sc.get(k, cOf); m != nil && m.pre == 0 {
			k = m.end
		}
		if m := sc.get(k, cMonthWord); m != nil {
			k = m.end
		}
		if mon, e, ok := sc.month(k, true); ok {
			if sc.isLatin(k) && sc.punct(e, ".") {
				if _, ok := sc.yearNum(e+1, 1000, 2999); ok {
					e++
				}
			}
			y, e2, hasY := sc.yearAfter(e)
			val, anchor, t, ok := sc.dayMonth(d, mon, y, hasY, !hasY && sc.has && sc.future(i, e2))
			if ok {
				return mk(pipeline.DateMention{Type: "date", Value: val, Precision: "day", Anchor: anchor, Note: weekdayNote(p.wd, t)}, e2)
			}
		}
		if hm := sc.get(k, cHijriMonth); hm != nil && hm.pre >= 0 {
			if dm, e, ok := sc.hijri(d, hm.p.Val, hm.end); ok {
				return mk(dm, e)
			}
		}
	}
	// month first (English)
	if sc.isLatinAt(j) {
		if mon, e, ok := sc.month(j, true); ok {
			k := e
			if sc.punct(k, ".") {
				k++
			}
			if d, k2, ok := sc.dayNum(k); ok {
				// not "March 3 km": a Latin word right after must not be a unit
				y, e2, hasY := sc.yearAfter(k2)
				val, anchor, t, ok := sc.dayMonth(d, mon, y, hasY, !hasY && sc.has && sc.future(i, e2))
				if ok {
					return mk(pipeline.DateMention{Type: "date", Value: val, Precision: "day", Anchor: anchor, Note: weekdayNote(p.wd, t)}, e2)
				}
			}
		}
	}
	return nil, i
}

func (sc *scan) isLatinAt(i int) bool { return i >= 0 && i < len(sc.toks) && sc.isLatin(i) }

// hijri resolves a day of a Hijri month, with the year after k if present.
func (sc *scan) hijri(d, m, k int) (pipeline.DateMention, int, bool) {
	if d < 1 || d > 30 {
		return pipeline.DateMention{}, k, false
	}
	y, e, ok := sc.hijriYear(k)
	anchor := AnchorExplicit
	if !ok {
		if !sc.has {
			return pipeline.DateMention{Type: "date", Value: "", Precision: "day", Anchor: AnchorNone,
				Note: fmt.Sprintf("hijri XXXX-%02d-%02d: no document date for the year", m, d)}, k, true
		}
		hy := hijriYearOf(sc.d0)
		bd := -1
		for _, yy := range []int{hy, hy - 1, hy + 1} {
			t := hijriToGregorian(yy, m, d)
			if dd := absDays(t, sc.d0); bd < 0 || dd < bd {
				y, bd = yy, dd
			}
		}
		anchor = AnchorYearDoc
		e = k
	}
	if d > hijriMonthLen(y, m) {
		return pipeline.DateMention{}, k, false
	}
	t := hijriToGregorian(y, m, d)
	return pipeline.DateMention{Type: "date", Value: fmtDay(t), Precision: "day", Anchor: anchor,
		Note: fmt.Sprintf("hijri %04d-%02d-%02d (tabular calendar, may differ by a day)", y, m, d)}, e, true
}

// hijriYear reads [،] [عام] YEAR [هـ] after a Hijri month.
func (sc *scan) hijriYear(k int) (int, int, bool) {
	j := k
	if sc.punct(j, ",", "،") {
		j++
	}
	if m := sc.get(j, cYearWord); m != nil && m.pre >= 0 {
		j = m.end
	}
	n, nd, ok := sc.num(j)
	if !ok || nd < 3 || nd > 4 || n < 1 || n > 1700 {
		return 0, k, false
	}
	j++
	if m := sc.get(j, cHijriEra); m != nil && m.pre == 0 {
		j = m.end
	}
	return n, j, true
}

// monthExpr: [MOD [of] [the]] [شهر] MONTH[/MONTH] [YEAR]; MOD [عام] YEAR;
// [شهر] HIJRI-MONTH [YEAR].
func (sc *scan) monthExpr(i int) ([]men, int) {
	j := i
	pre := 0
	mod := ""
	if m := sc.get(j, cMod); m != nil && m.pre >= 0 {
		mod, pre, j = m.p.Str, m.pre, m.end
		if o := sc.get(j, cOf); o != nil && o.pre == 0 {
			j = o.end
		}
		if a := sc.get(j, cArticle); a != nil {
			j = a.end
		}
	}
	hasWord := false
	if m := sc.get(j, cMonthWord); m != nil && m.pre >= 0 {
		if j == i {
			pre = m.pre
		}
		hasWord = true
		j = m.end
	}
	if mon, e, ok := sc.month(j, true); ok {
		if j == i && i > 0 && sc.toks[i].Joined {
			if _, _, isDay := sc.dayNum(i - 1); isDay {
				return nil, i // an impossible date such as 31 فبراير
			}
		}
		y, e2, hasY := sc.yearAfter(e)
		amb := sc.lex.amb[strings.Join(sc.get(j, cMonth).p.Keys, " ")]
		if amb && !hasWord && !hasY && (mod == "" || sc.toks[j].Kind != pipeline.Word) {
			return nil, i
		}
		if sc.isLatin(j) && amb && !sc.capital(j) {
			return nil, i
		}
		if j == i {
			pre = sc.get(j, cMonth).pre
		}
		dm := pipeline.DateMention{Type: "date", Precision: "month", Mod: mod}
		switch {
		case hasY:
			dm.Value = fmt.Sprintf("%04d-%02d", y, mon)
			dm.Anchor = AnchorExplicit
		case !sc.has:
			dm.Value = fmt.Sprintf("XXXX-%02d", mon)
			dm.Anchor = AnchorNone
		default:
			bt, _ := sc.pickYear(func(y int) (time.Time, bool) {
				return time.Date(y, time.Month(mon), 15, 0, 0, 0, 0, time.UTC), true
			}, sc.future(i, e2))
			dm.Value = fmtMonth(bt)
			dm.Anchor = AnchorYearDoc
		}
		if pre < 0 {
			pre = 0
		}
		return []men{{ts: i, te: e2, pre: pre, dm: dm}}, e2
	}
	if hm := sc.get(j, cHijriMonth); hm != nil && hm.pre >= 0 {
		if j == i {
			pre = hm.pre
		}
		y, e, hasY := sc.hijriYear(hm.end)
		if !hasY && !hasWord {
			return nil, i
		}
		m := hm.p.Val
		dm := pipeline.DateMention{Type: "date", Precision: "month", Mod: mod}
		if !hasY {
			if !sc.has {
				dm.Anchor = AnchorNone
				dm.Note = fmt.Sprintf("hijri month %d: no document date for the year", m)
				return []men{{ts: i, te: hm.end, pre: pre, dm: dm}}, hm.end
			}
			hy := hijriYearOf(sc.d0)
			bd := -1
			for _, yy := range []int{hy, hy - 1, hy + 1} {
				t := hijriToGregorian(yy, m, 15)
				if dd := absDays(t, sc.d0); bd < 0 || dd < bd {
					y, bd = yy, dd
				}
			}
			dm.Anchor = AnchorYearDoc
			e = hm.end
		} else {
			dm.Anchor = AnchorExplicit
		}
		first := hijriToGregorian(y, m, 1)
		last := first.AddDate(0, 0, hijriMonthLen(y, m)-1)
		dm.Value = fmtMonth(hijriToGregorian(y, m, 15))
		dm.Note = fmt.Sprintf("hijri %04d-%02d = %s..%s (tabular calendar)", y, m, fmtDay(first), fmtDay(last))
		return []men{{ts: i, te: e, pre: pre, dm: dm}}, e
	}
	if mod != "" {
		k := j
		if m := sc.get(k, cYearWord); m != nil && m.pre >= 0 {
			k = m.end
		}
		if y, ok := sc.yearNum(k, 1000, 2999); ok {
			e := k + 1
			if m := sc.get(e, cGregEra); m != nil && m.pre == 0 {
				e = m.end
			}
			if pre < 0 {
				pre = 0
			}
			return []men{{ts: i, te: e, pre: pre, dm: pipeline.DateMention{Type: "date", Value: fmtYear(y), Precision: "year", Anchor: AnchorExplicit, Mod: mod}}}, e
		}
	}
	return nil, i
}

// yearExpr: عام 2015, in 2015 (the preposition is left out), 1437 هـ, 2015م.
func (sc *scan) yearExpr(i int) ([]men, int) {
	ts, j, pre := i, i, 0
	word, prep := false, false
	if m := sc.get(i, cYearWord); m != nil {
		j, pre, word = m.end, m.pre, true
	} else if m := sc.get(i, cYearPrep); m != nil {
		j, prep = m.end, true
		ts = j
	}
	n, nd, ok := sc.num(j)
	if !ok || nd < 3 || nd > 4 {
		return nil, i
	}
	if sc.numericTail(j) {
		return nil, i
	}
	e := j + 1
	if m := sc.get(e, cHijriEra); m != nil && m.pre == 0 && n >= 1 && n <= 1700 {
		e = m.end
		mid := hijriToGregorian(n, 7, 1)
		first := hijriToGregorian(n, 1, 1)
		last := hijriToGregorian(n+1, 1, 1).AddDate(0, 0, -1)
		return []men{{ts: ts, te: e, pre: pre, dm: pipeline.DateMention{Type: "date", Value: fmtYear(mid.Year()), Precision: "year", Anchor: AnchorExplicit,
			Note: fmt.Sprintf("hijri year %d = %s..%s (tabular calendar)", n, fmtDay(first), fmtDay(last))}}}, e
	}
	if nd != 4 {
		return nil, i
	}
	era := false
	if m := sc.get(e, cGregEra); m != nil && m.pre == 0 {
		e, era = m.end, true
	}
	if !word && !prep && !era {
		return nil, i
	}
	lo, hi := 1900, 2100
	if word || era {
		lo, hi = 1000, 2999
	}
	if n < lo || n > hi {
		return nil, i
	}
	return []men{{ts: ts, te: e, pre: pre, dm: pipeline.DateMention{Type: "date", Value: fmtYear(n), Precision: "year", Anchor: AnchorExplicit}}}, e
}

// relDay returns the resolved value of a day offset from the document date.
func (sc *scan) relDay(off int) (string, string) {
	if !sc.has {
		return "", AnchorNone
	}
	return fmtDay(sc.d0.AddDate(0, 0, off)), AnchorDocument
}

// weekdayExpr: [POD] [يوم] WEEKDAY [الماضي|المقبل]; [last|next] WEEKDAY [evening].
func (sc *scan) weekdayExpr(i int) ([]men, int) {
	j, pre := i, 0
	first := true
	take := func(m *match) {
		if first {
			pre = m.pre
			first = false
		}
		j = m.end
	}
	pod := ""
	dir, hasDir := 0, false
	if m := sc.get(j, cPOD); m != nil && !sc.isLatin(j) {
		pod = m.p.Str
		take(m)
	}
	if m := sc.get(j, cDayWord); m != nil {
		take(m)
	}
	if m := sc.get(j, cDir); m != nil && sc.isLatin(j) {
		dir, hasDir = m.p.Val, true
		take(m)
	}
	m := sc.get(j, cWeekday)
	if m == nil {
		return nil, i
	}
	wd := m.p.Val
	take(m)
	if !hasDir {
		if d := sc.get(j, cDir); d != nil && d.pre == 0 && !sc.isLatin(j) {
			dir, hasDir = d.p.Val, true
			j = d.end
		}
	}
	if pod == "" {
		if pm := sc.get(j, cPOD); pm != nil && sc.isLatin(j) {
			pod = pm.p.Str
			j = pm.end
		}
	}
	if pre < 0 {
		pre = 0
	}
	dm := pipeline.DateMention{Type: "date", Precision: "day", PartOfDay: pod}
	if !sc.has {
		dm.Anchor = AnchorNone
		return []men{{ts: i, te: j, pre: pre, dm: dm}}, j
	}
	cur := int(sc.d0.Weekday())
	back := (cur - wd + 7) % 7
	fwd := (wd - cur + 7) % 7
	var t time.Time
	switch {
	case hasDir && dir == dirLast:
		if back == 0 {
			back = 7
		}
		t = sc.d0.AddDate(0, 0, -back)
	case hasDir && dir == dirNext:
		if fwd == 0 {
			fwd = 7
		}
		t = sc.d0.AddDate(0, 0, fwd)
	case hasDir && dir == dirThis:
		mon := sc.d0.AddDate(0, 0, -((cur + 6) % 7))
		t = mon.AddDate(0, 0, (wd+6)%7)
	case sc.future(i, j):
		t = sc.d0.AddDate(0, 0, fwd)
		dm.Note = "future clause: on or after the document date"
	default:
		t = sc.d0.AddDate(0, 0, -back)
	}
	dm.Value, dm.Anchor = fmtDay(t), AnchorDocument
	return []men{{ts: i, te: j, pre: pre, dm: dm}}, j
}

// clauseBreak reports punctuation that ends a clause.
func (sc *scan) clauseBreak(i int) bool {
	return sc.punct(i, ",", "،", ".", ";", "؛", "!", "?", "؟", ":")
}

// future reports a future cue in the clause around tokens [ts, te).
func (sc *scan) future(ts, te int) bool {
	sent := sc.toks[ts].Sentence
	for k, n := ts-1, 0; k >= 0 && n < 12; k, n = k-1, n+1 {
		if sc.toks[k].Sentence != sent || sc.clauseBreak(k) {
			break
		}
		if sc.futureAt(k) {
			return true
		}
	}
	for k, n := te, 0; k < len(sc.toks) && n < 6; k, n = k+1, n+1 {
		if sc.toks[k].Sentence != sent || sc.clauseBreak(k) {
			break
		}
		if sc.get(k, cDir) == nil && sc.futureAt(k) {
			return true
		}
	}
	return false
}

func (sc *scan) futureAt(k int) bool {
	if sc.get(k, cFutCue) != nil {
		return true
	}
	if d := sc.get(k, cDir); d != nil && d.p.Val == dirNext && !sc.isLatin(k) {
		return true
	}
	t := &sc.toks[k]
	if t.Kind != pipeline.Word || t.Key == "" || t.Key[0] < utf8.RuneSelf {
		return false // a future verb starts with و ف or س
	}
	r := []rune(t.Key)
	if len(r) >= 5 && (r[0] == 'و' || r[0] == 'ف') && r[1] == 'س' {
		r = r[1:]
	}
	if len(r) < 4 || r[0] != 'س' {
		return false
	}
	switch r[1] {
	case 'ي', 'ت', 'ن', 'ا':
	default:
		return false
	}
	if len(sc.matches(k)) > 0 {
		return false
	}
	for n := 2; n <= len(r); n++ {
		if sc.lex.futExc[string(r[:n])] {
			return false
		}
	}
	return true
}

// relExpr: أمس, مساء أمس, yesterday morning, last night, الأسبوع الماضي,
// last week, الساعات القادمة, the coming hours, and reference phrases.
func (sc *scan) relExpr(i int) ([]men, int) {
	var best []men
	bestEnd := i
	consider := func(ms []men, e int) {
		if e > bestEnd {
			best, bestEnd = ms, e
		}
	}
	// reference phrases
	for _, c := range []cat{cFutRef, cPastRef, cPresRef} {
		if m := sc.get(i, c); m != nil {
			v := map[cat]string{cFutRef: "FUTURE_REF", cPastRef: "PAST_REF", cPresRef: "PRESENT_REF"}[c]
			typ := "date"
			if c == cPresRef {
				typ = "time"
			}
			anchor := AnchorDocument
			if !sc.has {
				anchor = AnchorNone
			}
			consider([]men{{ts: i, te: m.end, pre: max(m.pre, 0), dm: pipeline.DateMention{Type: typ, Value: v, Anchor: anchor}}}, m.end)
		}
	}
	// relative days with parts of day
	{
		j, pre := i, 0
		first := true
		take := func(m *match) {
			if first {
				pre = m.pre
				first = false
			}
			j = m.end
		}
		pod := ""
		if m := sc.get(j, cPOD); m != nil && !sc.isLatin(j) {
			pod = m.p.Str
			take(m)
		}
		if m := sc.get(j, cDayWord); m != nil {
			take(m)
		}
		if m := sc.get(j, cRelDay); m != nil {
			off := m.p.Val
			isTonight := strings.Join(m.p.Keys, " ") == "tonight"
			take(m)
			if pod == "" {
				if pm := sc.get(j, cPOD); pm != nil && sc.isLatin(j) {
					pod = pm.p.Str
					j = pm.end
				}
			}
			if isTonight {
				pod = "night"
			}
			v, a := sc.relDay(off)
			consider([]men{{ts: i, te: j, pre: max(pre, 0), dm: pipeline.DateMention{Type: "date", Value: v, Precision: "day", Anchor: a, PartOfDay: pod}}}, j)
		}
	}
	// last night, this morning
	if d := sc.get(i, cDir); d != nil && sc.isLatin(i) {
		if pm := sc.get(d.end, cPOD); pm != nil && sc.isLatin(d.end) {
			off := 0
			if d.p.Val == dirLast {
				off = -1
			} else if d.p.Val == dirNext {
				off = 1
			}
			v, a := sc.relDay(off)
			consider([]men{{ts: i, te: pm.end, dm: pipeline.DateMention{Type: "date", Value: v, Precision: "day", Anchor: a, PartOfDay: pm.p.Str}}}, pm.end)
		}
	}
	// periods: الأسبوع الماضي / هذا العام / last week
	period := func(u, dir int, ts, te, pre int) {
		if u < uWeek {
			return
		}
		dm := pipeline.DateMention{Type: "date", Precision: unitNames[u], Anchor: AnchorDocument}
		if !sc.has {
			dm.Anchor = AnchorNone
		} else {
			switch u {
			case uWeek:
				dm.Value = fmtWeek(sc.d0.AddDate(0, 0, 7*dir))
			case uMonth:
				first := time.Date(sc.d0.Year(), sc.d0.Month(), 1, 0, 0, 0, 0, time.UTC)
				dm.Value = fmtMonth(first.AddDate(0, dir, 0))
			case uYear:
				dm.Value = fmtYear(sc.d0.Year() + dir)
			}
		}
		consider([]men{{ts: ts, te: te, pre: max(pre, 0), dm: dm}}, te)
	}
	if u := sc.getDef(i, cUnit, true); u != nil {
		if d := sc.get(u.end, cDir); d != nil && d.pre == 0 && !sc.isLatin(u.end) {
			period(u.p.Val, d.p.Val, i, d.end, u.pre)
		}
	}
	if d := sc.get(i, cDir); d != nil {
		if sc.isLatin(i) {
			if u := sc.getDef(d.end, cUnit, false); u != nil && sc.isLatin(d.end) {
				period(u.p.Val, d.p.Val, i, u.end, 0)
			}
		} else if d.p.Val == dirThis {
			if u := sc.getDef(d.end, cUnit, true); u != nil {
				period(u.p.Val, d.p.Val, i, u.end, d.pre)
			}
		}
	}
	// الساعات القادمة / الأيام القليلة الماضية
	ref := func(u, dir, ts, te, pre int) {
		if dir == dirThis {
			return
		}
		v := "FUTURE_REF"
		if dir == dirLast {
			v = "PAST_REF"
		}
		typ := "date"
		if u <= uHour {
			typ = "time"
		}
		a := AnchorDocument
		if !sc.has {
			a = AnchorNone
		}
		consider([]men{{ts: ts, te: te, pre: max(pre, 0), dm: pipeline.DateMention{Type: typ, Value: v, Anchor: a}}}, te)
	}
	if u := sc.getDef(i, cPluralUnit, true); u != nil {
		j := u.end
		if f := sc.get(j, cFew); f != nil {
			j = f.end
		}
		if d := sc.get(j, cDir); d != nil && d.pre == 0 && !sc.isLatin(j) {
			ref(u.p.Val, d.p.Val, i, d.end, u.pre)
		}
	}
	if sc.isLatinAt(i) {
		j := i
		if a := sc.get(j, cArticle); a != nil && sc.toks[j].Key == "the" {
			j = a.end
		}
		if d := sc.get(j, cDir); d != nil && sc.isLatin(j) {
			k := d.end
			if f := sc.get(k, cFew); f != nil {
				k = f.end
			}
			if u := sc.getDef(k, cPluralUnit, false); u != nil && sc.isLatin(k) {
				ref(u.p.Val, d.p.Val, i, u.end, 0)
			}
		}
	}
	return best, bestEnd
}

// durationExpr: 5 أيام, خمسة أيام, يومين, (لمدة) أسبوع, five-day, for 72
// hours, for a week. The cue (لمدة, for) is left out of the text.
func (sc *scan) durationExpr(i int) ([]men, int) {
	mk := func(n int, u int, te int) ([]men, int) {
		if n <= 0 {
			return nil, i
		}
		var v string
		switch u {
		case uMinute:
			v = fmt.Sprintf("PT%dM", n)
		case uHour:
			v = fmt.Sprintf("PT%dH", n)
		case uDay:
			v = fmt.Sprintf("P%dD", n)
		case uWeek:
			v = fmt.Sprintf("P%dW", n)
		case uMonth:
			v = fmt.Sprintf("P%dM", n)
		case uYear:
			v = fmt.Sprintf("P%dY", n)
		}
		pre := 0
		if ms := sc.matches(i); len(ms) > 0 {
			for _, m := range ms {
				if m.pre > 0 && (m.p.Cat == cDualUnit || m.p.Cat == cNumber || m.p.Cat == cUnit) {
					pre = m.pre
					break
				}
			}
		}
		return []men{{ts: i, te: te, pre: pre, dm: pipeline.DateMention{Type: "duration", Value: v, Precision: unitNames[u], Anchor: AnchorExplicit}}}, te
	}
	unitAt := func(k int) (int, int, bool) {
		if u := sc.getDef(k, cUnit, false); u != nil {
			return u.p.Val, u.end, true
		}
		if u := sc.getDef(k, cPluralUnit, false); u != nil {
			return u.p.Val, u.end, true
		}
		return 0, 0, false
	}
	if m := sc.get(i, cDualUnit); m != nil && m.pre >= 0 {
		return mk(2, m.p.Val, m.end)
	}
	n, nd, ok := sc.num(i)
	next := i + 1
	if !ok || nd > 5 {
		ok = false
		if m := sc.get(i, cNumber); m != nil && m.pre >= 0 {
			n, next, ok = m.p.Val, m.end, true
		}
	}
	if ok {
		if u, e, ok := unitAt(next); ok && sc.toks[next].Joined {
			return mk(n, u, e)
		}
		return nil, i
	}
	if sc.cueEnd[i] {
		k := i
		if a := sc.get(k, cArticle); a != nil && (sc.toks[k].Key == "a" || sc.toks[k].Key == "an") {
			k = a.end
		}
		if u := sc.getDef(k, cUnit, false); u != nil {
			return mk(1, u.p.Val, u.end)
		}
	}
	return nil, i
}

// numericDate: 07/12/2016, 7.12.2016, 2016-12-07, 2016/12/07.
func (sc *scan) numericDate(i int) ([]men, int) {
	var parts []string
	end := i
	t := &sc.toks[i]
	if t.Kind != pipeline.Number {
		return nil, i
	}
	if strings.Count(t.Key, ".") == 2 && !strings.Contains(t.Key, ",") {
		parts = strings.Split(t.Key, ".")
		end = i + 1
	} else if _, _, ok := sc.num(i); ok {
		parts = []string{t.Key}
		k := i
		sep := ""
		for len(parts) < 3 {
			var s string
			var nx int
			switch {
			case sc.punct(k+1, "/") && k+2 < len(sc.toks) && sc.toks[k+1].Start == sc.toks[k].End && sc.toks[k+2].Start == sc.toks[k+1].End:
				s, nx = "/", k+2
			case k+1 < len(sc.toks) && sc.toks[k+1].Kind == pipeline.Number && sc.toks[k+1].Joined &&
				sc.f.Slice(sc.toks[k].End, sc.toks[k+1].Start) == "-":
				s, nx = "-", k+1
			default:
				return nil, i
			}
			if sep != "" && s != sep {
				return nil, i
			}
			sep = s
			if _, _, ok := sc.num(nx); !ok {
				return nil, i
			}
			parts = append(parts, sc.toks[nx].Key)
			k = nx
		}
		end = k + 1
	} else {
		return nil, i
	}
	var v [3]int
	for k, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) == 0 || len(p) > 4 {
			return nil, i
		}
		v[k] = n
	}
	var y, m, d int
	note := ""
	switch {
	case len(parts[0]) == 4:
		y, m, d = v[0], v[1], v[2]
	case len(parts[2]) == 4 || len(parts[2]) == 2:
		y = v[2]
		if len(parts[2]) == 2 {
			y += 2000
			if y > time.Now().Year()+1 {
				y -= 100
			}
		}
		d, m = v[0], v[1]
		if !sc.arabicContext(i) && v[0] <= 12 && v[1] <= 12 && v[0] != v[1] {
			// English: pick the reading nearest the document date in the past.
			dm := time.Date(y, time.Month(v[1]), v[0], 0, 0, 0, 0, time.UTC)
			md := time.Date(y, time.Month(v[0]), v[1], 0, 0, 0, 0, time.UTC)
			pickMD := false
			if sc.has {
				dmPast, mdPast := !dm.After(sc.d0), !md.After(sc.d0)
				switch {
				case mdPast && !dmPast:
					pickMD = true
				case mdPast == dmPast:
					pickMD = absDays(md, sc.d0) < absDays(dm, sc.d0)
				}
			} else {
				pickMD = true
			}
			if pickMD {
				d, m = v[1], v[0]
				note = "ambiguous numeric date read as month/day"
			} else {
				note = "ambiguous numeric date read as day/month"
			}
		} else if !sc.arabicContext(i) && v[1] > 12 && v[0] <= 12 {
			d, m = v[1], v[0]
		}
	default:
		return nil, i
	}
	if !validDate(y, m, d) || y < 1000 {
		return nil, i
	}
	tt := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return []men{{ts: i, te: end, dm: pipeline.DateMention{Type: "date", Value: fmtDay(tt), Precision: "day", Anchor: AnchorExplicit, Note: note}}}, end
}

// numericTail reports a number followed by "/" or "-" and another number,
// the shape of a numeric date.
func (sc *scan) numericTail(k int) bool {
	if k+2 < len(sc.toks) && sc.punct(k+1, "/") && sc.toks[k+2].Kind == pipeline.Number && sc.toks[k+1].Start == sc.toks[k].End {
		return true
	}
	return k+1 < len(sc.toks) && sc.toks[k+1].Kind == pipeline.Number && sc.toks[k+1].Joined &&
		sc.f.Slice(sc.toks[k].End, sc.toks[k+1].Start) == "-"
}

// arabicContext decides the language around token i: the sentence's Lang
// when known, else the script of the nearest words (Arabic when none).
func (sc *scan) arabicContext(i int) bool {
	for _, s := range sc.f.Sentences {
		if i >= s.TokStart && i < s.TokEnd && s.Lang != "" {
			return s.Lang == "ar"
		}
	}
	ar, la := 0, 0
	for d := 1; d <= 8; d++ {
		for _, k := range []int{i - d, i + d} {
			if k < 0 || k >= len(sc.toks) || sc.toks[k].Kind != pipeline.Word || sc.toks[k].Key == "" {
				continue
			}
			r := []rune(sc.toks[k].Key)[0]
			if normalize.IsArabicLetter(r) {
				ar++
			} else if r < 0x250 {
				la++
			}
		}
	}
	return ar >= la
}

// rangeExpr: [من|بين] 5 إلى 10 ديسمبر, 5-10 December, [between] March 3
// and 5, March 3-5: two dates.
func (sc *scan) rangeExpr(i int) ([]men, int) {
	j := i
	if m := sc.get(j, cRangeStart); m != nil {
		j = m.end
	}
	// day first
	if d1, k, ok := sc.dayNum(j); ok {
		ts1, te1 := j, k
		conn := false
		if m := sc.get(k, cRangeConn); m != nil {
			k, conn = m.end, true
		} else if k < len(sc.toks) && sc.toks[k].Kind == pipeline.Number && sc.toks[k].Joined &&
			strings.TrimSpace(sc.f.Slice(sc.toks[k-1].End, sc.toks[k].Start)) == "-" {
			conn = true
		}
		if conn {
			p := prefixInfo{wd: -1, next: k}
			if ms, e := sc.dateCore(k, p); e > k && len(ms) == 1 {
				second := ms[0]
				if d1 >= 1 && d1 <= 31 {
					// same month and year as the second date
					v := second.dm.Value
					if len(v) == 10 {
						yy, _ := strconv.Atoi(v[:4])
						mm, _ := strconv.Atoi(v[5:7])
						if v[:4] == "XXXX" || validDate(yy, mm, d1) {
							dm := second.dm
							dm.Value = fmt.Sprintf("%s-%02d", v[:7], d1)
							dm.Note = "range start: month and year from the range end"
							dm.PartOfDay = ""
							return []men{{ts: ts1, te: te1, dm: dm}, second}, e
						}
					}
				}
			}
		}
	}
	// month first: March 3 and 5, March 3-5
	if sc.isLatinAt(j) {
		p := prefixInfo{wd: -1, next: j}
		ms, e := sc.dateCore(j, p)
		if e > j && len(ms) == 1 {
			k := e
			conn := false
			if m := sc.get(k, cRangeConn); m != nil {
				k, conn = m.end, true
			} else if k < len(sc.toks) && sc.toks[k].Kind == pipeline.Number && sc.toks[k].Joined &&
				strings.TrimSpace(sc.f.Slice(sc.toks[k-1].End, sc.toks[k].Start)) == "-" {
				conn = true
			}
			if conn {
				if d2, k2, ok := sc.dayNum(k); ok {
					if _, _, isM := sc.month(k2, true); !isM {
						first := ms[0]
						v := first.dm.Value
						y, hasY := 0, false
						e2 := k2
						if yy, ee, ok := sc.yearAfter(k2); ok {
							y, hasY, e2 = yy, true, ee
						}
						if len(v) == 10 {
							mm, _ := strconv.Atoi(v[5:7])
							d1, _ := strconv.Atoi(v[8:10])
							if hasY {
								v1, a1, _, ok1 := sc.dayMonth(d1, mm, y, true, false)
								if ok1 {
									first.dm.Value, first.dm.Anchor = v1, a1
								}
							}
							yy, _ := strconv.Atoi(v[:4])
							if hasY {
								yy = y
							}
							if v[:4] == "XXXX" && !hasY || validDate(yy, mm, d2) {
								dm := first.dm
								if hasY {
									dm.Value = fmt.Sprintf("%04d-%02d-%02d", y, mm, d2)
								} else {
									dm.Value = fmt.Sprintf("%s-%02d", v[:7], d2)
								}
								dm.Note = "range end: month and year from the range start"
								return []men{first, {ts: k, te: e2, dm: dm}}, e2
							}
						}
					}
				}
			}
		}
	}
	return nil, i
}
