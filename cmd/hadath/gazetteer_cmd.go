package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/hadath/hadath/extractors/gazetteer"
	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/internal/geonames"
	"github.com/hadath/hadath/pipeline"
)

// exitLint is the exit code of `gazetteer lint` when it finds errors (or
// warnings, with --strict). Usage errors (a file that cannot be read, bad
// flags) exit with exitUsage (2).
const exitLint = 1

// gazetteerCommands returns the "gazetteer" command group.
func gazetteerCommands(stdin io.Reader, stdout, stderr io.Writer) []*cobra.Command {
	g := &cobra.Command{
		Use:   "gazetteer",
		Short: "Check, measure, explain and build gazetteers",
		Long: `Tools for gazetteer files (see docs/GAZETTEERS.md): lint reports every
problem as file:line:col, stats counts entries and index memory, explain shows
how the matcher reads a text, import converts GeoNames and ISO 3166 lists,
suggest mines a dump for frequent names the gazetteers lack.`,
	}
	g.AddCommand(gazLintCmd(stdout, stderr), gazStatsCmd(stdout), gazExplainCmd(stdin, stdout, stderr), gazImportCmd(stdout, stderr),
		gazSuggestCmd(stdin, stdout, stderr))
	return []*cobra.Command{g}
}

// gazSources returns the embedded defaults (unless noDefaults) and the files.
func gazSources(paths []string, noDefaults bool) ([]gazetteers.Source, error) {
	var srcs []gazetteers.Source
	if !noDefaults {
		d, err := gazetteers.DefaultSources()
		if err != nil {
			return nil, err
		}
		srcs = d
	}
	user, err := gazetteers.ReadSources(paths)
	if err != nil {
		return nil, err
	}
	return append(srcs, user...), nil
}

