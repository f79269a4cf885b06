package ingest

import (
	"bytes"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"

	"gongkai"
	"gongkai/msg"
)

// The PDF reader takes positioned glyphs from the text layer (the pure-Go
// github.com/ledongthuc/pdf, which decodes CJK text through the fonts'
// ToUnicode maps) and the ruling lines and cell boxes drawn on each page,
// and rebuilds the tables from the rulings: the drawn grid says where rows
// and columns are and which cells are merged, so a label printed one
// character per line or broken mid-word (商业企/业) still lands in one
// cell. Text outside tables becomes Lines, page by page. A table cut by a
// page break is joined with its continuation when the columns line up.
// Pages without rulings give only Lines.

const (
	maxPDFBytes = 256 << 20
	maxPDFPages = 2000
	// maxPDFGlyphs and maxPDFSegments bound the work on one page.
	maxPDFGlyphs   = 500_000
	maxPDFSegments = 50_000
	// pdfTimeout stops a malformed file that sends the parser in circles.
	pdfTimeout = 2 * time.Minute
)

// sniffPDF accepts "%PDF-" at the start or, as readers tolerate, within
// the first kilobyte (but not inside a zip, where it may be chance).
func sniffPDF(h *sniffHead) bool {
	head := h.head
	if len(head) > 1024 {
		head = head[:1024]
	}
	return bytes.Contains(head, []byte("%PDF-")) && !bytes.HasPrefix(head, zipMagic)
}

func readPDF(path string, data []byte) (*Document, error) {
	if len(data) > maxPDFBytes {
		return nil, pdfError(path, "", fmt.Errorf("%w: %d bytes is more than the %d-byte limit",
			gongkai.ErrUnreadable, len(data), maxPDFBytes))
	}
	type result struct {
		doc *Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() {
			if x := recover(); x != nil {
				res = result{err: pdfError(path, "", fmt.Errorf("%w: malformed PDF: %v", gongkai.ErrUnreadable, x))}
			}
			done <- res
		}()
		res.doc, res.err = extractPDF(path, data)
	}()
	timer := time.NewTimer(pdfTimeout)
	defer timer.Stop()
	select {
	case res := <-done:
		return res.doc, res.err
	case <-timer.C:
		return nil, pdfError(path, "", fmt.Errorf("%w: reading the PDF took longer than %v; the file is probably malformed",
			gongkai.ErrUnreadable, pdfTimeout))
	}
}

func pdfError(path, where string, err error) error {
	w := "pdf"
	if where != "" {
		w += " " + where
	}
	return &gongkai.Error{Op: "parse", Path: path, Where: w, Err: err}
}

// pdfGlyph is one shown character in page space (y grows upwards).
type pdfGlyph struct {
	x, y, size float64
	w          float64 // advance, 0 when the font does not say
	s          string
	cell       *pdfCell // the table cell it was placed in, if any
}

func extractPDF(path string, data []byte) (*Document, error) {
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		hint := "the file may be damaged; open it in a PDF viewer and print it to a new PDF"
		if strings.Contains(strings.ToLower(err.Error()), "password") || strings.Contains(strings.ToLower(err.Error()), "encrypt") {
			hint = "the PDF is encrypted; save an unprotected copy first"
		}
		return nil, &gongkai.Error{Op: "parse", Path: path, Where: "pdf",
			Err: fmt.Errorf("%w: %v", gongkai.ErrUnreadable, err), Hint: hint}
	}
	pages, err := pdfPages(r)
	if err != nil {
		return nil, pdfError(path, "", err)
	}
	doc := &Document{Path: path, Rendering: "pdf", Properties: pdfProperties(r)}
	var tables []*pdfTable
	glyphs, images, broken := 0, 0, 0
	for i, pg := range pages {
		pageNo := i + 1
		gs, segs, imgs, err := pdfPageContent(pg)
		images += imgs
		if err != nil {
			// One damaged page does not sink the report: what it held is
			// missing (null in the report), and the finding says why.
			broken++
			doc.Findings = append(doc.Findings, readCoded(nil, msg.ReadPDFPage, msg.A("page", pageNo, "err", err)))
			continue
		}
		glyphs += len(gs)
		pageTables := findTables(segs, pageNo)
		var loose []pdfGlyph
		for _, g := range gs {
			if !placeGlyph(pageTables, g) {
				loose = append(loose, g)
			}
		}
		for _, l := range textLines(loose) {
			doc.Lines = append(doc.Lines, Line{Text: l, Loc: fmt.Sprintf("page %d line %d", pageNo, len(doc.Lines)+1)})
		}
		for _, t := range pageTables {
			t.finishPage(loose)
		}
		for _, t := range pageTables {
			if n := len(tables); n > 0 && continues(tables[n-1], t) {
				tables[n-1].appendRows(t)
				continue
			}
			tables = append(tables, t)
		}
	}
	if broken > 0 && broken == len(pages) {
		return nil, pdfError(path, "", fmt.Errorf("%w: no page could be read: %s",
			gongkai.ErrUnreadable, doc.Findings[0].Message))
	}
	if glyphs == 0 {
		return nil, &gongkai.Error{Op: "parse", Path: path, Where: "pdf",
			Err: fmt.Errorf("%w: %d pages, %d images and not one character of text",
				gongkai.ErrScanned, len(pages), images),
			Hint: "the PDF holds page images only; run OCR on it (e.g. ocrmypdf -l chi_sim in.pdf out.pdf) and parse the result"}
	}
	for i, t := range tables {
		doc.Tables = append(doc.Tables, t.grid(i+1))
	}
	renumberLines(doc)
	return doc, nil
}

