package division

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzResolve: any organization name and hint resolves without panicking;
// an empty body always comes with a finding, and a resolved code is one the
// data has, consistent with the names filled in.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"威海市文登区泽库镇人民政府", "文登区龙山街道办事处", "文登区教育和体育局", "文登区人民政府(办公室)",
		"文登区全区", "城关镇人民政府", "朝阳区", "（）", "山东", "北京市市辖区", "东莞市人民政府", "",
		"重庆市九龙坡区二郎街道办事处", "盐边县新九镇人民政府", "平潭综合实验区", "淮安市人民政府",
		"北京市公安局朝阳分局", "西安市生态环境局碑林分局", "杭州市西湖区人民政府北山街道办事处",
		"西咸新区沣东新城王寺街道办事处", "北京市西城区广外街道办事处", "临夏州临夏市人民政府",
		"银川经济技术开发区管理委员会", "唐山市高新区管委会", "天津市蓟州区", "巴州库尔勒市人民政府",
	} {
		f.Add(s, "")
		f.Add(s, "文登区")
		f.Add(s, "371003")
	}
	r := Default()
	f.Fuzz(func(t *testing.T, org, district string) {
		b, fs := r.Resolve(org, Hint{District: district})
		if b.IsZero() && len(fs) == 0 {
			t.Fatalf("Resolve(%q, %q): no body and no finding", org, district)
		}
		if b.DivisionCode != "" {
			d, ok := r.Lookup(b.DivisionCode)
			if !ok {
				t.Fatalf("Resolve(%q): code %s not in the data", org, b.DivisionCode)
			}
			if d.Level == Township && d.Name != b.Township {
				t.Fatalf("Resolve(%q): code %s is %s but township %q", org, b.DivisionCode, d.Name, b.Township)
			}
			if b.Type == "" {
				t.Fatalf("Resolve(%q): placed without a body type", org)
			}
		}
		for _, x := range fs {
			if !utf8.ValidString(x.Message) && utf8.ValidString(org) && utf8.ValidString(district) {
				t.Fatalf("invalid UTF-8 in finding %q", x.Message)
			}
		}
	})
}

// FuzzManifest: any CSV text loads or fails with an error, never a panic,
// and every entry loaded can be looked up by its own file name.
func FuzzManifest(f *testing.F) {
	f.Add("file,division_code,body_type\na.txt,371003104,township_government\n")
	f.Add("file,division_code\n\"a,b.txt\",371003\n")
	f.Add("\ufefffile,division_code,body_type\nx/y.html,,\n")
	f.Add("division_code,file\n371003,a\n")
	f.Fuzz(func(t *testing.T, text string) {
		dir := t.TempDir()
		p := filepath.Join(dir, "m.csv")
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := LoadManifest(p)
		if err != nil {
			return
		}
		for _, e := range m.entries {
			if strings.ContainsRune(e.File, 0) {
				continue
			}
			if _, ok := m.Lookup(filepath.Join(dir, e.File)); !ok && !filepath.IsAbs(e.File) {
				t.Fatalf("entry %q not found by its path", e.File)
			}
		}
	})
}
