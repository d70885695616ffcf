package input

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hadath/hadath/pipeline"
)

// readAll runs r over paths and collects every item, failing the test if
// the reader does not close its channel in time.
func readAll(t *testing.T, r *Reader, paths ...string) []pipeline.Item {
	t.Helper()
	out := make(chan pipeline.Item)
	go r.Read(context.Background(), paths, out)
	var items []pipeline.Item
	timeout := time.After(30 * time.Second)
	for {
		select {
		case it, ok := <-out:
			if !ok {
				return items
			}
			items = append(items, it)
		case <-timeout:
			t.Fatalf("reader did not finish; got %d items so far", len(items))
			return nil
		}
	}
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func gzipBytes(t *testing.T, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// docOf returns the document of an item that must have been read cleanly.
func docOf(t *testing.T, it pipeline.Item) *pipeline.Document {
	t.Helper()
	if it.Err != nil {
		t.Fatalf("item %s: unexpected error: %v", it.Source, it.Err)
	}
	if it.Doc == nil {
		t.Fatalf("item %s: no document", it.Source)
	}
	return it.Doc
}

func wantErr(t *testing.T, it pipeline.Item, subs ...string) {
	t.Helper()
	if it.Err == nil {
		t.Fatalf("item %s: want an error containing %q, got document %+v", it.Source, subs, it.Doc)
	}
	for _, s := range subs {
		if !strings.Contains(it.Err.Error(), s) {
			t.Errorf("item %s: error %q does not contain %q", it.Source, it.Err, s)
		}
	}
}

func TestJSONLFixture(t *testing.T) {
	path := filepath.Join("testdata", "docs.jsonl")
	items := readAll(t, New(Options{}), path)
	if len(items) != 4 {
		t.Fatalf("got %d items, want 4 (blank line skipped): %+v", len(items), items)
	}

	d := docOf(t, items[0])
	if d.ID != "a1" || d.Title != "هدنة" || d.Lang != "ar" || d.URL != "https://example.org/a1" || d.Date != "2016-12-07" {
		t.Errorf("line 1 attributes wrong: %+v", d)
	}
	if !strings.HasPrefix(d.Text, "دعا مقاتلو") {
		t.Errorf("line 1 text = %q", d.Text)
	}
	if d.Source != path+":1" {
		t.Errorf("source = %q, want %q", d.Source, path+":1")
	}
	if !d.HasDate || !d.DocDate.Equal(time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("doc date = %v %v", d.DocDate, d.HasDate)
	}
	if len(d.Fields) != 2 || d.Fields[0].Name != "text" || d.Fields[0].Text != d.Text || d.Fields[1].Name != "title" || d.Fields[1].Text != "هدنة" {
		t.Errorf("fields wrong: %+v", d.Fields)
	}
	if len(d.Extra) != 2 {
		t.Errorf("extra = %v, want source_name and tags only", d.Extra)
	}
	if string(d.Extra["source_name"]) != `"rt"` || string(d.Extra["tags"]) != `["syria","aleppo"]` {
		t.Errorf("extra values = %s %s", d.Extra["source_name"], d.Extra["tags"])
	}
	for _, k := range []string{"id", "text", "title", "date", "lang", "url"} {
		if _, ok := d.Extra[k]; ok {
			t.Errorf("known field %q copied to Extra", k)
		}
	}

	wantErr(t, items[1], path+":2", "malformed JSON")
	if items[1].Source != path+":2" {
		t.Errorf("malformed line source = %q", items[1].Source)
	}
	if d := docOf(t, items[2]); d.ID != "a3" || d.Lang != "en" {
		t.Errorf("line after malformed one: %+v", d)
	}
	if d := docOf(t, items[3]); d.ID != path+":5" || d.Source != path+":5" || d.Extra != nil {
		t.Errorf("line 5 (after a blank line): id %q source %q extra %v", d.ID, d.Source, d.Extra)
	}
}

func TestJSONLLines(t *testing.T) {
	type check func(t *testing.T, items []pipeline.Item)
	tests := []struct {
		name   string
		data   string
		fields FieldMap
		check  check
	}{
		{
			name:   "field mapping",
			data:   `{"uid":"x-1","content":"Aleppo truce","headline":"H","date_extracted":"2015-07-21 02:18:06","language":"en","link":"http://l","text":"not the text"}` + "\n",
			fields: FieldMap{ID: "uid", Text: "content", Title: "headline", Date: "date_extracted", Lang: "language", URL: "link"},
			check: func(t *testing.T, items []pipeline.Item) {
				d := docOf(t, items[0])
				if d.ID != "x-1" || d.Text != "Aleppo truce" || d.Title != "H" || d.Lang != "en" || d.URL != "http://l" {
					t.Errorf("mapped attributes wrong: %+v", d)
				}
				if d.Date != "2015-07-21 02:18:06" || !d.HasDate || d.DocDate.Format("2006-01-02") != "2015-07-21" {
					t.Errorf("date = %q %v %v", d.Date, d.DocDate, d.HasDate)
				}
				if string(d.Extra["text"]) != `"not the text"` || len(d.Extra) != 1 {
					t.Errorf("unmapped field text should be kept in Extra: %v", d.Extra)
				}
			},
		},
		{
			name: "numeric ids",
			data: `{"id":12345,"text":"a"}` + "\n" + `{"id":9007199254740993,"text":"b"}` + "\n" + `{"id":{"x":1},"text":"c"}` + "\n",
			check: func(t *testing.T, items []pipeline.Item) {
				if d := docOf(t, items[0]); d.ID != "12345" {
					t.Errorf("id = %q", d.ID)
				}
				if d := docOf(t, items[1]); d.ID != "9007199254740993" {
					t.Errorf("large id lost precision: %q", d.ID)
				}
				wantErr(t, items[2], ":3", `"id"`, "not a string")
			},
		},
		{
			name: "missing text",
			data: `{"id":"ok","text":"a"}` + "\n" + `{"id":"m","title":"only a title"}` + "\n" + `{"id":"n","text":null}` + "\n",
			check: func(t *testing.T, items []pipeline.Item) {
				docOf(t, items[0])
				wantErr(t, items[1], "f.jsonl:2", `missing field "text"`)
				if items[1].Doc == nil || items[1].Doc.ID != "m" {
					t.Errorf("missing-text item should keep the id for the error record: %+v", items[1].Doc)
				}
				wantErr(t, items[2], "f.jsonl:3", `missing field "text"`)
			},
		},
		{
			name: "non-string text and title",
			data: `{"id":"a","text":5}` + "\n" + `{"id":"b","text":"ok","title":["x"]}` + "\n" + `{"id":"c","text":{"p":"x"}}` + "\n",
			check: func(t *testing.T, items []pipeline.Item) {
				wantErr(t, items[0], "f.jsonl:1", `field "text" is not a string`)
				wantErr(t, items[1], "f.jsonl:2", `field "title" is not a string`)
				wantErr(t, items[2], "f.jsonl:3", `field "text" is not a string`)
			},
		},
		{
			name: "malformed lines keep order",
			data: "{\"id\":\"1\",\"text\":\"a\"}\n{not json}\n[1,2]\n\"str\"\n{\"id\":\"2\",\"text\":\"b\"}\n{\"id\":\"3\",\"text\":\"c\"",
			check: func(t *testing.T, items []pipeline.Item) {
				if len(items) != 6 {
					t.Fatalf("got %d items, want 6", len(items))
				}
				if docOf(t, items[0]).ID != "1" || docOf(t, items[4]).ID != "2" {
					t.Errorf("valid lines out of order")
				}
				for i, n := range []int{2, 3, 4} {
					wantErr(t, items[1+i], fmt.Sprintf("f.jsonl:%d", n), "malformed JSON")
				}
				wantErr(t, items[5], "f.jsonl:6", "malformed JSON")
			},
		},
		{
			name: "blank lines and CRLF",
			data: "\n\n  \t\n{\"id\":\"1\",\"text\":\"a\"}\r\n\r\n{\"id\":\"2\",\"text\":\"b\"}\r\n\n",
			check: func(t *testing.T, items []pipeline.Item) {
				if len(items) != 2 {
					t.Fatalf("got %d items, want 2", len(items))
				}
				if d := docOf(t, items[0]); d.ID != "1" || d.Text != "a" || !strings.HasSuffix(d.Source, "f.jsonl:4") {
					t.Errorf("first doc: id %q text %q source %q", d.ID, d.Text, d.Source)
				}
				if d := docOf(t, items[1]); d.ID != "2" || !strings.HasSuffix(d.Source, "f.jsonl:6") {
					t.Errorf("second doc: id %q source %q", d.ID, d.Source)
				}
			},
		},
		{
			name: "empty file",
			data: "",
			check: func(t *testing.T, items []pipeline.Item) {
				if len(items) != 0 {
					t.Errorf("empty file gave %d items", len(items))
				}
			},
		},
		{
			name: "invalid UTF-8 replaced",
			data: "{\"id\":\"u\",\"text\":\"abc\xff\xfedef \xd8\"}\n{\"id\":\"v\",\"text\":\"clean\"}\n",
			check: func(t *testing.T, items []pipeline.Item) {
				d := docOf(t, items[0])
				if d.Text != "abc\uFFFDdef \uFFFD" {
					t.Errorf("text = %q", d.Text)
				}
				if len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "U+FFFD") {
					t.Errorf("notes = %q", d.Notes)
				}
				if d := docOf(t, items[1]); len(d.Notes) != 0 {
					t.Errorf("clean line got notes %q", d.Notes)
				}
			},
		},
		{
			name: "NUL kept",
			data: `{"id":"z","text":"a\u0000b حلب"}` + "\n",
			check: func(t *testing.T, items []pipeline.Item) {
				d := docOf(t, items[0])
				if d.Text != "a\x00b حلب" || d.Fields[0].Text != d.Text {
					t.Errorf("text = %q", d.Text)
				}
			},
		},
		{
			name: "null optional fields are not extra",
			data: `{"id":"n","text":"a","title":null,"date":null,"keep":null}` + "\n",
			check: func(t *testing.T, items []pipeline.Item) {
				d := docOf(t, items[0])
				if _, ok := d.Extra["title"]; ok {
					t.Errorf("null title copied to Extra: %v", d.Extra)
				}
				if _, ok := d.Extra["date"]; ok {
					t.Errorf("null date copied to Extra: %v", d.Extra)
				}
				if string(d.Extra["keep"]) != "null" {
					t.Errorf("unknown null field should be kept: %v", d.Extra)
				}
				if len(d.Fields) != 1 {
					t.Errorf("null title made a field: %+v", d.Fields)
				}
			},
		},
		{
			name: "byte order mark",
			data: "\uFEFF{\"id\":\"bom\",\"text\":\"a\"}\n{\"id\":\"2\",\"text\":\"b\"}\n",
			check: func(t *testing.T, items []pipeline.Item) {
				if len(items) != 2 {
					t.Fatalf("got %d items, want 2", len(items))
				}
				if d := docOf(t, items[0]); d.ID != "bom" {
					t.Errorf("id = %q", d.ID)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "f.jsonl")
			writeFile(t, p, []byte(tc.data))
			items := readAll(t, New(Options{Fields: tc.fields}), p)
			if len(items) == 0 && tc.data != "" {
				t.Fatalf("no items")
			}
			tc.check(t, items)
			// lazy: the same items once decoded, in the same order
			lazy := readAll(t, New(Options{Fields: tc.fields, Lazy: true}), p)
			if len(lazy) != len(items) {
				t.Fatalf("lazy: %d items, eager %d", len(lazy), len(items))
			}
			for i := range lazy {
				if lazy[i].Decode == nil && lazy[i].Err == nil {
					t.Errorf("lazy item %d made eagerly", i)
				}
				lazy[i] = lazy[i].Decoded()
				if !reflect.DeepEqual(lazy[i].Doc, items[i].Doc) || fmt.Sprint(lazy[i].Err) != fmt.Sprint(items[i].Err) || lazy[i].Source != items[i].Source {
					t.Errorf("lazy item %d = %+v, eager %+v", i, lazy[i], items[i])
				}
			}
			tc.check(t, lazy)
		})
	}
}

func TestLongLines(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "long.jsonl")
	big := strings.Repeat("حلب ", 200_000) // 1.6 MB of text
	line1, err := json.Marshal(map[string]string{"id": "big", "text": big})
	if err != nil {
		t.Fatal(err)
	}
	tooBig, err := json.Marshal(map[string]string{"id": "huge", "text": big + big + big})
	if err != nil {
		t.Fatal(err)
	}
	var data []byte
	data = append(data, line1...)
	data = append(data, '\n')
	data = append(data, tooBig...)
	data = append(data, '\n')
	data = append(data, `{"id":"after","text":"still read"}`+"\n"...)
	writeFile(t, p, data)

	limit := int64(3 << 20)
	items := readAll(t, New(Options{MaxDocBytes: limit}), p)
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3", len(items))
	}
	if len(line1) <= 1<<20 || int64(len(tooBig)) <= limit {
		t.Fatalf("fixture sizes wrong: %d %d", len(line1), len(tooBig))
	}
	if d := docOf(t, items[0]); d.ID != "big" || d.Text != big {
		t.Errorf("line over 1 MiB not read intact (len %d)", len(d.Text))
	}
	wantErr(t, items[1], p+":2", "limit")
	if d := docOf(t, items[2]); d.ID != "after" || d.Source != p+":3" {
		t.Errorf("line after the oversized one: %+v", d)
	}
}

