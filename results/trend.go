package results

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"
	"time"
)

// TrendData is one metric across many reports, ordered by start time.
type TrendData struct {
	Metric string        `json:"metric"`
	Unit   string        `json:"unit"`
	Points []TrendPoint  `json:"points"` // one per report, oldest first
	Series []TrendSeries `json:"series"` // one per scenario/variant
	// Folded lists the shard reports left out because the merged report
	// that joins them is a point (FoldShards); the caller sets it.
	Folded []Fold `json:"folded,omitempty"`
}

// Fold is a set of shard reports (run -shard K/N) that a trend shows as the
// one point of the merged report joining them (memprism merge).
type Fold struct {
	Merged string   `json:"merged"` // the merged report, as named to FoldShards
	Shards []string `json:"shards"` // its shard reports, as named
}

// FoldShards leaves out of reports every shard report whose merged report
// is among them too, so that one suite run is one point of a trend, not the
// merged report plus each of its shards again. A shard belongs to a merged
// report when both come from the same commit, tree state, Go version,
// platform and settings (-quick, -reps, -run), the merged report joins as
// many shards as the shard's N, its time span holds the shard's, and every
// scenario of the shard is in the merged report with the same variants and
// runs (merge copies them unchanged). names label the reports (their
// paths); kept and keptNames are the rest, in their order, and folds say
// what was left out, one per merged report that absorbed shards.
func FoldShards(names []string, reports []*Report) (keptNames []string, kept []*Report, folds []Fold) {
	foldedInto := make([]int, len(reports)) // index of the merged report + 1
	for i, sh := range reports {
		if sh == nil || sh.Settings.Shard == nil {
			continue
		}
		for j, m := range reports {
			if m != nil && j != i && isMergeOf(m, sh) {
				foldedInto[i] = j + 1
				break
			}
		}
	}
	byMerged := map[int]int{} // merged index -> position in folds
	for i, r := range reports {
		if foldedInto[i] == 0 {
			keptNames, kept = append(keptNames, names[i]), append(kept, r)
			continue
		}
		j := foldedInto[i] - 1
		k, ok := byMerged[j]
		if !ok {
			k = len(folds)
			byMerged[j] = k
			folds = append(folds, Fold{Merged: names[j]})
		}
		folds[k].Shards = append(folds[k].Shards, names[i])
	}
	return keptNames, kept, folds
}

// isMergeOf reports whether m is the merged report that joins shard sh.
func isMergeOf(m, sh *Report) bool {
	if m.Settings.Shard != nil || m.Settings.Shards != sh.Settings.Shard.Count || len(sameRun("", m, "", sh)) > 0 {
		return false
	}
	if sh.StartedAt.Before(m.StartedAt) || sh.FinishedAt.After(m.FinishedAt) {
		return false
	}
	for i := range sh.Scenarios {
		ms := findScenario(m, sh.Scenarios[i].Name)
		if ms == nil || !sameRuns(ms, &sh.Scenarios[i]) {
			return false
		}
	}
	return true
}

// sameRuns reports whether two scenarios hold the same variants with the same runs.
func sameRuns(a, b *Scenario) bool {
	if len(a.Variants) != len(b.Variants) {
		return false
	}
	for i := range a.Variants {
		va, vb := &a.Variants[i], &b.Variants[i]
		if va.Name != vb.Name || !sameJSON(va.Runs, vb.Runs) {
			return false
		}
	}
	return true
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
	info, known := Metric(metric)
	rs := make([]*Report, 0, len(reports))
	for _, r := range reports {
		if r == nil {
			continue
		}
		rs = append(rs, r)
		for i := range r.Scenarios {
			if m, ok := r.Scenarios[i].MetricInfo(metric); ok && !known {
				info, known = infoOf(m), true // a workload kind's own metric, as its report declares it
			}
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
	fmt.Fprintf(&b, "%s (median ± 95%% interval) across %s\n", t.Metric, plural(len(t.Points), "report"))
	for _, f := range t.Folded {
		fmt.Fprintf(&b, "folded: %s into the merged report %s, shown as its one point: %s\n", plural(len(f.Shards), "shard report"), f.Merged, strings.Join(f.Shards, ", "))
	}
	b.WriteString("\n")
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

// plural is "1 report" or "3 reports".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
