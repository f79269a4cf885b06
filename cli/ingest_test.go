package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gongkai"
	"gongkai/ingest"
	"gongkai/msg"
	"gongkai/rollup"
	"gongkai/store"
)

// seedPath is a report in the seed's shape (Word converted to text) for a
// body the divisions data knows: 威海市文登区宋村镇人民政府, 2023, a golden case
// of the parser (testdata/word_text_seedshape).
func seedPath(t *testing.T) string {
	t.Helper()
	p, err := filepath.Abs(filepath.Join("..", "testdata", "word_text_seedshape", "input.txt"))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func recordFile(t *testing.T, dir, name, org string, year int, newReq int64) string {
	t.Helper()
	r := gongkai.NewReport(gongkai.V2021)
	r.Organization, r.ReportYear = org, year
	for _, c := range r.Cells() {
		r.Set(c.Path(), gongkai.Int(0))
	}
	r.Set("applications.1_new.total", gongkai.Int(newReq))
	b, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// snapshot renders the stored reports and cells, to compare before/after.
func snapshot(t *testing.T, db string) string {
	t.Helper()
	st, err := store.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var b strings.Builder
	for _, q := range []string{
		`SELECT * FROM reports ORDER BY report_id`,
		`SELECT * FROM applications ORDER BY ALL`,
		`SELECT * FROM active_disclosure ORDER BY ALL`,
		`SELECT * FROM review_litigation ORDER BY ALL`,
		`SELECT * FROM narrative ORDER BY ALL`,
		`SELECT * FROM findings ORDER BY ALL`,
	} {
		res, err := st.Query(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintln(&b, res.Columns)
		for _, r := range res.Rows {
			fmt.Fprintln(&b, r...)
		}
	}
	return b.String()
}

func TestIngestCommand(t *testing.T) {
	seed := seedPath(t)
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	recordFile(t, in, "a.json", "威海市文登区侯家镇人民政府", 2023, 5)
	recordFile(t, in, "b.json", "文登区教育和体育局", 2023, 9)
	db := filepath.Join(dir, "g.duckdb")

	code, out, errOut := runCLI(t, "ingest", "--db", db, "--district", "文登区", seed, in)
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "parsed 3, added 3, unchanged 0, replaced 0, failed 0") {
		t.Errorf("summary:\n%s", out)
	}
	// The run ends by keeping the whole-nation answers, on stderr.
	for _, name := range rollup.Kept() {
		if !strings.Contains(errOut, "kept the whole-nation answer of rollup "+name+": ") {
			t.Errorf("no word of the kept answer of %s on stderr:\n%s", name, errOut)
		}
	}
	first := snapshot(t, db)
	// The seed-shaped report is 宋村镇's 2023 report with 1,186 items
	// disclosed (全年公开政府信息1,186条).
	st, err := store.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	res, err := st.Query(t.Context(), `SELECT r.organization, r.report_year, r.county, r.township, n.value
		FROM reports r JOIN narrative n USING (report_id) WHERE n.key = 'disclosed_items'`)
	st.Close()
	if err != nil || len(res.Rows) != 1 || fmt.Sprint(res.Rows[0]) != "[威海市文登区宋村镇人民政府 2023 文登区 宋村镇 1186]" {
		t.Errorf("seed row = %v %v", res, err)
	}

	// The same files again: nothing written, each one said.
	code, out, errOut = runCLI(t, "ingest", "--db", db, "--district", "文登区", seed, in)
	if code != 0 {
		t.Fatalf("second run exit %d\n%s\n%s", code, out, errOut)
	}
	if !strings.Contains(out, "parsed 3, added 0, unchanged 3, replaced 0, failed 0") ||
		!strings.Contains(out, "unchanged: "+seed+" (already stored)") {
		t.Errorf("second run:\n%s", out)
	}
	if snapshot(t, db) != first {
		t.Error("a second ingest of the same files changed the store")
	}
	if strings.Contains(errOut, "kept the") {
		t.Errorf("an ingest that changed nothing made the kept answers anew:\n%s", errOut)
	}

	// A malformed file fails, named with its reason; nothing stored changes.
	bad := filepath.Join(dir, "bad.txt")
	os.WriteFile(bad, []byte("这不是年度报告。\n"), 0o644)
	code, out, errOut = runCLI(t, "ingest", "--db", db, bad, in)
	if code != 1 {
		t.Errorf("exit %d with a bad file, want 1", code)
	}
	if !strings.Contains(errOut, "failed: "+bad+": ") || !strings.Contains(out, "failed 1") {
		t.Errorf("bad file not reported:\nstdout:\n%s\nstderr:\n%s", out, errOut)
	}
	if snapshot(t, db) != first {
		t.Error("a failed file changed the store")
	}

	// Another file for the same body and year replaces the stored report.
	repl := recordFile(t, dir, "a2.json", "威海市文登区侯家镇人民政府", 2023, 6)
	code, out, errOut = runCLI(t, "ingest", "--db", db, repl)
	if code != 0 {
		t.Fatalf("replace exit %d\n%s\n%s", code, out, errOut)
	}
	if want := "replaced: 威海市文登区侯家镇人民政府 2023 (was " + filepath.Join(in, "a.json") + ")"; !strings.Contains(out, want) {
		t.Errorf("replace message missing %q:\n%s", want, out)
	}
	if !strings.Contains(errOut, "kept the whole-nation answer of rollup levels: ") {
		t.Errorf("a replacement left the kept answers as they were:\n%s", errOut)
	}
	st, err = store.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err = st.Query(t.Context(), `SELECT count(*), sum(value) FROM applications WHERE organization = '威海市文登区侯家镇人民政府' AND row_key = '1_new' AND col_key = 'total'`)
	if err != nil || fmt.Sprint(res.Rows) != "[[1 6]]" {
		t.Errorf("after replace = %v %v", res, err)
	}
}

func TestIngestUsage(t *testing.T) {
	for _, args := range [][]string{
		{"ingest"},
		{"ingest", "--district", "没有这个区", "x"},
	} {
		if code, _, _ := runCLI(t, args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func TestIngestProgressPlainLines(t *testing.T) {
	var buf strings.Builder
	p := newProgress(&buf, msg.EN) // not a terminal: no bar, plain lines
	if p.bar != nil {
		t.Fatal("progress bar on a non-terminal writer")
	}
	p.every = 0
	p.update(ingest.Progress{Total: -1, Done: 10, Parsed: 9, Failed: 1, Elapsed: 2 * time.Second})
	p.update(ingest.Progress{Total: 40, Done: 20, Parsed: 19, Failed: 1, Elapsed: 4 * time.Second})
	p.update(ingest.Progress{Total: 40, Done: 40, Parsed: 39, Failed: 1, Elapsed: 5 * time.Second, Final: true})
	want := "ingest: 10/? files, 9 parsed, 1 failed, 5 files/s\ningest: 20/40 files, 19 parsed, 1 failed, 5 files/s\n"
	if buf.String() != want {
		t.Errorf("progress lines:\n%s\nwant:\n%s", buf.String(), want)
	}
}

// A --district that several divisions share is not a usage mistake: the
// error lists each with its code (exit 1). A city without counties (中山市,
// 东莞市) is a district like any other.
func TestIngestDistrictCandidates(t *testing.T) {
	dir := t.TempDir()
	rec := recordFile(t, dir, "a.json", "石岐街道办事处", 2023, 1)
	db := filepath.Join(dir, "g.duckdb")
	for _, cmd := range []string{"ingest", "parse"} {
		args := []string{cmd, "--district", "朝阳区", rec}
		if cmd == "ingest" {
			args = append(args[:1], append([]string{"--db", db}, args[1:]...)...)
		}
		code, _, errOut := runCLI(t, args...)
		if code != 1 || !strings.Contains(errOut, "110105") || !strings.Contains(errOut, "北京市朝阳区") ||
			!strings.Contains(errOut, "220104") || !strings.Contains(errOut, "吉林省长春市朝阳区") || !strings.Contains(errOut, "Try:") {
			t.Errorf("%s --district 朝阳区: exit %d, stderr:\n%s", cmd, code, errOut)
		}
	}
	code, out, errOut := runCLI(t, "parse", "--district", "中山市", rec)
	if code != 0 || !strings.Contains(out, `"division_code": "442000001"`) || !strings.Contains(out, `"body_type": "street_office"`) {
		t.Errorf("parse --district 中山市: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "ingest", "--db", db, "--district", "东莞市", rec)
	if code != 0 || !strings.Contains(out, "added 1") {
		t.Errorf("ingest --district 东莞市: exit %d\n%s\n%s", code, out, errOut)
	}
}

// Reports whose titles name bodies in the forms real reports use are read
// and placed end to end: the whole-area report of a district, a 苏木, a
// bracketed alias, a city bureau's district branch, a short street name, a
// zone's street, a short prefecture name, a street under its district's
// government, an older township and district name.
func TestParsePlacesRealNames(t *testing.T) {
	src, err := os.ReadFile(seedPath(t))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for i, c := range []struct{ org, code, typ string }{
		{"天津市蓟州区", "120119", "county_aggregate"},
		{"鄂尔多斯市鄂托克旗阿尔巴斯苏木", "150624201", "township_government"},
		{"锡林郭勒盟阿巴嘎旗那仁宝拉格苏木人民政府", "152522200", "township_government"},
		{"银川市民族事务委员会（宗教事务局）", "640100", "city_department"},
		{"北京市公安局朝阳分局", "110105", "county_department"},
		{"北京市西城区广外街道办事处", "110102020", "street_office"},
		{"西咸新区沣东新城王寺街道办事处", "610116005", "street_office"},
		{"临夏州人民政府", "622900", "city_government"},
		{"杭州市西湖区人民政府北山街道办事处", "330106002", "street_office"},
		{"朝阳市朝阳县根德乡人民政府", "211321222", "township_government"},
		{"怀化市洪江区人民政府", "431271", "county_government"},
	} {
		doc := strings.ReplaceAll(strings.ReplaceAll(string(src), "威海市文登区宋村镇人民政府", c.org), "宋村镇", c.org)
		p := filepath.Join(dir, fmt.Sprintf("%02d.txt", i))
		if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, errOut := runCLI(t, "parse", p)
		if code != 0 {
			t.Errorf("%s: exit %d: %s", c.org, code, errOut)
			continue
		}
		var rec struct {
			Organization string `json:"organization"`
			Body         struct {
				Code string `json:"division_code"`
				Type string `json:"body_type"`
			} `json:"body"`
		}
		if err := json.Unmarshal([]byte(out), &rec); err != nil {
			t.Fatalf("%s: %v", c.org, err)
		}
		if rec.Organization != c.org || rec.Body.Code != c.code || rec.Body.Type != c.typ {
			t.Errorf("%s: read %q placed %s %s, want %s %s", c.org, rec.Organization, rec.Body.Code, rec.Body.Type, c.code, c.typ)
		}
	}
}
