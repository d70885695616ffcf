package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"
	"github.com/spf13/pflag"

	"github.com/hadath/hadath/internal/config"
)

// TestServeBuildRereadsConfig: a reload (every call after the first) reads
// the config file again; a broken file is an error and the caller keeps its
// pipeline.
func TestServeBuildRereadsConfig(t *testing.T) {
	isolateCache(t)
	cfg := filepath.Join(t.TempDir(), "hadath.yaml")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(cfg, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("stages: [normalize, sentences, gazetteer]\n")
	flags := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	var cfgFile string
	pipelineFlags(flags, &cfgFile)
	c, err := config.Load(cfg, flags)
	if err != nil {
		t.Fatal(err)
	}
	build := serveBuild(c, cfg, flags, zerolog.Nop())
	// the file changes before the first call: the first call uses c
	write("stages: [normalize, sentences]\n")
	p, err := build()
	if err != nil || len(p.Stages) != 3 {
		t.Fatalf("first build: %v, %d stages", err, len(p.Stages))
	}
	if p, err = build(); err != nil || len(p.Stages) != 2 {
		t.Fatalf("reload: %v, %d stages, want 2", err, len(p.Stages))
	}
	write("stages: [normalize, nowhere]\n")
	if _, err = build(); err == nil {
		t.Error("reload of a broken config: no error")
	}
}
