package scenarios

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Error is one problem in a scenario file, positioned at the offending key or value.
type Error struct {
	File      string
	Line, Col int // 1-based; Col counts characters
	Msg       string
	Warning   bool // a problem that does not stop the scenario from running (Scenario.Warnings)
}

// Error returns "file:line:col: msg", or "file:line:col: warning: msg" for a warning.
func (e *Error) Error() string {
	if e.Warning {
		return fmt.Sprintf("%s:%d:%d: warning: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Errors returns every *Error inside err (as joined by Parse and Load), in order.
func Errors(err error) []*Error {
	var out []*Error
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if e, ok := err.(*Error); ok {
			out = append(out, e)
			return
		}
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var e *Error
		if errors.As(err, &e) {
			out = append(out, e)
		}
	}
	walk(err)
	return out
}

// position is a place in a file.
type position struct{ line, col int }

// maxErrors caps the problems reported for one file.
const maxErrors = 100

// errorList collects the problems of one file.
type errorList struct {
	file    string
	errs    []*Error
	tooMany bool
}

func (l *errorList) add(p position, format string, args ...any) {
	if len(l.errs) >= maxErrors {
		l.tooMany = true
		return
	}
	l.addAlways(p, format, args...)
}

// addAlways adds a problem even past maxErrors: for errors that explain why checking stopped.
func (l *errorList) addAlways(p position, format string, args ...any) {
	if p.line < 1 {
		p.line = 1
	}
	if p.col < 1 {
		p.col = 1
	}
	l.errs = append(l.errs, &Error{File: l.file, Line: p.line, Col: p.col, Msg: fmt.Sprintf(format, args...)})
}

// err sorts the problems by position, drops repeats (an aliased node is visited once per
// use) and joins them; nil when there are none.
func (l *errorList) err() error {
	if len(l.errs) == 0 {
		return nil
	}
	sort.SliceStable(l.errs, func(i, j int) bool {
		a, b := l.errs[i], l.errs[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	seen := make(map[Error]bool, len(l.errs))
	out := make([]error, 0, len(l.errs)+1)
	var last *Error
	for _, e := range l.errs {
		if seen[*e] {
			continue
		}
		seen[*e] = true
		out = append(out, e)
		last = e
	}
	if l.tooMany {
		out = append(out, &Error{File: l.file, Line: last.Line, Col: last.Col,
			Msg: fmt.Sprintf("too many errors (more than %d); fix these first", maxErrors)})
	}
	return errors.Join(out...)
}

// allowedList formats names for "allowed: ..." messages.
func allowedList(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}

// suggest returns ` (did you mean "x"?)` when a name in names is close to got.
func suggest(got string, names []string) string {
	best, bestD := "", len(got)/3+1
	if bestD > 3 {
		bestD = 3
	}
	for _, n := range names {
		if d := editDistance(strings.ToLower(got), n); d <= bestD && (best == "" || d < editDistance(strings.ToLower(got), best)) {
			best = n
		}
	}
	if best == "" || best == got {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance of a and b, counted in bytes; inputs are
// capped at 64 bytes so that a long key cannot make it slow.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 1 << 20
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
