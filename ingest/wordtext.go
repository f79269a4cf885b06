package ingest

import "strings"

// word_text is Word's "save as plain text" of a report (the seed's
// rendering): prose lines start at the margin; table cells are one per
// line, indented by a tab; a blank line ends a table row; a cell's own line
// breaks continue on unindented lines right below it; "[bookmark: …]"
// markers sit inside the text. Merged cells leave empty cell lines, or a
// stray copy of a value, in the label columns.

func sniffWordText(h *sniffHead) bool {
	if !h.plainText() {
		return false
	}
	lines := h.headLines()
	tabbed := countLines(lines, func(l string) bool { return strings.HasPrefix(l, "\t") })
	return tabbed >= 12
}

func readWordText(path string, data []byte) (*Document, error) {
	return readWordTextText(path, data, decodedText(data))
}

// readWordTextText is readWordText given text() = decodeText(data).
func readWordTextText(path string, _ []byte, text func() string) (*Document, error) {
	lines := strings.Split(text(), "\n")
	doc := &Document{Path: path, Rendering: "word_text"}
	var table *Table
	var row []Cell
	// inCell: the previous line was a cell line or its continuation, so an
	// unindented line right below continues that cell.
	inCell := false
	endRow := func() {
		if table != nil && len(row) > 0 {
			table.Rows = append(table.Rows, row)
		}
		row = nil
	}
	endTable := func() {
		endRow()
		if table != nil && len(table.Rows) > 0 {
			doc.Tables = append(doc.Tables, *table)
		}
		table = nil
	}
	for i, raw := range lines {
		l := raw // strings.TrimRight(raw, " \t"), written out: every line
		for len(l) > 0 && (l[len(l)-1] == ' ' || l[len(l)-1] == '\t') {
			l = l[:len(l)-1]
		}
		switch {
		case strings.HasPrefix(raw, "\t"):
			if table == nil {
				table = &Table{Loc: lineLoc(i)}
			}
			if row == nil {
				row = make([]Cell, 0, 16) // a row of the report's tables has up to 16 cells
			}
			row = append(row, Cell{Text: strings.TrimSpace(strings.TrimLeft(raw, "\t")), Loc: lineLoc(i)})
			inCell = true
		case strings.TrimSpace(l) == "":
			endRow()
			inCell = false
		case inCell && len(row) > 0 && factsOf(row[len(row)-1].Text).kind == kindText: // classify, cached
			// Only labels break over lines; an unindented line under a
			// number is prose (a heading repeated at a page break).
			c := &row[len(row)-1]
			c.Text += "\n" + strings.TrimSpace(l)
		default:
			endTable()
			if keep, noise := noiseLine(l); !noise && strings.TrimSpace(keep) != "" {
				doc.Lines = append(doc.Lines, Line{Text: strings.TrimSpace(keep), Loc: lineLoc(i)})
			}
		}
	}
	endTable()
	return doc, nil
}
