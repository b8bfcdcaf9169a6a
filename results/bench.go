package results

import (
	"fmt"
	"io"
	"strings"

	"golang.org/x/perf/benchfmt"
)

// WriteBench writes r's counted runs in the Go benchmark format, which
// benchstat reads: file configuration lines (goos, goarch, cpu, commit,
// scenario), one BenchmarkScenarios/<scenario>/<variant>-<cpus> line per
// successful run with the run's ops as iteration count and every metric in its
// hyphenated unit (bytes end in -B so benchstat scales them in binary), a
// derived sec/op, and "Unit <unit> better=lower|higher" lines.
func WriteBench(w io.Writer, r *Report) error {
	bw := benchfmt.NewWriter(w)
	procs := r.Env.CPUs
	if procs <= 0 {
		procs = 1
	}
	used := map[string]MetricInfo{}
	var order []string
	for _, s := range r.Scenarios {
		for _, v := range s.Variants {
			for _, run := range v.Runs {
				if run.Failed() {
					continue
				}
				res := &benchfmt.Result{
					Name:  benchfmt.Name(fmt.Sprintf("Scenarios/%s/%s-%d", benchName(s.Name), benchName(v.Name), procs)),
					Iters: 1,
				}
				for _, kv := range [][2]string{{"goos", r.Env.GOOS}, {"goarch", r.Env.GOARCH}, {"cpu", r.Env.CPUModel}, {"commit", r.Env.Commit}, {"scenario", s.Name}} {
					if kv[1] != "" {
						res.Config = append(res.Config, benchfmt.Config{Key: kv[0], Value: []byte(kv[1]), File: true})
					}
				}
				if ops := run.Metrics[Ops]; ops >= 1 {
					res.Iters = int(ops)
					if d, ok := run.Metrics[DurationSeconds]; ok && isFinite(d) {
						res.Values = append(res.Values, benchfmt.Value{Value: d / ops, Unit: "sec/op"})
					}
				}
				for _, m := range Metrics {
					x, ok := run.Metrics[m.Name]
					if !ok || m.BenchUnit == "" || !isFinite(x) {
						continue
					}
					res.Values = append(res.Values, benchfmt.Value{Value: x, Unit: m.BenchUnit})
					if _, seen := used[m.BenchUnit]; !seen {
						used[m.BenchUnit] = m
						order = append(order, m.BenchUnit)
					}
				}
				if len(res.Values) == 0 {
					continue
				}
				if err := bw.Write(res); err != nil {
					return fmt.Errorf("write bench: %w", err)
				}
			}
		}
	}
	if len(order) > 0 {
		if _, err := io.WriteString(w, "\n"); err != nil {
			return fmt.Errorf("write bench: %w", err)
		}
	}
	for _, u := range order {
		m := used[u]
		better := ""
		switch {
		case m.LowerIsBetter:
			better = "lower"
		case m.HigherIsBetter:
			better = "higher"
		default:
			continue
		}
		rec := &benchfmt.UnitMetadata{UnitMetadataKey: benchfmt.UnitMetadataKey{Unit: u, Key: "better"}, OrigUnit: u, Value: better}
		if err := bw.Write(rec); err != nil {
			return fmt.Errorf("write bench: %w", err)
		}
	}
	return nil
}

// benchName makes a name safe for a benchmark line (no spaces). A trailing
// -<digits> is safe because every name ends in -<cpus>, which benchstat
// takes for GOMAXPROCS.
func benchName(s string) string {
	s = strings.Join(strings.Fields(s), "_")
	if s == "" {
		return "_"
	}
	return s
}
