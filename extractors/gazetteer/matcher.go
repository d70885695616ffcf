package gazetteer

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/internal/suggest"
	"github.com/hadath/hadath/pipeline"
)

// Name is the stage name in config.yaml.
const Name = "gazetteer"

// nameRef is one name of one entry.
type nameRef struct {
	entry *gazetteers.Entry
	name  string
	// acronym names (all upper case) match only upper-case text.
	acronym bool
	// proper names written with a capital match only capitalized text.
	capital bool
	// common place names (a common word, see the lexicon) match only after
	// a place cue of their kind.
	common bool
	// rank orders candidates: lower wins.
	rank int
}

// Qualifier narrows a place: "east" for شرق حلب or "eastern Aleppo".
type Qualifier struct {
	Value  string
	Before []string // words written before the place
	After  []string // words written after the place
}

// Options configures the stage.
type Options struct {
	// Prefixes are the Arabic proclitic letters tried on a first token, in
	// two layers: conjunctions then prepositions.
	Conjunctions []string
	Prepositions []string
	// MinStem is the shortest remainder (runes) after removing prefixes.
	MinStem    int
	Qualifiers []Qualifier
	// Lexicon gives the common words (place names that need a cue) and the
	// place cue words; nil means neither.
	Lexicon *gazetteers.Lexicon
	// PreferCountry (ISO alpha-2) biases names shared by several entries
	// towards the entries of that country.
	PreferCountry string
}

// Stage matches gazetteer names.
type Stage struct {
	index map[string][]nameRef
	// maxLen maps every token of a name to the length in tokens of the
	// longest name it starts (0 when it starts none).
	maxLen  map[string]int
	conj    []string
	prep    []string
	minStem int
	qualBef map[string][]qual // key of the last word -> qualifiers, longest first
	qualAft map[string][]qual // key of the first word -> qualifiers, longest first
	cues    map[string][]cueDef
	prefer  string

	// built on the first Explain
	explainOnce sync.Once
	near        *suggest.Index
	byFirst     map[string][]string
}

type qual struct {
	value string
	words []string // keys, in text order
}

// cueDef is a place cue: its words (keys, in text order) and the kinds it
// announces.
type cueDef struct {
	words []string
	kinds map[string]bool
}

var kindRank = map[string]int{"city": 0, "town": 1, "village": 2, "neighbourhood": 3, "landmark": 4,
	"country": 5, "governorate": 6, "district": 7, "region": 8}

// New compiles the gazetteer into the index.
func New(g *gazetteers.Gazetteer, o Options) *Stage {
	nn := 0
	for _, e := range g.Entries {
		for _, ns := range e.Names {
			nn += len(ns)
		}
	}
	s := &Stage{index: make(map[string][]nameRef, nn), maxLen: make(map[string]int, nn+nn/2),
		minStem: o.MinStem, qualBef: map[string][]qual{}, qualAft: map[string][]qual{},
		cues: map[string][]cueDef{}, prefer: strings.ToUpper(o.PreferCountry)}
	if s.minStem <= 0 {
		s.minStem = 3
	}
	for _, c := range o.Conjunctions {
		s.conj = append(s.conj, normalize.Key(c))
	}
	for _, p := range o.Prepositions {
		s.prep = append(s.prep, normalize.Key(p))
	}
	common := o.Lexicon.CommonKeys()
	for _, e := range g.Entries {
		rank := 10
		if e.Type == gazetteers.TypePlace {
			if r, ok := kindRank[e.Kind]; ok {
				rank = r
			}
		}
		for _, lang := range e.Languages() {
			for i, n := range e.Names[lang] {
				k := e.NameKey(lang, i)
				if k == "" {
					continue
				}
				ref := nameRef{entry: e, name: n, rank: rank}
				if !normalize.HasArabic(n) {
					ref.acronym = normalize.IsUpperAcronym(n) && len([]rune(k)) <= 6
					first, _ := utf8.DecodeRuneInString(n)
					ref.capital = unicode.IsUpper(first)
				}
				ref.common = e.Type == gazetteers.TypePlace && common[k]
				s.index[k] = append(s.index[k], ref)
				// the tokens of k, sliced out of it
				first, rest, _ := strings.Cut(k, " ")
				n := 1 + strings.Count(k, " ")
				if n > s.maxLen[first] {
					s.maxLen[first] = n
				}
				for rest != "" {
					var t string
					t, rest, _ = strings.Cut(rest, " ")
					if _, ok := s.maxLen[t]; !ok {
						s.maxLen[t] = 0
					}
				}
			}
		}
	}
	for k, refs := range s.index {
		if len(refs) < 2 {
			continue
		}
		sort.SliceStable(refs, func(i, j int) bool {
			if refs[i].rank != refs[j].rank {
				return refs[i].rank < refs[j].rank
			}
			return refs[i].entry.ID < refs[j].entry.ID
		})
		s.index[k] = refs
	}
	for _, q := range o.Qualifiers {
		for _, w := range q.Before {
			ks := normalize.PhraseKeys(w)
			if len(ks) > 0 {
				k := ks[len(ks)-1]
				s.qualBef[k] = insertQual(s.qualBef[k], qual{value: q.Value, words: ks})
			}
		}
		for _, w := range q.After {
			ks := normalize.PhraseKeys(w)
			if len(ks) > 0 {
				s.qualAft[ks[0]] = insertQual(s.qualAft[ks[0]], qual{value: q.Value, words: ks})
			}
		}
	}
	if o.Lexicon != nil {
		for _, c := range o.Lexicon.PlaceCues {
			kinds := map[string]bool{}
			for _, k := range c.Kinds {
				kinds[k] = true
			}
			for _, w := range c.Before {
				ks := normalize.PhraseKeys(w)
				if len(ks) == 0 {
					continue
				}
				last := ks[len(ks)-1]
				list := append(s.cues[last], cueDef{words: ks, kinds: kinds})
				sort.SliceStable(list, func(i, j int) bool { return len(list[i].words) > len(list[j].words) })
				s.cues[last] = list
			}
		}
	}
	return s
}

