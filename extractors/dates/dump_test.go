package dates

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

func TestDump(t *testing.T) {
	in := os.Getenv("DUMP")
	if in == "" {
		t.Skip()
	}
	for _, text := range strings.Split(in, "\n") {
		rs := []rune(text)
		f := &pipeline.Field{Name: "text", Text: text, Runes: rs, Tokens: normalize.Tokenize(rs)}
		doc := &pipeline.Document{Text: text, Fields: []*pipeline.Field{f}, DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true}
		if err := New(nil).Process(doc); err != nil {
			t.Fatal(err)
		}
		fmt.Println("==", text)
		for _, d := range f.Dates {
			fmt.Printf("  %q|%s|%s|%s|%s|%s|%s|%s\n", d.Text, d.Type, d.Value, d.Precision, d.Anchor, d.Mod, d.PartOfDay, d.Note)
		}
	}
}

func TestDumpTok(t *testing.T) {
	in := os.Getenv("DUMPTOK")
	if in == "" {
		t.Skip()
	}
	for _, tk := range normalize.Tokenize([]rune(in)) {
		fmt.Printf("%+v\n", tk)
	}
	lex, _ := DefaultLexicon()
	for _, p := range lex.index["dec"] {
		fmt.Printf("%+v\n", *p)
	}
}
