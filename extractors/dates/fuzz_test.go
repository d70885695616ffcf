package dates

import (
	"os"
	"testing"
	"time"
)

func FuzzDates(f *testing.F) {
	for _, c := range dateCases {
		f.Add(c.in, true)
	}
	f.Add("", false)
	f.Add("بـ7 ديسمبر/ /2016-12- 07/12/ 1437 هـ،،", true)
	f.Add("وللعام ١٤٣٧ هـ ليلة الأربعاء 31 من شهر فبراير", false)
	st := New(nil)
	f.Fuzz(func(t *testing.T, text string, has bool) {
		var date time.Time
		if has {
			date = docDate
		}
		doc, fl := newDoc(text, date, has)
		if err := st.Process(doc); err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		prev := 0
		for _, d := range fl.Dates {
			if d.Start < 0 || d.End > len(fl.Runes) || d.Start >= d.End || d.Start < prev {
				t.Fatalf("%q: bad offsets %+v", text, d)
			}
			if d.Text != string(fl.Runes[d.Start:d.End]) {
				t.Fatalf("%q: text %q != %q", text, d.Text, string(fl.Runes[d.Start:d.End]))
			}
			prev = d.End
		}
	})
}

func BenchmarkDates(b *testing.B) {
	data, err := os.ReadFile("../../testdata/seed-aleppo-2016-12-07.txt")
	if err != nil {
		b.Fatal(err)
	}
	text := string(data)
	st := New(nil)
	doc, f := newDoc(text, docDate, true)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		f.Dates = nil
		if err := st.Process(doc); err != nil {
			b.Fatal(err)
		}
	}
}
