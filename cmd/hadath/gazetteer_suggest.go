package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/hadath/hadath/extractors/gazetteer"
	"github.com/hadath/hadath/extractors/normalize"
	sentstage "github.com/hadath/hadath/extractors/sentences"
	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/input"
	"github.com/hadath/hadath/internal/mining"
	"github.com/hadath/hadath/pipeline"
)

func gazSuggestCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var cfgFile, out, typ string
	var minCount, top, examples int
	cmd := &cobra.Command{
		Use:   "suggest PATH ...",
		Short: "Mine a dump for frequent names after place and organization cues that the gazetteers lack",
		Long: `Reads documents as "extract" does (JSON Lines with the config's field
mapping, text files, directories, .gz; "-" for standard input), runs the
normalize, sentences and gazetteer stages, and counts the names of 1-3
words written right after place cues (مدينة, بلدة, قرية, حي, محافظة, ريف,
منطقة, مخيم, "in", "near", "town of", ...) or next to organization cues
(حركة, جبهة, جيش, لواء, ..., "group", "agency", "brigade"): proclitics are
removed (بمدينة, والفوعة, للرقة), a name stops at punctuation, line breaks,
function words and common verbs, and words the gazetteer matched are left
out. The cue and stop lists are internal/mining/cues.yaml.

Writes gazetteer YAML stubs, most frequent first (then by name): id
TODO-<slug>, type, names, and comments with the count, the cues and example
contexts. Review them, fill in kind, country and coordinates, and load the
file with --gazetteer.`,
		Example: `  hadath gazetteer suggest dump.jsonl --config my-fields.yaml --top 50 -o suggested.yaml
  hadath gazetteer suggest articles/ --type organization --min-count 5`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch typ {
			case "all", mining.TypePlace, mining.TypeOrganization:
			default:
				return &exitError{exitUsage, fmt.Errorf("gazetteer suggest: --type must be place, organization or all, not %q", typ)}
			}
			if minCount < 1 || top < 0 || examples < 0 {
				return &exitError{exitUsage, errors.New("gazetteer suggest: --min-count must be >= 1, --top and --examples >= 0")}
			}
			c, err := config.Load(cfgFile, cmd.Flags())
			if err != nil {
				return &exitError{exitUsage, err}
			}
			res, err := app.LoadResources(c)
			if err != nil {
				return &exitError{exitUsage, err}
			}
			c.Stages = []string{normalize.Name, sentstage.Name, gazetteer.Name}
			p, err := app.Build(c, res, zerolog.Nop())
			if err != nil {
				return &exitError{exitUsage, err}
			}
			known := map[string]bool{}
			res.Index.EachKey(func(k string) { known[k] = true })
			L := res.Rules.Language
			m, err := mining.New(mining.Options{
				Conjunctions: L.Clitics.Conjunctions, Prepositions: L.Clitics.Prepositions, MinStem: L.Clitics.MinStem,
				FunctionWords: L.FunctionWords.All(), Known: known, Examples: examples,
			})
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			opt := c.InputOptions()
			opt.Stdin = stdin
			rd := input.New(opt)
			items := make(chan pipeline.Item, 16)
			go rd.Read(ctx, args, items)
			var bad, failed int
			err = p.Run(ctx, items, c.Workers, func(r pipeline.Result) error {
				switch {
				case r.Err != nil:
					bad++
					if bad <= 5 {
						fmt.Fprintf(stderr, "warning: %v\n", r.Err)
					}
				case r.Failed:
					failed++
				case r.Doc != nil:
					m.Add(r.Doc)
				}
				return nil
			})
			if err != nil {
				return &exitError{exitUsage, err}
			}
			if ctx.Err() != nil {
				return &exitError{exitSIGINT, nil}
			}
			cs := m.Candidates(minCount, top, typ)
			err = writeOut(stdout, out, func(w io.Writer) error {
				return mining.WriteYAML(w, cs, mining.Header{Docs: m.Docs(), MinCount: minCount,
					Command: "hadath gazetteer suggest " + strings.Join(args, " ")})
			})
			if err != nil {
				return &exitError{exitUsage, err}
			}
			fmt.Fprintf(stderr, "read %d document(s) (%d unreadable, %d failed), suggested %d name(s)\n", m.Docs(), bad, failed, len(cs))
			return nil
		},
	}
	f := cmd.Flags()
	f.IntVar(&minCount, "min-count", 3, "suggest names seen at least N times")
	f.IntVar(&top, "top", 0, "suggest at most N names (0: all)")
	f.IntVar(&examples, "examples", 2, "example contexts shown per name")
	f.StringVar(&typ, "type", "all", "place, organization or all")
	f.StringVarP(&out, "output", "o", "", "write to FILE (atomically) instead of stdout")
	f.StringVar(&cfgFile, "config", "", "config file (YAML): input field mapping, gazetteers, rules")
	f.StringArray("gazetteer", nil, "extra gazetteer file (repeatable); its names are not suggested")
	f.StringArray("rules", nil, "extra rules file (repeatable)")
	f.Bool("no-default-gazetteers", false, "use only the gazetteers given with --gazetteer")
	f.Bool("no-cache", false, "do not use the compiled gazetteer cache")
	f.Int("workers", 0, "worker goroutines (0: number of CPUs); output is the same for any value")
	return cmd
}
