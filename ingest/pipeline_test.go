package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai"
)

// memSink stores reports in memory with the store's rules (same hash:
// unchanged; same organization and year: replaced). It is the Sink
// contract, not a stand-in for SQL: the real store is tested in sql/ and
// end to end in cli/.
type memSink struct {
	mu      sync.Mutex
	byHash  map[string]string // hash → path
	byKey   map[string]gongkai.Parsed
	batches []int
	order   []string // paths in the order stored
	// failHash makes any batch holding that hash fail.
	failHash string
	// inFlight is decremented by the batch size on every Put.
	inFlight *atomic.Int64
	// finished counts UpdateCrossRules calls.
	finished int
}

func newMemSink() *memSink {
	return &memSink{byHash: map[string]string{}, byKey: map[string]gongkai.Parsed{}}
}

func (m *memSink) PutDetailed(ctx context.Context, batch []gongkai.Parsed) ([]gongkai.Outcome, []string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.inFlight != nil {
		m.inFlight.Add(-int64(len(batch)))
	}
	for _, p := range batch {
		if p.Hash == m.failHash {
			return nil, nil, fmt.Errorf("store %s: disk says no", p.Path)
		}
	}
	m.batches = append(m.batches, len(batch))
	out := make([]gongkai.Outcome, len(batch))
	prev := make([]string, len(batch))
	for i, p := range batch {
		if path, ok := m.byHash[p.Hash]; ok {
			out[i], prev[i] = gongkai.Unchanged, path
			continue
		}
		k := fmt.Sprint(p.Report.Organization, p.Report.ReportYear)
		out[i] = gongkai.Added
		if old, ok := m.byKey[k]; ok {
			out[i], prev[i] = gongkai.Replaced, old.Path
			delete(m.byHash, old.Hash)
		}
		m.byKey[k] = p
		m.byHash[p.Hash] = p.Path
		m.order = append(m.order, p.Path)
	}
	return out, prev, nil
}

// UpdateCrossRules counts the calls: Run must finish every run with one.
func (m *memSink) UpdateCrossRules(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.finished++
	return nil
}

