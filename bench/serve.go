package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"time"

	"gongkai/serve"
)

// ServeStats are the figures of the serve run.
type ServeStats struct {
	Start         time.Duration // serve.New until ready (its first replica)
	SingleLatency time.Duration // one request alone, the floor of the concurrent ones
	Phases        []Phase
	Visible       time.Duration
	VisibleNote   string
}

// Phase is one round of concurrent requests.
type Phase struct {
	Name          string
	Requests      int
	P50, P95, Max time.Duration
	Status        map[int]int // responses per HTTP status
	Errors        int         // transport errors
	CPUPerRequest time.Duration
	Wall          time.Duration
}

// measureServe starts serve on the store at path on a loopback port, asks
// clients×perClient county rollups (district_year of one county, latest
// year, counties taken in turn) concurrently, then, when exe is set, runs
// `exe put` in a child process to store a new year of one county and
// measures how long after the child ended serve answers with it.
func measureServe(ctx context.Context, path string, counties []County, year, clients, perClient int, exe string, log io.Writer) (ServeStats, error) {
	var ss ServeStats
	t := time.Now()
	srv, err := serve.New(context.Background(), serve.Config{DB: path, RefreshEvery: time.Second})
	if err != nil {
		return ss, err
	}
	defer srv.Close()
	ss.Start = time.Since(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return ss, err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 5 * time.Second}
	go hs.Serve(ln)
	defer hs.Close()
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 60 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}

	get := func(u string) (int, []byte, error) {
		resp, err := client.Get(u)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	countyURL := func(code string, y int) string {
		return base + "/v1/rollups/district_year?" + url.Values{"division": {code}, "year": {strconv.Itoa(y)}}.Encode()
	}
	// Warm up, and the single-request floor.
	for range 3 {
		t := time.Now()
		if st, b, err := get(countyURL(counties[0].Code, year)); err != nil || st != 200 {
			return ss, fmt.Errorf("warm-up request: %d %s %v", st, b, err)
		}
		ss.SingleLatency = time.Since(t)
	}

	phase := func(name string, pick func(c, i int) string) Phase {
		ph := Phase{Name: name, Status: map[int]int{}}
		var mu sync.Mutex
		var lat []time.Duration
		var wg sync.WaitGroup
		c0, w0 := cpuTime(), time.Now()
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range perClient {
					t := time.Now()
					st, _, err := get(countyURL(pick(c, i), year))
					d := time.Since(t)
					mu.Lock()
					if err != nil {
						ph.Errors++
					} else {
						ph.Status[st]++
						if st == 200 {
							lat = append(lat, d)
						}
					}
					ph.Requests++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		ph.Wall = time.Since(w0)
		if ph.Requests > 0 {
			ph.CPUPerRequest = (cpuTime() - c0) / time.Duration(ph.Requests)
		}
		sortDurations(lat)
		ph.P50, ph.P95 = pctl(lat, 50), pctl(lat, 95)
		if len(lat) > 0 {
			ph.Max = lat[len(lat)-1]
		}
		fmt.Fprintf(log, "  serve, %s: %d requests from %d clients in %.1f s: p50 %.1f ms, p95 %.1f ms, max %.1f ms, cpu %.1f ms a request, statuses %v, transport errors %d\n",
			name, ph.Requests, clients, ph.Wall.Seconds(), ms(ph.P50), ms(ph.P95), ms(ph.Max), ms(ph.CPUPerRequest), ph.Status, ph.Errors)
		return ph
	}
	one := counties[len(counties)/2].Code
	ss.Phases = append(ss.Phases,
		phase("one county for every client ("+one+")", func(c, i int) string { return one }),
		phase("a different county for each request", func(c, i int) string { return counties[(c*perClient+i)%len(counties)].Code }))

	if exe == "" {
		ss.VisibleNote = "not measured (no child binary)"
		return ss, nil
	}
	// Ingest visibility: a child process stores a new year of one county.
	newYear := year + 1
	code := counties[0].Code
	cmd := exec.CommandContext(ctx, exe, "put", "--db", path, "--county", code, "--year", strconv.Itoa(newYear))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Run(); err != nil {
		return ss, fmt.Errorf("child ingest: %w", err)
	}
	end := time.Now()
	deadline := end.Add(60 * time.Second)
	for time.Now().Before(deadline) {
		st, b, err := get(countyURL(code, newYear))
		if err == nil && st == 200 {
			var body struct {
				Result struct {
					Rows [][]any `json:"rows"`
				} `json:"result"`
			}
			if json.Unmarshal(b, &body) == nil && len(body.Result.Rows) > 0 {
				ss.Visible = time.Since(end)
				fmt.Fprintf(log, "  serve: the child's ingest was visible %.2f s after it ended\n", ss.Visible.Seconds())
				return ss, nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	ss.VisibleNote = "not visible within 60 s"
	return ss, nil
}

// PutChild is the child process of the visibility measure: it stores the
// county's reports for year into the store at path, waiting up to a
// minute while serve holds the store for a refresh.
func PutChild(ctx context.Context, path, code string, year int, log io.Writer) error {
	var c County
	for _, x := range Counties(1) {
		if x.Code == code {
			c = x
		}
	}
	if c.Code == "" {
		return fmt.Errorf("no county %s", code)
	}
	reports, err := Generate(c, year, year, 99)
	if err != nil {
		return err
	}
	st, err := openWait(ctx, path)
	if err != nil {
		return err
	}
	if _, err := st.Put(ctx, reports); err != nil {
		st.Close()
		return err
	}
	fmt.Fprintf(log, "  child: stored %d reports of %s for %d (pid %d)\n", len(reports), code, year, os.Getpid())
	return st.Close()
}
