// Package verdict owns memprism's decisions: whether a target holds, whether
// a change across commits is a regression, and the interval statistics both
// rest on.
//
// It is called verdict, not analysis, because its job is the decision and
// the evidence for it, not the description of a sample (results does that):
// every function here returns a verdict with its estimate, interval,
// confidence and reason, ready to be stored in report.json and rendered
// elsewhere. It is a leaf package (no memprism imports), so harness, results,
// the CLI and other tools can all call the same rule.
//
// The rules, in the words of someone who knows benchstat:
//
//  1. A relative target (reduction: X on a lower-is-better metric, increase: X
//     on a higher-is-better one) is judged on a two-sided 95% confidence
//     interval of the ratio variant/baseline: the Hodges-Lehmann estimate
//     (median of all pairwise ratios) with the Moses interval, which is the
//     Mann-Whitney U test of benchstat inverted (a shifted one-sided U test at
//     0.025 per side, on log values, so distribution-free). The exact U
//     distribution is used for up to 50 runs a side without ties; beyond
//     that, or with tied values, the normal approximation with tie and
//     continuity correction (as go-moremath's U test does).
//  2. reduction: X passes when the whole interval lies at or below 1-X,
//     fails when it lies wholly above, and is inconclusive otherwise;
//     increase: X mirrors it around 1+X. So a claim passes only when the
//     data refute "the change falls short of the target" at 2.5%, and fails
//     only when they refute "the target was met" at 2.5%.
//  3. Fallbacks: fewer than MinRuns runs a side (after dropping failed runs
//     and non-finite values) is inconclusive; a baseline with a value <= 0 is
//     inconclusive (a ratio to it means nothing); both sides constant (a
//     deterministic count) is an exact comparison with relative tolerance
//     RelTol; one side constant is an exact sign test of the other side's
//     median against the line (it needs 6 runs on that side).
//  4. max/min bounds are judged the same way on the distribution-free 95%
//     interval of the median (the inverted sign test): wholly inside is pass,
//     wholly outside is fail, else inconclusive.
//  5. An inconclusive verdict carries RunsNeeded: a planning estimate of the
//     runs a side that would likely decide it (80% power if the true change
//     is the observed one), from the observed spread. It is advice for the
//     next experiment's design, not a license to re-run until it passes.
//  6. Several targets in one scenario must all pass. That is an
//     intersection-union test: each claim is tested at 2.5% on its own and
//     the scenario passes only if every one does, so the chance of a false
//     pass of the whole scenario is at most the largest single one; no
//     multiplicity correction is needed (or correct).
//  7. A regression across commits (Regress) is a one-sided U test in the bad
//     direction against the threshold line (new worse than old by more than
//     the threshold), with Benjamini-Hochberg over the directional rows only.
package verdict
