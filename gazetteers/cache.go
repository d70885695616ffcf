package gazetteers

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/hadath/hadath/internal/diag"
)

// cacheFormat changes whenever the cached form or the loader's validation
// changes, which invalidates every cache file.
const cacheFormat = "hadath-gazetteer-cache-v4"

// keyProbes exercise every rule of the match key (see extractors/normalize);
// their keys are part of the cache key.
var keyProbes = []string{
	"إِسْطَنْبُولُ آستانة أ إ ٱ ى ة ی ک ـ", "U.S. Côte d’Ivoire São-Tomé ١٢٣ ۴۵", "ﻻ ﷲ \u200f\u00ad", "Al-Bab al Bab's ALEPPO",
	"للرقة وبحلب", "ΑΘΗΝΑ Москва", "İstanbul ß ﬁ",
}

// CacheOptions configures LoadCached.
type CacheOptions struct {
	// Dir holds the cache files; "" means os.UserCacheDir()/hadath.
	Dir string
	// Disable skips the cache: LoadCached is then Load.
	Disable bool
}

// CacheKey returns the hex SHA-256 of the cache format and of every
// source's name, override flag and bytes: the cache file of a set of
// sources, which changes whenever any of them does.
func CacheKey(srcs []Source) string {
	h := sha256.New()
	var n [8]byte
	write := func(b []byte) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	write([]byte(cacheFormat))
	// the cache holds match keys: a change of the normalizer must miss it
	for _, p := range keyProbes {
		write([]byte(MatchKey(p)))
	}
	for _, s := range srcs {
		write([]byte(s.Name))
		if s.Override {
			write([]byte{1})
		} else {
			write([]byte{0})
		}
		write(s.Data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// CacheDir returns the directory LoadCached uses for o.
func (o CacheOptions) CacheDir() (string, error) {
	if o.Dir != "" {
		return o.Dir, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "hadath"), nil
}

// LoadCached is Load through a cache of parsed entries: a file named by
// CacheKey(srcs) in the cache directory. A set of sources that loads
// without errors is written to the cache (through a temporary file renamed
// into place, so concurrent runs never see a partial file); the next load
// of the same bytes decodes it instead of parsing YAML. hit reports whether
// the cache was used. Problems with the cache itself are never fatal: the
// sources are then parsed.
func LoadCached(srcs []Source, o CacheOptions) (g *Gazetteer, errs diag.ErrorList, hit bool) {
	if o.Disable {
		g, errs = Load(srcs)
		return g, errs, false
	}
	dir, err := o.CacheDir()
	if err != nil {
		g, errs = Load(srcs)
		return g, errs, false
	}
	path := filepath.Join(dir, "gazetteer-"+CacheKey(srcs)+".bin")
	if g, errs, err := readCache(path); err == nil {
		return g, errs, true
	}
	g, errs = Load(srcs)
	if errs.Err() == nil {
		_ = writeCache(dir, path, g, errs) // best effort
	}
	return g, errs, false
}

func writeCache(dir, path string, g *Gazetteer, warns diag.ErrorList) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".gazetteer-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	bw := bufio.NewWriterSize(tmp, 1<<20)
	encodeCache(bw, g, warns)
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// The cache file is a flat binary encoding: the format string, then
// uvarints and length-prefixed strings. Decoding turns the whole file into
// one string and slices every name out of it, so that a 500k-entry
// gazetteer loads without a million small string allocations.
type encoder struct {
	w     *bufio.Writer
	buf   [binary.MaxVarintLen64]byte
	files map[string]uint64
	flist []string
}

func (e *encoder) uint(v uint64) {
	n := binary.PutUvarint(e.buf[:], v)
	e.w.Write(e.buf[:n])
}

func (e *encoder) int(v int64) {
	n := binary.PutVarint(e.buf[:], v)
	e.w.Write(e.buf[:n])
}

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.w.WriteString(s)
}

func (e *encoder) file(name string) uint64 {
	i, ok := e.files[name]
	if !ok {
		i = uint64(len(e.flist))
		e.files[name] = i
		e.flist = append(e.flist, name)
	}
	return i
}

func (e *encoder) pos(p diag.Position) {
	e.uint(e.file(p.Filename))
	e.uint(uint64(p.Line))
	e.uint(uint64(p.Column))
}

func encodeCache(w *bufio.Writer, g *Gazetteer, warns diag.ErrorList) {
	e := &encoder{w: w, files: map[string]uint64{}}
	// the table of file names comes first
	e.file("")
	for _, x := range g.Entries {
		e.file(x.Pos.Filename)
		for _, p := range x.NamePos {
			e.file(p.Filename)
		}
	}
	for _, x := range warns {
		e.file(x.Pos.Filename)
	}
	e.str(cacheFormat)
	e.uint(uint64(len(e.flist)))
	for _, f := range e.flist {
		e.str(f)
	}
	e.uint(uint64(len(g.Files)))
	for _, f := range g.Files {
		e.str(f)
	}
	e.uint(uint64(len(g.Entries)))
	for _, x := range g.Entries {
		for _, s := range []string{x.ID, x.Type, x.Kind, x.Country, x.Admin1, x.Parent, x.ValidFrom, x.ValidTo} {
			e.str(s)
		}
		if x.Lat != nil && x.Lon != nil {
			e.uint(1)
			e.uint(math.Float64bits(*x.Lat))
			e.uint(math.Float64bits(*x.Lon))
		} else {
			e.uint(0)
		}
		e.int(x.GeoNames)
		e.int(x.Population)
		e.pos(x.Pos)
		langs := x.Languages()
		e.uint(uint64(len(langs)))
		for _, l := range langs {
			e.str(l)
			e.uint(uint64(len(x.Names[l])))
			for i, n := range x.Names[l] {
				e.str(n)
				e.str(x.NameKey(l, i))
				e.pos(x.NamePosition(l, i))
			}
		}
	}
	e.uint(uint64(len(warns)))
	for _, x := range warns {
		e.pos(x.Pos)
		e.str(x.Msg)
	}
}

type decoder struct {
	data  string
	off   int
	err   error
	files []string
}

func (d *decoder) uint() uint64 {
	var v uint64
	var shift uint
	for {
		if d.off >= len(d.data) {
			d.err = io.ErrUnexpectedEOF
			return 0
		}
		b := d.data[d.off]
		d.off++
		v |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return v
		}
		shift += 7
		if shift > 63 {
			d.err = errors.New("bad varint")
			return 0
		}
	}
}

func (d *decoder) int() int64 {
	u := d.uint()
	return int64(u>>1) ^ -int64(u&1)
}

func (d *decoder) str() string {
	n := d.uint()
	if d.err != nil || n > uint64(len(d.data)-d.off) {
		if d.err == nil {
			d.err = io.ErrUnexpectedEOF
		}
		return ""
	}
	s := d.data[d.off : d.off+int(n)]
	d.off += int(n)
	return s
}

func (d *decoder) pos() diag.Position {
	i := d.uint()
	line, col := d.uint(), d.uint()
	if i >= uint64(len(d.files)) {
		if d.err == nil {
			d.err = errors.New("bad file index")
		}
		return diag.Position{}
	}
	return diag.Position{Filename: d.files[i], Line: int(line), Column: int(col)}
}

func readCache(path string) (*Gazetteer, diag.ErrorList, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	d := &decoder{data: string(b)}
	if d.str() != cacheFormat || d.err != nil {
		return nil, nil, errors.New("not a cache file of this version")
	}
	nf := d.uint()
	for i := uint64(0); i < nf && d.err == nil; i++ {
		d.files = append(d.files, d.str())
	}
	g := &Gazetteer{}
	ns := d.uint()
	for i := uint64(0); i < ns && d.err == nil; i++ {
		g.Files = append(g.Files, d.str())
	}
	n := d.uint()
	if d.err != nil || n > uint64(len(d.data)) {
		return nil, nil, errors.New("corrupt cache file")
	}
	g.byID = make(map[string]*Entry, n)
	g.Entries = make([]*Entry, n)
	es := make([]Entry, n)
	coords := make([]float64, 0, 2*n)
	keys := make([]string, 0, 4*n)
	poss := make([]diag.Position, 0, 4*n)
	for i := range es {
		if d.err != nil {
			break
		}
		e := &es[i]
		e.ID, e.Type, e.Kind, e.Country = d.str(), d.str(), d.str(), d.str()
		e.Admin1, e.Parent, e.ValidFrom, e.ValidTo = d.str(), d.str(), d.str(), d.str()
		if d.uint() == 1 {
			coords = append(coords, math.Float64frombits(d.uint()), math.Float64frombits(d.uint()))
			e.Lat, e.Lon = &coords[len(coords)-2], &coords[len(coords)-1]
		}
		e.GeoNames = d.int()
		e.Population = d.int()
		e.Pos = d.pos()
		nl := int(d.uint())
		if nl > 64 || d.err != nil {
			d.err = errors.New("corrupt cache file")
			break
		}
		e.Names = make(map[string][]string, nl)
		start := len(keys)
		for l := 0; l < nl && d.err == nil; l++ {
			lang := d.str()
			nn := d.uint()
			if nn > uint64(len(d.data)) {
				d.err = errors.New("corrupt cache file")
				break
			}
			names := make([]string, nn)
			for k := range names {
				names[k] = d.str()
				keys = append(keys, d.str())
				poss = append(poss, d.pos())
			}
			e.Names[lang] = names
		}
		// sub-slices of shared arrays: one allocation for all entries
		e.NameKeys = keys[start:len(keys):len(keys)]
		e.NamePos = poss[start:len(poss):len(poss)]
		g.Entries[i] = e
		g.byID[e.ID] = e
	}
	nw := d.uint()
	var warns diag.ErrorList
	for i := uint64(0); i < nw && d.err == nil; i++ {
		p := d.pos()
		warns = append(warns, &diag.Error{Pos: p, Msg: d.str(), Severity: diag.SevWarning})
	}
	if d.err != nil {
		return nil, nil, d.err
	}
	if d.off != len(d.data) {
		return nil, nil, errors.New("trailing bytes in cache file")
	}
	return g, warns, nil
}