func TestMaxDocBytesBoundary(t *testing.T) {
	line := `{"id":"x","text":"0123456789"}`
	tests := []struct {
		name  string
		limit int64
		ok    bool
	}{
		{"exactly the limit", int64(len(line)), true},
		{"one byte over", int64(len(line)) - 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "b.jsonl")
			writeFile(t, p, []byte(line+"\n"+line+"\n"))
			items := readAll(t, New(Options{MaxDocBytes: tc.limit}), p)
			if len(items) != 2 {
				t.Fatalf("got %d items, want 2", len(items))
			}
			for _, it := range items {
				if tc.ok {
					docOf(t, it)
				} else {
					wantErr(t, it, "limit")
				}
			}
		})
	}
}

func TestTextFiles(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		max     int64
		text    string
		notes   int
		errSubs []string
	}{
		{name: "plain", data: []byte("  Rebels in eastern Aleppo.\nحلب\n"), text: "  Rebels in eastern Aleppo.\nحلب\n"},
		{name: "invalid UTF-8", data: []byte("abc\xffdef"), text: "abc\uFFFDdef", notes: 1},
		{name: "NUL inside text", data: []byte("a long enough line of text with one \x00 byte inside it"), text: "a long enough line of text with one \x00 byte inside it"},
		{name: "binary", data: []byte{0x00, 0x01, 0x02, 0x00, 0x00, 0xff, 0x00, 0x10}, errSubs: []string{"binary"}},
		{name: "too large", data: []byte(strings.Repeat("x", 100)), max: 50, errSubs: []string{"limit"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "a.txt")
			writeFile(t, p, tc.data)
			items := readAll(t, New(Options{MaxDocBytes: tc.max}), p)
			if len(items) != 1 {
				t.Fatalf("got %d items, want 1", len(items))
			}
			if tc.errSubs != nil {
				wantErr(t, items[0], append([]string{p}, tc.errSubs...)...)
				return
			}
			d := docOf(t, items[0])
			if d.ID != p || d.Source != p {
				t.Errorf("id %q source %q, want the path", d.ID, d.Source)
			}
			if d.Text != tc.text {
				t.Errorf("text = %q, want %q", d.Text, tc.text)
			}
			if len(d.Notes) != tc.notes {
				t.Errorf("notes = %q", d.Notes)
			}
			if len(d.Fields) != 1 || d.Fields[0].Text != tc.text {
				t.Errorf("fields = %+v", d.Fields)
			}
		})
	}
}