func insertQual(list []qual, q qual) []qual {
	list = append(list, q)
	sort.SliceStable(list, func(i, j int) bool { return len(list[i].words) > len(list[j].words) })
	return list
}

// Known reports whether key is a token of some name; the tokenizer uses it
// to repair glued words.
func (s *Stage) Known(key string) bool {
	_, ok := s.maxLen[key]
	return ok
}

// Name implements pipeline.Stage.
func (s *Stage) Name() string { return Name }

// Process implements pipeline.Stage. Names shared by several entries are
// resolved once every field has been read, so that the places of the whole
// document (its country focus) weigh in.
func (s *Stage) Process(doc *pipeline.Document) error {
	hits := make([][]hit, len(doc.Fields))
	for i, f := range doc.Fields {
		hits[i] = s.find(f, nil)
	}
	ctx := s.context(doc, hits...)
	for i, f := range doc.Fields {
		f.Entities = s.resolve(f, hits[i], ctx, nil)
	}
	return nil
}

// Match returns the entities of a tokenized field, leftmost-longest, with
// the field alone as context.
func (s *Stage) Match(f *pipeline.Field) []pipeline.Entity {
	h := s.find(f, nil)
	return s.resolve(f, h, s.context(nil, h), nil)
}

// candidate is a first-token reading: its key and how many runes of the
// original token were removed as prefix.
type candidate struct {
	key    string
	prefix int // runes of the key removed
	clitic bool
}

func (s *Stage) firstCandidates(t *pipeline.Token, buf []candidate) []candidate {
	buf = append(buf[:0], candidate{key: t.Key})
	if t.Kind != pipeline.Word || len(t.KeyMap) == 0 {
		return buf
	}
	k := t.Key
	// match keys of Arabic tokens hold only two-byte base letters, so
	// prefixes can be cut by bytes without decoding (n runes = 2n bytes)
	if r, _ := utf8.DecodeRuneInString(k); !normalize.IsArabicLetter(r) {
		return buf
	}
	try := func(n int, key string) {
		if utf8.RuneCountInString(key) >= s.minStem && s.maxLen[key] > 0 {
			buf = append(buf, candidate{key: key, prefix: n, clitic: true})
		}
	}
	// layer 1: optional conjunction; layer 2: optional preposition
	var startArr [4]int
	starts := append(startArr[:0], 0)
	for _, c := range s.conj {
		if strings.HasPrefix(k, c) {
			starts = append(starts, len(c))
		}
	}
	for _, st := range starts {
		rest := k[st:]
		stRunes := utf8.RuneCountInString(k[:st])
		if st > 0 {
			try(stRunes, rest)
		}
		for _, p := range s.prep {
			if len(rest) > len(p) && strings.HasPrefix(rest, p) {
				pn := utf8.RuneCountInString(p)
				try(stRunes+pn, rest[len(p):])
				// ل + ال is written لل: للرقة -> الرقة
				if p == "ل" && strings.HasPrefix(rest, "لل") {
					buf = appendArticle(buf, s, stRunes+1, "ا"+rest[len("ل"):])
				}
			}
		}
	}
	return buf
}

