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
	"gongkai/msg"
	"gongkai/rollup"
	"gongkai/store"
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
	st, err := openStore(ctx, env, *db, true, store.ForIngest())
	if err != nil {
		return err
	}
	defer st.Close()

	pr := newProgress(env.Stderr, env.Lang)
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
					pr.println(out, env.tr("ingest.unchanged_from", "file", e.Name, "prev", e.Previous))
				} else {
					pr.println(out, env.tr("ingest.unchanged", "file", e.Name))
				}
			case ingest.StatusReplaced:
				id := msg.ID("ingest.replaced_was")
				switch e.Previous {
				case "":
					id = "ingest.replaced"
				case e.Name:
					id = "ingest.replaced_anew"
				}
				pr.println(out, env.tr(id, "org", e.Organization, "year", e.Year, "prev", e.Previous))
			case ingest.StatusSkipped:
				pr.println(out, env.tr("ingest.skipped", "file", e.Name))
			case ingest.StatusFailed:
				pr.println(env.Stderr, env.tr("ingest.failed", "file", e.Name, "reason", reason(e.Name, e.Err, env.Lang)))
			}
		},
	}, st)
	pr.finish()
	summary := msg.ID("ingest.summary")
	if sum.Skipped > 0 {
		summary = "ingest.summary_skip"
	}
	fmt.Fprintln(out, env.tr(summary, "parsed", sum.Parsed, "added", sum.Added, "unchanged", sum.Unchanged,
		"replaced", sum.Replaced, "failed", sum.Failed, "skipped", sum.Skipped))
	if len(sum.Failures) > 0 {
		fmt.Fprintln(env.Stderr, env.tr("ingest.failed_files", "n", len(sum.Failures)))
		for _, f := range sum.Failures {
			fmt.Fprintln(env.Stderr, env.tr("ingest.failed_file", "file", f.Name, "reason", reason(f.Name, f.Err, env.Lang)))
			if h := hintText(f.Err, env.Lang); h != "" {
				fmt.Fprintln(env.Stderr, "    "+env.tr("cli.try", "hint", h))
			}
		}
	}
	if !errors.Is(runErr, context.Canceled) {
		if err := keepAnswers(ctx, env, st); err != nil {
			return err
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

// reason is an error's text in l without the file name the message
// already starts with.
func reason(name string, err error, l msg.Lang) string {
	if err == nil {
		return msg.T(l, "ingest.unknown_reason", nil)
	}
	s := errorText(err, l)
	sep := ": "
	if l == msg.ZH {
		sep = "："
	}
	parse, store := msg.T(l, "op.parse", nil), msg.T(l, "op.store", nil)
	for _, p := range []string{parse + " " + name + sep, store + " " + name + sep, parse + " " + name, name + sep} {
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
	lang     msg.Lang
}

// plainProgressEvery is how often the plain progress line is printed
// (tests shorten it).
var plainProgressEvery = 5 * time.Second

func newProgress(stderr io.Writer, l msg.Lang) *progress {
	p := &progress{w: stderr, every: plainProgressEvery, lang: l}
	if f, ok := stderr.(interface{ Fd() uintptr }); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions(-1,
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription(msg.T(l, "ingest.bar", nil)),
			progressbar.OptionShowCount(),
			progressbar.OptionShowIts(),
			progressbar.OptionSetItsString(msg.T(l, "ingest.bar_files", nil)),
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
	fmt.Fprintln(p.w, msg.S(p.lang, "ingest.progress", "done", pr.Done, "total", total, "parsed", pr.Parsed,
		"failed", pr.Failed, "rate", fmt.Sprintf("%.0f", rate)))
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

// keepAnswers makes anew the kept whole-nation rollup answers (schema 11)
// that the ingest made stale, saying so on stderr for each. The reports
// are stored whatever happens here: a failure leaves the rollups answering
// from their SQL until the next ingest keeps the answers.
func keepAnswers(ctx context.Context, env *Env, st *store.Store) error {
	err := rollup.Refresh(ctx, st, func(name string, a store.AnswerStats) {
		if a.Made {
			fmt.Fprintln(env.Stderr, env.tr("ingest.answer", "rollup", name, "rows", a.Rows, "took", fmt.Sprintf("%.2f", a.Took.Seconds())))
		}
	})
	if err != nil {
		return &gongkai.Error{Op: "ingest", Err: err,
			Hint: "the reports are stored; rollups answer from their SQL until an ingest keeps their answers: run the same ingest again"}
	}
	return nil
}
