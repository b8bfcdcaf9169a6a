package plots

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/memprism/memprism/internal/names"
	"github.com/memprism/memprism/results"
)

// RenderRun writes each scenario's charts into dir, each atomically:
// <scenario>-timeline.png, <scenario>-compare.png and <scenario>-hotspots.png,
// and <scenario>-latency.png for scenarios with rate-driven runs.
// It returns the paths written; a failed chart does not stop the others.
func RenderRun(dir string, r *results.Report) ([]string, error) {
	var paths []string
	var errs []error
	for i := range r.Scenarios {
		s := &r.Scenarios[i]
		// Chart file names start with the scenario name: only a valid name
		// (no '/', no "..") can be one, whoever built the report.
		if err := names.Check("scenario", s.Name); err != nil {
			errs = append(errs, fmt.Errorf("scenario %d: %w: no charts drawn", i, err))
			continue
		}
		files := results.ChartNames(s.Name)
		charts := []func(io.Writer, *results.Scenario) error{Timeline, Compare, Hotspots}
		for j, draw := range charts {
			path := filepath.Join(dir, files[j])
			// Drawn in memory first: a process stopped while drawing leaves no temporary file.
			var b bytes.Buffer
			if err := draw(&b, s); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", path, err))
				continue
			}
			err := results.WriteFileAtomic(path, func(w io.Writer) error { _, err := b.WriteTo(w); return err })
			if err != nil {
				errs = append(errs, err)
				continue
			}
			paths = append(paths, path)
		}
		if s.HasLoad() {
			path := filepath.Join(dir, results.LatencyChartName(s.Name))
			if err := results.WriteFileAtomic(path, func(w io.Writer) error { return Latency(w, s) }); err != nil {
				errs = append(errs, err)
			} else {
				paths = append(paths, path)
			}
		}
	}
	return paths, errors.Join(errs...)
}
