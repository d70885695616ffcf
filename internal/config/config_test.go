package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// extractFlags mirrors the flags of the extract command in cmd/hadath.
func extractFlags(t *testing.T, args ...string) *pflag.FlagSet {
	t.Helper()
	f := pflag.NewFlagSet("extract", pflag.ContinueOnError)
	f.String("config", "", "")
	f.StringArray("gazetteer", nil, "")
	f.StringArray("rules", nil, "")
	f.Bool("no-default-gazetteers", false, "")
	f.String("doc-date", "", "")
	f.Int("workers", 0, "")
	f.String("emit", "documents", "")
	f.String("log-level", "info", "")
	f.StringP("output", "o", "", "")
	f.String("stats", "", "")
	if err := f.Parse(args); err != nil {
		t.Fatalf("parse %q: %v", args, err)
	}
	return f
}

func writeConfig(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "hadath.yaml")
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// clearEnv makes sure no HADATH_* variable from the outside changes a test.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "HADATH_") {
			t.Setenv(k, "")
			os.Unsetenv(k)
		}
	}
}

func TestDefaults(t *testing.T) {
	clearEnv(t)
	c, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(c.Stages, ","); got != "normalize,sentences,gazetteer,dates,quantities,organizations,events" {
		t.Errorf("stages = %s", got)
	}
	if c.Emit != "documents" || c.Workers != 0 || c.DocDate != "" || c.NoDefaultGazetteers || c.LogLevel != "info" {
		t.Errorf("defaults: %+v", c)
	}
	if len(c.Gazetteers) != 0 || len(c.Rules) != 0 {
		t.Errorf("gazetteers %q rules %q", c.Gazetteers, c.Rules)
	}
	o := c.InputOptions()
	if o.Fields.Text != "text" || o.Fields.ID != "id" || o.Fields.Date != "date" || o.MaxDocBytes != 8<<20 || !o.DocDate.IsZero() {
		t.Errorf("input options = %+v", o)
	}
	// the same result with a flag set where nothing was changed
	c2, err := Load("", extractFlags(t))
	if err != nil {
		t.Fatal(err)
	}
	if c2.Emit != c.Emit || c2.Workers != c.Workers || strings.Join(c2.Stages, ",") != strings.Join(c.Stages, ",") {
		t.Errorf("unchanged flags altered the config: %+v", c2)
	}
}

