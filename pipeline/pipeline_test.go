package pipeline

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// sleepStage sleeps a pseudo-random few microseconds (derived from the
// document id, so runs are reproducible) and records that it ran.
type sleepStage struct{ calls atomic.Int64 }

func (s *sleepStage) Name() string { return "sleep" }
func (s *sleepStage) Process(d *Document) error {
	s.calls.Add(1)
	h := fnv.New32a()
	h.Write([]byte(d.ID))
	time.Sleep(time.Duration(h.Sum32()%200) * time.Microsecond)
	d.Notes = append(d.Notes, "seen:"+d.ID)
	return nil
}

// funcStage adapts a function to a Stage.
type funcStage struct {
	name string
	fn   func(*Document) error
}

func (s funcStage) Name() string              { return s.name }
func (s funcStage) Process(d *Document) error { return s.fn(d) }

// runWithTimeout runs p over items and fails the test if Run does not
// return within a generous delay (a deadlock), without timing the speed.
func runWithTimeout(t *testing.T, ctx context.Context, p *Pipeline, in <-chan Item, workers int, emit func(Result) error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx, in, workers, emit) }()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatal("Run did not return: deadlock")
		return nil
	}
}

func feed(items []Item) <-chan Item {
	ch := make(chan Item)
	go func() {
		defer close(ch)
		for _, it := range items {
			ch <- it
		}
	}()
	return ch
}

func docs(n int) []Item {
	items := make([]Item, n)
	for i := range items {
		id := fmt.Sprintf("d%03d", i)
		items[i] = Item{Doc: &Document{ID: id}, Source: id}
	}
	return items
}

func TestRunOrder(t *testing.T) {
	for _, workers := range []int{1, 4, 0} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			st := &sleepStage{}
			p := &Pipeline{Stages: []Stage{st}}
			var got []string
			err := runWithTimeout(t, context.Background(), p, feed(docs(200)), workers, func(r Result) error {
				if r.Failed || r.Err != nil {
					t.Errorf("%s failed: %v", r.Source, r.Err)
				}
				if len(r.Doc.Notes) != 1 || r.Doc.Notes[0] != "seen:"+r.Doc.ID {
					t.Errorf("%s not processed before emit: %q", r.Doc.ID, r.Doc.Notes)
				}
				got = append(got, r.Doc.ID)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 200 {
				t.Fatalf("emitted %d results, want 200", len(got))
			}
			for i, id := range got {
				if want := fmt.Sprintf("d%03d", i); id != want {
					t.Fatalf("result %d is %s, want %s", i, id, want)
				}
			}
			if st.calls.Load() != 200 {
				t.Errorf("stage ran %d times", st.calls.Load())
			}
		})
	}
}