// record returns a JSON record (FORMAT.md §5) of a report with distinct
// numbers, as 'gongkai parse' prints it.
func record(t testing.TB, org string, year int, seed int) []byte {
	t.Helper()
	r := gongkai.NewReport(gongkai.V2021)
	r.Organization = org
	r.ReportYear = year
	for i, c := range r.Cells() {
		if err := r.Set(c.Path(), gongkai.Int(int64((seed+i)%50))); err != nil {
			t.Fatal(err)
		}
	}
	b, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

type member struct {
	name   string
	data   []byte
	nonUTF bool
}

func zipOf(t testing.TB, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		h := &zip.FileHeader{Name: m.name, Method: zip.Deflate, NonUTF8: m.nonUTF}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(m.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func gbk(t testing.TB, s string) string {
	out, err := simplifiedchinese.GB18030.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRunFoldersAndZips(t *testing.T) {
	dir := t.TempDir()
	// 30 reports in nested folders.
	for i := range 30 {
		write(t, filepath.Join(dir, "in", fmt.Sprintf("t%d", i%3), fmt.Sprintf("r%02d.json", i)), record(t, fmt.Sprintf("机关%02d", i), 2023, i))
	}
	write(t, filepath.Join(dir, "in", "bad.json"), []byte(`{"organization": "半个`))
	write(t, filepath.Join(dir, "in", "notes.txt"), []byte("not a report"))
	write(t, filepath.Join(dir, "in", ".hidden.json"), record(t, "隐藏", 2023, 99))
	write(t, filepath.Join(dir, "in", ".git", "x.json"), record(t, "隐藏", 2022, 98))
	inner := zipOf(t, member{name: "深/z1.json", data: record(t, "嵌套", 2023, 1)})
	write(t, filepath.Join(dir, "a.zip"), zipOf(t,
		member{name: "2023/", data: nil},
		member{name: "2023/a1.json", data: record(t, "甲", 2023, 1)},
		member{name: gbk(t, "2023/泽库镇.json"), data: record(t, "乙", 2023, 2), nonUTF: true},
		member{name: "__MACOSX/2023/._a1.json", data: []byte("junk")},
		member{name: "inner.zip", data: inner},
		member{name: "broken.json", data: []byte("{oops")},
	))
	write(t, filepath.Join(dir, "explicit.txt"), []byte("plain text, no report"))

	sink := newMemSink()
	var events []FileEvent
	var last Progress
	calls := 0
	sum, err := Run(t.Context(), Options{
		Inputs:    []string{filepath.Join(dir, "in"), filepath.Join(dir, "a.zip"), filepath.Join(dir, "explicit.txt"), filepath.Join(dir, "missing.json")},
		Workers:   3,
		BatchSize: 7,
		Parse:     parseRecord,
		OnFile:    func(e FileEvent) { events = append(events, e) },
		Progress:  func(p Progress) { last = p; calls++ },
	}, sink)
	if err != nil {
		t.Fatal(err)
	}
	// 30 + 3 from the archive; failed: bad.json, broken.json, explicit.txt,
	// missing.json; skipped: notes.txt.
	want := Summary{Parsed: 33, Added: 33, Failed: 4, Skipped: 1}
	got := sum
	got.Failures, got.Skips = nil, nil
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("summary = %+v, want %+v", got, want)
	}
	var failed []string
	for _, f := range sum.Failures {
		failed = append(failed, strings.TrimPrefix(filepath.ToSlash(f.Name), filepath.ToSlash(dir)+"/"))
	}
	if w := []string{"in/bad.json", "a.zip!/broken.json", "explicit.txt", "missing.json"}; !slices.Equal(failed, w) {
		t.Errorf("failures = %q, want %q", failed, w)
	}
	for _, f := range sum.Failures {
		if f.Err == nil || f.Err.Error() == "" {
			t.Errorf("failure %s has no reason", f.Name)
		}
	}
	if len(sum.Skips) != 1 || !strings.HasSuffix(sum.Skips[0].Name, "notes.txt") {
		t.Errorf("skips = %v", sum.Skips)
	}
	stored := strings.Join(sink.order, "\n")
	for _, w := range []string{"a.zip!/2023/泽库镇.json", "a.zip!/inner.zip!/深/z1.json", "a.zip!/2023/a1.json"} {
		if !strings.Contains(stored, w) {
			t.Errorf("not stored: %s", w)
		}
	}
	if strings.Contains(stored, "隐藏") || strings.Contains(stored, "MACOSX") || strings.Contains(stored, ".git") {
		t.Errorf("hidden files were read:\n%s", stored)
	}
	// Input order is kept, whatever order the workers finish in.
	if !slices.IsSortedFunc(sink.order[:30], strings.Compare) {
		t.Errorf("stored out of input order: %q", sink.order[:30])
	}
	for _, n := range sink.batches {
		if n > 7 {
			t.Errorf("batch of %d reports, BatchSize is 7", n)
		}
	}
	if len(events) != 33+4+1 {
		t.Errorf("%d file events, want 38", len(events))
	}
	if !last.Final || last.Total != 38 || last.Done != 38 || calls < 2 {
		t.Errorf("last progress = %+v after %d calls", last, calls)
	}
}

func TestRunUnchangedAndReplacedInOrder(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "1.json"), record(t, "甲", 2023, 1))
	write(t, filepath.Join(dir, "2.json"), record(t, "甲", 2023, 2)) // same body and year, other numbers
	write(t, filepath.Join(dir, "3.json"), record(t, "甲", 2023, 1)) // same bytes as 1
	sink := newMemSink()
	// Files are judged in input order against what is stored, as if put
	// one by one: 3.json has 1.json's bytes, but 1.json was replaced by then.
	for run, want := range [][]string{
		{"1.json added ", "2.json replaced 1.json", "3.json replaced 2.json"},
		{"1.json unchanged 3.json", "2.json replaced 3.json", "3.json replaced 2.json"},
	} {
		var events []string
		_, err := Run(t.Context(), Options{Inputs: []string{dir}, Workers: 3, BatchSize: 2,
			OnFile: func(e FileEvent) {
				prev := ""
				if e.Previous != "" {
					prev = filepath.Base(e.Previous)
				}
				events = append(events, fmt.Sprintf("%s %s %s", filepath.Base(e.Name), e.Status, prev))
			}}, sink)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(events, want) {
			t.Errorf("run %d: events = %q, want %q", run+1, events, want)
		}
	}
}

func TestRunFailingBatchIsolatesReport(t *testing.T) {
	dir := t.TempDir()
	var badHash string
	for i := range 10 {
		data := record(t, fmt.Sprintf("机关%d", i), 2023, i)
		write(t, filepath.Join(dir, fmt.Sprintf("%d.json", i)), data)
		if i == 4 {
			p, err := parseRecord(t.Context(), "x", data)
			if err != nil {
				t.Fatal(err)
			}
			badHash = p.Hash
		}
	}
	sink := newMemSink()
	sink.failHash = badHash
	sum, err := Run(t.Context(), Options{Inputs: []string{dir}, BatchSize: 5}, sink)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != 9 || sum.Failed != 1 || !strings.HasSuffix(sum.Failures[0].Name, "4.json") {
		t.Errorf("summary = %+v", sum)
	}
}

func TestRunLimitsAndPanics(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "big.json"), bytes.Repeat([]byte(" "), 2000))
	write(t, filepath.Join(dir, "boom.json"), []byte("{}"))
	write(t, filepath.Join(dir, "ok.json"), []byte("{}"))
	write(t, filepath.Join(dir, "z.zip"), zipOf(t, member{name: "big.json", data: bytes.Repeat([]byte(" "), 5000)}))
	parse := func(ctx context.Context, name string, data []byte) (gongkai.Parsed, error) {
		if strings.HasSuffix(name, "boom.json") {
			panic("reader bug")
		}
		return parseRecord(ctx, name, record(t, "甲", 2023, 1))
	}
	sum, err := Run(t.Context(), Options{Inputs: []string{dir}, MaxFileSize: 1000, Parse: parse}, newMemSink())
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, f := range sum.Failures {
		reasons[strings.TrimPrefix(filepath.ToSlash(f.Name), filepath.ToSlash(dir)+"/")] = f.Err.Error()
	}
	if !strings.Contains(reasons["big.json"], "too large") || !strings.Contains(reasons["z.zip!/big.json"], "too large") {
		t.Errorf("size limit not enforced: %q", reasons)
	}
	if !strings.Contains(reasons["boom.json"], "panicked") {
		t.Errorf("panic not turned into a failure: %q", reasons)
	}
	if sum.Added != 1 {
		t.Errorf("added %d, want 1 (ok.json)", sum.Added)
	}
}

