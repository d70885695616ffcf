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
	ix      *Index
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

// New compiles the gazetteer into an index (see Compile) and builds the
// stage on it.
func New(g *gazetteers.Gazetteer, o Options) *Stage {
	return NewIndexed(Compile(g, o.Lexicon.CommonKeys()), o)
}

// NewIndexed builds the stage on a compiled index (see Compile and
// LoadIndex).
func NewIndexed(ix *Index, o Options) *Stage {
	s := &Stage{ix: ix, minStem: o.MinStem, qualBef: map[string][]qual{}, qualAft: map[string][]qual{},
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
	return s.ix.known(key)
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
	rec    int // the key's rec in the index, or -1
	maxLen int // the index's maxLen of key
	prefix int // runes of the key removed
	clitic bool
}

func (s *Stage) firstCandidates(t *pipeline.Token, buf []candidate) []candidate {
	r := s.ix.find(t.Key)
	ml := 0
	if r >= 0 {
		ml = int(s.ix.recs[r].maxLen)
	}
	buf = append(buf[:0], candidate{key: t.Key, rec: r, maxLen: ml})
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
		buf = appendCandidate(buf, s, n, key)
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
					// the "ا" is not in the text: the match starts at the second ل
					buf = appendCandidate(buf, s, stRunes+1, "ا"+rest[len("ل"):])
				}
			}
		}
	}
	return buf
}

// appendCandidate appends the clitic reading key (prefix runes removed)
// when it is long enough and starts a name.
func appendCandidate(buf []candidate, s *Stage, prefix int, key string) []candidate {
	if utf8.RuneCountInString(key) < s.minStem {
		return buf
	}
	if r := s.ix.find(key); r >= 0 && s.ix.recs[r].maxLen > 0 {
		buf = append(buf, candidate{key: key, rec: r, maxLen: int(s.ix.recs[r].maxLen), prefix: prefix, clitic: true})
	}
	return buf
}

