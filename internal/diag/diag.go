package diag

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Position is a place in a file. Line and Column start at 1; zero means unknown.
type Position struct {
	Filename string
	Line     int
	Column   int
}

// String formats the position as file:line:col, leaving out unknown parts.
func (p Position) String() string {
	s := p.Filename
	if s == "" {
		s = "-"
	}
	if p.Line > 0 {
		s += fmt.Sprintf(":%d", p.Line)
		if p.Column > 0 {
			s += fmt.Sprintf(":%d", p.Column)
		}
	}
	return s
}

// NodePos returns the position of a yaml node in file.
func NodePos(file string, n *yaml.Node) Position {
	if n == nil {
		return Position{Filename: file}
	}
	return Position{Filename: file, Line: n.Line, Column: n.Column}
}

// Severity tells errors from warnings.
type Severity int

const (
	// SevError stops loading.
	SevError Severity = iota
	// SevWarning is reported but does not stop loading.
	SevWarning
)

// Error is one problem at one position.
type Error struct {
	Pos      Position
	Msg      string
	Severity Severity
}

// Error formats the problem as file:line:col: message.
func (e *Error) Error() string {
	if e.Severity == SevWarning {
		return e.Pos.String() + ": warning: " + e.Msg
	}
	return e.Pos.String() + ": " + e.Msg
}

// ErrorList gathers problems; its zero value is ready to use.
type ErrorList []*Error

// Add appends an error at pos.
func (l *ErrorList) Add(pos Position, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)})
}

// Warn appends a warning at pos.
func (l *ErrorList) Warn(pos Position, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Msg: fmt.Sprintf(format, args...), Severity: SevWarning})
}

// Sort orders the list by file, line, column, then message.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		if a.Column != b.Column {
			return a.Column < b.Column
		}
		return l[i].Msg < l[j].Msg
	})
}

// Errors returns only the entries of error severity.
func (l ErrorList) Errors() ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Severity == SevError {
			out = append(out, e)
		}
	}
	return out
}

// Warnings returns only the warnings.
func (l ErrorList) Warnings() ErrorList {
	var out ErrorList
	for _, e := range l {
		if e.Severity == SevWarning {
			out = append(out, e)
		}
	}
	return out
}

// Error prints every problem on its own line.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns nil when the list holds no errors (warnings do not count), else
// the sorted list of errors.
func (l ErrorList) Err() error {
	errs := l.Errors()
	if len(errs) == 0 {
		return nil
	}
	errs.Sort()
	return errs
}

// YAMLError turns a yaml.v3 parse error into positioned errors. yaml.v3 reports
// "yaml: line N: msg"; the column is unknown then.
func YAMLError(file string, err error) ErrorList {
	var l ErrorList
	msg := err.Error()
	if te, ok := err.(*yaml.TypeError); ok {
		for _, m := range te.Errors {
			l = append(l, parseYAMLMsg(file, m))
		}
		return l
	}
	l = append(l, parseYAMLMsg(file, msg))
	return l
}

func parseYAMLMsg(file, msg string) *Error {
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if strings.HasPrefix(msg, "line ") {
		rest := msg[5:]
		n := 0
		i := 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' {
			n = n*10 + int(rest[i]-'0')
			i++
		}
		if i > 0 && i < len(rest) && rest[i] == ':' {
			line = n
			msg = strings.TrimSpace(rest[i+1:])
			if parserError(msg) {
				// yaml.v3 reports parser errors (unlike scanner errors)
				// with a 0-based line
				line++
			}
		}
	}
	return &Error{Pos: Position{Filename: file, Line: line}, Msg: msg}
}

// parserError tells yaml.v3's parser errors ("did not find expected key",
// "... ',' or '}'", "... '-' indicator", "... node content") from its scanner
// errors, some of which also start with "did not find expected".
func parserError(msg string) bool {
	if !strings.HasPrefix(msg, "did not find expected ") {
		return false
	}
	for _, scanner := range []string{"alphabetic", "comment", "whitespace", "tag", "'!'", "hexdecimal", "digit"} {
		if strings.HasPrefix(msg[len("did not find expected "):], scanner) {
			return false
		}
	}
	return true
}
