package mining

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

// Entry types, as in gazetteers.
const (
	TypePlace        = "place"
	TypeOrganization = "organization"
)

// MaxWords is the longest candidate name, in words (a named cue such as
// جبهة or a kept English cue such as "Agency" is not counted).
const MaxWords = 3

// Pruning thresholds (see Candidates).
const (
	// a shorter name is dropped when longer names extend at least this
	// share of its occurrences (أحرار -> أحرار الشام)
	subsumedShare = 0.8
	// a longer name is dropped when it covers less than this share of the
	// occurrences of its shorter form (الفوعة -> الفوعة المحاصرة)
	rareExtensionShare = 0.2
)

// Options configures a Miner.
type Options struct {
	// Cues are the cue words and stop lists; nil means DefaultCues.
	Cues *Cues
	// Conjunctions and Prepositions are the Arabic proclitics (the rules'
	// language clitics); MinStem is the shortest word left after removing
	// them. Empty means [و ف], [ب ك ل] and 3.
	Conjunctions, Prepositions []string
	MinStem                    int
	// FunctionWords are added to the stop words.
	FunctionWords []string
	// Known holds match keys of names to skip even where the gazetteer
	// stage did not match them (the gazetteer's names).
	Known map[string]bool
	// Examples is the number of example contexts kept per candidate.
	Examples int
	// Context is the number of characters shown on each side of an
	// example; 0 means 40.
	Context int
}

// Miner counts candidate names over documents. It is not safe for
// concurrent use; feed it documents in a fixed order.
type Miner struct {
	o           Options
	first, last map[string][]cue
	stop        map[string]bool
	particles   map[string]bool
	clitics     []clitic
	cands       map[string]*cand
	ext         map[string]map[string]int
	docs        int
}

// clitic is a proclitic sequence: a conjunction, a preposition or both.
type clitic struct {
	s    string
	conj bool // a conjunction alone
}

type cand struct {
	typ, key  string
	count     int
	docs      int
	lastDoc   int
	surfaces  map[string]int
	cues      map[string]int
	examples  []string
	exampleOf map[string]bool
}

// New returns a miner.
func New(o Options) (*Miner, error) {
	if o.Cues == nil {
		c, err := DefaultCues()
		if err != nil {
			return nil, err
		}
		o.Cues = c
	}
	if len(o.Conjunctions) == 0 && len(o.Prepositions) == 0 {
		o.Conjunctions, o.Prepositions = []string{"و", "ف"}, []string{"ب", "ك", "ل"}
	}
	if o.MinStem <= 0 {
		o.MinStem = 3
	}
	if o.Context <= 0 {
		o.Context = 40
	}
	m := &Miner{o: o, cands: map[string]*cand{}, ext: map[string]map[string]int{}}
	m.first, m.last = o.Cues.compile()
	m.stop = keySet(o.Cues.StopWords, map[string][]string{"": o.FunctionWords})
	m.particles = keySet(o.Cues.Particles)
	for _, c := range append([]string{""}, o.Conjunctions...) {
		for _, p := range append([]string{""}, o.Prepositions...) {
			if c+p != "" {
				m.clitics = append(m.clitics, clitic{s: normalize.Key(c + p), conj: p == ""})
			}
		}
	}
	// longest first: "وب" before "و"
	sort.SliceStable(m.clitics, func(i, j int) bool { return len(m.clitics[i].s) > len(m.clitics[j].s) })
	return m, nil
}

// Docs returns the number of documents seen.
func (m *Miner) Docs() int { return m.docs }

// Add counts the candidates of one processed document.
func (m *Miner) Add(doc *pipeline.Document) {
	m.docs++
	for _, f := range doc.Fields {
		m.addField(f)
	}
}

// span is a run of name tokens with the rune offset where the name starts
// (after proclitics) and the key of its first token (without them).
type span struct {
	toks     []int
	start    int
	firstKey string
	prefix   string // written before the first token's text ("ال" for لل)
}

