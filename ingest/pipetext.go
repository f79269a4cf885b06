package ingest

import (
	"regexp"
	"strconv"
	"strings"
)

// pipe_text is a table copied from a web page with "|" between cells, one
// row per line: "规章 | 0 | 0 | 0 |". Colspan padding shows as empty cells
// ("第二十条第(一)项 | |||") and rowspan placeholders as leading empty
// cells that shift a row's labels right; the recognizer takes a row's
// values after its last label, so neither moves a column. Lines without
// "|" are prose.
//
// markdown is the same with Markdown syntax: a leading "|", a separator
// row "|---|---|", "<br>" inside cells and "\|" for a literal bar.

var mdSepRE = regexp.MustCompile(`^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$`)

// markdownCell turns a Markdown cell's line breaks into "\n" and drops
// bold marks; built once, not per cell.
var markdownCell = strings.NewReplacer("<br>", "\n", "<br/>", "\n", "<br />", "\n", "**", "")

// mdSep is mdSepRE.MatchString, which only a line with "---" can match.
func mdSep(l string) bool {
	return strings.Contains(l, "---") && mdSepRE.MatchString(l)
}

func sniffMarkdown(h *sniffHead) bool {
	if !h.plainText() {
		return false
	}
	lines := h.headLines()
	return countLines(lines, mdSep) >= 1 && countLines(lines, func(l string) bool {
		return strings.HasPrefix(strings.TrimSpace(l), "|") && strings.Count(l, "|") >= 3
	}) >= 5
}

// pipeRow reports whether a line is a row with at least two filled cells.
// (The fields are walked in place: detection runs it on every line of
// the head, and strings.Split allocated for each.)
func pipeRow(l string) bool {
	if !strings.Contains(l, "|") {
		return false
	}
	n := 0
	for {
		c, rest, more := strings.Cut(l, "|")
		if strings.TrimSpace(c) != "" {
			if n++; n >= 2 {
				return true
			}
		}
		if !more {
			return false
		}
		l = rest
	}
}

func sniffPipeText(h *sniffHead) bool {
	if !h.plainText() {
		return false
	}
	return countLines(h.headLines(), pipeRow) >= 3
}

func readPipeText(path string, data []byte) (*Document, error) {
	return readPipeTextText(path, data, decodedText(data))
}

// readPipeTextText is readPipeText given text() = decodeText(data).
func readPipeTextText(path string, _ []byte, text func() string) (*Document, error) {
	return readPipes(path, text(), "pipe_text", false)
}

func readMarkdown(path string, data []byte) (*Document, error) {
	return readMarkdownText(path, data, decodedText(data))
}

// readMarkdownText is readMarkdown given text() = decodeText(data).
func readMarkdownText(path string, _ []byte, text func() string) (*Document, error) {
	return readPipes(path, text(), "markdown", true)
}

// splitPipes splits a row line into cells. A bar at the very end closes
// the row rather than opening an empty cell; in Markdown a bar at the start
// opens it.
func splitPipes(l string, md bool) []string {
	l = strings.TrimSpace(l)
	if md {
		l = strings.ReplaceAll(l, `\|`, "\x00")
		l = strings.TrimPrefix(l, "|")
	}
	l = strings.TrimSuffix(l, "|")
	parts := strings.Split(l, "|")
	for i, p := range parts {
		p = strings.ReplaceAll(p, "\x00", "|")
		if md {
			p = markdownCell.Replace(p)
		}
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

func readPipes(path string, text string, rendering string, md bool) (*Document, error) {
	doc := &Document{Path: path, Rendering: rendering}
	var table *Table
	endTable := func() {
		if table != nil && len(table.Rows) > 0 {
			doc.Tables = append(doc.Tables, *table)
		}
		table = nil
	}
	for i, l := range strings.Split(text, "\n") {
		if md && mdSepRE.MatchString(l) {
			continue
		}
		if strings.Contains(l, "|") {
			if table == nil {
				table = &Table{Loc: lineLoc(i)}
			}
			cells := splitPipes(l, md)
			row := make([]Cell, len(cells))
			loc := lineLoc(i) + " cell " // once a line, not once a cell
			for j, c := range cells {
				row[j] = Cell{Text: c, Loc: loc + itoa(j+1)}
			}
			table.Rows = append(table.Rows, row)
			continue
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		endTable()
		if keep, noise := noiseLine(l); !noise && strings.TrimSpace(keep) != "" {
			doc.Lines = append(doc.Lines, Line{Text: strings.TrimSpace(keep), Loc: lineLoc(i)})
		}
	}
	endTable()
	return doc, nil
}

func itoa(i int) string { return strconv.Itoa(i) }
