package scenarios_test

import (
	"encoding"
	"flag"
	"fmt"

	"github.com/memprism/memprism/scenarios"
	"github.com/memprism/memprism/workloads"
	"gopkg.in/yaml.v3"
)

// Size and Percent are flag values, text and YAML decoders.
var (
	_ flag.Value               = (*scenarios.Size)(nil)
	_ flag.Value               = (*scenarios.Percent)(nil)
	_ encoding.TextUnmarshaler = (*scenarios.Size)(nil)
	_ encoding.TextUnmarshaler = (*scenarios.Percent)(nil)
	_ yaml.Unmarshaler         = (*scenarios.Size)(nil)
	_ yaml.Unmarshaler         = (*scenarios.Percent)(nil)
)

func ExampleParse() {
	file := []byte(`name: records
workload: trade-churn
params: {trades: 1000}
variants:
  - name: naive
    params: {layout: naive}
  - name: compact
    params: {layout: compact}
baseline: naive
targets:
  - metric: peak_heap_bytes
    reduction: 33%
`)
	sc, err := scenarios.Parse("records.yaml", file, workloads.Default)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(sc.Name, sc.VariantNames(), "baseline", sc.Baseline)
	fmt.Println(sc.Targets[0], sc.Targets[0].Variants)
	fmt.Println(sc.VariantParams("compact"))
	fmt.Println(sc.Run.Repetitions, sc.Run.Timeout, sc.Leak.Threshold)
	// Output:
	// records [naive compact] baseline naive
	// peak_heap_bytes reduction >= 33% [compact]
	// map[layout:compact trades:1000]
	// 10 1m0s 5MiB
}

func ExampleParse_errors() {
	file := []byte(`name: Records
workload: trade-churn
variants:
  - name: naive
  - name: compact
targets:
  - metric: peak_heap
    reduction: 33%
run:
  timeout: 60
`)
	_, err := scenarios.Parse("bad.yaml", file, workloads.Default)
	for _, e := range scenarios.Errors(err) {
		fmt.Printf("%d:%d: %.60s\n", e.Line, e.Col, e.Msg)
	}
	// Output:
	// 1:7: scenario name "Records" is invalid; allowed: lowercase lette
	// 3:1: baseline is required with 2 variants; allowed: naive, compac
	// 7:13: unknown metric "peak_heap"; allowed: achieved_rate, allocs_p
	// 10:12: timeout must be a duration with a unit, got integer 60; dura
}

func ExampleParseSize() {
	for _, s := range []string{"5MiB", "1GB", "1.5GiB", "1024"} {
		n, err := scenarios.ParseSize(s)
		fmt.Println(int64(n), n, err)
	}
	// Output:
	// 5242880 5MiB <nil>
	// 1000000000 976562.5KiB <nil>
	// 1610612736 1.5GiB <nil>
	// 1024 1KiB <nil>
}

func ExampleParsePercent() {
	a, _ := scenarios.ParsePercent("33%")
	b, _ := scenarios.ParsePercent("0.33")
	fmt.Println(float64(a), float64(b), a)
	// Output: 0.33 0.33 33%
}
