package rules

import (
	"embed"
	"os"
	"sort"

	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/internal/yamlx"
)

//go:embed language.yaml events.yaml organizations.yaml
var defaults embed.FS

// ByLang maps a language code to words.
type ByLang map[string][]string

// All returns every word of every language, languages in sorted order.
func (b ByLang) All() []string {
	ls := make([]string, 0, len(b))
	for l := range b {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	var out []string
	for _, l := range ls {
		out = append(out, b[l]...)
	}
	return out
}

// Qualifier is a word that narrows a place.
type Qualifier struct {
	Value  string   `yaml:"value"`
	Before []string `yaml:"before"`
	After  []string `yaml:"after"`
}

// Clitics lists the Arabic proclitics removed before names.
type Clitics struct {
	Conjunctions []string `yaml:"conjunctions"`
	Prepositions []string `yaml:"prepositions"`
	MinStem      int      `yaml:"min_stem"`
}

// Language is the content of language.yaml.
type Language struct {
	FunctionWords ByLang      `yaml:"function_words"`
	Clitics       Clitics     `yaml:"clitics"`
	Qualifiers    []Qualifier `yaml:"qualifiers"`
	Abbreviations []string    `yaml:"abbreviations"`
}

// Cues are the words that set status and roles.
type Cues struct {
	Before       map[string]ByLang `yaml:"before"`
	After        map[string]ByLang `yaml:"after"`
	Ignore       ByLang            `yaml:"ignore"`
	ClauseBreaks ByLang            `yaml:"clause_breaks"`
	Source       ByLang            `yaml:"source"`
	Mediator     ByLang            `yaml:"mediator"`
	Origin       ByLang            `yaml:"origin"`
	Destination  ByLang            `yaml:"destination"`
}

// ActorPhrase is a generic actor ("rebels", المدنيين).
type ActorPhrase struct {
	Name string   `yaml:"name"`
	AR   []string `yaml:"ar"`
	EN   []string `yaml:"en"`
}

// ACLED names an ACLED event type and sub-event type.
type ACLED struct {
	EventType    string `yaml:"event_type"`
	SubEventType string `yaml:"sub_event_type"`
}

// PLOVER names a PLOVER category and mode.
type PLOVER struct {
	Category string `yaml:"category"`
	Mode     string `yaml:"mode"`
}

// TypeCodes are the codes of one event type.
type TypeCodes struct {
	// CAMEO by status or subtype, with "default".
	CAMEO  map[string]string `yaml:"cameo"`
	PLOVER PLOVER            `yaml:"plover"`
	ACLED  ACLED             `yaml:"acled"`
}

// Rule is one event rule: the triggers of one type in one language.
type Rule struct {
	ID             string              `yaml:"id"`
	Type           string              `yaml:"type"`
	Lang           string              `yaml:"lang"`
	Status         string              `yaml:"status"`
	Triggers       []string            `yaml:"triggers"`
	Subtypes       map[string][]string `yaml:"subtypes"`
	Exclude        []string            `yaml:"exclude"`
	AfterActorRole string              `yaml:"after_actor_role"`
	// Quantities maps a role to the counted labels it takes ("" is a
	// number with no counted noun).
	Quantities map[string][]string `yaml:"quantities"`

	Pos diag.Position `yaml:"-"`
}

// Events is the content of events.yaml.
type Events struct {
	Cues          Cues                 `yaml:"cues"`
	Actors        []ActorPhrase        `yaml:"actors"`
	Types         map[string]TypeCodes `yaml:"types"`
	ACLEDSubtypes map[string]ACLED     `yaml:"acled_subtypes"`
	Rules         []Rule               `yaml:"rules"`
}

// Set is the language resources and the event rules together.
type Set struct {
	Language      Language
	Events        Events
	Organizations Organizations
}

// EventTypes are the twelve types of the taxonomy.
var EventTypes = []string{"ceasefire", "evacuation", "displacement", "negotiation", "capture", "withdrawal",
	"siege", "attack", "casualties", "aid", "arrest", "protest"}

// Statuses are the allowed statuses.
var Statuses = []string{"occurred", "proposed", "agreed", "planned", "refused", "denied", "negated"}

// Load reads the embedded defaults and then each user file (extending word
// lists; a rule with an existing id replaces it). All problems are returned.
func Load(paths []string) (*Set, diag.ErrorList) {
	var errs diag.ErrorList
	set := &Set{}
	lb, _ := defaults.ReadFile("language.yaml")
	errs = append(errs, yamlx.Decode("rules/language.yaml", lb, &set.Language)...)
	eb, _ := defaults.ReadFile("events.yaml")
	errs = append(errs, yamlx.Decode("rules/events.yaml", eb, &set.Events)...)
	for i := range set.Events.Rules {
		set.Events.Rules[i].Pos = diag.Position{Filename: "rules/events.yaml"}
	}
	ob, _ := defaults.ReadFile("organizations.yaml")
	var orgs struct {
		Organizations Organizations `yaml:"organizations"`
	}
	errs = append(errs, yamlx.Decode("rules/organizations.yaml", ob, &orgs)...)
	set.Organizations = orgs.Organizations
	setFile(set.Organizations.Designators, "rules/organizations.yaml")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			errs.Add(diag.Position{Filename: p}, "%v", err)
			continue
		}
		var f flatFile
		fe := yamlx.Decode(p, data, &f)
		errs = append(errs, fe...)
		if len(fe) > 0 {
			continue
		}
		set.merge(p, &f)
	}
	errs = append(errs, set.validate()...)
	errs.Sort()
	return set, errs
}

