package gazetteer

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

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
	ix   *Index
	conj []string
	prep []string
	// conjN and prepN are the lengths in runes of conj and prep
	conjN, prepN []int
	// leads is the set of the first two bytes of every conj and prep, one
	// bit each: a key that starts with none of them has no clitic reading.
	// nil when some prefix is shorter than two bytes.
	leads   *[1 << 16 / 64]uint64
	minStem int
	qualBef map[string][]qual // key of the last word -> qualifiers, longest first
	qualAft map[string][]qual // key of the first word -> qualifiers, longest first
	// qualSigs has bit qualSig(k) set for every key of qualBef and qualAft:
	// most neighbours of a place are refused without a map lookup.
	qualSigs [qualSigBits / 64]uint64
	cues     map[string][]cueDef
	prefer   string

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
		k := normalize.Key(c)
		s.conj = append(s.conj, k)
		s.conjN = append(s.conjN, utf8.RuneCountInString(k))
	}
	for _, p := range o.Prepositions {
		k := normalize.Key(p)
		s.prep = append(s.prep, k)
		s.prepN = append(s.prepN, utf8.RuneCountInString(k))
	}
	s.leads = new([1 << 16 / 64]uint64)
	for _, p := range append(append([]string(nil), s.conj...), s.prep...) {
		if len(p) < 2 {
			s.leads = nil
			break
		}
		l := lead(p)
		s.leads[l/64] |= 1 << (l % 64)
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
	for _, m := range []map[string][]qual{s.qualBef, s.qualAft} {
		for k := range m {
			b := qualSig(k)
			s.qualSigs[b/64] |= 1 << (b % 64)
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
	ok := s.ix.known(key)
	runtime.KeepAlive(s) // the index's mapped memory (bigSlice)
	return ok
}

// Name implements pipeline.Stage.
func (s *Stage) Name() string { return Name }

// Process implements pipeline.Stage. Names shared by several entries are
// resolved once every field has been read, so that the places of the whole
// document (its country focus) weigh in.
func (s *Stage) Process(doc *pipeline.Document) error {
	sc, _ := scratchPool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{}
	}
	hits := sc.fields[:0]
	total := 0
	for _, f := range doc.Fields {
		h := s.find(f, nil, sc)
		hits = append(hits, h)
		total += len(h)
	}
	// only names shared by several entries are ranked in the document's
	// context
	var ctx *docContext
shared:
	for _, hs := range hits {
		for hi := range hs {
			if len(hs[hi].refs) > 1 {
				ctx = s.context(doc, hits...)
				break shared
			}
		}
	}
	// one allocation for the entities of every field, one for their
	// coordinates
	var out outBuf
	if total > 0 {
		out.ents = pipeline.MakeEntities(total)
		out.coords = make([]float64, 2*total)
	}
	for i, f := range doc.Fields {
		f.Entities = s.resolve(f, hits[i], ctx, nil, &out, sc)
	}
	sc.release(hits)
	runtime.KeepAlive(s) // the index's mapped memory (bigSlice)
	return nil
}

// Match returns the entities of a tokenized field, leftmost-longest, with
// the field alone as context.
func (s *Stage) Match(f *pipeline.Field) []pipeline.Entity {
	h := s.find(f, nil, nil)
	ents := s.resolve(f, h, s.context(nil, h), nil, nil, nil)
	runtime.KeepAlive(s) // the index's mapped memory (bigSlice)
	return ents
}

// scratch holds the buffers of one Process call, reused through
// scratchPool: the hits, their allowed names, the first-token readings and
// the bytes of the entity texts.
type scratch struct {
	hits   []hit
	refs   []uint32
	cands  []candidate
	th     []tokHash
	pass   []uint32 // Index.maybeStarts' scratch
	sink   uint64   // what Index.maybeStarts read, kept for its reads to stay
	fields [][]hit
	text   []byte
	spans  []int
}

// scratchPool holds the scratch buffers between Process calls.
var scratchPool sync.Pool

// release clears what the buffers point to (token keys, cues) and returns
// sc to the pool.
func (sc *scratch) release(fields [][]hit) {
	clear(sc.hits)
	clear(fields)
	clear(sc.cands)
	sc.hits, sc.refs, sc.cands, sc.fields = sc.hits[:0], sc.refs[:0], sc.cands[:0], fields[:0]
	scratchPool.Put(sc)
}

// outBuf is the memory the entities of a document are carved from.
type outBuf struct {
	ents   []pipeline.Entity
	coords []float64
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
	h, head := hashKey(t.Key)
	return s.firstCandidatesHashed(t, buf, tokHash{h: h, head: head, maybe: s.ix.maybeStart(h)})
}

// tokHash is a token key's hashKey and whether the index's startBloom may
// hold it (see Index.maybeStart).
type tokHash struct {
	h, head uint64
	maybe   bool
}

// readAheadTokens is the length of the blocks of tokens that hashes
// prepares at a time: enough for the CPU to overlap many misses, few
// enough that the lines read ahead (five per word that may start a name)
// are still in the cache when the matcher reaches them, and a constant
// scratch memory for a field of any length.
const readAheadTokens = 1024

// tokHashes gives the matcher the tokHash of its tokens, prepared a block
// at a time (fill); the matcher asks for them in increasing order.
type tokHashes struct {
	s    *Stage
	sc   *scratch
	toks []pipeline.Token
	base int       // th[k] is the tokHash of toks[base+k]
	th   []tokHash // a block
}

// at returns the tokHash of toks[i].
func (r *tokHashes) at(i int) tokHash {
	if k := i - r.base; k >= 0 && k < len(r.th) {
		return r.th[k]
	}
	r.fill(i)
	return r.th[0]
}

// fill prepares the block of tokens from i: their keys are hashed, and the
// index read for all of them in one pass whose loads do not depend on each
// other, so that the CPU overlaps their cache misses (Index.maybeStarts);
// the matcher's loop, with its branches, would wait for them one at a
// time.
func (r *tokHashes) fill(i int) {
	toks := r.toks[i:min(len(r.toks), i+readAheadTokens)]
	th := slices.Grow(r.sc.th[:0], len(toks))[:len(toks)]
	for k := range toks {
		th[k].h, th[k].head = hashKey(toks[k].Key)
	}
	var sum uint64
	sum, r.sc.pass = r.s.ix.maybeStarts(th, r.sc.pass)
	r.sc.sink += sum
	r.sc.th, r.th, r.base = th, th, i
}

// firstCandidatesHashed is firstCandidates for a token whose key's hashKey
// is th.
func (s *Stage) firstCandidatesHashed(t *pipeline.Token, buf []candidate, th tokHash) []candidate {
	// a rec that starts no name is no candidate: look only for those
	r := -1
	if th.maybe {
		r = s.ix.probeStart(t.Key, th.h, th.head)
	}
	ml := 0
	if r >= 0 {
		ml = int(s.ix.recs[r].maxLen)
	}
	buf = append(buf[:0], candidate{key: t.Key, rec: r, maxLen: ml})
	if t.Kind != pipeline.Word || len(t.KeyMap) == 0 {
		return buf
	}
	k := t.Key
	if s.leads != nil && (len(k) < 2 || s.leads[lead(k)/64]&(1<<(lead(k)%64)) == 0) {
		return buf // no conjunction or preposition starts k
	}
	// match keys of Arabic tokens hold only two-byte base letters, so
	// prefixes are cut by bytes; their rune counts come from conjN and prepN
	if r, _ := utf8.DecodeRuneInString(k); !normalize.IsArabicLetter(r) {
		return buf
	}
	// layer 1: optional conjunction; layer 2: optional preposition
	var startArr, runesArr [4]int
	starts, stRunes := append(startArr[:0], 0), append(runesArr[:0], 0)
	for ci, c := range s.conj {
		if strings.HasPrefix(k, c) {
			starts, stRunes = append(starts, len(c)), append(stRunes, s.conjN[ci])
		}
	}
	for si, st := range starts {
		rest := k[st:]
		if st > 0 {
			buf = s.appendCandidate(buf, stRunes[si], rest)
		}
		for pi, p := range s.prep {
			if len(rest) > len(p) && strings.HasPrefix(rest, p) {
				buf = s.appendCandidate(buf, stRunes[si]+s.prepN[pi], rest[len(p):])
				// ل + ال is written لل: للرقة -> الرقة
				if p == "ل" && strings.HasPrefix(rest, "لل") {
					// the "ا" is not in the text: the match starts at the
					// second ل; the key is built on the stack and copied
					// only when it starts a name
					var kb [64]byte
					key := append(append(kb[:0], "ا"...), rest[len("ل"):]...)
					n := len(buf)
					buf = s.appendCandidate(buf, stRunes[si]+1, unsafe.String(unsafe.SliceData(key), len(key)))
					if len(buf) > n {
						buf[n].key = strings.Clone(buf[n].key)
					}
				}
			}
		}
	}
	return buf
}

// lead is the first two bytes of s (at least two long).
func lead(s string) uint16 { return uint16(s[0])<<8 | uint16(s[1]) }

// appendCandidate appends the clitic reading key (prefix runes removed)
// when it is long enough and starts a name.
func (s *Stage) appendCandidate(buf []candidate, prefix int, key string) []candidate {
	// every rune takes 1 to 4 bytes: count only when the length leaves a doubt
	if len(key) < s.minStem || len(key) < 4*s.minStem && utf8.RuneCountInString(key) < s.minStem {
		return buf
	}
	h, head := hashKey(key)
	if r := s.ix.findStart(key, h, head); r >= 0 {
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
// The hits are appended to sc's buffers (a fresh scratch when sc is nil).
func (s *Stage) find(f *pipeline.Field, tr tracer, sc *scratch) []hit {
	if sc == nil {
		sc = &scratch{}
	}
	out := sc.hits
	start := len(out)
	toks := f.Tokens
	cands := sc.cands
	var keyBuf [128]byte
	buf := keyBuf[:0]
	// refs holds the allowed names of every hit; each hit keeps a slice of it
	refs := sc.refs
	th := tokHashes{s: s, sc: sc, toks: toks}
	cue := lazyCue{s: s, toks: toks}
	for i := 0; i < len(toks); {
		t := &toks[i]
		if t.Kind == pipeline.Punct || t.Key == "" {
			i++
			continue
		}
		cands = s.firstCandidatesHashed(t, cands, th.at(i))
		if tr != nil {
			tr.candidates(i, cands)
		}
		bestLen, bestCand := 0, -1
		var bestRefs []uint32
		// the cue before token i, found only when a common name or a shared
		// one needs it
		cue.i, cue.done, cue.cue = i, false, nil
		for ci, c := range cands {
			ml := c.maxLen
			if ml == 0 {
				continue
			}
			// no name starting with c.key continues with the next token:
			// only the one-token window can match
			if ml > 1 && i+1 < len(toks) && tr == nil {
				if s.ix.recs[c.rec].next&(1<<(th.at(i+1).h&63)) == 0 {
					ml = 1
				}
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
				var cu *lazyCue
				if c.prefix == 0 {
					cu = &cue
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
		// only disambiguation (several entries) and Explain read the cue
		if h.cand.prefix == 0 && (len(bestRefs) > 1 || tr != nil) {
			h.cue = cue.get()
		}
		out = append(out, h)
		i += bestLen
	}
	sc.hits, sc.refs, sc.cands = out, refs, cands
	if len(out) == start {
		return nil
	}
	return out[start:len(out):len(out)]
}

// allowed appends to dst the names among names[first:first+cnt] that the
// surface text and the context allow, one per entry; when it appends none,
// why says (if explain) why the last was refused.
func (s *Stage) allowed(dst []uint32, first, cnt uint32, f *pipeline.Field, toks []pipeline.Token, prefix int, lc *lazyCue, explain bool) ([]uint32, string) {
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
		if r.flags&nameCommon != 0 && !lc.get().announces(ix.str(ix.ents[r.entry].kind)) {
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

// lazyCue finds the cue before token i on the first get.
type lazyCue struct {
	s    *Stage
	toks []pipeline.Token
	i    int
	done bool
	cue  *cueHit
}

// get returns the cue before token i, or nil (also for a nil lc).
func (lc *lazyCue) get() *cueHit {
	if lc == nil {
		return nil
	}
	if !lc.done {
		lc.cue, lc.done = lc.s.cueBefore(lc.toks, lc.i), true
	}
	return lc.cue
}

// announces reports whether the cue announces places of kind (false for a
// nil cue).
func (c *cueHit) announces(kind string) bool { return c != nil && c.kinds[kind] }

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
	// countries counts the countries of the unambiguous places, in order of
	// first appearance (a document names few countries: a slice scanned
	// linearly beats a map).
	countries []countryCount
	maxCount  int
}

// countryCount is a country and its number of unambiguous places.
type countryCount struct {
	country string
	n       int
}

// count returns the number of unambiguous places of country c.
func (ctx *docContext) count(c string) int {
	for i := range ctx.countries {
		if ctx.countries[i].country == c {
			return ctx.countries[i].n
		}
	}
	return 0
}

// focus returns the country counts as a map, for Explain.
func (ctx *docContext) focus() map[string]int {
	m := make(map[string]int, len(ctx.countries))
	for _, c := range ctx.countries {
		m[c.country] = c.n
	}
	return m
}

func (s *Stage) context(doc *pipeline.Document, hits ...[]hit) *docContext {
	ctx := &docContext{}
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
				ctx.add(c)
			}
		}
	}
	return ctx
}

// add counts one unambiguous place of country c.
func (ctx *docContext) add(c string) {
	for i := range ctx.countries {
		if cc := &ctx.countries[i]; cc.country == c {
			cc.n++
			ctx.maxCount = max(ctx.maxCount, cc.n)
			return
		}
	}
	ctx.countries = append(ctx.countries, countryCount{c, 1})
	ctx.maxCount = max(ctx.maxCount, 1)
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
		if n := ctx.count(country); n > 0 {
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
// name (ctx may be nil when every hit has one entry and ranked is nil).
// The entities and their coordinates are carved from ob (fresh
// memory when nil), which must hold enough for the hits; the texts of the
// entities share one string.
func (s *Stage) resolve(f *pipeline.Field, hits []hit, ctx *docContext, ranked func(h *hit, r []scored), ob *outBuf, sc *scratch) []pipeline.Entity {
	if len(hits) == 0 {
		return nil
	}
	if ob == nil {
		ob = &outBuf{ents: make([]pipeline.Entity, len(hits)), coords: make([]float64, 2*len(hits))}
	}
	if sc == nil {
		sc = &scratch{}
	}
	out := ob.ents[:0:len(hits)]
	ob.ents = ob.ents[len(hits):]
	text, spans := sc.text[:0], sc.spans[:0]
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
		// written in place: out's memory is zeroed, and an Entity is
		// large enough for a copy from the stack to show
		out = out[:len(out)+1]
		e := &out[len(out)-1]
		end := last.End
		if len(h.refs) == 1 && ranked == nil {
			s.entity(e, h.refs[0], f, start, end, match, ob)
		} else {
			rs := s.rank(h, ctx, ranked != nil)
			if ranked != nil {
				ranked(h, rs)
			}
			s.entity(e, rs[0].ref, f, start, end, match, ob)
			if len(rs) > 1 {
				e.Score = rs[0].score
				for _, a := range rs[1:min(len(rs), 4)] {
					e.Alternatives = append(e.Alternatives, pipeline.Alternative{ID: s.ix.str(s.entry(a.ref).id), Name: s.displayName(a.ref), Score: a.score})
				}
			}
		}
		e.TokStart, e.TokEnd = h.i, h.i+h.n
		e.Sentence = int(t.Sentence)
		if e.Type == gazetteers.TypePlace {
			e.Qualifier = s.qualifier(toks, h.i, h.i+h.n, c.prefix > 0)
		}
		// the text, as f.Slice(start, end) would give it
		start, end = max(start, 0), min(end, len(f.Runes))
		spans = append(spans, len(text))
		if start < end {
			for _, r := range f.Runes[start:end] {
				text = utf8.AppendRune(text, r)
			}
		}
	}
	all := string(text)
	spans = append(spans, len(text))
	for k := range out {
		out[k].Text = all[spans[k]:spans[k+1]]
	}
	sc.text, sc.spans = text, spans
	return out
}

// displayName is the entry's English name, else the matched name.
func (s *Stage) displayName(ni uint32) string {
	if e := s.entry(ni); e.nameEn.n > 0 {
		return s.ix.str(e.nameEn)
	}
	return s.ix.str(s.ix.names[ni].name)
}

// entity is the entity of name ni between start and end, without its
// Text (resolve sets it); its coordinates are carved from ob.
func (s *Stage) entity(ent *pipeline.Entity, ni uint32, f *pipeline.Field, start, end int, match string, ob *outBuf) {
	ix := s.ix
	e := s.entry(ni)
	ent.Type, ent.Start, ent.End = ix.str(e.typ), start, end
	ent.ID, ent.Name, ent.NameAr, ent.Kind = ix.str(e.id), s.displayName(ni), ix.str(e.nameAr), ix.str(e.kind)
	ent.Country, ent.Admin1, ent.Match = ix.str(e.country), ix.str(e.admin1), match
	if e.flags&entCoord != 0 {
		// a copy: callers may change the entity, never the index
		c := ob.coords[:2:2]
		ob.coords = ob.coords[2:]
		c[0], c[1] = e.lat, e.lon
		ent.Lat, ent.Lon = &c[0], &c[1]
	}
	if f.Name != "text" {
		ent.Field = f.Name
	}
}

// qualSigBits is the size of the qualifier signature set.
const qualSigBits = 1024

// qualSig is the bit of key k in the qualifier signature set: its length
// and three of its bytes, mixed.
func qualSig(k string) uint {
	if k == "" {
		return 0
	}
	return (uint(len(k))*131 + uint(k[0])*31 + uint(k[len(k)/2])*7 + uint(k[len(k)-1])) % qualSigBits
}

// mayQualify reports whether k may be the key of a qualifier word (false
// means it is not).
func (s *Stage) mayQualify(k string) bool {
	b := qualSig(k)
	return s.qualSigs[b/64]&(1<<(b%64)) != 0
}

// qualifier looks for a qualifier word right before or after the match.
func (s *Stage) qualifier(toks []pipeline.Token, i, j int, clitic bool) string {
	if !clitic && i > 0 && toks[i].Joined && s.mayQualify(toks[i-1].Key) {
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
	if j < len(toks) && toks[j].Joined && s.mayQualify(toks[j].Key) {
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
