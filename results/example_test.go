package results_test

import (
	"fmt"

	"github.com/memprism/memprism/results"
)

func ExampleSummarize() {
	peak := []float64{101e6, 99e6, 100e6, 98e6, 102e6, 100e6, 97e6, 103e6}
	s := results.Summarize(peak)
	fmt.Println(results.FormatMetric(results.PeakHeapBytes, s.Median), results.FormatInterval(s), "n =", s.N)
	fmt.Printf("95%% CI [%s, %s]\n", results.FormatBytes(s.CILow), results.FormatBytes(s.CIHigh))
	// Output:
	// 95.4 MiB ± 3% n = 8
	// 95% CI [92.5 MiB, 97.3 MiB]
}

func ExampleCompare() {
	naive := []float64{100, 102, 98, 101, 99, 103}
	compact := []float64{61, 60, 62, 59, 63, 60}
	sig := results.Compare(naive, compact)
	fmt.Printf("p=%.4f significant=%t\n", sig.P, sig.Significant())

	few := results.Compare(naive[:3], compact[:3])
	fmt.Printf("p=%.2f enough=%t\n", few.P, few.Enough)
	// Output:
	// p=0.0022 significant=true
	// p=0.10 enough=false
}
