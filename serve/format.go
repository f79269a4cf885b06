package serve

import (
	"fmt"
	"slices"
	"strings"

	"gongkai"
	"gongkai/render"
)

// The format parameters of the API, in render's one vocabulary.
var (
	// rollupFormats: JSON (the result document, the default) or any file
	// export format.
	rollupFormats = append([]render.Format{render.JSON}, render.Formats(render.Files)...)
	// queryFormats: /v1/query answers the result document, CSV or an
	// Arrow stream.
	queryFormats = []render.Format{render.JSON, render.CSV, render.ArrowFile}
)

// formatParam reads a format parameter: "" is JSON; otherwise a name of
// render's vocabulary that allowed holds. Arrow is always sent as the
// Arrow IPC stream (format=arrow or arrows), which a client reads as it
// arrives, without seeking.
func formatParam(s string, allowed []render.Format) (render.Format, error) {
	f := render.Format(strings.ToLower(strings.TrimSpace(s)))
	if f == "" {
		f = render.JSON
	}
	if f == render.ArrowStream && slices.Contains(allowed, render.ArrowFile) {
		return render.ArrowStream, nil
	}
	if !slices.Contains(allowed, f) {
		return "", fmt.Errorf("%w: unknown format %q", gongkai.ErrUsage, s)
	}
	if f == render.ArrowFile {
		return render.ArrowStream, nil
	}
	return f, nil
}

// formatHint lists the names formatParam accepts.
func formatHint(allowed []render.Format) string {
	s := make([]string, len(allowed))
	for i, f := range allowed {
		s[i] = string(f)
	}
	return "format is " + strings.Join(s, ", ")
}

// withBOM applies the bom option to format f: CSV becomes render.CSVBOM,
// CSV after a UTF-8 byte-order mark, which Excel and WPS on Chinese
// Windows need to read UTF-8 (they take a file without it for GBK). The
// option goes with CSV only; the default is no mark, since an API answer
// mostly goes to programs.
func withBOM(f render.Format, bom bool) (render.Format, error) {
	switch {
	case !bom:
		return f, nil
	case f == render.CSV:
		return render.CSVBOM, nil
	}
	return "", fmt.Errorf("%w: bom goes with format=csv, not %s", gongkai.ErrUsage, f)
}

// boolParam reads a flag parameter: "", 0 or false is off, 1 or true on.
func boolParam(name, s string) (bool, error) {
	switch strings.ToLower(s) {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	}
	return false, fmt.Errorf("%w: %s=%q (want 1 or 0)", gongkai.ErrUsage, name, s)
}
