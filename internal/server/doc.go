// Package server serves the pipeline over HTTP (docs/SERVICE.md):
//
//	POST /v1/extract  one JSON document, or JSON Lines (application/x-ndjson)
//	GET  /healthz
//	GET  /metrics     Prometheus text format
//
// The pipeline is held in an atomic pointer: Reload builds a new one from
// the gazetteer and rules files and swaps it in, and requests already
// running finish with the one they started with.
package server
