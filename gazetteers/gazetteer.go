package gazetteers

import (
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/internal/suggest"
)

//go:embed *.yaml
var defaults embed.FS

// Types of entries.
const (
	TypePlace        = "place"
	TypeOrganization = "organization"
)

// PlaceKinds are the allowed kinds of places, most to least general.
var PlaceKinds = []string{"country", "region", "governorate", "district", "city", "town", "village", "neighbourhood", "landmark"}

// OrgKinds are the allowed kinds of organizations.
var OrgKinds = []string{"un", "ngo", "government", "military", "armed_group", "media", "political", "other"}

// Entry is one place or organization.
type Entry struct {
	ID       string
	Type     string
	Kind     string
	Country  string
	Admin1   string
	Names    Names
	Lat, Lon *float64
	GeoNames int64
	Parent   string
	// Population is the number of inhabitants when known (0: unknown); it
	// breaks ties between places that share a name.
	Population int64
	// ValidFrom and ValidTo bound the period the entry's names referred to
	// it (YYYY, YYYY-MM or YYYY-MM-DD as written; "" is open-ended): a
	// group renamed in July 2016 has valid_to 2016-07 on its old entry.
	ValidFrom, ValidTo string
	// Pos is where the entry starts in its file.
	Pos diag.Position
	// NamePos and NameKeys hold the position and the match key (MatchKey)
	// of each name, in the order of Languages() then index; see
	// NamePosition and NameKey. Flat slices, not maps: at 500k entries each
	// map per entry costs some 200 MB.
	NamePos  []diag.Position
	NameKeys []string
}

// Names are an entry's names by language, sorted by language code (Load
// sorts them; Languages and the order of Entry.NamePos rely on it). A
// slice and not a map: at 500k entries a map per entry costs some 175 MB
// more while a gazetteer is loaded.
type Names []LangNames

// LangNames are an entry's names in one language, the canonical one first.
type LangNames struct {
	Lang  string
	Names []string
}

// In returns the names in lang, or nil.
func (ns Names) In(lang string) []string {
	for _, l := range ns {
		if l.Lang == lang {
			return l.Names
		}
	}
	return nil
}

// nameOffset returns the index in NamePos and NameKeys of the i-th name in
// lang, or -1.
func (e *Entry) nameOffset(lang string, i int) int {
	off := 0
	for _, l := range e.Names {
		if l.Lang == lang {
			if i < 0 || i >= len(l.Names) {
				return -1
			}
			return off + i
		}
		off += len(l.Names)
	}
	return -1
}

// NamePosition returns where the i-th name in lang is written.
func (e *Entry) NamePosition(lang string, i int) diag.Position {
	if o := e.nameOffset(lang, i); o >= 0 && o < len(e.NamePos) {
		return e.NamePos[o]
	}
	return e.Pos
}

// MatchKey returns the match key of a name: the keys of its tokens (see
// extractors/normalize) joined by a space.
func MatchKey(name string) string {
	return strings.Join(normalize.PhraseKeys(name), " ")
}

// NameKey returns the match key of the i-th name of e in lang, or "" when
// it has no such name.
func (e *Entry) NameKey(lang string, i int) string {
	if o := e.nameOffset(lang, i); o >= 0 && o < len(e.NameKeys) {
		return e.NameKeys[o]
	}
	if ns := e.Names.In(lang); i >= 0 && i < len(ns) {
		return MatchKey(ns[i])
	}
	return ""
}

// Name returns the canonical name in lang (the first listed), or "".
func (e *Entry) Name(lang string) string {
	if ns := e.Names.In(lang); len(ns) > 0 {
		return ns[0]
	}
	return ""
}

// Languages returns the entry's language codes, sorted.
func (e *Entry) Languages() []string {
	ls := make([]string, len(e.Names))
	for i, l := range e.Names {
		ls[i] = l.Lang
	}
	return ls
}

// Gazetteer is a set of entries from one or more files; later files override
// entries with the same id.
type Gazetteer struct {
	Entries []*Entry
	byID    map[string]*Entry
	// Files are the sources in load order.
	Files []string
}

// ByID returns the entry with the given id.
func (g *Gazetteer) ByID(id string) *Entry { return g.byID[id] }

