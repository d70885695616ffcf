package orgs

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/internal/wordlist"
	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/rules"
)

// Name is the stage name in config.yaml.
const Name = "organizations"

// Match is the entities' match value.
const Match = "designator"

// Options configures the stage.
type Options struct {
	// Conjunctions and Prepositions are the Arabic proclitics tried on a
	// designator (وبوزارة → وزارة), as for gazetteer names.
	Conjunctions []string
	Prepositions []string
}

// rule is a compiled designator rule.
type rule struct {
	kind     string
	after    bool // span: after
	definite bool
	quoted   bool
	place    bool
	foreign  bool
	maxWords int
}

// arDesig is one Arabic designator phrase: its word keys and its rule.
type arDesig struct {
	words []string
	r     *rule
	// masc is true for a definite masculine designator (البنك, المجلس):
	// an adjective follows it and agrees, so a first name word with ة
	// (البنك المرونة, البنك التنموية) belongs to something else.
	masc bool
}

// enDesig is one English designator phrase; of is true for "X of" forms
// whose name follows.
type enDesig struct {
	words []string
	of    bool
	r     *rule
}

// Stage finds designator phrases.
type Stage struct {
	conj, prep []string
	// ar maps the key of a designator's first word to its phrases, longest
	// first.
	ar map[string][]arDesig
	// arDef maps the keys of ar that start with the article ال, without
	// it: a token ل+ال+X (للبنك) is looked up as arDef[X], not as the
	// string "ال"+X.
	arDef map[string][]arDesig
	// enAfter maps the first word of an "X of" designator, enBefore the
	// last word of a designator written after its name.
	enAfter, enBefore map[string][]enDesig
	stop              map[string]bool
	// arTail, arKeys and enKeys are the prefilters in front of the maps
	// (see candidates): arTail over the tails of the keys of ar and arDef,
	// arKeys over those keys, enKeys over the keys of enAfter and
	// enBefore. enArabic is true when one of those starts with an Arabic
	// letter.
	arTail   tailFilter
	arKeys   wordlist.Filter
	enKeys   wordlist.Filter
	enArabic bool
	// noFilter turns the prefilters off (tests compare both ways).
	noFilter bool
	scans    sync.Pool // *scan, the per-field scratch
}

// New compiles the rules.
func New(o *rules.Organizations, opt Options) (*Stage, error) {
	s := &Stage{ar: map[string][]arDesig{}, enAfter: map[string][]enDesig{}, enBefore: map[string][]enDesig{}, stop: map[string]bool{}}
	for _, c := range opt.Conjunctions {
		if k := normalize.Key(c); k != "" {
			s.conj = append(s.conj, k)
		}
	}
	for _, p := range opt.Prepositions {
		if k := normalize.Key(p); k != "" {
			s.prep = append(s.prep, k)
		}
	}
	if o == nil {
		s.compileFilters()
		return s, nil
	}
	for _, w := range o.StopWords.All() {
		for _, k := range normalize.PhraseKeys(w) {
			s.stop[k] = true
		}
	}
	for i := range o.Designators {
		d := &o.Designators[i]
		r := &rule{kind: d.Kind, after: d.Span == rules.SpanAfter, maxWords: d.MaxWords}
		if r.maxWords <= 0 {
			r.maxWords = 3
		}
		if !contains(gazetteers.OrgKinds, r.kind) {
			return nil, fmt.Errorf("organizations: designator %q: unknown kind %q", d.ID, d.Kind)
		}
		for _, f := range d.OrgForms() {
			switch f {
			case rules.FormDefinite:
				r.definite = true
			case rules.FormQuoted:
				r.quoted = true
			case rules.FormPlace:
				r.place = true
			case rules.FormForeign:
				r.foreign = true
			default:
				return nil, fmt.Errorf("organizations: designator %q: unknown name form %q", d.ID, f)
			}
		}
		for _, w := range d.Words {
			ks := normalize.PhraseKeys(w)
			if len(ks) == 0 {
				continue
			}
			switch d.Lang {
			case "ar":
				last := ks[len(ks)-1]
				masc := len(ks) == 1 && strings.HasPrefix(last, "ال") && !strings.HasSuffix(last, "ه")
				s.ar[ks[0]] = insertAr(s.ar[ks[0]], arDesig{words: ks, r: r, masc: masc})
			case "en":
				if n := len(ks); n > 1 && ks[n-1] == "of" {
					s.enAfter[ks[0]] = insertEn(s.enAfter[ks[0]], enDesig{words: ks, of: true, r: r})
				} else {
					last := ks[len(ks)-1]
					s.enBefore[last] = insertEn(s.enBefore[last], enDesig{words: ks, r: r})
				}
			default:
				return nil, fmt.Errorf("organizations: designator %q: unknown lang %q", d.ID, d.Lang)
			}
		}
	}
	s.compileFilters()
	return s, nil
}

