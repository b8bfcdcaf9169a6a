package scenarios

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"

	"gopkg.in/yaml.v3"
)

// Format writes a scenario as canonical schema-v1 YAML: every key in schema order, run and
// leak settings spelled out, params sorted. Parse(Format(s)) yields the same scenario.
func Format(s *Scenario) ([]byte, error) {
	root := mapNode()
	add(root, "name", strNode(s.Name))
	if s.Description != "" {
		add(root, "description", strNode(s.Description))
	}
	add(root, "workload", strNode(s.Workload))
	if len(s.Params) > 0 {
		p, err := paramsNode(s.Params)
		if err != nil {
			return nil, err
		}
		add(root, "params", p)
	}
	vars := &yaml.Node{Kind: yaml.SequenceNode}
	for _, v := range s.Variants {
		vn := mapNode()
		add(vn, "name", strNode(v.Name))
		if len(v.Params) > 0 {
			p, err := paramsNode(v.Params)
			if err != nil {
				return nil, fmt.Errorf("variant %q: %w", v.Name, err)
			}
			add(vn, "params", p)
		}
		if v.ExpectLeak {
			add(vn, "expect_leak", &yaml.Node{Kind: yaml.ScalarNode, Tag: boolTag, Value: "true"})
		}
		vars.Content = append(vars.Content, vn)
	}
	add(root, "variants", vars)
	if s.Baseline != "" {
		add(root, "baseline", strNode(s.Baseline))
	}
	if len(s.Targets) > 0 {
		ts := &yaml.Node{Kind: yaml.SequenceNode}
		for _, t := range s.Targets {
			ts.Content = append(ts.Content, targetNode(t))
		}
		add(root, "targets", ts)
	}
	run := mapNode()
	add(run, "repetitions", intNode(s.Run.Repetitions))
	add(run, "warmup", intNode(s.Run.Warmup))
	add(run, "sample_interval", strNode(s.Run.SampleInterval.String()))
	add(run, "timeout", strNode(s.Run.Timeout.String()))
	add(run, "gogc", intNode(s.Run.GOGC))
	add(run, "memory_limit", strNode(s.Run.MemoryLimit.String()))
	add(run, "gomaxprocs", intNode(s.Run.GOMAXPROCS))
	if len(s.UserPrefixes) > 0 {
		ps := &yaml.Node{Kind: yaml.SequenceNode}
		for _, p := range s.UserPrefixes {
			ps.Content = append(ps.Content, strNode(p))
		}
		add(run, "user_prefixes", ps)
	}
	add(root, "run", run)
	if s.Leak.Judge {
		leak := mapNode()
		add(leak, "threshold", strNode(s.Leak.Threshold.String()))
		add(leak, "probe_runs", intNode(s.Leak.ProbeRuns))
		add(root, "leak", leak)
	}

	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		return nil, fmt.Errorf("scenarios: format %s: %w", s.Name, err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("scenarios: format %s: %w", s.Name, err)
	}
	return b.Bytes(), nil
}

func mapNode() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }

func add(m *yaml.Node, key string, v *yaml.Node) {
	m.Content = append(m.Content, strNode(key), v)
}

func strNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: strTag, Value: s}
}

func intNode(i int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: intTag, Value: strconv.Itoa(i)}
}

// paramsNode writes params sorted by name, keeping each value's type on re-reading
// (a whole float64 is written 2.0, not 2).
func paramsNode(p map[string]any) (*yaml.Node, error) {
	names := make([]string, 0, len(p))
	for k := range p {
		names = append(names, k)
	}
	sort.Strings(names)
	m := mapNode()
	m.Style = yaml.FlowStyle
	for _, k := range names {
		var v *yaml.Node
		switch x := p[k].(type) {
		case int:
			v = intNode(x)
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return nil, fmt.Errorf("param %q: %v is not a finite number", k, x)
			}
			text := strconv.FormatFloat(x, 'g', -1, 64)
			if looksInteger(text) {
				text += ".0"
			}
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: floatTag, Value: text}
		case string:
			v = strNode(x)
		case bool:
			v = &yaml.Node{Kind: yaml.ScalarNode, Tag: boolTag, Value: strconv.FormatBool(x)}
		default:
			return nil, fmt.Errorf("param %q has type %T; want int, float64, string or bool", k, x)
		}
		add(m, k, v)
	}
	return m, nil
}

func targetNode(t Target) *yaml.Node {
	n := mapNode()
	add(n, "metric", strNode(t.Metric))
	u := Metrics[t.Metric]
	if t.Reduction != nil {
		add(n, "reduction", strNode(t.Reduction.String()))
	}
	if t.Increase != nil {
		add(n, "increase", strNode(t.Increase.String()))
	}
	if t.Max != nil {
		add(n, "max", boundNode(u, *t.Max))
	}
	if t.Min != nil {
		add(n, "min", boundNode(u, *t.Min))
	}
	vs := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
	for _, v := range t.Variants {
		vs.Content = append(vs.Content, strNode(v))
	}
	if len(vs.Content) > 0 {
		add(n, "variants", vs)
	}
	if t.Expect != "" {
		add(n, "expect", strNode(t.Expect))
	}
	return n
}

// boundNode writes a target bound so that it reads back exactly: sizes for whole byte
// values, otherwise plain numbers (seconds for time metrics).
func boundNode(u Unit, v float64) *yaml.Node {
	if (u == Bytes || u == BytesPerSecond) && v >= 0 && v == math.Trunc(v) && v < 1<<63 {
		return strNode(Size(int64(v)).String())
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: floatTag, Value: strconv.FormatFloat(v, 'g', -1, 64)}
}
