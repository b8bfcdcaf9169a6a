package scenarios

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/memprism/memprism/internal/names"
)

// YAML short tags as yaml.v3 reports them.
const (
	nullTag  = "!!null"
	boolTag  = "!!bool"
	strTag   = "!!str"
	intTag   = "!!int"
	floatTag = "!!float"
	mergeTag = "!!merge"
	timeTag  = "!!timestamp"
)

// Allowed keys at each level of a scenario file, in the order the schema documents them.
var (
	topKeys     = []string{"name", "description", "workload", "params", "variants", "baseline", "targets", "run", "leak", "quick"}
	quickKeys   = []string{"params", "targets"}
	variantKeys = []string{"name", "params", "expect_leak"}
	targetKeys  = []string{"metric", "reduction", "increase", "max", "min", "variants", "expect"}
	runKeys     = []string{"repetitions", "warmup", "sample_interval", "timeout", "gogc", "memory_limit", "gomaxprocs", "user_prefixes"}
	leakKeys    = []string{"threshold", "probe_runs"}
)

// namePattern is what scenario and variant names look like (the rules
// report readers check too, in internal/names).
var namePattern = names.Pattern

// maxNameLen is the longest scenario or variant name.
const maxNameLen = names.MaxLen

// Limits that keep hostile input (alias bombs, deep merges) cheap.
const (
	mergeDepth  = 8
	visitBudget = 200000
)

// Parse decodes and validates one scenario file. source names the file in errors and in
// Scenario.Source. Every problem is reported, each as an *Error "file:line:col: msg",
// joined with errors.Join. c may be nil to check only the schema (workload kinds and
// params are then not checked).
func Parse(source string, data []byte, c Catalog) (sc *Scenario, err error) {
	d := &decoder{errs: errorList{file: source}, catalog: c, budget: visitBudget}
	defer func() {
		// yaml.v3 or this decoder must never take the caller down with a bad file.
		if r := recover(); r != nil {
			sc, err = nil, &Error{File: source, Line: 1, Col: 1, Msg: fmt.Sprintf("internal error while parsing (please report): %v", r)}
		}
	}()
	root := d.document(data)
	if root == nil {
		return nil, d.errs.err()
	}
	sc = d.scenario(root)
	sc.Source = source
	if err := d.errs.err(); err != nil {
		return nil, err
	}
	return sc, nil
}

// decoder walks a yaml.Node tree, collecting errors.
type decoder struct {
	errs      errorList
	catalog   Catalog
	budget    int  // node visits left through aliases and merges
	exhausted bool // budget ran out (reported once)
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs.add(pos(n), format, args...)
}

func pos(n *yaml.Node) position {
	if n == nil {
		return position{1, 1}
	}
	return position{n.Line, n.Column}
}

// document checks the raw bytes and decodes exactly one YAML document, returning its
// root node (aliases resolved) or nil after reporting why there is none.
func (d *decoder) document(data []byte) *yaml.Node {
	if len(data) > MaxFileSize {
		d.errs.add(position{1, 1}, "file is %d bytes; a scenario file may be at most %d bytes", len(data), MaxFileSize)
		return nil
	}
	if p, msg, bad := checkText(data); bad {
		d.errs.add(p, "%s", msg)
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.errs.add(position{1, 1}, "empty file; a scenario needs at least name, workload and variants")
		} else {
			d.syntaxError(data, err)
		}
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		d.syntaxError(data, err)
		return nil
	default:
		d.errs.add(documentStart(data, next.Line), "a second YAML document starts here; a scenario file holds exactly one document (remove the extra ---)")
		return nil
	}
	if len(doc.Content) == 0 {
		d.errs.add(position{1, 1}, "empty file; a scenario needs at least name, workload and variants")
		return nil
	}
	root := d.deref(doc.Content[0])
	if root.Kind == yaml.ScalarNode && root.ShortTag() == nullTag {
		d.errs.add(pos(root), "empty document; a scenario needs at least name, workload and variants")
		return nil
	}
	if root.Kind != yaml.MappingNode {
		d.errorf(root, "the top level must be a mapping of keys (%s), got %s", allowedList(topKeys), describe(root))
		return nil
	}
	return root
}

// documentStart finds the "---" line that opens the document whose content starts at
// line, so that the error points at the marker; it falls back to line itself.
func documentStart(data []byte, line int) position {
	lines := strings.Split(string(data), "\n")
	for i := min(line, len(lines)) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "---") {
			return position{i + 1, 1}
		}
	}
	return position{line, 1}
}

// checkText rejects what YAML cannot contain: invalid UTF-8 and control characters.
func checkText(data []byte) (position, string, bool) {
	p := position{1, 1}
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return p, fmt.Sprintf("invalid UTF-8 (byte 0x%02x at offset %d); a scenario file must be UTF-8 text, is this a binary file?", data[i], i), true
		case r == '\n':
			p.line, p.col = p.line+1, 0
		case r == '\t' || r == '\r' || r == 0x85:
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0xfffe || r == 0xffff:
			return p, fmt.Sprintf("control character %U is not allowed in YAML; a scenario file must be printable UTF-8 text, is this a binary file?", r), true
		}
		p.col++
		i += size
	}
	return p, "", false
}

