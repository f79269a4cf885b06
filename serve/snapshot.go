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

// snapshots serves requests from replicas of the store, so that `gongkai
// ingest` can hold the store's write lock while serve keeps answering
// from the last replica.
//
// serve keeps two replica files in its private folder and answers from
// one of them through one read-only handle that all requests share (one
// DuckDB instance, one buffer pool under the memory cap, however many
// requests). At most every `every`, a request checks the store file's
// size and modification time (and its .wal's); when they changed, a
// background refresh brings the other replica up to date with
// store.SyncReplica, opens it, and switches new requests to it. Requests
// in flight finish on the old one, whose handle is closed after the last
// of them; it becomes the next refresh's target.
//
// SyncReplica copies only the reports added or removed since the replica
// was last synced (reports are immutable under their id), so an ingest
// costs serve the changed reports, not a copy of the store: at a million
// reports a plain copy of the file takes seconds and as much disk again
// per ingest (BENCHMARKS.md has both). The first replica, and the second
// the first time it is needed, are whole copies.
//
// A replica is synced only while serve can attach the store read-only,
// that is while no writer holds it: it therefore holds whole ingest runs,
// never half of one. While a writer holds the store the refresh fails
// with ErrDatabaseBusy and serve keeps the old replica; the sync itself
// holds the read lock for as long as it takes, during which a starting
// ingest is told the store is busy (naming serve's PID).
//
// With no replica yet (the store was busy when serve started, or the
// folder is not writable), requests open the store itself, and get 503
// while a writer holds it.
type snapshots struct {
	main  string // the store file
	dir   string // serve's private folder of replicas
	every time.Duration
	log   *slog.Logger

	mu         sync.Mutex
	cur        *generation
	slot       int            // replica file cur answers from (0 or 1)
	open       [2]*generation // the generation on each replica file, until its handle is closed
	stamp      fileStamp      // of main when cur was synced
	lastCheck  time.Time
	refreshing bool
	wg         sync.WaitGroup
	closed     bool
	last       store.SyncStats // of the latest refresh, for logs and tests
}

// generation is one synced replica, open read-only for requests.
type generation struct {
	slot    int
	path    string
	st      *store.Store
	etag    string
	cache   *resultCache
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

func (sn *snapshots) replicaPath(slot int) string {
	return filepath.Join(sn.dir, fmt.Sprintf("replica-%d.duckdb", slot))
}

// acquire returns the generation a request should read (nil: none yet,
// read the store itself) and a release func. It also starts a refresh
// when the store changed.
func (sn *snapshots) acquire() (*generation, func()) {
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
					sn.log.Info("replica not refreshed; serving the previous one", "err", err)
				}
			}()
		}
	}
	g := sn.cur
	if g == nil {
		return nil, func() {}
	}
	g.refs++
	return g, func() {
		sn.mu.Lock()
		g.refs--
		drop := g.retired && g.refs == 0
		sn.mu.Unlock()
		if drop {
			sn.closeGen(g)
		}
	}
}

// closeGen closes a retired generation's handle, freeing its file for the
// next refresh.
func (sn *snapshots) closeGen(g *generation) {
	if err := g.st.Close(); err != nil {
		sn.log.Warn("closing a replica", "err", err)
	}
	sn.mu.Lock()
	if sn.open[g.slot] == g {
		sn.open[g.slot] = nil
	}
	sn.mu.Unlock()
}

// errTargetBusy: requests still read the replica the refresh would sync.
var errTargetBusy = errors.New("requests still read the previous replica; retrying shortly")

// refresh syncs the replica not in use and switches to it.
func (sn *snapshots) refresh(ctx context.Context) error {
	defer func() {
		sn.mu.Lock()
		sn.refreshing = false
		sn.mu.Unlock()
	}()
	sn.mu.Lock()
	slot := 0
	if sn.cur != nil {
		slot = 1 - sn.cur.slot
	}
	if sn.open[slot] != nil {
		// Let the next request retry soon rather than after `every`.
		sn.lastCheck = time.Time{}
		sn.mu.Unlock()
		return errTargetBusy
	}
	sn.mu.Unlock()

	stamp := stampOf(sn.main)
	path := sn.replicaPath(slot)
	stats, err := store.SyncReplica(ctx, sn.main, path)
	if err != nil {
		return err
	}
	st, err := store.OpenReadOnly(ctx, path)
	if err != nil {
		return err
	}
	etag, err := storeETag(ctx, st)
	if err != nil {
		st.Close()
		return err
	}
	g := &generation{slot: slot, path: path, st: st, etag: etag, cache: newResultCache(resultCacheBytes)}
	sn.mu.Lock()
	if sn.closed {
		sn.mu.Unlock()
		st.Close()
		return errors.New("server closed")
	}
	old := sn.cur
	sn.cur, sn.open[slot], sn.stamp, sn.last = g, g, stamp, stats
	drop := false
	if old != nil {
		old.retired = true
		drop = old.refs == 0
	}
	sn.mu.Unlock()
	if drop {
		sn.closeGen(old)
	}
	sn.log.Info("serving a new replica of the store", "replica", path, "whole_copy", stats.Full,
		"reports_added", stats.Added, "reports_removed", stats.Removed, "took", stats.Took)
	return nil
}

// refreshNow makes the first replica synchronously, at start.
func (sn *snapshots) refreshNow(ctx context.Context) error {
	sn.mu.Lock()
	sn.refreshing = true
	sn.lastCheck = time.Now()
	sn.mu.Unlock()
	return sn.refresh(ctx)
}

// close waits for a running refresh, closes the replicas and deletes the
// folder.
func (sn *snapshots) close() error {
	sn.mu.Lock()
	sn.closed = true
	sn.mu.Unlock()
	sn.wg.Wait()
	sn.mu.Lock()
	gens := sn.open
	sn.open = [2]*generation{}
	sn.cur = nil
	sn.mu.Unlock()
	for _, g := range gens {
		if g != nil {
			g.st.Close()
		}
	}
	return os.RemoveAll(sn.dir)
}
