package query

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"gongkai"
)

// Config configures a Sandbox. Zero fields take the defaults.
type Config struct {
	// Limits are the sandbox's own: requests may lower the time limit and
	// the row cap; MemoryLimit and Threads size every worker.
	Limits Limits
	// Workers is how many statements run at once, each in its own
	// process (default 1). More callers wait for a free worker.
	Workers int
	// MaxAnswer bounds the bytes of one answer (default DefaultMaxAnswer).
	MaxAnswer int64
	// MemoryBudget bounds the resident memory of all workers together
	// (default DefaultMemoryBudget). Each worker's address-space limit
	// bounds it alone; the budget bounds Workers of them at once: when
	// their sum passes it, the statement whose worker holds the most is
	// stopped with ErrTooLarge. Linux only (read from /proc).
	MemoryBudget int64
}

// DefaultMemoryBudget: with serve's own ~150 MB, the program and its
// workers stay under 1.5 GB however many statements fill their memory at
// once (a worker grows by at most a few tens of MB between two readings).
const DefaultMemoryBudget = 1 << 30

// budgetEvery is how often the workers' resident memory is read.
const budgetEvery = 20 * time.Millisecond

// grace is how long past its deadline a worker may take to answer before
// the parent kills it. The worker's own deadline interrupts DuckDB at the
// limit; the grace covers DuckDB noticing it.
const grace = 150 * time.Millisecond

// retireAfter: a worker answers this many statements, then a fresh one
// takes its place (DuckDB instances come and go in it; this bounds any
// fragmentation they leave).
const retireAfter = 200

// Sandbox runs ad-hoc SQL in a pool of worker processes (see the package
// comment). It is safe for concurrent use.
type Sandbox struct {
	cfg   Config
	as    int64
	slots chan struct{}

	mu       sync.Mutex
	idle     []*worker
	live     int           // workers started (or being started) and not yet reaped
	changed  chan struct{} // closed when a worker is reaped or idle; nil when nobody waits
	busy     map[*call]struct{}
	watching bool          // the budget's watcher runs
	unwatch  chan struct{} // closed by Close: the watcher ends
	lastDB   string        // the store of the latest statement: replacements bind it
	isolated bool          // the latest worker started is isolated
	closed   bool
	bg       sync.WaitGroup
}

// New returns a Sandbox. It starts no process until the first statement.
func New(cfg Config) *Sandbox {
	cfg.Limits = cfg.Limits.WithDefaults()
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.MaxAnswer <= 0 {
		cfg.MaxAnswer = DefaultMaxAnswer
	}
	if cfg.MemoryBudget <= 0 {
		cfg.MemoryBudget = DefaultMemoryBudget
	}
	return &Sandbox{cfg: cfg, as: addressSpace(cfg.Limits.MemoryLimit), slots: make(chan struct{}, cfg.Workers),
		busy: map[*call]struct{}{}, unwatch: make(chan struct{})}
}

// Isolated reports whether the latest worker started sees the store only
// at NeutralPath, in namespaces of its own (false: it scrubs the host
// path from answers instead, or none started yet).
func (s *Sandbox) Isolated() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.isolated
}

// Limits returns the sandbox's own limits.
func (s *Sandbox) Limits() Limits { return s.cfg.Limits }

// Close stops the idle workers; busy ones stop when their statement ends.
func (s *Sandbox) Close() error {
	s.mu.Lock()
	if !s.closed {
		close(s.unwatch)
	}
	s.closed = true
	idle := s.idle
	s.idle = nil
	s.mu.Unlock()
	for _, w := range idle {
		w.stop()
	}
	s.bg.Wait()
	return nil
}

// worker is one worker process and its pipes. A worker is bound to one
// store file (it may see nothing else; see isolate).
type worker struct {
	cmd      *exec.Cmd
	requests *os.File
	answers  *os.File
	stderr   *tail
	exited   chan struct{}
	uses     int
	killOnce sync.Once
	db       string
	files    fileIDs
	isolated bool
}

// fileIDs identifies the store file and its write-ahead log as a worker
// bound them: a worker whose files were since replaced (a new replica, a
// log that appeared or went) would read stale data, and is retired.
type fileIDs struct{ db, wal os.FileInfo }