func gazLintCmd(stdout, stderr io.Writer) *cobra.Command {
	var only, noDefaults, strict, quiet bool
	cmd := &cobra.Command{
		Use:   "lint [PATH ...]",
		Short: "Report every problem in gazetteer files as file:line:col: message",
		Long: `Without a path, lints the embedded default gazetteers; with paths, the
defaults and those files (as "extract --gazetteer" loads them). --only reports
only problems in the given files (the defaults are still loaded, so parents
and names shared with them are checked); --no-default-gazetteers loads the
given files alone.

Errors (YAML syntax, unknown keys, duplicate ids, bad type/kind, coordinates
out of range, bad country codes or dates, missing parents) and warnings
(names shared by several entries, common words, names shorter than 3 letters,
repeated names, entries replacing defaults) are printed sorted, one a line.
Exit status: 0 without errors, 1 with errors (or with warnings under
--strict), 2 when a file cannot be read.`,
		Example: `  hadath gazetteer lint
  hadath gazetteer lint --only my-region.yaml
  hadath gazetteer lint --strict --no-default-gazetteers only-mine.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if only && len(args) == 0 {
				return &exitError{exitUsage, errors.New("gazetteer lint: --only needs at least one PATH")}
			}
			srcs, err := gazSources(args, noDefaults)
			if err != nil {
				return &exitError{exitUsage, err}
			}
			lx, err := gazetteers.DefaultLexicon()
			if err != nil {
				return err
			}
			o := gazetteers.LintOptions{Lexicon: lx}
			if only {
				o.Files = args
			}
			_, errs := gazetteers.Lint(srcs, o)
			nerr, nwarn := 0, 0
			for _, e := range errs {
				if e.Severity == diag.SevError {
					nerr++
				} else {
					nwarn++
					if quiet {
						continue
					}
				}
				fmt.Fprintln(stdout, e.Error())
			}
			fmt.Fprintf(stderr, "%d error(s), %d warning(s) in %d file(s)\n", nerr, nwarn, len(srcs))
			if nerr > 0 || (strict && nwarn > 0) {
				return &exitError{exitLint, nil}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.BoolVar(&only, "only", false, "report only problems in the given files")
	f.BoolVar(&noDefaults, "no-default-gazetteers", false, "do not load the embedded gazetteers")
	f.BoolVar(&strict, "strict", false, "exit 1 on warnings too")
	f.BoolVarP(&quiet, "quiet", "q", false, "print errors only (warnings are still counted)")
	return cmd
}

func gazStatsCmd(stdout io.Writer) *cobra.Command {
	var noDefaults, asJSON bool
	cmd := &cobra.Command{
		Use:   "stats [PATH ...]",
		Short: "Count entries by type, kind, country and language, and measure the index",
		Long: `Counts the entries of the embedded gazetteers and the given files: by type,
kind, country and language, names per entry, names shared by several entries;
and measures load time and the memory of the compiled match index
(runtime.MemStats heap in use before and after building it).`,
		RunE: func(cmd *cobra.Command, args []string) error {
			srcs, err := gazSources(args, noDefaults)
			if err != nil {
				return &exitError{exitUsage, err}
			}
			t0 := time.Now()
			g, errs := gazetteers.Load(srcs)
			loadTime := time.Since(t0)
			if err := errs.Err(); err != nil {
				return &exitError{exitUsage, err}
			}
			lx, err := gazetteers.DefaultLexicon()
			if err != nil {
				return err
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			t1 := time.Now()
			s := gazetteer.New(g, gazetteer.Options{Lexicon: lx})
			buildTime := time.Since(t1)
			runtime.GC()
			runtime.ReadMemStats(&after)
			runtime.KeepAlive(s)
			st := gazetteers.ComputeStats(g)
			idx := int64(after.HeapAlloc) - int64(before.HeapAlloc)
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(struct {
					gazetteers.Stats
					LoadMillis  float64 `json:"load_ms"`
					IndexMillis float64 `json:"index_build_ms"`
					IndexBytes  int64   `json:"index_heap_bytes"`
				}{st, ms(loadTime), ms(buildTime), idx})
			}
			var b strings.Builder
			fmt.Fprintf(&b, "files %d, entries %d, names %d (%d distinct match keys, %d shared by several entries)\n",
				st.Files, st.Entries, st.Names, st.DistinctNameKeys, st.SharedNameKeys)
			fmt.Fprintf(&b, "with coordinates %d, with population %d, with validity window %d\n", st.WithCoordinates, st.WithPopulation, st.WithValidity)
			fmt.Fprintf(&b, "load %.0f ms; index build %.0f ms, index heap %.1f MiB\n", ms(loadTime), ms(buildTime), float64(idx)/(1<<20))
			section := func(title string, m map[string]int, limit int) {
				fmt.Fprintf(&b, "\n%s:\n", title)
				for i, c := range gazetteers.Sorted(m) {
					if limit > 0 && i == limit {
						fmt.Fprintf(&b, "  ... %d more\n", len(m)-limit)
						break
					}
					fmt.Fprintf(&b, "  %-28s %8d\n", c.Key, c.Count)
				}
			}
			section("entries by type", st.ByType, 0)
			section("entries by type/kind", st.ByKind, 0)
			section("names by language", st.ByLanguage, 20)
			section("entries by country", st.ByCountry, 30)
			fmt.Fprintf(&b, "\nnames per entry (max %d, %s):\n", st.MaxNames, st.MaxNamesID)
			for n := 0; n <= st.MaxNames; n++ {
				if c := st.NamesPerEntry[n]; c > 0 {
					fmt.Fprintf(&b, "  %3d names %8d entries\n", n, c)
				}
			}
			_, err = io.WriteString(stdout, b.String())
			return err
		},
	}
	cmd.Flags().BoolVar(&noDefaults, "no-default-gazetteers", false, "do not load the embedded gazetteers")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func gazExplainCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var cfgFile, file string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "explain [TEXT]",
		Short: "Show how the gazetteer matcher reads a text, token by token",
		Long: `For each token: its match key, each reading tried (the exact form, the forms
without Arabic proclitics) and each window of tokens looked up, what matched
and why (longest match, exact over clitic), the entries that share the name
with their scores and the rule that decided (cue word, document date, country
focus, preferred country, kind rank, population), and near misses: keys one
letter off a name, names whose first token matched but not the next ones,
names refused by the case or common-word rules.`,
		Example: `  hadath gazetteer explain "قصف على مدينة الباب وتدمر"
  hadath gazetteer explain --prefer-country LB "clashes in Tripoli"
  hadath gazetteer explain --file article.txt --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var text string
			switch {
			case file != "" && len(args) > 0:
				return &exitError{exitUsage, errors.New("gazetteer explain: give TEXT or --file, not both")}
			case file == "-":
				b, err := io.ReadAll(stdin)
				if err != nil {
					return &exitError{exitUsage, err}
				}
				text = string(b)
			case file != "":
				b, err := os.ReadFile(file)
				if err != nil {
					return &exitError{exitUsage, err}
				}
				text = string(b)
			case len(args) == 1:
				text = args[0]
			default:
				return &exitError{exitUsage, errors.New("gazetteer explain: give TEXT or --file DOC")}
			}
			c, err := config.Load(cfgFile, cmd.Flags())
			if err != nil {
				return &exitError{exitUsage, err}
			}
			p, err := app.FromConfig(c, zerolog.Nop())
			if err != nil {
				return &exitError{exitUsage, err}
			}
			doc := &pipeline.Document{ID: "explain", Text: text, Fields: []*pipeline.Field{{Name: "text", Text: text}}}
			if o := c.InputOptions(); !o.DocDate.IsZero() {
				doc.DocDate, doc.HasDate = o.DocDate, true
			}
			var gz *gazetteer.Stage
			for _, s := range p.Stages {
				if x, ok := s.(*gazetteer.Stage); ok {
					gz = x
					break
				}
				if err := s.Process(doc); err != nil {
					return err
				}
			}
			if gz == nil {
				return &exitError{exitUsage, errors.New("gazetteer explain: the configuration has no gazetteer stage")}
			}
			ex := gz.Explain(doc)
			if asJSON {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(ex)
			}
			return ex.WriteText(stdout)
		},
	}
	f := cmd.Flags()
	f.StringVar(&file, "file", "", "read the text from FILE (- for standard input)")
	f.BoolVar(&asJSON, "json", false, "print JSON")
	f.StringVar(&cfgFile, "config", "", "config file (YAML)")
	f.StringArray("gazetteer", nil, "extra gazetteer file (repeatable)")
	f.StringArray("rules", nil, "extra rules file (repeatable)")
	f.Bool("no-default-gazetteers", false, "use only the gazetteers given with --gazetteer")
	f.String("doc-date", "", "document date (YYYY-MM-DD), for validity windows")
	f.String("prefer-country", "", "prefer places of this country (ISO alpha-2)")
	f.Bool("no-cache", false, "do not use the compiled gazetteer cache")
	return cmd
}

