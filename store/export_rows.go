package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"gongkai"
	"gongkai/render"
)

// ExportRows writes rows that came out of the SQL sandbox (an ad-hoc
// query's answer, sent by a worker process of package query) to the file
// out in format f, atomically like Export, and returns how many it wrote.
// cols and types are the answer's column names and DuckDB type names;
// batches returns the rows, then io.EOF.
//
// The rows are loaded into a private in-memory DuckDB instance that holds
// nothing of the store, so the formats are exactly Export's. Values arrive
// as the plain types Query documents; the column types are restored where
// that is exact (DECIMAL, UUID, HUGEINT and UBIGINT travel as text and are
// cast back), and LIST, STRUCT, MAP and other nested values are written as
// their JSON text.
func ExportRows(ctx context.Context, cols, types []string, batches func() ([][]any, error), f render.Format, out string) (int64, error) {
	fail := func(err error) (int64, error) { return 0, exportError(out, err) }
	tmp, err := os.MkdirTemp("", "gongkai-export-")
	if err != nil {
		return fail(err)
	}
	defer os.RemoveAll(tmp)
	v := url.Values{}
	v.Set("threads", "2")
	v.Set("memory_limit", StoreMemoryLimit)
	v.Set("temp_directory", tmp)
	v.Set("autoinstall_known_extensions", "false")
	v.Set("autoload_known_extensions", "false")
	c, err := duckdb.NewConnector("?"+v.Encode(), nil)
	if err != nil {
		return fail(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	db.SetMaxOpenConns(1)

	defs := make([]string, len(cols))
	sel := make([]string, len(cols))
	text := make([]bool, len(cols))
	for i, t := range types {
		staging, cast := stagingType(t)
		text[i] = staging == "VARCHAR"
		defs[i] = fmt.Sprintf("c%d %s", i, staging)
		sel[i] = fmt.Sprintf("c%d", i)
		if cast != "" {
			sel[i] = fmt.Sprintf("CAST(c%d AS %s)", i, cast)
		}
		sel[i] += " AS " + quoteIdent(cols[i])
	}
	if len(cols) == 0 {
		return fail(&gongkai.Error{Op: "export", Err: fmt.Errorf("%w: the query has no columns", gongkai.ErrUsage)})
	}
	if _, err := db.ExecContext(ctx, "CREATE TABLE answer ("+strings.Join(defs, ", ")+")"); err != nil {
		return fail(err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		return fail(err)
	}
	err = conn.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "answer")
		if err != nil {
			return err
		}
		vals := make([]driver.Value, len(cols))
		for {
			rows, err := batches()
			if err == io.EOF {
				break
			}
			if err != nil {
				a.Close()
				return err
			}
			for _, row := range rows {
				for i, v := range row {
					vals[i] = stagingValue(v, text[i])
				}
				if err := a.AppendRow(vals...); err != nil {
					a.Close()
					return err
				}
			}
		}
		return a.Close()
	})
	conn.Close()
	if err != nil {
		var ge *gongkai.Error
		if errors.As(err, &ge) {
			return 0, err
		}
		return fail(err)
	}
	s := &Store{db: db, path: out, readOnly: true}
	var n int64
	err = writeAtomic(out, func(tmp string) error {
		var err error
		n, err = s.writeFile(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM answer", nil, f, tmp)
		return err
	})
	if err != nil {
		return fail(err)
	}
	return n, nil
}

// decimalType is a DuckDB DECIMAL type name.
var decimalType = regexp.MustCompile(`^DECIMAL\(([0-9]{1,2}),([0-9]{1,2})\)$`)

// stagingType returns the column type rows are appended into for DuckDB
// type t, and the type to cast it back to ("" = none). Only type names of
// a known form go into SQL.
func stagingType(t string) (staging, cast string) {
	switch t {
	case "BOOLEAN", "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER",
		"FLOAT", "DOUBLE", "VARCHAR", "BLOB", "DATE", "TIME", "TIMESTAMP", "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
		return t, ""
	case "UUID", "HUGEINT", "UHUGEINT", "UBIGINT":
		return "VARCHAR", t
	}
	if m := decimalType.FindStringSubmatch(t); m != nil {
		return "VARCHAR", "DECIMAL(" + m[1] + "," + m[2] + ")"
	}
	return "VARCHAR", ""
}

// stagingValue turns a plain value into what the appender takes for its
// staging column: text columns get the value's text (nested values their
// JSON), others the value itself.
func stagingValue(v any, text bool) driver.Value {
	if v == nil {
		return nil
	}
	if !text {
		return v
	}
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case gongkai.Num:
		if !x.Valid() {
			return nil
		}
		return x.String()
	case []any, map[string]any:
		b, err := json.Marshal(x)
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
	return fmt.Sprint(v)
}
