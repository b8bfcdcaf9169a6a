//go:build !unix

package safeio

import "os"

// openNonblocking opens path for reading; off Unix there are no FIFOs in
// the file system to block on.
func openNonblocking(path string) (*os.File, error) {
	return os.Open(path)
}