func TestTextFixture(t *testing.T) {
	p := filepath.Join("testdata", "article.txt")
	items := readAll(t, New(Options{}), p)
	if len(items) != 1 {
		t.Fatalf("got %d items", len(items))
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if d := docOf(t, items[0]); d.Text != string(want) || d.ID != p {
		t.Errorf("doc %q text %q", d.ID, d.Text)
	}
}

func TestGzip(t *testing.T) {
	jsonl := []byte("{\"id\":\"g1\",\"text\":\"هدنة\"}\n{broken\n{\"id\":\"g2\",\"text\":\"truce\"}\n")
	text := []byte("Rebels in eastern Aleppo called for a five-day truce.\n")
	dir := t.TempDir()
	jp := filepath.Join(dir, "d.jsonl.gz")
	tp := filepath.Join(dir, "a.TXT.gz")
	writeFile(t, jp, gzipBytes(t, jsonl))
	writeFile(t, tp, gzipBytes(t, text))

	items := readAll(t, New(Options{}), jp, tp)
	if len(items) != 4 {
		t.Fatalf("got %d items, want 4", len(items))
	}
	if d := docOf(t, items[0]); d.ID != "g1" || d.Text != "هدنة" || d.Source != jp+":1" {
		t.Errorf("gz jsonl doc 1: %+v", d)
	}
	wantErr(t, items[1], jp+":2", "malformed JSON")
	if d := docOf(t, items[2]); d.ID != "g2" {
		t.Errorf("gz jsonl doc 3: %+v", d)
	}
	if d := docOf(t, items[3]); d.ID != tp || d.Text != string(text) {
		t.Errorf("gz text doc: id %q text %q", d.ID, d.Text)
	}
}

func TestTruncatedGzip(t *testing.T) {
	var jsonl, text bytes.Buffer
	for i := range 2000 {
		fmt.Fprintf(&jsonl, "{\"id\":\"%d\",\"text\":\"line %d of a long and rather repetitive dump\"}\n", i, i)
		fmt.Fprintf(&text, "sentence %d of a long and rather repetitive article.\n", i)
	}
	tests := []struct {
		name string
		file string
		data []byte
		cut  func(n int) int
	}{
		{"jsonl middle", "t.jsonl.gz", jsonl.Bytes(), func(n int) int { return n / 2 }},
		{"jsonl trailer", "t.jsonl.gz", jsonl.Bytes(), func(n int) int { return n - 4 }},
		{"text middle", "t.txt.gz", text.Bytes(), func(n int) int { return n / 2 }},
		{"header only", "t.txt.gz", text.Bytes(), func(n int) int { return 5 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			gz := gzipBytes(t, tc.data)
			p := filepath.Join(t.TempDir(), tc.file)
			writeFile(t, p, gz[:tc.cut(len(gz))])
			items := readAll(t, New(Options{}), p)
			if len(items) == 0 {
				t.Fatal("truncated gzip gave no items")
			}
			last := items[len(items)-1]
			wantErr(t, last, p)
			for i, it := range items[:len(items)-1] {
				if it.Err == nil && it.Doc.ID != fmt.Sprint(i) {
					t.Errorf("item %d has id %q", i, it.Doc.ID)
				}
			}
		})
	}
}

func TestDirectory(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"b.txt":             "text b",
		"a/1.jsonl":         "{\"id\":\"a1\",\"text\":\"x\"}\n{\"id\":\"a1b\",\"text\":\"y\"}\n",
		"a/deep/2.ndjson":   "{\"id\":\"a2\",\"text\":\"x\"}\n",
		"a/photo.png":       "\x89PNG\r\n\x1a\n\x00\x00\x00",
		"c/3.json":          "{\"id\":\"c3\",\"text\":\"x\"}\n",
		"c/README":          "no extension",
		"c/blob.bin":        "\x00\x01\x02",
		"d/4.text":          "text d",
		"e.md":              "# markdown",
		"f/archive.tar.gz":  "not really",
		"f/zz.txt":          "text zz",
		"f/notes.TXT":       "upper-case extension",
		"f/sub/5.jsonl.gz":  "", // replaced below with real gzip
		"f/sub/empty.jsonl": "",
	}
	for name, data := range files {
		writeFile(t, filepath.Join(root, name), []byte(data))
	}
	writeFile(t, filepath.Join(root, "f/sub/5.jsonl.gz"), gzipBytes(t, []byte("{\"id\":\"f5\",\"text\":\"x\"}\n")))
	if err := os.Symlink(filepath.Join(root, "does-not-exist.txt"), filepath.Join(root, "c", "gone.txt")); err != nil {
		t.Skipf("symlinks not supported: %v", err)
	}

	r := New(Options{})
	items := readAll(t, r, root)
	var got []string
	for _, it := range items {
		switch {
		case it.Err != nil:
			got = append(got, "ERR "+strings.TrimPrefix(it.Source, root+string(filepath.Separator)))
		default:
			got = append(got, it.Doc.ID)
		}
	}
	j := func(p string) string { return filepath.Join(root, p) }
	want := []string{"a1", "a1b", "a2", j("b.txt"), "c3", "ERR " + filepath.Join("c", "gone.txt"), j("d/4.text"), j("f/notes.TXT"), "f5", j("f/zz.txt")}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("directory items:\n got  %q\n want %q", got, want)
	}
	for _, it := range items {
		if it.Err != nil && !strings.Contains(it.Err.Error(), "gone.txt") {
			t.Errorf("unexpected error item %v", it.Err)
		}
	}
	// photo.png, README, blob.bin, e.md, archive.tar.gz
	if r.Skipped != 5 {
		t.Errorf("Skipped = %d, want 5", r.Skipped)
	}
}

