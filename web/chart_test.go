package web

import (
	"math"
	"strings"
	"testing"

	"gongkai/division"
)

func TestNiceScale(t *testing.T) {
	tests := []struct{ max, minStep, top, step float64 }{
		{0, 0, 1, 0.2},
		{0, 1, 1, 1},
		{1, 0, 1, 0.2},
		{2, 1, 2, 1},
		{7, 1, 8, 2},
		{571, 1, 600, 200},
		{1000, 1, 1000, 200},
		{0.83, 0, 1, 0.2},
		{math.NaN(), 0, 1, 0.2},
	}
	for _, tt := range tests {
		top, step := niceScale(tt.max, tt.minStep)
		if math.Abs(top-tt.top) > 1e-9 || math.Abs(step-tt.step) > 1e-9 {
			t.Errorf("niceScale(%v) = %v, %v; want %v, %v", tt.max, top, step, tt.top, tt.step)
		}
	}
}

// TestHBarChart checks that each bar is drawn to scale, an unknown value
// has no bar, and labels are escaped.
func TestHBarChart(t *testing.T) {
	c := HBarChart{ID: "c", Title: "新收<申请>", Bars: []Bar{
		{Label: "泽库镇人民政府", Value: 50, Known: true, Text: "50"},
		{Label: "<script>", Value: 100, Known: true, Text: "100", Series: 1, Href: "/ui/report/3?a=1&b=2"},
		{Label: "教育局", Text: "—"},
	}, Legend: []LegendItem{{"乡镇", 0}}}
	svg := string(c.SVG())
	if strings.Contains(svg, "<script>") || !strings.Contains(svg, "&lt;script&gt;") || !strings.Contains(svg, "新收&lt;申请&gt;") {
		t.Errorf("labels not escaped:\n%s", svg)
	}
	if n := strings.Count(svg, `<g class="bar"`); n != 3 {
		t.Errorf("%d bars, want 3", n)
	}
	// The axis runs to 100 over 380 px: 50 → 190 px, 100 → 380 px.
	if !strings.Contains(svg, `width="190" height="14"`) || !strings.Contains(svg, `width="380" height="14"`) {
		t.Errorf("bars not to scale:\n%s", svg)
	}
	if n := strings.Count(svg, `height="14"`); n != 2 {
		t.Errorf("%d bar rectangles, want 2 (the unknown value has none)", n)
	}
	if !strings.Contains(svg, `<a href="/ui/report/3?a=1&amp;b=2">`) {
		t.Errorf("link missing or unescaped:\n%s", svg)
	}
}

func TestColumnChart(t *testing.T) {
	c := ColumnChart{ID: "t", Title: "趋势", Categories: []string{"2022", "2023"},
		Stacks: []Series{
			{Label: "予以公开", Values: []float64{10, 20}, Known: []bool{true, true}},
			{Label: "部分公开", Values: []float64{5, 0}, Known: []bool{true, false}},
		},
		Line:    &Series{Label: "新收", Values: []float64{16, 25}, Known: []bool{true, true}},
		Notes:   []string{"", "*"},
		Current: "2023",
	}
	svg := string(c.SVG())
	if n := strings.Count(svg, `<g class="column"`); n != 2 {
		t.Errorf("%d columns, want 2", n)
	}
	// Three stacked pieces (the unknown one is not drawn), two points.
	if n := strings.Count(svg, "<rect") - 3 - 1; n != 3 { // three legend squares, the current year's frame
		t.Errorf("%d column pieces, want 3:\n%s", n, svg)
	}
	if strings.Count(svg, "<circle") != 2 || !strings.Contains(svg, "<polyline") || !strings.Contains(svg, ` font-weight="bold">2023*<`) {
		t.Errorf("line or note missing:\n%s", svg)
	}
}

// TestPick checks that the picker's lists count only inside the one above.
func TestPick(t *testing.T) {
	res := division.Default()
	tests := []struct {
		fields map[string]string
		want   string
		ok     bool
	}{
		{map[string]string{}, "", false},
		{map[string]string{"d1": "370000"}, "370000", true},
		{map[string]string{"d1": "370000", "d2": "371000", "d3": "371003"}, "371003", true},
		{map[string]string{"d1": "370000", "d2": "371000", "d3": "371003", "d4": "371003104"}, "371003104", true},
		// A county of another province left in the third list is dropped.
		{map[string]string{"d1": "370000", "d2": "371000", "d3": "110101"}, "371000", true},
		// Beijing's districts sit right under the municipality.
		{map[string]string{"d1": "110000", "d2": "110101"}, "110101", true},
		{map[string]string{"d1": "nonsense"}, "", false},
	}
	for _, tt := range tests {
		d, ok := pick(res, func(k string) string { return tt.fields[k] })
		if ok != tt.ok || d.Code != tt.want {
			t.Errorf("pick(%v) = %s, %v; want %s, %v", tt.fields, d.Code, ok, tt.want, tt.ok)
		}
	}
	if got := chain(res, mustLookup(t, res, "110101")); len(got) != 2 || got[0].Code != "110000" {
		t.Errorf("chain(110101) = %v, want 北京市 → 东城区", got)
	}
}

func mustLookup(t *testing.T, res *division.Resolver, code string) division.Division {
	d, ok := res.Lookup(code)
	if !ok {
		t.Fatalf("no division %s", code)
	}
	return d
}

func TestWhy(t *testing.T) {
	for _, tt := range []struct {
		l    Lang
		last int64
		want string
	}{
		{Zh, 2022, "2022年有报告，2023年没有"},
		{En, 2022, "reported for 2022, not for 2023"},
		{Zh, 0, "区划数据中有此乡镇（街道），未见其报告"},
	} {
		if got := (base{L: tt.l, Year: 2023}).Why(tt.last); got != tt.want {
			t.Errorf("Why(%d) in %s = %q, want %q", tt.last, tt.l, got, tt.want)
		}
	}
}
