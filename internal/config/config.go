// Package config reads hadath's settings with viper: flags, then HADATH_*
// environment variables, then a --config file, then the embedded
// config.yaml. Unknown keys in a config file are errors with file:line:col.
package config

import (
	"bytes"
	"fmt"
	"os"
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
	Input               Input    `yaml:"input" mapstructure:"input"`
	DocDate             string   `yaml:"doc_date" mapstructure:"doc_date"`
	Workers             int      `yaml:"workers" mapstructure:"workers"`
	Emit                string   `yaml:"emit" mapstructure:"emit"`
	LogLevel            string   `yaml:"log_level" mapstructure:"log_level"`
}

// FlagKeys maps flag names to config keys, bound explicitly (viper's
// BindPFlags would register dashed names under the dashed key).
var FlagKeys = map[string]string{
	"gazetteer":             "gazetteers",
	"rules":                 "rules",
	"doc-date":              "doc_date",
	"workers":               "workers",
	"emit":                  "emit",
	"log-level":             "log_level",
	"no-default-gazetteers": "no_default_gazetteers",
}

// Load builds the configuration. file may be empty; flags may be nil.
func Load(file string, flags *pflag.FlagSet) (*Config, error) {
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(bytes.NewReader(hadath.DefaultConfig)); err != nil {
		return nil, fmt.Errorf("embedded config.yaml: %w", err)
	}
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		var probe Config
		if errs := yamlx.Decode(file, data, &probe); len(errs) > 0 {
			errs.Sort()
			return nil, errs
		}
		if err := v.MergeConfig(bytes.NewReader(data)); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
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
	return &c, c.Validate(file)
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
	if c.Workers < 0 {
		errs.Add(pos, "workers must be >= 0, got %d", c.Workers)
	}
	if c.DocDate != "" {
		if _, err := time.Parse("2006-01-02", c.DocDate); err != nil {
			errs.Add(pos, "doc_date must be YYYY-MM-DD, got %q", c.DocDate)
		}
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
