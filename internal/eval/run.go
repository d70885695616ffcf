package eval

import (
	"context"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/extractors/dates"
	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/pipeline"
)

// fallbackStages build stages that internal/app may not register yet, so
// that eval can measure them; app's own stage of the same name wins.
var fallbackStages = map[string]func() (pipeline.Stage, error){
	dates.Name: func() (pipeline.Stage, error) {
		lex, err := dates.DefaultLexicon()
		if err != nil {
			return nil, err
		}
		return dates.New(lex), nil
	},
}

// BuildPipeline loads the resources named by c and builds its stages, as
// `hadath extract` does. When internal/app does not know a configured
// stage, eval builds it itself if it can (dates) or leaves it out; each such
// step is returned as a note.
func BuildPipeline(c *config.Config, log zerolog.Logger) (*pipeline.Pipeline, []string, error) {
	res, err := app.LoadResources(c)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range res.Warnings {
		log.Warn().Msg(w.Error())
	}
	p, err := app.Build(c, res, log)
	if err == nil {
		return p, nil, nil
	}
	if !strings.Contains(err.Error(), "unknown stage") {
		return nil, nil, err
	}
	// Some stage is not registered: find which, one at a time.
	var notes []string
	var known []string
	for _, name := range c.Stages {
		c2 := *c
		c2.Stages = []string{name}
		if _, err := app.Build(&c2, res, zerolog.Nop()); err == nil {
			known = append(known, name)
		}
	}
	c2 := *c
	c2.Stages = known
	base, err := app.Build(&c2, res, log)
	if err != nil {
		return nil, nil, err
	}
	p = &pipeline.Pipeline{}
	k := 0
	for _, name := range c.Stages {
		if k < len(known) && known[k] == name {
			p.Stages = append(p.Stages, base.Stages[k])
			k++
			continue
		}
		if mk := fallbackStages[name]; mk != nil {
			s, err := mk()
			if err != nil {
				return nil, nil, fmt.Errorf("stage %s: %w", name, err)
			}
			p.Stages = append(p.Stages, s)
			notes = append(notes, fmt.Sprintf("stage %q is not registered in internal/app: eval built it with its defaults", name))
			continue
		}
		notes = append(notes, fmt.Sprintf("stage %q is not available: left out", name))
	}
	return p, notes, nil
}

// RunDocs processes docs in place through p with the given number of
// workers (0: all CPUs). It returns how many documents failed.
func RunDocs(ctx context.Context, p *pipeline.Pipeline, docs []*pipeline.Document, workers int) (int, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	in := make(chan pipeline.Item)
	go func() {
		defer close(in)
		for _, d := range docs {
			select {
			case in <- pipeline.Item{Doc: d, Source: d.ID}:
			case <-ctx.Done():
				return
			}
		}
	}()
	failed, n := 0, 0
	err := p.Run(ctx, in, workers, func(r pipeline.Result) error {
		if r.Doc != docs[n] {
			return fmt.Errorf("pipeline returned documents out of order")
		}
		n++
		if r.Failed {
			failed++
		}
		return nil
	})
	if err == nil && n != len(docs) {
		err = fmt.Errorf("pipeline processed %d of %d documents", n, len(docs))
	}
	return failed, err
}

// NewDoc makes a one-field document for the pipeline.
func NewDoc(id, text, docDate string) (*pipeline.Document, error) {
	d := &pipeline.Document{ID: id, Text: text, Fields: []*pipeline.Field{{Name: "text", Text: text}}}
	if docDate != "" {
		t, err := parseDate(docDate)
		if err != nil {
			return nil, err
		}
		d.DocDate, d.HasDate, d.Date = t, true, docDate
	}
	return d, nil
}
