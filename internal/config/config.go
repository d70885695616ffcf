package config

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/hadath/hadath"
	"github.com/hadath/hadath/internal/diag"
	"github.com/hadath/hadath/internal/input"
	"github.com/hadath/hadath/internal/yamlx"
)

// Fields maps document attributes to input field names.
type Fields struct {
	ID    string `yaml:"id" mapstructure:"id"`
	Text  string `yaml:"text" mapstructure:"text"`
	Title string `yaml:"title" mapstructure:"title"`
	Date  string `yaml:"date" mapstructure:"date"`
	Lang  string `yaml:"lang" mapstructure:"lang"`
	URL   string `yaml:"url" mapstructure:"url"`
}

// Input configures the reader.
type Input struct {
	Fields      Fields `yaml:"fields" mapstructure:"fields"`
	MaxDocBytes int64  `yaml:"max_doc_bytes" mapstructure:"max_doc_bytes"`
}

// Config is the whole configuration.
type Config struct {
	Stages              []string `yaml:"stages" mapstructure:"stages"`
	Gazetteers          []string `yaml:"gazetteers" mapstructure:"gazetteers"`
	NoDefaultGazetteers bool     `yaml:"no_default_gazetteers" mapstructure:"no_default_gazetteers"`
	Rules               []string `yaml:"rules" mapstructure:"rules"`
	// DatesLexicon and NumbersLexicon extend the embedded word lists of the
	// dates and quantities stages.
	DatesLexicon   []string `yaml:"dates_lexicon" mapstructure:"dates_lexicon"`
	NumbersLexicon []string `yaml:"numbers_lexicon" mapstructure:"numbers_lexicon"`
	// AllowOutsidePaths lets a config file name files outside its folder.
	AllowOutsidePaths bool   `yaml:"allow_outside_paths" mapstructure:"allow_outside_paths"`
	Input             Input  `yaml:"input" mapstructure:"input"`
	DocDate           string `yaml:"doc_date" mapstructure:"doc_date"`
	Workers           int    `yaml:"workers" mapstructure:"workers"`
	Emit              string `yaml:"emit" mapstructure:"emit"`
	Format            string `yaml:"format" mapstructure:"format"`
	LogLevel          string `yaml:"log_level" mapstructure:"log_level"`
	// PreferCountry (ISO alpha-2) biases place names shared by several
	// gazetteer entries towards that country.
	PreferCountry string `yaml:"prefer_country" mapstructure:"prefer_country"`
	// NoGazetteerCache disables the compiled gazetteer cache.
	NoGazetteerCache bool `yaml:"no_gazetteer_cache" mapstructure:"no_gazetteer_cache"`
}

// FlagKeys maps flag names to config keys, bound explicitly (viper's
// BindPFlags would register dashed names under the dashed key).
var FlagKeys = map[string]string{
	"gazetteer":             "gazetteers",
	"rules":                 "rules",
	"doc-date":              "doc_date",
	"workers":               "workers",
	"emit":                  "emit",
	"format":                "format",
	"log-level":             "log_level",
	"no-default-gazetteers": "no_default_gazetteers",
	"prefer-country":        "prefer_country",
	"no-cache":              "no_gazetteer_cache",
}

