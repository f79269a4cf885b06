package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"gongkai"
	"gongkai/msg"
	sqlfiles "gongkai/sql"
)

func querySQL(name string) string {
	b, err := sqlfiles.Files.ReadFile("queries/" + name + ".sql")
	if err != nil {
		panic("store: missing embedded sql/queries/" + name + ".sql")
	}
	return string(b)
}

// StoredFinding is a finding as stored, with who produced it: "report"
// (the rules and readers at ingest) or "store" (the cross-report rules).
type StoredFinding struct {
	gongkai.Finding
	Scope string `json:"scope"`
}

// StoredReport is one report read back from the store: the record (every
// cell, the narrative counts, the division, the findings of both scopes in
// Report.Findings and where each value was read in Report.Provenance) and
// the file it came from. The HTTP API and the web page show reports from
// it, so both say the same.
type StoredReport struct {
	ID          int64
	Report      *gongkai.Report
	Findings    []StoredFinding
	SourcePath  string
	Rendering   string
	ContentHash string
	IngestedAt  time.Time
}

// Report reads the stored report id. An id not in the store is an error
// wrapping gongkai.ErrNotFound.
func (s *Store) Report(ctx context.Context, id int64) (*StoredReport, error) {
	arg := sql.Named("id", id)
	head, err := s.Query(ctx, querySQL("report_head"), arg)
	if err != nil {
		return nil, fmt.Errorf("report %d: %w", id, err)
	}
	if len(head.Rows) == 0 {
		return nil, &gongkai.Error{Op: "report", Path: fmt.Sprint(id),
			Err: fmt.Errorf("%w: no report %d", gongkai.ErrNotFound, id), Hint: "report ids come from GET /v1/reports"}
	}
	h := head.Rows[0]
	v, err := gongkai.ParseVersion(textOf(h[2]))
	if err != nil {
		return nil, fmt.Errorf("report %d: %w", id, err)
	}
	rep := gongkai.NewReport(v)
	rep.Organization = textOf(h[0])
	if y, ok := h[1].(int64); ok {
		rep.ReportYear = int(y)
	}
	if t, ok := h[3].(time.Time); ok {
		rep.PublishedOn = t.Format(time.DateOnly)
	}
	agg, _ := h[10].(bool)
	rep.Body = gongkai.Body{Province: textOf(h[4]), City: textOf(h[5]), County: textOf(h[6]),
		Township: textOf(h[7]), DivisionCode: textOf(h[8]), Type: textOf(h[9]), Aggregate: agg}
	out := &StoredReport{ID: id, Report: rep, SourcePath: textOf(h[11]), Rendering: textOf(h[12]),
		ContentHash: textOf(h[13]), Findings: []StoredFinding{}}
	out.IngestedAt, _ = h[14].(time.Time)

	cells, err := s.Query(ctx, querySQL("report_cells"), arg)
	if err != nil {
		return nil, fmt.Errorf("report %d: %w", id, err)
	}
	for _, c := range cells.Rows {
		if textOf(c[0]) == gongkai.SecApplications && textOf(c[1]) == gongkai.RowOtherHandled {
			rep.UseSingleOther(true) // a 2021 report printed with a single （六） row
		}
	}
	for _, c := range cells.Rows {
		path := gongkai.CellPath(textOf(c[0]), textOf(c[1]), textOf(c[2]))
		if n, ok := c[3].(gongkai.Num); ok {
			if err := rep.Set(path, n); err != nil {
				return nil, fmt.Errorf("report %d: stored cell %s: %w", id, path, err)
			}
		}
		if c[4] != nil || c[5] != nil {
			rep.Provenance[path] = gongkai.Source{Loc: textOf(c[4]), Raw: textOf(c[5])}
		}
	}
	narr, err := s.Query(ctx, querySQL("report_narrative"), arg)
	if err != nil {
		return nil, fmt.Errorf("report %d: %w", id, err)
	}
	for _, c := range narr.Rows {
		if n, ok := c[1].(gongkai.Num); ok {
			rep.Narrative[textOf(c[0])] = n
		}
		if c[2] != nil || c[3] != nil {
			rep.Provenance["narrative."+textOf(c[0])] = gongkai.Source{Loc: textOf(c[2]), Raw: textOf(c[3])}
		}
	}
	fs, err := s.Query(ctx, querySQL("report_findings"), arg)
	if err != nil {
		return nil, fmt.Errorf("report %d: %w", id, err)
	}
	for _, f := range fs.Rows {
		var where gongkai.Paths
		if err := json.Unmarshal([]byte(textOf(f[3])), &where); err != nil {
			return nil, fmt.Errorf("report %d: finding cells %q: %w", id, textOf(f[3]), err)
		}
		args, err := msg.ParseArgs(f[7])
		if err != nil {
			return nil, fmt.Errorf("report %d: %w", id, err)
		}
		fd := gongkai.Finding{Rule: textOf(f[0]), Severity: gongkai.Severity(textOf(f[1])),
			Status: gongkai.Status(textOf(f[2])), Where: where, Message: textOf(f[4]), Code: textOf(f[6]), Args: args}
		out.Findings = append(out.Findings, StoredFinding{fd, textOf(f[5])})
		rep.Findings = append(rep.Findings, fd)
	}
	return out, nil
}

// Coverage is what the store holds for one division code and year.
type Coverage struct {
	// DivisionCode is "" for reports whose author was not placed.
	DivisionCode string
	Year         int
	// Reports counts the bodies' reports, Aggregates the whole-area ones.
	Reports, Aggregates int64
}

// Coverage lists, per division code and year, how many reports the store
// holds, so a picker can offer only divisions and years with data. Codes
// are cut to their county (6 digits) except those starting with within
// (say a county's code, whose townships a picker lists); "" cuts all.
func (s *Store) Coverage(ctx context.Context, within string) ([]Coverage, error) {
	var w any
	if within != "" {
		w = within
	}
	res, err := s.Query(ctx, querySQL("coverage"), sql.Named("within", w))
	if err != nil {
		return nil, fmt.Errorf("coverage: %w", err)
	}
	out := make([]Coverage, 0, len(res.Rows))
	for _, r := range res.Rows {
		c := Coverage{DivisionCode: textOf(r[0])}
		y, _ := r[1].(int64)
		c.Year = int(y)
		c.Reports, _ = r[2].(int64)
		c.Aggregates, _ = r[3].(int64)
		out = append(out, c)
	}
	return out, nil
}

// textOf is a scanned value as text; NULL as "".
func textOf(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

// ListReports returns one page of the stored reports of year (0: all)
// inside division ("" : all; matched as the rollups match it, see
// sql/queries/report_list.sql), limit rows from offset, ordered by year,
// division and organization. The last column, total_matching, is how many
// reports match in all.
func (s *Store) ListReports(ctx context.Context, year int, division string, limit, offset int64) (*gongkai.Result, error) {
	var y, d any
	if year != 0 {
		y = int64(year)
	}
	if division = gongkai.DivisionParam(division); division != "" {
		d = division
	}
	res, err := s.Query(ctx, querySQL("report_list"), sql.Named("year", y), sql.Named("division", d),
		sql.Named("limit", limit), sql.Named("offset", offset))
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return res, nil
}
