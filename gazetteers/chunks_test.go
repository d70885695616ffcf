package gazetteers

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hadath/hadath/internal/diag"
)

// withChunkBytes sets chunkBytes for one test.
func withChunkBytes(t testing.TB, n int) {
	old := chunkBytes
	chunkBytes = n
	t.Cleanup(func() { chunkBytes = old })
}

// sameAsWhole parses data in parts and whole and fails unless the parts
// were used (when want is true) and gave the same entries and errors.
func sameAsWhole(t testing.TB, name string, data []byte, want bool) {
	t.Helper()
	var errsC, errsW diag.ErrorList
	got, ok := parseChunked(name, data, &errsC)
	if ok != want {
		t.Fatalf("%s: parseChunked ok = %v, want %v", name, ok, want)
	}
	if !ok {
		if len(errsC) != 0 || got != nil {
			t.Fatalf("%s: parseChunked gave up but left %d entries and errors %v", name, len(got), errsC)
		}
		return
	}
	whole := parseWhole(name, data, &errsW)
	if !reflect.DeepEqual(got, whole) {
		for i := range min(len(got), len(whole)) {
			if !reflect.DeepEqual(got[i], whole[i]) {
				t.Fatalf("%s: entry %d differs:\nparts %+v\nwhole %+v", name, i, got[i], whole[i])
			}
		}
		t.Fatalf("%s: %d entries in parts, %d whole", name, len(got), len(whole))
	}
	if a, b := errsC.Error(), errsW.Error(); a != b {
		t.Fatalf("%s: errors differ:\nparts:\n%s\nwhole:\n%s", name, a, b)
	}
}

// TestChunkedDefaults parses every embedded gazetteer and every test
// gazetteer that can be cut, an entry to a part, and compares with the
// whole parse: entries, positions and error messages.
func TestChunkedDefaults(t *testing.T) {
	withChunkBytes(t, 1)
	files, err := filepath.Glob("*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no gazetteers: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sameAsWhole(t, f, data, true)
	}
	// the lint fixtures hold errors of every kind the entries can have;
	// syntax.yaml's error makes the parts give up
	for f, want := range map[string]bool{
		"testdata/lint/errors.yaml":   true,
		"testdata/lint/warnings.yaml": true,
		"testdata/lint/dup.yaml":      false, // one entry: one part
		"testdata/lint/syntax.yaml":   false,
		"testdata/broken.yaml":        true,
	} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sameAsWhole(t, f, data, want)
	}
}