func idsOf(db string) fileIDs {
	var ids fileIDs
	ids.db, _ = os.Stat(db)
	ids.wal, _ = os.Stat(db + ".wal")
	return ids
}

func (a fileIDs) same(b fileIDs) bool {
	same := func(x, y os.FileInfo) bool {
		if x == nil || y == nil {
			return x == nil && y == nil
		}
		return os.SameFile(x, y)
	}
	return same(a.db, b.db) && same(a.wal, b.wal)
}

// startChoice is one way to start a worker: its process attributes, and
// whether they give it namespaces to isolate itself in.
type startChoice struct {
	attr    *syscall.SysProcAttr
	isolate bool
}

// nsChoice is the index into namespaceChoices() of the first way that
// started a worker in this process (-1: not tried yet). Later workers
// start that way at once.
var (
	nsMu     sync.Mutex
	nsChoice = -1
)

// A worker killed at its deadline is not reaped at once: the kernel first
// frees what a memory bomb filled. If its replacement started beside it,
// the pool's processes together could exceed Workers × the address-space
// limit, so a worker is counted (live) from its start until it is reaped,
// and none starts while Workers are counted. Whoever waits for a worker
// is woken (changed) when one is reaped or becomes idle.

// tryReserve counts a worker about to start, if there is room. s.mu held.
func (s *Sandbox) tryReserve() bool {
	if s.live >= s.cfg.Workers {
		return false
	}
	s.live++
	return true
}

// signal wakes whoever waits in get. s.mu held.
func (s *Sandbox) signal() {
	if s.changed != nil {
		close(s.changed)
		s.changed = nil
	}
}

// release undoes a reservation: the worker was reaped, or never started.
func (s *Sandbox) release() {
	s.mu.Lock()
	s.live--
	s.signal()
	s.mu.Unlock()
}

// start starts a worker process for the store db and waits for it to say
// it is ready. The caller has counted it (tryReserve).
func (s *Sandbox) start(ctx context.Context, db string) (*worker, error) {
	running := false // from then on the reaping goroutine releases
	defer func() {
		if !running {
			s.release()
		}
	}()
	exe, err := os.Executable()
	if err != nil {
		return nil, sandboxError(fmt.Errorf("finding the program to start a worker: %w", err))
	}
	if abs, err := filepath.Abs(db); err == nil {
		db = abs
	}
	ids := idsOf(db)
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, sandboxError(err)
	}
	ansR, ansW, err := os.Pipe()
	if err != nil {
		reqR.Close()
		reqW.Close()
		return nil, sandboxError(err)
	}
	choices := namespaceChoices()
	nsMu.Lock()
	first := min(max(nsChoice, 0), len(choices)-1)
	nsMu.Unlock()
	var w *worker
	for i := first; i < len(choices); i++ {
		cmd := exec.Command(exe)
		// A clean environment: nothing of the caller's (HOME, paths) reaches
		// DuckDB's settings.
		cmd.Env = []string{envWorker + "=1", envAddressSpace + "=" + strconv.FormatInt(s.as, 10), "MALLOC_ARENA_MAX=2",
			envDB + "=" + db}
		if choices[i].isolate {
			cmd.Env = append(cmd.Env, envIsolate+"=1")
		}
		if tz, ok := os.LookupEnv("TZ"); ok {
			cmd.Env = append(cmd.Env, "TZ="+tz)
		}
		cmd.ExtraFiles = []*os.File{reqR, ansW} // fds 3 and 4
		w = &worker{cmd: cmd, requests: reqW, answers: ansR, stderr: &tail{}, exited: make(chan struct{}), db: db, files: ids}
		cmd.Stderr = w.stderr
		cmd.SysProcAttr = choices[i].attr
		if err = cmd.Start(); err == nil {
			if len(choices) > 1 {
				nsMu.Lock()
				nsChoice = i
				nsMu.Unlock()
			}
			break
		}
	}
	reqR.Close()
	ansW.Close()
	if err != nil {
		reqW.Close()
		ansR.Close()
		return nil, sandboxError(fmt.Errorf("starting a worker: %w", err))
	}
	cmd := w.cmd
	running = true
	go func() {
		cmd.Wait()
		close(w.exited)
		s.release()
	}()
	stop := context.AfterFunc(ctx, w.kill)
	defer stop()
	t := time.AfterFunc(30*time.Second, w.kill)
	defer t.Stop()
	var f frame
	if err := readFrame(w.answers, maxRequest, &f); err != nil || !f.Ready {
		w.stop()
		if ctx.Err() != nil {
			return nil, &gongkai.Error{Op: "query", Err: ctx.Err()}
		}
		return nil, sandboxError(fmt.Errorf("the worker did not start: %v %s", err, w.stderr.String()))
	}
	if f.Err != nil {
		w.stop()
		return nil, f.Err.err()
	}
	w.isolated = f.Isolated
	s.mu.Lock()
	s.isolated = f.Isolated
	s.mu.Unlock()
	return w, nil
}

