package bench

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"gongkai"
	"gongkai/ingest"
	"gongkai/store"
)

// Ingest targets of issue 11.
const (
	TargetIngestRate = 2000    // reports/s, mixed text and HTML renderings
	TargetIngestRSS  = 1 << 30 // peak RSS, any corpus size, any hostile file
)

// rssFileEnv names the file the ingest child writes its peak RSS to.
const rssFileEnv = "GONGKAI_BENCH_RSS_FILE"

// IngestStats is one `gongkai ingest` of the rendered corpus, run as a
// child process (its own heap, its own peak RSS, as a user runs it).
type IngestStats struct {
	Reports   int  // report files given
	Districts int  // corpus folders given
	Hostile   bool // the hostile files were given too
	// Before is the reports the store held before (0: a fresh store), and
	// Kept the time the ingest took at its end to make the whole-nation
	// answers' parts (as answer_state records it).
	Before    int64
	Kept      time.Duration
	Wall, CPU time.Duration
	PeakRSS   int64 // bytes: the child's VmHWM at its end
	Stored    int64 // reports in the store afterwards
	Load      string
}

// Rate is reports per second of wall time.
func (s IngestStats) Rate() float64 { return float64(s.Reports) / s.Wall.Seconds() }

// ParseStats is the CPU a parse costs, by rendering, on one district of
// the corpus read in this process by one goroutine.
type ParseStats struct {
	Rendering string
	Files     int
	Bytes     int64
	CPU       time.Duration // the process's, over all the rendering's parses
}

// IngestResult is the ingest part of a run.
type IngestResult struct {
	Runs  []IngestStats
	Parse []ParseStats
	// Floor is DuckDB's raw Appender load of FloorReports of the first
	// district's reports, parsed beforehand (as Put's floor).
	Floor        time.Duration
	FloorReports int
}