// compileFilters builds arDef and the prefilters from the maps.
func (s *Stage) compileFilters() {
	s.arDef = map[string][]arDesig{}
	var tails []string
	for k, list := range s.ar {
		tails = append(tails, k)
		if rest, ok := strings.CutPrefix(k, "ال"); ok {
			s.arDef[rest] = list
			tails = append(tails, rest)
		}
	}
	s.arTail = newTailFilter(tails)
	s.arKeys = wordlist.NewFilter(len(tails))
	for _, k := range tails {
		s.arKeys.Add(k)
	}
	s.enKeys = wordlist.NewFilter(len(s.enAfter) + len(s.enBefore))
	for _, m := range []map[string][]enDesig{s.enAfter, s.enBefore} {
		for k := range m {
			s.enKeys.Add(k)
			r, _ := utf8.DecodeRuneInString(k)
			s.enArabic = s.enArabic || normalize.IsArabicLetter(r)
		}
	}
}

// tailFilter is a one-hash Bloom filter over the last n bytes of a set of
// keys, n being the length of the shortest key (at most 8): a token key
// whose tail is not in it is no key nor has a key as a suffix. With n == 0
// (an empty key) it lets everything through; without keys, nothing.
type tailFilter struct {
	n    int
	bits []uint64 // 1<<tailLog bits
}

const tailLog = 16

func newTailFilter(keys []string) tailFilter {
	f := tailFilter{n: 8}
	for _, k := range keys {
		f.n = min(f.n, len(k))
	}
	if f.n == 0 {
		return tailFilter{}
	}
	f.bits = make([]uint64, 1<<tailLog/64)
	for _, k := range keys {
		h := f.hash(k)
		f.bits[h>>6] |= 1 << (h & 63)
	}
	return f
}

// hash hashes the last f.n bytes of k (len(k) >= f.n > 0).
func (f *tailFilter) hash(k string) uint64 {
	var v uint64
	if len(k) >= 8 {
		v = le64(k[len(k)-8:]) >> (8 * (8 - f.n))
	} else {
		for i := len(k) - f.n; i < len(k); i++ {
			v = v<<8 | uint64(k[i])
		}
		// the same value as the le64 branch: last byte highest
		v = reverseLow(v, f.n)
	}
	return (v ^ uint64(f.n)<<59) * 0x9E3779B97F4A7C15 >> (64 - tailLog)
}

// reverseLow reverses the order of the low n bytes of v.
func reverseLow(v uint64, n int) uint64 {
	var r uint64
	for range n {
		r = r<<8 | v&0xff
		v >>= 8
	}
	return r
}

// le64 reads the first eight bytes of s as a little-endian word.
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// mayEnd reports whether k may end with one of the filter's keys: false
// means that no suffix of k is a key.
func (f *tailFilter) mayEnd(k string) bool {
	if f.bits == nil {
		return true
	}
	if len(k) < f.n {
		return false
	}
	h := f.hash(k)
	return f.bits[h>>6]&(1<<(h&63)) != 0
}

func insertAr(list []arDesig, d arDesig) []arDesig {
	list = append(list, d)
	sort.SliceStable(list, func(i, j int) bool { return len(list[i].words) > len(list[j].words) })
	return list
}

