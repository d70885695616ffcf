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
