package events

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/rules"
)

// Name is the stage name in config.yaml.
const Name = "events"

// StatusWindow is how many tokens before a trigger are searched for a cue.
const StatusWindow = 20

// AfterWindow is how many tokens after a trigger are searched for a cue.
const AfterWindow = 4

// purposeTypes are the event types whose trigger, with ل attached, states
// a purpose ("لتحرير", "لإجلاء", "للانسحاب"). Not attacks or sieges:
// "تعرضت لهجوم", "تعرضت لحصار" are facts.
var purposeTypes = map[string]bool{"capture": true, "evacuation": true, "withdrawal": true}

// PlaceWindow is how many tokens after the trigger its place may start.
const PlaceWindow = 16

// NegationWindow is how many tokens may stand between a negation cue and
// the trigger it negates.
const NegationWindow = 2

type trigPayload struct {
	rule    int
	subtype string
}

type cuePayload struct {
	status string
}

// Stage detects events.
type Stage struct {
	rules    []rules.Rule
	types    map[string]rules.TypeCodes
	acledSub map[string]rules.ACLED

	// idx is the first-key index of all the phrase sets below
	idx      *firstIndex
	triggers map[string]*phraseSet // by lang
	trigAR   *phraseSet            // triggers["ar"]
	trigEN   *phraseSet            // triggers["en"]
	trigBits uint32                // the bits of trigAR and trigEN
	exclude  []*phraseSet          // by rule
	before   *phraseSet
	after    *phraseSet
	ignore   *phraseSet
	breaks   *phraseSet
	source   *phraseSet
	mediator *phraseSet
	origin   *phraseSet
	dest     *phraseSet
	actors   *phraseSet

	pl         []trigPayload
	statuses   []string
	actorNames []string
	// quantity roles by rule: counted label -> role
	qroles []map[string]string
	// purpose by rule: whether its type is in purposeTypes
	purpose []bool
}

// New compiles the rules.
func New(ev *rules.Events) (*Stage, error) {
	idx := newFirstIndex()
	s := &Stage{rules: ev.Rules, types: ev.Types, acledSub: ev.ACLEDSubtypes,
		idx: idx, triggers: map[string]*phraseSet{},
		before: newPhraseSet(idx, cueMode), after: newPhraseSet(idx, cueMode), ignore: newPhraseSet(idx, exactOnly),
		breaks: newPhraseSet(idx, cueMode), source: newPhraseSet(idx, cueMode), mediator: newPhraseSet(idx, cueMode),
		origin: newPhraseSet(idx, exactOnly), dest: newPhraseSet(idx, cueMode), actors: newPhraseSet(idx, cueMode)}
	statusIdx := map[string]int{}
	addStatus := func(st string) int {
		if i, ok := statusIdx[st]; ok {
			return i
		}
		statusIdx[st] = len(s.statuses)
		s.statuses = append(s.statuses, st)
		return statusIdx[st]
	}
	for _, st := range sortedKeys(ev.Cues.Before) {
		i := addStatus(st)
		for _, w := range ev.Cues.Before[st].All() {
			s.before.add(w, i)
		}
	}
	for _, st := range sortedKeys(ev.Cues.After) {
		i := addStatus(st)
		for _, w := range ev.Cues.After[st].All() {
			s.after.add(w, i)
		}
	}
	for _, w := range ev.Cues.Ignore.All() {
		s.ignore.add(w, 0)
	}
	for _, w := range ev.Cues.ClauseBreaks.All() {
		s.breaks.add(w, 0)
	}
	for _, w := range ev.Cues.Source.All() {
		s.source.add(w, 0)
	}
	for _, w := range ev.Cues.Mediator.All() {
		s.mediator.add(w, 0)
	}
	for _, w := range ev.Cues.Origin.All() {
		s.origin.add(w, 0)
	}
	for _, w := range ev.Cues.Destination.All() {
		s.dest.add(w, 0)
	}
	for i, a := range ev.Actors {
		s.actorNames = append(s.actorNames, a.Name)
		for _, w := range append(append([]string{}, a.AR...), a.EN...) {
			s.actors.add(w, i)
		}
	}
	for i, r := range ev.Rules {
		ps := s.triggers[r.Lang]
		if ps == nil {
			ps = newPhraseSet(idx, triggerMode)
			s.triggers[r.Lang] = ps
		}
		for _, w := range r.Triggers {
			ps.add(w, s.payload(trigPayload{rule: i}))
		}
		for _, st := range sortedKeys(r.Subtypes) {
			for _, w := range r.Subtypes[st] {
				ps.add(w, s.payload(trigPayload{rule: i, subtype: st}))
			}
		}
		ex := newPhraseSet(idx, triggerMode)
		for _, w := range r.Exclude {
			ex.add(w, 0)
		}
		s.exclude = append(s.exclude, ex)
		q := map[string]string{}
		for _, role := range sortedKeys(r.Quantities) {
			for _, label := range r.Quantities[role] {
				q[label] = role
			}
		}
		s.qroles = append(s.qroles, q)
		s.purpose = append(s.purpose, purposeTypes[r.Type])
	}
	if len(s.triggers) == 0 {
		return nil, fmt.Errorf("events: no rules")
	}
	s.trigAR, s.trigEN = s.triggers["ar"], s.triggers["en"]
	for _, ps := range []*phraseSet{s.trigAR, s.trigEN} {
		if ps != nil {
			s.trigBits |= ps.bit
		}
	}
	idx.compile()
	return s, nil
}

