// Package names holds the rules for the names memprism writes into file
// names and prints: scenario, variant and workload names, and metric names.
// The scenario schema and the report reader check the same rules.
package names

import (
	"fmt"
	"regexp"
)

// MaxLen is the longest scenario, variant or workload name allowed.
const MaxLen = 64

// MaxMetricLen is the longest metric name allowed in a report.
const MaxMetricLen = 128

// Pattern is what scenario, variant and workload names look like: lowercase
// letters, digits and '-', starting with a letter or digit. It has no '.',
// '/', '_' or control characters, so a name is safe in a file name and on a
// terminal, and '.' can separate two names in a file name unambiguously.
var Pattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// metricPattern is what metric names look like in a report: catalogue
// names (peak_heap_bytes), workload metrics and snapshot metrics
// (snapshot.<label>.live_heap_bytes).
var metricPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.]*$`)

// Allowed describes Pattern for error messages.
const Allowed = "lowercase letters a-z, digits 0-9 and '-', starting with a letter or digit"

// Check returns an error when s is not a valid scenario, variant or workload
// name; what names the kind of name ("scenario", "variant").
func Check(what, s string) error {
	switch {
	case len(s) > MaxLen:
		return fmt.Errorf("%s name is %d characters long; at most %d allowed", what, len(s), MaxLen)
	case !Pattern.MatchString(s):
		return fmt.Errorf("%s name %q is invalid; allowed: %s", what, s, Allowed)
	}
	return nil
}

// CheckMetric returns an error when s is not a valid metric name.
func CheckMetric(s string) error {
	switch {
	case len(s) > MaxMetricLen:
		return fmt.Errorf("metric name is %d characters long; at most %d allowed", len(s), MaxMetricLen)
	case !metricPattern.MatchString(s):
		return fmt.Errorf("metric name %q is invalid; allowed: lowercase letters a-z, digits 0-9, '_' and '.', starting with a letter or digit", s)
	}
	return nil
}
