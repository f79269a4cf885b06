package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gongkai/rollup"
	"gongkai/store"
)

// TestMain lets the test binary be the benchmark's child process (the
// ingest whose visibility serve is timed): measureServe runs it as
// `EXE put …` with GONGKAI_BENCH_CHILD set.
func TestMain(m *testing.M) {
	if os.Getenv("GONGKAI_BENCH_CHILD") != "" {
		os.Exit(Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// childExe skips a long test under -short (why says what it does) and
// otherwise returns this test binary, set up to run as the benchmark's
// child processes (TestMain).
func childExe(t *testing.T, why string) string {
	t.Helper()
	if testing.Short() {
		t.Skip(why)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("GONGKAI_BENCH_CHILD", "1")
	return exe
}

// TestNationalSmall runs the whole benchmark on two small sizes, one built
// through Put and one grown in SQL, as a test of correctness (not of
// time): every rollup, compile and serve answer, the rollups' totals equal
// the cells', every serve answer is 200 or 503, a child's ingest shows up
// in serve, the grown store's facts equal a fresh derivation from its
// cells, and BENCHMARKS.md gets every section.
func TestNationalSmall(t *testing.T) {
	exe := childExe(t, "builds two stores")
	dir := t.TempDir()
	var log bytes.Buffer
	cfg := Config{Dir: dir, Sizes: []int{500, 1500}, First: 2019, Last: 2021, Seed: 3, Clients: 8, PerClient: 3,
		FloorSample: 200, PutMax: 500, Exe: exe, KeepStores: true, Log: &log}
	res, err := Run(t.Context(), cfg)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	for _, c := range res.Checks {
		if c.Err != nil {
			t.Errorf("%d reports: %s: %v", c.Size, c.Name, c.Err)
		}
	}
	perSize := 3 + len(rollup.List())*(len(exportFormats)+1) // totals, serve, visibility; each rollup's exports and its streamed CSV
	if got := len(res.Checks); got != 2*perSize {
		t.Errorf("%d checks, want %d per size", got, perSize)
	}
	for _, size := range cfg.Sizes {
		bs := res.Builds[size]
		if bs.Reports < size {
			t.Errorf("size %d: built %d reports", size, bs.Reports)
		}
		if ss := res.Serve[size]; len(ss.Phases) != 2 || ss.Phases[0].Status[200] == 0 || ss.Phases[1].Status[200] == 0 || ss.Visible == 0 {
			t.Errorf("size %d: serve %+v", size, ss)
		}
	}
	// A kept store ends with its answers fresh, the serve child's reports
	// (a year after the last) included.
	for _, size := range cfg.Sizes {
		st, err := store.OpenReadOnly(t.Context(), filepath.Join(dir, fmt.Sprintf("national-%d.duckdb", size)))
		if err != nil {
			t.Fatal(err)
		}
		var stale int64
		err = st.DB().QueryRowContext(t.Context(), `SELECT count(*) FROM answer_state a
			WHERE a.part = 0 AND a.reports <> (SELECT count(*) FROM reports)
			   OR a.rollup = 'levels' AND a.part = 0
			   OR NOT EXISTS (SELECT 1 FROM answer_state b WHERE b.rollup = a.rollup
			                  AND b.part IN (0, (SELECT max(report_year) FROM reports)))`).Scan(&stale)
		st.Close()
		if err != nil || stale != 0 {
			t.Errorf("size %d: %d kept answers not fresh after the run (%v)", size, stale, err)
		}
	}
	if res.Builds[1500].Grown == 0 {
		t.Errorf("the 1500 store was not grown: %+v", res.Builds[1500])
	}
	names := map[string]bool{}
	for _, f := range res.Figures {
		names[f.Name] = true
		if f.Value <= 0 {
			t.Errorf("%s: no time", f.Name)
		}
	}
	for _, want := range []string{"rollup district_year, whole nation, all years", "rollup levels, whole nation, all years",
		"`gongkai export --rollup district_year --out F.parquet`, whole nation, all years",
		"`gongkai export --rollup levels --out F.arrow`, whole nation, all years",
		"`gongkai export --rollup district_year --out F.csv`, whole nation, all years",
		"`gongkai rollup levels --format csv > F` (rows streamed), whole nation, all years",
		"rollup township_year, whole nation, all years", "rollup findings_summary, whole nation, all years"} {
		if !names[want] {
			t.Errorf("no figure %q", want)
		}
	}

	// The grown store's facts are what Put would have derived.
	path := filepath.Join(dir, "grown.duckdb")
	base := Pick(Counties(3), 300, 3)
	all := Pick(Counties(3), 800, 3)
	if _, err := Build(t.Context(), path, base, 2019, 2021, 3, nil); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Grow(t.Context(), path, base, all[len(base):], &log); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var diff, n, orgs int64
	if err := st.DB().QueryRowContext(t.Context(), `SELECT
		(SELECT count(*) FROM (SELECT * FROM report_facts EXCEPT ALL SELECT * FROM report_facts_of(NULL, NULL))),
		(SELECT count(*) FROM report_facts), (SELECT count(DISTINCT (organization, report_year)) FROM reports)`).Scan(&diff, &n, &orgs); err != nil {
		t.Fatal(err)
	}
	if diff != 0 || n != orgs {
		t.Errorf("grown store: %d facts rows differ from the cells; %d facts, %d distinct organization-years", diff, n, orgs)
	}

	out := filepath.Join(dir, "BENCHMARKS.md")
	if err := os.WriteFile(out, []byte("old\n"+marker+"\nhand-written analysis\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := writeReport(out, res, "gongkai-bench --sizes 500,1500", nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Store and Put", "## Rollups and compile", "## serve", "## Checks", "hand-written analysis", "| 1500 |"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %q:\n%s", want, b)
		}
	}
	if strings.Contains(string(b), "old\n") {
		t.Error("the generated part was not replaced")
	}
	fmt.Fprint(&log)
}

// TestCorpusDistricts pins the corpus's districts: the list
// scripts/bench-ingest derives with awk from the divisions data (威海市文登区,
// then every 40th county-level 区 or 县 of a prefecture-level city, zones
// and county-level cities left out), read off its output, so the corpus
// of the two is the same folder for folder.
func TestCorpusDistricts(t *testing.T) {
	want := strings.Fields(`威海市文登区 邯郸市丛台区 保定市定兴县 沧州市沧县 大同市平城区 晋中市和顺县 临汾市乡宁县
		通辽市科尔沁区 鞍山市岫岩满族自治县 盘锦市兴隆台区 通化市二道江区 齐齐哈尔市依安县 伊春市乌翠区 南京市雨花台区
		淮安市清江浦区 杭州市淳安县 衢州市龙游县 淮南市大通区 滁州市定远县 福州市闽侯县 漳州市云霄县 萍乡市湘东区
		吉安市永丰县 济南市章丘区 济宁市兖州区 聊城市茌平区 洛阳市瀍河回族区 新乡市延津县 南阳市桐柏县 武汉市硚口区
		鄂州市华容区 株洲市茶陵县 张家界市永定区 娄底市娄星区`)
	got, err := CorpusDistricts(len(want))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("districts:\n got %v\nwant %v", got, want)
	}
	if _, err := CorpusDistricts(100000); err == nil {
		t.Error("100,000 districts: no error")
	}
}

// TestIngestSmall runs the ingest measure on a small rendered corpus as a
// test of correctness: `gongkai ingest` in a child process stores every
// report of each size, the hostile files fail without costing a report,
// every rendering's parse is timed, the floor is measured, the corpus is
// reused by a later run and a district half generated is made anew, and
// BENCHMARKS.md gets the sections.
func TestIngestSmall(t *testing.T) {
	exe := childExe(t, "generates and ingests a corpus")
	dir := t.TempDir()
	var log bytes.Buffer
	// A store of some counties' seven years for the first district to go
	// into, as the largest store of a full run.
	into := filepath.Join(dir, "into.duckdb")
	built, err := Build(t.Context(), into, Pick(Counties(1), 600, 7), 2019, 2025, 1, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	cfg := Config{Dir: dir, Exe: exe, IngestSizes: []int{300, 600}, Corpus: filepath.Join(dir, "corpus"), CorpusTownships: 10,
		Hostile: true, IngestInto: into, Log: &log}
	// 640 MiB of this process's memory in use while the children start:
	// a child's peak RSS must be its own, not this process's.
	ballast := make([]byte, 640<<20)
	for i := 0; i < len(ballast); i += 4096 {
		ballast[i] = 1
	}
	res, err := Run(t.Context(), cfg)
	runtime.KeepAlive(ballast)
	if err != nil {
		t.Fatalf("%v\n%s", err, log.String())
	}
	for _, c := range res.Checks {
		if c.Err != nil {
			t.Errorf("%d reports: %s: %v", c.Size, c.Name, c.Err)
		}
	}
	ir := res.Ingest
	if ir == nil || len(ir.Runs) != 4 || len(res.Checks) != 4 {
		t.Fatalf("want 4 ingests and checks (300, 600, 600 with the hostile files, 300 into a store): %+v, %d checks", ir, len(res.Checks))
	}
	if s := ir.Runs[3]; s.Before != int64(built.Reports) || s.Reports != 301 || s.Stored != s.Before+301 || s.Kept <= 0 || s.Kept >= s.Wall {
		t.Errorf("ingest into a store of %d reports: %+v, want every report added and the time the answers took", built.Reports, s)
	}
	// (10 townships + the government office + 32 departments) × 7 years.
	for i, want := range []struct {
		reports, districts int
		hostile            bool
	}{{301, 1, false}, {602, 2, false}, {602, 2, true}} {
		s := ir.Runs[i]
		if s.Reports != want.reports || s.Districts != want.districts || s.Hostile != want.hostile || s.Stored != int64(want.reports) {
			t.Errorf("ingest %d: %+v, want %+v and every report stored", i, s, want)
		}
		if s.Wall <= 0 || s.CPU <= 0 || s.PeakRSS <= 0 {
			t.Errorf("ingest %d: no time or memory: %+v", i, s)
		}
		if !s.Hostile && s.PeakRSS >= 512<<20 {
			t.Errorf("ingest %d of %d reports: peak RSS %d MiB: the benchmark's own memory, not the child's?", i, s.Reports, s.PeakRSS>>20)
		}
	}
	files := 0
	for _, ps := range ir.Parse {
		files += ps.Files
		if !slices.Contains(CorpusRenderings, ps.Rendering) || ps.Files == 0 || ps.Bytes == 0 || ps.CPU <= 0 {
			t.Errorf("parse: %+v", ps)
		}
	}
	if files != 301 || len(ir.Parse) < 5 {
		t.Errorf("parse: %d files in %d renderings, want the first district's 301 in most of the %d renderings", files, len(ir.Parse), len(CorpusRenderings))
	}
	if ir.Floor <= 0 || ir.FloorReports != 301 {
		t.Errorf("floor: %v for %d reports", ir.Floor, ir.FloorReports)
	}
	out, err := os.ReadFile(filepath.Join(dir, "ingest.out"))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range HostileFiles {
		if !bytes.Contains(out, []byte(h)) {
			t.Errorf("the ingest's output does not name hostile file %s:\n%s", h, out)
		}
	}

	// A later run takes the corpus as it is; a district left half made
	// (its .part folder) is made anew.
	if err := os.Mkdir(filepath.Join(cfg.Corpus, "002.part"), 0o755); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	folders, err := EnsureCorpus(t.Context(), cfg.Corpus, 3, 10, &again)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(again.String(), "generated corpus district"); n != 1 || !strings.Contains(again.String(), "district 3 of 3") {
		t.Errorf("want district 3 alone generated:\n%s", again.String())
	}
	if n, err := countReports(folders); err != nil || n != 903 {
		t.Errorf("%d reports in 3 districts (%v)", n, err)
	}
	if _, err := os.Stat(filepath.Join(cfg.Corpus, "002.part")); !os.IsNotExist(err) {
		t.Errorf("002.part left behind (%v)", err)
	}

	path := filepath.Join(dir, "BENCHMARKS.md")
	if err := writeReport(path, res, "gongkai-bench --sizes none --ingest-sizes 300,600", nil); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## Ingest of rendered reports", "| 301 | 1 | a fresh store | no |", "| 602 | 2 | a fresh store | yes |",
		fmt.Sprintf("| 301 | 1 | a store of %d reports | no |", built.Reports), "**Parse by rendering**", "| word_text |"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("report lacks %q:\n%s", want, b)
		}
	}
}

// TestMainRefusesBadSizes: a size that is not a whole number above 0, and
// nothing to measure at all, are usage errors (exit 2) that name the flag,
// with no report written.
func TestMainRefusesBadSizes(t *testing.T) {
	out := filepath.Join(t.TempDir(), "B.md")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--ingest-sizes", "abc"}, `--ingest-sizes: "abc" is not a number of reports`},
		{[]string{"--sizes", "10000,0"}, `--sizes: "0" is not a number of reports`},
		{[]string{"--sizes", "none", "--ingest-sizes", "none"}, "nothing to measure"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Main(t.Context(), append(tc.args, "--out", out), &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tc.args, code, stderr.String(), tc.want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: a report was written (%v)", tc.args, err)
		}
	}
}
