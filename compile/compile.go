// Package compile assembles a division's compiled report for a year —
// the district office's January job: every cell of the three official
// tables summed over the bodies inside the division, the division's name
// and body, the bodies included, missing and whole-area, and the findings
// affecting the totals. The CLI ('gongkai compile') and the web page call
// Division; package render writes the result in every output format.
package compile

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gongkai"
	"gongkai/division"
	"gongkai/msg"
	sqlfiles "gongkai/sql"
)

// Querier runs trusted SQL; *store.Store implements it.
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (*gongkai.Result, error)
}

// Division compiles division d for year from the reports q holds: the
// bodies' sums (whole-area reports never added to their parts), the
// division's full name and aggregate body, and the townships of the
// divisions data with no report. With no report inside d for year it
// returns an error wrapping gongkai.ErrNotFound.
func Division(ctx context.Context, q Querier, res *division.Resolver, d division.Division, year int) (*Compilation, error) {
	c, err := Sum(ctx, q, division.CodePrefix(d.Code), year)
	if err != nil {
		return nil, err
	}
	c.Division = d
	c.Report.Organization = res.FullName(d.Code)
	body, _ := res.Body(d.Code)
	body.Aggregate = true
	switch d.Level {
	case division.County:
		body.Type = division.CountyAggregate
	case division.City:
		body.Type = division.CityAggregate
	case division.Province:
		body.Type = division.ProvinceAggregate
	}
	c.Report.Body = body
	c.AddExpectedTownships(res)
	return c, nil
}

// RuleCompile names findings about a compiled total: a cell that some
// body did not state, so the district's sum is unknown.
const RuleCompile = "COMPILE"

// Body is one body in a compilation: a report included, or a body
// expected but missing.
type Body struct {
	ReportID      int64  `json:"-"`
	Organization  string `json:"organization"`
	BodyType      string `json:"body_type,omitempty"`
	DivisionCode  string `json:"division_code,omitempty"`
	Township      string `json:"township,omitempty"`
	FormatVersion string `json:"format_version,omitempty"`
	SourcePath    string `json:"source_path,omitempty"`
	Aggregate     bool   `json:"aggregate,omitempty"`
	// Problems counts the report's failed or uncertain findings.
	Problems int64 `json:"problems,omitempty"`
	// LastYear is the latest year a missing body reported (0 when it is
	// expected from the divisions data only).
	LastYear int64 `json:"last_year,omitempty"`
	// Note says why a missing body is expected.
	Note string `json:"note,omitempty"`
}

// BodyFinding is a finding of one included report.
type BodyFinding struct {
	Organization string `json:"organization"`
	gongkai.Finding
}

// Compilation is a division's compiled report for a year: every cell the
// sum of the included bodies' cells (what a district office compiles each
// January from its townships, streets and departments).
type Compilation struct {
	Year int
	// Prefix is what the included bodies' division codes start with.
	Prefix string
	// Division is the compiled division (set by the caller).
	Division division.Division
	// Report holds the sums in the layout most included bodies use; its
	// Organization is the division's full name. A cell some body did not
	// state is null, and a COMPILE finding gives the known part.
	Report *gongkai.Report
	// Bodies lists the reports summed; Aggregates the division's whole-area
	// reports of the year (never summed; R9 compares them).
	Bodies     []Body
	Aggregates []Body
	// Missing lists bodies expected but without a report this year: those
	// that reported in an earlier year, and townships of the divisions data
	// with no report.
	Missing []Body
	// Findings are the failed or uncertain findings of the included bodies.
	Findings []BodyFinding
	// Unresolved lists reports of the year with no division at all.
	Unresolved []string
}

