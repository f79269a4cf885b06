package bench

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"time"

	"gongkai"
	"gongkai/cli"
	"gongkai/rollup"
	"gongkai/store"
)

// Config sets up a run.
type Config struct {
	Dir         string // stores are built here (national-N.duckdb)
	Sizes       []int  // reports per store, about
	First, Last int    // years
	Seed        uint64
	Clients     int // concurrent serve clients
	PerClient   int // requests each
	// Exe is the binary to run as `Exe put …` for the ingest-visibility
	// measure ("" skips it).
	Exe string
	// FloorSample is how many reports the raw Appender floor loads.
	FloorSample int
	// Progress, when set, is called with the results so far after each
	// size (the command rewrites the report, so a long run that is
	// stopped keeps what it measured).
	Progress func(*Result)
	// PutMax: sizes up to it are built through Put alone; larger ones
	// start from a Put-built store of about PutMax reports grown in SQL
	// (Grow) to the national counties.
	PutMax int
	// KeepStores: the stores outlive the run, so each ends with its kept
	// answers fresh, as an ingest leaves a store (the serve measure's
	// child stores reports without keeping them).
	KeepStores bool
	// IngestSizes are the sizes, in reports, of the rendered corpus that
	// `gongkai ingest` reads into a fresh store (none: no ingest measure).
	IngestSizes []int
	// Corpus is the folder of the rendered corpus, generated where
	// missing and kept: it takes a minute or two to make and 5 GB at
	// 150,000 reports.
	Corpus string
	// CorpusTownships is each corpus district's townships (0: 600).
	CorpusTownships int
	// Hostile adds issue 11's hostile files to the largest ingest.
	Hostile bool
	// IngestInto, when set, is a store that a copy of receives the first
	// district of the corpus once more: a year's or a district's reports
	// going into a store of many years. Run sets it to its largest store.
	IngestInto string
	Log        io.Writer
}

// Result is everything a run measured.
type Result struct {
	Config  Config
	Started time.Time
	Machine string
	Builds  map[int]BuildStats
	Floors  map[int]time.Duration // Appender floor for FloorSample reports
	Samples map[int]int
	PutRate map[int]float64 // reports/s through Put over the build
	Copies  map[int]time.Duration
	Figures []Figure
	Serve   map[int]ServeStats
	RSS     map[int]int64 // peak RSS after the size's work
	Checks  []Check
	Load    []string // load average before each size
	Ingest  *IngestResult
}

