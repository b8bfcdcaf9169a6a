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
		if s.HasLoad() {
			files = append(files, results.LatencyChartName(s.Name))
			charts = append(charts, Latency)
		}
		for j, draw := range charts {
			path := filepath.Join(dir, files[j])
			if err := WriteChart(path, func(w io.Writer) error { return draw(w, s) }); err != nil {
				errs = append(errs, err)
				continue
			}
			paths = append(paths, path)
		}
	}
	return paths, errors.Join(errs...)
}

// WriteChart draws a chart in memory, then writes it to path atomically
// (results.WriteFileAtomic) into path's existing directory. Drawing first means
// a process stopped while drawing leaves no temporary file and its signal
// handler (results.HoldWrites) waits only for the write, not the drawing.
// A drawing error is returned as "path: error" and nothing is written.
func WriteChart(path string, draw func(io.Writer) error) error {
	var b bytes.Buffer
	if err := draw(&b); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return results.WriteFileAtomic(path, func(w io.Writer) error { _, err := b.WriteTo(w); return err })
}