func appendArticle(buf []candidate, s *Stage, prefix int, key string) []candidate {
	if len([]rune(key)) >= s.minStem && s.maxLen[key] > 0 {
		// the "ا" is not in the text: the match starts at the second ل
		buf = append(buf, candidate{key: key, prefix: prefix, clitic: true})
	}
	return buf
}

// hit is a window that some name matched, before disambiguation.
type hit struct {
	i, n int
	cand candidate
	// refs are the names the surface allows, one per entry, in index order.
	refs []*nameRef
	cue  *cueHit
}

// cueHit is a place cue found before a window.
type cueHit struct {
	text  string
	start int // token index of its first word
	kinds map[string]bool
}

// tracer records the matcher's steps for Explain; nil when not explaining.
type tracer interface {
	candidates(i int, cands []candidate)
	window(i, ci, n int, key string, result string)
}

// find scans the field leftmost-longest and returns the windows that match.
func (s *Stage) find(f *pipeline.Field, tr tracer) []hit {
	var out []hit
	toks := f.Tokens
	var cands []candidate
	var sb strings.Builder
	for i := 0; i < len(toks); {
		t := &toks[i]
		if t.Kind == pipeline.Punct || t.Key == "" {
			i++
			continue
		}
		cands = s.firstCandidates(t, cands)
		if tr != nil {
			tr.candidates(i, cands)
		}
		bestLen, bestCand := 0, -1
		var bestRefs []*nameRef
		var cue *cueHit
		cueDone := false
		for ci, c := range cands {
			ml := s.maxLen[c.key]
			if ml == 0 {
				continue
			}
			for n := ml; n > bestLen; n-- {
				if i+n > len(toks) {
					if tr != nil {
						tr.window(i, ci, n, "", "past the end of the text")
					}
					continue
				}
				ok := true
				sb.Reset()
				sb.WriteString(c.key)
				for j := i + 1; j < i+n; j++ {
					tj := &toks[j]
					if tj.Kind == pipeline.Punct || !tj.Joined {
						ok = false
						break
					}
					sb.WriteByte(' ')
					sb.WriteString(tj.Key)
				}
				if !ok {
					if tr != nil {
						tr.window(i, ci, n, "", "crosses punctuation or a line break")
					}
					continue
				}
				key := sb.String()
				refs := s.index[key]
				if len(refs) == 0 {
					if tr != nil {
						tr.window(i, ci, n, key, "no name")
					}
					continue
				}
				var cu *cueHit
				if c.prefix == 0 {
					if !cueDone {
						cue, cueDone = s.cueBefore(toks, i), true
					}
					cu = cue
				}
				allowed, why := s.allowed(refs, f, toks[i:i+n], c.prefix, cu)
				if len(allowed) > 0 {
					if tr != nil {
						tr.window(i, ci, n, key, "match")
					}
					bestLen, bestCand, bestRefs = n, ci, allowed
					break
				}
				if tr != nil {
					tr.window(i, ci, n, key, why)
				}
			}
		}
		if bestRefs == nil {
			i++
			continue
		}
		h := hit{i: i, n: bestLen, cand: cands[bestCand], refs: bestRefs}
		if h.cand.prefix == 0 {
			h.cue = cue
		}
		out = append(out, h)
		i += bestLen
	}
	return out
}

// allowed returns the names among refs that the surface text and the
// context allow, one per entry, or nil and the reason all were refused.
func (s *Stage) allowed(refs []nameRef, f *pipeline.Field, toks []pipeline.Token, prefix int, cue *cueHit) ([]*nameRef, string) {
	var out []*nameRef
	why := ""
	for i := range refs {
		r := &refs[i]
		if r.acronym || r.capital {
			surface := f.Slice(toks[0].Start+prefix, toks[len(toks)-1].End)
			if r.acronym && !normalize.IsUpperAcronym(surface) {
				why = "refused: acronym " + r.name + " matches only capitals"
				continue
			}
			if r.capital {
				first := []rune(surface)
				if len(first) == 0 || !unicode.IsUpper(first[0]) {
					why = "refused: " + r.name + " matches only capitalized text"
					continue
				}
			}
		}
		if r.common && (cue == nil || !cue.kinds[r.entry.Kind]) {
			why = "refused: " + r.name + " is a common word and needs a place cue (مدينة, بلدة ...)"
			continue
		}
		dup := false
		for _, o := range out {
			if o.entry == r.entry {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, r)
		}
	}
	return out, why
}