func insertEn(list []enDesig, d enDesig) []enDesig {
	list = append(list, d)
	sort.SliceStable(list, func(i, j int) bool { return len(list[i].words) > len(list[j].words) })
	return list
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Name implements pipeline.Stage.
func (s *Stage) Name() string { return Name }

// Process implements pipeline.Stage.
func (s *Stage) Process(doc *pipeline.Document) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s: internal error: %v", Name, r)
		}
	}()
	for _, f := range doc.Fields {
		if f == nil || len(f.Tokens) == 0 {
			continue
		}
		if f.Runes == nil {
			f.Runes = []rune(f.Text)
		}
		s.field(f)
	}
	return nil
}

// Token states for a field scan.
const (
	free     uint8 = iota
	inEntity       // inside a gazetteer entity
	inOther        // inside a date or a quantity
)

type scan struct {
	s     *Stage
	f     *pipeline.Field
	toks  []pipeline.Token
	state []uint8
	// entAt maps a token to the entity that starts there (index+1), 0 when
	// none.
	entAt []int
	// taken marks tokens used by an organization found in this scan.
	taken []bool
	found []pipeline.Entity
	// drop holds the indexes of gazetteer places that a quoted name after
	// a designator turned out to be (صحيفة "بابل": the newspaper).
	drop map[int]bool
	// cand holds the tokens that passed the prefilters, in order; enCand
	// those that may be English designator words.
	cand, enCand []int
	// entEnd maps a token to the entity that ends there (index+1), built
	// by englishBefore when needed.
	entEnd []int
}

// candidates sets sc.cand to the tokens where a designator may be read: an
// Arabic word that ends like a designator's first word (each reading of a
// token is a suffix of its key, looked up in ar or arDef), or a word whose
// key may be an English designator word; and sc.enCand to the latter. A
// token that is not a candidate finds nothing in the maps, so the scans
// skip it.
func (sc *scan) candidates() {
	s := sc.s
	for i := range sc.toks {
		t := &sc.toks[i]
		if t.Kind != pipeline.Word || t.Key == "" {
			continue
		}
		if s.noFilter {
			sc.cand = append(sc.cand, i)
			sc.enCand = append(sc.enCand, i)
			continue
		}
		r, _ := utf8.DecodeRuneInString(t.Key)
		if !normalize.IsArabicLetter(r) {
			if s.enKeys.Has(t.Key) {
				sc.cand = append(sc.cand, i)
				sc.enCand = append(sc.enCand, i)
			}
			continue
		}
		en := s.enArabic && s.enKeys.Has(t.Key)
		if en || s.arTail.mayEnd(t.Key) {
			sc.cand = append(sc.cand, i)
		}
		if en {
			sc.enCand = append(sc.enCand, i)
		}
	}
}

// getScan returns pooled scratch for field f, cleared.
func (s *Stage) getScan(f *pipeline.Field) *scan {
	sc, _ := s.scans.Get().(*scan)
	if sc == nil {
		sc = &scan{}
	}
	n := len(f.Tokens)
	sc.s, sc.f, sc.toks = s, f, f.Tokens
	sc.state = grow(sc.state, n)
	sc.entAt = grow(sc.entAt, n)
	sc.taken = grow(sc.taken, n)
	return sc
}

// putScan clears sc and puts it back in the pool.
func (s *Stage) putScan(sc *scan) {
	clear(sc.state)
	clear(sc.entAt)
	clear(sc.taken)
	clear(sc.found)
	clear(sc.entEnd)
	sc.found, sc.cand, sc.enCand, sc.entEnd = sc.found[:0], sc.cand[:0], sc.enCand[:0], sc.entEnd[:0]
	sc.s, sc.f, sc.toks, sc.drop = nil, nil, nil, nil
	s.scans.Put(sc)
}

// grow returns b with length n, its elements zero (b's are: putScan clears
// them).
func grow[T any](b []T, n int) []T {
	if cap(b) < n {
		return make([]T, n)
	}
	return b[:n]
}

