package app

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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
	// Resumed counts documents skipped because --resume found them in
	// the output already.
	Resumed int `json:"resumed"`
	// Duplicates counts documents whose id was seen before in this run
	// (they are kept, with a note).
	Duplicates int `json:"duplicates"`
	Events     int `json:"events"`
}

// ExtractOptions are the per-run settings not in the config file.
type ExtractOptions struct {
	Paths  []string
	Output string // "" or "-" for stdout
	Stdin  io.Reader
	Stdout io.Writer
	// StatsFile, when set, receives the Stats as JSON.
	StatsFile string
	// Resume skips documents whose ids are already in Output (which must
	// be a file); the complete lines found there are kept.
	Resume bool
	// OnResult, when set, is called after each result is written (for
	// progress reports); it runs on the writing goroutine. A JSON Lines
	// run recycles a document's runes, tokens and entities once it is
	// encoded (pipeline.Recycle), so OnResult sees its fields without them
	// (its events, dates and quantities stay) unless KeepAnalysis is set.
	OnResult func(pipeline.Result)
	// KeepAnalysis keeps every document whole for OnResult, at a cost in
	// speed.
	KeepAnalysis bool
	// AheadBytes bounds the text read ahead of the workers
	// (input.Options.MaxAheadBytes); 0 means aheadBytes(workers).
	AheadBytes int64
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
		// CreateTemp makes the file private; give the output the mode of
		// the file it replaces, or the usual one.
		mode := os.FileMode(0o644)
		if fi, err := os.Stat(o.Output); err == nil {
			mode = fi.Mode().Perm()
		}
		if err := f.Chmod(mode); err != nil {
			f.Close()
			os.Remove(f.Name())
			return st, err
		}
		defer func() {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
	}
	done := map[string]bool{}
	if o.Resume {
		if tmp == nil {
			return st, errors.New("--resume needs -o FILE")
		}
		n, err := carryOver(o.Output, tmp, done)
		if err != nil {
			return st, err
		}
		log.Info().Int("documents", len(done)).Int("lines", n).Str("file", o.Output).Msg("resuming")
	}
	seen := map[uint64]bool{}
	paths := o.Paths
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	io := c.InputOptions()
	io.Stdin = o.Stdin
	io.Lazy = true // JSON lines are parsed by the workers
	io.MaxAheadBytes = o.AheadBytes
	if io.MaxAheadBytes <= 0 {
		io.MaxAheadBytes = aheadBytes(c.Workers)
	}
	rd := input.New(io)
	items := make(chan pipeline.Item, 16)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	readerDone := make(chan struct{})
	go func() {
		rd.Read(rctx, paths, items)
		close(readerDone)
	}()
	w, err := output.NewFormatWriter(c.Format, out, c.Emit == "events")
	if err != nil {
		return st, err
	}
	start := time.Now()
	in := items
	if len(done) > 0 {
		// documents already in the output are not processed again: they
		// pass through as empty documents and are counted in emit
		filtered := make(chan pipeline.Item, 16)
		go func() {
			defer close(filtered)
			for it := range items {
				it = it.Decoded()
				if it.Doc != nil && done[it.Doc.ID] {
					it.Doc = &pipeline.Document{ID: it.Doc.ID, Source: it.Doc.Source}
				}
				select {
				case filtered <- it:
				case <-rctx.Done():
					return
				}
			}
		}()
		in = filtered
	}
	// results are encoded by the workers when the format allows
	var ro pipeline.RunOptions
	enc, encodes := w.(interface {
		Encode(pipeline.Result) ([]byte, error)
		WithNote(encoded []byte, notes []string, note string) ([]byte, error)
	})
	if encodes {
		ro.Finish = func(r *pipeline.Result) {
			if b, err := enc.Encode(*r); err == nil {
				r.Encoded = b
				if !o.KeepAnalysis {
					releaseAnalysis(r.Doc)
				}
			} // else Write encodes it again and reports the error
		}
	}
	err = p.RunWith(ctx, in, c.Workers, ro, func(res pipeline.Result) error {
		st.Read++
		id := res.Source
		if res.Doc != nil {
			id = res.Doc.ID
		}
		if done[id] {
			st.Resumed++
			return nil
		}
		if res.Doc != nil {
			h := fnv.New64a()
			h.Write([]byte(res.Doc.ID))
			k := h.Sum64()
			if seen[k] {
				st.Duplicates++
				const note = "duplicate id: an earlier document has the same id"
				if res.Encoded != nil {
					// encoded without the note, and the analysis recycled
					b, err := enc.WithNote(res.Encoded, res.Doc.Notes, note)
					if err != nil {
						return err
					}
					res.Encoded = b
				}
				res.Doc.Notes = append(res.Doc.Notes, note)
			}
			seen[k] = true
		}
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
		if o.OnResult != nil {
			o.OnResult(res)
		}
		return nil
	})
	cancel()
	<-readerDone
	st.Skipped = rd.Skipped
	if ferr := w.Close(); err == nil {
		err = ferr
	}
	if errors.Is(err, context.Canceled) {
		// interrupted: the documents in flight were written; the caller
		// tells an interruption by its context
		err = nil
	}
	if err != nil {
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
	if cw, ok := w.(output.Counter); ok {
		ev := log.Info().Str("format", c.Format)
		counts := cw.Counts()
		for _, k := range slices.Sorted(maps.Keys(counts)) {
			ev = ev.Int(k, counts[k])
		}
		ev.Msg("format summary")
	}
	log.Info().Int("read", st.Read).Int("written", st.Written).Int("failed", st.Failed).
		Int("skipped_files", st.Skipped).Int("resumed", st.Resumed).Int("duplicate_ids", st.Duplicates).
		Int("events", st.Events).Dur("elapsed", el).Msg("summary")
	if o.StatsFile != "" {
		b, _ := json.MarshalIndent(st, "", "  ")
		if werr := os.WriteFile(o.StatsFile, append(b, '\n'), 0o644); werr != nil {
			return st, fmt.Errorf("writing stats: %w", werr)
		}
	}
	return st, err
}

// carryOver copies the complete JSON lines of an earlier output file into w
// and records their document ids in done. A last line without its newline
// (a killed run) is dropped. A missing file is not an error.
func carryOver(path string, w io.Writer, done map[string]bool) (int, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	n := 0
	for {
		line, err := br.ReadBytes('\n')
		if len(line) > 0 && line[len(line)-1] == '\n' {
			var rec struct {
				ID    *string `json:"id"`
				DocID *string `json:"doc_id"`
			}
			if json.Unmarshal(line, &rec) == nil {
				switch {
				case rec.DocID != nil:
					done[*rec.DocID] = true
				case rec.ID != nil:
					done[*rec.ID] = true
				}
				if _, werr := w.Write(line); werr != nil {
					return n, werr
				}
				n++
			}
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
}

// releaseAnalysis recycles the fields' runes and tokens of an encoded
// document (pipeline.Recycle): the output (and a re-encoding with a note)
// needs neither, and a document waits in the output order for the slower
// ones of its batch with ten times its text in tokens. Dropping them kept
// the peak memory of two workers with 500k names ~25 MB lower; handing
// them to the next documents saves zeroing and faulting in fresh memory
// for them.
func releaseAnalysis(d *pipeline.Document) {
	pipeline.Recycle(d)
}

// aheadBytes bounds the text read ahead of the workers (the documents
// waiting for one, input.Options.MaxAheadBytes): 8 MB and 4 MB per worker,
// several batches each (pipeline.MaxBatchBytes), so that short documents
// never wait for the bound and long ones do not pile up in memory.
func aheadBytes(workers int) int64 {
	if workers <= 0 {
		workers = runtime.NumCPU() // as pipeline.Run does
	}
	return int64(8+4*workers) << 20
}
