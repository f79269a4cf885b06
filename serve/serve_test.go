package serve

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/arrow-go/v18/arrow/ipc"
	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/query"
	"gongkai/render"
	"gongkai/rollup"
	"gongkai/store"
)

// putReports adds n synthetic 2021-layout reports (years 2022/2023,
// district 测试区) to the store at path, numbering organizations from
// first. Values follow a formula; every seventh cell is left null.
func putReports(t testing.TB, path string, first, n int) {
	t.Helper()
	s, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	defer s.Close()
	var batch []gongkai.Parsed
	for i := first; i < first+n; i++ {
		r := gongkai.NewReport(gongkai.V2021)
		r.Organization = fmt.Sprintf("测试区第%d街道办事处", i)
		r.ReportYear = 2022 + i%2
		r.Body = gongkai.Body{Province: "浙江省", City: "测试市", County: "测试区", DivisionCode: "330199", Type: "street_office"}
		for j, c := range r.Cells() {
			var v gongkai.Num
			switch {
			case (i+j)%7 == 0:
			case c.Section == gongkai.SecActive:
				v = gongkai.FromMicros(int64(i*1_000_000 + j*1_234_567))
			default:
				v = gongkai.Int(int64(i*10 + j%5))
			}
			if err := r.Set(c.Path(), v); err != nil {
				t.Fatal(err)
			}
			if j == 30 {
				r.Provenance[c.Path()] = gongkai.Source{Loc: "line 12", Raw: "17"}
			}
		}
		r.Findings = gongkai.Check(r)
		batch = append(batch, gongkai.Parsed{Report: r, Path: fmt.Sprintf("r%d.txt", i),
			Hash: fmt.Sprintf("%064x", i+1), Rendering: "word_text"})
	}
	if _, err := s.Put(t.Context(), batch); err != nil {
		t.Fatalf("Put: %v", err)
	}
}

// resultJSON decodes a result document (render.ResultJSON).
type resultJSON struct {
	Columns   []string `json:"columns"`
	Types     []string `json:"types"`
	Rows      [][]any  `json:"rows"`
	Truncated bool     `json:"truncated"`
}

func newServer(t *testing.T, n int) (*httptest.Server, string) {
	return newServerMode(t, n, false)
}

