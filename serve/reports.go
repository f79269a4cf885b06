package serve

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"gongkai"
)

func namedArg(name string, v any) any { return sql.Named(name, v) }

const listReportsSQL = `
SELECT r.report_id, r.organization, r.report_year, r.format_version, r.published_on,
       r.province, r.city, r.county, r.township, r.division_code, r.body_type, r.is_aggregate,
       r.source_path, r.rendering, r.ingested_at,
       (SELECT count(*) FROM findings f WHERE f.report_id = r.report_id) AS findings
FROM reports r
WHERE ($year IS NULL OR r.report_year = $year)
  AND ($division IS NULL
       OR starts_with(r.division_code, $division)
       OR $division IN (r.province, r.city, r.county, r.township))
ORDER BY r.report_year, r.division_code NULLS LAST, r.organization, r.report_id
LIMIT $limit OFFSET $offset`

// GET /v1/reports?division=&year=&limit=&offset=
func (s *Server) listReports(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var year, division any
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("year %q is not a year", v), "for example year=2023")
			return
		}
		year = int64(y)
	}
	if v := q.Get("division"); v != "" {
		division = v
	}
	limit, offset := int64(1000), int64(0)
	for _, p := range []struct {
		name string
		dst  *int64
		max  int64
	}{{"limit", &limit, 10000}, {"offset", &offset, 1 << 40}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 0 || n > p.max {
				writeError(w, http.StatusBadRequest, fmt.Sprintf("%s %q out of range", p.name, v), fmt.Sprintf("0 to %d", p.max))
				return
			}
			*p.dst = n
		}
	}
	st, done, err := s.open(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer done()
	res, err := st.Query(r.Context(), listReportsSQL, namedArg("year", year), namedArg("division", division),
		namedArg("limit", limit+1), namedArg("offset", offset))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	truncated := int64(len(res.Rows)) > limit
	if truncated {
		res.Rows = res.Rows[:limit]
	}
	out := make([]map[string]any, len(res.Rows))
	for i, row := range res.Rows {
		m := make(map[string]any, len(row))
		for j, c := range res.Columns {
			m[c] = row[j]
		}
		out[i] = m
	}
	writeJSON(w, http.StatusOK, map[string]any{"reports": out, "truncated": truncated})
}

// reportDetail is GET /v1/reports/{id}: the record (FORMAT.md §5 shape,
// findings included), where each cell came from, and the stored file.
type reportDetail struct {
	ReportID   int64                     `json:"report_id"`
	Record     *gongkai.Report           `json:"record"`
	Findings   []findingJSON             `json:"findings"`
	Provenance map[string]gongkai.Source `json:"provenance"`
	Source     map[string]any            `json:"source"`
}

type findingJSON struct {
	gongkai.Finding
	Scope string `json:"scope"`
}

func (s *Server) getReport(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("report id %q is not a number", r.PathValue("id")), "ids come from GET /v1/reports")
		return
	}
	st, done, err := s.open(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer done()
	ctx := r.Context()
	head, err := st.Query(ctx, `SELECT organization, report_year, format_version, published_on,
		province, city, county, township, division_code, body_type, is_aggregate,
		source_path, rendering, content_hash, ingested_at FROM reports WHERE report_id = ?`, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(head.Rows) == 0 {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no report %d", id), "ids come from GET /v1/reports")
		return
	}
	h := head.Rows[0]
	v, err := gongkai.ParseVersion(str(h[2]))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep := gongkai.NewReport(v)
	rep.Organization = str(h[0])
	rep.ReportYear = int(toInt(h[1]))
	if t, ok := h[3].(time.Time); ok {
		rep.PublishedOn = t.Format(time.DateOnly)
	}
	agg, _ := h[10].(bool)
	rep.Body = gongkai.Body{Province: str(h[4]), City: str(h[5]), County: str(h[6]), Township: str(h[7]),
		DivisionCode: str(h[8]), Type: str(h[9]), Aggregate: agg}
	prov := map[string]gongkai.Source{}

	cells, err := st.Query(ctx, `
		SELECT 'active', item_key, metric_key, value, source_loc, source_raw FROM active_cells WHERE report_id = $id
		UNION ALL SELECT 'applications', row_key, col_key, CAST(value AS DECIMAL(18,6)), source_loc, source_raw FROM application_cells WHERE report_id = $id
		UNION ALL SELECT 'review_litigation', block_key, col_key, CAST(value AS DECIMAL(18,6)), source_loc, source_raw FROM review_cells WHERE report_id = $id`,
		namedArg("id", id))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range cells.Rows {
		path := gongkai.CellPath(str(c[0]), str(c[1]), str(c[2]))
		if n, ok := c[3].(gongkai.Num); ok {
			if err := rep.Set(path, n); err != nil {
				s.log.Warn("stored cell not in layout", "report", id, "cell", path)
				continue
			}
		}
		if c[4] != nil || c[5] != nil {
			prov[path] = gongkai.Source{Loc: str(c[4]), Raw: str(c[5])}
		}
	}
	narr, err := st.Query(ctx, `SELECT key, value, source_loc, source_raw FROM narrative WHERE report_id = ?`, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range narr.Rows {
		if n, ok := c[1].(gongkai.Num); ok {
			rep.Narrative[str(c[0])] = n
		}
		if c[2] != nil || c[3] != nil {
			prov["narrative."+str(c[0])] = gongkai.Source{Loc: str(c[2]), Raw: str(c[3])}
		}
	}
	fs, err := st.Query(ctx, `SELECT rule, severity, status, to_json("where")::VARCHAR, message, scope
		FROM findings WHERE report_id = ? ORDER BY scope, rule, message`, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	findings := []findingJSON{}
	for _, f := range fs.Rows {
		var where gongkai.Paths
		_ = json.Unmarshal([]byte(str(f[3])), &where)
		fd := gongkai.Finding{Rule: str(f[0]), Severity: gongkai.Severity(str(f[1])),
			Status: gongkai.Status(str(f[2])), Where: where, Message: str(f[4])}
		findings = append(findings, findingJSON{fd, str(f[5])})
		rep.Findings = append(rep.Findings, fd)
	}
	writeJSON(w, http.StatusOK, reportDetail{
		ReportID: id, Record: rep, Findings: findings, Provenance: prov,
		Source: map[string]any{"path": h[11], "rendering": h[12], "content_hash": h[13], "ingested_at": h[14]},
	})
}

func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func toInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case gongkai.Num:
		n, _ := x.Int64()
		return n
	}
	return 0
}