// TestRunMemoryBounded checks that Run never holds more than a bounded
// number of parsed reports, however many documents there are: parsing
// outruns a slow writer, yet the in-flight count stays under the bound.
func TestRunMemoryBounded(t *testing.T) {
	dir := t.TempDir()
	const n = 400
	for i := range n {
		write(t, filepath.Join(dir, fmt.Sprintf("%03d.json", i)), []byte(fmt.Sprintf(`{"i":%d}`, i)))
	}
	data := record(t, "甲", 2023, 1)
	var inFlight, peak atomic.Int64
	parse := func(ctx context.Context, name string, _ []byte) (gongkai.Parsed, error) {
		v := inFlight.Add(1)
		for {
			p := peak.Load()
			if v <= p || peak.CompareAndSwap(p, v) {
				break
			}
		}
		p, err := parseRecord(ctx, name, data)
		p.Hash = name
		p.Report.Organization = name
		return p, err
	}
	sink := newMemSink()
	sink.inFlight = &inFlight
	slow := &slowSink{memSink: sink, delay: 5 * time.Millisecond}
	const workers, batch = 2, 10
	sum, err := Run(t.Context(), Options{Inputs: []string{dir}, Workers: workers, BatchSize: batch, Parse: parse}, slow)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Added != n {
		t.Fatalf("added %d, want %d", sum.Added, n)
	}
	// Tokens bound documents between reading and the batch; the batches
	// hold up to 3×BatchSize more: one filling, one handed to the storer
	// and waiting, one being stored.
	if bound := int64(4*workers + 8 + 3*batch); peak.Load() > bound {
		t.Errorf("peak of %d reports in flight, bound %d", peak.Load(), bound)
	}
	t.Logf("peak in flight: %d of %d documents", peak.Load(), n)
}

type slowSink struct {
	*memSink
	delay time.Duration
}

func (s *slowSink) PutDetailed(ctx context.Context, b []gongkai.Parsed) ([]gongkai.Outcome, []string, error) {
	time.Sleep(s.delay)
	return s.memSink.PutDetailed(ctx, b)
}

