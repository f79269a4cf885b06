package gongkai

import (
	"strings"
	"sync"
)

// ColumnLabel is the official Chinese label of a column that the store's
// tables and the rollups name by a machine key: a measure summed from one
// cell of the form, or a sum the form itself prints (（三）不予公开 over its
// eight reasons). Keys the form has no label for — dimensions, counts of
// reports, rates, ranks — have none (ok false): a made-up label would read
// as if the form printed it. Spreadsheets meant for people (XLSX) show the
// label above such a column and keep the key beside it.
//
// The labels are those of the 2021 layout, read from it, so a label is
// spelt in one place only.
func ColumnLabel(key string) (label string, ok bool) {
	label, ok = columnLabels()[key]
	return label, ok
}

// columnLabels maps measure keys (schema 6's report_facts, the rollups'
// columns) to labels of the 2021 layout; built on first use, after the
// layouts' init.
var columnLabels = sync.OnceValue(func() map[string]string {
	l := LayoutOf(V2021)
	row := func(key string) string { return l.Rows[l.rowIndex[key]].Label }
	m := map[string]string{
		"requests_new":    row(RowNew),
		"carried_over":    row(RowCarriedOver),
		"disclosed":       row("3_1_disclosed"),
		"partially":       row("3_2_partially"),
		"withheld":        groupWithheld,
		"no_info":         groupNoInfo,
		"not_handled":     groupNotHandle,
		"other_handled":   groupOther,
		"handled":         row(RowTotal),
		"carried_forward": row(RowCarriedForward),
	}
	// district_year and township_year number the outcomes as the form
	// does: outcome_1 = （一）予以公开 … outcome_7 = （七）总计.
	for i, k := range []string{"disclosed", "partially", "withheld", "no_info", "not_handled", "other_handled", "handled"} {
		m["outcome_"+string(rune('1'+i))] = m[k]
	}
	// Section 四: review_upheld = 行政复议·结果维持,
	// litigation_direct_total = 行政诉讼·未经复议直接起诉·总计, and
	// litigation_* (both kinds of suit summed) = 行政诉讼·….
	for _, c := range l.ReviewColumns {
		for _, b := range l.ReviewBlocks {
			m[b.Key+"_"+c.Key] = b.Label + "·" + c.Label
		}
		litigation, _, _ := strings.Cut(l.ReviewBlocks[1].Label, "·")
		m["litigation_"+c.Key] = litigation + "·" + c.Label
	}
	// Section 二's decisions (2021: 本年处理决定数量).
	for _, it := range l.Active {
		if len(it.Metrics) == 1 && it.Metrics[0].Key == "decisions" {
			m[it.Key] = it.Label + "·" + it.Metrics[0].Label
		}
	}
	return m
})
