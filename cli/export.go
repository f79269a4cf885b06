package cli

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"gongkai/query"
	"gongkai/render"
	"gongkai/rollup"
	"gongkai/store"
)

var exportCmd = &command{
	name:    "export",
	run:     runExport,
	summary: "help.export.summary",
	usage:   "help.export",
}

func runExport(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	db := dbFlag(fs)
	table := fs.String("table", "", "a table or view of the store")
	rollupName := fs.String("rollup", "", "a named rollup (gongkai rollup --list)")
	params := addRollupFlags(fs, "with --rollup: ")
	sqlText := fs.String("query", "", "one read-only SELECT (run in the SQL sandbox)")
	timeout := fs.Duration("timeout", query.ExportTimeout, "with --query: stop the statement after this long (at most the default)")
	format := fs.String("format", "", render.NamesOr(render.Files)+" (default: from --out's extension)")
	out := fs.StringP("out", "o", "", "the file to write ('-' = standard output, with --format)")
	dataset := fs.String("dataset", "", "write the whole store as a hive-partitioned Parquet dataset in this folder")
	bom := fs.Bool("bom", true, "csv: start with a UTF-8 byte-order mark, so Excel and WPS read Chinese right (default for files, not for --out -)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	given := 0
	for _, v := range []string{*table, *rollupName, *sqlText, *dataset} {
		if v != "" {
			given++
		}
	}
	if given != 1 {
		return usageError("give exactly one of --table, --rollup, --query or --dataset")
	}
	if *rollupName == "" && params.given() {
		return usageError("--year, --division, --level and --rule go with --rollup")
	}

	// An --query export never reads the store here: the sandbox's
	// worker does. It only checks the file, with the store's default
	// settings (see checkStore).
	var st *store.Store
	start := time.Now() // an --query export's time limit counts from here
	if *sqlText != "" {
		if err := checkStore(ctx, env, *db); err != nil {
			return err
		}
	} else {
		var err error
		if st, err = openStore(ctx, env, *db, false); err != nil {
			return err
		}
		defer st.Close()
	}

	if *dataset != "" {
		if *out != "" || *format != "" {
			return usageError("--dataset takes no --out or --format (it always writes Parquet)")
		}
		n, err := st.ExportDataset(ctx, *dataset)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stderr, env.tr("export.wrote_dataset", "n", n, "dir", *dataset, "glob", filepath.ToSlash(*dataset)))
		return nil
	}

	if *out == "" {
		return usageError("--out FILE is required (--out - writes to standard output)")
	}
	if *out == "-" && *format == "" {
		return usageError("--out - needs --format (there is no file name to tell it from)")
	}
	f, err := exportFormat(*format, *out)
	if err != nil {
		return err
	}
	// A CSV file is most often opened by a person in Excel; a CSV stream
	// goes to a program. --bom decides either way.
	if f == render.CSV && ((*out != "-" && !fs.Changed("bom")) || (fs.Changed("bom") && *bom)) {
		f = render.CSVBOM
	}
	if *sqlText != "" {
		if *timeout <= 0 || *timeout > query.ExportTimeout {
			return usageError("--timeout must be positive and at most %v", query.ExportTimeout)
		}
		sb := query.New(query.Config{Workers: 1, Limits: query.Limits{}.LowerMemory(env.Getenv("GONGKAI_MEMORY_LIMIT"))})
		defer sb.Close()
		if *out == "-" {
			n, err := sb.ExportTo(ctx, *db, *sqlText, query.Limits{Timeout: *timeout, Since: start}, f, env.Stdout)
			if err != nil {
				return err
			}
			fmt.Fprintln(env.Stderr, env.tr("export.wrote_stdout", "n", n, "format", f))
			return nil
		}
		n, err := sb.Export(ctx, *db, *sqlText, query.Limits{Timeout: *timeout, Since: start}, f, *out)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stderr, env.tr("export.wrote", "n", n, "file", *out, "format", f))
		return nil
	}
	src := store.Selection{Table: *table}
	if *rollupName != "" {
		ro, err := rollup.Bind(*rollupName, params.params())
		if err != nil {
			return err
		}
		src = ro.Selection()
	}
	if *out == "-" {
		n, err := st.ExportTo(ctx, src, f, "", env.Stdout)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stderr, env.tr("export.wrote_stdout", "n", n, "format", f))
		return nil
	}
	n, err := st.Export(ctx, src, f, *out)
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stderr, env.tr("export.wrote", "n", n, "file", *out, "format", f))
	return nil
}

// exportFormat is --format, or the format --out's extension names.
func exportFormat(flag, out string) (render.Format, error) {
	if flag != "" {
		return render.ParseFormat(flag, render.Files)
	}
	f, ok := render.FormatOfPath(out, render.Files)
	if !ok {
		return "", usageError("cannot tell the format from %q; pass --format", out)
	}
	return f, nil
}
