package serve

import (
	"mime"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// hardened checks what every request must be before any handler reads it:
//
//   - Host names this server: an IP address, localhost, or a name in
//     Config.AllowedHosts. A DNS-rebinding page reaches a server on
//     127.0.0.1 or an intranet address through a name of its own, which it
//     controls; the browser then sends that name as Host, and the request
//     is refused, so the page cannot read answers as same-origin.
//   - The path and the query parameters are UTF-8 (400 with a hint, never
//     a DuckDB error about bytes).
//   - A POST body is exactly application/json (charset utf-8 at most);
//     application/json-seq or text/plain are not JSON bodies.
func (s *Server) hardened(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			writeError(w, http.StatusMisdirectedRequest, "this server does not answer for host "+quoteHost(r.Host),
				"call it by its IP address or localhost, or start serve with --allow-host NAME for the name you use")
			return
		}
		if !utf8.ValidString(r.URL.Path) {
			writeError(w, http.StatusBadRequest, "the path is not UTF-8", "percent-encode the UTF-8 bytes of Chinese names")
			return
		}
		for k, vs := range r.URL.Query() {
			if !utf8.ValidString(k) {
				writeError(w, http.StatusBadRequest, "a parameter name is not UTF-8", "percent-encode the UTF-8 bytes of Chinese names")
				return
			}
			for _, v := range vs {
				if !utf8.ValidString(v) {
					writeError(w, http.StatusBadRequest, "parameter "+k+" is not UTF-8",
						"percent-encode the UTF-8 bytes of Chinese names (e.g. division=%E6%96%87%E7%99%BB%E5%8C%BA), not GBK")
					return
				}
			}
		}
		if r.Method == http.MethodPost && !isJSON(r.Header.Get("Content-Type")) {
			writeError(w, http.StatusUnsupportedMediaType, "the body must be JSON with Content-Type: application/json",
				`send Content-Type: application/json and {"sql": "SELECT ..."}`)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// hostAllowed reports whether a Host header names this server.
func (s *Server) hostAllowed(host string) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.TrimSuffix(strings.ToLower(strings.Trim(name, "[]")), ".")
	if name == "" {
		return false // HTTP/1.1 requires Host; HTTP/1.0 clients can send one
	}
	if net.ParseIP(name) != nil || name == "localhost" {
		return true
	}
	for _, a := range s.cfg.AllowedHosts {
		if strings.EqualFold(strings.TrimSuffix(a, "."), name) {
			return true
		}
	}
	return false
}

// quoteHost shows a Host header in an error, printable and short.
func quoteHost(h string) string {
	if len(h) > 100 {
		h = h[:100]
	}
	return strings.ToValidUTF8(h, "?")
}

// isJSON reports whether a Content-Type is application/json, with no
// parameter but charset=utf-8.
func isJSON(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" {
		return false
	}
	for k, v := range params {
		if k != "charset" || !strings.EqualFold(v, "utf-8") {
			return false
		}
	}
	return true
}

// public returns an error message fit for a client: the store's folder
// (and so the snapshots' beside it) is cut out, so answers carry no host
// path.
func (s *Server) public(msg string) string {
	dir := filepath.Dir(s.cfg.DB)
	if abs, err := filepath.Abs(dir); err == nil && len(abs) > 1 {
		msg = strings.ReplaceAll(msg, abs+string(filepath.Separator), "")
		msg = strings.ReplaceAll(msg, abs, ".")
	}
	if len(dir) > 1 {
		msg = strings.ReplaceAll(msg, dir+string(filepath.Separator), "")
	}
	return msg
}
