package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"gongkai"
	"gongkai/store"
)

// run calls Run with buffers and returns the exit status and streams.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(t.Context(), args, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

// analyticsDB stores three 2023 reports of one district (one of them a
// whole-district aggregate) with known numbers and one R1 finding, and
// returns the database path, closed so commands can open it read-only.
func analyticsDB(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "a.duckdb")
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	mk := func(org string, b gongkai.Body, newReq int64) gongkai.Parsed {
		r := gongkai.NewReport(gongkai.V2021)
		r.Organization, r.ReportYear, r.Body = org, 2023, b
		for _, c := range r.Cells() {
			r.Set(c.Path(), gongkai.Int(0))
		}
		r.Set("applications.1_new.total", gongkai.Int(newReq))
		r.Set("applications.1_new.natural_person", gongkai.Int(newReq))
		r.Set("applications.3_1_disclosed.total", gongkai.Int(newReq))
		r.Set("applications.3_1_disclosed.natural_person", gongkai.Int(newReq))
		r.Set("applications.3_7_total.total", gongkai.Int(newReq))
		r.Set("applications.3_7_total.natural_person", gongkai.Int(newReq))
		r.Findings = gongkai.Check(r)
		return gongkai.Parsed{Report: r, Path: org + ".txt", Hash: org, Rendering: "test"}
	}
	bad := mk("文登区教育和体育局", gongkai.Body{County: "文登区", Type: "county_department"}, 7)
	bad.Report.Set("applications.3_7_total.total", gongkai.Int(6)) // breaks R1 and R3
	bad.Report.Findings = gongkai.Check(bad.Report)
	if len(bad.Report.Findings) == 0 {
		t.Fatal("expected findings on the broken report")
	}
	batch := []gongkai.Parsed{
		mk("威海市文登区泽库镇人民政府", gongkai.Body{County: "文登区", Township: "泽库镇", Type: "township_government"}, 3),
		bad,
		mk("威海市文登区人民政府", gongkai.Body{County: "文登区", Type: "county_government", Aggregate: true}, 100),
	}
	if _, err := st.Put(t.Context(), batch); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRollupList(t *testing.T) {
	code, out, errs := runCLI(t, "rollup", "--list")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, n := range []string{"district_year", "township_year", "district_year_review", "district_year_active"} {
		if !strings.Contains(out, n) {
			t.Errorf("--list lacks %s:\n%s", n, out)
		}
	}
	code, out, _ = runCLI(t, "rollup", "--list", "--format", "json")
	var list struct {
		Columns []string
		Rows    [][]any
	}
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list.Rows) < 4 || list.Columns[0] != "name" {
		t.Errorf("--list --format json: exit %d, %q", code, out)
	}
}

func TestRollupErrors(t *testing.T) {
	db := analyticsDB(t)
	cases := []struct {
		args   []string
		code   int
		stderr []string
	}{
		{[]string{"rollup", "nope", "--db", db}, 1, []string{"Error:", `no rollup named "nope"`, "Try: gongkai rollup --list", "district_year"}},
		{[]string{"rollup", "--db", db}, 2, []string{"want one rollup name"}},
		{[]string{"rollup", "district_year", "--format", "xml", "--db", db}, 2, []string{"unknown format"}},
		{[]string{"rollup", "district_year", "--year", "1900", "--db", db}, 2, []string{"out of range"}},
		{[]string{"rollup", "district_year", "--db", filepath.Join(t.TempDir(), "missing.duckdb")}, 1, []string{"Error:"}},
		{[]string{"rollup", "district_year", "--bogus"}, 2, []string{"unknown flag"}},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code {
			t.Errorf("%v: exit %d, want %d (%s)", c.args, code, c.code, errs)
		}
		for _, s := range c.stderr {
			if !strings.Contains(errs, s) {
				t.Errorf("%v: stderr lacks %q:\n%s", c.args, s, errs)
			}
		}
	}
}