// kill ends the process at once and closes the parent's ends of its
// pipes, so a read blocked on the answer returns now — not when the kernel
// has finished tearing down a worker that filled its address space.
func (w *worker) kill() {
	w.killOnce.Do(func() {
		w.cmd.Process.Kill()
		w.requests.Close()
		w.answers.Close()
	})
}

// stop kills the worker and waits for it to be reaped.
func (w *worker) stop() {
	w.kill()
	<-w.exited
}

// get returns an idle worker bound to db, or starts one when there is
// room, or waits (bounded by ctx) until there is. Idle workers bound to
// another file, or to files since replaced, are stopped.
func (s *Sandbox) get(ctx context.Context, db string) (*worker, error) {
	if abs, err := filepath.Abs(db); err == nil {
		db = abs
	}
	ids := idsOf(db)
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return nil, sandboxError(errors.New("the SQL sandbox is closed"))
		}
		s.lastDB = db
		var found *worker
		keep := s.idle[:0]
		var stale []*worker
		for _, w := range s.idle {
			switch {
			case w.db != db || !w.files.same(ids):
				stale = append(stale, w)
			case found == nil:
				found = w
			default:
				keep = append(keep, w)
			}
		}
		s.idle = keep
		start := found == nil && s.tryReserve()
		var changed chan struct{}
		if found == nil && !start {
			if s.changed == nil {
				s.changed = make(chan struct{})
			}
			changed = s.changed
		}
		s.mu.Unlock()
		for _, w := range stale {
			s.retire(w)
		}
		switch {
		case found != nil:
			return found, nil
		case start:
			return s.start(ctx, db)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, &gongkai.Error{Op: "query", Err: ctx.Err()}
		}
	}
}

// retire stops a worker in the background, with no replacement.
func (s *Sandbox) retire(w *worker) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		w.stop()
	}()
}

// bloated: a worker that kept more resident memory than this after its
// statement is replaced, not reused. DuckDB's instance is gone by then, but
// the allocators do not always give freed memory back, and the next
// statement on that worker — anyone's — would carry it against the budget.
const bloated = 256 << 20

// put returns a healthy worker to the pool, or retires it.
func (s *Sandbox) put(w *worker) {
	w.uses++
	s.mu.Lock()
	if !s.closed && w.uses < retireAfter && s.roomy(w) {
		select {
		case <-w.exited:
		default:
			s.idle = append(s.idle, w)
			s.signal()
			s.mu.Unlock()
			return
		}
	}
	s.mu.Unlock()
	s.discard(w)
}

// roomy reports whether w may take another statement: it is not bloated,
// and its address space still has room for a whole memory limit under the
// worker's cap. A statement stopped by its memory limit can leave the
// address space mapped though little of it is resident (arenas the
// allocators keep); reused, such a worker fails the next statement — even
// a count(*) — with an allocation failure reported as "too large".
func (s *Sandbox) roomy(w *worker) bool {
	virtual, resident := memoryOf(w.cmd.Process.Pid)
	if resident > bloated {
		return false
	}
	return s.as <= 0 || virtual+parseSize(s.cfg.Limits.MemoryLimit) <= s.as
}

