package geonames

import (
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/rules"
)

// Reasons an Arabic name is left out of an imported entry.
const (
	// DropFunction: the name is a function word (في, أن, كان, هذا ...),
	// a numeral, a unit of time, a weekday or month, possibly behind the
	// proclitics و ف ب ك ل (فإن, وأن, بأنه).
	DropFunction = "function word"
	// DropCommon: the name is, with or without the article ال, a word of
	// the project's word lists: the lexicon's common words in another form
	// (the matcher gates the listed form itself; a word listed with ة also
	// stands for the form without it: الجديدة, الجديد), place cues,
	// qualifiers, event triggers and cues, generic actors, and the generic
	// heads of organization names (جامعة, نادي ...).
	DropCommon = "common word"
	// DropShort: fewer than 3 letters once the article is set aside (الم,
	// اله): such names match pieces of ordinary words (المصالح, وكالة).
	DropShort = "short"
	// DropForeignShort: a one-word name of 3 letters of a place under
	// 100 000 inhabitants outside the Arabic-speaking countries (بار for
	// Bar, لير for Leer, دور for Dour). Nearly every 3-letter Arabic
	// word is a root or an ordinary word, and after a proclitic it also
	// matches 4-letter words (لير in بلير, جنة in لجنة); such a
	// transliteration names a town the Arabic press seldom writes about.
	DropForeignShort = "3-letter foreign"
	// DropBare: the name without the article when the entry also has it
	// with the article (وقف beside الوقف, ثورة beside الثورة): a place
	// called الX is written with its article.
	DropBare = "article dropped"
	// DropNamesake: a place outside the Arabic-speaking countries named
	// after a place of the default gazetteers elsewhere (Lebanon and Paris
	// in the United States, London in Canada) or after a default
	// organization (Nokia in Finland). With the name kept, the namesake
	// (a town, with a population; the defaults mostly have none) would win
	// the tie-break and take the famous place's mentions. Checked for
	// English names too.
	DropNamesake = "namesake of a default place"
)

// DropReasons lists the reasons in the order they are checked.
var DropReasons = []string{DropFunction, DropCommon, DropShort, DropForeignShort, DropBare, DropNamesake}

// ArabicCountries are the countries whose places have Arabic names of
// their own (Arabic is an official language: the Arab League, Western
// Sahara, Chad). DropForeignShort spares their places.
var ArabicCountries = []string{"AE", "BH", "DJ", "DZ", "EG", "EH", "IQ", "JO", "KM", "KW", "LB", "LY", "MA", "MR",
	"OM", "PS", "QA", "SA", "SD", "SO", "SY", "TD", "TN", "YE"}

// foreignShortPopulation is the population from which a foreign place
// keeps its 3-letter names (the town/city line of Kind).
const foreignShortPopulation = 100000

// Place is what NameFilter.Reason needs to know of the place a name belongs
// to.
type Place struct {
	Country    string
	Population int64
	Kind       string
	Lat, Lon   float64
	// Names are the Arabic names of the place (for DropBare).
	Names []string
}

//go:embed arabic_words.txt
var arabicWords string

// NameFilter tells which Arabic names of an imported place are safe to
// match in running text. Names that are ordinary words would otherwise
// match everywhere: GeoNames lists كان (Cannes), سنة (Sanandaj), وقف (Al
// Waqf) among its alternate names.
//
// Names that are exactly a common word of the gazetteer lexicon are kept:
// the matcher accepts them only after a place cue (مدينة, بلدة ...).
type NameFilter struct {
	function map[string]bool   // keys of function words
	noPrep   map[string]bool   // those looked for behind ب ك ل
	common   map[string]string // key -> the list it comes from
	gated    map[string]bool   // lexicon common words: gated by the matcher
	arabic   map[string]bool   // ArabicCountries
	// places maps the name keys of the default places to them.
	places map[string][]defaultPlace
}

// defaultPlace is where a default place is, for DropNamesake; org marks
// an organization.
type defaultPlace struct {
	country   string
	lat, lon  *float64
	area, org bool
}

// conjunctions and prepositions written attached to the next word.
var (
	proConj = []string{"و", "ف"}
	proPrep = []string{"ب", "ك", "ل"}
)

// afterPrep are the sections of arabic_words.txt whose words are looked
// for behind ب ك ل.
var afterPrep = map[string]bool{"[particles]": true, "[pronouns]": true, "[quantifiers]": true, "[numerals]": true}

// minHeads is how many organization names a first word must start to be
// taken as a generic noun (جامعة, وكالة, نادي), not a proper name.
const minHeads = 3

// DefaultNameFilter builds the filter from the embedded word lists: the
// gazetteer lexicon, the rules (function words, qualifiers, event triggers
// and cues, actors), the embedded default gazetteers (heads of organization
// names) and the importer's own list of Arabic closed-class words.
func DefaultNameFilter() (*NameFilter, error) {
	lx, err := gazetteers.DefaultLexicon()
	if err != nil {
		return nil, err
	}
	rs, errs := rules.Load(nil)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	srcs, err := gazetteers.DefaultSources()
	if err != nil {
		return nil, err
	}
	g, errs := gazetteers.Load(srcs)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return NewNameFilter(lx, rs, g), nil
}

