package bench

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gongkai/division"
	"gongkai/gen"
	"gongkai/ingest"
)

// The rendered corpus of the ingest measure: one folder per district
// (000, 001, …), each a district of the divisions data generated as an
// office collects its reports (mixed renderings, noise, a few broken
// rules), so that ingest reads, parses, places and stores real documents,
// not records. It is the corpus scripts/bench-ingest makes, folder for
// folder, so figures of the two compare.

// CorpusRenderings are the renderings of the corpus: the text and HTML
// ones (no DOCX or PDF, whose readers the rate does not cover).
var CorpusRenderings = []string{gen.WordText, gen.HTML, gen.HTMLGBK, gen.HTMLJS, gen.PipeText, gen.CellLines, gen.Paragraph, gen.Markdown, gen.GluedText}

// corpusDepartments is each district's departments, as in bench-ingest.
const corpusDepartments = 32

// CorpusDistricts names the first n districts of the corpus: 威海市文登区
// (the seed report's district), then every 40th county-level district or
// county of a prefecture-level city in the divisions data's order, named
// with its city. Zones (开发区, 高新区…) and county-level cities are left
// out, so every name resolves to one division.
func CorpusDistricts(n int) ([]string, error) {
	out := []string{"威海市文登区"}
	res := division.Default()
	k := 0
	for p := 11; p <= 82 && len(out) < n; p++ {
		for _, city := range res.Children(fmt.Sprintf("%02d0000", p)) {
			if city.Level != division.City || !strings.HasSuffix(city.Name, "市") {
				continue
			}
			for _, c := range res.Children(city.Code) {
				if c.Level != division.County || !corpusCounty(c.Name) {
					continue
				}
				if k++; k%40 == 0 && len(out) < n {
					out = append(out, city.Name+c.Name)
				}
			}
		}
	}
	if len(out) < n {
		return out, fmt.Errorf("the divisions data gives %d districts for the corpus, not %d", len(out), n)
	}
	return out[:n], nil
}

func corpusCounty(name string) bool {
	if !strings.HasSuffix(name, "区") && !strings.HasSuffix(name, "县") || name == "文登区" {
		return false
	}
	for _, s := range []string{"开发", "管理", "园区", "示范", "高新", "市"} {
		if strings.Contains(name, s) {
			return false
		}
	}
	return true
}

// corpusFolder is the folder of district i in the corpus at dir.
func corpusFolder(dir string, i int) string { return filepath.Join(dir, fmt.Sprintf("%03d", i)) }

// EnsureCorpus makes sure the corpus at dir holds its first n districts of
// townships townships each, generating those that are missing, and
// returns their folders. A district is written to a .part folder and
// renamed when whole, so a stopped run never leaves half a district that
// a later run would take for whole.
func EnsureCorpus(ctx context.Context, dir string, n, townships int, log io.Writer) ([]string, error) {
	names, err := CorpusDistricts(n)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("the corpus folder: %w", err)
	}
	folders := make([]string, n)
	for i, name := range names {
		folders[i] = corpusFolder(dir, i)
		if fi, err := os.Stat(folders[i]); err == nil && fi.IsDir() {
			continue
		}
		part := folders[i] + ".part"
		if err := os.RemoveAll(part); err != nil {
			return nil, err
		}
		sum, err := gen.Generate(ctx, gen.Options{Out: part, District: name, Townships: townships, Departments: corpusDepartments,
			FirstYear: 2019, LastYear: 2025, Seed: uint64(11 + i), Renderings: CorpusRenderings, Mixed: true, Noise: 0.2, Violations: 0.05})
		if err != nil {
			return nil, fmt.Errorf("corpus district %d (%s): %w", i, name, err)
		}
		if err := os.Rename(part, folders[i]); err != nil {
			return nil, err
		}
		fmt.Fprintf(log, "  generated corpus district %d of %d (%s): %d reports\n", i+1, n, name, sum.Reports)
	}
	return folders, nil
}

// countReports counts the report files in folders (the truth files and
// listings beside them are not reports).
func countReports(folders []string) (int, error) {
	n := 0
	for _, f := range folders {
		ents, err := os.ReadDir(f)
		if err != nil {
			return 0, err
		}
		for _, e := range ents {
			if !e.IsDir() && isReportFile(e.Name()) {
				n++
			}
		}
	}
	return n, nil
}

func isReportFile(name string) bool {
	return !strings.HasSuffix(name, ingest.TruthSuffix) && name != gen.ManifestName
}

// HostileFiles are the five files of issue 11 that once cost a run its
// memory, each of which must now fail alone with a clear error while the
// run goes on: 20 million "\t0" lines; a zip of 16 such members, about
// 1 MB; a table of 999,990 unclosed <td> (just under the tag limit); a
// Word-text table of 199,990 cell lines (under every limit: read whole, no
// report found); 60 MB of text in one paragraph.
var HostileFiles = []string{"lines.txt", "bomb.zip", "tags.html", "cells.txt", "oneline.html"}

// WriteHostile writes HostileFiles to dir (kept when already there) and
// returns their paths.
func WriteHostile(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	lines := bytes.Repeat([]byte("\t0\n"), 20_000_000)
	makers := map[string]func() ([]byte, error){
		"lines.txt": func() ([]byte, error) { return lines, nil },
		"bomb.zip":  func() ([]byte, error) { return zipBomb(lines, 16) },
		"tags.html": func() ([]byte, error) {
			return wrap("<html><body><table><tr>", strings.Repeat("<td>0", 999_990), "</table></body></html>\n"), nil
		},
		"cells.txt": func() ([]byte, error) {
			return wrap("泽库镇人民政府2023年政府信息公开工作年度报告\n", strings.Repeat("\t0\n", 199_990), ""), nil
		},
		"oneline.html": func() ([]byte, error) {
			return wrap("<html><body><p>", strings.Repeat("政府信息公开工作", 2_500_000), "</p></body></html>\n"), nil
		},
	}
	paths := make([]string, len(HostileFiles))
	for i, name := range HostileFiles {
		paths[i] = filepath.Join(dir, name)
		if _, err := os.Stat(paths[i]); err == nil {
			continue
		}
		b, err := makers[name]()
		if err != nil {
			return nil, fmt.Errorf("hostile %s: %w", name, err)
		}
		if err := os.WriteFile(paths[i]+".part", b, 0o644); err != nil {
			return nil, err
		}
		if err := os.Rename(paths[i]+".part", paths[i]); err != nil {
			return nil, err
		}
	}
	return paths, nil
}

func wrap(head, body, tail string) []byte { return []byte(head + body + tail) }

// zipBomb is a zip of n members, each member compressed once and written
// raw n times: a second to make instead of a minute of deflating.
func zipBomb(member []byte, n int) ([]byte, error) {
	var comp bytes.Buffer
	fw, err := flate.NewWriter(&comp, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(member); err != nil {
		return nil, err
	}
	if err := fw.Close(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for i := range n {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("m%02d.txt", i+1), Method: zip.Deflate,
			CRC32: crc32.ChecksumIEEE(member), CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(len(member))})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(comp.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if out.Len() > 4<<20 {
		return nil, errors.New("the zip came out larger than a bomb should")
	}
	return out.Bytes(), nil
}

// hostileNames lists HostileFiles for the report.
func hostileNames() string { return strings.Join(HostileFiles, ", ") }
