package msg

import (
	"slices"
	"strings"
	"testing"
	"unicode"
)

// Every ID has a text in both languages, and the Chinese one is Chinese.
func TestCatalogueComplete(t *testing.T) {
	if len(IDs()) < 40 {
		t.Fatalf("catalogue holds only %d IDs", len(IDs()))
	}
	for _, id := range IDs() {
		txt, _ := Lookup(id)
		if strings.TrimSpace(txt.En) == "" {
			t.Errorf("%s: no English text", id)
		}
		if strings.TrimSpace(txt.Zh) == "" {
			t.Errorf("%s: no Chinese text", id)
			continue
		}
		// The page's language toggle names the other language in its own
		// words: "English" on the Chinese page.
		if !hasHan(txt.Zh) && id != "web.lang_other" {
			t.Errorf("%s: Chinese text has no Chinese: %q", id, txt.Zh)
		}
		if txt.Zh == txt.En {
			t.Errorf("%s: Chinese text is the English one", id)
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

// keyNames are placeholders naming a row, column, block, item or narrative
// key: a Chinese text may name it by its official label ({label}) instead.
var keyNames = []string{"col", "row", "block", "item", "narr"}

// comparable reduces a text's placeholders to the values it states: a
// quoted form (_q) or a Chinese form (_zh) is the value itself, and keys
// and labels are names.
func comparable(s string) []string {
	var out []string
	for _, p := range Placeholders(s) {
		p = strings.TrimSuffix(strings.TrimSuffix(p, "_q"), "_zh")
		if p == "label" || slices.Contains(keyNames, p) {
			p = "name"
		}
		out = append(out, p)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// The two languages state the same values: every placeholder of one is in
// the other (a Chinese text may name a row by {label} where the English
// names its key, and may add the label to a cell path).
func TestPlaceholdersAgree(t *testing.T) {
	for _, id := range IDs() {
		txt, _ := Lookup(id)
		en, zh := comparable(txt.En), comparable(txt.Zh)
		// A cell path may gain its label in Chinese (R9): {label} beside
		// {path} adds a name the English leaves out.
		if slices.Contains(zh, "name") && !slices.Contains(en, "name") && slices.Contains(en, "path") {
			zh = slices.DeleteFunc(zh, func(s string) bool { return s == "name" })
		}
		if !slices.Equal(en, zh) {
			t.Errorf("%s: placeholders differ: en %v, zh %v\n  en: %s\n  zh: %s", id, Placeholders(txt.En), Placeholders(txt.Zh), txt.En, txt.Zh)
		}
	}
}

func TestFill(t *testing.T) {
	got := Fill(`{a} and {b_c}, {missing} {"json": 1}`, A("a", 1, "b_c", "二"))
	if want := `1 and 二, {missing} {"json": 1}`; got != want {
		t.Fatalf("Fill = %q, want %q", got, want)
	}
	if got := S(ZH, R1Null, "col", "natural_person", "label", "自然人"); got != "无法核验：“自然人”栏有数值为空" {
		t.Fatalf("S = %q", got)
	}
	if got := T(EN, "no.such.id", nil); got != "no.such.id" {
		t.Fatalf("unknown ID = %q", got)
	}
}

func TestFinding(t *testing.T) {
	args := A("col", "natural_person", "label", "自然人")
	en := "not checkable: column natural_person has a null operand"
	for _, c := range []struct {
		l          Lang
		code, want string
	}{
		{EN, string(R1Null), en},
		{ZH, string(R1Null), "无法核验：“自然人”栏有数值为空"},
		{ZH, "", en},          // stored before codes: the English message
		{ZH, "R99.later", en}, // a code this build does not know
	} {
		if got := Finding(c.l, c.code, args, en); got != c.want {
			t.Errorf("Finding(%s, %q) = %q, want %q", c.l, c.code, got, c.want)
		}
	}
}

func TestParse(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Lang
		ok   bool
	}{
		{"zh", ZH, true}, {"zh_CN.UTF-8", ZH, true}, {"zh-CN", ZH, true}, {"zh_TW.Big5", ZH, true},
		{"ZH_cn.utf8@pinyin", ZH, true}, {"en", EN, true}, {"en_US.UTF-8", EN, true}, {"C", EN, true},
		{"C.UTF-8", EN, true}, {"POSIX", EN, true}, {"fr_FR.UTF-8", EN, false}, {"", EN, false},
	} {
		got, err := Parse(c.in)
		if got != c.want || (err == nil) != c.ok {
			t.Errorf("Parse(%q) = %s, %v; want %s, ok=%v", c.in, got, err, c.want, c.ok)
		}
	}
}

// LC_ALL wins over LC_MESSAGES, which wins over LANG; the first one set
// decides even when it is not Chinese; --lang wins over all of them.
func TestChoose(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		flag string
		env  map[string]string
		want Lang
	}{
		{"", nil, EN},
		{"", map[string]string{"LANG": "zh_CN.UTF-8"}, ZH},
		{"", map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, ZH},
		{"", map[string]string{"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C"}, EN},
		{"", map[string]string{"LANG": "zh_CN.UTF-8", "LC_ALL": "en_US.UTF-8"}, EN},
		{"", map[string]string{"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.GB18030"}, ZH},
		{"", map[string]string{"LANG": "fr_FR.UTF-8"}, EN},
		{"en", map[string]string{"LC_ALL": "zh_CN.UTF-8"}, EN},
		{"zh", map[string]string{"LANG": "C"}, ZH},
	} {
		got, err := Choose(c.flag, env(c.env))
		if err != nil || got != c.want {
			t.Errorf("Choose(%q, %v) = %s, %v; want %s", c.flag, c.env, got, err, c.want)
		}
	}
	if _, err := Choose("fr", env(nil)); err == nil {
		t.Error("--lang fr accepted")
	}
}

func TestFromAcceptLanguage(t *testing.T) {
	for _, c := range []struct {
		h    string
		def  Lang
		want Lang
	}{
		{"", ZH, ZH}, {"", EN, EN},
		{"zh-CN,zh;q=0.9,en;q=0.8", EN, ZH},
		{"en-US,en;q=0.9,zh-CN;q=0.8", ZH, EN},
		{"fr-FR, zh;q=0.5", EN, ZH},
		{"fr-FR", ZH, ZH},
		{"en;q=0.2, zh;q=0.7", EN, ZH},
		{"*", EN, EN},
	} {
		if got := FromAcceptLanguage(c.h, c.def); got != c.want {
			t.Errorf("FromAcceptLanguage(%q, %s) = %s, want %s", c.h, c.def, got, c.want)
		}
	}
}