// newServerMode starts a server over a new store of n reports, reading
// snapshots (refreshed every 10 ms) or, live, the store file itself.
func newServerMode(t *testing.T, n int, live bool) (*httptest.Server, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "store.duckdb")
	putReports(t, path, 0, n)
	s, err := New(context.Background(), Config{DB: path, TempDir: t.TempDir(), Live: live, RefreshEvery: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return ts, path
}

// waitFor polls f until it returns true or 20 seconds pass.
func waitFor(t *testing.T, what string, f func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if f() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

func get(t *testing.T, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func postQuery(t *testing.T, url string, body any, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	b, _ := json.Marshal(body)
	req, err := http.NewRequestWithContext(t.Context(), "POST", url+"/v1/query", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp, out
}

func TestHealthAndRollupList(t *testing.T) {
	ts, _ := newServer(t, 2)
	resp, body := get(t, ts.URL+"/healthz")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"ok"`) {
		t.Fatalf("healthz %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, ts.URL+"/v1/rollups")
	var list struct {
		Rollups []struct {
			Name, Description string
			Parameters        []string
		}
	}
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 {
		t.Fatalf("rollups %d %s %v", resp.StatusCode, body, err)
	}
	if len(list.Rollups) != len(rollup.List()) || len(list.Rollups) == 0 {
		t.Fatalf("rollups %+v", list)
	}
	for _, r := range list.Rollups {
		if r.Name == "" || r.Description == "" || r.Parameters == nil {
			t.Errorf("incomplete rollup %+v", r)
		}
	}
	resp, body = get(t, ts.URL+"/v1/rollups/nosuch")
	if resp.StatusCode != 404 || !strings.Contains(string(body), `"hint"`) {
		t.Errorf("unknown rollup: %d %s", resp.StatusCode, body)
	}
	resp, _ = get(t, ts.URL+"/v1/nothing")
	if resp.StatusCode != 404 {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
}

func TestRollupFormatsAndETag(t *testing.T) {
	ts, path := newServer(t, 4)
	name := "district_year"
	ro, err := rollup.Lookup(name)
	if err != nil {
		t.Fatal(err)
	}
	qs := ""
	if len(ro.Params) > 0 && ro.Params[0] == "year" {
		qs = "year=2022&"
	}
	base := ts.URL + "/v1/rollups/" + name + "?" + qs

	resp, body := get(t, base+"format=json")
	if resp.StatusCode != 200 {
		t.Fatalf("json: %d %s", resp.StatusCode, body)
	}
	var js struct{ Result resultJSON }
	if err := json.Unmarshal(body, &js); err != nil {
		t.Fatal(err)
	}
	if len(js.Result.Rows) == 0 {
		t.Fatalf("rollup %s has no rows: %s", name, body)
	}
	etag := resp.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}

	// Parquet: the right headers, and DuckDB reads the same rows back.
	resp, body = get(t, base+"format=parquet")
	if resp.StatusCode != 200 {
		t.Fatalf("parquet: %d %s", resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/vnd.apache.parquet" {
		t.Errorf("content type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); !strings.Contains(cd, name) || !strings.HasSuffix(cd, `.parquet"`) && !strings.HasSuffix(cd, ".parquet") {
		t.Errorf("content disposition %q", cd)
	}
	pq := filepath.Join(t.TempDir(), "r.parquet")
	if err := os.WriteFile(pq, body, 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := store.OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	back, err := st.Query(t.Context(), "SELECT * FROM read_parquet(?)", pq)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back.Rows) != fmt.Sprint(js.Result.Rows) || fmt.Sprint(back.Columns) != fmt.Sprint(js.Result.Columns) {
		t.Errorf("parquet rows differ from json rows:\n%v\n%v", back.Rows, js.Result.Rows)
	}

	// Arrow stream and CSV.
	resp, body = get(t, base+"format=arrow")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.apache.arrow.stream" {
		t.Fatalf("arrow: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	rd, err := ipc.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for rd.Next() {
		n += rd.RecordBatch().NumRows()
	}
	rd.Release()
	if n != int64(len(js.Result.Rows)) {
		t.Errorf("arrow rows %d, json rows %d", n, len(js.Result.Rows))
	}
	resp, body = get(t, base+"format=csv")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		strings.Count(string(body), "\n") < len(js.Result.Rows)+1 {
		t.Errorf("csv: %d %q", resp.StatusCode, body)
	}
	if bytes.HasPrefix(body, []byte("\xef\xbb\xbf")) {
		t.Error("csv without bom=1 starts with a byte-order mark")
	}
	// bom=1: the same CSV after the UTF-8 byte-order mark, for Excel.
	for _, on := range []string{"1", "true"} {
		r2, b2 := get(t, base+"format=csv&bom="+on)
		if r2.StatusCode != 200 || !strings.HasPrefix(r2.Header.Get("Content-Type"), "text/csv") ||
			string(b2) != "\xef\xbb\xbf"+string(body) || !strings.HasSuffix(strings.Trim(r2.Header.Get("Content-Disposition"), `"`), ".csv") {
			t.Errorf("csv bom=%s: %d %s %q… (%d bytes, plain %d)", on, r2.StatusCode, r2.Header.Get("Content-Disposition"), b2[:min(8, len(b2))], len(b2), len(body))
		}
	}

	// XLSX, from the same vocabulary as the CLI's export: a workbook
	// whose sheet holds a row per JSON row under the header.
	resp, body = get(t, base+"format=xlsx")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != render.XLSX.ContentType() ||
		!strings.Contains(resp.Header.Get("Content-Disposition"), ".xlsx") {
		t.Fatalf("xlsx: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
	}
	wb, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	xrows, err := wb.GetRows(wb.GetSheetList()[0])
	wb.Close()
	if err != nil || len(xrows) < len(js.Result.Rows)+1 {
		t.Errorf("xlsx: %d rows for %d json rows (%v)", len(xrows), len(js.Result.Rows), err)
	}

	// ETag: unchanged store → 304; after an ingest → a new ETag.
	resp, body = get(t, base+"format=json", "If-None-Match", etag)
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("If-None-Match: %d %s", resp.StatusCode, body)
	}
	putReports(t, path, 100, 1)
	// serve notices the change and snapshots the store again.
	waitFor(t, "a new ETag after an ingest", func() bool {
		resp, _ := get(t, base+"format=json", "If-None-Match", etag)
		return resp.StatusCode == 200 && resp.Header.Get("ETag") != etag && resp.Header.Get("ETag") != ""
	})

	for _, bad := range []string{"format=xml", "year=abc", "colour=red", "format=parquet&bom=1", "bom=1", "format=csv&bom=yes"} {
		resp, body := get(t, ts.URL+"/v1/rollups/"+name+"?"+bad)
		if resp.StatusCode != 400 || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s: %d %s", bad, resp.StatusCode, body)
		}
	}
}

func TestReports(t *testing.T) {
	ts, _ := newServer(t, 4)
	resp, body := get(t, ts.URL+"/v1/reports?year=2022&division=330199")
	var list struct {
		Reports []map[string]any
	}
	if err := json.Unmarshal(body, &list); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s %v", resp.StatusCode, body, err)
	}
	if len(list.Reports) != 2 { // organizations 0 and 2 are 2022
		t.Fatalf("got %d reports: %s", len(list.Reports), body)
	}
	resp, body = get(t, ts.URL+"/v1/reports?division=测试区")
	if json.Unmarshal(body, &list); len(list.Reports) != 4 {
		t.Errorf("by county name: %d reports", len(list.Reports))
	}
	resp, body = get(t, ts.URL+"/v1/reports?division=110000")
	if json.Unmarshal(body, &list); resp.StatusCode != 200 || len(list.Reports) != 0 {
		t.Errorf("other division: %d %s", resp.StatusCode, body)
	}

	id := fmt.Sprint(int64(0))
	resp, body = get(t, ts.URL+"/v1/reports")
	json.Unmarshal(body, &list)
	for _, r := range list.Reports {
		if r["organization"] == "测试区第1街道办事处" {
			id = fmt.Sprint(r["report_id"])
		}
	}
	resp, body = get(t, ts.URL+"/v1/reports/"+id)
	if resp.StatusCode != 200 {
		t.Fatalf("report %s: %d %s", id, resp.StatusCode, body)
	}
	var d struct {
		Record     json.RawMessage
		Findings   []map[string]any
		Provenance map[string]gongkai.Source
		Source     map[string]any
	}
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatal(err)
	}
	var rec gongkai.Report
	if err := json.Unmarshal(d.Record, &rec); err != nil {
		t.Fatalf("record does not read back: %v", err)
	}
	// The record equals what was stored: organization 1, cell formula.
	want := gongkai.NewReport(gongkai.V2021)
	for j, c := range want.Cells() {
		var v gongkai.Num
		switch {
		case (1+j)%7 == 0:
		case c.Section == gongkai.SecActive:
			v = gongkai.FromMicros(int64(1_000_000 + j*1_234_567))
		default:
			v = gongkai.Int(int64(10 + j%5))
		}
		got, _ := rec.Get(c.Path())
		if !got.Equal(v) {
			t.Errorf("%s = %v, want %v", c.Path(), got, v)
		}
	}
	if rec.Organization != "测试区第1街道办事处" || rec.ReportYear != 2023 {
		t.Errorf("record head %q %d", rec.Organization, rec.ReportYear)
	}
	if len(d.Provenance) != 1 || d.Source["path"] != "r1.txt" {
		t.Errorf("provenance %v source %v", d.Provenance, d.Source)
	}
	if d.Findings == nil {
		t.Error("no findings array")
	}
	// Each finding carries its English message and its Chinese one,
	// worded from its code (the cross rules give this report some).
	coded := 0
	for _, f := range d.Findings {
		en, _ := f["message"].(string)
		zh, _ := f["message_zh"].(string)
		code, _ := f["code"].(string)
		switch {
		case code == "" && zh != en:
			t.Errorf("finding without a code: message_zh %q, want the message %q", zh, en)
		case code != "":
			coded++
			if zh == en || !strings.Contains(zh, "无法核验") && !strings.Contains(zh, "不") {
				t.Errorf("finding %s: message_zh %q (message %q)", code, zh, en)
			}
		}
	}
	if coded == 0 {
		t.Errorf("no coded finding in %v", d.Findings)
	}
	for _, p := range []string{"/v1/reports/999999", "/v1/reports/abc"} {
		resp, body := get(t, ts.URL+p)
		if resp.StatusCode/100 != 4 || !strings.Contains(string(body), `"error"`) {
			t.Errorf("%s: %d %s", p, resp.StatusCode, body)
		}
	}
}

