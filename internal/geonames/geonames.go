package geonames

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/gazetteers"
)

// Options filters a GeoNames import.
type Options struct {
	// Countries keeps only these ISO codes; empty keeps all.
	Countries []string
	// FeatureClasses keeps only these classes (P, A, L, S, T, H, V, R);
	// empty keeps P and A.
	FeatureClasses []string
	// MinPopulation drops populated places (class P) with fewer inhabitants.
	MinPopulation int64
	// AlternateNames is an alternateNamesV2 file (.txt or .zip) whose ar and
	// en names are added; "" uses only the main table.
	AlternateNames string
	// Existing, when set, drops rows that duplicate one of its places: the
	// same country, a shared name and less than 25 km apart (or no
	// coordinates on the existing entry; countries, governorates and regions
	// at any distance). Use it to add GeoNames places to
	// the defaults without two entries for Aleppo.
	Existing *gazetteers.Gazetteer
	// KeepCommonNames keeps the Arabic names that the name filter would
	// leave out as function words, common words, short names or bare forms
	// (every DropReasons but DropNamesake).
	KeepCommonNames bool
	// KeepNamesakes keeps the names that a place outside the
	// Arabic-speaking countries shares with a default place elsewhere
	// (DropNamesake).
	KeepNamesakes bool
	// Names is the name filter; nil uses DefaultNameFilter.
	Names *NameFilter
	// Dropped, when set, receives one line per name left out:
	// "gn-<geonameid>\t<name>\t<reason>", the reason followed by the
	// word list in brackets for common words.
	Dropped io.Writer
}

// Stats counts what an import did.
type Stats struct {
	Rows       int
	Entries    int
	WithArabic int
	Skipped    int
	// Duplicates counts rows dropped as duplicates of Options.Existing.
	Duplicates int
	// Dropped counts the names left out by the name filter, by reason
	// (DropReasons).
	Dropped map[string]int
	// Gated counts the Arabic names kept that are common words of the
	// gazetteer lexicon: they match only after a place cue.
	Gated int
}

// Kind returns the gazetteer kind of a GeoNames feature class and code, or
// "" for features not to import (historical, abandoned divisions ...).
func Kind(class, code string, population int64) string {
	switch class {
	case "P":
		switch code {
		case "PPLC", "PPLA", "PPLG":
			return "city"
		case "PPLH", "PPLCH":
			return ""
		case "PPLX":
			return "neighbourhood"
		case "PPLL", "PPLF", "PPLQ", "PPLW", "PPLR":
			return "village"
		}
		if population >= 100000 {
			return "city"
		}
		return "town"
	case "A":
		switch code {
		case "PCLI", "PCLD", "PCLF", "PCLS", "PCL", "PCLIX", "TERR":
			return "country"
		case "ADM1":
			return "governorate"
		case "ADM2", "ADM3", "ADM4", "ADM5", "ADMD":
			return "district"
		}
		return ""
	case "L":
		return "region"
	case "S", "T", "H", "V", "R":
		return "landmark"
	}
	return ""
}

// entry is a kept row.
type entry struct {
	id         int64
	kind       string
	country    string
	admin1     string
	lat, lon   string
	population int64
	en, ar     []string
	tagged     bool // ar names came from the alternate names file
	parent     int64
}

