package msg

// cliTexts are the command line's own words: how errors and hints are
// introduced, headings of the check listing, column headers and the
// values of severity, status and level people read in findings.
var cliTexts = map[ID]Text{
	"cli.flags":           {"Flags:", "参数："},
	"cli.default":         {" (default {value})", "（默认 {value}）"},
	"cli.error":           {"Error: {err}", "错误：{err}"},
	"cli.try":             {"Try: {hint}", "提示：{hint}"},
	"cli.try_help":        {"Try: gongkai {cmd} --help", "提示：运行 gongkai {cmd} --help 查看用法"},
	"cli.unknown_command": {"Error: unknown command {cmd_q}\nTry: gongkai --help", "错误：没有 {cmd_q} 这个命令\n提示：运行 gongkai --help 查看全部命令"},
	"cli.lang_value":      {"--lang {value_q}: gongkai speaks en and zh", "--lang {value_q}：gongkai 只支持 en（英文）和 zh（中文）"},

	"check.by_rule":  {"Findings by rule and status:", "按规则和状态统计的问题："},
	"check.none":     {"No findings.", "未发现问题。"},
	"check.findings": {"Findings ({n}), by rule, organization and year:", "问题清单（共 {n} 条，按规则、机关、年度排列）："},

	"col.rule":         {"rule", "规则"},
	"col.severity":     {"severity", "严重程度"},
	"col.status":       {"status", "状态"},
	"col.organization": {"organization", "机关"},
	"col.year":         {"year", "年度"},
	"col.where":        {"where", "涉及单元格"},
	"col.message":      {"message", "说明"},
	"col.scope":        {"scope", "范围"},
	"col.report_id":    {"report_id", "报告编号"},
	"col.level":        {"level", "层级"},
	"col.findings":     {"findings", "问题数"},
	"col.reports":      {"reports", "报告数"},

	"value.error":         {"error", "错误"},
	"value.warning":       {"warning", "警告"},
	"value.info":          {"info", "提示"},
	"value.failed":        {"failed", "不符"},
	"value.not_checkable": {"not_checkable", "无法核验"},
	"value.uncertain":     {"uncertain", "存疑"},
	"value.report":        {"report", "单份报告"},
	"value.store":         {"store", "跨报告"},
	"value.total":         {"total", "合计"},
	"value.rule":          {"rule", "按规则"},
	"value.status":        {"status", "按状态"},
}