func TestMissingPaths(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.txt")
	writeFile(t, ok, []byte("fine"))
	missing := filepath.Join(dir, "nope.jsonl")
	items := readAll(t, New(Options{}), missing, ok, filepath.Join(dir, "nodir", "x.txt"))
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3", len(items))
	}
	wantErr(t, items[0], missing, "no such file")
	if items[0].Source != missing {
		t.Errorf("source = %q", items[0].Source)
	}
	if d := docOf(t, items[1]); d.Text != "fine" {
		t.Errorf("text = %q", d.Text)
	}
	wantErr(t, items[2], "x.txt")
}

func TestStdin(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte
		want  []string // ids, "ERR" for error items
		texts []string
		srcs  []string
	}{
		{name: "jsonl", in: []byte("{\"id\":\"s1\",\"text\":\"a\"}\n{\"id\":\"s2\",\"text\":\"b\"}\n"), want: []string{"s1", "s2"}, texts: []string{"a", "b"}, srcs: []string{"-:1", "-:2"}},
		{name: "jsonl after blank lines", in: []byte("\n  \n{\"id\":\"s1\",\"text\":\"a\"}\nnot json\n"), want: []string{"s1", "ERR"}, texts: []string{"a", ""}, srcs: []string{"-:3", "-:4"}},
		{name: "text", in: []byte("Rebels in eastern Aleppo {called}.\n{x}\n"), want: []string{"-"}, texts: []string{"Rebels in eastern Aleppo {called}.\n{x}\n"}},
		{name: "arabic text", in: []byte("دعا مقاتلو المعارضة في شرق حلب"), want: []string{"-"}, texts: []string{"دعا مقاتلو المعارضة في شرق حلب"}},
		{name: "gzip jsonl", in: gzipBytes(t, []byte("{\"id\":\"z\",\"text\":\"c\"}\n")), want: []string{"z"}, texts: []string{"c"}},
		{name: "gzip text", in: gzipBytes(t, []byte("plain words")), want: []string{"-"}, texts: []string{"plain words"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items := readAll(t, New(Options{Stdin: bytes.NewReader(tc.in)}), "-")
			if len(items) != len(tc.want) {
				t.Fatalf("got %d items, want %d", len(items), len(tc.want))
			}
			for i, it := range items {
				if tc.srcs != nil && it.Source != tc.srcs[i] {
					t.Errorf("item %d: source %q, want %q", i, it.Source, tc.srcs[i])
				}
				if tc.want[i] == "ERR" {
					wantErr(t, it, "-:")
					continue
				}
				d := docOf(t, it)
				if d.ID != tc.want[i] || d.Text != tc.texts[i] {
					t.Errorf("item %d: id %q text %q, want %q %q", i, d.ID, d.Text, tc.want[i], tc.texts[i])
				}
			}
		})
	}
}

