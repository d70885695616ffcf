package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hadath/hadath/internal/output"
	"github.com/hadath/hadath/pipeline"
)

const seedPath = "../../testdata/seed-aleppo-2016-12-07.txt"

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return result{code, out.String(), errb.String()}
}

// mustCode fails the test unless the run exited with want.
func (r result) mustCode(t *testing.T, want int) {
	t.Helper()
	if r.code != want {
		t.Fatalf("exit code %d, want %d\nstderr:\n%s\nstdout (%d bytes):\n%.2000s", r.code, want, r.stderr, len(r.stdout), r.stdout)
	}
}

// jsonLines splits output into lines, checking each is one JSON value.
func jsonLines(t *testing.T, s string) []string {
	t.Helper()
	if s == "" {
		return nil
	}
	if !strings.HasSuffix(s, "\n") {
		t.Fatalf("output does not end with a newline")
	}
	ls := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range ls {
		if !json.Valid([]byte(l)) {
			t.Fatalf("line %d is not valid JSON: %.300s", i+1, l)
		}
	}
	return ls
}

func records(t *testing.T, s string) []output.Record {
	t.Helper()
	var recs []output.Record
	for i, l := range jsonLines(t, s) {
		var r output.Record
		dec := json.NewDecoder(strings.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("line %d: %v: %.300s", i+1, err, l)
		}
		recs = append(recs, r)
	}
	return recs
}

// checkSpan checks that text[start:end], in code points, is want.
func checkSpan(t *testing.T, where string, texts map[string]string, field string, start, end int, want string) {
	t.Helper()
	if field == "" {
		field = "text"
	}
	text, ok := texts[field]
	if !ok {
		t.Errorf("%s: unknown field %q", where, field)
		return
	}
	r := []rune(text)
	if start < 0 || end > len(r) || start > end {
		t.Errorf("%s: offsets [%d,%d) out of range for %s of %d code points (%q)", where, start, end, field, len(r), want)
		return
	}
	if got := string(r[start:end]); got != want {
		t.Errorf("%s: %s[%d:%d] = %q, want %q", where, field, start, end, got, want)
	}
}

// checkOffsets checks every span of a record against the document texts,
// returning how many spans it checked.
func checkOffsets(t *testing.T, rec output.Record, texts map[string]string) int {
	t.Helper()
	n := 0
	for _, e := range rec.Entities {
		checkSpan(t, rec.ID+" entity "+e.ID, texts, e.Field, e.Start, e.End, e.Text)
		n++
	}
	for _, d := range rec.Dates {
		checkSpan(t, rec.ID+" date "+d.Value, texts, d.Field, d.Start, d.End, d.Text)
		n++
	}
	for _, q := range rec.Quantities {
		checkSpan(t, fmt.Sprintf("%s quantity %v", rec.ID, q.Value), texts, q.Field, q.Start, q.End, q.Text)
		n++
	}
	for _, ev := range rec.Events {
		where := rec.ID + " event " + ev.ID
		field := ev.Field
		if ev.Trigger.Field != "" {
			field = ev.Trigger.Field
		}
		checkSpan(t, where+" trigger", texts, field, ev.Trigger.Start, ev.Trigger.End, ev.Trigger.Text)
		n++
		if c := ev.StatusCue; c != nil {
			f := c.Field
			if f == "" {
				f = ev.Field
			}
			checkSpan(t, where+" status cue", texts, f, c.Start, c.End, c.Text)
		}
		for _, a := range ev.Actors {
			checkSpan(t, where+" actor "+a.Role, texts, ev.Field, a.Start, a.End, a.Text)
		}
		for _, q := range ev.Quantities {
			checkSpan(t, where+" quantity "+q.Role, texts, ev.Field, q.Start, q.End, q.Text)
		}
		for name, e := range map[string]*pipeline.Entity{"location": ev.Location, "origin": ev.Origin, "destination": ev.Destination} {
			if e != nil {
				f := e.Field
				if f == "" {
					f = ev.Field
				}
				checkSpan(t, where+" "+name, texts, f, e.Start, e.End, e.Text)
			}
		}
		if d := ev.Date; d != nil && d.Start != nil && d.End != nil {
			checkSpan(t, where+" date", texts, ev.Field, *d.Start, *d.End, d.Text)
		}
	}
	return n
}

