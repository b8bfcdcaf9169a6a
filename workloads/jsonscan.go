package workloads

import (
	"errors"
	"fmt"
)

// maxJSONDepth bounds the nesting fieldScanner accepts; exchange messages
// nest two or three levels.
const maxJSONDepth = 32

// errJSONSyntax is wrapped by fieldScanner errors.
var errJSONSyntax = errors.New("invalid JSON")

type scanState uint8

const (
	wantValue      scanState = iota // a value (or ']' right after '[')
	wantKey                         // a key (or '}' right after '{')
	wantColon                       // ':' after a key
	wantCommaOrEnd                  // ',' or the closing bracket after a value
	scanDone                        // the top-level value is complete
)

// fieldScanner walks a JSON document without allocating and yields every
// object member whose value is a scalar, at any depth, in document order:
// nested objects and arrays are entered transparently, so {"a":{"b":1}}
// yields b=1. String keys and values are returned raw, without the quotes
// and with escapes left as they are; exchange fields never contain escapes.
// Scalars directly inside arrays are validated but not yielded.
type fieldScanner struct {
	b     []byte
	i     int
	state scanState
	empty bool // the container was just opened, so it may close at once
	depth int
	stack [maxJSONDepth]byte
	key   []byte
	err   error
}

func (s *fieldScanner) reset(b []byte) {
	*s = fieldScanner{b: b}
}

func (s *fieldScanner) fail(msg string) bool {
	s.err = fmt.Errorf("%w at offset %d: %s", errJSONSyntax, s.i, msg)
	return false
}

// next returns the next scalar member. ok is false at the end of the
// document or on a syntax error, which s.err then holds.
func (s *fieldScanner) next() (key, val []byte, str, ok bool) {
	if s.err != nil {
		return nil, nil, false, false
	}
	for {
		for s.i < len(s.b) && (s.b[s.i] == ' ' || s.b[s.i] == '\t' || s.b[s.i] == '\n' || s.b[s.i] == '\r') {
			s.i++
		}
		if s.i >= len(s.b) {
			if s.state != scanDone {
				s.fail("unexpected end of input")
			}
			return nil, nil, false, false
		}
		c := s.b[s.i]
		switch s.state {
		case scanDone:
			return nil, nil, false, s.fail("data after the top-level value")
		case wantColon:
			if c != ':' {
				return nil, nil, false, s.fail("want ':'")
			}
			s.i++
			s.state = wantValue
		case wantKey:
			if c == '}' && s.empty {
				s.close()
				continue
			}
			if c != '"' {
				return nil, nil, false, s.fail("want a string key")
			}
			k, ok := s.readString()
			if !ok {
				return nil, nil, false, false
			}
			s.key, s.state, s.empty = k, wantColon, false
		case wantCommaOrEnd:
			top := s.stack[s.depth-1]
			switch {
			case c == ',':
				s.i++
				if top == '{' {
					s.state = wantKey
				} else {
					s.state = wantValue
				}
			case c == '}' && top == '{', c == ']' && top == '[':
				s.close()
			default:
				return nil, nil, false, s.fail("want ',' or a closing bracket")
			}
		case wantValue:
			if c == ']' && s.empty {
				s.close()
				continue
			}
			s.empty = false
			k := s.key
			s.key = nil
			inObject := s.depth > 0 && s.stack[s.depth-1] == '{'
			switch c {
			case '{', '[':
				if s.depth == maxJSONDepth {
					return nil, nil, false, s.fail("nested too deeply")
				}
				s.stack[s.depth] = c
				s.depth++
				s.i++
				s.empty = true
				if c == '{' {
					s.state = wantKey
				} else {
					s.state = wantValue
				}
			case '"':
				v, ok := s.readString()
				if !ok {
					return nil, nil, false, false
				}
				s.afterValue()
				if inObject {
					return k, v, true, true
				}
			default:
				v, ok := s.readLiteral()
				if !ok {
					return nil, nil, false, false
				}
				s.afterValue()
				if inObject {
					return k, v, false, true
				}
			}
		}
	}
}

func (s *fieldScanner) close() {
	s.i++
	s.depth--
	s.empty = false
	s.afterValue()
}

func (s *fieldScanner) afterValue() {
	if s.depth == 0 {
		s.state = scanDone
	} else {
		s.state = wantCommaOrEnd
	}
}

// readString reads a quoted string at s.i and returns its raw contents.
func (s *fieldScanner) readString() ([]byte, bool) {
	start := s.i + 1
	for j := start; j < len(s.b); j++ {
		switch c := s.b[j]; {
		case c == '\\':
			j++ // skip the escaped byte
		case c == '"':
			s.i = j + 1
			return s.b[start:j], true
		case c < 0x20:
			s.i = j
			return nil, s.fail("control character in string")
		}
	}
	s.i = len(s.b)
	return nil, s.fail("unterminated string")
}

// readLiteral reads a number, true, false or null at s.i.
func (s *fieldScanner) readLiteral() ([]byte, bool) {
	start := s.i
	j := start
	for j < len(s.b) {
		c := s.b[j]
		if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':' || c == '"' || c == '{' || c == '[' {
			break
		}
		j++
	}
	lit := s.b[start:j]
	s.i = j
	switch string(lit) {
	case "true", "false", "null":
		return lit, true
	}
	if !isJSONNumber(lit) {
		return nil, s.fail("invalid literal")
	}
	return lit, true
}

// isJSONNumber reports whether b is a number in JSON syntax.
func isJSONNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(b)
}
