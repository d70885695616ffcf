package gazetteer

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/extractors/sentences"
	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/pipeline"
)

// seedText mixes the cases the matcher distinguishes: multi-word names,
// clitics, لل, a shared name, acronyms, capitals, common words and a
// validity window.
const seedText = `وصلت قوات إلى حلب القديمة وبحلب وللرقة، وقالت الأمم المتحدة إن الباب تحت الحصار. ` +
	`مدينة الباب هادئة. The UN and the un-official Turkey office in Washington; Tripoli ` +
	`and Al-Bab. قاتلت جبهة النصرة في ريف حلب الشمالي.`

const indexGaz = testGaz + `  - {id: bab, type: place, kind: town, country: "SY", population: 60000, names: {ar: [الباب], en: [Al-Bab]}}
  - {id: tripoli-ly, type: place, kind: city, country: "LY", population: 1100000, names: {en: [Tripoli]}}
  - {id: tripoli-lb, type: place, kind: city, country: "LB", population: 230000, names: {en: [Tripoli]}}
  - {id: nusra, type: organization, kind: armed_group, valid_to: "2016-07", names: {ar: [جبهة النصرة]}}
`

func indexSources() []gazetteers.Source {
	return []gazetteers.Source{{Name: "t.yaml", Data: []byte(indexGaz)}}
}

func commonLexicon(t *testing.T) *gazetteers.Lexicon {
	t.Helper()
	lx, errs := gazetteers.ParseLexicon("words.yaml", []byte("common_words:\n  ar: [الباب]\nplace_cues:\n  - {before: [مدينة], kinds: [city, town]}\n"))
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	return lx
}

// entitiesWith runs normalize, sentences and a stage on ix over text.
func entitiesWith(t *testing.T, ix *Index, lx *gazetteers.Lexicon, text string) []pipeline.Entity {
	t.Helper()
	s := NewIndexed(ix, Options{Conjunctions: []string{"و", "ف"}, Prepositions: []string{"ب", "ك", "ل"}, Lexicon: lx})
	n := normalize.New(normalize.Options{FunctionWords: []string{"في", "على", "من", "إلى"}, Vocabulary: s})
	doc := &pipeline.Document{Fields: []*pipeline.Field{{Name: "text", Text: text}},
		DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true}
	for _, st := range []pipeline.Stage{n, sentences.New(nil), s} {
		if err := st.Process(doc); err != nil {
			t.Fatal(err)
		}
	}
	return doc.Fields[0].Entities
}

func TestIndexEncodeDecodeMatchesTheSame(t *testing.T) {
	lx := commonLexicon(t)
	g, errs := gazetteers.Load(indexSources())
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	ix := Compile(g, lx.CommonKeys())
	got, err := DecodeIndex(ix.Encode())
	if err != nil {
		t.Fatal(err)
	}
	want := entitiesWith(t, ix, lx, seedText)
	if len(want) < 10 {
		t.Fatalf("only %d entities from the compiled index: %+v", len(want), want)
	}
	if dec := entitiesWith(t, got, lx, seedText); !reflect.DeepEqual(dec, want) {
		t.Fatalf("decoded index matches differently:\n%+v\nvs\n%+v", dec, want)
	}
	ids := map[string]int{}
	for _, e := range want {
		ids[e.ID]++
	}
	// الباب alone is a common word; after مدينة it is the town
	if ids["bab"] != 2 || ids["tripoli-ly"] != 1 || ids["un"] != 2 || ids["nusra"] != 1 {
		t.Errorf("ids %v", ids)
	}
	if got.Len() != len(g.Entries) || got.Names() != ix.Names() || got.Bytes() <= 0 {
		t.Errorf("sizes: %d entries (want %d), %d names (want %d)", got.Len(), len(g.Entries), got.Names(), ix.Names())
	}
}

