package app_test

import (
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

// documentedKeys reads the key column of each table in docs/SCHEMA.md,
// section by section ("## Entity" -> entity keys).
func documentedKeys(t *testing.T) map[string]map[string]bool {
	t.Helper()
	b, err := os.ReadFile("../../docs/SCHEMA.md")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]map[string]bool{}
	section := ""
	tick := regexp.MustCompile("`([a-z_0-9]+)`")
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			section = strings.ToLower(strings.TrimPrefix(line, "## "))
			out[section] = map[string]bool{}
			continue
		}
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.SplitN(line[1:], "|", 2)[0]
		for _, m := range tick.FindAllStringSubmatch(first, -1) {
			out[section][m[1]] = true
		}
	}
	return out
}

// TestOutputFollowsSchema checks every key of the seed output against the
// documented schema, and that the main keys are present.
func TestOutputFollowsSchema(t *testing.T) {
	_, line := processSeed(t)
	var rec map[string]any
	if err := json.Unmarshal(line, &rec); err != nil {
		t.Fatal(err)
	}
	doc := documentedKeys(t)
	check := func(section string, obj map[string]any) {
		keys := doc[section]
		if keys == nil {
			t.Fatalf("no section %q in docs/SCHEMA.md", section)
		}
		for k := range obj {
			if !keys[k] {
				t.Errorf("%s key %q is not documented in docs/SCHEMA.md", section, k)
			}
		}
	}
	for _, k := range []string{"id", "entities", "dates", "quantities", "events", "errors"} {
		if _, ok := rec[k]; !ok {
			t.Errorf("record lacks %q", k)
		}
	}
	check("document record", rec)
	for _, e := range rec["entities"].([]any) {
		check("entity", e.(map[string]any))
	}
	for _, e := range rec["dates"].([]any) {
		check("date", e.(map[string]any))
	}
	for _, e := range rec["quantities"].([]any) {
		check("quantity", e.(map[string]any))
	}
	evs := rec["events"].([]any)
	if len(evs) == 0 {
		t.Fatal("no events")
	}
	for _, e := range evs {
		ev := e.(map[string]any)
		check("event", ev)
		for _, k := range []string{"id", "type", "status", "trigger", "actors", "quantities", "codes", "confidence", "rule"} {
			if _, ok := ev[k]; !ok {
				t.Errorf("event lacks %q", k)
			}
		}
		for _, k := range []string{"location", "origin", "destination"} {
			if loc, ok := ev[k].(map[string]any); ok {
				check("entity", loc)
			}
		}
	}
}
