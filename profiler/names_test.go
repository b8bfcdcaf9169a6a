package profiler

import (
	"encoding/json"
	"testing"

	"github.com/memprism/memprism/metric"
)

// TestSummaryNamesMatchCatalogue keeps one meaning per name: a Summary JSON
// key that is also a report metric must be one Metrics exports under that
// name (measured the same way), and every Metrics name is in the catalogue.
func TestSummaryNamesMatchCatalogue(t *testing.T) {
	data, err := json.Marshal(Summary{})
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(data, &keys); err != nil {
		t.Fatal(err)
	}
	exported := Summary{}.Metrics()
	for name := range exported {
		if _, ok := metric.Lookup(name); !ok {
			t.Errorf("Summary.Metrics exports %s, which the catalogue lacks", name)
		}
	}
	for key := range keys {
		if _, clash := metric.Lookup(key); !clash {
			continue
		}
		if _, same := exported[key]; !same {
			t.Errorf("Summary's JSON key %s names a report metric but is not that metric: rename it", key)
		}
	}
}
