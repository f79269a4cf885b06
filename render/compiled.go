package render

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"

	"gongkai"
	"gongkai/compile"
	"gongkai/msg"
)

// WriteCompiled writes a division's compiled report in format f: Table
// (aligned plain-text tables), Markdown, HTML (a standalone page laid out
// like the official form), JSON (a report record with a "compiled" field)
// or XLSX (a workbook, one sheet per official table).
func WriteCompiled(w io.Writer, c *compile.Compilation, f Format) error {
	switch f {
	case Table, "":
		return writeCompiledText(w, c)
	case Markdown:
		return writeCompiledMarkdown(w, c)
	case HTML:
		return writeCompiledHTML(w, c)
	case JSON:
		return writeCompiledJSON(w, c)
	case XLSX:
		return writeCompiledXLSX(w, c)
	case CSV:
		return writeCompiledCSV(w, c)
	}
	return fmt.Errorf("%w: a compiled report has no format %q (want %s)", gongkai.ErrUsage, f, NamesOr(Compiled))
}

// Section headings of the official form.
const (
	headActive = gongkai.HeadingActive
	headApps   = gongkai.HeadingApplications
	headReview = gongkai.HeadingReview
	r1Note     = gongkai.R1Note
)

// cellText renders a value as the form shows it; null as —.
func cellText(n gongkai.Num) string {
	if !n.Valid() {
		return "—"
	}
	return n.String()
}

// problemsHeader heads the count of findings per body in the lists of
// bodies (a number in the workbook).
const problemsHeader = "problems"

// grid is a plain table: a header row and body rows.
type grid struct {
	title  string
	header []string
	rows   [][]string
}

// activeGrids returns section 二 as one grid per 第二十条 block, as the
// official form lays it out.
func activeGrids(r *gongkai.Report) []grid {
	l := r.Layout()
	var out []grid
	for _, it := range l.Active {
		if len(out) == 0 || out[len(out)-1].title != it.Block {
			h := []string{"信息内容"}
			for _, m := range it.Metrics {
				h = append(h, m.Label)
			}
			out = append(out, grid{title: it.Block, header: h})
		}
		row := []string{it.Label}
		for _, m := range it.Metrics {
			row = append(row, cellText(r.Active[it.Key][m.Key]))
		}
		g := &out[len(out)-1]
		// 2019's 行政事业性收费 has fewer metrics than its block's header.
		for len(row) < len(g.header) {
			row = append(row, "")
		}
		g.rows = append(g.rows, row)
	}
	return out
}

// appRows returns section 三's rows as label + seven values, with a
// heading row (no values) before each group, as the form reads.
func appRows(r *gongkai.Report) [][]string {
	l := r.Layout()
	var out [][]string
	group := ""
	for _, row := range l.Rows {
		if row.Unprinted {
			continue // not in this printing (3_6_1…3_6_3 beside a single （六） row)
		}
		if strings.HasPrefix(row.Key, gongkai.OutcomeGroupPrefix) {
			if group == "" {
				out = append(out, []string{"三、本年度办理结果"})
				group = "三、本年度办理结果"
			}
			if row.Group != "三、本年度办理结果" && row.Group != group {
				out = append(out, []string{row.Group})
				group = row.Group
			}
		}
		label := row.Label
		if row.Group != "" && row.Group != "三、本年度办理结果" {
			label = "  " + label
		}
		vals := []string{label}
		for i := range l.Columns {
			vals = append(vals, cellText(r.Applications[row.Key][i]))
		}
		out = append(out, vals)
	}
	return out
}

func appHeader(l *gongkai.Layout) []string {
	h := []string{"项目"}
	for _, c := range l.Columns {
		h = append(h, c.Label)
	}
	return h
}

func reviewGrid(r *gongkai.Report) grid {
	l := r.Layout()
	g := grid{header: []string{"类别"}}
	for _, c := range l.ReviewColumns {
		g.header = append(g.header, c.Label)
	}
	for _, b := range l.ReviewBlocks {
		row := []string{b.Label}
		for _, c := range l.ReviewColumns {
			row = append(row, cellText(r.ReviewLitigation[b.Key][c.Key]))
		}
		g.rows = append(g.rows, row)
	}
	return g
}

func bodiesGrid(c *compile.Compilation) grid {
	g := grid{title: fmt.Sprintf("汇总机关 bodies included (%d)", len(c.Bodies)),
		header: []string{"机关 organization", "body_type", "division_code", "township", "layout", problemsHeader}}
	for _, b := range c.Bodies {
		g.rows = append(g.rows, []string{b.Organization, b.BodyType, b.DivisionCode, b.Township, b.FormatVersion, fmt.Sprint(b.Problems)})
	}
	return g
}

