package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai"
	"gongkai/store"
)

// withoutIdentity writes the word_text fixture with its title and
// everything else naming the body or the year removed: a report that
// states no identity.
func withoutIdentity(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(parseFixture("word_text_2021"))
	if err != nil {
		t.Fatal(err)
	}
	s := strings.NewReplacer("测试市示例区甲乙镇人民政府\n", "", "2022年政府信息公开工作年度报告\n", "", "2022年，", "", "2023年1月16日\n", "").Replace(string(b))
	p := filepath.Join(dir, "noname.txt")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// A report that names neither organization nor year fails, and the error
// names every place tried; --organization and --year supply them, and
// --explain says they came from the flags.
func TestParseIdentityFlags(t *testing.T) {
	f := withoutIdentity(t, t.TempDir())
	code, _, errs := runParseCLI(t, f)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	for _, want := range []string{"Error: parse " + f, "no organization and no year found", "the title", "signature", "the body", "header lines", "Try: state it"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}

	code, out, errs := runParseCLI(t, "--organization", "测试市示例区甲乙镇人民政府", "--year", "2022", f)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["organization"] != "测试市示例区甲乙镇人民政府" || rec["report_year"] != float64(2022) {
		t.Errorf("identity %v %v", rec["organization"], rec["report_year"])
	}

	code, out, _ = runParseCLI(t, "--explain", "--organization", "测试市示例区甲乙镇人民政府", "--year", "2022年", f)
	if code != 0 || !strings.Contains(out, "# organization from --organization/--year: 测试市示例区甲乙镇人民政府 2022年") ||
		!strings.Contains(out, "# report_year from --organization/--year") {
		t.Errorf("exit %d; explain does not say the identity came from the flags:\n%s", code, head(out, 6))
	}

	// The flags state one file's identity.
	if code, _, errs := runParseCLI(t, "--year", "2022", f, f); code != 2 || !strings.Contains(errs, "exactly one FILE") {
		t.Errorf("two files with --year: exit %d, %s", code, errs)
	}
	if code, _, errs := runParseCLI(t, "--year", "22", f); code != 2 || !strings.Contains(errs, "--year 22") {
		t.Errorf("--year 22: exit %d, %s", code, errs)
	}
}

// --explain says where organization, year and date came from.
func TestParseExplainIdentity(t *testing.T) {
	code, out, errs := runParseCLI(t, "--explain", parseFixture("word_text_2021"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"# organization from title (line 3): 测试市示例区甲乙镇人民政府⏎2022年政府信息公开工作年度报告",
		"# published_on from signature (line 397): 测试市示例区甲乙镇人民政府⏎2023年1月16日",
		"# report_year from title (line 3)",
		"# clue title (line 3): organization=测试市示例区甲乙镇人民政府 year=2022 (used)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q:\n%s", want, head(out, 8))
		}
	}
}

func head(s string, n int) string {
	l := strings.SplitN(s, "\n", n+1)
	if len(l) > n {
		l = l[:n]
	}
	return strings.Join(l, "\n")
}