// Source is a gazetteer file's name and content.
type Source struct {
	Name string
	Data []byte
	// Path, when Data is nil, is the file that holds the content: CacheKey
	// streams it and Load reads it, so that a run served from the compiled
	// cache never holds the file in memory (ReadSources sets it).
	Path string
	// Override allows entries to replace earlier entries with the same id.
	Override bool
}

// content returns the source's bytes: Data, else the file at Path.
func (s Source) content() ([]byte, error) {
	if s.Data != nil || s.Path == "" {
		return s.Data, nil
	}
	return os.ReadFile(s.Path)
}

// DefaultSources returns the embedded default gazetteers, sorted by name.
func DefaultSources() ([]Source, error) {
	names, err := fs.Glob(defaults, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	var out []Source
	for _, n := range names {
		b, err := defaults.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, Source{Name: "gazetteers/" + n, Data: b})
	}
	return out, nil
}

// WithContent returns srcs with the content of those read from a file
// (Path) in Data, so that what is hashed (CacheKey) and what is parsed
// (Load) are the same bytes even if a file changes meanwhile. A file that
// cannot be read keeps its Path: Load reports it.
func WithContent(srcs []Source) []Source {
	out := make([]Source, len(srcs))
	for i, s := range srcs {
		if b, err := s.content(); err == nil && b != nil {
			s.Data = b
		}
		out[i] = s
	}
	return out
}

// ReadSources returns the sources of user gazetteer files, whose entries
// override defaults. It checks that each file can be opened and is not a
// folder; the content of a regular file is read when needed (Source.Path),
// that of anything else (a pipe, as from a shell's <(...)), which can be
// read only once, right away.
func ReadSources(paths []string) ([]Source, error) {
	var out []Source
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		src := Source{Name: p, Path: p, Override: true}
		fi, err := f.Stat()
		switch {
		case err != nil:
		case fi.IsDir():
			err = &os.PathError{Op: "read", Path: p, Err: errors.New("is a directory")}
		case !fi.Mode().IsRegular():
			src.Data, err = io.ReadAll(f)
			if err == nil && src.Data == nil {
				src.Data = []byte{}
			}
		}
		f.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, src)
	}
	return out, nil
}

// Load parses and validates the sources. An entry whose id appeared in an
// earlier source without Override (a default) replaces it when its own
// source has Override set; duplicate ids otherwise (in one file, between
// defaults, between user files) are errors. It returns every problem found, sorted; warnings are
// returned along with a usable gazetteer.
func Load(srcs []Source) (*Gazetteer, diag.ErrorList) {
	g, errs, _ := load(srcs)
	return g, errs
}

// override records an entry replaced by a later file's entry.
type override struct {
	old, new *Entry
}

func load(srcs []Source) (*Gazetteer, diag.ErrorList, []override) {
	g := &Gazetteer{byID: map[string]*Entry{}}
	var errs diag.ErrorList
	var ovs []override
	index := map[*Entry]int{}
	user := map[*Entry]bool{} // entries of Override sources
	for _, src := range srcs {
		g.Files = append(g.Files, src.Name)
		data, err := src.content()
		if err != nil {
			errs.Add(diag.Position{Filename: src.Name}, "cannot read: %v", err)
			continue
		}
		entries := parseFile(src.Name, data, &errs)
		for _, e := range entries {
			if src.Override {
				user[e] = true
			}
			if prev, ok := g.byID[e.ID]; ok {
				// a user file replaces a default entry; two user files
				// defining the same id is a mistake
				if src.Override && !user[prev] {
					i := index[prev]
					g.Entries[i] = e
					index[e] = i
					delete(index, prev)
					g.byID[e.ID] = e
					ovs = append(ovs, override{prev, e})
					continue
				}
				errs.Add(e.Pos, "duplicate id %q (first defined at %s)", e.ID, prev.Pos)
				continue
			}
			g.byID[e.ID] = e
			index[e] = len(g.Entries)
			g.Entries = append(g.Entries, e)
		}
	}
	for _, e := range g.Entries {
		if e.Parent != "" && g.byID[e.Parent] == nil {
			errs.Add(e.Pos, "entry %q: parent %q does not exist", e.ID, e.Parent)
		}
	}
	errs.Sort()
	return g, errs, ovs
}

