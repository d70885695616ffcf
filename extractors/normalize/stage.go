package normalize

import (
	"encoding/binary"
	"slices"
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
	// heads and tails hold, as bits, a hash of the first and of the last
	// bytes of every function word (all of them, up to edgeMax), so that
	// mayBeGlued refuses most words without comparing them with each
	// function word; widths are the lengths hashed, shortest first; heads
	// and tails are nil when a function word is shorter than two bytes.
	heads, tails *[1 << 16 / 64]uint64
	widths       []int
}

// edgeMax is the most bytes of a function word that heads and tails hash.
const edgeMax = 8

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
	if !slices.ContainsFunc(s.fnList, func(k string) bool { return len(k) < 2 }) {
		s.heads, s.tails = new([1 << 16 / 64]uint64), new([1 << 16 / 64]uint64)
		for _, k := range s.fnList {
			w := min(len(k), edgeMax)
			if !slices.Contains(s.widths, w) {
				s.widths = append(s.widths, w)
			}
			h, t := edgeHash(k[:w]), edgeHash(k[len(k)-w:])
			s.heads[h/64] |= 1 << (h % 64)
			s.tails[t/64] |= 1 << (t % 64)
		}
		slices.Sort(s.widths)
	}
	return s
}

// edgeHash is a 16-bit hash of b, of one to edgeMax bytes, and of its
// length.
func edgeHash(b string) uint16 {
	var x uint64
	for i := 0; i < len(b) && i < edgeMax; i++ {
		x |= uint64(b[i]) << (8 * i)
	}
	return mixEdge(x, len(b))
}

// mixEdge is edgeHash of the w bytes x holds, the first lowest.
func mixEdge(x uint64, w int) uint16 {
	return uint16(((x + uint64(w)) * 0x9E3779B97F4A7C15) >> 48)
}

// mayStartOrEnd reports whether key may start or end with a function word:
// whether a hash of its first or its last bytes is in heads or tails.
func (s *Stage) mayStartOrEnd(key string) bool {
	if len(key) < edgeMax {
		for _, w := range s.widths {
			if w > len(key) {
				break
			}
			h, t := edgeHash(key[:w]), edgeHash(key[len(key)-w:])
			if s.heads[h/64]&(1<<(h%64)) != 0 || s.tails[t/64]&(1<<(t%64)) != 0 {
				return true
			}
		}
		return false
	}
	// the first and the last eight bytes, little-endian
	head := binary.LittleEndian.Uint64([]byte(key[:edgeMax]))
	tail := binary.LittleEndian.Uint64([]byte(key[len(key)-edgeMax:]))
	for _, w := range s.widths {
		hx, tx := head, tail>>(8*(edgeMax-w))
		if w < edgeMax {
			hx &= 1<<(8*w) - 1
		}
		h, t := mixEdge(hx, w), mixEdge(tx, w)
		if s.heads[h/64]&(1<<(h%64)) != 0 || s.tails[t/64]&(1<<(t%64)) != 0 {
			return true
		}
	}
	return false
}

// Name implements pipeline.Stage.
func (s *Stage) Name() string { return Name }

// Process implements pipeline.Stage. The tokens are described in pooled
// scratch memory and written once, to an exact-size slice per field. A
// field's text is decoded to runes and tokenized in one pass
// (tokenizeText) unless its runes are set already.
func (s *Stage) Process(doc *pipeline.Document) error {
	sc := getScratch()
	defer sc.release()
	for _, f := range doc.Fields {
		long := s.minGlued
		if s.vocab == nil || len(s.fn) == 0 {
			long = 0
		}
		if f.Runes == nil {
			// decoded and tokenized in one pass
			f.Runes = sc.tokenizeText(f.Text, long)
		} else {
			sc.tokenize(f.Runes, true, long)
		}
		if long == 0 {
			f.Tokens = sc.emit(pipeline.MakeTokens(len(sc.spans)))
			continue
		}
		m := s.memos.get()
		f.Tokens = s.repair(sc, m)
		s.memos.put(m)
	}
	return nil
}

