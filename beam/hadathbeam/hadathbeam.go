// Package hadathbeam runs the hadath extraction pipeline on Apache Beam: it
// reads JSON Lines with textio, runs `hadath extract` on every line (the
// pipeline is built once per worker process, in DoFn.Setup), and writes the
// records as JSON Lines shards.
//
// Records are the bytes `hadath extract` writes for the same line, except
// that "source" (and the id of documents without one, and the prefix of
// input error messages) is the input file name instead of "file:line":
// Beam's splittable text reader does not know line numbers.
package hadathbeam

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"strings"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local" // local files; beamx adds gs://
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/hadath/hadath/engine"
)

func init() {
	register.DoFn4x1[context.Context, string, string, func(string), error](&extractFn{})
	register.Emitter1[string]()
	register.DoFn2x0[string, func(int, string)](&shardFn{})
	register.Emitter2[int, string]()
	register.DoFn3x1[context.Context, int, func(*string) bool, error](&writeShardFn{})
	register.Iter1[string]()
}

// Options configure a run. The engine fields mean what the `hadath extract`
// flags of the same name mean; files must be readable on every worker.
type Options struct {
	// Input is a file glob of JSON Lines (local, gs://, ... as the Beam
	// filesystems registered allow; .gz is read transparently).
	Input string
	// Output is the prefix of the shards: PREFIX-00000-of-00004.jsonl.
	Output string
	// Shards is the number of output files (default 1).
	Shards int

	ConfigFile          string   `json:"config_file,omitempty"`
	Gazetteers          []string `json:"gazetteers,omitempty"`
	NoDefaultGazetteers bool     `json:"no_default_gazetteers,omitempty"`
	Rules               []string `json:"rules,omitempty"`
	DocDate             string   `json:"doc_date,omitempty"`
	Emit                string   `json:"emit,omitempty"`
	TextField           string   `json:"text_field,omitempty"`
	Stages              []string `json:"stages,omitempty"`
}

func (o Options) engineOptions() engine.Options {
	return engine.Options{ConfigFile: o.ConfigFile, Gazetteers: o.Gazetteers, NoDefaultGazetteers: o.NoDefaultGazetteers,
		Rules: o.Rules, DocDate: o.DocDate, Emit: o.Emit, TextField: o.TextField, Stages: o.Stages}
}

// Build adds the read, extract and write steps to s.
func Build(s beam.Scope, o Options) error {
	if o.Input == "" || o.Output == "" {
		return fmt.Errorf("hadathbeam: input and output are required")
	}
	if o.Shards <= 0 {
		o.Shards = 1
	}
	cfg, err := json.Marshal(o)
	if err != nil {
		return err
	}
	lines := textio.ReadWithFilename(s.Scope("read"), o.Input, textio.ReadAutoCompression())
	recs := beam.ParDo(s.Scope("extract"), &extractFn{Config: string(cfg)}, lines)
	sharded := beam.ParDo(s.Scope("shard"), &shardFn{Shards: o.Shards}, recs)
	grouped := beam.GroupByKey(s.Scope("group"), sharded)
	beam.ParDo0(s.Scope("write"), &writeShardFn{Prefix: o.Output, Shards: o.Shards}, grouped)
	return nil
}

// engines holds one engine per distinct configuration per worker process,
// so that a 500k-name gazetteer is loaded once however many DoFn instances
// (bundles, threads) the runner makes.
var engines struct {
	sync.Mutex
	m map[string]*engine.Engine
}

func sharedEngine(cfg string) (*engine.Engine, error) {
	engines.Lock()
	defer engines.Unlock()
	if e := engines.m[cfg]; e != nil {
		return e, nil
	}
	var o Options
	if err := json.Unmarshal([]byte(cfg), &o); err != nil {
		return nil, err
	}
	e, err := engine.New(o.engineOptions())
	if err != nil {
		return nil, err
	}
	if engines.m == nil {
		engines.m = map[string]*engine.Engine{}
	}
	engines.m[cfg] = e
	return e, nil
}

type extractFn struct {
	Config string `json:"config"`

	eng    *engine.Engine
	failed beam.Counter
	docs   beam.Counter
}

func (f *extractFn) Setup() error {
	e, err := sharedEngine(f.Config)
	if err != nil {
		return err
	}
	f.eng = e
	f.failed = beam.NewCounter("hadath", "failed")
	f.docs = beam.NewCounter("hadath", "documents")
	return nil
}

func (f *extractFn) ProcessElement(ctx context.Context, file, line string, emit func(string)) error {
	out, failed, err := f.eng.ProcessLineFrom(file, []byte(line))
	if err != nil {
		return err
	}
	if len(out) == 0 {
		return nil
	}
	f.docs.Inc(ctx, 1)
	if failed {
		f.failed.Inc(ctx, 1)
	}
	for len(out) > 0 {
		i := bytes.IndexByte(out, '\n')
		if i < 0 {
			i = len(out)
		}
		emit(string(out[:i]))
		out = out[min(i+1, len(out)):]
	}
	return nil
}

type shardFn struct {
	Shards int `json:"shards"`
}

func (f *shardFn) ProcessElement(line string, emit func(int, string)) {
	h := fnv.New32a()
	h.Write([]byte(line))
	emit(int(h.Sum32()%uint32(f.Shards)), line)
}

type writeShardFn struct {
	Prefix string `json:"prefix"`
	Shards int    `json:"shards"`
}

// ShardName is the file name of shard i of n.
func ShardName(prefix string, i, n int) string {
	return fmt.Sprintf("%s-%05d-of-%05d.jsonl", prefix, i, n)
}

func (f *writeShardFn) ProcessElement(ctx context.Context, shard int, lines func(*string) bool) error {
	name := ShardName(f.Prefix, shard, f.Shards)
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return err
	}
	defer fs.Close()
	fd, err := fs.OpenWrite(ctx, name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(fd, 1<<20)
	var line string
	for lines(&line) {
		bw.WriteString(strings.TrimSuffix(line, "\n"))
		if err := bw.WriteByte('\n'); err != nil {
			fd.Close()
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		fd.Close()
		return err
	}
	return fd.Close()
}
