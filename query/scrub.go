package query

import (
	"bytes"
	"io"
	"path/filepath"
	"sort"
	"strings"
)

// scrubber removes the store's host path from what a worker sends back
// when it could not isolate itself (see isolate): the store's path, in
// every spelling DuckDB may use (as given, symlinks resolved), becomes
// NeutralPath, and its folder becomes "/", so `SELECT path FROM
// duckdb_databases()` answers /store.duckdb in both cases. Errors are
// scrubbed even in an isolated worker (they may quote the SQL text).
type scrubber struct {
	r    *strings.Replacer
	dirs [][]byte // what must not appear in Arrow bytes
}

func newScrubber(db string) *scrubber {
	if db == "" {
		return &scrubber{}
	}
	forms := []string{db}
	if abs, err := filepath.Abs(db); err == nil {
		forms = append(forms, abs)
	}
	if real, err := filepath.EvalSymlinks(db); err == nil {
		forms = append(forms, real)
		if abs, err := filepath.Abs(real); err == nil {
			forms = append(forms, abs)
		}
	}
	var pairs [][2]string
	sc := &scrubber{}
	for _, f := range forms {
		pairs = append(pairs, [2]string{f, NeutralPath})
		if dir := filepath.Dir(f); len(dir) > 1 {
			pairs = append(pairs, [2]string{dir + string(filepath.Separator), "/"}, [2]string{dir, "/"})
			sc.dirs = append(sc.dirs, []byte(dir))
		}
	}
	// A Replacer tries its pairs in order at each position: longest first.
	sort.SliceStable(pairs, func(i, j int) bool { return len(pairs[i][0]) > len(pairs[j][0]) })
	var args []string
	for _, p := range pairs {
		args = append(args, p[0], p[1])
	}
	sc.r = strings.NewReplacer(args...)
	return sc
}

// String scrubs one message or value.
func (sc *scrubber) String(s string) string {
	if sc.r == nil || s == "" {
		return s
	}
	return sc.r.Replace(s)
}

// rows scrubs every string in rows (map keys and nested values too).
func (sc *scrubber) rows(rows [][]value) [][]value {
	if sc.r == nil {
		return rows
	}
	for _, row := range rows {
		for j := range row {
			row[j] = sc.value(row[j])
		}
	}
	return rows
}

func (sc *scrubber) value(v value) value {
	switch v.K {
	case kString:
		v.S = sc.String(v.S)
	case kList:
		for i := range v.L {
			v.L[i] = sc.value(v.L[i])
		}
	case kMap:
		m := make(map[string]value, len(v.M))
		for k, e := range v.M {
			m[sc.String(k)] = sc.value(e)
		}
		v.M = m
	}
	return v
}

// watch returns a writer that passes bytes on to w and notes whether any
// spelling of the store's folder went through.
func (sc *scrubber) watch(w io.Writer) *pathSeen {
	return &pathSeen{w: w, needles: sc.dirs}
}

// pathSeen is a writer that looks for needles across its writes.
type pathSeen struct {
	w       io.Writer
	needles [][]byte
	tail    []byte
	found   bool
}

func (p *pathSeen) Write(b []byte) (int, error) {
	if !p.found && len(p.needles) > 0 {
		buf := append(p.tail, b...)
		longest := 0
		for _, n := range p.needles {
			if bytes.Contains(buf, n) {
				p.found = true
			}
			longest = max(longest, len(n))
		}
		if keep := longest - 1; len(buf) > keep {
			buf = buf[len(buf)-keep:]
		}
		p.tail = append(p.tail[:0], buf...)
	}
	return p.w.Write(b)
}