func TestDocDateFallback(t *testing.T) {
	fallback := time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC)
	data := `{"id":"own","text":"a","date":"2015-07-21T02:18:06Z"}` + "\n" +
		`{"id":"none","text":"a"}` + "\n" +
		`{"id":"bad","text":"a","date":"last Tuesday"}` + "\n"
	p := filepath.Join(t.TempDir(), "d.jsonl")
	writeFile(t, p, []byte(data))

	tests := []struct {
		name     string
		fallback time.Time
		want     map[string]string // id → date, "" for none
		notes    map[string]int
	}{
		{"with fallback", fallback, map[string]string{"own": "2015-07-21", "none": "2016-12-07", "bad": "2016-12-07"}, map[string]int{"bad": 1}},
		{"without fallback", time.Time{}, map[string]string{"own": "2015-07-21", "none": "", "bad": ""}, map[string]int{"bad": 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			items := readAll(t, New(Options{DocDate: tc.fallback}), p)
			if len(items) != 3 {
				t.Fatalf("got %d items", len(items))
			}
			for _, it := range items {
				d := docOf(t, it)
				want := tc.want[d.ID]
				if want == "" {
					if d.HasDate {
						t.Errorf("%s: unexpected date %v", d.ID, d.DocDate)
					}
				} else if !d.HasDate || d.DocDate.Format("2006-01-02") != want {
					t.Errorf("%s: date %v (has %v), want %s", d.ID, d.DocDate, d.HasDate, want)
				}
				if len(d.Notes) != tc.notes[d.ID] {
					t.Errorf("%s: notes %q", d.ID, d.Notes)
				}
			}
		})
	}

	// A text file has no date of its own.
	tp := filepath.Join(t.TempDir(), "a.txt")
	writeFile(t, tp, []byte("text"))
	items := readAll(t, New(Options{DocDate: fallback}), tp)
	if d := docOf(t, items[0]); !d.HasDate || !d.DocDate.Equal(fallback) {
		t.Errorf("text file date = %v %v", d.DocDate, d.HasDate)
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for not a date
	}{
		{"2016-12-07", "2016-12-07"},
		{" 2016-12-07 ", "2016-12-07"},
		{"2015-07-21 02:18:06", "2015-07-21"},
		{"2015-07-21 02:18", "2015-07-21"},
		{"2015-07-21T02:18:06", "2015-07-21"},
		{"2015-07-21T23:18:06+03:00", "2015-07-21"},
		{"2015-07-21T02:18:06.123456Z", "2015-07-21"},
		{"2016/12/07", "2016-12-07"},
		{"07/12/2016", "2016-12-07"},
		{"20161207", "2016-12-07"},
		{"", ""},
		{"yesterday", ""},
		{"2016-13-01", ""},
		{"2016-02-30", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, ok := ParseDate(tc.in)
			if tc.want == "" {
				if ok {
					t.Errorf("ParseDate(%q) = %v, want no date", tc.in, got)
				}
				return
			}
			if !ok {
				t.Fatalf("ParseDate(%q) failed", tc.in)
			}
			if got.Format("2006-01-02") != tc.want || got.Hour() != 0 || got.Location() != time.UTC {
				t.Errorf("ParseDate(%q) = %v, want %s 00:00 UTC", tc.in, got, tc.want)
			}
		})
	}
}

