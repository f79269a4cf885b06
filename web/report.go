package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"gongkai"
	"gongkai/msg"
	"gongkai/store"
)

// reportData is one body's own report: its three tables with every value's
// source, the cells that findings name marked, its findings.
type reportData struct {
	base
	R        *store.StoredReport
	Tables   []formTable
	Findings []findingRow
	Scopes   []string
	// Sources lists every cell with where it was read, in layout order.
	Sources []sourceRow
	Back    string
}

type sourceRow struct {
	Path, Label, Value, Loc, Raw string
	Flag                         bool
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		h.errorPage(w, r, l, &gongkai.Error{Op: "page", Err: fmt.Errorf("%w: report id %q is not a number", gongkai.ErrUsage, r.PathValue("id"))})
		return
	}
	q := r.URL.Query()
	year, err := parseYear(q.Get("year"))
	if err != nil {
		h.errorPage(w, r, l, err)
		return
	}
	st, done, ok := h.openStore(w, r, l)
	if !ok {
		return
	}
	defer done()
	sr, err := st.Report(r.Context(), id)
	if err != nil {
		h.errorPage(w, r, l, err)
		return
	}
	code := q.Get("division")
	if _, ok := h.res.Lookup(code); !ok {
		code = ""
	}
	d := &reportData{base: newBase(r, l, code), R: sr}
	d.Year = year
	d.Back = d.Link("/")
	if code == "" {
		// Opened on its own: back to the report's own division and year.
		d.Back = d.base.Link("/", "division", sr.Report.Body.DivisionCode, "year", sr.Report.ReportYear)
	}

	named := map[string]bool{}
	for _, f := range sr.Report.Findings {
		for _, p := range f.Where {
			named[p] = true
		}
	}
	source := func(p string) string {
		s, ok := sr.Report.Provenance[p]
		if !ok {
			return ""
		}
		return msg.Phrase(l.Msg(), s.Loc) + " 「" + s.Raw + "」"
	}
	d.Tables = formTables(sr.Report, formInfo{flagged: func(p string) bool { return isNamed(named, p) }, source: source})
	labels := cellLabels(sr.Report)
	for _, f := range sr.Findings {
		d.Findings = append(d.Findings, findingRowOf(f.Finding, labels, "#", l))
		d.Scopes = append(d.Scopes, f.Scope)
	}
	for _, c := range sr.Report.Cells() {
		row := sourceRow{Path: c.Path(), Label: labels[c.Path()], Value: "—", Flag: isNamed(named, c.Path())}
		if c.Value.Valid() {
			row.Value = c.Value.String()
		}
		if s, ok := sr.Report.Provenance[c.Path()]; ok {
			row.Loc, row.Raw = msg.Phrase(l.Msg(), s.Loc), s.Raw
		}
		d.Sources = append(d.Sources, row)
	}
	// The counts section 一 states in prose (共收到申请X件…), which R8
	// compares with the tables.
	keys := make([]string, 0, len(sr.Report.Narrative))
	for k := range sr.Report.Narrative {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		p := "narrative." + k
		row := sourceRow{Path: p, Label: "一 · " + k, Value: sr.Report.Narrative[k].String(), Flag: isNamed(named, p)}
		if s, ok := sr.Report.Provenance[p]; ok {
			row.Loc, row.Raw = msg.Phrase(l.Msg(), s.Loc), s.Raw
		}
		d.Sources = append(d.Sources, row)
	}
	h.render(w, http.StatusOK, "report.html", d)
}
