//go:build crash

package store

// Crash test: a child process stores batches (new reports and
// replacements) without end; the parent kills it with SIGKILL at a random
// moment, reopens the database and checks that every stored report is
// whole and nothing half-written remains. Run with
//
//	go test -tags crash -run TestCrash -count=1 ./store/

import (
	"bufio"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gongkai"
)

func TestCrashChild(t *testing.T) {
	path := os.Getenv("GONGKAI_CRASH_DB")
	if path == "" {
		t.Skip("helper process for TestCrash")
	}
	s, err := Open(t.Context(), path)
	if err != nil {
		t.Fatalf("child Open: %v", err)
	}
	os.Stdout.WriteString("ready\n")
	start, _ := strconv.Atoi(os.Getenv("GONGKAI_CRASH_SEED"))
	seed := int64(start)
	for {
		batch := make([]gongkai.Parsed, 64)
		for i := range batch {
			seed++
			// 40 bodies × 2 years: later batches replace earlier reports.
			batch[i] = sample(fmt.Sprintf("机关%d", seed%40), 2022+int(seed/40%2), gongkai.V2021, seed)
		}
		if _, err := s.Put(t.Context(), batch); err != nil {
			t.Fatalf("child Put: %v", err)
		}
	}
}

func TestCrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.duckdb")
	for round := range 8 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), "GONGKAI_CRASH_DB="+path, fmt.Sprintf("GONGKAI_CRASH_SEED=%d", round*1_000_000))
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "ready\n" {
			t.Fatalf("child not ready: %q %v", line, err)
		}
		time.Sleep(time.Duration(50+rand.IntN(1500)) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()

		s, err := Open(t.Context(), path)
		if err != nil {
			t.Fatalf("round %d: reopen after kill: %v", round, err)
		}
		checkWhole(t, s, round)
		s.Close()
	}
}

// checkWhole asserts that every report has all its rows and no row lacks
// its report.
func checkWhole(t *testing.T, s *Store, round int) {
	t.Helper()
	n := scalar(t, s, `SELECT count(*) FROM reports`).(int64)
	dup := scalar(t, s, `SELECT count(*) FROM (SELECT organization, report_year FROM reports GROUP BY ALL HAVING count(*) > 1)`)
	bad := scalar(t, s, `
		SELECT count(*) FROM reports r
		WHERE (SELECT count(*) FROM application_cells c WHERE c.report_id = r.report_id) <> 175
		   OR (SELECT count(*) FROM active_cells c WHERE c.report_id = r.report_id) <> 10
		   OR (SELECT count(*) FROM review_cells c WHERE c.report_id = r.report_id) <> 15
		   OR (SELECT count(*) FROM narrative c WHERE c.report_id = r.report_id) <> 1
		   OR (SELECT count(*) FROM findings c WHERE c.report_id = r.report_id) <> 1`)
	orphans := scalar(t, s, `
		SELECT count(*) FROM (
		  SELECT report_id FROM application_cells UNION ALL SELECT report_id FROM active_cells
		  UNION ALL SELECT report_id FROM review_cells UNION ALL SELECT report_id FROM narrative
		  UNION ALL SELECT report_id FROM findings) c
		WHERE c.report_id NOT IN (SELECT report_id FROM reports)`)
	t.Logf("round %d: %d reports after kill", round, n)
	if bad != int64(0) || orphans != int64(0) || dup != int64(0) {
		t.Errorf("round %d: %v partial reports, %v orphan rows, %v duplicate bodies", round, bad, orphans, dup)
	}
}
