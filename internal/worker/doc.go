// Package worker is the seam between the harness and the worker process
// that runs one job: the job and result types, starting and classifying a
// worker (Exec), and the worker's side (Serve).
package worker
