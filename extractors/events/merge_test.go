package events_test

import (
	"testing"

	"github.com/hadath/hadath/pipeline"
)

func count(evs []pipeline.Event, typ string) int {
	n := 0
	for _, e := range evs {
		if e.Type == typ {
			n++
		}
	}
	return n
}

func TestMergeMentions(t *testing.T) {
	// the seed's refusal: a heading, a sentence naming the addressee and
	// a reported statement with its own date are one refused withdrawal
	evs := extract(t, "الفصائل ترفض الانسحاب من حلب. وأبلغت الفصائل المسلحة في حلب واشنطن رفضها الانسحاب من المدينة. "+
		"وأفاد سمير نشار، الأربعاء 6 ديسمبر/كانون الأول، بأن الفصائل المسلحة ترفض الانسحاب من حلب.")
	if n := count(evs, "withdrawal"); n != 1 {
		t.Fatalf("withdrawal events: %d, want 1: %+v", n, evs)
	}
	ev := find(evs, "withdrawal")
	if ev.Status != "refused" || len(ev.Evidence) != 3 || ev.Location == nil || ev.Location.ID != "sy-aleppo" {
		t.Errorf("merged refusal: status %s, evidence %+v, location %+v", ev.Status, ev.Evidence, ev.Location)
	}
	if ev.Evidence[0].Start != ev.Trigger.Start || ev.Evidence[2].Sentence != 2 {
		t.Errorf("evidence order: %+v", ev.Evidence)
	}
	if ev.Date == nil || ev.Date.Value != "2016-12-06" {
		t.Errorf("merged date (from the text, not the document): %+v", ev.Date)
	}

	// a later mention of the attack in a smaller place of the same
	// country is the same attack, and gives it its place
	evs = extract(t, "قتل 12 شخصا عندما هاجم انتحاريان حمام سباحة في العراق. وأسفر الهجوم الذي وقع في الموصل عن إصابة 45 شخصا.")
	if n := count(evs, "attack"); n != 1 {
		t.Fatalf("attacks: %d, want 1: %+v", n, evs)
	}
	if ev = find(evs, "attack"); ev.Location == nil || ev.Location.ID != "iq-mosul" {
		t.Errorf("merged place: %+v", ev.Location)
	}

	// different statuses, places or dates from the text stay apart
	cases := []struct {
		text, typ string
		want      int
	}{
		{"دعت الأمم المتحدة إلى هدنة في اليمن. ورفض الحوثيون الهدنة.", "ceasefire", 2},
		{"قصفت الطائرات حمص. وقصفت الطائرات إدلب.", "attack", 2},
		{"قتل خمسة في انفجار في صنعاء يوم 3 يوليو 2015. وقتل ثلاثة في انفجار في صنعاء يوم 5 يوليو 2015.", "attack", 2},
		// a medical evacuation and an evacuation of civilians
		{"طالبت المعارضة بإجلاء الحالات الطبية من حلب. كما طالبت بإجلاء المدنيين إلى ريف حلب الشمالي.", "evacuation", 2},
	}
	for _, c := range cases {
		if n := count(extract(t, c.text), c.typ); n != c.want {
			t.Errorf("%q: %d %s events, want %d", c.text, n, c.typ, c.want)
		}
	}
}

func TestIDsSurviveMerging(t *testing.T) {
	one := extract(t, "الفصائل ترفض الانسحاب من حلب.")
	two := extract(t, "الفصائل ترفض الانسحاب من حلب. وقال نشار إن الفصائل ترفض الانسحاب من حلب.")
	if len(one) != 1 || len(two) != 1 || one[0].ID != two[0].ID {
		t.Errorf("the first mention's id should be kept: %v / %v", one, two)
	}
}