// yamlLine matches the position yaml.v3 puts in its syntax errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError reports a yaml.v3 parse error, explaining tab indentation specially.
func (d *decoder) syntaxError(data []byte, err error) {
	msg := err.Error()
	line := 0
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	limit := line + 1 // yaml.v3 may name the line before the offending one
	if line == 0 || strings.Contains(msg, "tab") {
		limit = 0
	}
	if p, ok := tabIndent(data, limit); ok {
		d.errs.add(p, "tab character in indentation; YAML forbids tabs for indentation, indent with spaces")
		return
	}
	d.errs.add(position{line, 1}, "invalid YAML: %s", msg)
}

// tabIndent finds the first line at or before line (any line when line is 0) whose
// indentation contains a tab, and the tab's position.
func tabIndent(data []byte, line int) (position, bool) {
	for i, l := range strings.Split(string(data), "\n") {
		if line > 0 && i+1 > line {
			break
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]
		if strings.TrimSpace(l) == "" {
			continue
		}
		if j := strings.IndexByte(indent, '\t'); j >= 0 {
			return position{i + 1, j + 1}, true
		}
	}
	return position{}, false
}

// describe names a node's kind for "got ..." messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.DocumentNode:
		return "a document"
	}
	switch n.ShortTag() {
	case nullTag:
		return "null (no value)"
	case boolTag:
		return "boolean " + n.Value
	case intTag:
		return "integer " + n.Value
	case floatTag:
		return "number " + n.Value
	}
	v := n.Value
	if len(v) > 40 {
		v = v[:37] + "..."
	}
	return strconv.Quote(v)
}

// deref follows aliases to the anchored node.
func (d *decoder) deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 8; i++ {
		n = n.Alias
	}
	return n
}

// spend charges n node visits against the budget, reporting exhaustion once.
func (d *decoder) spend(at *yaml.Node, n int) bool {
	d.budget -= n
	if d.budget < 0 {
		if !d.exhausted {
			d.exhausted = true
			d.errs.addAlways(pos(at), "document too complex: alias and merge expansion exceeds %d nodes; simplify the anchors", visitBudget)
		}
		return false
	}
	return true
}

// field is one key of a mapping, after merges.
type field struct {
	key, val *yaml.Node // val is dereferenced
	use      *yaml.Node // val as written (maybe an alias), for positions
}

// mapping returns the entries of mapping n with "<<" merge keys resolved (explicit keys win,
// then earlier merge sources). It reports duplicate keys, non-scalar keys and, when allowed
// is not nil, keys not in allowed.
func (d *decoder) mapping(n *yaml.Node, what string, allowed []string) []field {
	return d.mappingDepth(n, what, allowed, 0)
}

func (d *decoder) mappingDepth(n *yaml.Node, what string, allowed []string, depth int) []field {
	if !d.spend(n, len(n.Content)/2+1) {
		return nil
	}
	var out []field
	seen := map[string]*yaml.Node{}
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == mergeTag {
			merges = append(merges, v)
			continue
		}
		kd := d.deref(k)
		if kd.Kind != yaml.ScalarNode || kd.ShortTag() == nullTag {
			d.errorf(k, "keys of %s must be plain names, got %s", what, describe(kd))
			continue
		}
		name := kd.Value
		if first, dup := seen[name]; dup {
			d.errorf(k, "duplicate key %q in %s; first set at line %d:%d", name, what, first.Line, first.Column)
			continue
		}
		seen[name] = k
		if allowed != nil && !slices.Contains(allowed, name) {
			d.errorf(k, "unknown key %q in %s%s; allowed: %s", name, what, suggest(name, allowed), allowedList(allowed))
			continue
		}
		out = append(out, field{key: kd, val: d.deref(v), use: v})
	}
	for _, m := range merges {
		for _, src := range d.mergeSources(m, what) {
			if depth >= mergeDepth {
				d.errorf(m, "merge keys (<<) nested more than %d deep in %s", mergeDepth, what)
				return out
			}
			for _, f := range d.mappingDepth(src, what, allowed, depth+1) {
				name := d.deref(f.key).Value
				if _, dup := seen[name]; dup {
					continue
				}
				seen[name] = f.key
				out = append(out, f)
			}
		}
	}
	return out
}

// mergeSources returns the mappings a "<<" value names: one mapping or a list of them.
func (d *decoder) mergeSources(v *yaml.Node, what string) []*yaml.Node {
	v = d.deref(v)
	switch v.Kind {
	case yaml.MappingNode:
		return []*yaml.Node{v}
	case yaml.SequenceNode:
		var out []*yaml.Node
		for _, item := range v.Content {
			if m := d.deref(item); m.Kind == yaml.MappingNode {
				out = append(out, m)
			} else {
				d.errorf(item, "a merge key (<<) in %s takes mappings, got %s", what, describe(m))
			}
		}
		return out
	}
	d.errorf(v, "a merge key (<<) in %s takes a mapping or a list of mappings, got %s", what, describe(v))
	return nil
}

// lookup returns the field called name, or nil.
func lookup(fields []field, name string) *field {
	for i := range fields {
		if fields[i].key.Value == name {
			return &fields[i]
		}
	}
	return nil
}

// isNull reports whether a value is YAML null (`key:` with nothing, ~ or null).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == nullTag
}

