package output

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hadath/hadath/pipeline"
)

// refString is encoding/json's encoding of s without HTML escaping.
func refString(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

func checkString(t *testing.T, s string) {
	t.Helper()
	got := appendString([]byte("x"), s)
	if want := append([]byte("x"), refString(s)...); !bytes.Equal(got, want) {
		t.Fatalf("appendString(%q) = %q, want %q", s, got, want)
	}
}

// stringPieces are the bytes and characters that matter to appendString:
// plain ASCII, the escaped ASCII, HTML characters (not escaped), two-byte
// leads and continuations (also alone or misplaced), C0 and C1 (invalid
// leads), three- and four-byte characters, U+2028 and U+2029 and invalid
// bytes.
var stringPieces = []string{
	"a", "Z", " ", "~", "\x7f", "\"", "\\", "\n", "\t", "\x00", "\x1f", "\x01", "<", ">", "&",
	"ب", "é", "\u0080", "\u07ff", "\xc2", "\xdf", "\x80", "\xbf", "\xc0\x80", "\xc1\xbf",
	"\u2028", "\u2029", "\u2027", "\u202a", "€", "😀", "\xe2\x80", "\xf0\x9f\x98", "\xff", "\xfe", "\xf8\x80\x80\x80\x80",
}

// TestAppendStringPieces compares appendString with encoding/json on
// strings of every length up to 40 built from stringPieces, so that each
// piece lands at every position of the eight-byte words.
func TestAppendStringPieces(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	for n := 0; n <= 40; n++ {
		for range 400 {
			var sb strings.Builder
			plain := rnd.IntN(2) == 0 // mostly plain, with one odd piece
			for sb.Len() < n {
				if plain && rnd.IntN(n+1) != 0 {
					sb.WriteString([]string{"a", "ب", " ", "7"}[rnd.IntN(4)])
				} else {
					sb.WriteString(stringPieces[rnd.IntN(len(stringPieces))])
				}
			}
			s := sb.String()
			checkString(t, s)
			checkString(t, s[:min(len(s), n)]) // may split a character
		}
	}
	for c := range 256 {
		for _, f := range []string{"%c", "ab%c", "abcd%c", "abcdefg%c", "abcdefgh%c", "بب%cب", "%cبببببب", "بببببب%c"} {
			checkString(t, strings.Replace(f, "%c", string([]byte{byte(c)}), 1))
		}
	}
}

// FuzzAppendString compares appendString with encoding/json.
func FuzzAppendString(f *testing.F) {
	for _, s := range stringPieces {
		f.Add(s + "بببب" + s + "abcdefgh" + s)
	}
	f.Add("شرق حلب")
	f.Add("village")
	f.Fuzz(func(t *testing.T, s string) {
		checkString(t, s)
	})
}

// benchStrings are realistic output strings: the values of a place
// entity of the big gazetteer on Arabic text, and some longer ones.
func benchStrings(rnd *rand.Rand) []string {
	arabic := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوية")
	word := func(n int) string {
		r := make([]rune, n)
		for i := range r {
			r[i] = arabic[rnd.IntN(len(arabic))]
		}
		return string(r)
	}
	var out []string
	for range 1000 {
		out = append(out, "place", word(3+rnd.IntN(4)), "g"+strconv.Itoa(rnd.IntN(500000)),
			"village", "SY", []string{"exact", "glued"}[rnd.IntN(2)])
	}
	for range 50 {
		out = append(out, word(5)+" "+word(4)+" "+word(7), "Aleppo Governorate", "https://example.com/news/2015/03/01/article-123.html")
	}
	return out
}

func BenchmarkAppendString(b *testing.B) {
	strs := benchStrings(rand.New(rand.NewPCG(3, 4)))
	n := 0
	for _, s := range strs {
		n += len(s)
	}
	buf := make([]byte, 0, 2*n+2*len(strs))
	b.SetBytes(int64(n))
	for b.Loop() {
		buf = buf[:0]
		for _, s := range strs {
			buf = appendString(buf, s)
		}
	}
}

// BenchmarkAppendEntities encodes a document of many place entities, as
// the big gazetteer finds in Arabic news.
func BenchmarkAppendEntities(b *testing.B) {
	rnd := rand.New(rand.NewPCG(5, 6))
	strs := benchStrings(rnd)
	var ents []pipeline.Entity
	for i := 0; i+6 <= 6000; i += 6 {
		start := rnd.IntN(20000)
		if i%5 == 0 {
			start = rnd.IntN(100)
		}
		ents = append(ents, pipeline.Entity{
			Type: strs[i], Text: strs[i+1], Start: start, End: start + utf8.RuneCountInString(strs[i+1]),
			Sentence: start / 120, ID: strs[i+2], Name: strs[i+1], NameAr: strs[i+1],
			Kind: strs[i+3], Country: strs[i+4], Match: strs[i+5],
		})
	}
	rec := &Record{ID: "doc-1", Lang: "ar", Entities: ents, Dates: []pipeline.DateMention{}, Quantities: []pipeline.Quantity{}, Events: []pipeline.Event{}}
	buf, err := appendRecordLine(nil, rec)
	if err != nil {
		b.Fatal(err)
	}
	want, err := refRecordLine(rec)
	if err != nil || !bytes.Equal(buf, want) {
		b.Fatalf("differs from encoding/json: %v %s", err, firstDiff(buf, want))
	}
	b.SetBytes(int64(len(buf)))
	for b.Loop() {
		buf, _ = appendRecordLine(buf[:0], rec)
	}
}

// BenchmarkAppendEntitiesCold is BenchmarkAppendEntities with the id and
// names of each entity taken at random from a large arena, as gazetteer
// entries are, so that most of them miss the caches.
func BenchmarkAppendEntitiesCold(b *testing.B) {
	rnd := rand.New(rand.NewPCG(7, 8))
	strs := benchStrings(rnd)
	// 1<<20 entries (an id and an Arabic name) and, apart, 1<<20 names:
	// ~30 MB with the offsets
	var arena strings.Builder
	var offs []int
	for range 1 << 20 {
		offs = append(offs, arena.Len())
		arena.WriteString(strs[2+6*rnd.IntN(1000)])
		offs = append(offs, arena.Len())
		arena.WriteString(strs[1+6*rnd.IntN(1000)])
	}
	for range 1 << 20 {
		offs = append(offs, arena.Len())
		arena.WriteString(strs[1+6*rnd.IntN(1000)])
	}
	offs = append(offs, arena.Len())
	all := arena.String()
	var ents []pipeline.Entity
	for range 20000 {
		k := 2 * rnd.IntN(1<<20)
		id, nameAr := all[offs[k]:offs[k+1]], all[offs[k+1]:offs[k+2]]
		k = 2<<20 + rnd.IntN(1<<20)
		name := all[offs[k]:offs[k+1]]
		start := rnd.IntN(20000)
		ents = append(ents, pipeline.Entity{
			Type: "place", Text: nameAr, Start: start, End: start + 4,
			Sentence: start / 120, ID: id, Name: name, NameAr: nameAr,
			Kind: "village", Country: "SY", Match: "exact",
		})
	}
	rec := &Record{ID: "doc-1", Lang: "ar", Entities: ents, Dates: []pipeline.DateMention{}, Quantities: []pipeline.Quantity{}, Events: []pipeline.Event{}}
	buf, err := appendRecordLine(nil, rec)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ResetTimer()
	for b.Loop() {
		buf, _ = appendRecordLine(buf[:0], rec)
	}
}

func TestAppendInt(t *testing.T) {
	check := func(v int) {
		if got, want := string(appendInt([]byte("x"), v)), "x"+strconv.Itoa(v); got != want {
			t.Fatalf("appendInt(%d) = %q, want %q", v, got, want)
		}
	}
	for v := -20000; v <= 120000; v++ {
		check(v)
	}
	for _, v := range []int{math.MaxInt, math.MinInt, math.MaxInt32, math.MinInt32, 1 << 40, -(1 << 40)} {
		check(v)
	}
}