func (s *Stage) field(f *pipeline.Field) {
	toks := f.Tokens
	sc := s.getScan(f)
	defer s.putScan(sc)
	sc.candidates()
	if len(sc.cand) == 0 {
		return
	}
	for ei := range f.Entities {
		e := &f.Entities[ei]
		if e.TokStart < 0 || e.TokEnd > len(toks) || e.TokStart >= e.TokEnd {
			continue
		}
		for k := e.TokStart; k < e.TokEnd; k++ {
			sc.state[k] = inEntity
		}
		if sc.entAt[e.TokStart] == 0 {
			sc.entAt[e.TokStart] = ei + 1
		}
	}
	mark := func(ts, te int) {
		for k := max(ts, 0); k < te && k < len(toks); k++ {
			if sc.state[k] == free {
				sc.state[k] = inOther
			}
		}
	}
	for _, d := range f.Dates {
		mark(d.TokStart, d.TokEnd)
	}
	for _, q := range f.Quantities {
		mark(q.TokStart, q.TokEnd)
	}
	next := 0 // the first token not used by an organization found
	for _, i := range sc.cand {
		if i < next {
			continue
		}
		t := &toks[i]
		if t.Kind != pipeline.Word || sc.state[i] != free || !validTok(f, t) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(t.Key)
		if normalize.IsArabicLetter(r) {
			if end := sc.arabic(i); end > i {
				next = end
			}
			continue
		}
		if end := sc.english(i); end > i {
			next = end
		}
	}
	sc.englishBefore()
	if len(sc.found) == 0 {
		return
	}
	f.Entities = mergeEntities(f.Entities, sc.drop, sc.found)
}

// entityBefore is the order of a field's entities: by start, the longer
// first.
func entityBefore(x, y *pipeline.Entity) bool {
	if x.Start != y.Start {
		return x.Start < y.Start
	}
	return x.End > y.End
}

// mergeEntities returns, in a new slice, the entities of old but those in
// drop and the organizations found, in entityBefore order, stably (old
// before found among equals): what appending found to what old keeps and
// sorting stably gives. old is in that order already (the gazetteer's
// matches do not overlap), so the found ones, sorted, are merged in one
// pass, where a sort of a long document's thousands of entities moved
// each 264-byte entity many times; an old out of order is sorted as a
// whole.
func mergeEntities(old []pipeline.Entity, drop map[int]bool, found []pipeline.Entity) []pipeline.Entity {
	sort.SliceStable(found, func(a, b int) bool { return entityBefore(&found[a], &found[b]) })
	es := pipeline.MakeEntities(max(len(old)-len(drop), 0) + len(found))[:0]
	sorted := true
	for i := 1; i < len(old) && sorted; i++ {
		sorted = !entityBefore(&old[i], &old[i-1])
	}
	if !sorted {
		for ei := range old {
			if !drop[ei] {
				es = append(es, old[ei])
			}
		}
		es = append(es, found...)
		sort.SliceStable(es, func(a, b int) bool { return entityBefore(&es[a], &es[b]) })
		return es
	}
	i, j := 0, 0
	for i < len(old) || j < len(found) {
		if i < len(old) && drop[i] {
			i++
			continue
		}
		if j == len(found) || i < len(old) && !entityBefore(&found[j], &old[i]) {
			es = append(es, old[i])
			i++
		} else {
			es = append(es, found[j])
			j++
		}
	}
	return es
}

func validTok(f *pipeline.Field, t *pipeline.Token) bool {
	return t.Start >= 0 && t.End <= len(f.Runes) && t.Start < t.End && t.Key != ""
}

// add records an organization over tokens [ts, te) starting at rune start.
func (sc *scan) add(r *rule, ts, te, start int) {
	f := sc.f
	end := sc.toks[te-1].End
	if start < 0 || end > len(f.Runes) || start >= end {
		return
	}
	e := pipeline.Entity{Type: gazetteers.TypeOrganization, Text: f.Slice(start, end), Start: start, End: end,
		Sentence: int(sc.toks[ts].Sentence), Kind: r.kind, Match: Match, TokStart: ts, TokEnd: te}
	if f.Name != "text" {
		e.Field = f.Name
	}
	for k := ts; k < te; k++ {
		sc.taken[k] = true
	}
	sc.found = append(sc.found, e)
}

