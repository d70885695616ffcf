package eval

import (
	"context"
	"fmt"
	"io"
)

// EventScores are the scores of eval events.
type EventScores struct {
	records []Record
}

func writeEvents(w io.Writer, r *Report) {}

type EventDoc struct{}

func ReadEventDocsFile(path string) ([]EventDoc, error) { return nil, fmt.Errorf("todo") }

func Events(ctx context.Context, file string, docs []EventDoc, o Options) (*Report, error) {
	return nil, fmt.Errorf("todo")
}
