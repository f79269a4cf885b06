// Package gen writes realistic 政府信息公开工作年度报告 for a made-up
// district: its townships, a few departments and the district government's
// own office, over several years, in any of the renderings readers meet in
// the wild (FORMAT.md §8). Numbers obey R1–R5, link across years (上年结转 =
// last year's 结转下年度, 现行有效 carries over, the 2019 项目数量 chain), and
// an optional share of reports breaks exactly one named rule. Beside every
// report the generator writes its truth (the record JSON) and a manifest,
// so tests can compare what a reader makes of a rendering with what was
// written. Output is a pure function of the options: the same seed gives
// the same bytes.
package gen

//go:generate go run ../cmd/gongkai gen --out ../testdata/sample --district 威海市文登区 --townships 8 --departments 4 --years 2019-2024 --seed 20240122 --violations 0.05 --rendering word_text

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gongkai"
)

// Options control a generation run. The zero values of Violations and
// Noise mean a clean, noise-free district.
type Options struct {
	// Out is the folder the files go to (created when missing).
	Out string
	// District is "威海市文登区" (city and district) or "文登区".
	District    string
	Townships   int
	Departments int
	FirstYear   int
	LastYear    int
	Seed        uint64
	// Violations is the share of reports (0–1) that break exactly one
	// rule, R1–R5 or R6 against the previous year.
	Violations float64
	// Noise is the share of reports (0–1) rendered with noise: full-width
	// digits, half-width brackets, thousands separators, label typos, a
	// heading repeated at a page break.
	Noise float64
	// Renderings to write; empty means word_text. "all" is expanded by
	// the CLI with AllRenderings.
	Renderings []string
	// Mixed writes each report once, in one rendering picked (by the
	// seed) from Renderings, instead of once per rendering: a folder of
	// mixed renderings as an office collects them.
	Mixed bool
	// TownshipNames replaces the built-in names; its length must equal
	// Townships.
	TownshipNames []string

	// The variants below are what real PDFs showed and the readers must
	// hold on (FORMAT.md §3, §8). Each is a share of reports (0–1), drawn
	// from its own stream of the seed, so leaving them at zero gives the
	// same files as before they existed.

	// Typos is the share of reports whose printed row labels and column
	// headers carry one to three misspellings (a character dropped, added,
	// doubled, swapped or three dropped, as 其他法律行政止公开). The truth
	// does not change.
	Typos float64
	// SingleOther is the share of 2021-layout reports printed with a single
	// （六）其他处理 row instead of its three sub-rows: the truth holds 3_6
	// and null 3_6_1…3_6_3.
	SingleOther float64
	// Blanks is the share of reports with one to three table cells left
	// blank (null in the truth).
	Blanks float64
	// Mismatches is the share of reports whose section 一 states a number
	// of requests received (共收到政府信息公开申请X件) that differs from
	// the table's 本年新收…总计: an R8 warning, named in the manifest's
	// violated_rule column.
	Mismatches float64
	// VaryIdentity gives each report an identity style drawn from the
	// seed: every title form of FORMAT.md §9 (year first, 关于…年度, two
	// lines, Chinese-numeral years, none), signatures, a body that names
	// the organization and year or not, document metadata.
	VaryIdentity bool
}

// SampleOptions are the options testdata/sample was made with (the
// go:generate line above spells the same as flags).
func SampleOptions(out string) Options {
	return Options{
		Out: out, District: "威海市文登区", Townships: 8, Departments: 4,
		FirstYear: 2019, LastYear: 2024, Seed: 20240122, Violations: 0.05,
		Renderings: []string{WordText},
	}
}

// Summary says what a run wrote.
type Summary struct {
	Bodies     int
	Reports    int
	Files      int      // rendered report files (not counting truth files)
	Violations int      // reports that break a rule on purpose
	Renderings []string // renderings written
	Notes      []string // renderings skipped and why
}

// Item is one generated report: its truth and how to render it.
type Item struct {
	// Base is the file name without extension: "2023_威海市文登区泽库镇人民政府".
	Base     string
	Record   *gongkai.Report
	BodyType string
	// Violation is the rule broken on purpose, or "".
	Violation string
	// Noise is applied by Render; callers may change it.
	Noise Noise
	// Typos maps official labels to the misspelled forms this report
	// prints (Options.Typos); Render applies them.
	Typos map[string]string

	// said holds the request counts the prose states (by row key, column
	// 总计) where Options.Blanks left the table's cell blank.
	said map[string]gongkai.Num
	// Identity is how the renderings state the organization and year;
	// the zero style is each rendering's default. Callers may change it.
	Identity IdentityStyle

	seed   uint64
	wechat string
	we     string
}

