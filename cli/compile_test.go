package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/division"
	"gongkai/render"
	"gongkai/store"
)

func runCompileCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(t.Context(), args, &Env{Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// compileStore stores three 2023 bodies of 文登区 with hand-picked numbers,
// an aggregate, and a 2022 department that is missing in 2023.
func compileStore(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "c.duckdb")
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mk := func(org string, year int, newNat, newTotal, disclosed int64) gongkai.Parsed {
		r := gongkai.NewReport(gongkai.V2021)
		r.Organization, r.ReportYear = org, year
		for _, c := range r.Cells() {
			r.Set(c.Path(), gongkai.Int(0))
		}
		r.Set("applications.1_new.natural_person", gongkai.Int(newNat))
		r.Set("applications.1_new.other", gongkai.Int(newTotal-newNat))
		r.Set("applications.1_new.total", gongkai.Int(newTotal))
		r.Set("applications.3_1_disclosed.total", gongkai.Int(disclosed))
		r.Set("review_litigation.review.upheld", gongkai.Int(1))
		r.Set("active.fees.amount_10k_yuan", gongkai.FromMicros(1_500_000)) // 1.5
		body, fs := division.Default().Resolve(org, division.Hint{District: "文登区"})
		r.Body, r.Findings = body, fs
		h := sha256.Sum256([]byte(fmt.Sprint(org, year)))
		return gongkai.Parsed{Report: r, Path: org + ".json", Hash: fmt.Sprintf("%x", h), Rendering: "record_json"}
	}
	batch := []gongkai.Parsed{
		mk("威海市文登区泽库镇人民政府", 2023, 1, 2, 2),
		mk("文登区天福路街道办事处", 2023, 3, 3, 1),
		mk("文登区教育和体育局", 2023, 10, 15, 9),
		mk("文登区卫生健康局", 2022, 1, 1, 1),
		mk("文登区全区汇总", 2023, 100, 100, 100),
	}
	if _, err := st.Put(t.Context(), batch); err != nil {
		t.Fatal(err)
	}
	return db
}

func TestCompileCommand(t *testing.T) {
	db := compileStore(t)
	code, out, errs := runCompileCLI(t, "compile", "--division", "文登区", "--year", "2023", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"山东省威海市文登区 2023年政府信息公开工作年度报告 汇总（3个机关）",
		"一、本年新收政府信息公开申请数量", "（七）总计", "行政诉讼·复议后起诉",
		"威海市文登区泽库镇人民政府", "文登区卫生健康局", "reported for 2022, not for 2023",
		"文登区全区汇总", // listed as a whole-area report, not summed
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table output lacks %q", want)
		}
	}
	// 1_new: natural persons 1+3+10 = 14, total 2+3+15 = 20.
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "一、本年新收") {
			f := strings.Fields(line)
			if len(f) != 8 || f[1] != "14" || f[7] != "20" {
				t.Errorf("1_new line = %q, want 14 … 20", line)
			}
		}
	}

	// JSON: a record whose organization is the division.
	code, out, errs = runCompileCLI(t, "compile", "--division", "371003", "--year", "2023", "--format", "json", "--db", db)
	if code != 0 {
		t.Fatalf("json exit %d: %s", code, errs)
	}
	var rec gongkai.Report
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Organization != "山东省威海市文登区" || rec.ReportYear != 2023 || !rec.Body.Aggregate {
		t.Errorf("record %q %d %+v", rec.Organization, rec.ReportYear, rec.Body)
	}
	for path, want := range map[string]gongkai.Num{
		"applications.1_new.total":             gongkai.Int(20),
		"applications.3_1_disclosed.total":     gongkai.Int(12),
		"review_litigation.review.upheld":      gongkai.Int(3),
		"active.fees.amount_10k_yuan":          gongkai.FromMicros(4_500_000),
		"applications.4_carried_forward.total": gongkai.Int(0),
	} {
		if got, _ := rec.Get(path); !got.Equal(want) {
			t.Errorf("%s = %s, want %s", path, got, want)
		}
	}

	// XLSX read back.
	x := filepath.Join(t.TempDir(), "w.xlsx")
	code, _, errs = runCompileCLI(t, "compile", "--division", "威海市文登区", "--year", "2023", "--format", "xlsx", "--out", x, "--db", db)
	if code != 0 {
		t.Fatalf("xlsx exit %d: %s", code, errs)
	}
	f, err := excelize.OpenFile(x)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for cell, want := range map[string]string{
		"A5": "一、本年新收政府信息公开申请数量", "D5": "14", "J5": "20",
		"A7": "三、本年度办理结果", "B7": "（一）予以公开", "J7": "12",
		"D3": "自然人", "E3": "法人或其他组织", "E4": "商业企业",
	} {
		if got, _ := f.GetCellValue(render.SheetApps, cell); got != want {
			t.Errorf("%s!%s = %q, want %q", render.SheetApps, cell, got, want)
		}
	}
	if got, _ := f.GetCellValue(render.SheetReview, "A5"); got != "3" {
		t.Errorf("review upheld = %q, want 3", got)
	}

	// --out - is standard output, even for the workbook.
	code, out, errs = runCompileCLI(t, "compile", "--division", "文登区", "--year", "2023", "--format", "xlsx", "--out", "-", "--db", db)
	if code != 0 {
		t.Fatalf("xlsx to stdout exit %d: %s", code, errs)
	}
	fx, err := excelize.OpenReader(strings.NewReader(out))
	if err != nil {
		t.Fatalf("xlsx from stdout: %v", err)
	}
	if got, _ := fx.GetCellValue(render.SheetApps, "J5"); got != "20" {
		t.Errorf("xlsx from stdout J5 = %q, want 20", got)
	}
	fx.Close()
	if _, err := os.Stat("-"); err == nil {
		t.Errorf(`a file named "-" was written`)
	}

	// Errors: unknown division, ambiguous name, empty year, xlsx without --out.
	for _, args := range [][]string{
		{"compile", "--division", "不存在区", "--year", "2023", "--db", db},
		{"compile", "--division", "朝阳区", "--year", "2023", "--db", db},
		{"compile", "--division", "文登区", "--year", "2010", "--db", db},
		{"compile", "--division", "文登区", "--year", "2023", "--format", "xlsx", "--db", db},
		{"compile", "--year", "2023", "--db", db},
	} {
		if code, _, errs := runCompileCLI(t, args...); code == 0 || !strings.Contains(errs, "Error:") {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
	}
	_ = os.Remove(x)
}
