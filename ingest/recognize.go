package ingest

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"gongkai"
	"gongkai/msg"
)

// hit is a table row whose label named a cell row: its value cells, not
// yet placed, because the layout is only known once every label is seen.
type hit struct {
	section string // gongkai.SecActive or SecApplications
	key     string
	label   string // the label text as written
	loc     string // where the label is
	values  []Cell // the cells after the last label, in order
	// table and row locate the label's row in the Document.
	table, row int
	// printed: the label matched no rule (a misspelling, FORMAT.md §8);
	// key is "" until resolveLabels settles it from the label, its
	// neighbours and its section. section holds the table it was in.
	printed bool
}

// scan is what the first pass over a document's tables finds.
type scan struct {
	// rendering is the Document's: Word's text export writes exactly one
	// line per cell, so there a surplus value line is a stray, never
	// padding (see fit).
	rendering string
	hits      []hit
	// review holds the value cells of section 四's data row(s).
	review    []Cell
	reviewLoc string
	// sections records which tables were seen at all (2, 3, 4).
	sections map[int]bool
	v2019    int
	v2021    int
	// procurementWan: the 2019 procurement header says 万元.
	procurementWan bool
	// reviewBlocks holds section 四 written one block per row
	// ("行政复议 | 1 | 0 | 0 | 0 | 1"), by block key, when there is no
	// row of 15.
	reviewBlocks    map[string][]Cell
	reviewBlockLocs map[string]string
}

// Missing names the tables a document lacks; the recognizer returns it
// (wrapped in an error) together with the partial report.
type missingError struct{ what []string }

func (e *missingError) Error() string {
	return "missing " + strings.Join(e.what, ", ")
}

// recognize maps a Document's tables to a report: rows are found by their
// labels, the layout (2021/2019) is decided from the labels seen, values
// are placed by column, and everything the recognizer is not sure of is
// null with a READ finding naming the cell. Metadata (organization, year,
// date, narrative counts) comes from the prose.
//
// When none of the three tables is found it returns a nil report and an
// error wrapping gongkai.ErrUnreadable. When some but not all are found it
// returns the report read so far and such an error naming what is missing.
func recognize(ctx context.Context, doc *Document) (*gongkai.Report, error) {
	sc := scanTables(ctx, doc)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	meta := readMeta(doc)
	v := decideVersion(sc, meta.year)
	r := gongkai.NewReport(v)
	// Every cell gets provenance: the map is made at its size once rather
	// than grown (and rehashed) five times along the way.
	if len(r.Provenance) == 0 {
		r.Provenance = make(map[string]gongkai.Source, provenanceSize(v))
	}
	labelFindings := resolveLabels(sc, v)
	r.UseSingleOther(singleOther(sc, v))
	applyMeta(r, meta)
	r.Findings = append(r.Findings, doc.Findings...)
	r.Findings = append(r.Findings, labelFindings...)
	place(r, sc)

	var missing []string
	if !sc.sections[2] {
		missing = append(missing, "table 二 (主动公开政府信息情况)")
	}
	if !sc.sections[3] {
		missing = append(missing, "table 三 (收到和处理政府信息公开申请情况)")
	}
	if !sc.sections[4] {
		missing = append(missing, "table 四 (行政复议、行政诉讼情况)")
	}
	if len(missing) == 3 {
		return nil, fmt.Errorf("%w: no table of the report found (no row label of 主动公开/依申请公开/行政复议 tables)", gongkai.ErrUnreadable)
	}
	if len(missing) > 0 {
		addMissingFindings(r, sc)
		return r, fmt.Errorf("%w: %w", gongkai.ErrUnreadable, &missingError{missing})
	}
	addMissingFindings(r, sc)
	return r, nil
}