func TestIndexLookups(t *testing.T) {
	g, errs := gazetteers.Load(indexSources())
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	ix := Compile(g, nil)
	for _, c := range []struct {
		key    string
		maxLen int
		known  bool
		names  uint32
	}{
		{"حلب", 2, true, 1},          // حلب, حلب القديمة; ريف حلب الشمالي starts with ريف
		{"ريف", 3, true, 0},          // starts a name, is none
		{"الشمالي", 0, true, 0},      // inside a name only
		{"tripoli", 1, true, 2},      // two entries
		{"حلب القديمة", 0, false, 1}, // a key, not a token
		{"دمشق", 0, false, 0},
		{"", 0, false, 0},
	} {
		c.key = gazetteers.MatchKey(c.key)
		if ml := ix.maxLen(c.key); ml != c.maxLen {
			t.Errorf("maxLen(%q) = %d, want %d", c.key, ml, c.maxLen)
		}
		if k := ix.known(c.key); k != c.known {
			t.Errorf("known(%q) = %v", c.key, k)
		}
		if _, n := ix.namesOf(ix.find(c.key)); n != c.names {
			t.Errorf("names(%q) = %d, want %d", c.key, n, c.names)
		}
	}
	keys := 0
	ix.EachKey(func(string) { keys++ })
	if keys != ix.Names()-1 { // Tripoli twice
		t.Errorf("%d keys for %d names", keys, ix.Names())
	}
}

// TestHashStringIsFixed pins the hash: the cache stores hashes, so a change
// here must come with a new indexFormat.
func TestHashStringIsFixed(t *testing.T) {
	for s, want := range map[string]uint64{"": hashString(""), "حلب": hashString("حلب")} {
		if got := hashString(s); got != want {
			t.Fatal("hash not deterministic")
		}
	}
	if hashString("ab") == hashString("ab\x00") || hashString("abcdefgh") == hashString("abcdefgi") {
		t.Error("collisions on trivial inputs")
	}
	const pinned = 0xc420a67e341d7ff7
	if got := hashString("الأمم المتحدة"); got != pinned {
		t.Errorf("hashString changed (%#x): bump indexFormat and update this value", got)
	}
}

func TestDecodeIndexRejectsDamage(t *testing.T) {
	g, errs := gazetteers.Load(indexSources())
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	data := Compile(g, nil).Encode()
	for n := 0; n < len(data); n += 1 + n/16 {
		if _, err := DecodeIndex(data[:n]); err == nil {
			t.Fatalf("truncated at %d of %d: no error", n, len(data))
		}
	}
	for _, i := range []int{len(indexFormat), len(indexFormat) + 3, len(data) / 2, len(data) - 5, len(data) - 1} {
		bad := bytes.Clone(data)
		bad[i] ^= 0x41
		if _, err := DecodeIndex(bad); err == nil {
			t.Errorf("byte %d flipped: no error", i)
		}
	}
	if _, err := DecodeIndex([]byte("hadath-index-v1\nxxxxxxxxx")); err == nil || !strings.Contains(err.Error(), "version") {
		t.Errorf("old format: %v", err)
	}
}

