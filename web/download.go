package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"gongkai"
	"gongkai/compile"
	"gongkai/render"
)

// download serves the compiled workbook (compile.xlsx, the same bytes as
// `gongkai compile --format xlsx`) and the compiled cells as CSV for Excel
// (compile.csv: UTF-8 with a byte-order mark, one row per cell with its
// official labels). Every level's measures as Parquet or CSV are the API's
// /v1/rollups/levels, which the page links.
func (h *Handler) download(w http.ResponseWriter, r *http.Request) {
	l := langOf(r)
	file := r.PathValue("file")
	if file != "compile.xlsx" && file != "compile.csv" {
		h.errorPage(w, r, l, &gongkai.Error{Op: "download", Path: file,
			Err: fmt.Errorf("%w: no download named %q", gongkai.ErrNotFound, file), Hint: "compile.xlsx or compile.csv"})
		return
	}
	q := r.URL.Query()
	year, err := parseYear(q.Get("year"))
	if err == nil && year == 0 {
		err = &gongkai.Error{Op: "download", Err: fmt.Errorf("%w: year is required", gongkai.ErrUsage), Hint: "e.g. year=2023"}
	}
	if err != nil {
		h.errorPage(w, r, l, err)
		return
	}
	d, err := h.res.District(q.Get("division"))
	if err != nil {
		h.errorPage(w, r, l, &gongkai.Error{Op: "download", Err: fmt.Errorf("%w: %w", gongkai.ErrUsage, err), Hint: "division=CODE, e.g. division=371003"})
		return
	}
	ctx := r.Context()
	st, done, ok := h.openStore(w, r, l)
	if !ok {
		return
	}
	defer done()
	c, err := compile.Division(ctx, st, h.res, d, year)
	if err != nil {
		h.errorPage(w, r, l, err)
		return
	}
	var buf bytes.Buffer
	ctype := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	if file == "compile.xlsx" {
		err = render.WriteCompiled(&buf, c, render.XLSX)
	} else {
		ctype = "text/csv; charset=utf-8"
		err = render.WriteCompiled(&buf, c, render.CSV)
	}
	if err != nil {
		h.errorPage(w, r, l, &gongkai.Error{Op: "download", Path: file, Err: err})
		return
	}
	ext := file[len("compile"):]
	name := fmt.Sprintf("%s%d年汇总%s", d.Name, year, ext)
	ascii := fmt.Sprintf("compile-%s-%d%s", d.Code, year, ext)
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name)))
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.Write(buf.Bytes())
}
