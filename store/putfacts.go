package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"gongkai"
)

// Put writes each report's report_facts row (schema 6) from the record it
// is storing, in Go, with the same Appender as the cells. Deriving the
// rows in SQL (report_facts_of over the new ids) re-read and pivoted every
// cell just written and cost about a third of Put; the record already
// holds every value. factsRow follows report_facts_of exactly — the same
// cells, the same NULL rules, the same groupings — and the store's tests
// compare the two after every kind of write (facts_test.go). Should the
// table's columns ever differ from factColumns (a later schema), Put
// derives the rows in SQL as before (insertFacts): slower, never wrong.

// factColumns are report_facts' columns, in table order, as factsRow
// gives them.
var factColumns = []string{
	"report_id", "report_year", "organization", "format_version",
	"province", "city", "county", "township", "division_code", "body_type", "is_aggregate",
	"body_key", "district", "body_kind", "township_name",
	"requests_new", "carried_over", "disclosed", "partially", "withheld", "no_info",
	"not_handled", "other_handled", "handled", "carried_forward",
	"review_upheld", "review_corrected", "review_other", "review_pending", "review_total",
	"litigation_direct_upheld", "litigation_direct_corrected", "litigation_direct_other",
	"litigation_direct_pending", "litigation_direct_total",
	"litigation_after_review_upheld", "litigation_after_review_corrected", "litigation_after_review_other",
	"litigation_after_review_pending", "litigation_after_review_total",
	"litigation_upheld", "litigation_corrected", "litigation_other", "litigation_pending", "litigation_total",
	"docs_issued", "docs_in_force", "licensing", "punishment", "enforcement",
	"carried_over_cols", "carried_forward_cols",
	"a_regulations__issued", "a_regulations__repealed", "a_regulations__in_force",
	"a_regulations__new_made", "a_regulations__new_published", "a_regulations__total_published",
	"a_normative_documents__issued", "a_normative_documents__repealed", "a_normative_documents__in_force",
	"a_normative_documents__new_made", "a_normative_documents__new_published", "a_normative_documents__total_published",
	"a_licensing__prev_year_items", "a_licensing__change", "a_licensing__decisions",
	"a_other_services__prev_year_items", "a_other_services__change", "a_other_services__decisions",
	"a_punishment__prev_year_items", "a_punishment__change", "a_punishment__decisions",
	"a_enforcement__prev_year_items", "a_enforcement__change", "a_enforcement__decisions",
	"a_fees__amount_10k_yuan", "a_fees__prev_year_items", "a_fees__change",
	"a_procurement__projects", "a_procurement__amount_yuan",
}

// factsInGo says whether report_facts has exactly factColumns, so Put may
// append its rows from Go.
func factsInGo(ctx context.Context, conn *sql.Conn) (bool, error) {
	cols, err := queryColumn[string](ctx, conn, `SELECT column_name FROM duckdb_columns()
		WHERE table_name = 'report_facts' AND schema_name = current_schema() AND database_name = current_database()
		ORDER BY column_index`)
	if err != nil {
		return false, fmt.Errorf("reading report_facts' columns: %w", err)
	}
	return slices.Equal(cols, factColumns), nil
}

// appendFacts appends the report_facts rows of batch (ids as stored).
func appendFacts(conn *sql.Conn, batch []gongkai.Parsed, ids []int64) error {
	return withAppender(conn, "report_facts", func(a *duckdb.Appender) error {
		for i, p := range batch {
			row, err := factsRow(p.Report, ids[i])
			if err != nil {
				return &gongkai.Error{Op: "store", Path: p.Path, Where: "report_facts", Err: err}
			}
			if err := a.AppendRow(row...); err != nil {
				return err
			}
		}
		return nil
	})
}

// The groupings' patterns, as the schema-6 macros district_of,
// body_kind_of and township_name_of write them (DuckDB's regexps are RE2,
// as Go's are: the same leftmost-first matches).
var (
	districtRE     = regexp.MustCompile(`([^省市州盟区县旗]{1,10}?[区县旗])`)
	townshipBodyRE = regexp.MustCompile(`(镇|乡|街道)(人民政府|办事处|党委)`)
	townshipNameRE = regexp.MustCompile(`([^省市州盟区县旗]{1,10}?(?:镇|乡|街道))(?:人民政府|办事处|党委)`)
)