func aggregatesGrid(c *compile.Compilation) grid {
	g := grid{title: fmt.Sprintf("全区/全市汇总报告 whole-area reports, not summed (%d)", len(c.Aggregates)),
		header: []string{"机关 organization", "body_type", "division_code", "layout", problemsHeader}}
	for _, b := range c.Aggregates {
		g.rows = append(g.rows, []string{b.Organization, b.BodyType, b.DivisionCode, b.FormatVersion, fmt.Sprint(b.Problems)})
	}
	return g
}

func missingGrid(c *compile.Compilation) grid {
	g := grid{title: fmt.Sprintf("应报未报 expected but missing (%d)", len(c.Missing)),
		header: []string{"机关 organization", "body_type", "division_code", "why expected"}}
	for _, b := range c.Missing {
		g.rows = append(g.rows, []string{b.Organization, b.BodyType, b.DivisionCode, b.Note})
	}
	return g
}

func findingsGrid(c *compile.Compilation) grid {
	g := grid{title: fmt.Sprintf("影响汇总数的问题 findings affecting the totals (%d)", len(c.Findings)+len(c.Report.Findings)),
		header: []string{"机关 organization", "rule", "status", "where", "说明", "message"}}
	// The compiled report is bilingual throughout: each finding in Chinese
	// (from its code) beside the stored English.
	for _, f := range c.Report.Findings {
		g.rows = append(g.rows, []string{"(汇总)", f.Rule, string(f.Status), f.Where.String(), f.Text(msg.ZH), f.Message})
	}
	for _, f := range c.Findings {
		g.rows = append(g.rows, []string{f.Organization, f.Rule, string(f.Status), f.Where.String(), f.Text(msg.ZH), f.Message})
	}
	return g
}

func unresolvedGrid(c *compile.Compilation) grid {
	g := grid{title: fmt.Sprintf("未定位机关 reports of %d with no division, not included (%d)", c.Year, len(c.Unresolved)),
		header: []string{"organization (file)"}}
	for _, u := range c.Unresolved {
		g.rows = append(g.rows, []string{u})
	}
	return g
}

// listGrids are the grids after the three official tables.
func listGrids(c *compile.Compilation) []grid {
	gs := []grid{bodiesGrid(c)}
	if len(c.Aggregates) > 0 {
		gs = append(gs, aggregatesGrid(c))
	}
	gs = append(gs, missingGrid(c), findingsGrid(c))
	if len(c.Unresolved) > 0 {
		gs = append(gs, unresolvedGrid(c))
	}
	return gs
}

// writeGridText writes a grid's title line, then the grid drawn by
// WriteTable (the one table renderer): a column whose cells are all
// numbers or the null mark — is right-aligned.
func writeGridText(w *bytes.Buffer, g grid) error {
	if g.title != "" {
		fmt.Fprintln(w, g.title)
	}
	res := &gongkai.Result{Columns: g.header, Types: make([]string, len(g.header))}
	for i := range g.header {
		res.Types[i] = "VARCHAR"
		if g.numericColumn(i) {
			res.Types[i] = "DECIMAL"
		}
	}
	for _, row := range g.rows {
		r := make([]any, len(g.header))
		for i := range r {
			if i < len(row) {
				r[i] = row[i]
			}
		}
		res.Rows = append(res.Rows, r)
	}
	if err := WriteTable(w, res); err != nil {
		return err
	}
	w.WriteString("\n")
	return nil
}

// numeric reports whether a cell is a number (or the null mark), which
// text tables align right.
func numeric(s string) bool {
	if s == "" || s == "—" {
		return s != ""
	}
	for _, r := range s {
		if (r < '0' || r > '9') && r != '.' && r != '-' {
			return false
		}
	}
	return true
}

// writeCompiledText writes the compiled report as aligned plain-text tables.
func writeCompiledText(out io.Writer, c *compile.Compilation) error {
	var w bytes.Buffer
	fmt.Fprintf(&w, "%s\n", c.Title())
	fmt.Fprintf(&w, "division %s (%s), layout %s\n\n", c.Report.Body.DivisionCode, c.Division.Level, c.Report.FormatVersion)
	fmt.Fprintf(&w, "%s\n\n", headActive)
	review := reviewGrid(c.Report)
	review.title = headReview
	grids := append(activeGrids(c.Report),
		grid{title: headApps + "\n" + r1Note, header: appHeader(c.Report.Layout()), rows: appRows(c.Report)}, review)
	for _, g := range append(grids, listGrids(c)...) {
		if err := writeGridText(&w, g); err != nil {
			return err
		}
	}
	_, err := out.Write(w.Bytes())
	return err
}

func mdEscape(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
}

// numericColumn reports whether column i (not the first, which names
// the row) holds only numbers or the null mark, so it is right-aligned.
func (g grid) numericColumn(i int) bool {
	if i == 0 || len(g.rows) == 0 {
		return false
	}
	for _, row := range g.rows {
		if i < len(row) && row[i] != "" && !numeric(row[i]) {
			return false
		}
	}
	return true
}

