// Package ingest turns report documents into gongkai.Reports.
//
// Every rendering has a reader (one file each: wordtext.go, pipetext.go,
// celllines.go, glued.go, html.go, docx.go, pdf.go) with a content sniff,
// listed in order in detect.go; detection goes by content, first match. A
// reader only produces a Document: the prose lines and the tables as grids
// of text cells. One recognizer (recognize.go) then finds the rows by their
// labels (labels.go), decides the layout (2021 or 2019) from the labels
// seen, places the values by column, reads the numbers (number.go) and the
// metadata and narrative counts of the prose (meta.go), and records where
// each value came from. Whatever it cannot settle is null with a READ
// finding, never a guess. ParseFile and ParseBytes (parse.go) are the
// entry points; Run (pipeline.go) parses folders and archives in parallel
// into a gongkai.Sink.
//
// The package imports no database driver.
package ingest
