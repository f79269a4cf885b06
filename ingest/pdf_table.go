package ingest

import (
	"math"
	"regexp"
	"sort"
)

// Rebuilding tables from a PDF page's rulings: the horizontal and vertical
// segments that touch each other form a table; the distinct x of its
// vertical rulings are the column boundaries and the distinct y of its
// horizontal rulings the row boundaries. Two neighbouring slots of that
// grid belong to one (merged) cell when no ruling separates them.

const (
	// snap is how far apart two rulings may be and still count as one
	// line (borders of neighbouring cells are drawn twice, a hair apart).
	snap = 2.0
	// maxTablePairs bounds the touch test between rulings on one page.
	maxTablePairs = 4_000_000
)

type hLine struct{ y, x0, x1 float64 }
type vLine struct{ x, y0, y1 float64 }

// pdfTable is a table found on one page, or several pages once a
// continuation has been appended. Row bands are numbered top to bottom.
type pdfTable struct {
	page          int // page of the last fragment
	xs            []float64
	ys            []float64 // row boundaries of the last fragment, top first
	nRows         int
	cells         []*pdfCell
	slots         [][]*pdfCell // slot → cell, for the last fragment
	top, bottom   float64
	left, right   float64
	firstOnPage   bool
	placed        []pdfGlyph // glyphs of the last fragment, with their cells
	textBelow     bool       // loose text under the table on its page
	textAbove     bool       // loose text over the table on its page
	fragmentCells []*pdfCell
}

// pdfCell is one (possibly merged) cell: row bands [r0, r1) and the x of
// its left and right edges; glyphs are those of the current page.
type pdfCell struct {
	r0, r1 int
	x0, x1 float64
	glyphs []pdfGlyph
	text   string
	// unsure says why the cell's text may be incomplete (a number that
	// runs over the cell border); the recognizer then nulls the value.
	unsure string
}

// findTables returns the tables ruled on one page, top to bottom.
func findTables(segs []segment, page int) []*pdfTable {
	var hs []hLine
	var vs []vLine
	for _, s := range segs {
		if s.horizontal() {
			hs = append(hs, hLine{s.y0, math.Min(s.x0, s.x1), math.Max(s.x0, s.x1)})
		} else {
			vs = append(vs, vLine{s.x0, math.Min(s.y0, s.y1), math.Max(s.y0, s.y1)})
		}
	}
	hs = mergeH(hs)
	vs = mergeV(vs)
	if len(hs) < 2 || len(vs) < 2 || len(hs)*len(vs) > maxTablePairs {
		return nil
	}
	// Union-find over rulings: index i < len(hs) is a horizontal one.
	parent := make([]int, len(hs)+len(vs))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, h := range hs {
		for j, v := range vs {
			if v.x >= h.x0-snap && v.x <= h.x1+snap && h.y >= v.y0-snap && h.y <= v.y1+snap {
				parent[find(i)] = find(len(hs) + j)
			}
		}
	}
	groups := map[int]*struct {
		hs []hLine
		vs []vLine
	}{}
	var order []int
	for i := range parent {
		root := find(i)
		g, ok := groups[root]
		if !ok {
			g = &struct {
				hs []hLine
				vs []vLine
			}{}
			groups[root] = g
			order = append(order, root)
		}
		if i < len(hs) {
			g.hs = append(g.hs, hs[i])
		} else {
			g.vs = append(g.vs, vs[i-len(hs)])
		}
	}
	var tables []*pdfTable
	for _, root := range order {
		g := groups[root]
		if t := buildTable(g.hs, g.vs, page); t != nil {
			tables = append(tables, t)
		}
	}
	sort.SliceStable(tables, func(i, j int) bool { return tables[i].top > tables[j].top })
	for i, t := range tables {
		t.firstOnPage = i == 0
	}
	return tables
}

