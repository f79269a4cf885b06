package serve

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
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
		// The whole answer is made before the status line, so a failure is
		// still a proper error response; past maxCachedAnswer it is made
		// in a temporary file, not in memory.
		sp := &spill{dir: s.cfg.TempDir, max: s.spillAt}
		if f == render.JSON {
			if err := rollupJSON(ctx, ro, st, sp); err != nil {
				sp.discard()
				return nil, err
			}
			return sp.answer(render.JSON.ContentType(), ""), nil
		}
		if _, err := st.ExportTo(ctx, ro.Selection(), f, s.cfg.TempDir, sp); err != nil {
			sp.discard()
			return nil, err
		}
		return sp.answer(f.ContentType(), mime.FormatMediaType("attachment", map[string]string{"filename": fileName(ro.Name, ro.Given, f)})), nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer s.release(ans)
	body, size := ans.open()
	w.Header().Set("Content-Type", ans.contentType)
	if ans.disposition != "" {
		w.Header().Set("Content-Disposition", ans.disposition)
	}
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	io.Copy(w, body)
}

// rollupJSON is a rollup's JSON answer, {"parameters": …, "result": …,
// "rollup": …} (the keys in json.Marshal's order, as the answer was first
// written), with the result document written row by row into it: a whole
// nation's levels never becomes a Result of 68 million values, and its
// 320 MB are not scanned again by json.Marshal.
func rollupJSON(ctx context.Context, ro rollup.Bound, st rollup.Streamer, w io.Writer) error {
	params, err := json.Marshal(ro.Given)
	if err != nil {
		return err
	}
	name, err := json.Marshal(ro.Name)
	if err != nil {
		return err
	}
	// The result document ends its own line; the answer goes on after it,
	// so that line end is held back from w.
	b := bufio.NewWriterSize(w, 64<<10)
	b.WriteString(`{"parameters":`)
	b.Write(params)
	b.WriteString(`,"result":`)
	if _, err := ro.Write(ctx, st, &dropLastNewline{w: b}, render.JSON); err != nil {
		return err
	}
	b.WriteString(`,"rollup":`)
	b.Write(name)
	b.WriteString("}\n")
	return b.Flush()
}

// dropLastNewline passes writes on to w, holding back a final "\n": the
// one the result document ends with.
type dropLastNewline struct {
	w    io.Writer
	held bool
}

func (d *dropLastNewline) Write(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if d.held {
		if _, err := d.w.Write([]byte{'\n'}); err != nil {
			return 0, err
		}
		d.held = false
	}
	out := p
	if p[len(p)-1] == '\n' {
		out, d.held = p[:len(p)-1], true
	}
	if _, err := d.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
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
