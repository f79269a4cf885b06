// Package web is the page `gongkai serve` shows at /: the district or city
// 政务公开 office picks a division (province → city → county → township)
// and a year and sees the three official tables compiled as on the form,
// the bodies included and missing, the findings per body, each body's own
// report with where each number was read, and charts; and downloads the
// compiled workbook, CSV and Parquet.
//
// The page is drawn on the server (html/template, SVG charts from chart.go)
// and works with plain links and forms, so it runs on an intranet with no
// internet and in any browser; a few lines of the page's own script only
// submit the picker when a list changes. Everything is read-only and comes
// through the same Go APIs as the CLI: store.Compile for the tables,
// rollup.Run("levels") for the charts, store.Report for a body's report.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"

	"gongkai"
	"gongkai/division"
	"gongkai/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Opener opens the store read-only for one request; done releases it.
// serve passes its snapshot opener, so the page never blocks an ingest.
type Opener func(ctx context.Context) (st *store.Store, done func(), err error)

// Handler serves the page. It is safe for concurrent use.
type Handler struct {
	open Opener
	log  *slog.Logger
	res  *division.Resolver
	tmpl *template.Template
}

// New returns the page's handler over the stores open gives.
func New(open Opener, log *slog.Logger) *Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Handler{open: open, log: log, res: division.Default(), tmpl: parseTemplates()}
}

func parseTemplates() *template.Template {
	return template.Must(template.New("").Funcs(template.FuncMap{
		"inc": func(i int) int { return i + 1 },
	}).ParseFS(templateFS, "templates/*.html"))
}

// Mount registers the page's routes on mux: GET / (the page), GET
// /ui/report/{id} (a body's report), GET /ui/download/{file} (compiled
// workbook and CSV) and GET /ui/static/ (style sheet, script).
func (h *Handler) Mount(mux *http.ServeMux) {
	mux.HandleFunc("GET /{$}", h.index)
	mux.HandleFunc("GET /ui/report/{id}", h.report)
	mux.HandleFunc("GET /ui/download/{file}", h.download)
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /ui/static/", http.StripPrefix("/ui/static/", http.FileServerFS(static)))
}

// openStore opens the store for a request; when it cannot (an ingest
// holds it, the file is gone) it answers with the error page and ok false.
func (h *Handler) openStore(w http.ResponseWriter, r *http.Request, l Lang) (st *store.Store, done func(), ok bool) {
	st, done, err := h.open(r.Context())
	if err != nil {
		h.errorPage(w, r, l, err)
		return nil, nil, false
	}
	return st, done, true
}

// errorPage answers err with the status its kind calls for, as a page.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, l Lang, err error) {
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, gongkai.ErrUsage):
		status = http.StatusBadRequest
	case errors.Is(err, gongkai.ErrNotFound):
		status = http.StatusNotFound
	case errors.Is(err, gongkai.ErrDatabaseBusy), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		status = http.StatusServiceUnavailable
		w.Header().Set("Retry-After", "5")
	}
	if status == http.StatusInternalServerError {
		h.log.Error("page failed", "path", r.URL.Path, "err", err)
	}
	h.render(w, status, "error.html", &errorData{base: newBase(r, l, ""), Status: status, Err: gongkai.LocalError(err, l.Msg()), Hint: gongkai.LocalHint(err, l.Msg())})
}

type errorData struct {
	base
	Status    int
	Err, Hint string
}

// csp allows the page's own style sheet and script and nothing else.
const csp = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// render executes a template into a buffer first, so a template error
// never leaves half a page.
func (h *Handler) render(w http.ResponseWriter, status int, name string, data any) {
	var buf bytes.Buffer
	if err := h.tmpl.ExecuteTemplate(&buf, name, data); err != nil {
		h.log.Error("template", "name", name, "err", err)
		http.Error(w, "page template failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	// Everything the page uses comes from serve itself: the browser is
	// told to load nothing from elsewhere (no CDN, no fonts, no tracking),
	// which also keeps a page working the same on a closed intranet.
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// base is what every page template needs: the language and the links that
// keep the division, year and language.
type base struct {
	L        Lang
	HTMLLang string
	Title    string
	// Path is the current page's path, for the language toggle.
	Path     string
	Division string // code
	Year     int
}

func newBase(r *http.Request, l Lang, code string) base {
	b := base{L: l, HTMLLang: "zh-CN", Path: r.URL.Path, Division: code, Title: l.T("title")}
	if l == En {
		b.HTMLLang = "en"
	}
	return b
}

// Link returns path with the page's division, year and language and the
// extra key/value pairs.
func (b base) Link(path string, kv ...any) string {
	q := url.Values{}
	if b.Division != "" {
		q.Set("division", b.Division)
	}
	if b.Year != 0 {
		q.Set("year", strconv.Itoa(b.Year))
	}
	if b.L == En {
		q.Set("lang", "en")
	}
	for i := 0; i+1 < len(kv); i += 2 {
		k := fmt.Sprint(kv[i])
		v := fmt.Sprint(kv[i+1])
		if v == "" || v == "0" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// OtherLang links the same page in the other language.
func (b base) OtherLang() string {
	if b.L == En {
		return b.Link(b.Path, "lang", "zh")
	}
	return b.Link(b.Path, "lang", "en")
}

// parseYear reads ?year=; 0 when absent.
func parseYear(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 2008 || y > 2100 {
		return 0, &gongkai.Error{Op: "page", Err: fmt.Errorf("%w: year %q is not a report year", gongkai.ErrUsage, s), Hint: "a year from 2008 on, e.g. year=2023"}
	}
	return y, nil
}
