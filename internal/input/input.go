package input

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/hadath/hadath/pipeline"
)

// FieldMap names the input fields that hold each document attribute.
type FieldMap struct {
	ID, Text, Title, Date, Lang, URL string
}

// DefaultFieldMap is the standard JSON Lines layout.
var DefaultFieldMap = FieldMap{ID: "id", Text: "text", Title: "title", Date: "date", Lang: "lang", URL: "url"}

// aheadBudget counts the bytes of the items read and not yet decoded
// (Options.MaxAheadBytes).
type aheadBudget struct {
	mu    sync.Mutex
	used  int64
	limit int64
	freed chan struct{} // a release since the reader last waited
}

// acquire waits until n more bytes fit in the budget, or none are used,
// and takes them; it returns false if ctx is cancelled first.
func (b *aheadBudget) acquire(ctx context.Context, n int64) bool {
	for {
		b.mu.Lock()
		if b.used == 0 || b.used+n <= b.limit {
			b.used += n
			b.mu.Unlock()
			return true
		}
		b.mu.Unlock()
		select {
		case <-b.freed:
		case <-ctx.Done():
			return false
		}
	}
}

// release gives n bytes back and wakes the reader if it waits.
func (b *aheadBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	select {
	case b.freed <- struct{}{}:
	default:
	}
}

// wrap returns it with a Decode that gives its n bytes back (once) and
// then decodes it as before.
func (b *aheadBudget) wrap(it pipeline.Item, n int64) pipeline.Item {
	inner := it.Decode
	it.Decode = nil
	plain := it
	var once sync.Once
	it.Decode = func() pipeline.Item {
		once.Do(func() { b.release(n) })
		if inner == nil {
			return plain
		}
		return inner()
	}
	return it
}

// Options configures the reader.
type Options struct {
	Fields FieldMap
	// DocDate is used when a document has no date of its own.
	DocDate time.Time
	// MaxDocBytes caps one document (a JSON line or a text file); larger
	// ones become error records. Zero means 8 MiB.
	MaxDocBytes int64
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Lazy leaves the parsing of JSON lines to whoever processes the items
	// (pipeline.Item.Decode), so that it runs in parallel.
	Lazy bool
	// MaxAheadBytes, when positive, bounds the bytes of the documents read
	// ahead: Read holds back the next item while the items it has sent and
	// that were not yet decoded (pipeline.Item.Decoded) hold more than that,
	// though it always lets one through. Every item then has a Decode
	// function, and whoever reads them must call Decoded on each, or Read
	// waits for ever (until ctx is cancelled). The bound is in bytes because
	// a bound in items (a channel's capacity) lets long documents pile up:
	// sixteen 7 MB lines are 112 MB of text waiting.
	MaxAheadBytes int64
}

// Reader streams documents from paths.
type Reader struct {
	opt Options
	// Skipped counts files passed over in directories (not text or JSON).
	Skipped int
}

// New returns a reader.
func New(o Options) *Reader {
	if o.MaxDocBytes <= 0 {
		o.MaxDocBytes = 8 << 20
	}
	if o.Fields.Text == "" {
		o.Fields = DefaultFieldMap
	}
	return &Reader{opt: o}
}

var textExt = map[string]bool{".txt": true, ".text": true}
var jsonExt = map[string]bool{".jsonl": true, ".ndjson": true, ".json": true}

// Expand lists the files named by paths: directories are walked recursively
// in lexical order, keeping files whose extension (after an optional .gz) is
// .txt, .jsonl, .ndjson or .json. Errors for unreadable entries are returned
// as items later, so Expand never fails.
func (r *Reader) expand(path string, emit func(pipeline.Item) bool) bool {
	if path == "-" {
		return r.readStream("-", r.opt.Stdin, "", emit)
	}
	st, err := os.Stat(path)
	if err != nil {
		return emit(pipeline.Item{Err: fmt.Errorf("cannot read %s: %w", path, unwrapPath(err)), Source: path})
	}
	if !st.IsDir() {
		return r.readFile(path, emit)
	}
	// files holds the paths to read and, in lexical place, the errors met
	// while walking (a nil Err means a file to read).
	var files []pipeline.Item
	_ = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			files = append(files, pipeline.Item{Err: fmt.Errorf("cannot read %s: %w", p, unwrapPath(err)), Source: p})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if _, err := os.Stat(p); err != nil {
				files = append(files, pipeline.Item{Err: fmt.Errorf("broken symlink %s: %w", p, unwrapPath(err)), Source: p})
				return nil
			}
		}
		if format(p) == "" {
			r.Skipped++
			return nil
		}
		files = append(files, pipeline.Item{Source: p})
		return nil
	})
	sort.SliceStable(files, func(i, j int) bool { return files[i].Source < files[j].Source })
	for _, f := range files {
		if f.Err != nil {
			if !emit(f) {
				return false
			}
		} else if !r.readFile(f.Source, emit) {
			return false
		}
	}
	return true
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// format returns "jsonl", "text" or "" from a file name.
func format(p string) string {
	ext := strings.ToLower(filepath.Ext(p))
	if ext == ".gz" {
		ext = strings.ToLower(filepath.Ext(strings.TrimSuffix(p, filepath.Ext(p))))
	}
	switch {
	case jsonExt[ext]:
		return "jsonl"
	case textExt[ext]:
		return "text"
	}
	return ""
}

