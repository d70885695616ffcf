package input

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"math/bits"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds a one-pass reader for one JSON Lines object (issue #7).
// It accepts exactly what encoding/json accepts for an object (same
// grammar, same nesting limit), checks UTF-8 on the way, and gives the same
// values as decoding the line into a map[string]json.RawMessage and then
// each wanted member into a string, without building the map first. It
// reports a syntax error only as a status: the caller then asks
// encoding/json for its message, so that errors read exactly as before.
// FuzzParseLine compares it with the map-based reader.

// maxNestingDepth is encoding/json's limit on nested arrays and objects
// (the top-level object counts).
const maxNestingDepth = 10000

// nSlots is the number of document attributes read from a line, in the
// order parseLine reports them: id, text, title, date, lang, url.
const nSlots = 6

// span is a range of a line; end == 0 means none.
type span struct{ start, end int }

// member is one object member that no attribute claims, kept for Extra.
type member struct {
	key span // the key as written, quotes included
	// ukey is the key unquoted, when it holds escapes.
	ukey    string
	escaped bool
	val     span
}

// slotNames returns the input field name of each attribute and, for each,
// the first attribute with the same name: only that one receives the value,
// as the map-based reader deleted a member once read.
func slotNames(fm FieldMap) (names [nSlots]string, owner [nSlots]int) {
	names = [nSlots]string{fm.ID, fm.Text, fm.Title, fm.Date, fm.Lang, fm.URL}
	for k := range names {
		owner[k] = k
		for j := 0; j < k; j++ {
			if names[j] == names[k] {
				owner[k] = j
				break
			}
		}
	}
	return names, owner
}

// scanStatus says why scanning stopped.
type scanStatus uint8

const (
	scanOK scanStatus = iota
	// scanSyntax is anything encoding/json would not decode into a map as
	// an object: a syntax error, another type, a top-level null.
	scanSyntax
	// scanUTF8 is invalid UTF-8 in a string (the line is otherwise
	// well-formed up to there).
	scanUTF8
)

// scanLine checks that b is one JSON object, alone but for white space,
// with valid UTF-8 strings, and returns, for each owning attribute, the
// last value given to its name (as a map keeps the last), and the other
// members in order, appended to extra.
func scanLine(b []byte, names *[nSlots]string, owner *[nSlots]int, extra []member) (vals [nSlots]span, _ []member, st scanStatus) {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return vals, extra, scanSyntax
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return vals, extra, atEnd(b, i+1)
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return vals, extra, scanSyntax
		}
		ks := i
		var esc bool
		if i, esc, st = scanString(b, i); st != scanOK {
			return vals, extra, st
		}
		key := span{ks, i}
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != ':' {
			return vals, extra, scanSyntax
		}
		vs := skipSpace(b, i+1)
		if i, st = skipValue(b, vs, 1); st != scanOK {
			return vals, extra, st
		}
		val := span{vs, i}

		content := b[key.start+1 : key.end-1]
		var ukey string
		if esc {
			var sb strings.Builder
			sb.Grow(len(content))
			unquoteTo(&sb, content)
			ukey = sb.String()
		}
		slot := -1
		for k := range names {
			if names[k] != "" && owner[k] == k && (esc && ukey == names[k] || !esc && string(content) == names[k]) {
				slot = k
				break
			}
		}
		if slot >= 0 {
			vals[slot] = val
		} else {
			extra = append(extra, member{key: key, ukey: ukey, escaped: esc, val: val})
		}

		i = skipSpace(b, i)
		if i >= len(b) {
			return vals, extra, scanSyntax
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return vals, extra, atEnd(b, i+1)
		default:
			return vals, extra, scanSyntax
		}
	}
}

// atEnd reports whether only white space follows b[i].
func atEnd(b []byte, i int) scanStatus {
	if skipSpace(b, i) != len(b) {
		return scanSyntax
	}
	return scanOK
}

// skipSpace returns the index of the first byte from b[i] that is not
// JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

const (
	lsb = 0x0101010101010101
	msb = 0x8080808080808080
)

