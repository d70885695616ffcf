// Package hadath holds the embedded default configuration. The tool itself
// lives in cmd/hadath; its stages in pipeline/ and extractors/.
package hadath

import _ "embed"

// DefaultConfig is config.yaml, embedded in the binary.
//
//go:embed config.yaml
var DefaultConfig []byte
