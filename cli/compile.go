package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"gongkai"
	"gongkai/compile"
	"gongkai/division"
	"gongkai/render"
)

var compileCmd = &command{
	name:    "compile",
	run:     runCompile,
	summary: "compile a division's report for a year: the three official tables summed over its bodies",
	usage: `Usage: gongkai compile --division NAME|CODE --year YEAR [--format table|markdown|html|csv|json|xlsx] [--out FILE] [--db PATH]

Does the district office's January job: sums, cell by cell, the reports of
every body inside the division (townships, streets, departments, the
government's own office) for the year into the three official tables of
the annual report, with the official labels and layout. Whole-area
(全区/全市) reports are never added to their parts; they are listed apart
(R9 in 'gongkai check' compares them with the sum).

A cell that some body left blank is blank (—) in the total too, and a
COMPILE finding gives how many bodies did not state it and what the others
add up to: a partial sum is never shown as the total.

After the tables come the bodies included, the bodies expected but missing
(they reported in an earlier year, or they are townships of the division in
the divisions data), the findings that affect the totals, and the reports of
the year that have no division at all (ingest them with --district or a
manifest).

--division takes a name (文登区, 威海市文登区, 威海市) or a code (371003,
371000, 37); a name that several divisions share is refused with the
candidates. --format json writes a report record (as 'gongkai parse' does)
whose organization is the division, with a "compiled" field listing the
bodies and findings; xlsx writes one sheet per official table plus a sheet
of bodies and findings, and needs --out; csv writes one row per cell (table,
official row and column labels, value, cell path) after a byte-order mark,
for Excel and WPS (the page's 汇总表 CSV download is the same).

Examples:
  gongkai compile --division 文登区 --year 2023
  gongkai compile --division 371003 --year 2023 --format markdown --out 文登区2023.md
  gongkai compile --division 威海市文登区 --year 2023 --format xlsx --out 文登区2023.xlsx
  gongkai compile --division 威海市 --year 2022 --format json
  gongkai compile --division 文登区 --year 2023 --format csv --out 文登区2023.csv
`,
}

func runCompile(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	div := fs.String("division", "", "division name or code (文登区, 371003)")
	year := fs.Int("year", 0, "report year")
	format := fs.String("format", "table", "output: "+render.NamesOr(render.Compiled))
	out := fs.String("out", "", "write to this file instead of standard output ('-' = standard output; required for xlsx)")
	db := dbFlag(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return usageError("unexpected arguments %q", fs.Args())
	case *div == "":
		return usageError("--division is required (a name such as 文登区 or a code such as 371003)")
	case *year <= 0:
		return usageError("--year is required (the report year, e.g. 2023)")
	}
	f, err := render.ParseFormat(*format, render.Compiled)
	if err != nil {
		return err
	}
	if f == render.XLSX && *out == "" {
		return usageError("--format xlsx needs --out FILE (or --out - for standard output)")
	}
	res := division.Default()
	d, err := res.District(*div)
	if err != nil {
		return err
	}
	st, err := openStore(ctx, env, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := compile.Division(ctx, st, res, d, *year)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := render.WriteCompiled(&buf, c, f); err != nil {
		return &gongkai.Error{Op: "compile", Path: *div, Err: err}
	}
	if *out == "" || *out == "-" {
		_, err := env.Stdout.Write(buf.Bytes())
		return err
	}
	if err := compileWriteFile(*out, buf.Bytes()); err != nil {
		return &gongkai.Error{Op: "compile", Path: *out, Err: err}
	}
	fmt.Fprintf(env.Stderr, "wrote %s: %s, %d bodies, %d missing, %d findings\n",
		*out, c.Title(), len(c.Bodies), len(c.Missing), len(c.Findings)+len(c.Report.Findings))
	return nil
}

// compileWriteFile writes data to a temporary file in path's folder, syncs
// it and renames it over path, so a reader never sees half a file.
func compileWriteFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
