package render

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mattn/go-runewidth"
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
				// The problems count is a number, so Excel sums and
				// sorts it.
				if n, err := strconv.Atoi(v); err == nil && j < len(g.header) && g.header[j] == problemsHeader {
					set(s, j+1, row, n)
					continue
				}
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

// XLSXZone is the zone a TIMESTAMP cell of a tabular workbook shows: China
// Standard Time (UTC+8, no daylight saving), the office's clock. The
// store keeps times in UTC; Excel cells carry no zone, so the cell holds
// the UTC+8 wall clock and its number format prints "UTC+8" after it.
var XLSXZone = time.FixedZone("UTC+8", 8*3600)

// Number formats of date and timestamp cells; the quoted zone is literal
// text in Excel's format language.
const (
	xlsxDateFormat      = "yyyy-mm-dd"
	xlsxTimestampFormat = `yyyy-mm-dd hh:mm:ss "UTC+8"`
)

// XLSXColumnsSheet is the second sheet of a tabular workbook: one row per
// column of the data sheet with its header (the official label), its
// machine key (the column name in CSV, JSON, Parquet and SQL) and its
// DuckDB type.
const XLSXColumnsSheet = "columns"

// xlsxSizingRows is how many rows are held back to size the columns
// before the sheet streams.
const xlsxSizingRows = 500

// XLSXTable streams rows into a workbook for Excel and WPS: sheet "data"
// with a header row, then one row per Append; sheet "columns" keying each
// header to its machine name. It is the writer of every tabular XLSX
// (export of a table, rollup or query); the compiled report's form-shaped
// workbook is written by WriteCompiled.
//
// The header shows a column's official Chinese label where it is a known
// cell or measure (gongkai.ColumnLabel), else its name. The header row is
// frozen and carries an autofilter; columns are as wide as their header
// and first rows (a CJK character counts two). Numbers are numeric cells,
// DATE a real Excel date (yyyy-mm-dd), TIMESTAMP a real date and time in
// XLSXZone, NULL an empty cell.
type XLSXTable struct {
	f       *excelize.File
	sw      *excelize.StreamWriter
	n       int64
	keys    []string
	types   []string
	header  []string
	pending [][]any // the first rows, before the sheet starts
	started bool
	dateID  int
	timeID  int
	headID  int
}

// NewXLSXTable starts a workbook for columns named columns of DuckDB
// types types ("" or a shorter list = unknown). Close it.
func NewXLSXTable(columns, types []string) (*XLSXTable, error) {
	f := excelize.NewFile()
	const sheet = "data"
	t := &XLSXTable{f: f, keys: columns, types: make([]string, len(columns)), header: xlsxHeader(columns)}
	copy(t.types, types)
	err := f.SetSheetName("Sheet1", sheet)
	if err == nil {
		t.dateID, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(xlsxDateFormat)})
	}
	if err == nil {
		t.timeID, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr(xlsxTimestampFormat)})
	}
	if err == nil {
		t.headID, err = f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
			Alignment: &excelize.Alignment{Vertical: "center"}})
	}
	if err == nil {
		t.sw, err = f.NewStreamWriter(sheet)
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return t, nil
}

func ptr[T any](v T) *T { return &v }

// xlsxHeader is each column's label, or its name; a label two columns
// share gets its key after it, so headers stay unique (a filter and
// pandas need that).
func xlsxHeader(keys []string) []string {
	h := make([]string, len(keys))
	count := map[string]int{}
	for i, k := range keys {
		h[i] = k
		if l, ok := gongkai.ColumnLabel(k); ok {
			h[i] = l
		}
		count[h[i]]++
	}
	for i, k := range keys {
		if count[h[i]] > 1 && h[i] != k {
			h[i] += "（" + k + "）"
		}
	}
	return h
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
	cells := make([]any, len(t.keys))
	for i := range cells {
		if i < len(row) {
			cells[i] = t.cell(row[i], t.types[i])
		}
	}
	t.n++
	if !t.started {
		t.pending = append(t.pending, cells)
		if len(t.pending) < xlsxSizingRows {
			return nil
		}
		return t.start()
	}
	return t.writeRow(int(t.n)+1, cells)
}

