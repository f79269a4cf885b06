package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestAdmission(t *testing.T) {
	ctx := t.Context()
	a := newAdmission(4, 1, 30*time.Millisecond)
	if a.reserve != 1 {
		t.Fatalf("reserve %d, want 1", a.reserve)
	}
	// A client in good standing: its statement was answered.
	if r := a.enter(ctx, "healthy", time.Hour); r != admitted {
		t.Fatalf("healthy: %v", r)
	}
	a.leave("healthy", false, true)
	// One client runs one statement at a time; its second waits, then 429.
	if r := a.enter(ctx, "A", time.Hour); r != admitted {
		t.Fatalf("A: %v", r)
	}
	if r := a.enter(ctx, "A", time.Hour); r != clientBusy {
		t.Errorf("A's second: %v, want clientBusy", r)
	}
	// Its second is admitted once the first ends.
	done := make(chan admitResult)
	a.queueWait = time.Second
	go func() { done <- a.enter(ctx, "A", time.Hour) }()
	time.Sleep(20 * time.Millisecond)
	a.leave("A", false, false)
	if r := <-done; r != admitted {
		t.Errorf("A's second after the first: %v", r)
	}
	a.queueWait = 30 * time.Millisecond
	for _, c := range []string{"B", "C"} {
		if r := a.enter(ctx, c, time.Hour); r != admitted {
			t.Fatalf("%s: %v", c, r)
		}
	}
	// New clients do not get the reserved worker; the wait is bounded.
	if r := a.enter(ctx, "D", time.Hour); r != allBusy {
		t.Errorf("new client D on the reserved worker: %v, want allBusy", r)
	}
	if r := a.enter(ctx, "healthy", time.Hour); r != admitted {
		t.Errorf("a client in good standing on the reserved worker: %v", r)
	}
	if r := a.enter(ctx, "E", time.Hour); r != allBusy {
		t.Errorf("E with every worker busy: %v, want allBusy", r)
	}
	// A client that hits a limit loses its good standing.
	a.leave("healthy", true, false)
	if r := a.enter(ctx, "healthy", time.Hour); r != allBusy {
		t.Errorf("a penalized client on the reserved worker: %v, want allBusy", r)
	}
	// Bombers hit limits: penalized, they keep out of the reserved worker.
	for _, c := range []string{"A", "B", "C"} {
		a.leave(c, true, false)
	}
	if r := a.enter(ctx, "F", time.Hour); r != admitted {
		t.Errorf("a new client with free workers: %v", r)
	}
	if a.held != 1 || len(a.clients) != 1 {
		t.Errorf("held %d, clients %v", a.held, a.clients)
	}
	a.leave("F", false, true)
	if a.held != 0 || len(a.clients) != 0 {
		t.Errorf("after all left: held %d, clients %v", a.held, a.clients)
	}
}

func TestClientOf(t *testing.T) {
	for _, c := range []struct{ remote, hdr, want string }{
		{"127.0.0.1:5000", "", "127.0.0.1"},
		{"[2001:db8:1:2:3:4:5:6]:80", "", "2001:db8:1:2::/64"},
		{"10.0.0.1:1", "203.0.113.9, 10.0.0.1", "h:203.0.113.9"},
	} {
		r := httptest.NewRequest("POST", "/v1/query", nil)
		r.RemoteAddr = c.remote
		if c.hdr != "" {
			r.Header.Set("X-Real-IP", c.hdr)
		}
		if got := clientOf(r, "X-Real-IP"); got != c.want {
			t.Errorf("%s %q: %q, want %q", c.remote, c.hdr, got, c.want)
		}
	}
}

// clientFrom returns an HTTP client whose connections come from the
// loopback address ip (any of 127.0.0.0/8 on Linux).
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 64}}
}

// TestQueryFlood: clients flood POST /v1/query with CPU bombs (1 s limit)
// while a healthy client, from another address, keeps asking small
// queries. Bombs from one address hold one worker; bombs from fifty new
// addresses are kept out of the reserved worker.
// A healthy client that was querying before keeps a reserved worker: its
// queries are answered 200. Nobody gets a 500.
func TestQueryFlood(t *testing.T) {
	if testing.Short() {
		t.Skip("flood: not in -short")
	}
	path := filepath.Join(t.TempDir(), "store.duckdb")
	putReports(t, path, 0, 2)
	s, err := New(context.Background(), Config{DB: path, TempDir: t.TempDir(), MaxQueries: 4})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(func() {
		ts.Close()
		s.Close()
	})
	send := func(c *http.Client, sql string, ms int) (int, string) {
		b, _ := json.Marshal(map[string]any{"sql": sql, "timeout_ms": ms})
		req, _ := http.NewRequestWithContext(t.Context(), "POST", ts.URL+"/v1/query", bytes.NewReader(b))
		req.Header.Set("Content-Type", "application/json")
		resp, err := c.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	// The healthy client has been querying before the flood.
	healthy := clientFrom("127.0.0.2")
	if st, body := send(healthy, "SELECT 1", 5000); st != 200 {
		t.Fatalf("before the flood: %d %s", st, body)
	}
	for _, tc := range []struct {
		name  string
		addrs int // bombing addresses
	}{{"one address", 1}, {"fifty addresses", 50}} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			var wg sync.WaitGroup
			var statuses sync.Map
			for i := range 50 {
				c := clientFrom(fmt.Sprintf("127.0.1.%d", 1+i%tc.addrs))
				wg.Add(1)
				go func() {
					defer wg.Done()
					for ctx.Err() == nil {
						st, _ := send(c, "SELECT count(*) FROM range(1000000000000) t(x)", 1000)
						n, _ := statuses.LoadOrStore(st, new(atomic.Int64))
						n.(*atomic.Int64).Add(1)
						if st != 422 {
							time.Sleep(50 * time.Millisecond)
						}
					}
				}()
			}
			time.Sleep(1500 * time.Millisecond) // the flood is on
			answered, asked := 0, 0
			for end := time.Now().Add(6 * time.Second); time.Now().Before(end); {
				asked++
				st, body := send(healthy, "SELECT count(*) AS n FROM reports", 5000)
				if st == 200 {
					answered++
				} else {
					t.Logf("healthy query: %d %s", st, body)
				}
				time.Sleep(100 * time.Millisecond)
			}
			cancel()
			wg.Wait()
			counts := map[int]int64{}
			statuses.Range(func(k, v any) bool { counts[k.(int)] = v.(*atomic.Int64).Load(); return true })
			t.Logf("%s: healthy queries answered %d of %d; bomb answers by status %v", tc.name, answered, asked, counts)
			if counts[500] > 0 || counts[0] > 0 {
				t.Errorf("bombs got %d 500s and %d connection errors", counts[500], counts[0])
			}
			if answered != asked {
				t.Errorf("healthy queries answered %d of %d", answered, asked)
			}
		})
	}
}
