package app

import (
	"github.com/hadath/hadath/extractors/dates"
	"github.com/hadath/hadath/extractors/quantities"
	"github.com/hadath/hadath/pipeline"
)

// extraStages builds the date and quantity stages from their embedded word
// lists.
func extraStages() ([]pipeline.Stage, error) {
	dl, err := dates.DefaultLexicon()
	if err != nil {
		return nil, err
	}
	ql, err := quantities.DefaultLexicon()
	if err != nil {
		return nil, err
	}
	return []pipeline.Stage{dates.New(dl), quantities.New(ql)}, nil
}
