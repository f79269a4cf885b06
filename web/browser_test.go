package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"gongkai"
	"gongkai/serve"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "write the browser test's screenshot to docs/screenshot.png")

// chromiumPath finds Debian's chromium (scripts/install-deps installs it).
func chromiumPath() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserContext starts headless Chromium with a fresh profile, no network
// of its own (no updates, sync or background fetches) and no sandbox (CI
// runs as root).
func browserContext(t *testing.T) context.Context {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; scripts/install-deps installs it (apt-get install chromium)")
		}
		t.Skip("chromium is not installed (run scripts/install-deps); skipping the browser test outside CI")
	}
	var log bytes.Buffer
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1500),
		chromedp.CombinedOutput(&log),
	)
	t.Cleanup(cancel)
	ctx, cancel2 := chromedp.NewContext(actx)
	t.Cleanup(cancel2)
	ctx, cancel3 := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancel3)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("chromium output:\n%s", log.String())
		}
	})
	return ctx
}

// TestBrowser drives the page in headless Chromium as an office would:
// open /, pick 山东省 → 威海市 → 文登区 and the year 2020 in the picker,
// then checks that every cell of the three compiled tables shown equals
// `gongkai compile --format json` for the same division and year, that the
// findings are listed (2020 has an R4 and an R5 failure in the sample),
// that the charts are drawn, that a body's report shows where its numbers
// were read, and that the workbook downloads and holds the same totals.
func TestBrowser(t *testing.T) {
	ctx := browserContext(t)

	srv, err := serve.New(context.Background(), serve.Config{DB: sampleDB, TempDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)

	// What `gongkai compile` says for the same division and year.
	out, err := runCLI(t.Context(), "compile", "--db", sampleDB, "--division", "文登区", "--year", "2020", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var want gongkai.Report
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatalf("compile JSON: %v", err)
	}
	var compiled struct {
		Compiled struct {
			Bodies   []json.RawMessage `json:"bodies"`
			Findings []struct {
				Organization string `json:"organization"`
				Rule         string `json:"rule"`
			} `json:"findings"`
		} `json:"compiled"`
	}
	if err := json.Unmarshal(out, &compiled); err != nil {
		t.Fatal(err)
	}

	// Pick the division level by level, then the year, as the picker
	// offers them, each choice loading the page with the next list filled.
	if _, err := chromedp.RunResponse(ctx, chromedp.Navigate(ts.URL+"/")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct{ field, value string }{{"d1", "370000"}, {"d2", "371000"}, {"d3", "371003"}} {
		// SetValue fires the list's change event; the page's script
		// submits the picker.
		resp, err := chromedp.RunResponse(ctx,
			chromedp.WaitReady(chromedp.CSS(`select[name=`+p.field+`] option[value="`+p.value+`"]`)),
			chromedp.SetValue(chromedp.CSS(`select[name=`+p.field+`]`), p.value),
		)
		if err != nil {
			t.Fatalf("picking %s=%s: %v", p.field, p.value, err)
		}
		if resp.Status != 200 {
			t.Fatalf("picking %s=%s: status %d", p.field, p.value, resp.Status)
		}
	}
	// The year without the script's help: the value set quietly, then the
	// picker's button, as a browser without script works.
	resp, err := chromedp.RunResponse(ctx,
		chromedp.WaitReady(chromedp.CSS(`select[name=year] option[value="2020"]`)),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('select[name=year]').value = '2020'`))
			return err
		}),
		chromedp.Click(chromedp.CSS(`form.picker button`)),
	)
	if err != nil || resp.Status != 200 {
		t.Fatalf("picking the year 2020: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.WaitVisible(chromedp.CSS(`#table-applications`))); err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "d3=371003") || !strings.Contains(loc, "year=2020") {
		t.Errorf("after picking, the page is %s", loc)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#title`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(title, "山东省威海市文登区 2020年政府信息公开工作年度报告 汇总") {
		t.Errorf("title = %q", title)
	}

	// Every compiled cell shown, by path, against compile's record.
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](
		`Object.fromEntries([...document.querySelectorAll('table.form td[data-path]')].map(td => [td.dataset.path, td.textContent.trim()]))`))
	if err != nil {
		t.Fatal(err)
	}
	cells := want.Cells()
	if len(shown) != len(cells) {
		t.Errorf("the page shows %d cells, compile has %d", len(shown), len(cells))
	}
	for _, c := range cells {
		w := "—"
		if c.Value.Valid() {
			w = c.Value.String()
		}
		if got, ok := shown[c.Path()]; !ok || got != w {
			t.Errorf("cell %s shown %q, gongkai compile says %q", c.Path(), got, w)
		}
	}
	if t.Failed() {
		return
	}
	// A hand-read check of one total, so the comparison above cannot pass
	// on two empty sides: the 2020 reports of the sample print 本年新收 总计
	// 301 (自然资源局), 123 (住房和城乡建设局), 64 (人民政府办公室), 27
	// (教育和体育局), 2 (卫生健康局) and 0 for the eight townships: 517.
	if got := shown["applications.1_new.total"]; got != "517" {
		t.Errorf("新收 total shown %s, the 2020 reports add up to 517", got)
	}

	// Summary counts and findings.
	nb, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#n-bodies`)))
	if nb != fmt.Sprint(len(compiled.Compiled.Bodies)) {
		t.Errorf("bodies included shown %q, compile has %d", nb, len(compiled.Compiled.Bodies))
	}
	rules, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll('#list-findings tr.finding')].map(tr => tr.dataset.rule)`))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range compiled.Compiled.Findings {
		if !slices.Contains(rules, f.Rule) {
			t.Errorf("finding %s of %s is not listed (rules listed: %v)", f.Rule, f.Organization, rules)
		}
	}
	if !slices.Contains(rules, "R4") || !slices.Contains(rules, "R5") {
		t.Errorf("2020 has an R4 and an R5 failure in the sample; listed: %v", rules)
	}

	// Charts: six years of columns, one bar per body, drawn with shapes.
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](`({
		columns: document.querySelectorAll('#chart-trend g.column').length,
		rects: document.querySelectorAll('#chart-trend rect').length,
		bars: document.querySelectorAll('#chart-compare g.bar').length,
		rate: document.querySelectorAll('#chart-rate g.bar').length,
		width: Math.round(document.querySelector('#chart-trend').getBoundingClientRect().width)})`))
	if err != nil {
		t.Fatal(err)
	}
	if charts["columns"] != 6 || charts["rects"] < 6 || charts["bars"] != len(compiled.Compiled.Bodies) ||
		charts["rate"] != len(compiled.Compiled.Bodies) || charts["width"] < 300 {
		t.Errorf("charts drawn: %v (want 6 years, a bar per body of %d)", charts, len(compiled.Compiled.Bodies))
	}

	// Nothing came from anywhere but serve (no CDN, no web fonts).
	loaded, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[location.href, ...performance.getEntriesByType('resource').map(e => e.name)]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(loaded) < 3 {
		t.Errorf("the page loaded %v; want itself, its style sheet and its script", loaded)
	}
	for _, u := range loaded {
		if !strings.HasPrefix(u, ts.URL+"/") {
			t.Errorf("the page loaded %s, not from serve", u)
		}
	}

	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	keepScreenshot(t, shot)

	// The workbook downloads, as a user's click saves it, and holds the
	// compiled total.
	dir := t.TempDir()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	if err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: ptr(true)})
			return err
		}),
		chromedp.Click(chromedp.CSS(`#dl-xlsx`)),
	); err != nil {
		t.Fatal(err)
	}
	var file string
	for ev, err := range progress {
		if err != nil {
			t.Fatalf("download: %v", err)
		}
		if ev.State == browser.DownloadProgressStateCanceled {
			t.Fatal("the download was canceled")
		}
		if ev.State == browser.DownloadProgressStateCompleted {
			file = filepath.Join(dir, ev.GUID)
			break
		}
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatalf("the downloaded workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(gongkai.HeadingApplications)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rows {
		if len(r) > 0 && strings.Contains(r[0], "本年新收") && r[len(r)-1] == shown["applications.1_new.total"] {
			found = true
		}
	}
	if !found {
		t.Errorf("the workbook's 本年新收 row does not end with the total %s: %q", shown["applications.1_new.total"], rows)
	}

	// Every level's measures as Parquet and CSV, from the API the page
	// links: fetched by the page itself, as a click would.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`(async () => {
		const out = {};
		for (const id of ['dl-parquet', 'dl-levels-csv', 'dl-csv']) {
			const r = await fetch(document.getElementById(id).href);
			const b = new Uint8Array(await r.arrayBuffer());
			out[id] = r.status + ' ' + [...b.slice(0, 4)].map(x => x.toString(16).padStart(2, '0')).join('') + ' ' + b.length;
		}
		return out;
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	// The first four bytes in hex: "PAR1", "leve" (the header's first
	// column, level), the byte-order mark EF BB BF.
	if !strings.HasPrefix(got["dl-parquet"], "200 50415231 ") || !strings.HasPrefix(got["dl-levels-csv"], "200 6c657665 ") ||
		!strings.HasPrefix(got["dl-csv"], "200 efbbbf") {
		t.Errorf("downloads: %q (want Parquet, the levels CSV, the compiled CSV with its BOM)", got)
	}

	// A body's report: its own numbers with where each was read, the
	// cells of its findings marked.
	if err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#list-findings tr.finding[data-rule=R4] a`)),
		chromedp.WaitVisible(chromedp.CSS(`#list-provenance`)),
	); err != nil {
		t.Fatal(err)
	}
	rep, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](`({
		flagged: document.querySelectorAll('table.form td.flag').length,
		sourced: document.querySelectorAll('table.form td[title]').length,
		findings: document.querySelectorAll('#list-findings tr.finding[data-rule=R4]').length})`))
	if err != nil {
		t.Fatal(err)
	}
	if rep["flagged"] == 0 || rep["sourced"] < 50 || rep["findings"] != 1 {
		t.Errorf("body report: %v (want the R4 cells marked and every number's source)", rep)
	}

	// English on request.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#lang`)), chromedp.WaitVisible(chromedp.CSS(`#back`))); err != nil {
		t.Fatal(err)
	}
	back, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#back`)))
	if !strings.Contains(back, "Back to the compilation") {
		t.Errorf("English page's back link reads %q", back)
	}
}

func ptr[T any](v T) *T { return &v }

// keepScreenshot saves the page's screenshot: in $GONGKAI_SCREENSHOT_DIR
// when set (CI keeps it there), else the test's temporary folder; with
// -update-screenshot also as docs/screenshot.png for the README.
func keepScreenshot(t *testing.T, png []byte) {
	t.Helper()
	dir := os.Getenv("GONGKAI_SCREENSHOT_DIR")
	if dir == "" {
		dir = os.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "gongkai-page.png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the page: %s", p)
	if *updateScreenshot {
		if err := os.WriteFile("../docs/screenshot.png", png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