func TestRollupDistrictYear(t *testing.T) {
	db := analyticsDB(t)
	code, out, errs := runCLI(t, "rollup", "district_year", "--year", "2023", "--format", "csv", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range recs[0] {
		col[c] = i
	}
	got := map[string]string{}
	for _, r := range recs[1:] {
		got[r[col["level"]]+"|"+r[col["organization"]]] = r[col["requests_new"]]
	}
	// 3 + 7 from the bodies; the aggregate's 100 is never added.
	want := map[string]string{
		"body|威海市文登区泽库镇人民政府": "3",
		"body|文登区教育和体育局":     "7",
		"district|":          "10",
		"total|":             "10",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: requests_new %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if _, ok := got["body|威海市文登区人民政府"]; ok {
		t.Error("aggregate report appears as a body")
	}
	// The table form shows the same rows.
	code, out, _ = runCLI(t, "rollup", "district_year", "--db", db)
	if code != 0 || !strings.Contains(out, "威海市文登区泽库镇人民政府") || !strings.Contains(out, "district") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
}

func TestQueryFormats(t *testing.T) {
	db := analyticsDB(t)
	q := "SELECT organization, value FROM applications WHERE row_key = '1_new' AND col_key = 'total' AND NOT is_aggregate ORDER BY value"
	code, out, errs := runCLI(t, "query", q, "--format", "json", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// The result document, as the HTTP API answers it.
	var doc struct {
		Columns, Types []string
		Rows           [][]any
		Truncated      bool
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	rows := doc.Rows
	if strings.Join(doc.Columns, ",") != "organization,value" || len(rows) != 2 || rows[0][0] != "威海市文登区泽库镇人民政府" ||
		rows[0][1] != float64(3) || rows[1][1] != float64(7) || doc.Truncated {
		t.Errorf("json document %+v", doc)
	}

	code, out, _ = runCLI(t, "query", q, "--format", "csv", "--db", db)
	if code != 0 || out != "organization,value\n威海市文登区泽库镇人民政府,3\n文登区教育和体育局,7\n" {
		t.Errorf("csv: exit %d %q", code, out)
	}

	code, out, _ = runCLI(t, "query", q, "--format", "jsonl", "--db", db)
	if code != 0 || len(strings.Split(strings.TrimSpace(out), "\n")) != 2 {
		t.Errorf("jsonl: exit %d %q", code, out)
	}

	code, out, _ = runCLI(t, "query", q, "--db", db)
	if code != 0 || !strings.Contains(out, "威海市文登区泽库镇人民政府") || !strings.Contains(out, "│") {
		t.Errorf("table: exit %d\n%s", code, out)
	}

	code, out, _ = runCLI(t, "query", "SELECT * FROM range(5)", "--max-rows", "2", "--format", "csv", "--db", db)
	if code != 0 || out != "range\n0\n1\n" {
		t.Errorf("max-rows: exit %d %q", code, out)
	}
}

func TestQueryErrors(t *testing.T) {
	db := analyticsDB(t)
	cases := []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"query", "--db", db}, 2, "want one SQL statement"},
		{[]string{"query", "  ", "--db", db}, 2, "empty SQL"},
		{[]string{"query", "SELECT nope FROM reports", "--db", db}, 1, "Error:"},
		{[]string{"query", "DELETE FROM reports", "--db", db}, 1, "Error:"},
		{[]string{"query", "SELECT * FROM read_csv('/etc/passwd')", "--db", db}, 1, "Error:"},
		{[]string{"query", "SELECT 1; SELECT 2", "--db", db}, 1, "Error:"},
		{[]string{"query", "SELECT 1", "--max-rows", "0", "--db", db}, 2, "--max-rows"},
		// The CLI cannot raise the sandbox's limits.
		{[]string{"query", "SELECT 1", "--max-rows", "10001", "--db", db}, 2, "--max-rows must be between 1 and 10000"},
		{[]string{"query", "SELECT 1", "--timeout", "6s", "--db", db}, 2, "--timeout must be positive and at most 5s"},
		{[]string{"query", "/* only a comment */", "--db", db}, 2, "empty SQL"},
		{[]string{"query", "SELECT 1", "--db", filepath.Join(t.TempDir(), "none.duckdb")}, 1, "Error:"},
	}
	for _, c := range cases {
		code, _, errs := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.msg) {
			t.Errorf("%v: exit %d (want %d), stderr %q (want %q)", c.args, code, c.code, errs, c.msg)
		}
	}
	// The read-only connection left the store as it was.
	code, out, _ := runCLI(t, "query", "SELECT count(*) AS n FROM reports", "--format", "csv", "--db", db)
	if code != 0 || out != "n\n3\n" {
		t.Errorf("after DELETE: exit %d %q", code, out)
	}
}

func TestCheck(t *testing.T) {
	db := analyticsDB(t)
	code, out, errs := runCLI(t, "check", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"Findings by rule and status", "R1", "文登区教育和体育局", "failed"} {
		if !strings.Contains(out, s) {
			t.Errorf("check lacks %q:\n%s", s, out)
		}
	}
	code, out, _ = runCLI(t, "check", "--rule", "R1", "--format", "json", "--db", db)
	var got struct {
		Summary  []map[string]any
		Findings []map[string]any
	}
	if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
		t.Fatalf("json: exit %d %q", code, out)
	}
	if len(got.Findings) == 0 {
		t.Fatal("no R1 findings")
	}
	for _, f := range got.Findings {
		if f["rule"] != "R1" || f["organization"] != "文登区教育和体育局" || f["year"] != float64(2023) {
			t.Errorf("finding %v", f)
		}
	}
	code, out, _ = runCLI(t, "check", "--rule", "R9", "--db", db)
	if code != 0 || !strings.Contains(out, "No findings.") {
		t.Errorf("R9: exit %d\n%s", code, out)
	}
	// A rule the store cannot hold is a usage error, not an empty list.
	code, _, errs = runCLI(t, "check", "--rule", "R99", "--db", db)
	if code != 2 || !strings.Contains(errs, `unknown rule "R99"`) || !strings.Contains(errs, "READ") {
		t.Errorf("R99: exit %d\n%s", code, errs)
	}
	// Rule names are matched whatever their case.
	if code, out, _ := runCLI(t, "check", "--rule", "r1", "--db", db); code != 0 || !strings.Contains(out, "文登区教育和体育局") {
		t.Errorf("r1: exit %d\n%s", code, out)
	}
}