// buildTable lays the grid of one group of touching rulings and merges
// the slots no ruling separates. It returns nil for a lone box or a
// stack of boxes one column wide.
func buildTable(hs []hLine, vs []vLine, page int) *pdfTable {
	var xv, yv []float64
	for _, v := range vs {
		xv = append(xv, v.x)
	}
	for _, h := range hs {
		yv = append(yv, h.y)
	}
	xs := clusterValues(xv)
	ys := clusterValues(yv)
	// top first
	for i, j := 0, len(ys)-1; i < j; i, j = i+1, j-1 {
		ys[i], ys[j] = ys[j], ys[i]
	}
	nr, nc := len(ys)-1, len(xs)-1
	// One column is no table: WPS boxes each line of a framed paragraph.
	if nr < 1 || nc < 2 || nr*nc > maxTableCells {
		return nil
	}
	vAt := func(x, y float64) bool {
		for _, v := range vs {
			if math.Abs(v.x-x) <= snap && y >= v.y0-snap && y <= v.y1+snap {
				return true
			}
		}
		return false
	}
	hAt := func(y, x float64) bool {
		for _, h := range hs {
			if math.Abs(h.y-y) <= snap && x >= h.x0-snap && x <= h.x1+snap {
				return true
			}
		}
		return false
	}
	parent := make([]int, nr*nc)
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	union := func(a, b int) {
		ra, rb := find(a), find(b)
		if ra < rb {
			parent[rb] = ra
		} else {
			parent[ra] = rb
		}
	}
	for r := 0; r < nr; r++ {
		ym := (ys[r] + ys[r+1]) / 2
		for c := 0; c < nc; c++ {
			xm := (xs[c] + xs[c+1]) / 2
			if c+1 < nc && !vAt(xs[c+1], ym) {
				union(r*nc+c, r*nc+c+1)
			}
			if r+1 < nr && !hAt(ys[r+1], xm) {
				union(r*nc+c, (r+1)*nc+c)
			}
		}
	}
	t := &pdfTable{page: page, xs: xs, ys: ys, nRows: nr,
		top: ys[0], bottom: ys[nr], left: xs[0], right: xs[nc]}
	t.slots = make([][]*pdfCell, nr)
	byRoot := map[int]*pdfCell{}
	for r := 0; r < nr; r++ {
		t.slots[r] = make([]*pdfCell, nc)
		for c := 0; c < nc; c++ {
			root := find(r*nc + c)
			cell, ok := byRoot[root]
			if !ok {
				cell = &pdfCell{r0: r, r1: r + 1, x0: xs[c], x1: xs[c+1]}
				byRoot[root] = cell
				t.cells = append(t.cells, cell)
			}
			cell.r1 = max(cell.r1, r+1)
			cell.x0 = math.Min(cell.x0, xs[c])
			cell.x1 = math.Max(cell.x1, xs[c+1])
			t.slots[r][c] = cell
		}
	}
	t.fragmentCells = t.cells
	return t
}

