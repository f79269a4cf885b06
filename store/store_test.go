package store

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai"
)

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.duckdb")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

func scalar(t *testing.T, s *Store, q string, args ...any) any {
	t.Helper()
	res, err := s.Query(t.Context(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		t.Fatalf("%s: want one value, got %v", q, res.Rows)
	}
	return res.Rows[0][0]
}

func TestOpenMigratesOnceAndFillsLabels(t *testing.T) {
	s, path := openTemp(t)
	want := int64(len(mustMigrations(t)))
	if got := scalar(t, s, `SELECT count(*) FROM schema_migrations`); got != want {
		t.Fatalf("schema_migrations rows = %v, want %d", got, want)
	}
	// Cells per layout, counted from FORMAT.md §2–4: 2021 has 10 + 25×7 + 15,
	// and the 7 of （六）其他处理 printed as one row (3_6, §3); 2019 has
	// 22 + 23×7 + 15.
	for _, tc := range []struct {
		version string
		want    int64
	}{{"2021", 10 + 26*7 + 15}, {"2019", 22 + 23*7 + 15}} {
		if got := scalar(t, s, `SELECT count(*) FROM cell_labels WHERE format_version = ?`, tc.version); got != tc.want {
			t.Errorf("cell_labels %s = %v, want %d", tc.version, got, tc.want)
		}
	}
	if got := scalar(t, s, `SELECT row_label FROM cell_labels WHERE format_version='2021' AND section='applications' AND row_key='3_3_3' AND col_key='total'`); got != "3.危及“三安全一稳定”" {
		t.Errorf("label 3_3_3 = %v", got)
	}
	for _, v := range []string{"applications", "active_disclosure", "review_litigation"} {
		if got := scalar(t, s, `SELECT count(*) FROM `+v); got != int64(0) {
			t.Errorf("%s on an empty store = %v", v, got)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopening applies nothing twice and keeps one copy of the labels.
	for range 2 {
		s2, err := Open(t.Context(), path)
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if got := scalar(t, s2, `SELECT count(*) FROM schema_migrations`); got != want {
			t.Errorf("after reopen schema_migrations rows = %v, want %d", got, want)
		}
		if got := scalar(t, s2, `SELECT count(*) FROM cell_labels`); got != int64(207+198) {
			t.Errorf("after reopen cell_labels = %v, want 405", got)
		}
		s2.Close()
	}
	ro, err := OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatalf("OpenReadOnly: %v", err)
	}
	defer ro.Close()
	if _, err := ro.Query(t.Context(), `DELETE FROM cell_labels`); err == nil {
		t.Error("a read-only store accepted a DELETE")
	}
}

func mustMigrations(t *testing.T) []migration {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func TestOpenReadOnlyMissing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "absent.duckdb")
	_, err := OpenReadOnly(t.Context(), path)
	if err == nil {
		t.Fatal("OpenReadOnly of a missing file succeeded")
	}
	if !strings.Contains(err.Error(), path) {
		t.Errorf("error does not name the file: %v", err)
	}
}

// TestHoldLock is not a test: TestBusyLock runs the test binary again with
// GONGKAI_HOLD_DB set, and this function then holds the database open until
// its stdin closes.
func TestHoldLock(t *testing.T) {
	path := os.Getenv("GONGKAI_HOLD_DB")
	if path == "" {
		t.Skip("helper process for TestBusyLock")
	}
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("child Open: %v", err)
	}
	defer s.Close()
	os.Stdout.WriteString("ready\n")
	bufio.NewReader(os.Stdin).ReadString('\n')
}

func TestBusyLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "busy.duckdb")
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldLock$", "-test.count=1")
	cmd.Env = append(os.Environ(), "GONGKAI_HOLD_DB="+path)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "ready\n" {
		t.Fatalf("child did not get ready: %q %v", line, err)
	}
	pid := strconv.Itoa(cmd.Process.Pid)

	for _, tc := range []struct {
		name string
		open func() (*Store, error)
	}{
		{"read-write", func() (*Store, error) { return Open(t.Context(), path) }},
		{"read-only", func() (*Store, error) { return OpenReadOnly(t.Context(), path) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			s, err := tc.open()
			took := time.Since(start)
			if err == nil {
				s.Close()
				t.Fatal("second open succeeded while another process holds the database")
			}
			if !errors.Is(err, gongkai.ErrDatabaseBusy) {
				t.Fatalf("error does not wrap ErrDatabaseBusy: %v", err)
			}
			if !strings.Contains(err.Error(), "PID "+pid) {
				t.Errorf("error does not name the holder PID %s: %v", pid, err)
			}
			t.Logf("busy error: %v (hint: %s)", err, gongkai.HintOf(err))
			if gongkai.HintOf(err) == "" {
				t.Errorf("busy error has no hint: %v", err)
			}
			// Generous bound: DuckDB fails at once; the contract is one second.
			if took > 5*time.Second {
				t.Errorf("busy error took %v", took)
			}
		})
	}
}

func TestQueryPlainValues(t *testing.T) {
	s, _ := openTemp(t)
	res, err := s.Query(t.Context(), `SELECT 1::TINYINT, 2::INTEGER, 3::HUGEINT, 170141183460469231731687303715884105727::HUGEINT,
		1.5::DECIMAL(10,2), 0.1234567::DECIMAL(18,7), 'x', NULL, true, 2.5::DOUBLE,
		[1, 2]::INTEGER[], {'a': 1::SMALLINT}, '00000000-0000-0000-0000-000000000001'::UUID`)
	if err != nil {
		t.Fatal(err)
	}
	want := []any{int64(1), int64(2), int64(3), "170141183460469231731687303715884105727",
		gongkai.FromMicros(1_500_000), "0.1234567", "x", nil, true, 2.5,
		[]any{int64(1), int64(2)}, map[string]any{"a": int64(1)}, "00000000-0000-0000-0000-000000000001"}
	got := res.Rows[0]
	if fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", want) {
		t.Errorf("values\n got %#v\nwant %#v", got, want)
	}
	if res.Types[0] != "TINYINT" || res.Types[4] != "DECIMAL(10,2)" {
		t.Errorf("types = %v", res.Types)
	}
	limited, err := s.QueryLimit(t.Context(), 3, `SELECT * FROM range(10)`)
	if err != nil || len(limited.Rows) != 3 || !limited.Truncated {
		t.Errorf("QueryLimit = %+v, %v", limited, err)
	}
}
