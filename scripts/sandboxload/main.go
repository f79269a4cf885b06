// Command sandboxload is the load run behind scripts/sandbox-load: many
// clients send SQL bombs to a running `gongkai serve` while a few healthy
// clients use the API, and the serve process's memory (and its sandbox
// workers') is sampled. It prints one line of figures per measure.
//
// It is a measurement, not a test: run it through scripts/sandbox-load.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// bombs are statements DuckDB cannot stop in time or that outgrow its
// memory limit; each is answered 413 or 422 (or 503 when all sandbox
// workers are busy).
var bombs = []string{
	"SELECT levenshtein(repeat('a', 200000), repeat('b', 200000))",
	"SELECT sum(levenshtein(repeat('a', 30000) || x, repeat('b', 30000))) FROM range(8) t(x)",
	"SELECT length(repeat('x', 2000000000))",
	"SELECT repeat('x', 100000000) FROM range(40)",
	"SELECT len(list(x)) FROM range(1000000000) t(x)",
	"SELECT length(string_agg(repeat('x', 1000), '')) FROM range(10000000)",
	"SELECT len([x for x in range(500000000)])",
	"SELECT count(*) FROM range(100000000) a, range(100000000) b",
	"WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r",
	"SELECT length(printf('%0200000000d', 1))",
	"SELECT regexp_matches(repeat('a', 100000000), '(a|aa)*c')",
	"SELECT repeat('z', 5000000) AS big FROM range(10000)",
}

type sample struct {
	status int
	took   time.Duration
	err    error
}

func main() {
	url := flag.String("url", "http://127.0.0.1:8080", "serve's address")
	pid := flag.Int("pid", 0, "serve's process id (for its memory)")
	clients := flag.Int("clients", 50, "hostile clients")
	healthy := flag.Int("healthy", 2, "healthy clients")
	dur := flag.Duration("duration", 60*time.Second, "how long to run")
	limit := flag.Duration("limit", 5*time.Second, "serve's --timeout, to compare answer times with")
	addrs := flag.Int("addrs", 1, "loopback addresses the hostile clients come from (127.0.1.1, …); healthy clients come from 127.0.0.2, 127.0.0.3, …")
	flag.Parse()
	if *pid == 0 {
		fmt.Fprintln(os.Stderr, "sandboxload: -pid is required")
		os.Exit(2)
	}
	// from returns a client whose connections come from the loopback
	// address ip, so that serve sees distinct clients.
	from := func(ip string) *http.Client {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
		return &http.Client{Timeout: time.Minute, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 100}}
	}
	stop := time.Now().Add(*dur)
	var mu sync.Mutex
	res := map[string][]sample{}
	record := func(kind string, s sample) {
		mu.Lock()
		res[kind] = append(res[kind], s)
		mu.Unlock()
	}
	post := func(client *http.Client, sql string) sample {
		b, _ := json.Marshal(map[string]string{"sql": sql})
		start := time.Now()
		resp, err := client.Post(*url+"/v1/query", "application/json", bytes.NewReader(b))
		if err != nil {
			return sample{err: err, took: time.Since(start)}
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return sample{status: resp.StatusCode, took: time.Since(start)}
	}
	get := func(client *http.Client, path string) sample {
		start := time.Now()
		resp, err := client.Get(*url + path)
		if err != nil {
			return sample{err: err, took: time.Since(start)}
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return sample{status: resp.StatusCode, took: time.Since(start)}
	}

	var wg sync.WaitGroup
	for i := range *clients {
		wg.Add(1)
		client := from(fmt.Sprintf("127.0.1.%d", 1+i%max(1, min(*addrs, 250))))
		go func() {
			defer wg.Done()
			// The healthy clients were there first (serve keeps a worker
			// for clients whose queries were answered).
			time.Sleep(time.Second)
			for n := i; time.Now().Before(stop); n++ {
				s := post(client, bombs[n%len(bombs)])
				record("bomb", s)
				if s.status == http.StatusServiceUnavailable || s.status == http.StatusTooManyRequests {
					time.Sleep(50 * time.Millisecond) // as a client honouring Retry-After would, a little
				}
			}
		}()
	}
	for h := range *healthy {
		wg.Add(1)
		client := from(fmt.Sprintf("127.0.0.%d", 2+h%250))
		go func() {
			defer wg.Done()
			for time.Now().Before(stop) {
				record("healthz", get(client, "/healthz"))
				record("rollups", get(client, "/v1/rollups"))
				record("reports", get(client, "/v1/reports?limit=5"))
				record("healthy query", post(client, "SELECT report_year, count(*) AS n FROM reports GROUP BY ALL ORDER BY 1"))
				time.Sleep(100 * time.Millisecond)
			}
		}()
	}
	// Memory: serve's resident set, and serve's with its workers'.
	var maxServe, maxTotal int64
	var workersSeen int
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(100 * time.Millisecond):
			}
			s := rssKB(*pid)
			kids := children(*pid)
			total := s
			for _, k := range kids {
				total += rssKB(k)
			}
			mu.Lock()
			maxServe = max(maxServe, s)
			maxTotal = max(maxTotal, total)
			workersSeen = max(workersSeen, len(kids))
			mu.Unlock()
		}
	}()
	wg.Wait()
	close(done)

	fmt.Printf("clients: %d hostile from %d addresses, %d healthy, %v, serve limit %v\n", *clients, max(1, min(*addrs, 250)), *healthy, *dur, *limit)
	fmt.Printf("serve RSS max: %d MiB; serve + sandbox workers max: %d MiB (%d workers at most)\n", maxServe>>10, maxTotal>>10, workersSeen)
	kinds := make([]string, 0, len(res))
	for k := range res {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	for _, k := range kinds {
		ss := res[k]
		counts := map[string]int{}
		var ran []time.Duration
		for _, s := range ss {
			key := strconv.Itoa(s.status)
			if s.err != nil {
				key = "error"
			}
			counts[key]++
			if s.status != http.StatusServiceUnavailable && s.status != http.StatusTooManyRequests && s.err == nil {
				ran = append(ran, s.took)
			}
		}
		slices.Sort(ran)
		line := fmt.Sprintf("%-14s %6d requests, statuses %v", k, len(ss), counts)
		if len(ran) > 0 {
			line += fmt.Sprintf("; answered (not 503/429): p50 %v, p99 %v, max %v", ran[len(ran)/2].Round(time.Millisecond),
				ran[len(ran)*99/100].Round(time.Millisecond), ran[len(ran)-1].Round(time.Millisecond))
		}
		if k == "bomb" && len(ran) > 0 {
			over := 0
			for _, d := range ran {
				if d > *limit+500*time.Millisecond {
					over++
				}
			}
			line += fmt.Sprintf("; over limit+0.5s: %d", over)
		}
		fmt.Println(line)
	}
}

// rssKB is a process's resident set in KiB (0 when gone).
func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmRSS:") {
			n, _ := strconv.ParseInt(strings.Fields(l)[1], 10, 64)
			return n
		}
	}
	return 0
}

// children lists the processes whose parent is pid.
func children(pid int) []int {
	var kids []int
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, st := range stats {
		b, err := os.ReadFile(st)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			k, _ := strconv.Atoi(filepath.Base(filepath.Dir(st)))
			kids = append(kids, k)
		}
	}
	return kids
}