// validate checks the options and fills defaults.
func (o *Options) validate() error {
	switch {
	case o.Townships < 0 || o.Departments < 0:
		return errors.New("--townships and --departments must not be negative")
	case o.FirstYear < 2019 || o.LastYear < o.FirstYear || o.LastYear > 2100:
		return fmt.Errorf("years %d-%d: want a range within 2019-2100 (earlier reports have no fixed layout)", o.FirstYear, o.LastYear)
	case o.Violations < 0 || o.Violations > 1 || math.IsNaN(o.Violations):
		return fmt.Errorf("--violations %v: want a share between 0 and 1", o.Violations)
	case o.Noise < 0 || o.Noise > 1 || math.IsNaN(o.Noise):
		return fmt.Errorf("--noise %v: want a share between 0 and 1", o.Noise)
	}
	for _, v := range []struct {
		flag  string
		share float64
	}{{"--typos", o.Typos}, {"--single-other", o.SingleOther}, {"--blanks", o.Blanks}, {"--mismatches", o.Mismatches}} {
		if v.share < 0 || v.share > 1 || math.IsNaN(v.share) {
			return fmt.Errorf("%s %v: want a share between 0 and 1", v.flag, v.share)
		}
	}
	if len(o.Renderings) == 0 {
		o.Renderings = []string{WordText}
	}
	for _, r := range o.Renderings {
		if _, ok := rendererOf(r); !ok {
			return fmt.Errorf("unknown rendering %q (known: %s, all)", r, strings.Join(AllRenderings(), ", "))
		}
	}
	return nil
}