func TestSeed(t *testing.T) {
	raw, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.TrimPrefix(string(raw), "\uFEFF")
	r := runCLI(t, "", "extract", seedPath, "--doc-date", "2016-12-07")
	r.mustCode(t, exitOK)
	recs := records(t, r.stdout)
	if len(recs) != 1 {
		t.Fatalf("got %d lines, want 1", len(recs))
	}
	rec := recs[0]
	if rec.ID != seedPath || rec.Date != "2016-12-07" || len(rec.Errors) != 0 {
		t.Errorf("record id %q date %q errors %+v", rec.ID, rec.Date, rec.Errors)
	}
	if len(rec.Entities) == 0 || len(rec.Events) == 0 {
		t.Errorf("seed gave %d entities and %d events", len(rec.Entities), len(rec.Events))
	}
	if len(rec.Dates) == 0 || len(rec.Quantities) == 0 {
		t.Errorf("seed gave %d dates and %d quantities", len(rec.Dates), len(rec.Quantities))
	}
	checkOffsets(t, rec, map[string]string{"text": text})
	// the article's own date (Wednesday 7 December) is found
	found := false
	for _, d := range rec.Dates {
		if d.Value == "2016-12-07" {
			found = true
		}
	}
	if !found {
		t.Errorf("no date 2016-12-07 among %+v", rec.Dates)
	}
}

var sentences = []string{
	"دعا مقاتلو المعارضة في شرق حلب إلى هدنة لمدة 5 أيام",
	"Rebels in eastern Aleppo called for a five-day truce on Wednesday.",
	"قتل 12 مدنيا في غارات جوية على ريف حلب الشمالي يوم الثلاثاء.",
	"The United Nations said more than 50,000 people fled eastern Aleppo since 26 November.",
	"أعلنت الأمم المتحدة إجلاء أكثر من 3000 شخص من شرق حلب أمس.",
	"Syrian government forces captured the Old City of Aleppo on 7 December 2016.",
	"وقالت وكالة الأنباء الألمانية إن الجيش السوري سيطر على حلب القديمة.",
	"At least 20 people were killed in air strikes on Idlib, activists said.",
	"وصل نحو ٢٠٠ نازح إلى إدلب في ٨ كانون الأول/ديسمبر.",
	"Russia and Turkey brokered a ceasefire in Aleppo on Tuesday night 🇸🇾.",
	"حَلَب: قُتِلَ ثلاثة أشخاص في قصف على حـلـب الشرقية.",
	"Evacuation of civilians from eastern Aleppo began on 15 December.",
}

