// Package progress reports the progress of long runs: on a terminal a
// one-line status (documents/s, MB/s, elapsed) redrawn at most four times a
// second, elsewhere a log line every ten seconds.
package progress
