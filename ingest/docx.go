package ingest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gongkai"
)

// The DOCX reader reads word/document.xml as a stream: paragraphs outside
// tables become Lines, w:tbl become grids with w:gridSpan and w:vMerge
// resolved (copies marked Spanned), and text split over runs is joined.
// Headers, footers, footnotes and comments are not read.

const (
	// maxDocXMLBytes bounds the uncompressed main part; the largest real
	// reports are a few hundred kilobytes. It guards against zip bombs.
	maxDocXMLBytes = 64 << 20
	// maxGridSpan bounds w:gridSpan (Word allows 63 columns).
	maxGridSpan = 1000
)

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}
)

// sniffDOCX accepts a zip whose first entries name word/ parts, a zip
// named .docx, and a legacy Word binary (.doc/.wps), which readDOCX then
// refuses with a hint.
func sniffDOCX(h *sniffHead) bool {
	head := h.head
	ext := strings.ToLower(h.name)
	switch {
	case bytes.HasPrefix(head, zipMagic):
		return bytes.Contains(head, []byte("word/")) || strings.HasSuffix(ext, ".docx") ||
			strings.HasSuffix(ext, ".docm") || strings.HasSuffix(ext, ".dotx")
	case bytes.HasPrefix(head, oleMagic):
		return strings.HasSuffix(ext, ".doc") || strings.HasSuffix(ext, ".wps") || strings.HasSuffix(ext, ".dot")
	}
	return false
}

func readDOCX(path string, data []byte) (*Document, error) {
	if bytes.HasPrefix(data, oleMagic) {
		return nil, &gongkai.Error{Op: "parse", Path: path, Where: "docx",
			Err:  fmt.Errorf("%w: a legacy Word binary (.doc/.wps), not a .docx", gongkai.ErrUnsupported),
			Hint: "open it in Word or LibreOffice and save it as .docx (or convert it: soffice --headless --convert-to docx FILE)"}
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &gongkai.Error{Op: "parse", Path: path, Where: "docx",
			Err:  fmt.Errorf("%w: not a readable DOCX (zip): %v", gongkai.ErrUnreadable, err),
			Hint: "the file may be truncated or not a Word document; download it again or open and re-save it in Word"}
	}
	var main *zip.File
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, "word/document.xml") {
			main = f
			break
		}
	}
	if main == nil {
		return nil, &gongkai.Error{Op: "parse", Path: path, Where: "docx",
			Err: fmt.Errorf("%w: zip has no word/document.xml, so it is no Word document", gongkai.ErrUnreadable)}
	}
	if main.UncompressedSize64 > maxDocXMLBytes {
		return nil, &gongkai.Error{Op: "parse", Path: path, Where: "docx word/document.xml",
			Err: fmt.Errorf("%w: %d bytes uncompressed, more than the %d-byte limit (zip bomb?)",
				gongkai.ErrUnreadable, main.UncompressedSize64, maxDocXMLBytes)}
	}
	rc, err := main.Open()
	if err != nil {
		return nil, &gongkai.Error{Op: "parse", Path: path, Where: "docx word/document.xml",
			Err: fmt.Errorf("%w: %v", gongkai.ErrUnreadable, err)}
	}
	defer rc.Close()
	// The size in the zip header can lie: count what is really inflated.
	lr := &limitedReader{r: rc, left: maxDocXMLBytes}
	buf := bytes.NewBuffer(make([]byte, 0, min(main.UncompressedSize64, maxDocXMLBytes)+bytes.MinRead))
	_, err = buf.ReadFrom(lr)
	xmlData := buf.Bytes()
	if err != nil {
		if lr.over {
			err = fmt.Errorf("%w: word/document.xml inflates past the %d-byte limit (zip bomb?)",
				gongkai.ErrUnreadable, maxDocXMLBytes)
		} else {
			err = fmt.Errorf("%w: %w", gongkai.ErrUnreadable, err)
		}
		return nil, &gongkai.Error{Op: "parse", Path: path, Where: "docx word/document.xml", Err: err}
	}
	doc, err := parseDocumentXML(path, xmlData)
	if err != nil {
		return nil, &gongkai.Error{Op: "parse", Path: path, Where: "docx word/document.xml", Err: err}
	}
	doc.Properties = docxProperties(zr)
	return doc, nil
}

