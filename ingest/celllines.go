package ingest

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// cell_lines is a web table copied one cell per line, each cell closed by
// "|", with empty cells dropped and the row's end written as a line of bars
// ("||||"). Position no longer gives the column: the recognizer counts the
// values under each label and places them only when there are exactly as
// many as columns; otherwise the row is null with a READ finding.
//
// paragraphs is a report whose table cells became one paragraph (or line)
// each, without bars: "信息内容", "本年制发件数", …, "规章", "0", "0", "0".
// Headers may break over two paragraphs ("商业" / "企业"); they carry no
// values, so that does not matter. Prose paragraphs before the first table
// title are the report's text.

// cellLineRE is one cell closed by a bar; barsRE a row end.
var (
	cellLineRE = regexp.MustCompile(`^[^|]*[^|\s][^|]*\|\s*$`)
	barsRE     = regexp.MustCompile(`^\s*\|[\s|]*$`)
)

func sniffCellLines(h *sniffHead) bool {
	if !h.plainText() {
		return false
	}
	lines := h.headLines()
	cells := countLines(lines, cellLine)
	return cells >= 10 && countLines(lines, barsLine) >= 2 && countLines(lines, pipeRow) < cells/4
}

// cellLine is cellLineRE.MatchString written out (every line of a file is
// tested): one bar, only spaces after it, and something not a space
// before it. \s is ASCII space in Go's regexp.
func cellLine(l string) bool {
	i := strings.IndexByte(l, '|')
	if i < 0 || !asciiSpaces(l[i+1:]) {
		return false
	}
	return !asciiSpaces(l[:i])
}

// barsLine is barsRE.MatchString written out: only bars and spaces, and
// at least one bar.
func barsLine(l string) bool {
	t := strings.TrimLeft(l, " \t\n\f\r")
	if t == "" || t[0] != '|' {
		return false
	}
	return strings.Trim(t, "| \t\n\f\r") == ""
}

// asciiSpaces says whether s is only the spaces \s matches (possibly none).
func asciiSpaces(s string) bool {
	return strings.Trim(s, " \t\n\f\r") == ""
}

func readCellLines(path string, data []byte) (*Document, error) {
	return readCellLinesText(path, data, decodedText(data))
}

// readCellLinesText is readCellLines given text() = decodeText(data).
func readCellLinesText(path string, _ []byte, text func() string) (*Document, error) {
	doc := &Document{Path: path, Rendering: "cell_lines"}
	table := Table{}
	var seg []Cell
	flush := func() {
		table.Rows = append(table.Rows, streamRows(seg)...)
		seg = nil
	}
	for i, l := range strings.Split(text(), "\n") {
		switch {
		case barsLine(l):
			flush()
		case cellLine(l):
			if table.Loc == "" {
				table.Loc = lineLoc(i)
			}
			text := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(l), "|"))
			seg = append(seg, Cell{Text: text, Loc: lineLoc(i)})
		case strings.TrimSpace(l) == "":
		default:
			flush()
			if keep, noise := noiseLine(l); !noise && strings.TrimSpace(keep) != "" {
				doc.Lines = append(doc.Lines, Line{Text: strings.TrimSpace(keep), Loc: lineLoc(i)})
			}
		}
	}
	flush()
	if len(table.Rows) > 0 {
		doc.Tables = append(doc.Tables, table)
	}
	return doc, nil
}

// numberLine: a line that is one number (or placeholder) and nothing else.
func numberLine(l string) bool {
	t := strings.TrimSpace(l)
	return t != "" && utf8.RuneCountInString(t) <= 20 && factsOf(t).kind == kindNumber // classify, cached
}

func sniffParagraphs(h *sniffHead) bool {
	if !h.plainText() {
		return false
	}
	lines := h.headLines()
	if countLines(lines, numberLine) < 12 {
		return false
	}
	labels := countLines(lines, func(l string) bool {
		t := strings.TrimSpace(l)
		return utf8.RuneCountInString(t) <= maxLabelRunes && t != "" && tableStart(t)
	})
	return labels >= 5
}

func readParagraphs(path string, data []byte) (*Document, error) {
	return readParagraphsText(path, data, decodedText(data))
}

// readParagraphsText is readParagraphs given text() = decodeText(data).
func readParagraphsText(path string, _ []byte, text func() string) (*Document, error) {
	doc := &Document{Path: path, Rendering: "paragraphs"}
	table := Table{}
	var cells []Cell
	started, stopped := false, false
	for i, l := range strings.Split(text(), "\n") {
		t := strings.TrimSpace(l)
		if t == "" {
			continue
		}
		keep, noise := noiseLine(t)
		if noise {
			continue
		}
		t = strings.TrimSpace(keep)
		// A cell is short and no sentence; prose such as "共新收政府信息公开
		// 申请78件。" names a row label but is no cell.
		short := utf8.RuneCountInString(t) <= maxLabelRunes && !strings.ContainsAny(t, "。；;")
		heading := isHeading(t) // once a line: a regexp
		if heading {
			if c := []rune(cleanText(t))[0]; c == '五' || c == '六' {
				stopped = true // the tables are over: the signature and date are prose
			}
		}
		// factsOf(t).marker is sectionMarker(normLabel(t)), cached
		if !started && !stopped && short && factsOf(t).marker != 0 && !heading {
			started = true
			table.Loc = lineLoc(i)
		}
		if started && !stopped && short && !heading {
			cells = append(cells, Cell{Text: t, Loc: lineLoc(i)})
			continue
		}
		doc.Lines = append(doc.Lines, Line{Text: t, Loc: lineLoc(i)})
	}
	table.Rows = streamRows(cells)
	if len(table.Rows) > 0 {
		doc.Tables = append(doc.Tables, table)
	}
	return doc, nil
}

// headingRE matches the six section headings (一、总体情况 … 六、其他需要报告的事项),
// which are prose, not table cells.
var headingRE = regexp.MustCompile(`^[一二三四五六]\s*[、.．]\s*(总体情况|主动公开政府信息|收到和处理政府信息公开申请|政府信息公开行政复议|因政府信息公开申请|存在的主要问题|其他需要报告|政府信息公开工作存在)`)

func isHeading(t string) bool { return headingRE.MatchString(cleanText(t)) }