func (m *Miner) addField(f *pipeline.Field) {
	toks := f.Tokens
	if len(toks) == 0 {
		return
	}
	if f.Runes == nil {
		f.Runes = []rune(f.Text)
	}
	covered := make([]bool, len(toks))
	for _, e := range f.Entities {
		for i, t := range toks {
			if t.Start < e.End && t.End > e.Start {
				covered[i] = true
			}
		}
	}
	for i := range toks {
		if toks[i].Kind != pipeline.Word {
			continue
		}
		if cu, j, cs, ok := m.matchFirst(f, i); ok {
			m.forward(f, covered, cu, i, j, cs)
		}
		if cu, s, ok := m.matchLast(f, i); ok {
			m.backward(f, covered, cu, s, i)
		}
	}
}

// sameRun reports whether token j directly follows token j-1 in one
// sentence, with only spaces or hyphens between them.
func sameRun(toks []pipeline.Token, j int) bool {
	return j > 0 && j < len(toks) && toks[j].Joined && toks[j].Sentence == toks[j-1].Sentence
}

// strip returns the forms of an Arabic key without proclitics, with the
// number of key runes removed.
func (m *Miner) strip(k string) (forms []string, cut []int) {
	forms, cut = []string{k}, []int{0}
	if !normalize.HasArabic(k) {
		return
	}
	for _, c := range m.clitics {
		if rest, ok := strings.CutPrefix(k, c.s); ok && utf8.RuneCountInString(rest) >= 2 {
			forms = append(forms, rest)
			cut = append(cut, utf8.RuneCountInString(c.s))
		}
	}
	return
}

// matchFirst finds a before/named cue starting at token i; it returns the
// cue, the token after it and the rune offset where the cue word starts.
func (m *Miner) matchFirst(f *pipeline.Field, i int) (cue, int, int, bool) {
	toks := f.Tokens
	forms, cut := m.strip(toks[i].Key)
	for fi, k := range forms {
		for _, cu := range m.first[k] {
			j := i + 1
			ok := true
			for _, ck := range cu.keys[1:] {
				if !sameRun(toks, j) || toks[j].Key != ck {
					ok = false
					break
				}
				j++
			}
			if ok {
				return cu, j, keyOffset(toks[i], cut[fi]), true
			}
		}
	}
	return cue{}, 0, 0, false
}

// matchLast finds an after cue ending at token i; it returns the cue and
// its first token.
func (m *Miner) matchLast(f *pipeline.Field, i int) (cue, int, bool) {
	toks := f.Tokens
	for _, cu := range m.last[toks[i].Key] {
		s := i - (len(cu.keys) - 1)
		if s < 0 {
			continue
		}
		ok := true
		for n, ck := range cu.keys {
			if toks[s+n].Key != ck || (n > 0 && !sameRun(toks, s+n)) {
				ok = false
				break
			}
		}
		if ok {
			return cu, s, true
		}
	}
	return cue{}, 0, false
}

// keyOffset returns the rune offset in the field of the n-th key rune of t.
func keyOffset(t pipeline.Token, n int) int {
	if n > 0 && n < len(t.KeyMap) {
		return t.KeyMap[n]
	}
	return t.Start
}

