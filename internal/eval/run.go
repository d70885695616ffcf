package eval

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/pipeline"
)

// BuildPipeline loads the resources named by c and builds its stages, as
// `hadath extract` does. It returns no notes for now; they would be copied
// into the report.
func BuildPipeline(c *config.Config, log zerolog.Logger) (*pipeline.Pipeline, []string, error) {
	p, err := app.FromConfig(c, log)
	if err != nil {
		return nil, nil, err
	}
	return p, nil, nil
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
