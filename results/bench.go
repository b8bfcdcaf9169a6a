package results

import (
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/perf/benchfmt"
)

// WriteBench writes r's counted runs in the Go benchmark format, so that
// `benchstat old/bench.txt new/bench.txt` compares two runs out of the box:
//
//   - a comment line first with the commit, start time and mode; benchstat
//     ignores it (a commit as a configuration line would make each file a
//     table of its own, since benchstat splits tables by file configuration);
//   - configuration lines that stay equal across runs on one machine: goos,
//     goarch, cpu, and work: full or quick (quick runs size the work
//     differently, so benchstat keeps them apart from full ones);
//   - one BenchmarkScenarios/<scenario>/<variant>-<cpus> line per successful
//     run, its iteration count the messages processed, so that "op" is one
//     message: sec/op, B/op and allocs/op are per message, and whole-run
//     figures carry their own units (peak-heap-B, gc-cycles, run-sec, ...;
//     bytes end in -B so benchstat scales them in binary);
//   - "Unit <unit> better=lower|higher" lines.
func WriteBench(w io.Writer, r *Report) error {
	if err := writeBenchHeader(w, r); err != nil {
		return fmt.Errorf("write bench: %w", err)
	}
	bw := benchfmt.NewWriter(w)
	work := "full"
	if r.Settings.Quick {
		work = "quick"
	}
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
				for _, kv := range [][2]string{{"goos", r.Env.GOOS}, {"goarch", r.Env.GOARCH}, {"cpu", r.Env.CPUModel}, {"work", work}} {
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

// writeBenchHeader writes the comment line that says which run the file
// holds; benchfmt skips it (it is neither a benchmark nor a key: value line).
func writeBenchHeader(w io.Writer, r *Report) error {
	commit := r.Env.Commit
	if commit == "" {
		commit = "unknown"
	}
	if r.Env.Dirty {
		commit += " (dirty tree)"
	} else if r.Env.DirtyUnknown && r.Env.Commit != "" {
		commit += " (dirty tree unknown)"
	}
	mode := ""
	if r.Settings.Quick {
		mode = ", -quick"
	}
	started := "-"
	if !r.StartedAt.IsZero() {
		started = r.StartedAt.UTC().Format(time.RFC3339)
	}
	_, err := fmt.Fprintf(w, "# memprism run of commit %s, started %s%s. Compare two runs: benchstat old/bench.txt new/bench.txt\n", commit, started, mode)
	return err
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
