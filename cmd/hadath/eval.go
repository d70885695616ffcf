package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/eval"
)

// evalFlags are the options shared by the eval subcommands.
type evalFlags struct {
	cfgFile    string
	gazetteers []string
	rules      []string
	noDefGaz   bool
	workers    int
	logLevel   string
	limit      int
	top        int
	asJSON     bool
	save       string
	maps       []string
	mapOnly    bool
	dateTypes  []string
}

func evalCmd(stdout, stderr io.Writer) *cobra.Command {
	ef := &evalFlags{}
	cmd := &cobra.Command{
		Use:   "eval",
		Short: "Measure extraction against labelled data",
		Long: `Scores hadath's output against gold data: named entities (CoNLL/BIO), dates
(CoNLL DATE spans or JSON Lines with values) and events (JSON Lines), and
compares saved runs. See docs/EVALUATION.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return &exitError{exitUsage, errors.New("eval: give a subcommand: ner, dates, events or diff")}
		},
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&ef.cfgFile, "config", "", "config file (YAML); overrides the embedded config.yaml")
	pf.StringArrayVar(&ef.gazetteers, "gazetteer", nil, "extra gazetteer file (repeatable)")
	pf.StringArrayVar(&ef.rules, "rules", nil, "extra rules file (repeatable)")
	pf.BoolVar(&ef.noDefGaz, "no-default-gazetteers", false, "use only the gazetteers given with --gazetteer")
	pf.IntVar(&ef.workers, "workers", 0, "worker goroutines (0: number of CPUs)")
	pf.StringVar(&ef.logLevel, "log-level", "warn", "log level on stderr: debug, info, warn, error")
	pf.IntVar(&ef.limit, "limit", 0, "read only the first N sentences (or documents); 0: all")
	pf.IntVar(&ef.top, "top", 20, "length of the miss and false-alarm lists; 0: all")
	pf.BoolVar(&ef.asJSON, "json", false, "print the report as JSON")
	pf.StringVar(&ef.save, "save", "", "save the run (report and every mention) as JSON to FILE, for eval diff")

	ner := &cobra.Command{
		Use:   "ner [flags] FILE",
		Short: "Score places and organizations against CoNLL/BIO gold",
		Long: `FILE holds "token TAG [TAG...]" lines with a blank line between sentences
(IOB2; several tags on a token for nested spans). Gold labels are mapped to
hadath types: LOC and GPE to place, ORG to organization, unless changed with
--map LABEL=type (repeatable; LABEL= removes a label) and --map-only.`,
		Example: `  hadath eval ner ../shared/data/ner/anercorp-train.txt
  hadath eval ner wojood.txt --map FAC=place --top 50 --save before.json`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := eval.ParseMapping(eval.DefaultMap, ef.maps, ef.mapOnly)
			if err != nil {
				return &exitError{exitUsage, err}
			}
			sents, err := eval.ReadCoNLLFile(args[0])
			if err != nil {
				return &exitError{exitUsage, err}
			}
			return runEval(cmd, ef, stdout, stderr, func(ctx context.Context, o eval.Options) (*eval.Report, error) {
				o.Mapping = m
				return eval.NER(ctx, args[0], sents, o)
			})
		},
	}
	ner.Flags().StringArrayVar(&ef.maps, "map", nil, "map a gold label to a type, LABEL=type (repeatable)")
	ner.Flags().BoolVar(&ef.mapOnly, "map-only", false, "use only the --map mappings, not the defaults")

	dates := &cobra.Command{
		Use:   "dates [flags] FILE",
		Short: "Score date detection (and values) against CoNLL DATE spans or JSON Lines gold",
		Long: `FILE is either CoNLL/BIO with DATE labels (e.g. Wojood; spans only, gold
has no values) or JSON Lines, one document a line:
  {"text": "...", "doc_date": "YYYY-MM-DD", "dates": [{"start": 0, "end": 4, "value": "2016-12-07"}]}
with code-point offsets; then values are also compared on matched spans.
Durations count as dates (Wojood's DATE includes them); see --types.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			isJSON, err := eval.IsJSONL(args[0])
			if err != nil {
				return &exitError{exitUsage, err}
			}
			if isJSON {
				f, err := os.Open(args[0])
				if err != nil {
					return &exitError{exitUsage, err}
				}
				docs, err := eval.ReadDateDocs(f, args[0])
				f.Close()
				if err != nil {
					return &exitError{exitUsage, err}
				}
				return runEval(cmd, ef, stdout, stderr, func(ctx context.Context, o eval.Options) (*eval.Report, error) {
					return eval.DatesJSONL(ctx, args[0], docs, o)
				})
			}
			m, err := eval.ParseMapping(map[string]string{"DATE": "date"}, ef.maps, ef.mapOnly)
			if err != nil {
				return &exitError{exitUsage, err}
			}
			for _, t := range m {
				if t != "date" {
					return &exitError{exitUsage, fmt.Errorf("--map: dates maps labels to date only, got %q", t)}
				}
			}
			sents, err := eval.ReadCoNLLFile(args[0])
			if err != nil {
				return &exitError{exitUsage, err}
			}
			return runEval(cmd, ef, stdout, stderr, func(ctx context.Context, o eval.Options) (*eval.Report, error) {
				o.Mapping = m
				return eval.DatesCoNLL(ctx, args[0], sents, o)
			})
		},
	}
	dates.Flags().StringArrayVar(&ef.maps, "map", nil, "also score a CoNLL label as date, LABEL=date (repeatable)")
	dates.Flags().BoolVar(&ef.mapOnly, "map-only", false, "use only the --map labels, not DATE")
	dates.Flags().StringSliceVar(&ef.dateTypes, "types", eval.DefaultDateTypes, "DateMention types scored as dates (date, duration, time)")

	events := &cobra.Command{
		Use:   "events [flags] GOLD.jsonl",
		Short: "Score events against JSON Lines gold (format in docs/EVALUATION.md)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			docs, err := eval.ReadEventDocsFile(args[0])
			if err != nil {
				return &exitError{exitUsage, err}
			}
			return runEval(cmd, ef, stdout, stderr, func(ctx context.Context, o eval.Options) (*eval.Report, error) {
				return eval.Events(ctx, args[0], docs, o)
			})
		},
	}

	diff := &cobra.Command{
		Use:   "diff [flags] A.json B.json",
		Short: "Compare two runs saved with --save",
		Args:  cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			a, err := eval.LoadRun(args[0])
			if err != nil {
				return &exitError{exitUsage, err}
			}
			b, err := eval.LoadRun(args[1])
			if err != nil {
				return &exitError{exitUsage, err}
			}
			d, err := eval.Diff(a, b, args[0], args[1])
			if err != nil {
				return &exitError{exitUsage, err}
			}
			d.Trim(ef.top)
			if ef.asJSON {
				return writeJSON(stdout, d)
			}
			return eval.WriteDiffText(stdout, d)
		},
	}
	cmd.AddCommand(append([]*cobra.Command{ner, dates, events, diff}, evalExtra(ef, events, stdout, stderr)...)...)
	return cmd
}

