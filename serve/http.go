package serve

import (
	"compress/gzip"
	_ "embed"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gongkai/store"
)

// What browser dashboards need from the API, kept apart from the
// endpoints: cross-origin reads for an allow-list of origins, gzip, 405
// with Allow, and the OpenAPI description.

// openAPI is the API's OpenAPI 3.1 description, served at
// /v1/openapi.json; serve_openapi_test.go checks every endpoint's real
// answers against it.
//
//go:embed openapi.json
var openAPI []byte

func (s *Server) getOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(openAPI)))
	w.Write(openAPI)
}

// openRevalidated opens the store for a GET whose answer depends only on
// the store's state: it sets the store's ETag and answers 304 itself when
// If-None-Match names it (ok false then, and on an error it answered).
func (s *Server) openRevalidated(w http.ResponseWriter, r *http.Request) (st *store.Store, done func(), ok bool) {
	st, _, _, done, ok = s.revalidated(w, r)
	return st, done, ok
}

// revalidated is openRevalidated that also returns the replica's
// generation (nil when reading the store itself) and the ETag; a
// replica's ETag is computed once, when it is opened.
func (s *Server) revalidated(w http.ResponseWriter, r *http.Request) (st *store.Store, gen *generation, etag string, done func(), ok bool) {
	st, gen, done, err := s.view(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, "", nil, false
	}
	if gen != nil {
		etag = gen.etag
	} else if etag, err = storeETag(r.Context(), st); err != nil {
		done()
		s.fail(w, r, err)
		return nil, nil, "", nil, false
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Cache-Control", "no-cache")
	if matchETag(r.Header.Get("If-None-Match"), etag) {
		done()
		w.WriteHeader(http.StatusNotModified)
		return nil, nil, "", nil, false
	}
	return st, gen, etag, done, true
}

// corsPolicy answers cross-origin requests from the origins in its
// allow-list. The list is empty by default: then no CORS header is ever
// sent and browsers keep other sites from reading the API.
type corsPolicy struct {
	any     bool            // "*": every origin may read (GET/HEAD only)
	origins map[string]bool // scheme://host[:port], exact
}

// parseCORS checks the allow-list: "*" or origins such as
// https://dash.example.org (no path).
func parseCORS(list []string) (*corsPolicy, error) {
	p := &corsPolicy{origins: map[string]bool{}}
	for _, o := range list {
		o = strings.TrimRight(strings.TrimSpace(o), "/")
		if o == "" {
			continue
		}
		if o == "*" {
			p.any = true
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" || u.RawQuery != "" {
			return nil, fmt.Errorf("CORS origin %q is not scheme://host[:port]", o)
		}
		p.origins[strings.ToLower(o)] = true
	}
	return p, nil
}

func (p *corsPolicy) enabled() bool { return p != nil && (p.any || len(p.origins) > 0) }

// exposedHeaders are the response headers a dashboard's script may read.
const exposedHeaders = "ETag, X-Total-Count, X-Gongkai-Truncated, Content-Disposition"

// handler sets the CORS headers for an allowed Origin and answers
// preflights. A listed origin may also POST /v1/query (the SQL still passes
// the guard); "*" allows reads only.
func (p *corsPolicy) handler(h http.Handler) http.Handler {
	if !p.enabled() {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		w.Header().Add("Vary", "Origin")
		listed := origin != "" && p.origins[strings.ToLower(origin)]
		if origin == "" || (!listed && !p.any) {
			h.ServeHTTP(w, r)
			return
		}
		methods := "GET, HEAD"
		if listed {
			w.Header().Set("Access-Control-Allow-Origin", origin)
			methods = "GET, HEAD, POST"
		} else {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}
		w.Header().Set("Access-Control-Expose-Headers", exposedHeaders)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			w.Header().Set("Access-Control-Allow-Methods", methods)
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, If-None-Match")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// trusted lists the origins that may POST (for http.CrossOriginProtection).
func (p *corsPolicy) trusted() []string {
	if p == nil {
		return nil
	}
	var out []string
	for o := range p.origins {
		out = append(out, o)
	}
	slices.Sort(out)
	return out
}

// probeMethods are the methods whose routes a 405 answer lists in Allow.
var probeMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// notFound is the mux's catch-all: 405 with Allow when the path exists
// under other methods (OPTIONS gets 204 and the same Allow), else 404.
// The catch-all pattern hides the mux's own 405, so it asks the mux which
// methods the path has.
func notFound(mux *http.ServeMux, endpoints string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range probeMethods {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pat := mux.Handler(probe); pat != "" && pat != "/" {
				allow = append(allow, m)
			}
		}
		if len(allow) == 0 {
			writeError(w, http.StatusNotFound, "no such endpoint: "+r.Method+" "+r.URL.Path, endpoints)
			return
		}
		allow = append(allow, http.MethodOptions)
		w.Header().Set("Allow", strings.Join(allow, ", "))
		if r.Method == http.MethodOptions {
			w.WriteHeader(http.StatusNoContent)
			return
		}
		writeError(w, http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on %s", r.Method, r.URL.Path),
			"allowed: "+strings.Join(allow, ", "))
	}
}

// gzipMinSize is the smallest known-length body worth compressing.
const gzipMinSize = 1024

var gzipPool = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression)
	return zw
}}