// flatFile is a user file: the keys of both default files.
type flatFile struct {
	FunctionWords ByLang               `yaml:"function_words"`
	Clitics       *Clitics             `yaml:"clitics"`
	Qualifiers    []Qualifier          `yaml:"qualifiers"`
	Abbreviations []string             `yaml:"abbreviations"`
	Cues          Cues                 `yaml:"cues"`
	Actors        []ActorPhrase        `yaml:"actors"`
	Types         map[string]TypeCodes `yaml:"types"`
	ACLEDSubtypes map[string]ACLED     `yaml:"acled_subtypes"`
	Rules         []Rule               `yaml:"rules"`
	Organizations Organizations        `yaml:"organizations"`
}

func mergeByLang(dst *ByLang, src ByLang) {
	if *dst == nil {
		*dst = ByLang{}
	}
	for l, ws := range src {
		(*dst)[l] = append((*dst)[l], ws...)
	}
}

func (s *Set) merge(file string, f *flatFile) {
	L := &s.Language
	mergeByLang(&L.FunctionWords, f.FunctionWords)
	if f.Clitics != nil {
		L.Clitics.Conjunctions = append(L.Clitics.Conjunctions, f.Clitics.Conjunctions...)
		L.Clitics.Prepositions = append(L.Clitics.Prepositions, f.Clitics.Prepositions...)
		if f.Clitics.MinStem > 0 {
			L.Clitics.MinStem = f.Clitics.MinStem
		}
	}
	L.Qualifiers = append(L.Qualifiers, f.Qualifiers...)
	L.Abbreviations = append(L.Abbreviations, f.Abbreviations...)
	E := &s.Events
	for st, b := range f.Cues.Before {
		if E.Cues.Before == nil {
			E.Cues.Before = map[string]ByLang{}
		}
		v := E.Cues.Before[st]
		mergeByLang(&v, b)
		E.Cues.Before[st] = v
	}
	for st, b := range f.Cues.After {
		if E.Cues.After == nil {
			E.Cues.After = map[string]ByLang{}
		}
		v := E.Cues.After[st]
		mergeByLang(&v, b)
		E.Cues.After[st] = v
	}
	mergeByLang(&E.Cues.Ignore, f.Cues.Ignore)
	mergeByLang(&E.Cues.ClauseBreaks, f.Cues.ClauseBreaks)
	mergeByLang(&E.Cues.Source, f.Cues.Source)
	mergeByLang(&E.Cues.Mediator, f.Cues.Mediator)
	mergeByLang(&E.Cues.Origin, f.Cues.Origin)
	mergeByLang(&E.Cues.Destination, f.Cues.Destination)
	E.Actors = append(E.Actors, f.Actors...)
	for k, v := range f.Types {
		if E.Types == nil {
			E.Types = map[string]TypeCodes{}
		}
		E.Types[k] = v
	}
	for k, v := range f.ACLEDSubtypes {
		if E.ACLEDSubtypes == nil {
			E.ACLEDSubtypes = map[string]ACLED{}
		}
		E.ACLEDSubtypes[k] = v
	}
	s.Organizations.merge(file, &f.Organizations)
	for _, r := range f.Rules {
		r.Pos = diag.Position{Filename: file}
		replaced := false
		for i := range E.Rules {
			if E.Rules[i].ID == r.ID {
				E.Rules[i] = r
				replaced = true
			}
		}
		if !replaced {
			E.Rules = append(E.Rules, r)
		}
	}
}

func (s *Set) validate() diag.ErrorList {
	var errs diag.ErrorList
	seen := map[string]bool{}
	for _, r := range s.Events.Rules {
		pos := r.Pos
		if r.ID == "" {
			errs.Add(pos, "rule without id")
		}
		if seen[r.ID] {
			errs.Add(pos, "rule %q: duplicate id", r.ID)
		}
		seen[r.ID] = true
		if !contains(EventTypes, r.Type) {
			errs.Add(pos, "rule %q: unknown event type %q", r.ID, r.Type)
		}
		if r.Status != "" && !contains(Statuses, r.Status) {
			errs.Add(pos, "rule %q: unknown status %q", r.ID, r.Status)
		}
		if r.Lang != "ar" && r.Lang != "en" {
			errs.Add(pos, "rule %q: lang must be ar or en, got %q", r.ID, r.Lang)
		}
		if len(r.Triggers) == 0 && len(r.Subtypes) == 0 {
			errs.Add(pos, "rule %q has no triggers", r.ID)
		}
	}
	for st := range s.Events.Cues.Before {
		if !contains(Statuses, st) {
			errs.Add(diag.Position{Filename: "rules"}, "cues.before: unknown status %q", st)
		}
	}
	for st := range s.Events.Cues.After {
		if !contains(Statuses, st) {
			errs.Add(diag.Position{Filename: "rules"}, "cues.after: unknown status %q", st)
		}
	}
	errs = append(errs, s.Organizations.validate()...)
	return errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