func writeGridMarkdown(w *bytes.Buffer, g grid, level string) {
	if g.title != "" {
		fmt.Fprintf(w, "%s %s\n\n", level, mdEscape(g.title))
	}
	w.WriteString("|")
	for _, h := range g.header {
		w.WriteString(" " + mdEscape(h) + " |")
	}
	w.WriteString("\n|")
	for i := range g.header {
		if g.numericColumn(i) {
			w.WriteString(" ---: |")
		} else {
			w.WriteString(" --- |")
		}
	}
	w.WriteString("\n")
	for _, row := range g.rows {
		w.WriteString("|")
		for i := range g.header {
			s := ""
			if i < len(row) {
				s = row[i]
			}
			w.WriteString(" " + mdEscape(strings.TrimSpace(s)) + " |")
		}
		w.WriteString("\n")
	}
	w.WriteString("\n")
}

// writeCompiledMarkdown writes the compiled report as Markdown tables.
func writeCompiledMarkdown(out io.Writer, c *compile.Compilation) error {
	var w bytes.Buffer
	fmt.Fprintf(&w, "# %s\n\n", mdEscape(c.Title()))
	fmt.Fprintf(&w, "Division %s, layout %s.\n\n", c.Report.Body.DivisionCode, c.Report.FormatVersion)
	fmt.Fprintf(&w, "## %s\n\n", headActive)
	for _, g := range activeGrids(c.Report) {
		writeGridMarkdown(&w, g, "###")
	}
	fmt.Fprintf(&w, "## %s\n\n%s\n\n", headApps, r1Note)
	writeGridMarkdown(&w, grid{header: appHeader(c.Report.Layout()), rows: appRows(c.Report)}, "###")
	fmt.Fprintf(&w, "## %s\n\n", headReview)
	writeGridMarkdown(&w, reviewGrid(c.Report), "###")
	for _, g := range listGrids(c) {
		writeGridMarkdown(&w, g, "##")
	}
	_, err := out.Write(w.Bytes())
	return err
}

