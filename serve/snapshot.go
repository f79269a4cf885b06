package serve

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"gongkai/store"
)

// snapshots serves requests from checkpointed copies of the store, so that
// `gongkai ingest` can hold the store's write lock while serve keeps
// answering from the last copy.
//
// A copy ("generation") is made only while serve can open the store
// read-only, that is while no writer holds it: it therefore holds whole
// ingest runs, never half of one. At most every `every`, a request checks
// the store file's size and modification time (and its .wal's); when they
// changed, a background refresh opens the store read-only, copies it with
// Store.Snapshot into serve's private folder, and switches new requests to
// the new copy. Requests in flight finish on the old copy, which is
// deleted after the last of them. While a writer holds the store the
// refresh fails with ErrDatabaseBusy and serve keeps the old copy; the
// copy itself holds the read lock for as long as copying takes, during
// which a starting ingest is told the store is busy (naming serve's PID).
//
// With no copy yet (the store was busy when serve started, or the folder
// is not writable), requests open the store itself, and get 503 while a
// writer holds it.
type snapshots struct {
	main  string // the store file
	dir   string // serve's private folder of copies
	every time.Duration
	log   *slog.Logger

	mu         sync.Mutex
	cur        *generation
	stamp      fileStamp // of main when cur was copied
	lastCheck  time.Time
	refreshing bool
	wg         sync.WaitGroup
	closed     bool
}

type generation struct {
	path    string
	refs    int
	retired bool
}

type fileStamp struct {
	size, walSize   int64
	mtime, walMtime time.Time
}

func stampOf(path string) fileStamp {
	var s fileStamp
	if fi, err := os.Stat(path); err == nil {
		s.size, s.mtime = fi.Size(), fi.ModTime()
	}
	if fi, err := os.Stat(path + ".wal"); err == nil {
		s.walSize, s.walMtime = fi.Size(), fi.ModTime()
	}
	return s
}

func newSnapshots(main string, every time.Duration, log *slog.Logger) (*snapshots, error) {
	abs, err := filepath.Abs(main)
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(filepath.Dir(abs), fmt.Sprintf(".%s.serve-%d", filepath.Base(abs), os.Getpid()))
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &snapshots{main: main, dir: dir, every: every, log: log}, nil
}

// acquire returns the file a request should open and a release func. It
// also starts a refresh when the store changed.
func (sn *snapshots) acquire() (string, func()) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if !sn.closed && !sn.refreshing && time.Since(sn.lastCheck) >= sn.every {
		sn.lastCheck = time.Now()
		if sn.cur == nil || stampOf(sn.main) != sn.stamp {
			sn.refreshing = true
			sn.wg.Add(1)
			go func() {
				defer sn.wg.Done()
				if err := sn.refresh(context.Background()); err != nil {
					sn.log.Info("snapshot not refreshed; serving the previous one", "err", err)
				}
			}()
		}
	}
	g := sn.cur
	if g == nil {
		return sn.main, func() {}
	}
	g.refs++
	return g.path, func() {
		sn.mu.Lock()
		g.refs--
		drop := g.retired && g.refs == 0
		sn.mu.Unlock()
		if drop {
			removeDB(g.path)
		}
	}
}

// refresh copies the store into a new generation and switches to it.
func (sn *snapshots) refresh(ctx context.Context) error {
	defer func() {
		sn.mu.Lock()
		sn.refreshing = false
		sn.mu.Unlock()
	}()
	st, err := store.OpenReadOnly(ctx, sn.main)
	if err != nil {
		return err
	}
	// The read lock is held from here: no writer can change the file.
	stamp := stampOf(sn.main)
	dest := filepath.Join(sn.dir, fmt.Sprintf("%020d.duckdb", time.Now().UnixNano()))
	err = st.Snapshot(ctx, dest)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		removeDB(dest)
		return err
	}
	sn.mu.Lock()
	if sn.closed {
		sn.mu.Unlock()
		removeDB(dest)
		return errors.New("server closed")
	}
	old := sn.cur
	sn.cur = &generation{path: dest}
	sn.stamp = stamp
	drop := false
	if old != nil {
		old.retired = true
		drop = old.refs == 0
	}
	sn.mu.Unlock()
	if drop {
		removeDB(old.path)
	}
	sn.log.Info("serving a new snapshot of the store", "snapshot", dest)
	return nil
}

// refreshNow makes the first copy synchronously, at start.
func (sn *snapshots) refreshNow(ctx context.Context) error {
	sn.mu.Lock()
	sn.refreshing = true
	sn.lastCheck = time.Now()
	sn.mu.Unlock()
	return sn.refresh(ctx)
}

// close waits for a running refresh and deletes the folder of copies.
func (sn *snapshots) close() error {
	sn.mu.Lock()
	sn.closed = true
	sn.mu.Unlock()
	sn.wg.Wait()
	return os.RemoveAll(sn.dir)
}

func removeDB(path string) {
	os.Remove(path)
	os.Remove(path + ".wal")
}