// scanTables walks every row of every table in order, tracking which table
// it is in, and collects the rows whose labels name cell rows.
func scanTables(ctx context.Context, doc *Document) *scan {
	sc := &scan{rendering: doc.Rendering, sections: map[int]bool{}, reviewBlocks: map[string][]Cell{}, reviewBlockLocs: map[string]string{}}
	section := 0
	reviewDone := false
	var facts []*cellFacts
	var labels []Cell
	var labelFacts []*cellFacts
	for ti, t := range doc.Tables {
		if ctx.Err() != nil {
			return sc
		}
		for ri, full := range t.Rows {
			// A spanned copy of a value or blank is no cell of its own
			// (the HTML and DOCX readers repeat merged cells so columns
			// line up); copies of labels stay, they are labels.
			// Each cell is classified once (classify is the costly part),
			// and a label read once (factsOf). A row that drops no cell
			// is the Document's own (hits only read their values).
			row, copied := full, false
			facts = facts[:0]
			for i, c := range full {
				var f *cellFacts
				if c.Unsure == "" {
					if f = factsOf(c.Text); f.kind != kindText {
						f = nil
					}
				}
				if c.Spanned && f == nil {
					if !copied { // every cell before this one is kept
						row, copied = append(make([]Cell, 0, len(full)), full[:i]...), true
					}
					continue
				}
				if copied {
					row = append(row, c)
				}
				facts = append(facts, f)
			}
			last := -1
			for i := range row {
				if facts[i] != nil {
					last = i
				}
			}
			// labels and labelFacts are scratch: the hits below keep
			// copies of what they need, never the slices.
			labels, labelFacts = labels[:0], labelFacts[:0]
			for i, c := range row[:last+1] {
				if facts[i] != nil {
					labels = append(labels, c)
					labelFacts = append(labelFacts, facts[i])
				}
			}
			values := row[last+1:]
			for _, f := range labelFacts {
				if m := f.marker; m != 0 {
					section = m
					sc.sections[m] = true
				}
				sc.v2019 += f.v2019
				sc.v2021 += f.v2021
				if f.wan {
					sc.procurementWan = true
				}
			}
			if len(labels) == 0 {
				// A label whose values wrapped onto the next row (PDF text,
				// a row broken over a page): the row right after a matched
				// label without values carries them.
				if n := len(sc.hits); n > 0 && (section == 2 || section == 3) && hasContent(values) &&
					sc.hits[n-1].table == ti && sc.hits[n-1].row == ri-1 && len(sc.hits[n-1].values) == 0 {
					sc.hits[n-1].values = values
					continue
				}
				if section == 4 && !reviewDone && hasContent(values) {
					if sc.reviewLoc == "" {
						sc.reviewLoc = rowLoc(t, ti, ri, values)
					}
					sc.review = append(sc.review, values...)
					if len(sc.review) >= 15 {
						reviewDone = true
					}
				}
				continue
			}
			lastLabel := labels[len(labels)-1]
			lastFacts := labelFacts[len(labelFacts)-1]
			sec, key, ok := lastFacts.sec, lastFacts.key, lastFacts.ok
			if !ok && len(labels) > 1 {
				var b strings.Builder
				for _, l := range labels {
					b.WriteString(l.Text)
				}
				f := factsOf(b.String())
				sec, key, ok = f.sec, f.key, f.ok
			}
			if !ok {
				n := lastFacts.norm
				switch {
				case section == 3 && n == "总计" && hasContent(values):
					sec, key, ok = gongkai.SecApplications, gongkai.RowTotal, true
				case section == 3 && n == "其他" && hasContent(values) && prevKeyIs(sc, "3_6_2"):
					sec, key, ok = gongkai.SecApplications, "3_6_3", true
				}
			}
			if !ok {
				if section == 4 && !reviewDone && hasContent(values) && len(values) >= 15 {
					// Header labels and the data on one line (stream renderings).
					sc.reviewLoc = rowLoc(t, ti, ri, values)
					sc.review = append(sc.review[:0], values...)
					reviewDone = true
				}
				if (section == 2 || section == 3) && len(values) > 0 && lastFacts.marker == 0 {
					// A row with values whose label no rule knows: a
					// misspelled label, settled once the layout is known.
					sec := gongkai.SecActive
					if section == 3 {
						sec = gongkai.SecApplications
					}
					sc.hits = append(sc.hits, hit{section: sec, label: lastLabel.Text, loc: labelLoc(lastLabel, ti, ri),
						values: values, table: ti, row: ri, printed: true})
				}
				continue
			}
			switch sec {
			case gongkai.SecReview:
				section = 4
				sc.sections[4] = true
				switch {
				case !reviewDone && hasContent(values) && len(values) >= 15:
					sc.reviewLoc = rowLoc(t, ti, ri, values)
					sc.review = append(sc.review[:0], values...)
					reviewDone = true
				case hasContent(values) && sc.reviewBlocks[key] == nil:
					sc.reviewBlocks[key] = values
					sc.reviewBlockLocs[key] = lastLabel.Loc
				}
				continue
			case gongkai.SecActive:
				section = 2
				sc.sections[2] = true
			case gongkai.SecApplications:
				section = 3
				sc.sections[3] = true
				switch {
				case key == "3_6" && hasContent(values):
					sc.v2019 += 2
				case strings.HasPrefix(key, "3_6_"):
					sc.v2021 += 2
				}
			}
			sc.hits = append(sc.hits, hit{section: sec, key: key, label: lastLabel.Text, loc: labelLoc(lastLabel, ti, ri), values: values, table: ti, row: ri})
		}
	}
	return sc
}

