package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

func runParseCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(t.Context(), append([]string{"parse"}, args...), &Env{Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func parseFixture(name string) string {
	return filepath.Join("..", "testdata", name, "input.txt")
}

// One file: one JSON object, the record of FORMAT.md §5.
func TestParseCommandOneFile(t *testing.T) {
	code, out, errs := runParseCLI(t, parseFixture("pipe_text_2019"))
	if code != 0 || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	var rec map[string]any
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatalf("output is not one JSON object: %v\n%s", err, out)
	}
	if rec["organization"] != "示例县丙丁局" || rec["format_version"] != "2019" {
		t.Errorf("record %v %v", rec["organization"], rec["format_version"])
	}
}

// Several files: JSON lines; a file whose tables cannot be read is an
// error naming it and what is missing, the others still print, exit 1.
func TestParseCommandSeveralFiles(t *testing.T) {
	// A pipe-text report cut off before table 三.
	partial := filepath.Join("..", "testdata", "partial", "pipe_text_cut.txt")
	code, out, errs := runParseCLI(t, parseFixture("word_text_2021"), partial, parseFixture("cell_lines_2021"))
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	if !strings.Contains(errs, "Error: parse "+partial) || !strings.Contains(errs, "table 三") {
		t.Errorf("stderr %q does not name the file and the missing table", errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 JSON lines, got %d:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if !json.Valid([]byte(l)) {
			t.Errorf("not a JSON line: %s", l)
		}
	}
}

func TestParseCommandExplain(t *testing.T) {
	code, out, errs := runParseCLI(t, "--explain", parseFixture("word_text_2021"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// 行政许可 is written "1,234" on line 33 of the fixture.
	if !strings.Contains(out, "active.licensing.decisions\t1234\tline 33\t1,234\n") {
		t.Errorf("explain output lacks the licensing cell:\n%s", out)
	}
	if code, _, _ := runParseCLI(t); code != 2 {
		t.Errorf("no file: exit %d, want 2", code)
	}
}

func TestCompactRows(t *testing.T) {
	in := "{\n  \"1_new\": [\n    20,\n    null,\n    -3,\n    1.5\n  ],\n  \"m\": \"keep [1,2] and [\\n] as written\",\n  \"where\": [\n    \"a\",\n    \"b\"\n  ]\n}"
	want := "{\n  \"1_new\": [20, null, -3, 1.5],\n  \"m\": \"keep [1,2] and [\\n] as written\",\n  \"where\": [\n    \"a\",\n    \"b\"\n  ]\n}"
	if got := string(compactRows([]byte(in))); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