// AddExpectedTownships adds to Missing the township-level divisions below
// the compiled division (from the divisions data) of which no included body
// is part. A body counts for a township by code, or by name when its
// township was kept by name only (龙山街道 for the data's 龙山路街道 is not
// matched: it is listed, which a reader of the list can judge).
func (c *Compilation) AddExpectedTownships(r *division.Resolver) {
	if c.Division.Level != division.County {
		return
	}
	have := map[string]bool{}
	for _, b := range c.Bodies {
		have[b.DivisionCode] = true
		if b.Township != "" {
			have[b.Township] = true
		}
	}
	for _, m := range c.Missing {
		have[m.DivisionCode] = true
		if m.Township != "" {
			have[m.Township] = true
		}
	}
	for _, t := range r.Children(c.Division.Code) {
		if have[t.Code] || have[t.Name] {
			continue
		}
		typ := division.TownshipGovernment
		if strings.HasSuffix(t.Name, "街道") || strings.HasSuffix(t.Name, "办事处") {
			typ = division.StreetOffice
		}
		c.Missing = append(c.Missing, Body{
			Organization: t.Name, BodyType: typ, DivisionCode: t.Code, Township: t.Name,
			Note: "township in the divisions data; no report stored for it",
		})
	}
}

// Title is the heading of the compiled report.
func (c *Compilation) Title() string {
	return fmt.Sprintf("%s %d年政府信息公开工作年度报告 汇总（%d个机关）", c.Report.Organization, c.Year, len(c.Bodies))
}

func compileSQL(name string) string {
	b, err := sqlfiles.Files.ReadFile("compile/" + name + ".sql")
	if err != nil {
		panic("compile: missing embedded sql/compile/" + name + ".sql")
	}
	return string(b)
}