func TestRunCancelled(t *testing.T) {
	dir := t.TempDir()
	for i := range 50 {
		write(t, filepath.Join(dir, fmt.Sprintf("%03d.json", i)), record(t, fmt.Sprintf("机关%d", i), 2023, i))
	}
	ctx, cancel := context.WithCancel(t.Context())
	parse := func(c context.Context, name string, data []byte) (gongkai.Parsed, error) {
		if strings.HasSuffix(name, "010.json") {
			cancel()
		}
		return parseRecord(c, name, data)
	}
	done := make(chan error)
	go func() {
		_, err := Run(ctx, Options{Inputs: []string{dir}, Workers: 2, Parse: parse}, newMemSink())
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("Run after cancel = %v, want context.Canceled", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not stop after cancel")
	}
}

func TestRunSinkBusyStops(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		write(t, filepath.Join(dir, fmt.Sprintf("%d.json", i)), record(t, fmt.Sprintf("机关%d", i), 2023, i))
	}
	sum, err := Run(t.Context(), Options{Inputs: []string{dir}}, busySink{})
	if !errors.Is(err, gongkai.ErrDatabaseBusy) {
		t.Errorf("err = %v, want ErrDatabaseBusy", err)
	}
	if sum.Added != 0 {
		t.Errorf("summary = %+v", sum)
	}
}

type busySink struct{}

func (busySink) UpdateCrossRules(context.Context) error { return nil }

func (busySink) PutDetailed(context.Context, []gongkai.Parsed) ([]gongkai.Outcome, []string, error) {
	return nil, nil, fmt.Errorf("open x: %w", gongkai.ErrDatabaseBusy)
}

// parseRecord reads only JSON records, so these tests do not depend on
// the document readers. It reads a JSON record (FORMAT.md §5), the shape 'gongkai
// parse' prints. The rules run on it unless it brings its own findings.
func parseRecord(ctx context.Context, name string, data []byte) (gongkai.Parsed, error) {
	trim := bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))
	if len(trim) == 0 || trim[0] != '{' {
		return gongkai.Parsed{}, &gongkai.Error{Op: "parse", Path: name, Err: gongkai.ErrUnsupported}
	}
	var r gongkai.Report
	if err := json.Unmarshal(trim, &r); err != nil {
		return gongkai.Parsed{}, &gongkai.Error{Op: "parse", Path: name, Err: fmt.Errorf("%w: JSON record: %v", gongkai.ErrUnreadable, err)}
	}
	if r.Findings == nil {
		r.Findings = gongkai.Check(&r)
	}
	sum := sha256.Sum256(data)
	return gongkai.Parsed{Report: &r, Path: name, Hash: hex.EncodeToString(sum[:]), Rendering: "record_json"}, nil
}

// TestRunPlacesAndFinishes checks the two steps Run owns around storing:
// every report's author is placed (narrowed by the district), and the run
// ends with one UpdateCrossRules — also when it was cancelled. An unknown
// district stores nothing.
func TestRunPlacesAndFinishes(t *testing.T) {
	dir := t.TempDir()
	for i, org := range []string{"威海市文登区泽库镇人民政府", "文登区教育和体育局"} {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%d.json", i)), record(t, org, 2023, i+1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sink := newMemSink()
	sum, err := Run(t.Context(), Options{Inputs: []string{dir}, Placement: Placement{District: "文登区"}}, sink)
	if err != nil || sum.Added != 2 {
		t.Fatalf("added %d, err %v", sum.Added, err)
	}
	if sink.finished != 1 {
		t.Errorf("UpdateCrossRules called %d times, want 1", sink.finished)
	}
	want := map[string]string{"威海市文登区泽库镇人民政府": "township_government", "文登区教育和体育局": "county_department"}
	for _, p := range sink.byKey {
		if p.Report.Body.County != "文登区" || p.Report.Body.Type != want[p.Report.Organization] {
			t.Errorf("%s placed as %+v", p.Report.Organization, p.Report.Body)
		}
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	sink = newMemSink()
	if _, err := Run(ctx, Options{Inputs: []string{dir}}, sink); err == nil {
		t.Error("cancelled run: no error")
	}
	if sink.finished != 1 {
		t.Errorf("cancelled run: UpdateCrossRules called %d times, want 1", sink.finished)
	}

	sink = newMemSink()
	if _, err := Run(t.Context(), Options{Inputs: []string{dir}, Placement: Placement{District: "没有这个区"}}, sink); !errors.Is(err, gongkai.ErrUsage) {
		t.Errorf("unknown district: %v", err)
	}
	if len(sink.order) != 0 || sink.finished != 0 {
		t.Errorf("unknown district stored %d reports, finished %d times", len(sink.order), sink.finished)
	}
}
