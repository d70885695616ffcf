package events

import (
	"slices"
	"sort"

	"github.com/hadath/hadath/pipeline"
)

// Merging: a news story states one event several times ("انفجار ... أسفر
// الانفجار عن ...", a heading and the sentence under it). The stage keeps
// one event per distinct event of a field, with every mention in
// `evidence`.

// mention returns the event's trigger as an evidence entry.
func mention(ev *pipeline.Event) pipeline.EventMention {
	return pipeline.EventMention{Sentence: ev.Sentence, Field: ev.Field, Text: ev.Trigger.Text, Start: ev.Trigger.Start, End: ev.Trigger.End}
}

// foldCasualties makes the people killed or injured in a sentence that
// states an attack that attack's toll: "قتل 18 شخصا في سقوط صاروخ" is one
// attack with killed=18, not an attack and a casualties event. A
// casualties mention is folded into the nearest attack of its sentence; one
// without an attack in its sentence stays a casualties event. The events
// kept are compacted in place, in evs.
func (s *Stage) foldCasualties(evs []pipeline.Event, sc *scratch) []pipeline.Event {
	drop := sc.dropFlags(len(evs))
	for i := range evs {
		c := &evs[i]
		if c.Type != "casualties" {
			continue
		}
		best, bestDist := -1, 1<<30
		// events come in text order: the attacks of c's sentence are its
		// neighbours in the list
		lo, hi := i, i+1
		for lo > 0 && evs[lo-1].Sentence == c.Sentence && evs[lo-1].Field == c.Field {
			lo--
		}
		for hi < len(evs) && evs[hi].Sentence == c.Sentence && evs[hi].Field == c.Field {
			hi++
		}
		for j := lo; j < hi; j++ {
			a := &evs[j]
			if a.Type != "attack" || a.Sentence != c.Sentence || a.Field != c.Field || drop[j] {
				continue
			}
			d := a.TokStart - c.TokEnd
			if a.TokStart < c.TokStart {
				d = c.TokStart - a.TokEnd
			}
			if d < bestDist {
				best, bestDist = j, d
			}
		}
		if best < 0 {
			best = s.previousAttack(evs, i, drop)
		}
		if best < 0 {
			continue
		}
		a := &evs[best]
		addQuantities(a, c.Quantities)
		if a.Location == nil && c.Location != nil {
			a.Location = c.Location
		}
		a.Evidence = append(a.Evidence, c.Evidence...)
		sortEvidence(a.Evidence)
		drop[i] = true
	}
	// in place: the write index never passes the read index, and the
	// events before the first dropped one stay where they are
	out := evs[:0]
	for i := range evs {
		switch {
		case drop[i]:
		case len(out) == i:
			out = out[:i+1]
		default:
			out = append(out, evs[i])
		}
	}
	clear(evs[len(out):])
	return out
}

// ints returns n ints from the scratch, not cleared.
func (sc *scratch) ints(n int) []int {
	sc.lens = slices.Grow(sc.lens[:0], n)[:n]
	return sc.lens
}

// dropFlags returns n false flags from the scratch.
func (sc *scratch) dropFlags(n int) []bool {
	sc.drop = slices.Grow(sc.drop[:0], n)[:n]
	clear(sc.drop)
	return sc.drop
}

// previousAttack finds the attack that a casualties mention without an
// attack in its sentence reports the toll of: the nearest occurred attack
// in the previous FoldSentences sentences, when the mention names no
// other place ("... انفجار سيارة مفخخة. وقال الشهود إن من بين القتلى
// أطفالا").
func (s *Stage) previousAttack(evs []pipeline.Event, i int, drop []bool) int {
	c := &evs[i]
	for j := i - 1; j >= 0; j-- {
		a := &evs[j]
		if a.Field != c.Field || c.Sentence-a.Sentence > FoldSentences {
			break
		}
		if a.Type != "attack" || a.Status != "occurred" || drop[j] {
			continue
		}
		if c.Location != nil && (a.Location == nil || !samePlace(a.Location, c.Location)) {
			return -1
		}
		return j
	}
	return -1
}

// MaxEvidence bounds an event's evidence list: the first mentions are kept.
const MaxEvidence = 100

// MergeWindow is how many earlier distinct events of a field a new mention
// is compared with.
const MergeWindow = 64

// FoldSentences is how many sentences back a casualties mention looks for
// its attack.
const FoldSentences = 2