var entryKeys = map[string]bool{"id": true, "type": true, "kind": true, "country": true, "admin1": true,
	"names": true, "lat": true, "lon": true, "geonames": true, "parent": true, "population": true,
	"valid_from": true, "valid_to": true}

var entryKeyList = func() []string {
	var l []string
	for k := range entryKeys {
		l = append(l, k)
	}
	sort.Strings(l)
	return l
}()

// parseFile returns the entries of a gazetteer file, in parts when it is
// large (parseChunked), else whole.
func parseFile(file string, data []byte, errs *diag.ErrorList) []*Entry {
	if entries, ok := parseChunked(file, data, errs); ok {
		return entries
	}
	return parseWhole(file, data, errs)
}

// parseWhole returns the entries of a gazetteer file parsed as one YAML
// document.
func parseWhole(file string, data []byte, errs *diag.ErrorList) []*Entry {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		*errs = append(*errs, diag.YAMLError(file, err)...)
		return nil
	}
	if len(root.Content) == 0 {
		errs.Add(diag.Position{Filename: file, Line: 1, Column: 1}, "empty gazetteer: expected a top-level \"entries:\" list")
		return nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		errs.Add(diag.NodePos(file, doc), "expected a mapping with an \"entries:\" list")
		return nil
	}
	var list *yaml.Node
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		if k.Value == "entries" {
			list = v
			continue
		}
		errs.Add(diag.NodePos(file, k), "unknown key %q (expected \"entries\")", k.Value)
	}
	if list == nil {
		errs.Add(diag.NodePos(file, doc), "missing \"entries:\" list")
		return nil
	}
	if list.Kind != yaml.SequenceNode {
		errs.Add(diag.NodePos(file, list), "\"entries\" must be a list")
		return nil
	}
	var out []*Entry
	for _, n := range list.Content {
		if e := parseEntry(file, n, errs); e != nil {
			out = append(out, e)
		}
	}
	return out
}

