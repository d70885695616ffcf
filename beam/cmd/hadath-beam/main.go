// Command hadath-beam runs `hadath extract` as an Apache Beam pipeline.
//
//	hadath-beam --input 'dump/*.jsonl.gz' --output out/records --shards 8 \
//	    --gazetteer big.yaml --no_default_gazetteers --runner prism
//
// --runner chooses the runner (prism, the default, runs locally; flink,
// spark and universal need --endpoint of a job server; dataflow needs
// --project, --region, --staging_location ...). See docs/SCALE.md.
package main

import (
	"context"
	"flag"
	"log"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/hadath/hadath/beam/hadathbeam"
)

var (
	input      = flag.String("input", "", "JSON Lines input (file glob; .gz is read transparently)")
	output     = flag.String("output", "", "output prefix: PREFIX-00000-of-NNNNN.jsonl")
	shards     = flag.Int("shards", 1, "number of output files")
	configFile = flag.String("config", "", "hadath config file (YAML), as hadath extract --config")
	gazetteers = flag.String("gazetteer", "", "comma-separated extra gazetteer files (must be readable on the workers)")
	noDefault  = flag.Bool("no_default_gazetteers", false, "use only the --gazetteer files")
	rules      = flag.String("rules", "", "comma-separated extra rule files")
	docDate    = flag.String("doc_date", "", "date (YYYY-MM-DD) for documents without one")
	emit       = flag.String("emit", "", "documents or events")
	textField  = flag.String("text_field", "", "JSON field holding the text (input.fields.text)")
)

func list(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func main() {
	flag.Parse()
	beam.Init()
	p, s := beam.NewPipelineWithRoot()
	err := hadathbeam.Build(s, hadathbeam.Options{Input: *input, Output: *output, Shards: *shards,
		ConfigFile: *configFile, Gazetteers: list(*gazetteers), NoDefaultGazetteers: *noDefault, Rules: list(*rules),
		DocDate: *docDate, Emit: *emit, TextField: *textField})
	if err != nil {
		log.Fatal(err)
	}
	if err := beamx.Run(context.Background(), p); err != nil {
		log.Fatalf("pipeline failed: %v", err)
	}
}
