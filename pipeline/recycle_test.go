package pipeline

import (
	"reflect"
	"testing"
)

func TestPoolClass(t *testing.T) {
	for c := minRecycled; c <= 1<<16; c++ {
		up, down := poolClass(c, true), poolClass(c, false)
		if s := classSize(up); s < c || s > c+c/4 {
			t.Fatalf("up class of %d has size %d: want in [%d, %d]", c, s, c, c+c/4)
		}
		if s := classSize(down); s > c || s < c-c/4 {
			t.Fatalf("down class of %d has size %d: want in [%d, %d]", c, s, c-c/4, c)
		}
		if (up == down) != (classSize(up) == c) {
			t.Fatalf("%d: up %d down %d, but size %d", c, up, down, classSize(up))
		}
		if up >= numClasses || down >= numClasses {
			t.Fatalf("%d: class out of range", c)
		}
	}
	if cl := poolClass(maxRecycled, true); cl >= numClasses || classSize(cl) != maxRecycled {
		t.Fatalf("maxRecycled: class %d size %d", cl, classSize(cl))
	}
	if cl := poolClass(10*maxRecycled, false); cl >= numClasses {
		t.Fatalf("a huge slice has class %d", cl)
	}
}

func TestMakeTokensIsZeroAfterRecycle(t *testing.T) {
	// sync.Pool may drop what is put (always under the race detector, at
	// times): repeat until a recycled slice comes back, or give up quietly
	reused := false
	for try := 0; try < 100 && !reused; try++ {
		toks := MakeTokens(1000)
		if len(toks) != 1000 || cap(toks) < 1000 {
			t.Fatalf("MakeTokens(1000): len %d cap %d", len(toks), cap(toks))
		}
		for i := range toks {
			if !isZero(&toks[i]) {
				t.Fatalf("try %d: token %d is %+v, want zero", try, i, toks[i])
			}
			toks[i] = Token{Start: i, End: i + 1, Key: "مفتاح", KeyMap: []int{i}, Sentence: 3, Glued: true}
		}
		rs := append(MakeRunes(700), []rune("نص")...)
		doc := &Document{Fields: []*Field{{Name: "text", Runes: rs, Tokens: toks}, nil}}
		Recycle(doc)
		if f := doc.Fields[0]; f.Runes != nil || f.Tokens != nil {
			t.Fatal("Recycle left the runes or tokens in the document")
		}
		again := MakeTokens(990)
		reused = &again[0] == &toks[0]
		for i := range again[:cap(again)] {
			if !isZero(&again[:cap(again)][i]) {
				t.Fatalf("try %d: recycled token %d is %+v, want zero", try, i, again[i])
			}
		}
		if r := MakeRunes(650); len(r) != 0 || cap(r) < 650 {
			t.Fatalf("MakeRunes(650): len %d cap %d", len(r), cap(r))
		}
	}
	if !reused {
		t.Log("the pool never returned a recycled slice (race detector?)")
	}
}

func TestMakeSmallAndHuge(t *testing.T) {
	for _, n := range []int{0, 1, minRecycled - 1, maxRecycled + 1} {
		if toks := MakeTokens(n); len(toks) != n {
			t.Fatalf("MakeTokens(%d): len %d", n, len(toks))
		}
		if rs := MakeRunes(n); len(rs) != 0 || cap(rs) < n {
			t.Fatalf("MakeRunes(%d): len %d cap %d", n, len(rs), cap(rs))
		}
	}
	Recycle(nil) // no panic
	Recycle(&Document{Fields: []*Field{{Runes: make([]rune, 10*maxRecycled)}}})
}

func isZero(t *Token) bool {
	return t.Start == 0 && t.End == 0 && t.Key == "" && t.KeyMap == nil && t.Sentence == 0 &&
		t.Kind == 0 && !t.Joined && !t.Glued
}

func TestMakeEntitiesIsZeroAfterRecycle(t *testing.T) {
	lat := 1.5
	reused := false
	for try := 0; try < 100 && !reused; try++ {
		es := MakeEntities(100)
		if len(es) != 100 || cap(es) < 100 {
			t.Fatalf("MakeEntities(100): len %d cap %d", len(es), cap(es))
		}
		for i := range es {
			if !isZeroEntity(&es[i]) {
				t.Fatalf("try %d: entity %d is %+v, want zero", try, i, es[i])
			}
			es[i] = Entity{Type: "place", Text: "حلب", Start: i, End: i + 3, Lat: &lat, Match: "exact",
				Alternatives: []Alternative{{ID: "x"}}, TokStart: i, TokEnd: i + 1}
		}
		// two fields sharing one array, as the gazetteer hands them out
		doc := &Document{Fields: []*Field{{Name: "text", Entities: es[:60:60]}, {Name: "title", Entities: es[60:]}}}
		Recycle(doc)
		if doc.Fields[0].Entities != nil || doc.Fields[1].Entities != nil {
			t.Fatal("Recycle left the entities in the document")
		}
		a, b := MakeEntities(50), MakeEntities(30)
		reused = &a[0] == &es[0] || &b[0] == &es[0] || &a[0] == &es[60] || &b[0] == &es[60]
		for _, got := range [][]Entity{a, b} {
			for i := range got[:cap(got)] {
				if !isZeroEntity(&got[:cap(got)][i]) {
					t.Fatalf("try %d: recycled entity %d is %+v, want zero", try, i, got[i])
				}
			}
		}
		if &a[0] == &b[0] {
			t.Fatal("one recycled slice handed out twice")
		}
	}
	if !reused {
		t.Log("the pool never returned a recycled slice (race detector?)")
	}
	for _, n := range []int{0, 1, minRecycledEntities - 1, maxRecycled + 1} {
		if es := MakeEntities(n); len(es) != n {
			t.Fatalf("MakeEntities(%d): len %d", n, len(es))
		}
	}
}

func isZeroEntity(e *Entity) bool { return reflect.ValueOf(*e).IsZero() }

// TestMakeTakesALargerClass checks that make serves n from a slice pooled
// up to classesUp classes above n's (long fields differ in length), and
// never from a smaller one nor one beyond that.
func TestMakeTakesALargerClass(t *testing.T) {
	var p slicePool[int32]
	p.min = minRecycled
	n := 5000
	cl := poolClass(n, true)
	reused := false
	for try := 0; try < 100 && !reused; try++ {
		// below n's class, and far above: never handed out for n
		p.put(make([]int32, 0, classSize(cl-1)))
		p.put(make([]int32, 0, classSize(cl+classesUp+1)))
		big := make([]int32, 0, classSize(cl+classesUp))
		p.put(big)
		got := p.make(n)
		if len(got) != 0 || cap(got) < n {
			t.Fatalf("make(%d): len %d cap %d", n, len(got), cap(got))
		}
		if c := cap(got); c != classSize(cl) && c != cap(big) {
			t.Fatalf("make(%d) returned capacity %d: want %d (fresh) or %d (pooled)", n, c, classSize(cl), cap(big))
		}
		reused = cap(got) == cap(big)
	}
	if !reused {
		t.Log("the pool never returned the larger slice (race detector?)")
	}
}
