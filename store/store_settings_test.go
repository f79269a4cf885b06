package store

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"

	"gongkai"
)

func setting(t *testing.T, s *Store, name string) string {
	t.Helper()
	var v string
	if err := s.DB().QueryRowContext(t.Context(), `SELECT current_setting(?)`, name).Scan(&v); err != nil {
		t.Fatalf("setting %s: %v", name, err)
	}
	return v
}

func TestOpenBoundsMemory(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.duckdb")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	// 1GB is 1000³ bytes, which DuckDB shows in MiB.
	if got := setting(t, s, "memory_limit"); got != "953.6 MiB" {
		t.Errorf("default memory_limit = %q, want 953.6 MiB (1GB)", got)
	}
	if got, want := setting(t, s, "threads"), strconv.Itoa(runtime.GOMAXPROCS(0)); got != want {
		t.Errorf("default threads = %s, want %s", got, want)
	}
	if got := setting(t, s, "temp_directory"); got != path+".tmp" {
		t.Errorf("temp_directory = %q, want %q", got, path+".tmp")
	}
	s.Close()

	for _, ro := range []bool{false, true} {
		open := Open
		if ro {
			open = OpenReadOnly
		}
		s, err := open(t.Context(), path, MemoryLimit("256MiB"), Threads(1))
		if err != nil {
			t.Fatalf("read-only %v: %v", ro, err)
		}
		if got := setting(t, s, "memory_limit"); got != "256.0 MiB" {
			t.Errorf("read-only %v: memory_limit = %q, want 256.0 MiB", ro, got)
		}
		if got := setting(t, s, "threads"); got != "1" {
			t.Errorf("read-only %v: threads = %s, want 1", ro, got)
		}
		s.Close()
	}

	for _, opts := range [][]Option{{MemoryLimit("")}, {Threads(0)}} {
		if _, err := Open(t.Context(), path, opts...); !errors.Is(err, gongkai.ErrUsage) {
			t.Errorf("bad option: err = %v, want ErrUsage", err)
		}
	}
	if _, err := Open(t.Context(), path, MemoryLimit("lots")); err == nil {
		t.Errorf("memory limit \"lots\" accepted")
	}
}

// Reopening a store writes nothing: the labels are rewritten only when
// they differ from the layouts, and then they are.
func TestReopenWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.duckdb")
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(t.Context(), []gongkai.Parsed{parsed(zeroReport("泽库镇人民政府", 2022, gongkai.V2021, gongkai.Body{}))}); err != nil {
		t.Fatal(err)
	}
	if err := s.UpdateCrossRules(t.Context()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	stat := func() os.FileInfo {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		return fi
	}
	before := stat()
	for range 3 {
		s, err := Open(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.UpdateCrossRules(t.Context()); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	if after := stat(); after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) {
		t.Errorf("three reopenings changed the file: %d bytes at %v, then %d at %v",
			before.Size(), before.ModTime(), after.Size(), after.ModTime())
	}

	// A stale label is put right on the next open.
	s, err = Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DB().ExecContext(t.Context(), `UPDATE cell_labels SET row_label = 'stale' WHERE row_key = '1_new' AND col_key = 'total'`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := scalar(t, s, `SELECT count(*) FROM cell_labels WHERE row_label = 'stale'`); got != int64(0) {
		t.Errorf("%v stale labels after reopening", got)
	}
	if got, want := scalar(t, s, `SELECT count(*) FROM cell_labels`), int64(len(layoutLabels())); got != want {
		t.Errorf("cell_labels has %v rows, want %d", got, want)
	}
}