// Sum adds up, cell by cell,, every report of year whose division code
// starts with prefix (division.CodePrefix), whole-area reports excluded. With no
// report at all it returns an error wrapping gongkai.ErrNotFound.
func Sum(ctx context.Context, q Querier, prefix string, year int) (*Compilation, error) {
	args := []any{sql.Named("year", year), sql.Named("prefix", prefix)}
	c := &Compilation{Year: year, Prefix: prefix}

	res, err := q.Query(ctx, compileSQL("bodies"), args...)
	if err != nil {
		return nil, err
	}
	versions := map[string]int{}
	for _, row := range res.Rows {
		b := Body{
			ReportID: row[0].(int64), Organization: compileStr(row[1]), BodyType: compileStr(row[2]),
			DivisionCode: compileStr(row[3]), Township: compileStr(row[4]), FormatVersion: compileStr(row[5]),
			SourcePath: compileStr(row[6]), Aggregate: row[7] == true, Problems: row[8].(int64),
		}
		if b.Aggregate {
			c.Aggregates = append(c.Aggregates, b)
			continue
		}
		c.Bodies = append(c.Bodies, b)
		versions[b.FormatVersion]++
	}
	if len(c.Bodies) == 0 {
		return nil, &gongkai.Error{Op: "compile", Path: prefix, Err: fmt.Errorf("%w: no reports for %d inside division %s", gongkai.ErrNotFound, year, prefix),
			Hint: "check the year, and that the reports were ingested with their division (gongkai ingest --district ...)"}
	}
	// The layout most bodies use; on a tie the newer.
	v := gongkai.V2021
	if versions[string(gongkai.V2019)] > versions[string(gongkai.V2021)] {
		v = gongkai.V2019
	}
	c.Report = gongkai.NewReport(v)
	c.Report.ReportYear = year

	res, err = q.Query(ctx, compileSQL("cells"), args...)
	if err != nil {
		return nil, err
	}
	type sum struct {
		total        gongkai.Num
		known, count int64
	}
	sums := map[string]sum{}
	for _, row := range res.Rows {
		path := gongkai.CellPath(compileStr(row[0]), compileStr(row[1]), compileStr(row[2]))
		t, _ := row[3].(gongkai.Num)
		sums[path] = sum{t, row[4].(int64), row[5].(int64)}
	}
	// （六）其他处理: bodies that print it as one row (2019, and 2021 reports
	// printed without its sub-rows, FORMAT.md §3) state 3_6, the others
	// 3_6_1…3_6_3. When any body printed one row, the compiled report does
	// too, and its 3_6 adds each body's one row or its sub-rows; the
	// sub-rows stay unknown.
	if c.Report.FormatVersion == gongkai.V2021 {
		for p, sm := range sums {
			if strings.HasPrefix(p, gongkai.SecApplications+"."+gongkai.RowOtherHandled+".") && sm.known > 0 {
				c.Report.UseSingleOther(true)
				break
			}
		}
	}
	if _, ok := c.Report.Layout().Row(gongkai.RowOtherHandled); ok {
		n := int64(len(c.Bodies))
		for _, col := range c.Report.Layout().Columns {
			one := sums[gongkai.CellPath(gongkai.SecApplications, gongkai.RowOtherHandled, col.Key)]
			total, subsKnown := one.total, int64(-1)
			if !total.Valid() {
				total = gongkai.Int(0)
			}
			for _, k := range []string{"3_6_1", "3_6_2", "3_6_3"} {
				sub := sums[gongkai.CellPath(gongkai.SecApplications, k, col.Key)]
				if subsKnown >= 0 && sub.known != subsKnown {
					subsKnown = -2 // the sub-rows are stated by different bodies
					break
				}
				subsKnown = sub.known
				if sub.known > 0 {
					total = total.Add(sub.total)
				}
			}
			if subsKnown >= 0 && one.known+subsKnown == n {
				sums[gongkai.CellPath(gongkai.SecApplications, gongkai.RowOtherHandled, col.Key)] = sum{total, n, n}
			}
		}
	}
	for _, cell := range c.Report.Cells() {
		p := cell.Path()
		sm, ok := sums[p]
		if ok && sm.known == sm.count && sm.known > 0 {
			if err := c.Report.Set(p, sm.total); err != nil {
				return nil, err
			}
			continue
		}
		n := int64(len(c.Bodies))
		code, args := msg.CompileUnstated, msg.A("path", p, "missing", n-sm.known, "n", n)
		if sm.known > 0 {
			code, args = msg.CompilePartial, msg.A("path", p, "missing", n-sm.known, "n", n, "known", sm.known, "sum", sm.total)
		}
		c.Report.Findings = append(c.Report.Findings,
			gongkai.Coded(RuleCompile, gongkai.SevWarning, gongkai.Uncertain, gongkai.Paths{p}, code, args))
	}

	res, err = q.Query(ctx, compileSQL("expected"), args...)
	if err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		c.Missing = append(c.Missing, Body{
			Organization: compileStr(row[0]), BodyType: compileStr(row[1]), DivisionCode: compileStr(row[2]),
			Township: compileStr(row[3]), LastYear: row[4].(int64),
			Note: fmt.Sprintf("reported for %d, not for %d", row[4].(int64), year),
		})
	}

	res, err = q.Query(ctx, compileSQL("findings"), args...)
	if err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		fargs, err := msg.ParseArgs(row[7])
		if err != nil {
			return nil, err
		}
		f := BodyFinding{Organization: compileStr(row[0]), Finding: gongkai.Finding{
			Rule: compileStr(row[1]), Severity: gongkai.Severity(compileStr(row[2])), Status: gongkai.Status(compileStr(row[3])),
			Message: compileStr(row[5]), Code: compileStr(row[6]), Args: fargs,
		}}
		if ws, ok := row[4].([]any); ok {
			for _, w := range ws {
				f.Where = append(f.Where, compileStr(w))
			}
		}
		c.Findings = append(c.Findings, f)
	}

	res, err = q.Query(ctx, compileSQL("unresolved"), sql.Named("year", year))
	if err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		c.Unresolved = append(c.Unresolved, fmt.Sprintf("%s (%s)", compileStr(row[0]), compileStr(row[1])))
	}
	slices.Sort(c.Unresolved)
	return c, nil
}

func compileStr(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}
