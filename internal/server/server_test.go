package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/app"
	"github.com/hadath/hadath/internal/config"
	"github.com/hadath/hadath/internal/input"
	"github.com/hadath/hadath/internal/output"
	"github.com/hadath/hadath/pipeline"
)

var (
	buildOnce sync.Once
	cfg       *config.Config
	res       *app.Resources
	buildErr  error
)

// builder returns a pipeline builder over the embedded resources and counts
// its calls.
func builder(t *testing.T, calls *atomic.Int32) func() (*pipeline.Pipeline, error) {
	t.Helper()
	buildOnce.Do(func() {
		cfg, buildErr = config.Load("", nil)
		if buildErr == nil {
			cfg.DocDate = "2016-12-07"
			res, buildErr = app.LoadResources(cfg)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return func() (*pipeline.Pipeline, error) {
		if calls != nil {
			calls.Add(1)
		}
		return app.Build(cfg, res, zerolog.Nop())
	}
}

// start serves on 127.0.0.1:0 and returns the base URL.
func start(t *testing.T, o Options) (*Server, string) {
	t.Helper()
	if o.Build == nil {
		o.Build = builder(t, nil)
	}
	o.Input = cfg.InputOptions()
	o.Log = zerolog.Nop()
	s, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return s, "http://" + ln.Addr().String()
}

func post(t *testing.T, url, ctype string, body []byte) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Post(url, ctype, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// cliRecords runs the CLI path (app.Extract, standard input) over body.
func cliRecords(t *testing.T, body []byte, emit string) []byte {
	t.Helper()
	c := *cfg
	c.Emit = emit
	if emit == "" {
		c.Emit = "documents"
	}
	p, err := builder(t, nil)()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := app.Extract(context.Background(), &c, p, app.ExtractOptions{Stdin: bytes.NewReader(body), Stdout: &out}, zerolog.Nop()); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func testDocs(t *testing.T) [][]byte {
	t.Helper()
	seed, err := os.ReadFile(filepath.Join("..", "..", "testdata", "seed-aleppo-2016-12-07.txt"))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := os.ReadFile(filepath.Join("..", "..", "testdata", "examples.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	one, _ := json.Marshal(map[string]string{"id": "seed", "text": string(seed), "date": "2016-12-07"})
	docs := [][]byte{one}
	for _, l := range bytes.Split(bytes.TrimSpace(ex), []byte("\n")) {
		docs = append(docs, l)
	}
	return docs
}

func TestExtractSameAsCLIConcurrently(t *testing.T) {
	_, base := start(t, Options{Workers: 2})
	docs := testDocs(t)
	ndjson := append(bytes.Join(docs, []byte("\n")), '\n')
	wantAll := cliRecords(t, ndjson, "")
	wantEvents := cliRecords(t, ndjson, "events")
	wantOne := cliRecords(t, append(docs[0], '\n'), "")
	if bytes.Count(wantEvents, []byte("\n")) < 20 {
		t.Fatalf("too few events from the CLI path:\n%s", wantEvents)
	}

	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := 0; i < 8; i++ {
		wg.Add(3)
		go func() {
			defer wg.Done()
			code, h, b := post(t, base+"/v1/extract", "application/x-ndjson", ndjson)
			if code != 200 || !bytes.Equal(b, wantAll) || h.Get("Content-Type") != "application/x-ndjson" {
				errs <- fmt.Sprintf("ndjson: %d %s\n%.300s", code, h.Get("Content-Type"), b)
			}
		}()
		go func() {
			defer wg.Done()
			code, _, b := post(t, base+"/v1/extract?emit=events", "application/x-ndjson", ndjson)
			if code != 200 || !bytes.Equal(b, wantEvents) {
				errs <- fmt.Sprintf("events: %d\n%.300s", code, b)
			}
		}()
		go func() {
			defer wg.Done()
			// one document, pretty-printed
			var v any
			_ = json.Unmarshal(docs[0], &v)
			pretty, _ := json.MarshalIndent(v, "", "  ")
			code, h, b := post(t, base+"/v1/extract", "application/json", pretty)
			if code != 200 || !bytes.Equal(b, wantOne) || h.Get("Content-Type") != "application/json" {
				errs <- fmt.Sprintf("single: %d %s\n%.300s\nwant %.300s", code, h.Get("Content-Type"), b, wantOne)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	var rec output.Record
	if err := json.Unmarshal(wantOne, &rec); err != nil || rec.ID != "seed" || len(rec.Events) == 0 {
		t.Errorf("single record: %v %+v", err, rec.ID)
	}
}

func TestExtractFormats(t *testing.T) {
	_, base := start(t, Options{})
	docs := testDocs(t)
	ndjson := bytes.Join(docs, []byte("\n"))
	code, h, b := post(t, base+"/v1/extract?format=csv", "application/x-ndjson", ndjson)
	if code != 200 || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") || !bytes.HasPrefix(b, []byte("event_id,event_date,")) {
		t.Errorf("csv: %d %s %.200s", code, h.Get("Content-Type"), b)
	}
	code, h, b = post(t, base+"/v1/extract?format=geojson", "application/x-ndjson", ndjson)
	var fc struct {
		Type     string            `json:"type"`
		Features []json.RawMessage `json:"features"`
	}
	if code != 200 || h.Get("Content-Type") != "application/geo+json" || json.Unmarshal(b, &fc) != nil || fc.Type != "FeatureCollection" || len(fc.Features) == 0 {
		t.Errorf("geojson: %d %s %.200s", code, h.Get("Content-Type"), b)
	}
}

func errorBody(t *testing.T, b []byte) apiError {
	t.Helper()
	var e apiError
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil || e.Error == "" {
		t.Fatalf("not a JSON error: %v %s", err, b)
	}
	return e
}

func TestRequestErrors(t *testing.T) {
	_, base := start(t, Options{MaxBody: 1000})
	big := []byte(`{"id":"x","text":"` + strings.Repeat("a", 2000) + `"}`)
	for _, tc := range []struct {
		name, ctype string
		body        []byte
		code        int
		msg         string
	}{
		{"too large", "application/json", big, 413, "limit of 1000 bytes"},
		{"too large ndjson", "application/x-ndjson", big, 413, "limit"},
		{"malformed", "application/json", []byte(`{"id": "x", "text": }`), 400, "malformed JSON: 1:21"},
		{"not an object", "application/json", []byte(`["a"]`), 400, "one JSON object"},
		{"trailing garbage", "application/json", []byte(`{"text":"a"} {"text":"b"}`), 400, "malformed JSON"},
		{"empty", "application/json", nil, 400, "empty body"},
		{"bad line", "application/x-ndjson", []byte("{\"text\":\"a\"}\n\n{\"text\": nope}\n"), 400, "line 3: malformed JSON"},
		{"wrong type", "text/plain", []byte("hello"), 415, "application/x-ndjson"},
	} {
		code, h, b := post(t, base+"/v1/extract", tc.ctype, tc.body)
		if code != tc.code {
			t.Errorf("%s: status %d, want %d: %s", tc.name, code, tc.code, b)
			continue
		}
		if h.Get("Content-Type") != "application/json" {
			t.Errorf("%s: Content-Type %s", tc.name, h.Get("Content-Type"))
		}
		if e := errorBody(t, b); !strings.Contains(e.Error, tc.msg) || e.Status != tc.code {
			t.Errorf("%s: error %+v, want it to mention %q", tc.name, e, tc.msg)
		}
	}
	// a body over the limit without Content-Length (chunked)
	pr, pw := io.Pipe()
	go func() {
		pw.Write(big)
		pw.Close()
	}()
	req, _ := http.NewRequest("POST", base+"/v1/extract", pr)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 413 {
		t.Errorf("chunked: %d %s", resp.StatusCode, b)
	}
	errorBody(t, b)
	// wrong method
	resp, err = http.Get(base + "/v1/extract")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET /v1/extract: %d Allow=%q", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

// scrape reads /metrics into name{labels} -> value, checking the format.
func scrape(t *testing.T, base string) map[string]float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("metrics Content-Type %q", ct)
	}
	m := map[string]float64{}
	typed := map[string]bool{}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "# TYPE ") {
			typed[strings.Fields(l)[2]] = true
			continue
		}
		if strings.HasPrefix(l, "#") || l == "" {
			continue
		}
		i := strings.LastIndexByte(l, ' ')
		v, err := strconv.ParseFloat(l[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample %q", l)
		}
		name := l[:i]
		base := name
		if j := strings.IndexByte(base, '{'); j >= 0 {
			base = base[:j]
		}
		trim := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(base, "_bucket"), "_sum"), "_count")
		if !typed[base] && !typed[trim] {
			t.Errorf("sample %q has no # TYPE line before it", l)
		}
		m[name] = v
	}
	return m
}

func TestHealthAndMetrics(t *testing.T) {
	_, base := start(t, Options{})
	resp, err := http.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&h)
	resp.Body.Close()
	if resp.StatusCode != 200 || h["status"] != "ok" {
		t.Fatalf("healthz: %d %v", resp.StatusCode, h)
	}
	docs := testDocs(t)
	post(t, base+"/v1/extract", "application/x-ndjson", bytes.Join(docs, []byte("\n")))
	post(t, base+"/v1/extract", "application/x-ndjson", []byte("{\"id\":\"x\",\"text\":\"a\"}\n{\"id\":\"y\"}\n")) // y has no text: an error record
	post(t, base+"/v1/extract", "application/json", []byte("{nope"))
	m := scrape(t, base)
	if got := m["hadath_documents_total"]; got != float64(len(docs)+2) {
		t.Errorf("documents_total = %v, want %d", got, len(docs)+2)
	}
	if got := m[`hadath_errors_total{kind="document",reason=""}`]; got != 1 {
		t.Errorf("document errors = %v, want 1", got)
	}
	if got := m[`hadath_errors_total{kind="request",reason="malformed"}`]; got != 1 {
		t.Errorf("request errors = %v, want 1", got)
	}
	cnt := m[`hadath_http_request_duration_seconds_count{path="/v1/extract"}`]
	inf := m[`hadath_http_request_duration_seconds_bucket{path="/v1/extract",le="+Inf"}`]
	if cnt != 3 || inf != 3 {
		t.Errorf("latency count %v, +Inf bucket %v, want 3", cnt, inf)
	}
	prev := 0.0
	for _, le := range latencyBuckets {
		v := m[fmt.Sprintf(`hadath_http_request_duration_seconds_bucket{path="/v1/extract",le="%s"}`, fmtFloat(le))]
		if v < prev {
			t.Errorf("bucket le=%v is %v, below the previous %v", le, v, prev)
		}
		prev = v
	}
	if m[`hadath_http_requests_total{path="/v1/extract",code="400"}`] != 1 || m[`hadath_http_requests_total{path="/healthz",code="200"}`] != 1 {
		t.Errorf("requests_total wrong: %v", m)
	}
}

func TestReloadKeepsServing(t *testing.T) {
	var calls atomic.Int32
	fail := atomic.Bool{}
	b := builder(t, &calls)
	s, base := start(t, Options{Build: func() (*pipeline.Pipeline, error) {
		if fail.Load() {
			calls.Add(1)
			return nil, errors.New("gazetteer.yaml:3:1: broken")
		}
		return b()
	}})
	docs := testDocs(t)
	body := bytes.Join(docs, []byte("\n"))
	want := cliRecords(t, body, "")
	first := s.Pipeline()

	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	var served, bad atomic.Int32
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				code, _, got := post(t, base+"/v1/extract", "application/x-ndjson", body)
				served.Add(1)
				if code != 200 || !bytes.Equal(got, want) {
					bad.Add(1)
				}
			}
		}()
	}
	for i := 0; i < 5; i++ {
		if err := s.Reload(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if s.Pipeline() == first {
		t.Error("Reload did not swap the pipeline")
	}
	fail.Store(true)
	kept := s.Pipeline()
	if err := s.Reload(); err == nil {
		t.Error("a failing reload reported no error")
	}
	if s.Pipeline() != kept {
		t.Error("a failing reload replaced the pipeline")
	}
	time.Sleep(50 * time.Millisecond)
	cancel()
	wg.Wait()
	if served.Load() == 0 || bad.Load() != 0 {
		t.Errorf("%d requests during reloads, %d wrong", served.Load(), bad.Load())
	}
	if calls.Load() != 7 {
		t.Errorf("builder called %d times, want 7", calls.Load())
	}
	m := scrape(t, base)
	if m[`hadath_reloads_total{result="ok"}`] != 5 || m[`hadath_reloads_total{result="error"}`] != 1 {
		t.Errorf("reload counters: ok %v error %v", m[`hadath_reloads_total{result="ok"}`], m[`hadath_reloads_total{result="error"}`])
	}
}

func TestSIGHUPReloads(t *testing.T) {
	var calls atomic.Int32
	s, _ := start(t, Options{Build: builder(t, &calls)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.ReloadOn(ctx, syscall.SIGHUP)
	before := s.Pipeline()
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for s.Pipeline() == before {
		if time.Now().After(deadline) {
			t.Fatal("no reload within 10s of SIGHUP")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if calls.Load() != 2 {
		t.Errorf("builder called %d times, want 2", calls.Load())
	}
}

func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	gate := make(chan struct{})
	b := builder(t, nil)
	s, err := New(Options{Build: func() (*pipeline.Pipeline, error) {
		p, err := b()
		if err != nil {
			return nil, err
		}
		p.Stages = append([]pipeline.Stage{blockStage{gate}}, p.Stages...)
		return p, nil
	}, Input: input.Options{}, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx, ln) }()
	type result struct {
		code int
		err  error
	}
	resc := make(chan result, 1)
	go func() {
		resp, err := http.Post("http://"+ln.Addr().String()+"/v1/extract", "application/json", strings.NewReader(`{"id":"a","text":"Rebels withdrew from Aleppo."}`))
		if err != nil {
			resc <- result{0, err}
			return
		}
		resp.Body.Close()
		resc <- result{resp.StatusCode, nil}
	}()
	// wait until the request is inside the pipeline, then shut down
	deadline := time.Now().Add(5 * time.Second)
	for s.m.inFlight.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	time.Sleep(50 * time.Millisecond)
	if _, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second); err == nil {
		t.Error("the listener still accepts connections during shutdown")
	}
	close(gate)
	r := <-resc
	if r.err != nil || r.code != 200 {
		t.Errorf("in-flight request: %d %v", r.code, r.err)
	}
	if err := <-done; err != nil {
		t.Errorf("Serve: %v", err)
	}
}

type blockStage struct{ gate chan struct{} }

func (blockStage) Name() string { return "block" }
func (b blockStage) Process(*pipeline.Document) error {
	<-b.gate
	return nil
}