// provenanceSize is how many provenance entries a report of layout v
// holds at most: one per table cell of either printing (the single
// （六） row included), and one each for organization, year and date.
func provenanceSize(v gongkai.Version) int {
	l := gongkai.LayoutOf(v)
	n := len(l.AllRows())*len(l.Columns) + len(l.ReviewBlocks)*len(l.ReviewColumns) + 3
	for _, a := range l.Active {
		n += len(a.Metrics)
	}
	return n
}

func labelLoc(c Cell, ti, ri int) string {
	if c.Loc != "" {
		return c.Loc
	}
	return fmt.Sprintf("table %d row %d", ti+1, ri+1)
}

// resolveLabels settles the rows whose printed label no rule knew, by the
// layout v: each may stand only for a row of its own table that no other
// label named and that lies between the rows named right before and after
// it (its neighbours); among those, the official label it is closest to
// wins (resolveLabel). Two rows that fit equally leave it unplaced with a
// READ finding naming both; they stay null. A label that fits no row is
// left alone (a note, a stray line).
func resolveLabels(sc *scan, v gongkai.Version) []gongkai.Finding {
	l := gongkai.LayoutOf(v)
	var out []gongkai.Finding
	order := map[string][]labelCandidate{}
	for _, a := range l.Active {
		order[gongkai.SecActive] = append(order[gongkai.SecActive], labelCandidate{a.Key, a.Label})
	}
	for _, r := range l.AllRows() {
		order[gongkai.SecApplications] = append(order[gongkai.SecApplications], labelCandidate{r.Key, r.Label})
	}
	for i := range sc.hits {
		h := &sc.hits[i]
		if !h.printed || h.key != "" {
			continue
		}
		rows := order[h.section]
		pos := func(key string) int {
			for j, c := range rows {
				if c.key == key {
					return j
				}
			}
			return -1
		}
		taken := map[string]bool{}
		lo, hi := -1, len(rows)
		for j, o := range sc.hits {
			if o.section != h.section || o.key == "" {
				continue
			}
			taken[o.key] = true
			p := pos(o.key)
			if p < 0 {
				continue
			}
			if j < i && p > lo {
				lo = p
			}
			if j > i && p < hi {
				hi = p
			}
		}
		if lo >= hi {
			lo, hi = -1, len(rows) // neighbours out of order: judge by the label alone
		}
		var cands []labelCandidate
		for _, c := range rows[lo+1 : hi] {
			if taken[c.key] || !otherRowFits(c.key, taken) {
				continue
			}
			cands = append(cands, c)
		}
		key, amb := resolveLabel(h.label, cands)
		switch {
		case key != "":
			h.key = key
			official := officialLabel(rows, key)
			out = append(out, gongkai.Coded(gongkai.RuleRead, gongkai.SevInfo, gongkai.Uncertain,
				gongkai.Paths{h.section + "." + key}, msg.ReadLabelMisspelled,
				rowArgs(*h, "official", official, "official_q", strconv.Quote(official))))
		case len(amb) > 0:
			var where gongkai.Paths
			for _, k := range amb {
				where = append(where, h.section+"."+k)
			}
			out = append(out, readCoded(where, msg.ReadLabelAmbiguous,
				rowArgs(*h, "keys", strings.Join(amb, " and "), "keys_zh", strings.Join(amb, "、"))))
		}
	}
	return out
}

