package scenarios

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// fakeParam describes one param of the fake catalog.
type fakeParam struct {
	typ    string // int, float, string, bool
	lo, hi float64
	enum   []string
}

// fakeCatalog is a tiny Catalog standing in for *workloads.Registry.
type fakeCatalog map[string]map[string]fakeParam

var testCatalog = fakeCatalog{
	"trade-churn": {
		"trades":     {typ: "int", lo: 1, hi: 100000000},
		"retain":     {typ: "int", lo: 0, hi: 100000000},
		"symbols":    {typ: "int", lo: 1, hi: 10000},
		"exchanges":  {typ: "int", lo: 1, hi: 16},
		"seed":       {typ: "int", lo: -1 << 62, hi: 1 << 62},
		"layout":     {typ: "string", enum: []string{"naive", "compact"}},
		"alloc":      {typ: "string", enum: []string{"naive", "pooled"}},
		"leak_every": {typ: "int", lo: 0, hi: 1000000},
		"ratio":      {typ: "float", lo: 0, hi: 1},
		"verbose":    {typ: "bool"},
		"note":       {typ: "string"},
	},
	"message-pipeline": {
		"messages": {typ: "int", lo: 1, hi: 100000000},
		"workers":  {typ: "int", lo: 0, hi: 1024},
		"mode":     {typ: "string", enum: []string{"goroutine", "pool"}},
		"batch":    {typ: "int", lo: 1, hi: 10000},
		"rate":     {typ: "float", lo: 0, hi: 1e9},
	},
}

func (c fakeCatalog) KindNames() []string {
	names := make([]string, 0, len(c))
	for k := range c {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func (c fakeCatalog) HasKind(kind string) bool { _, ok := c[kind]; return ok }

func (c fakeCatalog) CheckParam(kind, name string, value any) error {
	params, ok := c[kind]
	if !ok {
		return fmt.Errorf("unknown workload %q", kind)
	}
	p, ok := params[name]
	if !ok {
		names := make([]string, 0, len(params))
		for n := range params {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("unknown param %q for %s; allowed: %s", name, kind, strings.Join(names, ", "))
	}
	switch p.typ {
	case "int":
		i, ok := value.(int)
		if !ok || float64(i) < p.lo || float64(i) > p.hi {
			return fmt.Errorf("param %q must be an int in [%g, %g], got %#v", name, p.lo, p.hi, value)
		}
	case "float":
		var f float64
		switch v := value.(type) {
		case int:
			f = float64(v)
		case float64:
			f = v
		default:
			return fmt.Errorf("param %q must be a number in [%g, %g], got %#v", name, p.lo, p.hi, value)
		}
		if f < p.lo || f > p.hi {
			return fmt.Errorf("param %q must be a number in [%g, %g], got %v", name, p.lo, p.hi, f)
		}
	case "string":
		s, ok := value.(string)
		if !ok || (len(p.enum) > 0 && !slices.Contains(p.enum, s)) {
			if len(p.enum) > 0 {
				return fmt.Errorf("param %q must be one of %s, got %#v", name, strings.Join(p.enum, ", "), value)
			}
			return fmt.Errorf("param %q must be text, got %#v", name, value)
		}
	case "bool":
		if _, ok := value.(bool); !ok {
			return fmt.Errorf("param %q must be true or false, got %#v", name, value)
		}
	}
	return nil
}
