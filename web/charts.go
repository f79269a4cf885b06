package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"sync"

	"gongkai"
	"gongkai/division"
	"gongkai/rollup"
	"gongkai/store"
)

// levelRows is a rollup result read by column name.
type levelRows struct {
	res *gongkai.Result
	idx map[string]int
}

func newLevelRows(res *gongkai.Result) levelRows {
	idx := map[string]int{}
	for i, c := range res.Columns {
		idx[c] = i
	}
	return levelRows{res, idx}
}

func (lr levelRows) str(row []any, col string) string {
	i, ok := lr.idx[col]
	if !ok || row[i] == nil {
		return ""
	}
	return fmt.Sprint(row[i])
}

// float reads a numeric column; ok false when it is NULL.
func (lr levelRows) float(row []any, col string) (float64, bool) {
	i, ok := lr.idx[col]
	if !ok {
		return 0, false
	}
	switch v := row[i].(type) {
	case int64:
		return float64(v), true
	case float64:
		return v, !math.IsNaN(v)
	case gongkai.Num:
		return v.Float64(), v.Valid()
	case string:
		f, err := strconv.ParseFloat(v, 64)
		return f, err == nil
	}
	return 0, false
}

// outcome measures of the levels rollup, stacked in the trend chart, with
// the rows (or row groups) of section 三 whose official labels name them.
var outcomes = []struct{ measure, row string }{
	{"disclosed", "3_1_disclosed"},
	{"partially", "3_2_partially"},
	{"withheld", "3_3_1"},
	{"no_info", "3_4_1"},
	{"not_handled", "3_5_1"},
	{"other_handled", "3_6_1"},
}

// outcomeLabel is the official label of an outcome: the row's own for
// （一）（二）, its group's heading for the summed ones (（三）不予公开).
// The bracketed note of （二） is cut.
func outcomeLabel(rowKey string) string {
	l := gongkai.LayoutOf(gongkai.V2021)
	for _, r := range l.Rows {
		if r.Key != rowKey {
			continue
		}
		lab := r.Label
		if r.Key != "3_1_disclosed" && r.Key != "3_2_partially" {
			lab = r.Group
		}
		if i := indexRune(lab, '（', 1); i > 0 {
			lab = lab[:i]
		}
		return lab
	}
	return rowKey
}

// indexRune returns the byte index of the n-th (0-based) occurrence of c
// in s, or -1.
func indexRune(s string, c rune, n int) int {
	for i, r := range s {
		if r == c {
			if n == 0 {
				return i
			}
			n--
		}
	}
	return -1
}

func rowLabel(key string) string {
	for _, r := range gongkai.LayoutOf(gongkai.V2021).Rows {
		if r.Key == key {
			return r.Label
		}
	}
	return key
}

// townshipTypes are the body types counted as townships in comparisons.
var townshipTypes = []string{division.TownshipGovernment, division.StreetOffice, division.TownshipDepartment}

// chartData is what the charts draw, from the levels rollup (the same
// rollup `gongkai rollup levels` runs): the division over the years, and
// the rows one level down for the year.
type chartData struct {
	trend, below *gongkai.Result
	// level is the level of the rows below: body inside a county or
	// township, else the divisions one level down.
	level string
}

// fetchCharts runs the two rollups at once (each is one DuckDB query).
func fetchCharts(ctx context.Context, st *store.Store, chosen division.Division, year int) (chartData, error) {
	cd := chartData{level: "body"}
	switch chosen.Level {
	case division.Province:
		cd.level = "city"
	case division.City:
		cd.level = "county"
	}
	var errT, errB error
	var wg sync.WaitGroup
	wg.Go(func() {
		cd.trend, errT = rollup.Run(ctx, st, "levels", rollup.Params{Division: chosen.Code, Level: chosen.Level.String()})
	})
	wg.Go(func() {
		cd.below, errB = rollup.Run(ctx, st, "levels", rollup.Params{Year: year, Division: chosen.Code, Level: cd.level})
	})
	wg.Wait()
	return cd, errors.Join(errT, errB)
}

// charts draws the trend, the comparison and the disclosure rate.
func (cd chartData) charts(d *indexData, ids map[string]int64) []template.HTML {
	tc := trendChart(d.L, newLevelRows(cd.trend))
	tc.Current = strconv.Itoa(d.Year)
	lr := newLevelRows(cd.below)
	return []template.HTML{tc.SVG(), compareChart(d, lr, cd.level, ids).SVG(), rateChart(d, lr, cd.level, ids).SVG()}
}