// renumberLines makes each Line's Loc "page P line N" with N counted
// within its page.
func renumberLines(doc *Document) {
	page, n := "", 0
	for i, l := range doc.Lines {
		p := l.Loc[:strings.Index(l.Loc, " line ")]
		if p != page {
			page, n = p, 0
		}
		n++
		doc.Lines[i].Loc = p + " line " + strconv.Itoa(n)
	}
}

// pdfPages walks the page tree itself, with a visited set and a depth
// limit, so that a page tree with cycles cannot loop forever.
func pdfPages(r *pdf.Reader) ([]pdf.Page, error) {
	root := r.Trailer().Key("Root").Key("Pages")
	if root.IsNull() {
		return nil, fmt.Errorf("%w: no page tree", gongkai.ErrUnreadable)
	}
	var pages []pdf.Page
	seen := map[string]bool{}
	visits := 0
	var walk func(v pdf.Value, depth int) error
	walk = func(v pdf.Value, depth int) error {
		visits++
		if depth > 64 || visits > 4*maxPDFPages {
			return fmt.Errorf("%w: page tree too deep or too large", gongkai.ErrUnreadable)
		}
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Page" || (kids.IsNull() && !v.Key("Contents").IsNull()) {
			if len(pages) >= maxPDFPages {
				return fmt.Errorf("%w: more than %d pages", gongkai.ErrUnreadable, maxPDFPages)
			}
			if !parentChainEnds(v) {
				return fmt.Errorf("%w: page %d has a Parent chain that never ends", gongkai.ErrUnreadable, len(pages)+1)
			}
			pages = append(pages, pdf.Page{V: v})
			return nil
		}
		for i := 0; i < kids.Len(); i++ {
			kid := kids.Index(i)
			// A node's printed form names its entries (references stay
			// "N 0 R"), so a node met twice prints the same: skip it.
			id := kid.String()
			if seen[id] {
				continue
			}
			seen[id] = true
			if err := walk(kid, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(root, 0); err != nil {
		return nil, err
	}
	return pages, nil
}

// pdfPageContent returns the page's glyphs (blank ones dropped) and the
// axis-aligned segments it draws or clips by (table rulings, cell boxes).
func pdfPageContent(pg pdf.Page) (glyphs []pdfGlyph, segs []segment, images int, err error) {
	defer func() {
		if x := recover(); x != nil {
			glyphs, segs, err = nil, nil, fmt.Errorf("%w: malformed page content: %v", gongkai.ErrUnreadable, x)
		}
	}()
	if pg.V.Key("Contents").IsNull() {
		return nil, nil, 0, nil
	}
	raw, segs, imgs := pageContent(pg)
	images = imgs
	if len(raw) > maxPDFGlyphs {
		return nil, nil, 0, fmt.Errorf("%w: more than %d characters on one page", gongkai.ErrUnreadable, maxPDFGlyphs)
	}
	for _, g := range raw {
		s := cleanSpace(g.s)
		if s == "" || bad(g.x) || bad(g.y) || bad(g.w) {
			continue
		}
		if g.size < 1 || g.size > 200 || bad(g.size) {
			g.size = 10
		}
		g.s = s
		glyphs = append(glyphs, g)
	}
	return glyphs, segs, images, nil
}

func bad(f float64) bool { return math.IsNaN(f) || math.IsInf(f, 0) }

// affine is a PDF transformation matrix [a b c d e f].
type affine [6]float64

var identity = affine{1, 0, 0, 1, 0, 0}

// then returns m followed by n (PDF's "m × n").
func (m affine) then(n affine) affine {
	return affine{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

func (m affine) apply(x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// segment is an axis-aligned line: horizontal when y0 == y1.
type segment struct {
	x0, y0, x1, y1 float64
}

func (s segment) horizontal() bool { return math.Abs(s.y1-s.y0) < 0.01 }

// inherited looks key up on a page and its ancestors, at most 64 levels.
func inherited(v pdf.Value, key string) pdf.Value {
	for i := 0; i < 64 && !v.IsNull(); i++ {
		if r := v.Key(key); !r.IsNull() {
			return r
		}
		v = v.Key("Parent")
	}
	return pdf.Value{}
}

// parentChainEnds reports whether following Parent from a page ends
// within 64 steps; the library follows it without a limit.
func parentChainEnds(v pdf.Value) bool {
	for i := 0; i < 64; i++ {
		v = v.Key("Parent")
		if v.IsNull() {
			return true
		}
	}
	return false
}

func pageSize(pg pdf.Page) (float64, float64) {
	box := inherited(pg.V, "MediaBox")
	if box.Len() == 4 {
		w := math.Abs(box.Index(2).Float64() - box.Index(0).Float64())
		h := math.Abs(box.Index(3).Float64() - box.Index(1).Float64())
		if w > 0 && h > 0 {
			return w, h
		}
	}
	return 595, 842
}

// glyphWidth estimates a glyph's advance: the library gives no widths for
// CID fonts, and CJK characters are square while Latin digits are about
// half as wide.
func glyphWidth(g pdfGlyph) float64 {
	if g.w > 0.1 {
		return g.w
	}
	r, _ := utf8.DecodeRuneInString(g.s)
	if isWide(r) {
		return g.size * float64(utf8.RuneCountInString(g.s))
	}
	return 0.5 * g.size * float64(utf8.RuneCountInString(g.s))
}

// textLines groups glyphs into lines of text, top to bottom: glyphs whose
// baselines are within a third of the font size share a line; within a
// line a gap wider than half the font size becomes a space, except
// between two CJK characters.
func textLines(gs []pdfGlyph) []string {
	if len(gs) == 0 {
		return nil
	}
	var out []string
	for _, line := range groupLines(gs) {
		if s := lineText(line); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// groupLines clusters glyphs by baseline; it returns lines top to bottom,
// each sorted left to right (stable, so glyphs the library put at one x,
// such as the characters of one string in a font without widths, keep
// their order).
func groupLines(gs []pdfGlyph) [][]pdfGlyph {
	sorted := append([]pdfGlyph(nil), gs...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].y > sorted[j].y })
	var lines [][]pdfGlyph
	var cur []pdfGlyph
	var curY, curSize float64
	for _, g := range sorted {
		if len(cur) > 0 && math.Abs(curY-g.y) <= 0.35*math.Max(curSize, g.size) {
			cur = append(cur, g)
			continue
		}
		if len(cur) > 0 {
			lines = append(lines, cur)
		}
		cur, curY, curSize = []pdfGlyph{g}, g.y, g.size
	}
	lines = append(lines, cur)
	for _, l := range lines {
		sort.SliceStable(l, func(i, j int) bool { return l[i].x < l[j].x-0.01 })
	}
	return lines
}

// lineText writes one line's glyphs left to right, with a space where the
// gap to the previous glyph is wider than half the font size. Glyphs the
// library placed at one x (a string in a font without widths) form a run
// whose end is estimated from its characters.
func lineText(line []pdfGlyph) string {
	var b strings.Builder
	var end float64
	for i, g := range line {
		w := glyphWidth(g)
		switch {
		case i == 0:
			end = g.x + w
		case math.Abs(g.x-line[i-1].x) < 0.01:
			end += w // same run
		default:
			// Chinese text needs no spaces: a gap between two CJK
			// characters is justification (第二十条　第（一）项).
			prev, _ := utf8.DecodeLastRuneInString(line[i-1].s)
			next, _ := utf8.DecodeRuneInString(g.s)
			if g.x-end > 0.5*g.size && !(isWide(prev) && isWide(next)) {
				b.WriteByte(' ')
			}
			end = math.Max(end, g.x+w)
		}
		b.WriteString(g.s)
	}
	return cleanSpace(b.String())
}
