package memprism_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/memprism/memprism/internal/golden"
	"github.com/memprism/memprism/metric"
)

// Markers around the generated part of docs/metrics.md.
const (
	catalogueStart = "<!-- generated from package metric by TestMetricDocs (go test -run MetricDocs -update .): do not edit -->\n"
	catalogueEnd   = "<!-- end of generated catalogue -->\n"
)

// TestMetricDocs keeps docs/metrics.md's tables equal to the catalogue in
// package metric: under -update it rewrites the part between the markers.
func TestMetricDocs(t *testing.T) {
	path := filepath.Join("docs", "metrics.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(data)
	i, j := strings.Index(doc, catalogueStart), strings.Index(doc, catalogueEnd)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the generated-catalogue markers", path)
	}
	var b strings.Builder
	b.WriteString(doc[:i] + catalogueStart)
	b.WriteString("\n| metric | unit | better | bench.txt unit | exact | what it measures, and where the figure comes from |\n|---|---|---|---|---|---|\n")
	for _, m := range metric.All() {
		b.WriteString(metricRow(m))
	}
	b.WriteString("\nA labelled snapshot (`snapshot.<label>.<field>`) records:\n\n| field | unit | better | bench.txt unit | exact | what it measures |\n|---|---|---|---|---|---|\n")
	for _, m := range metric.SnapshotFields {
		b.WriteString(metricRow(m))
	}
	b.WriteString("\n" + doc[j:])
	golden.Check(t, path, []byte(b.String()))
}

func metricRow(m metric.Info) string {
	unit := m.Unit.Symbol()
	if unit == "" {
		unit = "count"
	}
	exact := ""
	if m.Exact {
		exact = "yes"
	}
	bench := "-"
	if m.BenchUnit != "" {
		bench = "`" + m.BenchUnit + "`"
	}
	return fmt.Sprintf("| `%s` | %s | %s | %s | %s | %s |\n", m.Name, unit, m.Direction, bench, exact, strings.ReplaceAll(m.Doc, "|", "\\|"))
}

// TestDocsInRepository checks that code and docs cite the docs/ of this
// repository, not design notes that are not in it.
func TestDocsInRepository(t *testing.T) {
	outside := regexp.MustCompile(`\b(DESIGN|SEED|STYLE)\.md\b`)
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "results" && path == "results/runs" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if ext := filepath.Ext(path); ext != ".go" && ext != ".md" && ext != ".yaml" || path == "docs_test.go" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for n, line := range strings.Split(string(data), "\n") {
			if outside.MatchString(line) {
				t.Errorf("%s:%d cites a document outside the repository: %s", path, n+1, strings.TrimSpace(line))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestDependenciesListed checks that the README's dependency table names
// every module go.mod requires directly, each with what it is for.
func TestDependenciesListed(t *testing.T) {
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "\n## Dependencies\n")
	if !ok {
		t.Fatal("README.md has no Dependencies section")
	}
	table, _, _ = strings.Cut(table, "\n## ")
	rows := map[string]string{} // module -> what for
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) >= 4 && strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			rows[strings.Trim(strings.TrimSpace(cells[1]), "`")] = strings.TrimSpace(cells[2])
		}
	}
	inBlock := false
	for _, line := range strings.Split(string(gomod), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "require (":
			inBlock = true
			continue
		case line == ")":
			inBlock = false
			continue
		case strings.HasPrefix(line, "require ") && !strings.HasSuffix(line, "("):
			line = strings.TrimPrefix(line, "require ")
		case !inBlock:
			continue
		}
		if strings.Contains(line, "// indirect") || line == "" {
			continue
		}
		module := strings.Fields(line)[0]
		if what, ok := rows[module]; !ok || what == "" {
			t.Errorf("go.mod requires %s directly, but README.md's dependency table does not say what it is for", module)
		}
	}
}
