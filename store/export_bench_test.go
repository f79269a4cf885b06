package store

import (
	"path/filepath"
	"testing"

	"gongkai/render"
)

// BenchmarkExportText measures CSV and JSON-lines exports of 1M rows
// (integer, text, DECIMAL(18,6), DATE, TIMESTAMPTZ) streamed through
// render's serializer, beside DuckDB's COPY of the same rows (copy-*),
// the floor the serializer gave up for one spelling of every value:
//
//	go test ./store -run '^$' -bench ExportText -benchtime 1x
func BenchmarkExportText(b *testing.B) {
	path := filepath.Join(b.TempDir(), "b.duckdb")
	s, err := Open(b.Context(), path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.db.ExecContext(b.Context(), `CREATE TABLE bench AS
		SELECT range AS i, 'organization ' || (range % 1000)::VARCHAR AS s, (range/7)::DECIMAL(18,6) AS d,
		       DATE '2020-01-01' + (range % 1000)::INTEGER AS dt,
		       TIMESTAMPTZ '2026-01-02 03:04:05+00' + to_seconds(range) AS ts
		FROM range(1000000)`); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for _, f := range []render.Format{render.CSV, render.JSONLines} {
		b.Run(string(f), func(b *testing.B) {
			for b.Loop() {
				n, err := s.Export(b.Context(), Selection{Table: "bench"}, f, filepath.Join(dir, "out"+f.Ext()))
				if err != nil || n != 1_000_000 {
					b.Fatal(n, err)
				}
			}
		})
		opts := map[render.Format]string{render.CSV: "FORMAT csv, HEADER true", render.JSONLines: "FORMAT json"}[f]
		b.Run("copy-"+string(f), func(b *testing.B) {
			for b.Loop() {
				if _, err := s.db.ExecContext(b.Context(), "COPY bench TO "+quoteLiteral(filepath.Join(dir, "copy"+f.Ext()))+" ("+opts+")"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
