package gen

import (
	"fmt"
	"strings"
)

// Body types, as report.go's Body.Type names them.
const (
	TypeTownship   = "township_government"
	TypeStreet     = "street_office"
	TypeDepartment = "county_department"
	TypeOffice     = "county_government"
)

// body is one author of reports: a township, a street, a department or the
// district government's own office, with the profile its numbers follow.
type body struct {
	name    string // 泽库镇, 教育和体育局
	org     string // 威海市文登区泽库镇人民政府
	typ     string
	short   string // 泽库, 文登教体: used in the WeChat account name
	we      string // 我镇, 我街道, 我局, 我办
	profile profile
}

// profile sets the scale of a body's numbers; all are yearly means.
type profile struct {
	sparse      bool    // township-like: most years no request at all
	requests    float64 // mean new requests (when not sparse)
	fwdRate     float64 // share of requests still open at year end
	review      float64
	direct      float64
	after       float64
	normIssued  float64
	normBase    float64 // normative documents in force before the first year
	items       float64 // 2019 layout: listed items (上一年项目数量) scale
	licensing   float64
	punishment  float64
	enforcement float64
	fees        float64 // 万元 per year; 0: none
	procurement float64 // projects per year (2019 layout)
	disclosed   float64 // items disclosed proactively (narrative)
}

// defaultTownships are the township names used when none are given: the
// first fifteen are those of 威海市文登区 (the seed's district, so the sample
// resolves against the divisions data), the rest are invented but follow
// the usual patterns.
var defaultTownships = []string{
	"泽库镇", "龙山路街道", "天福路街道", "环山路街道", "文登营镇", "大水泊镇", "张家产镇", "侯家镇",
	"宋村镇", "高村镇", "泽头镇", "小观镇", "葛家镇", "米山镇", "界石镇",
	"青石镇", "柳河镇", "东湖街道", "石门乡", "白沙镇", "南岭乡", "西河街道", "桃园镇", "凤凰街道",
}

// Syllables of invented township names beyond the built-in list.
var (
	namePrefix = []rune("东西南北新大小高石青白金红黄柳桃杨马龙凤双三五七古")
	nameMiddle = []rune("山河湖岭桥庄集店坡峪口沟泉林湾营")
	nameKind   = []string{"镇", "乡", "街道"}
)

// townshipNames returns n distinct names: the built-in ones first, then
// invented ones (东山镇, 西河乡...). It returns fewer when n exceeds what
// the syllables allow.
func townshipNames(n int) []string {
	out := make([]string, 0, n)
	seen := map[string]bool{}
	for _, s := range defaultTownships {
		if len(out) == n {
			return out
		}
		out, seen[s] = append(out, s), true
	}
	total := len(namePrefix) * len(nameMiddle) * len(nameKind)
	for i := 0; i < total && len(out) < n; i++ {
		p := namePrefix[i%len(namePrefix)]
		m := nameMiddle[(i/len(namePrefix))%len(nameMiddle)]
		k := nameKind[i/(len(namePrefix)*len(nameMiddle))]
		if s := string([]rune{p, m}) + k; !seen[s] {
			out, seen[s] = append(out, s), true
		}
	}
	return out
}

type deptDef struct {
	name, short string
	p           profile
}

var (
	profBig = profile{requests: 260, fwdRate: 0.06, review: 7, direct: 4, after: 2, normIssued: 3,
		normBase: 40, items: 60, licensing: 600, punishment: 150, enforcement: 12, fees: 350, procurement: 12, disclosed: 520}
	profLarge = profile{requests: 110, fwdRate: 0.05, review: 3, direct: 2, after: 1, normIssued: 3,
		normBase: 30, items: 45, licensing: 300, punishment: 80, enforcement: 6, fees: 80, procurement: 8, disclosed: 380}
	profMedium = profile{requests: 22, fwdRate: 0.04, review: 0.6, direct: 0.3, after: 0.1, normIssued: 2,
		normBase: 20, items: 25, licensing: 60, punishment: 20, enforcement: 1, procurement: 6, disclosed: 260}
	profSmall = profile{requests: 4, fwdRate: 0.02, review: 0.1, direct: 0.05, normIssued: 1,
		normBase: 10, items: 10, licensing: 10, punishment: 3, procurement: 3, disclosed: 150}
	profTownship = profile{sparse: true, fwdRate: 0.05, review: 0.03, direct: 0.02, normIssued: 0.4,
		normBase: 5, items: 8, licensing: 4, punishment: 6, enforcement: 0.5, procurement: 1, disclosed: 110}
	profOffice = profile{requests: 55, fwdRate: 0.05, review: 3, direct: 2, after: 1, normIssued: 10,
		normBase: 120, procurement: 20, disclosed: 1300}
)