// limitedReader fails once more than left bytes have been read, and says
// so, unlike io.LimitReader, which ends quietly.
type limitedReader struct {
	r    io.Reader
	left int64
	over bool
}

var errTooLarge = errors.New("part too large")

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		l.over = true
		return 0, errTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// docx vertical merge states of a cell.
const (
	vmNone = iota
	vmRestart
	vmContinue
)

type docxCell struct {
	text   string
	span   int // grid columns covered (w:gridSpan)
	vmerge int
	// before marks the empty grid columns a row skips (w:gridBefore).
	before bool
}

type docxTable struct {
	rows   [][]docxCell
	row    []docxCell
	inRow  bool
	inCell bool
	cell   docxCell
	paras  []string // finished paragraphs of the current cell
	before int      // w:gridBefore of the current row
}

// docxParser holds the streaming state.
type docxParser struct {
	doc    *Document
	tables []*docxTable // open tables, innermost last
	para   strings.Builder
	inPara int // depth of open w:p (text boxes nest paragraphs)
	inText bool
	skip   int // depth inside elements whose text is not document text
	lineNo int
	done   []doneTable // finished tables in order of their start
	nextID int
	ids    []int // numbers of the open tables, innermost last
}

type doneTable struct {
	id    int
	table Table
}

// parseDocumentXML reads word/document.xml held in memory with
// xmlScanner (xmlscan.go), one pass without tokens.
func parseDocumentXML(path string, data []byte) (*Document, error) {
	p := &docxParser{doc: &Document{Path: path, Rendering: "docx"}}
	s := &xmlScanner{data: data}
	if err := s.scan(p); err != nil {
		return nil, fmt.Errorf("%w: bad XML: %w", gongkai.ErrUnreadable, err)
	}
	p.endPara()
	// Number tables by where they start, as a reader sees them.
	ordered := make([]Table, len(p.done))
	for _, d := range p.done {
		if d.id-1 < len(ordered) {
			ordered[d.id-1] = d.table
		}
	}
	for i := range ordered {
		ordered[i] = renumber(ordered[i], i+1)
	}
	p.doc.Tables = ordered
	return p.doc, nil
}

// start handles a start tag. Open tables get their number when they
// start, so that reading order is kept when a nested table ends before
// its parent.
func (p *docxParser) start(local []byte, attrs xmlAttrs) {
	if p.skip > 0 {
		p.skip++
		return
	}
	switch string(local) {
	case "delText", "instrText", "Fallback", "del", "moveFrom", "pPr", "rPr":
		// deleted text, field codes, the duplicate fallback of
		// mc:AlternateContent and properties (tab stops) are no
		// document text.
		p.skip = 1
	case "tbl":
		p.endPara()
		p.tables = append(p.tables, &docxTable{})
		p.nextID++
		p.ids = append(p.ids, p.nextID)
	case "tr":
		if tb := p.table(); tb != nil {
			tb.row, tb.inRow, tb.before = nil, true, 0
		}
	case "gridBefore":
		if tb := p.table(); tb != nil && tb.inRow && !tb.inCell {
			tb.before = attrInt(attrs, "val", 1, maxGridSpan)
		}
	case "tc":
		if tb := p.table(); tb != nil {
			tb.inCell = true
			tb.cell = docxCell{span: 1}
			tb.paras = nil
		}
	case "gridSpan":
		if tb := p.table(); tb != nil && tb.inCell {
			tb.cell.span = attrInt(attrs, "val", 1, maxGridSpan)
		}
	case "vMerge":
		if tb := p.table(); tb != nil && tb.inCell {
			tb.cell.vmerge = vmContinue
			if v, _ := attrs.get("val"); strings.EqualFold(v, "restart") {
				tb.cell.vmerge = vmRestart
			}
		}
	case "p":
		if p.inPara > 0 {
			// a paragraph inside a text box inside a paragraph:
			// end the outer piece so the texts stay apart.
			p.pieceBreak()
		}
		p.inPara++
	case "t":
		p.inText = true
	case "tab", "ptab":
		if p.inPara > 0 && !p.inText {
			p.para.WriteByte(' ')
		}
	case "br", "cr":
		if p.inPara > 0 {
			p.pieceBreak()
		}
	case "noBreakHyphen":
		p.para.WriteByte('-')
	}
}

