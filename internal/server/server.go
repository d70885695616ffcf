package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/hadath/hadath/internal/input"
	"github.com/hadath/hadath/internal/output"
	"github.com/hadath/hadath/pipeline"
)

// Defaults for Options.
const (
	DefaultMaxBody         = 10 << 20
	DefaultReadTimeout     = 30 * time.Second
	DefaultWriteTimeout    = 60 * time.Second
	DefaultIdleTimeout     = 120 * time.Second
	DefaultShutdownTimeout = 15 * time.Second
)

// Options configure a Server.
type Options struct {
	// Build makes a pipeline; it is called by New and by every Reload.
	Build func() (*pipeline.Pipeline, error)
	// Input are the reader options (field names, doc date, size cap).
	Input input.Options
	// Workers per request (0: number of CPUs).
	Workers int
	// MaxBody is the largest request body in bytes (DefaultMaxBody if 0).
	MaxBody int64
	// ReadTimeout, WriteTimeout and IdleTimeout configure http.Server;
	// requests still processing after WriteTimeout get a 503.
	ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown.
	ShutdownTimeout time.Duration
	Log             zerolog.Logger
}

// Server is the HTTP service.
type Server struct {
	opt      Options
	pipe     atomic.Pointer[pipeline.Pipeline]
	m        *metrics
	reloadMu sync.Mutex
	started  time.Time
}

// New builds the pipeline once and returns the server.
func New(o Options) (*Server, error) {
	if o.Build == nil {
		return nil, errors.New("server: no pipeline builder")
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.ReadTimeout <= 0 {
		o.ReadTimeout = DefaultReadTimeout
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.IdleTimeout <= 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.ShutdownTimeout <= 0 {
		o.ShutdownTimeout = DefaultShutdownTimeout
	}
	s := &Server{opt: o, m: newMetrics(), started: time.Now()}
	p, err := o.Build()
	if err != nil {
		return nil, err
	}
	s.pipe.Store(p)
	s.m.loadedAt.Store(time.Now().Unix())
	return s, nil
}

// Pipeline returns the pipeline in use.
func (s *Server) Pipeline() *pipeline.Pipeline { return s.pipe.Load() }

// Reload rebuilds the pipeline and swaps it in. On error the old pipeline
// stays in use. Concurrent reloads run one at a time.
func (s *Server) Reload() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	start := time.Now()
	p, err := s.opt.Build()
	if err != nil {
		s.m.reloadsKO.Add(1)
		s.opt.Log.Error().Err(err).Msg("reload failed; keeping the current pipeline")
		return err
	}
	s.pipe.Store(p)
	s.m.reloadsOK.Add(1)
	s.m.loadedAt.Store(time.Now().Unix())
	s.opt.Log.Info().Dur("took", time.Since(start)).Msg("pipeline reloaded")
	return nil
}

// ReloadOn calls Reload whenever one of sigs arrives (SIGHUP in the
// service), until ctx is done. The signals are registered before it
// returns.
func (s *Server) ReloadOn(ctx context.Context, sigs ...os.Signal) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, sigs...)
	go func() {
		defer signal.Stop(ch)
		for {
			select {
			case <-ctx.Done():
				return
			case sig := <-ch:
				s.opt.Log.Info().Str("signal", sig.String()).Msg("reloading gazetteers and rules")
				_ = s.Reload()
			}
		}
	}()
}

// Handler returns the HTTP routes.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/extract", s.extract)
	mux.HandleFunc("/healthz", s.healthz)
	mux.HandleFunc("/metrics", s.metrics)
	return s.instrument(mux)
}

// Serve serves on ln until ctx is done, then shuts down gracefully: the
// listener closes and requests in flight finish (within ShutdownTimeout).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: min(s.opt.ReadTimeout, 10*time.Second),
		ReadTimeout:       s.opt.ReadTimeout,
		WriteTimeout:      s.opt.WriteTimeout,
		IdleTimeout:       s.opt.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          nil,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.opt.Log.Info().Msg("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), s.opt.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	return err
}

