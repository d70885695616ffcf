package dates

import (
	"fmt"
	"time"
)

// The Hijri dates are converted with the tabular (arithmetic) Islamic
// calendar, civil epoch (1 Muharram 1 AH = 16 July 622 Julian), with the
// usual 11 leap years in 30. Countries that follow moon sighting or Umm
// al-Qura may differ by one day, rarely two.

const jdnUnixEpoch = 2440588 // Julian day number of 1970-01-01

// hijriToJDN returns the Julian day number of a tabular Hijri date.
func hijriToJDN(y, m, d int) int {
	return d + (59*(m-1)+1)/2 + (y-1)*354 + floorDiv(3+11*y, 30) + 1948439
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func jdnToTime(jdn int) time.Time {
	return time.Unix(int64(jdn-jdnUnixEpoch)*86400, 0).UTC()
}

func timeToJDN(t time.Time) int {
	days := floorDiv(int(t.Unix()), 86400)
	return days + jdnUnixEpoch
}

// hijriToGregorian converts a tabular Hijri date.
func hijriToGregorian(y, m, d int) time.Time {
	return jdnToTime(hijriToJDN(y, m, d))
}

// hijriYearOf returns the tabular Hijri year holding t.
func hijriYearOf(t time.Time) int {
	jd := timeToJDN(t)
	return floorDiv(30*(jd-1948440)+10646, 10631)
}

// hijriMonthLen is 30 for odd months, 29 for even ones, and 30 for the last
// month of a leap year.
func hijriMonthLen(y, m int) int {
	if m == 12 {
		return hijriToJDN(y+1, 1, 1) - hijriToJDN(y, 12, 1)
	}
	return hijriToJDN(y, m+1, 1) - hijriToJDN(y, m, 1)
}

// validDate reports whether d is a day of month m of year y (1 to 9999)
// in the proleptic Gregorian calendar that package time uses.
func validDate(y, m, d int) bool {
	if m < 1 || m > 12 || d < 1 || y < 1 || y > 9999 {
		return false
	}
	return d <= monthDays(y, m)
}

// monthDays returns the number of days of month m (1-12) of year y.
func monthDays(y, m int) int {
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	return daysIn[m]
}

var daysIn = [13]int{0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

func day(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// fmtDay formats t as YYYY-MM-DD. Years 0 to 9999 are written by hand (one
// allocation), others by time.Format.
func fmtDay(t time.Time) string {
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.Format("2006-01-02")
	}
	var b [10]byte
	put4(b[:], y)
	b[4] = '-'
	put2(b[5:], int(m))
	b[7] = '-'
	put2(b[8:], d)
	return string(b[:])
}

// fmtMonth formats t as YYYY-MM, as fmtDay does.
func fmtMonth(t time.Time) string {
	y, m, _ := t.Date()
	if y < 0 || y > 9999 {
		return t.Format("2006-01")
	}
	var b [7]byte
	put4(b[:], y)
	b[4] = '-'
	put2(b[5:], int(m))
	return string(b[:])
}

// fmtYear formats y as %04d.
func fmtYear(y int) string {
	if y < 0 || y > 9999 {
		return fmt.Sprintf("%04d", y)
	}
	var b [4]byte
	put4(b[:], y)
	return string(b[:])
}

// fmtWeek formats the ISO week of t as YYYY-Www.
func fmtWeek(t time.Time) string {
	y, w := t.ISOWeek()
	if y < 0 || y > 9999 || w < 0 || w > 99 {
		return fmt.Sprintf("%04d-W%02d", y, w)
	}
	var b [8]byte
	put4(b[:], y)
	b[4], b[5] = '-', 'W'
	put2(b[6:], w)
	return string(b[:])
}

// put4 writes n, from 0 to 9999, as four digits.
func put4(b []byte, n int) {
	b[0] = byte('0' + n/1000)
	b[1] = byte('0' + n/100%10)
	b[2] = byte('0' + n/10%10)
	b[3] = byte('0' + n%10)
}

// put2 writes n, from 0 to 99, as two digits.
func put2(b []byte, n int) {
	b[0] = byte('0' + n/10)
	b[1] = byte('0' + n%10)
}

func absDays(a, b time.Time) int {
	d := int(a.Sub(b).Hours() / 24)
	if d < 0 {
		d = -d
	}
	return d
}

var weekdayNames = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}
