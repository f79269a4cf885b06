package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/semaphore"

	"gongkai"
)

// Options configures Run.
type Options struct {
	// Inputs are files, folders (walked recursively) and .zip archives.
	Inputs []string
	// Workers parse in parallel; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// BatchSize and BatchWait bound a batch: it is stored when it holds
	// BatchSize reports or its first report has waited BatchWait.
	// Defaults 256 and 2 s.
	BatchSize int
	BatchWait time.Duration
	// MaxFileSize refuses larger documents (and zip members); default 64 MiB.
	MaxFileSize int64
	// Parse reads one document; nil means ParseBytes.
	Parse func(ctx context.Context, name string, data []byte) (gongkai.Parsed, error)
	// Placement says how every report's author is placed among the
	// divisions (by name, narrowed by a district, or from a manifest).
	Placement Placement
	// Progress, when set, is called with the counts so far, at most every
	// ProgressEvery (default 250 ms) and once at the end (Final set).
	Progress      func(Progress)
	ProgressEvery time.Duration
	// OnFile, when set, is called once for every document when its fate
	// is known (stored, unchanged, replaced, failed or skipped).
	OnFile func(FileEvent)
}

// Status is what became of one document.
type Status string

const (
	StatusAdded     = Status(gongkai.Added)
	StatusUnchanged = Status(gongkai.Unchanged)
	StatusReplaced  = Status(gongkai.Replaced)
	// StatusFailed: the document could not be read, parsed or stored.
	StatusFailed Status = "failed"
	// StatusSkipped: a file found in a folder or archive that is no
	// report (gongkai.ErrUnsupported). Named on the command line, the same
	// file fails instead.
	StatusSkipped Status = "skipped"
)

// FileEvent tells the fate of one document.
type FileEvent struct {
	Name   string
	Status Status
	// Organization and Year identify the report, when it was parsed.
	Organization string
	Year         int
	// Previous is, for Unchanged, the stored file with the same content;
	// for Replaced, the file whose report was replaced. Empty when the sink
	// does not tell.
	Previous string
	// Err is why it failed or was skipped.
	Err error
}

// Progress counts documents so far.
type Progress struct {
	// Total is the number of documents found; -1 while still counting.
	Total int
	// Done counts documents whose fate is known.
	Done                                                int
	Parsed, Added, Unchanged, Replaced, Failed, Skipped int
	Elapsed                                             time.Duration
	Final                                               bool
}

// Failure is one document that failed or was skipped, and why.
type Failure struct {
	Name string
	Err  error
}

// Summary is the outcome of a Run.
type Summary struct {
	// Parsed counts documents read as reports (whether stored or not).
	Parsed                                      int
	Added, Unchanged, Replaced, Failed, Skipped int
	// Failures lists the failed documents in input order; Skips the skipped.
	Failures []Failure
	Skips    []Failure
}

// Run reads every document under opts.Inputs, parses them on a pool of
// workers, places each author among the divisions (opts.Placement) and
// stores them through sink from this one goroutine, in batches, in input
// order (so when two files report the same body and year, the later one
// wins, every time). Memory stays flat: documents are read as workers free
// up and at most a bounded number are in flight. It ends by bringing the
// cross-report findings up to date (sink.UpdateCrossRules), also after an
// interruption, so what was stored is checked against its neighbours.
//
// A document that cannot be read, parsed or stored is a failure in the
// Summary and the others go on. Run returns an error only when it cannot
// go on at all: ctx ended, or the sink refuses every write (database busy,
// disk full); batches stored before stay stored.
func Run(ctx context.Context, opts Options, sink gongkai.Sink) (Summary, error) {
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 256
	}
	if opts.BatchWait <= 0 {
		opts.BatchWait = 2 * time.Second
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = 64 << 20
	}
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = 250 * time.Millisecond
	}
	if opts.Parse == nil {
		opts.Parse = defaultParse
	}
	place, err := opts.Placement.Placer()
	if err != nil {
		return Summary{}, err
	}
	defer relaxGC()()
	sum, err := run(ctx, opts, place, sink)
	// What the parse workers left is garbage now, up to gcMemoryLimit of
	// it, which the runtime would hand back to the system only slowly:
	// the cross rules and the kept answers below then fill DuckDB's
	// memory beside it. With it, and the cross rules under their own
	// DuckDB limit (store.crossMemoryLimit), the rules at the end of an
	// ingest of 150,654 rendered reports (46 s before R9 was gated) took
	// 0.44–0.64 GB of RSS instead of 1.0–1.3 GB.
	debug.FreeOSMemory()
	// Cross-year and whole-area rules (R6, R7, R9) depend on other
	// reports: the sink recomputes the findings the stored batches can
	// have changed (it records which). With nothing pending it writes
	// nothing; after an interrupted run it finishes the work left pending.
	if ferr := sink.UpdateCrossRules(context.WithoutCancel(ctx)); ferr != nil {
		err = errors.Join(err, fmt.Errorf("cross-report rules: %w", ferr))
	}
	return sum, err
}