// end handles an end tag (and the end of an empty element).
func (p *docxParser) end(local []byte) {
	if p.skip > 0 {
		p.skip--
		return
	}
	switch string(local) {
	case "t":
		p.inText = false
	case "p":
		if p.inPara > 0 {
			p.inPara--
		}
		if p.inPara == 0 {
			p.endPara()
		} else {
			p.pieceBreak()
		}
	case "tc":
		if tb := p.table(); tb != nil && tb.inCell {
			p.endPara()
			tb.cell.text = joinPieces(tb.paras)
			tb.row = append(tb.row, tb.cell)
			tb.inCell = false
		}
	case "tr":
		if tb := p.table(); tb != nil && tb.inRow {
			if tb.before > 0 {
				lead := []docxCell{{span: tb.before, before: true}}
				tb.row = append(lead, tb.row...)
			}
			tb.rows = append(tb.rows, tb.row)
			tb.row, tb.inRow = nil, false
		}
	case "tbl":
		if tb := p.table(); tb != nil {
			p.tables = p.tables[:len(p.tables)-1]
			id := p.ids[len(p.ids)-1]
			p.ids = p.ids[:len(p.ids)-1]
			p.done = append(p.done, doneTable{id: id, table: tb.grid()})
		}
	}
}

// chars takes the text of a w:t inside a paragraph.
func (p *docxParser) chars(text []byte) {
	if p.skip == 0 && p.inText && p.inPara > 0 {
		p.para.Write(text)
	}
}

func (p *docxParser) table() *docxTable {
	if len(p.tables) == 0 {
		return nil
	}
	return p.tables[len(p.tables)-1]
}

// pieceBreak ends one line of the paragraph being read (w:br, a nested
// text-box paragraph) without ending the paragraph.
func (p *docxParser) pieceBreak() {
	if tb := p.table(); tb != nil && tb.inCell {
		tb.paras = append(tb.paras, p.para.String())
		p.para.Reset()
		return
	}
	p.para.WriteByte('\n')
}

// endPara hands the paragraph text to the open cell, or to Lines.
func (p *docxParser) endPara() {
	text := p.para.String()
	p.para.Reset()
	if tb := p.table(); tb != nil {
		if tb.inCell {
			tb.paras = append(tb.paras, text)
		}
		return
	}
	text = joinPieces(strings.Split(text, "\n"))
	if text == "" {
		return
	}
	p.lineNo++
	p.doc.Lines = append(p.doc.Lines, Line{Text: text, Loc: "paragraph " + strconv.Itoa(p.lineNo)})
}

// grid lays the rows out on the table grid: a cell covers span columns;
// a vMerge continuation takes the text of the cell above it. Copies are
// marked spanned.
func (tb *docxTable) grid() Table {
	var out [][]*gridCell
	total := 0
	for _, row := range tb.rows {
		var cells []*gridCell
		for _, c := range row {
			if total+c.span > maxTableCells {
				break
			}
			col := len(cells)
			text, spanned := c.text, false
			if c.vmerge == vmContinue && len(out) > 0 {
				above := out[len(out)-1]
				if col < len(above) && above[col] != nil {
					text, spanned = above[col].text, true
				}
			}
			for k := 0; k < c.span; k++ {
				if c.before {
					cells = append(cells, &gridCell{})
				} else {
					cells = append(cells, &gridCell{text: text, spanned: spanned || k > 0})
				}
				total++
			}
		}
		out = append(out, cells)
	}
	g := &spanGrid{rows: out, nCells: total}
	return g.table(0) // numbered (Locs) once the reading order is known
}

// renumber sets the table number n in the table's and its cells' Loc.
func renumber(t Table, n int) Table {
	t.Loc = "table " + strconv.Itoa(n)
	for r := range t.Rows {
		for c := range t.Rows[r] {
			t.Rows[r][c].Loc = cellLoc(n, r+1, c+1)
		}
	}
	return t
}

// attrInt reads an integer attribute; missing or bad is def, values are
// kept within 1..max.
func attrInt(attrs xmlAttrs, local string, def, max int) int {
	s, _ := attrs.get(local)
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v < 1 {
		return def
	}
	if v > max {
		return max
	}
	return v
}