func trendChart(l Lang, lr levelRows) ColumnChart {
	c := ColumnChart{ID: "chart-trend", Title: l.T("chart_trend")}
	for _, o := range outcomes {
		c.Stacks = append(c.Stacks, Series{Label: outcomeLabel(o.row)})
	}
	line := Series{Label: rowLabel(gongkai.RowNew)}
	for _, row := range lr.res.Rows {
		c.Categories = append(c.Categories, lr.str(row, "year"))
		for i, o := range outcomes {
			v, ok := lr.float(row, o.measure)
			c.Stacks[i].Values = append(c.Stacks[i].Values, v)
			c.Stacks[i].Known = append(c.Stacks[i].Known, ok)
		}
		v, ok := lr.float(row, "requests_new")
		line.Values = append(line.Values, v)
		line.Known = append(line.Known, ok)
		note := ""
		if n, _ := lr.float(row, "incomplete"); n > 0 {
			note = "*"
		}
		c.Notes = append(c.Notes, note)
	}
	c.Line = &line
	return c
}

// name is how a row of the levels rollup is labelled at level lv.
func name(lr levelRows, row []any, lv string) string {
	switch lv {
	case "city":
		return lr.str(row, "city")
	case "county":
		return lr.str(row, "county")
	}
	return lr.str(row, "organization")
}

func compareChart(d *indexData, lr levelRows, lv string, ids map[string]int64) HBarChart {
	c := HBarChart{ID: "chart-compare", Title: d.L.T("chart_compare")}
	if lv != "body" {
		c.Title = d.L.T("chart_compare_d")
	}
	for _, row := range lr.res.Rows {
		v, ok := lr.float(row, "requests_new")
		b := Bar{Label: name(lr, row, lv), Value: v, Known: ok, Text: "—"}
		if ok {
			b.Text = strconv.FormatFloat(v, 'f', -1, 64)
		}
		if lv == "body" {
			if !slices.Contains(townshipTypes, lr.str(row, "body_type")) {
				b.Series = 1
			}
			if id, ok := ids[b.Label]; ok {
				b.Href = d.Link(fmt.Sprintf("/ui/report/%d", id))
			}
		}
		c.Bars = append(c.Bars, b)
	}
	// Townships first, then departments; each by requests, most first.
	slices.SortStableFunc(c.Bars, func(a, b Bar) int {
		if a.Series != b.Series {
			return a.Series - b.Series
		}
		return compareKnown(a, b)
	})
	if lv == "body" {
		// Name only the kinds drawn.
		for s, key := range []string{"kind_township", "kind_county"} {
			if slices.ContainsFunc(c.Bars, func(b Bar) bool { return b.Series == s }) {
				c.Legend = append(c.Legend, LegendItem{d.L.T(key), s})
			}
		}
	}
	return c
}

// compareKnown orders bars by value, largest first, unknown last.
func compareKnown(a, b Bar) int {
	switch {
	case a.Known != b.Known:
		if a.Known {
			return -1
		}
		return 1
	case a.Value > b.Value:
		return -1
	case a.Value < b.Value:
		return 1
	}
	return 0
}

func rateChart(d *indexData, lr levelRows, lv string, ids map[string]int64) HBarChart {
	c := HBarChart{ID: "chart-rate", Title: d.L.T("chart_rate"), Max: 1, Percent: true}
	if lv != "body" {
		c.Title = d.L.T("chart_rate_d")
	}
	for _, row := range lr.res.Rows {
		v, ok := lr.float(row, "disclosure_rate")
		b := Bar{Label: name(lr, row, lv), Value: v, Known: ok, Text: "—", Series: 6}
		if ok {
			b.Text = strconv.FormatFloat(math.Round(v*1000)/10, 'f', -1, 64) + "%"
		}
		if id, ok := ids[b.Label]; ok && lv == "body" {
			b.Href = d.Link(fmt.Sprintf("/ui/report/%d", id))
		}
		c.Bars = append(c.Bars, b)
	}
	slices.SortStableFunc(c.Bars, compareKnown)
	return c
}
