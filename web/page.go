package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"sync"

	"gongkai"
	"gongkai/compile"
	"gongkai/division"
)

// indexData is the main page.
type indexData struct {
	base
	Picker   picker
	NoData   bool
	Unplaced int64
	// Counties lists the county-level divisions with reports, when no
	// division is chosen yet.
	Counties []option
	// Chosen is set once a division is picked.
	Chosen   *division.Division
	FullName string
	// NoYear is set when the division has no report for Year.
	NoYear bool
	C      *compile.Compilation
	Tables []formTable
	// Bodies are the included bodies with links to their reports.
	Bodies   []bodyRow
	Findings []findingGroup
	Charts   []template.HTML
	// NFindings counts every finding listed (compile and bodies').
	NFindings int
	// ids maps an included body's organization to its report id.
	ids map[string]int64
}

type bodyRow struct {
	compile.Body
	Href string
}

// findingGroup is one body's findings (or the compilation's own).
type findingGroup struct {
	Organization string
	Href         string
	Items        []findingRow
}

type findingRow struct {
	Rule, Status, Severity, Message string
	// Statement is the rule's official statement (gongkai.Rules), in
	// Chinese: what the finding says does not hold.
	Statement string
	Cells     []cellRef
}

// cellRef names a cell a finding concerns, with its official labels and a
// link to it in the body's report.
type cellRef struct {
	Path, Label, Href string
}

func (h *Handler) index(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	q := r.URL.Query()
	year, err := parseYear(q.Get("year"))
	if err != nil {
		h.errorPage(w, r, l, err)
		return
	}
	chosen, has := pick(h.res, q.Get)
	if !has && q.Get("division") != "" {
		d, err := h.res.District(q.Get("division"))
		if err != nil {
			h.errorPage(w, r, l, &gongkai.Error{Op: "page", Err: fmt.Errorf("%w: %w", gongkai.ErrUsage, err), Hint: gongkai.HintOf(err)})
			return
		}
		chosen, has = d, true
	}
	ctx := r.Context()
	st, done, ok := h.openStore(w, r, l)
	if !ok {
		return
	}
	defer done()
	within := ""
	if has && chosen.Level >= division.County {
		// The county's townships are listed whole.
		within = chosen.Code[:6]
	}
	rows, err := st.Coverage(ctx, within)
	if err != nil {
		h.errorPage(w, r, l, err)
		return
	}
	cov := newCoverage(rows)
	code := ""
	if has {
		code = chosen.Code
	}
	d := &indexData{base: newBase(r, l, code), Unplaced: cov.unplaced, NoData: len(rows) == 0}
	if has && year == 0 {
		if ys := cov.years(division.CodePrefix(chosen.Code)); len(ys) > 0 {
			year = ys[0]
		}
	}
	d.Year = year
	d.Picker = newPicker(l, h.res, cov, chosen, has, year)
	if !has {
		d.Counties = countyOptions(h.res, cov)
		h.render(w, http.StatusOK, "index.html", d)
		return
	}
	d.Chosen = &chosen
	d.FullName = h.res.FullName(chosen.Code)
	if year == 0 || cov.count(division.CodePrefix(chosen.Code), year) == 0 {
		d.NoYear = true
		h.render(w, http.StatusOK, "index.html", d)
		return
	}
	// The compilation and the charts' rollups are separate queries: run
	// them at once.
	var (
		c     *compile.Compilation
		cd    chartData
		errCh error
		wg    sync.WaitGroup
	)
	wg.Go(func() { cd, errCh = fetchCharts(ctx, st, chosen, year) })
	c, err = compile.Division(ctx, st, h.res, chosen, year)
	wg.Wait()
	if errors.Is(err, gongkai.ErrNotFound) {
		// Only whole-area reports: nothing to sum.
		d.NoYear = true
		h.render(w, http.StatusOK, "index.html", d)
		return
	}
	if err != nil {
		h.errorPage(w, r, l, err)
		return
	}
	if errCh != nil {
		// The tables stand without charts; say so in the log.
		h.log.Warn("charts", "division", chosen.Code, "year", year, "err", errCh)
	}
	d.C = c
	h.fill(d)
	if errCh == nil {
		d.Charts = cd.charts(d, d.ids)
	}
	h.render(w, http.StatusOK, "index.html", d)
}