func run(ctx context.Context, opts Options, place func(string, *gongkai.Report), sink gongkai.Sink) (Summary, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	r := &runner{opts: opts, place: place, sink: sink, start: time.Now(), next: 0, pending: map[int]result{}}
	r.total.Store(-1)
	// At most inFlight documents are between reading and the batch, and
	// at most inFlightBytes of their raw bytes are held before parsing: a
	// folder of 60 MB files must not keep sixteen of them in memory at
	// once. A document larger than the budget waits until it is alone.
	inFlight := 4*opts.Workers + 8
	r.tokens = make(chan struct{}, inFlight)
	r.bytes = semaphore.NewWeighted(inFlightBytes)
	jobs := make(chan job, opts.Workers)
	results := make(chan result, opts.Workers)

	var wg sync.WaitGroup
	// Counter: walks without reading, for the progress total.
	wg.Go(func() {
		n := 0
		if err := walk(ctx, opts.Inputs, opts.MaxFileSize, func(doc) error { n++; return nil }); err == nil {
			r.total.Store(int64(n))
		}
	})
	// Reader: walks and reads, in input order.
	var walkErr error
	wg.Go(func() {
		defer close(jobs)
		seq := 0
		walkErr = walk(ctx, opts.Inputs, opts.MaxFileSize, func(d doc) error {
			select {
			case r.tokens <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			j := job{seq: seq, name: d.name, explicit: d.explicit, err: d.err}
			seq++
			if d.read != nil {
				j.data, j.err = d.read(opts.MaxFileSize)
			}
			if j.weight = min(int64(len(j.data)), inFlightBytes); j.weight > 0 {
				if err := r.bytes.Acquire(ctx, j.weight); err != nil {
					return err
				}
			}
			select {
			case jobs <- j:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	})
	// Parsers.
	var workers sync.WaitGroup
	for range opts.Workers {
		workers.Go(func() {
			for j := range jobs {
				res := r.parse(ctx, j)
				select {
				case results <- res:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	go func() {
		workers.Wait()
		close(results)
	}()

	// Storer: stores the batches the writer hands over, in order, while
	// the workers parse the next ones (storing a batch inline would stall
	// parsing for as long as the store takes).
	r.store = make(chan []gongkai.Parsed, 1)
	stored := make(chan struct{})
	go func() {
		defer close(stored)
		r.storeLoop(ctx, cancel)
	}()

	err := r.write(ctx, results)
	close(r.store)
	<-stored
	if r.storeErr != nil {
		err = r.storeErr
	}
	cancel()
	wg.Wait()
	if err == nil && walkErr != nil && !errors.Is(walkErr, context.Canceled) {
		err = walkErr
	}
	r.progress(true)
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.sum, err
}

// job is a document read and waiting for a parser.
type job struct {
	seq      int
	name     string
	explicit bool
	data     []byte
	// weight is what the job holds of the in-flight byte budget, given
	// back once it is parsed.
	weight int64
	err    error
}

// inFlightBytes bounds the raw bytes of documents read but not yet parsed.
const inFlightBytes = 96 << 20

// result is a parsed document (or its failure), waiting for the writer.
type result struct {
	seq      int
	name     string
	explicit bool
	parsed   gongkai.Parsed
	err      error
}

type runner struct {
	opts   Options
	place  func(name string, r *gongkai.Report)
	sink   gongkai.Sink
	start  time.Time
	total  atomic.Int64
	tokens chan struct{}
	bytes  *semaphore.Weighted

	// Only the writer goroutine touches the fields below.
	next    int
	pending map[int]result
	batch   []gongkai.Parsed

	// store carries full batches from the writer to the storer goroutine;
	// storeErr is the storer's fatal error, read once it has ended.
	store    chan []gongkai.Parsed
	storeErr error

	// mu guards the counts, which the writer (failures) and the storer
	// (outcomes) both update, and the calls of OnFile and Progress.
	mu       sync.Mutex
	sum      Summary
	lastProg time.Time
}

func (r *runner) parse(ctx context.Context, j job) result {
	if j.weight > 0 {
		defer r.bytes.Release(j.weight)
	}
	res := result{seq: j.seq, name: j.name, explicit: j.explicit, err: j.err}
	if res.err != nil {
		return res
	}
	p, err := safeParse(ctx, r.opts.Parse, j.name, j.data)
	if err != nil {
		res.err = err
		return res
	}
	if p.Report == nil {
		res.err = fmt.Errorf("%w: reader returned no report", gongkai.ErrUnreadable)
		return res
	}
	// A record the store would refuse fails here, alone, named; it never
	// reaches a batch, where its refusal could pass for a store fault.
	if err := p.Report.Validate(); err != nil {
		res.err = &gongkai.Error{Op: "parse", Path: j.name, Err: err}
		return res
	}
	if p.Path == "" {
		p.Path = j.name
	}
	if p.Hash == "" {
		sum := sha256.Sum256(j.data)
		p.Hash = hex.EncodeToString(sum[:])
	}
	r.place(j.name, p.Report)
	res.parsed = p
	return res
}

// safeParse turns a reader's panic into a failure of that one document:
// a bug in one reader must not abort a run over thousands of files.
func safeParse(ctx context.Context, parse func(context.Context, string, []byte) (gongkai.Parsed, error), name string, data []byte) (p gongkai.Parsed, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("reader panicked (a bug, please report it with the file): %v", v)
		}
	}()
	return parse(ctx, name, data)
}

// write is the one writer: it takes results in input order, batches them
// and stores each batch.
func (r *runner) write(ctx context.Context, results <-chan result) error {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case res, ok := <-results:
			if !ok {
				if len(r.pending) > 0 {
					// Only possible when ctx ended while workers were busy.
					if err := ctx.Err(); err != nil {
						return err
					}
				}
				if err := r.flush(ctx); err != nil {
					return err
				}
				return ctx.Err()
			}
			r.pending[res.seq] = res
			for {
				res, ok := r.pending[r.next]
				if !ok {
					break
				}
				delete(r.pending, r.next)
				r.next++
				<-r.tokens
				if res.err != nil {
					r.fail(res.name, res.explicit, res.err)
					continue
				}
				r.mu.Lock()
				r.sum.Parsed++
				r.mu.Unlock()
				if len(r.batch) == 0 {
					timer.Reset(r.opts.BatchWait)
				}
				r.batch = append(r.batch, res.parsed)
				if len(r.batch) >= r.opts.BatchSize {
					timer.Stop()
					if err := r.flush(ctx); err != nil {
						return err
					}
				}
			}
			r.progress(false)
		case <-timer.C:
			if err := r.flush(ctx); err != nil {
				return err
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// flush hands the batch to the storer. It fails only once the storer has
// stopped the run (ctx ended).
func (r *runner) flush(ctx context.Context) error {
	batch := r.batch
	r.batch = r.batch[:0:0]
	if len(batch) == 0 {
		return nil
	}
	r.store <- batch // the storer takes every batch until the channel closes
	return ctx.Err()
}

// storeLoop stores the batches handed over, in order. On an error that
// ends the run it records it, stops the run (cancel) and drops the
// batches still coming.
func (r *runner) storeLoop(ctx context.Context, cancel context.CancelFunc) {
	for batch := range r.store {
		if r.storeErr != nil {
			continue
		}
		if err := r.storeBatch(ctx, batch); err != nil {
			r.storeErr = err
			cancel()
		}
	}
}

// storeBatch stores one batch. When the batch as a whole fails, each
// report is tried alone, so one bad report fails alone.
func (r *runner) storeBatch(ctx context.Context, batch []gongkai.Parsed) error {
	outcomes, prev, err := r.put(ctx, batch)
	if err == nil {
		r.record(batch, outcomes, prev)
		return nil
	}
	if fatal(ctx, err) || len(batch) == 1 {
		if fatal(ctx, err) {
			return err
		}
		r.fail(batch[0].Path, true, err)
		return nil
	}
	stored, refused := 0, 0
	var last error
	for _, p := range batch {
		outcomes, prev, err := r.put(ctx, []gongkai.Parsed{p})
		if err != nil {
			if fatal(ctx, err) {
				return err
			}
			r.fail(p.Path, true, err)
			if errors.Is(err, gongkai.ErrInvalidRecord) {
				refused++ // the report's fault, not the store's
			} else {
				last = err
			}
			continue
		}
		stored++
		r.record([]gongkai.Parsed{p}, outcomes, prev)
	}
	if stored == 0 && len(batch)-refused > 1 {
		// Nothing at all could be stored: the store, not the reports, is
		// at fault; stop rather than fail every file that follows.
		return fmt.Errorf("storing reports: %w", last)
	}
	return nil
}

// fatal says whether a store error ends the run.
func fatal(ctx context.Context, err error) bool {
	return ctx.Err() != nil || errors.Is(err, gongkai.ErrDatabaseBusy) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

func (r *runner) put(ctx context.Context, batch []gongkai.Parsed) ([]gongkai.Outcome, []string, error) {
	out, prev, err := r.sink.PutDetailed(ctx, batch)
	if err == nil && len(out) != len(batch) {
		err = fmt.Errorf("sink returned %d outcomes for %d reports", len(out), len(batch))
	}
	if prev == nil {
		prev = make([]string, len(batch))
	}
	return out, prev, err
}

func (r *runner) record(batch []gongkai.Parsed, outcomes []gongkai.Outcome, prev []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, p := range batch {
		switch outcomes[i] {
		case gongkai.Added:
			r.sum.Added++
		case gongkai.Unchanged:
			r.sum.Unchanged++
		case gongkai.Replaced:
			r.sum.Replaced++
		}
		if r.opts.OnFile != nil {
			r.opts.OnFile(FileEvent{Name: p.Path, Status: Status(outcomes[i]),
				Organization: p.Report.Organization, Year: p.Report.ReportYear, Previous: prev[i]})
		}
	}
	r.progressLocked(false)
}

func (r *runner) fail(name string, explicit bool, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := StatusFailed
	if !explicit && errors.Is(err, gongkai.ErrUnsupported) {
		st = StatusSkipped
		r.sum.Skipped++
		r.sum.Skips = append(r.sum.Skips, Failure{name, err})
	} else {
		r.sum.Failed++
		r.sum.Failures = append(r.sum.Failures, Failure{name, err})
	}
	if r.opts.OnFile != nil {
		r.opts.OnFile(FileEvent{Name: name, Status: st, Err: err})
	}
}

func (r *runner) progress(final bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.progressLocked(final)
}

// progressLocked is progress with r.mu held.
func (r *runner) progressLocked(final bool) {
	if r.opts.Progress == nil {
		return
	}
	now := time.Now()
	if !final && now.Sub(r.lastProg) < r.opts.ProgressEvery {
		return
	}
	r.lastProg = now
	s := r.sum
	total := int(r.total.Load())
	done := s.Added + s.Unchanged + s.Replaced + s.Failed + s.Skipped
	if final && total < done {
		total = done
	}
	r.opts.Progress(Progress{Total: total, Done: done, Parsed: s.Parsed, Added: s.Added,
		Unchanged: s.Unchanged, Replaced: s.Replaced, Failed: s.Failed, Skipped: s.Skipped,
		Elapsed: now.Sub(r.start), Final: final})
}

// defaultParse is the reader Run uses when Options.Parse is nil.
var defaultParse = ParseBytes

// Parsing makes garbage fast (strings, cells and maps per report, a tree
// per HTML page) and keeps little: with Go's default GOGC=100 the
// collector ran about every megabyte parsed and took a quarter of an
// ingest's CPU. While a Run goes, the heap may grow to 4× what is live
// (GOGC=400), capped by a soft limit of gcMemoryLimit so a run's memory
// stays bounded (issue 11: ≤ 1 GiB peak RSS with DuckDB's own memory).
// A GOGC or GOMEMLIMIT the user set is left alone.
//
// 448 MiB, not 512: 150,654 rendered reports with the five hostile files
// of scripts/bench-ingest peaked at 1,030 MiB under 512 (the heap at its
// limit beside DuckDB's appends while bomb.zip's 60 MB members failed),
// 980–987 MiB under 448, with CPU time within the runs' spread.
const (
	gcPercent     = 400
	gcMemoryLimit = 448 << 20
)

var (
	gcMu    sync.Mutex
	gcRuns  int
	gcPrevP int
	gcPrevL int64
)

// relaxGC applies the settings above for the length of a Run and returns
// the function that restores the previous ones (when the last concurrent
// Run ends).
func relaxGC() (restore func()) {
	gcMu.Lock()
	defer gcMu.Unlock()
	if gcRuns == 0 {
		gcPrevP, gcPrevL = -2, -2
		if os.Getenv("GOGC") == "" {
			gcPrevP = debug.SetGCPercent(gcPercent)
		}
		if os.Getenv("GOMEMLIMIT") == "" {
			gcPrevL = debug.SetMemoryLimit(gcMemoryLimit)
		}
	}
	gcRuns++
	return func() {
		gcMu.Lock()
		defer gcMu.Unlock()
		gcRuns--
		if gcRuns > 0 {
			return
		}
		if gcPrevP != -2 {
			debug.SetGCPercent(gcPrevP)
		}
		if gcPrevL != -2 {
			debug.SetMemoryLimit(gcPrevL)
		}
	}
}
