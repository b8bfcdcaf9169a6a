package metric

import "testing"

// TestAllowedEveryMetric checks that every catalogue metric's range holds
// 0 and excludes -1 unless the metric is a difference, and excludes 1e308.
func TestAllowedEveryMetric(t *testing.T) {
	for _, m := range All() {
		if err := m.CheckValue(0); err != nil {
			t.Errorf("%s: 0 refused: %v", m.Name, err)
		}
		if err := m.CheckValue(-1); (err == nil) != m.CanBeNegative() {
			t.Errorf("%s: -1 accepted=%t, CanBeNegative=%t", m.Name, err == nil, m.CanBeNegative())
		}
		if err := m.CheckValue(1e308); err == nil {
			t.Errorf("%s: 1e308 accepted", m.Name)
		}
	}
}
