package render

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai"
)

// tableWorkbook writes a small rollup-shaped table with every kind of
// cell the exports meet.
func tableWorkbook(t *testing.T) []byte {
	t.Helper()
	cols := []string{"organization", "year", "requests_new", "outcome_1", "published_on", "ingested_at", "amount", "note"}
	types := []string{"VARCHAR", "INTEGER", "BIGINT", "BIGINT", "DATE", "TIMESTAMP WITH TIME ZONE", "DECIMAL(18,6)", "VARCHAR"}
	x, err := NewXLSXTable(cols, types)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows := [][]any{
		{"威海市文登区人民政府办公室", int64(2023), int64(49), int64(21),
			time.Date(2024, 3, 19, 0, 0, 0, 0, time.UTC),
			time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), // 11:04:05 in UTC+8
			gongkai.FromMicros(12_500_000), "甲"},
		{"文登区教育和体育局", int64(2023), nil, int64(0), nil, nil, gongkai.Null, nil},
	}
	for _, r := range rows {
		if err := x.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestXLSXTableForExcel(t *testing.T) {
	b := tableWorkbook(t)
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := strings.Join(f.GetSheetList(), "|"); got != "data|columns" {
		t.Fatalf("sheets %s", got)
	}
	rows, err := f.GetRows("data", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	// Official labels where the column is a measure, the key elsewhere.
	wantHeader := []string{"organization", "year", "一、本年新收政府信息公开申请数量", "（一）予以公开", "published_on", "ingested_at", "amount", "note"}
	if strings.Join(rows[0], "|") != strings.Join(wantHeader, "|") {
		t.Errorf("header %q", rows[0])
	}
	// The columns sheet keys each header to its machine name and type.
	keys, _ := f.GetRows("columns")
	if len(keys) != 9 || strings.Join(keys[3], "|") != "一、本年新收政府信息公开申请数量|requests_new|BIGINT" {
		t.Errorf("columns sheet %q", keys)
	}
	// Numbers are numbers; null is an empty cell, never 0.
	for _, c := range []string{"B2", "C2", "D2", "G2", "D3"} {
		if ty, _ := f.GetCellType("data", c); ty != excelize.CellTypeNumber && ty != excelize.CellTypeUnset {
			t.Errorf("%s type %v, want a number", c, ty)
		}
	}
	if v, _ := f.GetCellValue("data", "G2"); v != "12.5" {
		t.Errorf("G2 = %q", v)
	}
	if v, _ := f.GetCellValue("data", "C3"); v != "" {
		t.Errorf("null C3 = %q", v)
	}
	// Real dates: serial numbers (2024-03-19 is day 45370 of Excel's
	// calendar, counted by hand: 45292 = 2024-01-01, +31+29+18), shown
	// by the number format.
	if raw := rows[1][4]; raw != "45370" {
		t.Errorf("date raw %q, want 45370", raw)
	}
	if v, _ := f.GetCellValue("data", "E2"); v != "2024-03-19" {
		t.Errorf("date shows %q", v)
	}
	// 2026-01-02T03:04:05Z shows as 11:04:05 UTC+8.
	if v, _ := f.GetCellValue("data", "F2"); v != "2026-01-02 11:04:05 UTC+8" {
		t.Errorf("timestamp shows %q", v)
	}
	panes, err := f.GetPanes("data")
	if err != nil || !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v %v", panes, err)
	}
	if ref := autoFilterRef(t, b); ref != "$A$1:$H$3" {
		t.Errorf("autofilter %q, want $A$1:$H$3", ref)
	}
	// Widths: the CJK header counts two columns per character
	// (16 characters → 32, + 2), an ASCII key its length (min 8).
	for col, want := range map[string]float64{"C": 34, "B": 8, "A": 28} {
		if w, _ := f.GetColWidth("data", col); w != want {
			t.Errorf("width of %s = %v, want %v", col, w, want)
		}
	}
}

// autoFilterRef is the data sheet's <autoFilter ref>.
func autoFilterRef(t *testing.T, b []byte) string {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		if f.Name != "xl/worksheets/sheet1.xml" {
			continue
		}
		rc, _ := f.Open()
		x, _ := io.ReadAll(rc)
		rc.Close()
		m := regexp.MustCompile(`<autoFilter ref="([^"]+)"`).FindSubmatch(x)
		if m == nil {
			return ""
		}
		return string(m[1])
	}
	t.Fatal("no sheet1.xml")
	return ""
}

func TestXLSXTableEmpty(t *testing.T) {
	x, err := NewXLSXTable([]string{"a"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var buf bytes.Buffer
	if _, err := x.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("data")
	if len(rows) != 1 || rows[0][0] != "a" {
		t.Errorf("rows %q", rows)
	}
}

// TestXLSXTableOpenpyxl reads the workbook with openpyxl, the library
// pandas uses: headers, a date cell's type and value, the freeze pane,
// the filter and the number cells.
func TestXLSXTableOpenpyxl(t *testing.T) {
	// Debian's python3 first: a python3 earlier on PATH (pyenv, a
	// virtualenv) does not see Debian's python3-openpyxl.
	python := ""
	for _, py := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(py, "-c", "import openpyxl").Run() == nil {
			python = py
			break
		}
	}
	if python == "" {
		t.Skip("python3 with openpyxl not installed (./scripts/install-deps installs python3-openpyxl)")
	}
	path := filepath.Join(t.TempDir(), "t.xlsx")
	if err := os.WriteFile(path, tableWorkbook(t), 0o644); err != nil {
		t.Fatal(err)
	}
	const script = `
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["data"]
print("|".join(c.value for c in ws[1]))
e2, f2 = ws["E2"], ws["F2"]
print(type(e2.value).__name__, e2.value.isoformat(), e2.is_date, e2.number_format)
print(type(f2.value).__name__, f2.value.isoformat(), f2.number_format)
print(ws.freeze_panes, ws.auto_filter.ref.replace("$", ""))
print(type(ws["C2"].value).__name__, ws["C2"].value, ws["G2"].value, ws["C3"].value)
`
	out, err := exec.Command(python, "-c", script, path).CombinedOutput()
	if err != nil {
		t.Fatalf("openpyxl: %v\n%s", err, out)
	}
	want := "organization|year|一、本年新收政府信息公开申请数量|（一）予以公开|published_on|ingested_at|amount|note\n" +
		"datetime 2024-03-19T00:00:00 True yyyy-mm-dd\n" +
		"datetime 2026-01-02T11:04:05 yyyy-mm-dd hh:mm:ss \"UTC+8\"\n" +
		"A2 A1:H3\n" +
		"int 49 12.5 None\n"
	if string(out) != want {
		t.Errorf("openpyxl read\n%s\nwant\n%s", out, want)
	}
}
