package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"syscall"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
)

// version is set by -ldflags "-X main.version=..."; else build info is used.
var version = ""

// exit codes, documented in docs/CLI.md.
const (
	exitOK          = 0
	exitDocFailures = 1
	exitUsage       = 2
	exitSIGINT      = 130
	exitSIGTERM     = 143
)

type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return ""
	}
	return e.err.Error()
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func newLogger(w io.Writer, level string) zerolog.Logger {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			w = zerolog.ConsoleWriter{Out: f, TimeFormat: "15:04:05"}
		}
	}
	return zerolog.New(w).Level(lvl).With().Timestamp().Logger()
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use:           "hadath",
		Short:         "Extract places, organizations, dates, quantities and events from Arabic and English news",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(extractCmd(stdin, stdout, stderr), versionCmd(stdout))
	root.AddCommand(moreCommands(stdin, stdout, stderr)...)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintln(stderr, "hadath:", ee.err)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "hadath:", err)
	return exitUsage
}

func versionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the version",
		Example: "  hadath version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := version
			if v == "" {
				v = "devel"
				if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
					v = bi.Main.Version
				}
			}
			fmt.Fprintln(stdout, "hadath", v)
			return nil
		},
	}
}

func extractCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var cfgFile, out, statsFile, cpuProfile string
	var resume, quiet bool
	cmd := &cobra.Command{
		Use:   "extract [flags] [PATH ...]",
		Short: "Extract entities, dates, quantities and events as JSON Lines",
		Long: `Reads JSON Lines (.jsonl, .ndjson, .json), text files (.txt, one document each),
directories (recursively) and .gz files of either, or standard input ("-" or
no path), and writes one JSON line per document on standard output.`,
		Example: `  hadath extract testdata/seed-aleppo-2016-12-07.txt --doc-date 2016-12-07
  hadath extract dump.jsonl.gz -o out.jsonl --workers 4
  zcat dump.jsonl.gz | hadath extract --emit events | jq .type
  hadath extract dump.jsonl --format csv -o events.csv        # one row per event, ACLED-style columns
  hadath extract dump.jsonl --format geojson -o events.geojson # located events as points`,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := config.Load(cfgFile, cmd.Flags())
			if err != nil {
				return &exitError{exitUsage, err}
			}
			if cpuProfile != "" {
				stopProfile, err := startCPUProfile(cpuProfile)
				if err != nil {
					return &exitError{exitUsage, err}
				}
				defer stopProfile()
			}
			if resume && c.Format != "jsonl" {
				return &exitError{exitUsage, fmt.Errorf("--resume works with --format jsonl only, not %s", c.Format)}
			}
			meter, log := progressLogger(stderr, quiet, c.LogLevel)
			defer meter.Stop()
			p, err := app.FromConfig(c, log)
			if err != nil {
				return &exitError{exitUsage, err}
			}
			defer app.TuneGC(log, c.Workers)()
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			sigc := make(chan os.Signal, 1)
			signal.Notify(sigc, os.Interrupt, syscall.SIGTERM)
			defer signal.Stop(sigc)
			st, err := app.Extract(ctx, c, p, app.ExtractOptions{Paths: args, Output: out, Stdin: stdin, Stdout: stdout, StatsFile: statsFile, Resume: resume, OnResult: countResult(meter)}, log)
			meter.Stop()
			if err != nil {
				return &exitError{exitUsage, err}
			}
			if ctx.Err() != nil {
				select {
				case s := <-sigc:
					if s == syscall.SIGTERM {
						return &exitError{exitSIGTERM, nil}
					}
				default:
				}
				return &exitError{exitSIGINT, nil}
			}
			if st.Failed > 0 {
				return &exitError{exitDocFailures, nil}
			}
			return nil
		},
	}
	f := cmd.Flags()
	pipelineFlags(f, &cfgFile)
	f.String("emit", "documents", "documents (one line per document) or events (one line per event)")
	f.String("format", "jsonl", "output format: jsonl, csv (one row per event) or geojson (one point per located event); see docs/EXPORTS.md")
	f.BoolVarP(&quiet, "quiet", "q", false, "no progress display; only warnings and errors on stderr")
	f.StringVarP(&out, "output", "o", "", "write to FILE (atomically, on success) instead of stdout")
	f.StringVar(&statsFile, "stats", "", "write the run's counts as JSON to FILE")
	f.StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the run (loading included) to FILE, for go tool pprof")
	f.BoolVar(&resume, "resume", false, "with -o FILE: keep FILE's complete lines and skip documents whose ids are in it")
	return cmd
}

// startCPUProfile starts writing a CPU profile to path and returns the
// function that stops it and closes the file.
func startCPUProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
