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
