package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// readJSONLines reads the JSON Lines of r: every non-blank line is decoded
// into a T by decode, then given with its line number to check (nil: none),
// which may complete it or refuse it with an error of its own. A decoding
// error is "name:line: ...", a read error "name: ...".
func readJSONLines[T any](r io.Reader, name string, decode func([]byte, any) error, check func(d *T, line int) error) ([]T, error) {
	var out []T
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var d T
		if err := decode(b, &d); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		if check != nil {
			if err := check(&d, line); err != nil {
				return nil, err
			}
		}
		out = append(out, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return out, nil
}

// strictJSON decodes one JSON value from b into v; unknown fields are errors.
func strictJSON(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
