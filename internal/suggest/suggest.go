package suggest

import (
	"sort"
)

// Index holds a list of words for near-miss lookups.
type Index struct {
	words []string
	del   map[string][]int32
}

// New indexes words; duplicates are dropped.
func New(words []string) *Index {
	x := &Index{del: make(map[string][]int32, len(words)*4)}
	seen := make(map[string]bool, len(words))
	for _, w := range words {
		if w == "" || seen[w] {
			continue
		}
		seen[w] = true
		id := int32(len(x.words))
		x.words = append(x.words, w)
		for _, d := range deletions(w, true) {
			x.del[d] = appendOnce(x.del[d], id)
		}
	}
	return x
}

func appendOnce(l []int32, id int32) []int32 {
	if n := len(l); n > 0 && l[n-1] == id {
		return l
	}
	return append(l, id)
}

// deletions returns w (when self) and each form of w without one rune.
func deletions(w string, self bool) []string {
	r := []rune(w)
	out := make([]string, 0, len(r)+1)
	if self {
		out = append(out, w)
	}
	for i := range r {
		out = append(out, string(r[:i])+string(r[i+1:]))
	}
	return out
}

// Len returns the number of indexed words.
func (x *Index) Len() int { return len(x.words) }

// Near returns the indexed words at distance exactly 1 from q, sorted.
func (x *Index) Near(q string) []string {
	if x == nil || q == "" {
		return nil
	}
	seen := map[int32]bool{}
	var out []string
	for _, d := range deletions(q, true) {
		for _, id := range x.del[d] {
			if seen[id] {
				continue
			}
			seen[id] = true
			if w := x.words[id]; w != q && Distance(w, q) == 1 {
				out = append(out, w)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Closest returns the word of list closest to q within maxDist edits, or ""
// (for "did you mean" on short lists such as allowed keys).
func Closest(q string, list []string, maxDist int) string {
	best, bestD := "", maxDist+1
	for _, w := range list {
		if d := Distance(q, w); d < bestD {
			best, bestD = w, d
		}
	}
	return best
}

// Distance is the optimal string alignment distance between a and b, in
// runes: insertions, deletions, substitutions and transpositions of
// adjacent runes each cost 1.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	n, m := len(ra), len(rb)
	if n == 0 {
		return m
	}
	if m == 0 {
		return n
	}
	d := make([][]int, n+1)
	for i := range d {
		d[i] = make([]int, m+1)
		d[i][0] = i
	}
	for j := 0; j <= m; j++ {
		d[0][j] = j
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, d[i-2][j-2]+1)
			}
			d[i][j] = v
		}
	}
	return d[n][m]
}
