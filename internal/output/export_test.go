package output

// RefEncode exposes the encoding/json reference writer (append_test.go)
// to the external tests and benchmarks.
var RefEncode = refEncode

// OldWriter is the encoding/json Writer the appenders replace, for the
// benchmarks.
type OldWriter = oldWriter

// NewOldWriter returns an OldWriter on w.
var NewOldWriter = newOldWriter
