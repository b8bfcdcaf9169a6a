//go:build unix

package safeio

import (
	"path/filepath"
	"syscall"
	"testing"
)

// mkfifo makes a named pipe in dir (no writer ever opens it).
func mkfifo(t *testing.T, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatalf("mkfifo: %v", err)
	}
	return p
}
