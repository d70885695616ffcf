package input

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hadath/hadath/pipeline"
)

// parseLineRef is the map-based parseLine that the one-pass reader
// replaced, kept verbatim as the reference for the tests below.
func parseLineRef(r *Reader, b []byte, src string) pipeline.Item {
	var raw map[string]json.RawMessage
	note := ""
	if !utf8.Valid(b) {
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
		note = "invalid UTF-8 replaced by U+FFFD"
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return pipeline.Item{Err: fmt.Errorf("%s: malformed JSON: %v", src, err), Source: src}
	}
	fm := r.opt.Fields
	doc := &pipeline.Document{Source: src}
	if note != "" {
		doc.Notes = append(doc.Notes, note)
	}
	get := func(field string, dst *string, required bool) error {
		v, ok := raw[field]
		delete(raw, field)
		if !ok || string(v) == "null" {
			if required {
				return fmt.Errorf("missing field %q", field)
			}
			return nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			// ids are often numbers
			if field == fm.ID {
				var n json.Number
				if json.Unmarshal(v, &n) == nil {
					*dst = n.String()
					return nil
				}
			}
			return fmt.Errorf("field %q is not a string", field)
		}
		*dst = s
		return nil
	}
	var errs []string
	for _, f := range []struct {
		name string
		dst  *string
		req  bool
	}{{fm.ID, &doc.ID, false}, {fm.Text, &doc.Text, true}, {fm.Title, &doc.Title, false},
		{fm.Date, &doc.Date, false}, {fm.Lang, &doc.Lang, false}, {fm.URL, &doc.URL, false}} {
		if f.name == "" {
			continue
		}
		if err := get(f.name, f.dst, f.req); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if doc.ID == "" {
		doc.ID = src
	}
	if len(raw) > 0 {
		doc.Extra = raw
	}
	if len(errs) > 0 {
		return pipeline.Item{Doc: doc, Err: fmt.Errorf("%s: %s", src, strings.Join(errs, "; ")), Source: src}
	}
	doc.Text = r.cleanUTF8(doc, doc.Text)
	doc.Title = r.cleanUTF8(doc, doc.Title)
	r.finish(doc)
	return pipeline.Item{Doc: doc, Source: src}
}

// diffFieldMaps are the field layouts the new reader is compared under:
// the default, the news layout (id and url are the same member), and
// layouts where attributes share a name or are unset.
var diffFieldMaps = []FieldMap{
	DefaultFieldMap,
	{ID: "url", Text: "content", Title: "title", Date: "date_extracted", Lang: "lang", URL: "url"},
	{ID: "text", Text: "text", Title: "text", Date: "", Lang: "", URL: "id"},
	{ID: "", Text: "t", Title: "", Date: "d", Lang: "", URL: ""},
	{ID: "é", Text: "\u00e9t\"\\", Title: "", Date: "", Lang: "", URL: ""},
}

// compareParse runs the new and the reference reader on line and reports
// any difference. It also checks that the one-pass scanner accepts exactly
// the JSON objects.
func compareParse(t *testing.T, fm FieldMap, line []byte) {
	t.Helper()
	r := New(Options{Fields: fm})
	got := r.parseLine(bytes.Clone(line), "f.jsonl:7")
	want := parseLineRef(r, bytes.Clone(line), "f.jsonl:7")
	if (got.Err == nil) != (want.Err == nil) {
		t.Fatalf("line %q, fields %+v: error %v, reference %v", line, fm, got.Err, want.Err)
	}
	if got.Err != nil && got.Err.Error() != want.Err.Error() {
		t.Errorf("line %q, fields %+v: error %q, reference %q", line, fm, got.Err, want.Err)
	}
	if got.Source != want.Source {
		t.Errorf("line %q: source %q, reference %q", line, got.Source, want.Source)
	}
	if !reflect.DeepEqual(got.Doc, want.Doc) {
		t.Fatalf("line %q, fields %+v:\n got %s\nwant %s", line, fm, showDoc(got.Doc), showDoc(want.Doc))
	}

	b := bytes.ToValidUTF8(line, []byte("\uFFFD"))
	names, owner := slotNames(fm)
	isObj := json.Valid(b) && bytes.TrimLeft(b, " \t\r\n")[0] == '{'
	if _, _, st := scanLine(b, &names, &owner, nil); (st == scanOK) != isObj {
		t.Fatalf("line %q: scanner status %d on the cleaned line, json object %v", line, st, isObj)
	}
	_, _, st := scanLine(line, &names, &owner, nil)
	switch {
	case isObj && utf8.Valid(line) && st != scanOK,
		isObj && !utf8.Valid(line) && st != scanUTF8,
		!isObj && st == scanOK:
		t.Fatalf("line %q: scanner status %d, json object %v", line, st, isObj)
	}
}

func showDoc(d *pipeline.Document) string {
	if d == nil {
		return "<nil>"
	}
	extra := make(map[string]string, len(d.Extra))
	for k, v := range d.Extra {
		extra[k] = string(v)
	}
	return fmt.Sprintf("id %q text %q title %q date %q lang %q url %q notes %q extra %q (nil %v) hasDate %v %v fields %d",
		d.ID, d.Text, d.Title, d.Date, d.Lang, d.URL, d.Notes, extra, d.Extra == nil, d.HasDate, d.DocDate, len(d.Fields))
}

// diffLines are hand-written lines, valid and not, for the differential
// test and as fuzz seeds.
var diffLines = []string{
	`{"id":"a","text":"حلب"}`,
	`{"id":"a","text":"b","title":"t","date":"2016-12-07","lang":"ar","url":"http://x/ي","source":"rt","tags":["a","b"]}`,
	"  {\"text\" : \"a\" ,\t\"n\" : [ 1 , { \"x\" : null } ] }  \r\n",
	"{\"text\":\"a\"}\n",
	`{}`,
	`{ }`,
	` { } `,
	`{"text":""}`,
	`{"text":null}`,
	`{"text":"a","title":null,"date":null,"id":null}`,
	`{"id":null,"text":"a"}`,
	`{"id":"","text":"a"}`,
	`{"text":"a","text":"b"}`,
	`{"text":"a","text":null}`,
	`{"text":5,"text":"ok"}`,
	`{"text":"ok","text":5}`,
	`{"x":1,"text":"a","x":2}`,
	`{"x":{"a":1},"x":[2]}`,
	`{"te\u0078t":"escaped key"}`,
	`{"t\u0065xt":"a","text":"b"}`,
	`{"text":"b","t\u0065xt":"a"}`,
	`{"\u0000":1,"text":"a"}`,
	`{"":1,"text":"a"}`,
	`{"":1,"":2,"text":"a"}`,
	`{"\ud800":1,"\ufffd":2,"text":"a"}`,
	`{"k\"q":1,"k\\b":2,"text":"a"}`,
	`{"\u00e9t\"\\":"x","\u00e9":5}`,
	`{"é":"a","\u00e9t\"\\":null,"ét\"\\":"y"}`,
	`{"t":"a","d":"2016-12-07","\u0074":"b","\u0064":null}`,
	`{"id":12345,"text":"a"}`,
	`{"id":9007199254740993,"text":"a"}`,
	`{"id":-0,"text":"a"}`,
	`{"id":1e400,"text":"a"}`,
	`{"id":-1.5E-07,"text":"a"}`,
	`{"id":0.0e+0,"text":"a"}`,
	`{"id":true,"text":"a"}`,
	`{"id":false,"text":"a"}`,
	`{"id":{"x":1},"text":"a"}`,
	`{"id":[1],"text":"a"}`,
	`{"text":5}`,
	`{"text":true}`,
	`{"text":[]}`,
	`{"text":{}}`,
	`{"text":"a","title":["x"]}`,
	`{"text":"a","lang":1}`,
	`{"text":"a","url":{"u":"v"},"date":0}`,
	`{"id":"m","title":"only a title"}`,
	`{"text":"a\u0000b"}`,
	`{"text":"\u0041\u00e9\u4e2d\ud83d\ude00"}`,
	`{"text":"\ud83d"}`,
	`{"text":"\ude00"}`,
	`{"text":"\ud83dx"}`,
	`{"text":"\ud83d\u0041"}`,
	`{"text":"\ud83d\ud83d\ude00"}`,
	`{"text":"\ude00\ud83d"}`,
	`{"text":"\ud83d\\ude00"}`,
	`{"text":"\uDBFF\uDFFF\uD800\uDC00"}`,
	`{"text":"\"\\\/\b\f\n\r\t"}`,
	`{"text":"\'"}`,
	`{"text":"\x"}`,
	`{"text":"\u12"}`,
	`{"text":"\u12G4"}`,
	`{"text":"\`,
	`{"text":"a`,
	"{\"text\":\"a\tb\"}",
	"{\"text\":\"a\nb\"}",
	"{\"text\":\"a\x00b\"}",
	"{\"text\":\"a\x1fb\"}",
	"{\"text\":\"a\x7fb\"}",
	"{\"text\":\"abc\xff\xfedef \xd8\"}",
	"{\"text\":\"\xed\xa0\x80\"}",
	"{\"text\":\"a\",\"x\":\"\xc3\"}",
	"{\"text\":\"a\"}\xff",
	"\xef\xbb\xbf{\"text\":\"bom\"}",
	"{\"text\":\"a\"}\xef\xbb\xbf",
	"{\"text\":\"\xef\xbb\xbfbom inside\"}",
	`{"text":"a","n":[1,2,3],"o":{"a":{"b":{"c":[true,false,null]}}}}`,
	`{"text":"a","n":[ 1 ,2 , 3 ] ,"o" :{ "a" : { } } , "e":[ ] }`,
	`{"text":"a","big":123456789012345678901234567890,"f":1e400,"z":-0,"e":1E+2,"d":0.5}`,
	`{"text":"a","s":"\u00e9\n"}`,
	`{"text":"a"} `,
	`{"text":"a"}x`,
	`{"text":"a"}{"text":"b"}`,
	`{"text":"a"},`,
	`{"text":"a"}}`,
	`{"text":"a",}`,
	`{"text":"a",,"b":1}`,
	`{,"text":"a"}`,
	`{"text" "a"}`,
	`{"text":}`,
	`{"text"}`,
	`{text:"a"}`,
	`{'text':'a'}`,
	`{"text":"a","n":01}`,
	`{"text":"a","n":1.}`,
	`{"text":"a","n":.5}`,
	`{"text":"a","n":-}`,
	`{"text":"a","n":+1}`,
	`{"text":"a","n":1e}`,
	`{"text":"a","n":1e+}`,
	`{"text":"a","n":0x10}`,
	`{"text":"a","n":NaN}`,
	`{"text":"a","n":Infinity}`,
	`{"text":"a","n":tru}`,
	`{"text":"a","n":truex}`,
	`{"text":"a","n":nul}`,
	`{"text":"a","n":nulll}`,
	`{"text":"a","n":[1,]}`,
	`{"text":"a","n":[,1]}`,
	`{"text":"a","n":[1 2]}`,
	`{"text":"a","n":{"a"}}`,
	`{"text":"a","n":{"a":1,}}`,
	`{"text":"a","n":{1:2}}`,
	`{"text":"a","n":[}`,
	`{"text":"a","n":{]}`,
	`{"text":"a","n":[[[[]]]]}`,
	`{"text":"a","n":[[[[]]]}`,
	`{"text":"a"`,
	`{"text":"a",`,
	`{"text":`,
	`{"text"`,
	`{"`,
	`{`,
	`}`,
	``,
	` `,
	"\t\r\n",
	`null`,
	` null `,
	`nul`,
	`true`,
	`0`,
	`"str"`,
	`[1,2]`,
	`[]`,
	`{"text":"a"} null`,
	`{"text":"a"} // comment`,
	`{not json}`,
	`{"id": "bad", "text": `,
	`{"text":"a","t":"` + strings.Repeat("\\\"", 20) + `"}`,
	`{"text":"` + strings.Repeat("abcdefgh", 9) + `\u0041` + strings.Repeat("ابجد", 9) + `"}`,
	`{"text":"` + strings.Repeat("x", 7) + "\x01" + `"}`,
	`{"text":"` + strings.Repeat("x", 15) + `\"` + strings.Repeat("y", 15) + `"}`,
}

// nested returns a line whose member "deep" nests n containers: with the
// top-level object, encoding/json allows 10000 levels.
func nested(open, bottom, close string, n int) string {
	return `{"text":"a","deep":` + strings.Repeat(open, n) + bottom + strings.Repeat(close, n) + `}`
}

// swarLines put every control character, a quote and a backslash at each
// place of an eight-byte word inside a long string.
func swarLines() []string {
	var lines []string
	for off := 0; off < 17; off++ {
		pad := strings.Repeat("x", off)
		for c := 0; c < 0x20; c++ {
			lines = append(lines, `{"text":"`+pad+string(rune(c))+`yyyyyyyyyyyyyyyy"}`)
		}
		for _, e := range []string{`\"`, `\\`, `\u00e9`, `"`, "\x7f", "\u0080", "é", "\xc3", "\xff"} {
			lines = append(lines, `{"text":"`+pad+e+`yyyyyyyyyyyyyyyy"}`)
		}
	}
	return lines
}

func TestParseLineMatchesReference(t *testing.T) {
	lines := append(append([]string(nil), diffLines...), swarLines()...)
	for _, n := range []int{1, 2, 100, 9998, 9999, 10000, 10001} {
		lines = append(lines,
			nested("[", "", "]", n),
			nested(`{"a":`, "1", "}", n),
			nested(`{"a" : `, "", " }", n), // empty value: malformed
			nested(`[{"a":`, "[]", "}]", n/2),
			nested(`[1,`, "2", "]", n),
			nested(`[ `, "{}", " ]", n))
	}
	for _, fm := range diffFieldMaps {
		for _, l := range lines {
			compareParse(t, fm, []byte(l))
		}
	}
}

// TestParseLineNewsFile compares the readers on the news sample when it is
// there.
func TestParseLineNewsFile(t *testing.T) {
	lines := newsLines(t)
	for _, fm := range diffFieldMaps[:2] {
		for _, l := range lines {
			compareParse(t, fm, l)
		}
	}
}

const newsFile = "/work/shared/data/news/saudinewsnet-2015-conflict-dev.jsonl"

func newsLines(tb testing.TB) [][]byte {
	f, err := os.Open(newsFile)
	if err != nil {
		tb.Skipf("news sample not available: %v", err)
	}
	defer f.Close()
	var lines [][]byte
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			lines = append(lines, bytes.Clone(sc.Bytes()))
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatal(err)
	}
	return lines
}

// FuzzParseLine checks the one-pass reader against the map-based one: the
// same error (or none) and equal documents.
func FuzzParseLine(f *testing.F) {
	for _, l := range diffLines {
		f.Add([]byte(l))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		for _, fm := range diffFieldMaps {
			compareParse(t, fm, line)
		}
	})
}