func parseEntry(file string, n *yaml.Node, errs *diag.ErrorList) *Entry {
	pos := diag.NodePos(file, n)
	if n.Kind != yaml.MappingNode {
		errs.Add(pos, "an entry must be a mapping")
		return nil
	}
	e := &Entry{Pos: pos}
	var namePos [][]diag.Position // beside e.Names, kept sorted as it is
	ok := true
	nodes := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !entryKeys[k.Value] {
			if near := suggest.Closest(k.Value, entryKeyList, 2); near != "" {
				errs.Add(diag.NodePos(file, k), "unknown key %q (did you mean %q?)", k.Value, near)
			} else {
				errs.Add(diag.NodePos(file, k), "unknown key %q", k.Value)
			}
			ok = false
			continue
		}
		if _, dup := nodes[k.Value]; dup {
			errs.Add(diag.NodePos(file, k), "key %q given twice", k.Value)
			ok = false
		}
		nodes[k.Value] = v
	}
	str := func(key string) string {
		v := nodes[key]
		if v == nil {
			return ""
		}
		if v.Kind != yaml.ScalarNode || (v.Tag != "!!str" && v.Tag != "!!int" && v.Tag != "!!bool" && v.Tag != "!!float" && v.Tag != "!!timestamp") {
			errs.Add(diag.NodePos(file, v), "%s must be a string", key)
			ok = false
			return ""
		}
		return strings.TrimSpace(v.Value)
	}
	num := func(key string, lo, hi float64) *float64 {
		v := nodes[key]
		if v == nil {
			return nil
		}
		if v.Kind != yaml.ScalarNode || (v.Tag != "!!int" && v.Tag != "!!float") {
			errs.Add(diag.NodePos(file, v), "%s must be a number, got %q", key, v.Value)
			ok = false
			return nil
		}
		f, err := strconv.ParseFloat(v.Value, 64)
		if err != nil {
			errs.Add(diag.NodePos(file, v), "%s: %v", key, err)
			ok = false
			return nil
		}
		if f < lo || f > hi {
			errs.Add(diag.NodePos(file, v), "%s %v out of range [%v, %v]", key, f, lo, hi)
			ok = false
			return nil
		}
		return &f
	}
	e.ID = str("id")
	e.Type = str("type")
	e.Kind = str("kind")
	e.Country = str("country")
	e.Admin1 = str("admin1")
	e.Parent = str("parent")
	e.Lat = num("lat", -90, 90)
	e.Lon = num("lon", -180, 180)
	if v := nodes["geonames"]; v != nil {
		if v.Kind != yaml.ScalarNode || v.Tag != "!!int" {
			errs.Add(diag.NodePos(file, v), "geonames must be an integer id, got %q", v.Value)
			ok = false
		} else if id, err := strconv.ParseInt(v.Value, 10, 64); err != nil || id <= 0 {
			errs.Add(diag.NodePos(file, v), "geonames must be a positive integer id, got %q", v.Value)
			ok = false
		} else {
			e.GeoNames = id
		}
	}
	if v := nodes["population"]; v != nil {
		if p, err := strconv.ParseInt(v.Value, 10, 64); v.Kind != yaml.ScalarNode || v.Tag != "!!int" || err != nil || p < 0 {
			errs.Add(diag.NodePos(file, v), "population must be a non-negative integer, got %q", v.Value)
			ok = false
		} else {
			e.Population = p
		}
	}
	e.ValidFrom = str("valid_from")
	e.ValidTo = str("valid_to")
	var from, to [2]time.Time
	for _, d := range []struct {
		key string
		val string
		out *[2]time.Time
	}{{"valid_from", e.ValidFrom, &from}, {"valid_to", e.ValidTo, &to}} {
		if d.val == "" {
			continue
		}
		lo, hi, err := parsePartialDate(d.val)
		if err != nil {
			errs.Add(diag.NodePos(file, nodes[d.key]), "%s must be YYYY, YYYY-MM or YYYY-MM-DD, got %q", d.key, d.val)
			ok = false
			continue
		}
		*d.out = [2]time.Time{lo, hi}
	}
	if !from[0].IsZero() && !to[0].IsZero() && to[1].Before(from[0]) {
		errs.Add(diag.NodePos(file, nodes["valid_to"]), "valid_to %s is before valid_from %s", e.ValidTo, e.ValidFrom)
		ok = false
	}
	if e.ID == "" {
		errs.Add(pos, "entry without id")
		ok = false
	}
	switch e.Type {
	case TypePlace:
		if e.Kind != "" && !contains(PlaceKinds, e.Kind) {
			errs.Add(diag.NodePos(file, nodes["kind"]), "unknown place kind %q (%sone of %s)", e.Kind, didYouMean(e.Kind, PlaceKinds), strings.Join(PlaceKinds, ", "))
			ok = false
		}
	case TypeOrganization:
		if e.Kind != "" && !contains(OrgKinds, e.Kind) {
			errs.Add(diag.NodePos(file, nodes["kind"]), "unknown organization kind %q (%sone of %s)", e.Kind, didYouMean(e.Kind, OrgKinds), strings.Join(OrgKinds, ", "))
			ok = false
		}
		for _, k := range []string{"lat", "lon", "geonames", "admin1", "parent", "population"} {
			if nodes[k] != nil {
				errs.Add(diag.NodePos(file, nodes[k]), "%s is a place attribute; not allowed on an organization", k)
				ok = false
			}
		}
	case "":
		errs.Add(pos, "entry %q without type (place or organization)", e.ID)
		ok = false
	default:
		errs.Add(diag.NodePos(file, nodes["type"]), "unknown type %q (%splace or organization)", e.Type, didYouMean(e.Type, []string{TypePlace, TypeOrganization}))
		ok = false
	}
	if e.Country != "" && !validCountry(e.Country) {
		errs.Add(diag.NodePos(file, nodes["country"]), "country %q is not an ISO 3166-1 alpha-2 code", e.Country)
		ok = false
	}
	if (nodes["lat"] == nil) != (nodes["lon"] == nil) {
		errs.Add(pos, "entry %q: lat and lon must be given together", e.ID)
		ok = false
	}
	names := nodes["names"]
	if names == nil {
		errs.Add(pos, "entry %q has no names", e.ID)
		ok = false
	} else if names.Kind != yaml.MappingNode {
		errs.Add(diag.NodePos(file, names), "names must map a language code to a list of names")
		ok = false
	} else {
		for i := 0; i+1 < len(names.Content); i += 2 {
			k, v := names.Content[i], names.Content[i+1]
			lang := k.Value
			if !validLang(lang) {
				errs.Add(diag.NodePos(file, k), "bad language code %q (use a two- or three-letter code such as ar, en)", lang)
				ok = false
				continue
			}
			var items []*yaml.Node
			switch v.Kind {
			case yaml.SequenceNode:
				items = v.Content
			case yaml.ScalarNode:
				items = []*yaml.Node{v}
			default:
				errs.Add(diag.NodePos(file, v), "names.%s must be a list of strings", lang)
				ok = false
				continue
			}
			for _, it := range items {
				if it.Kind != yaml.ScalarNode || strings.TrimSpace(it.Value) == "" {
					errs.Add(diag.NodePos(file, it), "names.%s: each name must be a non-empty string", lang)
					ok = false
					continue
				}
				at, found := slices.BinarySearchFunc(e.Names, lang, func(l LangNames, lang string) int { return strings.Compare(l.Lang, lang) })
				if !found {
					e.Names = slices.Insert(e.Names, at, LangNames{Lang: lang})
					namePos = slices.Insert(namePos, at, nil)
				}
				e.Names[at].Names = append(e.Names[at].Names, strings.TrimSpace(it.Value))
				namePos[at] = append(namePos[at], diag.NodePos(file, it))
			}
		}
		if len(e.Names) == 0 && ok {
			errs.Add(diag.NodePos(file, names), "entry %q has no names", e.ID)
			ok = false
		}
	}
	if !ok {
		return nil
	}
	for at, l := range e.Names {
		for i, n := range l.Names {
			e.NamePos = append(e.NamePos, namePos[at][i])
			e.NameKeys = append(e.NameKeys, MatchKey(n))
		}
	}
	return e
}

