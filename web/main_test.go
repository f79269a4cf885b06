package web_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"gongkai/cli"
)

// sampleDB is a store of testdata/sample (the generated 文登区, 2019–2024,
// with rule violations on purpose), ingested once for every test by the
// CLI, as a user would: gongkai ingest --district 文登区 testdata/sample.
var sampleDB string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gongkai-web-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	sampleDB = filepath.Join(dir, "sample.duckdb")
	if out, err := runCLI(context.Background(), "ingest", "--db", sampleDB, "--district", "文登区", "../testdata/sample"); err != nil {
		fmt.Fprintf(os.Stderr, "ingest of the sample failed: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runCLI runs a gongkai command in process and returns its standard
// output; a non-zero exit status is an error carrying standard error.
func runCLI(ctx context.Context, args ...string) ([]byte, error) {
	var out, errb bytes.Buffer
	if code := cli.Run(ctx, args, &cli.Env{Stdout: &out, Stderr: &errb}); code != 0 {
		return out.Bytes(), fmt.Errorf("gongkai %v: exit status %d: %s", args, code, errb.String())
	}
	return out.Bytes(), nil
}