// writeCompiledHTML writes a standalone HTML page with the three tables laid out
// like the official form (merged header cells) and the lists.
func writeCompiledHTML(out io.Writer, c *compile.Compilation) error {
	var w bytes.Buffer
	e := html.EscapeString
	l := c.Report.Layout()
	fmt.Fprintf(&w, "<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>%s</title>\n", e(c.Title()))
	w.WriteString("<style>body{font-family:sans-serif}table{border-collapse:collapse;margin:0 0 1.5em}" +
		"td,th{border:1px solid #444;padding:2px 6px}td.n{text-align:right}</style></head><body>\n")
	fmt.Fprintf(&w, "<h1>%s</h1>\n<p>Division %s, layout %s.</p>\n", e(c.Title()), e(c.Report.Body.DivisionCode), e(string(c.Report.FormatVersion)))

	fmt.Fprintf(&w, "<h2>%s</h2>\n<table>\n", headActive)
	for _, g := range activeGrids(c.Report) {
		fmt.Fprintf(&w, "<tr><th colspan=\"%d\">%s</th></tr>\n<tr>", len(g.header), e(g.title))
		for _, h := range g.header {
			fmt.Fprintf(&w, "<th>%s</th>", e(h))
		}
		w.WriteString("</tr>\n")
		for _, row := range g.rows {
			w.WriteString("<tr>")
			for i, s := range row {
				if i == 0 {
					fmt.Fprintf(&w, "<td>%s</td>", e(s))
				} else {
					fmt.Fprintf(&w, "<td class=\"n\">%s</td>", e(s))
				}
			}
			w.WriteString("</tr>\n")
		}
	}
	w.WriteString("</table>\n")

	fmt.Fprintf(&w, "<h2>%s</h2>\n<table>\n", headApps)
	fmt.Fprintf(&w, "<tr><th colspan=\"3\" rowspan=\"3\">%s</th><th colspan=\"7\">%s</th></tr>\n", e(r1Note), gongkai.ApplicantsLabel)
	fmt.Fprintf(&w, "<tr><th rowspan=\"2\">%s</th><th colspan=\"5\">%s</th><th rowspan=\"2\">%s</th></tr>\n<tr>",
		e(l.Columns[0].Label), gongkai.ApplicantGroupLabel, e(l.Columns[6].Label))
	for _, col := range l.Columns[1:6] {
		fmt.Fprintf(&w, "<th>%s</th>", e(col.Label))
	}
	w.WriteString("</tr>\n")
	outcomeRows := 0
	groupSpan := map[string]int{}
	for _, row := range l.Rows {
		if strings.HasPrefix(row.Key, gongkai.OutcomeGroupPrefix) && !row.Unprinted {
			outcomeRows++
			groupSpan[row.Group]++
		}
	}
	firstOutcome, seenGroup := true, map[string]bool{}
	for _, row := range l.Rows {
		if row.Unprinted {
			continue // not in this printing (3_6_1…3_6_3 beside a single （六） row)
		}
		w.WriteString("<tr>")
		switch {
		case !strings.HasPrefix(row.Key, gongkai.OutcomeGroupPrefix):
			fmt.Fprintf(&w, "<td colspan=\"3\">%s</td>", e(row.Label))
		default:
			if firstOutcome {
				fmt.Fprintf(&w, "<td rowspan=\"%d\">三、本年度办理结果</td>", outcomeRows)
				firstOutcome = false
			}
			if row.Group == "三、本年度办理结果" {
				fmt.Fprintf(&w, "<td colspan=\"2\">%s</td>", e(row.Label))
			} else {
				if !seenGroup[row.Group] {
					fmt.Fprintf(&w, "<td rowspan=\"%d\">%s</td>", groupSpan[row.Group], e(row.Group))
					seenGroup[row.Group] = true
				}
				fmt.Fprintf(&w, "<td>%s</td>", e(row.Label))
			}
		}
		for i := range l.Columns {
			fmt.Fprintf(&w, "<td class=\"n\">%s</td>", e(cellText(c.Report.Applications[row.Key][i])))
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</table>\n")

	fmt.Fprintf(&w, "<h2>%s</h2>\n<table>\n<tr>", headReview)
	fmt.Fprintf(&w, "<th colspan=\"%d\" rowspan=\"2\">行政复议</th><th colspan=\"%d\">行政诉讼</th></tr>\n<tr>",
		len(l.ReviewColumns), 2*len(l.ReviewColumns))
	for _, b := range l.ReviewBlocks[1:] {
		_, sub, _ := strings.Cut(b.Label, "·")
		fmt.Fprintf(&w, "<th colspan=\"%d\">%s</th>", len(l.ReviewColumns), e(sub))
	}
	w.WriteString("</tr>\n<tr>")
	for range l.ReviewBlocks {
		for _, col := range l.ReviewColumns {
			fmt.Fprintf(&w, "<th>%s</th>", e(col.Label))
		}
	}
	w.WriteString("</tr>\n<tr>")
	for _, b := range l.ReviewBlocks {
		for _, col := range l.ReviewColumns {
			fmt.Fprintf(&w, "<td class=\"n\">%s</td>", e(cellText(c.Report.ReviewLitigation[b.Key][col.Key])))
		}
	}
	w.WriteString("</tr>\n</table>\n")

	for _, g := range listGrids(c) {
		fmt.Fprintf(&w, "<h2>%s</h2>\n<table>\n<tr>", e(g.title))
		for _, h := range g.header {
			fmt.Fprintf(&w, "<th>%s</th>", e(h))
		}
		w.WriteString("</tr>\n")
		for _, row := range g.rows {
			w.WriteString("<tr>")
			for _, s := range row {
				fmt.Fprintf(&w, "<td>%s</td>", e(s))
			}
			w.WriteString("</tr>\n")
		}
		w.WriteString("</table>\n")
	}
	w.WriteString("</body></html>\n")
	_, err := out.Write(w.Bytes())
	return err
}

// writeCompiledJSON writes the compiled report as a report record (FORMAT.md §5)
// whose organization is the division, with one more top-level field,
// "compiled", listing the bodies included, the whole-area reports, the
// bodies missing, the findings affecting the totals and the unresolved
// reports. Readers of records ignore the extra field, so the output can be
// ingested like any record.
func writeCompiledJSON(out io.Writer, c *compile.Compilation) error {
	rec, err := c.Report.MarshalJSON()
	if err != nil {
		return err
	}
	extra := struct {
		Prefix     string                `json:"division_prefix"`
		Bodies     []compile.Body        `json:"bodies"`
		Aggregates []compile.Body        `json:"aggregates"`
		Missing    []compile.Body        `json:"missing"`
		Findings   []compile.BodyFinding `json:"findings"`
		Unresolved []string              `json:"unresolved"`
	}{c.Prefix, nonNil(c.Bodies), nonNil(c.Aggregates), nonNil(c.Missing), nonNil(c.Findings), nonNil(c.Unresolved)}
	ex, err := json.Marshal(extra)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.Write(bytes.TrimSuffix(bytes.TrimSpace(rec), []byte("}")))
	b.WriteString(`,"compiled":`)
	b.Write(ex)
	b.WriteString("}")
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, b.Bytes(), "", "  "); err != nil {
		return err
	}
	pretty.WriteByte('\n')
	_, err = out.Write(pretty.Bytes())
	return err
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
