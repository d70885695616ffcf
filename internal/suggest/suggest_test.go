package suggest

import (
	"reflect"
	"testing"
)

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"حلب", "حلب", 0}, {"حلب", "حلبة", 1}, {"حلب", "جلب", 1},
		{"حلب", "لحب", 1}, {"kind", "kidn", 1}, {"aleppo", "alepo", 1}, {"abc", "cba", 2},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestNear(t *testing.T) {
	x := New([]string{"حلب", "حمص", "ادلب", "aleppo", "aleppo", "kind", "kinds"})
	if x.Len() != 6 {
		t.Errorf("Len = %d", x.Len())
	}
	cases := map[string][]string{
		"حلبة":    {"حلب"},
		"جلب":     {"حلب"},
		"لحب":     {"حلب"},
		"حلب":     nil, // itself is not a near miss
		"alepo":   {"aleppo"},
		"aleppoo": {"aleppo"},
		"kidn":    {"kind"},
		"kind":    {"kinds"},
		"xyz":     nil,
	}
	for q, want := range cases {
		if got := x.Near(q); !reflect.DeepEqual(got, want) {
			t.Errorf("Near(%q) = %q, want %q", q, got, want)
		}
	}
	if got := Closest("contry", []string{"country", "kind", "lat"}, 2); got != "country" {
		t.Errorf("Closest = %q", got)
	}
	if got := Closest("zzz", []string{"country"}, 2); got != "" {
		t.Errorf("Closest = %q", got)
	}
}
