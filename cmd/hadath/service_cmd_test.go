package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

func TestExtractFormatsCLI(t *testing.T) {
	r := runCLI(t, "", "extract", "--doc-date", "2016-12-07", "--format", "csv", seedPath)
	r.mustCode(t, exitOK)
	recs, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || len(recs) < 2 || recs[0][0] != "event_id" {
		t.Fatalf("csv: %v %d rows", err, len(recs))
	}
	if !strings.Contains(r.stderr, "format summary") {
		t.Errorf("no format summary on stderr:\n%s", r.stderr)
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "events.geojson")
	r = runCLI(t, "", "extract", "--doc-date", "2016-12-07", "--format", "geojson", "--quiet", "-o", out, seedPath)
	r.mustCode(t, exitOK)
	if r.stderr != "" {
		t.Errorf("--quiet still logs:\n%s", r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if err := json.Unmarshal(b, &fc); err != nil || fc.Type != "FeatureCollection" || len(fc.Features) == 0 {
		t.Errorf("geojson: %v %s %d", err, fc.Type, len(fc.Features))
	}
	r = runCLI(t, "", "extract", "--format", "xml", seedPath)
	r.mustCode(t, exitUsage)
	if !strings.Contains(r.stderr, "format must be jsonl, csv or geojson") {
		t.Errorf("stderr: %s", r.stderr)
	}
	r = runCLI(t, "", "extract", "--format", "geojson", "--resume", "-o", filepath.Join(dir, "r.geojson"), seedPath)
	r.mustCode(t, exitUsage)
	t.Setenv("HADATH_FORMAT", "csv")
	r = runCLI(t, "", "extract", "--doc-date", "2016-12-07", seedPath)
	r.mustCode(t, exitOK)
	if !strings.HasPrefix(r.stdout, "event_id,") {
		t.Errorf("HADATH_FORMAT=csv ignored: %.100s", r.stdout)
	}
}

func TestRenderCLI(t *testing.T) {
	out := filepath.Join(t.TempDir(), "seed.html")
	r := runCLI(t, "", "render", "--doc-date", "2016-12-07", "-o", out, seedPath)
	r.mustCode(t, exitOK)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{"<!DOCTYPE html>", `dir="rtl"`, `class="trigger"`, `<table class="events">`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	r = runCLI(t, "Rebels withdrew from eastern Aleppo on Monday.", "render", "--doc-date", "2016-12-12")
	r.mustCode(t, exitOK)
	if !strings.Contains(r.stdout, `dir="ltr"`) || !strings.Contains(r.stdout, `class="trigger"`) {
		t.Errorf("stdin page: %.500s", r.stdout)
	}
}

func TestCompletion(t *testing.T) {
	for sh, want := range map[string]string{"bash": "__start_hadath", "zsh": "#compdef hadath", "fish": "complete -c hadath", "powershell": "Register-ArgumentCompleter"} {
		r := runCLI(t, "", "completion", sh)
		r.mustCode(t, exitOK)
		if !strings.Contains(r.stdout, want) {
			t.Errorf("%s completion lacks %q", sh, want)
		}
	}
	runCLI(t, "", "completion", "tcsh").mustCode(t, exitUsage)
}

func TestServeBadAddress(t *testing.T) {
	r := runCLI(t, "", "serve", "--addr", "256.0.0.1:http-nope")
	r.mustCode(t, exitUsage)
}

// TestHelpExamples checks that the commands of this file, extract and
// version show examples in --help.
func TestHelpExamples(t *testing.T) {
	root := &cobra.Command{Use: "hadath"}
	root.AddCommand(extractCmd(nil, nil, nil), versionCmd(nil))
	root.AddCommand(serviceCommands(nil, nil, nil)...)
	for _, c := range root.Commands() {
		if c.Example == "" {
			t.Errorf("%s has no Example", c.Name())
		}
	}
	r := runCLI(t, "", "render", "--help")
	r.mustCode(t, exitOK)
	if !strings.Contains(r.stdout, "Examples:") {
		t.Errorf("render --help shows no examples:\n%s", r.stdout)
	}
}
