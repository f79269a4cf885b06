package gongkai

import (
	"bytes"
	"encoding/json"
	"fmt"
	"iter"
	"maps"
	"slices"
	"strings"
)

// Section names, as they appear first in a cell path.
const (
	SecActive       = "active"
	SecApplications = "applications"
	SecReview       = "review_litigation"
	SecNarrative    = "narrative"
)

// Report is one annual report of one body for one year: the record of
// FORMAT.md §5. It knows its layout's cells and nothing of how it was read
// or where it is stored.
//
// Every cell of the layout is present in the maps; a cell the document does
// not state holds Null.
type Report struct {
	Organization  string
	ReportYear    int
	FormatVersion Version
	// SingleOther is set for a 2021 report printed with a single
	// （六）其他处理 row instead of its three sub-rows (FORMAT.md §3): its
	// layout is LayoutSingleOther, 3_6 holds the row, 3_6_1…3_6_3 stay null.
	// Set it with UseSingleOther; the record's JSON says it by carrying the
	// row 3_6.
	SingleOther bool
	// PublishedOn is the date at the foot of the report, "2006-01-02"; empty
	// when the document does not give one.
	PublishedOn string

	// Active is section 二: item key → metric key → value.
	Active map[string]map[string]Num
	// Applications is section 三: row key → the seven applicant columns.
	Applications map[string]*[NumColumns]Num
	// ReviewLitigation is section 四: block key → column key → value.
	ReviewLitigation map[string]map[string]Num
	// Narrative holds counts stated in the prose of section 一, under named
	// keys (disclosed_items, wechat_posts...). Absent keys were not found.
	Narrative map[string]Num

	// Body says who wrote the report, as resolved against the divisions of
	// China; zero when unresolved (the store keeps NULLs, never a guess).
	Body Body

	Findings []Finding

	// Provenance says where each cell came from, by cell path. Readers fill
	// it; it is not part of the record's JSON.
	Provenance map[string]Source
}

// Body places a report's author in the administrative divisions.
type Body struct {
	// DivisionCode is the GB/T 2260 code (6 digits) of the county-level
	// division, or the 9-digit statistical code of the township.
	DivisionCode string `json:"division_code,omitempty"`
	Province     string `json:"province,omitempty"`
	City         string `json:"city,omitempty"`
	County       string `json:"county,omitempty"`
	Township     string `json:"township,omitempty"`
	// Type is township_government, street_office, county_government,
	// county_department, city_government, city_department...
	Type string `json:"body_type,omitempty"`
	// Aggregate marks a whole-area report (全区/全市 totals): compared with
	// the sum of its parts (R9), never summed with them.
	Aggregate bool `json:"aggregate,omitempty"`
}

// IsZero reports whether nothing is known of the body.
func (b Body) IsZero() bool { return b == Body{} }

// Source locates a value in its document: Loc is reader-specific ("line
// 212", "table 2 row 5 col 3") and Raw is the text as written.
type Source struct {
	Loc string `json:"loc"`
	Raw string `json:"raw"`
}

// NewReport returns a report of layout v with every cell null.
func NewReport(v Version) *Report {
	l := LayoutOf(v)
	if l == nil {
		panic(fmt.Sprintf("gongkai.NewReport: unknown version %q", v))
	}
	r := &Report{
		FormatVersion:    v,
		Active:           map[string]map[string]Num{},
		Applications:     map[string]*[NumColumns]Num{},
		ReviewLitigation: map[string]map[string]Num{},
		Narrative:        map[string]Num{},
		Provenance:       map[string]Source{},
	}
	for _, a := range l.Active {
		m := map[string]Num{}
		for _, mt := range a.Metrics {
			m[mt.Key] = Null
		}
		r.Active[a.Key] = m
	}
	for _, row := range l.Rows {
		r.Applications[row.Key] = &[NumColumns]Num{}
	}
	for _, b := range l.ReviewBlocks {
		m := map[string]Num{}
		for _, c := range l.ReviewColumns {
			m[c.Key] = Null
		}
		r.ReviewLitigation[b.Key] = m
	}
	return r
}

// Layout returns the report's layout (nil if its version is unknown).
func (r *Report) Layout() *Layout {
	if r.SingleOther && r.FormatVersion == V2021 {
		return singleOther
	}
	return LayoutOf(r.FormatVersion)
}

// UseSingleOther switches a 2021 report to the printing with a single
// （六）其他处理 row (on) or back (off): the row 3_6 is added, null, or
// removed. The sub-rows 3_6_1…3_6_3 keep their values either way; readers
// switch before they place values. It does nothing to a 2019 report, whose
// layout always has the single row.
func (r *Report) UseSingleOther(on bool) {
	if r.FormatVersion != V2021 || r.SingleOther == on {
		return
	}
	r.SingleOther = on
	if on {
		r.Applications[RowOtherHandled] = &[NumColumns]Num{}
	} else {
		delete(r.Applications, RowOtherHandled)
	}
}