func TestQueryEndpoint(t *testing.T) {
	ts, _ := newServer(t, 2)
	resp, body := postQuery(t, ts.URL, map[string]any{"sql": "SELECT count(*) AS n FROM reports"})
	var res resultJSON
	if err := json.Unmarshal(body, &res); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	if fmt.Sprint(res.Rows) != "[[2]]" || res.Columns[0] != "n" {
		t.Errorf("result %+v", res)
	}

	for _, tc := range []struct {
		name   string
		body   any
		status int
	}{
		{"read_csv", map[string]any{"sql": "SELECT * FROM read_csv('/etc/passwd')"}, 403},
		{"delete", map[string]any{"sql": "DELETE FROM reports"}, 403},
		{"two", map[string]any{"sql": "SELECT 1; SELECT 2"}, 403},
		{"attach", map[string]any{"sql": "ATTACH '/tmp/x.duckdb'"}, 403},
		{"syntax", map[string]any{"sql": "SELEKT 1"}, 400},
		{"empty", map[string]any{"sql": ""}, 400},
		{"unknown field", map[string]any{"sql": "SELECT 1", "sq1": "x"}, 400},
		{"format", map[string]any{"sql": "SELECT 1", "format": "xml"}, 400},
		{"too big", map[string]any{"sql": "SELECT '" + strings.Repeat("x", maxBody) + "'"}, 413},
		{"timeout", map[string]any{"sql": "SELECT count(*) FROM range(1000000000) a, range(1000000) b WHERE a.range = b.range + 3", "timeout_ms": 300}, 422},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := postQuery(t, ts.URL, tc.body)
			var e apiError
			json.Unmarshal(body, &e)
			if resp.StatusCode != tc.status || e.Error == "" {
				t.Errorf("%d %s, want %d with an error", resp.StatusCode, body, tc.status)
			}
			if resp.StatusCode == 403 && e.Hint == "" {
				t.Errorf("refusal without hint: %s", body)
			}
		})
	}

	// 20,000 rows asked, capped at the default 10,000 and flagged.
	resp, body = postQuery(t, ts.URL, map[string]any{"sql": "SELECT range FROM range(20000)"})
	res = resultJSON{}
	json.Unmarshal(body, &res)
	if resp.StatusCode != 200 || len(res.Rows) != query.DefaultMaxRows || !res.Truncated || resp.Header.Get("X-Gongkai-Truncated") != "true" {
		t.Errorf("cap: %d rows=%d truncated=%v", resp.StatusCode, len(res.Rows), res.Truncated)
	}
	// A request may lower the cap, not raise it.
	resp, body = postQuery(t, ts.URL, map[string]any{"sql": "SELECT range FROM range(20000)", "max_rows": 50000, "format": "csv"})
	if lines := strings.Count(string(body), "\n"); resp.StatusCode != 200 || lines != query.DefaultMaxRows+1 {
		t.Errorf("csv cap: %d, %d lines", resp.StatusCode, lines)
	}
	// "bom": true puts the UTF-8 byte-order mark before the same CSV.
	resp, body = postQuery(t, ts.URL, map[string]any{"sql": "SELECT '文登区' AS d", "format": "csv", "bom": true})
	if resp.StatusCode != 200 || string(body) != "\xef\xbb\xbfd\n文登区\n" {
		t.Errorf("csv bom: %d %q", resp.StatusCode, body)
	}
	resp, body = postQuery(t, ts.URL, map[string]any{"sql": "SELECT range FROM range(20000)", "max_rows": 7, "format": "arrow"})
	if resp.StatusCode != 200 {
		t.Fatalf("arrow: %d %s", resp.StatusCode, body)
	}
	rd, err := ipc.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for rd.Next() {
		n += rd.RecordBatch().NumRows()
	}
	rd.Release()
	if n != 7 || resp.Header.Get("X-Gongkai-Truncated") != "true" {
		t.Errorf("arrow rows %d truncated %s", n, resp.Header.Get("X-Gongkai-Truncated"))
	}
}

