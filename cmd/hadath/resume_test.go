package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResume kills nothing but simulates a killed run: an output file with
// one complete record and a half-written line. --resume keeps the complete
// line, drops the partial one, and processes only the missing documents.
func TestResume(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	docs := `{"id":"a","text":"قصف على حلب"}
{"id":"b","text":"Clashes in Homs."}
{"id":"c","text":"نزح المدنيون من الرقة"}
`
	if err := os.WriteFile(in, []byte(docs), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(out, []byte("{\"id\":\"a\",\"entities\":[]}\n{\"id\":\"b\",\"entit"), 0o644); err != nil {
		t.Fatal(err)
	}
	stats := filepath.Join(dir, "stats.json")
	r := runCLI(t, "", "extract", "--resume", "-o", out, "--stats", stats, in)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	var ids []string
	for _, l := range lines {
		var rec struct{ ID string }
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("bad line %q: %v", l, err)
		}
		ids = append(ids, rec.ID)
	}
	if strings.Join(ids, ",") != "a,b,c" {
		t.Errorf("ids after resume: %v", ids)
	}
	if lines[0] != `{"id":"a","entities":[]}` {
		t.Errorf("the complete line was not kept: %q", lines[0])
	}
	sb, err := os.ReadFile(stats)
	if err != nil {
		t.Fatal(err)
	}
	var st struct{ Read, Written, Resumed int }
	if err := json.Unmarshal(sb, &st); err != nil {
		t.Fatal(err)
	}
	if st.Read != 3 || st.Written != 2 || st.Resumed != 1 {
		t.Errorf("stats %+v", st)
	}
	// --resume without -o is a usage error
	if r := runCLI(t, "", "extract", "--resume", in); r.code != 2 {
		t.Errorf("--resume without -o: exit %d", r.code)
	}
}

func TestDuplicateIDsFlagged(t *testing.T) {
	r := runCLI(t, "{\"id\":\"x\",\"text\":\"a\"}\n{\"id\":\"x\",\"text\":\"b\"}\n", "extract")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 || strings.Contains(lines[0], "duplicate id") || !strings.Contains(lines[1], "duplicate id") {
		t.Errorf("duplicate not flagged on the second record only:\n%s", r.stdout)
	}
}

// TestDuplicateIDKeepsAnalysis: a run recycles a document's tokens and
// entities once it is encoded, before its id is found to be a duplicate;
// the duplicate's record must still be the first's plus the note, also
// when the document had a note of its own (invalid UTF-8), at any worker
// count.
func TestDuplicateIDKeepsAnalysis(t *testing.T) {
	text := "Rebels withdrew from eastern Aleppo on Monday, and 12 civilians were evacuated to Idlib. "
	text = strings.Repeat(text, 8)
	var in strings.Builder
	line := func(id, extra, text string) {
		in.WriteString(`{"id":"` + id + `",` + extra + `"text":"` + text + "\"}\n")
	}
	// a document with a note of its own: invalid UTF-8 (a raw byte), an
	// unrecognized date
	for _, tx := range []string{text, text, text + "\xff", text + "\xff", text} {
		line("x", "", tx)
	}
	line("y", `"date":"someday",`, text)
	line("y", `"date":"someday",`, text)
	for _, workers := range []string{"1", "3"} {
		r := runCLI(t, in.String(), "extract", "--workers", workers, "--doc-date", "2016-12-07")
		if r.code != 0 {
			t.Fatalf("exit %d: %s", r.code, r.stderr)
		}
		lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
		if len(lines) != 7 {
			t.Fatalf("%d lines, want 7:\n%s", len(lines), r.stdout)
		}
		var recs []map[string]any
		for _, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("%v: %s", err, l)
			}
			recs = append(recs, m)
		}
		const dup = "duplicate id: an earlier document has the same id"
		for i, m := range recs {
			notes, _ := m["notes"].([]any)
			first := i == 0 || i == 5
			wantNotes := []int{0, 1, 2, 2, 1, 1, 2}[i] // the document's own, then the duplicate's
			if n := len(notes); n != wantNotes || first == (n > 0 && notes[n-1] == dup) {
				t.Errorf("workers %s, record %d: notes %v", workers, i, notes)
			}
			if ents, _ := m["entities"].([]any); len(ents) < 16 {
				t.Errorf("workers %s, record %d: %d entities", workers, i, len(ents))
			}
			if evs, _ := m["events"].([]any); len(evs) == 0 {
				t.Errorf("workers %s, record %d: no events", workers, i)
			}
		}
		// the records of one text are the same but for the note and source
		strip := func(m map[string]any) string {
			delete(m, "source")
			if ns, _ := m["notes"].([]any); len(ns) > 0 && ns[len(ns)-1] == dup {
				m["notes"] = ns[:len(ns)-1]
				if len(ns) == 1 {
					delete(m, "notes")
				}
			}
			j, _ := json.Marshal(m)
			return string(j)
		}
		var flat []string
		for _, m := range recs {
			flat = append(flat, strip(m))
		}
		for _, pair := range [][2]int{{0, 1}, {0, 4}, {2, 3}, {5, 6}} {
			if a, b := flat[pair[0]], flat[pair[1]]; a != b {
				t.Errorf("workers %s: record %d is not record %d with the note:\n%.300s\n%.300s", workers, pair[1], pair[0], a, b)
			}
		}
		if flat[0] == flat[2] {
			t.Errorf("workers %s: the record with invalid UTF-8 has no note of its own", workers)
		}
	}
}