func TestLoadIndexCache(t *testing.T) {
	dir := t.TempDir()
	lx := commonLexicon(t)
	srcs := append(indexSources(), gazetteers.Source{Name: "w.yaml", Data: []byte(
		"entries:\n  - {id: dup-name, type: place, kind: city, names: {en: [Tripoli]}}\n")})
	o := gazetteers.CacheOptions{Dir: dir}
	ix1, e1, hit := LoadIndex(srcs, lx, o)
	if hit || e1.Err() != nil || ix1 == nil {
		t.Fatalf("first load: hit %v, %v", hit, e1)
	}
	ix2, e2, hit := LoadIndex(srcs, lx, o)
	if !hit || e2.Err() != nil {
		t.Fatalf("second load: hit %v, %v", hit, e2)
	}
	if !reflect.DeepEqual(e1.Warnings(), e2) {
		t.Errorf("cached warnings %v, first load %v", e2, e1.Warnings())
	}
	if !reflect.DeepEqual(entitiesWith(t, ix1, lx, seedText), entitiesWith(t, ix2, lx, seedText)) {
		t.Error("cached index matches differently")
	}
	// other common words: another index
	if _, _, hit := LoadIndex(srcs, nil, o); hit {
		t.Error("a different lexicon hit the cache")
	}
	// a changed source misses; a broken one is an error and writes nothing
	srcs[1].Data = append(bytes.Clone(srcs[1].Data), "  - {id: zz, type: place, names: {en: [Zville]}}\n"...)
	if ix, _, hit := LoadIndex(srcs, lx, o); hit || ix.find("zville") < 0 {
		t.Error("changed source: stale index")
	}
	before, _ := filepath.Glob(filepath.Join(dir, "index-*.bin"))
	srcs[1].Data = []byte("entries:\n  - {id: bad, type: nowhere}\n")
	if ix, errs, _ := LoadIndex(srcs, lx, o); ix != nil || errs.Err() == nil || !strings.Contains(errs.Err().Error(), "w.yaml:2:") {
		t.Errorf("broken source: %v, %v", ix, errs.Err())
	}
	if after, _ := filepath.Glob(filepath.Join(dir, "index-*.bin")); len(after) != len(before) {
		t.Error("a failed load wrote a cache file")
	}
	// a damaged cache file is recompiled, not trusted
	srcs = indexSources()
	path := filepath.Join(dir, "index-"+IndexCacheKey(srcs, lx)+".bin")
	if _, _, _ = LoadIndex(srcs, lx, o); true {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)/2] ^= 1
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if ix, errs, hit := LoadIndex(srcs, lx, o); hit || errs.Err() != nil || ix.find("حلب") < 0 {
		t.Errorf("damaged cache: hit %v, %v", hit, errs.Err())
	}
	// Disable never touches the directory
	off := gazetteers.CacheOptions{Dir: t.TempDir(), Disable: true}
	if _, _, hit := LoadIndex(srcs, lx, off); hit {
		t.Error("disabled cache hit")
	}
	if fs, _ := os.ReadDir(off.Dir); len(fs) != 0 {
		t.Errorf("disabled cache wrote %d files", len(fs))
	}
	// concurrent runs on a cold cache all succeed and agree
	cold := gazetteers.CacheOptions{Dir: t.TempDir()}
	var wg sync.WaitGroup
	out := make([][]pipeline.Entity, 6)
	for i := range out {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ix, errs, _ := LoadIndex(srcs, lx, cold)
			if errs.Err() != nil {
				t.Error(errs.Err())
				return
			}
			out[i] = entitiesWith(t, ix, lx, seedText)
		}()
	}
	wg.Wait()
	for i := range out {
		if !reflect.DeepEqual(out[i], out[0]) {
			t.Fatal("concurrent loads disagree")
		}
	}
	if tmp, _ := filepath.Glob(filepath.Join(cold.Dir, ".index-*")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// FuzzDecodeIndex feeds damaged cache files to the decoder: it must return
// an error or an index whose lookups stay in range, never panic.
func FuzzDecodeIndex(f *testing.F) {
	g, errs := gazetteers.Load(indexSources())
	if err := errs.Err(); err != nil {
		f.Fatal(err)
	}
	f.Add(Compile(g, nil).Encode())
	f.Add([]byte(indexFormat))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := DecodeIndex(data)
		if err != nil {
			return
		}
		ix.EachKey(func(k string) {
			first, n := ix.namesOf(ix.find(k))
			for ni := first; ni < first+n; ni++ {
				e := &ix.ents[ix.names[ni].entry]
				_ = ix.str(e.id) + ix.str(ix.names[ni].name)
			}
		})
	})
}

// TestLoadIndexCacheSharedAcrossNames: the same files given by other paths
// hit the cache, and cached warnings name the files as the reading run does.
func TestLoadIndexCacheSharedAcrossNames(t *testing.T) {
	o := gazetteers.CacheOptions{Dir: t.TempDir()}
	a := []byte("entries:\n  - {id: x, type: place, kind: city, names: {en: [Xville]}}\n")
	b := []byte("entries:\n  - {id: x, type: place, kind: town, names: {en: [Xtown]}}\n")
	srcs := func(dir string) []gazetteers.Source {
		return []gazetteers.Source{{Name: dir + "/base.yaml", Data: a}, {Name: dir + "/user.yaml", Data: b, Override: true}}
	}
	if _, errs, hit := LoadIndex(srcs("first"), nil, o); hit || errs.Err() != nil {
		t.Fatalf("first: hit %v %v", hit, errs.Err())
	}
	ix, _, hit := LoadIndex(srcs("/elsewhere/second"), nil, o)
	if !hit || ix.find("xtown") < 0 || ix.find("xville") >= 0 {
		t.Fatalf("renamed sources: hit %v", hit)
	}
	// the loader gives no warnings today; the renaming is tested directly,
	// with a name that contains another
	first := []gazetteers.Source{{Name: "g/a.yaml"}, {Name: "big/a.yaml"}}
	then := []gazetteers.Source{{Name: "/x/a.yaml"}, {Name: "/y/b.yaml"}}
	warns := diag.ErrorList{{Pos: diag.Position{Filename: "big/a.yaml", Line: 3, Column: 4},
		Msg: "entry replaces the one at g/a.yaml:2:5", Severity: diag.SevWarning}}
	stored := renameFiles(warns, first, true)
	if strings.Contains(stored.Error(), "a.yaml") {
		t.Errorf("stored warnings keep names: %q", stored.Error())
	}
	got := renameFiles(stored, then, false).Error()
	if want := "/y/b.yaml:3:4: warning: entry replaces the one at /x/a.yaml:2:5"; got != want {
		t.Errorf("renamed: %q, want %q", got, want)
	}
	if warns[0].Pos.Filename != "big/a.yaml" {
		t.Error("renameFiles changed its input")
	}
}

