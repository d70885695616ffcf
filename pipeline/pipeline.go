package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

// Stage is one processor of the pipeline. Process reads what earlier stages
// left in the document and adds its own findings. A Stage is built once,
// validated by its constructor, and must be safe for concurrent use by many
// goroutines on different documents.
type Stage interface {
	// Name is the stage's name as used in config.yaml.
	Name() string
	// Process analyses one document in place. An error marks the document
	// as failed; the run goes on with the next one.
	Process(doc *Document) error
}

// Pipeline is a plain list of stages run in order.
type Pipeline struct {
	Stages []Stage
}

// Process runs every stage over doc. A panic inside a stage is turned into
// an error so that one bad document never stops a batch.
func (p *Pipeline) Process(doc *Document) (err error) {
	for _, s := range p.Stages {
		if err := runStage(s, doc); err != nil {
			doc.Errors = append(doc.Errors, RecordError{Stage: s.Name(), Message: err.Error()})
			return fmt.Errorf("stage %s: %w", s.Name(), err)
		}
	}
	return nil
}

func runStage(s Stage, doc *Document) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("internal error: %v", r)
		}
	}()
	return s.Process(doc)
}

// Item is a unit flowing through the runner: a document to process, or an
// input error that must be reported in order.
type Item struct {
	Doc *Document
	// Err is set when the input could not be read as a document (a
	// malformed JSON line, an unreadable file). Doc may be nil then.
	Err error
	// Source says where the item came from.
	Source string
	// Decode, when set, makes the item's document: the reader leaves the
	// parsing of a line to the worker that processes it, so that parsing
	// runs in parallel too. Run calls it before the stages; consumers of
	// items outside Run call Decoded.
	Decode func() Item
	// Size is the item's input size in bytes when the reader knows it (0
	// otherwise); Run bounds its batches by it.
	Size int
}

// Decoded returns the item with its document made (Decode called).
func (it Item) Decoded() Item {
	if it.Decode == nil {
		return it
	}
	return it.Decode()
}

// Result is an item after processing.
type Result struct {
	Item
	// Failed is true when a stage failed on the document.
	Failed bool
	// Encoded, when set by RunOptions.Finish, is the result's output,
	// made in the worker; a writer may write it as it is.
	Encoded []byte
}

// RunOptions are the optional parts of a run.
type RunOptions struct {
	// Finish, when set, runs in the worker on every result after the
	// stages (failed and unreadable items too), e.g. to encode it, so that
	// the work runs in parallel; emit still sees the results in input order.
	Finish func(*Result)
}

// Run streams items from in through the pipeline using workers goroutines
// and calls emit for each result in input order. Memory is bounded: at most
// a few batches per worker are in flight (see MaxBatchItems). emit is called
// from one goroutine. Run returns the first error returned by emit, or ctx's
// error.
func (p *Pipeline) Run(ctx context.Context, in <-chan Item, workers int, emit func(Result) error) error {
	return p.RunWith(ctx, in, workers, RunOptions{}, emit)
}

// MaxBatchItems and MaxBatchBytes bound a batch: the items a worker takes
// in one hand-off. Run never waits to fill a batch; it takes the items
// already waiting in its input channel, up to these bounds, so that a slow
// producer gets batches of one and a fast one spares the goroutine
// hand-offs (a wake-up each) that would otherwise cost 5% of the run.
const (
	MaxBatchItems = 64
	MaxBatchBytes = 1 << 20
)

// RunWith is Run with options.
func (p *Pipeline) RunWith(ctx context.Context, in <-chan Item, workers int, o RunOptions, emit func(Result) error) error {
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	type job struct {
		items []Item
		done  chan []Result
	}
	jobs := make(chan *job, workers*2)
	order := make(chan *job, workers*4)

	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				rs := make([]Result, len(j.items))
				for k, it := range j.items {
					res := Result{Item: it.Decoded()}
					res.Decode = nil
					// the batch would keep the item's Decode, and the raw
					// line it holds, until the job is written
					j.items[k] = Item{}
					if res.Err == nil && res.Doc != nil {
						if err := p.Process(res.Doc); err != nil {
							res.Failed = true
						}
					}
					if o.Finish != nil {
						o.Finish(&res)
					}
					rs[k] = res
				}
				j.done <- rs
			}
		}()
	}

	// Dispatcher: keeps input order in the order channel.
	dispatchDone := make(chan struct{})
	stop := make(chan struct{})
	go func() {
		defer close(dispatchDone)
		defer close(order)
		defer close(jobs)
		for {
			var first Item
			select {
			case <-stop:
				return
			case <-ctx.Done():
				return
			case it, ok := <-in:
				if !ok {
					return
				}
				first = it
			}
			batch, closed := takeBatch(in, first)
			j := &job{items: batch, done: make(chan []Result, 1)}
			select {
			case order <- j:
			case <-stop:
				return
			}
			select {
			case jobs <- j:
			case <-stop:
				return
			}
			if closed {
				return
			}
		}
	}()

	var emitErr error
outer:
	for j := range order {
		for _, res := range <-j.done {
			if err := emit(res); err != nil {
				emitErr = err
				close(stop)
				break outer
			}
		}
	}
	if emitErr != nil {
		// Jobs still queued may never reach a worker; drop them.
		for range order {
		}
	}
	<-dispatchDone
	wg.Wait()
	if emitErr != nil {
		return emitErr
	}
	return ctx.Err()
}

// takeBatch returns first and the items already waiting in in, up to
// MaxBatchItems and MaxBatchBytes, and whether in was found closed.
func takeBatch(in <-chan Item, first Item) (batch []Item, closed bool) {
	batch = []Item{first}
	size := first.Size
	for len(batch) < MaxBatchItems && size < MaxBatchBytes {
		select {
		case it, ok := <-in:
			if !ok {
				return batch, true
			}
			batch = append(batch, it)
			size += it.Size
		default:
			return batch, false
		}
	}
	return batch, false
}