// scanString returns the end of the string that starts at b[i] (a quote),
// and whether it holds escapes.
func scanString(b []byte, i int) (end int, esc bool, st scanStatus) {
	i++
	for {
		// Eight bytes at a time (SWAR), over ASCII and two-byte
		// characters (Arabic...). bad flags the high bit of each byte to
		// look at below: a quote, a backslash, a control character, a
		// non-ASCII byte that is neither the lead of a two-byte sequence
		// (0xC2 to 0xDF) nor a continuation byte (0x80 to 0xBF), and a
		// continuation byte not preceded by a lead or a lead not followed
		// by one (but for a lead in the last byte, whose continuation is
		// in the next word: prev carries it). The subtractions only
		// borrow from a flagged byte, so the lowest flagged byte is
		// always a true one.
		var prev uint64
		for i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			hi := x & msb
			ctl := (x - lsb*0x20) &^ x
			q := x ^ (lsb * '"')
			bs := x ^ (lsb * '\\')
			bit6 := (x << 1) & msb
			bit5 := (x << 2) & msb
			cont := hi &^ bit6
			// 0b110xxxxx but not 0xC0 or 0xC1 (overlong)
			leads := hi & bit6 &^ bit5 & ((x&(lsb*0x1E) + lsb*0x7F) & msb)
			bad := (ctl|(q-lsb)&^q|(bs-lsb)&^bs)&msb | hi&^(cont|leads) | (cont ^ (leads<<8 | prev))
			if bad == 0 {
				prev = leads >> 56
				i += 8
				continue
			}
			// Stop at the first byte of a character: at the lead before
			// a flagged byte (then missing its continuation).
			j := bits.TrailingZeros64(bad) >> 3
			if j > 0 {
				prev = 0
				if leads>>(8*j-1)&1 != 0 {
					j--
				}
			}
			i += j
			break
		}
		i -= int(prev >> 7) // back to a lead cut by the end of the word
		if i >= len(b) {
			return 0, false, scanSyntax
		}
		switch c := b[i]; {
		case c >= utf8.RuneSelf:
			// Runs of two-byte characters (Arabic, Cyrillic...) inline.
			for {
				if c-0xC2 <= 0xDF-0xC2 && i+1 < len(b) && b[i+1]&0xC0 == 0x80 {
					i += 2
				} else if r, size := utf8.DecodeRune(b[i:]); r == utf8.RuneError && size == 1 {
					return 0, false, scanUTF8
				} else {
					i += size
				}
				if i >= len(b) {
					break
				}
				if c = b[i]; c < utf8.RuneSelf {
					break
				}
			}
		case c == '"':
			return i + 1, esc, scanOK
		case c == '\\':
			esc = true
			if i+1 >= len(b) {
				return 0, false, scanSyntax
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) {
					return 0, false, scanSyntax
				}
				for _, h := range b[i+2 : i+6] {
					if unhex(h) < 0 {
						return 0, false, scanSyntax
					}
				}
				i += 6
			default:
				return 0, false, scanSyntax
			}
		case c < 0x20:
			return 0, false, scanSyntax
		default:
			i++
		}
	}
}

// unhex returns the value of a hex digit, or -1.
func unhex(c byte) rune {
	switch {
	case '0' <= c && c <= '9':
		return rune(c - '0')
	case 'a' <= c && c <= 'f':
		return rune(c - 'a' + 10)
	case 'A' <= c && c <= 'F':
		return rune(c - 'A' + 10)
	}
	return -1
}

// scanNumber returns the end of the number that starts at b[i].
func scanNumber(b []byte, i int) (int, scanStatus) {
	if b[i] == '-' {
		i++
	}
	switch {
	case i >= len(b):
		return 0, scanSyntax
	case b[i] == '0':
		i++
	case '1' <= b[i] && b[i] <= '9':
		i = skipDigits(b, i+1)
	default:
		return 0, scanSyntax
	}
	if i < len(b) && b[i] == '.' {
		j := skipDigits(b, i+1)
		if j == i+1 {
			return 0, scanSyntax
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := skipDigits(b, i)
		if j == i {
			return 0, scanSyntax
		}
		i = j
	}
	return i, scanOK
}

// skipDigits returns the index of the first non-digit from b[i].
func skipDigits(b []byte, i int) int {
	for i < len(b) && '0' <= b[i] && b[i] <= '9' {
		i++
	}
	return i
}

// scanLiteral returns the end of lit if b[i:] starts with it.
func scanLiteral(b []byte, i int, lit string) (int, scanStatus) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return 0, scanSyntax
	}
	return i + len(lit), scanOK
}