// gzipped compresses answers whose media type compresses well (JSON, CSV,
// JSON lines, Arrow) for clients that accept gzip. Parquet (zstd inside)
// and XLSX (a zip) go as they are. A strong ETag becomes weak when the
// body is compressed, since the bytes differ from the identity answer;
// If-None-Match compares weakly, so revalidation still gives 304.
func gzipped(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if r.Method == http.MethodHead || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			h.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.close()
		h.ServeHTTP(gw, r)
	})
}

// acceptsGzip reads an Accept-Encoding header: gzip (or *) with q > 0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "x-gzip" && name != "*" {
			continue
		}
		q := 1.0
		if k, v, ok := strings.Cut(strings.TrimSpace(params), "="); ok && strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		if q > 0 {
			return true
		}
	}
	return false
}

// compressible says whether a media type is worth gzipping.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", strings.HasSuffix(mt, "+json"),
		mt == "application/x-ndjson",
		mt == "application/javascript", mt == "image/svg+xml",
		mt == "application/vnd.apache.arrow.stream", mt == "application/vnd.apache.arrow.file":
		return true
	}
	return false
}

type gzipWriter struct {
	http.ResponseWriter
	zw      *gzip.Writer
	decided bool
}

// decide chooses, when the header goes out, whether the body is gzipped.
func (g *gzipWriter) decide(status int) {
	if g.decided {
		return
	}
	g.decided = true
	h := g.Header()
	if status < 200 || status == http.StatusNoContent || status == http.StatusNotModified ||
		status == http.StatusPartialContent || h.Get("Content-Encoding") != "" || h.Get("Content-Range") != "" ||
		!compressible(h.Get("Content-Type")) {
		return
	}
	if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil && n < gzipMinSize {
		return
	}
	h.Del("Content-Length")
	h.Set("Content-Encoding", "gzip")
	if et := h.Get("ETag"); et != "" && !strings.HasPrefix(et, "W/") {
		h.Set("ETag", "W/"+et)
	}
	g.zw = gzipPool.Get().(*gzip.Writer)
	g.zw.Reset(g.ResponseWriter)
}

func (g *gzipWriter) WriteHeader(status int) {
	if status >= 200 {
		g.decide(status)
	}
	g.ResponseWriter.WriteHeader(status)
}

func (g *gzipWriter) Write(b []byte) (int, error) {
	if !g.decided {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(b))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.zw != nil {
		return g.zw.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

// Flush sends what is compressed so far (streamed answers).
func (g *gzipWriter) Flush() {
	if g.zw != nil {
		g.zw.Flush()
	}
	http.NewResponseController(g.ResponseWriter).Flush()
}

func (g *gzipWriter) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// close ends the gzip stream before the handler returns, so trailers
// (X-Gongkai-Truncated) follow a complete body.
func (g *gzipWriter) close() {
	if g.zw == nil {
		return
	}
	g.zw.Close()
	g.zw.Reset(nil)
	gzipPool.Put(g.zw)
	g.zw = nil
}