func (r *Reader) readFile(path string, emit func(pipeline.Item) bool) bool {
	f, err := os.Open(path)
	if err != nil {
		return emit(pipeline.Item{Err: fmt.Errorf("cannot read %s: %w", path, unwrapPath(err)), Source: path})
	}
	defer f.Close()
	fmtName := format(path)
	if fmtName == "" {
		fmtName = "auto"
	}
	return r.readStream(path, f, fmtName, emit)
}

func (r *Reader) readStream(name string, src io.Reader, fmtName string, emit func(pipeline.Item) bool) bool {
	br := bufio.NewReaderSize(src, 64<<10)
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return emit(pipeline.Item{Err: fmt.Errorf("%s: bad gzip: %w", name, err), Source: name})
		}
		defer gz.Close()
		br = bufio.NewReaderSize(gz, 64<<10)
	}
	// A UTF-8 byte order mark is not part of the text nor of the JSON.
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		_, _ = br.Discard(3)
	}
	if fmtName == "" || fmtName == "auto" {
		// Peek past leading blanks without consuming them, so that line
		// numbers and text stay those of the input.
		fmtName = "text"
		for i := 0; ; i++ {
			b, err := br.Peek(i + 1)
			if err != nil || len(b) <= i {
				break
			}
			if c := b[i]; c == ' ' || c == '\n' || c == '\r' || c == '\t' {
				continue
			}
			if b[i] == '{' {
				fmtName = "jsonl"
			}
			break
		}
	}
	if fmtName == "text" {
		return r.readText(name, br, emit)
	}
	return r.readJSONL(name, br, emit)
}

func (r *Reader) readText(name string, br *bufio.Reader, emit func(pipeline.Item) bool) bool {
	data, err := io.ReadAll(io.LimitReader(br, r.opt.MaxDocBytes+1))
	if err != nil {
		return emit(pipeline.Item{Err: fmt.Errorf("%s: %w", name, err), Source: name})
	}
	if int64(len(data)) > r.opt.MaxDocBytes {
		return emit(pipeline.Item{Err: fmt.Errorf("%s: document larger than the %d-byte limit (max_doc_bytes)", name, r.opt.MaxDocBytes), Source: name})
	}
	if bytes.IndexByte(data, 0) >= 0 && looksBinary(data) {
		return emit(pipeline.Item{Err: fmt.Errorf("%s: binary file, not text", name), Source: name})
	}
	doc := &pipeline.Document{ID: name, Source: name}
	doc.Text = r.cleanUTF8(doc, string(data))
	r.finish(doc)
	return emit(pipeline.Item{Doc: doc, Source: name, Size: len(data)})
}

func looksBinary(b []byte) bool {
	if len(b) > 8000 {
		b = b[:8000]
	}
	n := bytes.Count(b, []byte{0})
	return n*20 > len(b) || !utf8.Valid(b)
}