// otherRowFits keeps （六）其他处理 as one row (3_6) and its sub-rows from
// both being candidates in a 2021 table: once either is named, the other
// printing is out.
func otherRowFits(key string, taken map[string]bool) bool {
	switch {
	case key == gongkai.RowOtherHandled:
		return !taken["3_6_1"] && !taken["3_6_2"] && !taken["3_6_3"]
	case strings.HasPrefix(key, "3_6_"):
		return !taken[gongkai.RowOtherHandled]
	}
	return true
}

func officialLabel(rows []labelCandidate, key string) string {
	for _, c := range rows {
		if c.key == key {
			return c.label
		}
	}
	return key
}

// singleOther reports whether a 2021-layout table prints （六）其他处理 as
// one row with values and none of its sub-rows (FORMAT.md §3): the report
// then keeps that row as 3_6.
func singleOther(sc *scan, v gongkai.Version) bool {
	if v != gongkai.V2021 {
		return false
	}
	single := false
	for _, h := range sc.hits {
		switch {
		case h.section != gongkai.SecApplications:
		case h.key == gongkai.RowOtherHandled && hasContent(h.values):
			single = true
		case strings.HasPrefix(h.key, "3_6_"):
			return false
		}
	}
	return single
}

func prevKeyIs(sc *scan, key string) bool {
	return len(sc.hits) > 0 && sc.hits[len(sc.hits)-1].key == key
}

func rowLoc(t Table, ti, ri int, values []Cell) string {
	if len(values) > 0 && values[0].Loc != "" {
		return values[0].Loc
	}
	return fmt.Sprintf("table %d row %d", ti+1, ri+1)
}

// hasContent reports whether any cell holds a number or an unsure value
// (not only blanks).
func hasContent(cells []Cell) bool {
	for _, c := range cells {
		if k := classify(c.Text); c.Unsure != "" || k == kindNumber || k == kindOdd {
			return true
		}
	}
	return false
}

// decideVersion picks the layout from the labels seen; the report year
// only breaks a tie (a 2020 report usually uses the 2019 layout).
func decideVersion(sc *scan, year int) gongkai.Version {
	switch {
	case sc.v2019 > sc.v2021:
		return gongkai.V2019
	case sc.v2021 > sc.v2019:
		return gongkai.V2021
	case year > 0 && year <= 2020:
		return gongkai.V2019
	}
	return gongkai.V2021
}

// align says which end of a row's value cells blank padding sits at, when
// a row has more cells than columns.
type align int

const (
	// alignRight: the values fill the table's last columns and padding
	// comes before them (a label spanning two or three label columns,
	// written out as empty cells). Section 三 and 四 rows.
	alignRight align = iota
	// alignLeft: the values start right after the label and the last one
	// spans the rest of the row (section 二's 本年处理决定数量 over three
	// columns), so padding follows them.
	alignLeft
	// alignExact: the rendering writes one cell per cell and no padding
	// (Word's text export: one line per cell). A surplus cell is a stray
	// line and the row may be shifted; nothing is dropped.
	alignExact
)

// alignFor is how the value cells of a row of section sec line up in the
// scanned document.
func (sc *scan) alignFor(sec string) align {
	switch {
	case sc.rendering == "word_text":
		return alignExact
	case sec == gongkai.SecActive:
		return alignLeft
	}
	return alignRight
}

