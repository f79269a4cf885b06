package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"gongkai"
)

// sample builds a report of layout v whose every cell holds a distinct
// value derived from seed, except a few left null, with provenance on one
// cell, a narrative count and a finding.
func sample(org string, year int, v gongkai.Version, seed int64) gongkai.Parsed {
	r := gongkai.NewReport(v)
	r.Organization = org
	r.ReportYear = year
	r.PublishedOn = fmt.Sprintf("%d-01-22", year+1)
	n := seed
	for _, c := range r.Cells() {
		n++
		val := gongkai.Int(n % 97)
		if c.Kind == gongkai.Money {
			val = gongkai.FromMicros(n*1_000_000 + 600_000) // n.6
		}
		if n%11 == 0 {
			val = gongkai.Null
		}
		if err := r.Set(c.Path(), val); err != nil {
			panic(err)
		}
	}
	r.Narrative["disclosed_items"] = gongkai.Int(532 + seed)
	r.Provenance["applications.1_new.total"] = gongkai.Source{Loc: "line 212", Raw: "１２"}
	r.Body = gongkai.Body{Province: "山东省", City: "威海市", County: "文登区", Township: "泽库镇", DivisionCode: "371003104", Type: "township_government"}
	r.Findings = []gongkai.Finding{{Rule: "R1", Severity: gongkai.SevError, Status: gongkai.Failed,
		Where: gongkai.Paths{"applications.1_new", "applications.3_7_total"}, Message: "does not add up"}}
	return gongkai.Parsed{
		Report:    r,
		Path:      fmt.Sprintf("/in/%s-%d-%d.txt", org, year, seed),
		Hash:      fmt.Sprintf("%064x", seed),
		Rendering: "word_text",
	}
}

// dump renders every table as text, in a stable order, so two dumps are
// equal exactly when the stored data is.
func dump(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, tbl := range append(cellTables, "cell_labels", "schema_migrations") {
		cols := "*"
		if tbl == "schema_migrations" {
			cols = "version, name"
		}
		res, err := s.Query(t.Context(), `SELECT `+cols+` FROM `+tbl+` ORDER BY ALL`)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %v\n", tbl, res.Columns)
		for _, r := range res.Rows {
			fmt.Fprintf(&b, "%v\n", r)
		}
	}
	return b.String()
}

func put(t *testing.T, s *Store, batch ...gongkai.Parsed) ([]gongkai.Outcome, []string) {
	t.Helper()
	out, prev, err := s.PutDetailed(t.Context(), batch)
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	return out, prev
}

func eqOutcomes(t *testing.T, got []gongkai.Outcome, want ...gongkai.Outcome) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("outcomes = %v, want %v", got, want)
	}
}

func TestPutIdempotent(t *testing.T) {
	s, _ := openTemp(t)
	a := sample("甲镇人民政府", 2023, gongkai.V2021, 1)
	b := sample("乙镇人民政府", 2020, gongkai.V2019, 2)
	out, _ := put(t, s, a, b)
	eqOutcomes(t, out, gongkai.Added, gongkai.Added)
	// 2021: 10 + 25×7 + 15 cells; 2019: 22 + 23×7 + 15 (FORMAT.md).
	for _, tc := range []struct {
		q    string
		want int64
	}{
		{`SELECT count(*) FROM reports`, 2},
		{`SELECT count(*) FROM active_cells`, 10 + 22},
		{`SELECT count(*) FROM application_cells`, 25*7 + 23*7},
		{`SELECT count(*) FROM review_cells`, 15 + 15},
		{`SELECT count(*) FROM narrative`, 2},
		{`SELECT count(*) FROM findings`, 2},
		{`SELECT count(*) FROM applications`, 25*7 + 23*7},
		{`SELECT count(*) FROM active_disclosure WHERE row_label IS NOT NULL`, 10 + 22},
		{`SELECT count(*) FROM review_litigation WHERE col_label IS NOT NULL`, 30},
	} {
		if got := scalar(t, s, tc.q); got != tc.want {
			t.Errorf("%s = %v, want %d", tc.q, got, tc.want)
		}
	}
	before := dump(t, s)
	out, prev := put(t, s, a, b)
	eqOutcomes(t, out, gongkai.Unchanged, gongkai.Unchanged)
	if prev[0] != a.Path || prev[1] != b.Path {
		t.Errorf("previous paths = %q", prev)
	}
	if after := dump(t, s); after != before {
		t.Errorf("putting the same files again changed the store")
	}
}

