package normalize

import (
	"strings"
	"unicode/utf8"

	"github.com/hadath/hadath/pipeline"
)

// Vocabulary tells whether a key is a known word: a gazetteer name token, a
// trigger word or a function word. Glued-word repair splits only into known
// pieces.
type Vocabulary interface {
	Known(key string) bool
}

// Options configures the tokenizer stage.
type Options struct {
	// FunctionWords are short words that scrapers glue to neighbours
	// (في، على، من، إلى، عن، مع). They are given as written; keys are made here.
	FunctionWords []string
	// Vocabulary holds the other known pieces; nil disables repair.
	Vocabulary Vocabulary
	// MinGluedLen is the shortest token (in key runes) that repair tries.
	MinGluedLen int
	// MinNamePiece is the shortest non-function piece accepted.
	MinNamePiece int
}

// Stage tokenizes every field of a document, and repairs glued words.
type Stage struct {
	fn           map[string]bool
	fnList       []string
	vocab        Vocabulary
	minGlued     int
	minNamePiece int
	maxFn        int
	memos        gluedPool
	// heads and tails hold, as bits, the first and the last two bytes of
	// every function word, so that mayBeGlued refuses most words without
	// comparing them with each function word; nil when a function word is
	// shorter than two bytes.
	heads, tails *[1 << 16 / 64]uint64
}

// New builds the stage.
func New(o Options) *Stage {
	s := &Stage{fn: map[string]bool{}, vocab: o.Vocabulary, minGlued: o.MinGluedLen, minNamePiece: o.MinNamePiece}
	if s.minGlued <= 0 {
		s.minGlued = 6
	}
	if s.minNamePiece <= 0 {
		s.minNamePiece = 3
	}
	for _, w := range o.FunctionWords {
		k := Key(w)
		if k == "" {
			continue
		}
		if !s.fn[k] {
			s.fnList = append(s.fnList, k)
		}
		s.fn[k] = true
		if n := len([]rune(k)); n > s.maxFn {
			s.maxFn = n
		}
	}
	s.heads, s.tails = new([1 << 16 / 64]uint64), new([1 << 16 / 64]uint64)
	for _, k := range s.fnList {
		if len(k) < 2 {
			s.heads, s.tails = nil, nil
			break
		}
		h, t := pair(k[0], k[1]), pair(k[len(k)-2], k[len(k)-1])
		s.heads[h/64] |= 1 << (h % 64)
		s.tails[t/64] |= 1 << (t % 64)
	}
	return s
}

// Name implements pipeline.Stage.
func (s *Stage) Name() string { return Name }

// Process implements pipeline.Stage. The tokens are built in pooled
// scratch memory and copied to an exact-size slice per field.
func (s *Stage) Process(doc *pipeline.Document) error {
	sc := getScratch()
	defer sc.release()
	for _, f := range doc.Fields {
		if f.Runes == nil {
			f.Runes = Runes(f.Text)
		}
		toks := sc.tokenize(f.Runes, true)
		if s.vocab == nil || len(s.fn) == 0 {
			f.Tokens = exact(toks)
			continue
		}
		m := s.memos.get()
		f.Tokens = s.repair(toks, sc, m)
		s.memos.put(m)
	}
	return nil
}

func (s *Stage) known(k string) bool {
	return s.fn[k] || (s.vocab != nil && s.vocab.Known(k))
}

// repair returns the tokens in a slice of their own, exactly as long
// (see exact), with unknown Arabic tokens made of known pieces glued
// together replaced by their pieces. A piece's key is a substring of the
// glued token's key and its key map a slice of the token's. The decisions
// are taken first (m, which may be nil, remembers them), so that the
// tokens are copied once whether or not some are split.
func (s *Stage) repair(toks []pipeline.Token, sc *scratch, m *gluedMemo) []pipeline.Token {
	sc.splits, sc.cuts = sc.splits[:0], sc.cuts[:0]
	var cutArr [16]int
	for i := range toks {
		t := &toks[i]
		if t.Kind != pipeline.Word || len(t.Key) < s.minGlued {
			continue
		}
		// len(t.KeyMap) is the number of runes of t.Key
		if first, _ := utf8.DecodeRuneInString(t.Key); !IsArabicLetter(first) || len(t.KeyMap) < s.minGlued {
			continue
		}
		if !s.mayBeGlued(t.Key) {
			continue
		}
		if cuts := s.glued(t.Key, m, cutArr[:0]); cuts != nil {
			sc.splits = append(sc.splits, splitAt{tok: i, c0: len(sc.cuts), c1: len(sc.cuts) + len(cuts)})
			sc.cuts = append(sc.cuts, cuts...)
		}
	}
	if len(sc.splits) == 0 {
		return exact(toks)
	}
	// each cut adds one token
	out := make([]pipeline.Token, 0, len(toks)+len(sc.cuts))
	next := 0
	for _, sp := range sc.splits {
		out = append(out, toks[next:sp.tok]...)
		out = appendPieces(out, &toks[sp.tok], sc.cuts[sp.c0:sp.c1])
		next = sp.tok + 1
	}
	return append(out, toks[next:]...)
}

