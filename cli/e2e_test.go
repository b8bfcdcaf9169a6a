package cli_test

import (
	"bytes"
	"debug/buildinfo"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/memprism/memprism/results"
)

// bin is the memprism binary built once for the end-to-end tests.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "memprism-e2e-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "memprism")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	out, err := exec.Command("go", "build", "-o", bin, "../cmd/memprism").CombinedOutput()
	if err != nil {
		os.Stderr.Write(out)
		panic(err)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

type cliResult struct {
	code           int
	stdout, stderr string
	dir            string // run directory from the `report:` line
	report         *results.Report
}

// memprism runs the binary with args and, when it printed a report line, reads the report.
func memprism(t *testing.T, args ...string) cliResult {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	err := cmd.Run()
	res := cliResult{stdout: so.String(), stderr: se.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		res.code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running memprism: %v", err)
	}
	readReport(t, &res)
	return res
}

func readReport(t *testing.T, res *cliResult) {
	t.Helper()
	for _, line := range strings.Split(res.stdout, "\n") {
		if p, ok := strings.CutPrefix(line, "report: "); ok {
			res.dir = filepath.Dir(p)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("reading report: %v", err)
			}
			var r results.Report
			if err := json.Unmarshal(data, &r); err != nil {
				t.Fatalf("report.json is not valid JSON: %v", err)
			}
			res.report = &r
		}
	}
}

func targetVerdicts(r *results.Report) []string {
	var out []string
	for _, sc := range r.Scenarios {
		for _, t := range sc.Targets {
			for _, tr := range t.Results {
				out = append(out, t.Metric+":"+tr.Verdict)
			}
		}
	}
	return out
}

func TestRunEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end runs start many processes")
	}
	tests := []struct {
		file     string
		code     int
		verdict  string
		targets  []string
		fault    string
		extraChk func(t *testing.T, r cliResult)
	}{
		{file: "pass.yaml", code: 0, verdict: "pass", targets: []string{"total_allocs:pass"}},
		{file: "fail.yaml", code: 1, verdict: "fail", targets: []string{"allocs_per_op:fail"}},
		{file: "inconclusive.yaml", code: 1, verdict: "inconclusive", targets: []string{"peak_heap_bytes:inconclusive", "duration_seconds:inconclusive"}},
		{file: "leak.yaml", code: 0, verdict: "pass", extraChk: func(t *testing.T, r cliResult) {
			for _, v := range r.report.Scenarios[0].Variants {
				if v.Leak == nil || v.Leak.Detected != v.ExpectLeak {
					t.Errorf("variant %s: leak %+v, expect_leak %v", v.Name, v.Leak, v.ExpectLeak)
				}
			}
		}},
		{file: "unexpected-leak.yaml", code: 1, verdict: "fail"},
		{file: "leak-info.yaml", code: 0, verdict: "pass", extraChk: func(t *testing.T, r cliResult) {
			l := r.report.Scenarios[0].Variants[0].Leak
			if l == nil || !l.Detected || l.Verdict != "info" || !strings.Contains(r.stdout, "information only") {
				t.Errorf("leak %+v: want a leak shown as information only\n%s", l, r.stdout)
			}
		}},
		{file: "fault-panic.yaml", code: 3, verdict: "error", fault: "panic"},
		{file: "fault-exit.yaml", code: 3, verdict: "error", fault: "exit"},
		{file: "fault-hang.yaml", code: 3, verdict: "error", fault: "timeout"},
		{file: "fault-oom.yaml", code: 3, verdict: "error", fault: "oom"},
	}
	for _, tt := range tests {
		t.Run(strings.TrimSuffix(tt.file, ".yaml"), func(t *testing.T) {
			out := t.TempDir()
			r := memprism(t, "run", "-out", out, "-no-plots", filepath.Join("testdata", "e2e", tt.file))
			if r.code != tt.code {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, tt.code, r.stdout, r.stderr)
			}
			if r.report == nil {
				t.Fatalf("no report line in stdout:\n%s", r.stdout)
			}
			if r.report.Verdict != tt.verdict {
				t.Errorf("report verdict %s, want %s", r.report.Verdict, tt.verdict)
			}
			if tt.targets != nil {
				if got := strings.Join(targetVerdicts(r.report), " "); got != strings.Join(tt.targets, " ") {
					t.Errorf("targets %s, want %s", got, strings.Join(tt.targets, " "))
				}
			}
			if tt.fault != "" {
				run := r.report.Scenarios[0].Variants[0].Runs[0]
				if run.Fault != tt.fault || run.Error == "" {
					t.Errorf("run fault %q error %q, want fault %s with a reason", run.Fault, run.Error, tt.fault)
				}
			}
			for _, name := range []string{"report.json", "summary.md", "bench.txt", "gha.json"} {
				if _, err := os.Stat(filepath.Join(r.dir, name)); err != nil {
					t.Errorf("run directory lacks %s: %v", name, err)
				}
			}
			if tt.extraChk != nil {
				tt.extraChk(t, r)
			}
		})
	}
}