// clusterValues sorts values and replaces runs closer than snap by their
// mean.
func clusterValues(v []float64) []float64 {
	if len(v) == 0 {
		return nil
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	var out []float64
	sum, n := s[0], 1.0
	for i := 1; i < len(s); i++ {
		if s[i]-s[i-1] <= snap {
			sum += s[i]
			n++
			continue
		}
		out = append(out, sum/n)
		sum, n = s[i], 1
	}
	return append(out, sum/n)
}

// mergeH joins horizontal rulings on one y whose spans touch or overlap.
func mergeH(hs []hLine) []hLine {
	sort.Slice(hs, func(i, j int) bool {
		if math.Abs(hs[i].y-hs[j].y) > 0.5 {
			return hs[i].y < hs[j].y
		}
		return hs[i].x0 < hs[j].x0
	})
	var out []hLine
	for _, h := range hs {
		if n := len(out); n > 0 && math.Abs(out[n-1].y-h.y) <= 0.5 && h.x0 <= out[n-1].x1+snap {
			out[n-1].x1 = math.Max(out[n-1].x1, h.x1)
			continue
		}
		out = append(out, h)
	}
	return out
}

// mergeV joins vertical rulings on one x whose spans touch or overlap.
func mergeV(vs []vLine) []vLine {
	sort.Slice(vs, func(i, j int) bool {
		if math.Abs(vs[i].x-vs[j].x) > 0.5 {
			return vs[i].x < vs[j].x
		}
		return vs[i].y0 < vs[j].y0
	})
	var out []vLine
	for _, v := range vs {
		if n := len(out); n > 0 && math.Abs(out[n-1].x-v.x) <= 0.5 && v.y0 <= out[n-1].y1+snap {
			out[n-1].y1 = math.Max(out[n-1].y1, v.y1)
			continue
		}
		out = append(out, v)
	}
	return out
}

// placeGlyph puts a glyph into the table cell under it and reports
// whether it found one. The glyph's reference point is the middle of its
// first character, a third of the font size above the baseline.
func placeGlyph(tables []*pdfTable, g pdfGlyph) bool {
	px := g.x + 0.5*math.Min(glyphWidth(g), g.size)
	py := g.y + 0.3*g.size
	for _, t := range tables {
		if px < t.left-1 || px > t.right+1 || py > t.top+1 || py < t.bottom-1 {
			continue
		}
		c := sort.Search(len(t.xs), func(i int) bool { return t.xs[i] > px }) - 1
		c = min(max(c, 0), len(t.xs)-2)
		r := sort.Search(len(t.ys), func(i int) bool { return t.ys[i] < py }) - 1
		r = min(max(r, 0), len(t.ys)-2)
		cell := t.slots[r][c]
		g.cell = cell
		cell.glyphs = append(cell.glyphs, g)
		t.placed = append(t.placed, g)
		return true
	}
	return false
}

// finishPage turns the glyphs of the page's fragment into cell text and
// notes whether loose text lies above or below the table (page numbers
// and running page marks do not count).
func (t *pdfTable) finishPage(loose []pdfGlyph) {
	for _, c := range t.fragmentCells {
		var pieces []string
		for _, line := range groupLines(c.glyphs) {
			pieces = append(pieces, lineText(line))
		}
		c.text = joinPieces(pieces)
		c.glyphs = nil
	}
	t.markOverflow()
	for _, line := range groupLines(loose) {
		if len(line) == 0 || pageMark.MatchString(lineText(line)) {
			continue
		}
		if line[0].y > t.top {
			t.textAbove = true
		}
		if line[0].y < t.bottom {
			t.textBelow = true
		}
	}
}

// markOverflow finds numbers printed across a cell border: two digits on
// one line, set tight as in one number, that fell into different cells.
// Reading them as two cells would make two wrong numbers, so both cells
// are marked unsure.
func (t *pdfTable) markOverflow() {
	for _, line := range groupLines(t.placed) {
		for i := 1; i < len(line); i++ {
			a, b := line[i-1], line[i]
			if a.cell == b.cell || !digitLike(a.s) || !digitLike(b.s) {
				continue
			}
			if b.x-(a.x+glyphWidth(a)) < 0.25*b.size {
				const why = "digits run over the cell border in the PDF; the number may be cut"
				a.cell.unsure, b.cell.unsure = why, why
			}
		}
	}
	t.placed = nil
}

func digitLike(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r == '.' || r == ',' || r >= '０' && r <= '９') {
			return false
		}
	}
	return s != ""
}

// pageMark matches a line that is only a page number: "-3-", "— 3 —",
// "第3页", "3/6", "3".
var pageMark = regexp.MustCompile(`^[-—–－\s]*(第\s*)?\d+(\s*页)?(\s*/\s*\d+)?(\s*共\s*\d+\s*页)?[-—–－\s]*$`)

// continues reports whether next, the first table of a page, carries on
// prev, the last table of the page before: nothing but page marks lies
// between them, the outer edges line up, and one's column boundaries are
// all among the other's.
func continues(prev, next *pdfTable) bool {
	if next.page != prev.page+1 || !next.firstOnPage || prev.textBelow || next.textAbove {
		return false
	}
	const tol = 3.0
	if math.Abs(prev.left-next.left) > tol || math.Abs(prev.right-next.right) > tol {
		return false
	}
	return subsetXs(prev.xs, next.xs, tol) || subsetXs(next.xs, prev.xs, tol)
}