// discard stops a worker and, unless the sandbox is closing, starts its
// replacement in the background, so the next statement finds one warm.
func (s *Sandbox) discard(w *worker) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		w.stop()
		s.mu.Lock()
		refill := !s.closed && len(s.idle) == 0 && s.lastDB != ""
		db := s.lastDB
		s.mu.Unlock()
		if !refill {
			return
		}
		s.mu.Lock()
		room := !s.closed && s.tryReserve()
		s.mu.Unlock()
		if !room {
			return // every place is taken: the next statement starts its own
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		nw, err := s.start(ctx, db)
		if err != nil {
			return
		}
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			nw.stop()
			return
		}
		s.idle = append(s.idle, nw)
		s.signal()
		s.mu.Unlock()
	}()
}

// call is one statement in flight on one worker.
type call struct {
	s        *Sandbox
	w        *worker
	lim      Limits
	max      int64 // largest frame accepted
	timer    *time.Timer
	stopCtx  func() bool
	ctx      context.Context
	mu       sync.Mutex
	killedBy error // why the parent killed the worker
	done     bool
}

// call takes a slot and a worker and sends the statement. The time limit
// runs from the call, so it bounds the answer as the caller sees it, a
// worker's start included (serve keeps workers warm; the CLI starts one).
func (s *Sandbox) call(ctx context.Context, db, sql string, lim Limits, m mode) (*call, error) {
	start := time.Now()
	if !lim.Since.IsZero() && lim.Since.Before(start) {
		start = lim.Since
	}
	select {
	case s.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, &gongkai.Error{Op: "query", Err: ctx.Err()}
	}
	deadline := start.Add(lim.Timeout)
	if abs, err := filepath.Abs(db); err == nil {
		db = abs
	}
	req := &request{Mode: m, DB: db, SQL: sql, MaxRows: lim.MaxRows, MemoryLimit: lim.MemoryLimit, Threads: lim.Threads}
	if m != modeExport {
		req.MaxAnswer = s.cfg.MaxAnswer
	}
	var w *worker
	var err error
	// Waiting for a worker counts against the time limit.
	wctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	for attempt := 0; attempt < 2; attempt++ {
		if w, err = s.get(wctx, db); err != nil {
			<-s.slots
			if ctx.Err() == nil && wctx.Err() != nil {
				return nil, timeoutError(lim.Timeout)
			}
			return nil, err
		}
		req.Timeout = time.Until(deadline)
		if req.Timeout <= 0 {
			s.put(w)
			<-s.slots
			return nil, timeoutError(lim.Timeout)
		}
		if err = writeFrame(w.requests, req); err == nil {
			break
		}
		// An idle worker that died meanwhile: take another.
		s.discard(w)
	}
	if err != nil {
		<-s.slots
		return nil, sandboxError(fmt.Errorf("sending the statement to a worker: %w", err))
	}
	c := &call{s: s, w: w, lim: lim, ctx: ctx, max: s.cfg.MaxAnswer*2 + 1<<20}
	if m == modeExport {
		c.max = 4 << 20
	}
	c.timer = time.AfterFunc(time.Until(deadline)+grace, func() { c.kill(timeoutError(lim.Timeout)) })
	c.stopCtx = context.AfterFunc(ctx, func() { c.kill(&gongkai.Error{Op: "query", Err: ctx.Err()}) })
	s.mu.Lock()
	s.busy[c] = struct{}{}
	if !s.watching && canReadRSS {
		s.watching = true
		s.bg.Add(1)
		go s.watchBudget()
	}
	s.mu.Unlock()
	return c, nil
}