// splitAt is a glued token to split: its index and its cut points,
// scratch.cuts[c0:c1].
type splitAt struct{ tok, c0, c1 int }

// appendPieces appends the pieces of glued token t, cut before the key
// runes cuts.
func appendPieces(out []pipeline.Token, t *pipeline.Token, cuts []int) []pipeline.Token {
	// off[r] is the byte offset of key rune r
	var offArr [64]int
	off := offArr[:0]
	for b := range t.Key {
		off = append(off, b)
	}
	nk := len(off)
	off = append(off, len(t.Key))
	prev := 0
	for pi := 0; pi <= len(cuts); pi++ {
		c := nk
		if pi < len(cuts) {
			c = cuts[pi]
		}
		start := t.KeyMap[prev]
		end := t.End
		if c < nk {
			end = t.KeyMap[c]
		}
		if pi == 0 {
			start = t.Start
		}
		out = append(out, pipeline.Token{
			Start: start, End: end, Kind: pipeline.Word,
			Key: t.Key[off[prev]:off[c]], KeyMap: t.KeyMap[prev:c],
			Joined: pi > 0 || t.Joined, Glued: true,
		})
		prev = c
	}
	return out
}

// glued returns the cut points of key, a token that mayBeGlued, (appended
// to dst) when it is glued words to split, else nil; m remembers the
// decision.
func (s *Stage) glued(key string, m *gluedMemo, dst []int) []int {
	sl, ok := m.lookup(key)
	if ok {
		return sl.appendCuts(dst)
	}
	var cuts []int
	if !s.known(key) {
		cuts = s.split(key, dst)
	}
	sl.store(key, cuts)
	return cuts
}

// pair is two bytes as one number.
func pair(a, b byte) uint16 { return uint16(a)<<8 | uint16(b) }

// split appends to dst the cut points (exclusive of 0 and len) of the best
// split of key into known pieces and returns them, or returns nil. Best is
// fewest pieces, then longest first piece. At least one piece must not be a
// function word.
func (s *Stage) split(key string, dst []int) []int {
	// off[i] is the byte offset of rune i: pieces are substrings of key,
	// which cost no allocation. The four tables share one buffer, on the
	// stack for keys of up to 31 runes.
	n := utf8.RuneCountInString(key)
	var stack [4 * 32]int
	mem := stack[:]
	if 4*(n+1) > len(mem) {
		mem = make([]int, 4*(n+1))
	}
	off, best, next, hasName := mem[:0:n+1], mem[n+1:2*(n+1)], mem[2*(n+1):3*(n+1)], mem[3*(n+1):4*(n+1)]
	for i := range key {
		off = append(off, i)
	}
	off = append(off, len(key))
	// best[i]: fewest pieces covering key[i:], -1 if impossible;
	// hasName[i] is 1 when that covering holds a non-function piece
	for i := range best {
		best[i] = -1
	}
	best[n] = 0
	for i := n - 1; i >= 0; i-- {
		for j := n; j >= i+2; j-- {
			if best[j] < 0 {
				continue
			}
			piece := key[off[i]:off[j]]
			isFn := s.fn[piece]
			isName := !isFn && j-i >= s.minNamePiece && s.vocab.Known(piece)
			if !isFn && !isName {
				continue
			}
			c := best[j] + 1
			if best[i] < 0 || c < best[i] {
				best[i] = c
				next[i] = j
				hasName[i] = hasName[j]
				if isName {
					hasName[i] = 1
				}
			}
		}
	}
	if best[0] < 2 || hasName[0] == 0 {
		return nil
	}
	cuts := dst[:0]
	for i := next[0]; i < n; i = next[i] {
		cuts = append(cuts, i)
	}
	return cuts
}

// mayBeGlued is a cheap test run before the split search: a glued token
// starts or ends with a function word ("فيحلبفي", "السوريعلى") or has an
// article inside it after its third letter ("صمودالفصائل"); an article right
// after a proclitic (وبالمدينة) does not count. Most words start and end
// with two bytes that no function word starts or ends with, and are refused
// by two bit tests.
func (s *Stage) mayBeGlued(key string) bool {
	if s.heads == nil || len(key) >= 2 && (s.heads[pair(key[0], key[1])/64]&(1<<(pair(key[0], key[1])%64)) != 0 ||
		s.tails[pair(key[len(key)-2], key[len(key)-1])/64]&(1<<(pair(key[len(key)-2], key[len(key)-1])%64)) != 0) {
		for _, fw := range s.fnList {
			if strings.HasPrefix(key, fw) || strings.HasSuffix(key, fw) {
				return true
			}
		}
	}
	// the last article has the longest prefix before it
	i := strings.LastIndex(key, "ال")
	return i >= 0 && utf8.RuneCountInString(key[:i]) >= 3
}