var defaultDepartments = []deptDef{
	{"自然资源局", "自然资源", profBig},
	{"住房和城乡建设局", "住建", profLarge},
	{"教育和体育局", "教体", profMedium},
	{"卫生健康局", "卫健", profSmall},
	{"市场监督管理局", "市场监管", profLarge},
	{"人力资源和社会保障局", "人社", profMedium},
	{"民政局", "民政", profSmall},
	{"农业农村局", "农业农村", profMedium},
	{"交通运输局", "交通", profMedium},
	{"应急管理局", "应急", profSmall},
	{"财政局", "财政", profSmall},
	{"司法局", "司法", profSmall},
	{"文化和旅游局", "文旅", profSmall},
	{"水务局", "水务", profSmall},
	{"医疗保障局", "医保", profSmall},
	{"行政审批服务局", "审批", profLarge},
	{"发展和改革局", "发改", profSmall},
	{"工业和信息化局", "工信", profSmall},
	{"科学技术局", "科技", profSmall},
	{"审计局", "审计", profSmall},
	{"退役军人事务局", "退役军人", profSmall},
	{"综合行政执法局", "综合执法", profMedium},
	{"城市管理局", "城管", profMedium},
	{"统计局", "统计", profSmall},
	{"商务局", "商务", profSmall},
	{"信访局", "信访", profSmall},
	{"大数据局", "大数据", profSmall},
	{"林业局", "林业", profSmall},
	{"体育局", "体育", profSmall},
	{"粮食和物资储备局", "粮储", profSmall},
	{"档案馆", "档案", profSmall},
	{"地方金融监督管理局", "金融", profSmall},
}

// splitDistrict turns "威海市文登区" into ("威海市", "文登区"); a name
// without a city part gives ("", name).
func splitDistrict(name string) (city, district string) {
	if i := strings.Index(name, "市"); i > 0 && i+len("市") < len(name) {
		return name[:i+len("市")], name[i+len("市"):]
	}
	return "", name
}

// districtShort drops the last character (区, 县, 市): 文登区 → 文登.
func districtShort(district string) string {
	r := []rune(district)
	if len(r) > 2 {
		return string(r[:len(r)-1])
	}
	return district
}

// makeBodies lists the bodies of the district in report order: the
// government's own office, the townships, then the departments.
func makeBodies(opts Options) ([]body, error) {
	city, district := splitDistrict(opts.District)
	if district == "" {
		return nil, fmt.Errorf("district name is empty")
	}
	short := districtShort(district)
	names := opts.TownshipNames
	if len(names) == 0 {
		names = townshipNames(opts.Townships)
		if len(names) < opts.Townships {
			return nil, fmt.Errorf("at most %d townships without --township-names, got %d", len(names), opts.Townships)
		}
	} else if len(names) != opts.Townships {
		return nil, fmt.Errorf("%d township names given for %d townships", len(names), opts.Townships)
	}
	if opts.Departments > len(defaultDepartments) {
		return nil, fmt.Errorf("at most %d departments, got %d", len(defaultDepartments), opts.Departments)
	}
	out := []body{{
		name: district + "人民政府办公室", org: city + district + "人民政府办公室", typ: TypeOffice,
		short: "政务" + short, we: "我办", profile: profOffice,
	}}
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			return nil, fmt.Errorf("township name %q is empty or repeated", n)
		}
		seen[n] = true
		b := body{name: n, profile: profTownship}
		switch {
		case strings.HasSuffix(n, "街道"):
			b.typ, b.org, b.we = TypeStreet, district+n+"办事处", "我街道"
			b.short = strings.TrimSuffix(n, "街道")
		case strings.HasSuffix(n, "乡"):
			b.typ, b.org, b.we = TypeTownship, city+district+n+"人民政府", "我乡"
			b.short = strings.TrimSuffix(n, "乡")
		default:
			b.typ, b.org, b.we = TypeTownship, city+district+n+"人民政府", "我镇"
			b.short = strings.TrimSuffix(n, "镇")
		}
		b.short = wechatPrefix[len(out)%len(wechatPrefix)] + b.short
		out = append(out, b)
	}
	for _, d := range defaultDepartments[:opts.Departments] {
		out = append(out, body{name: d.name, org: district + d.name, typ: TypeDepartment,
			short: short + d.short, we: "我局", profile: d.p})
	}
	return out, nil
}

var wechatPrefix = []string{"扬帆", "魅力", "幸福", "美丽", "活力", "文明", "和谐", "印象"}