// readings returns the token key k and its readings without proclitics,
// each with how many key runes were removed: وبوزارة → (وزاره, 2); للبنك →
// (البنك, 1) since لل is ل + ال.
func (s *Stage) readings(k string, buf []reading) []reading {
	buf = append(buf[:0], reading{k, 0, false})
	starts := [3]int{0}
	ns := 1
	for _, c := range s.conj {
		if strings.HasPrefix(k, c) && ns < len(starts) {
			starts[ns] = len(c)
			ns++
		}
	}
	for _, st := range starts[:ns] {
		rest := k[st:]
		stRunes := utf8.RuneCountInString(k[:st])
		if st > 0 && utf8.RuneCountInString(rest) >= 3 {
			buf = append(buf, reading{rest, stRunes, false})
		}
		for _, p := range s.prep {
			if len(rest) > len(p) && strings.HasPrefix(rest, p) {
				pn := utf8.RuneCountInString(p)
				if utf8.RuneCountInString(rest[len(p):]) >= 3 {
					buf = append(buf, reading{rest[len(p):], stRunes + pn, false})
				}
				if p == "ل" && strings.HasPrefix(rest, "لل") {
					// "ا" + rest[len("ل"):], looked up in arDef
					buf = append(buf, reading{rest[len("لل"):], stRunes + 1, true})
				}
			}
		}
	}
	return buf
}

type reading struct {
	key    string
	prefix int // key runes removed
	// def is true for ل+ال read as ال: the designator key is "ال"+key,
	// looked up in arDef.
	def bool
}

// lookup returns the designators of a reading.
func (s *Stage) lookup(rd reading) []arDesig {
	if rd.def {
		return s.arDef[rd.key]
	}
	return s.ar[rd.key]
}

// joined reports whether token j continues a phrase: a word of the same
// sentence after only spaces, hyphens or apostrophes.
func (sc *scan) joined(j int) bool {
	if j >= len(sc.toks) || j == 0 {
		return false
	}
	t := &sc.toks[j]
	return t.Joined && t.Sentence == sc.toks[j-1].Sentence && validTok(sc.f, t)
}