// scenario decodes the top-level mapping.
func (d *decoder) scenario(root *yaml.Node) *Scenario {
	fields := d.mapping(root, "a scenario", topKeys)
	sc := &Scenario{Run: DefaultRun, Leak: DefaultLeak}

	if f := lookup(fields, "name"); f == nil || isNull(f.val) {
		d.errorf(keyOr(f, root), "name is required: a scenario name of lowercase letters, digits and '-'")
	} else {
		sc.Name = d.name(f, "scenario")
		sc.namePos = pos(f.use)
	}
	if f := lookup(fields, "description"); f != nil && !isNull(f.val) {
		sc.Description, _ = d.str(f, "description")
	}
	kindOK := false
	if f := lookup(fields, "workload"); f == nil || isNull(f.val) {
		d.errorf(keyOr(f, root), "workload is required%s", d.kindsAllowed())
	} else if kind, ok := d.str(f, "workload"); ok {
		sc.Workload = kind
		switch {
		case d.catalog == nil:
			kindOK = true
		case d.catalog.HasKind(kind):
			kindOK = true
		default:
			names := d.catalog.KindNames()
			d.errorf(f.use, "unknown workload %q%s; allowed: %s", kind, suggest(kind, names), allowedList(names))
		}
	}
	kind := ""
	if kindOK {
		kind = sc.Workload
	}
	before := len(d.errs.errs)
	sc.paramsPos = pos(root)
	if f := lookup(fields, "params"); f != nil {
		sc.Params = d.params(f, kind, "params")
		sc.paramsPos = pos(f.key)
	}
	if sc.Params == nil {
		sc.Params = map[string]any{}
	}
	f := lookup(fields, "variants")
	if f == nil || isNull(f.val) {
		d.errorf(keyOr(f, root), "variants is required: a list of at least one variant, each with a name and optional params")
	} else {
		sc.Variants = d.variants(f, kind)
	}
	if kind != "" && len(d.errs.errs) == before {
		d.checkParams(sc, kind)
	}
	d.baseline(sc, lookup(fields, "baseline"), keyOr(f, root))
	if f := lookup(fields, "targets"); f != nil && !isNull(f.val) {
		sc.Targets = d.targets(f, sc)
	}
	if f := lookup(fields, "run"); f != nil && !isNull(f.val) {
		d.run(f, &sc.Run, &sc.UserPrefixes)
	}
	if f := lookup(fields, "leak"); f != nil && !isNull(f.val) {
		d.leak(f, &sc.Leak)
		sc.Leak.Judge = true
		if sc.Leak.ProbeRuns == 0 {
			for _, v := range sc.Variants {
				if v.ExpectLeak {
					d.errorf(f.key, "leak probe_runs is 0 (leaks not judged) but variant %q has expect_leak: true; give probe_runs 1 or more", v.Name)
					break
				}
			}
		}
	}
	if f := lookup(fields, "quick"); f != nil && !isNull(f.val) {
		sc.Quick = d.quick(f, sc, kind)
	}
	return sc
}

// quick decodes the quick: block: params and targets used by `run -quick`.
func (d *decoder) quick(f *field, sc *Scenario, kind string) *QuickSettings {
	if f.val.Kind != yaml.MappingNode {
		d.errorf(f.use, "quick must be a mapping with keys %s, got %s", allowedList(quickKeys), describe(f.val))
		return nil
	}
	q := &QuickSettings{}
	fields := d.mapping(f.val, "quick", quickKeys)
	if pf := lookup(fields, "params"); pf != nil {
		q.Params = d.params(pf, kind, "quick params")
	}
	if tf := lookup(fields, "targets"); tf != nil {
		q.Targets = []Target{} // present: replaces the targets, even when empty
		if !isNull(tf.val) {
			if ts := d.targets(tf, sc); ts != nil {
				q.Targets = ts
			}
		}
	}
	return q
}

// checkParams runs the catalog's whole-params check (ParamsChecker) on each
// variant's merged params: its error is a load error, its warnings go to
// sc.Warnings. A problem the shared params have on their own is placed at
// them, once; another at the variant's params (or name).
func (d *decoder) checkParams(sc *Scenario, kind string) {
	pc, ok := d.catalog.(ParamsChecker)
	if !ok {
		return
	}
	shared := map[string]bool{}
	if ws, err := pc.CheckParams(kind, sc.Params); err != nil || len(ws) > 0 {
		for _, p := range problemLines(ws, err) {
			shared[p] = true
		}
	}
	warns := errorList{file: d.errs.file}
	report := func(at position, prefix, msg string, warning bool) {
		if warning {
			warns.add(at, "%s: %s", prefix, msg)
		} else {
			d.errs.add(at, "%s: %s", prefix, msg)
		}
	}
	for _, v := range sc.Variants {
		ws, err := pc.CheckParams(kind, sc.VariantParams(v.Name))
		for i, msg := range problemLines(ws, err) {
			warning := i < len(ws)
			if shared[msg] {
				report(sc.paramsPos, "params", msg, warning)
			} else {
				report(v.paramsPos, fmt.Sprintf("variant %q params", v.Name), msg, warning)
			}
		}
	}
	for _, e := range Errors(warns.err()) {
		e.Warning = true
		sc.Warnings = append(sc.Warnings, e)
	}
}

// problemLines returns the warnings' texts, then the lines of err.
func problemLines(warnings []error, err error) []string {
	var out []string
	for _, w := range warnings {
		out = append(out, w.Error())
	}
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			if line != "" {
				out = append(out, line)
			}
		}
	}
	return out
}

// keyOr returns f's key node, or fallback when f is nil (for "missing key" positions).
func keyOr(f *field, fallback *yaml.Node) *yaml.Node {
	if f != nil {
		return f.key
	}
	return fallback
}

func (d *decoder) kindsAllowed() string {
	if d.catalog == nil {
		return ""
	}
	return "; allowed: " + allowedList(d.catalog.KindNames())
}

