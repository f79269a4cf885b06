package serve

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// admission decides which ad-hoc statements get a sandbox worker, so that
// no client — one abusive address with fifty connections, or fifty
// addresses — can hold every worker while others wait:
//
//   - A client (its remote address, an IPv6 address by its /64; or the
//     value of Config.ClientHeader, set by a trusted proxy) runs at most
//     perClient statements at once. Its further requests wait, at most
//     maxWaiting of them and for at most queueWait, then get 429 with
//     Retry-After.
//   - A request waits up to queueWait for a free worker, then gets 503
//     with Retry-After (never 500).
//   - reserve workers are kept for clients in good standing: a client
//     whose latest statement was answered within the limits (in the last
//     goodWindow), and that hit no time or memory limit in the last
//     penaltyWindow. A new client, or one whose statement ran into a limit,
//     uses only the other workers. So however many addresses send bombs,
//     a client that has been querying normally keeps the reserved workers.
//     A new client may wait (503) while a flood holds the others; a client
//     that alternates quick statements with bombs gets into the reserve at
//     most once per penaltyWindow.
type admission struct {
	workers, perClient, reserve int
	queueWait                   time.Duration

	mu      sync.Mutex
	held    int                     // workers in use
	clients map[string]*clientState // clients with statements running or waiting
	penalty map[string]time.Time    // client → end of its penalty
	good    map[string]time.Time    // client → end of its good standing
	changed chan struct{}           // closed and replaced when a worker is freed
}

type clientState struct{ running, waiting int }

const (
	// penaltyWindow is how long a client that hit a limit stays out of
	// the reserved workers.
	penaltyWindow = 60 * time.Second
	// goodWindow is how long an answered statement keeps a client in
	// good standing.
	goodWindow = 10 * time.Minute
	// maxWaiting bounds a client's requests waiting for its turn; more
	// get 429 at once.
	maxWaiting = 4
	// queryQueueWait is how long an ad-hoc statement waits for a worker.
	queryQueueWait = 2 * time.Second
)

func newAdmission(workers, perClient int, queueWait time.Duration) *admission {
	if perClient <= 0 {
		perClient = 1
	}
	reserve := 0
	if workers >= 2 {
		reserve = max(1, workers/4)
	}
	return &admission{workers: workers, perClient: perClient, reserve: reserve, queueWait: queueWait,
		clients: map[string]*clientState{}, penalty: map[string]time.Time{}, good: map[string]time.Time{}, changed: make(chan struct{})}
}

// admitResult says whether a request got a worker, or why not.
type admitResult int

const (
	admitted   admitResult = iota
	clientBusy             // the client already runs its share: 429
	allBusy                // no worker came free in time: 503
	canceled               // the request went away
)

// enter waits for a worker for client, at most wait (at most queueWait).
// When it returns admitted, the caller must call leave once.
func (a *admission) enter(ctx context.Context, client string, wait time.Duration) admitResult {
	a.mu.Lock()
	cs := a.clients[client]
	if cs == nil {
		cs = &clientState{}
		a.clients[client] = cs
	}
	if cs.running >= a.perClient && cs.waiting >= maxWaiting {
		a.mu.Unlock()
		return clientBusy
	}
	cs.waiting++
	deadline := time.NewTimer(min(wait, a.queueWait))
	defer deadline.Stop()
	for {
		limit := a.workers
		if now := time.Now(); !a.good[client].After(now) || a.penalty[client].After(now) {
			limit -= a.reserve
		}
		if cs.running < a.perClient && a.held < limit {
			a.held++
			cs.running++
			cs.waiting--
			a.mu.Unlock()
			return admitted
		}
		ch := a.changed
		a.mu.Unlock()
		res := admitted
		select {
		case <-ch:
		case <-deadline.C:
			res = allBusy
		case <-ctx.Done():
			res = canceled
		}
		a.mu.Lock()
		if res != admitted {
			if res == allBusy && cs.running >= a.perClient {
				res = clientBusy
			}
			cs.waiting--
			a.forget(client, cs)
			a.mu.Unlock()
			return res
		}
	}
}

// leave frees the worker a statement of client held. hitLimit says the
// statement ran into the time or memory limit, answered that it was
// answered.
func (a *admission) leave(client string, hitLimit, answered bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.held--
	if cs := a.clients[client]; cs != nil {
		cs.running--
		a.forget(client, cs)
	}
	now := time.Now()
	switch {
	case hitLimit:
		delete(a.good, client)
		a.penalty[client] = now.Add(penaltyWindow)
		prune(a.penalty, now)
	case answered:
		a.good[client] = now.Add(goodWindow)
		prune(a.good, now)
	}
	close(a.changed)
	a.changed = make(chan struct{})
}

// prune drops expired entries once a map has grown large.
func prune(m map[string]time.Time, now time.Time) {
	if len(m) <= 4096 {
		return
	}
	for k, until := range m {
		if until.Before(now) {
			delete(m, k)
		}
	}
}

func (a *admission) forget(client string, cs *clientState) {
	if cs.running == 0 && cs.waiting == 0 {
		delete(a.clients, client)
	}
}

// clientOf names the client of a request for admission: the value of the
// configured header (first element of a list) when the request has it,
// else the remote address, an IPv6 address by its /64 (one host usually
// holds a whole /64).
func clientOf(r *http.Request, header string) string {
	if header != "" {
		if v := r.Header.Get(header); v != "" {
			v, _, _ = strings.Cut(v, ",")
			return "h:" + strings.TrimSpace(v)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		return ip.Mask(net.CIDRMask(64, 128)).String() + "/64"
	}
	return ip.String()
}