func TestCrossOriginPostRefused(t *testing.T) {
	ts, _ := newServer(t, 1)
	for _, hdr := range [][]string{
		{"Sec-Fetch-Site", "cross-site"},
		{"Origin", "https://evil.example"},
	} {
		resp, body := postQuery(t, ts.URL, map[string]any{"sql": "SELECT 1"}, hdr...)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), "cross-origin") {
			t.Errorf("%v: %d %s", hdr, resp.StatusCode, body)
		}
	}
	// Same origin and non-browser clients pass.
	resp, _ := postQuery(t, ts.URL, map[string]any{"sql": "SELECT 1"}, "Sec-Fetch-Site", "same-origin")
	if resp.StatusCode != 200 {
		t.Errorf("same-origin: %d", resp.StatusCode)
	}
	// Cross-origin GETs are safe and allowed (dashboards fetch rollups).
	resp, _ = get(t, ts.URL+"/v1/rollups", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != 200 {
		t.Errorf("cross-origin GET: %d", resp.StatusCode)
	}
}

func TestConcurrentRollupClients(t *testing.T) {
	ts, _ := newServer(t, 3)
	name := rollup.List()[0].Name
	const clients = 100
	var wg sync.WaitGroup
	errs := make(chan string, clients)
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			format := []string{"json", "csv", "parquet", "arrow"}[i%4]
			resp, err := http.Get(ts.URL + "/v1/rollups/" + name + "?format=" + format)
			if err != nil {
				errs <- err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || len(b) == 0 {
				errs <- fmt.Sprintf("%s: %d %s", format, resp.StatusCode, b)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestHoldWriter is not a test: TestServeWhileIngesting runs the test
// binary again with GONGKAI_SERVE_HOLD set; this function then opens the
// store for writing, adds one report, and holds the write lock until its
// stdin closes, like a long `gongkai ingest`.
func TestHoldWriter(t *testing.T) {
	path := os.Getenv("GONGKAI_SERVE_HOLD")
	if path == "" {
		t.Skip("helper process for TestServeWhileIngesting")
	}
	putReports(t, path, 50, 1)
	s, err := store.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("child Open: %v", err)
	}
	defer s.Close()
	os.Stdout.WriteString("ready\n")
	bufio.NewReader(os.Stdin).ReadString('\n')
}

// holdWriter starts a child process that adds one report to the store at
// path and then holds its write lock until the returned func is called.
func holdWriter(t *testing.T, path string) (pid string, release func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GONGKAI_SERVE_HOLD="+path)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		stdin.Close()
		cmd.Wait()
		t.Fatalf("child not ready: %q %v", line, err)
	}
	return strconv.Itoa(cmd.Process.Pid), func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("child: %v", err)
		}
	}
}