// hit is a window that some name matched, before disambiguation.
type hit struct {
	i, n int
	cand candidate
	// refs are the names (indices into the index's names) the surface
	// allows, one per entry, in index order.
	refs []uint32
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
	var keyBuf [128]byte
	buf := keyBuf[:0]
	// refs holds the allowed names of every hit; each hit keeps a slice of it
	var refs []uint32
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
		var bestRefs []uint32
		var cue *cueHit
		cueDone := false
		for ci, c := range cands {
			ml := c.maxLen
			if ml == 0 {
				continue
			}
			// no name starting with c.key continues with the next token:
			// only the one-token window can match
			if ml > 1 && i+1 < len(toks) && s.ix.recs[c.rec].next&nextBit(toks[i+1].Key) == 0 && tr == nil {
				ml = 1
			}
			for n := ml; n > bestLen; n-- {
				if i+n > len(toks) {
					if tr != nil {
						tr.window(i, ci, n, "", "past the end of the text")
					}
					continue
				}
				ok := true
				if n == 1 {
					buf = buf[:0]
				} else {
					buf = append(buf[:0], c.key...)
				}
				for j := i + 1; j < i+n; j++ {
					tj := &toks[j]
					if tj.Kind == pipeline.Punct || !tj.Joined {
						ok = false
						break
					}
					buf = append(buf, ' ')
					buf = append(buf, tj.Key...)
				}
				if !ok {
					if tr != nil {
						tr.window(i, ci, n, "", "crosses punctuation or a line break")
					}
					continue
				}
				r := c.rec
				if n > 1 {
					r = s.ix.findBytes(buf)
				} else if tr != nil {
					buf = append(buf, c.key...)
				}
				first, cnt := s.ix.namesOf(r)
				if cnt == 0 {
					if tr != nil {
						tr.window(i, ci, n, string(buf), "no name")
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
				before := len(refs)
				var why string
				refs, why = s.allowed(refs, first, cnt, f, toks[i:i+n], c.prefix, cu, tr != nil)
				if len(refs) > before {
					if tr != nil {
						tr.window(i, ci, n, string(buf), "match")
					}
					bestLen, bestCand, bestRefs = n, ci, refs[before:len(refs):len(refs)]
					break
				}
				if tr != nil {
					tr.window(i, ci, n, string(buf), why)
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

// allowed appends to dst the names among names[first:first+cnt] that the
// surface text and the context allow, one per entry; when it appends none,
// why says (if explain) why the last was refused.
func (s *Stage) allowed(dst []uint32, first, cnt uint32, f *pipeline.Field, toks []pipeline.Token, prefix int, cue *cueHit, explain bool) ([]uint32, string) {
	why := ""
	start := len(dst)
	ix := s.ix
	for ni := first; ni < first+cnt; ni++ {
		r := &ix.names[ni]
		if r.flags&(nameAcronym|nameCapital) != 0 {
			surface := f.Slice(toks[0].Start+prefix, toks[len(toks)-1].End)
			if r.flags&nameAcronym != 0 && !normalize.IsUpperAcronym(surface) {
				if explain {
					why = "refused: acronym " + ix.str(r.name) + " matches only capitals"
				}
				continue
			}
			if r.flags&nameCapital != 0 {
				first, _ := utf8.DecodeRuneInString(surface)
				if surface == "" || !unicode.IsUpper(first) {
					if explain {
						why = "refused: " + ix.str(r.name) + " matches only capitalized text"
					}
					continue
				}
			}
		}
		if r.flags&nameCommon != 0 && (cue == nil || !cue.kinds[ix.str(ix.ents[r.entry].kind)]) {
			if explain {
				why = "refused: " + ix.str(r.name) + " is a common word and needs a place cue (مدينة, بلدة ...)"
			}
			continue
		}
		dup := false
		for _, o := range dst[start:] {
			if ix.names[o].entry == r.entry {
				dup = true
				break
			}
		}
		if !dup {
			dst = append(dst, ni)
		}
	}
	return dst, why
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
	var buf [8]string
	for _, k := range s.stripped(last.Key, buf[:0]) {
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
// مدينة), for cue words, appended to buf. The readings are substrings of
// k: Arabic letters of a match key are two bytes each.
func (s *Stage) stripped(k string, buf []string) []string {
	out := append(buf[:0], k)
	r0, _ := utf8.DecodeRuneInString(k)
	if k == "" || !normalize.IsArabicLetter(r0) {
		return out
	}
	n := utf8.RuneCountInString(k)
	var startArr [4]int
	starts := append(startArr[:0], 0)
	for _, c := range s.conj {
		if strings.HasPrefix(k, c) {
			starts = append(starts, len(c))
		}
	}
	for _, st := range starts {
		left := n - utf8.RuneCountInString(k[:st])
		if st > 0 && left >= 2 {
			out = append(out, k[st:])
		}
		for _, p := range s.prep {
			if left > utf8.RuneCountInString(p)+1 && strings.HasPrefix(k[st:], p) {
				out = append(out, k[st+len(p):])
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
			e := s.entry(h.refs[0])
			if c := s.ix.str(e.country); c != "" && s.ix.str(e.typ) == gazetteers.TypePlace {
				ctx.countries[c]++
				if ctx.countries[c] > ctx.maxCount {
					ctx.maxCount = ctx.countries[c]
				}
			}
		}
	}
	return ctx
}

// entry returns the entry of name ni.
func (s *Stage) entry(ni uint32) *entRec { return &s.ix.ents[s.ix.names[ni].entry] }

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

// score rates one candidate entry of a shared name; the components are
// built only when want (Explain).
func (s *Stage) score(ni uint32, cue *cueHit, ctx *docContext, want bool) (float64, []component) {
	e := s.entry(ni)
	ix := s.ix
	var cs []component
	total := 0.0
	add := func(v float64, rule func() string) {
		total += v
		if want {
			cs = append(cs, component{rule(), v})
		}
	}
	kind, country := ix.str(e.kind), ix.str(e.country)
	if cue != nil && cue.kinds[kind] {
		add(weightCue, func() string { return "cue word " + cue.text })
	}
	if ctx.hasDate {
		if valid, known := e.validAt(ctx.date); known {
			if valid {
				add(weightValidity, func() string { return "valid at the document date" })
			} else {
				add(-weightValidity, func() string { return "not valid at the document date" })
			}
		}
	}
	if ctx.maxCount > 0 && country != "" {
		if n := ctx.countries[country]; n > 0 {
			add(weightFocus*float64(n)/float64(ctx.maxCount), func() string {
				return fmt.Sprintf("country focus %s (%d unambiguous places)", country, n)
			})
		}
	}
	if s.prefer != "" && country == s.prefer {
		add(weightPrefer, func() string { return "preferred country " + s.prefer })
	}
	if e.rank < 10 {
		add(float64(weightKind*(9-int(e.rank))), func() string { return "kind rank " + kind })
	}
	if e.pop > 0 {
		add(math.Log10(float64(e.pop)), func() string { return fmt.Sprintf("population %d", e.pop) })
	}
	return math.Round(total*10) / 10, cs
}

type scored struct {
	ref        uint32 // name index
	score      float64
	components []component
}

// rank orders a hit's entries by score, best first; ties keep index order
// (kind rank, then id).
func (s *Stage) rank(h *hit, ctx *docContext, want bool) []scored {
	out := make([]scored, len(h.refs))
	for i, r := range h.refs {
		sc, cs := s.score(r, h.cue, ctx, want)
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
	if len(hits) == 0 {
		return nil
	}
	out := make([]pipeline.Entity, 0, len(hits))
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
		var e pipeline.Entity
		if len(h.refs) == 1 && ranked == nil {
			e = s.entity(h.refs[0], f, start, last.End, match)
		} else {
			rs := s.rank(h, ctx, ranked != nil)
			if ranked != nil {
				ranked(h, rs)
			}
			e = s.entity(rs[0].ref, f, start, last.End, match)
			if len(rs) > 1 {
				e.Score = rs[0].score
				for _, a := range rs[1:min(len(rs), 4)] {
					e.Alternatives = append(e.Alternatives, pipeline.Alternative{ID: s.ix.str(s.entry(a.ref).id), Name: s.displayName(a.ref), Score: a.score})
				}
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

// displayName is the entry's English name, else the matched name.
func (s *Stage) displayName(ni uint32) string {
	if e := s.entry(ni); e.nameEn.n > 0 {
		return s.ix.str(e.nameEn)
	}
	return s.ix.str(s.ix.names[ni].name)
}

func (s *Stage) entity(ni uint32, f *pipeline.Field, start, end int, match string) pipeline.Entity {
	ix := s.ix
	e := s.entry(ni)
	ent := pipeline.Entity{
		Type: ix.str(e.typ), Text: f.Slice(start, end), Start: start, End: end,
		ID: ix.str(e.id), Name: s.displayName(ni), NameAr: ix.str(e.nameAr), Kind: ix.str(e.kind),
		Country: ix.str(e.country), Admin1: ix.str(e.admin1), Match: match,
	}
	if e.flags&entCoord != 0 {
		// a copy: callers may change the entity, never the index
		c := [2]float64{e.lat, e.lon}
		ent.Lat, ent.Lon = &c[0], &c[1]
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