// Load builds the configuration. file may be empty; flags may be nil.
func Load(file string, flags *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(hadath.DefaultConfig)); err != nil {
		return nil, fmt.Errorf("embedded config.yaml: %w", err)
	}
	var probe Config
	fromFile := false
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if errs := yamlx.Decode(file, data, &probe); len(errs) > 0 {
			errs.Sort()
			return nil, errs
		}
		fromFile = true
		if err := v.MergeConfig(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	v.SetDefault("format", "jsonl")
	v.SetEnvPrefix("HADATH")
	v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	v.AutomaticEnv()
	if flags != nil {
		for name, key := range FlagKeys {
			if f := flags.Lookup(name); f != nil && f.Changed {
				if err := v.BindPFlag(key, f); err != nil {
					return nil, err
				}
			}
		}
	}
	// YAML reads an unquoted doc_date (2016-12-07) as a timestamp; give it
	// back as the string the user wrote.
	if t, ok := v.Get("doc_date").(time.Time); ok {
		layout := "2006-01-02"
		if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 || t.Nanosecond() != 0 {
			layout = time.RFC3339
		}
		v.Set("doc_date", t.Format(layout))
	}
	var c Config
	if err := v.Unmarshal(&c); err != nil {
		return nil, err
	}
	// viper does not split list values from the environment
	if s := os.Getenv("HADATH_GAZETTEERS"); s != "" && (flags == nil || flags.Lookup("gazetteer") == nil || !flags.Lookup("gazetteer").Changed) {
		c.Gazetteers = strings.Split(s, string(os.PathListSeparator))
	}
	if fromFile {
		if err := resolvePaths(file, &probe, &c); err != nil {
			return nil, err
		}
	}
	return &c, c.Validate(file)
}

// resolvePaths makes the file paths written in a config file relative to
// that file's folder (lists set by flags or the environment are left as
// given), and refuses paths that leave the folder unless the file says
// allow_outside_paths: true.
func resolvePaths(file string, probe, c *Config) error {
	dir := filepath.Dir(file)
	var errs diag.ErrorList
	fix := func(key string, fromFile, got []string) []string {
		if len(fromFile) == 0 || !slices.Equal(fromFile, got) {
			return got
		}
		out := make([]string, len(got))
		for i, p := range got {
			if !filepath.IsAbs(p) {
				p = filepath.Join(dir, p)
			}
			rel, err := filepath.Rel(dir, p)
			if !probe.AllowOutsidePaths && (err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator))) {
				errs.Add(diag.Position{Filename: file}, "%s: %q is outside the config file's folder (set allow_outside_paths: true to allow it)", key, got[i])
			}
			out[i] = p
		}
		return out
	}
	c.Gazetteers = fix("gazetteers", probe.Gazetteers, c.Gazetteers)
	c.Rules = fix("rules", probe.Rules, c.Rules)
	c.DatesLexicon = fix("dates_lexicon", probe.DatesLexicon, c.DatesLexicon)
	c.NumbersLexicon = fix("numbers_lexicon", probe.NumbersLexicon, c.NumbersLexicon)
	return errs.Err()
}

// Validate checks values that YAML types cannot.
func (c *Config) Validate(file string) error {
	var errs diag.ErrorList
	pos := diag.Position{Filename: file}
	if file == "" {
		pos.Filename = "config"
	}
	if c.Emit != "documents" && c.Emit != "events" {
		errs.Add(pos, "emit must be documents or events, got %q", c.Emit)
	}
	switch c.Format {
	case "", "jsonl", "csv", "geojson": // "" is jsonl
	default:
		errs.Add(pos, "format must be jsonl, csv or geojson, got %q", c.Format)
	}
	if c.Workers < 0 {
		errs.Add(pos, "workers must be >= 0, got %d", c.Workers)
	}
	if c.DocDate != "" {
		if _, err := time.Parse("2006-01-02", c.DocDate); err != nil {
			errs.Add(pos, "doc_date must be YYYY-MM-DD, got %q", c.DocDate)
		}
	}
	if p := c.PreferCountry; p != "" && (len(p) != 2 || strings.ToUpper(p) != p) {
		errs.Add(pos, "prefer_country must be an ISO 3166-1 alpha-2 code such as SY, got %q", p)
	}
	if c.Input.Fields.Text == "" {
		errs.Add(pos, "input.fields.text must name the text field")
	}
	return errs.Err()
}

// InputOptions turns the config into reader options.
func (c *Config) InputOptions() input.Options {
	f := c.Input.Fields
	o := input.Options{Fields: input.FieldMap{ID: f.ID, Text: f.Text, Title: f.Title, Date: f.Date, Lang: f.Lang, URL: f.URL},
		MaxDocBytes: c.Input.MaxDocBytes}
	if c.DocDate != "" {
		o.DocDate, _ = time.Parse("2006-01-02", c.DocDate)
	}
	return o
}
