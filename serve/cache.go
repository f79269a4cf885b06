package serve

import (
	"bytes"
	"container/list"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// resultCacheBytes bounds each replica's cache of rollup answers. A
// dashboard asks the same few rollups again and again between ingests;
// each answer is computed once per replica (a new replica starts empty,
// so an answer is never older than the data).
const resultCacheBytes = 64 << 20

// maxCachedAnswer: larger answers (a whole nation's bodies) are not kept.
const maxCachedAnswer = 8 << 20

// answer is a rollup's response body, ready to send: in memory, or, past
// maxCachedAnswer, in a temporary file (see spill) shared by the requests
// that asked for it at once and removed when the last has sent it.
type answer struct {
	body        []byte
	file        *os.File // nil: the body is in memory
	size        int64
	contentType string
	disposition string
	users       int // requests still to send a file answer; guarded by Server.flightMu
}

// open returns the answer's body to send and its length.
func (a *answer) open() (io.Reader, int64) {
	if a.file == nil {
		return bytes.NewReader(a.body), int64(len(a.body))
	}
	return io.NewSectionReader(a.file, 0, a.size), a.size
}

// release says one request is done with a; the last one removes its file.
func (s *Server) release(a *answer) {
	if a == nil || a.file == nil {
		return
	}
	s.flightMu.Lock()
	a.users--
	last := a.users == 0
	s.flightMu.Unlock()
	if last {
		a.file.Close()
		os.Remove(a.file.Name())
	}
}

// spill is where an answer is written while it is computed: memory up to
// max bytes, then a temporary file in dir. A whole nation's levels as JSON
// is 324 MB; held in a growing buffer it took serve past 2 GB of RSS.
type spill struct {
	dir  string
	max  int
	buf  bytes.Buffer
	file *os.File
	size int64
}

func (w *spill) Write(p []byte) (int, error) {
	if w.file == nil && w.buf.Len()+len(p) <= w.max {
		w.size += int64(len(p))
		return w.buf.Write(p)
	}
	if w.file == nil {
		f, err := os.CreateTemp(w.dir, "gongkai-answer-*")
		if err != nil {
			return 0, fmt.Errorf("a large answer needs a temporary file: %w", err)
		}
		w.file = f
		if spillHook != nil {
			spillHook()
		}
		if _, err := f.Write(w.buf.Bytes()); err != nil {
			return 0, err
		}
		w.buf = bytes.Buffer{}
	}
	n, err := w.file.Write(p)
	w.size += int64(n)
	return n, err
}

// spillHook, when a test sets it, runs when an answer goes to a file.
var spillHook func()

// answer returns what was written as an answer; discard drops it instead.
func (w *spill) answer(contentType, disposition string) *answer {
	a := &answer{body: w.buf.Bytes(), file: w.file, size: w.size, contentType: contentType, disposition: disposition}
	w.file = nil
	return a
}

// discard removes the temporary file of an answer not handed out.
func (w *spill) discard() {
	if w.file != nil {
		w.file.Close()
		os.Remove(w.file.Name())
		w.file = nil
	}
}

// resultCache is a byte-bounded LRU of answers.
type resultCache struct {
	mu    sync.Mutex
	max   int
	size  int
	order *list.List // front = most recent; values *cacheEntry
	byKey map[string]*list.Element
}

type cacheEntry struct {
	key string
	ans *answer
}

func newResultCache(max int) *resultCache {
	return &resultCache{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *resultCache) get(key string) (*answer, bool) {
	if c == nil {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(e)
	return e.Value.(*cacheEntry).ans, true
}

func (c *resultCache) put(key string, a *answer) {
	if c == nil || a.file != nil || len(a.body) > maxCachedAnswer {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return
	}
	c.byKey[key] = c.order.PushFront(&cacheEntry{key, a})
	c.size += len(a.body)
	for c.size > c.max && c.order.Len() > 0 {
		e := c.order.Back()
		ce := e.Value.(*cacheEntry)
		c.order.Remove(e)
		delete(c.byKey, ce.key)
		c.size -= len(ce.ans.body)
	}
}

// flight is one answer being computed; requests for the same key wait
// for it instead of running the same query again. It is computed for as
// long as one of them still wants it: the request that started it giving
// up does not fail the others.
type flight struct {
	key     string
	done    chan struct{}
	ans     *answer
	err     error
	waiters int                // requests waiting for it besides the first; guarded by Server.flightMu
	wanted  int                // requests still wanting it (the first included); guarded by Server.flightMu
	landed  bool               // ans and err are set; guarded by Server.flightMu
	cancel  context.CancelFunc // stops the computation once nobody wants it
}

// errOverloaded: every rollup slot stayed busy for QueueWait.
var errOverloaded = errors.New("too many rollups running")

// leave says one request no longer wants f; the last one stops it.
func (s *Server) leave(f *flight) {
	s.flightMu.Lock()
	defer s.flightMu.Unlock()
	if f.landed {
		return
	}
	if f.wanted--; f.wanted == 0 {
		// Stopped: a request that comes now starts the answer anew.
		f.cancel()
		if s.flights[f.key] == f {
			delete(s.flights, f.key)
		}
	}
}

// rollupAnswer returns the answer for key: cached, shared with a request
// computing it now, or computed by compute once a rollup slot is free.
// Waiting longer than QueueWait for a slot fails with errOverloaded
// (answered 503 with Retry-After). The caller releases the answer once it
// has sent it (Server.release).
func (s *Server) rollupAnswer(ctx context.Context, cache *resultCache, key string, compute func(context.Context) (*answer, error)) (*answer, error) {
	if a, ok := cache.get(key); ok {
		return a, nil
	}
	s.flightMu.Lock()
	if f, ok := s.flights[key]; ok {
		f.waiters++
		f.wanted++
		s.flightMu.Unlock()
		select {
		case <-f.done:
			return f.ans, f.err
		case <-ctx.Done():
			// Gone before the answer: neither the computation nor the
			// answer's file waits for this request any more; gone as it
			// landed: this request's share of the file is given back.
			s.flightMu.Lock()
			landed := f.landed
			if !landed {
				f.waiters--
			}
			s.flightMu.Unlock()
			if landed {
				if f.err == nil {
					s.release(f.ans)
				}
			} else {
				s.leave(f)
			}
			return nil, ctx.Err()
		}
	}
	fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	f := &flight{key: key, done: make(chan struct{}), wanted: 1, cancel: cancel}
	s.flights[key] = f
	s.flightMu.Unlock()
	stop := context.AfterFunc(ctx, func() { s.leave(f) })
	defer stop()
	defer func() {
		s.flightMu.Lock()
		if s.flights[key] == f {
			delete(s.flights, key)
		}
		f.landed = true
		if f.err == nil {
			f.ans.users = 1 + f.waiters // none joins once it is out of flights
		}
		s.flightMu.Unlock()
		close(f.done)
	}()

	wait := time.NewTimer(s.cfg.QueueWait)
	defer wait.Stop()
	select {
	case s.rollupSlots <- struct{}{}:
	case <-wait.C:
		f.err = fmt.Errorf("%w: %d at once, none finished within %s", errOverloaded, cap(s.rollupSlots), s.cfg.QueueWait)
		return nil, f.err
	case <-fctx.Done():
		f.err = context.Canceled // nobody wants it any more
		return nil, f.err
	}
	f.ans, f.err = compute(fctx)
	<-s.rollupSlots
	if f.err != nil && fctx.Err() != nil {
		f.err = context.Canceled // nobody wants it any more
	}
	if f.err == nil {
		cache.put(key, f.ans)
	}
	return f.ans, f.err
}
