package gen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"gongkai"
)

// The pdf rendering is the docx rendering converted by LibreOffice
// (soffice --headless --convert-to pdf). Every LibreOffice run gets its own
// fresh user profile in a temporary folder (-env:UserInstallation), so
// conversions running at the same time (parallel tests, two gen commands)
// do not fight over one profile's lock, and nothing is left in $HOME.
// Starting LibreOffice costs more than converting one report, so several
// reports are converted in one run (RenderBatch, Generate).

var errNoConverter = errors.New("no PDF converter installed (need LibreOffice: soffice or libreoffice on PATH)")

// pdfInstallHint says how to get the converter.
const pdfInstallHint = "install LibreOffice; in a clone of gongkai, ./scripts/install-deps does it " +
	"(Debian/Ubuntu, as root; ./scripts/test runs it)"

// pdfBatch is the most reports converted in one LibreOffice run: enough to
// spread the start-up cost, few enough that one run's timeout stays short.
const pdfBatch = 32

// pdfTimeout bounds one LibreOffice run converting n documents: start-up
// (a fresh profile is created each time) plus a generous time per report.
// A variable so a test can shorten it.
var pdfTimeout = func(n int) time.Duration { return time.Minute + time.Duration(n)*5*time.Second }

func pdfConverter() (string, bool) {
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, true
		}
	}
	return "", false
}

// PDFAvailable reports whether the pdf rendering can run here.
func PDFAvailable() bool { _, ok := pdfConverter(); return ok }

func noConverter() error {
	return &gongkai.Error{Op: "render", Where: PDF, Err: errNoConverter, Hint: pdfInstallHint}
}

// renderPDF converts the DOCX rendering with LibreOffice. PDF bytes carry
// the converter's timestamps, so this rendering is not byte-reproducible.
func renderPDF(ctx context.Context, d *document, r *rand.Rand) ([]byte, error) {
	if _, ok := pdfConverter(); !ok {
		return nil, noConverter()
	}
	docx, err := renderDOCX(ctx, d, r)
	if err != nil {
		return nil, err
	}
	pdfs, err := convertPDFs(ctx, [][]byte{docx})
	if err != nil {
		return nil, err
	}
	return pdfs[0], nil
}

// convertPDFs converts DOCX documents to PDF in one LibreOffice run and
// returns the PDFs in the same order.
func convertPDFs(ctx context.Context, docs [][]byte) ([][]byte, error) {
	conv, ok := pdfConverter()
	if !ok {
		return nil, noConverter()
	}
	if len(docs) == 0 {
		return nil, nil
	}
	dir, err := os.MkdirTemp("", "gongkai-pdf-")
	if err != nil {
		return nil, fmt.Errorf("pdf: temporary folder: %w", err)
	}
	defer os.RemoveAll(dir)
	in, out := filepath.Join(dir, "in"), filepath.Join(dir, "out")
	for _, d := range []string{in, out} {
		if err := os.Mkdir(d, 0o755); err != nil {
			return nil, fmt.Errorf("pdf: %w", err)
		}
	}
	args := []string{
		"-env:UserInstallation=" + fileURL(filepath.Join(dir, "profile")),
		"--headless", "--invisible", "--nologo", "--norestore", "--nolockcheck",
		"--convert-to", "pdf", "--outdir", out,
	}
	for i, doc := range docs {
		name := filepath.Join(in, fmt.Sprintf("%04d.docx", i))
		if err := os.WriteFile(name, doc, 0o644); err != nil {
			return nil, fmt.Errorf("pdf: %w", err)
		}
		args = append(args, name)
	}
	timeout := pdfTimeout(len(docs))
	runCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, conv, args...)
	killProcessGroup(cmd)
	// soffice hands over to soffice.bin; if a stray child keeps the output
	// pipe open after a kill, stop waiting for it.
	cmd.WaitDelay = 5 * time.Second
	msg, err := cmd.CombinedOutput()
	switch {
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case runCtx.Err() != nil:
		return nil, fmt.Errorf("%s: converting %d documents to PDF took longer than %v; stopped", conv, len(docs), timeout)
	case err != nil:
		return nil, fmt.Errorf("%s: %w: %s", conv, err, bytes.TrimSpace(msg))
	}
	pdfs := make([][]byte, len(docs))
	for i := range docs {
		name := filepath.Join(out, fmt.Sprintf("%04d.pdf", i))
		data, err := os.ReadFile(name)
		if err != nil {
			// LibreOffice exits 0 even when a document failed to load.
			return nil, fmt.Errorf("%s wrote no PDF for document %d of %d: %s", conv, i+1, len(docs), bytes.TrimSpace(msg))
		}
		pdfs[i] = data
	}
	return pdfs, nil
}

// fileURL is the file:// URL of an absolute path (LibreOffice wants its
// profile folder as a URL).
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x on Windows
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
