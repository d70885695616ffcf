package rules

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzLoadUserRules loads arbitrary bytes as a user rules file: never a
// panic, and any problem is reported with the file's name.
func FuzzLoadUserRules(f *testing.F) {
	f.Add([]byte("rules:\n  - id: x\n    type: ceasefire\n    lang: ar\n    triggers: [هدنة]\n"))
	f.Add([]byte("cues:\n  before:\n    proposed: {ar: [دعا]}\n"))
	f.Add([]byte("qualifiers: [{value: east, before: [شرق]}]\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("organizations:\n  stop_words: {ar: [الذي]}\n  designators:\n    - {id: x, kind: other, lang: ar, words: [بنك], names: [quoted, place]}\n"))
	f.Add([]byte("organizations:\n  designators: [{id: 1, words: 2}, 3, [4]]\n"))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "u.yaml")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		set, errs := Load([]string{p})
		if set == nil {
			t.Fatal("nil set")
		}
		for _, e := range errs {
			if e.Pos.Filename == "" {
				t.Fatalf("error without a file: %v", e)
			}
		}
	})
}
