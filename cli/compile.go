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
	summary: "help.compile.summary",
	usage:   "help.compile",
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
	fmt.Fprintln(env.Stderr, env.tr("compile.wrote", "file", *out, "title", c.Title(), "bodies", len(c.Bodies),
		"missing", len(c.Missing), "findings", len(c.Findings)+len(c.Report.Findings)))
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