func (r *Reader) readJSONL(name string, br *bufio.Reader, emit func(pipeline.Item) bool) bool {
	line := 0
	var scratch []byte
	for {
		buf, tooLong, err := readLine(br, r.opt.MaxDocBytes, &scratch)
		if len(buf) == 0 && !tooLong && err != nil {
			if err != io.EOF {
				line++
				return emit(pipeline.Item{Err: fmt.Errorf("%s:%d: read error: %w", name, line, err), Source: fmt.Sprintf("%s:%d", name, line)})
			}
			return true
		}
		line++
		src := fmt.Sprintf("%s:%d", name, line)
		if tooLong {
			if !emit(pipeline.Item{Err: fmt.Errorf("%s: line longer than the %d-byte limit (max_doc_bytes)", src, r.opt.MaxDocBytes), Source: src}) {
				return false
			}
		} else if len(bytes.TrimSpace(buf)) > 0 {
			it := pipeline.Item{Source: src, Size: len(buf)}
			if r.opt.Lazy {
				line := buf // readLine gives every line its own buffer
				it.Decode = func() pipeline.Item { return r.parseLine(line, src) }
			} else {
				it = r.parseLine(buf, src)
				it.Size = len(buf)
			}
			if !emit(it) {
				return false
			}
		}
		if err != nil {
			if err != io.EOF {
				return emit(pipeline.Item{Err: fmt.Errorf("%s: read error: %w", src, err), Source: src})
			}
			return true
		}
	}
}