func (s *Stage) payload(p trigPayload) int {
	s.pl = append(s.pl, p)
	return len(s.pl) - 1
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// Name implements pipeline.Stage.
func (s *Stage) Name() string { return Name }

// Process implements pipeline.Stage. Its working memory (the token
// readings, the triggers, the events while they are built, folded and
// merged) is pooled scratch; the events kept are copied into one
// exact-size slice per document, and their places, document dates and ids
// are batched the same way.
func (s *Stage) Process(doc *pipeline.Document) error {
	sc := getScratch()
	defer sc.release()
	for _, f := range doc.Fields {
		k := len(sc.evs)
		sc.evs = s.field(doc, f, sc, sc.evs)
		evs := sc.evs[k:]
		if len(evs) == 0 {
			continue
		}
		// each event's evidence starts as its own mention: one array for
		// all, each slice with no room to grow into its neighbour's
		ms := make([]pipeline.EventMention, len(evs))
		for i := range evs {
			ms[i] = mention(&evs[i])
			evs[i].Evidence = ms[i : i+1 : i+1]
		}
		evs = s.foldCasualties(evs, sc)
		evs = s.merge(evs, sc)
		sc.evs = sc.evs[:k+len(evs)]
	}
	if len(sc.evs) == 0 {
		doc.Events = nil
		return nil
	}
	out := make([]pipeline.Event, len(sc.evs))
	copy(out, sc.evs)
	clear(sc.evs)
	sc.evs = sc.evs[:0]
	// the codes, confidence and id of the events kept, from their final
	// fields (nothing reads them before), and their own places and
	// document date
	ids := make([]byte, 0, eventIDLen*len(out))
	for i := range out {
		ids = s.finish(doc, &out[i], ids)
	}
	idStr := string(ids)
	for i := range out {
		out[i].ID = idStr[i*eventIDLen : (i+1)*eventIDLen]
	}
	ownPlaces(out)
	sc.ownDates(out)
	doc.Events = out
	return nil
}

// scratch is the working memory of one Process call: reused through
// scratchPool, never kept by a document.
type scratch struct {
	fc    formCache
	trigs []trig
	drop  []bool
	// evs holds the events of the fields of the current document while
	// they are built, folded and merged: those kept of the fields done,
	// then those of the current field
	evs []pipeline.Event
	// spans and dates hand out the status cues and event dates, a block
	// of them at a time; a slot given out is never reused
	spans slab[pipeline.Span]
	dates slab[eventDateBox]
	// text holds the trigger texts of the current field, then their string
	text []byte
	ends []int
	// absorbed and lens are merge's (mergeEvidence)
	absorbed []absorbedEvidence
	lens     []int
	// mergeKeys are merge's: the mergeKey of each event kept
	mergeKeys []uint64
	// places and mentions are the places and the actor mentions of the
	// sentence placesOf and mentionsOf of the current field (-1: none),
	// found once for all the triggers of the sentence
	places     []*pipeline.Entity // places
	placesOf   int
	mentions   []actorMention // attachActors
	mentionsOf int
	quantities []*pipeline.Quantity // attachQuantities
	// the last sentence ranges of the lists of the current field: the
	// triggers of a sentence come one after the other
	trigRange rangeMemo
	// the same for the entities, dates and quantities of the current
	// field
	entRange, dateRange, quantRange sentList
	// date is the document date as YYYY-MM-DD once formatted: the events
	// of a document share the string.
	date string
	// docEventDate is the date of the events dated by the document while
	// they are built and merged; Process gives those kept their own copy.
	docEventDate *pipeline.EventDate
}

// docEventDateOf returns the date of an event dated by the document: one
// EventDate per call, shared until Process copies it into the events
// kept (ownDate).
func (sc *scratch) docEventDateOf(doc *pipeline.Document) *pipeline.EventDate {
	if sc.docEventDate == nil {
		sc.docEventDate = &pipeline.EventDate{Value: sc.docDate(doc), Precision: "day", Source: "document"}
	}
	return sc.docEventDate
}

// ownDates gives the events kept that are dated by the document their own
// copies of the shared document date, all in one array.
func (sc *scratch) ownDates(evs []pipeline.Event) {
	if sc.docEventDate == nil {
		return
	}
	n := 0
	for i := range evs {
		if evs[i].Date == sc.docEventDate {
			n++
		}
	}
	if n == 0 {
		return
	}
	ds := make([]pipeline.EventDate, n)
	for i := range evs {
		if ev := &evs[i]; ev.Date == sc.docEventDate {
			ds[0] = *ev.Date
			ev.Date = &ds[0]
			ds = ds[1:]
		}
	}
}

// docDate returns doc.DocDate as YYYY-MM-DD, formatted once per call.
func (sc *scratch) docDate(doc *pipeline.Document) string {
	if sc.date == "" {
		sc.date = doc.DocDate.Format("2006-01-02")
	}
	return sc.date
}

// scratchPool holds idle scratch; stages run on many goroutines at once.
var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// maxPooledTokens bounds the size of the scratch kept for reuse: the
// scratch of a huge document is left to the collector.
const maxPooledTokens = 1 << 18

// maxPooledEvents bounds the events buffer of the scratch kept for reuse.
const maxPooledEvents = 1 << 12

// slabSize is how many values a slab allocates at a time.
const slabSize = 32

// slab hands out pointers to zero values of T, allocated slabSize at a
// time: the events of a document take their status cues and dates from
// it rather than one allocation each. A value given out belongs to its
// taker; the slab never reads or writes it again.
type slab[T any] struct{ free []T }

// alloc returns a pointer to a zero T.
func (sl *slab[T]) alloc() *T {
	if len(sl.free) == 0 {
		sl.free = make([]T, slabSize)
	}
	p := &sl.free[0]
	sl.free = sl.free[1:]
	return p
}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// release returns sc to the pool, without the keys it points to.
func (sc *scratch) release() {
	sc.date = ""
	sc.docEventDate = nil
	clear(sc.places[:cap(sc.places)])
	clear(sc.mentions[:cap(sc.mentions)])
	clear(sc.quantities[:cap(sc.quantities)])
	clear(sc.fc.pool)
	sc.fc.pool = sc.fc.pool[:0]
	sc.fc.idx = nil
	// sc.evs is clear: Process clears the events it copies out, merge
	// and foldCasualties the slots they leave behind
	clear(sc.evs)
	sc.evs = sc.evs[:0]
	clear(sc.trigs[:cap(sc.trigs)])
	if cap(sc.fc.refs) > maxPooledTokens || cap(sc.fc.pool) > 8*maxPooledTokens || cap(sc.evs) > maxPooledEvents {
		return
	}
	scratchPool.Put(sc)
}

type trig struct {
	start, end int // token range
	cs         int // code point where the trigger starts (after clitics)
	p          trigPayload
	text       string // f.Slice(cs, end of the last token), set by field
}

// field appends to dst the events of one field, one per trigger, and
// returns it.
func (s *Stage) field(doc *pipeline.Document, f *pipeline.Field, sc *scratch, dst []pipeline.Event) []pipeline.Event {
	toks := f.Tokens
	fc := &sc.fc
	fc.fill(toks, s.idx, s.trigBits)
	sc.placesOf, sc.mentionsOf = -1, -1
	sc.trigRange = rangeMemo{}
	sc.entRange.reset()
	sc.dateRange.reset()
	sc.quantRange.reset()
	buf := fc
	trigs := sc.trigs[:0]
	// only the tokens with a trigger bit (fc.cands, in order) may start a
	// trigger: the scan goes from one to the next, skipping those inside
	// the trigger found last
	cands := fc.cands
	for si := range f.Sentences {
		sent := &f.Sentences[si]
		next := sent.TokStart // where the scan of the sentence stands
		k, _ := slices.BinarySearch(cands, int32(next))
		for ; k < len(cands) && int(cands[k]) < sent.TokEnd; k++ {
			i := int(cands[k])
			if i < next {
				continue
			}
			t := &toks[i]
			if t.Kind != pipeline.Word {
				continue
			}
			ps := s.trigEN
			if arabicFirst(t.Key) {
				ps = s.trigAR
			}
			if ps == nil {
				continue
			}
			v, n, cs, ok := ps.matchPre(toks, i, sent.TokEnd, buf)
			if !ok {
				continue
			}
			next = i + n
			p := s.pl[v]
			if s.excluded(toks, p.rule, i, n, sent, fc) {
				continue
			}
			trigs = append(trigs, trig{start: i, end: i + n, cs: cs, p: p})
		}
	}
	sc.trigs = trigs[:0] // keep the grown buffer for the next field
	if len(trigs) == 0 {
		return dst
	}
	sc.triggerTexts(f, trigs)
	base := len(dst)
	out := slices.Grow(dst, len(trigs))
	for k, tr := range trigs {
		// only the triggers of the same sentence matter to this one: keep
		// the work per trigger bounded on huge documents
		tlo, thi := sc.trigRange.get(len(trigs), func(i int) int { return int(toks[trigs[i].start].Sentence) }, int(toks[tr.start].Sentence))
		// built in its slot (build sets the whole event; out has room):
		// an event is large
		out = out[:len(out)+1]
		ev := &out[len(out)-1]
		s.build(doc, f, tr, trigs[tlo:thi], sc, ev)
		// "دعا إلى هدنة ... وإجلاء ...": a trigger coordinated with the
		// previous one (conjunction attached or "and" before it) shares its
		// status when it has no cue of its own.
		if k > 0 && ev.StatusCue == nil {
			prev := &out[base+k-1]
			ptr := trigs[k-1]
			if prev.Sentence == ev.Sentence && prev.StatusCue != nil && tr.start-ptr.end <= 12 && s.coordinated(f, tr) {
				ev.Status = prev.Status
				ev.StatusCue = prev.StatusCue
				for _, a := range prev.Actors {
					if a.Role == "requester" {
						ev.Actors = append(ev.Actors, a)
					}
				}
			}
		}
	}
	return out
}

// triggerTexts sets the text of each trigger, as f.Slice gives it, all of
// them substrings of one string: the texts are encoded one after the
// other, the end offset of each kept meanwhile in sc.ends.
func (sc *scratch) triggerTexts(f *pipeline.Field, trigs []trig) {
	b := sc.text[:0]
	ends := sc.ends[:0]
	for i := range trigs {
		tr := &trigs[i]
		lo := min(max(tr.cs, 0), len(f.Runes))
		hi := max(lo, min(f.Tokens[tr.end-1].End, len(f.Runes)))
		for _, r := range f.Runes[lo:hi] {
			// ASCII and Arabic by hand: AppendRune is a call for these
			switch {
			case uint32(r) < utf8.RuneSelf:
				b = append(b, byte(r))
			case uint32(r) < 0x800:
				b = append(b, 0xC0|byte(r>>6), 0x80|byte(r)&0x3F)
			default:
				b = utf8.AppendRune(b, r)
			}
		}
		ends = append(ends, len(b))
	}
	str := string(b)
	sc.text, sc.ends = b[:0], ends[:0]
	start := 0
	for i, end := range ends {
		trigs[i].text = str[start:end]
		start = end
	}
}

// arabicFirst reports whether key starts with an Arabic letter
// (normalize.IsArabicLetter), decoding only what is not a base letter of
// two bytes.
func arabicFirst(key string) bool {
	if len(key) == 0 || key[0] < utf8.RuneSelf {
		return false
	}
	if len(key) >= 2 && key[1]&0xC0 == 0x80 {
		r := rune(key[0]&0x1F)<<6 | rune(key[1]&0x3F)
		if key[0]&0xE0 == 0xC0 && r >= 0x0621 && r <= 0x064A {
			return r != normalize.Tatweel
		}
	}
	r, n := utf8.DecodeRuneInString(key)
	return n > 0 && normalize.IsArabicLetter(r)
}

// coordinated reports whether a trigger is joined to what precedes it by a
// conjunction: an attached و/ف, or a separate "و", "and", "or".
func (s *Stage) coordinated(f *pipeline.Field, tr trig) bool {
	t := &f.Tokens[tr.start]
	if tr.cs > t.Start {
		r := f.Runes[t.Start]
		if r == 'و' || r == 'ف' {
			return true
		}
	}
	if tr.start > 0 {
		prev := &f.Tokens[tr.start-1]
		switch prev.Key {
		case "و", "and", "or", "او":
			return true
		}
		// "وإجراء مفاوضات": the conjunction sits on the word before
		if strings.HasPrefix(prev.Key, "و") && utf8.RuneCountInString(prev.Key) > 3 && prev.Kind == pipeline.Word {
			return true
		}
	}
	return false
}

// excluded reports whether one of the rule's exclusion phrases covers the
// trigger.
func (s *Stage) excluded(toks []pipeline.Token, rule, i, n int, sent *pipeline.Sentence, fc *formCache) bool {
	ex := s.exclude[rule]
	if ex.empty() {
		return false
	}
	buf := fc
	for j := i - 4; j <= i; j++ {
		if j < sent.TokStart {
			continue
		}
		if _, m, ok := ex.matchAt(toks, j, sent.TokEnd, buf); ok && j+m > i {
			return true
		}
	}
	return false
}

func isClausePunct(r rune) bool {
	switch r {
	case '،', ',', '؛', ';', ':', '(', ')', '"', '«', '»', '“', '”', '.', '?', '!', '؟':
		return true
	}
	return false
}

// clause returns the token range of the trigger's clause.
func (s *Stage) clause(f *pipeline.Field, sent *pipeline.Sentence, i, j int, fc *formCache) (int, int) {
	toks := f.Tokens
	buf := fc
	a := i
	for a > sent.TokStart {
		t := &toks[a-1]
		if t.Kind == pipeline.Punct && isClausePunct(f.Runes[t.Start]) {
			break
		}
		if !fc.refuses(s.breaks, a-1) && s.breaks.starts(toks, a-1, sent.TokEnd, buf) {
			break
		}
		a--
	}
	b := j
	for b < sent.TokEnd {
		t := &toks[b]
		if t.Kind == pipeline.Punct && isClausePunct(f.Runes[t.Start]) {
			break
		}
		if !fc.refuses(s.breaks, b) && s.breaks.starts(toks, b, sent.TokEnd, buf) {
			break
		}
		b++
	}
	return a, b
}

// statusScanStart is where the backward cue search stops: the sentence
// start, a clause-break word or a semicolon, at most StatusWindow tokens.
func (s *Stage) statusScanStart(f *pipeline.Field, sent *pipeline.Sentence, i int, fc *formCache) int {
	toks := f.Tokens
	buf := fc
	a := i
	for a > sent.TokStart && i-a < StatusWindow {
		t := &toks[a-1]
		if t.Kind == pipeline.Punct {
			r := f.Runes[t.Start]
			if r == '؛' || r == ';' {
				break
			}
		}
		if !fc.refuses(s.breaks, a-1) && s.breaks.starts(toks, a-1, sent.TokEnd, buf) {
			break
		}
		a--
	}
	return a
}

func (s *Stage) build(doc *pipeline.Document, f *pipeline.Field, tr trig, all []trig, sc *scratch, ev *pipeline.Event) {
	fc := &sc.fc
	toks := f.Tokens
	t0 := &toks[tr.start]
	sent := &f.Sentences[t0.Sentence]
	rule := &s.rules[tr.p.rule]
	*ev = pipeline.Event{
		Type: rule.Type, Subtype: tr.p.subtype, Status: rule.Status,
		Trigger:  s.spanText(f, tr.text, tr.cs, toks[tr.end-1].End),
		Sentence: int(t0.Sentence), Rule: rule.ID, TokStart: tr.start, TokEnd: tr.end,
		Actors: []pipeline.Actor{}, Quantities: []pipeline.EventQuantity{},
	}
	if f.Name != "text" {
		ev.Field = f.Name
	}
	if ev.Status == "" {
		ev.Status = "occurred"
	}
	ca, cb := s.clause(f, sent, tr.start, tr.end, fc)

	// status: nearest cue before, else after, else a future date
	cueAt := -1
	scan := s.statusScanStart(f, sent, tr.start, fc)
	buf := fc
	bestDist := 1 << 30
	for j := tr.start - 1; j >= scan; j-- {
		if !fc.refuses(s.ignore, j) && s.ignore.starts(toks, j, sent.TokEnd, buf) {
			continue
		}
		if fc.refuses(s.before, j) {
			continue
		}
		if v, n, ok := s.before.matchAt(toks, j, tr.start, buf); ok && j+n <= tr.start {
			// a negation scopes over the next words only: "لم يتم إجلاء"
			// is negated, "لم يرد تأكيد مستقل للهجوم" is not
			if s.statuses[v] == "negated" && tr.start-(j+n) > NegationWindow {
				continue
			}
			ev.Status = s.statuses[v]
			ev.StatusCue = sc.span(s.span(f, toks[j].Start, toks[j+n-1].End))
			cueAt = j
			bestDist = tr.start - (j + n)
			break
		}
	}
	if bestDist > 3 {
		for j := tr.end; j < tr.end+AfterWindow && j < sent.TokEnd; j++ {
			if v, n, ok := s.after.matchAt(toks, j, sent.TokEnd, buf); ok {
				ev.Status = s.statuses[v]
				ev.StatusCue = sc.span(s.span(f, toks[j].Start, toks[j+n-1].End))
				cueAt = -1
				break
			}
		}
	}

	// "بدأت عملية عسكرية لتحرير جامعة الأنبار": a verbal noun with the
	// preposition ل attached states a purpose, not a fact
	if ev.StatusCue == nil && s.purpose[tr.p.rule] && tr.cs > t0.Start {
		for k := t0.Start; k < tr.cs; k++ {
			if f.Runes[k] == 'ل' {
				ev.Status = "proposed"
				ev.StatusCue = sc.span(s.span(f, k, k+1))
				break
			}
		}
	}

	// dates and duration
	var clauseDate, sentDate *pipeline.DateMention
	dlo, dhi := sc.dateRange.get(len(f.Dates), func(i int) int { return f.Dates[i].Sentence }, ev.Sentence)
	for di := dlo; di < dhi; di++ {
		d := &f.Dates[di]
		if d.Sentence != ev.Sentence {
			continue
		}
		if d.Type == "duration" {
			// "هدنة لمدة 5 أيام" after the trigger, "a five-day truce" before it
			after := d.TokStart >= tr.end && d.TokStart <= tr.end+6
			before := d.TokEnd <= tr.start && tr.start-d.TokEnd <= 2
			for _, o := range all {
				// a duration right after another trigger is that one's
				if before && o.end <= d.TokStart && d.TokStart-o.end <= 6 {
					before = false
				}
			}
			if (after || before) && ev.Duration == "" {
				ev.Duration = d.Value
			}
			continue
		}
		if d.TokStart >= ca && d.TokEnd <= cb+8 && clauseDate == nil {
			clauseDate = d
		} else if sentDate == nil {
			sentDate = d
		}
	}
	if clauseDate != nil && ev.StatusCue == nil && (clauseDate.Value == "FUTURE_REF" || afterDocDate(doc, clauseDate, sc)) {
		// "في الساعات القادمة", "بدء هدنة ... يوم الأحد المقبل"
		ev.Status = "planned"
		ev.StatusCue = sc.span(s.span(f, clauseDate.Start, clauseDate.End))
	}
	switch {
	case clauseDate != nil && clauseDate.Value != "" && clauseDate.Value != "FUTURE_REF":
		ev.Date = sc.eventDate(clauseDate, "clause")
	case sentDate != nil && sentDate.Value != "" && sentDate.Value != "FUTURE_REF":
		ev.Date = sc.eventDate(sentDate, "sentence")
	case doc.HasDate:
		ev.Date = sc.docEventDateOf(doc)
	}

	s.places(f, sent, ev, tr, ca, cb, sc)
	s.attachActors(f, sent, ev, tr, ca, cb, cueAt, rule, all, sc)
	s.attachQuantities(f, sent, ev, tr, ca, cb, sc)
	if ev.Type == "casualties" && rule.Lang == "en" {
		s.singularVictim(f, sent, ev, tr)
	}
}

// singularVictim gives an English casualties event without a count a
// count of one when its victim is singular: "An armed islamist was
// killed", "troops killed a militant", "a policeman was wounded".
func (s *Stage) singularVictim(f *pipeline.Field, sent *pipeline.Sentence, ev *pipeline.Event, tr trig) {
	toks := f.Tokens
	var role string
	switch toks[tr.start].Key {
	case "killed", "shot":
		role = "killed"
	case "wounded", "injured":
		role = "injured"
	default:
		return
	}
	for _, q := range ev.Quantities {
		if q.Role == role {
			return
		}
	}
	one := func(i int) bool {
		switch toks[i].Key {
		case "a", "an", "another", "one":
			return true
		}
		return false
	}
	at := -1
	if tr.end < sent.TokEnd && one(tr.end) {
		// active: "killed a militant"
		at = tr.end
	} else if tr.start > sent.TokStart && toks[tr.start-1].Key == "was" {
		// passive: "A militant was killed", "Mouloud Baal was killed"
		at = tr.start - 1
		for j := tr.start - 2; j >= sent.TokStart && j >= tr.start-7; j-- {
			if toks[j].Kind == pipeline.Punct {
				break
			}
			if one(j) {
				at = j
				break
			}
		}
	}
	if at < 0 {
		return
	}
	t := &toks[at]
	ev.Quantities = append(ev.Quantities, pipeline.EventQuantity{Role: role, Value: 1, Text: f.Slice(t.Start, t.End), Start: t.Start, End: t.End})
}

// finish sets the codes and the confidence from the event's fields and
// appends its id to ids (appendEventID). Process calls it once per event
// kept, when the event is complete: it reads only fields that no later
// step changes.
func (s *Stage) finish(doc *pipeline.Document, ev *pipeline.Event, ids []byte) []byte {
	// codes
	tc := s.types[ev.Type]
	ev.Codes = pipeline.Codes{PLOVERCategory: tc.PLOVER.Category, PLOVERMode: tc.PLOVER.Mode,
		ACLEDEventType: tc.ACLED.EventType, ACLEDSubEventType: tc.ACLED.SubEventType}
	if c, ok := tc.CAMEO[ev.Subtype]; ok && ev.Subtype != "" {
		ev.Codes.CAMEO = c
	} else if c, ok := tc.CAMEO[ev.Status]; ok {
		ev.Codes.CAMEO = c
	} else {
		ev.Codes.CAMEO = tc.CAMEO["default"]
	}
	if a, ok := s.acledSub[ev.Subtype]; ok {
		ev.Codes.ACLEDEventType, ev.Codes.ACLEDSubEventType = a.EventType, a.SubEventType
	}

	// confidence
	c := 0.5
	if ev.StatusCue != nil || ev.Status == "occurred" {
		c += 0.1
	}
	if ev.Location != nil {
		c += 0.15
	}
	if len(ev.Actors) > 0 {
		c += 0.1
	}
	if ev.Date != nil && ev.Date.Source != "document" {
		c += 0.05
	}
	if len(ev.Quantities) > 0 || ev.Duration != "" {
		c += 0.05
	}
	if ev.TokEnd-ev.TokStart > 1 {
		c += 0.05
	}
	if c > 0.95 {
		c = 0.95
	}
	ev.Confidence = float64(int(c*100+0.5)) / 100

	return appendEventID(ids, doc.ID, ev.Field, ev.Type, ev.Status, ev.Trigger.Start)
}

// eventIDLen is the length of an event id.
const eventIDLen = 16

// appendEventID appends to dst the event id: the first 16 hex digits of
// the SHA-1 of "docID\x00field\x00type\x00status\x00start" (start in
// decimal), built on the stack. Process makes one string of the ids of a
// document's events and slices it.
func appendEventID(dst []byte, docID, field, typ, status string, start int) []byte {
	var buf [512]byte
	b := append(buf[:0], docID...)
	for _, x := range [...]string{field, typ, status} {
		b = append(b, 0)
		b = append(b, x...)
	}
	b = append(b, 0)
	b = strconv.AppendInt(b, int64(start), 10)
	sum := sha1.Sum(b)
	var hx [2 * sha1.Size]byte
	hex.Encode(hx[:], sum[:])
	return append(dst, hx[:eventIDLen]...)
}

// afterDocDate reports whether a day-precision date lies after the
// document date.
func afterDocDate(doc *pipeline.Document, d *pipeline.DateMention, sc *scratch) bool {
	if !doc.HasDate || d.Precision != "day" || len(d.Value) != 10 {
		return false
	}
	return d.Value > sc.docDate(doc)
}

// eventDateBox holds an EventDate and the offsets it points to: one
// allocation for the three.
type eventDateBox struct {
	d      pipeline.EventDate
	st, en int
}

// eventDate returns the event date of d, from the slab.
func (sc *scratch) eventDate(d *pipeline.DateMention, source string) *pipeline.EventDate {
	b := sc.dates.alloc()
	b.st, b.en = d.Start, d.End
	b.d = pipeline.EventDate{Value: d.Value, Precision: d.Precision, Source: source, Text: d.Text, Start: &b.st, End: &b.en}
	return &b.d
}

// span returns a pointer to a copy of sp, from the slab.
func (sc *scratch) span(sp pipeline.Span) *pipeline.Span {
	p := sc.spans.alloc()
	*p = sp
	return p
}

func (s *Stage) span(f *pipeline.Field, start, end int) pipeline.Span {
	return s.spanText(f, f.Slice(start, end), start, end)
}

// spanText is span with its text, f.Slice(start, end), given.
func (s *Stage) spanText(f *pipeline.Field, text string, start, end int) pipeline.Span {
	sp := pipeline.Span{Text: text, Start: start, End: end}
	if f.Name != "text" {
		sp.Field = f.Name
	}
	return sp
}

// places sets location, origin and destination, as pointers into
// f.Entities: Process gives the events kept their own copies (ownPlaces).
func (s *Stage) places(f *pipeline.Field, sent *pipeline.Sentence, ev *pipeline.Event, tr trig, ca, cb int, sc *scratch) {
	toks := f.Tokens
	buf := &sc.fc
	inSent := sc.sentPlaces(f, sent, ev.Sentence)
	if len(inSent) == 0 {
		return
	}
	// a place right after an origin/destination cue that follows the trigger
	for _, e := range inSent {
		if e.TokStart < tr.end || e.TokStart > cb+2 {
			continue
		}
		for k := 1; k <= 3 && e.TokStart-k >= tr.end; k++ {
			j := e.TokStart - k
			isDest := false
			if _, n, ok := s.dest.matchAt(toks, j, sent.TokEnd, buf); ok && j+n <= e.TokStart {
				isDest = true
			}
			if isDest && ev.Destination == nil {
				ev.Destination = e
				break
			}
			if _, n, ok := s.origin.matchAt(toks, j, sent.TokEnd, buf); ok && j+n <= e.TokStart && ev.Origin == nil {
				ev.Origin = e
				break
			}
		}
	}
	switch ev.Type {
	case "evacuation", "displacement", "withdrawal":
		if ev.Origin != nil {
			ev.Location = ev.Origin
			return
		}
		// "أبلغت واشنطن رفضها الانسحاب من المدينة": the place left is
		// named right after the trigger, by a word that is not a known
		// place; a place before the trigger is someone else's
		if ev.Destination == nil && tr.end < sent.TokEnd {
			if _, n, ok := s.origin.matchAt(toks, tr.end, sent.TokEnd, buf); ok && n > 0 {
				return
			}
		}
	default:
		// origin/destination are meaningful only for movements
		if ev.Origin != nil && ev.Location == nil {
			ev.Location = ev.Origin
		}
		ev.Origin, ev.Destination = nil, nil
		if ev.Location != nil {
			return
		}
	}
	// first place after the trigger in the clause, not a destination
	for _, e := range inSent {
		if e.TokStart >= tr.end && e.TokEnd <= cb && e.TokStart-tr.end <= PlaceWindow {
			if ev.Destination != nil && ev.Destination.Start == e.Start {
				continue
			}
			ev.Location = e
			return
		}
	}
	// nearest before the trigger in the clause, else the sentence's first
	// place (its topic) when it comes before the trigger
	var best *pipeline.Entity
	for _, e := range inSent {
		if e.TokEnd <= tr.start && e.TokStart >= ca {
			best = e
		}
	}
	if best == nil && inSent[0].TokEnd <= tr.start {
		best = inSent[0]
	}
	if best != nil && ev.Destination == nil {
		ev.Location = best
	}
}

// sentPlaces returns the places of sentence si (sent) of f, found once
// for all its triggers.
func (sc *scratch) sentPlaces(f *pipeline.Field, sent *pipeline.Sentence, si int) []*pipeline.Entity {
	if sc.placesOf == si {
		return sc.places
	}
	inSent := sc.places[:0]
	elo, ehi := sc.entRange.get(len(f.Entities), func(i int) int { return f.Entities[i].Sentence }, si)
	for i := elo; i < ehi; i++ {
		e := &f.Entities[i]
		if e.Type == "place" && e.TokStart >= sent.TokStart && e.TokEnd <= sent.TokEnd {
			inSent = append(inSent, e)
		}
	}
	sc.places, sc.placesOf = inSent, si
	return inSent
}

// ownPlaces gives the events kept their own copies of their places, all
// in one array: while the events of a field are built, folded and merged,
// they point into the field's entities, and the events dropped cost no
// copy.
func ownPlaces(evs []pipeline.Event) {
	n := 0
	for i := range evs {
		ev := &evs[i]
		for _, p := range [...]*pipeline.Entity{ev.Location, ev.Origin, ev.Destination} {
			if p != nil {
				n++
			}
		}
	}
	if n == 0 {
		return
	}
	es := make([]pipeline.Entity, n)
	for i := range evs {
		ev := &evs[i]
		for _, p := range [...]**pipeline.Entity{&ev.Location, &ev.Origin, &ev.Destination} {
			if *p != nil {
				es[0] = **p
				*p = &es[0]
				es = es[1:]
			}
		}
	}
}

type actorMention struct {
	start, end int // tokens
	text       string
	cs, ce     int
	id, name   string
}

// attachActors finds organizations and generic actor phrases and gives
// them roles.
func (s *Stage) attachActors(f *pipeline.Field, sent *pipeline.Sentence, ev *pipeline.Event, tr trig, ca, cb, cueAt int, rule *rules.Rule, all []trig, sc *scratch) {
	toks := f.Tokens
	fc := &sc.fc
	ms := s.sentMentions(f, sent, ev.Sentence, sc)
	add := func(m actorMention, role string) {
		for _, a := range ev.Actors {
			if a.Start == m.cs && a.Role == role {
				return
			}
		}
		ev.Actors = append(ev.Actors, pipeline.Actor{Role: role, Text: m.text, Start: m.cs, End: m.ce, ID: m.id, Name: m.name})
	}
	afterRole := rule.AfterActorRole
	if afterRole == "" {
		afterRole = "target"
	}
	// blocked: another trigger stands between the mention and this
	// trigger, or the mention is itself a trigger
	blocked := func(m actorMention) bool {
		for _, o := range all {
			if m.start < o.end && o.start < m.end {
				return true
			}
			if o.start == tr.start {
				continue
			}
			if m.end <= o.start && o.end <= tr.start {
				return true
			}
			if tr.end <= o.start && o.end <= m.start {
				return true
			}
		}
		return false
	}
	mediatorEnd := -1
	for _, m := range ms {
		switch {
		case s.precededBy(s.mediator, toks, m.start, sent, 3, fc) || (mediatorEnd >= 0 && m.start == mediatorEnd):
			if m.start >= ca-12 && m.start <= cb+12 {
				add(m, "mediator")
				mediatorEnd = m.end
			}
		case blocked(m):
		case s.precededBy(s.source, toks, m.start, sent, 2, fc):
			add(m, "source")
		case ev.Status == "proposed" && cueAt >= 0 && m.start >= cueAt && m.end <= tr.start:
			add(m, "requester")
		case ev.Status == "proposed" && cueAt >= 0 && m.end <= cueAt && cueAt-m.end <= 4 && m.start >= sent.TokStart:
			// "Rebels in eastern Aleppo called for ...": the subject before the cue
			add(m, "requester")
		case m.start >= tr.end && m.start <= tr.end+1:
			add(m, afterRole)
		case m.end <= tr.start && m.start >= ca:
			add(m, "actor")
		case m.end <= tr.start && tr.start-m.end <= 3:
			add(m, "actor")
		}
	}
}

// sentMentions returns the actor mentions of sentence si (sent) of f in
// text order: its organizations, then the actor phrases that overlap none
// of them. They are found once for all the triggers of the sentence.
func (s *Stage) sentMentions(f *pipeline.Field, sent *pipeline.Sentence, si int, sc *scratch) []actorMention {
	if sc.mentionsOf == si {
		return sc.mentions
	}
	toks := f.Tokens
	ms := sc.mentions[:0]
	elo, ehi := sc.entRange.get(len(f.Entities), func(i int) int { return f.Entities[i].Sentence }, si)
	for i := elo; i < ehi; i++ {
		e := &f.Entities[i]
		if e.Type == "organization" && e.TokStart >= sent.TokStart && e.TokEnd <= sent.TokEnd {
			ms = append(ms, actorMention{start: e.TokStart, end: e.TokEnd, text: e.Text, cs: e.Start, ce: e.End, id: e.ID, name: e.Name})
		}
	}
	for i := sent.TokStart; i < sent.TokEnd; {
		if sc.fc.refuses(s.actors, i) {
			i++
			continue
		}
		if v, n, cs, ok := s.actors.matchPre(toks, i, sent.TokEnd, &sc.fc); ok {
			overl := false
			for _, m := range ms {
				if m.start < i+n && i < m.end {
					overl = true
				}
			}
			if !overl {
				ms = append(ms, actorMention{start: i, end: i + n, text: f.Slice(cs, toks[i+n-1].End),
					cs: cs, ce: toks[i+n-1].End, name: s.actorNames[v]})
			}
			i += n
			continue
		}
		i++
	}
	// mentions are nearly always in order already; with distinct starts
	// every sort gives the same order, so only others go to sort.Slice
	if !strictlyIncreasing(ms) {
		sort.Slice(ms, func(a, b int) bool { return ms[a].start < ms[b].start })
	}
	sc.mentions, sc.mentionsOf = ms, si
	return ms
}

// strictlyIncreasing reports whether the mentions' starts increase.
func strictlyIncreasing(ms []actorMention) bool {
	for i := 1; i < len(ms); i++ {
		if ms[i].start <= ms[i-1].start {
			return false
		}
	}
	return true
}

// precededBy reports whether a phrase of ps ends within k tokens before i.
func (s *Stage) precededBy(ps *phraseSet, toks []pipeline.Token, i int, sent *pipeline.Sentence, k int, fc *formCache) bool {
	buf := fc
	for j := i - 1; j >= sent.TokStart && j >= i-k-3; j-- {
		if _, n, ok := ps.matchAt(toks, j, i, buf); ok && j+n <= i && i-(j+n) < k {
			return true
		}
	}
	return false
}

// attachQuantities attaches the sentence's numbers whose counted noun fits
// the rule; an uncounted number only from the trigger's clause or after it.
func (s *Stage) attachQuantities(f *pipeline.Field, sent *pipeline.Sentence, ev *pipeline.Event, tr trig, ca, cb int, sc *scratch) {
	roles := s.qroles[tr.p.rule]
	if len(roles) == 0 {
		return
	}
	var takenArr [8]string
	taken := takenArr[:0] // the roles filled
	// nearest first: after the trigger, then before
	qs := sc.quantities[:0]
	defer func() { sc.quantities = qs[:0] }()
	qlo, qhi := sc.quantRange.get(len(f.Quantities), func(i int) int { return f.Quantities[i].Sentence }, ev.Sentence)
	for i := qlo; i < qhi; i++ {
		q := &f.Quantities[i]
		if q.Sentence == ev.Sentence {
			qs = append(qs, q)
		}
	}
	// a stable sort has one result: the same as sort.SliceStable's
	slices.SortStableFunc(qs, func(a, b *pipeline.Quantity) int { return cmp.Compare(dist(a, tr), dist(b, tr)) })
	for _, q := range qs {
		role, ok := roles[q.Counted]
		if !ok {
			continue
		}
		if q.Counted == "" && !(q.TokStart >= tr.end || (q.TokStart >= ca && q.TokEnd <= cb)) {
			continue
		}
		if slices.Contains(taken, role) {
			continue
		}
		taken = append(taken, role)
		ev.Quantities = append(ev.Quantities, pipeline.EventQuantity{Role: role, Value: q.Value, Counted: q.Counted,
			Text: q.Text, Start: q.Start, End: q.End, Approximate: q.Approximate, Bound: q.Bound})
	}
}

func dist(q *pipeline.Quantity, tr trig) int {
	if q.TokStart >= tr.end {
		return q.TokStart - tr.end
	}
	return (tr.start - q.TokEnd) * 2
}

// rangeMemo remembers the last sentRange of one list (of one field): the
// same arguments give the same range.
type rangeMemo struct {
	ok        bool
	s, lo, hi int
}

// get returns sentRange(n, sentence, s), computed again only when s is not
// the sentence of the last call.
func (m *rangeMemo) get(n int, sentence func(i int) int, s int) (int, int) {
	if !m.ok || m.s != s {
		lo, hi := sentRange(n, sentence, s)
		*m = rangeMemo{ok: true, s: s, lo: lo, hi: hi}
	}
	return m.lo, m.hi
}

// sentList is a rangeMemo over a list of large items (entities, dates,
// quantities), most of them out of the cache: the sentence of an item is
// read once per field, the first time a binary search asks it, and kept
// in a small array (the first probes of every search are the same).
type sentList struct {
	sents []int
	known []bool
	m     rangeMemo
}

// reset prepares the list for another field.
func (l *sentList) reset() {
	l.sents, l.known, l.m = l.sents[:0], l.known[:0], rangeMemo{}
}

// get returns sentRange(n, sentence, s), as rangeMemo.get does.
func (l *sentList) get(n int, sentence func(i int) int, s int) (int, int) {
	if len(l.known) != n {
		l.sents = slices.Grow(l.sents[:0], n)[:n]
		l.known = slices.Grow(l.known[:0], n)[:n]
		clear(l.known)
	}
	ss, known := l.sents, l.known
	return l.m.get(n, func(i int) int {
		if !known[i] {
			ss[i], known[i] = sentence(i), true
		}
		return ss[i]
	}, s)
}

// sentRange returns the index range [lo, hi) of the items of sentence s in
// a list sorted by sentence (sentence(i) gives item i's sentence). When the
// list is not sorted it returns the whole list, which is always correct.
func sentRange(n int, sentence func(i int) int, s int) (int, int) {
	if n == 0 {
		return 0, 0
	}
	if sentence(0) > sentence(n-1) {
		return 0, n
	}
	lo := sort.Search(n, func(i int) bool { return sentence(i) >= s })
	hi := sort.Search(n, func(i int) bool { return sentence(i) > s })
	if lo > hi {
		return 0, n
	}
	return lo, hi
}
