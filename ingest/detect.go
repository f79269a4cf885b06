package ingest

// A reader turns one rendering into a Document. sniff looks at the file's
// name and first bytes and says whether the content is this rendering;
// detection goes by content first, the extension only breaks ties.
type reader struct {
	name  string
	sniff func(h *sniffHead) bool
	read  func(path string, data []byte) (*Document, error)
	// readText is read for a plain-text rendering, given text, which
	// returns decodeText(data): ParseBytesAs hands it the decoding the
	// sniffers made when they saw the whole file, so that a text report is
	// decoded once rather than by the sniffers, the reader and
	// rawHeaderFields each.
	readText func(path string, data []byte, text func() string) (*Document, error)
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
	{name: "markdown", sniff: sniffMarkdown, read: readMarkdown, readText: readMarkdownText},
	{name: "pipe_text", sniff: sniffPipeText, read: readPipeText, readText: readPipeTextText},
	{name: "cell_lines", sniff: sniffCellLines, read: readCellLines, readText: readCellLinesText},
	{name: "word_text", sniff: sniffWordText, read: readWordText, readText: readWordTextText},
	{name: "paragraphs", sniff: sniffParagraphs, read: readParagraphs, readText: readParagraphsText},
	{name: "glued_text", sniff: sniffGlued, read: readGlued, readText: readGluedText},
}

// readWith reads data with r: a text reader is given text, which returns
// decodeText(data).
func (r reader) readWith(path string, data []byte, text func() string) (*Document, error) {
	if r.readText != nil {
		return r.readText(path, data, text)
	}
	return r.read(path, data)
}

// decodedText returns a func giving decodeText(data), decoded on the
// first call.
func decodedText(data []byte) func() string {
	var s string
	done := false
	return func() string {
		if !done {
			s, done = decodeText(data), true
		}
		return s
	}
}

// sniffHead is what the sniffers see: the file's name and first bytes
// (head). The text sniffers each need the head lower-cased and decoded
// into lines; detect runs up to nine sniffers on one head, so those forms
// are computed once, on first use.
type sniffHead struct {
	name string
	head []byte

	decoded     string // decodeText(head)
	decodedDone bool
	headValid   bool // head, without a BOM, is valid UTF-8 (known once decoded)
	lines       []string
	linesDone   bool
	text        int8 // 0 not known, 1 text, -1 binary or markup
}

func newSniffHead(name string, head []byte) *sniffHead {
	return &sniffHead{name: name, head: head}
}

// headText is decodeText(head).
func (h *sniffHead) headText() string {
	if !h.decodedDone {
		h.decoded, h.headValid = decodeTextValid(h.head)
		h.decodedDone = true
	}
	return h.decoded
}

// validUTF8 reports whether data, which h was made from, is known to be
// valid UTF-8 (without a BOM): its head was decoded and is all of it.
// false means not known.
func (h *sniffHead) validUTF8(data []byte) bool {
	return len(data) == len(h.head) && h.decodedDone && h.headValid
}

// headLines is headLines(head).
func (h *sniffHead) headLines() []string {
	if !h.linesDone {
		h.lines, h.linesDone = headTextLines(h.headText()), true
	}
	return h.lines
}

// textOf returns a func giving decodeText(data), where h was made from
// data's first bytes: the head's own decoding when the head is all of
// data (nearly every report is shorter than sniffLen), so that the
// sniffers' decoding is the reader's too.
func (h *sniffHead) textOf(data []byte) func() string {
	if len(data) == len(h.head) {
		return h.headText
	}
	return decodedText(data)
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