// merge joins each event to the nearest earlier event of the field that it
// can be a mention of: same type and status, compatible place (the same
// entry, a country and a place in it, or one of them without a place),
// compatible dates (dates from the text must be equal) and no conflicting
// subtype, origin or destination. The first mention keeps its trigger and
// id; the merged event takes the missing arguments from later mentions.
// The distinct events are compacted in place, in evs: the write index
// never passes the read index, so an event is read (ev) before its slot
// can be written, and the events before the first merged one are not
// copied. The evidence of the events that absorbed
// others is built at the end, in one array (mergeEvidence).
func (s *Stage) merge(evs []pipeline.Event, sc *scratch) []pipeline.Event {
	out := evs[:0]
	sc.absorbed = sc.absorbed[:0]
	// keys[k] is mergeKey(&out[k]): the events of another type, status
	// or field are passed over without reading them
	keys := sc.mergeKeys[:0]
	for i := range evs {
		ev := &evs[i]
		key := mergeKey(ev)
		k := len(out) - 1
		// look back over a bounded number of distinct events, so that a
		// huge document costs linear time
		stop := max(0, len(out)-MergeWindow)
		for ; k >= stop; k-- {
			if keys[k] == key && mergeable(&out[k], ev) {
				break
			}
		}
		if k < stop {
			if len(out) == i {
				out = out[:i+1] // in its place already
			} else {
				out = append(out, *ev)
			}
			keys = append(keys, key)
			continue
		}
		absorb(&out[k], ev)
		sc.absorbed = append(sc.absorbed, absorbedEvidence{into: k, ms: ev.Evidence})
	}
	sc.mergeKeys = keys[:0]
	clear(evs[len(out):]) // no stale copies behind the events kept
	mergeEvidence(out, sc.absorbed, sc.ints(len(out)))
	clear(sc.absorbed)
	sc.absorbed = sc.absorbed[:0]
	return out
}

// absorbedEvidence is the evidence of an event merged into out[into].
type absorbedEvidence struct {
	into int
	ms   []pipeline.EventMention
}

// mergeEvidence appends to the evidence of each event of out that
// absorbed others (abs, in the order merge absorbed them) the evidence of
// those, as absorb once did one at a time: of each, its first mentions
// while the event has fewer than MaxEvidence, then the mentions but the
// first in text order (sortEvidence; sorting once at the end gives what
// sorting after each append gave: the sort is stable and each append goes
// after the mentions already there). The lists are built in one array,
// each with no room to grow into the next. lens is scratch of len(out).
func mergeEvidence(out []pipeline.Event, abs []absorbedEvidence, lens []int) {
	// lens[k]: the final length of out[k]'s evidence, -1 while it
	// absorbed none
	for k := range lens {
		lens[k] = -1
	}
	total := 0
	for _, a := range abs {
		n := lens[a.into]
		if n < 0 {
			n = len(out[a.into].Evidence)
			total += n
		}
		if room := MaxEvidence - n; room > 0 {
			add := min(room, len(a.ms))
			n += add
			total += add
		}
		lens[a.into] = n
	}
	buf := make([]pipeline.EventMention, total)
	off := 0
	for k := range out {
		n := lens[k]
		if n < 0 {
			continue
		}
		ev := &out[k]
		m := copy(buf[off:], ev.Evidence)
		ev.Evidence = buf[off : off+m : off+n]
		off += n
		lens[k] = 0 // sorted below when something was appended
		if n > m {
			lens[k] = 1
		}
	}
	for _, a := range abs {
		ev := &out[a.into]
		if room := MaxEvidence - len(ev.Evidence); room > 0 {
			ev.Evidence = append(ev.Evidence, a.ms[:min(room, len(a.ms))]...)
		}
	}
	for k := range out {
		if lens[k] == 1 {
			sortEvidence(out[k].Evidence)
		}
	}
}

// mergeKey returns a number that events of the same type, status and
// field share (mergeable asks these first): from the lengths and the
// first and last two bytes of each. Absorbing an event changes none of
// them.
func mergeKey(ev *pipeline.Event) uint64 {
	return strKey(ev.Type) ^ strKey(ev.Status)*0x9E3779B97F4A7C15 ^ strKey(ev.Field)*0xC2B2AE3D27D4EB4F
}

// strKey packs the length and the first and last two bytes of s.
func strKey(s string) uint64 {
	n := len(s)
	if n < 2 {
		if n == 1 {
			return uint64(s[0])<<8 | 1
		}
		return 0
	}
	return uint64(n) | uint64(s[0])<<8 | uint64(s[1])<<16 | uint64(s[n-2])<<24 | uint64(s[n-1])<<32
}

func mergeable(a, b *pipeline.Event) bool {
	if a.Type != b.Type || a.Status != b.Status || a.Field != b.Field {
		return false
	}
	if a.Subtype != "" && b.Subtype != "" && a.Subtype != b.Subtype && !sameKind(a.Subtype, b.Subtype) {
		return false
	}
	if !placesCompatible(a.Location, b.Location) || !placesCompatible(a.Destination, b.Destination) || !placesCompatible(a.Origin, b.Origin) {
		return false
	}
	if a.Date != nil && b.Date != nil && a.Date.Source != "document" && b.Date.Source != "document" && a.Date.Value != b.Date.Value {
		return false
	}
	if a.Duration != "" && b.Duration != "" && a.Duration != b.Duration {
		return false
	}
	if a.Type == "evacuation" && (medicalVsOther(a, b) || medicalVsOther(b, a)) {
		// "إجلاء الحالات الطبية" and "إجلاء كل المدنيين"
		return false
	}
	if movementTypes[a.Type] && (disjointActors(a, b, "target") || disjointActors(a, b, "actor")) {
		// "إجلاء الحالات الطبية" and "إجلاء كل المدنيين" are two evacuations
		return false
	}
	return true
}

