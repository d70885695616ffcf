package gazetteers

import "sort"

// Stats counts a gazetteer's entries and names.
type Stats struct {
	Files   int            `json:"files"`
	Entries int            `json:"entries"`
	Names   int            `json:"names"`
	ByType  map[string]int `json:"by_type"`
	// ByKind is keyed "type/kind" (place/city, organization/ngo).
	ByKind     map[string]int `json:"by_kind"`
	ByCountry  map[string]int `json:"by_country"`
	ByLanguage map[string]int `json:"names_by_language"`
	// NamesPerEntry maps a number of names to the entries that have it.
	NamesPerEntry    map[int]int `json:"names_per_entry"`
	MaxNames         int         `json:"max_names"`
	MaxNamesID       string      `json:"max_names_id"`
	WithCoordinates  int         `json:"with_coordinates"`
	WithPopulation   int         `json:"with_population"`
	WithValidity     int         `json:"with_validity"`
	DistinctNameKeys int         `json:"distinct_name_keys"`
	SharedNameKeys   int         `json:"shared_name_keys"`
}

// ComputeStats counts g.
func ComputeStats(g *Gazetteer) Stats {
	st := Stats{Files: len(g.Files), Entries: len(g.Entries), ByType: map[string]int{}, ByKind: map[string]int{},
		ByCountry: map[string]int{}, ByLanguage: map[string]int{}, NamesPerEntry: map[int]int{}}
	for _, e := range g.Entries {
		st.ByType[e.Type]++
		kind := e.Kind
		if kind == "" {
			kind = "(none)"
		}
		st.ByKind[e.Type+"/"+kind]++
		c := e.Country
		if c == "" {
			c = "(none)"
		}
		st.ByCountry[c]++
		n := 0
		for _, l := range e.Names {
			st.ByLanguage[l.Lang] += len(l.Names)
			n += len(l.Names)
		}
		st.Names += n
		st.NamesPerEntry[n]++
		if n > st.MaxNames {
			st.MaxNames, st.MaxNamesID = n, e.ID
		}
		if e.Lat != nil {
			st.WithCoordinates++
		}
		if e.Population > 0 {
			st.WithPopulation++
		}
		if e.ValidFrom != "" || e.ValidTo != "" {
			st.WithValidity++
		}
	}
	for _, refs := range NameIndex(g) {
		st.DistinctNameKeys++
		ids := map[*Entry]bool{}
		for _, r := range refs {
			ids[r.Entry] = true
		}
		if len(ids) > 1 {
			st.SharedNameKeys++
		}
	}
	return st
}

// Count is one key of a Stats map with its count.
type Count struct {
	Key   string
	Count int
}

// Sorted returns m's entries by decreasing count, then key.
func Sorted(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for k, v := range m {
		out = append(out, Count{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}