// measureIngest runs the ingest measure: for each size, a fresh store
// filled by `EXE gongkai ingest` from the first districts of the corpus
// holding at least that many reports; at the largest size once more with
// the hostile files beside them. Then the parse cost by rendering and the
// Appender floor on the first district.
func measureIngest(ctx context.Context, cfg Config, r *Result) error {
	log := cfg.Log
	if cfg.Exe == "" {
		return errors.New("the ingest measure needs the benchmark's own executable")
	}
	townships := cmp.Or(cfg.CorpusTownships, 600)
	perDistrict := (townships + corpusDepartments + 1) * 7 // bodies × 2019–2025
	largest := slices.Max(cfg.IngestSizes)
	n := (largest + perDistrict - 1) / perDistrict
	fmt.Fprintf(log, "ingest: the rendered corpus in %s: %d districts of %d townships (load %s)\n", cfg.Corpus, n, townships, loadAvg())
	folders, err := EnsureCorpus(ctx, cfg.Corpus, n, townships, log)
	if err != nil {
		return err
	}
	var hostile []string
	if cfg.Hostile {
		if hostile, err = WriteHostile(filepath.Join(cfg.Corpus, "hostile")); err != nil {
			return err
		}
	}
	ir := &IngestResult{}
	r.Ingest = ir
	for _, size := range cfg.IngestSizes {
		k := (size + perDistrict - 1) / perDistrict
		runs := []bool{false}
		if size == largest && cfg.Hostile {
			runs = append(runs, true)
		}
		for _, withHostile := range runs {
			inputs := slices.Clone(folders[:k])
			if withHostile {
				inputs = append(inputs, hostile...)
			}
			s, err := ingestChild(ctx, cfg, inputs, k, withHostile, "")
			if err != nil {
				return err
			}
			ir.Runs = append(ir.Runs, s)
			c := Check{Size: s.Reports, Name: "ingest of the rendered corpus: every report stored"}
			if s.Stored != int64(s.Reports) {
				c.Err = fmt.Errorf("%d report files, %d reports stored", s.Reports, s.Stored)
			}
			if withHostile {
				c.Name = "ingest with the hostile files: every report stored, the run goes on"
			}
			r.Checks = append(r.Checks, c)
			fmt.Fprintf(log, "  ingest of %d reports%s: %.1f s, %.0f reports/s, CPU %.1f s, peak RSS %d MiB (load %s)\n",
				s.Reports, map[bool]string{true: " and the hostile files"}[withHostile], s.Wall.Seconds(), s.Rate(), s.CPU.Seconds(), s.PeakRSS>>20, s.Load)
			if cfg.Progress != nil {
				cfg.Progress(r)
			}
		}
	}
	if cfg.IngestInto != "" {
		if _, err := os.Stat(cfg.IngestInto); err != nil {
			return fmt.Errorf("the store to ingest into: %w", err)
		}
		s, err := ingestChild(ctx, cfg, folders[:1], 1, false, cfg.IngestInto)
		if err != nil {
			return err
		}
		ir.Runs = append(ir.Runs, s)
		c := Check{Size: s.Reports, Name: "ingest of one district into the largest store: every report added"}
		if s.Stored != s.Before+int64(s.Reports) {
			c.Err = fmt.Errorf("%d reports before, %d report files, %d reports after", s.Before, s.Reports, s.Stored)
		}
		r.Checks = append(r.Checks, c)
		fmt.Fprintf(log, "  ingest of %d reports into a store of %d: %.1f s (keeping the answers %.1f s), %.0f reports/s, CPU %.1f s, peak RSS %d MiB (load %s)\n",
			s.Reports, s.Before, s.Wall.Seconds(), s.Kept.Seconds(), s.Rate(), s.CPU.Seconds(), s.PeakRSS>>20, s.Load)
		if cfg.Progress != nil {
			cfg.Progress(r)
		}
	}
	parsed, err := measureParse(ctx, folders[0], ir)
	if err != nil {
		return err
	}
	fl, err := AppenderFloor(ctx, filepath.Join(cfg.Dir, "floor-ingest.duckdb"), parsed)
	if err != nil {
		return fmt.Errorf("appender floor of the corpus: %w", err)
	}
	ir.Floor, ir.FloorReports = fl, len(parsed)
	fmt.Fprintf(log, "  appender floor of the first district's %d reports: %.2f s (%.0f reports/s)\n", len(parsed), fl.Seconds(), float64(len(parsed))/fl.Seconds())
	return nil
}

// ingestChild runs `EXE gongkai ingest --db F inputs…` into a fresh store
// and counts what it stored.
func ingestChild(ctx context.Context, cfg Config, inputs []string, districts int, hostile bool, into string) (IngestStats, error) {
	s := IngestStats{Districts: districts, Hostile: hostile, Load: loadAvg()}
	var err error
	if s.Reports, err = countReports(inputs[:districts]); err != nil {
		return s, err
	}
	db := filepath.Join(cfg.Dir, "ingest.duckdb")
	removeStore(db)
	defer removeStore(db)
	if into != "" {
		if err := copyFile(into, db); err != nil {
			return s, fmt.Errorf("copy of the store to ingest into: %w", err)
		}
		if s.Before, err = storedReports(ctx, db); err != nil {
			return s, err
		}
	}
	outPath := filepath.Join(cfg.Dir, "ingest.out")
	if into != "" {
		outPath = filepath.Join(cfg.Dir, "ingest-into.out")
	}
	out, err := os.Create(outPath)
	if err != nil {
		return s, err
	}
	defer out.Close()
	cmd := exec.CommandContext(ctx, cfg.Exe, append([]string{"gongkai", "ingest", "--db", db}, inputs...)...)
	// The child's own VmHWM, which it writes at its end: the ru_maxrss a
	// parent gets from wait4 also holds the high-water mark of the memory
	// the child had before its exec, which is this process's (3.2 GB after
	// the million-report store, for an ingest that peaked under 1 GB).
	rssFile := filepath.Join(cfg.Dir, "ingest.rss")
	os.Remove(rssFile)
	cmd.Env = append(os.Environ(), "GONGKAI_BENCH_CHILD=1", "LANG=C", rssFileEnv+"="+rssFile)
	cmd.Stdout, cmd.Stderr = out, out
	start := time.Now()
	runErr := cmd.Run()
	s.Wall = time.Since(start)
	if cmd.ProcessState == nil {
		return s, fmt.Errorf("ingest child: %w", runErr)
	}
	s.CPU = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	// With the hostile files the run reports them failed and exits 1; a
	// report that failed too shows in the count below.
	if runErr != nil && !(hostile && cmd.ProcessState.ExitCode() == 1) {
		return s, fmt.Errorf("ingest child: %w (its output: %s)", runErr, outPath)
	}
	b, err := os.ReadFile(rssFile)
	if err == nil {
		s.PeakRSS, err = strconv.ParseInt(string(b), 10, 64)
	}
	if err != nil || s.PeakRSS <= 0 {
		return s, fmt.Errorf("ingest child: no peak RSS (%v; its output: %s)", err, outPath)
	}
	s.Stored, s.Kept, err = afterIngest(ctx, db, start)
	return s, err
}

