package geonames

import (
	"bytes"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/hadath/hadath/gazetteers"
	"github.com/hadath/hadath/rules"
)

// testFilter builds a name filter from the word lists in testdata, so that
// the tests do not move when the embedded defaults change.
func testFilter(t *testing.T) *NameFilter {
	t.Helper()
	lb, err := os.ReadFile("testdata/names-lexicon.yaml")
	if err != nil {
		t.Fatal(err)
	}
	lx, errs := gazetteers.ParseLexicon("names-lexicon.yaml", lb)
	if err := errs.Err(); err != nil {
		t.Fatal(err)
	}
	gb, err := os.ReadFile("testdata/names-defaults.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g := load(t, "names-defaults.yaml", gb)
	rs := &rules.Set{
		Language: rules.Language{FunctionWords: rules.ByLang{"ar": {"في"}}},
		Events:   rules.Events{Rules: []rules.Rule{{ID: "siege-ar", Lang: "ar", Triggers: []string{"حصار"}}}},
	}
	return NewNameFilter(lx, rs, g)
}

func TestImportNameFilter(t *testing.T) {
	var b, dropped bytes.Buffer
	st, err := Import("testdata/names.txt", &b, Options{Names: testFilter(t), Dropped: &dropped})
	if err != nil {
		t.Fatal(err)
	}
	g := load(t, "out.yaml", b.Bytes())
	want := map[string]struct{ ar, en string }{
		"gn-3001": {"كانمون", "Kanmont"},         // كان: function word
		"gn-3002": {"ونفورد", "Wanford"},         // فإن: function word after ف
		"gn-3003": {"كالي|بانفيل", "Banehville"}, // بأنه: ب + أنه; كالي kept (ك + إلى is no word)
		"gn-3004": {"سناباد", "Sanabad"},         // سنة: unit of time; سنە: Kurdish letter
		"gn-3005": {"أولمنغن", "Ulmingen"},       // الم, اله: one letter beside ال
		"gn-3006": {"باروفو", "Barovo"},          // بار: 3 letters, foreign town
		"gn-3007": {"قنا", "Qanat"},              // 3 letters, but an Arabic-speaking country
		"gn-3008": {"زور", "Zoron"},              // 3 letters, foreign, but 150 000 inhabitants
		"gn-3009": {"الوقفية", "Al Waqfiya"},     // وقفية beside الوقفية
		"gn-3010": {"الجديدة", "Al Jadid"},       // الجديد: الجديدة without ة; الجديدة gated by the lexicon
		"gn-3011": {"حصار الكبرى", "Hisar"},      // حصار, الحصار: event trigger
		"gn-3012": {"جامعة الواحة", "Djamaa"},    // جامعة, الجامعة: head of 3 organization names
		"gn-3014": {"نوكيا تاون", "Nokia Town"},  // نوكيا, Nokia: a default organization
		"gn-3015": {"", "Washington City"},       // واشنطن, Washington: the default is 2 900 km away
		"gn-3016": {"باريس", "Paris"},            // the default Paris itself: not a namesake
		"gn-3017": {"الإسكندرية", "Iskandariya"}, // an Arabic-speaking country keeps its names
		"gn-3018": {"تدمر", "Tadmur"},            // a lexicon common word: kept, gated
		"gn-3019": {"مرصد", "Marsad"},            // مدينة: place cue; مرصد heads only 2 names
	}
	for id, w := range want {
		e := g.ByID(id)
		if e == nil {
			t.Errorf("%s missing", id)
			continue
		}
		if got := strings.Join(e.Names.In("ar"), "|"); got != w.ar {
			t.Errorf("%s ar = %q, want %q", id, got, w.ar)
		}
		if got := strings.Join(e.Names.In("en"), "|"); got != w.en {
			t.Errorf("%s en = %q, want %q", id, got, w.en)
		}
	}
	// Lebanon, Pennsylvania has no name left: not written
	if g.ByID("gn-3013") != nil || len(g.Entries) != len(want) || st.Entries != len(want) {
		t.Errorf("%d entries (stats %d), want %d", len(g.Entries), st.Entries, len(want))
	}
	wantDropped := map[string]int{DropFunction: 4, DropCommon: 6, DropShort: 2, DropForeignShort: 1, DropBare: 1, DropNamesake: 6}
	for r, n := range wantDropped {
		if st.Dropped[r] != n {
			t.Errorf("Dropped[%s] = %d, want %d (%v)", r, st.Dropped[r], n, st.Dropped)
		}
	}
	if len(st.Dropped) != len(wantDropped) || st.Gated != 2 || st.WithArabic != len(want)-1 {
		t.Errorf("stats %+v", st)
	}
	if got, want := st.DroppedSummary(), "20 (4 function word, 6 common word, 2 short, 1 3-letter foreign, 1 article dropped, 6 namesake of a default place)"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
	lines := strings.Split(strings.TrimSpace(dropped.String()), "\n")
	sort.Strings(lines)
	wantLines := []string{
		"gn-3001\tكان\tfunction word",
		"gn-3002\tفإن\tfunction word (with proclitics)",
		"gn-3003\tبأنه\tfunction word (with proclitics)",
		"gn-3004\tسنة\tfunction word",
		"gn-3005\tاله\tshort",
		"gn-3005\tالم\tshort",
		"gn-3006\tبار\t3-letter foreign",
		"gn-3009\tوقفية\tarticle dropped",
		"gn-3010\tالجديد\tcommon word (lexicon)",
		"gn-3011\tالحصار\tcommon word (event trigger)",
		"gn-3011\tحصار\tcommon word (event trigger)",
		"gn-3012\tالجامعة\tcommon word (organization head)",
		"gn-3012\tجامعة\tcommon word (organization head)",
		"gn-3013\tLebanon\tnamesake of a default place (LB)",
		"gn-3013\tلبنان\tnamesake of a default place (LB)",
		"gn-3014\tNokia\tnamesake of a default place (organization)",
		"gn-3014\tنوكيا\tnamesake of a default place (organization)",
		"gn-3015\tWashington\tnamesake of a default place (US)",
		"gn-3015\tواشنطن\tnamesake of a default place (US)",
		"gn-3019\tمدينة\tcommon word (place cue)",
	}
	sort.Strings(wantLines)
	if strings.Join(lines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("dropped names:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
}

func TestImportKeepNames(t *testing.T) {
	nf := testFilter(t)
	// --keep-common-names: only namesakes are left out
	var b bytes.Buffer
	st, err := Import("testdata/names.txt", &b, Options{Names: nf, KeepCommonNames: true})
	if err != nil {
		t.Fatal(err)
	}
	g := load(t, "out.yaml", b.Bytes())
	if got := strings.Join(g.ByID("gn-3005").Names.In("ar"), "|"); got != "الم|اله|أولمنغن" {
		t.Errorf("gn-3005 ar %q", got)
	}
	if g.ByID("gn-3013") != nil || st.Dropped[DropNamesake] != 6 || len(st.Dropped) != 1 || st.Gated != 0 {
		t.Errorf("stats %+v", st)
	}
	// --keep-namesakes: Lebanon, Pennsylvania is back
	b.Reset()
	st, err = Import("testdata/names.txt", &b, Options{Names: nf, KeepNamesakes: true})
	if err != nil {
		t.Fatal(err)
	}
	g = load(t, "out.yaml", b.Bytes())
	if e := g.ByID("gn-3013"); e == nil || e.Name("ar") != "لبنان" || st.Dropped[DropNamesake] != 0 || st.Dropped[DropShort] != 2 {
		t.Errorf("stats %+v\n%s", st, b.String())
	}
	// both: every name, as before the filter
	b.Reset()
	st, err = Import("testdata/names.txt", &b, Options{Names: nf, KeepCommonNames: true, KeepNamesakes: true})
	if err != nil {
		t.Fatal(err)
	}
	if g = load(t, "out.yaml", b.Bytes()); len(g.Entries) != 19 || len(st.Dropped) != 0 ||
		strings.Join(g.ByID("gn-3001").Names.In("ar"), "|") != "كان|كانمون" {
		t.Errorf("stats %+v\n%s", st, b.String())
	}
}

func TestNameFilterReason(t *testing.T) {
	nf := testFilter(t)
	fr := Place{Country: "FR", Population: 50000, Kind: "town", Lat: 45, Lon: 5}
	sy := Place{Country: "SY", Population: 50000, Kind: "town", Lat: 35, Lon: 38, Names: []string{"الرقة", "رقة"}}
	for _, c := range []struct {
		name string
		p    Place
		want string
	}{
		{"كان", fr, DropFunction},
		{"وأن", fr, DropFunction},  // و + أن
		{"فيه", fr, DropFunction},  // في + ه, a word of the list
		{"لأول", fr, DropFunction}, // ل + أول
		{"بذلك", fr, DropFunction}, // ب + ذلك
		{"كالي", fr, ""},           // ك + إلى: a preposition does not follow ب ك ل
		{"ومن", fr, DropFunction},  // و + من
		{"سنة", sy, DropFunction},
		{"الخميس", sy, DropFunction},
		{"الخمس", sy, ""}, // five with the article: a place name (not looked for with ال)
		{"حصار", sy, DropCommon},
		{"الحصار", sy, DropCommon},
		{"جامعة", sy, DropCommon},
		{"الجديد", sy, DropCommon},
		{"جديد", sy, DropCommon}, // الجديدة without ال and ة
		{"تدمر", sy, ""},         // gated by the matcher
		{"التدمر", sy, DropCommon},
		{"الم", sy, DropShort}, // one letter beside the article
		{"آلس", fr, DropShort}, // the key is ال + س whatever the hamza
		{"بار", fr, DropForeignShort},
		{"بار", sy, ""},
		{"بار", Place{Country: "FR", Population: 150000, Kind: "city"}, ""},
		{"رقة", sy, DropBare},
		{"الرقة", sy, ""},
		{"باب", sy, ""}, // not ب + آب: a month does not follow ب ك ل
		{"وآب", sy, DropFunction},
		{"باريس", fr, DropNamesake}, // 480 km from the default Paris
		{"باريس", Place{Country: "FR", Population: 2000000, Kind: "city", Lat: 48.85, Lon: 2.35}, ""},
		{"باريس", Place{Country: "US", Population: 20000, Kind: "town", Lat: 33.66, Lon: -95.55}, DropNamesake},
		{"Paris", Place{Country: "US", Population: 20000, Kind: "town", Lat: 33.66, Lon: -95.55}, DropNamesake},
		{"واشنطن", Place{Country: "US", Population: 20000, Kind: "town", Lat: 38.95, Lon: -77.0}, ""}, // 6 km: a duplicate
		{"الإسكندرية", Place{Country: "IQ", Population: 60000, Kind: "town", Lat: 32.9, Lon: 44.35}, ""},
		{"حصار الكبرى", sy, ""},
	} {
		if got := nf.Reason(c.name, c.p); got != c.want {
			t.Errorf("Reason(%q, %s) = %q, want %q", c.name, c.p.Country, got, c.want)
		}
	}
}

// TestDefaultNameFilter checks the embedded word lists are wired in, on
// words of the importer's own list.
func TestDefaultNameFilter(t *testing.T) {
	nf, err := DefaultNameFilter()
	if err != nil {
		t.Fatal(err)
	}
	fr := Place{Country: "FR", Population: 50000, Kind: "town", Lat: 45, Lon: 5}
	for name, want := range map[string]string{"كان": DropFunction, "فإن": DropFunction, "يوما": DropFunction, "الم": DropShort, "كانمون": ""} {
		if got := nf.Reason(name, fr); got != want {
			t.Errorf("Reason(%q) = %q, want %q", name, got, want)
		}
	}
	if len(nf.function) < 300 || len(nf.common) < 100 || len(nf.gated) < 50 || len(nf.places) < 1000 {
		t.Errorf("word lists: %d function, %d common, %d gated, %d place names", len(nf.function), len(nf.common), len(nf.gated), len(nf.places))
	}
}
