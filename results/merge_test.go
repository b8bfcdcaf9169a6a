package results

import (
	"strings"
	"testing"
	"time"
)

// shardReports splits the fixture's scenarios into n shard reports, as
// `run -shard K/N` would (every n-th scenario).
func shardReports(t *testing.T, n int) []*Report {
	t.Helper()
	base := loadFixture(t)
	var suite []string
	for _, s := range base.Scenarios {
		suite = append(suite, s.Name)
	}
	var out []*Report
	for k := 1; k <= n; k++ {
		r := cloneReport(t, base)
		r.Scenarios = nil
		for i, s := range base.Scenarios {
			if i%n == k-1 {
				r.Scenarios = append(r.Scenarios, s)
			}
		}
		r.Settings.Shard = &Shard{Index: k, Count: n, Suite: suite}
		out = append(out, r)
	}
	return out
}

func TestMerge(t *testing.T) {
	names := []string{"a/report.json", "b/report.json"}
	t.Run("joins in suite order", func(t *testing.T) {
		rs := shardReports(t, 2)
		rs[1].Env.CPUModel = "Other CPU"
		m, warnings, err := Merge(names, []*Report{rs[1], rs[0]})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range m.Scenarios {
			got = append(got, s.Name)
		}
		if want := strings.Join(rs[0].Settings.Shard.Suite, " "); strings.Join(got, " ") != want {
			t.Errorf("scenarios %v, want %s", got, want)
		}
		if m.Settings.Shard != nil || m.Settings.Shards != 2 {
			t.Errorf("settings %+v", m.Settings)
		}
		if len(warnings) != 1 || !strings.Contains(warnings[0], "Other CPU") {
			t.Errorf("warnings %q, want the CPU difference", warnings)
		}
	})
	tests := []struct {
		name   string
		change func(rs []*Report) []*Report
		want   string
	}{
		{"not a shard", func(rs []*Report) []*Report { rs[1].Settings.Shard = nil; return rs }, "b/report.json is not a shard report"},
		{"other commit", func(rs []*Report) []*Report { rs[1].Env.Commit = "ffff"; return rs }, "commit is \"ffff\""},
		{"dirty", func(rs []*Report) []*Report { rs[1].Env.Dirty = true; return rs }, "dirty tree"},
		{"quick", func(rs []*Report) []*Report { rs[1].Settings.Quick = true; return rs }, "setting -quick"},
		{"filter", func(rs []*Report) []*Report { rs[1].Settings.Filter = "trade"; return rs }, "setting -run"},
		{"go version", func(rs []*Report) []*Report { rs[1].Env.GoVersion = "go1.99"; return rs }, "Go version"},
		{"shard count", func(rs []*Report) []*Report { rs[1].Settings.Shard.Count = 3; return rs }, "is one of 2 shards"},
		{"twice", func(rs []*Report) []*Report { return []*Report{rs[0], rs[0]} }, "shard 1/2 given twice"},
		{"missing", func(rs []*Report) []*Report { return rs[:1] }, "shard 2/2 missing"},
		{"other suite", func(rs []*Report) []*Report { rs[1].Settings.Shard.Suite = []string{"x"}; return rs }, "different suite"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := tt.change(shardReports(t, 2))
			_, _, err := Merge(names[:len(rs)], rs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one containing %q", err, tt.want)
			}
		})
	}
}

// TestTrendQuickApart checks that quick runs form series of their own: their
// work is sized differently, so they must not continue a full run's line.
func TestTrendQuickApart(t *testing.T) {
	full := loadFixture(t)
	quick := cloneReport(t, full)
	quick.Settings.Quick = true
	quick.StartedAt = full.StartedAt.Add(time.Hour)
	td := Trend([]*Report{full, quick}, PeakHeapBytes)
	if len(td.Series) != 10 {
		t.Fatalf("%d series, want 5 full and 5 quick", len(td.Series))
	}
	for _, s := range td.Series {
		present := 0
		for i, v := range s.Values {
			if v.Present {
				present++
				if td.Points[i].Quick != s.Quick {
					t.Errorf("series %s has a value from a %s run", s.Name(), map[bool]string{true: "quick", false: "full"}[td.Points[i].Quick])
				}
			}
		}
		if present != 1 {
			t.Errorf("series %s has %d values, want 1", s.Name(), present)
		}
		if s.Quick != strings.HasSuffix(s.Name(), " (quick)") {
			t.Errorf("series %q: quick %t", s.Name(), s.Quick)
		}
	}
}

func TestReportVerdict(t *testing.T) {
	tests := []struct {
		give []string
		want string
	}{
		{nil, Pass},
		{[]string{Pass, Pass}, Pass},
		{[]string{Pass, Inconclusive}, Inconclusive},
		{[]string{Inconclusive, Fail, Pass}, Fail},
		{[]string{Fail, Error, Inconclusive}, Error},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.give, ","), func(t *testing.T) {
			var scs []Scenario
			for _, v := range tt.give {
				scs = append(scs, Scenario{Verdict: v})
			}
			if got := ReportVerdict(scs); got != tt.want {
				t.Errorf("ReportVerdict(%v) = %s, want %s", tt.give, got, tt.want)
			}
		})
	}
}
