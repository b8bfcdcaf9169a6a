package profiler

import (
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
