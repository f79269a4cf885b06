package web

import (
	"fmt"
	"net/http"
	"strings"

	"gongkai/division"
)

// Lang is a page language: Chinese, the default for the offices the page
// is for, or English.
type Lang string

const (
	Zh Lang = "zh"
	En Lang = "en"
)

// langOf picks the page language from ?lang=: Chinese unless it says
// English. The browser's Accept-Language is not followed: the page is for
// Chinese offices, whatever language their browser was installed in, and
// the toggle carries ?lang=en on every link.
func langOf(r *http.Request) Lang {
	if strings.EqualFold(r.URL.Query().Get("lang"), "en") {
		return En
	}
	return Zh
}

// texts are the page's own words (headings, buttons, notes) in each
// language. The tables' labels are the official ones from the domain and
// stay Chinese in both languages: they are the form's.
var texts = map[string][2]string{ // key → {zh, en}
	"title":           {"政府信息公开工作年度报告 汇总", "Government information disclosure annual reports: compilation"},
	"pick":            {"选择行政区划和年度", "Choose a division and a year"},
	"province":        {"省级", "Province"},
	"city":            {"地级", "City"},
	"county":          {"县级", "County"},
	"township":        {"乡级", "Township"},
	"any":             {"（全部）", "(all)"},
	"year":            {"年度", "Year"},
	"show":            {"查看", "Show"},
	"nodata":          {"数据库中还没有任何报告。先用 gongkai ingest 导入各机关的年度报告。", "The store holds no report yet. Ingest the bodies' annual reports with gongkai ingest first."},
	"choose":          {"请选择一个行政区划。下表列出有报告的县级行政区划：", "Choose a division. Counties with reports:"},
	"reports":         {"份报告", "reports"},
	"unplaced":        {"份报告没有行政区划（导入时用 --district 或清单指定）", "reports have no division (ingest them with --district or a manifest)"},
	"noyear":          {"该行政区划在此年度没有报告。", "No report of this division for this year."},
	"summary":         {"概况", "Summary"},
	"bodies_n":        {"汇总机关", "bodies included"},
	"missing_n":       {"应报未报", "expected but missing"},
	"findings_n":      {"问题", "findings"},
	"downloads":       {"下载", "Downloads"},
	"dl_xlsx":         {"汇总表（Excel 工作簿）", "Compiled tables (Excel workbook)"},
	"dl_csv":          {"汇总表（CSV，Excel 可直接打开）", "Compiled tables (CSV for Excel)"},
	"dl_parquet":      {"各级数据（Parquet，供分析）", "Every level's measures (Parquet, for analysis)"},
	"dl_levels_csv":   {"各级数据（CSV）", "Every level's measures (CSV)"},
	"charts":          {"图表", "Charts"},
	"chart_trend":     {"历年申请和办理结果", "Requests and outcomes over the years"},
	"chart_compare":   {"本年新收申请数量：各机关比较", "New requests this year, body by body"},
	"chart_compare_d": {"本年新收申请数量：下级行政区划比较", "New requests this year, by division below"},
	"chart_rate":      {"公开率（予以公开＋部分公开）÷办理总计：各机关", "Disclosure rate, (disclosed + partially) / handled, by body"},
	"chart_rate_d":    {"公开率（予以公开＋部分公开）÷办理总计：下级行政区划", "Disclosure rate, (disclosed + partially) / handled, by division below"},
	"incomplete_note": {"* 有机关未填报部分数字，合计偏小", "* some bodies left numbers blank; the sum is short"},
	"kind_township":   {"乡镇、街道", "Townships and streets"},
	"kind_county":     {"区县部门和政府办", "County departments and office"},
	"tables":          {"汇总表", "Compiled tables"},
	"tables_note":     {"逐格相加各机关的数字；有机关未填的格子显示为 —，见下方 COMPILE 问题。", "Each cell is the sum of the bodies' cells; a cell some body left blank shows —, see the COMPILE findings below."},
	"bodies":          {"汇总机关", "Bodies included"},
	"aggregates":      {"全区（全市）汇总报告（不参与相加）", "Whole-area reports (not summed)"},
	"missing":         {"应报未报", "Expected but missing"},
	"unresolved":      {"未定位行政区划的报告（未计入）", "Reports without a division (not included)"},
	"findings":        {"问题", "Findings"},
	"findings_note":   {"点击机关名称查看其报告，问题涉及的格子以红色标出。", "Open a body's report to see the cells concerned marked in red."},
	"org":             {"机关", "Body"},
	"type":            {"类型", "Type"},
	"code":            {"区划代码", "Division code"},
	"layout":          {"表式", "Layout"},
	"problems":        {"问题数", "Problems"},
	"why":             {"原因", "Why expected"},
	"rule":            {"规则", "Rule"},
	"status":          {"状态", "Status"},
	"cells":           {"涉及单元格", "Cells"},
	"message":         {"说明", "Message"},
	"compiled":        {"（汇总）", "(compiled)"},
	"none":            {"无", "None"},
	"report":          {"机关报告", "Body report"},
	"back":            {"返回汇总", "Back to the compilation"},
	"source_file":     {"来源文件", "Source file"},
	"rendering":       {"格式", "Rendering"},
	"ingested":        {"导入时间", "Ingested"},
	"published":       {"发布日期", "Published"},
	"provenance":      {"每个数字的读取位置", "Where each number was read"},
	"prov_note":       {"鼠标停在表中的数字上也可看到读取位置。", "Hover a number in the tables to see where it was read."},
	"cell":            {"单元格", "Cell"},
	"value":           {"数值", "Value"},
	"where":           {"读取位置", "Read at"},
	"raw":             {"原文", "Raw text"},
	"scope":           {"来源", "Found by"},
	"scope_report":    {"导入时检查", "ingest"},
	"scope_store":     {"跨报告检查", "cross-report rules"},
	"lang_other":      {"English", "中文"},
	"api":             {"接口", "API"},
	"error":           {"出错了", "Something went wrong"},
	"division":        {"行政区划", "Division"},
	"why_reported":    {"%d年有报告，%d年没有", "reported for %d, not for %d"},
	"why_township":    {"区划数据中有此乡镇（街道），未见其报告", "a township of the divisions data; no report stored for it"},
}

