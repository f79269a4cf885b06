package cli

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gongkai"
	"gongkai/gen"
	"gongkai/ingest"
	"gongkai/msg"
	"gongkai/render"
	"gongkai/rollup"
)

var demoCmd = &command{
	name:    "demo",
	run:     runDemo,
	summary: "help.demo.summary",
	usage:   "help.demo",
}

// sampleDir is where a clone keeps the committed sample, relative to the
// repository root (the working directory of 'go run ./cmd/gongkai').
const sampleDir = "testdata/sample"

func runDemo(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("demo takes no arguments")
	}
	tmp, err := os.MkdirTemp("", "gongkai-demo-")
	if err != nil {
		return &gongkai.Error{Op: "demo", Err: err, Hint: "check that the temporary folder (TMPDIR) is writable"}
	}
	defer os.RemoveAll(tmp)
	out := env.Stdout

	opts := gen.SampleOptions(filepath.Join(tmp, "sample"))
	src := sampleDir
	inputs, err := reportFiles(src)
	if err != nil || len(inputs) == 0 {
		fmt.Fprintln(out, env.tr("demo.generating", "dir", sampleDir, "district", opts.District, "townships", opts.Townships,
			"departments", opts.Departments, "first", opts.FirstYear, "last", opts.LastYear))
		if _, err := gen.Generate(ctx, opts); err != nil {
			return fmt.Errorf("demo: generating the sample: %w", err)
		}
		src = opts.Out
		if inputs, err = reportFiles(src); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}

	st, err := openStore(ctx, env, filepath.Join(tmp, "demo.duckdb"), true)
	if err != nil {
		return err
	}
	defer st.Close()
	sum, err := ingest.Run(ctx, ingest.Options{
		Inputs:    inputs,
		Parse:     ingest.ParseBytes,
		Placement: ingest.Placement{District: opts.District},
	}, st)
	if err != nil {
		return fmt.Errorf("demo: ingest: %w", err)
	}
	if err := rollup.Refresh(ctx, st, nil); err != nil {
		return fmt.Errorf("demo: ingest: %w", err)
	}
	fmt.Fprintln(out, env.tr("demo.ingested", "n", sum.Parsed, "dir", src, "added", sum.Added+sum.Replaced, "failed", sum.Failed))
	for _, f := range sum.Failures {
		fmt.Fprintln(out, env.tr("demo.failed", "file", f.Name, "err", errorText(f.Err, env.Lang)))
	}

	summary, err := rollup.Run(ctx, st, "findings_summary", rollup.Params{})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, env.tr("demo.findings"))
	if err := render.WriteTable(out, localFindings(summary, env.Lang)); err != nil {
		return err
	}

	yr, err := st.Query(ctx, "SELECT max(report_year) FROM reports WHERE NOT is_aggregate")
	if err != nil {
		return err
	}
	year, _ := yr.Rows[0][0].(int64)
	if year == 0 {
		return &gongkai.Error{Op: "demo", Err: fmt.Errorf("no report was stored"), Hint: "run 'gongkai ingest' on the sample to see why"}
	}
	res, err := rollup.Run(ctx, st, "district_year", rollup.Params{Year: int(year)})
	if err != nil {
		return err
	}
	fmt.Fprintln(out, env.tr("demo.rollup", "year", year))
	table := project(res, "level", "district", "body_kind", "organization", "reports",
		"requests_new", "carried_over", "outcome_1", "outcome_2", "outcome_7", "carried_forward", "incomplete_reports")
	if err := render.WriteTable(out, localTable(table, env.Lang)); err != nil {
		return err
	}
	fmt.Fprint(out, env.tr("demo.keep", "district", opts.District, "townships", opts.Townships, "departments", opts.Departments,
		"first", opts.FirstYear, "last", opts.LastYear, "seed", opts.Seed, "violations", fmt.Sprintf("%g", opts.Violations)))
	return nil
}

// reportFiles lists the documents under dir, leaving out the generator's
// truth files and manifest (they describe the reports; they are not ones).
func reportFiles(dir string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if p != dir && strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || strings.HasSuffix(name, gen.TruthExt) || name == gen.ManifestName {
			return nil
		}
		out = append(out, p)
		return nil
	})
	slices.Sort(out)
	return out, err
}

// localTable is a table for people in l: in Chinese, the headers the
// catalogue has (col.*) and the values of level and body_kind (value.*);
// the rollup's own outputs keep its keys.
func localTable(res *gongkai.Result, l msg.Lang) *gongkai.Result {
	if l == msg.EN {
		return res
	}
	out := &gongkai.Result{Types: res.Types, Truncated: res.Truncated}
	for _, c := range res.Columns {
		if id := msg.ID("col." + c); msg.Has(id) {
			c = msg.T(l, id, nil)
		}
		out.Columns = append(out.Columns, c)
	}
	for _, r := range res.Rows {
		row := slices.Clone(r)
		for i, c := range res.Columns {
			if s, ok := row[i].(string); ok && (c == "level" || c == "body_kind") && msg.Has(msg.ID("value."+s)) {
				row[i] = msg.T(l, msg.ID("value."+s), nil)
			}
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}

// project keeps the named columns of res, in that order.
func project(res *gongkai.Result, cols ...string) *gongkai.Result {
	var idx []int
	out := &gongkai.Result{Truncated: res.Truncated}
	for _, c := range cols {
		if i := slices.Index(res.Columns, c); i >= 0 {
			idx = append(idx, i)
			out.Columns = append(out.Columns, c)
			if i < len(res.Types) {
				out.Types = append(out.Types, res.Types[i])
			}
		}
	}
	for _, r := range res.Rows {
		row := make([]any, len(idx))
		for j, i := range idx {
			row[j] = r[i]
		}
		out.Rows = append(out.Rows, row)
	}
	return out
}