func TestRunEmitFromOneGoroutine(t *testing.T) {
	p := &Pipeline{Stages: []Stage{&sleepStage{}}}
	var inEmit atomic.Int32
	err := runWithTimeout(t, context.Background(), p, feed(docs(100)), 8, func(r Result) error {
		if inEmit.Add(1) != 1 {
			t.Error("emit called concurrently")
		}
		time.Sleep(10 * time.Microsecond)
		inEmit.Add(-1)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRunFailures(t *testing.T) {
	var after atomic.Int64
	boom := funcStage{"boom", func(d *Document) error {
		switch d.ID {
		case "panic":
			panic("index out of range")
		case "nilmap":
			var m map[string]int
			m["x"] = 1
		case "error":
			return errors.New("bad document")
		}
		return nil
	}}
	count := funcStage{"count", func(d *Document) error { after.Add(1); return nil }}
	p := &Pipeline{Stages: []Stage{boom, count}}

	inputErr := errors.New("f.jsonl:3: malformed JSON")
	items := []Item{
		{Doc: &Document{ID: "ok1"}, Source: "1"},
		{Doc: &Document{ID: "panic"}, Source: "2"},
		{Err: inputErr, Source: "3"},
		{Doc: &Document{ID: "missing"}, Err: errors.New(`missing field "text"`), Source: "4"},
		{Doc: &Document{ID: "nilmap"}, Source: "5"},
		{Doc: &Document{ID: "error"}, Source: "6"},
		{Doc: &Document{ID: "ok2"}, Source: "7"},
	}
	for _, workers := range []int{1, 3} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			after.Store(0)
			var got []Result
			err := runWithTimeout(t, context.Background(), p, feed(clone(items)), workers, func(r Result) error {
				got = append(got, r)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(items) {
				t.Fatalf("got %d results, want %d", len(got), len(items))
			}
			for i, r := range got {
				if r.Source != items[i].Source {
					t.Errorf("result %d source %s, want %s", i, r.Source, items[i].Source)
				}
			}
			for _, i := range []int{1, 4, 5} {
				r := got[i]
				if !r.Failed {
					t.Errorf("%s: Failed not set", r.Doc.ID)
				}
				if len(r.Doc.Errors) != 1 || r.Doc.Errors[0].Stage != "boom" {
					t.Errorf("%s: errors %+v", r.Doc.ID, r.Doc.Errors)
				}
			}
			if m := got[1].Doc.Errors[0].Message; !strings.Contains(m, "internal error") || !strings.Contains(m, "index out of range") {
				t.Errorf("panic message = %q", m)
			}
			if m := got[5].Doc.Errors[0].Message; m != "bad document" {
				t.Errorf("error message = %q", m)
			}
			for _, i := range []int{0, 6} {
				if got[i].Failed || len(got[i].Doc.Errors) != 0 {
					t.Errorf("%s: failed %v errors %+v", got[i].Doc.ID, got[i].Failed, got[i].Doc.Errors)
				}
			}
			// input errors pass through unprocessed and are not stage failures
			if got[2].Err != inputErr || got[2].Failed || got[2].Doc != nil {
				t.Errorf("input error item changed: %+v", got[2])
			}
			if got[3].Err == nil || got[3].Failed || len(got[3].Doc.Errors) != 0 {
				t.Errorf("input error with document changed: %+v", got[3])
			}
			// the stage after a failing one does not run on that document;
			// it runs on ok1 and ok2 only.
			if n := after.Load(); n != 2 {
				t.Errorf("later stage ran %d times, want 2", n)
			}
		})
	}
}

func clone(items []Item) []Item {
	out := make([]Item, len(items))
	for i, it := range items {
		out[i] = it
		if it.Doc != nil {
			d := *it.Doc
			out[i].Doc = &d
		}
	}
	return out
}

// endless sends documents until stop is closed, then closes the channel.
func endless(stop <-chan struct{}) <-chan Item {
	ch := make(chan Item)
	go func() {
		defer close(ch)
		for i := 0; ; i++ {
			select {
			case ch <- Item{Doc: &Document{ID: fmt.Sprint(i)}, Source: fmt.Sprint(i)}:
			case <-stop:
				return
			}
		}
	}()
	return ch
}

func TestRunEmitError(t *testing.T) {
	sentinel := errors.New("disk full")
	for _, workers := range []int{1, 4, 16} {
		for _, failAt := range []int{0, 1, 50} {
			t.Run(fmt.Sprintf("workers=%d/at=%d", workers, failAt), func(t *testing.T) {
				stop := make(chan struct{})
				defer close(stop)
				p := &Pipeline{Stages: []Stage{&sleepStage{}}}
				n := 0
				var mu sync.Mutex
				err := runWithTimeout(t, context.Background(), p, endless(stop), workers, func(r Result) error {
					mu.Lock()
					defer mu.Unlock()
					if n == failAt {
						return sentinel
					}
					n++
					return nil
				})
				if !errors.Is(err, sentinel) {
					t.Fatalf("err = %v, want %v", err, sentinel)
				}
				if n != failAt {
					t.Errorf("emit called again after it failed: %d successful calls", n)
				}
			})
		}
	}
}

func TestRunCancel(t *testing.T) {
	for _, workers := range []int{1, 4} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			stop := make(chan struct{})
			defer close(stop)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			p := &Pipeline{Stages: []Stage{&sleepStage{}}}
			next := 0
			err := runWithTimeout(t, ctx, p, endless(stop), workers, func(r Result) error {
				if r.Source != fmt.Sprint(next) {
					t.Errorf("result %s out of order, want %d", r.Source, next)
				}
				next++
				if next == 20 {
					cancel()
				}
				return nil
			})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want context.Canceled", err)
			}
			if next < 20 {
				t.Errorf("only %d results", next)
			}
		})
	}
}

func TestRunCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	stop := make(chan struct{})
	defer close(stop)
	p := &Pipeline{}
	err := runWithTimeout(t, ctx, p, endless(stop), 2, func(Result) error { return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestRunEmpty(t *testing.T) {
	in := make(chan Item)
	close(in)
	calls := 0
	err := runWithTimeout(t, context.Background(), &Pipeline{}, in, 4, func(Result) error { calls++; return nil })
	if err != nil || calls != 0 {
		t.Errorf("err %v calls %d", err, calls)
	}
}

func TestFieldSlice(t *testing.T) {
	f := &Field{Text: "شرق حلب", Runes: []rune("شرق حلب")}
	tests := []struct {
		start, end int
		want       string
	}{
		{0, 3, "شرق"},
		{4, 7, "حلب"},
		{-2, 3, "شرق"},
		{4, 99, "حلب"},
		{5, 5, ""},
		{6, 2, ""},
	}
	for _, tc := range tests {
		if got := f.Slice(tc.start, tc.end); got != tc.want {
			t.Errorf("Slice(%d, %d) = %q, want %q", tc.start, tc.end, got, tc.want)
		}
	}
}

// TestRunWithDecodeAndFinish checks that items are decoded and finished in
// the workers (concurrently), every item once, and emitted in input order.
func TestRunWithDecodeAndFinish(t *testing.T) {
	const n = 200
	items := make([]Item, n)
	for i := range items {
		id := fmt.Sprintf("d%03d", i)
		items[i] = Item{Source: id, Decode: func() Item {
			if i%7 == 3 {
				return Item{Source: id, Err: errors.New(id + ": malformed")}
			}
			return Item{Source: id, Doc: &Document{ID: id}}
		}}
	}
	st := &sleepStage{}
	p := &Pipeline{Stages: []Stage{st}}
	var finished, inFinish, maxInFinish atomic.Int64
	o := RunOptions{Finish: func(r *Result) {
		k := inFinish.Add(1)
		for {
			m := maxInFinish.Load()
			if k <= m || maxInFinish.CompareAndSwap(m, k) {
				break
			}
		}
		time.Sleep(200 * time.Microsecond)
		finished.Add(1)
		r.Encoded = []byte(r.Source)
		inFinish.Add(-1)
	}}
	var got []string
	done := make(chan error, 1)
	go func() {
		done <- p.RunWith(context.Background(), feed(items), 4, o, func(r Result) error {
			if r.Decode != nil {
				t.Error("emitted an undecoded item")
			}
			if string(r.Encoded) != r.Source {
				t.Errorf("%s: Finish not applied", r.Source)
			}
			if (r.Err != nil) != (r.Doc == nil) {
				t.Errorf("%s: err %v doc %v", r.Source, r.Err, r.Doc)
			}
			got = append(got, r.Source)
			return nil
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("deadlock")
	}
	if len(got) != n || finished.Load() != n {
		t.Fatalf("emitted %d, finished %d, want %d", len(got), finished.Load(), n)
	}
	for i, s := range got {
		if s != fmt.Sprintf("d%03d", i) {
			t.Fatalf("position %d: %s (order lost)", i, s)
		}
	}
	if want := int64(n - (n+3)/7); st.calls.Load() != want {
		t.Errorf("stage ran %d times, want %d (decoded documents only)", st.calls.Load(), want)
	}
	if maxInFinish.Load() < 2 {
		t.Errorf("Finish never ran concurrently (max %d at once)", maxInFinish.Load())
	}
}

func TestTakeBatch(t *testing.T) {
	in := make(chan Item, 200)
	for i, it := range docs(150) {
		it.Size = 100
		if i == 70 {
			it.Size = MaxBatchBytes // a huge item ends its batch
		}
		in <- it
	}
	first := <-in
	b, closed := takeBatch(in, first)
	if closed || len(b) != MaxBatchItems || b[0].Source != "d000" || b[MaxBatchItems-1].Source != fmt.Sprintf("d%03d", MaxBatchItems-1) {
		t.Fatalf("first batch: %d items, closed %v, from %s", len(b), closed, b[0].Source)
	}
	b, _ = takeBatch(in, <-in)
	if last := b[len(b)-1]; last.Source != "d070" {
		t.Errorf("second batch ends at %s (%d items), want d070, the item that reaches MaxBatchBytes", last.Source, len(b))
	}
	// nothing waiting: a batch of one, without waiting for more
	empty := make(chan Item)
	if b, closed := takeBatch(empty, first); len(b) != 1 || closed {
		t.Errorf("batch from an empty channel: %d items, closed %v", len(b), closed)
	}
	close(in)
	n := 0
	for {
		it, ok := <-in
		if !ok {
			break
		}
		b, closed := takeBatch(in, it)
		n += len(b)
		if closed {
			break
		}
	}
	if n != 150-MaxBatchItems-(71-MaxBatchItems) {
		t.Errorf("the rest came in batches of %d items in all", n)
	}
}

// TestRunOrderBatched fills the input before the run so that workers take
// batches, and checks order and completeness at several worker counts.
func TestRunOrderBatched(t *testing.T) {
	for _, workers := range []int{1, 3} {
		in := make(chan Item, 1000)
		for i, it := range docs(1000) {
			it.Size = i * 37 % 5000
			in <- it
		}
		close(in)
		p := &Pipeline{Stages: []Stage{&sleepStage{}}}
		i := 0
		err := runWithTimeout(t, context.Background(), p, in, workers, func(r Result) error {
			if want := fmt.Sprintf("d%03d", i); r.Doc.ID != want || len(r.Doc.Notes) != 1 {
				t.Fatalf("workers=%d: result %d is %s (notes %q), want %s processed", workers, i, r.Doc.ID, r.Doc.Notes, want)
			}
			i++
			return nil
		})
		if err != nil || i != 1000 {
			t.Fatalf("workers=%d: %d results, err %v", workers, i, err)
		}
	}
}