// Run builds a store per size and measures it.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Log == nil {
		cfg.Log = io.Discard
	}
	r := &Result{Config: cfg, Started: time.Now().UTC(), Machine: machine(), Builds: map[int]BuildStats{},
		Floors: map[int]time.Duration{}, Samples: map[int]int{}, PutRate: map[int]float64{}, Copies: map[int]time.Duration{},
		Serve: map[int]ServeStats{}, RSS: map[int]int64{}}
	all := Counties(cfg.Seed)
	years := cfg.Last - cfg.First + 1
	if err := os.MkdirAll(cfg.Dir, 0o755); err != nil {
		return nil, err
	}
	var baseStats BuildStats
	for _, size := range cfg.Sizes {
		var err error
		r.Load = append(r.Load, fmt.Sprintf("%d reports: load average %s", size, loadAvg()))
		counties := Pick(all, size, years)
		path := filepath.Join(cfg.Dir, fmt.Sprintf("national-%d.duckdb", size))
		fmt.Fprintf(cfg.Log, "building %s: %d counties, %d–%d (load %s)\n", path, len(counties), cfg.First, cfg.Last, loadAvg())
		var bs BuildStats
		if size <= cfg.PutMax {
			bs, err = Build(ctx, path, counties, cfg.First, cfg.Last, cfg.Seed, cfg.Log)
			if err != nil {
				return r, fmt.Errorf("build %d: %w", size, err)
			}
		} else {
			base := Pick(all, cfg.PutMax, years)
			basePath := filepath.Join(cfg.Dir, fmt.Sprintf("base-%d.duckdb", cfg.PutMax))
			if baseStats.Reports == 0 {
				fmt.Fprintf(cfg.Log, "  the base: %d counties through Put, to be grown in SQL\n", len(base))
				if baseStats, err = Build(ctx, basePath, base, cfg.First, cfg.Last, cfg.Seed, cfg.Log); err != nil {
					return r, fmt.Errorf("build base: %w", err)
				}
				defer removeStore(basePath)
			}
			removeStore(path)
			if err := copyFile(basePath, path); err != nil {
				return r, err
			}
			took, added, err := Grow(ctx, path, base, counties[len(base):], cfg.Log)
			if err != nil {
				return r, fmt.Errorf("grow %d: %w", size, err)
			}
			bs = baseStats
			bs.Reports += int(added)
			bs.Counties = len(counties)
			bs.Grown, bs.GrowTime = int(added), took
			bs.Total = baseStats.Total + took
			if fi, err := os.Stat(path); err == nil {
				bs.Bytes = fi.Size()
			}
		}
		r.Builds[size] = bs
		fmt.Fprintf(cfg.Log, "  built %d reports in %.1f s (%.1f s in Put, %.0f reports/s in batches of %d), %d MB\n",
			bs.Reports, bs.Total.Seconds(), bs.Put.Seconds(), float64(bs.Reports)/bs.Put.Seconds(), buildBatch, bs.Bytes>>20)

		// Appender floor on a sample of the same reports.
		sample, err := sampleReports(counties, cfg.First, cfg.Last, cfg.Seed, min(cfg.FloorSample, bs.Reports))
		if err != nil {
			return r, err
		}
		pt, err := PutRate(ctx, filepath.Join(cfg.Dir, "put.duckdb"), sample)
		if err != nil {
			return r, fmt.Errorf("put rate: %w", err)
		}
		fl, err := AppenderFloor(ctx, filepath.Join(cfg.Dir, "floor.duckdb"), sample)
		if err != nil {
			return r, fmt.Errorf("appender floor: %w", err)
		}
		r.PutRate[size] = float64(len(sample)) / pt.Seconds()
		r.Floors[size], r.Samples[size] = fl, len(sample)
		fmt.Fprintf(cfg.Log, "  Put, batches of %d: %d reports in %.2f s (%.0f reports/s); appender floor: %.2f s (%.0f reports/s)\n",
			putBatch, len(sample), pt.Seconds(), r.PutRate[size], fl.Seconds(), float64(len(sample))/fl.Seconds())

		cp, n, err := fileCopy(path)
		if err != nil {
			return r, err
		}
		r.Copies[size] = cp
		fmt.Fprintf(cfg.Log, "  copying the store file (%d MB): %.2f s\n", n>>20, cp.Seconds())

		st, err := store.Open(ctx, path)
		if err != nil {
			return r, err
		}
		// What the end of an ingest does: keep the whole-nation answers
		// (schema 11) the rollups below then read.
		kept, rows, err := repeat(1, func() (int, error) {
			n := 0
			err := rollup.Refresh(ctx, st, func(name string, a store.AnswerStats) {
				n += int(a.Rows)
				fmt.Fprintf(cfg.Log, "  kept the answer of %s: %d rows in %.2f s\n", name, a.Rows, a.Took.Seconds())
			})
			return n, err
		})
		if err != nil {
			st.Close()
			return r, fmt.Errorf("keeping the answers: %w", err)
		}
		r.Figures = append(r.Figures, Figure{Size: size, Name: "keeping the whole-nation answers at the end of an ingest (" + strings.Join(rollup.Kept(), ", ") + ")",
			Value: kept, Rows: rows, CPU: lastCPU, LargeAnswer: true})
		county := counties[0].Code
		city := county[:4]
		figs, checks, err := measureQueries(ctx, st, size, county, city, cfg.Last, cfg.Log)
		cerr := st.Close()
		if err != nil {
			return r, err
		}
		if cerr != nil {
			return r, cerr
		}
		r.Figures = append(r.Figures, figs...)
		r.Checks = append(r.Checks, checks...)

		ss, err := measureServe(ctx, path, counties, cfg.Last, cfg.Clients, cfg.PerClient, cfg.Exe, cfg.Log)
		if err != nil {
			return r, fmt.Errorf("serve: %w", err)
		}
		r.Serve[size] = ss
		c := Check{Size: size, Name: fmt.Sprintf("serve: %d concurrent clients, every answer 200 or 503", cfg.Clients)}
		for _, ph := range ss.Phases {
			for st, n := range ph.Status {
				if st != 200 && st != 503 {
					c.Err = errors.Join(c.Err, fmt.Errorf("%s: %d answers with status %d", ph.Name, n, st))
				}
			}
			if ph.Errors > 0 {
				c.Err = errors.Join(c.Err, fmt.Errorf("%s: %d transport errors", ph.Name, ph.Errors))
			}
		}
		r.Checks = append(r.Checks, c)
		if cfg.Exe != "" {
			c := Check{Size: size, Name: "serve shows a new ingest"}
			if ss.Visible == 0 {
				c.Err = errors.New(ss.VisibleNote)
			}
			r.Checks = append(r.Checks, c)
			if cfg.KeepStores {
				if err := refreshKept(ctx, path, cfg.Log); err != nil {
					return r, err
				}
			}
		}
		r.RSS[size] = peakRSS()
		if cfg.Progress != nil {
			cfg.Progress(r)
		}
	}
	if len(cfg.IngestSizes) > 0 {
		if cfg.IngestInto == "" && len(cfg.Sizes) > 0 {
			cfg.IngestInto = filepath.Join(cfg.Dir, fmt.Sprintf("national-%d.duckdb", slices.Max(cfg.Sizes)))
		}
		if err := measureIngest(ctx, cfg, r); err != nil {
			return r, fmt.Errorf("ingest: %w", err)
		}
		if cfg.Progress != nil {
			cfg.Progress(r)
		}
	}
	return r, nil
}