// cueBefore finds a place cue ending right before token i.
func (s *Stage) cueBefore(toks []pipeline.Token, i int) *cueHit {
	if len(s.cues) == 0 || i == 0 || !toks[i].Joined {
		return nil
	}
	last := &toks[i-1]
	if last.Kind != pipeline.Word {
		return nil
	}
	for _, k := range s.stripped(last.Key) {
		for _, c := range s.cues[k] {
			nw := len(c.words)
			st := i - nw
			if st < 0 {
				continue
			}
			ok := true
			for w := 0; w < nw-1; w++ {
				tk := &toks[st+w]
				if tk.Key != c.words[w] || (w > 0 && !tk.Joined) {
					ok = false
					break
				}
			}
			if ok && nw > 1 && !toks[i-1].Joined {
				ok = false
			}
			if ok {
				return &cueHit{text: strings.Join(c.words, " "), start: st, kinds: c.kinds}
			}
		}
	}
	return nil
}

// stripped returns k and its readings without Arabic proclitics (بمدينة ->
// مدينة), for cue words.
func (s *Stage) stripped(k string) []string {
	out := []string{k}
	r := []rune(k)
	if len(r) == 0 || !normalize.IsArabicLetter(r[0]) {
		return out
	}
	starts := []int{0}
	for _, c := range s.conj {
		if strings.HasPrefix(k, c) {
			starts = append(starts, len([]rune(c)))
		}
	}
	for _, st := range starts {
		if st > 0 && len(r)-st >= 2 {
			out = append(out, string(r[st:]))
		}
		for _, p := range s.prep {
			pr := []rune(p)
			if len(r)-st > len(pr)+1 && string(r[st:st+len(pr)]) == p {
				out = append(out, string(r[st+len(pr):]))
			}
		}
	}
	return out
}

// docContext is what disambiguation knows of the document.
type docContext struct {
	date    time.Time
	hasDate bool
	// countries counts the countries of the unambiguous places.
	countries map[string]int
	maxCount  int
}

func (s *Stage) context(doc *pipeline.Document, hits ...[]hit) *docContext {
	ctx := &docContext{countries: map[string]int{}}
	if doc != nil {
		ctx.date, ctx.hasDate = doc.DocDate, doc.HasDate
	}
	for _, hs := range hits {
		for _, h := range hs {
			if len(h.refs) != 1 {
				continue
			}
			e := h.refs[0].entry
			if e.Type == gazetteers.TypePlace && e.Country != "" {
				ctx.countries[e.Country]++
				if ctx.countries[e.Country] > ctx.maxCount {
					ctx.maxCount = ctx.countries[e.Country]
				}
			}
		}
	}
	return ctx
}

// Weights of the disambiguation score; see docs/GAZETTEERS.md.
const (
	weightCue      = 100
	weightValidity = 60
	weightFocus    = 40
	weightPrefer   = 25
	weightKind     = 2 // per step of kind rank
)

// component is one part of a candidate's score, for Explain.
type component struct {
	rule  string
	value float64
}

// score rates one candidate entry of a shared name.
func (s *Stage) score(r *nameRef, cue *cueHit, ctx *docContext) (float64, []component) {
	e := r.entry
	var cs []component
	if cue != nil && cue.kinds[e.Kind] {
		cs = append(cs, component{"cue word " + cue.text, weightCue})
	}
	if ctx.hasDate {
		if valid, known := e.ValidAt(ctx.date); known {
			if valid {
				cs = append(cs, component{"valid at the document date", weightValidity})
			} else {
				cs = append(cs, component{"not valid at the document date", -weightValidity})
			}
		}
	}
	if ctx.maxCount > 0 && e.Country != "" {
		if n := ctx.countries[e.Country]; n > 0 {
			cs = append(cs, component{fmt.Sprintf("country focus %s (%d unambiguous places)", e.Country, n),
				weightFocus * float64(n) / float64(ctx.maxCount)})
		}
	}
	if s.prefer != "" && e.Country == s.prefer {
		cs = append(cs, component{"preferred country " + s.prefer, weightPrefer})
	}
	if r.rank < 10 {
		cs = append(cs, component{"kind rank " + e.Kind, float64(weightKind * (9 - r.rank))})
	}
	if e.Population > 0 {
		cs = append(cs, component{fmt.Sprintf("population %d", e.Population), math.Log10(float64(e.Population))})
	}
	total := 0.0
	for _, c := range cs {
		total += c.value
	}
	return math.Round(total*10) / 10, cs
}

