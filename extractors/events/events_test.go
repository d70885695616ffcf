package events_test

import (
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/pipeline"
)

var pl *pipeline.Pipeline

func pipelineForTest(t *testing.T) *pipeline.Pipeline {
	t.Helper()
	if pl != nil {
		return pl
	}
	p, err := app.Default(zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	pl = p
	return p
}

func extract(t *testing.T, text string) []pipeline.Event {
	t.Helper()
	doc := &pipeline.Document{ID: "t", Text: text, Fields: []*pipeline.Field{{Name: "text", Text: text}},
		DocDate: time.Date(2016, 12, 7, 0, 0, 0, 0, time.UTC), HasDate: true}
	if err := pipelineForTest(t).Process(doc); err != nil {
		t.Fatal(err)
	}
	rs := doc.Fields[0].Runes
	for _, ev := range doc.Events {
		if string(rs[ev.Trigger.Start:ev.Trigger.End]) != ev.Trigger.Text {
			t.Fatalf("trigger offsets wrong: %+v", ev.Trigger)
		}
	}
	return doc.Events
}

func find(evs []pipeline.Event, typ string) *pipeline.Event {
	for i := range evs {
		if evs[i].Type == typ {
			return &evs[i]
		}
	}
	return nil
}

func TestStatusCues(t *testing.T) {
	cases := []struct {
		text, typ, status string
	}{
		{"دعت الأمم المتحدة إلى هدنة في حلب", "ceasefire", "proposed"},
		{"طالبت المعارضة بإجلاء الجرحى من حمص", "evacuation", "proposed"},
		{"اتفقت الأطراف على وقف إطلاق النار في درعا", "ceasefire", "agreed"},
		{"توصل الطرفان إلى اتفاق على هدنة في تعز", "ceasefire", "agreed"},
		{"من المقرر أن تبدأ الهدنة في حلب", "ceasefire", "planned"},
		{"هدنة سوف تعلن خلال الساعات القادمة", "ceasefire", "planned"},
		{"الفصائل ترفض الانسحاب من حلب", "withdrawal", "refused"},
		{"نفى الجيش قصف المستشفى في إدلب", "attack", "denied"},
		{"لم يتم إجلاء أي مدنيين من مضايا", "evacuation", "negated"},
		{"نزح آلاف المدنيين من الرقة", "displacement", "occurred"},
		{"لا يزال القصف مستمرا على دوما", "attack", "occurred"},
		{"Rebels called for a truce in Aleppo.", "ceasefire", "proposed"},
		{"The two sides agreed to a ceasefire in Taiz.", "ceasefire", "agreed"},
		{"The army refused to withdraw from the town.", "withdrawal", "refused"},
		{"The ministry denied that an airstrike hit the market.", "attack", "denied"},
		{"The convoy will be allowed to deliver aid on Friday.", "aid", "planned"},
		{"Thousands of people fled Mosul.", "displacement", "occurred"},
	}
	for _, c := range cases {
		evs := extract(t, c.text)
		ev := find(evs, c.typ)
		if ev == nil {
			t.Errorf("%q: no %s event (got %d events)", c.text, c.typ, len(evs))
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

func hasActor(ev *pipeline.Event, role, id, text string) bool {
	for _, a := range ev.Actors {
		if a.Role == role && (id == "" || a.ID == id) && (text == "" || a.Text == text) {
			return true
		}
	}
	return false
}

func TestRolesAndPlaces(t *testing.T) {
	// mediator, coordinated mediators
	evs := extract(t, "يواصل الطرفان اجتماعاتهم بإشراف الصليب الأحمر الدولي والهلال الأحمر في حلب.")
	ev := find(evs, "negotiation")
	if ev == nil || !hasActor(ev, "mediator", "org-icrc", "") || !hasActor(ev, "mediator", "org-red-crescent", "") {
		t.Errorf("mediators: %+v", ev)
	}
	// origin and destination
	evs = extract(t, "اتفاق لخروج المسلحين من حمص إلى إدلب.")
	ev = find(evs, "evacuation")
	if ev == nil || ev.Origin == nil || ev.Origin.ID != "sy-homs" || ev.Destination == nil || ev.Destination.ID != "sy-idlib" {
		t.Errorf("origin/destination: %+v", ev)
	}
	// English "from ... to ..."
	evs = extract(t, "Hundreds of civilians were evacuated from Madaya to Idlib.")
	ev = find(evs, "evacuation")
	if ev == nil || ev.Origin == nil || ev.Destination == nil || ev.Destination.ID != "sy-idlib" {
		t.Errorf("English origin/destination: %+v", ev)
	}
	// requester before the cue (SVO) and after it (VSO)
	evs = extract(t, "Rebels in eastern Aleppo called for a five-day truce.")
	if ev = find(evs, "ceasefire"); ev == nil || !hasActor(ev, "requester", "", "Rebels") || ev.Duration != "P5D" {
		t.Errorf("requester/duration: %+v", ev)
	}
	evs = extract(t, "دعا مقاتلو المعارضة المسلحة في شرق حلب إلى هدنة لمدة 5 أيام.")
	if ev = find(evs, "ceasefire"); ev == nil || !hasActor(ev, "requester", "", "مقاتلو المعارضة المسلحة") || ev.Duration != "P5D" {
		t.Errorf("Arabic requester/duration: %+v", ev)
	}
	// the actor of a capture is the subject, its place the location
	evs = extract(t, "سيطر الجيش السوري على حي الشعار في حلب.")
	if ev = find(evs, "capture"); ev == nil || !hasActor(ev, "actor", "org-sy-army", "") || ev.Location == nil {
		t.Errorf("capture: %+v", ev)
	}
	// a casualty count without an attack attaches to the casualties event
	evs = extract(t, "قتل 15 مدنيا في دوما.")
	ev = find(evs, "casualties")
	if ev == nil || len(ev.Quantities) == 0 || ev.Quantities[0].Value != 15 || ev.Quantities[0].Role != "killed" {
		t.Errorf("casualties quantity: %+v", ev)
	}
	// with an attack in the sentence, it is the attack's toll
	evs = extract(t, "قتل 15 مدنيا في قصف على دوما.")
	if ev = find(evs, "attack"); ev == nil || len(ev.Quantities) == 0 || ev.Quantities[0].Value != 15 || ev.Quantities[0].Role != "killed" || find(evs, "casualties") != nil {
		t.Errorf("attack toll: %+v", evs)
	}
	// arguments stay in the trigger's clause: Idlib belongs to the second clause
	evs = extract(t, "قصفت الطائرات حمص، بينما تظاهر المئات في إدلب.")
	if ev = find(evs, "attack"); ev == nil || ev.Location == nil || ev.Location.ID != "sy-homs" {
		t.Errorf("clause scope: %+v", ev)
	}
	if ev = find(evs, "protest"); ev == nil || ev.Location == nil || ev.Location.ID != "sy-idlib" {
		t.Errorf("protest location: %+v", ev)
	}
}

func TestExclusions(t *testing.T) {
	// "ceasefire" is not an attack although it contains إطلاق النار
	evs := extract(t, "أعلن وقف إطلاق النار في حلب")
	if find(evs, "attack") != nil || find(evs, "ceasefire") == nil {
		t.Errorf("exclusion failed: %+v", evs)
	}
	// "تحت سيطرة" describes control, not a capture
	evs = extract(t, "الأحياء التي كانت تحت سيطرة المعارضة")
	if find(evs, "capture") != nil {
		t.Errorf("تحت سيطرة gave a capture")
	}
}

func TestIDsAreStable(t *testing.T) {
	a := extract(t, "دعت الأمم المتحدة إلى هدنة في حلب")
	b := extract(t, "دعت الأمم المتحدة إلى هدنة في حلب")
	if len(a) == 0 || a[0].ID != b[0].ID || len(a[0].ID) != 16 {
		t.Errorf("ids: %v %v", a, b)
	}
}