// openText opens path, or the main .txt member of a .zip.
func openText(path string) (io.ReadCloser, error) {
	if !strings.EqualFold(filepath.Ext(path), ".zip") {
		return os.Open(path)
	}
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	var best *zip.File
	for _, f := range zr.File {
		base := strings.ToLower(filepath.Base(f.Name))
		if !strings.HasSuffix(base, ".txt") || base == "readme.txt" || strings.HasPrefix(base, "iso-languagecodes") {
			continue
		}
		if best == nil || f.UncompressedSize64 > best.UncompressedSize64 {
			best = f
		}
	}
	if best == nil {
		zr.Close()
		return nil, fmt.Errorf("%s: no .txt table in the archive", path)
	}
	rc, err := best.Open()
	if err != nil {
		zr.Close()
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{rc, closers{rc, zr}}, nil
}

type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// eachLine calls fn with the tab-separated fields of each line of r.
func eachLine(r io.Reader, fn func(line int, cols [][]byte) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	var cols [][]byte
	for n := 1; ; n++ {
		l, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// a very long line: gather it
			buf := append([]byte(nil), l...)
			for errors.Is(err, bufio.ErrBufferFull) {
				l, err = br.ReadSlice('\n')
				buf = append(buf, l...)
			}
			l = buf
		}
		if len(l) > 0 {
			l = bytes.TrimRight(l, "\r\n")
			if len(l) > 0 && l[0] != '#' {
				cols = cols[:0]
				for {
					i := bytes.IndexByte(l, '\t')
					if i < 0 {
						cols = append(cols, l)
						break
					}
					cols = append(cols, l[:i])
					l = l[i+1:]
				}
				if ferr := fn(n, cols); ferr != nil {
					return ferr
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// Import reads the GeoNames table at path and writes gazetteer YAML to w.
func Import(path string, w io.Writer, o Options) (Stats, error) {
	var st Stats
	keepCountry := set(o.Countries)
	classes := o.FeatureClasses
	if len(classes) == 0 {
		classes = []string{"P", "A"}
	}
	keepClass := set(classes)
	f, err := openText(path)
	if err != nil {
		return st, err
	}
	defer f.Close()
	var entries []*entry
	byID := map[int64]*entry{}
	adm1 := map[string]int64{} // CC.admin1 -> geonameid of the ADM1 row
	err = eachLine(f, func(line int, c [][]byte) error {
		if len(c) < 19 {
			return fmt.Errorf("%s:%d: %d columns, want 19 (is this the GeoNames main table?)", path, line, len(c))
		}
		st.Rows++
		class, code, cc := string(c[6]), string(c[7]), string(c[8])
		if !keepClass[class] || (len(keepCountry) > 0 && !keepCountry[cc]) {
			st.Skipped++
			return nil
		}
		id, err := strconv.ParseInt(string(c[0]), 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("%s:%d: bad geonameid %q", path, line, c[0])
		}
		pop, _ := strconv.ParseInt(string(c[14]), 10, 64)
		kind := Kind(class, code, pop)
		if kind == "" || (class == "P" && pop < o.MinPopulation) || len(cc) != 2 {
			st.Skipped++
			return nil
		}
		if _, err := strconv.ParseFloat(string(c[4]), 64); err != nil {
			return fmt.Errorf("%s:%d: bad latitude %q", path, line, c[4])
		}
		if _, err := strconv.ParseFloat(string(c[5]), 64); err != nil {
			return fmt.Errorf("%s:%d: bad longitude %q", path, line, c[5])
		}
		e := &entry{id: id, kind: kind, country: cc, admin1: string(c[10]), lat: string(c[4]), lon: string(c[5]), population: pop}
		e.en = addName(e.en, string(c[1]), false)
		e.en = addName(e.en, string(c[2]), false)
		for _, a := range bytes.Split(c[3], []byte(",")) {
			if s := string(a); isArabicName(s) && (class == "A" || !isAdminName(s)) {
				e.ar = addName(e.ar, s, true)
			}
		}
		if code == "ADM1" {
			adm1[cc+"."+e.admin1] = id
		}
		entries = append(entries, e)
		byID[id] = e
		return nil
	})
	if err != nil {
		return st, err
	}
	if o.AlternateNames != "" {
		if err := addAlternates(o.AlternateNames, byID); err != nil {
			return st, err
		}
	}
	if o.Existing != nil {
		// on every name, before the name filter takes some away
		entries = dropExisting(entries, o.Existing, &st)
	}
	if !o.KeepCommonNames || !o.KeepNamesakes {
		nf := o.Names
		if nf == nil {
			if nf, err = DefaultNameFilter(); err != nil {
				return st, err
			}
		}
		var log func(e *entry, name, reason, note string)
		var lw *bufio.Writer
		if o.Dropped != nil {
			lw = bufio.NewWriter(o.Dropped)
			log = func(e *entry, name, reason, note string) {
				if note != "" {
					reason += " (" + note + ")"
				}
				fmt.Fprintf(lw, "gn-%d\t%s\t%s\n", e.id, name, reason)
			}
		}
		for _, e := range entries {
			nf.apply(e, &st, !o.KeepCommonNames, !o.KeepNamesakes, log)
		}
		if lw != nil {
			if err := lw.Flush(); err != nil {
				return st, err
			}
		}
	}
	// entries left without a name are not written (nor taken as parents)
	named := entries[:0]
	for _, e := range entries {
		if len(e.en) > 0 || len(e.ar) > 0 {
			named = append(named, e)
		}
	}
	entries = named
	kept := map[int64]bool{}
	for _, e := range entries {
		kept[e.id] = true
	}
	for _, e := range entries {
		if e.kind != "governorate" && e.kind != "country" && e.admin1 != "" && e.admin1 != "00" {
			if p, ok := adm1[e.country+"."+e.admin1]; ok && p != e.id && kept[p] {
				e.parent = p
			}
		}
	}
	st.Entries = len(entries)
	bw := bufio.NewWriterSize(w, 1<<20)
	fmt.Fprintf(bw, "# Generated by `hadath gazetteer import geonames` from %s.\n", filepath.Base(path))
	fmt.Fprintf(bw, "# Data: GeoNames (https://www.geonames.org), licensed CC BY 4.0.\nentries:\n")
	for _, e := range entries {
		if len(e.ar) > 0 {
			st.WithArabic++
		}
		fmt.Fprintf(bw, "  - id: gn-%d\n    type: place\n    kind: %s\n    country: %q\n", e.id, e.kind, e.country)
		if e.admin1 != "" && e.admin1 != "00" {
			fmt.Fprintf(bw, "    admin1: %s\n", quote(e.admin1))
		}
		fmt.Fprintf(bw, "    lat: %s\n    lon: %s\n", e.lat, e.lon)
		if e.population > 0 {
			fmt.Fprintf(bw, "    population: %d\n", e.population)
		}
		fmt.Fprintf(bw, "    geonames: %d\n", e.id)
		if e.parent != 0 {
			fmt.Fprintf(bw, "    parent: gn-%d\n", e.parent)
		}
		bw.WriteString("    names:\n")
		writeNames(bw, "ar", e.ar)
		writeNames(bw, "en", e.en)
	}
	return st, bw.Flush()
}

// addAlternates reads alternateNamesV2 (alternateNameId, geonameid,
// isolanguage, name, isPreferred, isShort, isColloquial, isHistoric, from,
// to) and adds the ar and en names of the kept entries, preferred and short
// names first. Colloquial and historic names are left out.
func addAlternates(path string, byID map[int64]*entry) error {
	f, err := openText(path)
	if err != nil {
		return err
	}
	defer f.Close()
	type alt struct {
		name string
		rank int
	}
	found := map[int64]map[string][]alt{}
	err = eachLine(f, func(line int, c [][]byte) error {
		if len(c) < 4 {
			return fmt.Errorf("%s:%d: %d columns, want at least 4 (is this alternateNames?)", path, line, len(c))
		}
		lang := string(c[2])
		if lang != "ar" && lang != "en" {
			return nil
		}
		id, err := strconv.ParseInt(string(c[1]), 10, 64)
		if err != nil || byID[id] == nil {
			return nil
		}
		flag := func(i int) bool { return len(c) > i && string(c[i]) == "1" }
		if flag(6) || flag(7) {
			return nil
		}
		rank := 2
		if flag(4) {
			rank = 0
		} else if flag(5) {
			rank = 1
		}
		if found[id] == nil {
			found[id] = map[string][]alt{}
		}
		found[id][lang] = append(found[id][lang], alt{string(c[3]), rank})
		return nil
	})
	if err != nil {
		return err
	}
	for id, langs := range found {
		e := byID[id]
		for lang, alts := range langs {
			sort.SliceStable(alts, func(i, j int) bool { return alts[i].rank < alts[j].rank })
			if lang == "ar" {
				var tagged []string
				for _, a := range alts {
					if e.kind == "governorate" || e.kind == "district" || e.kind == "country" || !isAdminName(a.name) {
						tagged = addName(tagged, a.name, true)
					}
				}
				if len(tagged) > 0 {
					// tagged names first; names found by script follow
					for _, n := range e.ar {
						tagged = addName(tagged, n, true)
					}
					e.ar, e.tagged = tagged, true
				}
				continue
			}
			var en []string
			for _, a := range alts {
				en = addName(en, a.name, false)
			}
			for _, n := range e.en {
				en = addName(en, n, false)
			}
			e.en = en
		}
	}
	return nil
}

// dropExisting removes the entries that duplicate a place of g.
func dropExisting(entries []*entry, g *gazetteers.Gazetteer, st *Stats) []*entry {
	type place struct {
		lat, lon *float64
	}
	known := map[string][]place{} // country + "|" + name key
	for _, e := range g.Entries {
		if e.Type != gazetteers.TypePlace {
			continue
		}
		for _, l := range e.Names {
			for _, n := range l.Names {
				k := e.Country + "|" + strings.Join(normalize.PhraseKeys(n), " ")
				known[k] = append(known[k], place{e.Lat, e.Lon})
			}
		}
	}
	out := entries[:0]
	for _, e := range entries {
		lat, _ := strconv.ParseFloat(e.lat, 64)
		lon, _ := strconv.ParseFloat(e.lon, 64)
		dup := false
		// areas have centroids that disagree by more than 25 km
		area := isArea(e.kind)
	names:
		for _, n := range append(append([]string(nil), e.en...), e.ar...) {
			for _, p := range known[e.country+"|"+strings.Join(normalize.PhraseKeys(n), " ")] {
				if area || p.lat == nil || p.lon == nil || distanceKm(lat, lon, *p.lat, *p.lon) < 25 {
					dup = true
					break names
				}
			}
		}
		if dup {
			st.Duplicates++
			continue
		}
		out = append(out, e)
	}
	return out
}

// isArea tells the kinds whose coordinates are centroids.
func isArea(kind string) bool {
	return kind == "country" || kind == "governorate" || kind == "region"
}

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Sqrt(a))
}

// adminWords start Arabic names of administrative areas: such a name is
// left out of a populated place (GeoNames lists محافظة طرطوس among the
// names of the city of Tartus).
var adminWords = []string{"محافظة", "محافظه", "ولاية", "قضاء", "ناحية", "مديرية", "إقليم", "اقليم", "منطقة", "لواء", "مقاطعة"}

func isAdminName(s string) bool {
	first, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	for _, w := range adminWords {
		if first == w {
			return true
		}
	}
	return false
}

func set(list []string) map[string]bool {
	m := map[string]bool{}
	for _, s := range list {
		m[s] = true
	}
	return m
}

// isArabicLetter reports the letters of the Arabic alphabet (ء to ي, ٱ,
// and ڤ, written for v in Arabic too). The other letters of the Arabic
// script belong to Persian, Urdu, Kurdish, Pashto, Uyghur ... (پ چ ژ گ ک ی
// ە ۆ ڕ ٹ ں ے ...).
func isArabicLetter(r rune) bool {
	return (r >= 0x0621 && r <= 0x063A) || (r >= 0x0641 && r <= 0x064A) || r == 0x0671 || r == 0x06A4
}

// isArabicName tells whether s is written in Arabic script as Arabic (not
// Persian, Urdu or Kurdish: a name with a letter Arabic does not use is
// not taken).
func isArabicName(s string) bool {
	has := false
	for _, r := range s {
		switch {
		case r == normalize.Tatweel:
		case isArabicLetter(r):
			has = true
		case unicode.IsLetter(r):
			return false // other letters of the script, or mixed scripts
		}
	}
	return has
}

// addName appends name (diacritics removed for Arabic) unless a name with
// the same match key is there, or it is too short to match safely.
func addName(list []string, name string, arabic bool) []string {
	name = strings.TrimSpace(name)
	if arabic {
		name = StripDiacritics(name)
	}
	k := strings.Join(normalize.PhraseKeys(name), " ")
	letters := 0
	for _, r := range k {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	if k == "" || (letters < 3 && !normalize.IsUpperAcronym(name)) {
		return list
	}
	for _, n := range list {
		if strings.Join(normalize.PhraseKeys(n), " ") == k {
			return list
		}
	}
	return append(list, name)
}

// StripDiacritics removes Arabic diacritics (tashkeel) and tatweel.
func StripDiacritics(s string) string {
	return strings.Map(func(r rune) rune {
		if normalize.IsArabicDiacritic(r) || r == normalize.Tatweel {
			return -1
		}
		return r
	}, s)
}

func quote(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

func writeNames(w *bufio.Writer, lang string, names []string) {
	if len(names) == 0 {
		return
	}
	fmt.Fprintf(w, "      %s: [", lang)
	for i, n := range names {
		if i > 0 {
			w.WriteString(", ")
		}
		w.WriteString(quote(n))
	}
	w.WriteString("]\n")
}

// WriteFileAtomic writes path through a temporary file in the same folder,
// renamed into place once write succeeded. A path that exists and is not a
// regular file (/dev/null, /dev/stdout, a pipe) is written directly.
func WriteFileAtomic(path string, write func(w io.Writer) error) error {
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return err
		}
		if err := write(f); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
