package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"gongkai"
	"gongkai/division"
	"gongkai/ingest"
	"gongkai/store"
)

var ingestCmd = &command{
	name:    "ingest",
	summary: "read report files, folders and .zip archives into the database",
	usage: `Usage: gongkai ingest [--db PATH] [--district NAME|CODE] [--manifest CSV] PATH...

Reads every report under the PATHs — files, folders (recursively) and .zip
archives — and stores it in the database, creating the database if needed.
Files are parsed in parallel on all cores while one writer stores them in
batches; each batch is stored whole or not at all, so an interrupted run
loses nothing stored and can simply be run again.

For every file:
  added      a new report (nothing printed)
  unchanged  the same file is already stored; nothing is written
  replaced   another file for the same organization and year was stored;
             the new one replaces it everywhere (also: the same file, now
             placed among the divisions differently, is stored again)
  failed     the file could not be read; it is named with the reason, and
             nothing stored is touched
  skipped    a file found in a folder or archive that is no report
Hidden files and the generator's *.truth.json files are left out of
folders. The run ends with a summary line and the list of failures; the
exit status is 1 when any file failed.

Each report's author is placed among China's administrative divisions
from its organization's name; --district narrows the search (and places
departments whose names give no place, such as 教育和体育局), --manifest
gives the division code and body type per file (CSV header
file,division_code,body_type). An author that cannot be placed is stored
with empty division fields and a DIV finding, never a guess.

A progress bar is shown when stderr is a terminal, a progress line every
few seconds otherwise.

DuckDB's memory is bounded (default 1GB; set GONGKAI_MEMORY_LIMIT, e.g.
GONGKAI_MEMORY_LIMIT=4GB, to change it); what does not fit spills to the
folder DB.tmp beside the database.

Examples:
  gongkai ingest reports/
  gongkai ingest --db wendeng.duckdb --district 文登区 2023.zip 2024/
  gongkai ingest --manifest bodies.csv downloads/
`,
}

func init() {
	ingestCmd.run = runIngest
	register(ingestCmd)
}

func runIngest(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(ingestCmd, env)
	db := dbFlag(fs)
	district := fs.String("district", "", "the district (name or code) the reports belong to")
	manifest := fs.String("manifest", "", "CSV file,division_code,body_type naming each file's author")
	workers := fs.Int("workers", 0, "parallel parsers (default: all cores)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("want at least one PATH (file, folder or .zip)")
	}
	resolve, err := resolver(*district, *manifest)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, *db, storeOptions(env)...)
	if err != nil {
		return err
	}
	defer st.Close()

	pr := newProgress(env.Stderr)
	out := env.Stdout
	sum, runErr := ingest.Run(ctx, ingest.Options{
		Inputs:   fs.Args(),
		Workers:  *workers,
		Resolve:  resolve,
		Progress: pr.update,
		OnFile: func(e ingest.FileEvent) {
			switch e.Status {
			case ingest.StatusUnchanged:
				if e.Previous != "" && e.Previous != e.Name {
					pr.println(out, fmt.Sprintf("unchanged: %s (already stored, from %s)", e.Name, e.Previous))
				} else {
					pr.println(out, fmt.Sprintf("unchanged: %s (already stored)", e.Name))
				}
			case ingest.StatusReplaced:
				was := ""
				switch e.Previous {
				case "":
				case e.Name:
					was = " (same file, placed among the divisions anew)"
				default:
					was = " (was " + e.Previous + ")"
				}
				pr.println(out, fmt.Sprintf("replaced: %s %d%s", e.Organization, e.Year, was))
			case ingest.StatusSkipped:
				pr.println(out, fmt.Sprintf("skipped: %s (not a report)", e.Name))
			case ingest.StatusFailed:
				pr.println(env.Stderr, fmt.Sprintf("failed: %s: %s", e.Name, reason(e.Name, e.Err)))
			}
		},
	}, st)
	pr.finish()
	// Cross-year and whole-area rules (R6, R7, R9) depend on other
	// reports: recompute the findings the stored batches can have changed
	// (the store records which), in chunks so memory stays flat. With
	// nothing pending (every file unchanged) it writes nothing; after an
	// interrupted run it finishes the work left pending.
	if err := st.UpdateCrossRules(context.WithoutCancel(ctx)); err != nil {
		runErr = errors.Join(runErr, err)
	}
	fmt.Fprintf(out, "parsed %d, added %d, unchanged %d, replaced %d, failed %d",
		sum.Parsed, sum.Added, sum.Unchanged, sum.Replaced, sum.Failed)
	if sum.Skipped > 0 {
		fmt.Fprintf(out, ", skipped %d", sum.Skipped)
	}
	fmt.Fprintln(out)
	if len(sum.Failures) > 0 {
		fmt.Fprintf(env.Stderr, "Failed files (%d):\n", len(sum.Failures))
		for _, f := range sum.Failures {
			fmt.Fprintf(env.Stderr, "  %s: %s\n", f.Name, reason(f.Name, f.Err))
			if h := gongkai.HintOf(f.Err); h != "" {
				fmt.Fprintf(env.Stderr, "    Try: %s\n", h)
			}
		}
	}
	if runErr != nil {
		if errors.Is(runErr, context.Canceled) {
			return &gongkai.Error{Op: "ingest", Err: runErr, Hint: "batches stored before the interruption are kept; run the same command again to finish"}
		}
		return runErr
	}
	if sum.Failed > 0 {
		return errSilent
	}
	return nil
}

