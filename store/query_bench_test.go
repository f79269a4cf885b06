package store

import (
	"path/filepath"
	"testing"
)

// BenchmarkQueryRows measures Query reading a rollup-shaped answer into Go:
// 300,000 rows of 17 columns (text dimensions, BIGINT sums with NULLs, a
// text of null counts), the path `gongkai rollup` and serve's JSON take
// for a whole nation's answer. The SELECT from a table costs DuckDB little,
// so the figure is mostly the driver's scan and Query's own rows:
//
//	go test ./store -run '^$' -bench QueryRows -benchmem -count 5
func BenchmarkQueryRows(b *testing.B) {
	s, err := Open(b.Context(), filepath.Join(b.TempDir(), "b.duckdb"))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.db.ExecContext(b.Context(), `CREATE TABLE bench AS
		SELECT 'body' AS level, 2019 + range % 7 AS year, '区' || (range % 3000)::VARCHAR AS district,
		       CASE WHEN range % 2 = 0 THEN 'township' ELSE 'county' END AS body_kind,
		       'organization ' || range::VARCHAR AS organization, 1::BIGINT AS reports,
		       range % 97 AS requests_new, range % 13 AS carried_over, range % 11 AS outcome_1,
		       range % 7 AS outcome_2, CASE WHEN range % 50 = 0 THEN NULL ELSE range % 5 END AS outcome_3,
		       range % 3 AS outcome_4, range % 2 AS outcome_5, range % 4 AS outcome_6, range % 17 AS outcome_7,
		       range % 9 AS carried_forward,
		       CASE WHEN range % 50 = 0 THEN 'outcome_3=1' ELSE '' END AS null_counts
		FROM range(300000)`); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		res, err := s.Query(b.Context(), "SELECT * FROM bench")
		if err != nil || len(res.Rows) != 300_000 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/300_000, "ns/row")
}
