package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/input"
	"github.com/hadath/hadath/internal/output"
	"github.com/hadath/hadath/pipeline"
)

// Stats counts what a run did.
type Stats struct {
	Read    int `json:"read"`
	Written int `json:"written"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	Events  int `json:"events"`
}

// ExtractOptions are the per-run settings not in the config file.
type ExtractOptions struct {
	Paths  []string
	Output string // "" or "-" for stdout
	Stdin  io.Reader
	Stdout io.Writer
	// StatsFile, when set, receives the Stats as JSON.
	StatsFile string
}

// Extract runs the pipeline over the inputs and writes JSON Lines. It
// returns the stats; err is set for failures of the run itself (not of
// single documents, which are counted in Stats.Failed).
func Extract(ctx context.Context, c *config.Config, p *pipeline.Pipeline, o ExtractOptions, log zerolog.Logger) (Stats, error) {
	var st Stats
	out := o.Stdout
	var tmp *os.File
	if o.Output != "" && o.Output != "-" {
		f, err := os.CreateTemp(filepath.Dir(o.Output), "."+filepath.Base(o.Output)+".tmp-*")
		if err != nil {
			return st, err
		}
		tmp = f
		out = f
		defer func() {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
	}
	paths := o.Paths
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	io := c.InputOptions()
	io.Stdin = o.Stdin
	rd := input.New(io)
	items := make(chan pipeline.Item, 16)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go rd.Read(rctx, paths, items)
	w := output.NewWriter(out, c.Emit == "events")
	start := time.Now()
	err := p.Run(ctx, items, c.Workers, func(res pipeline.Result) error {
		st.Read++
		if res.Err != nil || res.Failed {
			st.Failed++
			msg := ""
			if res.Err != nil {
				msg = res.Err.Error()
			} else if res.Doc != nil && len(res.Doc.Errors) > 0 {
				msg = res.Doc.Errors[0].Message
			}
			log.Warn().Str("source", res.Source).Msg("document failed: " + msg)
		}
		if res.Doc != nil {
			st.Events += len(res.Doc.Events)
		}
		if err := w.Write(res); err != nil {
			return err
		}
		st.Written++
		return nil
	})
	cancel()
	st.Skipped = rd.Skipped
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return st, err
	}
	if tmp != nil {
		if cerr := tmp.Close(); cerr != nil {
			return st, cerr
		}
		if rerr := os.Rename(tmp.Name(), o.Output); rerr != nil {
			return st, rerr
		}
		tmp = nil
	}
	el := time.Since(start)
	log.Info().Int("read", st.Read).Int("written", st.Written).Int("failed", st.Failed).
		Int("skipped_files", st.Skipped).Int("events", st.Events).Dur("elapsed", el).Msg("summary")
	if o.StatsFile != "" {
		b, _ := json.MarshalIndent(st, "", "  ")
		if werr := os.WriteFile(o.StatsFile, append(b, '\n'), 0o644); werr != nil {
			return st, fmt.Errorf("writing stats: %w", werr)
		}
	}
	return st, err
}
