package render

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/compile"
)

// Sheet names of the compiled workbook.
const (
	SheetActive = gongkai.HeadingActive
	SheetApps   = gongkai.HeadingApplications
	SheetReview = gongkai.HeadingReview
	SheetBodies = "机关和问题"
)

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// compiledValue is a number cell's value: int64 for counts, float64 for
// money with a fraction, "—" for null.
func compiledValue(n gongkai.Num) any {
	if !n.Valid() {
		return "—"
	}
	if i, ok := n.Int64(); ok {
		return i
	}
	return n.Float64()
}

// writeCompiledXLSX writes the compiled report as a workbook: one sheet per
// official table laid out like the form (merged headers), and a sheet
// listing the bodies included, the bodies missing and the findings.
func writeCompiledXLSX(out io.Writer, c *compile.Compilation) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := compiledSheets(f, c); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := f.Write(out); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func compiledSheets(f *excelize.File, c *compile.Compilation) error {
	l := c.Report.Layout()
	var err error
	set := func(sheet string, col, row int, v any) {
		if err == nil {
			err = f.SetCellValue(sheet, cellName(col, row), v)
		}
	}
	merge := func(sheet string, c1, r1, c2, r2 int, v any) {
		set(sheet, c1, r1, v)
		if err == nil && (c1 != c2 || r1 != r2) {
			err = f.MergeCell(sheet, cellName(c1, r1), cellName(c2, r2))
		}
	}
	for i, name := range []string{SheetActive, SheetApps, SheetReview, SheetBodies} {
		if i == 0 {
			err = f.SetSheetName("Sheet1", name)
		} else if err == nil {
			_, err = f.NewSheet(name)
		}
	}
	if err != nil {
		return err
	}
	border := []excelize.Border{
		{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1},
		{Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1},
	}
	grid, err := f.NewStyle(&excelize.Style{Border: border,
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "center"}})
	if err != nil {
		return err
	}
	box := func(sheet string, c1, r1, c2, r2 int) {
		if err == nil {
			err = f.SetCellStyle(sheet, cellName(c1, r1), cellName(c2, r2), grid)
		}
	}

	// 二: one block after another, as the form stacks them.
	s, row := SheetActive, 1
	merge(s, 1, row, 4, row, c.Title())
	row++
	for _, g := range activeGrids(c.Report) {
		merge(s, 1, row, len(g.header), row, g.title)
		row++
		for j, h := range g.header {
			set(s, j+1, row, h)
		}
		row++
		for _, it := range l.Active {
			if it.Block != g.title {
				continue
			}
			set(s, 1, row, it.Label)
			for j, m := range it.Metrics {
				set(s, j+2, row, compiledValue(c.Report.Active[it.Key][m.Key]))
			}
			row++
		}
	}
	box(s, 1, 2, 4, row-1)
	_ = f.SetColWidth(s, "A", "A", 24)
	_ = f.SetColWidth(s, "B", "D", 20)

	// 三: three label columns, then the seven applicant columns.
	s = SheetApps
	merge(s, 1, 1, 10, 1, c.Title())
	merge(s, 1, 2, 3, 4, r1Note)
	merge(s, 4, 2, 10, 2, gongkai.ApplicantsLabel)
	merge(s, 4, 3, 4, 4, l.Columns[0].Label)
	merge(s, 5, 3, 9, 3, gongkai.ApplicantGroupLabel)
	for j, col := range l.Columns[1:6] {
		set(s, 5+j, 4, col.Label)
	}
	merge(s, 10, 3, 10, 4, l.Columns[6].Label)
	first, outcomeRows := 0, 0
	groupStart, groupEnd := map[string]int{}, map[string]int{}
	row = 5
	for _, r := range l.Rows {
		if r.Unprinted {
			continue // not in this printing (3_6_1…3_6_3 beside a single （六） row)
		}
		if !strings.HasPrefix(r.Key, gongkai.OutcomeGroupPrefix) {
			merge(s, 1, row, 3, row, r.Label)
		} else {
			if first == 0 {
				first = row
			}
			outcomeRows++
			if r.Group == "三、本年度办理结果" {
				merge(s, 2, row, 3, row, r.Label)
			} else {
				if _, ok := groupStart[r.Group]; !ok {
					groupStart[r.Group] = row
				}
				groupEnd[r.Group] = row
				set(s, 3, row, r.Label)
			}
		}
		for j := range l.Columns {
			set(s, 4+j, row, compiledValue(c.Report.Applications[r.Key][j]))
		}
		row++
	}
	if first > 0 {
		merge(s, 1, first, 1, first+outcomeRows-1, "三、本年度办理结果")
	}
	for g, start := range groupStart {
		merge(s, 2, start, 2, groupEnd[g], g)
	}
	box(s, 1, 2, 10, row-1)
	_ = f.SetColWidth(s, "A", "A", 12)
	_ = f.SetColWidth(s, "B", "B", 16)
	_ = f.SetColWidth(s, "C", "C", 40)
	_ = f.SetColWidth(s, "D", "J", 12)

	// 四: one row of fifteen cells under a two-level header.
	s = SheetReview
	n := len(l.ReviewColumns)
	merge(s, 1, 1, 3*n, 1, c.Title())
	merge(s, 1, 2, n, 3, "行政复议")
	merge(s, n+1, 2, 3*n, 2, "行政诉讼")
	for i, b := range l.ReviewBlocks[1:] {
		_, sub, _ := strings.Cut(b.Label, "·")
		merge(s, n+1+i*n, 3, 2*n+i*n, 3, sub)
	}
	for i, b := range l.ReviewBlocks {
		for j, col := range l.ReviewColumns {
			set(s, i*n+j+1, 4, col.Label)
			set(s, i*n+j+1, 5, compiledValue(c.Report.ReviewLitigation[b.Key][col.Key]))
		}
	}

	box(s, 1, 2, 3*n, 5)

	// Bodies, missing bodies, findings: one titled list after another.
	s, row = SheetBodies, 1
	for _, g := range listGrids(c) {
		set(s, 1, row, g.title)
		row++
		for j, h := range g.header {
			set(s, j+1, row, h)
		}
		row++
		for _, r := range g.rows {
			for j, v := range r {
				set(s, j+1, row, v)
			}
			row++
		}
		row++
	}
	_ = f.SetColWidth(s, "A", "A", 36)
	_ = f.SetColWidth(s, "E", "E", 60)
	return err
}

