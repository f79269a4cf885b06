package gen

import (
	"context"
	"fmt"
	"math/rand/v2"
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
	ext    string
	style  style
	render func(ctx context.Context, d *document, r *rand.Rand) ([]byte, error)
}

var renderers = map[string]renderer{}

var renderOrder = []string{WordText, HTML, HTMLGBK, HTMLJS, PipeText, CellLines, Paragraph, Markdown, GluedText, DOCX, PDF}

func init() {
	renderers[WordText] = renderer{".txt", style{seedBreaks: true, strays: true}, renderWordText}
	renderers[HTML] = renderer{".html", style{applicantBreaks: true}, renderHTML}
	renderers[HTMLGBK] = renderer{".html", style{applicantBreaks: true}, renderHTMLGBK}
	renderers[HTMLJS] = renderer{".html", style{applicantBreaks: true}, renderHTMLJS}
	renderers[PipeText] = renderer{".txt", style{}, renderPipe}
	renderers[CellLines] = renderer{".txt", style{seedBreaks: true}, renderCellLines}
	renderers[Paragraph] = renderer{".txt", style{applicantBreaks: true}, renderParagraphs}
	renderers[Markdown] = renderer{".md", style{}, renderMarkdown}
	renderers[GluedText] = renderer{".txt", style{}, renderGlued}
	renderers[DOCX] = renderer{".docx", style{seedBreaks: true}, renderDOCX}
	renderers[PDF] = renderer{".pdf", style{seedBreaks: true}, renderPDF}
}

// AllRenderings lists every rendering the generator writes, in a fixed
// order (pdf last; it needs an installed converter).
func AllRenderings() []string { return append([]string(nil), renderOrder...) }

// Ext is the file extension of a rendering, with its dot.
func Ext(rendering string) string { return renderers[rendering].ext }

// Render writes one report in one rendering. The bytes depend only on the
// item (its seed, base name, record and noise) and the rendering.
func Render(ctx context.Context, rendering string, it *Item) ([]byte, error) {
	rd, ok := renderers[rendering]
	if !ok {
		return nil, fmt.Errorf("unknown rendering %q (known: %s)", rendering, strings.Join(AllRenderings(), ", "))
	}
	r := rngFor(it.seed, "render", rendering, it.Base)
	st := rd.style
	st.noise = it.Noise
	d := buildDoc(it, st, r)
	return rd.render(ctx, d, r)
}

// lines returns a cell's text lines.
func lines(s string) []string { return strings.Split(s, "\n") }

// flat is a cell's text on one line.
func flat(s string) string { return strings.ReplaceAll(s, "\n", "") }
