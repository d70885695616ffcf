package gazetteer

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/internal/diag"
)

// indexFormat names the layout of a cached index; change it whenever the
// layout or Compile changes, which invalidates every cached index.
const indexFormat = "hadath-index-v2\n"

// IndexCacheKey returns the name of the cached index of srcs compiled with
// the common words of lx: a hash of the sources' content (gazetteers.CacheKey,
// which covers the match-key rules but not the file names), the index format
// and the common words.
func IndexCacheKey(srcs []gazetteers.Source, lx *gazetteers.Lexicon) string {
	h := sha256.New()
	h.Write([]byte(indexFormat))
	h.Write([]byte(gazetteers.CacheKey(srcs)))
	common := lx.CommonKeys()
	keys := make([]string, 0, len(common))
	for k := range common {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		h.Write([]byte{0})
		h.Write([]byte(k))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// LoadIndex returns the compiled index of the gazetteer sources srcs
// (place names among lx's common words need a cue). It reads the index from
// the cache directory when a file for exactly these sources, common words
// and index format exists (hit is then true, and the YAML is never
// parsed). Otherwise it loads the sources (gazetteers.Load), compiles them
// and, when they load without errors, writes the index to the cache through
// a temporary file renamed into place, so that concurrent runs never read a
// partial file. errs holds the loader's problems (on a hit, the warnings of
// the load the cache was written from). A cache that cannot be read or
// written is never an error: the sources are then parsed.
func LoadIndex(srcs []gazetteers.Source, lx *gazetteers.Lexicon, o gazetteers.CacheOptions) (ix *Index, errs diag.ErrorList, hit bool) {
	compile := func() (*Index, diag.ErrorList) {
		g, errs := gazetteers.Load(srcs)
		if errs.Err() != nil {
			return nil, errs
		}
		ix := Compile(g, lx.CommonKeys())
		ix.warns = errs.Warnings()
		return ix, errs
	}
	if o.Disable {
		ix, errs = compile()
		return ix, errs, false
	}
	dir, err := o.CacheDir()
	if err != nil {
		ix, errs = compile()
		return ix, errs, false
	}
	path := filepath.Join(dir, "index-"+IndexCacheKey(srcs, lx)+".bin")
	if f, err := os.Open(path); err == nil {
		fi, err := f.Stat()
		if err == nil {
			var ix *Index
			if ix, err = decodeIndex(bufio.NewReaderSize(f, 1<<20), fi.Size()); err == nil {
				f.Close()
				now := time.Now()
				_ = os.Chtimes(path, now, now) // recently used: kept by prune
				ix.warns = renameFiles(ix.warns, srcs, false)
				return ix, ix.warns, true
			}
		}
		f.Close()
	}
	// a miss: the files are read once, so that the index stored is that of
	// the bytes its key hashes
	srcs = gazetteers.WithContent(srcs)
	path = filepath.Join(dir, "index-"+IndexCacheKey(srcs, lx)+".bin")
	ix, errs = compile()
	if ix != nil {
		stored := *ix
		stored.warns = renameFiles(ix.warns, srcs, true)
		if writeIndex(dir, path, &stored) == nil { // best effort
			pruneCache(dir, keepIndexes)
		}
	}
	return ix, errs, false
}

// renameFiles returns warns with the names of srcs replaced by placeholders
// (toPlaceholder) or the placeholders by the names: the cache is shared by
// the same files under other names (gazetteers.CacheKey), so the names in
// its warnings are those of the run that reads it.
func renameFiles(warns diag.ErrorList, srcs []gazetteers.Source, toPlaceholder bool) diag.ErrorList {
	if len(warns) == 0 {
		return warns
	}
	// longer names first: a name may contain another
	order := make([]int, len(srcs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(srcs[order[a]].Name) > len(srcs[order[b]].Name) })
	var pairs []string
	for _, i := range order {
		if srcs[i].Name == "" {
			continue
		}
		ph := "\x00" + strconv.Itoa(i) + "\x00"
		if toPlaceholder {
			pairs = append(pairs, srcs[i].Name, ph)
		} else {
			pairs = append(pairs, ph, srcs[i].Name)
		}
	}
	r := strings.NewReplacer(pairs...)
	out := make(diag.ErrorList, len(warns))
	for i, w := range warns {
		c := *w
		c.Pos.Filename = r.Replace(c.Pos.Filename)
		c.Msg = r.Replace(c.Msg)
		out[i] = &c
	}
	return out
}

// keepIndexes is how many cached indexes pruneCache keeps: every change of
// a gazetteer writes a new file (up to hundreds of MB for a GeoNames-sized
// gazetteer), so the least recently used ones are removed.
const keepIndexes = 8

// pruneCache removes all but the keep most recently used index files of
// dir (a hit touches its file). A process still reading a removed file
// keeps reading it (the file lives until it is closed).
func pruneCache(dir string, keep int) {
	files, err := filepath.Glob(filepath.Join(dir, "index-*.bin"))
	if err != nil || len(files) <= keep {
		return
	}
	type aged struct {
		path string
		mod  time.Time
	}
	var list []aged
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			list = append(list, aged{f, fi.ModTime()})
		}
	}
	sort.Slice(list, func(i, j int) bool {
		if !list[i].mod.Equal(list[j].mod) {
			return list[i].mod.After(list[j].mod)
		}
		return list[i].path < list[j].path
	})
	for _, a := range list[min(keep, len(list)):] {
		_ = os.Remove(a.path)
	}
}

