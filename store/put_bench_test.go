package store_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"gongkai"
	"gongkai/bench"
	"gongkai/division"
	"gongkai/gen"
)

// BenchmarkPutVsFloor measures Store.Put in ingest's batches of 256 on about
// 2,600 generated reports placed among the divisions, into a fresh store, next
// to DuckDB's raw Appender loading the same reports' cells into plain
// tables (bench.AppenderFloor: no keys, lookups, facts, findings or
// narrative), the floor Put is compared with (issue 11). One op stores
// every report once.
//
//	go test -run '^$' -bench BenchmarkPutVsFloor -benchtime 3x ./store/
func BenchmarkPutVsFloor(b *testing.B) {
	items, err := gen.Build(gen.Options{District: "威海市文登区", Townships: 100, Departments: 32,
		FirstYear: 2019, LastYear: 2038, Seed: 3, Violations: 0.05})
	if err != nil {
		b.Fatal(err)
	}
	var reports []gongkai.Parsed
	for _, it := range items {
		if it.Violation == "R5" {
			continue
		}
		r := it.Record
		r.Body, _ = division.Default().Resolve(r.Organization, division.Hint{District: "文登区"})
		reports = append(reports, gongkai.Parsed{Report: r, Path: it.Base + ".json", Hash: "h-" + it.Base, Rendering: "json"})
	}
	for _, c := range []struct {
		name string
		load func(b *testing.B, path string) error
	}{
		{"put", func(b *testing.B, path string) error { _, err := bench.PutRate(b.Context(), path, reports); return err }},
		{"appender_floor", func(b *testing.B, path string) error {
			_, err := bench.AppenderFloor(b.Context(), path, reports)
			return err
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				if err := c.load(b, filepath.Join(b.TempDir(), fmt.Sprintf("put%d.duckdb", n))); err != nil {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(n*len(reports))/b.Elapsed().Seconds(), "reports/s")
		})
	}
}
