package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gongkai"
	"gongkai/division"
	sqlfiles "gongkai/sql"
)

func compileSQL(name string) string {
	b, err := sqlfiles.Files.ReadFile("compile/" + name + ".sql")
	if err != nil {
		panic("store: missing embedded sql/compile/" + name + ".sql")
	}
	return string(b)
}

// DivisionPrefix turns a division code into the prefix its members' codes
// start with: 370000 → 37, 371000 → 3710, 371003 → 371003; a 9-digit code
// is its own prefix.
func DivisionPrefix(code string) string {
	switch {
	case len(code) == 6 && strings.HasSuffix(code, "0000"):
		return code[:2]
	case len(code) == 6 && strings.HasSuffix(code, "00"):
		return code[:4]
	}
	return code
}

// Compile sums, cell by cell, every report of year whose division code
// starts with prefix (DivisionPrefix), whole-area reports excluded. With no
// report at all it returns an error wrapping gongkai.ErrNotFound.
func (s *Store) Compile(ctx context.Context, prefix string, year int) (*division.Compilation, error) {
	args := []any{sql.Named("year", year), sql.Named("prefix", prefix)}
	c := &division.Compilation{Year: year, Prefix: prefix}

	res, err := s.Query(ctx, compileSQL("bodies"), args...)
	if err != nil {
		return nil, err
	}
	versions := map[string]int{}
	for _, row := range res.Rows {
		b := division.CompiledBody{
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

	res, err = s.Query(ctx, compileSQL("cells"), args...)
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
		msg := fmt.Sprintf("%s: %d of %d bodies did not state it", p, n-sm.known, n)
		if sm.known > 0 {
			msg += fmt.Sprintf("; the %d that did add up to %s", sm.known, sm.total)
		}
		c.Report.Findings = append(c.Report.Findings, gongkai.Finding{
			Rule: division.RuleCompile, Severity: gongkai.SevWarning, Status: gongkai.Uncertain,
			Where: gongkai.Paths{p}, Message: msg,
		})
	}

	res, err = s.Query(ctx, compileSQL("expected"), args...)
	if err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		c.Missing = append(c.Missing, division.CompiledBody{
			Organization: compileStr(row[0]), BodyType: compileStr(row[1]), DivisionCode: compileStr(row[2]),
			Township: compileStr(row[3]), LastYear: row[4].(int64),
			Note: fmt.Sprintf("reported for %d, not for %d", row[4].(int64), year),
		})
	}

	res, err = s.Query(ctx, compileSQL("findings"), args...)
	if err != nil {
		return nil, err
	}
	for _, row := range res.Rows {
		f := division.BodyFinding{Organization: compileStr(row[0]), Finding: gongkai.Finding{
			Rule: compileStr(row[1]), Severity: gongkai.Severity(compileStr(row[2])), Status: gongkai.Status(compileStr(row[3])),
			Message: compileStr(row[5]),
		}}
		if ws, ok := row[4].([]any); ok {
			for _, w := range ws {
				f.Where = append(f.Where, compileStr(w))
			}
		}
		c.Findings = append(c.Findings, f)
	}

	res, err = s.Query(ctx, compileSQL("unresolved"), sql.Named("year", year))
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