func reportCount(t *testing.T, url string) (int, int, string) {
	t.Helper()
	resp, body := get(t, url+"/v1/reports")
	var list struct{ Reports []any }
	json.Unmarshal(body, &list)
	return resp.StatusCode, len(list.Reports), string(body) + " retry-after=" + resp.Header.Get("Retry-After")
}

// Snapshot mode: serve keeps answering from its last copy while a writer
// holds the store, and shows the writer's whole batch after it ends.
func TestServeWhileIngesting(t *testing.T) {
	ts, path := newServer(t, 2)
	if st, n, body := reportCount(t, ts.URL); st != 200 || n != 2 {
		t.Fatalf("before: %s", body)
	}
	// serve holds the store only while copying it: a writer in this
	// process can open it (DuckDB would refuse a differently configured
	// handle still open).
	putReports(t, path, 10, 1)
	waitFor(t, "the snapshot with 3 reports", func() bool { _, n, _ := reportCount(t, ts.URL); return n == 3 })

	pid, release := holdWriter(t, path)
	// The writer holds the store and has committed a fourth report: serve
	// answers from its copy, without it and without waiting.
	for range 5 {
		if st, n, body := reportCount(t, ts.URL); st != 200 || n != 3 {
			t.Errorf("during ingest: %d reports: %s", n, body)
		}
		time.Sleep(30 * time.Millisecond)
	}
	if resp, body := postQuery(t, ts.URL, map[string]any{"sql": "SELECT count(*) FROM reports"}); resp.StatusCode != 200 || !strings.Contains(string(body), "[[3]]") {
		t.Errorf("query during ingest: %d %s", resp.StatusCode, body)
	}
	// A second writer is told at once who holds the store.
	start := time.Now()
	if _, err := store.Open(t.Context(), path); err == nil || !strings.Contains(err.Error(), "PID "+pid) || time.Since(start) > 5*time.Second {
		t.Errorf("second writer: %v after %v", err, time.Since(start))
	}
	release()
	waitFor(t, "the snapshot with the writer's report", func() bool { _, n, _ := reportCount(t, ts.URL); return n == 4 })
}