// Cell is one addressable number of a report, with its official labels.
type Cell struct {
	Section  string // active | applications | review_litigation
	RowKey   string // item, row or block key
	ColKey   string // metric or column key
	RowLabel string
	ColLabel string
	Kind     Kind
	Value    Num
}

// Path is the cell's dotted path, as findings and provenance name it.
func (c Cell) Path() string { return c.Section + "." + c.RowKey + "." + c.ColKey }

// CellPath joins a section, row and column into a dotted path.
func CellPath(section, row, col string) string { return section + "." + row + "." + col }

// Cells lists every table cell of the report in layout order: section 二,
// then 三 row by row, then 四. Narrative counts are not table cells.
func (r *Report) Cells() []Cell {
	l := r.Layout()
	out := make([]Cell, 0, l.ActiveCells()+len(l.Rows)*NumColumns+len(l.ReviewBlocks)*len(l.ReviewColumns))
	for c := range r.AllCells() {
		out = append(out, c)
	}
	return out
}

// AllCells yields the cells Cells lists, in its order, without building
// the list: the checks that run on every parse (Validate, R5) only look
// at each cell once, and two lists of some 250 cells were a tenth of a
// parse's allocations.
func (r *Report) AllCells() iter.Seq[Cell] {
	return func(yield func(Cell) bool) {
		l := r.Layout()
		for _, a := range l.Active {
			for _, m := range a.Metrics {
				if !yield(Cell{SecActive, a.Key, m.Key, a.Label, m.Label, m.Kind, r.Active[a.Key][m.Key]}) {
					return
				}
			}
		}
		for _, row := range l.Rows {
			vals := r.Applications[row.Key]
			for i, c := range l.Columns {
				var v Num
				if vals != nil {
					v = vals[i]
				}
				if !yield(Cell{SecApplications, row.Key, c.Key, row.Label, c.Label, Count, v}) {
					return
				}
			}
		}
		for _, b := range l.ReviewBlocks {
			for _, c := range l.ReviewColumns {
				if !yield(Cell{SecReview, b.Key, c.Key, b.Label, c.Label, Count, r.ReviewLitigation[b.Key][c.Key]}) {
					return
				}
			}
		}
	}
}

// Set stores v at a cell path ("applications.1_new.total"). It returns an
// error for a path the layout does not have, so a reader cannot invent cells.
func (r *Report) Set(path string, v Num) error {
	sec, rest, _ := strings.Cut(path, ".")
	row, col, _ := strings.Cut(rest, ".")
	l := r.Layout()
	switch sec {
	case SecActive:
		if it, ok := l.ActiveItem(row); ok {
			for _, m := range it.Metrics {
				if m.Key == col {
					r.Active[row][col] = v
					return nil
				}
			}
		}
	case SecApplications:
		if _, ok := l.Row(row); ok {
			if i := ColumnIndex(col); i >= 0 {
				r.Applications[row][i] = v
				return nil
			}
		}
	case SecReview:
		if _, ok := l.ReviewBlock(row); ok {
			if _, ok := r.ReviewLitigation[row][col]; ok {
				r.ReviewLitigation[row][col] = v
				return nil
			}
		}
	}
	return fmt.Errorf("no cell %q in the %s layout", path, r.FormatVersion)
}

// Get returns the value at a cell path, and false when the layout has no
// such cell.
func (r *Report) Get(path string) (Num, bool) {
	sec, rest, _ := strings.Cut(path, ".")
	row, col, _ := strings.Cut(rest, ".")
	switch sec {
	case SecActive:
		if m, ok := r.Active[row]; ok {
			v, ok := m[col]
			return v, ok
		}
	case SecApplications:
		if vals, ok := r.Applications[row]; ok {
			if i := ColumnIndex(col); i >= 0 {
				return vals[i], true
			}
		}
	case SecReview:
		if m, ok := r.ReviewLitigation[row]; ok {
			v, ok := m[col]
			return v, ok
		}
	}
	return Null, false
}

