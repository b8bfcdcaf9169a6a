package safeio

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.yaml")
	if err := os.WriteFile(small, []byte("name: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, make([]byte, 2048), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.yaml")
	if err := os.Symlink(small, link); err != nil {
		t.Fatal(err)
	}
	type readCase struct {
		name, path string
		want       error  // nil: read succeeds
		msg        string // in the error
	}
	tests := []readCase{
		{"regular", small, nil, ""},
		{"symlink to regular", link, nil, ""},
		{"too large", big, ErrTooLarge, "2048 bytes, more than the limit of 1 KiB"},
		{"directory", dir, ErrNotRegular, "is a directory"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		zlink := filepath.Join(dir, "zero.yaml")
		if err := os.Symlink("/dev/zero", zlink); err != nil {
			t.Fatal(err)
		}
		tests = append(tests,
			readCase{"dev zero", "/dev/zero", ErrNotRegular, "/dev/zero is a character device"},
			readCase{"symlink to dev zero", zlink, ErrNotRegular, "zero.yaml is a character device"})
	}
	if fifo := mkfifo(t, dir); fifo != "" {
		tests = append(tests, readCase{"fifo", fifo, ErrNotRegular, "named pipe"})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := ReadFile(tt.path, 1024)
			if tt.want == nil {
				if err != nil || string(b) != "name: x\n" {
					t.Fatalf("ReadFile = %q, %v", b, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("ReadFile error %v, want %v containing %q", err, tt.want, tt.msg)
			}
		})
	}
}