func (s *Stage) known(k string) bool {
	return s.fn[k] || (s.vocab != nil && s.vocab.Known(k))
}

// repair returns the tokens of sc (tokenized with their maps, listing the
// tokens of at least s.minGlued key runes in sc.long) in a slice
// of their own, exactly as long, with unknown Arabic tokens made of known
// pieces glued together replaced by their pieces. A piece's key is a
// substring of the glued token's key and its key map a slice of the
// token's. The decisions are taken first (m, which may be nil, remembers
// them), so that the tokens are written once whether or not some are
// split.
func (s *Stage) repair(sc *scratch, m *gluedMemo) []pipeline.Token {
	sc.splits, sc.cuts = sc.splits[:0], sc.cuts[:0]
	var cutArr [16]int
	spans := sc.spans
	for _, i := range sc.long {
		sp := &spans[i]
		if sp.kind != pipeline.Word || sp.k1-sp.k0 < s.minGlued {
			continue
		}
		key := sc.all[sp.k0:sp.k1]
		// sp.m1-sp.m0 is the number of runes of key
		if first, _ := firstRune(key); !IsArabicLetter(first) || sp.m1-sp.m0 < s.minGlued {
			continue
		}
		if !s.mayBeGlued(key) {
			continue
		}
		if cuts := s.glued(key, m, cutArr[:0]); cuts != nil {
			sc.splits = append(sc.splits, splitAt{tok: i, c0: len(sc.cuts), c1: len(sc.cuts) + len(cuts)})
			sc.cuts = append(sc.cuts, cuts...)
		}
	}
	if len(sc.splits) == 0 {
		return sc.emit(pipeline.MakeTokens(len(spans)))
	}
	// each cut adds one token; the tokens between the glued ones are
	// written in place, the pieces appended into out's spare capacity
	out := pipeline.MakeTokens(len(spans) + len(sc.cuts))
	n, next := 0, 0
	for _, sp := range sc.splits {
		sc.emitSpans(out[n:], spans[next:sp.tok])
		n += sp.tok - next
		t := sc.token(&spans[sp.tok])
		n = len(appendPieces(out[:n], &t, sc.cuts[sp.c0:sp.c1]))
		next = sp.tok + 1
	}
	sc.emitSpans(out[n:], spans[next:])
	return out
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
// with bytes that no function word starts or ends with, and are refused
// by bit tests. key is valid UTF-8, as every key is.
func (s *Stage) mayBeGlued(key string) bool {
	if s.heads == nil || s.mayStartOrEnd(key) {
		for _, fw := range s.fnList {
			if strings.HasPrefix(key, fw) || strings.HasSuffix(key, fw) {
				return true
			}
		}
	}
	// an article after the third rune (the last article has the longest
	// prefix before it, so any one after the third rune will do): i is
	// the start of the fourth rune, where each rune starts with a byte
	// that is not 10xxxxxx
	i, n := 0, 0
	for ; i < len(key); i++ {
		if key[i]&0xC0 != 0x80 {
			if n == 3 {
				break
			}
			n++
		}
	}
	// the article's four bytes, compared at once
	for ; i+4 <= len(key); i++ {
		if binary.LittleEndian.Uint32([]byte(key[i:i+4])) == article {
			return true
		}
	}
	return false
}

// article is "ال" in UTF-8, its four bytes read little-endian.
const article = 0xD8 | 0xA7<<8 | 0xD9<<16 | 0x84<<24

// firstRune is utf8.DecodeRuneInString with the one- and two-byte
// sequences (ASCII and Arabic) decoded inline.
func firstRune(s string) (rune, int) {
	if len(s) > 0 && s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	if len(s) > 1 && s[0] >= 0xC2 && s[0] < 0xE0 && s[1]&0xC0 == 0x80 {
		return rune(s[0]&0x1F)<<6 | rune(s[1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s)
}
