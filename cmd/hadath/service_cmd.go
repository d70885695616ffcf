package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/input"
	"github.com/hadath/hadath/internal/progress"
	"github.com/hadath/hadath/internal/render"
	"github.com/hadath/hadath/internal/server"
	"github.com/hadath/hadath/pipeline"
)

// serviceCommands returns the render, serve and completion commands.
func serviceCommands(stdin io.Reader, stdout, stderr io.Writer) []*cobra.Command {
	return []*cobra.Command{renderCmd(stdin, stdout, stderr), serveCmd(stderr), completionCmd(stdout)}
}

// pipelineFlags registers the settings that build the pipeline, shared by
// extract, render and serve.
func pipelineFlags(f *pflag.FlagSet, cfgFile *string) {
	f.StringVar(cfgFile, "config", "", "config file (YAML); overrides the embedded config.yaml")
	f.StringArray("gazetteer", nil, "extra gazetteer file (repeatable); extends or overrides the embedded gazetteers")
	f.StringArray("rules", nil, "extra rules file (repeatable)")
	f.Bool("no-default-gazetteers", false, "use only the gazetteers given with --gazetteer")
	f.String("prefer-country", "", "prefer places of this country (ISO alpha-2, e.g. SY) for names shared by several entries")
	f.Bool("no-cache", false, "do not read or write the compiled gazetteer cache")
	f.String("doc-date", "", "date (YYYY-MM-DD) for documents without one")
	f.Int("workers", 0, "worker goroutines (0: number of CPUs); output is the same for any value")
	f.String("log-level", "info", "log level on stderr: debug, info, warn, error")
}

// loadPipeline reads the config and builds the pipeline; every failure is
// a usage error (exit 2).
func loadPipeline(cmd *cobra.Command, cfgFile string, stderr io.Writer) (*config.Config, *pipeline.Pipeline, zerolog.Logger, error) {
	c, err := config.Load(cfgFile, cmd.Flags())
	if err != nil {
		return nil, nil, zerolog.Nop(), &exitError{exitUsage, err}
	}
	log := newLogger(stderr, c.LogLevel)
	p, err := buildPipeline(c, log)
	if err != nil {
		return nil, nil, log, &exitError{exitUsage, err}
	}
	return c, p, log, nil
}

func buildPipeline(c *config.Config, log zerolog.Logger) (*pipeline.Pipeline, error) {
	return app.FromConfig(c, log)
}

// progressLogger returns the progress meter for a run and the logger to
// use with it: on a terminal the status line is erased before each log
// line. quiet means no meter and only warnings and errors.
func progressLogger(stderr io.Writer, quiet bool, level string) (*progress.Meter, zerolog.Logger) {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil || level == "" {
		lvl = zerolog.InfoLevel
	}
	if quiet {
		return nil, newLogger(stderr, max(lvl, zerolog.WarnLevel).String())
	}
	if f, ok := stderr.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			m := progress.NewTerminal(f)
			cw := zerolog.ConsoleWriter{Out: m.Writer(f), TimeFormat: "15:04:05"}
			return m, zerolog.New(cw).Level(lvl).With().Timestamp().Logger()
		}
	}
	log := newLogger(stderr, lvl.String())
	m := progress.NewLog(progress.LogInterval, func(docs int64, mb, dps, mbps float64, el time.Duration) {
		log.Info().Int64("documents", docs).Float64("mb", round2(mb)).Float64("docs_per_s", round2(dps)).
			Float64("mb_per_s", round2(mbps)).Dur("elapsed", el).Msg("progress")
	})
	return m, log
}

func round2(f float64) float64 { return float64(int64(f*100+0.5)) / 100 }

// countResult feeds a meter with one result.
func countResult(m *progress.Meter) func(pipeline.Result) {
	return func(res pipeline.Result) {
		var n int64
		if d := res.Doc; d != nil {
			n = int64(len(d.Text) + len(d.Title))
		}
		m.Add(1, n)
	}
}

func renderCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var cfgFile, out, title string
	cmd := &cobra.Command{
		Use:   "render [flags] [PATH ...]",
		Short: "Write the documents as one HTML page with entities, dates, quantities and events highlighted",
		Long: `Runs the pipeline like extract and writes a self-contained HTML page (no
scripts, fonts or images from elsewhere): each document's text with places,
organizations, dates, quantities and event triggers highlighted by type, and
its events in a table whose rows link to their triggers. Arabic documents
are laid out right to left. Inputs are read as by extract.`,
		Example: `  hadath render testdata/seed-aleppo-2016-12-07.txt --doc-date 2016-12-07 -o seed.html
  hadath render dump.jsonl -o review.html --title "Aleppo, December 2016"
  echo 'Rebels withdrew from eastern Aleppo on Monday.' | hadath render --doc-date 2016-12-12 > one.html`,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, p, log, err := loadPipeline(cmd, cfgFile, stderr)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			failed, err := renderRun(ctx, c, p, args, stdin, stdout, out, title)
			if err != nil {
				return &exitError{exitUsage, err}
			}
			if ctx.Err() != nil {
				return &exitError{exitSIGINT, errors.New("interrupted")}
			}
			if failed > 0 {
				log.Warn().Int("failed", failed).Msg("some documents failed; their errors are shown on the page")
				return &exitError{exitDocFailures, nil}
			}
			return nil
		},
	}
	f := cmd.Flags()
	pipelineFlags(f, &cfgFile)
	f.StringVarP(&out, "output", "o", "", "write the page to FILE (atomically) instead of stdout")
	f.StringVar(&title, "title", "", "page title (default: hadath and the inputs)")
	return cmd
}

// renderRun processes the inputs and writes the page; it returns the
// number of failed documents.
func renderRun(ctx context.Context, c *config.Config, p *pipeline.Pipeline, paths []string, stdin io.Reader, stdout io.Writer, out, title string) (int, error) {
	if len(paths) == 0 {
		paths = []string{"-"}
	}
	if title == "" {
		title = "hadath"
		if len(paths) == 1 && paths[0] != "-" {
			title += ": " + filepath.Base(paths[0])
		}
	}
	w := stdout
	var tmp *os.File
	if out != "" && out != "-" {
		f, err := os.CreateTemp(filepath.Dir(out), "."+filepath.Base(out)+".tmp-*")
		if err != nil {
			return 0, err
		}
		tmp, w = f, f
		defer func() {
			if tmp != nil {
				tmp.Close()
				os.Remove(tmp.Name())
			}
		}()
	}
	opt := c.InputOptions()
	opt.Stdin = stdin
	rd := input.New(opt)
	items := make(chan pipeline.Item, 16)
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go rd.Read(rctx, paths, items)
	rn := render.New(w, render.Options{Title: title})
	failed := 0
	err := p.Run(ctx, items, c.Workers, func(res pipeline.Result) error {
		if res.Err != nil || res.Failed {
			failed++
		}
		return rn.Document(res)
	})
	cancel()
	if cerr := rn.Close(); err == nil {
		err = cerr
	}
	if err != nil && !errors.Is(err, context.Canceled) {
		return failed, err
	}
	if tmp != nil {
		if err := tmp.Chmod(0o644); err != nil {
			return failed, err
		}
		if err := tmp.Close(); err != nil {
			return failed, err
		}
		if err := os.Rename(tmp.Name(), out); err != nil {
			return failed, err
		}
		tmp = nil
	}
	return failed, nil
}

