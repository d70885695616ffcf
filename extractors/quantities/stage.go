package quantities

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/hadath/hadath/internal/wordlist"
	"github.com/hadath/hadath/pipeline"
)

// Name is the stage name in config.yaml.
const Name = "quantities"

// Stage finds numbers and what they count. It is safe for concurrent use.
type Stage struct {
	lex *Lexicon
}

// New builds the stage. A nil lexicon means DefaultLexicon.
func New(lex *Lexicon) *Stage {
	if lex == nil {
		lex, _ = DefaultLexicon()
		if lex == nil {
			lex = &Lexicon{index: wordlist.Index[cat, float64]{}, weak: map[string]bool{}}
		}
	}
	return &Stage{lex: lex}
}

// Name implements pipeline.Stage.
func (s *Stage) Name() string { return Name }

// Process implements pipeline.Stage: it sets f.Quantities for every field.
// Tokens inside f.Dates (set by the dates stage) are skipped.
func (s *Stage) Process(doc *pipeline.Document) error {
	return wordlist.Process(Name, doc, func(f *pipeline.Field) { f.Quantities = s.field(f) })
}

type match struct {
	p   *phrase
	end int
	pre int // key runes of a proclitic removed; -1 keep the whole token
}

type scan struct {
	// all holds the matches of every token, token by token; off[i] is
	// where token i's matches start (see matches), off[len(toks)] is len(all)
	all []match
	off []int
	// addFn appends a match to all; made once per scan, not per token
	addFn  func(p *phrase, end, pre int)
	lex    *Lexicon
	f      *pipeline.Field
	toks   []pipeline.Token
	inDate []bool
	// starts lists the tokens where a quantity may start (see matchAll).
	starts []int
	// found and text are the buffers of field and setTexts.
	found []quant
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

// getScan returns a scan of field f with empty tables of its size.
func getScan(lex *Lexicon, f *pipeline.Field) *scan {
	sc := scanPool.Get().(*scan)
	n := len(f.Tokens)
	sc.lex, sc.f, sc.toks = lex, f, f.Tokens
	// release left inDate cleared; matchAll sets all of off
	sc.off = slices.Grow(sc.off[:0], n+1)[:n+1]
	sc.inDate = slices.Grow(sc.inDate[:0], n)[:n]
	sc.all = sc.all[:0]
	return sc
}

// release clears sc, so that it keeps nothing of the field or the lexicon,
// and puts it back in the pool.
func (sc *scan) release() {
	clear(sc.inDate)
	clear(sc.all)
	sc.all = sc.all[:0]
	clear(sc.found)
	sc.found = sc.found[:0]
	sc.lex, sc.f, sc.toks = nil, nil, nil
	if cap(sc.off) > maxPooledTokens || cap(sc.starts) > maxPooledTokens || cap(sc.all) > 4*maxPooledTokens ||
		cap(sc.found) > maxPooledTokens || cap(sc.text) > 4*maxPooledTokens {
		return
	}
	scanPool.Put(sc)
}

func (s *Stage) field(f *pipeline.Field) []pipeline.Quantity {
	toks := f.Tokens
	if len(toks) == 0 {
		return nil
	}
	sc := getScan(s.lex, f)
	defer sc.release()
	sc.matchAll()
	found := sc.found[:0]
	// a quantity starts with a number or a lexicon word of startCats (see
	// TestStartsNeedMatchOrNumber): only the tokens of starts are tried,
	// from the end of the last quantity on
	next := 0
	for _, i := range sc.starts {
		if i < next {
			continue
		}
		q, end, ok := sc.quantity(i)
		if !ok || end <= i {
			continue
		}
		found = append(found, q)
		next = end
	}
	sc.found = found
	if len(found) == 0 {
		return nil
	}
	out := make([]pipeline.Quantity, len(found))
	sc.setTexts(out, found)
	slices.SortStableFunc(out, func(a, b pipeline.Quantity) int { return cmp.Compare(a.Start, b.Start) })
	return out
}

// quant is a quantity found by quantity, but for its texts: Text is the
// runes [q.Start, q.End) of the field, CountedText the runes [cs, ce)
// (empty when ce <= cs).
type quant struct {
	q      pipeline.Quantity
	cs, ce int
}

// setTexts sets out[i] to found[i] with its texts. The texts are written
// one after another in sc.text and made one string, which the quantities
// share: one allocation per field rather than up to two per quantity.
func (sc *scan) setTexts(out []pipeline.Quantity, found []quant) {
	b := sc.text[:0]
	for i := range found {
		b = appendRunes(b, sc.f.Runes[found[i].q.Start:found[i].q.End])
		if found[i].ce > found[i].cs {
			b = appendRunes(b, sc.f.Runes[found[i].cs:found[i].ce])
		}
	}
	all := string(b)
	off := 0
	for i := range found {
		q := &out[i]
		*q = found[i].q
		n := runesLen(sc.f.Runes[q.Start:q.End])
		q.Text = all[off : off+n]
		off += n
		if found[i].ce > found[i].cs {
			n := runesLen(sc.f.Runes[found[i].cs:found[i].ce])
			q.CountedText = all[off : off+n]
			off += n
		}
	}
	sc.text = b[:0]
}

// appendRunes appends rs to b in UTF-8 as a string conversion writes them
// (invalid runes become U+FFFD).
func appendRunes(b []byte, rs []rune) []byte {
	for _, r := range rs {
		b = utf8.AppendRune(b, r)
	}
	return b
}

// runesLen is the length in UTF-8 of string(rs).
func runesLen(rs []rune) int {
	n := 0
	for _, r := range rs {
		if l := utf8.RuneLen(r); l > 0 {
			n += l
		} else {
			n += utf8.RuneLen(utf8.RuneError)
		}
	}
	return n
}

// startCats are the categories of the lexicon words a quantity can start
// with (a cue, or the first word of a number); the others (من, و, a counted
// noun, ...) only follow one.
const startCats = 1<<cCue | 1<<cVague | 1<<cValue | 1<<cMult | 1<<cTeen

// mayStart reports whether a quantity may start at token i, which is not a
// number: false means quantity finds none there.
func (sc *scan) mayStart(i int) bool {
	ms := sc.matches(i)
	for k := range ms {
		if startCats&(1<<ms[k].p.Cat) != 0 {
			return true
		}
	}
	return false
}

// matchAll marks the tokens inside dates, finds the lexicon phrases at
// every token and lists in starts the numbers and the tokens where
// mayStart.
func (sc *scan) matchAll() {
	for _, d := range sc.f.Dates {
		for k := max(d.TokStart, 0); k < d.TokEnd && k < len(sc.toks); k++ {
			sc.inDate[k] = true
		}
	}
	sc.starts = sc.starts[:0]
	for i := range sc.toks {
		sc.off[i] = len(sc.all)
		if sc.valid(i) {
			sc.matchesAt(i)
		}
		sc.off[i+1] = len(sc.all)
		if sc.toks[i].Kind == pipeline.Number || sc.mayStart(i) {
			sc.starts = append(sc.starts, i)
		}
	}
}

// matches returns the lexicon phrases found at token i.
func (sc *scan) matches(i int) []match { return sc.all[sc.off[i]:sc.off[i+1]] }

func (sc *scan) valid(i int) bool { return wordlist.ValidToken(sc.f, sc.toks, i) }

// usable reports a token that may be part of a quantity.
func (sc *scan) usable(i int) bool {
	return i >= 0 && i < len(sc.toks) && !sc.inDate[i] && sc.valid(i)
}

// matchesAt appends to all the lexicon phrases that start at token i.
func (sc *scan) matchesAt(i int) {
	if sc.toks[i].Key != "" {
		sc.lex.index.Match(sc.toks, i, sc.addFn)
	}
}

// get returns the longest match of category c at i; exact says whether a
// proclitic may have been removed.
func (sc *scan) get(i int, c cat, exact bool) *match {
	if !sc.usable(i) {
		return nil
	}
	var best *match
	ms := sc.matches(i)
	for k := range ms {
		m := &ms[k]
		if m.p.Cat != c || (exact && m.pre != 0) {
			continue
		}
		if m.end > len(sc.toks) || !sc.allUsable(i, m.end) {
			continue
		}
		if best == nil || m.end > best.end {
			best = m
		}
	}
	return best
}

func (sc *scan) allUsable(a, b int) bool {
	for k := a; k < b; k++ {
		if !sc.usable(k) {
			return false
		}
	}
	return true
}

// joined reports that token i directly continues the phrase.
func (sc *scan) joined(i int) bool {
	return sc.usable(i) && sc.toks[i].Joined && sc.toks[i].Kind != pipeline.Punct
}

// digits parses a number token: 80, 80,000, 1.5, 1,5 (decimal comma),
// 6.2 (from ٦٫٢), 1,234.5, 1.234,5.
func digits(key string) (float64, bool) {
	if key == "" || len(key) > 40 {
		return 0, false
	}
	nc, nd := strings.Count(key, ","), strings.Count(key, ".")
	groupsOK := func(s string, sep string) bool {
		g := strings.Split(s, sep)
		if len(g[0]) == 0 || len(g[0]) > 3 {
			return false
		}
		for _, x := range g[1:] {
			if len(x) != 3 {
				return false
			}
		}
		return true
	}
	var s string
	switch {
	case nc == 0 && nd == 0:
		s = key
	case nd == 0:
		if groupsOK(key, ",") {
			s = strings.ReplaceAll(key, ",", "")
		} else if nc == 1 {
			s = strings.Replace(key, ",", ".", 1)
		} else {
			return 0, false
		}
	case nc == 0:
		if nd == 1 {
			s = key
		} else if groupsOK(key, ".") {
			s = strings.ReplaceAll(key, ".", "")
		} else {
			return 0, false
		}
	default:
		lc, ld := strings.LastIndex(key, ","), strings.LastIndex(key, ".")
		if ld > lc && nd == 1 && groupsOK(key[:ld], ",") {
			s = strings.ReplaceAll(key, ",", "")
		} else if lc > ld && nc == 1 && groupsOK(key[:lc], ".") {
			s = strings.ReplaceAll(key[:lc], ".", "") + "." + key[lc+1:]
		} else {
			return 0, false
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, false
	}
	return v, true
}

// numResult is a parsed number expression.
type numResult struct {
	value    float64
	end      int
	approx   bool
	weak     bool // a single weak word (one, ست)
	hasMult  bool
	pre      int
	startTok int
}

// number parses a number expression starting at token i.
func (sc *scan) number(i int) (numResult, bool) {
	r := numResult{startTok: i}
	if !sc.usable(i) {
		return r, false
	}
	t := &sc.toks[i]
	total, cur, lastMult := 0.0, 0.0, 1.0
	j := i
	afterDigits := false
	if t.Kind == pipeline.Number {
		v, ok := digits(t.Key)
		if !ok {
			return r, false
		}
		cur, j, afterDigits = v, i+1, true
	} else if m := sc.get(i, cVague, false); m != nil && m.pre >= 0 {
		// vague words: عشرات, مئات الآلاف, tens of thousands
		v, e, k := m.p.Val, m.end, m.end
		if o := sc.get(k, cOf, true); o != nil && sc.joined(k) {
			k = o.end
		}
		if sc.joined(k) {
			if mm := sc.get(k, cVague, true); mm != nil && mm.p.Val >= 1000 && mm.p.Val > v {
				v, e = v*mm.p.Val, mm.end
			} else if mm := sc.get(k, cMult, true); mm != nil && mm.p.Val >= 1000 && mm.p.Val > v && k == e {
				v, e = v*mm.p.Val, mm.end
			}
		}
		return numResult{value: v, end: e, approx: true, pre: m.pre, startTok: i}, true
	}
	words := 0
	prevUnit := false
	for j < len(sc.toks) {
		if j > i && !sc.joined(j) {
			break
		}
		k, conj := j, false
		if j > i {
			if c := sc.get(j, cConn, true); c != nil && !afterDigits && sc.joined(c.end) && sc.wordAt(c.end) != nil {
				k, conj = c.end, true
			}
			if h := sc.get(k, cHalf, false); h != nil && h.pre >= 0 && total+cur > 0 {
				if lastMult > 1 && cur == 0 {
					total += 0.5 * lastMult
				} else {
					cur += 0.5
				}
				j = h.end
				words++
				break
			}
		}
		m := sc.wordAt(k)
		if m == nil {
			break
		}
		if k > i && m.pre != 0 {
			// only و may be attached inside a number: خمسة وعشرين
			if m.pre != 1 || []rune(sc.toks[k].Key)[0] != 'و' {
				break
			}
			conj = true
		}
		if tm := sc.get(k, cTeen, false); tm != nil && prevUnit && !conj && tm.pre == 0 {
			cur += 10
			prevUnit = false
			words++
			j = tm.end
			continue
		}
		ok := false
		switch m.p.Cat {
		case cMult:
			mv := m.p.Val
			switch {
			case mv == 100:
				cur = max(cur, 1) * 100
			case cur == 0 && total > 0 && mv > lastMult:
				total *= mv
				lastMult = mv
			default:
				total += max(cur, 1) * mv
				cur = 0
				lastMult = mv
			}
			r.hasMult = true
			prevUnit = false
			ok = true
		case cValue, cTeen:
			if afterDigits {
				break
			}
			v := m.p.Val
			if m.p.Cat == cTeen {
				v = 10
			}
			if cur == 0 {
				ok = k == i || conj || (total > 0 && v < lastMult)
			} else {
				ok = conj || (v < 10 && cur >= 20 && cur < 100 && math.Mod(cur, 10) == 0) ||
					(v < 100 && cur >= 100 && math.Mod(cur, 100) == 0)
			}
			if ok {
				cur += v
				prevUnit = v < 10
			}
		}
		if !ok {
			break
		}
		if k == i {
			r.pre = m.pre
		}
		words++
		j = m.end
	}
	if j == i {
		return r, false
	}
	r.value = total + cur
	r.end = j
	if !afterDigits && words == 1 {
		key := sc.toks[i].Key
		if r.pre > 0 {
			key = string([]rune(key)[r.pre:])
		}
		r.weak = sc.lex.weak[key]
	}
	if r.value <= 0 || math.IsInf(r.value, 0) || math.IsNaN(r.value) {
		return r, false
	}
	return r, true
}

// wordAt returns a number word (value, multiplier or teen) at i.
func (sc *scan) wordAt(i int) *match {
	if !sc.usable(i) || sc.toks[i].Kind != pipeline.Word {
		return nil
	}
	var best *match
	for _, c := range []cat{cValue, cMult, cTeen} {
		m := sc.get(i, c, false)
		if m == nil || m.pre < 0 {
			continue
		}
		if best == nil || m.end > best.end || (m.end == best.end && m.pre < best.pre) {
			best = m
		}
	}
	if best != nil && best.p.Def {
		return nil
	}
	return best
}

// quantity reads [cue] NUMBER [of] [COUNTED] [تقريبا] at i.
func (sc *scan) quantity(i int) (quant, int, bool) {
	var q pipeline.Quantity
	cs, ce := 0, 0
	j := i
	cueKindV := -1
	if c := sc.get(i, cCue, false); c != nil && c.pre >= 0 && c.end < len(sc.toks) {
		if _, ok := sc.number(c.end); ok {
			cueKindV = int(c.p.Val)
			j = c.end
		}
	}
	n, ok := sc.number(j)
	if !ok {
		return quant{q: q}, i, false
	}
	q.Value = n.value
	q.Approximate = n.approx
	switch cueKindV {
	case cueMin:
		q.Bound = "min"
	case cueMax:
		q.Bound = "max"
	case cueApprox:
		q.Approximate = true
	case cueApproxMax:
		q.Approximate = true
		q.Bound = "max"
	}
	end := n.end
	// counted noun
	k := end
	if o := sc.get(k, cOf, true); o != nil && sc.joined(k) {
		k = o.end
	}
	var cm *match
	for skip := 0; skip <= 2 && k < len(sc.toks); skip++ {
		if cm = sc.counted(k); cm != nil {
			break
		}
		// English adjectives between: 12 Syrian soldiers
		if !sc.joined(k) || sc.toks[k].Kind != pipeline.Word || !isLatinWord(sc.toks[k].Key) || sc.wordAt(k) != nil || sc.get(k, cCue, false) != nil {
			break
		}
		k++
	}
	after := end
	if cm != nil {
		q.Counted = cm.p.Str
		// CountedText is sc.f.Slice of these, set by setTexts
		cs, ce = max(sc.toks[k].Start, 0), min(sc.toks[cm.end-1].End, len(sc.f.Runes))
		after = cm.end
	}
	if a := sc.get(after, cApproxAfter, true); a != nil && sc.usable(after) && sc.toks[after].Joined {
		q.Approximate = true
		after = a.end
	}
	if n.weak && cm == nil && cueKindV < 0 {
		return quant{q: q}, i, false
	}
	ts, te := n.startTok, n.end
	t := &sc.toks[ts]
	start, endOff, ok := wordlist.Span(sc.f, sc.toks, ts, te, n.pre)
	if !ok {
		return quant{q: q}, i, false
	}
	q.Start, q.End = start, endOff
	// Text is set by setTexts
	q.TokStart, q.TokEnd = ts, te
	q.Sentence = int(t.Sentence)
	if sc.f.Name != "text" {
		q.Field = sc.f.Name
	}
	next := te
	if cm != nil || after > te {
		next = max(after, te)
	}
	return quant{q, cs, ce}, next, true
}

// counted returns a counted noun at k; a symbol such as % may follow the
// number without a space.
func (sc *scan) counted(k int) *match {
	if !sc.usable(k) {
		return nil
	}
	t := &sc.toks[k]
	if !t.Joined && t.Kind != pipeline.Punct {
		return nil
	}
	if t.Kind == pipeline.Punct && (k == 0 || sc.toks[k-1].End != t.Start) {
		return nil
	}
	m := sc.get(k, cCounted, false)
	if m == nil || m.pre != 0 && m.pre != -1 {
		// clitics are not expected on a counted noun, except في المئة
		if m2 := sc.get(k, cCounted, true); m2 != nil {
			return m2
		}
		return nil
	}
	return m
}

func isLatinWord(k string) bool {
	for _, r := range k {
		if !(r < 0x250 && (unicode.IsLetter(r) || r == '\'')) {
			return false
		}
	}
	return k != ""
}
