package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"gongkai"
	"gongkai/division"
	"gongkai/ingest"
)

var ingestCmd = &command{
	name:    "ingest",
	run:     runIngest,
	summary: "help.ingest.summary",
	usage:   "help.ingest",
}

func runIngest(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	db := dbFlag(fs)
	district := fs.String("district", "", "the district (name or code) the reports belong to")
	manifest := fs.String("manifest", "", "CSV file,division_code,body_type naming each file's author")
	workers := fs.Int("workers", 0, "parallel parsers (default: all cores)")
	given := identityFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError("want at least one PATH (file, folder or .zip)")
	}
	id, err := given()
	if err != nil {
		return err
	}
	if id != (ingest.Identity{}) {
		if fs.NArg() != 1 {
			return usageError("--organization and --year state one report's identity: give exactly one FILE (for many, use --manifest with the columns file,organization,year)")
		}
		if st, err := os.Stat(fs.Arg(0)); err == nil && (st.IsDir() || strings.EqualFold(filepath.Ext(fs.Arg(0)), ".zip")) {
			return usageError("--organization and --year state one report's identity, and %s holds many: use --manifest with the columns file,organization,year", fs.Arg(0))
		}
	}
	man, err := loadManifest(*manifest)
	if err != nil {
		return err
	}
	if _, err := (ingest.Placement{District: *district}).Placer(); err != nil {
		return err // before creating the database
	}
	st, err := openStore(ctx, env, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()

	pr := newProgress(env.Stderr)
	out := env.Stdout
	sum, runErr := ingest.Run(ctx, ingest.Options{
		Inputs:    fs.Args(),
		Workers:   *workers,
		Parse:     identityParser(man, id),
		Placement: ingest.Placement{District: *district, Manifest: man},
		Progress:  pr.update,
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
			if h := hintText(f.Err, env.Lang); h != "" {
				fmt.Fprintln(env.Stderr, "    "+env.tr("cli.try", "hint", h))
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

// loadManifest reads the --manifest file (none: an empty manifest).
func loadManifest(path string) (division.Manifest, error) {
	if path == "" {
		return division.Manifest{}, nil
	}
	m, err := division.LoadManifest(path)
	if err != nil {
		return m, &gongkai.Error{Op: "ingest", Path: path, Err: err,
			Hint: "the manifest is a CSV file with the column file and any of division_code,body_type,organization,year"}
	}
	return m, nil
}

// identityParser parses each document with the identity the user states
// for it: the flags (one file) or its manifest entry's organization and
// year.
func identityParser(man division.Manifest, flags ingest.Identity) func(context.Context, string, []byte) (gongkai.Parsed, error) {
	return func(ctx context.Context, name string, data []byte) (gongkai.Parsed, error) {
		id := flags
		if id == (ingest.Identity{}) {
			if e, ok := ingest.ManifestEntry(man, name); ok && (e.Organization != "" || e.Year != 0) {
				id = ingest.Identity{Organization: e.Organization, Year: e.Year, Source: man.Source(e)}
			}
		}
		return ingest.ParseBytesAs(ctx, name, data, id)
	}
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