// XLSXMaxRows is the row limit of an Excel sheet, header included.
const XLSXMaxRows = 1_048_576

// XLSXTable streams rows into a one-sheet workbook named "data": a header
// row, then one row per Append. It is the writer of every tabular XLSX
// (export of a table, rollup or query; a Result as XLSX); the compiled
// report's form-shaped workbook is written by WriteCompiled.
type XLSXTable struct {
	f  *excelize.File
	sw *excelize.StreamWriter
	n  int64
}

// NewXLSXTable starts a workbook with the header row columns. Close it.
func NewXLSXTable(columns []string) (*XLSXTable, error) {
	f := excelize.NewFile()
	const sheet = "data"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	header := make([]any, len(columns))
	for i, c := range columns {
		header[i] = c
	}
	if err := sw.SetRow("A1", header); err != nil {
		f.Close()
		return nil, err
	}
	return &XLSXTable{f: f, sw: sw}, nil
}

// Append adds a row of plain values (gongkai.Num, int64, string,
// time.Time…). Integers and decimals become numeric cells (a DECIMAL(18,6)
// money value keeps its digits: Excel stores doubles, exact to 15
// significant digits); a null becomes an empty cell, never 0. More rows
// than a sheet holds is an error wrapping gongkai.ErrUsage.
func (t *XLSXTable) Append(row []any) error {
	if t.n+1 >= XLSXMaxRows {
		return &gongkai.Error{Op: "export", Err: fmt.Errorf("%w: more than %d rows, the most an XLSX sheet holds", gongkai.ErrUsage, XLSXMaxRows-1),
			Hint: "export as parquet or csv, or narrow the query"}
	}
	cells := make([]any, len(row))
	for i, v := range row {
		cells[i] = tableCell(v)
	}
	cell, err := excelize.CoordinatesToCellName(1, int(t.n)+2)
	if err != nil {
		return err
	}
	if err := t.sw.SetRow(cell, cells); err != nil {
		return err
	}
	t.n++
	return nil
}

// Rows is the number of rows appended.
func (t *XLSXTable) Rows() int64 { return t.n }

// WriteTo finishes the sheet and writes the workbook to w.
func (t *XLSXTable) WriteTo(w io.Writer) (int64, error) {
	if err := t.sw.Flush(); err != nil {
		return 0, err
	}
	return t.f.WriteTo(w)
}

// Close releases the workbook.
func (t *XLSXTable) Close() error { return t.f.Close() }

// tableCell maps a plain value to what excelize writes as the right cell
// type; nil stays nil (an empty cell).
func tableCell(v any) any {
	switch x := v.(type) {
	case gongkai.Num:
		if !x.Valid() {
			return nil
		}
		if i, ok := x.Int64(); ok {
			return i
		}
		return x.Float64()
	case time.Time:
		return x
	case []any, map[string]any:
		return fmt.Sprint(x)
	}
	return v
}