// medicalVsOther: a is a medical evacuation and b an evacuation of others.
func medicalVsOther(a, b *pipeline.Event) bool {
	if a.Subtype != "medical_evacuation" || b.Subtype == "medical_evacuation" {
		return false
	}
	for _, x := range b.Actors {
		if x.Role == "target" && x.Name != "wounded" {
			return true
		}
	}
	return false
}

// movementTypes are the types whose mentions differ by who moves.
var movementTypes = map[string]bool{"evacuation": true, "displacement": true, "withdrawal": true}

// disjointActors reports whether both events have actors in the role and
// none of them is the same (by id or name).
func disjointActors(a, b *pipeline.Event, role string) bool {
	na, nb := 0, 0
	for _, x := range a.Actors {
		if x.Role != role {
			continue
		}
		na++
		for _, y := range b.Actors {
			if y.Role == role && ((x.ID != "" && x.ID == y.ID) || (x.Name != "" && x.Name == y.Name) || x.Text == y.Text) {
				return false
			}
		}
	}
	for _, y := range b.Actors {
		if y.Role == role {
			nb++
		}
	}
	return na > 0 && nb > 0
}

// sameKind: subtypes that name the same kind of attack.
func sameKind(x, y string) bool {
	k := func(s string) string {
		switch s {
		case "bombing", "suicide_bombing":
			return "bombing"
		case "airstrike", "shelling":
			return "bombardment"
		}
		return s
	}
	return k(x) == k(y)
}

// placesCompatible: either is missing, both are the same entry, or one is a
// country and the other lies in it.
func placesCompatible(a, b *pipeline.Entity) bool {
	if a == nil || b == nil {
		return true
	}
	if samePlace(a, b) {
		return true
	}
	return inCountry(a, b) || inCountry(b, a)
}

func samePlace(a, b *pipeline.Entity) bool {
	if a == b {
		// the same entity of the field: nothing to read
		return true
	}
	if a.ID != "" || b.ID != "" {
		return a.ID == b.ID
	}
	return a.Text == b.Text
}

// inCountry reports whether place p lies in country c.
func inCountry(p, c *pipeline.Entity) bool {
	return c.Kind == "country" && p.Kind != "country" && c.Country != "" && p.Country == c.Country
}

// absorb adds mention b to event a, but its evidence (merge adds that at
// the end: mergeEvidence).
func absorb(a, b *pipeline.Event) {
	if a.Location == nil || (b.Location != nil && inCountry(b.Location, a.Location)) {
		a.Location = b.Location
	}
	if a.Origin == nil {
		a.Origin = b.Origin
	}
	if a.Destination == nil {
		a.Destination = b.Destination
	}
	if b.Date != nil && (a.Date == nil || (a.Date.Source == "document" && b.Date.Source != "document")) {
		a.Date = b.Date
	}
	if a.Duration == "" {
		a.Duration = b.Duration
	}
	if a.Subtype == "" {
		a.Subtype = b.Subtype
	}
	addQuantities(a, b.Quantities)
	for _, x := range b.Actors {
		dup := false
		for _, y := range a.Actors {
			if y.Role == x.Role && (y.Start == x.Start || (y.ID != "" && y.ID == x.ID) || (y.ID == "" && y.Name != "" && y.Name == x.Name)) {
				dup = true
				break
			}
		}
		if !dup {
			a.Actors = append(a.Actors, x)
		}
	}
}

// addQuantities adds the quantities of roles a does not have yet.
func addQuantities(a *pipeline.Event, qs []pipeline.EventQuantity) {
	for _, q := range qs {
		has := false
		for _, x := range a.Quantities {
			if x.Role == q.Role {
				has = true
				break
			}
		}
		if !has {
			a.Quantities = append(a.Quantities, q)
		}
	}
}

// sortEvidence keeps the trigger first and the other mentions in text order.
// Mentions are usually appended in order, so the common case is one pass.
func sortEvidence(ms []pipeline.EventMention) {
	if len(ms) < 3 || sort.SliceIsSorted(ms[1:], func(i, j int) bool { return ms[1+i].Start < ms[1+j].Start }) {
		return
	}
	rest := ms[1:]
	sort.SliceStable(rest, func(i, j int) bool { return rest[i].Start < rest[j].Start })
}