// refreshKept keeps the answers of the store at path anew after the serve
// measure's child stored its reports, for a store kept after the run.
func refreshKept(ctx context.Context, path string, log io.Writer) error {
	st, err := openWait(ctx, path)
	if err != nil {
		return err
	}
	err = rollup.Refresh(ctx, st, func(name string, a store.AnswerStats) {
		if a.Made {
			fmt.Fprintf(log, "  kept the answer of %s anew after the child's ingest (%d rows, %.2f s)\n", name, a.Rows, a.Took.Seconds())
		}
	})
	return errors.Join(err, st.Close())
}

// sampleReports regenerates the first n reports of the build (the same
// seed gives the same records) for the Appender floor.
func sampleReports(counties []County, first, last int, seed uint64, n int) ([]gongkai.Parsed, error) {
	var out []gongkai.Parsed
	for i, c := range counties {
		if len(out) >= n {
			break
		}
		rs, err := Generate(c, first, last, seed+uint64(i%groupCounties))
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	return out[:min(n, len(out))], nil
}

// openWait opens the store read-write, retrying for a minute while
// another process (serve making a snapshot) holds it.
func openWait(ctx context.Context, path string) (*store.Store, error) {
	deadline := time.Now().Add(time.Minute)
	for {
		st, err := store.Open(ctx, path)
		if err == nil || !errors.Is(err, gongkai.ErrDatabaseBusy) || time.Now().After(deadline) {
			return st, err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func machine() string {
	cpu := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				_, cpu, _ = strings.Cut(l, ":")
				cpu = strings.TrimSpace(cpu)
				break
			}
		}
	}
	mem := ""
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		l, _, _ := strings.Cut(string(b), "\n")
		mem = strings.Join(strings.Fields(l)[1:], " ")
	}
	return fmt.Sprintf("%d cores (GOMAXPROCS %d), %s, memory %s, %s/%s, %s", runtime.NumCPU(), runtime.GOMAXPROCS(0), cpu, mem, runtime.GOOS, runtime.GOARCH, runtime.Version())
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// parseSizes reads a comma-separated list of report counts.
func parseSizes(list string) ([]int, error) {
	var out []int
	if list == "none" {
		return nil, nil
	}
	for _, s := range strings.Split(list, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a number of reports (a whole number above 0)", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// Main is the benchmark command: `gongkai-bench [flags]` runs the
// national benchmark and writes BENCHMARKS.md; `gongkai-bench put …` is
// the child process of the ingest-visibility measure, and
// `gongkai-bench gongkai ingest …` the gongkai command that the ingest
// measure runs.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "gongkai" {
		// The ingest measure's child: the gongkai command itself, which
		// then writes its peak RSS where rssFileEnv says.
		code := cli.Run(ctx, args[1:], &cli.Env{Stdin: os.Stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv})
		if path := os.Getenv(rssFileEnv); path != "" {
			if err := os.WriteFile(path, []byte(strconv.FormatInt(peakRSS(), 10)), 0o644); err != nil {
				fmt.Fprintln(stderr, "gongkai-bench:", err)
				return 1
			}
		}
		return code
	}
	if len(args) > 0 && args[0] == "put" {
		fs := flag.NewFlagSet("put", flag.ContinueOnError)
		db := fs.String("db", "", "store")
		county := fs.String("county", "", "county code")
		year := fs.Int("year", 0, "year")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if err := PutChild(ctx, *db, *county, *year, stdout); err != nil {
			fmt.Fprintln(stderr, "gongkai-bench put:", err)
			return 1
		}
		return 0
	}
	fs := flag.NewFlagSet("gongkai-bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, `Usage: gongkai-bench [--sizes 10000,150000,1000000] [--ingest-sizes 10000,150000] [--dir DIR] [--out BENCHMARKS.md]

The national-scale benchmark of issue 11. For each size it builds a
national-shaped store in DIR (the county-level divisions of the divisions
data in a seeded order, their townships, each county's government office and
32 departments, 2019–2025; generated records stored through Store.Put, no
rendering), then measures every rollup (whole nation, one county, one city),
compile of a county, serve with concurrent clients on loopback, how soon
serve shows a new ingest, and Put's throughput, each next to DuckDB's floor
on the same data. Then it ingests a rendered corpus (districts of mixed text
and HTML renderings, generated into --corpus when missing and kept there)
with 'gongkai ingest' in a child process, at each --ingest-sizes and, at the
largest, once more with issue 11's five hostile files beside it, then the
corpus's first district into a copy of the largest store (a district's seven
years going into a national store), and times a parse of each rendering. It
writes the figures to --out.

Examples:
  scripts/bench-national                          # the full run (about 20 minutes on 2 cores, 5 GB of corpus)
  go run ./cmd/gongkai-bench --sizes 10000 --ingest-sizes 10000 --out /tmp/b.md
  go run ./cmd/gongkai-bench --ingest-sizes none  # the stores alone

Flags:
`)
		fs.PrintDefaults()
	}
	sizes := fs.String("sizes", "10000,150000,1000000", "store sizes in reports, comma-separated; none for no stores")
	dir := fs.String("dir", filepath.Join(os.TempDir(), "gongkai-bench"), "folder for the stores")
	out := fs.String("out", "BENCHMARKS.md", "the report to write")
	clients := fs.Int("clients", 50, "concurrent serve clients")
	per := fs.Int("requests", 20, "requests per serve client")
	seed := fs.Uint64("seed", 1, "generator seed")
	floorN := fs.Int("floor-sample", 20000, "reports loaded by the raw Appender floor")
	putMax := fs.Int("put-max", 30000, "sizes up to this are built through Put alone; larger ones grow a Put-built store of this size in SQL")
	keep := fs.Bool("keep", false, "keep the stores after the run")
	ingestSizes := fs.String("ingest-sizes", "10000,150000", "rendered corpus sizes in reports that gongkai ingest reads, comma-separated; none for no ingest measure")
	corpus := fs.String("corpus", "", "folder of the rendered corpus, generated where missing and kept (default DIR/corpus)")
	noHostile := fs.Bool("no-hostile", false, "leave the hostile files out of the largest ingest")
	runs := fs.Int("runs", 0, "at most this many runs of each measure (0: 7 for a county or city, each followed by its floor; 2 for the whole nation)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	maxRuns = *runs
	cfg := Config{Dir: *dir, First: 2019, Last: 2025, Seed: *seed, Clients: *clients, PerClient: *per,
		FloorSample: *floorN, PutMax: *putMax, KeepStores: *keep, Log: stdout}
	var err error
	if cfg.Sizes, err = parseSizes(*sizes); err != nil {
		fmt.Fprintf(stderr, "gongkai-bench: --sizes: %v\n", err)
		return 2
	}
	if *ingestSizes != "none" {
		if cfg.IngestSizes, err = parseSizes(*ingestSizes); err != nil {
			fmt.Fprintf(stderr, "gongkai-bench: --ingest-sizes: %v\n", err)
			return 2
		}
	}
	if len(cfg.Sizes) == 0 && len(cfg.IngestSizes) == 0 {
		fmt.Fprintln(stderr, "gongkai-bench: nothing to measure: --sizes and --ingest-sizes are both none")
		return 2
	}
	cfg.Corpus = cmp.Or(*corpus, filepath.Join(*dir, "corpus"))
	cfg.Hostile = !*noHostile
	if exe, err := os.Executable(); err == nil {
		cfg.Exe = exe
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fmt.Fprintln(stderr, "gongkai-bench:", err)
			return 1
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(stderr, "gongkai-bench:", err)
			return 1
		}
		defer pprof.StopCPUProfile()
	}
	command := strings.Join(append([]string{"gongkai-bench"}, args...), " ")
	cfg.Progress = func(r *Result) {
		if err := writeReport(*out, r, command, nil); err != nil {
			fmt.Fprintln(stderr, "gongkai-bench:", err)
		}
	}
	res, err := Run(ctx, cfg)
	if res != nil {
		if werr := writeReport(*out, res, command, err); werr != nil {
			fmt.Fprintln(stderr, "gongkai-bench:", werr)
			return 1
		}
		fmt.Fprintln(stdout, "wrote", *out)
	}
	if !*keep {
		for _, s := range cfg.Sizes {
			p := filepath.Join(cfg.Dir, fmt.Sprintf("national-%d.duckdb", s))
			os.Remove(p)
			os.Remove(p + ".wal")
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "gongkai-bench:", err)
		return 1
	}
	for _, c := range res.Checks {
		if c.Err != nil {
			fmt.Fprintf(stderr, "gongkai-bench: check failed at %d reports: %s: %v\n", c.Size, c.Name, c.Err)
			return 1
		}
	}
	return 0
}
