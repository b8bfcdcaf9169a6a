// Package plots renders memprism reports as PNG charts with gonum/plot.
//
// Each chart is drawn in two steps: the series are first extracted from the
// results types into a plain data struct (what the golden tests check), then
// drawn. The same data always gives the same picture.
package plots
