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