// extract is DuckDB's regexp_extract(s, re, 1): the first match's group 1,
// or "" when there is none.
func extract(re *regexp.Regexp, s string) string {
	m := re.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	return m[1]
}

// factCell is one cell of the report as Put stores it: its keys and its
// value (ok false: NULL).
type factCell struct {
	a, b string // row and column, block and column, or item and metric
	v    int64  // the count, or for active cells the value in micros
	ok   bool
}

// maxOf, sumAllKnown and countOf fold cells the way report_facts_of's
// aggregates do, over the cells where keep is true. maxOf is max(value):
// the largest known value, NULL (false) when none is known.
func maxOf(cells []factCell, keep func(factCell) bool) (int64, bool) {
	var best int64
	found := false
	for _, c := range cells {
		if keep(c) && c.ok && (!found || c.v > best) {
			best, found = c.v, true
		}
	}
	return best, found
}

// sumAllKnown is CASE WHEN bool_and(value IS NOT NULL) THEN sum(value)
// END: the sum when every selected cell is known, NULL when one is not or
// none is selected.
func sumAllKnown(cells []factCell, keep func(factCell) bool) (int64, bool) {
	var sum int64
	n := 0
	for _, c := range cells {
		if !keep(c) {
			continue
		}
		if !c.ok {
			return 0, false
		}
		sum += c.v
		n++
	}
	return sum, n > 0
}

// countOf is count(*): cells selected, known or not.
func countOf(cells []factCell, keep func(factCell) bool) int {
	n := 0
	for _, c := range cells {
		if keep(c) {
			n++
		}
	}
	return n
}

// applicantColumns orders the R6 lists (list_position in report_facts_of).
var applicantColumns = []string{"natural_person", "commercial", "research", "social_welfare", "legal_services", "other", "total"}

// listOf is list(value ORDER BY list_position(applicantColumns, col))
// FILTER (row = row): NULL (nil) when the report has no such row; columns
// outside the list sort last.
func listOf(cells []factCell, row string) any {
	var sel []factCell
	for _, c := range cells {
		if c.a == row {
			sel = append(sel, c)
		}
	}
	if len(sel) == 0 {
		return nil
	}
	pos := func(col string) int {
		if i := slices.Index(applicantColumns, col); i >= 0 {
			return i
		}
		return len(applicantColumns)
	}
	slices.SortStableFunc(sel, func(x, y factCell) int { return pos(x.b) - pos(y.b) })
	out := make([]any, len(sel))
	for i, c := range sel {
		if c.ok {
			out[i] = c.v
		}
	}
	return out
}

func bigint(v int64, ok bool) any {
	if !ok {
		return nil
	}
	return v
}

func dec(micros int64, ok bool) any {
	if !ok {
		return nil
	}
	return duckdb.Decimal{Width: 18, Scale: gongkai.Scale, Value: big.NewInt(micros)}
}

