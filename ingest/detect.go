package ingest

// A reader turns one rendering into a Document. sniff looks at the file's
// name and first bytes and says whether the content is this rendering;
// detection goes by content first, the extension only breaks ties.
type reader struct {
	name  string
	sniff func(name string, head []byte) bool
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
