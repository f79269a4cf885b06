package serve

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode"

	"gongkai/msg"
)

// Every error answer carries a stable code and its message and hint in
// Chinese beside the English: each error serve words itself, and the
// errors of the store (a report not found, a usage error) through the
// catalogue. Details quoted from a library (encoding/json's, DuckDB's)
// stay as they are; everything else must be Chinese.
func TestErrorBodiesInChinese(t *testing.T) {
	ts, _ := newServer(t, 2)
	for _, c := range []struct {
		method, path, body, ctype string
		host                      string
		status                    int
		code                      string
		detail                    bool // the Chinese quotes a library's English
		hint                      bool // the answer must carry a hint
	}{
		{method: "GET", path: "/nope", status: 404, code: "no_endpoint"},
		{method: "DELETE", path: "/v1/reports", status: 405, code: "method_not_allowed"},
		{method: "GET", path: "/v1/reports?year=abc", status: 400, code: "bad_year"},
		{method: "GET", path: "/v1/reports?limit=-1", status: 400, code: "out_of_range"},
		{method: "GET", path: "/v1/reports/abc", status: 400, code: "bad_report_id"},
		{method: "GET", path: "/v1/reports/999999", status: 404, code: "not_found"},
		{method: "GET", path: "/v1/reports?division=%ff", status: 400, code: "param_not_utf8"},
		{method: "GET", path: "/v1/reports/%ff", status: 400, code: "path_not_utf8"},
		{method: "GET", path: "/v1/rollups/district_year?bogus=1", status: 400, code: "unknown_parameter"},
		{method: "GET", path: "/v1/rollups/district_year?year=2020&year=2021", status: 400, code: "one_value"},
		{method: "GET", path: "/v1/rollups/district_year?format=xml", status: 400, code: "unknown_format"},
		{method: "GET", path: "/v1/rollups/district_year?format=json&bom=1", status: 400, code: "bom_format"},
		// The level names the error lists are data, as the CLI gives them.
		{method: "GET", path: "/v1/rollups/levels?level=bogus", status: 400, code: "usage", hint: true, detail: true},
		{method: "GET", path: "/v1/rollups/district_year?level=county", status: 400, code: "usage", hint: true},
		{method: "GET", path: "/v1/rollups/no_such_rollup", status: 404, code: "not_found"},
		{method: "GET", path: "/v1/reports", host: "intranet.example", status: 421, code: "wrong_host"},
		{method: "POST", path: "/v1/query", body: `{"sql": 1}`, ctype: "application/json", status: 400, code: "bad_json", detail: true},
		{method: "POST", path: "/v1/query", body: `{"sql": "SELECT 1"} {}`, ctype: "application/json", status: 400, code: "two_values"},
		{method: "POST", path: "/v1/query", body: `{"sql": "SELECT 1", "timeout_ms": -1}`, ctype: "application/json", status: 400, code: "limits"},
		{method: "POST", path: "/v1/query", body: `{"sql": "SELECT 1", "format": "xml"}`, ctype: "application/json", status: 400, code: "unknown_format"},
		{method: "POST", path: "/v1/query", body: `{"sql": "SELECT 1"}`, ctype: "text/plain", status: 415, code: "not_json"},
	} {
		t.Run(c.code+" "+c.path, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), c.method, ts.URL+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if c.ctype != "" {
				req.Header.Set("Content-Type", c.ctype)
			}
			if c.host != "" {
				req.Host = c.host
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, c.status, raw)
			}
			var body apiError
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&body); err != nil {
				t.Fatalf("body %s: %v", raw, err)
			}
			if body.Code != c.code {
				t.Errorf("code %q, want %q: %s", body.Code, c.code, raw)
			}
			if body.Error == "" || body.ErrorZh == "" || body.ErrorZh == body.Error || !hasHan(body.ErrorZh) {
				t.Errorf("error %q has no Chinese beside it: error_zh %q", body.Error, body.ErrorZh)
			}
			if w := english(body.ErrorZh); len(w) > 0 && !c.detail {
				t.Errorf("error_zh %q leaves English %q (msg/api.go)", body.ErrorZh, w)
			}
			if c.hint && body.Hint == "" {
				t.Errorf("no hint: %s", raw)
			}
			if (body.Hint == "") != (body.HintZh == "") {
				t.Errorf("hint %q but hint_zh %q", body.Hint, body.HintZh)
			}
			if body.Hint != "" {
				// A hint that is only an example of JSON has nothing to translate.
				if w := english(body.HintZh); len(w) > 0 || (body.HintZh == body.Hint && !strings.HasPrefix(body.Hint, "{")) {
					t.Errorf("hint_zh %q leaves English %q (msg/api.go hint.*)", body.HintZh, w)
				}
			}
		})
	}
}

// apiWords are the API's own names a Chinese text quotes as they are:
// methods, headers, parameters, formats, rollups, hosts.
var apiWords = map[string]bool{"GET": true, "HEAD": true, "POST": true, "OPTIONS": true, "DELETE": true,
	"Content": true, "Type": true, "name": true, "id": true, "year": true, "division": true, "level": true,
	"rule": true, "format": true, "bom": true, "limit": true, "offset": true, "json": true, "csv": true,
	"parquet": true, "arrow": true, "arrows": true, "jsonl": true, "xlsx": true, "BOM": true, "IP": true,
	"localhost": true, "serve": true, "rollup": true, "findings": true, "levels": true, "BB": true, "BA": true}

// english is msg.EnglishWords less the API's own names.
func english(s string) []string {
	var out []string
	for _, w := range msg.EnglishWords(s) {
		if !apiWords[w] {
			out = append(out, w)
		}
	}
	return out
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
