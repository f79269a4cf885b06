package gen

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"gongkai"
)

// TestPDF converts with the installed LibreOffice; without it the test
// fails (./scripts/install-deps installs it). The pdf round trip
// (roundtrip_test.go) checks what the PDFs say.
func TestPDF(t *testing.T) {
	if !PDFAvailable() {
		t.Fatal("no PDF converter: LibreOffice (soffice) is not on PATH; run ./scripts/install-deps")
	}
	// Two conversions at once: each LibreOffice run has its own profile,
	// so neither waits for nor hands its work to the other.
	items := []*Item{oneItem(t, 2019), oneItem(t, 2023)}
	pdfs := make([][]byte, len(items))
	errs := make([]error, len(items))
	var wg sync.WaitGroup
	for i, it := range items {
		wg.Go(func() { pdfs[i], errs[i] = Render(t.Context(), PDF, it) })
	}
	wg.Wait()
	for i := range items {
		if errs[i] != nil || !bytes.HasPrefix(pdfs[i], []byte("%PDF-")) {
			t.Errorf("%s: %v, %.20q", items[i].Base, errs[i], pdfs[i])
		}
	}
	// A batch gives one PDF per report, in order.
	batch, err := RenderBatch(t.Context(), PDF, append(items, items[0]))
	if err != nil || len(batch) != 3 {
		t.Fatalf("batch: %d PDFs, %v", len(batch), err)
	}
	if len(batch[0]) != len(batch[2]) {
		t.Errorf("the same report converted twice in one run: %d and %d bytes", len(batch[0]), len(batch[2]))
	}
	if out, err := RenderBatch(t.Context(), PDF, nil); err != nil || len(out) != 0 {
		t.Errorf("empty batch: %v, %v", out, err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Render(ctx, PDF, items[0]); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestPDFWithoutConverter(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	it := oneItem(t, 2023)
	_, err := Render(t.Context(), PDF, it)
	if !errors.Is(err, errNoConverter) || !strings.Contains(gongkai.HintOf(err), "./scripts/install-deps") {
		t.Fatalf("pdf without a converter: %v (hint %q)", err, gongkai.HintOf(err))
	}
	if _, err := RenderBatch(t.Context(), PDF, []*Item{it}); !errors.Is(err, errNoConverter) {
		t.Errorf("batch without a converter: %v", err)
	}
	o := testOptions()
	o.Townships, o.Departments, o.FirstYear = 1, 0, 2024
	o.Renderings, o.Out = AllRenderings(), t.TempDir()
	sum, err := Generate(t.Context(), o)
	if err != nil || len(sum.Notes) != 1 || slices.Contains(sum.Renderings, PDF) {
		t.Errorf("all without a converter: %+v, %v", sum, err)
	}
	o.Renderings = []string{PDF}
	if _, err := Generate(t.Context(), o); !errors.Is(err, errNoConverter) || !strings.Contains(gongkai.HintOf(err), "install-deps") {
		t.Errorf("pdf alone without a converter: %v", err)
	}
}

// fakeSoffice puts a shell script named soffice first on PATH.
func fakeSoffice(t *testing.T, script string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake converter is a shell script")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "soffice"), []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestPDFConverterFailures(t *testing.T) {
	it := oneItem(t, 2023)
	t.Run("no output", func(t *testing.T) {
		// LibreOffice exits 0 when it could not load a document.
		fakeSoffice(t, `echo "Error: source file could not be loaded"`)
		_, err := Render(t.Context(), PDF, it)
		if err == nil || !strings.Contains(err.Error(), "wrote no PDF for document 1 of 1") ||
			!strings.Contains(err.Error(), "could not be loaded") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("exit status", func(t *testing.T) {
		fakeSoffice(t, `echo broken >&2; exit 3`)
		_, err := Render(t.Context(), PDF, it)
		if err == nil || !strings.Contains(err.Error(), "exit status 3") || !strings.Contains(err.Error(), "broken") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("profile per run", func(t *testing.T) {
		// The arguments name a profile folder of the run's own.
		fakeSoffice(t, `for a in "$@"; do echo "$a"; done >&2; exit 1`)
		_, err := Render(t.Context(), PDF, it)
		if err == nil || !strings.Contains(err.Error(), "-env:UserInstallation=file:///") ||
			!strings.Contains(err.Error(), "gongkai-pdf-") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("timeout", func(t *testing.T) {
		// A hung converter (here: a child that sleeps, as soffice.bin
		// runs under soffice) is stopped with all its processes.
		fakeSoffice(t, `sleep 60 & wait`)
		old := pdfTimeout
		pdfTimeout = func(int) time.Duration { return 500 * time.Millisecond }
		defer func() { pdfTimeout = old }()
		start := time.Now()
		_, err := Render(t.Context(), PDF, it)
		if err == nil || !strings.Contains(err.Error(), "took longer than 500ms") {
			t.Errorf("got %v", err)
		}
		if d := time.Since(start); d > 4*time.Second {
			t.Errorf("stopping the converter took %v", d)
		}
	})
}
