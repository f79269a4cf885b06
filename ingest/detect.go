package ingest

// A reader turns one rendering into a Document. sniff looks at the file's
// name and first bytes and says whether the content is this rendering;
// detection goes by content first, the extension only breaks ties.
type reader struct {
	name  string
	sniff func(h *sniffHead) bool
	read  func(path string, data []byte) (*Document, error)
}

// readers is every rendering ingest reads, in the order detection tries
// them: binary formats with magic numbers first, then markup, then the text
// renderings from the most structured to the least (glued text is what is
// left when no cell structure can be seen). To add a rendering, write its
// file (sniff and read into a Document), list it here, and add a case under
// testdata/ (see testdata/README.md).
var readers = []reader{
	{name: "pdf", sniff: sniffPDF, read: readPDF},
	{name: "docx", sniff: sniffDOCX, read: readDOCX},
	{name: "html", sniff: sniffHTML, read: readHTML},
	{name: "markdown", sniff: sniffMarkdown, read: readMarkdown},
	{name: "pipe_text", sniff: sniffPipeText, read: readPipeText},
	{name: "cell_lines", sniff: sniffCellLines, read: readCellLines},
	{name: "word_text", sniff: sniffWordText, read: readWordText},
	{name: "paragraphs", sniff: sniffParagraphs, read: readParagraphs},
	{name: "glued_text", sniff: sniffGlued, read: readGlued},
}

// sniffHead is what the sniffers see: the file's name and first bytes
// (head). The text sniffers each need the head lower-cased and decoded
// into lines; detect runs up to nine sniffers on one head, so those forms
// are computed once, on first use.
type sniffHead struct {
	name string
	head []byte

	lines     []string
	linesDone bool
	text      int8 // 0 not known, 1 text, -1 binary or markup
}

func newSniffHead(name string, head []byte) *sniffHead {
	return &sniffHead{name: name, head: head}
}

// headLines is headLines(head).
func (h *sniffHead) headLines() []string {
	if !h.linesDone {
		h.lines, h.linesDone = headLines(h.head), true
	}
	return h.lines
}

// plainText says whether a text reader may take the head: it is neither
// binary nor markup (looksBinary, isHTMLish).
func (h *sniffHead) plainText() bool {
	if h.text == 0 {
		h.text = 1
		if looksBinary(h.head) || htmlishFold(h.head) {
			h.text = -1
		}
	}
	return h.text > 0
}