// didYouMean returns "did you mean X? " for a close word of list, or "".
func didYouMean(s string, list []string) string {
	if near := suggest.Closest(s, list, 2); near != "" {
		return fmt.Sprintf("did you mean %q? ", near)
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func validLang(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for _, c := range s {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func validCountry(s string) bool {
	return len(s) == 2 && isoAlpha2[s]
}

// String describes the entry for messages.
func (e *Entry) String() string {
	return fmt.Sprintf("%s (%s %s)", e.ID, e.Type, e.Kind)
}

// parsePartialDate parses YYYY, YYYY-MM or YYYY-MM-DD and returns the first
// and the last day it covers.
func parsePartialDate(s string) (first, last time.Time, err error) {
	for _, l := range []struct {
		layout string
		years  int
		months int
		days   int
	}{{"2006-01-02", 0, 0, 1}, {"2006-01", 0, 1, 0}, {"2006", 1, 0, 0}} {
		if len(s) != len(l.layout) {
			continue
		}
		t, err := time.Parse(l.layout, s)
		if err != nil {
			return first, last, err
		}
		return t, t.AddDate(l.years, l.months, l.days).Add(-time.Nanosecond), nil
	}
	return first, last, fmt.Errorf("bad date %q", s)
}

// ValidAt tells whether the entry's validity window holds t. known is false
// when the entry has no window.
func (e *Entry) ValidAt(t time.Time) (valid, known bool) {
	from, to, hasFrom, hasTo, known := e.ValidWindow()
	if !known {
		return true, false
	}
	if (hasFrom && t.Before(from)) || (hasTo && t.After(to)) {
		return false, true
	}
	return true, true
}

// ValidWindow returns the entry's validity window as the first day of
// ValidFrom and the last day of ValidTo (UTC midnight); hasFrom and hasTo
// tell which bounds are set and parse, known whether the entry has a
// window at all (ValidAt's known).
func (e *Entry) ValidWindow() (from, to time.Time, hasFrom, hasTo, known bool) {
	if e.ValidFrom == "" && e.ValidTo == "" {
		return from, to, false, false, false
	}
	if e.ValidFrom != "" {
		if lo, _, err := parsePartialDate(e.ValidFrom); err == nil {
			from, hasFrom = lo, true
		}
	}
	if e.ValidTo != "" {
		if _, hi, err := parsePartialDate(e.ValidTo); err == nil {
			to, hasTo = hi, true
		}
	}
	return from, to, hasFrom, hasTo, true
}
