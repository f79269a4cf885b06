package query

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// workersOf counts the live (not zombie) worker processes bound to db
// among this process's children.
func workersOf(db string) int {
	me := strconv.Itoa(os.Getpid())
	marker := []byte(envDB + "=" + db + "\x00")
	dirs, _ := os.ReadDir("/proc")
	n := 0
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", d.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid …: comm may hold spaces, so read after the last ')'.
		i := bytes.LastIndexByte(stat, ')')
		f := strings.Fields(string(stat[i+1:]))
		if len(f) < 2 || f[0] == "Z" || f[1] != me {
			continue
		}
		env, err := os.ReadFile(filepath.Join("/proc", d.Name(), "environ"))
		if err == nil && bytes.Contains(env, marker) {
			n++
		}
	}
	return n
}

// TestPoolNeverOutgrowsWorkers: statements killed at their deadline, with
// others waiting for a worker, never leave more worker processes alive than
// Config.Workers — a killed worker is reaped before its replacement starts,
// so the pool's memory is bounded by Workers × a worker's limit.
func TestPoolNeverOutgrowsWorkers(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("counts processes in /proc")
	}
	db := emptyStore(t)
	if abs, err := filepath.Abs(db); err == nil {
		db = abs
	}
	const workers = 2
	s := New(Config{Workers: workers})
	defer s.Close()

	stop := make(chan struct{})
	most := make(chan int)
	go func() {
		m := 0
		for {
			select {
			case <-stop:
				most <- m
				return
			default:
			}
			m = max(m, workersOf(db))
			time.Sleep(time.Millisecond)
		}
	}()
	bombs := []string{
		"SELECT levenshtein(repeat('a', 200000), repeat('b', 200000))",
		"SELECT count(*) FROM range(1000000000000) t(x)",
		"SELECT list_sort(range(200000000))",
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 3 {
				sql := bombs[(g+i)%len(bombs)]
				if _, err := s.Query(t.Context(), db, sql, Limits{Timeout: 500 * time.Millisecond}); err == nil {
					t.Errorf("%s: answered, want a limit", sql)
				}
				if _, err := s.Query(t.Context(), db, "SELECT 1", Limits{Timeout: 5 * time.Second}); err != nil {
					t.Errorf("SELECT 1 after a bomb: %v", err)
				}
			}
		})
	}
	wg.Wait()
	close(stop)
	if m := <-most; m > workers {
		t.Errorf("%d worker processes alive at once, want at most %d", m, workers)
	} else if m == 0 {
		t.Errorf("no worker process seen: the count does not see them")
	}
}

// TestMemoryBudget: a statement that fits its worker's own limits but
// takes the workers past the pool's budget is stopped as too large; with
// room in the budget the same statement answers.
func TestMemoryBudget(t *testing.T) {
	if !canReadRSS {
		t.Skip("the budget reads /proc")
	}
	db := emptyStore(t)
	const sql = "SELECT max(x) AS m FROM (SELECT x FROM range(20000000) t(x) ORDER BY x DESC)"
	// A long time limit: the sort takes seconds on a loaded machine, and
	// this test is about memory, not time.
	long := Limits{Timeout: 2 * time.Minute}
	roomy := New(Config{Workers: 1, Limits: long})
	defer roomy.Close()
	res, err := roomy.Query(t.Context(), db, sql, Limits{})
	if err != nil {
		t.Fatalf("within the default budget: %v", err)
	}
	if len(res.Rows) != 1 || res.Rows[0][0] != int64(19999999) {
		t.Fatalf("answer %v", res.Rows)
	}
	tight := New(Config{Workers: 1, Limits: long, MemoryBudget: 120 << 20})
	defer tight.Close()
	_, err = tight.Query(t.Context(), db, sql, Limits{})
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "memory budget") {
		t.Fatalf("past a 120 MiB budget: err %v, want ErrTooLarge naming the budget", err)
	}
	if _, err := tight.Query(t.Context(), db, "SELECT 1", Limits{}); err != nil {
		t.Errorf("a small statement after: %v", err)
	}
}

func TestParseSize(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"1GiB", 1 << 30}, {"512MB", 512e6}, {"1.5GB", 1.5e9}, {" 64 mib ", 64 << 20}, {"4096", 4096}, {"2kb", 2000},
		{"12x", 0}, {"-3MB", 0}, {"1e9", 0}, {"", 0}, {"GB", 0}, {"1.2.3MB", 0},
	} {
		if got := ParseSize(tc.in); got != tc.want {
			t.Errorf("ParseSize(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestReusedWorkersHaveRoom: a statement stopped by its memory limit can
// leave a worker's address space mapped though little of it is resident;
// such a worker must not go back to the pool, or the next statement on it
// (here a plain count) fails as too large. Every worker left idle has room
// for a whole memory limit under its address-space cap, and the count after
// each bomb answers. How far a bomb grows the address space depends on the
// allocators' state: without the check this failed in about one run of
// three (1661 MiB mapped against a 1780 MiB cap).
func TestReusedWorkersHaveRoom(t *testing.T) {
	if !canReadRSS {
		t.Skip("reads the workers' memory from /proc")
	}
	db := emptyStore(t)
	s := New(Config{Workers: 1, Limits: Limits{MemoryLimit: "128MB", Threads: 1}})
	defer s.Close()
	limit := parseSize("128MB")
	// The memory bombs of the hostile suite that end in an error frame (the
	// worker survives them and would be reused).
	bombs := []string{
		"SELECT length(repeat('x', 2000000000))",
		"SELECT repeat('x', 100000000) FROM range(40)",
		"SELECT len(range(1000000000))",
		"SELECT len(list(x)) FROM range(1000000000) t(x)",
		"SELECT length(string_agg(repeat('x', 1000), '')) FROM range(10000000)",
		"SELECT len(array_agg(repeat('y', 100))) FROM range(100000000)",
		"SELECT len(list_concat(range(300000000), range(300000000)))",
		"SELECT length(printf('%0200000000d', 1))",
		"SELECT len([x for x in range(500000000)])",
		"SELECT length(array_to_string(range(300000000), ','))",
		"SELECT cardinality(map(range(100000000), range(100000000)))",
		"SELECT len(string_split(repeat('a,', 500000000), ','))",
	}
	for _, b := range bombs {
		if _, err := s.Query(t.Context(), db, b, Limits{Timeout: 2 * time.Second}); err == nil {
			t.Errorf("%s: answered, want a limit", b)
		}
		s.mu.Lock()
		for _, w := range s.idle {
			if v, _ := memoryOf(w.cmd.Process.Pid); v+limit > s.as {
				t.Errorf("after %s: an idle worker maps %d MiB; with the %d MiB limit that passes its %d MiB cap",
					b, v>>20, limit>>20, s.as>>20)
			}
		}
		s.mu.Unlock()
		if _, err := s.Query(t.Context(), db, "SELECT count(*) FROM range(10)", Limits{Timeout: 5 * time.Second}); err != nil {
			t.Errorf("a count after %s: %v", b, err)
		}
	}
}
