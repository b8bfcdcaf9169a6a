// Command verdictsim prints the simulated error rates of memprism's target
// rule next to the rule it replaced (issue 8), and of compare's regression
// rule on 260 rows:
//
//	go run ./internal/verdictsim/cmd [-trials 20000] [-compares 1000] [-seed 1]
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/memprism/memprism/internal/verdictsim"
)

func main() {
	trials := flag.Int("trials", 20000, "simulated comparisons per cell")
	seed := flag.Uint64("seed", 1, "random seed")
	target := flag.Float64("target", 0.33, "reduction target")
	compares := flag.Int("compares", 1000, "simulated compares of 260 rows a case")
	flag.Parse()
	fmt.Printf("Target: reduction >= %.0f%%; %d trials a cell, seed %d.\n\n", 100**target, *trials, *seed)
	if err := verdictsim.WriteTable(os.Stdout, *target, *trials, *seed); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("\nCompare: %d simulated compares a case, seed %d.\n\n", *compares, *seed)
	if err := verdictsim.WriteCompareTable(os.Stdout, *compares, *seed); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
