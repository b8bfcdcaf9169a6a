package metric

import (
	"strings"
	"testing"

	"golang.org/x/perf/benchunit"
)

func TestCatalogEntries(t *testing.T) {
	seen := map[string]bool{}
	units := map[string]bool{}
	for _, m := range append(All(), SnapshotFields...) {
		t.Run(m.Name, func(t *testing.T) {
			if !ValidName(m.Name) {
				t.Errorf("invalid name")
			}
			if seen[m.Name] {
				t.Errorf("defined twice")
			}
			seen[m.Name] = true
			if m.Doc == "" || m.Label == "" || strings.ContainsAny(m.BenchUnit, " \t") {
				t.Errorf("bad entry %+v", m)
			}
			if m.BenchUnit != "" {
				if units[m.BenchUnit] {
					t.Errorf("bench unit %s used twice", m.BenchUnit)
				}
				units[m.BenchUnit] = true
				if _, tidy := benchunit.Tidy(1, m.BenchUnit); tidy != m.BenchUnit {
					t.Errorf("bench unit %s is not tidy (%s)", m.BenchUnit, tidy)
				}
				wantBinary := m.Unit == Bytes || m.Unit == BytesPerSecond
				if (benchunit.ClassOf(m.BenchUnit) == benchunit.Binary) != wantBinary {
					t.Errorf("bench unit %s: binary scaling %t, want %t", m.BenchUnit, !wantBinary, wantBinary)
				}
			}
			// The name says the unit, so a reader of report.json needs no table.
			says := map[Unit]string{Bytes: "bytes", Seconds: "_seconds", BytesPerSecond: "_bytes_per_sec", PerSecond: "_per_sec"}
			// A *_rate (offered_rate, achieved_rate: the design's names) is per second too.
			rate := m.Unit == PerSecond && strings.HasSuffix(m.Name, "_rate")
			if want, ok := says[m.Unit]; ok && !rate && !strings.Contains(m.Name, want) {
				t.Errorf("unit %s but name lacks %s", m.Unit, want)
			}
		})
	}
}

func TestSnapshotNames(t *testing.T) {
	tests := []struct {
		give        string
		label, fld  string
		ok          bool
		unit        Unit
		wantInfoDir Direction
	}{
		{give: "snapshot.retained.live_heap_bytes", label: "retained", fld: SnapLiveHeapBytes, ok: true, unit: Bytes, wantInfoDir: LowerIsBetter},
		{give: "snapshot.after_1000_trades.heap_objects", label: "after_1000_trades", fld: SnapHeapObjects, ok: true, unit: Count, wantInfoDir: LowerIsBetter},
		{give: "snapshot.x.goroutines", label: "x", fld: SnapGoroutines, ok: true, unit: Count, wantInfoDir: LowerIsBetter},
		{give: "snapshot.retained.peak_heap_bytes"},
		{give: "snapshot..live_heap_bytes"},
		{give: "snapshot.Bad.live_heap_bytes"},
		{give: "snapshot.retained"},
		{give: "peak_heap_bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			label, fld, ok := ParseSnapshotName(tt.give)
			if ok != tt.ok || label != tt.label && ok || fld != tt.fld && ok {
				t.Fatalf("ParseSnapshotName = %q %q %v, want %q %q %v", label, fld, ok, tt.label, tt.fld, tt.ok)
			}
			info, found := Lookup(tt.give)
			if tt.give == "peak_heap_bytes" {
				return
			}
			if found != tt.ok || found && (info.Unit != tt.unit || info.Direction != tt.wantInfoDir || info.Name != tt.give) {
				t.Errorf("Lookup = %+v %v", info, found)
			}
			if ok && SnapshotName(label, fld) != tt.give {
				t.Errorf("SnapshotName round trip: %s", SnapshotName(label, fld))
			}
		})
	}
}

func TestTextRoundTrip(t *testing.T) {
	for u := Count; u <= Ratio; u++ {
		b, _ := u.MarshalText()
		var got Unit
		if err := got.UnmarshalText(b); err != nil || got != u {
			t.Errorf("unit %v: round trip %q -> %v, %v", u, b, got, err)
		}
	}
	for _, d := range []Direction{Neither, LowerIsBetter, HigherIsBetter} {
		b, _ := d.MarshalText()
		var got Direction
		if err := got.UnmarshalText(b); err != nil || got != d {
			t.Errorf("direction %v: round trip %q -> %v, %v", d, b, got, err)
		}
	}
	var u Unit
	if err := u.UnmarshalText([]byte("furlongs")); err == nil {
		t.Error("unknown unit accepted")
	}
}