// Records the store would refuse are refused at parse time, named, and
// never stop the run: four such records, then five good files → five
// stored, four failed, each named with its reason; parse exits 1 on them.
func TestIngestRefusedRecordsDoNotStopRun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	bad := map[string]func(r *gongkai.Report){
		"0a_noorg.json":   func(r *gongkai.Report) { r.Organization = "" },
		"0b_noyear.json":  func(r *gongkai.Report) { r.ReportYear = 0 },
		"0c_baddate.json": func(r *gongkai.Report) { r.PublishedOn = "2024-13-45" },
		"0d_fraction.json": func(r *gongkai.Report) {
			n, _ := gongkai.ParseNum("1.5")
			r.Set("applications.1_new.natural_person", n)
		},
	}
	why := map[string]string{
		"0a_noorg.json": "names no organization", "0b_noyear.json": "has no year",
		"0c_baddate.json": "is not a date", "0d_fraction.json": "not a whole number",
	}
	for name, spoil := range bad {
		r := gongkai.NewReport(gongkai.V2021)
		r.Organization, r.ReportYear = "坏记录镇人民政府", 2023
		for _, c := range r.Cells() {
			r.Set(c.Path(), gongkai.Int(0))
		}
		spoil(r)
		b, err := r.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(in, name), b, 0o644)
	}
	for i, org := range []string{"甲镇人民政府", "乙镇人民政府", "丙镇人民政府", "丁镇人民政府", "戊镇人民政府"} {
		recordFile(t, in, "1_good"+string(rune('a'+i))+".json", org, 2023, int64(i))
	}
	db := filepath.Join(dir, "g.duckdb")
	code, out, errs := runCLI(t, "ingest", "--db", db, in)
	if code != 1 {
		t.Errorf("exit %d, want 1 (some files failed)", code)
	}
	if !strings.Contains(out, "parsed 5, added 5, unchanged 0, replaced 0, failed 4") {
		t.Errorf("summary:\n%s\nstderr:\n%s", out, errs)
	}
	for name, reason := range why {
		if !strings.Contains(errs, name) || !strings.Contains(errs, reason) {
			t.Errorf("stderr does not name %s with %q:\n%s", name, reason, errs)
		}
	}
	if strings.Contains(errs, "storing reports") {
		t.Errorf("refused records were taken for a store fault:\n%s", errs)
	}
	st, err := store.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.Query(t.Context(), "SELECT count(*) FROM reports")
	st.Close()
	if err != nil || len(res.Rows) != 1 || fmt.Sprint(res.Rows[0][0]) != "5" {
		t.Errorf("stored %v (%v), want 5", res.Rows, err)
	}
	for name, reason := range why {
		code, _, errs := runParseCLI(t, filepath.Join(in, name))
		if code != 1 || !strings.Contains(errs, reason) {
			t.Errorf("parse %s: exit %d, stderr %q; want 1 and %q", name, code, errs, reason)
		}
	}
}

// The manifest's organization and year columns state the identity of the
// files that do not; ingest --organization/--year does it for one file.
func TestIngestManifestIdentity(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	f := withoutIdentity(t, in)
	db := filepath.Join(dir, "m.duckdb")

	code, _, errs := runCLI(t, "ingest", "--db", db, in)
	if code != 1 || !strings.Contains(errs, "noname.txt") || !strings.Contains(errs, "no organization and no year found") {
		t.Fatalf("without identity: exit %d, stderr %s", code, errs)
	}

	man := filepath.Join(dir, "bodies.csv")
	os.WriteFile(man, []byte("file,organization,year\nin/noname.txt,测试市示例区甲乙镇人民政府,2022\n"), 0o644)
	code, out, errs := runCLI(t, "ingest", "--db", db, "--manifest", man, in)
	if code != 0 || !strings.Contains(out, "added 1") {
		t.Fatalf("with the manifest: exit %d\n%s\n%s", code, out, errs)
	}

	db2 := filepath.Join(dir, "f.duckdb")
	code, out, errs = runCLI(t, "ingest", "--db", db2, "--organization", "测试市示例区甲乙镇人民政府", "--year", "2022", f)
	if code != 0 || !strings.Contains(out, "added 1") {
		t.Fatalf("with flags: exit %d\n%s\n%s", code, out, errs)
	}
	for _, db := range []string{db, db2} {
		st, err := store.OpenReadOnly(t.Context(), db)
		if err != nil {
			t.Fatal(err)
		}
		res, err := st.Query(t.Context(), "SELECT organization, report_year FROM reports")
		st.Close()
		if err != nil || len(res.Rows) != 1 || fmt.Sprintf("%v %v", res.Rows[0]...) != "测试市示例区甲乙镇人民政府 2022" {
			t.Errorf("%s: stored %v (%v)", db, res.Rows, err)
		}
	}
	if code, _, errs := runCLI(t, "ingest", "--db", db2, "--year", "2022", in); code != 2 || !strings.Contains(errs, "--manifest") {
		t.Errorf("--year with a folder: exit %d, %s", code, errs)
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("file,year\nin/noname.txt,二〇二二\n"), 0o644)
	if code, _, errs := runCLI(t, "ingest", "--db", db2, "--manifest", bad, in); code == 0 || !strings.Contains(errs, "line 2") {
		t.Errorf("bad manifest year: exit %d, %s", code, errs)
	}
}