func TestConfigFile(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		check   func(t *testing.T, c *Config)
		errSubs []string // with "FILE" replaced by the file's path
	}{
		{
			name: "workers",
			body: "workers: 6\n",
			check: func(t *testing.T, c *Config) {
				if c.Workers != 6 {
					t.Errorf("workers = %d", c.Workers)
				}
				if len(c.Stages) != 7 || c.Emit != "documents" {
					t.Errorf("defaults lost: %+v", c)
				}
			},
		},
		{
			name: "nested override keeps siblings",
			body: "input:\n  fields:\n    text: content\n    date: date_extracted\n",
			check: func(t *testing.T, c *Config) {
				f := c.Input.Fields
				if f.Text != "content" || f.Date != "date_extracted" || f.ID != "id" || f.Title != "title" {
					t.Errorf("fields = %+v", f)
				}
				if c.Input.MaxDocBytes != 8<<20 {
					t.Errorf("max_doc_bytes = %d", c.Input.MaxDocBytes)
				}
			},
		},
		{
			name: "stages and emit",
			body: "stages: [normalize, sentences]\nemit: events\ndoc_date: 2016-12-07\n",
			check: func(t *testing.T, c *Config) {
				if strings.Join(c.Stages, ",") != "normalize,sentences" || c.Emit != "events" || c.DocDate != "2016-12-07" {
					t.Errorf("config = %+v", c)
				}
				if d := c.InputOptions().DocDate; !d.Equal(time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("doc date = %v", d)
				}
			},
		},
		{
			name:    "unknown top-level key",
			body:    "workers: 2\nworkerz: 3\n",
			errSubs: []string{"FILE:2:1: unknown key", `"workerz"`},
		},
		{
			name:    "unknown nested key",
			body:    "input:\n  fields:\n    text: content\n    body: x\n",
			errSubs: []string{"FILE:4:5: unknown key", `"body"`},
		},
		{
			name:    "every unknown key reported",
			body:    "a: 1\nworkers: 2\nb: 2\n",
			errSubs: []string{"FILE:1:1: unknown key", "FILE:3:1: unknown key"},
		},
		{
			name:    "wrong type",
			body:    "workers: many\n",
			errSubs: []string{"FILE:1"},
		},
		{
			name:    "syntax error",
			body:    "workers: [1\n",
			errSubs: []string{"FILE"},
		},
		{
			name:    "invalid emit",
			body:    "emit: everything\n",
			errSubs: []string{"FILE", "emit must be documents or events"},
		},
		{
			name:    "negative workers",
			body:    "workers: -1\n",
			errSubs: []string{"workers must be >= 0"},
		},
		{
			name:    "doc_date with a time",
			body:    "doc_date: 2016-12-07 10:30:00\n",
			errSubs: []string{"doc_date must be YYYY-MM-DD"},
		},
		{
			name:    "bad doc_date",
			body:    "doc_date: 07/12/2016\n",
			errSubs: []string{"doc_date must be YYYY-MM-DD"},
		},
		{
			name:    "empty text field",
			body:    "input:\n  fields:\n    text: \"\"\n",
			errSubs: []string{"input.fields.text"},
		},
		{
			name: "empty file",
			body: "",
			check: func(t *testing.T, c *Config) {
				if c.Emit != "documents" || len(c.Stages) != 7 {
					t.Errorf("config = %+v", c)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			p := writeConfig(t, tc.body)
			c, err := Load(p, nil)
			if tc.errSubs != nil {
				if err == nil {
					t.Fatalf("want an error, got %+v", c)
				}
				for _, s := range tc.errSubs {
					s = strings.ReplaceAll(s, "FILE", p)
					if !strings.Contains(err.Error(), s) {
						t.Errorf("error %q does not contain %q", err, s)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}

func TestMissingConfigFile(t *testing.T) {
	clearEnv(t)
	p := filepath.Join(t.TempDir(), "none.yaml")
	if _, err := Load(p, nil); err == nil || !strings.Contains(err.Error(), "none.yaml") {
		t.Errorf("err = %v", err)
	}
}

func TestPrecedence(t *testing.T) {
	tests := []struct {
		name    string
		file    string // config file body, "" for none
		env     map[string]string
		flags   []string
		check   func(t *testing.T, c *Config)
		wantErr string
	}{
		{
			name: "env workers",
			env:  map[string]string{"HADATH_WORKERS": "3"},
			check: func(t *testing.T, c *Config) {
				if c.Workers != 3 {
					t.Errorf("workers = %d", c.Workers)
				}
			},
		},
		{
			name: "env doc date",
			env:  map[string]string{"HADATH_DOC_DATE": "2016-12-07"},
			check: func(t *testing.T, c *Config) {
				if c.DocDate != "2016-12-07" || c.InputOptions().DocDate.Format("2006-01-02") != "2016-12-07" {
					t.Errorf("doc date = %q", c.DocDate)
				}
			},
		},
		{
			name: "env nested key",
			env:  map[string]string{"HADATH_INPUT_FIELDS_TEXT": "content"},
			check: func(t *testing.T, c *Config) {
				if c.Input.Fields.Text != "content" || c.Input.Fields.ID != "id" {
					t.Errorf("fields = %+v", c.Input.Fields)
				}
			},
		},
		{
			name: "env over file",
			file: "workers: 7\nemit: events\n",
			env:  map[string]string{"HADATH_WORKERS": "3"},
			check: func(t *testing.T, c *Config) {
				if c.Workers != 3 || c.Emit != "events" {
					t.Errorf("workers %d emit %s", c.Workers, c.Emit)
				}
			},
		},
		{
			name: "env doc date over unquoted file date",
			file: "doc_date: 2016-12-07\n",
			env:  map[string]string{"HADATH_DOC_DATE": "2015-07-21"},
			check: func(t *testing.T, c *Config) {
				if c.DocDate != "2015-07-21" {
					t.Errorf("doc date = %q", c.DocDate)
				}
			},
		},
		{
			name:  "flag over env over file",
			file:  "workers: 7\n",
			env:   map[string]string{"HADATH_WORKERS": "3", "HADATH_DOC_DATE": "2016-12-07"},
			flags: []string{"--workers", "5", "--doc-date", "2015-07-21"},
			check: func(t *testing.T, c *Config) {
				if c.Workers != 5 || c.DocDate != "2015-07-21" {
					t.Errorf("workers %d doc date %s", c.Workers, c.DocDate)
				}
			},
		},
		{
			name:  "flag set to its default still wins",
			env:   map[string]string{"HADATH_WORKERS": "3", "HADATH_EMIT": "events"},
			flags: []string{"--workers=0", "--emit", "documents"},
			check: func(t *testing.T, c *Config) {
				if c.Workers != 0 || c.Emit != "documents" {
					t.Errorf("workers %d emit %s", c.Workers, c.Emit)
				}
			},
		},
		{
			name:  "unchanged flag leaves env",
			env:   map[string]string{"HADATH_WORKERS": "3"},
			flags: []string{"--emit", "events"},
			check: func(t *testing.T, c *Config) {
				if c.Workers != 3 || c.Emit != "events" {
					t.Errorf("workers %d emit %s", c.Workers, c.Emit)
				}
			},
		},
		{
			name:  "gazetteer and rules flags",
			file:  "gazetteers: [from-file.yaml]\n",
			flags: []string{"--gazetteer", "a.yaml", "--gazetteer", "b.yaml", "--rules", "r.yaml", "--no-default-gazetteers"},
			check: func(t *testing.T, c *Config) {
				if strings.Join(c.Gazetteers, ",") != "a.yaml,b.yaml" || strings.Join(c.Rules, ",") != "r.yaml" || !c.NoDefaultGazetteers {
					t.Errorf("gazetteers %q rules %q no-default %v", c.Gazetteers, c.Rules, c.NoDefaultGazetteers)
				}
			},
		},
		{
			name: "env gazetteers list",
			env:  map[string]string{"HADATH_GAZETTEERS": "a.yaml" + string(os.PathListSeparator) + "b.yaml"},
			check: func(t *testing.T, c *Config) {
				if strings.Join(c.Gazetteers, ",") != "a.yaml,b.yaml" {
					t.Errorf("gazetteers %q", c.Gazetteers)
				}
			},
		},
		{
			name:  "gazetteer flag over env",
			env:   map[string]string{"HADATH_GAZETTEERS": "env.yaml"},
			flags: []string{"--gazetteer", "flag.yaml"},
			check: func(t *testing.T, c *Config) {
				if strings.Join(c.Gazetteers, ",") != "flag.yaml" {
					t.Errorf("gazetteers %q", c.Gazetteers)
				}
			},
		},
		{
			name:    "invalid emit flag",
			flags:   []string{"--emit", "entities"},
			wantErr: "emit must be documents or events",
		},
		{
			name:    "invalid emit env",
			env:     map[string]string{"HADATH_EMIT": "all"},
			wantErr: "emit must be documents or events",
		},
		{
			name:    "invalid doc date env",
			env:     map[string]string{"HADATH_DOC_DATE": "yesterday"},
			wantErr: "doc_date must be YYYY-MM-DD",
		},
		{
			name:    "invalid workers env",
			env:     map[string]string{"HADATH_WORKERS": "lots"},
			wantErr: "workers",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clearEnv(t)
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			file := ""
			if tc.file != "" {
				file = writeConfig(t, tc.file)
			}
			c, err := Load(file, extractFlags(t, tc.flags...))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, c)
		})
	}
}
