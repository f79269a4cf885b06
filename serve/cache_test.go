package serve

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/rollup"
	"gongkai/store"
)

// TestLargeAnswerInFile: an answer past the server's spill size is made in
// a temporary file, not in memory, and sent whole to every request that
// asked for it at once, also while others give up waiting; once all are
// done no file is left.
func TestLargeAnswerInFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.duckdb")
	putReports(t, path, 0, 6)
	tmp := t.TempDir()
	s, err := New(t.Context(), Config{DB: path, TempDir: tmp, RefreshEvery: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s.spillAt = 512
	var spilled atomic.Int64
	spillHook = func() { spilled.Add(1) }
	defer func() { spillHook = nil }()
	ts := httptest.NewServer(s.Handler())
	defer func() {
		ts.Close()
		if err := s.Close(); err != nil {
			t.Error(err)
		}
	}()

	st, err := store.OpenReadOnly(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := rollup.Bind("district_year", rollup.Params{})
	if err != nil {
		t.Fatal(err)
	}
	want := marshalledRollup(t, b, st)
	res, err := b.Run(t.Context(), st)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) <= s.spillAt {
		t.Fatalf("the answer is %d bytes: it would not spill", len(want))
	}

	for round, format := range []string{"json", "csv"} {
		var wg sync.WaitGroup
		bodies := make([][]byte, 8)
		for i := range bodies {
			wg.Go(func() {
				ctx := t.Context()
				if i%3 == 2 { // gives up at once, or soon
					var cancel context.CancelFunc
					ctx, cancel = context.WithTimeout(ctx, time.Duration(i)*time.Millisecond)
					defer cancel()
				}
				req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/v1/rollups/district_year?format="+format, nil)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					return // gave up
				}
				defer resp.Body.Close()
				var buf bytes.Buffer
				if _, err := buf.ReadFrom(resp.Body); err != nil || resp.StatusCode != 200 {
					if i%3 != 2 {
						t.Errorf("%s, request %d: %d, %v", format, i, resp.StatusCode, err)
					}
					return
				}
				bodies[i] = buf.Bytes()
			})
		}
		wg.Wait()
		for i, body := range bodies {
			switch {
			case body == nil && i%3 != 2:
				t.Errorf("%s, request %d: no answer", format, i)
			case body == nil:
			case format == "json" && !bytes.Equal(body, want):
				t.Errorf("json, request %d: %d bytes, want %d\n%.300s", i, len(body), len(want), body)
			case format == "csv" && (!bytes.Equal(body, bodies[0]) || !strings.HasPrefix(string(body), strings.Join(res.Columns, ",")+"\n") || len(body) <= s.spillAt):
				t.Errorf("csv, request %d: %d bytes: %.100q", i, len(body), body)
			}
		}
		if spilled.Load() < int64(round+1) {
			t.Errorf("%s: %d answers made in a file, want at least %d", format, spilled.Load(), round+1)
		}
	}
	// The answers are sent; their files go as the last request ends.
	waitFor(t, "the answers' files to go", func() bool {
		left, _ := filepath.Glob(filepath.Join(tmp, "gongkai-answer-*"))
		return len(left) == 0
	})
	if ents, err := os.ReadDir(tmp); err != nil || len(ents) != 0 {
		t.Errorf("left in the temporary folder: %v, %v", ents, err)
	}
}
