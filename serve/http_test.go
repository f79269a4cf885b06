package serve

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
)

// TestOpenAPI checks the served description is valid OpenAPI 3.1 and that
// the server's real answers (successes and errors) match it.
func TestOpenAPI(t *testing.T) {
	ts, _ := newServer(t, 5)
	resp, spec := get(t, ts.URL+"/v1/openapi.json")
	if resp.StatusCode != 200 || !bytes.Equal(spec, openAPI) {
		t.Fatalf("openapi.json: %d", resp.StatusCode)
	}
	doc, err := libopenapi.NewDocument(spec)
	if err != nil {
		t.Fatal(err)
	}
	if v := doc.GetVersion(); v != "3.1.0" {
		t.Errorf("OpenAPI version %s", v)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatalf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		for _, e := range verrs {
			t.Errorf("document: %s: %s", e.Message, e.Reason)
		}
	}

	var list struct {
		Reports []struct {
			ReportID int64 `json:"report_id"`
		}
	}
	_, body := get(t, ts.URL+"/v1/reports?limit=1")
	if err := json.Unmarshal(body, &list); err != nil || len(list.Reports) != 1 {
		t.Fatalf("reports: %s %v", body, err)
	}
	id := strconv.FormatInt(list.Reports[0].ReportID, 10)

	type call struct {
		method, path, body string
		status             int
	}
	calls := []call{
		{"GET", "/healthz", "", 200},
		{"GET", "/v1/openapi.json", "", 200},
		{"GET", "/v1/rollups", "", 200},
		{"GET", "/v1/rollups/district_year?year=2023", "", 200},
		{"GET", "/v1/rollups/district_year?format=csv", "", 200},
		{"GET", "/v1/rollups/district_year?format=xlsx", "", 200},
		{"GET", "/v1/rollups/district_year?format=csv&bom=1", "", 200},
		{"GET", "/v1/rollups/district_year?format=json&bom=1", "", 400},
		{"GET", "/v1/rollups/nosuch", "", 404},
		{"GET", "/v1/rollups/district_year?year=x", "", 400},
		{"GET", "/v1/reports", "", 200},
		{"GET", "/v1/reports?year=2022&division=330199&limit=1&offset=1", "", 200},
		{"GET", "/v1/reports?offset=100", "", 200},
		{"GET", "/v1/reports?limit=-1", "", 400},
		{"GET", "/v1/reports/" + id, "", 200},
		{"GET", "/v1/reports/999999", "", 404},
		{"GET", "/v1/reports/abc", "", 400},
		{"POST", "/v1/query", `{"sql": "SELECT report_year, count(*) AS n, DATE '2020-03-19' AS d, 12.5::DECIMAL(18,6) AS m FROM reports GROUP BY ALL ORDER BY 1"}`, 200},
		{"POST", "/v1/query", `{"sql": "SELECT 1", "format": "csv"}`, 200},
		{"POST", "/v1/query", `{"sql": "SELECT '文登区' AS d", "format": "csv", "bom": true}`, 200},
		{"POST", "/v1/query", `{"sql": "SELECT 1", "bom": true}`, 400},
		{"POST", "/v1/query", `{"sql": "DELETE FROM reports"}`, 403},
		{"POST", "/v1/query", `{"sql": "SELEC 1"}`, 400},
	}
	for _, c := range calls {
		req, err := http.NewRequestWithContext(t.Context(), c.method, ts.URL+c.path, strings.NewReader(c.body))
		if err != nil {
			t.Fatal(err)
		}
		if c.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("%s %s: status %d, want %d: %s", c.method, c.path, resp.StatusCode, c.status, b)
			continue
		}
		resp.Body = io.NopCloser(bytes.NewReader(b))
		req.Body = io.NopCloser(strings.NewReader(c.body))
		if ok, verrs := v.ValidateHttpResponse(req, resp); !ok {
			for _, e := range verrs {
				t.Errorf("%s %s (%d): %s: %s %v", c.method, c.path, resp.StatusCode, e.Message, e.Reason, e.SchemaValidationErrors)
			}
		}
		if ok, verrs := v.ValidateHttpRequest(req); !ok && c.status < 400 {
			for _, e := range verrs {
				t.Errorf("request %s %s: %s: %s", c.method, c.path, e.Message, e.Reason)
			}
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	ts, _ := newServer(t, 1)
	for _, c := range []struct {
		method, path string
		status       int
		allow        string
	}{
		{"POST", "/v1/reports", 405, "GET, HEAD, OPTIONS"}, // with a JSON Content-Type (else 415 first)
		{"DELETE", "/v1/reports/1", 405, "GET, HEAD, OPTIONS"},
		{"GET", "/v1/query", 405, "POST, OPTIONS"},
		{"PUT", "/v1/rollups/district_year", 405, "GET, HEAD, OPTIONS"},
		{"OPTIONS", "/v1/query", 204, "POST, OPTIONS"},
		{"GET", "/v1/nosuch", 404, ""},
		{"POST", "/nosuch", 404, ""},
	} {
		req, _ := http.NewRequestWithContext(t.Context(), c.method, ts.URL+c.path, nil)
		if c.method == "POST" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.status || resp.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d Allow %q, want %d %q", c.method, c.path, resp.StatusCode, resp.Header.Get("Allow"), c.status, c.allow)
		}
		if c.status >= 400 && !strings.Contains(string(b), `"error"`) {
			t.Errorf("%s %s: body %s", c.method, c.path, b)
		}
	}
}

