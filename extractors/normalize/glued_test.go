package normalize

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hadath/hadath/pipeline"
)

// TestGluedMemoAgrees checks that the memo of repair decisions changes
// nothing: the tokens of texts repaired with a memo (cold, then warm, then
// with thousands of other keys evicting slots) equal those repaired
// without one.
func TestGluedMemoAgrees(t *testing.T) {
	v := vocab{"حلب": true, "السوري": true, "الجيش": true, "دمشق": true}
	s := New(Options{FunctionWords: []string{"في", "على", "من"}, Vocabulary: v})
	words := []string{"فيحلبفي", "السوريعلى", "الجيشفيدمشق", "منعلىفي", "المدنيين", "عنوان",
		"فيحلبفيحلبفيحلبفيحلبفيحلب", // longer than a memo slot holds
		"فيحلبعلىحلبمنحلبفيحلبعلىحلبمنحلبفيحلب", "Aleppo", "والمدينة"}
	// thousands of distinct long keys, some glued, to make slots collide
	letters := []rune("بتثجحخدذرزسشصضطظعغفقكلمنهوي")
	for i := 0; i < 6000; i++ {
		w := []rune{letters[i%len(letters)], letters[(i/len(letters))%len(letters)], letters[(i/7)%len(letters)], 'ا', 'ت', 'ن'}
		v[Key(string(w))] = true
		switch i % 3 {
		case 0:
			words = append(words, "في"+string(w)+"حلب")
		case 1:
			words = append(words, string(w)+"الجيش")
		default:
			words = append(words, string(w)+string(w))
		}
	}
	text := strings.Join(words, " ")
	want := repairWith(t, s, text, nil)
	m := new(gluedMemo)
	for round := 0; round < 3; round++ {
		if got := repairWith(t, s, text, m); !reflect.DeepEqual(got, want) {
			t.Fatalf("round %d: tokens with the memo differ from tokens without", round)
		}
	}
	glued := 0
	for _, tk := range want {
		if tk.Glued {
			glued++
		}
	}
	if glued < 4000 {
		t.Fatalf("only %d glued pieces: the test does not exercise repair", glued)
	}
}

func repairWith(t *testing.T, s *Stage, text string, m *gluedMemo) []pipeline.Token {
	t.Helper()
	rs := []rune(text)
	sc := getScratch()
	defer sc.release()
	var buf []pipeline.Token
	return exact(s.repair(sc.tokenize(rs, true), &buf, m))
}
