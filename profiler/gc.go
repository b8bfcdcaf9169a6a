package profiler

import (
	"runtime"
	"runtime/debug"
	"time"
)

// GCState is the memory at one side of a forced GC.
type GCState struct {
	HeapBytes     uint64 `json:"heap_bytes"`
	LiveHeapBytes uint64 `json:"live_heap_bytes"`
	HeapObjects   uint64 `json:"heap_objects"`
	RSSBytes      uint64 `json:"rss_bytes"`
	GCCycles      uint64 `json:"gc_cycles_total"` // cumulative, since the process started
}

// GCResult is what a forced GC freed.
type GCResult struct {
	Before GCState `json:"before"`
	After  GCState `json:"after"`
	// FreedBytes and FreedObjects are heap bytes and objects before minus after (they
	// can be negative if other goroutines allocate meanwhile).
	FreedBytes   int64 `json:"freed_bytes"`
	FreedObjects int64 `json:"freed_objects"`
	// RSSFreedBytes is RSS before minus after (FreeOSMemory returns memory to the OS).
	RSSFreedBytes int64 `json:"rss_freed_bytes"`
	// Cycles is the number of GC cycles completed during the call (usually 2:
	// runtime.GC and debug.FreeOSMemory each run one).
	Cycles   uint64        `json:"cycles"`
	Duration time.Duration `json:"duration_ns"`
}

// ForceGC runs runtime.GC and debug.FreeOSMemory and reports the heap and RSS before
// and after. It works whether or not the profiler is running; the result is kept for
// the JSON report.
func (p *Profiler) ForceGC() GCResult {
	var before, after Sample
	p.readMu.Lock()
	p.rd.read(&before, time.Now(), true)
	p.readMu.Unlock()
	t0 := time.Now()
	runtime.GC()
	debug.FreeOSMemory()
	d := time.Since(t0)
	p.readMu.Lock()
	p.rd.read(&after, time.Now(), true)
	p.readMu.Unlock()
	st := func(s Sample) GCState {
		return GCState{s.HeapBytes, s.LiveHeapBytes, s.HeapObjects, s.RSSBytes, s.GCCycles}
	}
	r := GCResult{
		Before:        st(before),
		After:         st(after),
		FreedBytes:    int64(before.HeapBytes) - int64(after.HeapBytes),
		FreedObjects:  int64(before.HeapObjects) - int64(after.HeapObjects),
		RSSFreedBytes: int64(before.RSSBytes) - int64(after.RSSBytes),
		Cycles:        after.GCCycles - before.GCCycles,
		Duration:      d,
	}
	p.mu.Lock()
	p.lastGC = &r
	p.mu.Unlock()
	return r
}
