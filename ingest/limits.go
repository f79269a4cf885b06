package ingest

import (
	"bytes"
	"fmt"

	"gongkai"
)

// What one document may cost. The file-size limit alone does not bound
// memory: 60 MB of "\t0" lines is 20 million lines, and every reader turns
// a line or a tag into strings, cells and locations, so such a file took
// gigabytes to parse. A real report has a few hundred to a few thousand
// lines, a few hundred table cells and a few thousand tags; the limits
// below are two orders of magnitude above the largest seen and are
// checked before a reader allocates anything per line or tag, and again on
// the Document a reader returns (for the binary renderings, whose size
// shows only once decoded).
const (
	// maxDocLines bounds the line breaks of a text or HTML document.
	maxDocLines = 200_000
	// maxDocTags bounds the '<' of an HTML document (tags, comments).
	maxDocTags = 1_000_000
	// maxDocCells bounds the table cells of a Document, over all tables.
	maxDocCells = 200_000
	// maxDocTextLines bounds the prose lines of a Document.
	maxDocTextLines = 200_000
)

// checkInput refuses, before reading, a document whose line or tag count
// no report reaches. Binary renderings (DOCX, PDF) are checked on their
// Document instead: their raw bytes say little about what they decode to.
func checkInput(rendering string, data []byte) error {
	switch rendering {
	case "docx", "pdf":
		return nil
	}
	if n := bytes.Count(data, []byte{'\n'}) + 1; n > maxDocLines {
		return tooLarge(fmt.Sprintf("%d lines", n), fmt.Sprintf("%d lines", maxDocLines))
	}
	if rendering == "html" {
		if n := bytes.Count(data, []byte{'<'}); n > maxDocTags {
			return tooLarge(fmt.Sprintf("%d tags", n), fmt.Sprintf("%d tags", maxDocTags))
		}
	}
	return nil
}

// checkDocument refuses a Document larger than any report.
func checkDocument(d *Document) error {
	cells := 0
	for _, t := range d.Tables {
		for _, row := range t.Rows {
			cells += len(row)
		}
	}
	if cells > maxDocCells {
		return tooLarge(fmt.Sprintf("%d table cells", cells), fmt.Sprintf("%d cells", maxDocCells))
	}
	if n := len(d.Lines); n > maxDocTextLines {
		return tooLarge(fmt.Sprintf("%d lines of text", n), fmt.Sprintf("%d lines", maxDocTextLines))
	}
	return nil
}

func tooLarge(has, limit string) error {
	return fmt.Errorf("%w: the document has %s, more than the %s any report needs", gongkai.ErrTooLarge, has, limit)
}
