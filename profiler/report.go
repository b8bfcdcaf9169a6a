package profiler

import (
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// SchemaVersion is the version of the JSON written by WriteJSON.
const SchemaVersion = 1

// timelinePoints bounds the timeline in the JSON report.
const timelinePoints = 256

// Report is the whole profile as written by WriteJSON (the seed's export_report).
type Report struct {
	SchemaVersion int    `json:"schema_version"`
	Tool          string `json:"tool"`
	// StartedAt and StoppedAt are wall-clock times; StoppedAt is zero while running.
	StartedAt time.Time  `json:"started_at"`
	StoppedAt time.Time  `json:"stopped_at"`
	Options   Options    `json:"options"`
	Summary   Summary    `json:"summary"`
	Snapshots []Snapshot `json:"snapshots"`
	// TopAllocations ranks the lines by bytes allocated since Start (churn),
	// TopInUse by bytes they hold in use beyond Start's (retained); the
	// user's lines first in both.
	TopAllocations  []Site           `json:"top_allocations"`
	TopInUse        []Site           `json:"top_in_use"`
	Goroutines      *Goroutines      `json:"goroutines,omitempty"`
	SitesError      string           `json:"sites_error,omitempty"`
	Leak            Leak             `json:"leak"`
	ForcedGC        *GCResult        `json:"forced_gc,omitempty"`
	Recommendations []Recommendation `json:"recommendations"`
	// Timeline is the retained series downsampled (LTTB on the heap) to at most 256 points.
	Timeline Timeline `json:"timeline"`
}

// Timeline is a series of the main figures, column by column.
type Timeline struct {
	TSeconds      []float64 `json:"t_seconds"`
	HeapBytes     []float64 `json:"heap_bytes"`
	LiveHeapBytes []float64 `json:"live_heap_bytes"`
	RSSBytes      []float64 `json:"rss_bytes"`
	Goroutines    []float64 `json:"goroutines"`
}

// NewTimeline turns samples into columns.
func NewTimeline(samples []Sample) Timeline {
	t := Timeline{
		TSeconds:      make([]float64, len(samples)),
		HeapBytes:     make([]float64, len(samples)),
		LiveHeapBytes: make([]float64, len(samples)),
		RSSBytes:      make([]float64, len(samples)),
		Goroutines:    make([]float64, len(samples)),
	}
	for i, s := range samples {
		t.TSeconds[i] = s.Elapsed.Seconds()
		t.HeapBytes[i] = float64(s.HeapBytes)
		t.LiveHeapBytes[i] = float64(s.LiveHeapBytes)
		t.RSSBytes[i] = float64(s.RSSBytes)
		t.Goroutines[i] = float64(s.Goroutines)
	}
	return t
}

// Report analyses the session so far (taking one heap profile) into a Report.
func (p *Profiler) Report() Report {
	a := p.analyse()
	p.mu.Lock()
	r := Report{
		SchemaVersion:  SchemaVersion,
		Tool:           "memprism/profiler",
		StartedAt:      p.start,
		StoppedAt:      p.stopped,
		Options:        p.opts,
		Summary:        a.summary,
		Snapshots:      make([]Snapshot, len(p.snapshots)),
		TopAllocations: a.sites,
		TopInUse:       a.inuse,
		Goroutines:     a.gor,
		Leak:           a.leak,
		ForcedGC:       p.lastGC,
		Timeline:       NewTimeline(Downsample(p.samples.buf, timelinePoints)),
	}
	for i, s := range p.snapshots {
		if len(s.Sites) > p.opts.TopSites {
			s.Sites = s.Sites[:p.opts.TopSites]
		}
		r.Snapshots[i] = s
	}
	p.mu.Unlock()
	if a.sitesErr != nil {
		r.SitesError = a.sitesErr.Error()
	}
	if r.TopAllocations == nil {
		r.TopAllocations = []Site{}
	}
	if r.TopInUse == nil {
		r.TopInUse = []Site{}
	}
	r.Recommendations = recommend(a, p.opts.Thresholds)
	return r
}

// WriteJSON writes Report as indented JSON.
func (p *Profiler) WriteJSON(w io.Writer) error {
	b, err := json.MarshalIndent(p.Report(), "", "  ")
	if err != nil {
		return fmt.Errorf("profiler: encode report: %w", err)
	}
	b = append(b, '\n')
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("profiler: write report: %w", err)
	}
	return nil
}