// countyOptions lists the county-level divisions with reports, for the
// first visit.
func countyOptions(res *division.Resolver, cov *coverage) []option {
	seen := map[string]bool{}
	var out []option
	for _, code := range cov.codes {
		if len(code) < 6 || seen[code[:6]] {
			continue
		}
		code = code[:6]
		seen[code] = true
		d, ok := res.Lookup(code)
		if !ok || d.Level != division.County {
			continue
		}
		out = append(out, option{Value: code, Name: res.FullName(code), Reports: cov.count(code, 0)})
	}
	slices.SortFunc(out, func(a, b option) int { return strings.Compare(a.Value, b.Value) })
	if len(out) > 300 {
		out = out[:300]
	}
	return out
}

// fill adds the compilation's tables and lists to d.
func (h *Handler) fill(d *indexData) {
	c := d.C
	ids := map[string]int64{}
	d.ids = ids
	for _, b := range c.Bodies {
		ids[b.Organization] = b.ReportID
		d.Bodies = append(d.Bodies, bodyRow{b, d.Link(fmt.Sprintf("/ui/report/%d", b.ReportID))})
	}
	labels := cellLabels(c.Report)

	// Compiled cells that a finding names: the compile's own (a body left
	// it blank) or any body's.
	named := map[string]bool{}
	for _, f := range c.Report.Findings {
		for _, p := range f.Where {
			named[p] = true
		}
	}
	for _, f := range c.Findings {
		for _, p := range f.Where {
			named[p] = true
		}
	}
	d.Tables = formTables(c.Report, formInfo{flagged: func(p string) bool { return isNamed(named, p) }})

	if len(c.Report.Findings) > 0 {
		g := findingGroup{Organization: d.L.T("compiled")}
		for _, f := range c.Report.Findings {
			g.Items = append(g.Items, findingRowOf(f, labels, "", d.L))
		}
		d.Findings = append(d.Findings, g)
	}
	group := map[string]int{}
	for _, f := range c.Findings {
		i, ok := group[f.Organization]
		if !ok {
			g := findingGroup{Organization: f.Organization}
			if id, ok := ids[f.Organization]; ok {
				g.Href = d.Link(fmt.Sprintf("/ui/report/%d", id))
			}
			i = len(d.Findings)
			group[f.Organization] = i
			d.Findings = append(d.Findings, g)
		}
		g := &d.Findings[i]
		g.Items = append(g.Items, findingRowOf(f.Finding, labels, g.Href, d.L))
	}
	d.NFindings = len(c.Findings) + len(c.Report.Findings)
}

// isNamed reports whether cell path p is named in set, itself or through
// its row (applications.1_new names every column of the row).
func isNamed(set map[string]bool, p string) bool {
	if set[p] {
		return true
	}
	for i := strings.LastIndexByte(p, '.'); i > 0; i = strings.LastIndexByte(p[:i], '.') {
		if set[p[:i]] {
			return true
		}
	}
	return false
}

// cellLabels maps every cell path of r's layout, and every row, to its
// official labels ("三 · 一、本年新收政府信息公开申请数量 · 总计").
func cellLabels(r *gongkai.Report) map[string]string {
	sec := map[string]string{gongkai.SecActive: "二", gongkai.SecApplications: "三", gongkai.SecReview: "四"}
	out := map[string]string{}
	for _, c := range r.Cells() {
		out[c.Path()] = sec[c.Section] + " · " + c.RowLabel + " · " + c.ColLabel
		row := c.Section + "." + c.RowKey
		if _, ok := out[row]; !ok {
			out[row] = sec[c.Section] + " · " + c.RowLabel
		}
	}
	return out
}

// findingRowOf is a finding as the page lists it, its message in l.
func findingRowOf(f gongkai.Finding, labels map[string]string, href string, l Lang) findingRow {
	row := findingRow{Rule: f.Rule, Status: string(f.Status), Severity: string(f.Severity), Message: f.Text(l.Msg())}
	if i := slices.IndexFunc(gongkai.Rules, func(ri gongkai.RuleInfo) bool { return ri.Rule == f.Rule }); i >= 0 {
		row.Statement = gongkai.Rules[i].Statement
	}
	for _, p := range f.Where {
		ref := cellRef{Path: p, Label: labels[p]}
		if ref.Label == "" {
			ref.Label = p
		}
		if href != "" {
			ref.Href = href + "#cell-" + p
		}
		row.Cells = append(row.Cells, ref)
	}
	return row
}
