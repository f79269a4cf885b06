package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/gen"
	"gongkai/ingest"
	"gongkai/store"
)

// BenchmarkRun measures the ingest pipeline as `gongkai ingest` runs it
// (walk, parallel parse, division resolution, one batched writer) into a
// fresh DuckDB store: one op stores a folder of 500 generated reports in
// mixed renderings (no pdf), closing the store included. Opening the
// store and the cross-report rules the command runs afterwards are outside
// the clock; MB/s counts the report files' bytes.
//
//	go test -run '^$' -bench BenchmarkRun -benchtime 3x -count 6 ./cli/ | tee run.txt
//	benchstat run.txt
func BenchmarkRun(b *testing.B) {
	const townships, years = 92, 4 // (1 + 92 + 32) bodies × 4 years
	want := (1 + townships + 32) * years
	dir := filepath.Join(b.TempDir(), "reports")
	var renderings []string
	for _, r := range gen.AllRenderings() {
		if r != gen.PDF {
			renderings = append(renderings, r)
		}
	}
	sum, err := gen.Generate(b.Context(), gen.Options{
		Out: dir, District: "威海市文登区", Townships: townships, Departments: 32,
		FirstYear: 2021, LastYear: 2021 + years - 1, Seed: 5, Violations: 0.05, Noise: 0.2,
		Renderings: renderings, Mixed: true,
	})
	if err != nil {
		b.Fatal(err)
	}
	if sum.Reports != want {
		b.Fatalf("generated %d reports, want %d", sum.Reports, want)
	}
	var size int64
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), gen.TruthExt) || e.Name() == gen.ManifestName {
			continue // not read as reports
		}
		if info, err := e.Info(); err == nil {
			size += info.Size()
		}
	}
	n := 0
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(b.Context(), filepath.Join(b.TempDir(), fmt.Sprintf("run%d.duckdb", n)))
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		got, err := ingest.Run(b.Context(), ingest.Options{Inputs: []string{dir}}, st)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if got.Added != want || got.Failed != 0 {
			b.Fatalf("added %d, failed %d, want %d added", got.Added, got.Failed, want)
		}
		n++
		b.StartTimer()
	}
	sec := b.Elapsed().Seconds()
	b.ReportMetric(float64(n*want)/sec, "reports/s")
	b.ReportMetric(float64(int64(n)*size)/1e6/sec, "MB/s")
}