// articleLine is a JSON line like those of Arabic news dumps: a ~7 KB
// article with url, title, date and a few other members.
func articleLine() []byte {
	para := "أفاد شهود عيان اليوم الإثنين بمقتل 33 مسلحاً من تنظيم داعش، بانفجار سيارة مفخخة يقودها انتحاري، استهدف مركز تدريب في قضاء البعاج 510 كم شمال غرب بغداد. وقال الشهود “إن من بين القتلى أطفالاً”. "
	var text strings.Builder
	for text.Len() < 7000 {
		text.WriteString(para)
	}
	doc := map[string]any{
		"source": "alweeam", "url": "http://www.alweeam.com.sa/348460/انتحاري-يقتل-33-داعشياً/",
		"date_extracted": "2015-07-21 02:18:06", "title": "انتحاري يقتل «33» داعشياً في مركز تدريب بالموصل",
		"author": "الموصل-الوئام:", "content": text.String(), "n_place_mentions": 3,
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		panic(err)
	}
	return b.Bytes()
}

func BenchmarkParseLine(b *testing.B) {
	news := diffFieldMaps[1]
	sets := []struct {
		name  string
		lines func(b *testing.B) [][]byte
	}{
		{"article", func(*testing.B) [][]byte { return [][]byte{articleLine()} }},
		{"newsfile", func(b *testing.B) [][]byte { return newsLines(b) }},
	}
	impls := []struct {
		name  string
		parse func(r *Reader, line []byte) pipeline.Item
	}{
		{"old", func(r *Reader, line []byte) pipeline.Item { return parseLineRef(r, line, "f.jsonl:1") }},
		{"new", func(r *Reader, line []byte) pipeline.Item { return r.parseLine(line, "f.jsonl:1") }},
	}
	for _, set := range sets {
		for _, impl := range impls {
			b.Run(set.name+"/"+impl.name, func(b *testing.B) {
				lines := set.lines(b)
				n := 0
				for _, l := range lines {
					n += len(l)
				}
				r := New(Options{Fields: news})
				b.SetBytes(int64(n))
				b.ReportAllocs()
				for b.Loop() {
					for _, l := range lines {
						if it := impl.parse(r, l); it.Err != nil {
							b.Fatal(it.Err)
						}
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
			})
		}
	}
}