// corpus writes ~30 small documents mixing Arabic and English and returns
// the path and each document's texts by id.
func corpus(t *testing.T) (string, map[string]map[string]string) {
	t.Helper()
	texts := map[string]map[string]string{}
	var b bytes.Buffer
	for i := range 30 {
		doc := map[string]any{"id": fmt.Sprintf("doc-%02d", i)}
		text := sentences[i%len(sentences)] + " " + sentences[(i*5+3)%len(sentences)]
		if i%4 == 1 {
			text += "\n\n" + sentences[(i+7)%len(sentences)]
		}
		doc["text"] = text
		texts[doc["id"].(string)] = map[string]string{"text": text}
		if i%3 == 0 {
			title := sentences[(i+1)%len(sentences)]
			doc["title"] = title
			texts[doc["id"].(string)]["title"] = title
		}
		if i%2 == 0 {
			doc["date"] = fmt.Sprintf("2016-12-%02d", 1+i%28)
		}
		if i%5 == 0 {
			doc["outlet"] = "rt"
		}
		line, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	p := filepath.Join(t.TempDir(), "corpus.jsonl")
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p, texts
}

func TestWorkersSameOutput(t *testing.T) {
	p, texts := corpus(t)
	var outs []string
	for _, w := range []string{"1", "4"} {
		r := runCLI(t, "", "extract", p, "--doc-date", "2016-12-07", "--workers", w)
		r.mustCode(t, exitOK)
		outs = append(outs, r.stdout)
	}
	if outs[0] != outs[1] {
		t.Fatalf("output differs between --workers 1 and --workers 4")
	}
	recs := records(t, outs[0])
	if len(recs) != 30 {
		t.Fatalf("got %d records, want 30", len(recs))
	}
	spans := 0
	for i, rec := range recs {
		if want := fmt.Sprintf("doc-%02d", i); rec.ID != want {
			t.Errorf("record %d id %q, want %q", i, rec.ID, want)
		}
		if rec.Source != fmt.Sprintf("%s:%d", p, i+1) {
			t.Errorf("record %d source %q", i, rec.Source)
		}
		if i%2 == 1 && rec.Date != "2016-12-07" {
			t.Errorf("record %d date %q, want the --doc-date fallback", i, rec.Date)
		}
		if i%5 == 0 && string(rec.Meta["outlet"]) != `"rt"` {
			t.Errorf("record %d meta %v", i, rec.Meta)
		}
		spans += checkOffsets(t, rec, texts[rec.ID])
	}
	if spans == 0 {
		t.Error("no spans found in the corpus")
	}
}

func TestMalformedLine(t *testing.T) {
	in := `{"id":"a","text":"Rebels in eastern Aleppo called for a five-day truce on Wednesday."}` + "\n" +
		`{"id":"b","text":"broken` + "\n" +
		`{"id":"c","title":"no text"}` + "\n" +
		`{"id":"d","text":"دعا مقاتلو المعارضة في شرق حلب إلى هدنة لمدة 5 أيام"}` + "\n"
	p := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(p, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "extract", "--doc-date", "2016-12-07", p)
	r.mustCode(t, exitDocFailures)
	recs := records(t, r.stdout)
	if len(recs) != 4 {
		t.Fatalf("got %d records, want 4", len(recs))
	}
	want := []struct {
		id   string
		errs int
		msg  string
	}{{"a", 0, ""}, {p + ":2", 1, p + ":2: malformed JSON"}, {"c", 1, `missing field "text"`}, {"d", 0, ""}}
	for i, w := range want {
		rec := recs[i]
		if rec.ID != w.id || len(rec.Errors) != w.errs {
			t.Errorf("record %d: id %q errors %+v, want %q with %d errors", i, rec.ID, rec.Errors, w.id, w.errs)
			continue
		}
		if w.errs > 0 && (rec.Errors[0].Stage != "input" || !strings.Contains(rec.Errors[0].Message, w.msg)) {
			t.Errorf("record %d error %+v, want input error with %q", i, rec.Errors[0], w.msg)
		}
	}
	if len(recs[3].Entities) == 0 {
		t.Errorf("document after the bad lines was not processed: %+v", recs[3])
	}
}

func TestGazetteerUnknownKey(t *testing.T) {
	gz := filepath.Join("testdata", "gazetteer-unknown-key.yaml")
	r := runCLI(t, "", "extract", "--gazetteer", gz, seedPath)
	r.mustCode(t, exitUsage)
	if r.stdout != "" {
		t.Errorf("stdout not empty: %.300s", r.stdout)
	}
	if !strings.Contains(r.stderr, gz+":5:5") || !strings.Contains(r.stderr, "colour") {
		t.Errorf("stderr does not give %s:5:5 and the key:\n%s", gz, r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(cfg, []byte("workers: 2\nemitt: events\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	missingDir := filepath.Join(t.TempDir(), "no", "such", "dir", "out.jsonl")
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown flag", []string{"extract", "--frobnicate", seedPath}, "frobnicate"},
		{"unknown command", []string{"frobnicate"}, "frobnicate"},
		{"invalid emit", []string{"extract", "--emit", "entities", seedPath}, "emit must be documents or events"},
		{"invalid workers", []string{"extract", "--workers", "-2", seedPath}, "workers"},
		{"invalid doc date", []string{"extract", "--doc-date", "7 Dec 2016", seedPath}, "doc_date"},
		{"config unknown key", []string{"extract", "--config", cfg, seedPath}, cfg + ":2:1: unknown key"},
		{"missing config", []string{"extract", "--config", cfg + ".missing", seedPath}, "c.yaml.missing"},
		{"missing gazetteer", []string{"extract", "--gazetteer", "testdata/none.yaml", seedPath}, "none.yaml"},
		{"output directory missing", []string{"extract", "-o", missingDir, seedPath}, "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "", tc.args...)
			r.mustCode(t, exitUsage)
			if r.stdout != "" {
				t.Errorf("stdout not empty: %.300s", r.stdout)
			}
			if !strings.Contains(r.stderr, tc.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", tc.stderr, r.stderr)
			}
		})
	}
}

func TestEmitEvents(t *testing.T) {
	p, _ := corpus(t)
	docs := runCLI(t, "", "extract", p, "--doc-date", "2016-12-07")
	docs.mustCode(t, exitOK)
	want := map[string]int{}
	total := 0
	for _, rec := range records(t, docs.stdout) {
		want[rec.ID] = len(rec.Events)
		total += len(rec.Events)
	}
	if total == 0 {
		t.Fatal("the corpus has no events")
	}

	r := runCLI(t, "", "extract", p, "--doc-date", "2016-12-07", "--emit", "events")
	r.mustCode(t, exitOK)
	ls := jsonLines(t, r.stdout)
	if len(ls) != total {
		t.Errorf("got %d event lines, want %d", len(ls), total)
	}
	got := map[string]int{}
	for _, l := range ls {
		var ev map[string]any
		if err := json.Unmarshal([]byte(l), &ev); err != nil {
			t.Fatal(err)
		}
		id, _ := ev["doc_id"].(string)
		typ, _ := ev["type"].(string)
		if id == "" || typ == "" {
			t.Errorf("event line without doc_id or type: %.300s", l)
		}
		got[id]++
	}
	for id, n := range want {
		if got[id] != n {
			t.Errorf("%s: %d event lines, want %d", id, got[id], n)
		}
	}
}

func TestOutputFile(t *testing.T) {
	in := filepath.Join(t.TempDir(), "in.jsonl")
	data := `{"id":"a","text":"Rebels in eastern Aleppo called for a five-day truce on Wednesday."}` + "\n" +
		"{bad\n"
	if err := os.WriteFile(in, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		input string
		code  int
		lines int
	}{
		{"seed", seedPath, exitOK, 1},
		{"with a failure", in, exitDocFailures, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "out.jsonl")
			stats := filepath.Join(t.TempDir(), "stats.json")
			r := runCLI(t, "", "extract", "--doc-date", "2016-12-07", "-o", out, "--stats", stats, tc.input)
			r.mustCode(t, tc.code)
			if r.stdout != "" {
				t.Errorf("stdout not empty with -o: %.300s", r.stdout)
			}
			b, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if n := len(jsonLines(t, string(b))); n != tc.lines {
				t.Errorf("file has %d lines, want %d", n, tc.lines)
			}
			ents, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(ents) != 1 || ents[0].Name() != "out.jsonl" {
				var names []string
				for _, e := range ents {
					names = append(names, e.Name())
				}
				t.Errorf("output directory holds %q, want only out.jsonl", names)
			}
			sb, err := os.ReadFile(stats)
			if err != nil {
				t.Fatal(err)
			}
			var st struct{ Read, Written, Failed int }
			if err := json.Unmarshal(sb, &st); err != nil {
				t.Fatal(err)
			}
			if st.Read != tc.lines || st.Written != tc.lines || st.Failed != tc.lines-1 {
				t.Errorf("stats = %+v", st)
			}
		})
	}

	// -o replaces an existing file and "-o -" means stdout
	dir := t.TempDir()
	out := filepath.Join(dir, "out.jsonl")
	if err := os.WriteFile(out, []byte("old content\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "extract", "--doc-date", "2016-12-07", "-o", out, seedPath)
	r.mustCode(t, exitOK)
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "old content") || len(records(t, string(b))) != 1 {
		t.Errorf("existing file not replaced: %.200s", b)
	}
	r2 := runCLI(t, "", "extract", "--doc-date", "2016-12-07", "-o", "-", seedPath)
	r2.mustCode(t, exitOK)
	if r2.stdout != string(b) {
		t.Errorf("-o - differs from -o FILE")
	}
}

func TestVersion(t *testing.T) {
	r := runCLI(t, "", "version")
	r.mustCode(t, exitOK)
	if !strings.HasPrefix(r.stdout, "hadath ") || strings.Count(r.stdout, "\n") != 1 {
		t.Errorf("version output %q", r.stdout)
	}
	if r := runCLI(t, "", "version", "extra"); r.code != exitUsage {
		t.Errorf("version with an argument: exit %d", r.code)
	}
}

func TestStdin(t *testing.T) {
	jsonl := `{"id":"s1","text":"Rebels in eastern Aleppo called for a five-day truce on Wednesday."}` + "\n" +
		`{"id":"s2","text":"دعا مقاتلو المعارضة في شرق حلب إلى هدنة لمدة 5 أيام"}` + "\n"
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	if _, err := zw.Write([]byte(jsonl)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		ids   []string
	}{
		{"jsonl, no path", jsonl, nil, []string{"s1", "s2"}},
		{"jsonl, dash", jsonl, []string{"-"}, []string{"s1", "s2"}},
		{"gzip jsonl", gz.String(), nil, []string{"s1", "s2"}},
		{"text", string(seed), nil, []string{"-"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"extract", "--doc-date", "2016-12-07"}, tc.args...)
			r := runCLI(t, tc.stdin, args...)
			r.mustCode(t, exitOK)
			recs := records(t, r.stdout)
			if len(recs) != len(tc.ids) {
				t.Fatalf("got %d records, want %d", len(recs), len(tc.ids))
			}
			for i, rec := range recs {
				if rec.ID != tc.ids[i] || len(rec.Entities) == 0 {
					t.Errorf("record %d: id %q, %d entities", i, rec.ID, len(rec.Entities))
				}
			}
		})
	}
}