// storeOptions are the store settings the environment asks for:
// GONGKAI_MEMORY_LIMIT (a DuckDB size such as 4GB) replaces the store's
// default memory limit.
func storeOptions(env *Env) []store.Option {
	var opts []store.Option
	if v := strings.TrimSpace(env.Getenv("GONGKAI_MEMORY_LIMIT")); v != "" {
		opts = append(opts, store.MemoryLimit(v))
	}
	return opts
}

// reason is an error's text without the file name the message already
// starts with.
func reason(name string, err error) string {
	if err == nil {
		return "unknown reason"
	}
	s := err.Error()
	for _, p := range []string{"parse " + name + ": ", "store " + name + ": ", "parse " + name, name + ": "} {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			return s[len(p):]
		}
	}
	return s
}

// resolver builds the division resolution ingest runs on every report.
func resolver(district, manifestPath string) (func(string, *gongkai.Report), error) {
	res := division.Default()
	if district != "" {
		if _, err := res.District(district); err != nil {
			return nil, usageError("--district %s: %v", district, err)
		}
	}
	var man division.Manifest
	if manifestPath != "" {
		m, err := division.LoadManifest(manifestPath)
		if err != nil {
			return nil, &gongkai.Error{Op: "ingest", Path: manifestPath, Err: err,
				Hint: "the manifest is a CSV file with the header file,division_code,body_type"}
		}
		man = m
	}
	return func(name string, r *gongkai.Report) {
		hint := division.Hint{District: district}
		member := name
		if i := strings.LastIndex(name, ingest.ZipSep); i >= 0 {
			member = name[i+len(ingest.ZipSep):]
		}
		e, inManifest := man.Lookup(name)
		if !inManifest && member != name {
			e, inManifest = man.Lookup(member)
		}
		if inManifest {
			hint.DivisionCode, hint.BodyType = e.DivisionCode, e.BodyType
		} else if !r.Body.IsZero() {
			return // a JSON record that says who wrote it
		}
		body, findings := res.Resolve(r.Organization, hint)
		r.Body = body
		r.Findings = append(r.Findings, findings...)
	}, nil
}

// progress renders ingest's progress: a bar on a terminal, a plain line
// every few seconds otherwise. All calls come from ingest's one writer
// goroutine.
type progress struct {
	w        io.Writer
	bar      *progressbar.ProgressBar
	maxKnown bool
	last     time.Time
	every    time.Duration
}

// plainProgressEvery is how often the plain progress line is printed
// (tests shorten it).
var plainProgressEvery = 5 * time.Second

func newProgress(stderr io.Writer) *progress {
	p := &progress{w: stderr, every: plainProgressEvery}
	if f, ok := stderr.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription("ingest"),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("files"),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionSetElapsedTime(true),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionClearOnFinish(),
		)
	}
	p.last = time.Now()
	return p
}

func (p *progress) update(pr ingest.Progress) {
	if p.bar != nil {
		if !p.maxKnown && pr.Total >= 0 {
			p.bar.ChangeMax(pr.Total)
			p.maxKnown = true
		}
		p.bar.Set(pr.Done)
		return
	}
	if pr.Final || time.Since(p.last) < p.every {
		return
	}
	p.last = time.Now()
	total := "?"
	if pr.Total >= 0 {
		total = fmt.Sprint(pr.Total)
	}
	rate := float64(pr.Done) / pr.Elapsed.Seconds()
	fmt.Fprintf(p.w, "ingest: %d/%s files, %d parsed, %d failed, %.0f files/s\n", pr.Done, total, pr.Parsed, pr.Failed, rate)
}

// println prints a message above the bar.
func (p *progress) println(w io.Writer, msg string) {
	if p.bar != nil {
		p.bar.Clear()
	}
	fmt.Fprintln(w, msg)
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Clear()
	}
}