// afterIngest reads the store at db after an ingest that started at
// start: its reports, and the time the ingest took to make the kept
// answers' parts (answer_state's took_ms of the parts made since start).
func afterIngest(ctx context.Context, db string, start time.Time) (reports int64, kept time.Duration, err error) {
	st, err := store.OpenReadOnly(ctx, db)
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	var ms int64
	err = st.DB().QueryRowContext(ctx, `SELECT (SELECT count(*) FROM reports),
		(SELECT coalesce(sum(took_ms), 0) FROM answer_state WHERE made_at >= ?)`, start).Scan(&reports, &ms)
	return reports, time.Duration(ms) * time.Millisecond, err
}

// storedReports counts the reports of the store at db.
func storedReports(ctx context.Context, db string) (int64, error) {
	st, err := store.OpenReadOnly(ctx, db)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	var n int64
	err = st.DB().QueryRowContext(ctx, "SELECT count(*) FROM reports").Scan(&n)
	return n, err
}

// measureParse parses every report of folder in this process, one at a
// time, and records the CPU each rendering's parses took; it returns the
// parsed reports (for the Appender floor).
func measureParse(ctx context.Context, folder string, ir *IngestResult) ([]gongkai.Parsed, error) {
	ents, err := os.ReadDir(folder)
	if err != nil {
		return nil, err
	}
	type doc struct {
		name string
		data []byte
	}
	var docs []doc
	for _, e := range ents {
		if e.IsDir() || !isReportFile(e.Name()) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(folder, e.Name()))
		if err != nil {
			return nil, err
		}
		docs = append(docs, doc{e.Name(), b})
	}
	// One pass to learn each document's rendering, one timed pass per
	// rendering: the CPU is then the rendering's alone.
	by := map[string][]int{}
	parsed := make([]gongkai.Parsed, len(docs))
	for i, d := range docs {
		p, err := ingest.ParseBytes(ctx, d.name, d.data)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", filepath.Join(folder, d.name), err)
		}
		parsed[i] = p
		by[p.Rendering] = append(by[p.Rendering], i)
	}
	for _, rn := range slices.Sorted(maps.Keys(by)) {
		ps := ParseStats{Rendering: rn, Files: len(by[rn])}
		runtime.GC()
		c0 := cpuTime()
		for _, i := range by[rn] {
			if _, err := ingest.ParseBytes(ctx, docs[i].name, docs[i].data); err != nil {
				return nil, err
			}
			ps.Bytes += int64(len(docs[i].data))
		}
		ps.CPU = cpuTime() - c0
		ir.Parse = append(ir.Parse, ps)
	}
	return parsed, nil
}
