package ingest

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/atom"
)

// streamWalker turns the tree's events (html_stream.go) into the Document
// exactly as htmlWalker's walk over the tree does: prose lines split at
// block elements, script/textarea text searched for embedded tables, the
// <title> as a property, skipped elements, and tables. Whether a table
// holds data or lays out the page (isLayoutTable) is known only when it is
// seen whole, so the innermost table is buffered: its cells (for the grid)
// and, beside them, the walk's events over it (for a layout table, read as
// running text). A table that turns out to lay out the page (a table
// opens inside it, a cell grows past maxDataCellRunes, or it ends with no
// row of two cells) hands its buffered events to the walk and is read on
// as text; only the innermost open table is ever buffered, since a table
// with another inside is layout.
type streamWalker struct {
	w      *htmlWalker
	depth  int // embedding depth (maxEmbedDepth)
	frames []wframe
	hidden int // open frames whose content the walk skips

	raw    strings.Builder // text of the open script, textarea or title
	rawHas bool            // the raw element has a text child

	tb *tableBuf // the buffered table, if any
	// spareLog is the event log of the last data table, kept for the next
	// table to buffer (a page has many tables; each log grew anew).
	spareLog []wevent
}

type wframe struct {
	e    *elem
	kind uint8
}

// Frame kinds.
const (
	fPlain  uint8 = iota
	fBlock        // blockAtoms: ends a paragraph when it opens and closes
	fSkip         // skipAtoms: nothing inside is text
	fScript       // script, textarea: raw text searched for tables
	fTitle        // the page title
	fTable        // a table (buffered or read as text)
)

// tableBuf is the innermost open table while it may still hold data.
type tableBuf struct {
	e     *elem
	log   []wevent // the walk's events over the table, for a layout table
	noLog bool     // log dropped past maxTableLog
	rows  [][]cellRec
	wide  bool // a row with two cells

	inCell  bool
	cellE   *elem
	pieces  []string
	cur     strings.Builder
	colspan string
	rowspan string
}

type cellRec struct {
	text             string
	colspan, rowspan int
}

// Walk events, replayed for a layout table.
type wevent struct {
	kind uint8
	s    string
	has  bool
}

const (
	evFlush uint8 = iota
	evText
	evRaw   // a script or textarea closed
	evTitle // a title closed
)

func frameKind(e *elem) uint8 {
	if e.ns != nsHTML {
		// foreign elements: x/net/html gives them the atom of their
		// name; only <svg> and <math> themselves open them, and those
		// are skipped.
		if skipAtoms[e.a] {
			return fSkip
		}
		return fPlain
	}
	switch {
	case e.a == atom.Script || e.a == atom.Textarea:
		return fScript
	case skipAtoms[e.a]:
		return fSkip
	case e.a == atom.Title:
		return fTitle
	case e.a == atom.Table:
		return fTable
	case blockAtoms[e.a]:
		return fBlock
	}
	return fPlain
}

// emit gives one walk event to the buffered table's log, or to the walk.
func (sw *streamWalker) emit(ev wevent) error {
	if tb := sw.tb; tb != nil {
		switch {
		case tb.noLog:
		case len(tb.log) >= maxTableLog:
			tb.log, tb.noLog = nil, true
		default:
			tb.log = append(tb.log, ev)
		}
		return nil
	}
	return sw.apply(ev)
}

// maxTableLog bounds the events kept for a buffered table: about three a
// cell, for more cells than a table may place (maxTableCells). A table
// that passes it is almost surely a hostile data table, whose log is never
// read; should it turn out to lay out the page, the page goes to the tree
// (which reads it as before, at the tree's cost).
const maxTableLog = 4 * maxTableCells

// apply is the walk's handling of an event.
func (sw *streamWalker) apply(ev wevent) error {
	switch ev.kind {
	case evFlush:
		sw.w.flush()
	case evText:
		if hasEmbeddedTable(ev.s) && sw.depth < maxEmbedDepth {
			return sw.embedded(ev.s)
		}
		sw.w.pieces = append(sw.w.pieces, ev.s)
	case evRaw:
		if ev.has && sw.depth < maxEmbedDepth && hasEmbeddedTable(ev.s) {
			sw.w.flush()
			return sw.embedded(ev.s)
		}
	case evTitle:
		if v := strings.TrimSpace(ev.s); v != "" {
			sw.w.doc.Properties = append(sw.w.doc.Properties, Property{Source: "HTML <title>", Kind: PropTitle, Value: v})
		}
	}
	return nil
}

// embedded reads markup found in a script or text node in place, as
// htmlWalker.embedded does; markup the stream does not rebuild sends the
// whole page to the tree.
func (sw *streamWalker) embedded(raw string) error {
	sub := &streamWalker{w: sw.w, depth: sw.depth + 1}
	ts := newTreeStream(unescapeJS(raw), sub, true)
	if err := ts.run(); err != nil {
		return errNeedTree
	}
	sw.w.flush()
	return nil
}

// layout gives up buffering the table: it is read as running text from
// here on, starting with what was buffered.
func (sw *streamWalker) layout() error {
	tb := sw.tb
	sw.tb = nil
	if tb.noLog {
		return errNeedTree
	}
	for _, ev := range tb.log {
		if err := sw.apply(ev); err != nil {
			return err
		}
	}
	return nil
}

// cellBreak ends a piece of the open cell's text (a block inside it).
func (tb *tableBuf) cellBreak() {
	tb.pieces = append(tb.pieces, tb.cur.String())
	tb.cur.Reset()
}

