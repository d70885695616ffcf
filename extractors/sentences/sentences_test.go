package sentences

import (
	"testing"
	"unicode"

	"github.com/hadath/hadath/extractors/normalize"
	"github.com/hadath/hadath/pipeline"
)

func split(text string) []string {
	rs := []rune(text)
	f := &pipeline.Field{Name: "text", Text: text, Runes: rs, Tokens: normalize.Tokenize(rs)}
	s := New([]string{"Dec", "Gen", "Mr", "د", "م"})
	var out []string
	for _, st := range s.Split(f) {
		out = append(out, string(rs[st.Start:st.End]))
	}
	return out
}

func TestSplit(t *testing.T) {
	cases := []struct {
		text string
		want []string
	}{
		{"قصفت الطائرات حلب، وقتل 5 مدنيين. وفر السكان.", []string{"قصفت الطائرات حلب، وقتل 5 مدنيين.", "وفر السكان."}},
		{"هل تعلن الهدنة؟ لا أحد يعرف", []string{"هل تعلن الهدنة؟", "لا أحد يعرف"}},
		{"قال د. أحمد إن الوضع صعب.", []string{"قال د. أحمد إن الوضع صعب."}},
		{"The U.S. said on Dec. 7 that 2.5 million fled. Talks resumed.", []string{"The U.S. said on Dec. 7 that 2.5 million fled.", "Talks resumed."}},
		{"He said: \"We refuse.\" Then he left.", []string{"He said: \"We refuse.\"", "Then he left."}},
		{"الجيش السوري يخترق حلب القديمة\nوطالبت وثيقة بإجلاء المدنيين", []string{"الجيش السوري يخترق حلب القديمة", "وطالبت وثيقة بإجلاء المدنيين"}},
		{"Gen. Smith arrived!!! Fighting stopped", []string{"Gen. Smith arrived!!!", "Fighting stopped"}},
		{"بلغ العدد ٦٫٢ مليون. انتهى", []string{"بلغ العدد ٦٫٢ مليون.", "انتهى"}},
		{"", nil},
		{"...", []string{"..."}},
	}
	for _, c := range cases {
		got := split(c.text)
		if len(got) != len(c.want) {
			t.Errorf("%q: got %q, want %q", c.text, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%q: sentence %d = %q, want %q", c.text, i, got[i], c.want[i])
			}
		}
	}
}

func TestLang(t *testing.T) {
	for text, want := range map[string]string{"حلب مدينة": "ar", "Aleppo city": "en", "123 !": "und", "قالت وكالة Reuters إن القصف": "ar"} {
		if got := Lang([]rune(text)); got != want {
			t.Errorf("Lang(%q) = %s, want %s", text, got, want)
		}
	}
}

// TestLangEveryRune checks Lang's fast paths against the definition
// (Arabic letters against Latin letters) for each rune below U+10000.
func TestLangEveryRune(t *testing.T) {
	for r := rune(0); r < 0x10000; r++ {
		want := "und"
		if normalize.IsArabicLetter(r) {
			want = "ar"
		} else if r < 0x250 && unicode.IsLetter(r) {
			want = "en"
		}
		if got := Lang([]rune{r}); got != want {
			t.Fatalf("Lang(%U) = %s, want %s", r, got, want)
		}
	}
}
