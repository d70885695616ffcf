package normalize

import (
	"slices"
	"testing"

	"github.com/hadath/hadath/pipeline"
)

func TestTokenize(t *testing.T) {
	cases := []struct {
		text string
		want []string // surface of each token
		keys []string
	}{
		{"ويقدر عددها بـ500 حالة", []string{"ويقدر", "عددها", "بـ", "500", "حالة"}, []string{"ويقدر", "عددها", "ب", "500", "حاله"}},
		{"80,000 people; ٨٠٬٠٠٠", []string{"80,000", "people", ";", "٨٠٬٠٠٠"}, []string{"80,000", "people", ";", "80,000"}},
		{"U.S. forces", []string{"U.S.", "forces"}, []string{"us", "forces"}},
		{"Syria's army", []string{"Syria", "army"}, []string{"syria", "army"}},
		{"Bab al-Hadid", []string{"Bab", "al", "Hadid"}, []string{"bab", "al", "hadid"}},
		{"Sana'a", []string{"Sana'a"}, []string{"sana'a"}},
		{"حلب،القديمة", []string{"حلب", "،", "القديمة"}, []string{"حلب", "،", "القديمه"}},
		{"\u200fحلب\u200f", []string{"حلب"}, []string{"حلب"}},
		{"a\x00b", []string{"a", "b"}, []string{"a", "b"}},
	}
	for _, c := range cases {
		rs := []rune(c.text)
		toks := Tokenize(rs)
		if len(toks) != len(c.want) {
			var got []string
			for _, tk := range toks {
				got = append(got, string(rs[tk.Start:tk.End]))
			}
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
			continue
		}
		for i, tk := range toks {
			if s := string(rs[tk.Start:tk.End]); s != c.want[i] || tk.Key != c.keys[i] {
				t.Errorf("%q token %d: %q key %q, want %q key %q", c.text, i, s, tk.Key, c.want[i], c.keys[i])
			}
		}
	}
}

func TestJoined(t *testing.T) {
	rs := []rune("حلب القديمة، حمص\nدمشق")
	toks := Tokenize(rs)
	want := []bool{false, true, false, false, false}
	for i, tk := range toks {
		if tk.Joined != want[i] {
			t.Errorf("token %d %q joined=%v", i, string(rs[tk.Start:tk.End]), tk.Joined)
		}
	}
}

type vocab map[string]bool

func (v vocab) Known(k string) bool { return v[k] }

func TestGluedRepair(t *testing.T) {
	s := New(Options{FunctionWords: []string{"في", "على", "من"}, Vocabulary: vocab{"حلب": true, "السوري": true}})
	cases := []struct {
		text string
		want []string
	}{
		{"فيحلبفي", []string{"في", "حلب", "في"}},
		{"السوريعلى", []string{"السوري", "على"}},
		{"عنوان", []string{"عنوان"}},       // too short to try
		{"المدنيين", []string{"المدنيين"}}, // no known pieces
		{"منعلىفي", []string{"منعلىفي"}},   // only function words: kept whole
	}
	for _, c := range cases {
		doc := &pipeline.Document{Fields: []*pipeline.Field{{Name: "text", Text: c.text}}}
		if err := s.Process(doc); err != nil {
			t.Fatal(err)
		}
		f := doc.Fields[0]
		var got []string
		for _, tk := range f.Tokens {
			got = append(got, string(f.Runes[tk.Start:tk.End]))
		}
		if len(got) != len(c.want) {
			t.Errorf("%q: got %q want %q", c.text, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: got %q want %q", c.text, got, c.want)
				break
			}
		}
	}
}

// FuzzTokenize checks that offsets and key maps always point into the
// original text, in order.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{"بـ500 حالة", "فيحلبفي", "U.S. Dec. 7", "ﻻ \u200f٦٫٢", "a\x00\xff", ""} {
		f.Add(s)
	}
	s := New(Options{FunctionWords: []string{"في"}, Vocabulary: vocab{"حلب": true}})
	f.Fuzz(func(t *testing.T, text string) {
		doc := &pipeline.Document{Fields: []*pipeline.Field{{Name: "text", Text: text}}}
		if err := s.Process(doc); err != nil {
			t.Fatal(err)
		}
		fd := doc.Fields[0]
		prevEnd := 0
		for _, tk := range fd.Tokens {
			if tk.Start < prevEnd || tk.End <= tk.Start || tk.End > len(fd.Runes) {
				t.Fatalf("bad token span [%d,%d) after %d in %q", tk.Start, tk.End, prevEnd, text)
			}
			prevEnd = tk.End
			if len(tk.KeyMap) != len([]rune(tk.Key)) && tk.Key != "" {
				t.Fatalf("key map length %d for key %q", len(tk.KeyMap), tk.Key)
			}
			if !tk.Glued {
				// the key and map of the token's text alone, whether its
				// map is a slice of identity() or its own
				k, m := AppendKey(nil, nil, fd.Runes, tk.Start, tk.End)
				if string(k) != tk.Key || !slices.Equal(m, tk.KeyMap) {
					t.Fatalf("token [%d,%d): key %q map %v, want %q %v", tk.Start, tk.End, tk.Key, tk.KeyMap, string(k), m)
				}
			}
			last := tk.Start
			for _, m := range tk.KeyMap {
				if m < last || m >= tk.End {
					t.Fatalf("key map %v out of token [%d,%d)", tk.KeyMap, tk.Start, tk.End)
				}
				last = m
			}
		}
	})
}