// NewNameFilter builds a filter from these word lists; any may be nil.
func NewNameFilter(lx *gazetteers.Lexicon, rs *rules.Set, g *gazetteers.Gazetteer) *NameFilter {
	f := &NameFilter{function: map[string]bool{}, noPrep: map[string]bool{}, common: map[string]string{}, gated: map[string]bool{},
		arabic: set(ArabicCountries), places: map[string][]defaultPlace{}}
	section := ""
	for _, line := range strings.Split(arabicWords, "\n") {
		line, _, _ = strings.Cut(line, "#")
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "[") && strings.HasSuffix(t, "]") {
			section = t
			continue
		}
		for _, w := range strings.Fields(line) {
			f.function[key(w)] = true
			if afterPrep[section] {
				f.noPrep[key(w)] = true
			}
		}
	}
	addCommon := func(from string, ws ...string) {
		for _, w := range ws {
			if !normalize.HasArabic(w) {
				continue
			}
			if k := key(w); k != "" && f.common[k] == "" {
				f.common[k] = from
			}
		}
	}
	if lx != nil {
		for k := range lx.CommonKeys() {
			if normalize.HasArabic(k) {
				f.gated[k] = true
			}
		}
		addCommon("lexicon", lx.CommonWords["ar"]...)
		for _, c := range lx.PlaceCues {
			addCommon("place cue", c.Before...)
		}
	}
	if rs != nil {
		for _, w := range rs.Language.FunctionWords["ar"] {
			f.function[key(w)] = true
		}
		for _, q := range rs.Language.Qualifiers {
			addCommon("qualifier", q.Before...)
			addCommon("qualifier", q.After...)
		}
		c := rs.Events.Cues
		for _, m := range []map[string]rules.ByLang{c.Before, c.After} {
			for _, st := range sortedKeys(m) {
				addCommon("status cue", m[st]["ar"]...)
			}
		}
		for _, b := range []rules.ByLang{c.Ignore, c.ClauseBreaks, c.Source, c.Mediator, c.Origin, c.Destination} {
			addCommon("role cue", b["ar"]...)
		}
		for _, a := range rs.Events.Actors {
			addCommon("actor", a.AR...)
		}
		for _, r := range rs.Events.Rules {
			if r.Lang != "ar" {
				continue
			}
			addCommon("event trigger", r.Triggers...)
			for _, st := range sortedKeys(r.Subtypes) {
				addCommon("event trigger", r.Subtypes[st]...)
			}
		}
	}
	if g != nil {
		// a word that starts several organization names is a generic
		// noun (جامعة الدول العربية, وكالة الأنباء ...), unless it is
		// itself a place name (نيويورك تايمز, قطر للبترول)
		heads := map[string]int{}
		for _, e := range g.Entries {
			org := e.Type != gazetteers.TypePlace
			for _, l := range e.Names {
				for _, n := range l.Names {
					k := key(n)
					f.places[k] = append(f.places[k], defaultPlace{e.Country, e.Lat, e.Lon, isArea(e.Kind), org})
				}
			}
			if !org {
				continue
			}
			for _, n := range e.Names.In("ar") {
				if ws := normalize.PhraseKeys(n); len(ws) > 1 {
					heads[ws[0]]++
				}
			}
		}
		var hs []string
		for h, n := range heads {
			if n >= minHeads && !f.isPlaceName(h) && letters(h) >= 3 {
				hs = append(hs, h)
			}
		}
		sort.Strings(hs)
		addCommon("organization head", hs...)
	}
	return f
}

// key is the match key of a name, its words joined by a space.
func key(s string) string { return strings.Join(normalize.PhraseKeys(s), " ") }

// stripArticle returns k without a leading ال (and whether there was one).
func stripArticle(k string) (string, bool) {
	if strings.HasPrefix(k, "ال") && utf8.RuneCountInString(k) > 2 {
		return k[len("ال"):], true
	}
	return k, false
}

// forms returns k with and without the article.
func forms(k string) []string {
	stem, _ := stripArticle(k)
	return []string{stem, "ال" + stem}
}

// procliticFunction tells whether k is a function word behind proclitics:
// [و|ف]? [ب|ك|ل]? WORD, after ب ك ل only a word of afterPrep.
func (f *NameFilter) procliticFunction(k string) bool {
	rests := []string{k}
	for _, c := range proConj {
		if r, ok := strings.CutPrefix(k, c); ok && r != "" {
			if f.function[r] {
				return true
			}
			rests = append(rests, r)
		}
	}
	for _, r := range rests {
		for _, p := range proPrep {
			if r2, ok := strings.CutPrefix(r, p); ok && f.noPrep[r2] {
				return true
			}
		}
	}
	return false
}

func letters(s string) int {
	n := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			n++
		}
	}
	return n
}

// Reason returns why the Arabic name of place p should be left out (one of
// DropReasons), or "" to keep it.
func (f *NameFilter) Reason(name string, p Place) string {
	keys := make(map[string]bool, len(p.Names))
	for _, n := range p.Names {
		keys[key(n)] = true
	}
	r, _ := f.explain(name, &p, keys, true, true)
	return r
}