func TestStdinSameAsFile(t *testing.T) {
	seed, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	a := runCLI(t, "", "extract", "--doc-date", "2016-12-07", seedPath)
	b := runCLI(t, string(seed), "extract", "--doc-date", "2016-12-07")
	a.mustCode(t, exitOK)
	b.mustCode(t, exitOK)
	ra, rb := records(t, a.stdout), records(t, b.stdout)
	ja, err := json.Marshal(ra[0].Entities)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(rb[0].Entities)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(ja, jb) {
		t.Errorf("entities differ between file and stdin")
	}
}

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) {
	return 0, fmt.Errorf("write /dev/stdout: no space left on device")
}

func TestStdoutWriteError(t *testing.T) {
	dir := t.TempDir()
	// one document whose record alone overflows the output buffer
	big, err := json.Marshal(map[string]string{"id": "big", "text": strings.Repeat("Rebels in eastern Aleppo. ", 20000)})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "big.jsonl"), append(big, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	var errb bytes.Buffer
	code := run([]string{"extract", "--doc-date", "2016-12-07", filepath.Join(dir, "big.jsonl")}, strings.NewReader(""), failingWriter{}, &errb)
	if code != exitUsage {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, exitUsage, errb.String())
	}
	if !strings.Contains(errb.String(), "no space left") {
		t.Errorf("stderr does not report the write error:\n%s", errb.String())
	}
}

