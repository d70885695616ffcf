package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/input"
	"github.com/hadath/hadath/internal/output"
	"github.com/hadath/hadath/pipeline"
)

// Options select the configuration. The zero value is the embedded
// config.yaml (plus HADATH_* environment variables), like `hadath extract`
// without flags. Each non-zero field acts like the command-line flag of the
// same name.
type Options struct {
	// ConfigFile is a YAML config file (--config).
	ConfigFile string
	// Gazetteers replaces the config's extra gazetteer files (--gazetteer).
	Gazetteers []string
	// NoDefaultGazetteers drops the embedded gazetteers
	// (--no-default-gazetteers).
	NoDefaultGazetteers bool
	// Rules replaces the config's extra rule files (--rules).
	Rules []string
	// DocDate is the date (YYYY-MM-DD) of documents without one (--doc-date).
	DocDate string
	// Emit is "documents" or "events" (--emit).
	Emit string
	// Stages, when set, replaces the config's list of stages.
	Stages []string
	// TextField, when set, names the JSON field holding the text
	// (input.fields.text).
	TextField string
	// Logger receives load warnings; the zero value discards them.
	Logger *zerolog.Logger
}

// Engine runs the hadath pipeline on single input lines.
type Engine struct {
	cfg    *config.Config
	p      *pipeline.Pipeline
	events bool
	inOpt  input.Options
	bufs   sync.Pool
}

// New loads the configuration and resources and builds the pipeline once.
// Loading errors are reported all at once, as `hadath extract` does.
func New(o Options) (*Engine, error) {
	c, err := config.Load(o.ConfigFile, nil)
	if err != nil {
		return nil, err
	}
	if o.Gazetteers != nil {
		c.Gazetteers = o.Gazetteers
	}
	if o.NoDefaultGazetteers {
		c.NoDefaultGazetteers = true
	}
	if o.Rules != nil {
		c.Rules = o.Rules
	}
	if o.DocDate != "" {
		c.DocDate = o.DocDate
	}
	if o.Emit != "" {
		c.Emit = o.Emit
	}
	if o.Stages != nil {
		c.Stages = o.Stages
	}
	if o.TextField != "" {
		c.Input.Fields.Text = o.TextField
	}
	if err := c.Validate(o.ConfigFile); err != nil {
		return nil, err
	}
	log := zerolog.Nop()
	if o.Logger != nil {
		log = *o.Logger
	}
	p, err := app.FromConfig(c, log)
	if err != nil {
		return nil, err
	}
	e := &Engine{cfg: c, p: p, events: c.Emit == "events", inOpt: c.InputOptions()}
	return e, nil
}

// stdinSource is the source name the input reader gives line 1 of "-".
const stdinSource = "-:1"

// ProcessLine processes one JSON Lines input line and returns what
// `hadath extract` writes for it: one newline-terminated JSON line (or, with
// emit: events, zero or more), an error record for a malformed line, and
// nothing for a blank line. The record's source is "-:1", as for a
// one-line standard input; see ProcessLineFrom to name it.
//
// The error is set only when the output cannot be encoded; documents that
// fail are error records, as in `hadath extract`.
func (e *Engine) ProcessLine(line []byte) ([]byte, error) {
	out, _, err := e.process(stdinSource, line)
	return out, err
}

// ProcessLineFrom is ProcessLine with source naming where the line came from
// (for example a file name; distributed readers do not know line numbers).
// The source is written in the record, used as the id of documents without
// one, and prefixes input error messages, where `hadath extract` would put
// "file:line". failed reports a document that `hadath extract` counts as
// failed (exit status 1).
func (e *Engine) ProcessLineFrom(source string, line []byte) (out []byte, failed bool, err error) {
	return e.process(source, line)
}

type outBuf struct {
	buf bytes.Buffer
	w   *output.Writer
}

func (e *Engine) process(source string, line []byte) ([]byte, bool, error) {
	it, ok := e.parse(source, line)
	if !ok {
		return nil, false, nil
	}
	res := pipeline.Result{Item: it}
	if it.Err == nil && it.Doc != nil {
		if err := e.p.Process(it.Doc); err != nil {
			res.Failed = true
		}
	}
	failed := res.Err != nil || res.Failed
	ob, _ := e.bufs.Get().(*outBuf)
	if ob == nil {
		ob = &outBuf{}
		ob.w = output.NewWriter(&ob.buf, e.events)
	}
	defer func() {
		ob.buf.Reset()
		e.bufs.Put(ob)
	}()
	if err := ob.w.Write(res); err != nil {
		return nil, failed, err
	}
	if err := ob.w.Flush(); err != nil {
		return nil, failed, err
	}
	return bytes.Clone(ob.buf.Bytes()), failed, nil
}

// parse reads one line with the same reader `hadath extract` uses, so that
// field mapping, dates, notes and error messages are the same. ok is false
// for a blank line.
func (e *Engine) parse(source string, line []byte) (pipeline.Item, bool) {
	line = bytes.TrimRight(line, "\r\n")
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 {
		return pipeline.Item{}, false
	}
	if trimmed[0] != '{' {
		// On standard input the reader would take this as a text document;
		// inside a .jsonl file it is a malformed line.
		var raw map[string]json.RawMessage
		err := json.Unmarshal(bytes.ToValidUTF8(line, []byte("\uFFFD")), &raw)
		return pipeline.Item{Err: fmt.Errorf("%s: malformed JSON: %v", source, err), Source: source}, true
	}
	o := e.inOpt
	o.Stdin = bytes.NewReader(line)
	rd := input.New(o)
	ch := make(chan pipeline.Item, bytes.Count(line, []byte{'\n'})+2)
	rd.Read(context.Background(), []string{"-"}, ch)
	var it pipeline.Item
	got := false
	for x := range ch {
		if !got {
			it, got = x, true
		}
	}
	if !got {
		return pipeline.Item{}, false
	}
	if source != stdinSource {
		it.Source = source
		if it.Err != nil {
			it.Err = renamed{msg: source + strings.TrimPrefix(it.Err.Error(), stdinSource), err: it.Err}
		}
		if d := it.Doc; d != nil {
			d.Source = source
			if d.ID == stdinSource && !hasID(line, e.inOpt.Fields.ID) {
				d.ID = source
			}
		}
	}
	return it, true
}

// renamed is an input error whose "-:1" prefix was replaced by the source.
type renamed struct {
	msg string
	err error
}

func (r renamed) Error() string { return r.msg }
func (r renamed) Unwrap() error { return r.err }

// hasID reports whether the line sets the id field (rare path: only when
// the id equals "-:1").
func hasID(line []byte, field string) bool {
	if field == "" {
		field = input.DefaultFieldMap.ID
	}
	var raw map[string]json.RawMessage
	if json.Unmarshal(line, &raw) != nil {
		return false
	}
	v, ok := raw[field]
	return ok && string(v) != "null"
}