// scanKey reads `"key" :` and the space after it, from b[i].
func scanKey(b []byte, i int) (int, scanStatus) {
	if i >= len(b) || b[i] != '"' {
		return 0, scanSyntax
	}
	i, _, st := scanString(b, i)
	if st != scanOK {
		return 0, st
	}
	i = skipSpace(b, i)
	if i >= len(b) || b[i] != ':' {
		return 0, scanSyntax
	}
	return skipSpace(b, i+1), scanOK
}

// skipValue returns the end of the value that starts at b[i], inside depth
// open containers. It loops rather than recursing, so deep nesting costs
// no stack.
func skipValue(b []byte, i, depth int) (int, scanStatus) {
	var buf [32]byte
	stack := buf[:0] // the opening bracket of each open container
	for {
		// A value starts at b[i].
		if i >= len(b) {
			return 0, scanSyntax
		}
		var st scanStatus
		switch c := b[i]; {
		case c == '{' || c == '[':
			if depth+len(stack)+1 > maxNestingDepth {
				return 0, scanSyntax
			}
			i = skipSpace(b, i+1)
			if i < len(b) && b[i] == c+2 { // '}' and ']' follow '{' and '[' by two
				i++
				break
			}
			stack = append(stack, c)
			if c == '{' {
				if i, st = scanKey(b, i); st != scanOK {
					return 0, st
				}
			}
			continue
		case c == '"':
			i, _, st = scanString(b, i)
		case c == 't':
			i, st = scanLiteral(b, i, "true")
		case c == 'f':
			i, st = scanLiteral(b, i, "false")
		case c == 'n':
			i, st = scanLiteral(b, i, "null")
		case c == '-' || '0' <= c && c <= '9':
			i, st = scanNumber(b, i)
		default:
			return 0, scanSyntax
		}
		if st != scanOK {
			return 0, st
		}
		// Close what the value ends, up to the next value or the end.
		for {
			if len(stack) == 0 {
				return i, scanOK
			}
			i = skipSpace(b, i)
			if i >= len(b) {
				return 0, scanSyntax
			}
			top := stack[len(stack)-1]
			if b[i] == top+2 {
				stack = stack[:len(stack)-1]
				i++
				continue
			}
			if b[i] != ',' {
				return 0, scanSyntax
			}
			i = skipSpace(b, i+1)
			if top == '{' {
				if i, st = scanKey(b, i); st != scanOK {
					return 0, st
				}
			}
			break
		}
	}
}

// unquoteTo writes the string whose content (between the quotes) is s, a
// valid JSON string, as encoding/json decodes it: a lone or broken UTF-16
// surrogate becomes U+FFFD.
func unquoteTo(sb *strings.Builder, s []byte) {
	for len(s) > 0 {
		n := bytes.IndexByte(s, '\\')
		if n < 0 {
			sb.Write(s)
			return
		}
		sb.Write(s[:n])
		s = s[n:]
		if len(s) < 2 {
			return
		}
		switch c := s[1]; c {
		case 'b':
			sb.WriteByte('\b')
		case 'f':
			sb.WriteByte('\f')
		case 'n':
			sb.WriteByte('\n')
		case 'r':
			sb.WriteByte('\r')
		case 't':
			sb.WriteByte('\t')
		case 'u':
			r := getu4(s)
			if r < 0 {
				return // cannot happen in a valid string
			}
			s = s[6:]
			if utf16.IsSurrogate(r) {
				if dec := utf16.DecodeRune(r, getu4(s)); dec != utf8.RuneError {
					sb.WriteRune(dec)
					s = s[6:]
					continue
				}
				r = utf8.RuneError
			}
			sb.WriteRune(r)
			continue
		default: // '"', '\\', '/'
			sb.WriteByte(c)
		}
		s = s[2:]
	}
}

// getu4 decodes \uXXXX at the start of s, or returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		h := unhex(c)
		if h < 0 {
			return -1
		}
		r = r<<4 | h
	}
	return r
}

// rawValues turns a line decoded by encoding/json into what scanLine
// finds, for the lines scanLine leaves to encoding/json (a top-level null).
func rawValues(raw map[string]json.RawMessage, names *[nSlots]string, owner *[nSlots]int) (vals [nSlots][]byte, extra map[string]json.RawMessage) {
	for k, name := range names {
		if name == "" || owner[k] != k {
			continue
		}
		if v, ok := raw[name]; ok {
			vals[k] = v
			delete(raw, name)
		}
	}
	if len(raw) > 0 {
		extra = raw
	}
	return vals, extra
}