// rngFor derives an independent, deterministic stream from the seed and a
// name, so adding a body or a rendering does not shift the others.
func rngFor(seed uint64, parts ...string) *rand.Rand {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

// Build makes the reports in memory, in body then year order, without
// writing anything.
func Build(opts Options) ([]*Item, error) {
	if err := opts.validate(); err != nil {
		return nil, err
	}
	bodies, err := makeBodies(opts)
	if err != nil {
		return nil, err
	}
	var items []*Item
	for _, b := range bodies {
		r := rngFor(opts.Seed, "body", b.org)
		st := newState()
		for y := opts.FirstYear; y <= opts.LastYear; y++ {
			single := opts.SingleOther > 0 && versionOf(y) == gongkai.V2021 &&
				rngFor(opts.Seed, "single-other", b.org, strconv.Itoa(y)).Float64() < opts.SingleOther
			rep := genReport(r, b, y, st, single)
			items = append(items, &Item{
				Base: fmt.Sprintf("%d_%s", y, b.org), Record: rep, BodyType: b.typ,
				seed: opts.Seed, wechat: b.short, we: b.we,
			})
		}
	}
	// Violations: an exact share of reports, chosen by the seed.
	vr := rngFor(opts.Seed, "violations")
	k := int(math.Round(opts.Violations * float64(len(items))))
	for _, i := range vr.Perm(len(items))[:k] {
		it := items[i]
		rules := violationRules
		if it.Record.ReportYear == opts.FirstYear {
			rules = rules[:len(rules)-1] // R6 needs last year's report
		}
		it.Violation = rules[vr.IntN(len(rules))]
		if err := inject(vr, it.Record, it.Violation); err != nil {
			return nil, err
		}
	}
	nr := rngFor(opts.Seed, "noise")
	ir := rngFor(opts.Seed, "identity")
	for _, it := range items {
		if opts.VaryIdentity {
			it.Identity = randomIdentity(ir)
		}
		if nr.Float64() < opts.Noise {
			for it.Noise == (Noise{}) {
				it.Noise = Noise{nr.IntN(2) == 0, nr.IntN(2) == 0, nr.IntN(2) == 0, nr.IntN(2) == 0, nr.IntN(2) == 0}
			}
		}
		// The narrative restates the printed table (R8 holds).
		it.Record.Narrative[NarrRequests] = it.Record.Applications[gongkai.RowNew][gongkai.NumColumns-1]
	}
	if err := applyVariants(opts, items); err != nil {
		return nil, err
	}
	for _, it := range items {
		injected := it.Record.Findings
		it.Record.Findings = append(gongkai.Check(it.Record), injected...)
	}
	return items, nil
}

// Generate builds the reports and writes every requested rendering of each
// to opts.Out, with <base>.truth.json beside them and truth.csv listing
// every file. With several renderings (and not Mixed), file names carry
// the rendering: <base>.<rendering>.<ext>.
func Generate(ctx context.Context, opts Options) (Summary, error) {
	var sum Summary
	if opts.Out == "" {
		return sum, errors.New("no output folder (--out)")
	}
	items, err := Build(opts)
	if err != nil {
		return sum, err
	}
	renderings := opts.Renderings
	if len(renderings) == 0 {
		renderings = []string{WordText}
	}
	if slices.Contains(renderings, PDF) && !PDFAvailable() {
		if len(renderings) == 1 {
			return sum, &gongkai.Error{Op: "gen", Path: opts.Out, Err: errNoConverter,
				Hint: pdfInstallHint + "; or choose another --rendering ('all' skips pdf when no converter is installed)"}
		}
		renderings = slices.DeleteFunc(slices.Clone(renderings), func(s string) bool { return s == PDF })
		sum.Notes = append(sum.Notes, "pdf skipped: "+errNoConverter.Error())
	}
	sum.Renderings = renderings
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return sum, fmt.Errorf("create %s: %w", opts.Out, err)
	}
	bodies := map[string]bool{}
	mixRNG := rngFor(opts.Seed, "mixed")
	var manifest [][]string
	// Reports go in chunks, each rendering of a chunk in one RenderBatch
	// call: for pdf, one LibreOffice run per chunk. A mixed folder writes
	// one rendering per report, so its chunks are longer for about as many
	// PDFs a run.
	chunkLen := pdfBatch
	if opts.Mixed {
		chunkLen *= len(renderings)
	}
	for chunk := range slices.Chunk(items, chunkLen) {
		if err := ctx.Err(); err != nil {
			return sum, err
		}
		chosen := make([][]string, len(chunk))
		byRendering := map[string][]*Item{}
		for i, it := range chunk {
			chosen[i] = renderings
			if opts.Mixed {
				chosen[i] = []string{renderings[mixRNG.IntN(len(renderings))]}
			}
			for _, rn := range chosen[i] {
				byRendering[rn] = append(byRendering[rn], it)
			}
		}
		rendered := map[string]map[*Item][]byte{}
		for _, rn := range renderings {
			its := byRendering[rn]
			if len(its) == 0 {
				continue
			}
			out, err := RenderBatch(ctx, rn, its)
			if err != nil {
				return sum, err
			}
			rendered[rn] = make(map[*Item][]byte, len(its))
			for i, it := range its {
				rendered[rn][it] = out[i]
			}
		}
		for i, it := range chunk {
			bodies[it.Record.Organization] = true
			for _, rn := range chosen[i] {
				name := it.Base + Ext(rn)
				if len(renderings) > 1 && !opts.Mixed {
					name = it.Base + "." + rn + Ext(rn)
				}
				if err := os.WriteFile(filepath.Join(opts.Out, name), rendered[rn][it], 0o644); err != nil {
					return sum, err
				}
				sum.Files++
				manifest = append(manifest, []string{name, it.Record.Organization, strconv.Itoa(it.Record.ReportYear),
					string(it.Record.FormatVersion), rn, it.Violation, it.BodyType, it.Base + TruthExt})
			}
			js, err := json.Marshal(it.Record)
			if err != nil {
				return sum, fmt.Errorf("truth of %s: %w", it.Base, err)
			}
			if err := os.WriteFile(filepath.Join(opts.Out, it.Base+TruthExt), append(js, '\n'), 0o644); err != nil {
				return sum, err
			}
			sum.Reports++
			if it.Violation != "" {
				sum.Violations++
			}
		}
	}
	sum.Bodies = len(bodies)
	f, err := os.Create(filepath.Join(opts.Out, ManifestName))
	if err != nil {
		return sum, err
	}
	w := csv.NewWriter(f)
	w.Write(ManifestHeader)
	w.WriteAll(manifest)
	if err := w.Error(); err != nil {
		f.Close()
		return sum, fmt.Errorf("write %s: %w", ManifestName, err)
	}
	return sum, f.Close()
}

// Truth and manifest names. Readers walking a generated folder should skip
// both (they are not reports).
const (
	TruthExt     = ".truth.json"
	ManifestName = "truth.csv"
)

// ManifestHeader is truth.csv's first row.
var ManifestHeader = []string{"file", "organization", "year", "version", "rendering", "violated_rule", "body_type", "truth"}
