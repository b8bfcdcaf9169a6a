package scenarios_test

import (
	"strings"
	"testing"

	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/workloads"
)

// The real registry satisfies the Catalog interface.
var (
	_ scenarios.Catalog       = workloads.Default
	_ scenarios.ParamsChecker = workloads.Default
)

// TestDefaultSuite validates the embedded default suite against the real workload registry.
func TestDefaultSuite(t *testing.T) {
	suite, err := scenarios.Default(workloads.Default)
	if err != nil {
		t.Fatalf("embedded default suite is invalid:\n%v", err)
	}
	if got, want := len(suite.Scenarios), len(scenarios.DefaultFiles()); got != want {
		t.Fatalf("%d scenarios from %d files", got, want)
	}
	for _, sc := range suite.Scenarios {
		t.Run(sc.Name, func(t *testing.T) {
			if len(sc.Warnings) > 0 {
				t.Errorf("warnings: %v", sc.Warnings)
			}
			if !strings.HasPrefix(sc.Source, "embedded:") {
				t.Errorf("Source = %q, want embedded:<file>", sc.Source)
			}
			for _, v := range sc.Variants {
				if _, err := workloads.Default.Resolve(sc.Workload, sc.VariantParams(v.Name)); err != nil {
					t.Errorf("variant %s: params do not resolve: %v", v.Name, err)
				}
			}
			out, err := scenarios.Format(sc)
			if err != nil {
				t.Fatalf("Format: %v", err)
			}
			if _, err := scenarios.Parse(sc.Source, out, workloads.Default); err != nil {
				t.Errorf("formatted scenario does not parse: %v\n%s", err, out)
			}
		})
	}
}
