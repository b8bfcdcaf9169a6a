package scenarios

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/memprism/memprism/internal/safeio"
)

// embeddedPrefix starts the Source of scenarios from the embedded default suite.
const embeddedPrefix = "embedded:"

// Load reads scenario files and directories (a directory contributes its *.yaml and *.yml
// files, sorted, not recursing) into one suite, in the order given. Only regular files
// (symlinks to them followed) of at most MaxFileSize bytes are read. Scenario names must be
// unique across the suite, and so must the output names <scenario>-<variant>. Every problem of every file is reported, joined with errors.Join.
func Load(c Catalog, paths ...string) (*Suite, error) {
	if len(paths) == 0 {
		return nil, errors.New("scenarios: no scenario files or directories given")
	}
	var srcs []source
	var errs []error
	for _, p := range paths {
		files, err := expand(p)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, f := range files {
			data, err := safeio.ReadFile(f, MaxFileSize) // a FIFO, /dev/zero or a larger file is refused before reading
			if err != nil {
				errs = append(errs, fmt.Errorf("scenarios: read scenario file: %w", err))
				continue
			}
			srcs = append(srcs, source{name: f, data: data})
		}
	}
	suite, err := parseAll(c, srcs)
	if err != nil {
		errs = append(errs, err)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return suite, nil
}

// expand turns a path into the scenario files it names.
func expand(path string) ([]string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("scenarios: %w", err)
	}
	if !info.IsDir() {
		return []string{path}, nil
	}
	entries, err := os.ReadDir(path)
	if err != nil {
		return nil, fmt.Errorf("scenarios: read scenario directory: %w", err)
	}
	var files []string
	for _, e := range entries {
		if !e.IsDir() && isScenarioFile(e.Name()) {
			files = append(files, filepath.Join(path, e.Name()))
		}
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("scenarios: directory %s has no *.yaml or *.yml files", path)
	}
	sort.Strings(files)
	return files, nil
}

func isScenarioFile(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// source is one file's name (as errors show it) and content.
type source struct {
	name string
	data []byte
}

// parseAll parses every source and checks that scenario names are unique.
func parseAll(c Catalog, srcs []source) (*Suite, error) {
	suite := &Suite{}
	var errs []error
	first := map[string]*Scenario{}
	for _, src := range srcs {
		sc, err := Parse(src.name, src.data, c)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if prev, dup := first[sc.Name]; dup {
			errs = append(errs, &Error{File: src.name, Line: sc.namePos.line, Col: sc.namePos.col,
				Msg: fmt.Sprintf("duplicate scenario name %q; first defined at %s:%d:%d; names must be unique within a suite",
					sc.Name, prev.Source, prev.namePos.line, prev.namePos.col)})
			continue
		}
		first[sc.Name] = sc
		suite.Scenarios = append(suite.Scenarios, sc)
	}
	errs = append(errs, outputClashes(suite)...)
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return suite, nil
}

// outputClashes rejects two variants whose output files would have the same
// name: scenario "a" with variant "b-c" and scenario "a-b" with variant "c"
// both write a-b-c.pprof.
func outputClashes(suite *Suite) []error {
	type owner struct {
		sc *Scenario
		v  *Variant
	}
	var errs []error
	seen := map[string]owner{}
	for _, sc := range suite.Scenarios {
		for i := range sc.Variants {
			v := &sc.Variants[i]
			stem := OutputStem(sc.Name, v.Name)
			prev, dup := seen[stem]
			if !dup {
				seen[stem] = owner{sc, v}
				continue
			}
			errs = append(errs, &Error{File: sc.Source, Line: v.namePos.line, Col: v.namePos.col,
				Msg: fmt.Sprintf("scenario %q variant %q writes %s.pprof, as does scenario %q variant %q (%s:%d:%d); output files are named <scenario>-<variant>, so rename one of them",
					sc.Name, v.Name, stem, prev.sc.Name, prev.v.Name, prev.sc.Source, prev.v.namePos.line, prev.v.namePos.col)})
		}
	}
	return errs
}

// Default parses the embedded default suite (the scenarios/*.yaml files compiled in),
// each with Source "embedded:<file>.yaml".
func Default(c Catalog) (*Suite, error) {
	return LoadFS(c, defaultFS)
}

// LoadFS parses the *.yaml and *.yml files at the root of fsys, sorted by
// name, into one suite, each with Source "embedded:<file>": how a binary runs
// scenarios it carries with go:embed. Every problem of every file is reported.
func LoadFS(c Catalog, fsys fs.FS) (*Suite, error) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("scenarios: reading embedded scenarios: %w", err)
	}
	var srcs []source
	var errs []error
	for _, e := range entries {
		if e.IsDir() || !isScenarioFile(e.Name()) {
			continue
		}
		data, err := fs.ReadFile(fsys, e.Name())
		if err != nil {
			errs = append(errs, fmt.Errorf("scenarios: reading embedded scenario %s: %w", e.Name(), err))
			continue
		}
		srcs = append(srcs, source{name: embeddedPrefix + e.Name(), data: data})
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(srcs) == 0 {
		return nil, errors.New("scenarios: the embedded file system has no *.yaml or *.yml files at its root")
	}
	return parseAll(c, srcs)
}

// DefaultFiles returns the names of the embedded scenario files, sorted.
func DefaultFiles() []string {
	entries, err := fs.ReadDir(defaultFS, ".")
	if err != nil {
		return nil // cannot happen: the embedded root always exists
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && isScenarioFile(e.Name()) {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names
}

// DefaultFile returns the content of an embedded scenario file; name is as DefaultFiles
// returns it, with or without the "embedded:" prefix.
func DefaultFile(name string) ([]byte, error) {
	data, err := defaultFS.ReadFile(strings.TrimPrefix(name, embeddedPrefix))
	if err != nil {
		return nil, fmt.Errorf("scenarios: embedded scenario %q (have %s): %w", name, strings.Join(DefaultFiles(), ", "), err)
	}
	return data, nil
}
