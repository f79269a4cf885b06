package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"

	"gongkai/internal/sharedtest"
	"gongkai/render"
	"gongkai/rollup"
	"gongkai/store"
)

var updateOutputs = flag.Bool("update-outputs", false, "rewrite testdata/identity from the current outputs")

// outputsDir holds the outputs captured before issue 9's restructuring:
// every rollup, compile and export output on three stores. The test keeps
// them byte-identical through the refactor; a change of output has to be
// made on purpose (go test ./cli -run TestOutputsUnchanged -update-outputs) and
// explained in its commit.
const outputsDir = "../testdata/outputs"

// compileCase is a division to compile in JSON for every year of the
// store, and in every format for one year.
type compileCase struct {
	div  string
	year string
}

// outputSet is one store the outputs are captured on: how to fill it,
// which divisions to compile (for each year of the store) and which
// --division values to roll up.
type outputSet struct {
	name string
	// ingest fills db and returns the folder the files were read from
	// when it is not the same on every machine ("" otherwise); outputs
	// name it $IN.
	ingest  func(t *testing.T, db string) string
	compile []compileCase
	divs    []string
}

func TestOutputsUnchanged(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests three stores and runs every output on them")
	}
	sets := []outputSet{
		{
			name: "sample",
			ingest: func(t *testing.T, db string) string {
				mustRun(t, "ingest", "--db", db, "--workers", "1", "../testdata/sample")
				return ""
			},
			compile: []compileCase{{"文登区", "2024"}, {"威海市", "2023"}},
			divs:    []string{"文登区", "威海市文登区", "泽库镇", "371003"},
		},
		{
			name: "generated",
			ingest: func(t *testing.T, db string) string {
				dir := t.TempDir()
				mustRun(t, "gen", "--out", dir, "--district", "威海市荣成市", "--townships", "4", "--departments", "2",
					"--years", "2020-2023", "--seed", "11", "--violations", "0.2", "--noise", "0.2",
					"--rendering", "word_text,html,docx,pipe_text,cell_lines,markdown")
				// One file a run, in name order, so report ids (the findings
				// rollup shows them) do not depend on which parser ends first.
				files, err := filepath.Glob(filepath.Join(dir, "*"))
				if err != nil {
					t.Fatal(err)
				}
				slices.Sort(files)
				n := 0
				for _, f := range files {
					if strings.HasSuffix(f, ".truth.json") || strings.HasSuffix(f, ".csv") {
						continue
					}
					mustRun(t, "ingest", "--db", db, "--district", "荣成市", f)
					n++
				}
				if n < 20 {
					t.Fatalf("generated only %d reports", n)
				}
				return dir
			},
			compile: []compileCase{{"荣成市", "2023"}},
			divs:    []string{"荣成市", "371082"},
		},
	}
	if shared, err := sharedtest.Find(); err == nil {
		corpus := filepath.Join(shared, "corpus", "raw")
		sets = append(sets, outputSet{
			name: "corpus",
			ingest: func(t *testing.T, db string) string {
				// One file a run, in name order: 005 and 010 are the same
				// report, so which one is stored depends on the order.
				files, err := filepath.Glob(filepath.Join(corpus, "*"))
				if err != nil {
					t.Fatal(err)
				}
				slices.Sort(files)
				for _, f := range files {
					runCLI(t, "ingest", "--db", db, f) // the partial files fail on purpose
				}
				return corpus
			},
			compile: []compileCase{{"淮安市", "2024"}, {"江苏省", "2024"}},
			divs:    []string{"淮安市", "32", "平潭综合实验区"},
		})
	} else {
		t.Logf("no real corpus (%v): its outputs are not compared", err)
	}
	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "id.duckdb")
			in := set.ingest(t, db)
			got := allOutputs(t, db, set)
			if in != "" {
				for k, v := range got {
					got[k] = strings.ReplaceAll(v, in, "$IN")
				}
			}
			compareOutputs(t, filepath.Join(outputsDir, set.name), got)
		})
	}
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	code, out, errs := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("gongkai %s: exit %d\n%s", strings.Join(args, " "), code, errs)
	}
	return out
}

var outputLevels = []string{"body", "township", "county", "city", "province", "nation", "county_by_type", "nation_by_type"}

