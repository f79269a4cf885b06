package cli

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"gongkai/msg"
	"gongkai/rollup"
	"gongkai/store"
)

var (
	// commandRe is a command a line tells the user to run: its words are
	// the program's, not prose.
	commandRe = regexp.MustCompile(`gongkai [^（）：，。；]*`)
	// valueRe is a key=value a line states (文件格式=glued_text).
	valueRe = regexp.MustCompile(`=\S*`)
	// dataNames are the rules' own names and the keys of a finding's place
	// (where: organization, applications…), as the JSON record names them.
	dataNames = map[string]bool{"READ": true, "DIV": true, "COMPILE": true, "organization": true,
		"report_year": true, "applications": true, "active": true, "review": true, "narrative": true}
)

// proseEnglish returns the English words of a line a Chinese user reads,
// data set aside (names, paths, keys, quoted values, commands, a table's
// data columns). For parse --explain's tab-separated rows only the place
// a value was read (loc) is prose.
func proseEnglish(line string) []string {
	if strings.Contains(line, "\t") {
		f := strings.Split(line, "\t")
		if len(f) < 3 || f[2] == "loc" {
			return nil
		}
		line = f[2]
	}
	line = valueRe.ReplaceAllString(commandRe.ReplaceAllString(line, " "), " ")
	var out []string
	for _, w := range msg.EnglishWords(line) {
		if !dataNames[w] {
			out = append(out, w)
		}
	}
	return out
}

// A Chinese user running ingest, check, parse --explain and demo reads
// Chinese only: on every golden case's rendering (PDF, GBK HTML, glued
// text, a misspelled label, DOCX, noisy text…), the sample district and
// spoiled files (no organization, a cut report, a DOCX without its
// document, damaged UTF-8, a file that is no report), every line of
// stdout and stderr is checked for English prose.
func TestProseInChinese(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the golden cases and runs the demo")
	}
	zh := map[string]string{"LANG": "zh_CN.UTF-8"}
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	if err := os.Mkdir(in, 0o755); err != nil {
		t.Fatal(err)
	}
	put := func(name string, data []byte) {
		if err := os.WriteFile(filepath.Join(in, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cases, _ := filepath.Glob(filepath.Join("..", "testdata", "*", "input.*"))
	for _, p := range cases {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		put(filepath.Base(filepath.Dir(p))+filepath.Ext(p), data)
	}
	sample, _ := filepath.Glob(filepath.Join("..", "testdata", "sample", "20[12][90]_*.txt"))
	if len(cases) < 15 || len(sample) < 10 {
		t.Fatalf("found %d cases and %d sample reports", len(cases), len(sample))
	}
	for _, p := range sample {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		put(filepath.Base(p), data)
	}
	// Spoiled files.
	first, _ := os.ReadFile(sample[0])
	org := strings.TrimSuffix(strings.SplitN(filepath.Base(sample[0]), "_", 2)[1], ".txt")
	noOrg := bytes.ReplaceAll(first, []byte(org), nil)
	noOrg = bytes.ReplaceAll(noOrg, []byte(strings.TrimPrefix(org, "威海市文登区")), nil)
	put("no_organization.txt", noOrg)
	put("cut.txt", first[:len(first)/3])
	put("damaged.txt", append(append(bytes.Clone(first[:300]), 0xff, 0xfe), first[300:]...))
	put("not_a_report.txt", []byte("会议纪要\n今天开会。\n"))
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	w, _ := zw.Create("word/styles.xml")
	w.Write([]byte("<styles/>"))
	zw.Close()
	put("no_document.docx", zb.Bytes())

	db := filepath.Join(dir, "store.duckdb")
	files, _ := filepath.Glob(filepath.Join(in, "*"))
	runs := [][]string{
		{"ingest", "--db", db, in},
		{"ingest", "--db", db, in}, // every file again: unchanged
		{"check", "--db", db},
		append([]string{"parse", "--explain"}, files...),
		{"demo"},
	}
	seen := ""
	for _, args := range runs {
		_, out, errs := runEnv(t, zh, args...)
		seen += out + errs
		for _, line := range strings.Split(out+errs, "\n") {
			if w := proseEnglish(line); len(w) > 0 {
				t.Errorf("gongkai %s under LANG=zh_CN.UTF-8 prints English %q:\n  %s", args[0], w, line)
			}
		}
	}
	// The test saw what it is about.
	for _, want := range []string{
		"已解析", "失败的文件", "未变：", "已跳过：", // ingest's lines
		"问题清单", "读作", "数字串", "损坏的字节", // findings: misspelled label, glued run, damaged UTF-8
		"未找到发布机关", "缺少表", "不是 Word 文档", // failures: identity, a cut report, a DOCX without its document
		"# 线索", "第 1 个表格", "第 1 页", // parse --explain
		"年度区县汇总", "按类别小计", // demo
	} {
		if !strings.Contains(seen, want) {
			t.Errorf("no line says %q", want)
		}
	}
}

// A rollup's parameter errors (a level that is no level, a year out of
// range, a parameter the rollup does not take) are in Chinese under zh, the
// level names and parameter names being data.
func TestRollupUsageInChinese(t *testing.T) {
	db := filepath.Join(t.TempDir(), "s.duckdb")
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	// Level and parameter names are data, and so is the HTTP method of the
	// hint's endpoint.
	data := map[string]bool{"levels": true, "year": true, "division": true, "level": true, "rule": true, "GET": true}
	for _, l := range rollup.Levels {
		for _, w := range strings.Split(l, "_") {
			data[w] = true
		}
	}
	zh := map[string]string{"LANG": "zh_CN.UTF-8"}
	for _, args := range [][]string{{"--level", "区县"}, {"--year", "1990"}, {"--rule", "R1"}} {
		code, _, stderr := runEnv(t, zh, append([]string{"rollup", "levels", "--db", db}, args...)...)
		if code != 2 || !strings.Contains(stderr, "用法错误") || !strings.Contains(stderr, "gongkai rollup --list 查看各汇总统计及其参数") {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
		for _, line := range strings.Split(stderr, "\n") {
			for _, w := range proseEnglish(line) {
				if !data[w] {
					t.Errorf("%v: English %q in %q", args, w, line)
				}
			}
		}
	}
}
