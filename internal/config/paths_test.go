package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestConfigPathsRelativeToFile(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "cfg")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(sub, "c.yaml")
	if err := os.WriteFile(file, []byte("gazetteers: [places.yaml]\nrules: [more/r.yaml]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(file, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Gazetteers[0] != filepath.Join(sub, "places.yaml") || c.Rules[0] != filepath.Join(sub, "more", "r.yaml") {
		t.Errorf("paths not resolved against the config folder: %v %v", c.Gazetteers, c.Rules)
	}
}

func TestConfigPathsOutsideRefused(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(file, []byte("gazetteers: [../../etc/passwd]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(file, nil)
	if err == nil || !strings.Contains(err.Error(), "outside the config file's folder") {
		t.Fatalf("want refusal, got %v", err)
	}
	if err := os.WriteFile(file, []byte("allow_outside_paths: true\ngazetteers: [../x.yaml]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(file, nil)
	if err != nil {
		t.Fatalf("allowed path refused: %v", err)
	}
	if c.Gazetteers[0] != filepath.Join(filepath.Dir(dir), "x.yaml") {
		t.Errorf("got %v", c.Gazetteers)
	}
}
