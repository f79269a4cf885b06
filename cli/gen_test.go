package cli

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai"
	"gongkai/gen"
)

func runGenCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(t.Context(), append([]string{"gen"}, args...), &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb})
	return code, out.String(), errb.String()
}

func TestGenWritesReportsTruthAndManifest(t *testing.T) {
	dir := t.TempDir()
	code, out, errs := runGenCLI(t, "--out", dir, "--district", "威海市文登区", "--townships", "2", "--departments", "1",
		"--years", "2020-2021", "--seed", "5", "--violations", "0.5", "--rendering", "word_text,html")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "wrote 8 reports of 4 bodies (16 files, renderings word_text,html)") ||
		!strings.Contains(out, "4 break a rule on purpose") {
		t.Errorf("summary: %s", out)
	}
	f, err := os.Open(filepath.Join(dir, gen.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 17 {
		t.Fatalf("manifest has %d rows, want header + 16", len(rows))
	}
	for _, r := range rows[1:] {
		for _, name := range []string{r[0], r[7]} {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				t.Errorf("manifest names %s: %v", name, err)
			}
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "2021_威海市文登区泽库镇人民政府.html.html")); err != nil {
		t.Errorf("html rendering of 泽库镇 2021: %v", err)
	}
}

func TestGenUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},                                   // no --out
		{"--out", "x", "--years", "20x"},     // bad years
		{"--out", "x", "extra"},              // stray argument
		{"--out", "x", "--rendering", "rtf"}, // unknown rendering (not a usage error, but an error)
	} {
		code, _, errs := runGenCLI(t, args...)
		if code == 0 || !strings.HasPrefix(errs, "Error: ") {
			t.Errorf("gen %v: exit %d, stderr %q", args, code, errs)
		}
	}
}

func TestGenPDFWithoutConverter(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no soffice, whatever is installed
	code, _, errs := runGenCLI(t, "--out", t.TempDir(), "--rendering", "pdf", "--townships", "1", "--departments", "0")
	if code != 1 || !strings.Contains(errs, "no PDF converter installed") || !strings.Contains(errs, "Try: install LibreOffice") || !strings.Contains(errs, "./scripts/install-deps") {
		t.Errorf("exit %d, stderr %q", code, errs)
	}
	code, out, errs := runGenCLI(t, "--out", t.TempDir(), "--rendering", "all", "--townships", "1", "--departments", "0", "--years", "2023")
	if code != 0 || !strings.Contains(errs, "Note: pdf skipped") || !strings.Contains(out, "(20 files,") {
		t.Errorf("all without a converter: exit %d, stdout %q, stderr %q", code, out, errs)
	}
}

func TestParseYears(t *testing.T) {
	for in, want := range map[string][2]int{"2019-2024": {2019, 2024}, "2023": {2023, 2023}, " 2020 - 2021": {2020, 2021}} {
		a, b, err := parseYears(in)
		if err != nil || a != want[0] || b != want[1] {
			t.Errorf("parseYears(%q) = %d, %d, %v", in, a, b, err)
		}
	}
}

// TestGenPDFThenParse is the README's pdf path end to end: gen writes
// PDFs with LibreOffice (one run for the folder), parse reads every cell
// back as the truth file has it.
func TestGenPDFThenParse(t *testing.T) {
	if !gen.PDFAvailable() {
		t.Fatal("no PDF converter: LibreOffice (soffice) is not on PATH; run ./scripts/install-deps")
	}
	dir := t.TempDir()
	code, out, errs := runGenCLI(t, "--out", dir, "--rendering", "pdf", "--townships", "2", "--departments", "1",
		"--years", "2022-2023", "--district", "威海市文登区", "--seed", "1")
	if code != 0 || !strings.Contains(out, "wrote 8 reports of 4 bodies (8 files, renderings pdf)") {
		t.Fatalf("gen: exit %d, stdout %q, stderr %q", code, out, errs)
	}
	pdfs, err := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if err != nil || len(pdfs) != 8 {
		t.Fatalf("%d PDFs, %v", len(pdfs), err)
	}
	code, out, errs = runParseCLI(t, pdfs...)
	if code != 0 {
		t.Fatalf("parse: exit %d, stderr %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(pdfs) {
		t.Fatalf("parse printed %d records for %d files", len(lines), len(pdfs))
	}
	for i, line := range lines {
		got := new(gongkai.Report)
		if err := json.Unmarshal([]byte(line), got); err != nil {
			t.Fatalf("%s: %v", pdfs[i], err)
		}
		data, err := os.ReadFile(strings.TrimSuffix(pdfs[i], ".pdf") + gen.TruthExt)
		if err != nil {
			t.Fatal(err)
		}
		want := new(gongkai.Report)
		if err := json.Unmarshal(data, want); err != nil {
			t.Fatal(err)
		}
		if got.Organization != want.Organization || got.ReportYear != want.ReportYear {
			t.Errorf("%s: read as %s %d", pdfs[i], got.Organization, got.ReportYear)
		}
		cells := want.Cells()
		for _, c := range cells {
			if v, _ := got.Get(c.Path()); v != c.Value {
				t.Errorf("%s: %s = %v, want %v", filepath.Base(pdfs[i]), c.Path(), v, c.Value)
			}
		}
		if len(cells) < 150 {
			t.Errorf("%s: only %d cells in the truth", pdfs[i], len(cells))
		}
	}
}
