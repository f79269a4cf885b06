package cli

import (
	"os"
	"strings"
	"testing"
)

// TestDemo runs 'gongkai demo' from the cli folder, where there is no
// testdata/sample, so it generates the sample, as on a machine without a
// clone. It must print the findings summary and the district rollup with
// township rows and subtotals, and leave no temporary files behind.
func TestDemo(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and ingests a district")
	}
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	code, out, errs := runCLI(t, "demo")
	if code != 0 {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errs)
	}
	for _, s := range []string{
		"generating the sample district",
		"78 added, 0 failed",
		"Findings by rule and status",
		"District rollup 2024",
		"威海市文登区泽库镇人民政府",
		"文登区教育和体育局",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("demo output lacks %q:\n%s", s, out)
		}
	}
	levels := map[string]int{}
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(strings.Trim(l, "│ "))
		if len(f) > 0 {
			levels[f[0]]++
		}
	}
	// 8 townships and 5 county-level bodies, a subtotal for each kind, the
	// district, the year and the grand total.
	if levels["body"] != 13 || levels["body_kind"] != 2 || levels["district"] < 1 || levels["total"] < 2 {
		t.Errorf("rollup levels %v:\n%s", levels, out)
	}
	left, err := os.ReadDir(tmp)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 0 {
		t.Errorf("demo left %d files in TMPDIR", len(left))
	}
	if code, _, _ := runCLI(t, "demo", "extra"); code != 2 {
		t.Errorf("demo with an argument: exit %d, want 2", code)
	}
}