func TestReadCancel(t *testing.T) {
	var data bytes.Buffer
	for i := range 1000 {
		fmt.Fprintf(&data, "{\"id\":\"%d\",\"text\":\"x\"}\n", i)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := make(chan pipeline.Item)
	r := New(Options{Stdin: io.MultiReader(&data)})
	go r.Read(ctx, []string{"-", "-"}, out)
	if _, ok := <-out; !ok {
		t.Fatal("no first item")
	}
	cancel()
	timeout := time.After(10 * time.Second)
	n := 0
	for {
		select {
		case _, ok := <-out:
			if !ok {
				if n >= 999 {
					t.Errorf("reader went on after cancel: %d more items", n)
				}
				return
			}
			n++
		case <-timeout:
			t.Fatal("reader did not stop after cancel")
		}
	}
}

// TestLongLinesOwnTheirBytes reads lines longer than the reader's buffer
// (gathered in a scratch buffer kept from line to line), longest first, an
// oversized one among them, with and without Lazy (which parses each line
// only after the reader has gone on): every document must keep its own
// text, whatever the lines read after it.
func TestLongLinesOwnTheirBytes(t *testing.T) {
	const limit = 400 << 10
	var data []byte
	var want []string
	for i, n := range []int{300 << 10, 200 << 10, 500 << 10, 70 << 10, 10, 150 << 10} {
		text := strings.Repeat(string(rune('a'+i)), n)
		b, err := json.Marshal(map[string]string{"id": fmt.Sprint(i), "text": text})
		if err != nil {
			t.Fatal(err)
		}
		data = append(append(data, b...), '\n')
		if len(b) > limit {
			text = "" // too long: an error item
		}
		want = append(want, text)
	}
	p := filepath.Join(t.TempDir(), "long.jsonl")
	writeFile(t, p, data)
	for _, lazy := range []bool{false, true} {
		items := readAll(t, New(Options{MaxDocBytes: limit, Lazy: lazy}), p)
		if len(items) != len(want) {
			t.Fatalf("lazy %v: got %d items, want %d", lazy, len(items), len(want))
		}
		for i, it := range items {
			size := it.Size
			it = it.Decoded()
			if want[i] == "" {
				wantErr(t, it, "limit")
				continue
			}
			if d := docOf(t, it); d.Text != want[i] || size != len(want[i])+len(`{"id":"0","text":""}`+"\n") {
				t.Errorf("lazy %v: line %d: text of %d bytes (want %d), size %d", lazy, i+1, len(d.Text), len(want[i]), size)
			}
		}
	}
}

// TestMaxAheadBytes checks the bound on the bytes read ahead: the reader
// lets one item through, holds the next until the first is decoded, sends
// every item in order when each is decoded as it comes, and stops when its
// context is cancelled while it waits.
func TestMaxAheadBytes(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.jsonl")
	var data []byte
	for i := 0; i < 5; i++ {
		data = append(data, fmt.Sprintf(`{"id":"d%d","text":"%s"}`+"\n", i, strings.Repeat("x", 100))...)
	}
	writeFile(t, p, data)

	// decoded as they come: all of them, in order
	for _, lazy := range []bool{true, false} {
		out := make(chan pipeline.Item, 16)
		go New(Options{Lazy: lazy, MaxAheadBytes: 150}).Read(context.Background(), []string{p}, out)
		i := 0
		for it := range out {
			if d := docOf(t, it.Decoded()); d.ID != fmt.Sprintf("d%d", i) {
				t.Fatalf("lazy %v: item %d is %q", lazy, i, d.ID)
			}
			i++
		}
		if i != 5 {
			t.Fatalf("lazy %v: %d items, want 5", lazy, i)
		}
	}

	// not decoded: the second waits for the first
	ctx, cancel := context.WithCancel(context.Background())
	out := make(chan pipeline.Item, 16)
	done := make(chan struct{})
	go func() {
		New(Options{Lazy: true, MaxAheadBytes: 150}).Read(ctx, []string{p}, out)
		close(done)
	}()
	first := <-out
	select {
	case it := <-out:
		t.Fatalf("a second item (%s) came before the first was decoded", it.Source)
	case <-time.After(100 * time.Millisecond):
	}
	first.Decoded()
	second := <-out
	if d := docOf(t, second.Decoded()); d.ID != "d1" {
		t.Fatalf("second item %q", d.ID)
	}
	<-out // d1 was decoded: d2 is sent, and d3 waits for it
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Read did not return when cancelled while waiting")
	}
}

