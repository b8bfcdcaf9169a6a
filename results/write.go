package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Names of the files WriteRun writes into a run directory.
const (
	ReportFile   = "report.json"
	SummaryFile  = "summary.md"
	BenchFile    = "bench.txt"
	GHAFile      = "gha.json"
	BMFFile      = "bmf.json"
	reportPrefix = ".memprism-"
)

// WriteFileAtomic writes path through write: into a temporary file in the same
// directory, synced and then renamed over path. When write or any step fails,
// the temporary file is removed and an existing file at path is left as it was.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, reportPrefix+base+".*.tmp")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriter(f)
	if err := write(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: sync: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: close: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// WriteRun writes report.json, summary.md, bench.txt and gha.json into dir
// (created when missing), each atomically. Charts are the plots package's job.
func WriteRun(dir string, r *Report) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write run: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer, *Report) error
	}{
		{ReportFile, WriteJSON},
		{SummaryFile, WriteMarkdown},
		{BenchFile, WriteBench},
		{GHAFile, WriteGHA},
		{BMFFile, WriteBMF},
	}
	var errs []error
	for _, f := range files {
		err := WriteFileAtomic(filepath.Join(dir, f.name), func(w io.Writer) error { return f.write(w, r) })
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// WriteJSON writes r as indented report.json.
func WriteJSON(w io.Writer, r *Report) error {
	return encodeJSON(w, r, "report")
}

// encodeJSON writes v as indented JSON without HTML escaping ("<0.001" stays readable).
func encodeJSON(w io.Writer, v any, what string) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode %s: %w", what, err)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// ReadReport reads a report.json, or the report.json inside a run directory.
func ReadReport(path string) (*Report, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, ReportFile)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	r, err := DecodeReport(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// ErrSchemaVersion is wrapped by DecodeReport when a report has a schema
// version this package does not read.
var ErrSchemaVersion = errors.New("unsupported report schema version")

// DecodeReport decodes a report.json from r, checking its schema version.
func DecodeReport(r io.Reader) (*Report, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	var head struct {
		SchemaVersion *int `json:"schema_version"`
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("not a memprism report (invalid JSON): %w", err)
	}
	switch {
	case head.SchemaVersion == nil:
		return nil, fmt.Errorf("not a memprism report: no schema_version: %w", ErrSchemaVersion)
	case *head.SchemaVersion != SchemaVersion:
		return nil, fmt.Errorf("schema_version %d, this memprism reads %d: %w", *head.SchemaVersion, SchemaVersion, ErrSchemaVersion)
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("decode report: %w", err)
	}
	return &rep, nil
}
