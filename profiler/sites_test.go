package profiler

import (
	"bytes"
	"runtime"
	"testing"

	"github.com/google/pprof/profile"
)

func TestSitesSkipProfilingAllocations(t *testing.T) {
	fn := func(id uint64, name string) *profile.Function {
		return &profile.Function{ID: id, Name: name, Filename: name + ".go"}
	}
	writer, user, gz := fn(1, "runtime/pprof.(*profileBuilder).build"), fn(2, "main.work"), fn(3, "compress/flate.NewWriter")
	loc := func(id uint64, f *profile.Function) *profile.Location {
		return &profile.Location{ID: id, Line: []profile.Line{{Function: f, Line: 10}}}
	}
	prof := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "alloc_objects"}, {Type: "alloc_space"}, {Type: "inuse_objects"}, {Type: "inuse_space"}},
		Sample: []*profile.Sample{
			{Location: []*profile.Location{loc(1, gz), loc(2, writer)}, Value: []int64{1, 900 << 10, 0, 0}},
			{Location: []*profile.Location{loc(3, user)}, Value: []int64{10, 1 << 10, 0, 0}},
		},
	}
	sites, err := SitesFromProfile(prof, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 1 || sites[0].Function != "main.work" || sites[0].Share != 1 {
		t.Errorf("sites = %+v, want only main.work with the whole share", sites)
	}
}

func TestWriteHeapProfileSince(t *testing.T) {
	p := New(Options{MemProfileRate: 1, SettleGC: true})
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	sink := make([][]byte, 0, 64)
	for range 64 {
		sink = append(sink, make([]byte, 16<<10))
	}
	p.Stop()
	p.ForceGC()
	var buf bytes.Buffer
	if err := p.WriteHeapProfileSince(&buf); err != nil {
		t.Fatal(err)
	}
	prof, err := profile.Parse(&buf)
	if err != nil {
		t.Fatalf("the written profile does not parse: %v", err)
	}
	sites, err := SitesFromProfile(prof, 0)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, s := range sites {
		total += s.AllocBytes
	}
	if total < 64*16<<10 || total > 4*64*16<<10 {
		t.Errorf("profile since Start holds %d allocated bytes, want about %d; sites %+v", total, 64*16<<10, sites[:min(5, len(sites))])
	}
	for _, s := range prof.Sample {
		if isProfilingSample(s) {
			t.Fatal("profile keeps allocations made writing profiles")
		}
	}
	runtime.KeepAlive(sink)
}
