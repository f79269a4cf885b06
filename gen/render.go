package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
)

// Rendering names (the same names the readers report in Parsed.Rendering).
const (
	WordText  = "word_text"
	HTML      = "html"
	HTMLGBK   = "html_gbk"
	HTMLJS    = "html_js"
	PipeText  = "pipe_text"
	CellLines = "cell_lines"
	Paragraph = "paragraphs"
	Markdown  = "markdown"
	GluedText = "glued_text"
	DOCX      = "docx"
	PDF       = "pdf"
)

type renderer struct {
	name   string
	ext    string
	style  style
	render func(ctx context.Context, d *document, r *rand.Rand) ([]byte, error)
}

// renderers is every rendering the generator writes, in a fixed order (pdf
// last; it needs an installed converter). A new rendering is one entry here
// (and its reader in ingest, and a case under testdata/).
var renderers = []renderer{
	{WordText, ".txt", style{seedBreaks: true, strays: true}, renderWordText},
	{HTML, ".html", style{applicantBreaks: true}, renderHTML},
	{HTMLGBK, ".html", style{applicantBreaks: true}, renderHTMLGBK},
	{HTMLJS, ".html", style{applicantBreaks: true}, renderHTMLJS},
	{PipeText, ".txt", style{}, renderPipe},
	{CellLines, ".txt", style{seedBreaks: true}, renderCellLines},
	{Paragraph, ".txt", style{applicantBreaks: true}, renderParagraphs},
	{Markdown, ".md", style{}, renderMarkdown},
	{GluedText, ".txt", style{}, renderGlued},
	{DOCX, ".docx", style{seedBreaks: true}, renderDOCX},
	{PDF, ".pdf", style{seedBreaks: true}, renderPDF},
}

// rendererOf returns the renderer named name.
func rendererOf(name string) (renderer, bool) {
	for _, rd := range renderers {
		if rd.name == name {
			return rd, true
		}
	}
	return renderer{}, false
}

// AllRenderings lists every rendering the generator writes, in a fixed
// order (pdf last; it needs an installed converter).
func AllRenderings() []string {
	names := make([]string, len(renderers))
	for i, rd := range renderers {
		names[i] = rd.name
	}
	return names
}

// Ext is the file extension of a rendering, with its dot.
func Ext(rendering string) string {
	rd, _ := rendererOf(rendering)
	return rd.ext
}

// Render writes one report in one rendering. The bytes depend only on the
// item (its seed, base name, record and noise) and the rendering (pdf
// excepted: LibreOffice stamps the time).
func Render(ctx context.Context, rendering string, it *Item) ([]byte, error) {
	rd, ok := rendererOf(rendering)
	if !ok {
		return nil, unknownRendering(rendering)
	}
	d, r := prepare(rd, rendering, it)
	return rd.render(ctx, d, r)
}

// RenderBatch renders several reports in one rendering, in order; each
// comes out as Render writes it. For pdf, up to pdfBatch reports are
// converted in one LibreOffice run instead of starting LibreOffice once per
// report, which is what makes many PDFs affordable.
func RenderBatch(ctx context.Context, rendering string, items []*Item) ([][]byte, error) {
	rd, ok := rendererOf(rendering)
	if !ok {
		return nil, unknownRendering(rendering)
	}
	out := make([][]byte, 0, len(items))
	if rendering != PDF {
		for _, it := range items {
			data, err := Render(ctx, rendering, it)
			if err != nil {
				return nil, fmt.Errorf("render %s as %s: %w", it.Base, rendering, err)
			}
			out = append(out, data)
		}
		return out, nil
	}
	if !PDFAvailable() {
		return nil, noConverter()
	}
	for chunk := range slices.Chunk(items, pdfBatch) {
		docs := make([][]byte, len(chunk))
		for i, it := range chunk {
			d, r := prepare(rd, rendering, it)
			docx, err := renderDOCX(ctx, d, r)
			if err != nil {
				return nil, fmt.Errorf("render %s as %s: %w", it.Base, rendering, err)
			}
			docs[i] = docx
		}
		pdfs, err := convertPDFs(ctx, docs)
		if err != nil {
			return nil, fmt.Errorf("render %s … %s as %s: %w", chunk[0].Base, chunk[len(chunk)-1].Base, rendering, err)
		}
		out = append(out, pdfs...)
	}
	return out, nil
}

// prepare lays out one report for one rendering and gives the random
// source the renderer draws from.
func prepare(rd renderer, rendering string, it *Item) (*document, *rand.Rand) {
	r := rngFor(it.seed, "render", rendering, it.Base)
	st := rd.style
	st.noise = it.Noise
	return buildDoc(it, st, r), r
}

func unknownRendering(rendering string) error {
	return fmt.Errorf("unknown rendering %q (known: %s)", rendering, strings.Join(AllRenderings(), ", "))
}

// lines returns a cell's text lines.
func lines(s string) []string { return strings.Split(s, "\n") }

// flat is a cell's text on one line.
func flat(s string) string { return strings.ReplaceAll(s, "\n", "") }
