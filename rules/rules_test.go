package rules

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDefaultsLoad(t *testing.T) {
	set, errs := Load(nil)
	if err := errs.Err(); err != nil {
		t.Fatalf("defaults do not load:\n%v", err)
	}
	types := map[string]bool{}
	for _, r := range set.Events.Rules {
		types[r.Type] = true
	}
	for _, ty := range EventTypes {
		if !types[ty] {
			t.Errorf("no rule for event type %s", ty)
		}
	}
}

func TestUserFileErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "bad.yaml")
	src := "rules:\n  - id: x\n    type: ceasefire\n    lang: ar\n    triggerz: [هدنة]\n    triggers: [هدنة]\n  - id: y\n    type: party\n    lang: ar\n    triggers: [حفلة]\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs := Load([]string{p})
	got := errs.Error()
	if !strings.Contains(got, p+":5:5: unknown key \"triggerz\"") {
		t.Errorf("missing positioned unknown-key error, got:\n%s", got)
	}
	// the file had a key error, so its rules were not merged; fix the key
	src = strings.Replace(src, "    triggerz: [هدنة]\n", "", 1)
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errs = Load([]string{p})
	if !strings.Contains(errs.Error(), `rule "y": unknown event type "party"`) {
		t.Errorf("missing type error, got:\n%s", errs.Error())
	}
}