func serveCmd(stderr io.Writer) *cobra.Command {
	var cfgFile, addr string
	var maxBody int64
	var readTO, writeTO, idleTO, shutdownTO time.Duration
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Serve the pipeline over HTTP (POST /v1/extract, GET /healthz, GET /metrics)",
		Long: `Serves extraction over HTTP; see docs/SERVICE.md.

  POST /v1/extract   one JSON document (application/json) or JSON Lines
                     (application/x-ndjson); returns the records extract writes.
                     ?emit=events and ?format=jsonl|csv|geojson as in extract.
  GET  /healthz      liveness and the pipeline's load time
  GET  /metrics      Prometheus text format

SIGHUP reloads the config file, the gazetteer and the rules files (input
fields, workers and timeouts excepted; requests in flight finish with
the pipeline they started with; a failed reload keeps the old one). SIGINT
and SIGTERM stop accepting connections and let requests in flight finish.`,
		Example: `  hadath serve --addr 127.0.0.1:8080 --doc-date 2016-12-07
  curl -s -H 'Content-Type: application/json' --data '{"id":"a","text":"Rebels withdrew from eastern Aleppo."}' localhost:8080/v1/extract
  curl -s -H 'Content-Type: application/x-ndjson' --data-binary @dump.jsonl 'localhost:8080/v1/extract?emit=events'
  kill -HUP $(pidof hadath)   # reload config, gazetteers and rules`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := config.Load(cfgFile, cmd.Flags())
			if err != nil {
				return &exitError{exitUsage, err}
			}
			log := newLogger(stderr, c.LogLevel)
			srv, err := server.New(server.Options{
				Build:   serveBuild(c, cfgFile, cmd.Flags(), log),
				Input:   c.InputOptions(),
				Workers: c.Workers, MaxBody: maxBody,
				ReadTimeout: readTO, WriteTimeout: writeTO, IdleTimeout: idleTO, ShutdownTimeout: shutdownTO,
				Log: log,
			})
			if err != nil {
				return &exitError{exitUsage, err}
			}
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return &exitError{exitUsage, err}
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			srv.ReloadOn(ctx, syscall.SIGHUP)
			log.Info().Str("addr", ln.Addr().String()).Int64("max_body", maxBody).Msg("listening")
			if err := srv.Serve(ctx, ln); err != nil {
				return &exitError{1, fmt.Errorf("serve: %w", err)}
			}
			log.Info().Msg("stopped")
			return nil
		},
	}
	f := cmd.Flags()
	pipelineFlags(f, &cfgFile)
	f.StringVar(&addr, "addr", "127.0.0.1:8080", "address to listen on (host:port)")
	f.Int64Var(&maxBody, "max-body", server.DefaultMaxBody, "largest request body in bytes (larger ones get 413)")
	f.DurationVar(&readTO, "read-timeout", server.DefaultReadTimeout, "time to read a whole request")
	f.DurationVar(&writeTO, "write-timeout", server.DefaultWriteTimeout, "time to process a request and write the response (slower requests get 503)")
	f.DurationVar(&idleTO, "idle-timeout", server.DefaultIdleTimeout, "keep-alive idle time")
	f.DurationVar(&shutdownTO, "shutdown-timeout", server.DefaultShutdownTimeout, "on SIGINT/SIGTERM, time allowed for requests in flight")
	return cmd
}

// serveBuild returns the server's pipeline builder: the first call builds
// from c; every later one (a reload) reads the config file and the flags
// again, so that a changed config (stages, gazetteers, rules,
// prefer_country) takes effect without a restart. Input fields, doc_date,
// workers and timeouts are read once, at start.
func serveBuild(c *config.Config, cfgFile string, flags *pflag.FlagSet, log zerolog.Logger) func() (*pipeline.Pipeline, error) {
	var mu sync.Mutex
	first := true
	return func() (*pipeline.Pipeline, error) {
		mu.Lock()
		defer mu.Unlock()
		cc := c
		if !first {
			var err error
			if cc, err = config.Load(cfgFile, flags); err != nil {
				return nil, err
			}
		}
		first = false
		return buildPipeline(cc, log)
	}
}

// completionCmd wraps cobra's script generators, with examples.
func completionCmd(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "completion bash|zsh|fish|powershell",
		Short: "Print a shell completion script",
		Long: `Prints the completion script for a shell on standard output (generated by
cobra). Load it in the current shell, or install it where the shell looks.`,
		Example: `  source <(hadath completion bash)
  hadath completion bash > /etc/bash_completion.d/hadath
  hadath completion zsh > "${fpath[1]}/_hadath"      # then: autoload -U compinit; compinit
  hadath completion fish > ~/.config/fish/completions/hadath.fish`,
		ValidArgs:             []string{"bash", "zsh", "fish", "powershell"},
		Args:                  cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		DisableFlagsInUseLine: true,
		RunE: func(cmd *cobra.Command, args []string) error {
			root := cmd.Root()
			var err error
			switch args[0] {
			case "bash":
				err = root.GenBashCompletionV2(stdout, true)
			case "zsh":
				err = root.GenZshCompletion(stdout)
			case "fish":
				err = root.GenFishCompletion(stdout, true)
			case "powershell":
				err = root.GenPowerShellCompletionWithDesc(stdout)
			}
			return err
		},
	}
	return cmd
}