// rawGet sends a GET without Go's transparent gzip, so the test sees the
// bytes on the wire.
func rawGet(t *testing.T, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
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

func TestGzip(t *testing.T) {
	ts, _ := newServer(t, 40)
	url := ts.URL + "/v1/reports"
	_, plain := rawGet(t, url)
	resp, zipped := rawGet(t, url, "Accept-Encoding", "br;q=1, gzip;q=0.8")
	if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("headers %v", resp.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(unzipped, plain) {
		t.Errorf("gzipped body differs from the plain one")
	}
	if len(zipped)*3 > len(plain) {
		t.Errorf("gzip %d bytes of %d: expected at least 3x smaller", len(zipped), len(plain))
	}
	// The ETag of a gzipped answer is weak, and revalidates to 304.
	et := resp.Header.Get("ETag")
	if !strings.HasPrefix(et, `W/"`) {
		t.Errorf("gzipped ETag %q, want a weak one", et)
	}
	if resp, _ := rawGet(t, url, "Accept-Encoding", "gzip", "If-None-Match", et); resp.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: %d", et, resp.StatusCode)
	}
	// Not asked, or refused with q=0: identity. Small answers and Parquet
	// are never gzipped.
	for _, c := range []struct{ path, ae string }{
		{"/v1/reports", ""}, {"/v1/reports", "gzip;q=0"}, {"/healthz", "gzip"},
		{"/v1/rollups/district_year?format=parquet", "gzip"},
	} {
		resp, _ := rawGet(t, ts.URL+c.path, "Accept-Encoding", c.ae)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s with %q: %d, Content-Encoding %q", c.path, c.ae, resp.StatusCode, resp.Header.Get("Content-Encoding"))
		}
	}
	// An Arrow stream answer is gzipped and keeps its truncation trailer.
	resp2, arrowZ := rawGet(t, ts.URL+"/v1/rollups/district_year?format=arrow", "Accept-Encoding", "gzip")
	if resp2.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("arrow stream not gzipped: %v", resp2.Header)
	} else if zr, err := gzip.NewReader(bytes.NewReader(arrowZ)); err != nil {
		t.Error(err)
	} else if _, err := io.ReadAll(zr); err != nil {
		t.Errorf("arrow gzip stream: %v", err)
	}
}

func TestCORS(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.duckdb")
	putReports(t, path, 0, 3)
	if _, err := New(context.Background(), Config{DB: path, CORSOrigins: []string{"dash.example.org"}}); err == nil {
		t.Error("an origin without scheme was accepted")
	}

	newTS := func(origins ...string) *httptest.Server {
		s, err := New(context.Background(), Config{DB: path, TempDir: t.TempDir(), Live: true, CORSOrigins: origins, RefreshEvery: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(s.Handler())
		t.Cleanup(func() { ts.Close(); s.Close() })
		return ts
	}
	const dash = "https://dash.example.org"

	// Off by default: no CORS header, and a cross-origin POST is refused.
	off := newTS()
	resp, _ := get(t, off.URL+"/v1/reports", "Origin", dash)
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("default: %d ACAO %q", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}
	resp, _ = postQuery(t, off.URL, map[string]any{"sql": "SELECT 1"}, "Origin", dash, "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("default cross-origin POST: %d", resp.StatusCode)
	}

	on := newTS(dash + "/")
	resp, _ = get(t, on.URL+"/v1/reports", "Origin", dash)
	if resp.Header.Get("Access-Control-Allow-Origin") != dash || !strings.Contains(resp.Header.Get("Access-Control-Expose-Headers"), "X-Total-Count") ||
		!strings.Contains(resp.Header.Get("Vary"), "Origin") {
		t.Errorf("listed origin GET: %v", resp.Header)
	}
	resp, _ = get(t, on.URL+"/v1/reports", "Origin", "https://evil.example")
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("unlisted origin got ACAO %q", resp.Header.Get("Access-Control-Allow-Origin"))
	}
	// Preflight for the JSON POST, then the POST itself.
	req, _ := http.NewRequestWithContext(t.Context(), "OPTIONS", on.URL+"/v1/query", nil)
	req.Header.Set("Origin", dash)
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	pre, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pre.Body.Close()
	if pre.StatusCode != 204 || !strings.Contains(pre.Header.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "Content-Type") {
		t.Errorf("preflight: %d %v", pre.StatusCode, pre.Header)
	}
	resp, body := postQuery(t, on.URL, map[string]any{"sql": "SELECT 1 AS one"}, "Origin", dash, "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") != dash {
		t.Errorf("listed origin POST: %d %s", resp.StatusCode, body)
	}

	// "*": any origin reads, nobody posts cross-origin.
	star := newTS("*")
	resp, _ = get(t, star.URL+"/v1/rollups", "Origin", "https://other.example")
	if resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("*: ACAO %q", resp.Header.Get("Access-Control-Allow-Origin"))
	}
	resp, _ = postQuery(t, star.URL, map[string]any{"sql": "SELECT 1"}, "Origin", "https://other.example", "Sec-Fetch-Site", "cross-site")
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("*: cross-origin POST %d", resp.StatusCode)
	}
}

