package results

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"text/tabwriter"
	"time"
)

// TrendData is one metric across many reports, ordered by start time.
type TrendData struct {
	Metric string        `json:"metric"`
	Unit   string        `json:"unit"`
	Points []TrendPoint  `json:"points"` // one per report, oldest first
	Series []TrendSeries `json:"series"` // one per scenario/variant
}

// TrendPoint is one report of a trend.
type TrendPoint struct {
	Label     string    `json:"label"` // short commit, unique within the trend
	Commit    string    `json:"commit"`
	Dirty     bool      `json:"dirty"`
	StartedAt time.Time `json:"started_at"`
	Quick     bool      `json:"quick"`
}

// TrendSeries is one scenario/variant's metric at every point of a trend.
// Quick runs (run -quick) form series of their own: their work is sized
// differently, so their figures do not continue a full run's line.
type TrendSeries struct {
	Scenario string       `json:"scenario"`
	Variant  string       `json:"variant"`
	Quick    bool         `json:"quick"`
	Values   []TrendValue `json:"values"` // parallel to TrendData.Points
}

// Name is "scenario/variant", with " (quick)" for a series of quick runs.
func (s TrendSeries) Name() string {
	if s.Quick {
		return s.Scenario + "/" + s.Variant + " (quick)"
	}
	return s.Scenario + "/" + s.Variant
}

// TrendValue is a series' summary at one point; Present is false when that
// report did not measure it.
type TrendValue struct {
	Present bool    `json:"present"`
	Median  float64 `json:"median"`
	CILow   float64 `json:"ci_low"`
	CIHigh  float64 `json:"ci_high"`
	HasCI   bool    `json:"has_ci"`
	N       int     `json:"n"`
	// Confidence is the real confidence of [CILow, CIHigh]: 0.95 with
	// enough runs, the range's lower confidence 1-2/2^n below six.
	Confidence float64 `json:"confidence,omitempty"`
}

// Trend follows metric across reports: points ordered by StartedAt and
// labelled by short commit, one series per scenario/variant (and per mode:
// quick runs apart from full ones) with the median and its interval at each point.
func Trend(reports []*Report, metric string) *TrendData {
	info, _ := Metric(metric)
	rs := make([]*Report, 0, len(reports))
	for _, r := range reports {
		if r != nil {
			rs = append(rs, r)
		}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].StartedAt.Before(rs[j].StartedAt) })
	t := &TrendData{Metric: metric, Unit: info.Unit, Points: []TrendPoint{}, Series: []TrendSeries{}}
	seen := map[string]int{}
	index := map[string]int{}
	for pi, r := range rs {
		label := ShortCommit(r.Env.Commit)
		if label == "" {
			label = r.StartedAt.UTC().Format("01-02 15:04")
		}
		if r.Env.Dirty {
			label += "+"
		} else if r.Env.DirtyUnknown && r.Env.Commit != "" {
			label += "?" // never shown as clean when it could not be told
		}
		seen[label]++
		if seen[label] > 1 {
			label = fmt.Sprintf("%s#%d", label, seen[label])
		}
		t.Points = append(t.Points, TrendPoint{label, r.Env.Commit, r.Env.Dirty, r.StartedAt, r.Settings.Quick})
		for si := range r.Scenarios {
			s := &r.Scenarios[si]
			for vi := range s.Variants {
				v := &s.Variants[vi]
				sum := MetricSummary(v, metric)
				if sum.N == 0 {
					continue
				}
				key := fmt.Sprintf("%s\x00%s\x00%t", s.Name, v.Name, r.Settings.Quick)
				i, ok := index[key]
				if !ok {
					i = len(t.Series)
					index[key] = i
					t.Series = append(t.Series, TrendSeries{Scenario: s.Name, Variant: v.Name, Quick: r.Settings.Quick, Values: make([]TrendValue, len(rs))})
				}
				t.Series[i].Values[pi] = TrendValue{true, sum.Median, sum.CILow, sum.CIHigh, sum.HasCI(), sum.N, sum.CIConfidence}
			}
		}
	}
	return t
}

// WriteTrendText writes t as a table, one block of rows per scenario/variant
// and one row per report, oldest first, so it stays narrow however many
// series there are.
func WriteTrendText(w io.Writer, t *TrendData) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s (median ± 95%% interval) across %d reports\n\n", t.Metric, len(t.Points))
	if len(t.Series) == 0 {
		fmt.Fprintf(&b, "no report measured %s\n", t.Metric)
		_, err := w.Write(b.Bytes())
		return err
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "scenario/variant\tcommit\tstarted\tmedian\tn\n")
	for _, s := range t.Series {
		name := s.Name()
		for pi, p := range t.Points {
			v := s.Values[pi]
			if !v.Present {
				continue
			}
			started := "-"
			if !p.StartedAt.IsZero() {
				started = p.StartedAt.UTC().Format("2006-01-02 15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s %s\t%d\n", name, p.Label, started, FormatValue(v.Median, t.Unit), FormatInterval(v.summary()), v.N)
			name = ""
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func (v TrendValue) summary() Summary {
	s := Summary{Median: v.Median, CILow: v.CILow, CIHigh: v.CIHigh, N: v.N, CIConfidence: v.Confidence}
	switch {
	case v.HasCI && s.CIConfidence < Confidence:
		s.CIConfidence = Confidence // a report written before the field existed
	case !v.HasCI && s.CIConfidence == 0 && v.N > 0:
		s.CIConfidence = 1 - 2*math.Pow(0.5, float64(v.N)) // the range's confidence
	}
	return s
}