// readLine reads one line of any length into a slice of its own, of the
// line's size; beyond max bytes it discards the rest of the line and
// reports tooLong. A line longer than br's buffer is gathered in *scratch
// (kept for the next long line: it grows to the longest line read, at most
// max) and copied once, where appending chunk after chunk would copy a
// 400 KB line some twenty times as its slice doubled, into fresh memory
// each time.
func readLine(br *bufio.Reader, max int64, scratch *[]byte) ([]byte, bool, error) {
	chunk, err := br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		// the whole line was in br's buffer: the common case
		if n := trimmedLen(chunk); int64(n) > max {
			return nil, true, err
		}
		return append([]byte(nil), chunk...), false, err
	}
	buf := (*scratch)[:0]
	tooLong := false
	for {
		if !tooLong {
			// the line ending does not count against the limit
			if int64(len(buf)+trimmedLen(chunk)) > max {
				tooLong = true
				buf = buf[:0]
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err != bufio.ErrBufferFull {
			break
		}
		chunk, err = br.ReadSlice('\n')
	}
	if cap(buf) <= maxScratch {
		*scratch = buf[:0]
	} else {
		*scratch = nil // a rare huge line: its memory is not held for the run
	}
	if tooLong {
		return nil, true, err
	}
	return append([]byte(nil), buf...), false, err
}

// maxScratch is the largest line buffer readLine keeps for the next line.
const maxScratch = 8 << 20

// trimmedLen is len(chunk) without a final line feed.
func trimmedLen(chunk []byte) int {
	n := len(chunk)
	if n > 0 && chunk[n-1] == '\n' {
		n--
	}
	return n
}

// Attribute indexes, in the order of slotNames.
const (
	slotID = iota
	slotText
)

// parseLine reads one JSON Lines object. Known members become document
// attributes (strings; the id may also be a number, kept as written) and
// the others go to Extra as written. A line that is not one JSON object
// gives an error item, with encoding/json's message.
func (r *Reader) parseLine(b []byte, src string) pipeline.Item {
	note := ""
	names, owner := slotNames(r.opt.Fields)
	var vals [nSlots][]byte
	var extra map[string]json.RawMessage
	var mbuf [16]member
	spans, members, st := scanLine(b, &names, &owner, mbuf[:0])
	if st == scanUTF8 {
		b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
		note = "invalid UTF-8 replaced by U+FFFD"
		spans, members, st = scanLine(b, &names, &owner, mbuf[:0])
	}
	if st == scanOK {
		for k, sp := range spans {
			if sp.end > 0 {
				vals[k] = b[sp.start:sp.end]
			}
		}
	} else {
		// Let encoding/json word the error (or decode a top-level null).
		if note == "" && !utf8.Valid(b) {
			b = bytes.ToValidUTF8(b, []byte("\uFFFD"))
			note = "invalid UTF-8 replaced by U+FFFD"
		}
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(b, &raw); err != nil {
			return pipeline.Item{Err: fmt.Errorf("%s: malformed JSON: %v", src, err), Source: src}
		}
		vals, extra = rawValues(raw, &names, &owner)
		members = nil
	}

	// All attribute strings and Extra keys share one allocation: unquoting
	// never makes a string longer.
	size := 0
	for _, v := range vals {
		size += len(v)
	}
	for _, m := range members {
		if !m.escaped {
			size += m.key.end - m.key.start
		}
	}
	var sb strings.Builder
	sb.Grow(size)

	doc := &pipeline.Document{Source: src}
	if note != "" {
		doc.Notes = append(doc.Notes, note)
	}
	dsts := [nSlots]*string{&doc.ID, &doc.Text, &doc.Title, &doc.Date, &doc.Lang, &doc.URL}
	var ends [nSlots + 1]int // attribute k is s[ends[k]:ends[k+1]]
	var errs []string
	for k, name := range names {
		ends[k+1] = sb.Len()
		if name == "" {
			continue
		}
		v := vals[k] // nil if an earlier attribute has the same name
		switch {
		case len(v) == 0 || string(v) == "null":
			if k == slotText {
				errs = append(errs, fmt.Sprintf("missing field %q", name))
			}
		case v[0] == '"':
			unquoteTo(&sb, v[1:len(v)-1])
		case k == slotID && (v[0] == '-' || '0' <= v[0] && v[0] <= '9'):
			sb.Write(v) // ids are often numbers
		default:
			errs = append(errs, fmt.Sprintf("field %q is not a string", name))
		}
		ends[k+1] = sb.Len()
	}
	keyStart := sb.Len()
	for _, m := range members {
		if !m.escaped {
			sb.Write(b[m.key.start+1 : m.key.end-1])
		}
	}
	s := sb.String()
	for k, dst := range dsts {
		*dst = s[ends[k]:ends[k+1]]
	}
	if len(members) > 0 {
		extra = extraMap(b, members, s[keyStart:])
	}

	if doc.ID == "" {
		doc.ID = src
	}
	doc.Extra = extra
	if len(errs) > 0 {
		return pipeline.Item{Doc: doc, Err: fmt.Errorf("%s: %s", src, strings.Join(errs, "; ")), Source: src}
	}
	// Text and title need no cleanUTF8: the line is valid UTF-8 by now, and
	// unquoting keeps it so (a broken surrogate becomes U+FFFD).
	r.finish(doc)
	return pipeline.Item{Doc: doc, Source: src}
}

// extraMap copies the members of b to a map, the last of equal keys
// winning; keys holds the unescaped keys one after the other.
func extraMap(b []byte, members []member, keys string) map[string]json.RawMessage {
	n := 0
	for _, m := range members {
		n += m.val.end - m.val.start
	}
	vals := make([]byte, n)
	extra := make(map[string]json.RawMessage, len(members))
	for _, m := range members {
		key := m.ukey
		if !m.escaped {
			kn := m.key.end - m.key.start - 2
			key, keys = keys[:kn], keys[kn:]
		}
		vn := copy(vals, b[m.val.start:m.val.end])
		extra[key] = vals[:vn:vn]
		vals = vals[vn:]
	}
	return extra
}

// cleanUTF8 replaces invalid bytes (possible in text files) and notes it.
func (r *Reader) cleanUTF8(doc *pipeline.Document, s string) string {
	if utf8.ValidString(s) {
		return s
	}
	doc.Notes = append(doc.Notes, "invalid UTF-8 replaced by U+FFFD")
	return strings.ToValidUTF8(s, "\uFFFD")
}

// finish sets the document date and fields.
func (r *Reader) finish(doc *pipeline.Document) {
	if t, ok := ParseDate(doc.Date); ok {
		doc.DocDate, doc.HasDate = t, true
	} else if doc.Date != "" {
		doc.Notes = append(doc.Notes, fmt.Sprintf("unrecognized date %q", doc.Date))
	}
	if !doc.HasDate && !r.opt.DocDate.IsZero() {
		doc.DocDate, doc.HasDate = r.opt.DocDate, true
	}
	doc.Fields = []*pipeline.Field{{Name: "text", Text: doc.Text}}
	if doc.Title != "" {
		doc.Fields = append(doc.Fields, &pipeline.Field{Name: "title", Text: doc.Title})
	}
}

var dateLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02", "2006/01/02", "02/01/2006", "20060102"}

// ParseDate reads a document date in the common layouts; only the calendar
// day is kept.
func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

// Read streams the documents of paths into out, in order, until done or ctx
// is cancelled, then closes out.
func (r *Reader) Read(ctx context.Context, paths []string, out chan<- pipeline.Item) {
	defer close(out)
	var ahead *aheadBudget
	if r.opt.MaxAheadBytes > 0 {
		ahead = &aheadBudget{limit: r.opt.MaxAheadBytes, freed: make(chan struct{}, 1)}
	}
	emit := func(it pipeline.Item) bool {
		if ahead != nil {
			n := int64(max(it.Size, 1))
			if !ahead.acquire(ctx, n) {
				return false
			}
			it = ahead.wrap(it, n)
		}
		select {
		case out <- it:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for _, p := range paths {
		if ctx.Err() != nil || !r.expand(p, emit) {
			return
		}
	}
}