// fit makes a row's value cells exactly n long. Blank padding is dropped
// from the end a it says, then from the other; alignExact drops none.
// ok=false means the cells cannot be placed by position: fewer values than
// columns because empty cells were dropped, or more values than columns —
// with alignExact that is a stray line that may have shifted the row, and
// the row is left null rather than read one column off.
func fit(values []Cell, n int, a align) ([]Cell, string) {
	v := values
	blank := func(c Cell) bool { return c.Unsure == "" && classify(c.Text) == kindBlank }
	dropTrailing := func() {
		for len(v) > n && blank(v[len(v)-1]) {
			v = v[:len(v)-1]
		}
	}
	dropLeading := func() {
		for len(v) > n && blank(v[0]) {
			v = v[1:]
		}
	}
	switch a {
	case alignRight:
		dropLeading()
		dropTrailing()
	case alignLeft:
		dropTrailing()
		dropLeading()
	}
	switch {
	case len(v) == n:
		return v, ""
	case len(v) > n && a == alignExact:
		return nil, fmt.Sprintf("%d value cells for %d columns: a stray line; the row would be shifted, so its cells are left null", len(v), n)
	case len(v) > n:
		return nil, fmt.Sprintf("%d values for %d columns; cannot tell which belong here", len(v), n)
	case !hasContent(v):
		// Nothing but blanks, fewer than the columns: every cell is blank.
		return nil, ""
	}
	return nil, fmt.Sprintf("%d values for %d columns (empty cells dropped?); cannot tell which column each belongs to", len(v), n)
}

// readCoded is a READ finding with a code of the msg catalogue, so it can
// be shown in Chinese.
func readCoded(where gongkai.Paths, code msg.ID, args msg.Args) gongkai.Finding {
	return gongkai.Coded(gongkai.RuleRead, gongkai.SevWarning, gongkai.Uncertain, where, code, args)
}

// rowArgs are the arguments naming a row as read: where, and its label
// (quoted in the English text) followed by more name, value pairs.
func rowArgs(h hit, more ...any) msg.Args {
	l := cleanText(h.label)
	return msg.A(append([]any{"loc", h.loc, "label", l, "label_q", strconv.Quote(l)}, more...)...)
}

// place puts the scanned values into r's cells, by the layout of r.
func place(r *gongkai.Report, sc *scan) {
	l := r.Layout()
	// Rows are keyed by section and key (a struct: no "section.key" string
	// built per lookup).
	type rowKey struct{ sec, key string }
	seen := map[rowKey]bool{}
	// A row named twice (a prose-like cell repeating a label, a heading
	// repeated at a page break) is read from its first naming that has
	// values; later ones with values must agree with it.
	primary := map[rowKey]int{}
	for i, h := range sc.hits {
		if h.key == "" {
			continue // a misspelled label resolveLabels could not settle
		}
		k := rowKey{h.section, h.key}
		j, ok := primary[k]
		if !ok || (!hasContent(sc.hits[j].values) && hasContent(h.values)) {
			primary[k] = i
		}
	}
	for i, h := range sc.hits {
		if h.key == "" {
			continue
		}
		k := rowKey{h.section, h.key}
		if j := primary[k]; j != i && !seen[k] {
			continue // placed when its primary comes, or never if blank
		}
		rp := rowPathsOf(l, h.section, h.key)
		paths, targets := rp.paths, rp.targets
		if !rp.ok {
			if h.section == gongkai.SecApplications && h.key == "3_6" && !hasContent(h.values) {
				continue // the 2021 group heading （六）其他处理
			}
			r.Findings = append(r.Findings, readCoded(gongkai.Paths{h.section + "." + h.key}, msg.ReadNotInLayout,
				rowArgs(h, "version", r.FormatVersion)))
			continue
		}
		if seen[k] {
			if hasContent(h.values) {
				checkRepeat(r, h, paths, targets, sc.alignFor(h.section))
			}
			continue
		}
		seen[k] = true
		cells, problem := fit(h.values, len(paths), sc.alignFor(h.section))
		if problem != "" {
			r.Findings = append(r.Findings, readCoded(gongkai.Paths{h.section + "." + h.key}, msg.ReadRowProblem, rowArgs(h, "detail", problem)))
			for _, p := range paths {
				r.Provenance[p] = gongkai.Source{Loc: h.loc, Raw: joinRaw(h.values)}
			}
			continue
		}
		if cells == nil {
			for _, p := range paths {
				r.Provenance[p] = gongkai.Source{Loc: h.loc, Raw: ""}
			}
			if len(h.values) == 0 {
				r.Findings = append(r.Findings, readCoded(gongkai.Paths{h.section + "." + h.key}, msg.ReadNoValues, rowArgs(h)))
			}
			continue
		}
		for i, p := range paths {
			setCell(r, p, cells[i], targets[i], sc)
		}
	}
	placeReview(r, sc)
}

