package server

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// latencyBuckets are the upper bounds (seconds) of the latency histogram.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

type histogram struct {
	counts []uint64 // per bucket, not cumulative; last is +Inf
	sum    float64
	n      uint64
}

// metrics are written by hand in the Prometheus text format 0.0.4.
type metrics struct {
	documents atomic.Uint64
	docErrors atomic.Uint64
	inFlight  atomic.Int64
	reloadsOK atomic.Uint64
	reloadsKO atomic.Uint64
	loadedAt  atomic.Int64 // unix seconds of the current pipeline

	mu       sync.Mutex
	requests map[[2]string]uint64 // path, code
	reqErrs  map[string]uint64    // reason
	latency  map[string]*histogram
}

func newMetrics() *metrics {
	return &metrics{requests: map[[2]string]uint64{}, reqErrs: map[string]uint64{}, latency: map[string]*histogram{}}
}

func (m *metrics) observe(path string, code int, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{path, strconv.Itoa(code)}]++
	h := m.latency[path]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.latency[path] = h
	}
	s := d.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, s) // first bound >= s
	h.counts[i]++
	h.sum += s
	h.n++
}

func (m *metrics) requestError(reason string) {
	m.mu.Lock()
	m.reqErrs[reason]++
	m.mu.Unlock()
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

func (m *metrics) write(w io.Writer) error {
	var b []byte
	add := func(format string, a ...any) { b = fmt.Appendf(b, format, a...) }
	add("# HELP hadath_documents_total Documents processed by /v1/extract.\n# TYPE hadath_documents_total counter\nhadath_documents_total %d\n", m.documents.Load())

	m.mu.Lock()
	add("# HELP hadath_errors_total Failed documents (kind=\"document\") and rejected requests (kind=\"request\", by reason).\n# TYPE hadath_errors_total counter\n")
	add("hadath_errors_total{kind=\"document\",reason=\"\"} %d\n", m.docErrors.Load())
	reasons := make([]string, 0, len(m.reqErrs))
	for r := range m.reqErrs {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		add("hadath_errors_total{kind=\"request\",reason=%q} %d\n", r, m.reqErrs[r])
	}

	add("# HELP hadath_http_requests_total HTTP requests by path and status code.\n# TYPE hadath_http_requests_total counter\n")
	keys := make([][2]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	for _, k := range keys {
		add("hadath_http_requests_total{path=%q,code=%q} %d\n", k[0], k[1], m.requests[k])
	}

	add("# HELP hadath_http_request_duration_seconds Request latency by path.\n# TYPE hadath_http_request_duration_seconds histogram\n")
	paths := make([]string, 0, len(m.latency))
	for p := range m.latency {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		h := m.latency[p]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			add("hadath_http_request_duration_seconds_bucket{path=%q,le=%q} %d\n", p, fmtFloat(le), cum)
		}
		cum += h.counts[len(latencyBuckets)]
		add("hadath_http_request_duration_seconds_bucket{path=%q,le=\"+Inf\"} %d\n", p, cum)
		add("hadath_http_request_duration_seconds_sum{path=%q} %s\n", p, fmtFloat(h.sum))
		add("hadath_http_request_duration_seconds_count{path=%q} %d\n", p, h.n)
	}
	m.mu.Unlock()

	add("# HELP hadath_http_requests_in_flight Requests being served.\n# TYPE hadath_http_requests_in_flight gauge\nhadath_http_requests_in_flight %d\n", m.inFlight.Load())
	add("# HELP hadath_reloads_total Pipeline reloads (SIGHUP) by result.\n# TYPE hadath_reloads_total counter\n")
	add("hadath_reloads_total{result=\"ok\"} %d\nhadath_reloads_total{result=\"error\"} %d\n", m.reloadsOK.Load(), m.reloadsKO.Load())
	add("# HELP hadath_pipeline_loaded_timestamp_seconds When the pipeline in use was built.\n# TYPE hadath_pipeline_loaded_timestamp_seconds gauge\nhadath_pipeline_loaded_timestamp_seconds %d\n", m.loadedAt.Load())
	_, err := w.Write(b)
	return err
}