// Live mode: serve reads the store file; while a writer holds it, requests
// get 503 naming the holder, never a partial answer.
func TestServeLiveWhileIngesting(t *testing.T) {
	ts, path := newServerMode(t, 2, true)
	if st, n, body := reportCount(t, ts.URL); st != 200 || n != 2 {
		t.Fatalf("before: %s", body)
	}
	putReports(t, path, 10, 1) // serve holds nothing between requests
	pid, release := holdWriter(t, path)
	st, _, body := reportCount(t, ts.URL)
	if st != http.StatusServiceUnavailable || !strings.Contains(body, "PID "+pid) || !strings.Contains(body, "retry-after=5") {
		t.Errorf("during ingest: %d %s", st, body)
	}
	if resp, qb := postQuery(t, ts.URL, map[string]any{"sql": "SELECT 1"}); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("query during ingest: %d %s", resp.StatusCode, qb)
	}
	release()
	if st, n, body := reportCount(t, ts.URL); st != 200 || n != 4 {
		t.Errorf("after ingest: %d reports: %s", n, body)
	}
}

func TestShutdownOnCancel(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.duckdb")
	putReports(t, path, 0, 1)
	s, err := New(context.Background(), Config{DB: path})
	if err != nil {
		t.Fatal(err)
	}
	cctx, stop := context.WithCancel(t.Context())
	defer stop()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.ListenAndServe(cctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a.String() })
	}()
	addr := <-addrc
	resp, _ := get(t, "http://"+addr+"/healthz")
	if resp.StatusCode != 200 {
		t.Fatalf("healthz %d", resp.StatusCode)
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("shutdown: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not stop")
	}
}