func isLatinKey(k string) bool {
	for _, r := range k {
		if r < 0x0250 && unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func (m *Miner) upper(f *pipeline.Field, t pipeline.Token) bool {
	return t.End > t.Start && unicode.IsUpper(f.Runes[t.Start])
}

// nameToken decides whether token j can be word pos of a name: ok, or a
// particle (allowed inside an English name only), or neither (the name ends).
func (m *Miner) nameToken(f *pipeline.Field, j, pos int, arabic bool) (ok, particle bool) {
	t := f.Tokens[j]
	if t.Kind != pipeline.Word || t.Key == "" {
		return false, false
	}
	if arabic {
		if !normalize.HasArabic(t.Key) || m.stop[t.Key] {
			return false, false
		}
		if adjective(t.Key, pos) {
			return false, false
		}
		if pos == 0 {
			// فسوف, وقد: a conjunction before a stop word
			for _, c := range m.clitics {
				if rest, found := strings.CutPrefix(t.Key, c.s); found && c.conj && m.stop[rest] {
					return false, false
				}
			}
		}
		if pos > 0 {
			// a word with a proclitic starts a new phrase (حلب وريفها, بالكامل)
			for _, c := range m.clitics {
				rest, found := strings.CutPrefix(t.Key, c.s)
				if !found {
					continue
				}
				if (c.conj && utf8.RuneCountInString(rest) >= m.o.MinStem) || strings.HasPrefix(rest, "ال") || m.stop[rest] {
					return false, false
				}
			}
		}
		return true, false
	}
	if !isLatinKey(t.Key) {
		return false, false
	}
	if m.upper(f, t) {
		if m.stop[t.Key] && !(pos > 0 && m.particles[t.Key]) {
			return false, false
		}
		return true, false
	}
	if pos > 0 && m.particles[t.Key] {
		return false, true
	}
	return false, false
}

// adjective reports Arabic words that are most likely adjectives of
// relation (nisba) rather than names: an indefinite word in -ية (بلدة تركية,
// منظمة إرهابية), or after the first word a definite one in -ي or -ية
// (سوروتش التركية, مجلس الأمن الدولي). Keys spell ة as ه.
func adjective(k string, pos int) bool {
	def := strings.HasPrefix(k, "ال")
	if !def {
		return strings.HasSuffix(k, "يه") && utf8.RuneCountInString(k) > 4
	}
	return pos > 0 && (strings.HasSuffix(k, "يه") || strings.HasSuffix(k, "ي")) && utf8.RuneCountInString(k) > 5
}

// forward collects the name after a before/named cue ending at token j.
func (m *Miner) forward(f *pipeline.Field, covered []bool, cu cue, ci, j, cueStart int) {
	toks := f.Tokens
	if !sameRun(toks, j) {
		return
	}
	arabic := normalize.HasArabic(toks[j].Key)
	sp := span{start: toks[j].Start, firstKey: toks[j].Key}
	if arabic {
		// proclitics before ال: والفوعة -> الفوعة, للرقة -> الرقة
		k := toks[j].Key
		for _, c := range m.clitics {
			rest, ok := strings.CutPrefix(k, c.s)
			if !ok {
				continue
			}
			n := utf8.RuneCountInString(c.s)
			switch {
			case strings.HasPrefix(rest, "ال") && utf8.RuneCountInString(rest) >= 2+m.o.MinStem:
				sp.firstKey, sp.start = rest, keyOffset(toks[j], n)
			case c.s == "ل" || strings.HasSuffix(c.s, "ل"):
				if strings.HasPrefix(rest, "ل") && utf8.RuneCountInString(rest) >= 1+m.o.MinStem {
					sp.firstKey, sp.start, sp.prefix = "ا"+rest, keyOffset(toks[j], n+1), "ال"
				}
			}
			if sp.firstKey != k {
				break
			}
		}
		if sp.firstKey == "ال" || m.stop[sp.firstKey] {
			return
		}
	}
	for pos := 0; pos < MaxWords && j+pos < len(toks); pos++ {
		if pos > 0 && !sameRun(toks, j+pos) {
			break
		}
		ok, part := m.nameToken(f, j+pos, pos, arabic)
		if !ok && !part {
			break
		}
		sp.toks = append(sp.toks, j+pos)
	}
	var namedKeys []string
	namedStart := sp.start
	if cu.mode == modeNamed {
		namedKeys, namedStart = cu.keys, cueStart
	}
	var parent string
	for n := 1; n <= len(sp.toks); n++ {
		last := sp.toks[n-1]
		if covered[last] {
			return
		}
		if m.particles[toks[last].Key] && !m.upper(f, toks[last]) {
			continue
		}
		keys := append(append([]string(nil), namedKeys...), sp.firstKey)
		for _, t := range sp.toks[1:n] {
			keys = append(keys, toks[t].Key)
		}
		key := strings.Join(keys, " ")
		nameKey := strings.Join(keys[len(namedKeys):], " ")
		if m.o.Known[key] || m.o.Known[nameKey] {
			return
		}
		surface := f.Slice(sp.start, toks[last].End)
		if sp.prefix != "" {
			surface = sp.prefix + surface
		}
		if cu.mode == modeNamed {
			surface = f.Slice(cueStart, toks[ci+len(cu.keys)-1].End) + " " + surface
		}
		id := m.count(f, cu, key, surface, namedStart, toks[last].End, cueStart, toks[last].End)
		if parent != "" {
			m.link(parent, id)
		}
		parent = id
	}
}

// backward collects the name before an after cue starting at token s and
// ending at token e.
func (m *Miner) backward(f *pipeline.Field, covered []bool, cu cue, s, e int) {
	toks := f.Tokens
	if s == 0 || !sameRun(toks, s) {
		return
	}
	arabic := normalize.HasArabic(toks[s-1].Key)
	var run []int // nearest the cue first
	for pos := 0; pos < MaxWords && s-1-pos >= 0; pos++ {
		j := s - 1 - pos
		if pos > 0 && !sameRun(toks, j+1) {
			break
		}
		// pos counts from the cue, so a particle may not be the word next
		// to it nor the first word: nameToken checks pos > 0, the loop
		// below skips names starting with one
		ok, part := m.nameToken(f, j, pos, arabic)
		if !ok && !part {
			break
		}
		run = append(run, j)
	}
	keepCue := !arabic && m.upper(f, toks[s])
	var parent string
	for n := 1; n <= len(run); n++ {
		firstTok := run[n-1]
		if covered[firstTok] {
			return
		}
		if m.particles[toks[firstTok].Key] && !m.upper(f, toks[firstTok]) {
			continue
		}
		var keys []string
		for i := n - 1; i >= 0; i-- {
			keys = append(keys, toks[run[i]].Key)
		}
		nameKey := strings.Join(keys, " ")
		end := toks[run[0]].End
		if keepCue {
			keys = append(keys, cu.keys...)
			end = toks[e].End
		}
		key := strings.Join(keys, " ")
		if m.o.Known[key] || m.o.Known[nameKey] {
			return
		}
		start := toks[firstTok].Start
		id := m.count(f, cu, key, f.Slice(start, end), start, end, start, toks[e].End)
		if parent != "" {
			m.link(parent, id)
		}
		parent = id
	}
}

// count records one occurrence of a candidate; [ns, ne) is the name and
// [lo, hi) the name with its cue, in runes.
func (m *Miner) count(f *pipeline.Field, cu cue, key, surface string, ns, ne, lo, hi int) string {
	id := cu.typ + "\x00" + key
	c := m.cands[id]
	if c == nil {
		c = &cand{typ: cu.typ, key: key, surfaces: map[string]int{}, cues: map[string]int{}, exampleOf: map[string]bool{}}
		m.cands[id] = c
	}
	c.count++
	if c.lastDoc != m.docs {
		c.docs++
		c.lastDoc = m.docs
	}
	c.surfaces[clean(surface)]++
	c.cues[cu.word]++
	if len(c.examples) < m.o.Examples {
		ex := m.snippet(f, ns, ne, min(lo, ns), max(hi, ne))
		if !c.exampleOf[ex] {
			c.exampleOf[ex] = true
			c.examples = append(c.examples, ex)
		}
	}
	return id
}

func (m *Miner) link(parent, child string) {
	x := m.ext[parent]
	if x == nil {
		x = map[string]int{}
		m.ext[parent] = x
	}
	x[child]++
}

// snippet shows the name in brackets with some context around its cue.
func (m *Miner) snippet(f *pipeline.Field, ns, ne, lo, hi int) string {
	rs := f.Runes
	a := max(0, lo-m.o.Context)
	b := min(len(rs), hi+m.o.Context)
	// do not cut words
	if a > 0 {
		for a < lo && !unicode.IsSpace(rs[a-1]) {
			a++
		}
	}
	if b < len(rs) {
		for b > hi && !unicode.IsSpace(rs[b]) {
			b--
		}
	}
	var sb strings.Builder
	if a > 0 {
		sb.WriteString("… ")
	}
	// attached proclitics stay attached: ب[الرقة]
	if left := collapse(string(rs[a:ns])); left != "" {
		sb.WriteString(left)
		if unicode.IsSpace(rs[ns-1]) {
			sb.WriteString(" ")
		}
	}
	sb.WriteString("[" + collapse(string(rs[ns:ne])) + "]")
	if right := collapse(string(rs[ne:b])); right != "" {
		if unicode.IsSpace(rs[ne]) {
			sb.WriteString(" ")
		}
		sb.WriteString(right)
	}
	if b < len(rs) {
		sb.WriteString(" …")
	}
	return sb.String()
}

// clean makes a name as written fit for a gazetteer: no format characters
// (bidi marks, zero-width joiners) and Arabic presentation forms folded to
// the basic letters (NFKC) so that ﺍﻟﺤﻮﻃﺔ reads الحوطة.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cf, r) {
			return -1
		}
		return r
	}, s)
	if strings.IndexFunc(s, isPresentationForm) >= 0 {
		s = norm.NFKC.String(s)
	}
	return collapse(s)
}

