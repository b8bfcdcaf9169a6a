//go:build linux

package profiler

import (
	"math"
	"os"
	"testing"

	"github.com/shirou/gopsutil/v4/process"
)

func TestStatmMatchesGopsutil(t *testing.T) {
	s, err := openStatm()
	if err != nil {
		t.Fatal(err)
	}
	defer s.f.Close()
	g, err := process.NewProcess(int32(os.Getpid()))
	if err != nil {
		t.Fatal(err)
	}
	r1, v1, f1, err := s.read()
	if err != nil {
		t.Fatal(err)
	}
	if f1 == 0 || f1 > r1 {
		t.Errorf("file-backed RSS %d of %d: want a part of it (the binary's pages)", f1, r1)
	}
	mi, err := g.MemoryInfo()
	if err != nil {
		t.Fatal(err)
	}
	r2, v2 := mi.RSS, mi.VMS
	if d := math.Abs(float64(r1) - float64(r2)); d > 4<<20 {
		t.Errorf("RSS statm %d vs gopsutil %d", r1, r2)
	}
	if d := math.Abs(float64(v1) - float64(v2)); d > 64<<20 {
		t.Errorf("VMS statm %d vs gopsutil %d", v1, v2)
	}
	if allocs := testing.AllocsPerRun(100, func() { s.read() }); allocs != 0 {
		t.Errorf("statm read allocates %v per read", allocs)
	}
}

func TestParseUint(t *testing.T) {
	tests := []struct {
		give     string
		want     uint64
		wantRest string
		ok       bool
	}{
		{"123 456", 123, " 456", true},
		{"  7\n", 7, "\n", true},
		{"x", 0, "x", false},
		{"", 0, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			v, rest, ok := parseUint([]byte(tt.give))
			if v != tt.want || string(rest) != tt.wantRest || ok != tt.ok {
				t.Errorf("parseUint(%q) = %d %q %v", tt.give, v, rest, ok)
			}
		})
	}
}