func writeIndex(dir, path string, ix *Index) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".index-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	if _, err := tmp.Write(ix.Encode()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Record sizes in the encoded form.
const (
	entSize  = 7*8 + 8 + 8 + 8 + 4 + 4 + 1 + 1
	nameSize = 8 + 4 + 1
	recSize  = 8 + 8 + 4 + 4 + 2 + 1 + 8
)

// Encode returns the index in its cache form: the format string, the
// counts, the arena, fixed-size little-endian records for entries, names
// and keys, the warnings, and a CRC-32C of everything before it. The hash
// table is not stored: DecodeIndex rebuilds it from the keys' hashes.
func (ix *Index) Encode() []byte {
	le := binary.LittleEndian
	b := make([]byte, 0, len(indexFormat)+64+len(ix.arena)+entSize*len(ix.ents)+nameSize*len(ix.names)+recSize*len(ix.recs))
	b = append(b, indexFormat...)
	for _, n := range []int{len(ix.arena), len(ix.ents), len(ix.names), len(ix.recs), len(ix.warns)} {
		b = binary.AppendUvarint(b, uint64(n))
	}
	b = append(b, ix.arena...)
	sr := func(r sref) {
		b = le.AppendUint32(b, r.off)
		b = le.AppendUint32(b, r.n)
	}
	for i := range ix.ents {
		e := &ix.ents[i]
		for _, r := range []sref{e.id, e.typ, e.kind, e.country, e.admin1, e.nameEn, e.nameAr} {
			sr(r)
		}
		b = le.AppendUint64(b, math.Float64bits(e.lat))
		b = le.AppendUint64(b, math.Float64bits(e.lon))
		b = le.AppendUint64(b, uint64(e.pop))
		b = le.AppendUint32(b, uint32(e.from))
		b = le.AppendUint32(b, uint32(e.to))
		b = append(b, e.flags, byte(e.rank))
	}
	for i := range ix.names {
		n := &ix.names[i]
		sr(n.name)
		b = le.AppendUint32(b, n.entry)
		b = append(b, n.flags)
	}
	for i := range ix.recs {
		r := &ix.recs[i]
		b = le.AppendUint64(b, r.hash)
		sr(r.key)
		b = le.AppendUint32(b, r.first)
		b = le.AppendUint32(b, r.n)
		b = le.AppendUint16(b, r.maxLen)
		if r.tok {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
		b = le.AppendUint64(b, r.next)
	}
	str := func(s string) {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	for _, w := range ix.warns {
		str(w.Pos.Filename)
		b = binary.AppendUvarint(b, uint64(w.Pos.Line))
		b = binary.AppendUvarint(b, uint64(w.Pos.Column))
		b = binary.AppendUvarint(b, uint64(w.Severity))
		str(w.Msg)
	}
	return le.AppendUint32(b, crc32.Checksum(b, castagnoli))
}

var errCorrupt = errors.New("gazetteer index: corrupt or truncated cache file")

// DecodeIndex reads an index written by Encode. It checks the format, the
// checksum and that every offset and index is in range, so that a damaged
// file is an error, never a panic or a wrong match later.
func DecodeIndex(data []byte) (*Index, error) {
	return decodeIndex(bufio.NewReader(bytes.NewReader(data)), int64(len(data)))
}

// crcReader reads exactly sized pieces and keeps the CRC-32C of what it
// read; after the first error every read returns zeros.
type crcReader struct {
	r       *bufio.Reader
	crc     uint32
	scratch []byte
	err     error
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// next returns the next n bytes (valid until the next call).
func (c *crcReader) next(n int) []byte {
	if cap(c.scratch) < n {
		c.scratch = make([]byte, n)
	}
	b := c.scratch[:n]
	if c.err != nil {
		clear(b)
		return b
	}
	if _, err := io.ReadFull(c.r, b); err != nil {
		c.err = err
		clear(b)
		return b
	}
	c.crc = crc32.Update(c.crc, castagnoli, b)
	return b
}

func (c *crcReader) uvarint() uint64 {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		b := c.next(1)[0]
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v
		}
	}
	c.err = errCorrupt
	return 0
}

// decodeIndex reads an index of size bytes from r, streaming: the file is
// never held in memory next to the index.
func decodeIndex(r *bufio.Reader, size int64) (*Index, error) {
	le := binary.LittleEndian
	c := &crcReader{r: r}
	if size < int64(len(indexFormat))+4 || string(c.next(len(indexFormat))) != indexFormat || c.err != nil {
		return nil, errors.New("gazetteer index: not a cache file of this version")
	}
	var counts [5]uint64
	for i := range counts {
		counts[i] = c.uvarint()
		if counts[i] > uint64(size) {
			return nil, errCorrupt
		}
	}
	nArena, nEnts, nNames, nRecs, nWarns := counts[0], counts[1], counts[2], counts[3], counts[4]
	if c.err != nil || nArena+nEnts*entSize+nNames*nameSize+nRecs*recSize > uint64(size) || nArena > math.MaxUint32 {
		return nil, errCorrupt
	}
	arena := make([]byte, nArena)
	if _, err := io.ReadFull(r, arena); err != nil {
		return nil, errCorrupt
	}
	c.crc = crc32.Update(c.crc, castagnoli, arena)
	// the arena is never written again: the string shares its bytes
	ix := &Index{arena: unsafe.String(unsafe.SliceData(arena), len(arena))}
	bad := false
	sr := func(p []byte) sref {
		r := sref{le.Uint32(p), le.Uint32(p[4:])}
		if uint64(r.off)+uint64(r.n) > nArena {
			bad = true
			return sref{}
		}
		return r
	}
	ix.ents = make([]entRec, nEnts)
	for i := range ix.ents {
		p := c.next(entSize)
		e := &ix.ents[i]
		e.id, e.typ, e.kind, e.country = sr(p), sr(p[8:]), sr(p[16:]), sr(p[24:])
		e.admin1, e.nameEn, e.nameAr = sr(p[32:]), sr(p[40:]), sr(p[48:])
		e.lat = math.Float64frombits(le.Uint64(p[56:]))
		e.lon = math.Float64frombits(le.Uint64(p[64:]))
		e.pop = int64(le.Uint64(p[72:]))
		e.from, e.to = int32(le.Uint32(p[80:])), int32(le.Uint32(p[84:]))
		e.flags, e.rank = p[88], int8(p[89])
	}
	ix.names = make([]nameRec, nNames)
	for i := range ix.names {
		p := c.next(nameSize)
		n := &ix.names[i]
		n.name, n.entry, n.flags = sr(p), le.Uint32(p[8:]), p[12]
		if uint64(n.entry) >= nEnts {
			bad = true
		}
	}
	ix.recs = bigSlice[rec](ix, int(nRecs))
	for i := range ix.recs {
		p := c.next(recSize)
		r := &ix.recs[i]
		r.hash, r.key = le.Uint64(p), sr(p[8:])
		r.first, r.n = le.Uint32(p[16:]), le.Uint32(p[20:])
		r.maxLen, r.tok, r.next = le.Uint16(p[24:]), p[26] == 1, le.Uint64(p[27:])
		var h uint64
		h, r.head = hashKey(ix.str(r.key))
		if uint64(r.first)+uint64(r.n) > nNames || r.hash != h {
			bad = true
		}
	}
	if bad || c.err != nil {
		return nil, errCorrupt
	}
	str := func() string {
		n := c.uvarint()
		if n > uint64(size) {
			c.err = errCorrupt
			return ""
		}
		return string(c.next(int(n)))
	}
	num := func() int {
		v := c.uvarint()
		if v > math.MaxInt32 {
			c.err = errCorrupt
		}
		return int(v)
	}
	for i := uint64(0); i < nWarns && c.err == nil; i++ {
		file := str()
		line, col, sev := num(), num(), num()
		msg := str()
		ix.warns = append(ix.warns, &diag.Error{Pos: diag.Position{Filename: file, Line: line, Column: col},
			Msg: msg, Severity: diag.Severity(sev)})
	}
	sum := c.crc
	want := c.next(4)
	if c.err != nil || le.Uint32(want) != sum {
		return nil, errCorrupt
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return nil, errCorrupt // bytes after the checksum
	}
	ix.finishTables()
	return ix, nil
}
