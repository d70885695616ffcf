package input

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hadath/hadath/pipeline"
)

// FuzzReadJSONL feeds arbitrary bytes as standard input: the reader must
// never panic, and every line must come out as exactly one item, either a
// document or an error naming its line.
func FuzzReadJSONL(f *testing.F) {
	for _, s := range []string{
		"{\"id\":\"a\",\"text\":\"حلب\"}\n",
		"{\"text\":1}\n{bad\n",
		"{\"id\":2,\"text\":\"x\",\"date\":\"2016-12-07\"}",
		"{\"text\":\"\xff\xfe\"}\n\n",
		"\xef\xbb\xbf{\"text\":\"bom\"}\n",
		"{\"text\":\"a\\u0000b\"}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 || bytes.HasPrefix(data, []byte{0x1f, 0x8b}) {
			return
		}
		r := New(Options{Stdin: bytes.NewReader(data), MaxDocBytes: 1 << 16})
		var items []pipeline.Item
		r.readStream("-", bytes.NewReader(data), "", func(it pipeline.Item) bool {
			items = append(items, it)
			return true
		})
		n := 0
		for _, it := range items {
			n++
			if it.Err == nil && it.Doc == nil {
				t.Fatalf("item with neither document nor error: %+v", it)
			}
			if it.Doc != nil && it.Err == nil && !strings.HasPrefix(it.Source, "-") {
				t.Fatalf("bad source %q", it.Source)
			}
		}
		if n == 0 && len(bytes.TrimSpace(data)) > 0 && bytes.TrimSpace(data)[0] == '{' {
			t.Fatalf("non-empty JSON input gave no item")
		}
	})
}
