package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/compile"
	"gongkai/division"
)

// sampleCompilation builds a compilation by hand: two bodies whose cells
// are known, summed here cell by cell.
func sampleCompilation(t *testing.T) *compile.Compilation {
	t.Helper()
	a, b := gongkai.NewReport(gongkai.V2021), gongkai.NewReport(gongkai.V2021)
	for i, cell := range a.Cells() {
		a.Set(cell.Path(), gongkai.Int(int64(i%7)))
		b.Set(cell.Path(), gongkai.Int(int64(i%5+1)))
	}
	a.Set("active.fees.amount_10k_yuan", gongkai.FromMicros(12_500_000))  // 12.5
	b.Set("active.fees.amount_10k_yuan", gongkai.FromMicros(100_250_000)) // 100.25
	sum := gongkai.NewReport(gongkai.V2021)
	for _, cell := range a.Cells() {
		bv, _ := b.Get(cell.Path())
		sum.Set(cell.Path(), cell.Value.Add(bv))
	}
	sum.Set("applications.3_3_1.natural_person", gongkai.Null)
	sum.Findings = []gongkai.Finding{{Rule: compile.RuleCompile, Severity: gongkai.SevWarning, Status: gongkai.Uncertain,
		Where: gongkai.Paths{"applications.3_3_1.natural_person"}, Message: "1 of 2 bodies did not state it"}}
	sum.ReportYear = 2023
	sum.Organization = division.Default().FullName("371003")
	body, _ := division.Default().Body("371003")
	body.Type, body.Aggregate = division.CountyAggregate, true
	sum.Body = body
	d, _ := division.Default().Lookup("371003")
	c := &compile.Compilation{Year: 2023, Prefix: "371003", Division: d, Report: sum,
		Bodies: []compile.Body{
			{Organization: "威海市文登区泽库镇人民政府", BodyType: division.TownshipGovernment, DivisionCode: "371003104", Township: "泽库镇", FormatVersion: "2021"},
			{Organization: "文登区教育和体育局", BodyType: division.CountyDepartment, DivisionCode: "371003", FormatVersion: "2021", Problems: 1},
		},
		Findings: []compile.BodyFinding{{Organization: "文登区教育和体育局", Finding: gongkai.Finding{Rule: "R1", Severity: gongkai.SevError,
			Status: gongkai.Failed, Where: gongkai.Paths{"applications.1_new.total"}, Message: "sum off"}}},
	}
	c.AddExpectedTownships(division.Default())
	return c
}

// compiledWorkbook writes c as XLSX and opens it again.
func compiledWorkbook(t *testing.T, c *compile.Compilation) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteCompiled(&buf, c, XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestCompiledXLSXReadBack(t *testing.T) {
	c := sampleCompilation(t)
	f := compiledWorkbook(t, c)
	want := []string{SheetActive, SheetApps, SheetReview, SheetBodies}
	if got := f.GetSheetList(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("sheets = %v", got)
	}
	get := func(sheet, cell string) string {
		v, err := f.GetCellValue(sheet, cell)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	l := c.Report.Layout()
	// Section 三: labels in column C (or B:C, A:C merged: the value sits in
	// the first cell of the merge), the seven columns in D..J from row 5.
	if got := get(SheetApps, "D3"); got != "自然人" {
		t.Errorf("D3 = %q", got)
	}
	if got := get(SheetApps, "E3"); got != gongkai.ApplicantGroupLabel {
		t.Errorf("E3 = %q", got)
	}
	if got := get(SheetApps, "J3"); got != "总计" {
		t.Errorf("J3 = %q", got)
	}
	for i, r := range l.Rows {
		row := 5 + i
		var label string
		switch {
		case !strings.HasPrefix(r.Key, "3_"):
			label = get(SheetApps, cellName(1, row))
		case r.Group == "三、本年度办理结果":
			label = get(SheetApps, cellName(2, row))
		default:
			label = get(SheetApps, cellName(3, row))
		}
		if label != r.Label {
			t.Errorf("row %d label %q, want %q", row, label, r.Label)
		}
		for j := range l.Columns {
			want := cellText(c.Report.Applications[r.Key][j])
			if got := get(SheetApps, cellName(4+j, row)); got != want {
				t.Errorf("%s col %d = %q, want %q", r.Key, j, got, want)
			}
		}
	}
	// Hand-checked: 1_new.total is cell index 10+6 = 16 of the layout
	// order: a = 16%7 = 2, b = 16%5+1 = 2, sum 4.
	if got := get(SheetApps, "J5"); got != "4" {
		t.Errorf("1_new.total = %q, want 4", got)
	}
	// The null cell shows as —: 3_3_1 is the fifth row of the table (row 9).
	if got := get(SheetApps, "D9"); got != "—" {
		t.Errorf("3_3_1.natural_person = %q, want —", got)
	}
	// Section 二: fees 12.5 + 100.25.
	found := false
	rows, _ := f.GetRows(SheetActive)
	for _, r := range rows {
		if len(r) >= 2 && r[0] == "行政事业性收费" {
			found = true
			if r[1] != "112.75" {
				t.Errorf("fees = %q, want 112.75", r[1])
			}
		}
	}
	if !found {
		t.Errorf("no 行政事业性收费 row in %s", SheetActive)
	}
	// Section 四: header and fifteen values.
	if get(SheetReview, "A2") != "行政复议" || get(SheetReview, "F2") != "行政诉讼" || get(SheetReview, "F3") != "未经复议直接起诉" {
		t.Errorf("review header: %q %q %q", get(SheetReview, "A2"), get(SheetReview, "F2"), get(SheetReview, "F3"))
	}
	for i, b := range l.ReviewBlocks {
		for j, col := range l.ReviewColumns {
			if got, want := get(SheetReview, cellName(i*5+j+1, 5)), cellText(c.Report.ReviewLitigation[b.Key][col.Key]); got != want {
				t.Errorf("%s.%s = %q, want %q", b.Key, col.Key, got, want)
			}
			if got := get(SheetReview, cellName(i*5+j+1, 4)); got != col.Label {
				t.Errorf("review label %q", got)
			}
		}
	}
	all, _ := f.GetRows(SheetBodies)
	var text strings.Builder
	for _, r := range all {
		text.WriteString(strings.Join(r, "|") + "\n")
	}
	for _, s := range []string{"威海市文登区泽库镇人民政府", "文登区教育和体育局", "sum off", "龙山路街道", "1 of 2 bodies"} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("bodies sheet lacks %q", s)
		}
	}
}

