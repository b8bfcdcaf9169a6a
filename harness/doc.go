// Package harness runs a scenario suite and judges it: it plans each
// scenario's runs (warm-ups, then the counted repetitions, variants
// interleaved A B A B, then the leak-probe runs), runs every one in a fresh
// worker process through internal/worker with the scenario's GOGC,
// GOMEMLIMIT, GOMAXPROCS and timeout, collects each run's metrics, heap
// profile and timeline, and turns them into a results.Report: per-variant
// summaries, the leak verdict, every target judged pass, fail or
// inconclusive, and the scenario and report verdicts.
//
// The pipeline of Run, for each scenario in suite order:
//
//  1. resolve each variant's params with the workload registry (in quick
//     mode: the scenario's quick: params, the other work sizes divided by
//     QuickFactor) and its effective run settings;
//  2. run the plan, reporting each run's start and end through
//     Options.Progress; a run that crashes, hangs or runs out of memory is
//     recorded with its fault and the suite goes on;
//  3. summarize each metric over the counted runs, pick the median run to
//     stand for the variant (timeline, allocation sites, heap profile),
//     judge leaks on the leak-probe runs;
//  4. judge the targets (the quick: targets in quick mode) and the verdicts.
//
// When the context is cancelled Run stops, kills the current run and
// returns what finished, marked incomplete. The harness never prints:
// rendering is for package results and the command line. docs/measurement.md
// states the rules it follows.
package harness