func TestCasualtiesFoldIntoAttack(t *testing.T) {
	// same sentence: the attack's toll
	evs := extract(t, "قتل 18 شخصا وأصيب 30 آخرون في سقوط صاروخ على حي في حلب.")
	ev := find(evs, "attack")
	if ev == nil || find(evs, "casualties") != nil {
		t.Fatalf("want one attack and no casualties: %+v", evs)
	}
	got := map[string]float64{}
	for _, q := range ev.Quantities {
		got[q.Role] = q.Value
	}
	if got["killed"] != 18 {
		t.Errorf("toll: %v", got)
	}
	// the next sentence, without a place of its own: still the toll
	evs = extract(t, "انفجرت سيارة مفخخة في سوق ببغداد. وقال الشهود إن من بين القتلى أطفالا.")
	if find(evs, "casualties") != nil || count(evs, "attack") != 1 {
		t.Errorf("anaphoric casualties: %+v", evs)
	}
	// a killing elsewhere is not the attack's
	evs = extract(t, "قصفت تركيا مواقع في سوريا. ووسط التوتر الذي غذاه مقتل شرطي في ديار بكر، عقدت الحكومة اجتماعا.")
	if find(evs, "casualties") == nil {
		t.Errorf("a killing in another place was folded: %+v", evs)
	}
	// English: a singular victim counts one
	evs = extract(t, "An armed islamist was killed on Tuesday by the Algerian army in Jijel.")
	if ev = find(evs, "casualties"); ev == nil || len(ev.Quantities) == 0 || ev.Quantities[0].Value != 1 {
		t.Errorf("singular victim: %+v", evs)
	}
	evs = extract(t, "Army troops killed a militant in Bouira.")
	if ev = find(evs, "casualties"); ev == nil || len(ev.Quantities) == 0 || ev.Quantities[0].Value != 1 || ev.Quantities[0].Text != "a" {
		t.Errorf("singular victim, active: %+v", evs)
	}
}

func TestStatusScope(t *testing.T) {
	cases := []struct {
		text, typ, status string
	}{
		// negation covers the next words only
		{"لم يرد تأكيد مستقل للهجوم على السفينة", "attack", "occurred"},
		{"لم يتم إجلاء أي مدنيين من مضايا", "evacuation", "negated"},
		{"انتهى الحادث دون وقوع إصابات", "casualties", "negated"},
		// calling to respect a truce does not propose it
		{"طالبت الجامعة العربية المليشيات باحترام هذه الهدنة في اليمن", "ceasefire", "occurred"},
		// a source's request for anonymity is not a proposal
		{"وقال المصدر الذي طلب عدم الكشف عن اسمه إن القوات تتقدم نحو الجامعة", "capture", "occurred"},
		// ل of purpose
		{"بدأت القوات الأمنية عملية عسكرية لتحرير جامعة الأنبار", "capture", "proposed"},
		{"بدأت القوات الأمنية عملية عسكرية لتحرير جامعة الأنبار", "attack", "occurred"},
		{"تعرضت القوات لهجوم في درعا", "attack", "occurred"},
		// an attempt
		{"كثفت المعارضة قصفها في محاولة جديدة لانتزاع السيطرة على المدينة", "capture", "proposed"},
		// a start date after the document date
		{"أعلن التحالف بدء هدنة إنسانية يوم 10 ديسمبر 2016", "ceasefire", "planned"},
		// "وقع" is "happened", not "signed"
		{"وأكدت الشرطة الهجوم الذي وقع قرب بنغازي", "attack", "occurred"},
		{"وقعت القبيلتان اتفاقا لوقف إطلاق النار في سبها", "ceasefire", "agreed"},
		// the present tense states control, not a capture
		{"يسيطر التنظيم على مناطق واسعة في سوريا", "capture", ""},
	}
	for _, c := range cases {
		evs := extract(t, c.text)
		ev := find(evs, c.typ)
		if c.status == "" {
			if ev != nil {
				t.Errorf("%q: unexpected %s event %+v", c.text, c.typ, ev)
			}
			continue
		}
		if ev == nil {
			t.Errorf("%q: no %s event (got %+v)", c.text, c.typ, evs)
			continue
		}
		if ev.Status != c.status {
			cue := ""
			if ev.StatusCue != nil {
				cue = ev.StatusCue.Text
			}
			t.Errorf("%q: %s status %s (cue %q), want %s", c.text, c.typ, ev.Status, cue, c.status)
		}
	}
}

func TestMovementPlaceNotTheAddressee(t *testing.T) {
	evs := extract(t, "أبلغت الفصائل المسلحة واشنطن رفضها الانسحاب من المدينة.")
	if ev := find(evs, "withdrawal"); ev == nil || ev.Location != nil {
		t.Errorf("the addressee is not where the withdrawal is: %+v", evs)
	}
}

func TestEnglishProtestTriggers(t *testing.T) {
	for _, s := range []string{
		"Students marched in Tizi Ouzou.",
		"Public housing applicants demonstrated in Oran.",
		"Residents blocked the road to demand water.",
		"A group of workers went on strike in Chlef.",
	} {
		if find(extract(t, s), "protest") == nil {
			t.Errorf("%q: no protest", s)
		}
	}
	if find(extract(t, "An air strike hit the town."), "protest") != nil {
		t.Error("an air strike is not a strike")
	}
}
