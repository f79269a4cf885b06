package serve

import (
	"fmt"
	"net/http"
	"strconv"

	"gongkai"
	"gongkai/msg"
	"gongkai/render"
	"gongkai/store"
)

// GET /v1/reports?division=&year=&limit=&offset=
//
// The answer carries the total number of matching reports (the "total"
// field and X-Total-Count), so a dashboard can page, and the store's ETag,
// so it can revalidate for nothing (If-None-Match → 304).
func (s *Server) listReports(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	year := 0
	if v := q.Get("year"); v != "" {
		y, err := strconv.Atoi(v)
		if err != nil {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("year %q is not a year", v), "for example year=2023")
			return
		}
		year = y
	}
	division := q.Get("division")
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
	st, done, ok := s.openRevalidated(w, r)
	if !ok {
		return
	}
	defer done()
	res, err := st.ListReports(r.Context(), year, division, limit+1, offset)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	truncated := int64(len(res.Rows)) > limit
	if truncated {
		res.Rows = res.Rows[:limit]
	}
	// The window count is the last column; an offset past the end leaves
	// no row to read it from, so count again from the start.
	total := int64(0)
	last := len(res.Columns) - 1
	if len(res.Rows) > 0 {
		total, _ = res.Rows[0][last].(int64)
	} else if offset > 0 {
		first, err := st.ListReports(r.Context(), year, division, 1, 0)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if len(first.Rows) > 0 {
			total, _ = first.Rows[0][last].(int64)
		}
	}
	out := make([]map[string]render.Value, len(res.Rows))
	for i, row := range res.Rows {
		m := make(map[string]render.Value, len(row))
		for j, c := range res.Columns[:last] {
			m[c] = render.Value{V: row[j], Type: res.Types[j]}
		}
		out[i] = m
	}
	w.Header().Set("X-Total-Count", strconv.FormatInt(total, 10))
	writeJSON(w, http.StatusOK, map[string]any{"reports": out, "total": total, "limit": limit, "offset": offset, "truncated": truncated})
}

// reportDetail is GET /v1/reports/{id}: the record (FORMAT.md §5 shape,
// findings included), where each cell came from, and the stored file.
type reportDetail struct {
	ReportID   int64                     `json:"report_id"`
	Record     *gongkai.Report           `json:"record"`
	Findings   []apiFinding              `json:"findings"`
	Provenance map[string]gongkai.Source `json:"provenance"`
	Source     map[string]any            `json:"source"`
}

// apiFinding is a stored finding as the API sends it: the English message
// (as stored, for compatibility), its code and args, and the message in
// Chinese (message_zh, from the code through the msg catalogue; the
// English message again for a finding stored without a code).
type apiFinding struct {
	store.StoredFinding
	MessageZh string `json:"message_zh"`
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
	sr, err := st.Report(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var ingested any
	if !sr.IngestedAt.IsZero() {
		ingested = sr.IngestedAt
	}
	findings := make([]apiFinding, len(sr.Findings))
	for i, f := range sr.Findings {
		findings[i] = apiFinding{f, f.Text(msg.ZH)}
	}
	writeJSON(w, http.StatusOK, reportDetail{
		ReportID: id, Record: sr.Report, Findings: findings, Provenance: sr.Report.Provenance,
		Source: map[string]any{"path": sr.SourcePath, "rendering": nullable(sr.Rendering),
			"content_hash": sr.ContentHash, "ingested_at": ingested},
	})
}

// nullable is nil for "", so an unknown value reads null in JSON.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