// watchBudget enforces Config.MemoryBudget while the sandbox is open.
func (s *Sandbox) watchBudget() {
	defer s.bg.Done()
	t := time.NewTicker(budgetEvery)
	defer t.Stop()
	for {
		select {
		case <-s.unwatch:
			return
		case <-t.C:
		}
		s.mu.Lock()
		calls := make([]*call, 0, len(s.busy))
		for c := range s.busy {
			calls = append(calls, c)
		}
		idle := make([]*worker, len(s.idle))
		copy(idle, s.idle)
		s.mu.Unlock()
		if len(calls) == 0 {
			continue
		}
		var sum, most int64
		var biggest *call
		var biggestIdle *worker
		for _, w := range idle {
			n := rssOf(w.cmd.Process.Pid)
			sum += n
			if n > most {
				most, biggestIdle = n, w
			}
		}
		for _, c := range calls {
			n := rssOf(c.w.cmd.Process.Pid)
			sum += n
			if n > most {
				most, biggest, biggestIdle = n, c, nil
			}
		}
		switch {
		case sum <= s.cfg.MemoryBudget:
		case biggestIdle != nil:
			// An idle worker that kept what an earlier statement took
			// (freed memory is not always given back): retire it rather
			// than stop a statement that did nothing wrong.
			s.mu.Lock()
			for i, w := range s.idle {
				if w == biggestIdle {
					s.idle = append(s.idle[:i], s.idle[i+1:]...)
					s.mu.Unlock()
					s.retire(w)
					s.mu.Lock()
					break
				}
			}
			s.mu.Unlock()
		case biggest != nil:
			biggest.kill(&gongkai.Error{Op: "query",
				Err: fmt.Errorf("%w: the statements running at once passed the sandbox's memory budget (%d MiB together; this one held %d MiB)",
					ErrTooLarge, s.cfg.MemoryBudget>>20, most>>20),
				Hint: "aggregate more, select fewer or shorter values, or add a LIMIT"})
		}
	}
}

func (c *call) kill(why error) {
	c.mu.Lock()
	if c.killedBy == nil && !c.done {
		c.killedBy = why
	}
	c.mu.Unlock()
	c.w.kill()
}

// next reads the worker's next frame. When the worker was killed or died,
// the error says why: the deadline, the caller's cancellation, or the
// worker's memory limit.
func (c *call) next() (*frame, error) {
	var f frame
	err := readFrame(c.w.answers, c.max, &f)
	if err == nil {
		return &f, nil
	}
	c.w.kill()
	c.mu.Lock()
	why := c.killedBy
	c.mu.Unlock()
	if why != nil {
		return nil, why
	}
	if errors.Is(err, errFrameTooLarge) {
		return nil, &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: the answer passed %d MB", ErrTooLarge, c.s.cfg.MaxAnswer>>20),
			Hint: "select fewer or shorter values, or lower max_rows"}
	}
	<-c.w.exited
	return nil, c.died()
}

// died explains a worker that stopped in the middle of a statement. With
// an address-space limit, that is nearly always an allocation past it that
// the runtime (Go's or C++'s) could not turn into an error.
func (c *call) died() error {
	state := c.w.cmd.ProcessState
	msg := c.w.stderr.String()
	what := "stopped"
	if state != nil {
		what = state.String()
	}
	if strings.Contains(msg, "out of memory") || strings.Contains(msg, "bad_alloc") ||
		strings.Contains(msg, "cannot allocate") || strings.Contains(what, "abort") || strings.Contains(what, "exit status 2") {
		return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: the statement passed the sandbox's memory limit (%s of DuckDB memory)", ErrTooLarge, c.lim.MemoryLimit),
			Hint: "aggregate more, select fewer or shorter values, or add a LIMIT"}
	}
	return &gongkai.Error{Op: "query", Err: fmt.Errorf("%w: the statement stopped the sandbox worker (%s)", ErrBadQuery, what),
		Hint: "simplify the statement; the store is unchanged"}
}

// finish ends the call: a worker that answered in full goes back to the
// pool; any other is killed and replaced.
func (c *call) finish(ok bool) {
	c.mu.Lock()
	if c.done {
		c.mu.Unlock()
		return
	}
	c.done = true
	killed := c.killedBy != nil
	c.mu.Unlock()
	c.s.mu.Lock()
	delete(c.s.busy, c)
	c.s.mu.Unlock()
	c.timer.Stop()
	c.stopCtx()
	if ok && !killed {
		c.s.put(c.w)
	} else {
		c.w.kill()
		c.s.discard(c.w)
	}
	<-c.s.slots
}

func sandboxError(err error) error {
	return &gongkai.Error{Op: "query", Err: fmt.Errorf("SQL sandbox: %w", err)}
}

// tail keeps the last few KB a worker wrote to stderr, to explain a crash.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > 4096 {
		t.buf = append([]byte(nil), t.buf[len(t.buf)-4096:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

var _ io.Writer = (*tail)(nil)
