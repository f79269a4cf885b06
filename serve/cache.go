package serve

import (
	"container/list"
	"context"
	"errors"
	"fmt"
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

// answer is a rollup's response body, ready to send.
type answer struct {
	body        []byte
	contentType string
	disposition string
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
	if c == nil || len(a.body) > maxCachedAnswer {
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
// for it instead of running the same query again.
type flight struct {
	done chan struct{}
	ans  *answer
	err  error
}

// errOverloaded: every rollup slot stayed busy for QueueWait.
var errOverloaded = errors.New("too many rollups running")

// rollupAnswer returns the answer for key: cached, shared with a request
// computing it now, or computed by compute once a rollup slot is free.
// Waiting longer than QueueWait for a slot fails with errOverloaded
// (answered 503 with Retry-After).
func (s *Server) rollupAnswer(ctx context.Context, cache *resultCache, key string, compute func(context.Context) (*answer, error)) (*answer, error) {
	if a, ok := cache.get(key); ok {
		return a, nil
	}
	s.flightMu.Lock()
	if f, ok := s.flights[key]; ok {
		s.flightMu.Unlock()
		select {
		case <-f.done:
			return f.ans, f.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f := &flight{done: make(chan struct{})}
	s.flights[key] = f
	s.flightMu.Unlock()
	defer func() {
		s.flightMu.Lock()
		delete(s.flights, key)
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
	case <-ctx.Done():
		f.err = ctx.Err()
		return nil, f.err
	}
	f.ans, f.err = compute(ctx)
	<-s.rollupSlots
	if f.err == nil {
		cache.put(key, f.ans)
	}
	return f.ans, f.err
}