// TestLoadIndexPrunesTheCache: only the most recently used indexes stay.
func TestLoadIndexPrunesTheCache(t *testing.T) {
	o := gazetteers.CacheOptions{Dir: t.TempDir()}
	src := func(i int) []gazetteers.Source {
		return []gazetteers.Source{{Name: "g.yaml", Data: []byte(fmt.Sprintf("entries:\n  - {id: p%d, type: place, kind: city, names: {en: [Town%d]}}\n", i, i))}}
	}
	// the first set is used again after every new one: it must survive
	for i := 1; i <= keepIndexes+3; i++ {
		if _, errs, _ := LoadIndex(src(i), nil, o); errs.Err() != nil {
			t.Fatal(errs.Err())
		}
		// file times have a coarse resolution on some systems: date the
		// new file explicitly, older for earlier rounds
		if i > 1 {
			old := time.Now().Add(time.Duration(i-100) * time.Second)
			if err := os.Chtimes(filepath.Join(o.Dir, "index-"+IndexCacheKey(src(i), nil)+".bin"), old, old); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, hit := LoadIndex(src(1), nil, o); !hit {
			t.Fatalf("round %d: the most recently used index was pruned", i)
		}
	}
	if n := len(mustGlob(t, filepath.Join(o.Dir, "index-*.bin"))); n != keepIndexes {
		t.Errorf("%d index files kept, want %d", n, keepIndexes)
	}
	if _, _, hit := LoadIndex(src(2), nil, o); hit {
		t.Error("an old index survived the pruning")
	}
}

func mustGlob(t *testing.T, pattern string) []string {
	t.Helper()
	fs, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestShortKeysFromHash checks what Index.find relies on: a key of at most
// headDecides bytes is rebuilt from its length, hash and head alone, by
// inverting the steps of hashKey, so no two such keys share all three.
func TestShortKeysFromHash(t *testing.T) {
	inv := func(c uint64) uint64 { // inverse of an odd c modulo 2^64
		x := c
		for range 6 {
			x *= 2 - c*x
		}
		return x
	}
	unshift := func(x uint64, k uint) uint64 { // inverse of x ^= x>>k
		y := x
		for range 64 / k {
			y = x ^ y>>k
		}
		return y
	}
	// g is a step of the loop, fin the final mix; ginv and finInv undo them
	g := func(x uint64) uint64 { x *= hashMulA; return x ^ x>>31 }
	ginv := func(x uint64) uint64 { return unshift(x, 31) * inv(hashMulA) }
	finInv := func(x uint64) uint64 {
		x = unshift(x, 32) * inv(hashMulA)
		return unshift(x, 29) * inv(hashMulB)
	}
	bytesOf := func(v uint64, n int) string {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], v)
		return string(b[:n])
	}
	rebuild := func(n int, h, head uint64) string {
		h0 := uint64(n)*hashSeedMul + hashSeedAdd
		switch {
		case n < 8:
			return bytesOf(finInv(h)^h0, n)
		case n < 16:
			return bytesOf(head, 8) + bytesOf(finInv(h)^g(h0^head), n-8)
		default: // 16: two loop steps, then an empty tail
			return bytesOf(head, 8) + bytesOf(ginv(finInv(h))^g(h0^head), 8)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ")
	for i := 0; i < 20000; i++ {
		var s string
		if i%2 == 0 {
			b := make([]byte, r.IntN(headDecides+1))
			for j := range b {
				b[j] = byte(r.Uint32())
			}
			s = string(b)
		} else {
			rs := make([]rune, r.IntN(headDecides/2+1))
			for j := range rs {
				rs[j] = letters[r.IntN(len(letters))]
			}
			s = string(rs)
		}
		h, head := hashKey(s)
		if h != hashString(s) {
			t.Fatalf("hashKey(%q) != hashString", s)
		}
		if got := rebuild(len(s), h, head); got != s {
			t.Fatalf("rebuilt %q from the hash of %q", got, s)
		}
	}
}