// MarshalJSON writes the record in the official order of rows and columns,
// so two reports diff line by line.
func (r *Report) MarshalJSON() ([]byte, error) {
	l := r.Layout()
	if l == nil {
		return nil, fmt.Errorf("report %q: unknown format version %q", r.Organization, r.FormatVersion)
	}
	var b bytes.Buffer
	str := func(s string) { enc, _ := json.Marshal(s); b.Write(enc) }
	b.WriteString(`{"organization":`)
	str(r.Organization)
	fmt.Fprintf(&b, `,"report_year":%d,"format_version":`, r.ReportYear)
	str(string(r.FormatVersion))
	b.WriteString(`,"published_on":`)
	if r.PublishedOn == "" {
		b.WriteString("null")
	} else {
		str(r.PublishedOn)
	}
	b.WriteString(`,"active":{`)
	for i, a := range l.Active {
		if i > 0 {
			b.WriteByte(',')
		}
		str(a.Key)
		b.WriteString(":{")
		for j, m := range a.Metrics {
			if j > 0 {
				b.WriteByte(',')
			}
			str(m.Key)
			b.WriteByte(':')
			b.WriteString(jsonNum(r.Active[a.Key][m.Key]))
		}
		b.WriteByte('}')
	}
	b.WriteString(`},"applications":{`)
	for i, row := range l.Rows {
		if i > 0 {
			b.WriteByte(',')
		}
		str(row.Key)
		b.WriteString(":[")
		vals := r.Applications[row.Key]
		for j := 0; j < NumColumns; j++ {
			if j > 0 {
				b.WriteByte(',')
			}
			if vals == nil {
				b.WriteString("null")
			} else {
				b.WriteString(jsonNum(vals[j]))
			}
		}
		b.WriteByte(']')
	}
	b.WriteString(`},"review_litigation":{`)
	for i, blk := range l.ReviewBlocks {
		if i > 0 {
			b.WriteByte(',')
		}
		str(blk.Key)
		b.WriteString(":{")
		for j, c := range l.ReviewColumns {
			if j > 0 {
				b.WriteByte(',')
			}
			str(c.Key)
			b.WriteByte(':')
			b.WriteString(jsonNum(r.ReviewLitigation[blk.Key][c.Key]))
		}
		b.WriteByte('}')
	}
	b.WriteString(`},"narrative":{`)
	for i, k := range sortedKeys(r.Narrative) {
		if i > 0 {
			b.WriteByte(',')
		}
		str(k)
		b.WriteByte(':')
		b.WriteString(jsonNum(r.Narrative[k]))
	}
	b.WriteString(`}`)
	if !r.Body.IsZero() {
		enc, err := json.Marshal(r.Body)
		if err != nil {
			return nil, err
		}
		b.WriteString(`,"body":`)
		b.Write(enc)
	}
	b.WriteString(`,"findings":`)
	f := r.Findings
	if f == nil {
		f = []Finding{}
	}
	enc, err := json.Marshal(f)
	if err != nil {
		return nil, err
	}
	b.Write(enc)
	b.WriteByte('}')
	return b.Bytes(), nil
}

func jsonNum(n Num) string {
	if !n.valid {
		return "null"
	}
	return n.String()
}

// reportJSON is the wire shape; unknown top-level fields (a truth file's
// reading_notes) are ignored, unknown cells are not.
type reportJSON struct {
	Organization     string                    `json:"organization"`
	ReportYear       int                       `json:"report_year"`
	FormatVersion    string                    `json:"format_version"`
	PublishedOn      *string                   `json:"published_on"`
	Active           map[string]map[string]Num `json:"active"`
	Applications     map[string][]Num          `json:"applications"`
	ReviewLitigation map[string]map[string]Num `json:"review_litigation"`
	Narrative        map[string]Num            `json:"narrative"`
	Body             Body                      `json:"body"`
	Findings         []Finding                 `json:"findings"`
	Provenance       map[string]Source         `json:"provenance"`
}

// UnmarshalJSON reads a record. A cell the layout does not have is an
// error; a cell the JSON leaves out stays null.
func (r *Report) UnmarshalJSON(data []byte) error {
	var w reportJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	v, err := ParseVersion(w.FormatVersion)
	if err != nil {
		return err
	}
	out := NewReport(v)
	if _, ok := w.Applications[RowOtherHandled]; ok && v == V2021 {
		out.UseSingleOther(true)
	}
	out.Organization = w.Organization
	out.ReportYear = w.ReportYear
	if w.PublishedOn != nil {
		out.PublishedOn = *w.PublishedOn
	}
	for item, ms := range w.Active {
		for m, val := range ms {
			if err := out.Set(CellPath(SecActive, item, m), val); err != nil {
				return err
			}
		}
	}
	for row, vals := range w.Applications {
		if _, ok := out.Applications[row]; !ok {
			return fmt.Errorf("no row %q in the %s layout", row, v)
		}
		if len(vals) != NumColumns {
			return fmt.Errorf("row %q has %d values, want %d", row, len(vals), NumColumns)
		}
		copy(out.Applications[row][:], vals)
	}
	for blk, cs := range w.ReviewLitigation {
		for c, val := range cs {
			if err := out.Set(CellPath(SecReview, blk, c), val); err != nil {
				return err
			}
		}
	}
	for k, val := range w.Narrative {
		out.Narrative[k] = val
	}
	out.Body = w.Body
	out.Findings = w.Findings
	for k, s := range w.Provenance {
		out.Provenance[k] = s
	}
	*r = *out
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
