package render

import (
	"bytes"
	"strings"
	"testing"
)

// A compiled report printed with a single （六）其他处理 row (some body
// printed it so, FORMAT.md §3) shows that row once, as the 2019 form does,
// and not its three sub-rows, which are not in this printing.
func TestCompiledSingleOtherRow(t *testing.T) {
	c := sampleCompilation(t)
	c.Report.UseSingleOther(true)
	for _, w := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"text", func(b *bytes.Buffer) error { return WriteCompiled(b, c, Table) }},
		{"markdown", func(b *bytes.Buffer) error { return WriteCompiled(b, c, Markdown) }},
		{"html", func(b *bytes.Buffer) error { return WriteCompiled(b, c, HTML) }},
	} {
		var buf bytes.Buffer
		if err := w.write(&buf); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		s := buf.String()
		if n := strings.Count(s, "（六）其他处理"); n != 1 {
			t.Errorf("%s: （六）其他处理 printed %d times, want once", w.name, n)
		}
		if strings.Contains(s, "逾期不补正") || strings.Contains(s, "3.其他") {
			t.Errorf("%s: prints the sub-rows of （六）", w.name)
		}
		if !strings.Contains(s, "（七）总计") {
			t.Errorf("%s: lacks （七）总计", w.name)
		}
	}
}
