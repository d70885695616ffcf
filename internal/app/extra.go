package app

import (
	"os"

	"github.com/hadath/hadath/extractors/dates"
	"github.com/hadath/hadath/extractors/quantities"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/pipeline"
)

// extraStages builds the date and quantity stages from their embedded word
// lists extended by the user's files.
func extraStages(c *config.Config) ([]pipeline.Stage, error) {
	var errs diag.ErrorList
	var ds []dates.Source
	for _, p := range c.DatesLexicon {
		b, err := os.ReadFile(p)
		if err != nil {
			errs.Add(diag.Position{Filename: p}, "%v", err)
			continue
		}
		ds = append(ds, dates.Source{Name: p, Data: b})
	}
	var qs []quantities.Source
	for _, p := range c.NumbersLexicon {
		b, err := os.ReadFile(p)
		if err != nil {
			errs.Add(diag.Position{Filename: p}, "%v", err)
			continue
		}
		qs = append(qs, quantities.Source{Name: p, Data: b})
	}
	dl, derrs := dates.LoadLexicon(ds...)
	errs = append(errs, derrs...)
	ql, qerrs := quantities.LoadLexicon(qs...)
	errs = append(errs, qerrs...)
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return []pipeline.Stage{dates.New(dl), quantities.New(ql)}, nil
}
