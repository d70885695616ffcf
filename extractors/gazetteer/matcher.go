package gazetteer

import (
	"sort"
	"strings"
	"unicode"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/gazetteers"
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
}

// Stage matches gazetteer names.
type Stage struct {
	index   map[string][]nameRef
	maxLen  map[string]int // first token key -> longest name in tokens
	tokens  map[string]bool
	conj    []string
	prep    []string
	minStem int
	qualBef map[string][]qual // key of the last word -> qualifiers, longest first
	qualAft map[string][]qual // key of the first word -> qualifiers, longest first
}

type qual struct {
	value string
	words []string // keys, in text order
}

var kindRank = map[string]int{"city": 0, "town": 1, "village": 2, "neighbourhood": 3, "landmark": 4,
	"country": 5, "governorate": 6, "district": 7, "region": 8}

// New compiles the gazetteer into the index.
func New(g *gazetteers.Gazetteer, o Options) *Stage {
	s := &Stage{index: map[string][]nameRef{}, maxLen: map[string]int{}, tokens: map[string]bool{},
		minStem: o.MinStem, qualBef: map[string][]qual{}, qualAft: map[string][]qual{}}
	if s.minStem <= 0 {
		s.minStem = 3
	}
	for _, c := range o.Conjunctions {
		s.conj = append(s.conj, normalize.Key(c))
	}
	for _, p := range o.Prepositions {
		s.prep = append(s.prep, normalize.Key(p))
	}
	for _, e := range g.Entries {
		rank := 10
		if e.Type == gazetteers.TypePlace {
			if r, ok := kindRank[e.Kind]; ok {
				rank = r
			}
		}
		for _, lang := range e.Languages() {
			for _, n := range e.Names[lang] {
				keys := normalize.PhraseKeys(n)
				if len(keys) == 0 {
					continue
				}
				k := strings.Join(keys, " ")
				ref := nameRef{entry: e, name: n, rank: rank}
				if !normalize.HasArabic(n) {
					ref.acronym = normalize.IsUpperAcronym(n) && len([]rune(k)) <= 6
					first := []rune(n)[0]
					ref.capital = unicode.IsUpper(first)
				}
				s.index[k] = append(s.index[k], ref)
				if len(keys) > s.maxLen[keys[0]] {
					s.maxLen[keys[0]] = len(keys)
				}
				for _, t := range keys {
					s.tokens[t] = true
				}
			}
		}
	}
	for k, refs := range s.index {
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
	return s
}

func insertQual(list []qual, q qual) []qual {
	list = append(list, q)
	sort.SliceStable(list, func(i, j int) bool { return len(list[i].words) > len(list[j].words) })
	return list
}

// Known reports whether key is a token of some name; the tokenizer uses it
// to repair glued words.
func (s *Stage) Known(key string) bool { return s.tokens[key] }

// Name implements pipeline.Stage.
func (s *Stage) Name() string { return Name }

// Process implements pipeline.Stage.
func (s *Stage) Process(doc *pipeline.Document) error {
	for _, f := range doc.Fields {
		f.Entities = s.Match(f)
	}
	return nil
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
	r := []rune(k)
	if !normalize.IsArabicLetter(r[0]) {
		return buf
	}
	try := func(n int, key string) {
		if len([]rune(key)) >= s.minStem && s.maxLen[key] > 0 {
			buf = append(buf, candidate{key: key, prefix: n, clitic: true})
		}
	}
	// layer 1: optional conjunction; layer 2: optional preposition
	starts := []int{0}
	for _, c := range s.conj {
		if strings.HasPrefix(k, c) {
			starts = append(starts, len([]rune(c)))
		}
	}
	for _, st := range starts {
		rest := r[st:]
		if st > 0 {
			try(st, string(rest))
		}
		for _, p := range s.prep {
			pr := []rune(p)
			if len(rest) > len(pr) && string(rest[:len(pr)]) == p {
				try(st+len(pr), string(rest[len(pr):]))
				// ل + ال is written لل: للرقة -> الرقة
				if p == "ل" && len(rest) > 2 && rest[1] == 'ل' {
					buf = appendArticle(buf, s, st+1, "ا"+string(rest[1:]))
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

// Match returns the entities of a tokenized field, leftmost-longest.
func (s *Stage) Match(f *pipeline.Field) []pipeline.Entity {
	var out []pipeline.Entity
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
		bestLen, bestCand := 0, -1
		var bestRef *nameRef
		for ci, c := range cands {
			ml := s.maxLen[c.key]
			if ml == 0 {
				continue
			}
			for n := ml; n > bestLen; n-- {
				if i+n > len(toks) {
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
					continue
				}
				refs := s.index[sb.String()]
				if ref := s.pick(refs, f, toks[i:i+n], c.prefix); ref != nil {
					bestLen, bestCand, bestRef = n, ci, ref
					break
				}
			}
		}
		if bestRef == nil {
			i++
			continue
		}
		c := cands[bestCand]
		start := t.Start
		if c.prefix > 0 {
			start = t.KeyMap[c.prefix]
		}
		last := &toks[i+bestLen-1]
		match := "exact"
		if c.clitic {
			match = "clitic"
		}
		for j := i; j < i+bestLen; j++ {
			if toks[j].Glued {
				match = "glued"
			}
		}
		e := s.entity(bestRef, f, start, last.End, match)
		e.TokStart, e.TokEnd = i, i+bestLen
		e.Sentence = t.Sentence
		if e.Type == gazetteers.TypePlace {
			e.Qualifier = s.qualifier(toks, i, i+bestLen, c.prefix > 0)
		}
		out = append(out, e)
		i += bestLen
	}
	return out
}

// pick returns the best name among refs that the surface text allows.
func (s *Stage) pick(refs []nameRef, f *pipeline.Field, toks []pipeline.Token, prefix int) *nameRef {
	for i := range refs {
		r := &refs[i]
		if r.acronym || r.capital {
			surface := f.Slice(toks[0].Start+prefix, toks[len(toks)-1].End)
			if r.acronym && !normalize.IsUpperAcronym(surface) {
				continue
			}
			if r.capital {
				first := []rune(surface)
				if len(first) == 0 || !unicode.IsUpper(first[0]) {
					continue
				}
			}
		}
		return r
	}
	return nil
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