func gazImportCmd(stdout, stderr io.Writer) *cobra.Command {
	imp := &cobra.Command{
		Use:   "import",
		Short: "Convert GeoNames or ISO 3166 lists into gazetteer YAML",
	}
	imp.AddCommand(gazImportGeoNamesCmd(stdout, stderr), gazImportISOCmd(stdout, stderr))
	return imp
}

// writeOut writes data to path atomically, or to stdout for "" or "-".
func writeOut(stdout io.Writer, path string, write func(w io.Writer) error) error {
	if path == "" || path == "-" {
		return write(stdout)
	}
	return geonames.WriteFileAtomic(path, write)
}

func gazImportGeoNamesCmd(stdout, stderr io.Writer) *cobra.Command {
	var o geonames.Options
	var alt, out, countries, classes, droppedPath string
	var keepDup bool
	cmd := &cobra.Command{
		Use:   "geonames FILE",
		Short: "Convert a GeoNames dump (allCountries, cities15000, XX; .txt or .zip) to gazetteer YAML",
		Long: `Reads the GeoNames main table (19 tab-separated columns; .txt, or a .zip
holding one .txt), streaming, and writes gazetteer YAML: ids gn-<geonameid>,
kind from the feature code (PPLC/PPLA* -> city, PPL* -> town, ADM1 ->
governorate, ADM2 -> district, PCL* -> country, ...), country, admin1 code,
lat/lon, population, geonames id. English names come from the name and
asciiname columns, Arabic names from the alternatenames column (by script);
--alternate-names adds the language-tagged names (ar, en) of
alternateNamesV2.txt (or .zip), preferred and short names first.

Arabic names that would match ordinary words are left out: function words,
numerals, units of time, weekdays and months (كان for Cannes, فإن, سنة),
words of hadath's own word lists (event triggers and cues, qualifiers,
place cues, heads of organization names), names under 3 letters beside the
article (الم), one-word 3-letter names of towns outside the Arabic-speaking
countries (بار for Bar), and X beside الX of the same place; names that are
common words of the gazetteer lexicon are kept, as they match only after a
place cue (--keep-common-names keeps them all). A place outside the
Arabic-speaking countries loses the names it shares with a default place
elsewhere (Paris, Texas; London, Ontario), which would otherwise take that
place's mentions (--keep-namesakes keeps them). --dropped-names writes what
was left out, with the reason, for review.`,
		Example: `  hadath gazetteer import geonames cities15000.zip --countries SY,IQ -o sy-iq.yaml
  hadath gazetteer import geonames SY.zip --alternate-names alternateNamesV2.zip \
      --feature-classes P,A --min-population 1000 -o syria.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Countries = splitList(strings.ToUpper(countries))
			o.FeatureClasses = splitList(strings.ToUpper(classes))
			o.AlternateNames = alt
			if !keepDup {
				srcs, err := gazetteers.DefaultSources()
				if err != nil {
					return err
				}
				g, errs := gazetteers.Load(srcs)
				if err := errs.Err(); err != nil {
					return err
				}
				o.Existing = g
			}
			var st geonames.Stats
			err := writeOut(stdout, out, func(w io.Writer) error {
				if droppedPath == "" {
					var err error
					st, err = geonames.Import(args[0], w, o)
					return err
				}
				df, err := os.Create(droppedPath)
				if err != nil {
					return err
				}
				o.Dropped = df
				st, err = geonames.Import(args[0], w, o)
				if cerr := df.Close(); err == nil {
					err = cerr
				}
				return err
			})
			if err != nil {
				return &exitError{exitUsage, err}
			}
			fmt.Fprintf(stderr, "read %d rows, wrote %d entries (%d with Arabic names), skipped %d by filters and %d duplicates of default entries\n",
				st.Rows, st.Entries, st.WithArabic, st.Skipped, st.Duplicates)
			if !o.KeepCommonNames || !o.KeepNamesakes {
				fmt.Fprintf(stderr, "left out names: %s; kept %d Arabic names that are lexicon common words (matched only after a place cue)\n",
					st.DroppedSummary(), st.Gated)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&alt, "alternate-names", "", "GeoNames alternateNamesV2 file (.txt or .zip) for language-tagged names")
	f.StringVar(&countries, "countries", "", "keep only these countries (comma-separated ISO codes)")
	f.StringVar(&classes, "feature-classes", "P,A", "keep only these feature classes (comma-separated; P populated places, A administrative areas)")
	f.Int64Var(&o.MinPopulation, "min-population", 0, "keep only places with at least N inhabitants (areas and countries are kept)")
	f.BoolVar(&keepDup, "keep-duplicates", false, "keep places that duplicate an embedded default entry (same country, a shared name, < 25 km)")
	f.BoolVar(&o.KeepCommonNames, "keep-common-names", false, "keep Arabic names that are function words or common words, short, or X beside الX (left out by default)")
	f.BoolVar(&o.KeepNamesakes, "keep-namesakes", false, "keep names that a place outside the Arabic-speaking countries shares with a default place elsewhere (left out by default)")
	f.StringVar(&droppedPath, "dropped-names", "", "write the names left out to FILE (gn-id, name, reason; tab-separated)")
	f.StringVarP(&out, "output", "o", "", "write to FILE (atomically) instead of stdout")
	return cmd
}

func gazImportISOCmd(stdout, stderr io.Writer) *cobra.Command {
	var out string
	cmd := &cobra.Command{
		Use:   "iso3166 FILE",
		Short: "Convert a TSV of ISO 3166-1 countries (alpha_2, name_en, name_ar) to gazetteer YAML",
		Long: `Reads a tab-separated file whose header names the columns alpha_2, name_en and
name_ar (others are ignored) and writes one country entry per row, id
country-<code>, with the Arabic diacritics removed from the names.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var n int
			err := writeOut(stdout, out, func(w io.Writer) error {
				var err error
				n, err = geonames.ImportISO3166(args[0], w)
				return err
			})
			if err != nil {
				return &exitError{exitUsage, err}
			}
			fmt.Fprintf(stderr, "wrote %d entries\n", n)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to FILE (atomically) instead of stdout")
	return cmd
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
