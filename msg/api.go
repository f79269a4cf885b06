package msg

// apiTexts are the HTTP API's own errors (the "error" of an error body)
// and the hints serve gives with them. serve writes them in English, as
// programs read them; the body carries the Chinese beside (error_zh,
// hint_zh) and the ID as its "code" (without "api."), found here by the
// English text as hints are (APIErrorIn). A {name} matches the part that
// varies (a host, a parameter, a number).
var apiTexts = map[ID]Text{
	"api.wrong_host":          {"this server does not answer for host {host}", "本服务不接受发往主机名 {host} 的请求"},
	"api.path_not_utf8":       {"the path is not UTF-8", "请求路径不是 UTF-8 编码"},
	"api.param_name_not_utf8": {"a parameter name is not UTF-8", "有参数名不是 UTF-8 编码"},
	"api.param_not_utf8":      {"parameter {name} is not UTF-8", "参数 {name} 的值不是 UTF-8 编码"},
	"api.not_json":            {"the body must be JSON with Content-Type: application/json", "请求体须为 JSON，并带有 Content-Type: application/json"},
	"api.no_endpoint":         {"no such endpoint: {method} {path}", "没有这个接口：{method} {path}"},
	"api.method_not_allowed":  {"{method} is not allowed on {path}", "{path} 不支持 {method} 方法"},
	"api.body_too_large":      {"request body over {n} bytes", "请求体超过 {n} 字节"},
	"api.bad_json":            {"reading the JSON body: {err}", "无法读取 JSON 请求体：{err}"},
	"api.two_values":          {"the body holds more than one JSON value", "请求体中有不止一个 JSON 值"},
	"api.limits":              {"timeout_ms and max_rows must be positive", "timeout_ms 和 max_rows 须为正数"},
	"api.unknown_format":      {"unknown format {format}", "不支持的格式 {format}"},
	"api.bom_format":          {"usage: bom goes with format=csv, not {format}", "用法错误：bom 只能与 format=csv 一起使用，不能用于 {format}"},
	"api.too_many_queries":    {"you already run {n} ad-hoc queries", "您已有 {n} 个即席查询正在运行"},
	"api.workers_busy":        {"all {n} ad-hoc query workers are busy", "全部 {n} 个查询进程都在忙"},
	"api.bad_year":            {"year {year} is not a year", "year {year} 不是有效的年份"},
	"api.out_of_range":        {"{name} {value} out of range", "{name} {value} 超出范围"},
	"api.bad_report_id":       {"report id {id} is not a number", "报告编号 {id} 不是数字"},
	"api.unknown_parameter":   {"unknown parameter {name}", "不支持的参数 {name}"},
	"api.one_value":           {"parameter {name} needs one value", "参数 {name} 只能给一个值"},
	"api.cross_origin":        {"cross-origin request refused", "已拒绝跨域请求"},
	"api.internal":            {"internal error", "服务器内部错误"},

	"hint.allow_host":        {"call it by its IP address or localhost, or start serve with --allow-host NAME for the name you use", "请用 IP 地址或 localhost 访问，或在启动 serve 时用 --allow-host 名称 允许您使用的主机名"},
	"hint.percent_encode":    {"percent-encode the UTF-8 bytes of Chinese names", "中文名称请按 UTF-8 字节做百分号编码"},
	"hint.percent_encode_eg": {"percent-encode the UTF-8 bytes of Chinese names (e.g. {example}), not GBK", "中文名称请按 UTF-8 字节做百分号编码（如 {example}），不要用 GBK"},
	"hint.send_json":         {"send Content-Type: application/json and {body}", "请发送 Content-Type: application/json 及 {body}"},
	"hint.shorter_sql":       {"send shorter SQL", "请缩短 SQL 语句"},
	"hint.one_object":        {"send one object", "请只发送一个 JSON 对象"},
	"hint.endpoints": {"endpoints: GET / (the page), GET /v1/rollups, GET /v1/rollups/{name}, GET /v1/reports, GET /v1/reports/{id}, POST /v1/query, GET /v1/openapi.json, GET /healthz",
		"可用的接口：GET /（页面）、GET /v1/rollups、GET /v1/rollups/{name}、GET /v1/reports、GET /v1/reports/{id}、POST /v1/query、GET /v1/openapi.json、GET /healthz"},
	"hint.allowed_methods": {"allowed: {methods}", "允许的方法：{methods}"},
	"hint.format_is":       {"format is {formats}", "format 可取 {formats}"},
	"hint.bom_body":        {"\"bom\": true with \"format\": \"csv\" starts the answer with a byte-order mark, for Excel", "\"bom\": true 与 \"format\": \"csv\" 同用时，答复以字节顺序标记（BOM）开头，便于 Excel 打开"},
	"hint.bom_param":       {"bom=1 with format=csv starts the file with a byte-order mark, for Excel", "bom=1 与 format=csv 同用时，文件以字节顺序标记（BOM）开头，便于 Excel 打开"},
	"hint.wait_query":      {"wait for your running query to finish, then retry", "请等您正在运行的查询结束后再试"},
	"hint.ids_from":        {"ids come from GET /v1/reports", "报告编号可从 GET /v1/reports 获取"},
	"hint.retry_moment":    {"retry in a moment", "请稍后再试"},
	"hint.range":           {"0 to {max}", "取值范围为 0 到 {max}"},
	"hint.cross_origin":    {"call the API from a server or from the same origin; browsers on other sites may not POST to it", "请从服务器端或同源页面调用该接口；其他网站上的浏览器不能向它发送 POST 请求"},
}
