package quantities

import (
	"os"
	"testing"
)

func FuzzQuantities(f *testing.F) {
	for _, c := range quantityCases {
		f.Add(c.in)
	}
	f.Add("بـ٦٫٢ مليون ونصف ،،1,2,3 ٪ 999999999999999999999999 ألف مليار مليار")
	st := New(nil)
	f.Fuzz(func(t *testing.T, text string) {
		doc, fl := newDoc(text)
		if err := dateStage.Process(doc); err != nil {
			t.Fatalf("%q: dates: %v", text, err)
		}
		if err := st.Process(doc); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		prev := 0
		for _, q := range fl.Quantities {
			if q.Start < 0 || q.End > len(fl.Runes) || q.Start >= q.End || q.Start < prev {
				t.Fatalf("%q: bad offsets %+v", text, q)
			}
			if q.Text != string(fl.Runes[q.Start:q.End]) {
				t.Fatalf("%q: text %q != %q", text, q.Text, string(fl.Runes[q.Start:q.End]))
			}
			prev = q.End
		}
	})
}

func BenchmarkQuantities(b *testing.B) {
	data, err := os.ReadFile("../../testdata/seed-aleppo-2016-12-07.txt")
	if err != nil {
		b.Fatal(err)
	}
	st := New(nil)
	doc, f := newDoc(string(data))
	if err := dateStage.Process(doc); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Quantities = nil
		if err := st.Process(doc); err != nil {
			b.Fatal(err)
		}
	}
}