func (t *XLSXTable) writeRow(r int, cells []any) error {
	cell, err := excelize.CoordinatesToCellName(1, r)
	if err != nil {
		return err
	}
	return t.sw.SetRow(cell, cells)
}

// start sizes the columns from the header and the rows held back,
// freezes the header row, and writes what is held.
func (t *XLSXTable) start() error {
	t.started = true
	for i, h := range t.header {
		w := runewidth.StringWidth(h)
		for _, row := range t.pending {
			if cw := cellWidth(row[i]); cw > w {
				w = cw
			}
		}
		if err := t.sw.SetColWidth(i+1, i+1, float64(min(max(w+2, 8), 60))); err != nil {
			return err
		}
	}
	if err := t.sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(t.header))
	for i, h := range t.header {
		header[i] = excelize.Cell{Value: h, StyleID: t.headID}
	}
	if err := t.sw.SetRow("A1", header, excelize.RowOpts{Height: 20}); err != nil {
		return err
	}
	for i, row := range t.pending {
		if err := t.writeRow(i+2, row); err != nil {
			return err
		}
	}
	t.pending = nil
	return nil
}

// cellWidth is how many columns a cell's text takes.
func cellWidth(v any) int {
	switch x := v.(type) {
	case nil:
		return 0
	case excelize.Cell:
		if x.StyleID != 0 {
			if _, ok := x.Value.(time.Time); ok {
				return len(`2006-01-02 15:04:05 UTC+8`) // the widest a date or time shows
			}
		}
		return cellWidth(x.Value)
	case string:
		return runewidth.StringWidth(x)
	case float64:
		return len(strconv.FormatFloat(x, 'f', -1, 64))
	}
	return len(fmt.Sprint(v))
}

// Rows is the number of rows appended.
func (t *XLSXTable) Rows() int64 { return t.n }

// WriteTo finishes the sheets and writes the workbook to w.
func (t *XLSXTable) WriteTo(w io.Writer) (int64, error) {
	if !t.started {
		if err := t.start(); err != nil {
			return 0, err
		}
	}
	if len(t.keys) > 0 {
		// Set on the worksheet the stream writes out at Flush.
		last, err := excelize.CoordinatesToCellName(len(t.keys), int(t.n)+1)
		if err != nil {
			return 0, err
		}
		if err := t.f.AutoFilter("data", "A1:"+last, nil); err != nil {
			return 0, err
		}
	}
	if err := t.sw.Flush(); err != nil {
		return 0, err
	}
	if err := t.columnsSheet(); err != nil {
		return 0, err
	}
	return t.f.WriteTo(w)
}

// columnsSheet lists each column's header, key and type.
func (t *XLSXTable) columnsSheet() error {
	s := XLSXColumnsSheet
	if _, err := t.f.NewSheet(s); err != nil {
		return err
	}
	rows := [][]any{{"表头 header", "字段 key", "类型 type"}}
	for i, k := range t.keys {
		rows = append(rows, []any{t.header[i], k, t.types[i]})
	}
	for r, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := t.f.SetSheetRow(s, cell, &row); err != nil {
			return err
		}
	}
	if err := t.f.SetCellStyle(s, "A1", "C1", t.headID); err != nil {
		return err
	}
	_ = t.f.SetColWidth(s, "A", "A", 40)
	_ = t.f.SetColWidth(s, "B", "B", 30)
	_ = t.f.SetColWidth(s, "C", "C", 16)
	return nil
}

// Close releases the workbook.
func (t *XLSXTable) Close() error { return t.f.Close() }

// cell maps a plain value of DuckDB type typ to what excelize writes as
// the right cell: numbers numeric, dates and timestamps real Excel dates
// (styled), nested values their JSON text; nil stays nil (an empty cell).
func (t *XLSXTable) cell(v any, typ string) any {
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
		switch strings.ToUpper(typ) {
		case "DATE":
			return excelize.Cell{Value: time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC), StyleID: t.dateID}
		case "TIME":
			return Text(x, typ)
		}
		return excelize.Cell{Value: x.In(XLSXZone), StyleID: t.timeID}
	case []any, map[string]any, []byte:
		return Text(x, typ)
	}
	return v
}