// TestAheadBudget checks acquire and release: one acquisition always
// passes when nothing is held, others wait for room.
func TestAheadBudget(t *testing.T) {
	b := &aheadBudget{limit: 100, freed: make(chan struct{}, 1)}
	ctx := context.Background()
	if !b.acquire(ctx, 500) { // more than the limit, but nothing held
		t.Fatal("first acquisition refused")
	}
	got := make(chan bool)
	go func() { got <- b.acquire(ctx, 10) }()
	select {
	case <-got:
		t.Fatal("acquired with the budget full")
	case <-time.After(50 * time.Millisecond):
	}
	b.release(500)
	if !<-got {
		t.Fatal("acquire failed after a release")
	}
	if !b.acquire(ctx, 90) { // 10 + 90 fit
		t.Fatal("room left but refused")
	}
	cctx, cancel := context.WithCancel(ctx)
	go func() { got <- b.acquire(cctx, 1) }()
	cancel()
	if <-got {
		t.Fatal("acquire succeeded after cancel with the budget full")
	}
	b.release(100)
	// a wrapped item gives its bytes back once, however often decoded
	if !b.acquire(ctx, 40) {
		t.Fatal("refused with the budget empty")
	}
	it := b.wrap(pipeline.Item{Source: "s", Size: 40}, 40)
	for i := 0; i < 3; i++ {
		if d := it.Decoded(); d.Source != "s" || d.Size != 40 || d.Decode != nil {
			t.Fatalf("decoded item %+v", d)
		}
	}
	if b.used != 0 {
		t.Fatalf("%d bytes held after one item was decoded three times, want 0", b.used)
	}
}
