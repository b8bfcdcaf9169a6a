package names

import "testing"

func TestCheck(t *testing.T) {
	long := ""
	for range MaxLen + 1 {
		long += "a"
	}
	tests := []struct {
		give string
		ok   bool
	}{
		{"trade-records", true},
		{"a", true},
		{"0x", true},
		{"", false},
		{"-a", false},
		{"../escaped", false},
		{"a/b", false},
		{"a.b", false},
		{"a_b", false},
		{"A", false},
		{"a\x1b[31m", false},
		{long, false},
		{long[:MaxLen], true},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if err := Check("scenario", tt.give); (err == nil) != tt.ok {
				t.Errorf("Check(%q) = %v, want ok=%v", tt.give, err, tt.ok)
			}
		})
	}
}

func TestCheckMetric(t *testing.T) {
	tests := []struct {
		give string
		ok   bool
	}{
		{"peak_heap_bytes", true},
		{"snapshot.retained.live_heap_bytes", true},
		{"pool_hit_rate", true},
		{"", false},
		{"../x", false},
		{"a b", false},
		{"x\x1b]0;t\x07", false},
		{"Peak", false},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			if err := CheckMetric(tt.give); (err == nil) != tt.ok {
				t.Errorf("CheckMetric(%q) = %v, want ok=%v", tt.give, err, tt.ok)
			}
		})
	}
}