// str reads a scalar as text; any non-null scalar is accepted as written.
func (d *decoder) str(f *field, what string) (string, bool) {
	if f.val.Kind != yaml.ScalarNode || isNull(f.val) {
		d.errorf(f.use, "%s must be text, got %s", what, describe(f.val))
		return "", false
	}
	return f.val.Value, true
}

// name reads and checks a scenario or variant name.
func (d *decoder) name(f *field, what string) string {
	s, ok := d.str(f, what+" name")
	if !ok {
		return ""
	}
	switch {
	case len(s) > maxNameLen:
		d.errorf(f.use, "%s name is %d characters long; at most %d allowed", what, len(s), maxNameLen)
	case !namePattern.MatchString(s):
		d.errorf(f.use, "%s name %q is invalid; allowed: lowercase letters a-z, digits 0-9 and '-', starting with a letter or digit", what, s)
	}
	return s
}

// params decodes a params mapping and checks each value with the catalog (when kind is known).
func (d *decoder) params(f *field, kind, what string) map[string]any {
	if isNull(f.val) {
		return nil
	}
	if f.val.Kind != yaml.MappingNode {
		d.errorf(f.use, "%s must be a mapping of param names to values, e.g. {trades: 1000}, got %s", what, describe(f.val))
		return nil
	}
	out := map[string]any{}
	for _, p := range d.mapping(f.val, what, nil) {
		name := d.deref(p.key).Value
		v, ok := d.scalar(p.val, p.use, fmt.Sprintf("param %q", name))
		if !ok {
			continue
		}
		out[name] = v
		if kind != "" && d.catalog != nil {
			if err := d.catalog.CheckParam(kind, name, v); err != nil {
				d.errorf(p.key, "%v", err)
			}
		}
	}
	return out
}

// scalar converts a param value: int, float64, string or bool. An integer
// beyond int is a float64 here (the param's check says whether that is out
// of range); non-scalars are errors.
func (d *decoder) scalar(n, use *yaml.Node, what string) (any, bool) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(use, "%s must be a single value (integer, number, text or boolean), got %s", what, describe(n))
		return nil, false
	}
	switch tag := n.ShortTag(); tag {
	case nullTag:
		d.errorf(use, "%s has no value (null); give an integer, number, text or boolean", what)
		return nil, false
	case strTag, timeTag:
		return n.Value, true
	case boolTag:
		var b bool
		if err := n.Decode(&b); err != nil {
			d.errorf(use, "%s: %v", what, yamlMsg(err))
			return nil, false
		}
		return b, true
	case intTag:
		var big any
		if err := n.Decode(&big); err == nil {
			if u, ok := big.(uint64); ok {
				return u, true // past int64: the param's check says whether that is out of range
			}
		}
		i, err := d.intValue(n)
		if err != nil {
			d.errorf(use, "%s %v", what, err)
			return nil, false
		}
		return i, true
	case floatTag:
		// An integer past int64 (YAML reads it as a float) is a number: the
		// param's type decides whether that is out of range (an int) or fine
		// (a float).
		var f float64
		if err := n.Decode(&f); err != nil {
			d.errorf(use, "%s: %v", what, yamlMsg(err))
			return nil, false
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			d.errorf(use, "%s is %s; give a finite number", what, n.Value)
			return nil, false
		}
		return f, true
	default:
		d.errorf(use, "%s has unsupported tag %s; allowed: plain integers, numbers, text and booleans", what, tag)
		return nil, false
	}
}

