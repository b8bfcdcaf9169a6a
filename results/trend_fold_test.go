package results

import (
	"bytes"
	"slices"
	"testing"
	"time"
)

// TestFoldShards checks that a trend shows one suite run as one point: the
// shards whose merged report is among the reports are left out and named,
// and nothing else is.
func TestFoldShards(t *testing.T) {
	type set struct {
		names   []string
		reports []*Report
	}
	build := func(t *testing.T) (merged *Report, shards []*Report) {
		shards = shardReports(t, 2)
		shards[1].StartedAt = shards[0].StartedAt.Add(time.Minute) // shards start apart; merge spans both
		shards[1].FinishedAt = shards[0].FinishedAt.Add(time.Minute)
		m, _, err := Merge([]string{"s1", "s2"}, shards)
		if err != nil {
			t.Fatal(err)
		}
		return m, shards
	}
	tests := []struct {
		name   string
		give   func(t *testing.T) set
		kept   []string
		folded []Fold
	}{
		{"merged and both shards", func(t *testing.T) set {
			m, sh := build(t)
			return set{[]string{"shard-1", "merged", "shard-2"}, []*Report{sh[0], m, sh[1]}}
		}, []string{"merged"}, []Fold{{"merged", []string{"shard-1", "shard-2"}}}},
		{"merged and one shard", func(t *testing.T) set {
			m, sh := build(t)
			return set{[]string{"merged", "shard-2"}, []*Report{m, sh[1]}}
		}, []string{"merged"}, []Fold{{"merged", []string{"shard-2"}}}},
		{"shards alone stay", func(t *testing.T) set {
			_, sh := build(t)
			return set{[]string{"shard-1", "shard-2"}, sh}
		}, []string{"shard-1", "shard-2"}, nil},
		{"another commit's shard stays", func(t *testing.T) set {
			m, sh := build(t)
			other := cloneReport(t, sh[0])
			other.Env.Commit = "ffffffffffffffffffffffffffffffffffffffff"
			return set{[]string{"merged", "other-shard-1"}, []*Report{m, other}}
		}, []string{"merged", "other-shard-1"}, nil},
		{"a shard re-run at the same commit stays", func(t *testing.T) set {
			m, sh := build(t)
			again := cloneReport(t, sh[0])
			again.Scenarios[0].Variants[0].Runs[0].Metrics[PeakHeapBytes]++
			return set{[]string{"merged", "shard-1-again"}, []*Report{m, again}}
		}, []string{"merged", "shard-1-again"}, nil},
		{"a shard run later stays", func(t *testing.T) set {
			m, sh := build(t)
			later := cloneReport(t, sh[0])
			later.StartedAt, later.FinishedAt = later.StartedAt.Add(time.Hour), later.FinishedAt.Add(time.Hour)
			return set{[]string{"merged", "later"}, []*Report{m, later}}
		}, []string{"merged", "later"}, nil},
		{"a quick shard stays", func(t *testing.T) set {
			m, sh := build(t)
			q := cloneReport(t, sh[0])
			q.Settings.Quick = true
			return set{[]string{"merged", "quick"}, []*Report{m, q}}
		}, []string{"merged", "quick"}, nil},
		{"an unsharded run of the same commit stays", func(t *testing.T) set {
			m, _ := build(t)
			return set{[]string{"whole", "merged"}, []*Report{loadFixture(t), m}}
		}, []string{"whole", "merged"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.give(t)
			keptNames, kept, folds := FoldShards(s.names, s.reports)
			if !slices.Equal(keptNames, tt.kept) || len(kept) != len(keptNames) {
				t.Errorf("kept %v (%d reports), want %v", keptNames, len(kept), tt.kept)
			}
			if !slices.EqualFunc(folds, tt.folded, func(a, b Fold) bool { return a.Merged == b.Merged && slices.Equal(a.Shards, b.Shards) }) {
				t.Errorf("folded %+v, want %+v", folds, tt.folded)
			}
		})
	}
}

// TestTrendFolded renders a trend of a merged report given with its shards:
// one point, and a line saying what was folded.
func TestTrendFolded(t *testing.T) {
	shards := shardReports(t, 2)
	m, _, err := Merge([]string{"s1", "s2"}, shards)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"runs/shard-1/report.json", "runs/merged/report.json", "runs/shard-2/report.json"}
	keptNames, kept, folds := FoldShards(names, []*Report{shards[0], m, shards[1]})
	tr := Trend(kept, PeakHeapBytes)
	tr.Folded = folds
	if len(tr.Points) != 1 || keptNames[0] != names[1] {
		t.Fatalf("points %d (%v), want the merged report alone", len(tr.Points), keptNames)
	}
	var b bytes.Buffer
	if err := WriteTrendText(&b, tr); err != nil {
		t.Fatal(err)
	}
	checkFile(t, "trend-folded.txt", b.Bytes())
}