// T returns the page text key in l.
func (l Lang) T(key string) string { return l.from(texts, key) }

// from returns m[key] in l, or key itself when m has none.
func (l Lang) from(m map[string][2]string, key string) string {
	t, ok := m[key]
	switch {
	case !ok:
		return key
	case l == En:
		return t[1]
	}
	return t[0]
}

// bodyTypes names the body types of division in each language.
var bodyTypes = map[string][2]string{
	division.TownshipGovernment: {"乡镇人民政府", "township government"},
	division.StreetOffice:       {"街道办事处", "street office"},
	division.TownshipDepartment: {"乡镇部门", "township department"},
	division.CountyGovernment:   {"县级人民政府（办公室）", "county government (office)"},
	division.CountyDepartment:   {"县级部门", "county department"},
	division.CityGovernment:     {"市级人民政府（办公室）", "city government (office)"},
	division.CityDepartment:     {"市级部门", "city department"},
	division.ProvinceGovernment: {"省级人民政府（办公室）", "province government (office)"},
	division.ProvinceDepartment: {"省级部门", "province department"},
	division.CountyAggregate:    {"全区（县）汇总", "county whole-area report"},
	division.CityAggregate:      {"全市汇总", "city whole-area report"},
	division.ProvinceAggregate:  {"全省汇总", "province whole-area report"},
}

// BodyType names a body type in l (an unknown one, or "", as it is).
func (l Lang) BodyType(t string) string { return l.from(bodyTypes, t) }

// Why says why a missing body is expected, in the page's language: it
// reported for lastYear (not for the year shown), or, when lastYear is 0,
// it is a township of the divisions data.
func (b base) Why(lastYear int64) string {
	if lastYear > 0 {
		return fmt.Sprintf(b.L.T("why_reported"), lastYear, b.Year)
	}
	return b.L.T("why_township")
}
