package geonames

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hadath/hadath/gazetteers"
)

func load(t *testing.T, name string, data []byte) *gazetteers.Gazetteer {
	t.Helper()
	g, errs := gazetteers.Load([]gazetteers.Source{{Name: name, Data: data}})
	if err := errs.Err(); err != nil {
		t.Fatalf("output does not load:\n%v\n%s", err, data)
	}
	return g
}

func TestKind(t *testing.T) {
	cases := []struct {
		class, code string
		pop         int64
		want        string
	}{
		{"P", "PPLC", 0, "city"}, {"P", "PPLA", 0, "city"}, {"P", "PPL", 5000, "town"}, {"P", "PPL", 200000, "city"},
		{"P", "PPLA2", 20000, "town"}, {"P", "PPLX", 0, "neighbourhood"}, {"P", "PPLH", 0, ""}, {"P", "PPLL", 0, "village"},
		{"A", "ADM1", 0, "governorate"}, {"A", "ADM2", 0, "district"}, {"A", "PCLI", 0, "country"}, {"A", "ADM1H", 0, ""},
		{"L", "RGN", 0, "region"}, {"T", "MT", 0, "landmark"}, {"U", "x", 0, ""},
	}
	for _, c := range cases {
		if got := Kind(c.class, c.code, c.pop); got != c.want {
			t.Errorf("Kind(%s, %s, %d) = %q, want %q", c.class, c.code, c.pop, got, c.want)
		}
	}
}

