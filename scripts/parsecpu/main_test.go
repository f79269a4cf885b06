package main

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"gongkai/gen"
)

// TestRun: a generated folder of two renderings gives one line per reader
// with its files and a CPU time; the truth files beside them are not
// parsed; a folder without reports is an error.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	if _, err := gen.Generate(t.Context(), gen.Options{Out: dir, District: "威海市文登区", Townships: 2, Departments: 1,
		FirstYear: 2023, LastYear: 2023, Seed: 1, Renderings: []string{gen.WordText, gen.HTML}}); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(dir, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want a line for html and for word_text:\n%s", out.String())
	}
	for i, want := range []string{"html", "word_text"} {
		f := strings.Fields(lines[i])
		if len(f) != 3 || f[0] != want || f[1] != "4" {
			t.Errorf("line %d: %q, want %s and its 4 files (2 townships, the office, 1 department)", i, lines[i], want)
			continue
		}
		if ms, err := strconv.ParseFloat(f[2], 64); err != nil || ms < 0 {
			t.Errorf("line %d: CPU %q", i, f[2])
		}
	}
	if err := run(t.TempDir(), &out); err == nil || !strings.Contains(err.Error(), "no report files") {
		t.Errorf("an empty folder: %v", err)
	}
}
