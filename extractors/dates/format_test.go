package dates

import (
	"fmt"
	"testing"
	"time"

	"github.com/hadath/hadath/pipeline"
)

// TestCategoriesFitMask checks that every category has its own bit in
// scan.cats.
func TestCategoriesFitMask(t *testing.T) {
	if cAmbMonth >= 64 {
		t.Fatalf("%d categories do not fit a uint64", cAmbMonth+1)
	}
}

// TestFormatsMatchFmt compares the hand-written formats with time.Format
// and fmt, in and out of the years they write by hand.
func TestFormatsMatchFmt(t *testing.T) {
	for _, y := range []int{-10000, -1, 0, 7, 99, 999, 1436, 2015, 9999, 10000, 123456} {
		for _, m := range []time.Month{1, 2, 11, 12} {
			for _, d := range []int{1, 9, 10, 28, 31} {
				tm := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
				if got, want := fmtDay(tm), tm.Format("2006-01-02"); got != want {
					t.Errorf("fmtDay(%v) = %q, want %q", tm, got, want)
				}
				if got, want := fmtMonth(tm), tm.Format("2006-01"); got != want {
					t.Errorf("fmtMonth(%v) = %q, want %q", tm, got, want)
				}
				wy, w := tm.ISOWeek()
				if got, want := fmtWeek(tm), fmt.Sprintf("%04d-W%02d", wy, w); got != want {
					t.Errorf("fmtWeek(%v) = %q, want %q", tm, got, want)
				}
			}
		}
		if got, want := fmtYear(y), fmt.Sprintf("%04d", y); got != want {
			t.Errorf("fmtYear(%d) = %q, want %q", y, got, want)
		}
	}
}

// TestSetTextsSharesConversion checks the texts of setTexts against the
// string conversion of each mention's runes, invalid runes included.
func TestSetTextsSharesConversion(t *testing.T) {
	f := &pipeline.Field{Runes: []rune{'a', 'ب', 0xD800, '😀', -1, 'c', 0x10FFFF + 1, 'ز'}}
	sc := &scan{f: f}
	out := []pipeline.DateMention{{Start: 0, End: 2}, {Start: 2, End: 5}, {Start: 5, End: 8}, {Start: 1, End: 1}}
	sc.setTexts(out)
	for _, d := range out {
		if want := string(f.Runes[d.Start:d.End]); d.Text != want {
			t.Errorf("[%d,%d): %q, want %q", d.Start, d.End, d.Text, want)
		}
	}
}

// TestValidDate compares validDate with the round trip through time.Date
// it replaces, on every year it accepts and a little beyond.
func TestValidDate(t *testing.T) {
	for y := -1; y <= 10001; y++ {
		for m := -1; m <= 14; m++ {
			for d := -1; d <= 33; d++ {
				want := false
				if m >= 1 && m <= 12 && d >= 1 && d <= 31 && y >= 1 && y <= 9999 {
					tt := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
					want = tt.Day() == d && int(tt.Month()) == m
				}
				if got := validDate(y, m, d); got != want {
					t.Fatalf("validDate(%d, %d, %d) = %v, want %v", y, m, d, got, want)
				}
			}
		}
	}
}

// TestRunesAre compares runesAre with the string conversion it replaces in
// punct, on the keys punct is given and runes around them, invalid ones
// included.
func TestRunesAre(t *testing.T) {
	keys := []string{",", "،", ".", ";", "؛", "!", "?", "؟", ":", "/", "(", ")", "\\", "|", "-", ""}
	runes := []rune{',', '،', '.', ';', '؛', '!', '?', '؟', ':', '/', '(', ')', '\\', '|', '-', 'a', 0xD800, -1, 0x110000, 0xFFFD}
	var cases [][]rune
	cases = append(cases, nil)
	for _, a := range runes {
		cases = append(cases, []rune{a})
		for _, b := range runes {
			cases = append(cases, []rune{a, b})
		}
	}
	for _, rs := range cases {
		for _, k := range keys {
			if got, want := runesAre(rs, k), string(rs) == k; got != want {
				t.Errorf("runesAre(%q, %q) = %v, want %v", rs, k, got, want)
			}
		}
	}
}