func (sw *streamWalker) open(e *elem, colspan, rowspan string) error {
	k := frameKind(e)
	sw.frames = append(sw.frames, wframe{e: e, kind: k})
	if sw.hidden > 0 {
		if k == fSkip {
			sw.hidden++
		}
		return nil
	}
	tb := sw.tb
	inCell := tb != nil && tb.inCell
	switch k {
	case fSkip:
		sw.hidden++
	case fScript, fTitle:
		sw.raw.Reset()
		sw.rawHas = false
		if k == fTitle && inCell {
			tb.cellBreak() // a title is a block in a cell's text
		}
	case fTable:
		if tb != nil {
			// a table inside the buffered one: that one lays out the page
			if err := sw.layout(); err != nil {
				return err
			}
		}
		sw.w.flush()
		sw.tb = &tableBuf{e: e, log: sw.spareLog[:0]}
		sw.spareLog = nil
	default:
		if tb != nil && !inCell && e.ns == nsHTML {
			switch e.a {
			case atom.Tr:
				tb.rows = append(tb.rows, nil)
			case atom.Td, atom.Th:
				if len(tb.rows) > 0 && sw.parentIs(atom.Tr) {
					tb.inCell, tb.cellE = true, e
					tb.pieces, tb.colspan, tb.rowspan = tb.pieces[:0], colspan, rowspan
					tb.cur.Reset()
				}
			}
		} else if inCell && k == fBlock {
			tb.cellBreak()
		}
		if k == fBlock {
			return sw.emit(wevent{kind: evFlush})
		}
	}
	return nil
}

// parentIs says whether the frame below the one just opened is a.
func (sw *streamWalker) parentIs(a atom.Atom) bool {
	n := len(sw.frames)
	return n >= 2 && sw.frames[n-2].e.a == a && sw.frames[n-2].e.ns == nsHTML
}

func (sw *streamWalker) text(s string) error {
	if sw.hidden > 0 || len(sw.frames) == 0 && s == "" {
		return nil
	}
	tb := sw.tb
	if n := len(sw.frames); n > 0 {
		if k := sw.frames[n-1].kind; k == fScript || k == fTitle {
			sw.raw.WriteString(s)
			sw.rawHas = true
			// cellText keeps a textarea's and a title's text, not a
			// script's
			if tb != nil && tb.inCell && sw.frames[n-1].e.a != atom.Script {
				tb.cur.WriteString(s)
			}
			return nil
		}
	}
	if tb != nil && tb.inCell {
		tb.cur.WriteString(s)
	}
	return sw.emit(wevent{kind: evText, s: s})
}

func (sw *streamWalker) close(e *elem) error {
	n := len(sw.frames)
	if n == 0 || sw.frames[n-1].e != e {
		return errNeedTree // cannot happen: the stream closes what it opened
	}
	k := sw.frames[n-1].kind
	sw.frames = sw.frames[:n-1]
	if sw.hidden > 0 {
		if k == fSkip {
			sw.hidden--
		}
		return nil
	}
	tb := sw.tb
	switch k {
	case fScript:
		return sw.emit(wevent{kind: evRaw, s: sw.raw.String(), has: sw.rawHas})
	case fTitle:
		if tb != nil && tb.inCell {
			tb.cellBreak()
		}
		return sw.emit(wevent{kind: evTitle, s: sw.raw.String()})
	case fTable:
		if tb == nil || tb.e != e {
			sw.w.flush() // a layout table read as text
			return nil
		}
		tb.log = append(tb.log, wevent{kind: evFlush})
		if !tb.wide {
			return sw.layout()
		}
		sw.tb = nil
		sw.w.flush()
		sw.dataTable(tb)
		// a data table's log is never replayed: its array serves the next
		clear(tb.log) // (without keeping its strings alive)
		sw.spareLog, tb.log = tb.log[:0], nil
		return nil
	}
	if tb != nil && e.ns == nsHTML {
		switch {
		case tb.inCell && e == tb.cellE:
			tb.cellBreak()
			text := joinPieces(tb.pieces)
			tb.inCell, tb.cellE = false, nil
			row := &tb.rows[len(tb.rows)-1]
			*row = append(*row, cellRec{text: text,
				colspan: spanValue(tb.colspan, maxColSpan), rowspan: spanValue(tb.rowspan, maxRowSpan)})
			if err := sw.emit(wevent{kind: evFlush}); err != nil {
				return err
			}
			if utf8.RuneCountInString(text) > maxDataCellRunes {
				return sw.layout()
			}
			return nil
		case !tb.inCell && e.a == atom.Tr:
			if len(tb.rows) > 0 && len(tb.rows[len(tb.rows)-1]) >= 2 {
				tb.wide = true
			}
		case tb.inCell && k == fBlock:
			tb.cellBreak()
		}
	}
	if k == fBlock {
		return sw.emit(wevent{kind: evFlush})
	}
	return nil
}

// dataTable places the buffered cells on the grid, as htmlWalker.table.
func (sw *streamWalker) dataTable(tb *tableBuf) {
	tableNo := len(sw.w.doc.Tables) + 1
	g := newSpanGrid(len(tb.rows))
	for r, row := range tb.rows {
		for _, c := range row {
			if err := g.place(r, c.text, c.rowspan, c.colspan); err != nil {
				break
			}
		}
	}
	sw.w.doc.Tables = append(sw.w.doc.Tables, g.table(tableNo))
}