func subsetXs(small, big []float64, tol float64) bool {
	for _, x := range small {
		found := false
		for _, y := range big {
			if math.Abs(x-y) <= tol {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// appendRows adds next's rows under t's. A merged cell that runs on over
// the page break (三、本年度办理结果, （四）无/法提供) is joined with its
// continuation; when the break splits a row, the row's two halves are
// joined.
func (t *pdfTable) appendRows(next *pdfTable) {
	const tol = 3.0
	var bottom []*pdfCell
	for _, c := range t.cells {
		if c.r1 == t.nRows {
			bottom = append(bottom, c)
		}
	}
	match := func(b *pdfCell) *pdfCell {
		for _, a := range bottom {
			if math.Abs(a.x0-b.x0) <= tol && math.Abs(a.x1-b.x1) <= tol {
				return a
			}
		}
		return nil
	}
	split := rowSplit(next, match)
	offset := t.nRows
	if split {
		offset--
	}
	for _, b := range next.cells {
		if b.r0 == 0 {
			if a := match(b); a != nil && (split || a.r1-a.r0 > 1 || b.r1-b.r0 > 1) {
				a.text = joinPieces([]string{a.text, b.text})
				if b.unsure != "" {
					a.unsure = b.unsure
				}
				a.r1 = offset + b.r1
				continue
			}
		}
		b.r0 += offset
		b.r1 += offset
		t.cells = append(t.cells, b)
	}
	t.nRows = offset + next.nRows
	t.xs = clusterValues(append(append([]float64(nil), t.xs...), next.xs...))
	t.page, t.ys, t.slots = next.page, next.ys, next.slots
	t.top, t.bottom = next.top, next.bottom
	t.textBelow = next.textBelow
	t.fragmentCells = next.fragmentCells
}

// rowSplit reports whether the page break cut a row in two: some single-
// row cell is continued (text on one side only) and no column has a
// number on both sides, which two whole rows would.
func rowSplit(next *pdfTable, match func(*pdfCell) *pdfCell) bool {
	pairs, oneSided := 0, 0
	for _, b := range next.cells {
		if b.r0 != 0 || b.r1 != 1 {
			continue
		}
		a := match(b)
		if a == nil || a.r1-a.r0 != 1 {
			continue
		}
		pairs++
		if looksNumeric(a.text) && looksNumeric(b.text) {
			return false
		}
		if (a.text == "") != (b.text == "") {
			oneSided++
		}
	}
	return pairs > 0 && oneSided > 0
}

var numericText = regexp.MustCompile(`^[-+]?[0-9０-９][0-9０-９,，.]*\s*(元|万元|件|个|条)?$`)

func looksNumeric(s string) bool { return numericText.MatchString(s) }

// grid lays the table out on its column boundaries: a merged cell fills
// every slot it covers, copies marked spanned.
func (t *pdfTable) grid(n int) Table {
	nc := len(t.xs) - 1
	col := func(x float64) int {
		best, bd := 0, math.Inf(1)
		for i, v := range t.xs {
			if d := math.Abs(v - x); d < bd {
				best, bd = i, d
			}
		}
		return best
	}
	g := &spanGrid{rows: make([][]*gridCell, t.nRows)}
	for r := range g.rows {
		g.rows[r] = make([]*gridCell, nc)
	}
	for _, c := range t.cells {
		c0, c1 := col(c.x0), col(c.x1)
		if c1 <= c0 {
			c1 = c0 + 1
		}
		for r := c.r0; r < c.r1 && r < t.nRows; r++ {
			for k := c0; k < c1 && k < nc; k++ {
				if g.rows[r][k] != nil {
					continue
				}
				g.rows[r][k] = &gridCell{text: c.text, spanned: r > c.r0 || k > c0, unsure: c.unsure}
			}
		}
	}
	return g.table(n)
}