// rowPaths are the cell paths of one row of a layout, with the unit each
// cell is kept in; ok=false when the layout has no such row.
type rowPaths struct {
	paths   []string
	targets []unit
	ok      bool
}

type rowPathsKey struct {
	l        *gongkai.Layout
	sec, key string
}

// The rows' paths, made once per layout and row rather than on every
// report (the layouts are fixed, and keys come from the label rules and
// the layouts themselves). Shared: read them, never change them.
var rowPathsCache = struct {
	sync.RWMutex
	m map[rowPathsKey]*rowPaths
}{m: map[rowPathsKey]*rowPaths{}}

func rowPathsOf(l *gongkai.Layout, sec, key string) *rowPaths {
	k := rowPathsKey{l, sec, key}
	rowPathsCache.RLock()
	rp, ok := rowPathsCache.m[k]
	rowPathsCache.RUnlock()
	if ok {
		return rp
	}
	rp = makeRowPaths(l, sec, key)
	rowPathsCache.Lock()
	if len(rowPathsCache.m) < 1024 { // bounded, should keys ever vary
		rowPathsCache.m[rowPathsKey{l, strings.Clone(sec), strings.Clone(key)}] = rp
	}
	rowPathsCache.Unlock()
	return rp
}

func makeRowPaths(l *gongkai.Layout, sec, key string) *rowPaths {
	rp := &rowPaths{}
	switch sec {
	case gongkai.SecActive:
		item, ok := l.ActiveItem(key)
		if !ok {
			return rp
		}
		rp.ok = true
		for _, m := range item.Metrics {
			rp.paths = append(rp.paths, gongkai.CellPath(gongkai.SecActive, key, m.Key))
			t := unitNone
			switch m.Key {
			case "amount_yuan":
				t = unitYuan
			case "amount_10k_yuan":
				t = unitWanYuan
			}
			rp.targets = append(rp.targets, t)
		}
	case gongkai.SecApplications:
		if _, ok := l.Row(key); !ok {
			return rp
		}
		rp.ok = true
		for _, c := range l.Columns {
			rp.paths = append(rp.paths, gongkai.CellPath(gongkai.SecApplications, key, c.Key))
			rp.targets = append(rp.targets, unitNone)
		}
	}
	return rp
}

// checkRepeat handles a row given twice (a table continued over a page
// break may repeat it): equal values are fine; different ones make the
// row's cells null with a finding.
func checkRepeat(r *gongkai.Report, h hit, paths []string, targets []unit, a align) {
	cells, problem := fit(h.values, len(paths), a)
	if problem != "" || cells == nil {
		return
	}
	for i, p := range paths {
		v, _ := cellValue(cells[i].Text, targets[i])
		old, _ := r.Get(p)
		if v != old {
			_ = r.Set(p, gongkai.Null)
			r.Findings = append(r.Findings, readCoded(gongkai.Paths{p}, msg.ReadRepeated,
				rowArgs(h, "old", old, "new", cells[i].Text, "new_q", strconv.Quote(cells[i].Text))))
		}
	}
}

func joinRaw(cells []Cell) string {
	parts := make([]string, len(cells))
	for i, c := range cells {
		parts[i] = strings.TrimSpace(c.Text)
	}
	return strings.Join(parts, " | ")
}

// setCell parses one value cell into the report, with provenance, or makes
// it null with a READ finding when it is not a clean number.
func setCell(r *gongkai.Report, path string, c Cell, target unit, sc *scan) {
	r.Provenance[path] = gongkai.Source{Loc: c.Loc, Raw: c.Text}
	if c.Unsure != "" {
		r.Findings = append(r.Findings, readCoded(gongkai.Paths{path}, msg.ReadCell, msg.A("loc", c.Loc, "detail", c.Unsure)))
		return
	}
	text := c.Text
	if target == unitYuan && sc.procurementWan {
		if _, u, ok := splitNumber(text); ok && u == unitNone {
			text += "万元"
		}
	}
	v, problem := cellValue(text, target)
	if problem != "" {
		r.Findings = append(r.Findings, readCoded(gongkai.Paths{path}, msg.ReadCell, msg.A("loc", c.Loc, "detail", problem)))
		return
	}
	_ = r.Set(path, v)
}

