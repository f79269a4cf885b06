package ingest

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"gongkai"
)

// The DOCX reader as it was before xmlScanner (issue 11), kept here only
// as the oracle the scanner's Documents are compared with
// (docx_stream_test.go): encoding/xml's Decoder.Token over the same
// handlers' logic, written out as it was.

func parseDocumentXMLRef(path string, r io.Reader) (*Document, error) {
	p := &docxParser{doc: &Document{Path: path, Rendering: "docx"}}
	dec := xml.NewDecoder(r)
	// Open tables get their number when they start, so that reading order
	// is kept when a nested table ends before its parent.
	var ids []int
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: bad XML: %w", gongkai.ErrUnreadable, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if p.skip > 0 {
				p.skip++
				continue
			}
			switch t.Name.Local {
			case "delText", "instrText", "Fallback", "del", "moveFrom", "pPr", "rPr":
				// deleted text, field codes, the duplicate fallback of
				// mc:AlternateContent and properties (tab stops) are no
				// document text.
				p.skip = 1
			case "tbl":
				p.endPara()
				p.tables = append(p.tables, &docxTable{})
				p.nextID++
				ids = append(ids, p.nextID)
			case "tr":
				if tb := p.table(); tb != nil {
					tb.row, tb.inRow, tb.before = nil, true, 0
				}
			case "gridBefore":
				if tb := p.table(); tb != nil && tb.inRow && !tb.inCell {
					tb.before = attrIntRef(t, "val", 1, maxGridSpan)
				}
			case "tc":
				if tb := p.table(); tb != nil {
					tb.inCell = true
					tb.cell = docxCell{span: 1}
					tb.paras = nil
				}
			case "gridSpan":
				if tb := p.table(); tb != nil && tb.inCell {
					tb.cell.span = attrIntRef(t, "val", 1, maxGridSpan)
				}
			case "vMerge":
				if tb := p.table(); tb != nil && tb.inCell {
					tb.cell.vmerge = vmContinue
					if strings.EqualFold(attrValRef(t, "val"), "restart") {
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
		case xml.EndElement:
			if p.skip > 0 {
				p.skip--
				continue
			}
			switch t.Name.Local {
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
					id := ids[len(ids)-1]
					ids = ids[:len(ids)-1]
					p.done = append(p.done, doneTable{id: id, table: tb.grid()})
				}
			}
		case xml.CharData:
			if p.skip == 0 && p.inText && p.inPara > 0 {
				p.para.Write(t)
			}
		}
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

func attrValRef(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// attrIntRef reads an integer attribute; missing or bad is def, values are
// kept within 1..max.
func attrIntRef(t xml.StartElement, local string, def, max int) int {
	v, err := strconv.Atoi(strings.TrimSpace(attrValRef(t, local)))
	if err != nil || v < 1 {
		return def
	}
	if v > max {
		return max
	}
	return v
}
