package app

import (
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/extractors/events"
	"github.com/hadath/hadath/extractors/gazetteer"
	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/extractors/orgs"
	"github.com/hadath/hadath/extractors/sentences"
	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/pipeline"
	"github.com/hadath/hadath/rules"
)

// vocab is the union of known words for glued-word repair.
type vocab struct {
	gaz      *gazetteer.Stage
	triggers map[string]bool
}

func (v vocab) Known(k string) bool { return v.gaz.Known(k) || v.triggers[k] }

// Resources are the loaded data a pipeline is built from.
type Resources struct {
	// Index is the compiled gazetteer the matcher runs on; when nil, Build
	// compiles Gazetteer.
	Index *gazetteer.Index
	// Gazetteer is the parsed gazetteer, nil when the index came from the
	// compiled cache.
	Gazetteer *gazetteers.Gazetteer
	Lexicon   *gazetteers.Lexicon
	Rules     *rules.Set
	Warnings  diag.ErrorList
}

// LoadResources loads gazetteers and rules named by the config.
func LoadResources(c *config.Config) (*Resources, error) {
	var errs diag.ErrorList
	var srcs []gazetteers.Source
	if !c.NoDefaultGazetteers {
		d, err := gazetteers.DefaultSources()
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, d...)
	}
	user, err := gazetteers.ReadSources(c.Gazetteers)
	if err != nil {
		return nil, err
	}
	srcs = append(srcs, user...)
	lx, err := gazetteers.DefaultLexicon()
	if err != nil {
		return nil, err
	}
	ix, gerrs, _ := gazetteer.LoadIndex(srcs, lx, gazetteers.CacheOptions{Disable: c.NoGazetteerCache})
	errs = append(errs, gerrs...)
	set, rerrs := rules.Load(c.Rules)
	errs = append(errs, rerrs...)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return &Resources{Index: ix, Lexicon: lx, Rules: set, Warnings: errs.Warnings()}, nil
}

// FromConfig loads the resources named by c, logs their warnings on log and
// builds the pipeline, as `hadath extract` does.
func FromConfig(c *config.Config, log zerolog.Logger) (*pipeline.Pipeline, error) {
	res, err := LoadResources(c)
	if err != nil {
		return nil, err
	}
	for _, w := range res.Warnings {
		log.Warn().Msg(w.Error())
	}
	return Build(c, res, log)
}

// Default builds the pipeline of the default configuration, config.Load("",
// nil): the embedded config.yaml, gazetteers, rules and word lists, with no
// document date. Tests and examples use it.
func Default(log zerolog.Logger) (*pipeline.Pipeline, error) {
	c, err := config.Load("", nil)
	if err != nil {
		return nil, err
	}
	return FromConfig(c, log)
}

// Build compiles the stages listed in c.Stages.
func Build(c *config.Config, res *Resources, log zerolog.Logger) (*pipeline.Pipeline, error) {
	L := res.Rules.Language
	var qs []gazetteer.Qualifier
	for _, q := range L.Qualifiers {
		qs = append(qs, gazetteer.Qualifier{Value: q.Value, Before: q.Before, After: q.After})
	}
	ix := res.Index
	if ix == nil {
		ix = gazetteer.Compile(res.Gazetteer, res.Lexicon.CommonKeys())
	}
	gz := gazetteer.NewIndexed(ix, gazetteer.Options{
		Conjunctions: L.Clitics.Conjunctions, Prepositions: L.Clitics.Prepositions,
		MinStem: L.Clitics.MinStem, Qualifiers: qs,
		Lexicon: res.Lexicon, PreferCountry: c.PreferCountry,
	})
	trig := map[string]bool{}
	for _, r := range res.Rules.Events.Rules {
		for _, w := range r.Triggers {
			for _, k := range normalize.PhraseKeys(w) {
				trig[k] = true
			}
		}
	}
	norm := normalize.New(normalize.Options{FunctionWords: L.FunctionWords.All(), Vocabulary: vocab{gz, trig}})
	ev, err := events.New(&res.Rules.Events)
	if err != nil {
		return nil, err
	}
	og, err := orgs.New(&res.Rules.Organizations, orgs.Options{Conjunctions: L.Clitics.Conjunctions, Prepositions: L.Clitics.Prepositions})
	if err != nil {
		return nil, err
	}
	extra, err := extraStages(c)
	if err != nil {
		return nil, err
	}
	avail := map[string]pipeline.Stage{
		normalize.Name: norm,
		sentences.Name: sentences.New(L.Abbreviations),
		gazetteer.Name: gz,
		orgs.Name:      og,
		events.Name:    ev,
	}
	for _, s := range extra {
		avail[s.Name()] = s
	}
	p := &pipeline.Pipeline{}
	seen := map[string]bool{}
	for _, name := range c.Stages {
		s, ok := avail[name]
		if !ok {
			return nil, fmt.Errorf("config: unknown stage %q (known: %s)", name, strings.Join(stageNames(avail), ", "))
		}
		if seen[name] {
			return nil, fmt.Errorf("config: stage %q listed twice", name)
		}
		seen[name] = true
		p.Stages = append(p.Stages, s)
	}
	log.Debug().Int("entries", ix.Len()).Int("names", ix.Names()).Int("index_bytes", ix.Bytes()).Int("rules", len(res.Rules.Events.Rules)).
		Strs("stages", c.Stages).Msg("pipeline built")
	return p, nil
}

func stageNames(m map[string]pipeline.Stage) []string {
	order := []string{normalize.Name, sentences.Name, gazetteer.Name, "dates", "quantities", orgs.Name, events.Name}
	var out []string
	for _, n := range order {
		if _, ok := m[n]; ok {
			out = append(out, n)
		}
	}
	return out
}
