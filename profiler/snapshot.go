package profiler

import (
	"strconv"
	"time"
)

// Snapshot is a labelled reading with its change since the baseline taken at Start.
type Snapshot struct {
	// Label names the snapshot ("snapshot_N" when empty, N counting from 1).
	Label string `json:"label"`
	// Sample holds the figures read.
	Sample Sample `json:"sample"`
	// Delta is Sample minus the baseline sample (zero before Start).
	Delta Delta `json:"delta"`
	// Sites are the allocation sites since Start, for SnapshotSites only; reports keep
	// the top Options.TopSites.
	Sites []Site `json:"sites,omitempty"`
}

// Delta is the change of the figures between two samples (to minus from).
type Delta struct {
	Elapsed           time.Duration `json:"elapsed_ns"`
	HeapBytes         int64         `json:"heap_bytes"`
	LiveHeapBytes     int64         `json:"live_heap_bytes"`
	HeapObjects       int64         `json:"heap_objects"`
	RSSBytes          int64         `json:"rss_bytes"`
	Goroutines        int64         `json:"goroutines"`
	TotalAllocBytes   int64         `json:"total_alloc_bytes"`
	TotalAllocObjects int64         `json:"total_alloc_objects"`
	GCCycles          int64         `json:"gc_cycles_total"` // change of the cumulative count, forced cycles included
	GCPauseSeconds    float64       `json:"gc_pause_seconds"`
}

// Sub returns the change from from to s.
func (s Sample) Sub(from Sample) Delta {
	d := func(a, b uint64) int64 { return int64(a) - int64(b) }
	return Delta{
		Elapsed:           s.Elapsed - from.Elapsed,
		HeapBytes:         d(s.HeapBytes, from.HeapBytes),
		LiveHeapBytes:     d(s.LiveHeapBytes, from.LiveHeapBytes),
		HeapObjects:       d(s.HeapObjects, from.HeapObjects),
		RSSBytes:          d(s.RSSBytes, from.RSSBytes),
		Goroutines:        d(s.Goroutines, from.Goroutines),
		TotalAllocBytes:   d(s.TotalAllocBytes, from.TotalAllocBytes),
		TotalAllocObjects: d(s.TotalAllocObjects, from.TotalAllocObjects),
		GCCycles:          d(s.GCCycles, from.GCCycles),
		GCPauseSeconds:    s.GCPauseTotal - from.GCPauseTotal,
	}
}

// Snapshot reads the figures now (no heap profile: a few microseconds), records the
// snapshot under label and returns it.
func (p *Profiler) Snapshot(label string) Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	var s Sample
	p.readLocked(&s)
	return p.keepSnapshot(label, s, nil)
}

// SnapshotSites is Snapshot plus the allocation sites since Start (a heap profile:
// milliseconds), so that two snapshots can be compared site by site with Compare.
func (p *Profiler) SnapshotSites(label string) (Snapshot, error) {
	sites, err := p.TopAllocations(0)
	if err != nil {
		return Snapshot{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var s Sample
	p.readLocked(&s)
	return p.keepSnapshot(label, s, sites), nil
}

// keepSnapshot stores and returns a snapshot; p.mu must be held.
func (p *Profiler) keepSnapshot(label string, s Sample, sites []Site) Snapshot {
	if label == "" {
		label = "snapshot_" + strconv.Itoa(len(p.snapshots)+1)
	}
	if p.state == stateIdle {
		s.Elapsed = 0
	}
	snap := Snapshot{Label: label, Sample: s, Sites: sites}
	if p.n > 0 {
		snap.Delta = s.Sub(p.first)
	}
	p.snapshots = append(p.snapshots, snap)
	return snap
}

// Snapshots returns the snapshots taken so far, oldest first.
func (p *Profiler) Snapshots() []Snapshot {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Snapshot(nil), p.snapshots...)
}

// Comparison is the change between two snapshots.
type Comparison struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Delta is to minus from; Delta.Elapsed is the time between them.
	Delta Delta `json:"delta"`
	// GrowthRateBytesPerSec is the heap change per second between them (0 if no time passed).
	GrowthRateBytesPerSec float64 `json:"growth_rate_bytes_per_sec"`
	// RSSGrowthRateBytesPerSec is the RSS change per second.
	RSSGrowthRateBytesPerSec float64 `json:"rss_growth_rate_bytes_per_sec"`
	// Sites is the site-by-site change when both snapshots carry sites.
	Sites []SiteDiff `json:"sites,omitempty"`
}

// Compare returns the change from snapshot a to snapshot b: deltas, elapsed time,
// growth rates and, when both have sites, the site diff.
func Compare(a, b Snapshot) Comparison {
	c := Comparison{From: a.Label, To: b.Label, Delta: b.Sample.Sub(a.Sample)}
	// Wall-clock time covers snapshots from different profilers; Elapsed is monotonic.
	dt := c.Delta.Elapsed
	if a.Sample.Elapsed == 0 || b.Sample.Elapsed == 0 {
		dt = time.Duration(b.Sample.UnixNano - a.Sample.UnixNano)
		c.Delta.Elapsed = dt
	}
	if sec := dt.Seconds(); sec > 0 {
		c.GrowthRateBytesPerSec = float64(c.Delta.HeapBytes) / sec
		c.RSSGrowthRateBytesPerSec = float64(c.Delta.RSSBytes) / sec
	}
	if a.Sites != nil && b.Sites != nil {
		c.Sites = DiffSites(a.Sites, b.Sites)
	}
	return c
}
