package ingest

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"gongkai/gen"
)

// BenchmarkParse measures ParseBytes (reader, recognizer and rules R1–R5)
// on generated reports, one sub-benchmark per rendering; one op parses one
// report. The inputs are rendered in memory before the clock starts: 26
// reports (an office, 8 townships, 4 departments, 2 years, a fifth of them
// with noise), the same bytes on every run.
//
//	go test -run '^$' -bench BenchmarkParse -benchtime 2s -count 6 ./ingest/ | tee parse.txt
//	benchstat parse.txt
//
// pdf is included only where LibreOffice is installed (see
// gen.PDFAvailable); record_json is the truth record read as input.
func BenchmarkParse(b *testing.B) {
	items, err := gen.Build(gen.Options{
		District: "威海市文登区", Townships: 8, Departments: 4, FirstYear: 2023, LastYear: 2024,
		Seed: 11, Violations: 0.05, Noise: 0.2,
	})
	if err != nil {
		b.Fatal(err)
	}
	renderings := gen.AllRenderings()
	if !gen.PDFAvailable() {
		renderings = slices.DeleteFunc(renderings, func(r string) bool { return r == gen.PDF })
	}
	renderings = append(renderings, "record_json")
	for _, rn := range renderings {
		b.Run(rn, func(b *testing.B) {
			docs, err := renderAll(b.Context(), rn, items)
			if err != nil {
				b.Fatal(err)
			}
			// Every input must parse: the benchmark measures the readers'
			// way through a report, not their way out of it.
			for i, d := range docs {
				if _, err := ParseBytes(b.Context(), items[i].Base, d); err != nil {
					b.Fatalf("%s: %v", items[i].Base, err)
				}
			}
			var bytes int64
			i := 0
			for b.Loop() {
				d := docs[i%len(docs)]
				if _, err := ParseBytes(b.Context(), "bench", d); err != nil {
					b.Fatal(err)
				}
				bytes += int64(len(d))
				i++
			}
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(bytes)/1e6/sec, "MB/s")
			b.ReportMetric(float64(i)/sec, "reports/s")
		})
	}
}

// renderAll renders every item in one rendering; "record_json" is the
// item's truth record.
func renderAll(ctx context.Context, rendering string, items []*gen.Item) ([][]byte, error) {
	if rendering != "record_json" {
		return gen.RenderBatch(ctx, rendering, items)
	}
	out := make([][]byte, len(items))
	for i, it := range items {
		js, err := json.Marshal(it.Record)
		if err != nil {
			return nil, err
		}
		out[i] = js
	}
	return out, nil
}
