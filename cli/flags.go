package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/memprism/memprism/results"
)

// parseFlags parses a command's flags. When ok is false the command returns
// code: ExitOK after -h, ExitUsage after a bad flag (fs has printed why).
func parseFlags(fs *flag.FlagSet, args []string) (code int, ok bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK, false
		}
		return ExitUsage, false
	}
	return 0, true
}

// writeChart renders a chart into dir/name atomically (creating dir) and
// tells stderr where it went.
func writeChart(stderr io.Writer, dir, name string, draw func(io.Writer) error) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(dir, name)
	if err := results.WriteFileAtomic(path, draw); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "chart: %s\n", path)
	return nil
}