// TestReportsTotalAndETag checks the paging total against the reports put
// (5: organizations 0..4, years 2022/2023 alternating) and revalidation.
func TestReportsTotalAndETag(t *testing.T) {
	ts, _ := newServer(t, 5)
	for _, c := range []struct {
		query      string
		total, got int
		truncated  bool
	}{
		{"", 5, 5, false},
		{"?limit=2", 5, 2, true},
		{"?limit=2&offset=4", 5, 1, false},
		{"?year=2022", 3, 3, false}, // 0, 2, 4
		{"?year=2023&offset=1", 2, 1, false},
		{"?offset=10", 5, 0, false},
		{"?division=110000", 0, 0, false},
	} {
		resp, body := get(t, ts.URL+"/v1/reports"+c.query)
		var page struct {
			Reports   []map[string]any
			Total     int
			Truncated bool
		}
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		if page.Total != c.total || len(page.Reports) != c.got || page.Truncated != c.truncated ||
			resp.Header.Get("X-Total-Count") != strconv.Itoa(c.total) {
			t.Errorf("%s: total %d (header %s) rows %d truncated %v, want %d %d %v",
				c.query, page.Total, resp.Header.Get("X-Total-Count"), len(page.Reports), page.Truncated, c.total, c.got, c.truncated)
		}
	}
	resp, _ := get(t, ts.URL+"/v1/reports?year=2022")
	et := resp.Header.Get("ETag")
	if et == "" {
		t.Fatal("no ETag")
	}
	if resp, body := get(t, ts.URL+"/v1/reports?year=2022", "If-None-Match", et); resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("If-None-Match: %d %q", resp.StatusCode, body)
	}
	if resp, _ := get(t, ts.URL+"/v1/reports?year=2022", "If-None-Match", `"other"`); resp.StatusCode != 200 {
		t.Errorf("stale If-None-Match: %d", resp.StatusCode)
	}
}

// TestValuesSerialized checks the HTTP API writes values by the one
// serializer the CLI uses: a DATE as YYYY-MM-DD, a timestamp in RFC 3339
// with its zone, a BIGINT beyond 2^53 as a string, a DECIMAL exactly.
func TestValuesSerialized(t *testing.T) {
	ts, _ := newServer(t, 1)
	resp, body := postQuery(t, ts.URL, map[string]any{"sql": `SELECT DATE '2020-03-19' AS d, TIMESTAMP '2026-01-02 03:04:05.5' AS ts,
		9007199254740993::BIGINT AS big, 42::BIGINT AS small, 1234567.125::DECIMAL(18,6) AS money, NULL AS nothing`})
	want := `"rows":[["2020-03-19","2026-01-02T03:04:05.5Z","9007199254740993",42,1234567.125,null]]`
	if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
		t.Errorf("query JSON %d %s, want %s", resp.StatusCode, body, want)
	}
	resp, body = postQuery(t, ts.URL, map[string]any{"sql": `SELECT DATE '2020-03-19' AS d, 9007199254740993::BIGINT AS big`, "format": "csv"})
	if resp.StatusCode != 200 || string(body) != "d,big\n2020-03-19,9007199254740993\n" {
		t.Errorf("query CSV %d %q", resp.StatusCode, body)
	}
}
