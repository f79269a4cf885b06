package serve

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHostHeaderChecked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.duckdb")
	putReports(t, path, 0, 1)
	s, err := New(context.Background(), Config{DB: path, Live: true, AllowedHosts: []string{"gongkai.intranet.example"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct {
		host   string
		status int
	}{
		{"127.0.0.1:8080", 200},
		{"[::1]:8080", 200},
		{"localhost:8080", 200},
		{"LOCALHOST", 200},
		{"10.1.2.3", 200},
		{"gongkai.intranet.example:8080", 200},
		{"GONGKAI.intranet.example.", 200},
		{"rebind.attacker.example:8080", 421},
		{"gongkai.intranet.example.attacker.example", 421},
		{"localhost.attacker.example", 421},
	} {
		req, _ := http.NewRequest("GET", "/healthz", nil)
		req.Host = tc.host
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		if rec.Code != tc.status {
			t.Errorf("Host %q: %d, want %d (%s)", tc.host, rec.Code, tc.status, rec.Body)
		}
		if tc.status == 421 && !strings.Contains(rec.Body.String(), "--allow-host") {
			t.Errorf("Host %q: no hint: %s", tc.host, rec.Body)
		}
	}
}

func TestRequestHardening(t *testing.T) {
	ts, path := newServer(t, 1)
	// Content-Type must be exactly application/json.
	for _, tc := range []struct {
		ct     string
		status int
	}{
		{"application/json", 200},
		{"application/json; charset=utf-8", 200},
		{"Application/JSON; charset=UTF-8", 200},
		{"", 415},
		{"application/jsonx", 415},
		{"application/json-seq", 415},
		{"application/json; charset=gbk", 415},
		{"application/json; boundary=x", 415},
		{"text/plain", 415},
		{"application/x-www-form-urlencoded", 415},
	} {
		resp, body := postQuery(t, ts.URL, map[string]any{"sql": "SELECT 1"}, "Content-Type", tc.ct)
		if resp.StatusCode != tc.status {
			t.Errorf("Content-Type %q: %d, want %d (%s)", tc.ct, resp.StatusCode, tc.status, body)
		}
	}
	// Invalid UTF-8 in a parameter is a 400 with a hint, not a 500.
	for _, u := range []string{"/v1/reports?division=%FF%FE", "/v1/rollups/district_year?year=2023&division=%C4%CF%BE%A9", "/v1/reports?%FF=1", "/v1/rollups/%FF"} {
		resp, body := get(t, ts.URL+u)
		var e apiError
		json.Unmarshal(body, &e)
		if resp.StatusCode != 400 || !strings.Contains(e.Error, "UTF-8") || e.Hint == "" {
			t.Errorf("%s: %d %s, want 400 naming UTF-8 with a hint", u, resp.StatusCode, body)
		}
	}
	// No error names the store's folder. (DuckDB's own metadata still
	// shows the attached file's path: duckdb_databases() and the
	// allowed_paths setting; see the README's guard section.)
	dir := filepath.Dir(path)
	for _, sql := range []string{
		"SELECT * FROM read_csv('" + path + "')",
		"SELECT * FROM read_blob('" + filepath.Join(dir, "other") + "')",
		"COPY (SELECT 1) TO '" + path + "'",
		"ATTACH '" + path + "' AS again",
		"SELECT * FROM nosuch",
	} {
		_, body := postQuery(t, ts.URL, map[string]any{"sql": sql})
		if strings.Contains(strings.ReplaceAll(string(body), sql, ""), dir) {
			t.Errorf("%s: the answer names the store's folder: %s", sql, body)
		}
	}
	// A statement the sandbox stops leaves the server answering.
	start := time.Now()
	resp, body := postQuery(t, ts.URL, map[string]any{"sql": "SELECT levenshtein(repeat('a', 100000), repeat('b', 100000))", "timeout_ms": 500})
	if resp.StatusCode != 422 || time.Since(start) > 500*time.Millisecond+time.Second {
		t.Errorf("levenshtein: %d after %v: %s", resp.StatusCode, time.Since(start), body)
	}
	if resp, _ := get(t, ts.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz after a killed worker: %d", resp.StatusCode)
	}
}