func TestImportMainTable(t *testing.T) {
	for _, path := range []string{"testdata/mini.txt", "testdata/mini.zip"} {
		var b bytes.Buffer
		st, err := Import(path, &b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		// PPLH and the mountain (class T) are left out
		if st.Rows != 11 || st.Entries != 9 || st.Skipped != 2 {
			t.Errorf("%s: stats %+v", path, st)
		}
		g := load(t, "out.yaml", b.Bytes())
		a := g.ByID("gn-1001")
		if a == nil {
			t.Fatalf("%s: no gn-1001 in\n%s", path, b.String())
		}
		if a.Kind != "city" || a.Country != "SY" || a.Admin1 != "09" || a.Population != 1602264 || a.GeoNames != 1001 ||
			a.Lat == nil || *a.Lat != 36.20124 || a.Parent != "gn-1002" {
			t.Errorf("gn-1001: %+v", a)
		}
		// Arabic names by script, diacritics removed, deduplicated by
		// match key; the governorate's name is not the city's
		if got := strings.Join(a.Names.In("ar"), "|"); got != "حلب|حلب الشهباء" {
			t.Errorf("ar names %q", got)
		}
		if got := strings.Join(a.Names.In("en"), "|"); got != "Ḩalab" {
			t.Errorf("en names %q", got)
		}
		if gov := g.ByID("gn-1002"); gov.Kind != "governorate" || gov.Name("ar") != "محافظة حلب" {
			t.Errorf("gn-1002: %+v", gov)
		}
		if c := g.ByID("gn-1007"); c.Kind != "country" || c.Parent != "" || c.Admin1 != "" {
			t.Errorf("gn-1007: %+v", c)
		}
	}
}

func TestImportFilters(t *testing.T) {
	var b bytes.Buffer
	st, err := Import("testdata/mini.txt", &b, Options{Countries: []string{"LY", "LB"}})
	if err != nil {
		t.Fatal(err)
	}
	g := load(t, "out.yaml", b.Bytes())
	if st.Entries != 2 || g.ByID("gn-1009") == nil || g.ByID("gn-1010") == nil {
		t.Errorf("countries: %+v\n%s", st, b.String())
	}
	b.Reset()
	if _, err := Import("testdata/mini.txt", &b, Options{FeatureClasses: []string{"P"}, MinPopulation: 1000}); err != nil {
		t.Fatal(err)
	}
	g = load(t, "out.yaml", b.Bytes())
	if g.ByID("gn-1005") != nil || g.ByID("gn-1002") != nil || g.ByID("gn-1004") == nil {
		t.Errorf("classes/population:\n%s", b.String())
	}
	// without the ADM1 row, no parent
	if p := g.ByID("gn-1004").Parent; p != "" {
		t.Errorf("parent %q without its entry", p)
	}
	b.Reset()
	if _, err := Import("testdata/mini.txt", &b, Options{FeatureClasses: []string{"T"}}); err != nil {
		t.Fatal(err)
	}
	if g = load(t, "out.yaml", b.Bytes()); len(g.Entries) != 1 || g.Entries[0].Kind != "landmark" {
		t.Errorf("class T:\n%s", b.String())
	}
}

func TestImportAlternateNames(t *testing.T) {
	var b bytes.Buffer
	if _, err := Import("testdata/mini.txt", &b, Options{AlternateNames: "testdata/alternates.txt"}); err != nil {
		t.Fatal(err)
	}
	g := load(t, "out.yaml", b.Bytes())
	a := g.ByID("gn-1001")
	// preferred English name first; colloquial and historic names dropped
	if got := strings.Join(a.Names.In("en"), "|"); got != "Aleppo|Ḩalab" {
		t.Errorf("en %q", got)
	}
	if got := strings.Join(a.Names.In("ar"), "|"); got != "حلب|حلب الشهباء" {
		t.Errorf("ar %q", got)
	}
	// an admin name of the governorate is not a name of the city
	if got := strings.Join(g.ByID("gn-1003").Names.In("ar"), "|"); got != "طرطوس" {
		t.Errorf("Tartus ar %q", got)
	}
	if got := g.ByID("gn-1003").Name("en"); got != "Tartus" {
		t.Errorf("Tartus en %q", got)
	}
}

func TestImportSkipsExisting(t *testing.T) {
	existing, errs := gazetteers.Load([]gazetteers.Source{{Name: "d.yaml", Data: []byte(`entries:
  - {id: sy-aleppo, type: place, kind: city, country: "SY", lat: 36.2, lon: 37.13, names: {ar: [حلب], en: [Aleppo]}}
  - {id: lb-tripoli, type: place, kind: city, country: "LB", names: {ar: [طرابلس]}}
  - {id: far-bab, type: place, kind: city, country: "SY", lat: 33.0, lon: 36.0, names: {ar: [الباب]}}
`)}})
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	st, err := Import("testdata/mini.txt", &b, Options{Existing: existing})
	if err != nil {
		t.Fatal(err)
	}
	g := load(t, "out.yaml", b.Bytes())
	// Aleppo (same name, 6 km) is a duplicate; al-Bab (a default 370 km
	// away) and Tripoli LY (another country) are not; Tripoli LB is
	// (the default has no coordinates)
	if g.ByID("gn-1001") != nil || g.ByID("gn-1004") == nil || g.ByID("gn-1009") == nil || g.ByID("gn-1010") != nil {
		t.Errorf("duplicates: %+v\n%s", st, b.String())
	}
	if st.Duplicates != 2 {
		t.Errorf("Duplicates = %d", st.Duplicates)
	}
	// the parent of a kept entry is still written
	if g.ByID("gn-1004").Parent != "gn-1002" {
		t.Errorf("parent lost")
	}
}

func TestImportErrors(t *testing.T) {
	var b bytes.Buffer
	if _, err := Import("testdata/iso.tsv", &b, Options{}); err == nil || !strings.Contains(err.Error(), "testdata/iso.tsv:1: 7 columns, want 19") {
		t.Errorf("wrong table: %v", err)
	}
	if _, err := Import("testdata/none.txt", &b, Options{}); err == nil {
		t.Error("missing file accepted")
	}
}

func TestImportISO3166(t *testing.T) {
	var b bytes.Buffer
	n, err := ImportISO3166("testdata/iso.tsv", &b)
	if err != nil {
		t.Fatal(err)
	}
	g := load(t, "iso.yaml", b.Bytes())
	if n != 2 || len(g.Entries) != 2 {
		t.Fatalf("%d entries:\n%s", n, b.String())
	}
	sy := g.ByID("country-sy")
	if sy.Kind != "country" || sy.Country != "SY" || sy.Name("ar") != "الجمهورية العربية السورية" || sy.Name("en") != "Syrian Arab Republic" {
		t.Errorf("SY: %+v", sy)
	}
	if got := strings.Join(g.ByID("country-ly").Names.In("ar"), "|"); got != "ليبيا|دولة ليبيا" {
		t.Errorf("LY ar %q", got)
	}
	if _, err := ImportISO3166("testdata/mini.txt", &b); err == nil || !strings.Contains(err.Error(), `no "alpha_2" column`) {
		t.Errorf("bad header: %v", err)
	}
}

func TestIsArabicName(t *testing.T) {
	for s, want := range map[string]bool{"حلب": true, "حلب الشهباء": true, "Aleppo": false, "پاریس": false, "گرگان": false, "حلبX": false, "": false, "سنە": false, "ٱلقدس": true, "حلـب": true} {
		if got := isArabicName(s); got != want {
			t.Errorf("isArabicName(%q) = %v", s, got)
		}
	}
}

func TestWriteFileAtomicDevice(t *testing.T) {
	// a device is written, not replaced by a regular file
	if err := WriteFileAtomic(os.DevNull, func(w io.Writer) error {
		_, err := io.WriteString(w, "x")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(os.DevNull); err != nil || fi.Mode().IsRegular() {
		t.Fatalf("%s: %v %v", os.DevNull, fi.Mode(), err)
	}
	path := filepath.Join(t.TempDir(), "out.yaml")
	if err := WriteFileAtomic(path, func(w io.Writer) error {
		_, err := io.WriteString(w, "x")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "x" {
		t.Fatalf("%q %v", b, err)
	}
}