func isPresentationForm(r rune) bool {
	return (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF)
}

// collapse replaces runs of white space (line breaks included) by one
// space and trims the ends.
func collapse(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == 0x2028 || r == 0x2029 || unicode.IsControl(r)
	}), " ")
}

// Candidate is a frequent name the gazetteer lacks.
type Candidate struct {
	Type string // place or organization
	Lang string // ar or en
	// Key is the match key of the name.
	Key string
	// Names are the written forms seen, most frequent first.
	Names []string
	// Count is the number of occurrences after a cue; Docs the number of
	// documents holding one.
	Count, Docs int
	// Cues are the cue words seen before (or after) the name, most
	// frequent first, with their counts.
	Cues []Count
	// Examples are short contexts, the name in brackets.
	Examples []string
}

// Count is a word and how often it was seen.
type Count struct {
	Word  string
	Count int
}

// Candidates returns the candidates seen at least minCount times, of type
// typ ("" or "all" for both), most frequent first (then by key, then type),
// at most top of them (0: all). A name is left out when longer names
// extend most of its occurrences (أحرار under أحرار الشام), and a longer
// name when it is a rare continuation of a shorter one.
func (m *Miner) Candidates(minCount, top int, typ string) []Candidate {
	drop := map[string]bool{}
	for p, kids := range m.ext {
		pc := m.cands[p].count
		sum := 0
		for k, n := range kids {
			sum += n
			if float64(m.cands[k].count) < rareExtensionShare*float64(pc) {
				drop[k] = true
			}
		}
		if float64(sum) >= subsumedShare*float64(pc) {
			drop[p] = true
		}
	}
	var out []Candidate
	for id, c := range m.cands {
		if drop[id] || c.count < minCount || (typ != "" && typ != "all" && c.typ != typ) {
			continue
		}
		lang := "en"
		if normalize.HasArabic(c.key) {
			lang = "ar"
		}
		out = append(out, Candidate{Type: c.typ, Lang: lang, Key: c.key, Names: ranked(c.surfaces, 3),
			Count: c.count, Docs: c.docs, Cues: rankedCounts(c.cues), Examples: c.examples})
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Count != b.Count {
			return a.Count > b.Count
		}
		if a.Key != b.Key {
			return a.Key < b.Key
		}
		return a.Type < b.Type
	})
	if top > 0 && len(out) > top {
		out = out[:top]
	}
	return out
}

func rankedCounts(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for w, n := range m {
		out = append(out, Count{w, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Word < out[j].Word
	})
	return out
}

func ranked(m map[string]int, limit int) []string {
	var out []string
	for i, c := range rankedCounts(m) {
		if i == limit {
			break
		}
		out = append(out, c.Word)
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func sortCues(l []cue) {
	sort.SliceStable(l, func(i, j int) bool { return len(l[i].keys) > len(l[j].keys) })
}
