package division

import (
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"

	"gongkai"
)

// Sheet names of the compiled workbook.
const (
	SheetActive = "二、主动公开政府信息情况"
	SheetApps   = "三、收到和处理政府信息公开申请情况"
	SheetReview = "四、政府信息公开行政复议、行政诉讼情况"
	SheetBodies = "机关和问题"
)

func cellName(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col, row)
	return n
}

// xlsxValue is a number cell's value: int64 for counts, float64 for
// money with a fraction, "—" for null.
func xlsxValue(n gongkai.Num) any {
	if !n.Valid() {
		return "—"
	}
	if i, ok := n.Int64(); ok {
		return i
	}
	return n.Float64()
}

// WriteXLSX writes the compiled report as a workbook: one sheet per
// official table laid out like the form (merged headers), and a sheet
// listing the bodies included, the bodies missing and the findings.
func (c *Compilation) WriteXLSX(out io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := c.xlsx(f); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := f.Write(out); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func (c *Compilation) xlsx(f *excelize.File) error {
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
				set(s, j+2, row, xlsxValue(c.Report.Active[it.Key][m.Key]))
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
	merge(s, 4, 2, 10, 2, "申请人情况")
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
			set(s, 4+j, row, xlsxValue(c.Report.Applications[r.Key][j]))
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
			set(s, i*n+j+1, 5, xlsxValue(c.Report.ReviewLitigation[b.Key][col.Key]))
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
