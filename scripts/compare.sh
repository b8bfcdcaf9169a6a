#!/usr/bin/env bash
# compare.sh: measure the suite at a base git ref and in the working tree, then compare.
#
# usage: scripts/compare.sh BASE [memprism run flags and files...]
#   BASE         a git ref (branch, tag, commit) to compare against, e.g. main or HEAD~1
#   run flags    passed to `memprism run` on both sides, e.g. -quick -reps 6 -run trade;
#                relative scenario paths are read from each side's own tree
#
# environment:
#   OUT        output directory (default results/compare); gets base/ and head/ run
#              directories, compare.md, compare.txt and compare.png
#   THRESHOLD  regression threshold for `memprism compare` (default 5%)
#   GO         go command (default go)
#
# Exit status: 3 when a run on either side crashed, hung or ran out of memory
# (`memprism run` exited 3: its figures are missing, so "no regression" would be a
# false pass; the comparison is still written), else that of `memprism compare`
# (0 no regression, 1 regression, 2 error), or 2 when either side could not be
# built or run or wrote no report.
set -euo pipefail

if [[ $# -lt 1 || $1 == -h || $1 == --help ]]; then
	sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
fi
base=$1
shift

GO=${GO:-go}
OUT=${OUT:-results/compare}
THRESHOLD=${THRESHOLD:-5%}

root=$(git rev-parse --show-toplevel)
cd "$root"
base_commit=$(git rev-parse --verify --quiet "$base^{commit}") || {
	echo "compare.sh: $base is not a commit in this repository" >&2
	exit 2
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/memprism-compare.XXXXXX")
worktree="$tmp/base"
cleanup() {
	if [[ -d $worktree ]]; then
		git worktree remove --force "$worktree" >/dev/null 2>&1 || true
	fi
	git worktree prune >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT"
out=$(cd "$OUT" && pwd)
echo "compare.sh: base $base ($(git rev-parse --short "$base_commit")) in $worktree" >&2
git worktree add --detach --quiet "$worktree" "$base_commit"

# run_side NAME DIR: builds memprism in DIR, runs the suite, prints the report path.
run_side() {
	local name=$1 dir=$2 bin="$tmp/memprism-$1" log="$tmp/$1.out" code=0
	echo "compare.sh: building $name" >&2
	(cd "$dir" && "$GO" build -o "$bin" ./cmd/memprism) || {
		echo "compare.sh: $name does not build" >&2
		return 2
	}
	echo "compare.sh: running $name: memprism run -out $out/$name ${*:3}" >&2
	(cd "$dir" && "$bin" run -out "$out/$name" "${@:3}") >"$log" || code=$?
	cat "$log" >&2
	# 0 pass, 1 a target failed, 3 a run crashed: all still write a report.
	if [[ $code -ne 0 && $code -ne 1 && $code -ne 3 ]]; then
		echo "compare.sh: memprism run on $name exited $code" >&2
		return 2
	fi
	echo "$code" >"$tmp/$name.code"
	local report
	report=$(sed -n 's/^report: //p' "$log" | tail -n 1)
	if [[ -z $report || ! -f $report ]]; then
		echo "compare.sh: memprism run on $name printed no report" >&2
		return 2
	fi
	echo "$report"
}

old_report=$(run_side base "$worktree" "$@") || exit 2
new_report=$(run_side head "$root" "$@") || exit 2

code=0
"$tmp/memprism-head" compare -format md -threshold "$THRESHOLD" -o "$out" "$old_report" "$new_report" >"$out/compare.md" || code=$?
if [[ $code -ge 2 ]]; then
	echo "compare.sh: memprism compare failed (exit $code)" >&2
	exit "$code"
fi
"$tmp/memprism-head" compare -format text -threshold "$THRESHOLD" "$old_report" "$new_report" | tee "$out/compare.txt" || true
echo "compare.sh: wrote $out/compare.md, $out/compare.txt and $out/compare.png" >&2
# A crashed run is a failure whatever compare says: the crashed variant's
# figures are missing, so "no regression" would pass a crash.
for side in base head; do
	if [[ $(cat "$tmp/$side.code") -eq 3 ]]; then
		echo "compare.sh: FAIL: memprism run on $side exited 3: a run crashed, hung or ran out of memory (see the verdict table above)" >&2
		code=3
	fi
done
exit "$code"