func TestPutStoresValues(t *testing.T) {
	s, _ := openTemp(t)
	a := sample("甲镇人民政府", 2023, gongkai.V2021, 10)
	put(t, s, a)
	r := a.Report
	// Every cell of the record must come back from the views, nulls kept.
	res, err := s.Query(t.Context(), `
		SELECT 'applications', row_key, col_key, CAST(value AS DECIMAL(18,6)), row_label, col_label FROM applications
		UNION ALL SELECT 'active', row_key, col_key, value, row_label, col_label FROM active_disclosure
		UNION ALL SELECT 'review_litigation', row_key, col_key, CAST(value AS DECIMAL(18,6)), row_label, col_label FROM review_litigation`)
	if err != nil {
		t.Fatal(err)
	}
	cells := r.Cells()
	if len(res.Rows) != len(cells) {
		t.Fatalf("views hold %d cells, report has %d", len(res.Rows), len(cells))
	}
	byPath := map[string]gongkai.Cell{}
	for _, c := range cells {
		byPath[c.Path()] = c
	}
	nulls := 0
	for _, row := range res.Rows {
		path := gongkai.CellPath(row[0].(string), row[1].(string), row[2].(string))
		c, ok := byPath[path]
		if !ok {
			t.Fatalf("stored cell %s not in the report", path)
		}
		if !c.Value.Valid() {
			nulls++
			if row[3] != nil {
				t.Errorf("%s: null stored as %v", path, row[3])
			}
		} else if got, ok := row[3].(gongkai.Num); !ok || !got.Equal(c.Value) {
			t.Errorf("%s = %v, want %v", path, row[3], c.Value)
		}
		if row[4] != c.RowLabel || row[5] != c.ColLabel {
			t.Errorf("%s labels = %v / %v, want %s / %s", path, row[4], row[5], c.RowLabel, c.ColLabel)
		}
	}
	if nulls == 0 {
		t.Error("sample has no null cell; the test would not see nulls turn into 0")
	}
	if got := scalar(t, s, `SELECT value FROM active_disclosure WHERE row_key='fees'`); !got.(gongkai.Num).Equal(r.Active["fees"]["amount_10k_yuan"]) {
		t.Errorf("fees = %v", got)
	}
	res, err = s.Query(t.Context(), `SELECT source_loc, source_raw FROM applications WHERE row_key='1_new' AND col_key='total'`)
	if err != nil || fmt.Sprint(res.Rows) != "[[line 212 １２]]" {
		t.Errorf("provenance = %v %v", res, err)
	}
	res, err = s.Query(t.Context(), `SELECT organization, report_year, format_version, CAST(published_on AS VARCHAR), province, city, county, township,
		division_code, body_type, is_aggregate, source_path, rendering, content_hash FROM reports`)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprint([]any{"甲镇人民政府", int64(2023), "2021", "2024-01-22", "山东省", "威海市", "文登区", "泽库镇", "371003104", "township_government", false, a.Path, "word_text", a.Hash})
	if got := fmt.Sprint(res.Rows[0]); got != want {
		t.Errorf("reports row\n got %s\nwant %s", got, want)
	}
	res, err = s.Query(t.Context(), `SELECT rule, severity, status, "where", message, scope FROM findings`)
	if err != nil || fmt.Sprint(res.Rows) != "[[R1 error failed [applications.1_new applications.3_7_total] does not add up report]]" {
		t.Errorf("findings = %v %v", res.Rows, err)
	}
	if got := scalar(t, s, `SELECT value FROM narrative WHERE key='disclosed_items'`); !got.(gongkai.Num).Equal(gongkai.Int(542)) {
		t.Errorf("narrative = %v", got)
	}
}

