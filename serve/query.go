package serve

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"gongkai"
	"gongkai/query"
	"gongkai/render"
)

// queryRequest is the body of POST /v1/query.
type queryRequest struct {
	SQL       string `json:"sql"`
	TimeoutMS int64  `json:"timeout_ms"`
	MaxRows   int    `json:"max_rows"`
	Format    string `json:"format"` // json (default) | csv | arrow
	BOM       bool   `json:"bom"`    // csv: start with a UTF-8 byte-order mark, for Excel
}

// POST /v1/query runs one ad-hoc read statement in the SQL sandbox
// (package query).
func (s *Server) postQuery(w http.ResponseWriter, r *http.Request) {
	var req queryRequest
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", mbe.Limit), "send shorter SQL")
			return
		}
		writeError(w, http.StatusBadRequest, "reading the JSON body: "+err.Error(),
			`{"sql": "SELECT ...", "timeout_ms": 2000, "max_rows": 1000, "format": "json|csv|arrow"}`)
		return
	}
	if dec.More() {
		writeError(w, http.StatusBadRequest, "the body holds more than one JSON value", "send one object")
		return
	}
	if req.TimeoutMS < 0 || req.MaxRows < 0 {
		writeError(w, http.StatusBadRequest, "timeout_ms and max_rows must be positive", "")
		return
	}
	format, err := formatParam(req.Format, queryFormats)
	if err != nil {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("unknown format %q", req.Format), formatHint(queryFormats))
		return
	}
	if format, err = withBOM(format, req.BOM); err != nil {
		writeError(w, http.StatusBadRequest, err.Error(), `"bom": true with "format": "csv" starts the answer with a byte-order mark, for Excel`)
		return
	}
	lim := s.cfg.Limits.Lower(time.Duration(req.TimeoutMS)*time.Millisecond, req.MaxRows)

	// The time limit counts from the request's arrival: waiting for a
	// worker (at most half the limit) is taken from it, so every answer,
	// a runaway's too, comes within the limit (plus the kill's grace).
	arrived := time.Now()
	client := clientOf(r, s.cfg.ClientHeader)
	switch s.admit.enter(r.Context(), client, lim.Timeout/2) {
	case admitted:
		lim.Timeout -= time.Since(arrived)
	case clientBusy:
		w.Header().Set("Retry-After", "2")
		writeError(w, http.StatusTooManyRequests, fmt.Sprintf("you already run %d ad-hoc queries", s.admit.perClient),
			"wait for your running query to finish, then retry")
		return
	case allBusy:
		w.Header().Set("Retry-After", "2")
		writeError(w, http.StatusServiceUnavailable, fmt.Sprintf("all %d ad-hoc query workers are busy", s.admit.workers), "retry in a moment")
		return
	case canceled:
		return
	}
	defer func() {
		s.admit.leave(client, errors.Is(err, query.ErrTimeout) || errors.Is(err, query.ErrTooLarge), err == nil)
	}()
	path, release := s.current()
	defer release()

	if format == render.ArrowStream {
		// At most MaxRows rows, sent only when the statement succeeded.
		var buf bytes.Buffer
		var truncated bool
		truncated, err = s.sandbox.Arrow(r.Context(), path, req.SQL, lim, &buf)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", render.ArrowStream.ContentType())
		w.Header().Set("X-Gongkai-Truncated", strconv.FormatBool(truncated))
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Write(buf.Bytes())
		return
	}
	var res *gongkai.Result
	res, err = s.sandbox.Query(r.Context(), path, req.SQL, lim)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format == render.CSV || format == render.CSVBOM {
		var buf bytes.Buffer
		if format == render.CSVBOM {
			buf.WriteString(render.UTF8BOM)
		}
		if err := render.WriteCSV(&buf, res); err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", render.CSV.ContentType())
		w.Header().Set("X-Gongkai-Truncated", strconv.FormatBool(res.Truncated))
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		w.Write(buf.Bytes())
		return
	}
	w.Header().Set("X-Gongkai-Truncated", strconv.FormatBool(res.Truncated))
	writeJSON(w, http.StatusOK, toJSON(res))
}