// placeReview maps section 四's 15 values: 行政复议 (5), then 未经复议直接起诉
// (5), then 复议后起诉 (5), each upheld, corrected, other, pending, total.
func placeReview(r *gongkai.Report, sc *scan) {
	if !sc.sections[4] {
		return
	}
	l := r.Layout()
	var paths []string
	for _, b := range l.ReviewBlocks {
		for _, c := range l.ReviewColumns {
			paths = append(paths, gongkai.CellPath(gongkai.SecReview, b.Key, c.Key))
		}
	}
	if len(sc.review) == 0 && len(sc.reviewBlocks) > 0 {
		// One row per block, each with its five values.
		for _, b := range l.ReviewBlocks {
			vals, ok := sc.reviewBlocks[b.Key]
			blockPath := gongkai.SecReview + "." + b.Key
			if !ok {
				r.Findings = append(r.Findings, readCoded(gongkai.Paths{blockPath}, msg.ReadBlockMissing, nil))
				continue
			}
			cells, problem := fit(vals, len(l.ReviewColumns), sc.alignFor(gongkai.SecReview))
			if problem != "" {
				r.Findings = append(r.Findings, readCoded(gongkai.Paths{blockPath}, msg.ReadReviewBlock,
					msg.A("loc", sc.reviewBlockLocs[b.Key], "label", b.Label, "detail", problem)))
				continue
			}
			for i, c := range l.ReviewColumns {
				p := gongkai.CellPath(gongkai.SecReview, b.Key, c.Key)
				if cells == nil {
					r.Provenance[p] = gongkai.Source{Loc: sc.reviewBlockLocs[b.Key]}
					continue
				}
				setCell(r, p, cells[i], unitNone, sc)
			}
		}
		return
	}
	if len(sc.review) == 0 {
		r.Findings = append(r.Findings, readCoded(gongkai.Paths{gongkai.SecReview}, msg.ReadNoReview, nil))
		return
	}
	cells, problem := fit(sc.review, len(paths), sc.alignFor(gongkai.SecReview))
	if problem != "" {
		r.Findings = append(r.Findings, readCoded(gongkai.Paths{gongkai.SecReview}, msg.ReadReviewRows,
			msg.A("loc", sc.reviewLoc, "detail", problem)))
		return
	}
	if cells == nil {
		return
	}
	for i, p := range paths {
		setCell(r, p, cells[i], unitNone, sc)
	}
}

// addMissingFindings names the rows of the tables that were found but lack
// some of their rows (the cells stay null), and whole tables not found.
func addMissingFindings(r *gongkai.Report, sc *scan) {
	l := r.Layout()
	found := map[string]bool{}
	for _, h := range sc.hits {
		if h.key != "" {
			found[h.section+"."+h.key] = true
		}
	}
	if sc.sections[2] {
		var miss []string
		for _, a := range l.Active {
			if !found[gongkai.SecActive+"."+a.Key] {
				miss = append(miss, gongkai.SecActive+"."+a.Key)
			}
		}
		if len(miss) > 0 {
			r.Findings = append(r.Findings, readCoded(miss, msg.ReadRowsMissing, msg.A("table", "二")))
		}
	} else {
		r.Findings = append(r.Findings, readCoded(gongkai.Paths{gongkai.SecActive}, msg.ReadTableMissing, msg.A("table", "二")))
	}
	if sc.sections[3] {
		var miss []string
		for _, row := range l.Rows {
			if !found[gongkai.SecApplications+"."+row.Key] && !row.Unprinted {
				miss = append(miss, gongkai.SecApplications+"."+row.Key)
			}
		}
		if len(miss) > 0 {
			r.Findings = append(r.Findings, readCoded(miss, msg.ReadRowsMissing, msg.A("table", "三")))
		}
	} else {
		r.Findings = append(r.Findings, readCoded(gongkai.Paths{gongkai.SecApplications}, msg.ReadTableMissing, msg.A("table", "三")))
	}
	if !sc.sections[4] {
		r.Findings = append(r.Findings, readCoded(gongkai.Paths{gongkai.SecReview}, msg.ReadTableMissing, msg.A("table", "四")))
	}
}
