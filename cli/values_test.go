package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gongkai/serve"
)

// valuesSQL holds one value of each type whose spelling differed between
// DuckDB's COPY and gongkai's serializer.
const valuesSQL = `SELECT DATE '2020-03-19' AS d,
       TIMESTAMPTZ '2026-01-02 03:04:05.123456+00' AS tz,
       TIMESTAMP '2026-01-02 03:04:05' AS ts,
       12.5::DECIMAL(18,6) AS m,
       9007199254740993::BIGINT AS big,
       'a,"b"' AS s,
       NULL::INTEGER AS n`

// TestOneSpellingEverywhere: the same values read the same in
// 'gongkai query --format json', POST /v1/query, and exported CSV and JSON
// lines — by the ad-hoc path (export --query) and the store's path (export
// --table) alike.
func TestOneSpellingEverywhere(t *testing.T) {
	db := exportStore(t, 2)
	// The spelling, by the rules in README "Values in JSON and CSV",
	// written here by hand.
	wantText := []string{"2020-03-19", "2026-01-02T03:04:05.123456Z", "2026-01-02T03:04:05Z", "12.5", "9007199254740993", `a,"b"`, ""}
	wantJSON := `["2020-03-19","2026-01-02T03:04:05.123456Z","2026-01-02T03:04:05Z",12.5,"9007199254740993","a,\"b\"",null]`

	// CLI JSON.
	code, out, stderr := runExportCLI(t, "query", "--db", db, "--format", "json", valuesSQL)
	if code != 0 {
		t.Fatalf("query: %d %s", code, stderr)
	}
	if got := jsonRow(t, out); got != wantJSON {
		t.Errorf("CLI JSON row %s\nwant %s", got, wantJSON)
	}

	// HTTP JSON.
	srv, err := serve.New(context.Background(), serve.Config{DB: db, TempDir: t.TempDir(), Live: true})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer func() { ts.Close(); srv.Close() }()
	body, _ := json.Marshal(map[string]string{"sql": valuesSQL})
	resp, err := http.Post(ts.URL+"/v1/query", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	b.ReadFrom(resp.Body)
	resp.Body.Close()
	if got := jsonRow(t, b.String()); got != wantJSON {
		t.Errorf("HTTP JSON row %s\nwant %s", got, wantJSON)
	}

	// Export CSV and JSON lines of the ad-hoc query.
	code, out, stderr = runExportCLI(t, "export", "--db", db, "--query", valuesSQL, "--format", "csv", "--out", "-")
	if code != 0 {
		t.Fatalf("export csv: %d %s", code, stderr)
	}
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(recs) != 2 || strings.Join(recs[1], "|") != strings.Join(wantText, "|") {
		t.Errorf("export CSV %q (%v)\nwant %q", recs, err, wantText)
	}
	code, out, stderr = runExportCLI(t, "export", "--db", db, "--query", valuesSQL, "--format", "jsonl", "--out", "-")
	if code != 0 {
		t.Fatalf("export jsonl: %d %s", code, stderr)
	}
	wantLine := `{"d": "2020-03-19", "tz": "2026-01-02T03:04:05.123456Z", "ts": "2026-01-02T03:04:05Z", "m": 12.5, "big": "9007199254740993", "s": "a,\"b\"", "n": null}` + "\n"
	if out != wantLine {
		t.Errorf("export JSONL %s\nwant %s", out, wantLine)
	}

	// The store's own export of a table: ingested_at (TIMESTAMPTZ) as
	// 'gongkai query' spells it.
	code, out, stderr = runExportCLI(t, "query", "--db", db, "--format", "csv", "SELECT report_id, ingested_at FROM reports ORDER BY report_id")
	if code != 0 {
		t.Fatalf("query csv: %d %s", code, stderr)
	}
	want, _ := csv.NewReader(strings.NewReader(out)).ReadAll()
	code, out, stderr = runExportCLI(t, "export", "--db", db, "--table", "reports", "--format", "csv", "--out", "-")
	if code != 0 {
		t.Fatalf("export table: %d %s", code, stderr)
	}
	got, _ := csv.NewReader(strings.NewReader(out)).ReadAll()
	col := -1
	for i, c := range got[0] {
		if c == "ingested_at" {
			col = i
		}
	}
	if col < 0 || len(got) != len(want) || len(want) < 2 {
		t.Fatalf("export %q, query %q", got, want)
	}
	for i := 1; i < len(want); i++ {
		if got[i][col] != want[i][1] || !strings.HasSuffix(want[i][1], "Z") {
			t.Errorf("row %d ingested_at: export %q, query %q (want RFC 3339 UTC)", i, got[i][col], want[i][1])
		}
	}
}

// jsonRow is the first row of a result document, as compact JSON.
func jsonRow(t *testing.T, doc string) string {
	t.Helper()
	var d struct{ Rows []json.RawMessage }
	if err := json.Unmarshal([]byte(doc), &d); err != nil || len(d.Rows) != 1 {
		t.Fatalf("result document %s: %v", doc, err)
	}
	var c bytes.Buffer
	json.Compact(&c, d.Rows[0])
	return c.String()
}
