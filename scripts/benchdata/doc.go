// Package benchdata makes the deterministic data of the throughput
// benchmarks (issue #7): a large gazetteer of pseudo-Arabic place names and
// a corpus of news text. The Go benchmarks and scripts/bench.sh use the same
// generator, so their figures are about the same names. It imports only the
// standard library, so that the generator builds whatever state the rest of
// the tree is in.
package benchdata
