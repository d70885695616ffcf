package gazetteers

import (
	"bytes"
	"runtime"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/hadath/hadath/internal/diag"
)

// chunkBytes is the size of the parts a large gazetteer is parsed in
// (parseChunked); a file of less than two parts is parsed whole. A
// variable so that tests can cut every entry apart.
var chunkBytes = 64 << 10

// parseChunked parses the entries of a gazetteer file in parts of about
// chunkBytes, on every CPU, when splitEntries can cut it: yaml.v3 holds
// the node tree of the whole file while it parses it (about 17 bytes of
// heap per byte of YAML: 2.3 GB for a 500k-entry file), where a part's
// tree is dropped once its entries are read. Each part is the file's own
// lines, so columns are unchanged and lines are shifted back to the
// file's. It reports ok=false, having added nothing to errs, when the file
// cannot be cut or a part is not the YAML its cut promised (a syntax error
// anywhere, an alias of an anchor in another part, a cut inside a quoted
// or flow scalar): parseFile then parses the file whole, for the same
// entries and the same error messages as ever.
func parseChunked(file string, data []byte, errs *diag.ErrorList) (entries []*Entry, ok bool) {
	if len(data) < 2*chunkBytes {
		return nil, false
	}
	items, ok := splitEntries(data)
	if !ok {
		return nil, false
	}
	type part struct {
		from, to int // items[from:to]
		entries  []*Entry
		errs     diag.ErrorList
	}
	var parts []*part
	for from := 0; from < len(items); {
		to := from + 1
		for to < len(items) && items[to].off-items[from].off < chunkBytes {
			to++
		}
		parts = append(parts, &part{from: from, to: to})
		from = to
	}
	if len(parts) < 2 {
		return nil, false
	}
	end := func(to int) int {
		if to < len(items) {
			return items[to].off
		}
		return len(data)
	}
	var (
		next   int
		mu     sync.Mutex
		failed bool
		wg     sync.WaitGroup
	)
	work := func() {
		defer wg.Done()
		for {
			mu.Lock()
			if failed || next == len(parts) {
				mu.Unlock()
				return
			}
			p := parts[next]
			next++
			mu.Unlock()
			var bad bool
			p.entries, bad = parsePart(file, data[items[p.from].off:end(p.to)], items[p.from].line-1, p.to-p.from, &p.errs)
			if bad {
				mu.Lock()
				failed = true
				mu.Unlock()
			}
		}
	}
	n := min(runtime.GOMAXPROCS(0), len(parts))
	wg.Add(n)
	for range n {
		go work()
	}
	wg.Wait()
	if failed {
		return nil, false
	}
	for _, p := range parts {
		entries = append(entries, p.entries...)
		*errs = append(*errs, p.errs...)
	}
	return entries, true
}

// parsePart parses the items of one part (lines shifted by lineOff) into
// entries; bad reports that the part is not a list of exactly n items.
func parsePart(file string, src []byte, lineOff, n int, errs *diag.ErrorList) (entries []*Entry, bad bool) {
	var root yaml.Node
	if err := yaml.Unmarshal(src, &root); err != nil || len(root.Content) != 1 {
		return nil, true
	}
	list := root.Content[0]
	if list.Kind != yaml.SequenceNode || len(list.Content) != n {
		return nil, true
	}
	shiftLines(list, lineOff)
	for _, it := range list.Content {
		if e := parseEntry(file, it, errs); e != nil {
			entries = append(entries, e)
		}
	}
	return entries, false
}

// shiftLines adds off to the line of n and of every node under it. It
// follows Content only: an alias's target is reached where it is defined.
func shiftLines(n *yaml.Node, off int) {
	n.Line += off
	for _, c := range n.Content {
		shiftLines(c, off)
	}
}

// itemStart is where an item of the entries list starts: the byte offset
// of its line and the line's number (from 1).
type itemStart struct {
	off, line int
}

// splitEntries finds the lines that start an item of the top-level
// "entries:" block list, in a file laid out as the gazetteers are: only
// comments and blank lines before an "entries:" line at column 0, then
// items that each start with "- " at one indentation, with nothing less
// indented after them but comments and blank lines. Any other layout
// (another top-level key, a flow list, a document marker, a directive, a
// tab or a byte-order mark where the layout is read, a line break other
// than LF and CRLF) reports ok=false.
// Lines inside an item are not read, so a line of a multi-line quoted or
// flow scalar may look like an item's start: parsePart's checks catch
// that cut.
func splitEntries(data []byte) (items []itemStart, ok bool) {
	const (
		before = iota // comments and blank lines before "entries:"
		first         // after "entries:", before the first item
		inList
	)
	if otherBreaks(data) {
		return nil, false
	}
	state, indent := before, -1
	line := 0
	for off := 0; off < len(data); {
		line++
		end := bytes.IndexByte(data[off:], '\n')
		next := len(data)
		if end < 0 {
			end = len(data)
		} else {
			end += off
			next = end + 1
		}
		l := bytes.TrimSuffix(data[off:end], []byte{'\r'})
		lineOff := off
		off = next
		sp := 0
		for sp < len(l) && l[sp] == ' ' {
			sp++
		}
		rest := l[sp:]
		if len(rest) == 0 || rest[0] == '#' {
			continue // blank or comment
		}
		switch state {
		case before:
			if sp != 0 || !isEntriesKey(rest) {
				return nil, false
			}
			state = first
		case first:
			if !isItemStart(rest) {
				return nil, false
			}
			indent, state = sp, inList
			items = append(items, itemStart{lineOff, line})
		case inList:
			switch {
			case sp > indent:
				// inside an item
			case sp == indent && isItemStart(rest):
				items = append(items, itemStart{lineOff, line})
			default:
				return nil, false
			}
		}
	}
	return items, state == inList
}

// isEntriesKey reports whether a line (from its first non-space byte) is
// "entries:" with nothing after it but spaces and a comment.
func isEntriesKey(l []byte) bool {
	rest, ok := bytes.CutPrefix(l, []byte("entries:"))
	if !ok {
		return false
	}
	if len(rest) == 0 {
		return true
	}
	// a comment needs a space before its '#': "entries:#x" is a scalar
	trimmed := bytes.TrimLeft(rest, " ")
	return rest[0] == ' ' && (len(trimmed) == 0 || trimmed[0] == '#')
}

// isItemStart reports whether a line (from its first non-space byte)
// starts a block list item: "-" alone or followed by a space.
func isItemStart(l []byte) bool {
	return len(l) > 0 && l[0] == '-' && (len(l) == 1 || l[1] == ' ')
}

// otherBreaks reports whether data holds a line break that yaml.v3 reads
// and splitEntries does not: a CR without LF, NEL, LS or PS.
func otherBreaks(data []byte) bool {
	for rest := data; ; {
		i := bytes.IndexByte(rest, '\r')
		if i < 0 {
			break
		}
		if i+1 == len(rest) || rest[i+1] != '\n' {
			return true
		}
		rest = rest[i+2:]
	}
	for _, b := range []string{"\u0085", "\u2028", "\u2029"} {
		if bytes.Contains(data, []byte(b)) {
			return true
		}
	}
	return false
}