// factsRow is the report_facts row of r stored under id, in factColumns'
// order: what report_facts_of derives from the rows appendReports writes.
func factsRow(r *gongkai.Report, id int64) ([]driver.Value, error) {
	l := r.Layout()
	// The cells exactly as appendReports stores them.
	var app, rev, act []factCell
	for _, row := range l.Rows {
		vals := r.Applications[row.Key]
		for j, c := range l.Columns {
			var v gongkai.Num
			if vals != nil {
				v = vals[j]
			}
			n, err := integer(v)
			if err != nil {
				return nil, err
			}
			x, ok := n.(int64)
			app = append(app, factCell{a: row.Key, b: c.Key, v: x, ok: ok})
		}
	}
	for _, b := range l.ReviewBlocks {
		for _, c := range l.ReviewColumns {
			n, err := integer(r.ReviewLitigation[b.Key][c.Key])
			if err != nil {
				return nil, err
			}
			x, ok := n.(int64)
			rev = append(rev, factCell{a: b.Key, b: c.Key, v: x, ok: ok})
		}
	}
	for _, it := range l.Active {
		for _, m := range it.Metrics {
			v := r.Active[it.Key][m.Key]
			act = append(act, factCell{a: it.Key, b: m.Key, v: v.Micros(), ok: v.Valid()})
		}
	}

	b := r.Body
	row := make([]driver.Value, 0, len(factColumns))
	row = append(row, id, int32(r.ReportYear), r.Organization, string(r.FormatVersion),
		nullStr(b.Province), nullStr(b.City), nullStr(b.County), nullStr(b.Township),
		nullStr(b.DivisionCode), nullStr(b.Type), b.Aggregate)

	// Groupings: body_key_of, district_of, body_kind_of, township_name_of.
	bodyKey := "org|" + r.Organization
	switch {
	case b.DivisionCode == "":
	case b.Aggregate, slices.Contains([]string{"township_government", "street_office", "county_government",
		"city_government", "province_government"}, b.Type):
		bodyKey = b.DivisionCode + "|" + b.Type + "|" + b.Township + "|" + strconv.FormatBool(b.Aggregate)
	}
	district := b.County
	if district == "" {
		district = extract(districtRE, r.Organization)
	}
	if district == "" {
		district = "(unknown)"
	}
	kind := "county"
	if b.Township != "" || b.Type == "township_government" || b.Type == "street_office" ||
		townshipBodyRE.MatchString(r.Organization) {
		kind = "township"
	}
	township := b.Township
	if township == "" {
		township = extract(townshipNameRE, r.Organization)
	}
	if township == "" {
		township = r.Organization
	}
	row = append(row, bodyKey, district, kind, township)

	// Section 三: the total column of the outcome rows.
	total := func(rowKey string) func(factCell) bool {
		return func(c factCell) bool { return c.b == "total" && c.a == rowKey }
	}
	totalPrefix := func(prefix string) func(factCell) bool {
		return func(c factCell) bool { return c.b == "total" && strings.HasPrefix(c.a, prefix) }
	}
	otherV, otherOK := sumAllKnown(app, totalPrefix("3_6_"))
	if countOf(app, total("3_6")) > 0 {
		otherV, otherOK = maxOf(app, total("3_6"))
	}
	row = append(row,
		bigint(maxOf(app, total("1_new"))),
		bigint(maxOf(app, total("2_carried_over"))),
		bigint(maxOf(app, total("3_1_disclosed"))),
		bigint(maxOf(app, total("3_2_partially"))),
		bigint(sumAllKnown(app, totalPrefix("3_3_"))),
		bigint(sumAllKnown(app, totalPrefix("3_4_"))),
		bigint(sumAllKnown(app, totalPrefix("3_5_"))),
		bigint(otherV, otherOK),
		bigint(maxOf(app, total("3_7_total"))),
		bigint(maxOf(app, total("4_carried_forward"))),
	)

	// Section 四: each block's columns, then litigation as the sum of the
	// two litigation blocks.
	for _, block := range []string{"review", "litigation_direct", "litigation_after_review"} {
		for _, col := range []string{"upheld", "corrected", "other", "pending", "total"} {
			row = append(row, bigint(maxOf(rev, func(c factCell) bool { return c.a == block && c.b == col })))
		}
	}
	for _, col := range []string{"upheld", "corrected", "other", "pending", "total"} {
		row = append(row, bigint(sumAllKnown(rev, func(c factCell) bool { return c.a != "review" && c.b == col })))
	}

	// Section 二: documents issued and in force (both kinds), decisions.
	docs := func(metrics ...string) func(factCell) bool {
		return func(c factCell) bool {
			return (c.a == "regulations" || c.a == "normative_documents") && slices.Contains(metrics, c.b)
		}
	}
	cell := func(item, metric string) func(factCell) bool {
		return func(c factCell) bool { return c.a == item && c.b == metric }
	}
	row = append(row,
		dec(sumAllKnown(act, docs("issued", "new_made"))),
		dec(sumAllKnown(act, docs("in_force"))),
		dec(maxOf(act, cell("licensing", "decisions"))),
		dec(maxOf(act, cell("punishment", "decisions"))),
		dec(maxOf(act, cell("enforcement", "decisions"))),
	)

	row = append(row, listOf(app, "2_carried_over"), listOf(app, "4_carried_forward"))

	// Every cell of section 二 of both layouts: a_<item>__<metric>.
	for _, col := range factColumns[len(row):] {
		item, metric, ok := strings.Cut(strings.TrimPrefix(col, "a_"), "__")
		if !ok || !strings.HasPrefix(col, "a_") {
			return nil, fmt.Errorf("report_facts column %s is no section 二 cell", col)
		}
		row = append(row, dec(maxOf(act, cell(item, metric))))
	}
	return row, nil
}