func TestCompiledTextAndJSON(t *testing.T) {
	c := sampleCompilation(t)
	var buf bytes.Buffer
	if err := WriteCompiled(&buf, c, Table); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, want := range []string{"山东省威海市文登区 2023年", "一、本年新收政府信息公开申请数量", "（三）不予公开", "  1.属于国家秘密", "行政诉讼·复议后起诉", "泽库镇"} {
		if !strings.Contains(s, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	for _, w := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return WriteCompiled(b, c, Markdown) },
		func(b *bytes.Buffer) error { return WriteCompiled(b, c, HTML) },
	} {
		buf.Reset()
		if err := w(&buf); err != nil || !strings.Contains(buf.String(), "（七）总计") {
			t.Errorf("render: %v", err)
		}
	}
	buf.Reset()
	if err := WriteCompiled(&buf, c, JSON); err != nil {
		t.Fatal(err)
	}
	var back gongkai.Report
	if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
		t.Fatalf("JSON is not a record: %v", err)
	}
	if back.Organization != "山东省威海市文登区" || !back.Body.Aggregate {
		t.Errorf("record org %q body %+v", back.Organization, back.Body)
	}
	for _, cell := range c.Report.Cells() {
		if v, _ := back.Get(cell.Path()); !v.Equal(cell.Value) {
			t.Errorf("%s: %s after round trip, want %s", cell.Path(), v, cell.Value)
		}
	}
	var extra struct {
		Compiled struct {
			Bodies []compile.Body `json:"bodies"`
		} `json:"compiled"`
	}
	json.Unmarshal(buf.Bytes(), &extra)
	if len(extra.Compiled.Bodies) != 2 {
		t.Errorf("compiled.bodies = %d", len(extra.Compiled.Bodies))
	}
}

// TestCompiledXLSXProblemsAreNumbers: the bodies list's problems count is
// a numeric cell (Excel sums and sorts it), the division code stays text.
func TestCompiledXLSXProblemsAreNumbers(t *testing.T) {
	f := compiledWorkbook(t, sampleCompilation(t))
	rows, err := f.GetRows(SheetBodies)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for i, r := range rows {
		if len(r) == 0 && found > 0 {
			break // the end of the bodies list: later lists name bodies too
		}
		if len(r) < 6 || r[0] != "文登区教育和体育局" && r[0] != "威海市文登区泽库镇人民政府" {
			continue
		}
		found++
		cell := cellName(6, i+1)
		if ty, _ := f.GetCellType(SheetBodies, cell); ty != excelize.CellTypeNumber && ty != excelize.CellTypeUnset {
			t.Errorf("%s problems %s: type %v, want a number", r[0], cell, ty)
		}
		want := map[string]string{"文登区教育和体育局": "1", "威海市文登区泽库镇人民政府": "0"}[r[0]]
		if r[5] != want {
			t.Errorf("%s problems = %q, want %s", r[0], r[5], want)
		}
		code := cellName(3, i+1)
		if ty, _ := f.GetCellType(SheetBodies, code); ty != excelize.CellTypeSharedString && ty != excelize.CellTypeInlineString {
			t.Errorf("division code %s type %v, want text", code, ty)
		}
	}
	if found != 2 {
		t.Errorf("found %d bodies in %q", found, rows)
	}
}
