package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"gongkai/msg"
	"gongkai/store"
)

// runEnv calls Run with the environment env (LANG, LC_ALL…).
func runEnv(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(t.Context(), args, &Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return env[k] }})
	return code, out.String(), errb.String()
}

// The broken report of analyticsDB states 本年新收 7, 上年结转 0, （七）总计 6 and
// 结转下年度 0 in the 总计 column: R1 fails there, worded from those numbers.
const (
	r1English = "column total (总计): 本年新收 7 + 上年结转 0 = 7, but （七）总计 6 + 结转下年度 0 = 6"
	r1Chinese = "“总计”栏：本年新收 7 + 上年结转 0 = 7，但（七）总计 6 + 结转下年度继续办理 0 = 6，二者不相等"
)

func TestCheckInChinese(t *testing.T) {
	db := analyticsDB(t)
	zh := map[string]string{"LANG": "zh_CN.UTF-8"}
	code, out, errs := runEnv(t, zh, "check", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{r1Chinese, "按规则和状态统计的问题：", "问题清单（共", "规则", "说明", "错误", "不符"} {
		if !strings.Contains(out, want) {
			t.Errorf("LANG=zh_CN.UTF-8 check lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "but （七）总计") || strings.Contains(out, "Findings") {
		t.Errorf("LANG=zh_CN.UTF-8 check still prints English:\n%s", out)
	}
	// --lang en wins over the locale; English is as before codes existed.
	for _, args := range [][]string{{"check", "--db", db, "--lang", "en"}, {"--lang=en", "check", "--db", db}} {
		code, out, errs = runEnv(t, zh, args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		if !strings.Contains(out, r1English) || !strings.Contains(out, "Findings by rule and status:") || strings.Contains(out, r1Chinese) {
			t.Errorf("%v: want the English listing:\n%s", args, out)
		}
		if strings.Contains(out, "R1.unequal") {
			t.Errorf("%v: the table shows codes:\n%s", args, out)
		}
	}
	// --lang zh in an English locale; CSV for Excel follows the language.
	code, out, _ = runEnv(t, map[string]string{"LC_ALL": "en_US.UTF-8"}, "check", "--db", db, "--lang", "zh", "--format", "csv")
	if code != 0 || !strings.Contains(out, r1Chinese) {
		t.Errorf("--lang zh --format csv: exit %d\n%s", code, out)
	}
	// JSON is for programs: the stored English message, with code and args.
	code, out, _ = runEnv(t, zh, "check", "--db", db, "--format", "json")
	if code != 0 || !strings.Contains(out, r1English) || !strings.Contains(out, `"R1.unequal"`) || !strings.Contains(out, `\"tot\":\"6\"`) {
		t.Errorf("check --format json under zh: exit %d\n%s", code, out)
	}
}

// Errors and their hints are Chinese under a Chinese locale; an unknown
// --lang is a usage error.
func TestErrorsInChinese(t *testing.T) {
	zh := map[string]string{"LC_MESSAGES": "zh_CN.UTF-8"}
	code, _, errs := runEnv(t, zh, "check", "--db", t.TempDir()+"/none.duckdb")
	if code != 1 || !strings.HasPrefix(errs, "错误：") || !strings.Contains(errs, "提示：请先用 'gongkai ingest --db ") {
		t.Errorf("missing store under zh: exit %d\n%s", code, errs)
	}
	code, _, errs = runEnv(t, zh, "check", "--rule", "R99")
	if code != 2 || !strings.Contains(errs, "错误：用法错误：") || !strings.Contains(errs, "提示：运行 gongkai check --help 查看用法") {
		t.Errorf("bad rule under zh: exit %d\n%s", code, errs)
	}
	code, _, errs = runEnv(t, nil, "nosuch")
	if code != 2 || errs != "Error: unknown command \"nosuch\"\nTry: gongkai --help\n" {
		t.Errorf("unknown command in English: exit %d %q", code, errs)
	}
	code, _, errs = runEnv(t, nil, "--lang", "fr", "check")
	if code != 2 || !strings.Contains(errs, "gongkai speaks en and zh") {
		t.Errorf("--lang fr: exit %d %q", code, errs)
	}
}

// Every finding stored by ingest from the sample and a generated district
// with injected violations and reading noise (R1–R9, READ, DIV) is worded
// the same by its code as the message stored beside it, and its Chinese
// leaves no placeholder unfilled. The rule findings are all coded; the
// readers' free-worded notes may not be, and are shown as stored.
func TestStoredFindingsHaveCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests the sample and a generated district")
	}
	db := filepath.Join(t.TempDir(), "f.duckdb")
	mustRun(t, "ingest", "--db", db, "../testdata/sample")
	dir := t.TempDir()
	mustRun(t, "gen", "--out", dir, "--district", "威海市荣成市", "--townships", "3", "--departments", "2",
		"--years", "2019-2022", "--seed", "7", "--violations", "0.4", "--noise", "0.3",
		"--rendering", "word_text,html,markdown")
	mustRun(t, "ingest", "--db", db, "--district", "荣成市", dir)
	// A report whose table 三 lost a row's label: READ findings name it.
	src, err := os.ReadFile("../testdata/sample/2019_威海市文登区侯家镇人民政府.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "3.补正后申请内容仍不明确", "", 1)
	if text == string(src) {
		t.Fatal("sample report lacks the row 3.补正后申请内容仍不明确")
	}
	short := filepath.Join(t.TempDir(), "2019_short.txt")
	if err := os.WriteFile(short, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "ingest", "--db", db, "--district", "文登区", "--organization", "威海市文登区侯家镇人民政府", "--year", "2019", short)
	st, err := store.OpenReadOnly(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	res, err := st.Query(t.Context(), `SELECT rule, message, code, args FROM findings ORDER BY ALL`)
	if err != nil {
		t.Fatal(err)
	}
	coded, codes := map[string]int{}, map[string]bool{}
	uncoded := map[string][]string{}
	for _, row := range res.Rows {
		rule, message := row[0].(string), row[1].(string)
		code, _ := row[2].(string)
		if code == "" {
			uncoded[rule] = append(uncoded[rule], message)
			continue
		}
		args, err := msg.ParseArgs(row[3])
		if err != nil {
			t.Fatal(err)
		}
		coded[rule]++
		codes[code] = true
		if en := msg.T(msg.EN, msg.ID(code), args); en != message {
			t.Errorf("%s: English from code %s\n  %s\nstored\n  %s", rule, code, en, message)
		}
		zh := msg.T(msg.ZH, msg.ID(code), args)
		if p := msg.Placeholders(zh); len(p) > 0 {
			t.Errorf("%s: Chinese of %s leaves %v unfilled: %s", rule, code, p, zh)
		}
		if w := msg.EnglishWords(zh); len(w) > 0 {
			t.Errorf("%s: Chinese of %s leaves English %q: %s", rule, code, w, zh)
		}
	}
	// Every finding has a code, the readers' (READ) and the placing's (DIV) too.
	for _, r := range []string{"R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "READ", "DIV", "COMPILE"} {
		if len(uncoded[r]) > 0 {
			t.Errorf("%s: %d findings without a code, e.g. %q", r, len(uncoded[r]), uncoded[r][0])
		}
	}
	for _, r := range []string{"R1", "R3", "R4", "R6", "R7", "READ", "DIV"} {
		if coded[r] == 0 {
			t.Errorf("no coded %s finding in the stores: the test does not reach it", r)
		}
	}
	t.Logf("coded findings by rule %v, %d codes", coded, len(codes))
}

// Every command's help exists in Chinese: the same flags named, the same
// example lines, every flag described in Chinese; gongkai --help lists every
// command with its Chinese summary.
func TestHelpInChinese(t *testing.T) {
	zh := map[string]string{"LANG": "zh_CN.UTF-8"}
	flagRe := regexp.MustCompile(`--[a-z][a-z-]+`)
	_, top, _ := runEnv(t, zh, "--help")
	if !strings.Contains(top, "用法：gongkai <命令>") {
		t.Errorf("gongkai --help under zh:\n%s", top)
	}
	for _, c := range commands {
		if !strings.Contains(top, "  "+fmt.Sprintf("%-10s", c.name)+" "+msg.T(msg.ZH, c.summary, nil)) {
			t.Errorf("gongkai --help under zh lacks %s's Chinese summary", c.name)
		}
		code, en, _ := runEnv(t, nil, c.name, "--help")
		if code != 0 {
			t.Fatalf("%s --help: exit %d", c.name, code)
		}
		code, cn, _ := runEnv(t, zh, c.name, "--help")
		if code != 0 {
			t.Fatalf("LANG=zh_CN.UTF-8 %s --help: exit %d", c.name, code)
		}
		enUsage, enFlags, _ := strings.Cut(en, "\nFlags:\n")
		cnUsage, cnFlags, ok := strings.Cut(cn, "\n参数：\n")
		if !ok && strings.Contains(en, "\nFlags:\n") {
			t.Errorf("%s --help under zh has no 参数： section:\n%s", c.name, cn)
		}
		if !strings.HasPrefix(cnUsage, "用法：gongkai "+c.name) {
			t.Errorf("%s --help under zh does not start with 用法：\n%s", c.name, cnUsage)
		}
		for _, f := range flagRe.FindAllString(enUsage, -1) {
			if !strings.Contains(cnUsage, f) {
				t.Errorf("%s: the Chinese help does not name %s", c.name, f)
			}
		}
		for _, line := range strings.Split(enUsage, "\n") {
			for _, p := range []string{"  gongkai ", "  go run ", "  duckdb ", "  curl "} {
				if strings.HasPrefix(line, p) && !strings.Contains(cnUsage, line+"\n") {
					t.Errorf("%s: example missing from the Chinese help: %s", c.name, line)
				}
			}
		}
		// Each flag's line (name, type, description) is Chinese; flag
		// names stay as they are.
		for _, line := range strings.Split(strings.TrimSpace(cnFlags), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "-") && !hasHan(line) {
				t.Errorf("%s: flag not described in Chinese: %s", c.name, line)
			}
		}
		if strings.Count(enFlags, "\n") != strings.Count(cnFlags, "\n") {
			t.Errorf("%s: %d flag lines in English, %d in Chinese", c.name, strings.Count(enFlags, "\n"), strings.Count(cnFlags, "\n"))
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