// looksInteger reports whether text is written as an integer (digits, maybe signed,
// maybe with '_'), which yaml.v3 turns into a float when it overflows int64.
func looksInteger(text string) bool {
	t := strings.TrimLeft(text, "+-")
	if t == "" {
		return false
	}
	for _, c := range t {
		if (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// intValue decodes an !!int scalar into int, reporting overflow clearly.
func (d *decoder) intValue(n *yaml.Node) (int, error) {
	var v any
	if err := n.Decode(&v); err != nil {
		return 0, fmt.Errorf("is not an integer: %v", yamlMsg(err))
	}
	switch x := v.(type) {
	case int:
		return x, nil
	case int64:
		if x >= math.MinInt && x <= math.MaxInt {
			return int(x), nil
		}
	}
	return 0, fmt.Errorf("%s is out of range: integers must lie in [%d, %d]", n.Value, math.MinInt, math.MaxInt)
}

// wholeOutside reports whether text is a whole number outside [lo, hi]
// written as a float (1e19), which is a range mistake, not a type mistake.
func wholeOutside(text string, lo, hi int) bool {
	f, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimSpace(text), "_", ""), 64)
	return err == nil && f == math.Trunc(f) && (f < float64(lo) || f > float64(hi))
}

// yamlMsg strips yaml.v3's prefixes from a decode error.
func yamlMsg(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		return strings.Join(te.Errors, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}

// integer reads an integer setting and checks it against [lo, hi].
func (d *decoder) integer(f *field, what string, lo, hi int) (int, bool) {
	n := f.val
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != intTag && !(n.ShortTag() == floatTag && (looksInteger(n.Value) || wholeOutside(n.Value, lo, hi))) && !numberOverflows(n.Value)) {
		d.errorf(f.use, "%s must be an integer in [%d, %d], got %s", what, lo, hi, describe(n))
		return 0, false
	}
	if n.ShortTag() != intTag {
		// An integer past int64 (YAML reads it as a float), a whole float,
		// or a number past any float (1e400, which YAML reads as text).
		d.errorf(f.use, "%s %s is out of range: it must be an integer in [%d, %d]", what, n.Value, lo, hi)
		return 0, false
	}
	i, err := d.intValue(n)
	if err != nil || i < lo || i > hi {
		d.errorf(f.use, "%s %s is out of range: it must be an integer in [%d, %d]", what, n.Value, lo, hi)
		return 0, false
	}
	return i, true
}

// durationSyntax is the part of duration errors that says what is allowed.
const durationSyntax = "durations use Go syntax (time.ParseDuration), e.g. 250us, 1ms, 1.5s, 1m30s"

// durationText is Go's duration syntax (time.ParseDuration).
var durationText = regexp.MustCompile(`^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$`)

func parseDuration(text string) (time.Duration, error) {
	t := strings.TrimSpace(text)
	dur, err := time.ParseDuration(t)
	switch {
	case err != nil && durationText.MatchString(t):
		// Written as a duration, refused: longer than time.Duration holds.
		return 0, outOfRange(fmt.Sprintf("%q is out of range: durations are at most 2562047h47m16.854775807s (about 292 years)", text))
	case err != nil:
		return 0, fmt.Errorf("%q is not a duration; %s", text, durationSyntax)
	}
	return dur, nil
}

// duration reads a Go duration setting and checks it against [lo, hi] (hi 0: no bound).
func (d *decoder) duration(f *field, what string, lo, hi time.Duration) (time.Duration, bool) {
	n := f.val
	if n.Kind != yaml.ScalarNode || n.ShortTag() != strTag {
		d.errorf(f.use, "%s must be a duration with a unit, got %s; %s", what, describe(n), durationSyntax)
		return 0, false
	}
	dur, err := parseDuration(n.Value)
	if err != nil {
		d.errorf(f.use, "%s: %v", what, err)
		return 0, false
	}
	if dur < lo || (hi > 0 && dur > hi) {
		if hi > 0 && lo <= time.Nanosecond {
			d.errorf(f.use, "%s %s is out of range; it must be above 0 and at most %s", what, n.Value, hi)
		} else if hi > 0 {
			d.errorf(f.use, "%s %s is out of range; allowed: %s to %s", what, n.Value, lo, hi)
		} else if lo <= time.Nanosecond {
			d.errorf(f.use, "%s %s is out of range; it must be above 0", what, n.Value)
		} else {
			d.errorf(f.use, "%s %s is out of range; it must be at least %s", what, n.Value, lo)
		}
		return 0, false
	}
	return dur, true
}

// size reads a size setting.
func (d *decoder) size(f *field, what string) (Size, bool) {
	n := f.val
	if n.Kind != yaml.ScalarNode || isNull(n) || n.ShortTag() == boolTag {
		d.errorf(f.use, "%s must be a size, got %s; %s", what, describe(n), sizeSyntax)
		return 0, false
	}
	s, err := sizeOf(n)
	if err != nil {
		d.errorf(f.use, "%s: %v", what, err)
		return 0, false
	}
	return s, true
}

// sizeOf reads a scalar as a size: a YAML integer in any notation yaml.v3 accepts
// (1_000, 0x400) or a size string.
func sizeOf(n *yaml.Node) (Size, error) {
	if n.ShortTag() != intTag {
		return ParseSize(n.Value)
	}
	var v any
	if err := n.Decode(&v); err != nil {
		return 0, fmt.Errorf("size %q: %s", n.Value, yamlMsg(err))
	}
	switch x := v.(type) {
	case int:
		if x < 0 {
			return 0, fmt.Errorf("size %q is negative; sizes are >= 0", n.Value)
		}
		return Size(x), nil
	case int64:
		if x < 0 {
			return 0, fmt.Errorf("size %q is negative; sizes are >= 0", n.Value)
		}
		return Size(x), nil
	}
	return 0, fmt.Errorf("size %q is too large; the maximum is %d bytes (about 8EiB)", n.Value, int64(math.MaxInt64))
}

// boolean reads true or false.
func (d *decoder) boolean(f *field, what string) (bool, bool) {
	n := f.val
	if n.Kind != yaml.ScalarNode || n.ShortTag() != boolTag {
		d.errorf(f.use, "%s must be true or false, got %s", what, describe(n))
		return false, false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		d.errorf(f.use, "%s: %v", what, yamlMsg(err))
		return false, false
	}
	return b, true
}

// variants decodes the variants list.
func (d *decoder) variants(f *field, kind string) []Variant {
	if f.val.Kind != yaml.SequenceNode {
		d.errorf(f.use, "variants must be a list of variants (- name: ...), got %s", describe(f.val))
		return nil
	}
	if len(f.val.Content) == 0 {
		d.errorf(f.use, "variants is empty; a scenario needs at least one variant")
		return nil
	}
	if !d.spend(f.val, len(f.val.Content)) {
		return nil
	}
	var out []Variant
	seen := map[string]*yaml.Node{}
	for i, item := range f.val.Content {
		n := d.deref(item)
		if n.Kind != yaml.MappingNode {
			d.errorf(item, "variant %d must be a mapping with keys %s, got %s", i+1, allowedList(variantKeys), describe(n))
			continue
		}
		what := fmt.Sprintf("variant %d", i+1)
		fields := d.mapping(n, what, variantKeys)
		var v Variant
		nf := lookup(fields, "name")
		if nf == nil || isNull(nf.val) {
			d.errorf(keyOr(nf, n), "%s needs a name (lowercase letters, digits and '-')", what)
		} else {
			v.Name = d.name(nf, "variant")
			v.namePos = pos(nf.use)
			if first, dup := seen[v.Name]; dup && v.Name != "" {
				d.errorf(nf.use, "duplicate variant name %q; first at line %d:%d; variant names must be unique", v.Name, first.Line, first.Column)
			} else {
				seen[v.Name] = nf.use
			}
			what = fmt.Sprintf("variant %q", v.Name)
		}
		v.paramsPos = pos(n)
		if nf != nil {
			v.paramsPos = pos(nf.key)
		}
		if pf := lookup(fields, "params"); pf != nil {
			v.Params = d.params(pf, kind, what+" params")
			v.paramsPos, v.hasParams = pos(pf.key), len(v.Params) > 0
		}
		if v.Params == nil {
			v.Params = map[string]any{}
		}
		if ef := lookup(fields, "expect_leak"); ef != nil && !isNull(ef.val) {
			v.ExpectLeak, _ = d.boolean(ef, "expect_leak")
		}
		out = append(out, v)
	}
	return out
}

// baseline reads and checks the baseline against the variants.
func (d *decoder) baseline(sc *Scenario, f *field, at *yaml.Node) {
	names := sc.VariantNames()
	if f == nil || isNull(f.val) {
		if len(sc.Variants) >= 2 {
			d.errorf(keyOr(f, at), "baseline is required with %d variants; allowed: %s", len(sc.Variants), allowedList(names))
		}
		return
	}
	b, ok := d.str(f, "baseline")
	if !ok {
		return
	}
	sc.Baseline = b
	if sc.Variants != nil && !slices.Contains(names, b) {
		d.errorf(f.use, "baseline %q is not a variant%s; allowed: %s", b, suggest(b, names), allowedList(names))
	}
}

// targets decodes the targets list and resolves each target's variants.
func (d *decoder) targets(f *field, sc *Scenario) []Target {
	if f.val.Kind != yaml.SequenceNode {
		d.errorf(f.use, "targets must be a list of targets (- metric: ...), got %s", describe(f.val))
		return nil
	}
	if !d.spend(f.val, len(f.val.Content)) {
		return nil
	}
	var out []Target
	for i, item := range f.val.Content {
		n := d.deref(item)
		if n.Kind != yaml.MappingNode {
			d.errorf(item, "target %d must be a mapping with keys %s, got %s", i+1, allowedList(targetKeys), describe(n))
			continue
		}
		if t, ok := d.target(n, i+1, sc); ok {
			out = append(out, t)
		}
	}
	return out
}

func (d *decoder) target(n *yaml.Node, index int, sc *Scenario) (Target, bool) {
	what := fmt.Sprintf("target %d", index)
	fields := d.mapping(n, what, targetKeys)
	var t Target
	ok := true
	mf := lookup(fields, "metric")
	unit := Count
	switch {
	case mf == nil || isNull(mf.val):
		d.errorf(keyOr(mf, n), "%s needs a metric; allowed: %s", what, allowedList(MetricNames()))
		ok = false
	default:
		m, isStr := d.str(mf, "metric")
		u, known := d.metricUnit(sc.Workload, m)
		if isStr && !known {
			names := d.metricNames(sc.Workload)
			d.errorf(mf.use, "unknown metric %q%s; allowed: %s, or snapshot.<label>.<%s> for a snapshot the workload takes",
				m, suggest(m, names), allowedList(names), strings.Join(snapshotFields(), "|"))
		}
		t.Metric, unit, ok = m, u, isStr && known
		if kinds, has := d.noLatency(sc.Workload, m); ok && !has {
			d.errorf(mf.use, "metric %s is measured per message, and workload %s measures no per-message latency; latency targets are allowed on the workloads %s",
				m, sc.Workload, allowedList(kinds))
			ok = false
		}
	}
	rf, maxf, minf := lookup(fields, "reduction"), lookup(fields, "max"), lookup(fields, "min")
	incf := lookup(fields, "increase")
	relative := rf
	if relative == nil {
		relative = incf
	}
	switch {
	case rf != nil && incf != nil:
		d.errorf(incf.key, "%s has both reduction and increase; a relative target is one of them: reduction for lower-is-better metrics, increase for higher-is-better ones", what)
		ok = false
	case relative != nil && (maxf != nil || minf != nil):
		d.errorf(relative.key, "%s has both %s and max/min; a target is either relative to the baseline (%s) or absolute max and/or min bounds", what, relative.key.Value, relative.key.Value)
		ok = false
	case relative == nil && maxf == nil && minf == nil:
		d.errorf(n, "%s needs reduction (e.g. 33%%), increase (e.g. 96%%), or max and/or min", what)
		ok = false
	case relative != nil:
		p, good := d.relativeTarget(relative)
		if rf != nil {
			t.Reduction = &p
		} else {
			t.Increase = &p
		}
		ok = ok && good
		if good && ok && !d.directionFits(relative, sc.Workload, t.Metric) {
			ok = false
		}
		if sc.Baseline == "" && len(sc.Variants) == 1 {
			d.errorf(relative.key, "a %s target needs a baseline to compare with, and this scenario has a single variant; add variants and a baseline, or use max/min", relative.key.Value)
			ok = false
		}
	default:
		if maxf != nil {
			v, good := d.bound(maxf, "max", t.Metric, unit, mf != nil && ok)
			t.Max, ok = &v, ok && good
		}
		if minf != nil {
			v, good := d.bound(minf, "min", t.Metric, unit, mf != nil && ok)
			t.Min, ok = &v, ok && good
		}
		if ok && t.Max != nil && t.Min != nil && *t.Max < *t.Min {
			d.errorf(maxf.key, "%s max %s is below min %s; max must be >= min", what, maxf.val.Value, minf.val.Value)
			ok = false
		}
	}
	if ef := lookup(fields, "expect"); ef != nil {
		e, good := d.expect(ef)
		t.Expect, ok = e, ok && good
	}
	relTarget := t.Reduction != nil || t.Increase != nil
	vars, good := d.targetVariants(lookup(fields, "variants"), relTarget, sc, what, n)
	t.Variants, ok = vars, ok && good
	return t, ok
}

// relativeTarget reads a reduction percentage in (0%, 100%) or an increase
// percentage above 0% (as 96% or 0.96; 100% doubles).
func (d *decoder) relativeTarget(f *field) (Percent, bool) {
	key := f.key.Value
	n := f.val
	if n.Kind != yaml.ScalarNode || isNull(n) || n.ShortTag() == boolTag {
		d.errorf(f.use, "%s must be a percentage such as 33%% or a fraction such as 0.33, got %s", key, describe(n))
		return 0, false
	}
	p, err := ParsePercent(n.Value)
	if err != nil {
		d.errorf(f.use, "%s: %v", key, err)
		return 0, false
	}
	if key == "increase" {
		if p <= 0 || p > MaxIncrease || (!strings.HasSuffix(strings.TrimSpace(n.Value), "%") && p >= 1) {
			d.errorf(f.use, "increase %s is out of range; allowed: more than 0%% and at most %s (as 96%% or 0.96; write 150%% for a 2.5x gain)", n.Value, Percent(MaxIncrease))
			return 0, false
		}
		return p, true
	}
	if p <= 0 || p >= 1 {
		d.errorf(f.use, "reduction %s is out of range; allowed: more than 0%% and less than 100%% (as 33%% or 0.33)", n.Value)
		return 0, false
	}
	return p, true
}

// expect reads a target's expected verdict: only "fail" (a negative control).
func (d *decoder) expect(f *field) (string, bool) {
	n := f.val
	if n.Kind != yaml.ScalarNode || isNull(n) || n.Value != ExpectFail {
		d.errorf(f.use, "expect must be %q (a negative control: a claim the data should refute), got %s", ExpectFail, describe(n))
		return "", false
	}
	return ExpectFail, true
}

// bound reads a max or min value in the metric's unit; checkUnit is false when the metric
// is unknown (the value is then only checked to be a scalar).
func (d *decoder) bound(f *field, what, metric string, u Unit, checkUnit bool) (float64, bool) {
	n := f.val
	if n.Kind != yaml.ScalarNode || isNull(n) || n.ShortTag() == boolTag {
		d.errorf(f.use, "%s must be a value, got %s", what, describe(n))
		return 0, false
	}
	if !checkUnit {
		return 0, false
	}
	var v float64
	var err error
	if tag := n.ShortTag(); (u == Bytes || u == BytesPerSecond) && tag == intTag {
		var sz Size
		sz, err = sizeOf(n)
		v = float64(sz)
	} else {
		v, err = parseMetricValue(u, n.Value, tag)
	}
	var oor outOfRange
	switch {
	case errors.As(err, &oor):
		d.errorf(f.use, "%s for %s: %v", what, metric, err)
		return 0, false
	case err != nil && (u == Bytes || u == BytesPerSecond) && strings.HasPrefix(strings.TrimSpace(n.Value), "-"):
		d.errorf(f.use, "%s %s is negative; a size in a target is >= 0", what, n.Value)
		return 0, false
	case err != nil:
		d.errorf(f.use, "%s %s is not a valid %s value for %s; %s", what, describe(n), u, metric, unitSyntax(u))
		return 0, false
	case u == Seconds && v < 0:
		d.errorf(f.use, "%s %s is negative; %s is a duration, >= 0", what, describe(n), metric)
		return 0, false
	case u == Ratio && (v < 0 || v > 1):
		d.errorf(f.use, "%s %s is outside [0, 1]; %s is a fraction: write 80%% or 0.8", what, describe(n), metric)
		return 0, false
	}
	// No run reports a value outside the metric's range (metric.Info.Allowed),
	// so a bound past it could never be met, or always would be.
	if err := checkAllowed(metric, u, v); err != nil {
		d.errorf(f.use, "%s %v", what, err)
		return 0, false
	}
	return v, true
}

// unitSyntax says how values of unit u are written.
func unitSyntax(u Unit) string {
	switch u {
	case Bytes:
		return sizeSyntax
	case BytesPerSecond:
		return "write a size per second such as 1MiB/s or a plain number of bytes per second"
	case Seconds:
		return "write a Go duration such as 100ms or 1.5s (time.ParseDuration syntax), or a plain number of seconds"
	}
	return "write a plain number"
}

// targetVariants reads a target's variants list, or resolves the default.
func (d *decoder) targetVariants(f *field, reduction bool, sc *Scenario, what string, at *yaml.Node) ([]string, bool) {
	names := sc.VariantNames()
	if f == nil || isNull(f.val) {
		var out []string
		for _, v := range names {
			if !reduction || v != sc.Baseline {
				out = append(out, v)
			}
		}
		if reduction && len(out) == 0 && len(names) > 0 {
			d.errorf(at, "%s: a reduction target has no variant to compare with the baseline %q", what, sc.Baseline)
			return nil, false
		}
		return out, true
	}
	if f.val.Kind != yaml.SequenceNode {
		d.errorf(f.use, "%s variants must be a list of variant names, e.g. [compact], got %s", what, describe(f.val))
		return nil, false
	}
	if len(f.val.Content) == 0 {
		d.errorf(f.use, "%s variants is empty; list variant names, or leave the key out to mean every variant", what)
		return nil, false
	}
	if !d.spend(f.val, len(f.val.Content)) {
		return nil, false
	}
	ok := true
	var out []string
	for _, item := range f.val.Content {
		n := d.deref(item)
		if n.Kind != yaml.ScalarNode || isNull(n) {
			d.errorf(item, "%s variants must be variant names, got %s", what, describe(n))
			ok = false
			continue
		}
		name := n.Value
		switch {
		case sc.Variants != nil && !slices.Contains(names, name):
			d.errorf(item, "%s names unknown variant %q%s; allowed: %s", what, name, suggest(name, names), allowedList(names))
			ok = false
		case reduction && name == sc.Baseline:
			d.errorf(item, "%s lists the baseline %q; a reduction compares other variants with the baseline", what, name)
			ok = false
		case slices.Contains(out, name):
			d.errorf(item, "%s lists variant %q twice", what, name)
			ok = false
		default:
			out = append(out, name)
		}
	}
	return out, ok
}

// run decodes the run settings over the defaults already in r.
func (d *decoder) run(f *field, r *RunSettings, userPrefixes *[]string) {
	if f.val.Kind != yaml.MappingNode {
		d.errorf(f.use, "run must be a mapping with keys %s, got %s", allowedList(runKeys), describe(f.val))
		return
	}
	for _, s := range d.mapping(f.val, "run", runKeys) {
		if isNull(s.val) {
			continue // `key:` with no value keeps the default
		}
		switch s.key.Value {
		case "repetitions":
			if v, ok := d.integer(&s, "repetitions", 1, MaxRepetitions); ok {
				r.Repetitions = v
			}
		case "warmup":
			if v, ok := d.integer(&s, "warmup", 0, MaxRepetitions); ok {
				r.Warmup = v
			}
		case "sample_interval":
			if v, ok := d.duration(&s, "sample_interval", MinSampleInterval, MaxSampleInterval); ok {
				r.SampleInterval = v
			}
		case "timeout":
			if v, ok := d.duration(&s, "timeout", time.Nanosecond, MaxTimeout); ok {
				r.Timeout = v
			}
		case "gogc":
			if s.val.Kind == yaml.ScalarNode && s.val.ShortTag() == strTag && strings.EqualFold(s.val.Value, "off") {
				r.GOGC = -1
			} else if v, ok := d.integer(&s, "gogc (-1 or off disables the collector; 0 collects continually)", -1, math.MaxInt32); ok {
				r.GOGC = v
			}
		case "memory_limit":
			if v, ok := d.size(&s, "memory_limit (0 = no limit)"); ok {
				r.MemoryLimit = v
			}
		case "gomaxprocs":
			if v, ok := d.integer(&s, "gomaxprocs (0 = leave alone)", 0, MaxGOMAXPROCS); ok {
				r.GOMAXPROCS = v
			}
		case "user_prefixes":
			*userPrefixes = d.userPrefixes(&s)
		}
	}
}

// userPrefixPattern is a Go package path: elements of letters, digits and
// "-._~", separated by single slashes.
var userPrefixPattern = regexp.MustCompile(`^[A-Za-z0-9_.~-]+(/[A-Za-z0-9_.~-]+)*$`)

// IsPackagePath reports whether s is a Go package path (or prefix of one):
// elements of letters, digits and "-._~" separated by single slashes.
func IsPackagePath(s string) bool { return userPrefixPattern.MatchString(s) }

// userPrefixes reads run.user_prefixes: a list of package path prefixes.
func (d *decoder) userPrefixes(f *field) []string {
	const what = "user_prefixes (a list of package paths such as example.com/svc)"
	if f.val.Kind != yaml.SequenceNode {
		d.errorf(f.use, "%s must be a list, got %s", what, describe(f.val))
		return nil
	}
	var out []string
	for _, item := range f.val.Content {
		if item.Kind != yaml.ScalarNode || isNull(item) || !IsPackagePath(item.Value) {
			d.errorf(item, "%s: %s is not a package path", what, describe(item))
			continue
		}
		out = append(out, item.Value)
	}
	return out
}

// leak decodes the leak settings over the defaults already in l.
func (d *decoder) leak(f *field, l *LeakSettings) {
	if f.val.Kind != yaml.MappingNode {
		d.errorf(f.use, "leak must be a mapping with keys %s, got %s", allowedList(leakKeys), describe(f.val))
		return
	}
	for _, s := range d.mapping(f.val, "leak", leakKeys) {
		if isNull(s.val) {
			continue
		}
		if s.key.Value == "probe_runs" {
			if v, ok := d.integer(&s, "probe_runs", 0, MaxProbeRuns); ok {
				l.ProbeRuns = v
			}
			continue
		}
		if v, ok := d.size(&s, "threshold"); ok {
			if v <= 0 {
				d.errorf(s.use, "threshold must be a size above 0, e.g. 5MiB")
				continue
			}
			l.Threshold = v
		}
	}
}