type statusWriter struct {
	http.ResponseWriter
	code  int
	bytes int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func metricPath(p string) string {
	switch p {
	case "/v1/extract", "/healthz", "/metrics":
		return p
	}
	return "other"
}

func (s *Server) instrument(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.m.inFlight.Add(1)
		defer s.m.inFlight.Add(-1)
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		el := time.Since(start)
		path := metricPath(r.URL.Path)
		s.m.observe(path, sw.code, el)
		lvl := zerolog.DebugLevel
		if path == "/v1/extract" || path == "other" {
			lvl = zerolog.InfoLevel
		}
		s.opt.Log.WithLevel(lvl).Str("method", r.Method).Str("path", r.URL.Path).Int("status", sw.code).
			Int("bytes", sw.bytes).Dur("took", el).Str("remote", r.RemoteAddr).Msg("request")
	})
}

// apiError is the JSON body of every error response.
type apiError struct {
	Error  string `json:"error"`
	Status int    `json:"status"`
}

func (s *Server) fail(w http.ResponseWriter, code int, reason, msg string) {
	s.m.requestError(reason)
	writeJSON(w, code, apiError{Error: msg, Status: code})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		code, b = http.StatusInternalServerError, []byte(`{"error":"encoding the response","status":500}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.fail(w, http.StatusMethodNotAllowed, "method", "use GET")
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"status":           "ok",
		"stages":           len(s.pipe.Load().Stages),
		"pipeline_loaded":  time.Unix(s.m.loadedAt.Load(), 0).UTC().Format(time.RFC3339),
		"reloads":          s.m.reloadsOK.Load(),
		"uptime_seconds":   int64(time.Since(s.started).Seconds()),
		"max_body_bytes":   s.opt.MaxBody,
		"documents_served": s.m.documents.Load(),
	})
}

func (s *Server) metrics(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		s.fail(w, http.StatusMethodNotAllowed, "method", "use GET")
		return
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	_ = s.m.write(w)
}

var ndjsonTypes = map[string]bool{
	"application/x-ndjson": true, "application/ndjson": true, "application/jsonl": true,
	"application/x-jsonlines": true, "application/jsonlines": true,
}

var formatTypes = map[string]string{
	"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8", "geojson": "application/geo+json",
}

func (s *Server) extract(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST")
		s.fail(w, http.StatusMethodNotAllowed, "method", "use POST with a JSON document or JSON Lines")
		return
	}
	ndjson := false
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		switch {
		case err != nil:
			s.fail(w, http.StatusUnsupportedMediaType, "content_type", "bad Content-Type: "+err.Error())
			return
		case ndjsonTypes[mt]:
			ndjson = true
		case mt == "application/json":
		default:
			s.fail(w, http.StatusUnsupportedMediaType, "content_type",
				fmt.Sprintf("Content-Type %s: want application/json (one document) or application/x-ndjson (JSON Lines)", mt))
			return
		}
	}
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		format = "jsonl"
	}
	if _, ok := formatTypes[format]; !ok {
		s.fail(w, http.StatusBadRequest, "query", fmt.Sprintf("format must be jsonl, csv or geojson, got %q", format))
		return
	}
	emit := q.Get("emit")
	if emit != "" && emit != "documents" && emit != "events" {
		s.fail(w, http.StatusBadRequest, "query", fmt.Sprintf("emit must be documents or events, got %q", emit))
		return
	}
	if r.ContentLength > s.opt.MaxBody {
		s.fail(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("body of %d bytes is over the limit of %d bytes", r.ContentLength, s.opt.MaxBody))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opt.MaxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			s.fail(w, http.StatusRequestEntityTooLarge, "too_large", fmt.Sprintf("body is over the limit of %d bytes", s.opt.MaxBody))
			return
		}
		s.fail(w, http.StatusBadRequest, "read", "reading the body: "+err.Error())
		return
	}
	docs, n, err := checkBody(body, ndjson)
	if err != nil {
		s.fail(w, http.StatusBadRequest, "malformed", err.Error())
		return
	}

	p := s.pipe.Load() // kept for the whole request, whatever reloads happen
	ctx, cancel := context.WithTimeout(r.Context(), s.opt.WriteTimeout*9/10)
	defer cancel()
	var buf bytes.Buffer
	ow, err := output.NewFormatWriter(format, &buf, emit == "events")
	if err != nil {
		s.fail(w, http.StatusBadRequest, "query", err.Error())
		return
	}
	opt := s.opt.Input
	opt.Stdin = bytes.NewReader(docs)
	rd := input.New(opt)
	items := make(chan pipeline.Item, 16)
	rctx, rcancel := context.WithCancel(ctx)
	defer rcancel()
	go rd.Read(rctx, []string{"-"}, items)
	err = p.Run(ctx, items, s.opt.Workers, func(res pipeline.Result) error {
		s.m.documents.Add(1)
		if res.Err != nil || res.Failed {
			s.m.docErrors.Add(1)
		}
		return ow.Write(res)
	})
	rcancel()
	if cerr := ow.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			s.fail(w, http.StatusServiceUnavailable, "timeout", "processing took longer than the server's write timeout; send fewer documents per request")
			return
		}
		if r.Context().Err() != nil {
			return // the client went away
		}
		s.fail(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("X-Hadath-Documents", fmt.Sprint(n))
	if !ndjson && format == "jsonl" && emit != "events" {
		// one document in, one JSON object out
		single := bytes.TrimSpace(buf.Bytes())
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(append(single, '\n'))
		return
	}
	w.Header().Set("Content-Type", formatTypes[format])
	_, _ = w.Write(buf.Bytes())
}

// checkBody validates the request body and returns it as JSON Lines for
// the reader, with the number of documents. A single document may span
// lines; in JSON Lines every non-blank line must be one JSON object.
func checkBody(body []byte, ndjson bool) ([]byte, int, error) {
	if !ndjson {
		t := bytes.TrimSpace(body)
		if len(t) == 0 {
			return nil, 0, errors.New("empty body: send one JSON document")
		}
		if t[0] != '{' {
			return nil, 0, errors.New("the body must be one JSON object (for several documents use Content-Type application/x-ndjson)")
		}
		if !json.Valid(t) {
			var v any
			return nil, 0, fmt.Errorf("malformed JSON: %s", jsonErr(t, json.Unmarshal(t, &v)))
		}
		var out bytes.Buffer
		if err := json.Compact(&out, t); err != nil {
			return nil, 0, fmt.Errorf("malformed JSON: %s", jsonErr(t, err))
		}
		out.WriteByte('\n')
		return out.Bytes(), 1, nil
	}
	n := 0
	for i, line := range bytes.Split(body, []byte("\n")) {
		t := bytes.TrimSpace(line)
		if len(t) == 0 {
			continue
		}
		if t[0] != '{' {
			return nil, 0, fmt.Errorf("line %d: not a JSON object", i+1)
		}
		if !json.Valid(t) {
			var v any
			err := json.Unmarshal(t, &v)
			return nil, 0, fmt.Errorf("line %d: malformed JSON: %s", i+1, jsonErr(t, err))
		}
		n++
	}
	if n == 0 {
		return nil, 0, errors.New("empty body: send JSON Lines, one document per line")
	}
	return body, n, nil
}

// jsonErr describes a JSON syntax error with its line and column.
func jsonErr(b []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		// Offset counts the bytes read, the offending one included
		off := int(se.Offset) - 1
		off = max(0, min(off, len(b)))
		line := 1 + bytes.Count(b[:off], []byte("\n"))
		col := off - bytes.LastIndexByte(b[:off], '\n')
		return fmt.Sprintf("%d:%d: %s", line, col, se.Error())
	}
	if err == nil {
		return "invalid JSON"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