// TestReportsDivisionAsRollups checks that /v1/reports filters a division
// exactly as the rollups do (one reports_in macro): for each way of
// naming the division, the reports listed are the bodies district_year
// rolls up.
func TestReportsDivisionAsRollups(t *testing.T) {
	ts, _ := newServer(t, 4)
	for _, d := range []string{"测试市测试区", "浙江省测试市测试区", "测试区", "测试市", "浙江省", "3301", "第1街道", "威海市文登区", "测试"} {
		_, body := get(t, ts.URL+"/v1/reports?division="+url.QueryEscape(d))
		var list struct{ Reports []map[string]any }
		if err := json.Unmarshal(body, &list); err != nil {
			t.Fatalf("%s: %v %s", d, err, body)
		}
		listed := map[string]bool{}
		for _, r := range list.Reports {
			listed[fmt.Sprint(r["organization"], r["report_year"])] = true
		}
		_, body = get(t, ts.URL+"/v1/rollups/district_year?division="+url.QueryEscape(d))
		var ro struct {
			Result struct {
				Columns []string
				Rows    [][]any
			}
		}
		if err := json.Unmarshal(body, &ro); err != nil {
			t.Fatalf("%s: %v %s", d, err, body)
		}
		col := map[string]int{}
		for i, c := range ro.Result.Columns {
			col[c] = i
		}
		rolled := map[string]bool{}
		for _, r := range ro.Result.Rows {
			if r[col["level"]] == "body" {
				rolled[fmt.Sprint(r[col["organization"]], r[col["year"]])] = true
			}
		}
		if fmt.Sprint(listed) != fmt.Sprint(rolled) {
			t.Errorf("division %s: /v1/reports lists %v, district_year rolls up %v", d, listed, rolled)
		}
		wantAny := d != "威海市文登区"
		if (len(listed) > 0) != wantAny {
			t.Errorf("division %s: %d reports listed", d, len(listed))
		}
	}
}

// An interrupted start stops making the first replica: New returns the
// context's error and leaves no replica behind, instead of serving from the
// store file after a copy nobody waits for.
func TestNewStopsWithItsContext(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.duckdb")
	putReports(t, path, 0, 2)
	tmp := t.TempDir()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	s, err := New(ctx, Config{DB: path, TempDir: tmp})
	if !errors.Is(err, context.Canceled) {
		if s != nil {
			s.Close()
		}
		t.Fatalf("New with a cancelled context: %v, want context.Canceled", err)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("replica folder left behind: %v", left)
	}
	// The same store serves once the context is live.
	s, err = New(t.Context(), Config{DB: path, TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Error(err)
	}
}

// marshalledRollup is b's answer on st as json.Marshal makes it of the
// parameters and the whole Result, with the answer's line end.
func marshalledRollup(t *testing.T, b rollup.Bound, st *store.Store) []byte {
	t.Helper()
	res, err := b.Run(t.Context(), st)
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(map[string]any{"rollup": b.Name, "parameters": b.Given, "result": toJSON(res)})
	if err != nil {
		t.Fatal(err)
	}
	return append(want, '\n')
}

// TestRollupJSONAsMarshal checks that a rollup's JSON answer, written row
// by row into the document (rollupJSON), is byte for byte what
// json.Marshal made of the parameters and the whole Result, for every
// rollup, with and without parameters.
func TestRollupJSONAsMarshal(t *testing.T) {
	ts, path := newServer(t, 6)
	st, err := store.OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for _, ro := range rollup.List() {
		for _, p := range []rollup.Params{{}, {Year: 2022}, {Division: "文登区"}} {
			b, err := rollup.Bind(ro.Name, p)
			if err != nil {
				continue // a parameter the rollup does not take
			}
			want := marshalledRollup(t, b, st)
			q := url.Values{}
			for k, v := range b.Given {
				q.Set(k, fmt.Sprint(v))
			}
			resp, body := get(t, ts.URL+"/v1/rollups/"+ro.Name+"?"+q.Encode())
			if resp.StatusCode != 200 || !bytes.Equal(body, want) {
				t.Errorf("%s %v: %d\n%.400s\nwant\n%.400s", ro.Name, b.Given, resp.StatusCode, body, want)
			}
		}
	}
}
