package ingest

import "gongkai"

// Document is what every reader produces and the recognizer consumes: the
// prose of the report and its tables as grids of text, with merged cells
// already resolved. Keeping one middle step means a rendering only has to
// be turned into text cells; finding rows by their labels, splitting
// columns and settling numbers happen once, in the recognizer.
type Document struct {
	// Path names the document in errors and provenance.
	Path string
	// Rendering is the reader that produced it: "word_text", "html", "docx",
	// "pdf", "pipe_text", "cell_lines", "paragraphs", "markdown", "glued_text".
	Rendering string
	// Lines is the running text outside tables, in reading order.
	Lines []Line
	// Tables are the tables in reading order. A reader that cannot see
	// table boundaries (line-per-cell text) may return one table holding
	// every row it found.
	Tables []Table
	// Findings are what the reader itself could not settle (rule READ),
	// passed on into the report's findings.
	Findings []gongkai.Finding
	// Properties are statements about the document outside its running
	// text: the HTML <title>, PDF and DOCX metadata, a crawler's header
	// lines. They are clues to its identity (meta.go).
	Properties []Property
	// Given is the identity the user stated for this file (flags or a
	// manifest); it wins over what the document says.
	Given Identity

	// id is what readMeta decided, kept for ParseBytes.
	id *reportID
	// notUTF8: readHTML found the page is neither UTF-8 nor damaged UTF-8
	// and decoded it from its charset, so encodingFindings has nothing to
	// say of it (ParseBytes skips its second pass over the page).
	notUTF8 bool
}

// Property is one statement about a document from outside its text.
type Property struct {
	// Source names it for messages: "HTML <title>", "PDF metadata Title",
	// "DOCX metadata creator", "标题 line".
	Source string
	// Kind says what it can state: PropTitle (a report title, parsed like
	// the title in the text), PropOrg (a publisher or author that may be
	// the organization) or PropDate (a publication date).
	Kind  string
	Value string
	Loc   string
}

// Property kinds.
const (
	PropTitle = "title"
	PropOrg   = "organization"
	PropDate  = "date"
)

// Identity is an organization and report year stated by the user for one
// file. Source says who stated it ("--organization", "manifest
// bodies.csv"); zero fields state nothing.
type Identity struct {
	Organization string
	Year         int
	Source       string
}

// Line is one paragraph or line of prose.
type Line struct {
	Text string
	Loc  string // "line 12", "paragraph 40", "page 2"
}

// Table is a grid of rows; rows may have different lengths when the
// rendering drops empty cells.
type Table struct {
	Loc  string
	Rows [][]Cell
}

// Cell is one table cell's text.
type Cell struct {
	Text string
	Loc  string // "table 2 row 5 col 3", "line 212"
	// Spanned marks a copy of a merged cell (rowspan/colspan/vMerge) placed
	// so that columns line up; it is a label, never a value of its own.
	Spanned bool
	// Unsure, when not empty, says why the reader could not settle this
	// value cell (e.g. an ambiguous digit run); the recognizer makes the
	// cell null with a READ finding naming its path and this reason.
	Unsure string
}