// arabic tries the Arabic designators at token i and returns the end of the
// tokens used, or i when none matched.
func (sc *scan) arabic(i int) int {
	var rbuf [8]reading
	t := &sc.toks[i]
	for _, rd := range sc.s.readings(t.Key, rbuf[:0]) {
		if !sc.s.noFilter && !sc.s.arKeys.Has(rd.key) {
			continue
		}
		for _, d := range sc.s.lookup(rd) {
			n := len(d.words)
			ok := true
			for w := 1; w < n; w++ {
				j := i + w
				if !sc.joined(j) || sc.state[j] != free || sc.toks[j].Key != d.words[w] {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			start := t.Start
			if rd.prefix > 0 {
				if rd.prefix >= len(t.KeyMap) {
					continue
				}
				start = t.KeyMap[rd.prefix]
			}
			if end := sc.arabicName(&d, i, i+n, start); end > i {
				return end
			}
		}
	}
	return i
}

// arabicName reads the name after a designator that spans tokens [i, j)
// and starts at rune start; it returns the end of the organization's tokens,
// or i when no name follows.
func (sc *scan) arabicName(d *arDesig, i, j, start int) int {
	toks := sc.toks
	r := d.r
	if !sc.joined(j) && !(r.quoted && j < len(toks) && toks[j].Kind == pipeline.Punct) {
		return i
	}
	if r.quoted {
		if e := sc.quoted(r, j); e > j {
			return e
		}
	}
	if !sc.joined(j) {
		return i
	}
	// a gazetteer place right after the designator, without a clitic:
	// بلدية نابلس. The place stays an entity of its own, inside the
	// organization; the name ends with it.
	if r.place && !r.after && sc.state[j] == inEntity {
		if ei := sc.entAt[j] - 1; ei >= 0 {
			if e := &sc.f.Entities[ei]; e.Type == gazetteers.TypePlace && e.Start == toks[j].Start {
				sc.add(r, i, e.TokEnd, start)
				return e.TokEnd
			}
		}
	}
	if r.foreign {
		if e := sc.foreignName(j, r.maxWords); e > j {
			if r.after {
				sc.add(r, j, e, toks[j].Start)
			} else {
				sc.add(r, i, e, start)
			}
			return e
		}
	}
	if !r.definite {
		return i
	}
	end := j
	for k := j; k < len(toks) && k-j < r.maxWords; k++ {
		if !sc.joined(k) || sc.state[k] != free || !sc.nameWord(toks[k].Key, k == j) {
			break
		}
		if k == j && d.masc && strings.HasSuffix(toks[k].Key, "ه") {
			break
		}
		end = k + 1
	}
	if end == j {
		return i
	}
	if r.after {
		sc.add(r, j, end, toks[j].Start)
	} else {
		sc.add(r, i, end, start)
	}
	return end
}

// nameWord reports whether key can be a word of a definite name: the
// article ال (and, after the first word, و+ال or ل+ال: العدالة والتنمية,
// الاتحاد الدولي للشرطة), not a stop word.
func (sc *scan) nameWord(k string, first bool) bool {
	if sc.s.stop[k] {
		return false
	}
	if utf8.RuneCountInString(k) < 4 {
		return false
	}
	if strings.HasPrefix(k, "ال") {
		return true
	}
	if first {
		return false
	}
	if strings.HasPrefix(k, "وال") || strings.HasPrefix(k, "لل") {
		return !sc.s.stop[strings.TrimPrefix(strings.TrimPrefix(k, "و"), "ل")]
	}
	return false
}

// foreignName reads 1..max words without the article from token j that are
// followed by an adjective of origin with the article (شيودا اليابانية,
// مانشستر يونايتد الإنجليزي, لوموند الفرنسية): a name that is not an
// Arabic word. It returns the end of the name (the adjective is not part of
// it), or j.
func (sc *scan) foreignName(j, max int) int {
	toks := sc.toks
	end := j
	for k := j; k < len(toks) && k-j < max; k++ {
		if !sc.joined(k) || sc.state[k] != free || toks[k].Kind != pipeline.Word {
			break
		}
		key := toks[k].Key
		if sc.s.stop[key] || !arabicWord(key) || strings.HasPrefix(key, "ال") || strings.HasPrefix(key, "لل") ||
			strings.HasSuffix(key, "ه") || utf8.RuneCountInString(key) < 2 {
			break
		}
		end = k + 1
	}
	if end == j || !sc.joined(end) {
		return j
	}
	// the adjective may be a one-word place of the gazetteer (السعودية)
	if sc.state[end] == inOther || (sc.state[end] == inEntity && !sc.onePlace(end)) {
		return j
	}
	if sc.nisba(toks[end].Key) {
		return end
	}
	return j
}

// nisba reports whether key looks like a definite adjective of origin:
// ال + at least 4 letters + ي or ية (اليابانية, الإنجليزي), not ـاية
// (النهاية) nor a stop word.
func (sc *scan) nisba(k string) bool {
	if sc.s.stop[k] || !strings.HasPrefix(k, "ال") || utf8.RuneCountInString(k) < 6 {
		return false
	}
	if strings.HasSuffix(k, "ايه") || strings.HasSuffix(k, "اي") {
		return false
	}
	return strings.HasSuffix(k, "ي") || strings.HasSuffix(k, "يه")
}

// onePlace reports whether token k is exactly a one-token gazetteer place.
func (sc *scan) onePlace(k int) bool {
	ei := sc.entAt[k] - 1
	if ei < 0 {
		return false
	}
	e := &sc.f.Entities[ei]
	return e.Type == gazetteers.TypePlace && e.TokStart == k && e.TokEnd == k+1
}

// arabicWord reports whether every rune of key is an Arabic letter.
func arabicWord(key string) bool {
	for _, r := range key {
		if !normalize.IsArabicLetter(r) {
			return false
		}
	}
	return key != ""
}

// quoted reads a quoted name starting at token j (the opening quote): 1 to
// maxWords+2 words and the closing quote. It adds the name (without the
// quotes) and returns the end of the closing quote, or j.
func (sc *scan) quoted(r *rule, j int) int {
	toks := sc.toks
	if j >= len(toks) || toks[j].Kind != pipeline.Punct || toks[j].Sentence != toks[j-1].Sentence {
		return j
	}
	open := sc.f.Slice(toks[j].Start, toks[j].End)
	closeQ, ok := closing(open)
	if !ok {
		return j
	}
	limit := r.maxWords + 2
	for k := j + 1; k < len(toks) && k-j-1 <= limit; k++ {
		tk := &toks[k]
		if tk.Sentence != toks[j].Sentence || !validTok(sc.f, tk) {
			return j
		}
		if tk.Kind == pipeline.Punct {
			if sc.f.Slice(tk.Start, tk.End) != closeQ || k == j+1 {
				return j
			}
			if toks[j+1].Kind == pipeline.Number {
				return j
			}
			place := -1
			for m := j + 1; m < k; m++ {
				if sc.state[m] == free {
					continue
				}
				// the quoted name is exactly a gazetteer place: it names the
				// organization, not the place
				ei := sc.entAt[j+1] - 1
				if sc.state[m] != inEntity || ei < 0 || sc.f.Entities[ei].Type != gazetteers.TypePlace ||
					sc.f.Entities[ei].TokEnd != k {
					return j
				}
				place = ei
			}
			if place >= 0 {
				if sc.drop == nil {
					sc.drop = map[int]bool{}
				}
				sc.drop[place] = true
			}
			sc.add(r, j+1, k, toks[j+1].Start)
			return k + 1
		}
	}
	return j
}

// closing returns the closing quote of an opening one.
func closing(open string) (string, bool) {
	switch open {
	case "«":
		return "»", true
	case "\"":
		return "\"", true
	case "“":
		return "”", true
	case "„":
		return "“", true
	}
	return "", false
}

// english tries the English designators written before their name at token
// i ("Ministry of Defence").
func (sc *scan) english(i int) int {
	toks := sc.toks
	t := &toks[i]
	if !capitalized(sc.f, t) {
		return i
	}
	for _, d := range sc.s.enAfter[t.Key] {
		n := len(d.words)
		ok := true
		for w := 1; w < n; w++ {
			j := i + w
			if !sc.joined(j) || sc.state[j] != free || toks[j].Key != d.words[w] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if end, orgs := sc.capsAfter(d.r, i+n); end > i+n {
			sc.dropAll(orgs)
			sc.add(d.r, i, end, t.Start)
			return end
		}
	}
	return i
}

// capitalized reports whether t starts with an upper-case letter.
func capitalized(f *pipeline.Field, t *pipeline.Token) bool {
	return t.Start >= 0 && t.Start < len(f.Runes) && unicode.IsUpper(f.Runes[t.Start])
}

// connector reports the lower-case words allowed between capitalized words
// of a name ("Trade and Industry", "Institute for Peace").
func connector(k string) bool { return k == "and" || k == "of" || k == "for" }

// capsAfter reads the capitalized words of a name from token j ("Foreign
// Affairs", "Trade and Industry") and returns the end of the last one. A
// gazetteer place inside the name stays a place ("University of
// Cambridge"); the gazetteer organizations inside it are returned, to be
// replaced by the longer name ("Ministry of Foreign Affairs" is not the
// magazine Foreign Affairs).
func (sc *scan) capsAfter(r *rule, j int) (int, []int) {
	toks := sc.toks
	end, words := j, 0
	var orgs []int
	for k := j; k < len(toks) && words < r.maxWords+2; k++ {
		if !sc.joined(k) || toks[k].Kind != pipeline.Word || sc.state[k] == inOther {
			break
		}
		if sc.state[k] == inEntity {
			ei := sc.entAt[k] - 1
			if ei < 0 || !capitalized(sc.f, &toks[k]) {
				break
			}
			e := &sc.f.Entities[ei]
			if e.Type != gazetteers.TypePlace {
				orgs = append(orgs, ei)
			}
			words += e.TokEnd - k
			k = e.TokEnd - 1
			end = e.TokEnd
			continue
		}
		if capitalized(sc.f, &toks[k]) && !sc.s.stop[toks[k].Key] {
			end = k + 1
			words++
			continue
		}
		if connector(toks[k].Key) && k > j {
			continue
		}
		break
	}
	return end, orgs
}

// dropAll marks gazetteer entities to be replaced.
func (sc *scan) dropAll(eis []int) {
	for _, ei := range eis {
		if sc.drop == nil {
			sc.drop = map[int]bool{}
		}
		sc.drop[ei] = true
	}
}

// englishBefore finds designators written after their name ("Cairo
// University", "Justice and Development Party"); it runs over the field
// after the forward scan.
func (sc *scan) englishBefore() {
	toks := sc.toks
	for _, i := range sc.enCand {
		t := &toks[i]
		if t.Kind != pipeline.Word || sc.state[i] != free || sc.taken[i] || !capitalized(sc.f, t) {
			continue
		}
		for _, d := range sc.s.enBefore[t.Key] {
			n := len(d.words)
			st := i - n + 1
			if st < 1 {
				continue
			}
			ok := sc.joined(st)
			for w := 0; w < n && ok; w++ {
				k := st + w
				if sc.state[k] != free || sc.taken[k] || toks[k].Key != d.words[w] || (w > 0 && !sc.joined(k)) || !capitalized(sc.f, &toks[k]) {
					ok = false
				}
			}
			if !ok {
				continue
			}
			if len(sc.entEnd) != len(toks) {
				sc.entEnd = grow(sc.entEnd, len(toks))
				for ei := range sc.f.Entities {
					if e := &sc.f.Entities[ei]; e.TokEnd > 0 && e.TokEnd <= len(toks) && e.TokStart < e.TokEnd {
						sc.entEnd[e.TokEnd-1] = ei + 1
					}
				}
			}
			entEnd := sc.entEnd
			// capitalized words before the designator; a gazetteer place
			// among them stays a place ("Cairo University"), a gazetteer
			// organization ends them: "Hamas Movement" is the entry Hamas
			b, words := st, 0
			for k := st - 1; k >= 0 && words < d.r.maxWords+2; k-- {
				tk := &toks[k]
				if tk.Kind != pipeline.Word || sc.state[k] == inOther || sc.taken[k] || !validTok(sc.f, tk) {
					break
				}
				if sc.state[k] == inEntity {
					ei := entEnd[k] - 1
					if ei < 0 {
						break
					}
					e := &sc.f.Entities[ei]
					if e.Type != gazetteers.TypePlace || !capitalized(sc.f, &toks[e.TokStart]) {
						break
					}
					words += e.TokEnd - e.TokStart
					b, k = e.TokStart, e.TokStart
				} else if capitalized(sc.f, tk) && !sc.s.stop[tk.Key] {
					b = k
					words++
				} else if !connector(tk.Key) || k == st-1 {
					break
				}
				if !sc.joined(k) {
					break
				}
			}
			if b == st {
				continue
			}
			// the name may go on after the designator: "Egyptian
			// Commission for Rights and Freedoms"
			end := i + 1
			if end+1 < len(toks) && sc.joined(end) && sc.state[end] == free && (toks[end].Key == "for" || toks[end].Key == "of") {
				if e, orgs := sc.capsAfter(d.r, end+1); e > end+1 {
					sc.dropAll(orgs)
					end = e
				}
			}
			sc.add(d.r, b, end, toks[b].Start)
			break
		}
	}
}