func TestPutReplaced(t *testing.T) {
	s, _ := openTemp(t)
	old := sample("甲镇人民政府", 2023, gongkai.V2021, 1)
	other := sample("乙镇人民政府", 2023, gongkai.V2021, 2)
	put(t, s, old, other)
	oldID := scalar(t, s, `SELECT report_id FROM reports WHERE content_hash = ?`, old.Hash)

	repl := sample("甲镇人民政府", 2023, gongkai.V2021, 3)
	out, prev := put(t, s, repl)
	eqOutcomes(t, out, gongkai.Replaced)
	if prev[0] != old.Path {
		t.Errorf("replaced report was %q, want %q", prev[0], old.Path)
	}
	for _, tbl := range cellTables {
		if got := scalar(t, s, `SELECT count(*) FROM `+tbl+` WHERE report_id = ?`, oldID); got != int64(0) {
			t.Errorf("%s still holds %v rows of the replaced report", tbl, got)
		}
	}
	if got := scalar(t, s, `SELECT source_path FROM reports WHERE organization = '甲镇人民政府'`); got != repl.Path {
		t.Errorf("stored source = %v", got)
	}
	if got := scalar(t, s, `SELECT count(*) FROM applications WHERE organization = '甲镇人民政府'`); got != int64(175) {
		t.Errorf("applications rows for the body = %v, want 175", got)
	}
	if got := scalar(t, s, `SELECT count(*) FROM reports`); got != int64(2) {
		t.Errorf("reports = %v, want 2", got)
	}
	// The old file again replaces the new one: the store follows the last file put.
	out, _ = put(t, s, old)
	eqOutcomes(t, out, gongkai.Replaced)
}

func TestPutDuplicatesWithinBatch(t *testing.T) {
	s, _ := openTemp(t)
	a := sample("甲镇人民政府", 2023, gongkai.V2021, 1)
	a2 := sample("甲镇人民政府", 2023, gongkai.V2021, 2)
	b := sample("甲镇人民政府", 2022, gongkai.V2021, 3)
	out, prev := put(t, s, a, a, a2, b, a2)
	eqOutcomes(t, out, gongkai.Added, gongkai.Unchanged, gongkai.Replaced, gongkai.Added, gongkai.Unchanged)
	if prev[2] != a.Path {
		t.Errorf("previous of the in-batch replacement = %q", prev[2])
	}
	res, err := s.Query(t.Context(), `SELECT content_hash FROM reports ORDER BY report_year`)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(res.Rows); got != fmt.Sprint([][]any{{b.Hash}, {a2.Hash}}) {
		t.Errorf("stored = %v", got)
	}
	if got := scalar(t, s, `SELECT count(*) FROM application_cells`); got != int64(2*175) {
		t.Errorf("application_cells = %v, want 350", got)
	}
}

func TestPutFailedBatchLeavesNothing(t *testing.T) {
	s, _ := openTemp(t)
	put(t, s, sample("甲镇人民政府", 2023, gongkai.V2021, 1), sample("乙镇人民政府", 2019, gongkai.V2019, 2))
	before := dump(t, s)

	fraction := sample("丙镇人民政府", 2023, gongkai.V2021, 5)
	fraction.Report.Applications["1_new"][0] = gongkai.FromMicros(1_500_000)
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()

	boom := errors.New("boom")
	var inside int64
	for _, tc := range []struct {
		name  string
		ctx   context.Context
		batch []gongkai.Parsed
		hook  func(*sql.Conn) error
	}{
		// Every row is appended, then the batch fails before COMMIT. The
		// hook first checks that the Appender wrote into this transaction.
		{"fails before commit", t.Context(), []gongkai.Parsed{
			sample("丙镇人民政府", 2023, gongkai.V2021, 3),
			sample("甲镇人民政府", 2023, gongkai.V2021, 4), // would replace
		}, func(conn *sql.Conn) error {
			if err := conn.QueryRowContext(t.Context(), `SELECT count(*) FROM application_cells`).Scan(&inside); err != nil {
				return err
			}
			return boom
		}},
		{"fractional count", t.Context(), []gongkai.Parsed{sample("丁镇人民政府", 2023, gongkai.V2021, 6), fraction}, nil},
		{"cancelled", cancelled, []gongkai.Parsed{sample("戊镇人民政府", 2023, gongkai.V2021, 7)}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testHookBeforeCommit = tc.hook
			defer func() { testHookBeforeCommit = nil }()
			out, err := s.Put(tc.ctx, tc.batch)
			if err == nil {
				t.Fatalf("Put succeeded: %v", out)
			}
			t.Logf("error: %v", err)
			if after := dump(t, s); after != before {
				t.Errorf("a failed batch changed the store")
			}
		})
	}
	// 175 + 161 stored before, + 2×175 appended, − 175 of the replaced report.
	if want := int64(175 + 161 + 2*175 - 175); inside != want {
		t.Errorf("inside the failing transaction application_cells = %d, want %d", inside, want)
	}
	if !strings.Contains(dump(t, s), "甲镇人民政府") {
		t.Error("lost a stored report")
	}
	// The store still works after the failures.
	out, _ := put(t, s, sample("丙镇人民政府", 2023, gongkai.V2021, 3))
	eqOutcomes(t, out, gongkai.Added)
}

