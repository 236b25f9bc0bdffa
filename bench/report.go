package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// measurement is one figure: the same quantity for Portico and for the baseline, measured in the
// same run. Ratio is portico/baseline, nil when the baseline is zero.
type measurement struct {
	Scenario string         `json:"scenario"`
	Portico  float64        `json:"portico"`
	Baseline float64        `json:"baseline"`
	Ratio    *float64       `json:"ratio"`
	Unit     string         `json:"unit"`
	Params   map[string]any `json:"params"`
}

// newMeasurement builds a measurement of figure in scenario; params gain the figure's name.
func newMeasurement(scenario, figure, unit string, p, b float64, params map[string]any) measurement {
	m := measurement{Scenario: scenario, Portico: round(p), Baseline: round(b), Unit: unit, Params: map[string]any{"figure": figure}}
	for k, v := range params {
		m.Params[k] = v
	}
	if b != 0 {
		r := round(p / b)
		m.Ratio = &r
	}
	return m
}

// round keeps four significant decimals so the output stays readable.
func round(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	scale := math.Pow(10, 3-math.Floor(math.Log10(math.Abs(v))))
	return math.Round(v*scale) / scale
}

// report prints measurements as JSON lines as they come and a Markdown table at the end.
type report struct {
	out  io.Writer
	enc  *json.Encoder
	all  []measurement
	errs []string
}

func newReport(out io.Writer) *report { return &report{out: out, enc: json.NewEncoder(out)} }

func (r *report) add(m measurement) error {
	r.all = append(r.all, m)
	if err := r.enc.Encode(m); err != nil {
		return fmt.Errorf("write measurement: %w", err)
	}
	return nil
}

// fail records a problem seen while measuring, for the table's footer.
func (r *report) fail(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// table writes the Markdown table of every measurement and the problems seen.
func (r *report) table() {
	var b strings.Builder
	b.WriteString("\n| scenario | figure | params | portico | baseline | ratio | unit |\n")
	b.WriteString("|---|---|---|---:|---:|---:|---|\n")
	for _, m := range r.all {
		ratio := "n/a"
		if m.Ratio != nil {
			ratio = fmt.Sprintf("%.3g", *m.Ratio)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %.6g | %.6g | %s | %s |\n", m.Scenario, m.Params["figure"], paramString(m.Params), m.Portico, m.Baseline, ratio, m.Unit)
	}
	for _, e := range r.errs {
		fmt.Fprintf(&b, "\n**problem:** %s\n", e)
	}
	_, _ = io.WriteString(r.out, b.String())
}

// paramString renders params other than the figure's name, sorted by key.
func paramString(p map[string]any) string {
	keys := make([]string, 0, len(p))
	for k := range p {
		if k != "figure" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%v", k, p[k]))
	}
	return strings.Join(parts, " ")
}
