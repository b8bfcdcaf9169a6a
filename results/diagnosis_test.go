package results

// addDiagnosis adds the diagnosis figures to the fixture: lines of the user's
// code with the library call they went through, the in-use ranking, the
// change against the baseline, goroutine groups and a goroutine-only leak.
func addDiagnosis(tr, fan *Scenario) {
	for i := range tr.Variants {
		v := &tr.Variants[i]
		v.Profile = "trade-records-" + v.Name + ".pprof"
		for j := range v.TopAllocations {
			s := &v.TopAllocations[j]
			s.User = s.Function != "strconv.FormatFloat"
			if j == 0 {
				s.Via = "encoding/json.Unmarshal"
				s.Chain = []string{"github.com/memprism/memprism/workloads.(*tradeChurn).newTrade churn.go:88", "github.com/memprism/memprism/workloads.runTradeChurn churn.go:40"}
			}
		}
		v.TopInUse = []Site{
			{Function: "github.com/memprism/memprism/workloads.(*tradeChurn).retain", File: "/src/memprism/workloads/churn.go", Line: 120, User: true,
				AllocBytes: 40 << 20, AllocObjects: 200000, InuseBytes: 38 << 20, InuseObjects: 190000, Share: 0.08, InuseShare: 0.95},
			{Function: "bufio.NewReaderSize", File: "/usr/local/go/src/bufio/bufio.go", Line: 57, AllocBytes: 2 << 20, AllocObjects: 500, InuseBytes: 2 << 20, InuseObjects: 500, Share: 0.004, InuseShare: 0.05},
		}
		v.Goroutines = &Goroutines{Baseline: 2, Final: 2, StackBytesBaseline: 64 << 10, StackBytesFinal: 64 << 10,
			Groups: []GoroutineGroup{{State: "chan receive", BlockedIn: "main.main", BlockedAt: "main.go:20", BlockedUser: true, Count: 1, Baseline: 1}}}
	}
	tr.Variants[2].ChangedVsBaseline = []SiteChange{
		{Function: "github.com/memprism/memprism/workloads.(*tradeChurn).leak", File: "/src/memprism/workloads/churn.go", Line: 131, User: true, InuseBytesDelta: 30 << 20, AllocBytesDelta: 30 << 20},
		{Function: "github.com/memprism/memprism/workloads.(*tradeChurn).newTrade", File: "/src/memprism/workloads/churn.go", Line: 88, User: true, InuseBytesDelta: -12 << 20, AllocBytesDelta: -90 << 20},
	}
	g := &fan.Variants[0]
	g.Goroutines = &Goroutines{Baseline: 2, Final: 502, StackBytesBaseline: 64 << 10, StackBytesFinal: 4 << 20, Groups: []GoroutineGroup{
		{State: "chan send", CreatedBy: "github.com/memprism/memprism/workloads.runFanout", CreatedAt: "fanout.go:61", CreatedUser: true,
			BlockedIn: "github.com/memprism/memprism/workloads.runFanout.func1", BlockedAt: "fanout.go:64", BlockedUser: true, Count: 502, Baseline: 2},
	}}
	g.Leak = &Leak{Detected: true, Severity: "medium", GrowthBytes: 200 << 10, SlopeBytesPerSec: 100 << 10, PValue: 0.3, ThresholdBytes: 5 << 20,
		GoroutineGrowth: 480, GoroutineLeak: true, GoroutineSlopePerSec: 320, GoroutinePValue: 0.0001, Runs: 3, RunsDetected: 3}
}