// runEval builds the pipeline from the configuration and runs one task.
func runEval(cmd *cobra.Command, ef *evalFlags, stdout, stderr io.Writer, task func(context.Context, eval.Options) (*eval.Report, error)) error {
	c, err := config.Load(ef.cfgFile, nil)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	if len(ef.gazetteers) > 0 {
		c.Gazetteers = append(c.Gazetteers, ef.gazetteers...)
	}
	if len(ef.rules) > 0 {
		c.Rules = append(c.Rules, ef.rules...)
	}
	if ef.noDefGaz {
		c.NoDefaultGazetteers = true
	}
	if ef.workers < 0 || ef.limit < 0 || ef.top < 0 {
		return &exitError{exitUsage, errors.New("--workers, --limit and --top must be >= 0")}
	}
	var log zerolog.Logger
	if ef.logLevel == "" || ef.logLevel == "none" {
		log = zerolog.Nop()
	} else {
		log = newLogger(stderr, ef.logLevel)
	}
	p, notes, err := eval.BuildPipeline(c, log)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	workers := ef.workers
	if workers == 0 {
		workers = c.Workers
	}
	r, err := task(ctx, eval.Options{Pipeline: p, Workers: workers, Limit: ef.limit, Top: ef.top,
		DateTypes: ef.dateTypes, Notes: notes})
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{exitSIGINT, nil}
		}
		return &exitError{exitUsage, err}
	}
	if ef.save != "" {
		if err := saveJSON(ef.save, r.WithRecords()); err != nil {
			return &exitError{exitUsage, err}
		}
	}
	if ef.asJSON {
		return writeJSON(stdout, r)
	}
	return eval.WriteText(stdout, r)
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// saveJSON writes v to path atomically.
func saveJSON(path string, v any) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Chmod(f.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