// explain is Reason with a note (the list a common word comes from, the
// countries of a namesake), for the rules asked for; keys are the match
// keys of p.Names.
func (f *NameFilter) explain(name string, p *Place, keys map[string]bool, common, namesakes bool) (reason, note string) {
	k := key(name)
	if k == "" {
		return "", ""
	}
	if common {
		if r, n := f.commonWord(k, p, keys); r != "" {
			return r, n
		}
	}
	if namesakes {
		return f.namesake(k, p)
	}
	return "", ""
}

// commonWord checks the name key k against every rule but DropNamesake.
func (f *NameFilter) commonWord(k string, p *Place, keys map[string]bool) (reason, note string) {
	if f.gated[k] {
		return "", ""
	}
	if f.function[k] {
		return DropFunction, ""
	}
	if strings.Contains(k, " ") {
		if from := f.common[k]; from != "" {
			return DropCommon, from
		}
		return "", ""
	}
	if f.procliticFunction(k) {
		return DropFunction, "with proclitics"
	}
	for _, v := range forms(k) {
		if from := f.common[v]; from != "" {
			return DropCommon, from
		}
		if f.gated[v] || f.gated[v+"ه"] {
			return DropCommon, "lexicon"
		}
	}
	stem, article := stripArticle(k)
	if letters(stem) < 3 {
		return DropShort, ""
	}
	if letters(k) == 3 && !f.arabic[p.Country] && p.Population < foreignShortPopulation &&
		p.Kind != "country" && p.Kind != "governorate" {
		return DropForeignShort, ""
	}
	if !article && keys["ال"+k] {
		return DropBare, ""
	}
	return "", ""
}

// isPlaceName tells whether k is the name key of a default place.
func (f *NameFilter) isPlaceName(k string) bool {
	for _, d := range f.places[k] {
		if !d.org {
			return true
		}
	}
	return false
}

// namesake returns DropNamesake when the name key k of p, a place outside
// the Arabic-speaking countries, is the name of a default organization, or
// of a default place in another country or in the same country but not a
// duplicate (25 km or more apart, see Options.Existing).
func (f *NameFilter) namesake(k string, p *Place) (reason, note string) {
	if f.arabic[p.Country] {
		return "", ""
	}
	var where []string
	for _, d := range f.places[k] {
		w := d.country
		if d.org {
			w = "organization"
		} else if d.country == p.Country && (d.area || isArea(p.Kind) || d.lat == nil || d.lon == nil ||
			distanceKm(p.Lat, p.Lon, *d.lat, *d.lon) < 25) {
			return "", "" // the same place: a duplicate, not a namesake
		}
		if !contains(where, w) {
			where = append(where, w)
		}
	}
	if len(where) == 0 {
		return "", ""
	}
	return DropNamesake, strings.Join(where, ",")
}

// apply filters the names of e with the rules asked for (common: every
// rule but DropNamesake, on Arabic names; namesakes: DropNamesake, on
// Arabic and English names), counting what it drops in st.
func (f *NameFilter) apply(e *entry, st *Stats, common, namesakes bool, dropped func(e *entry, name, reason, note string)) {
	p := Place{Country: e.country, Population: e.population, Kind: e.kind, Names: e.ar}
	p.Lat, _ = strconv.ParseFloat(e.lat, 64)
	p.Lon, _ = strconv.ParseFloat(e.lon, 64)
	keys := make(map[string]bool, len(e.ar))
	for _, n := range e.ar {
		keys[key(n)] = true
	}
	filter := func(names []string, arabic bool) []string {
		var out []string
		for _, n := range names {
			r, note := f.explain(n, &p, keys, common && arabic, namesakes)
			if r == "" {
				if arabic && common && f.gated[key(n)] {
					st.Gated++
				}
				out = append(out, n)
				continue
			}
			if st.Dropped == nil {
				st.Dropped = map[string]int{}
			}
			st.Dropped[r]++
			if dropped != nil {
				dropped(e, n, r, note)
			}
		}
		return out
	}
	e.ar = filter(e.ar, true)
	e.en = filter(e.en, false)
}

// DroppedSummary describes st.Dropped for people: "12 (5 function word,
// 7 short)".
func (st Stats) DroppedSummary() string {
	total := 0
	var parts []string
	reasons := append([]string(nil), DropReasons...)
	for r := range st.Dropped {
		if !contains(reasons, r) {
			reasons = append(reasons, r)
		}
	}
	sort.SliceStable(reasons[len(DropReasons):], func(i, j int) bool {
		return reasons[len(DropReasons)+i] < reasons[len(DropReasons)+j]
	})
	for _, r := range reasons {
		if n := st.Dropped[r]; n > 0 {
			total += n
			parts = append(parts, fmt.Sprintf("%d %s", n, r))
		}
	}
	if total == 0 {
		return "0"
	}
	return fmt.Sprintf("%d (%s)", total, strings.Join(parts, ", "))
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
