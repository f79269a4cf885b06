package web

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/mattn/go-runewidth"
)

// The charts are SVG drawn here, on the server, from the rollups' numbers:
// the page then needs no script and no chart library in the browser, works
// on an intranet without internet, prints, and the browser lays out the
// Chinese labels with the fonts it has. A charting library was tried
// (gonum.org/v1/plot's SVG backend): it measures text with its embedded
// Latin fonts, which have no CJK glyphs, so Chinese labels came out about a
// third narrower than drawn and were placed wrong, and it brings a LaTeX,
// PDF and raster stack the page does not use. Three chart kinds are all the
// page needs; they are a few dozen lines each.

// palette colours the series, in order; the page's legend repeats them.
var palette = []string{"#2f6db5", "#6aa84f", "#e69138", "#cc4125", "#8e7cc3", "#999999", "#45818e", "#c27ba0"}

const (
	fontSize  = 12.0
	charWidth = fontSize / 2 // one display column (a CJK character takes two)
)

// textWidth estimates the drawn width of s in pixels at fontSize: CJK
// characters are one em wide, Latin letters and digits about half.
func textWidth(s string) float64 { return float64(runewidth.StringWidth(s)) * charWidth }

// truncate cuts s to at most w pixels, ending it with … when cut.
func truncate(s string, w float64) string {
	if textWidth(s) <= w {
		return s
	}
	return runewidth.Truncate(s, int(w/charWidth), "…")
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// px formats a coordinate with at most one decimal.
func px(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// niceScale returns an axis maximum and a tick step for values up to max:
// steps of 1, 2 or 5 times a power of ten, about five ticks, never below
// minStep (1 for counts, so no tick reads 0.2 requests).
func niceScale(max, minStep float64) (top, step float64) {
	if max <= 0 || math.IsNaN(max) || math.IsInf(max, 0) {
		max = 1
	}
	raw := math.Max(max/5, minStep)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / p; {
	case f <= 1:
		step = p
	case f <= 2:
		step = 2 * p
	case f <= 5:
		step = 5 * p
	default:
		step = 10 * p
	}
	return math.Ceil(max/step) * step, step
}

// tickLabel formats a tick: integers plainly, fractions with up to 2
// decimals, percentages when pct.
func tickLabel(v float64, pct bool) string {
	if pct {
		return strconv.FormatFloat(math.Round(v*1000)/10, 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// Bar is one bar of a horizontal bar chart. A bar whose value is unknown
// (Known false) is drawn as its label with the Text (e.g. "—") and no bar.
type Bar struct {
	Label string
	Value float64
	Known bool
	// Text is the value as shown beside the bar.
	Text string
	// Series indexes palette and the chart's legend.
	Series int
	// Href, when set, makes the label a link (a body's own report).
	Href string
}

// LegendItem names a series.
type LegendItem struct {
	Label  string
	Series int
}

// HBarChart is a horizontal bar chart: bodies or divisions compared on one
// measure, one bar each.
type HBarChart struct {
	// ID names the chart in the page (id attribute, tests).
	ID    string
	Title string
	Bars  []Bar
	// Max is the axis end; 0 takes the largest value.
	Max float64
	// Percent formats ticks as percentages (values are fractions);
	// otherwise values are counts and ticks whole numbers.
	Percent bool
	Legend  []LegendItem
}

// SVG draws the chart.
func (c HBarChart) SVG() template.HTML {
	const rowH, barH, plotW, top = 22.0, 14.0, 380.0, 34.0
	labelW := 40.0
	for _, b := range c.Bars {
		labelW = math.Max(labelW, textWidth(b.Label))
	}
	labelW = math.Min(labelW, 220) + 8
	valueW := 70.0
	max := c.Max
	if max == 0 {
		for _, b := range c.Bars {
			if b.Known {
				max = math.Max(max, b.Value)
			}
		}
	}
	minStep := 1.0
	if c.Percent {
		minStep = 0
	}
	axisMax, step := niceScale(max, minStep)
	width := labelW + plotW + valueW
	height := top + rowH*float64(len(c.Bars)) + 24 + 20*float64(legend(nil, c.Legend, 0, width))
	var w strings.Builder
	fmt.Fprintf(&w, `<svg xmlns="http://www.w3.org/2000/svg" class="chart hbar" id="%s" role="img" viewBox="0 0 %s %s" width="%s" height="%s" font-size="%s" font-family="sans-serif" data-bars="%d">`,
		esc(c.ID), px(width), px(height), px(width), px(height), num(fontSize), len(c.Bars))
	fmt.Fprintf(&w, `<title>%s</title>`, esc(c.Title))
	fmt.Fprintf(&w, `<text x="0" y="16" font-size="14" font-weight="bold">%s</text>`, esc(c.Title))
	x0 := labelW
	scale := plotW / axisMax
	bottom := top + rowH*float64(len(c.Bars))
	for v := 0.0; v <= axisMax+step/2; v += step {
		x := x0 + v*scale
		fmt.Fprintf(&w, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ddd"/>`, px(x), px(top-4), px(x), px(bottom))
		fmt.Fprintf(&w, `<text x="%s" y="%s" text-anchor="middle" fill="#555">%s</text>`, px(x), px(bottom+14), esc(tickLabel(v, c.Percent)))
	}
	for i, b := range c.Bars {
		y := top + rowH*float64(i)
		label := esc(truncate(b.Label, labelW-8))
		if b.Href != "" {
			label = fmt.Sprintf(`<a href="%s">%s</a>`, esc(b.Href), label)
		}
		fmt.Fprintf(&w, `<g class="bar" data-label="%s" data-value="%s"><title>%s: %s</title>`,
			esc(b.Label), esc(b.Text), esc(b.Label), esc(b.Text))
		fmt.Fprintf(&w, `<text x="%s" y="%s" text-anchor="end">%s</text>`, px(labelW-8), px(y+barH-2), label)
		tx := x0 + 4
		if b.Known {
			bw := math.Max(b.Value*scale, 0)
			fmt.Fprintf(&w, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`,
				px(x0), px(y+2), px(bw), px(barH), palette[b.Series%len(palette)])
			tx += bw
		}
		fmt.Fprintf(&w, `<text x="%s" y="%s" fill="#333">%s</text></g>`, px(tx), px(y+barH-2), esc(b.Text))
	}
	fmt.Fprintf(&w, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>`, px(x0), px(top-4), px(x0), px(bottom))
	legend(&w, c.Legend, bottom+24+14, width)
	w.WriteString(`</svg>`)
	return template.HTML(w.String())
}

// legend draws coloured squares with their labels from y down, wrapping
// into rows of width; it returns the number of rows. With w nil it only
// counts them.
func legend(w *strings.Builder, items []LegendItem, y, width float64) int {
	x, rows := 0.0, 0
	if len(items) > 0 {
		rows = 1
	}
	for _, it := range items {
		wd := 14 + textWidth(it.Label) + 16
		if x+wd > width && x > 0 {
			x = 0
			y += 20
			rows++
		}
		if w != nil {
			fmt.Fprintf(w, `<rect x="%s" y="%s" width="10" height="10" fill="%s"/>`, px(x), px(y-9), palette[it.Series%len(palette)])
			fmt.Fprintf(w, `<text x="%s" y="%s">%s</text>`, px(x+14), px(y), esc(it.Label))
		}
		x += wd
	}
	return rows
}

// Series is one measure over the categories of a column chart. Known[i]
// false means the value of category i is unknown (not drawn).
type Series struct {
	Label  string
	Values []float64
	Known  []bool
}

// ColumnChart draws stacked columns per category (years) and, optionally,
// one measure as a line over them: outcomes stacked, requests as a line.
type ColumnChart struct {
	ID         string
	Title      string
	Categories []string
	Stacks     []Series
	// Line is drawn over the columns in the last palette colour but one.
	Line *Series
	// Notes are shown under the category label (e.g. "*" for incomplete).
	Notes []string
	// Current is the category drawn in bold (the year shown), if any.
	Current string
}

// SVG draws the chart.
func (c ColumnChart) SVG() template.HTML {
	const left, top, plotH, colGap = 48.0, 34.0, 220.0, 0.35
	n := len(c.Categories)
	slot := math.Max(48, math.Min(90, 560/math.Max(float64(n), 1)))
	plotW := slot * float64(n)
	max := 0.0
	for i := range c.Categories {
		sum := 0.0
		for _, s := range c.Stacks {
			if s.Known[i] {
				sum += s.Values[i]
			}
		}
		max = math.Max(max, sum)
		if c.Line != nil && c.Line.Known[i] {
			max = math.Max(max, c.Line.Values[i])
		}
	}
	axisMax, step := niceScale(max, 1)
	scale := plotH / axisMax
	bottom := top + plotH
	items := make([]LegendItem, 0, len(c.Stacks)+1)
	for i, s := range c.Stacks {
		items = append(items, LegendItem{s.Label, i})
	}
	lineColor := len(palette) - 2
	if c.Line != nil {
		items = append(items, LegendItem{c.Line.Label, lineColor})
	}
	width := math.Max(left+plotW+16, 420)
	height := bottom + 40 + 20*float64(legend(nil, items, 0, width))
	var w strings.Builder
	fmt.Fprintf(&w, `<svg xmlns="http://www.w3.org/2000/svg" class="chart columns" id="%s" role="img" viewBox="0 0 %s %s" width="%s" height="%s" font-size="%s" font-family="sans-serif" data-columns="%d">`,
		esc(c.ID), px(width), px(height), px(width), px(height), num(fontSize), n)
	fmt.Fprintf(&w, `<title>%s</title>`, esc(c.Title))
	fmt.Fprintf(&w, `<text x="0" y="16" font-size="14" font-weight="bold">%s</text>`, esc(c.Title))
	for v := 0.0; v <= axisMax+step/2; v += step {
		y := bottom - v*scale
		fmt.Fprintf(&w, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#ddd"/>`, px(left), px(y), px(left+plotW), px(y))
		fmt.Fprintf(&w, `<text x="%s" y="%s" text-anchor="end" fill="#555">%s</text>`, px(left-6), px(y+4), esc(tickLabel(v, false)))
	}
	for i, cat := range c.Categories {
		cx := left + slot*float64(i) + slot/2
		bw := slot * (1 - colGap)
		y := bottom
		fmt.Fprintf(&w, `<g class="column" data-category="%s">`, esc(cat))
		for si, s := range c.Stacks {
			if !s.Known[i] || s.Values[i] <= 0 {
				continue
			}
			h := s.Values[i] * scale
			y -= h
			fmt.Fprintf(&w, `<rect x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s %s: %s</title></rect>`,
				px(cx-bw/2), px(y), px(bw), px(h), palette[si%len(palette)], esc(cat), esc(s.Label), num(s.Values[i]))
		}
		label := cat
		if i < len(c.Notes) {
			label += c.Notes[i]
		}
		weight := ""
		if cat == c.Current {
			weight = ` font-weight="bold"`
			fmt.Fprintf(&w, `<rect class="current" x="%s" y="%s" width="%s" height="%s" fill="none" stroke="#8b1a1a" stroke-dasharray="3 2"/>`,
				px(cx-slot/2+2), px(top-6), px(slot-4), px(plotH+6+22))
		}
		fmt.Fprintf(&w, `<text x="%s" y="%s" text-anchor="middle"%s>%s</text></g>`, px(cx), px(bottom+16), weight, esc(label))
	}
	if c.Line != nil {
		var pts []string
		for i := range c.Categories {
			if !c.Line.Known[i] {
				continue
			}
			cx := left + slot*float64(i) + slot/2
			pts = append(pts, px(cx)+","+px(bottom-c.Line.Values[i]*scale))
		}
		col := palette[lineColor]
		if len(pts) > 1 {
			fmt.Fprintf(&w, `<polyline class="line" points="%s" fill="none" stroke="%s" stroke-width="2"/>`, strings.Join(pts, " "), col)
		}
		for i, cat := range c.Categories {
			if !c.Line.Known[i] {
				continue
			}
			cx := left + slot*float64(i) + slot/2
			cy := bottom - c.Line.Values[i]*scale
			fmt.Fprintf(&w, `<circle cx="%s" cy="%s" r="4" fill="%s"><title>%s %s: %s</title></circle>`,
				px(cx), px(cy), col, esc(cat), esc(c.Line.Label), num(c.Line.Values[i]))
		}
	}
	fmt.Fprintf(&w, `<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#333"/>`, px(left), px(bottom), px(left+plotW), px(bottom))
	legend(&w, items, bottom+40, width)
	w.WriteString(`</svg>`)
	return template.HTML(w.String())
}
