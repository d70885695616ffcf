package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"syscall"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/eval"
)

// evalExtra adds the labels join to `eval events` (--text-from) and returns
// the `eval acled` and `eval wikievents` subcommands.
func evalExtra(ef *evalFlags, events *cobra.Command, stdout, stderr io.Writer) []*cobra.Command {
	jo := &eval.JoinOptions{}
	ev := events.Flags()
	ev.StringVar(&jo.TextFrom, "text-from", "", "GOLD is a labels file without text: join the text from this JSON Lines corpus (by id and sha256)")
	ev.StringVar(&jo.TextField, "text-field", "content", "with --text-from: the corpus field holding the text")
	ev.StringVar(&jo.IDField, "id-field", "url", "with --text-from: the corpus field holding the id")
	ev.StringVar(&jo.Split, "split", "", `with --text-from: score only the documents of this split ("tune", "test"; default all)`)
	plain := events.RunE
	events.Long = `GOLD holds one document a line with its text (docs/EVALUATION.md). With
--text-from, GOLD is a labels file (testdata/events-dev/) whose text is read
from a corpus outside the repository; when that corpus is absent the command
says so and exits 0.`
	events.Example = `  hadath eval events internal/eval/testdata/events.jsonl
  hadath eval events testdata/events-dev/saudinewsnet-dev.labels.jsonl \
    --text-from ../shared/data/news/saudinewsnet-2015-conflict-dev.jsonl --split test`
	events.RunE = func(cmd *cobra.Command, args []string) error {
		if jo.TextFrom == "" {
			return plain(cmd, args)
		}
		docs, err := eval.JoinLabels(args[0], *jo)
		if errors.Is(err, eval.ErrNoText) {
			fmt.Fprintf(stderr, "skipped: %v\n", err)
			return nil
		}
		if err != nil {
			return &exitError{exitUsage, err}
		}
		return runEval(cmd, ef, stdout, stderr, func(ctx context.Context, o eval.Options) (*eval.Report, error) {
			return eval.Events(ctx, args[0], docs, o)
		})
	}
	acled := &cobra.Command{
		Use:   "acled [flags] FILE.csv",
		Short: "Compare events found in ACLED NOTES with the rows' type, fatalities and place",
		Long: `Each row's NOTES is a document dated by EVENT_DATE. Reports how often an
event is found, how often its type agrees with EVENT_TYPE (mapping in
docs/EVALUATION.md), whether the largest killed quantity equals FATALITIES
(0 when none) and whether the event's place names LOCATION or ADMIN1.
A missing FILE is skipped with a note (exit 0).`,
		Example: `  hadath eval acled ../shared/data/events/acled-2016-north-africa.csv --top 30`,
		Args:    cobra.ExactArgs(1),
		RunE: extraTask(ef, stdout, stderr, eval.ReadACLEDFile, eval.ACLED,
			func(w io.Writer, r *eval.ACLEDReport, _ eval.Options) { eval.WriteACLED(w, r) }),
	}
	wiki := &cobra.Command{
		Use:   "wikievents [flags] FILE.jsonl",
		Short: "Score attack, death, injury and arrest triggers against WikiEvents (KAIROS) gold",
		Long: `Every mention of every event (its evidence) is a predicted trigger; it
matches an overlapping gold trigger of a KAIROS type mapped to its type
(Conflict.Attack.* to attack; Life.Die.* and Life.Injure.* to casualties or
attack; Justice.ArrestJailDetain.* to arrest). A missing FILE is skipped
with a note (exit 0).`,
		Example: `  hadath eval wikievents ../shared/data/events/wikievents-dev.jsonl`,
		Args:    cobra.ExactArgs(1),
		RunE: extraTask(ef, stdout, stderr, eval.ReadWikiEventsFile, eval.WikiEvents,
			func(w io.Writer, r *eval.WikiReport, o eval.Options) { eval.WriteWiki(w, r, o.Top) }),
	}
	return []*cobra.Command{acled, wiki}
}

// runExtra builds the pipeline as runEval does and runs a task whose report
// is not an eval.Report.
// extraTask makes the RunE of an extra eval task over FILE: read reads it (a
// missing FILE is skipped with a note, exit 0), score scores its data and
// write writes the text report.
func extraTask[D, R any](ef *evalFlags, stdout, stderr io.Writer,
	read func(path string) (D, error),
	score func(ctx context.Context, file string, data D, o eval.Options) (R, error),
	write func(w io.Writer, r R, o eval.Options)) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		data, err := read(args[0])
		if errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(stderr, "skipped: %v\n", err)
			return nil
		}
		if err != nil {
			return &exitError{exitUsage, err}
		}
		return runExtra(ef, stdout, stderr, func(ctx context.Context, o eval.Options) (any, func(io.Writer), error) {
			r, err := score(ctx, args[0], data, o)
			if err != nil {
				return nil, nil, err
			}
			return r, func(w io.Writer) { write(w, r, o) }, nil
		})
	}
}

func runExtra(ef *evalFlags, stdout, stderr io.Writer, task func(context.Context, eval.Options) (any, func(io.Writer), error)) error {
	c, err := config.Load(ef.cfgFile, nil)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	c.Gazetteers = append(c.Gazetteers, ef.gazetteers...)
	c.Rules = append(c.Rules, ef.rules...)
	if ef.noDefGaz {
		c.NoDefaultGazetteers = true
	}
	if ef.workers < 0 || ef.limit < 0 || ef.top < 0 {
		return &exitError{exitUsage, errors.New("--workers, --limit and --top must be >= 0")}
	}
	log := zerolog.Nop()
	if ef.logLevel != "" && ef.logLevel != "none" {
		log = newLogger(stderr, ef.logLevel)
	}
	p, _, err := eval.BuildPipeline(c, log)
	if err != nil {
		return &exitError{exitUsage, err}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	workers := ef.workers
	if workers == 0 {
		workers = c.Workers
	}
	r, write, err := task(ctx, eval.Options{Pipeline: p, Workers: workers, Limit: ef.limit, Top: ef.top})
	if err != nil {
		if ctx.Err() != nil {
			return &exitError{exitSIGINT, nil}
		}
		return &exitError{exitUsage, err}
	}
	if ef.save != "" {
		if err := saveJSON(ef.save, r); err != nil {
			return &exitError{exitUsage, err}
		}
	}
	if ef.asJSON {
		return writeJSON(stdout, r)
	}
	write(stdout)
	return nil
}