func TestPutRejectsBadInput(t *testing.T) {
	s, _ := openTemp(t)
	noOrg := sample("", 2023, gongkai.V2021, 1)
	noHash := sample("甲", 2023, gongkai.V2021, 2)
	noHash.Hash = ""
	for _, p := range []gongkai.Parsed{noOrg, noHash, {Path: "x"}} {
		if _, err := s.Put(t.Context(), []gongkai.Parsed{p}); err == nil {
			t.Errorf("Put accepted %+v", p)
		}
	}
}

func TestPutReadOnly(t *testing.T) {
	s, path := openTemp(t)
	s.Close()
	ro, err := OpenReadOnly(t.Context(), filepath.Clean(path))
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if _, err := ro.Put(t.Context(), []gongkai.Parsed{sample("甲", 2023, gongkai.V2021, 1)}); err == nil {
		t.Error("read-only store accepted Put")
	}
}

// BenchmarkPut measures the writer: batches of 256 reports of the 2021
// layout (200 cells each), into a fresh database.
//
//	go test -run '^$' -bench BenchmarkPut -benchtime 20x ./store/
func BenchmarkPut(b *testing.B) {
	s, err := Open(b.Context(), filepath.Join(b.TempDir(), "bench.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const size = 256
	seed := int64(0)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		batch := make([]gongkai.Parsed, size)
		for i := range batch {
			seed++
			batch[i] = sample(fmt.Sprintf("机关%d", seed), 2023, gongkai.V2021, seed)
		}
		b.StartTimer()
		if _, err := s.Put(b.Context(), batch); err != nil {
			b.Fatal(err)
		}
	}
	reports := float64(b.N * size)
	b.ReportMetric(reports/b.Elapsed().Seconds(), "reports/s")
	b.ReportMetric(reports*200/b.Elapsed().Seconds(), "cells/s")
}

func TestPutPlacementUpdate(t *testing.T) {
	s, _ := openTemp(t)
	a := sample("文登区教育和体育局", 2023, gongkai.V2021, 1)
	a.Report.Body = gongkai.Body{} // first run: not placed
	put(t, s, a)

	unplaced := a
	out, _ := put(t, s, unplaced)
	eqOutcomes(t, out, gongkai.Unchanged)

	placed := sample("文登区教育和体育局", 2023, gongkai.V2021, 1) // same bytes (hash), now placed
	placed.Report.Body = gongkai.Body{County: "文登区", DivisionCode: "371003", Type: "county_department"}
	out, prev := put(t, s, placed)
	eqOutcomes(t, out, gongkai.Replaced)
	if prev[0] != a.Path {
		t.Errorf("previous = %q", prev[0])
	}
	if got := scalar(t, s, `SELECT division_code FROM reports`); got != "371003" {
		t.Errorf("division_code = %v", got)
	}
	if got := scalar(t, s, `SELECT count(*) FROM application_cells`); got != int64(175) {
		t.Errorf("application_cells = %v, want 175", got)
	}
	// Placed the same again, or not placed at all: nothing written.
	for _, p := range []gongkai.Parsed{placed, unplaced} {
		out, _ = put(t, s, p)
		eqOutcomes(t, out, gongkai.Unchanged)
	}
	if got := scalar(t, s, `SELECT division_code FROM reports`); got != "371003" {
		t.Errorf("an unplaced run erased the placement: %v", got)
	}
}
