package web

import (
	"strings"

	"gongkai"
)

// formCell is one cell of a table drawn like the official form: a header
// or label cell, or a value cell that knows its path.
type formCell struct {
	Text             string
	Head             bool
	RowSpan, ColSpan int
	// Path is a value cell's dotted path (applications.1_new.total); empty
	// for labels.
	Path string
	// Null marks a value the report left blank or the reader could not
	// settle (or, compiled, that some body did not state).
	Null bool
	// Flag marks a value that a finding names.
	Flag bool
	// Source says where the value was read ("line 212 「１２」"), when known.
	Source string
	// Row is set on a row's first value cell: the row's path
	// (applications.1_new), which findings about a whole row name, so a
	// link to the row lands there.
	Row string
}

// formTable is one of the three official tables.
type formTable struct {
	ID    string
	Title string
	Rows  [][]formCell
}

// formInfo tells formTables which cells to mark.
type formInfo struct {
	// flagged reports whether a finding names the cell at path.
	flagged func(path string) bool
	// source returns where the cell at path was read ("" when unknown).
	source func(path string) string
}

func (fi formInfo) value(path string, n gongkai.Num) formCell {
	c := formCell{Text: "—", Path: path, Null: !n.Valid()}
	if n.Valid() {
		c.Text = n.String()
	}
	if fi.flagged != nil {
		c.Flag = fi.flagged(path)
	}
	if fi.source != nil {
		c.Source = fi.source(path)
	}
	return c
}

func head(text string, rowSpan, colSpan int) formCell {
	return formCell{Text: text, Head: true, RowSpan: rowSpan, ColSpan: colSpan}
}

func label(text string, rowSpan, colSpan int) formCell {
	return formCell{Text: text, RowSpan: rowSpan, ColSpan: colSpan}
}

// formTables lays r out as the three tables of the official form, merged
// header cells and grouped row labels included, so an office compares it
// with the paper form line by line.
func formTables(r *gongkai.Report, fi formInfo) []formTable {
	l := r.Layout()
	return []formTable{activeTable(r, l, fi), applicationsTable(r, l, fi), reviewTable(r, l, fi)}
}

// activeTable is section 二: one block per 第二十条 item group, each with
// its own header row, as the form prints it.
func activeTable(r *gongkai.Report, l *gongkai.Layout, fi formInfo) formTable {
	t := formTable{ID: "active", Title: gongkai.HeadingActive}
	width := 1
	for _, it := range l.Active {
		width = max(width, 1+len(it.Metrics))
	}
	block := ""
	for _, it := range l.Active {
		if it.Block != block {
			block = it.Block
			t.Rows = append(t.Rows, []formCell{head(it.Block, 1, width)})
			h := []formCell{head("信息内容", 1, 1)}
			for i, m := range it.Metrics {
				span := 1
				if i == len(it.Metrics)-1 {
					span = width - len(it.Metrics)
				}
				h = append(h, head(m.Label, 1, span))
			}
			t.Rows = append(t.Rows, h)
		}
		row := []formCell{label(it.Label, 1, 1)}
		for i, m := range it.Metrics {
			c := fi.value(gongkai.CellPath(gongkai.SecActive, it.Key, m.Key), r.Active[it.Key][m.Key])
			if i == 0 {
				c.Row = gongkai.SecActive + "." + it.Key
			}
			if i == len(it.Metrics)-1 {
				c.ColSpan = width - len(it.Metrics)
			}
			row = append(row, c)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// applicationsTable is section 三: the header of seven applicant columns
// under 申请人情况, then the rows with 三、本年度办理结果 and its groups as
// merged label cells.
func applicationsTable(r *gongkai.Report, l *gongkai.Layout, fi formInfo) formTable {
	t := formTable{ID: "applications", Title: gongkai.HeadingApplications}
	cols := l.Columns
	t.Rows = append(t.Rows,
		[]formCell{head(gongkai.R1Note, 3, 3), head(gongkai.ApplicantsLabel, 1, len(cols))},
		[]formCell{head(cols[0].Label, 2, 1), head(gongkai.ApplicantGroupLabel, 1, len(cols)-2), head(cols[len(cols)-1].Label, 2, 1)},
	)
	mid := []formCell{}
	for _, c := range cols[1 : len(cols)-1] {
		mid = append(mid, head(c.Label, 1, 1))
	}
	t.Rows = append(t.Rows, mid)

	outcomeRows, groupRows := 0, map[string]int{}
	for _, row := range l.Rows {
		if strings.HasPrefix(row.Key, gongkai.OutcomeGroupPrefix) && !row.Unprinted {
			outcomeRows++
			groupRows[row.Group]++
		}
	}
	firstOutcome, seen := true, map[string]bool{}
	for _, row := range l.Rows {
		if row.Unprinted {
			continue // not in this printing (3_6_1…3_6_3 beside a single （六） row)
		}
		var cells []formCell
		switch {
		case !strings.HasPrefix(row.Key, gongkai.OutcomeGroupPrefix):
			cells = append(cells, label(row.Label, 1, 3))
		default:
			if firstOutcome {
				// The outcome rows' own group label is the first row's group.
				cells = append(cells, label(l.Rows[indexOutcome(l)].Group, outcomeRows, 1))
				firstOutcome = false
			}
			if row.Group == l.Rows[indexOutcome(l)].Group {
				cells = append(cells, label(row.Label, 1, 2))
			} else {
				if !seen[row.Group] {
					cells = append(cells, label(row.Group, groupRows[row.Group], 1))
					seen[row.Group] = true
				}
				cells = append(cells, label(row.Label, 1, 1))
			}
		}
		for i, c := range cols {
			v := fi.value(gongkai.CellPath(gongkai.SecApplications, row.Key, c.Key), r.Applications[row.Key][i])
			if i == 0 {
				v.Row = gongkai.SecApplications + "." + row.Key
			}
			cells = append(cells, v)
		}
		t.Rows = append(t.Rows, cells)
	}
	return t
}

// indexOutcome is the index of the first outcome row (（一）予以公开).
func indexOutcome(l *gongkai.Layout) int {
	for i, row := range l.Rows {
		if strings.HasPrefix(row.Key, gongkai.OutcomeGroupPrefix) {
			return i
		}
	}
	return 0
}

// reviewTable is section 四: 行政复议 and the two 行政诉讼 blocks side by
// side, five results each, one row of values.
func reviewTable(r *gongkai.Report, l *gongkai.Layout, fi formInfo) formTable {
	t := formTable{ID: "review", Title: gongkai.HeadingReview}
	n := len(l.ReviewColumns)
	first, rest := l.ReviewBlocks[0], l.ReviewBlocks[1:]
	top := []formCell{head(first.Label, 2, n)}
	group, _, _ := strings.Cut(rest[0].Label, "·")
	top = append(top, head(group, 1, n*len(rest)))
	sub := []formCell{}
	for _, b := range rest {
		_, s, _ := strings.Cut(b.Label, "·")
		sub = append(sub, head(s, 1, n))
	}
	cols := []formCell{}
	vals := []formCell{}
	for _, b := range l.ReviewBlocks {
		for i, c := range l.ReviewColumns {
			cols = append(cols, head(c.Label, 1, 1))
			v := fi.value(gongkai.CellPath(gongkai.SecReview, b.Key, c.Key), r.ReviewLitigation[b.Key][c.Key])
			if i == 0 {
				v.Row = gongkai.SecReview + "." + b.Key
			}
			vals = append(vals, v)
		}
	}
	t.Rows = append(t.Rows, top, sub, cols, vals)
	return t
}
