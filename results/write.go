package results

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/memprism/memprism/internal/safeio"
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
// The file is created with mode 0666 less the process's umask, as os.Create does.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	inFlight.RLock()
	defer inFlight.RUnlock()
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := createTemp(dir, reportPrefix+base+".")
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

// inFlight is held (shared) by every WriteFileAtomic in progress.
var inFlight sync.RWMutex

// HoldWrites waits until every WriteFileAtomic in progress has finished and
// makes later ones wait, for good: a command about to exit on a signal calls
// it so that no temporary file is left half-written behind.
func HoldWrites() { inFlight.Lock() }

// createTemp creates a new file named prefix+<random>+".tmp" in dir with mode
// 0666 before the umask (os.CreateTemp would use 0600).
func createTemp(dir, prefix string) (*os.File, error) {
	for range 10000 {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 36)+".tmp")
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("creating a temporary file in %s: %w", dir, fs.ErrExist)
}

// ErrReportNotWritten is wrapped by WriteRun when report.json could not be
// written; nothing else was written then.
var ErrReportNotWritten = errors.New("report.json not written")

// WriteRun writes report.json into dir (created when missing), then
// summary.md, bench.txt and gha.json, each atomically. The report goes first
// and alone: when it cannot be written (a full disk), WriteRun writes nothing
// else and returns an error wrapping ErrReportNotWritten, so a run directory
// never holds a summary without its report. Later files that fail are
// reported together. Charts are the plots package's job.
func WriteRun(dir string, r *Report) error {
	return writeRun(dir, r, WriteFileAtomic)
}

// writeRun is WriteRun with the file writer given (tests inject faults).
func writeRun(dir string, r *Report, writeFile func(string, func(io.Writer) error) error) error {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return fmt.Errorf("write run: %w: %w", ErrReportNotWritten, err)
	}
	err := writeFile(filepath.Join(dir, ReportFile), func(w io.Writer) error { return WriteJSON(w, r) })
	if err != nil {
		return fmt.Errorf("%w: %w", ErrReportNotWritten, err)
	}
	files := []struct {
		name  string
		write func(io.Writer, *Report) error
	}{
		{SummaryFile, WriteMarkdown},
		{BenchFile, WriteBench},
		{GHAFile, WriteGHA},
		{BMFFile, WriteBMF},
	}
	var errs []error
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), func(w io.Writer) error { return f.write(w, r) }); err != nil {
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

// MaxReportBytes is the largest report.json ReadReport and DecodeReport read: 256 MiB.
const MaxReportBytes = safeio.MaxReportBytes

// ReadReport reads a report.json, or the report.json inside a run directory.
// It refuses, before reading, a path that is not a regular file (a FIFO,
// /dev/zero; symlinks are followed) or is larger than MaxReportBytes, and a
// report that fails Validate.
func ReadReport(path string) (*Report, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, ReportFile)
	}
	b, err := safeio.ReadFile(path, MaxReportBytes)
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	r, err := decodeReportBytes(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// ErrSchemaVersion is wrapped by DecodeReport when a report has a schema
// version this package does not read.
var ErrSchemaVersion = errors.New("unsupported report schema version")

// DecodeReport decodes a report.json of at most MaxReportBytes from r,
// checking its schema version and its names (Validate).
func DecodeReport(r io.Reader) (*Report, error) {
	return decodeReport(r, MaxReportBytes)
}

// decodeReport is DecodeReport reading at most limit bytes.
func decodeReport(r io.Reader, limit int64) (*Report, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read report: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("report is larger than the limit of %s: %w", safeio.FormatLimit(limit), safeio.ErrTooLarge)
	}
	return decodeReportBytes(b)
}

// decodeReportBytes decodes a whole report.json already read (and held to
// its size limit), checking its schema version and its names (Validate).
func decodeReportBytes(b []byte) (*Report, error) {
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
	if err := Validate(&rep); err != nil {
		return nil, err
	}
	return &rep, nil
}
