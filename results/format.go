package results

import (
	"github.com/memprism/memprism/metric"

	"fmt"
	"math"
	"strconv"
	"strings"
)

// NoData is what tables print where a figure is missing (no run, no
// baseline, no interval), so it never reads as a measured 0 B, 0 s or -0.0%.
const NoData = "—"

// FormatValue formats v in unit for people: bytes in binary units (KiB, MiB,
// GiB), seconds as ns/µs/ms/s, counts with k/M/G above ten thousand.
func FormatValue(v float64, unit string) string {
	switch unit {
	case "B":
		return FormatBytes(v)
	case "B/s":
		return FormatBytes(v) + "/s"
	case "sec":
		return formatSeconds(v)
	case "ops/s":
		return formatCount(v) + " ops/s"
	case "B^2":
		return formatCount(v) + " B²"
	default:
		return formatCount(v)
	}
}

// FormatMetric formats v in the unit of the named metric.
func FormatMetric(metric string, v float64) string {
	m, _ := Metric(metric)
	return FormatValue(v, m.Unit)
}

// FormatBytes formats a byte count with binary prefixes and three significant digits.
func FormatBytes(v float64) string {
	neg := ""
	if v < 0 {
		neg, v = "-", -v
	}
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	i := 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%s%.0f B", neg, v)
	}
	return neg + sig3(v) + " " + units[i]
}

func formatSeconds(v float64) string {
	a := math.Abs(v)
	switch {
	case a == 0:
		return "0 s"
	case a < 1e-6:
		return sig3(v*1e9) + " ns"
	case a < 1e-3:
		return sig3(v*1e6) + " µs"
	case a < 1:
		return sig3(v*1e3) + " ms"
	default:
		return sig3(v) + " s"
	}
}

func formatCount(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e10:
		return sig3(v/1e9) + "G"
	case a >= 1e7:
		return sig3(v/1e6) + "M"
	case a >= 1e4:
		return sig3(v/1e3) + "k"
	case a == math.Trunc(a):
		return fmt.Sprintf("%.0f", v)
	default:
		return sig3(v)
	}
}

// sig3 formats v with three significant digits (at least), no exponent.
func sig3(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	case a >= 1 || a == 0:
		return fmt.Sprintf("%.2f", v)
	default:
		s := fmt.Sprintf("%.3g", v)
		if strings.ContainsAny(s, "e") {
			return fmt.Sprintf("%.6f", v)
		}
		return s
	}
}

// FormatInterval formats the half width of s's confidence interval relative
// to its median, as benchstat does ("± 3%"). With too few runs for a 95%
// interval (n < 6) it is the half width of the range of the runs with its
// real confidence, "± 4% (range, 93.8%)"; "± ?" when the median is zero or
// straddled; "" for a single run.
func FormatInterval(s Summary) string {
	if s.N < 2 {
		return ""
	}
	if !s.HasCI() {
		return halfWidth(s) + fmt.Sprintf(" (range, %.1f%%)", 100*s.CIConfidence)
	}
	return halfWidth(s)
}

func halfWidth(s Summary) string {
	if s.Median == 0 {
		if s.CILow == 0 && s.CIHigh == 0 {
			return "± 0%"
		}
		return "± ?"
	}
	if math.Signbit(s.CILow) != math.Signbit(s.Median) || math.Signbit(s.CIHigh) != math.Signbit(s.Median) {
		return "± ?"
	}
	v := math.Max(math.Abs(s.CIHigh-s.Median), math.Abs(s.Median-s.CILow)) / math.Abs(s.Median)
	return fmt.Sprintf("± %.0f%%", 100*v)
}

// FormatChangeCI formats a relative change with its interval:
// "-38.2% [-41.0%, -35.1%]".
func FormatChangeCI(est, lo, hi float64) string {
	if math.Abs(hi-lo) < 1e-12 && math.Abs(est-lo) < 1e-12 {
		return FormatDelta(est) + " (exact)"
	}
	return fmt.Sprintf("%s [%s, %s]", FormatDelta(est), FormatDelta(lo), FormatDelta(hi))
}

// FormatDelta formats a relative change as a signed percentage with one
// decimal, or as many more (up to six) as it takes not to show a non-zero
// change as 0% or one short of -100% as -100%: "-12.3%", "-0.04%",
// "-99.9999%". No change at all is "+0.0%", never "-0.0%".
func FormatDelta(d float64) string {
	s := PercentText(d, 1)
	if s[0] != '-' {
		s = "+" + s
	}
	return s + "%"
}

// PercentText formats the fraction f as a percentage number (no sign for
// positives, no '%') with prec decimals, or more, up to six, while fewer
// would round a non-zero value to 0 or a value short of 100 (in magnitude)
// to 100. A zero (or negative zero) is "0" with prec decimals.
func PercentText(f float64, prec int) string {
	v := 100 * f
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(math.Abs(v), 'f', prec, 64)
	}
	for ; ; prec++ {
		s := strconv.FormatFloat(v, 'f', prec, 64)
		p, _ := strconv.ParseFloat(s, 64)
		misleading := p == 0 || (math.Abs(p) >= 100) != (math.Abs(v) >= 100)
		if !misleading || prec >= 6 {
			return s
		}
	}
}

// FormatP formats a p-value with three decimals, "<0.001" below that.
func FormatP(p float64) string {
	if p < 0.001 {
		return "<0.001"
	}
	return fmt.Sprintf("%.3f", p)
}

// ShortCommit returns the first seven characters of a commit hash.
func ShortCommit(c string) string {
	if len(c) > 7 {
		return c[:7]
	}
	return c
}

// MetricLabel returns a short human label of a metric ("peak heap", "B/op").
func MetricLabel(name string) string {
	if m, ok := metric.Lookup(name); ok && m.Label != "" {
		return m.Label // the catalogue's, snapshot metrics included
	}
	s := name
	for _, suf := range []string{"_bytes_per_sec", "_bytes", "_seconds"} {
		s = strings.TrimSuffix(s, suf)
	}
	return strings.ReplaceAll(s, "_", " ")
}

// trimPct formats a fraction as a percentage without needless decimals.
func trimPct(f float64) string {
	s := PercentText(f, 1)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s + "%"
}

// FormatPValue formats a p-value with its name: "p=0.012" or "p<0.001".
func FormatPValue(p float64) string {
	t := FormatP(p)
	if t[0] == '<' {
		return "p" + t
	}
	return "p=" + t
}