type scored struct {
	ref        *nameRef
	score      float64
	components []component
}

// rank orders a hit's entries by score, best first; ties keep index order
// (kind rank, then id).
func (s *Stage) rank(h *hit, ctx *docContext) []scored {
	out := make([]scored, len(h.refs))
	for i, r := range h.refs {
		sc, cs := s.score(r, h.cue, ctx)
		out[i] = scored{r, sc, cs}
	}
	if len(out) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].score > out[j].score })
	}
	return out
}

// resolve turns hits into entities, choosing among entries that share a
// name.
func (s *Stage) resolve(f *pipeline.Field, hits []hit, ctx *docContext, ranked func(h *hit, r []scored)) []pipeline.Entity {
	var out []pipeline.Entity
	toks := f.Tokens
	for hi := range hits {
		h := &hits[hi]
		t := &toks[h.i]
		c := h.cand
		start := t.Start
		if c.prefix > 0 {
			start = t.KeyMap[c.prefix]
		}
		last := &toks[h.i+h.n-1]
		match := "exact"
		if c.clitic {
			match = "clitic"
		}
		for j := h.i; j < h.i+h.n; j++ {
			if toks[j].Glued {
				match = "glued"
			}
		}
		rs := s.rank(h, ctx)
		if ranked != nil {
			ranked(h, rs)
		}
		e := s.entity(rs[0].ref, f, start, last.End, match)
		if len(rs) > 1 {
			e.Score = rs[0].score
			for _, a := range rs[1:min(len(rs), 4)] {
				name := a.ref.entry.Name("en")
				if name == "" {
					name = a.ref.name
				}
				e.Alternatives = append(e.Alternatives, pipeline.Alternative{ID: a.ref.entry.ID, Name: name, Score: a.score})
			}
		}
		e.TokStart, e.TokEnd = h.i, h.i+h.n
		e.Sentence = t.Sentence
		if e.Type == gazetteers.TypePlace {
			e.Qualifier = s.qualifier(toks, h.i, h.i+h.n, c.prefix > 0)
		}
		out = append(out, e)
	}
	return out
}

func (s *Stage) entity(r *nameRef, f *pipeline.Field, start, end int, match string) pipeline.Entity {
	e := r.entry
	ent := pipeline.Entity{
		Type: e.Type, Text: f.Slice(start, end), Start: start, End: end,
		ID: e.ID, Name: e.Name("en"), NameAr: e.Name("ar"), Kind: e.Kind,
		Country: e.Country, Admin1: e.Admin1, Lat: e.Lat, Lon: e.Lon, Match: match,
	}
	if ent.Name == "" {
		ent.Name = r.name
	}
	if f.Name != "text" {
		ent.Field = f.Name
	}
	return ent
}

// qualifier looks for a qualifier word right before or after the match.
func (s *Stage) qualifier(toks []pipeline.Token, i, j int, clitic bool) string {
	if !clitic && i > 0 && toks[i].Joined {
		for _, q := range s.qualBef[toks[i-1].Key] {
			if i-len(q.words) < 0 {
				continue
			}
			match := true
			for k := range q.words {
				tk := toks[i-len(q.words)+k]
				if tk.Key != q.words[k] || (k > 0 && !tk.Joined) {
					match = false
				}
			}
			if match {
				return q.value
			}
		}
	}
	if j < len(toks) && toks[j].Joined {
		for _, q := range s.qualAft[toks[j].Key] {
			if j+len(q.words) > len(toks) {
				continue
			}
			match := true
			for k := range q.words {
				tk := toks[j+k]
				if tk.Key != q.words[k] || !tk.Joined {
					match = false
				}
			}
			if match {
				return q.value
			}
		}
	}
	return ""
}