func TestOutputFileMode(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "fresh.jsonl")
	kept := filepath.Join(dir, "kept.jsonl")
	if err := os.WriteFile(kept, []byte("old\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(kept, 0o640); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want os.FileMode
	}{{fresh, 0o644}, {kept, 0o640}} {
		r := runCLI(t, "", "extract", "--doc-date", "2016-12-07", "-o", tc.path, seedPath)
		r.mustCode(t, exitOK)
		st, err := os.Stat(tc.path)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != tc.want {
			t.Errorf("%s: mode %v, want %v", filepath.Base(tc.path), st.Mode().Perm(), tc.want)
		}
	}
}

// TestCPUProfile checks that --cpuprofile writes a gzipped pprof profile
// and does not change the output, and that an unwritable path is a usage
// error.
func TestCPUProfile(t *testing.T) {
	prof := filepath.Join(t.TempDir(), "cpu.pprof")
	with := runCLI(t, "", "extract", "--workers", "1", "--cpuprofile", prof, seedPath)
	with.mustCode(t, exitOK)
	without := runCLI(t, "", "extract", "--workers", "1", seedPath)
	without.mustCode(t, exitOK)
	if with.stdout != without.stdout {
		t.Fatal("--cpuprofile changed the output")
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Fatalf("profile is not gzipped pprof data (%d bytes)", len(b))
	}
	bad := runCLI(t, "", "extract", "--cpuprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "cpu.pprof"), seedPath)
	bad.mustCode(t, exitUsage)
	if !strings.Contains(bad.stderr, "--cpuprofile") {
		t.Fatalf("stderr does not name the flag:\n%s", bad.stderr)
	}
}