// TestChunkedLayouts gives parseChunked layouts it must cut, and ones it
// must leave to the whole parse.
func TestChunkedLayouts(t *testing.T) {
	withChunkBytes(t, 1)
	item := func(id string) string {
		return "  - id: " + id + "\n    type: place\n    names: {en: [" + id + "]}\n"
	}
	three := item("a") + item("b") + item("c")
	for _, c := range []struct {
		name, data string
		want       bool
	}{
		{"plain", "entries:\n" + three, true},
		{"header comments", "# a\n\n# b\nentries:   # the list\n" + three, true},
		{"comments between", "entries:\n" + item("a") + "# c0\n  # c2\n\n" + item("b"), true},
		{"no final newline", "entries:\n" + strings.TrimSuffix(three, "\n"), true},
		{"CRLF", strings.ReplaceAll("entries:\n"+three, "\n", "\r\n"), true},
		{"column 0", "entries:\n- {id: a, type: place, names: {en: [a]}}\n- {id: b, type: place, names: {en: [b]}}\n", true},
		{"errors keep their lines", "entries:\n" + item("a") + "  - id: b\n    type: palace\n    names: {en: [b]}\n  - id: c\n    names: {xx1: [c]}\n", true},
		{"block scalar", "entries:\n  - id: a\n    type: place\n    names:\n      en:\n        - |\n          x\n          y\n" + item("b"), true},
		{"anchor within an item", "entries:\n  - &e {id: a, type: place, names: {en: [a]}}\n" + item("b"), true},
		{"alias across items", "entries:\n  - id: a\n    type: &t place\n    names: {en: [a]}\n  - id: b\n    type: *t\n    names: {en: [b]}\n", false},
		{"quoted scalar across a cut", "entries:\n  - id: a\n    type: place\n    names: {en: [\"x\n  - y\"]}\n" + item("b"), false},
		{"flow list across a cut", "entries:\n  - id: a\n    type: place\n    names: {en: [x,\n  - y]}\n" + item("b"), false},
		{"another key", "entries:\n" + three + "other: 1\n", false},
		{"no comment without a space", "entries:#x\n" + three, false},
		{"CR alone", "entries:\n  - \r- {id: x}\n" + three, false},
		{"line separator", "entries:\n  - {id: a, type: place, names: {en: [a]}}\u2028x: 1\n" + three, false},
		{"key before", "other: 1\nentries:\n" + three, false},
		{"flow entries", "entries: [{id: a, type: place, names: {en: [a]}}, {id: b, type: place, names: {en: [b]}}]\n", false},
		{"document marker", "---\nentries:\n" + three, false},
		{"two documents", "entries:\n" + three + "---\nentries:\n" + three, false},
		{"tab", "entries:\n\t- {id: a}\n" + three, false},
		{"less indented item", "entries:\n" + three + " - id: d\n", false},
		{"empty list", "entries:\n# nothing\n", false},
		{"byte-order mark", "\ufeffentries:\n" + three, false},
		{"not a list", "entries:\n  a: 1\n  b: 2\n", false},
		{"syntax error", "entries:\n" + item("a") + "  - id: [b\n" + item("c"), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			sameAsWhole(t, c.name, []byte(c.data), c.want)
		})
	}
}

// TestChunkedSmallFileWhole: a file of less than two parts is parsed
// whole.
func TestChunkedSmallFileWhole(t *testing.T) {
	withChunkBytes(t, 1<<20)
	var errs diag.ErrorList
	if _, ok := parseChunked("a.yaml", []byte("entries:\n  - {id: a, type: place, names: {en: [a]}}\n  - {id: b, type: place, names: {en: [b]}}\n"), &errs); ok {
		t.Fatal("a small file was cut")
	}
}

// TestChunkedThroughLoad checks that Load, which cuts a large file, gives
// the duplicate-id and parent errors that need every part's entries.
func TestChunkedThroughLoad(t *testing.T) {
	withChunkBytes(t, 64)
	data := "entries:\n" +
		"  - {id: a, type: place, names: {en: [a]}}\n" +
		"  - {id: b, type: place, parent: zz, names: {en: [b]}}\n" +
		"  - {id: a, type: place, names: {en: [c]}}\n"
	_, errs := Load([]Source{{Name: "g.yaml", Data: []byte(data)}})
	got := errs.Error()
	for _, want := range []string{
		`g.yaml:3:5: entry "b": parent "zz" does not exist`,
		`g.yaml:4:5: duplicate id "a" (first defined at g.yaml:2:5)`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in:\n%s", want, got)
		}
	}
}

// FuzzChunked: whenever parseChunked cuts a file, it gives what the whole
// parse gives.
func FuzzChunked(f *testing.F) {
	for _, s := range []string{
		"entries:\n  - {id: a, type: place, names: {en: [a]}}\n  - {id: b, type: place, names: {en: [b]}}\n",
		"entries:\n  - id: a\n    type: &t place\n    names: {en: [\"x\n  - y\"]}\n  - id: b\n    type: *t\n",
		"entries:\n- id: a\n  type: organization\n  lat: 3\n- |\n  x\n- [1, 2]\n",
	} {
		f.Add([]byte(s))
	}
	if data, err := os.ReadFile("testdata/lint/errors.yaml"); err == nil {
		f.Add(data)
	}
	withChunkBytes(f, 1)
	f.Fuzz(func(t *testing.T, data []byte) {
		var errs diag.ErrorList
		if _, ok := parseChunked("f.yaml", data, &errs); ok {
			sameAsWhole(t, "f.yaml", data, true)
		}
	})
}
