package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gongkai"
	"gongkai/render"
	"gongkai/rollup"
	"gongkai/store"
)

func (s *Server) listRollups(w http.ResponseWriter, r *http.Request) {
	list := rollup.List()
	for i := range list {
		if list[i].Params == nil {
			list[i].Params = []string{} // [] in JSON, not null
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"rollups": list})
}

// toJSON is a tabular answer as the one result document the CLI writes
// too (render.ResultJSON): columns, DuckDB types, rows as arrays, values
// by the one serializer (dates YYYY-MM-DD, integers beyond 2^53 as
// strings…).
func toJSON(res *gongkai.Result) render.ResultJSON { return render.ResultJSON{Result: res} }

func (s *Server) getRollup(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if _, err := rollup.Lookup(name); err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	var p rollup.Params
	for k, v := range q {
		if k == "format" || k == "bom" {
			continue
		}
		if !slices.Contains(rollup.ParamNames, k) {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown parameter %q", k),
				"parameters: "+strings.Join(rollup.ParamNames, ", ")+", format, bom")
			return
		}
		if len(v) != 1 || v[0] == "" {
			writeError(w, http.StatusBadRequest, fmt.Sprintf("parameter %q needs one value", k), "")
			return
		}
		if err := p.Set(k, v[0]); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	ro, err := rollup.Bind(name, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := formatParam(q.Get("format"), rollupFormats)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown format %q", q.Get("format")), formatHint(rollupFormats))
		return
	}
	bom, err := boolParam("bom", q.Get("bom"))
	if err == nil {
		f, err = withBOM(f, bom)
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), "bom=1 with format=csv starts the file with a byte-order mark, for Excel")
		return
	}

	st, gen, etag, done, ok := s.revalidated(w, r)
	if !ok {
		return
	}
	defer done()
	// The answer for this replica, its parameters and format: from the
	// cache, from the request already computing it, or computed here.
	key := fmt.Sprintf("%s|%s|%v|%s", etag, ro.Name, ro.Given, f)
	var cache *resultCache
	if gen != nil {
		cache = gen.cache
	}
	ans, err := s.rollupAnswer(r.Context(), cache, key, func(ctx context.Context) (*answer, error) {
		if f == render.JSON {
			b, err := rollupJSON(ctx, ro, st)
			if err != nil {
				return nil, err
			}
			return &answer{body: b, contentType: render.JSON.ContentType()}, nil
		}
		// Rollups are aggregates: small enough to build whole before the
		// status line, so a failure is still a proper error response.
		var buf bytes.Buffer
		if _, err := st.ExportTo(ctx, ro.Selection(), f, s.cfg.TempDir, &buf); err != nil {
			return nil, err
		}
		return &answer{body: buf.Bytes(), contentType: f.ContentType(),
			disposition: mime.FormatMediaType("attachment", map[string]string{"filename": fileName(ro.Name, ro.Given, f)})}, nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", ans.contentType)
	if ans.disposition != "" {
		w.Header().Set("Content-Disposition", ans.disposition)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(ans.body)))
	w.WriteHeader(http.StatusOK)
	w.Write(ans.body)
}

// rollupJSON is a rollup's JSON answer, {"parameters": …, "result": …,
// "rollup": …} (the keys in json.Marshal's order, as the answer was first
// written), with the result document written row by row into it: a whole
// nation's levels never becomes a Result of 68 million values, and its
// 320 MB are not scanned again by json.Marshal.
func rollupJSON(ctx context.Context, ro rollup.Bound, st rollup.Streamer) ([]byte, error) {
	params, err := json.Marshal(ro.Given)
	if err != nil {
		return nil, err
	}
	name, err := json.Marshal(ro.Name)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"parameters":`)
	b.Write(params)
	b.WriteString(`,"result":`)
	if _, err := ro.Write(ctx, st, &b, render.JSON); err != nil {
		return nil, err
	}
	b.Truncate(b.Len() - 1) // the result document's own line end
	b.WriteString(`,"rollup":`)
	b.Write(name)
	b.WriteString("}\n")
	return b.Bytes(), nil
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// fileName is the download name of a rollup: name, the year when given,
// and the format's extension, in ASCII.
func fileName(name string, params map[string]any, f render.Format) string {
	n := name
	if y, ok := params["year"]; ok {
		n += fmt.Sprintf("-%v", y)
	}
	if d, ok := params["division"].(string); ok {
		if d = unsafeName.ReplaceAllString(d, ""); d != "" {
			n += "-" + d
		}
	}
	return n + f.Ext()
}

// storeETag names the store's state: the number of reports and the time
// of the last ingest (a replaced report gets a new ingested_at), with the
// schema version (a new build may compute rollups differently).
func storeETag(ctx context.Context, st *store.Store) (string, error) {
	res, err := st.Query(ctx, `SELECT count(*), coalesce(CAST(epoch_us(max(ingested_at)) AS BIGINT), 0) FROM reports`)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf(`"s%d-n%v-t%v"`, store.SchemaVersion(), res.Rows[0][0], res.Rows[0][1]), nil
}

// matchETag reports whether an If-None-Match header names etag (or *).
func matchETag(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		t = strings.TrimPrefix(t, "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