// allOutputs runs every output on db and returns them by file name.
func allOutputs(t *testing.T, db string, set outputSet) map[string]string {
	out := map[string]string{}
	years := storeYears(t, db)
	last := years[len(years)-1]
	// The parameter matrix through the rollup API, on one connection:
	// none, each year alone and with the first division, each division,
	// each level and each rule for the rollups that take them.
	st, err := store.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, ro := range rollup.List() {
		sets := []rollup.Params{{}}
		for _, y := range years {
			sets = append(sets, rollup.Params{Year: atoi(t, y)}, rollup.Params{Year: atoi(t, y), Division: set.divs[0]})
		}
		for _, d := range set.divs {
			sets = append(sets, rollup.Params{Division: d})
		}
		if slices.Contains(ro.Params, "level") {
			for _, l := range outputLevels {
				sets = append(sets, rollup.Params{Level: l}, rollup.Params{Level: l, Division: set.divs[0], Year: atoi(t, last)})
			}
		}
		if slices.Contains(ro.Params, "rule") {
			for _, r := range []string{"R1", "R3", "R6", "R7", "R9", "READ", "DIV", "COMPILE"} {
				sets = append(sets, rollup.Params{Rule: r}, rollup.Params{Rule: r, Year: atoi(t, last)})
			}
		}
		for _, p := range sets {
			key := ro.Name
			if p.Year != 0 {
				key += fmt.Sprintf("_y%d", p.Year)
			}
			if p.Division != "" {
				key += "_d" + p.Division
			}
			if p.Level != "" {
				key += "_l" + p.Level
			}
			if p.Rule != "" {
				key += "_r" + p.Rule
			}
			res, err := rollup.Run(t.Context(), st, ro.Name, p)
			if err != nil {
				t.Fatalf("%s: %v", key, err)
			}
			var b strings.Builder
			if err := render.Write(&b, res, render.CSV); err != nil {
				t.Fatal(err)
			}
			out["rollup/"+key+".csv"] = b.String()
		}
	}
	st.Close()
	for _, ro := range rollup.List() {
		// Through the commands: 'gongkai rollup' in its other formats and
		// 'gongkai export' in each file format.
		out["cli/"+ro.Name+"_y"+last+".json"] = mustRun(t, "rollup", ro.Name, "--db", db, "--format", "json", "--year", last)
		out["cli/"+ro.Name+"_y"+last+".table"] = mustRun(t, "rollup", ro.Name, "--db", db, "--year", last)
		out["cli/"+ro.Name+"_y"+last+"_d"+set.divs[0]+".csv"] = mustRun(t, "rollup", ro.Name, "--db", db,
			"--format", "csv", "--year", last, "--division", set.divs[0])
		for _, f := range []string{"csv", "jsonl", "xlsx"} {
			file := filepath.Join(t.TempDir(), "x."+f)
			args := []string{"export", "--db", db, "--rollup", ro.Name, "--year", last, "--out", file}
			if slices.Contains(ro.Params, "level") {
				args = append(args, "--level", "county")
			}
			mustRun(t, args...)
			out["export/"+ro.Name+"_y"+last+"."+f] = readOutput(t, file)
		}
	}
	// An ad-hoc query export, ordered and without store-assigned ids.
	q := `SELECT organization, report_year, row_label, col_label, value FROM applications WHERE report_year = ` + last + ` ORDER BY ALL`
	for _, f := range []string{"csv", "jsonl", "xlsx"} {
		file := filepath.Join(t.TempDir(), "q."+f)
		mustRun(t, "export", "--db", db, "--query", q, "--out", file)
		out["export/query_applications."+f] = readOutput(t, file)
	}
	for _, c := range set.compile {
		d, last := c.div, c.year
		for _, y := range years {
			// A year without reports of the division is an error: keep it too.
			code, stdout, stderr := runCLI(t, "compile", "--db", db, "--division", d, "--year", y, "--format", "json")
			out["compile/"+d+"_"+y+".json"] = fmt.Sprintf("exit %d\n%s%s", code, stdout, stderr)
		}
		for _, f := range []string{"table", "markdown", "html"} {
			out["compile/"+d+"_"+last+"."+f] = mustRun(t, "compile", "--db", db, "--division", d, "--year", last, "--format", f)
		}
		file := filepath.Join(t.TempDir(), "c.xlsx")
		mustRun(t, "compile", "--db", db, "--division", d, "--year", last, "--format", "xlsx", "--out", file)
		out["compile/"+d+"_"+last+".xlsx"] = readOutput(t, file)
	}
	return out
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// storeYears lists the report years in db.
func storeYears(t *testing.T, db string) []string {
	out := mustRun(t, "query", "--db", db, "--format", "csv", "SELECT DISTINCT report_year FROM reports ORDER BY 1")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 {
		t.Fatalf("no years in the store:\n%s", out)
	}
	return lines[1:]
}

// readOutput returns a file's text; an XLSX workbook as its cells, one
// tab-separated line a row under a line per sheet, and its merged ranges
// (the zip itself carries times).
func readOutput(t *testing.T, path string) string {
	t.Helper()
	if filepath.Ext(path) != ".xlsx" {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	x, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	var b strings.Builder
	for _, sh := range x.GetSheetList() {
		fmt.Fprintf(&b, "== sheet %s\n", sh)
		rows, err := x.GetRows(sh, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			b.WriteString(strings.Join(r, "\t") + "\n")
		}
		merged, err := x.GetMergeCells(sh)
		if err != nil {
			t.Fatal(err)
		}
		var ranges []string
		for _, m := range merged {
			ranges = append(ranges, "merged "+m.GetStartAxis()+":"+m.GetEndAxis()+"\n")
		}
		slices.Sort(ranges) // excelize returns them in no fixed order
		b.WriteString(strings.Join(ranges, ""))
	}
	return b.String()
}

// compareOutputs compares got with the files under dir, or rewrites dir
// with -update-outputs.
func compareOutputs(t *testing.T, dir string, got map[string]string) {
	t.Helper()
	if *updateOutputs {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		for name, text := range got {
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	want := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		want[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatalf("%v (run with -update-outputs to capture)", err)
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("%s: no longer produced", name)
		}
	}
	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: new output, not in %s", name, dir)
			continue
		}
		if w != got[name] {
			t.Errorf("%s differs (-want +got):\n%s", name, cmp.Diff(w, got[name]))
		}
	}
}