func TestRunInvalidWritesNothing(t *testing.T) {
	out := filepath.Join(t.TempDir(), "runs")
	r := memprism(t, "run", "-out", out, filepath.Join("testdata", "e2e", "invalid.yaml"))
	if r.code != 2 {
		t.Fatalf("exit %d, want 2; stderr:\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "invalid.yaml:1:") {
		t.Errorf("stderr lacks file:line:col positions:\n%s", r.stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("run directory root %s was created for an invalid file", out)
	}
}

// TestShardMerge runs a two-scenario suite as two shards, merges them, and
// checks that merge refuses shards of different settings or commits.
func TestShardMerge(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end")
	}
	files := []string{filepath.Join("testdata", "e2e", "pass.yaml"), filepath.Join("testdata", "e2e", "fail.yaml")}
	shards := t.TempDir()
	var dirs []string
	for i, k := range []string{"1/2", "2/2"} {
		// Nested as downloaded CI artifacts are: shards/shard-K/<run>/report.json.
		out := filepath.Join(shards, "shard-"+strconv.Itoa(i+1))
		r := memprism(t, append([]string{"run", "-q", "-no-plots", "-out", out, "-shard", k}, files...)...)
		if r.report == nil || r.report.Settings.Shard == nil {
			t.Fatalf("shard %s: no shard report (exit %d)\nstderr:\n%s", k, r.code, r.stderr)
		}
		if n := len(r.report.Scenarios); n != 1 {
			t.Fatalf("shard %s ran %d scenarios, want 1 of the 2", k, n)
		}
		dirs = append(dirs, r.dir)
	}
	out := t.TempDir()
	m := memprism(t, "merge", "-no-plots", "-out", out, shards)
	if m.code != 1 || m.report == nil {
		t.Fatalf("merge exit %d, want 1 (fail.yaml fails)\nstdout:\n%s\nstderr:\n%s", m.code, m.stdout, m.stderr)
	}
	var names []string
	for _, s := range m.report.Scenarios {
		names = append(names, s.Name+":"+s.Verdict)
	}
	if got := strings.Join(names, " "); got != "e2e-pass:pass e2e-fail:fail" {
		t.Errorf("merged scenarios %s, want e2e-pass:pass e2e-fail:fail in suite order", got)
	}
	if m.report.Settings.Shards != 2 || m.report.Settings.Shard != nil {
		t.Errorf("merged settings %+v, want shards 2 and no shard", m.report.Settings)
	}
	for _, name := range []string{"summary.md", "bench.txt", "gha.json", "bmf.json", "e2e-pass-small.pprof", "e2e-fail-pooled.pprof"} {
		if _, err := os.Stat(filepath.Join(m.dir, name)); err != nil {
			t.Errorf("merged run directory lacks %s: %v", name, err)
		}
	}

	// A third shard run with other settings, and a copy from "another commit".
	other := t.TempDir()
	r := memprism(t, append([]string{"run", "-q", "-no-plots", "-reps", "4", "-out", other, "-shard", "2/2"}, files...)...)
	if r.report == nil {
		t.Fatalf("shard with -reps 4: no report\nstderr:\n%s", r.stderr)
	}
	bad := memprism(t, "merge", "-out", t.TempDir(), dirs[0], r.dir)
	if bad.code != 2 || !strings.Contains(bad.stderr, "setting -reps") {
		t.Errorf("merge of shards with different -reps: exit %d, want 2 naming -reps\nstderr:\n%s", bad.code, bad.stderr)
	}
	rep := *r.report
	rep.Settings.Repetitions = 0
	rep.Env.Commit = "ffffffffffffffffffffffffffffffffffffffff"
	otherCommit := filepath.Join(t.TempDir(), "report.json")
	writeReport(t, otherCommit, &rep)
	bad = memprism(t, "merge", "-out", t.TempDir(), dirs[0], otherCommit)
	if bad.code != 2 || !strings.Contains(bad.stderr, "commit") {
		t.Errorf("merge of shards from different commits: exit %d, want 2 naming the commit\nstderr:\n%s", bad.code, bad.stderr)
	}
	bad = memprism(t, "merge", "-out", t.TempDir(), dirs[0])
	if bad.code != 2 || !strings.Contains(bad.stderr, "shard 2/2 missing") {
		t.Errorf("merge with a shard missing: exit %d, want 2 naming it\nstderr:\n%s", bad.code, bad.stderr)
	}
}

func writeReport(t *testing.T, path string, r *results.Report) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := results.WriteJSON(f, r); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestRunProvenanceFromBinary runs the binary in a clean checkout of another
// repository: the report's commit and dirty flag are the binary's own
// (vcs.revision, vcs.modified), and the checkout is recorded beside them.
func TestRunProvenanceFromBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary")
	}
	// Its own binary, stamped whatever GOFLAGS say (-buildvcs=false is common in CI).
	bin := filepath.Join(t.TempDir(), "memprism-vcs")
	if out, err := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "../cmd/memprism").CombinedOutput(); err != nil {
		t.Skipf("cannot build with VCS stamping (not in a git checkout?): %v\n%s", err, out)
	}
	info, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var revision, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			revision = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if revision == "" {
		t.Skip("the binary carries no VCS information (built outside a git checkout, or in a linked worktree, which the go command does not stamp)")
	}
	repo := t.TempDir()
	git := func(args ...string) string {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Dir = repo
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("commit", "-q", "--allow-empty", "-m", "elsewhere")
	head := git("rev-parse", "HEAD")

	other := t.TempDir()
	scenario := filepath.Join(other, "prov.yaml")
	if err := os.WriteFile(scenario, []byte("name: prov\nworkload: fault\nparams: {mode: none}\nvariants: [{name: a}]\nleak: {probe_runs: 0}\nrun: {repetitions: 1, warmup: 0}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "run", "-q", "-no-plots", "-out", filepath.Join(other, "runs"), scenario)
	cmd.Dir = repo
	var so, se bytes.Buffer
	cmd.Stdout, cmd.Stderr = &so, &se
	if err := cmd.Run(); err != nil {
		t.Fatalf("run: %v\nstderr:\n%s", err, se.String())
	}
	res := cliResult{stdout: so.String(), stderr: se.String()}
	readReport(t, &res)
	if res.report == nil {
		t.Fatalf("no report\nstdout:\n%s", res.stdout)
	}
	e := res.report.Env
	if e.Commit != revision || e.CommitSource != "build" || e.Dirty != (modified == "true") || e.DirtyUnknown != (modified == "") {
		t.Errorf("env commit %q (%s) dirty %v unknown %v; want the binary's %q dirty %q", e.Commit, e.CommitSource, e.Dirty, e.DirtyUnknown, revision, modified)
	}
	if len(e.Provenance) != 2 || e.Provenance[1].Source != "git" || e.Provenance[1].Commit != head || e.Provenance[1].Dirty == nil || *e.Provenance[1].Dirty {
		t.Errorf("provenance %+v: want the checkout's clean %s recorded", e.Provenance, head)
	}
}
