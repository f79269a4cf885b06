package msg

import (
	"regexp"
	"strings"
	"sync"
)

// errorTexts are the words of errors: each sentinel's cause (err.*), each
// operation (op.*), and the hints (hint.*) that tell a user what to do.
//
// Hints are written in English where the error is made, in many packages;
// their Chinese is found here by the English text (HintIn), where a
// {name} matches any text, so the English of a hint.* entry must be the
// hint exactly as the code writes it. A test reads the source tree and
// fails on a hint literal the catalogue does not cover.
var errorTexts = map[ID]Text{
	"err.unreadable":     {"tables not readable", "表格无法读取"},
	"err.scanned":        {"scanned PDF without a text layer", "扫描版 PDF，没有文字层"},
	"err.unsupported":    {"unsupported document", "不支持的文件类型"},
	"err.database_busy":  {"database busy", "数据库正被占用"},
	"err.not_found":      {"not found", "未找到"},
	"err.refused":        {"statement refused", "语句被拒绝"},
	"err.too_large":      {"document too large", "文件过大"},
	"err.usage":          {"usage", "用法错误"},
	"err.no_identity":    {"report identity not found", "未找到报告的发布机关或年度"},
	"err.invalid_record": {"record refused", "记录不合要求，未入库"},

	"op.parse":          {"parse", "解析"},
	"op.ingest":         {"ingest", "入库"},
	"op.query":          {"query", "查询"},
	"op.rollup":         {"rollup", "汇总统计"},
	"op.compile":        {"compile", "汇编"},
	"op.demo":           {"demo", "演示"},
	"op.division":       {"division", "行政区划"},
	"op.download":       {"download", "下载"},
	"op.export":         {"export", "导出"},
	"op.gen":            {"gen", "生成样例"},
	"op.migrate":        {"migrate", "数据库升级"},
	"op.page":           {"page", "页面"},
	"op.render":         {"render", "生成文件"},
	"op.report":         {"report", "报告"},
	"op.serve":          {"serve", "服务"},
	"op.snapshot":       {"snapshot", "快照"},
	"op.store":          {"store", "数据库"},
	"op.open":           {"open", "打开数据库"},
	"op.open read-only": {"open read-only", "以只读方式打开数据库"},
	"op.cross rules":    {"cross rules", "跨报告规则核验"},

	"hint.show_tables":           {"SHOW TABLES lists the tables and views; DESCRIBE <name> their columns", "SHOW TABLES 列出全部表和视图；DESCRIBE <表名> 列出其字段"},
	"hint.json_record":           {"a JSON input must be a report record as printed by 'gongkai parse'", "JSON 输入须为 'gongkai parse' 输出的报告记录"},
	"hint.identity_title":        {"a report is stored under its organization and year, read from its title (…年政府信息公开工作年度报告) or signature; 'gongkai parse FILE' shows what was read", "报告按发布机关和年度入库，二者取自标题（…年政府信息公开工作年度报告）或落款；运行 'gongkai parse 文件' 可查看读取结果"},
	"hint.year_from_2008":        {"a year from 2008 on, e.g. year=2023", "年度须为 2008 年及以后，例如 year=2023"},
	"hint.sql_tables_export":     {"ad-hoc SQL may read only the store's tables and views (SHOW TABLES lists them); export files with 'gongkai export'", "自定义 SQL 只能读取数据库中的表和视图（SHOW TABLES 可列出）；导出文件请用 'gongkai export'"},
	"hint.sql_tables":            {"ad-hoc SQL may read only the store's tables and views", "自定义 SQL 只能读取数据库中的表和视图"},
	"hint.sql_read_only":         {"ad-hoc SQL only reads; settings are fixed by the sandbox", "自定义 SQL 只能读取；各项设置由沙箱固定"},
	"hint.aggregate_more":        {"aggregate more, select fewer or shorter values, or add a LIMIT", "请进一步汇总、减少或缩短所选字段，或加上 LIMIT"},
	"hint.keep_answers":          {"the reports are stored; rollups answer from their SQL until an ingest keeps their answers: run the same ingest again", "报告均已入库；在某次入库保存预先计算的汇总之前，汇总统计直接由 SQL 计算：再次运行同一入库命令即可"},
	"hint.rerun_ingest":          {"batches stored before the interruption are kept; run the same command again to finish", "中断前已入库的批次均已保留；再次运行同一命令即可完成"},
	"hint.check_db":              {"check --db: the store is created by 'gongkai ingest'", "请检查 --db：数据库由 'gongkai ingest' 创建"},
	"hint.memory_limit":          {"check --memory-limit (a DuckDB size such as 512MB)", "请检查 --memory-limit（DuckDB 容量写法，如 512MB）"},
	"hint.tables_missing":        {"check that the file holds the report's tables (主动公开, 依申请公开, 行政复议/诉讼); 'gongkai parse --explain' shows what was read", "请确认文件包含年度报告的表格（主动公开、依申请公开、行政复议/诉讼）；运行 'gongkai parse --explain' 可查看读取结果"},
	"hint.folder_writable":       {"check that the folder exists and is writable", "请确认该文件夹存在且可写入"},
	"hint.out_writable":          {"check that the output folder exists and is writable", "请确认输出文件夹存在且可写入"},
	"hint.parent_writable":       {"check that the parent folder exists and is writable", "请确认上级文件夹存在且可写入"},
	"hint.tmp_writable":          {"check that the temporary folder (TMPDIR) is writable", "请确认临时文件夹（TMPDIR）可写入"},
	"hint.sql_syntax":            {"check the SQL syntax (DuckDB dialect)", "请检查 SQL 语法（DuckDB 方言）"},
	"hint.compile_division":      {"check the year, and that the reports were ingested with their division (gongkai ingest --district ...)", "请检查年度，并确认报告入库时已对应行政区划（gongkai ingest --district …）"},
	"hint.addr_in_use":           {"choose another --addr, or stop the process using it", "请换一个 --addr，或停止占用该地址的进程"},
	"hint.downloads":             {"compile.xlsx or compile.csv", "可下载 compile.xlsx 或 compile.csv"},
	"hint.create_db":             {"create it with 'gongkai ingest --db {db} FILES'", "请先用 'gongkai ingest --db {db} 文件' 创建数据库"},
	"hint.division_param":        {"division=CODE, e.g. division=371003", "division=区划代码，例如 division=371003"},
	"hint.year_eg":               {"e.g. year=2023", "例如 year=2023"},
	"hint.xlsx_too_large":        {"export as parquet or csv, or narrow the query", "请导出为 parquet 或 csv，或缩小查询范围"},
	"hint.year_example":          {"for example year=2023", "例如 year=2023"},
	"hint.division_code":         {"give a 6-digit county code (371003), a 9-digit township code or a name (文登区)", "请给出 6 位县级区划代码（371003）、9 位乡镇街道代码或名称（文登区）"},
	"hint.duckdb_size":           {"give a DuckDB size such as 512MB or 2GB", "请给出 DuckDB 容量，如 512MB 或 2GB"},
	"hint.renderings":            {"gongkai reads report text (Word text, | tables, one cell per line or paragraph, Markdown, glued page text), HTML, DOCX, PDF with a text layer and JSON records", "gongkai 可读取报告文本（Word 文本、| 表格、每行或每段一个单元格、Markdown、连排的页面文本）、HTML、DOCX、带文字层的 PDF 和 JSON 记录"},
	"hint.rollup_list":           {"gongkai rollup --list (rollups: {names})", "运行 gongkai rollup --list 查看可用的汇总统计（{names}）"},
	"hint.rollup_params":         {"gongkai rollup --list (each rollup with the parameters it takes; GET /v1/rollups over HTTP)", "运行 gongkai rollup --list 查看各汇总统计及其参数（HTTP 接口为 GET /v1/rollups）"},
	"hint.narrow_query":          {"narrow the query (WHERE, LIMIT, fewer joins)", "请缩小查询范围（WHERE、LIMIT、减少联接）"},
	"hint.narrow_sandbox":        {"narrow the query (WHERE, LIMIT, fewer joins); the sandbox stops statements at their time limit", "请缩小查询范围（WHERE、LIMIT、减少联接）；沙箱会在时限到达时终止语句"},
	"hint.save_as_docx":          {"open it in Word or LibreOffice and save it as .docx (or convert it: soffice --headless --convert-to docx FILE)", "请用 Word 或 LibreOffice 打开并另存为 .docx（或转换：soffice --headless --convert-to docx 文件）"},
	"hint.migrate":               {"open it read-write once to migrate it: 'gongkai ingest --db {db} FILE'", "请以读写方式打开一次以完成升级：'gongkai ingest --db {db} 文件'"},
	"hint.parameters":            {"parameters: {names}", "可用参数：{names}"},
	"hint.report_ids":            {"report ids come from GET /v1/reports", "报告编号可从 GET /v1/reports 获取"},
	"hint.demo_ingest":           {"run 'gongkai ingest' on the sample to see why", "请对样例运行 'gongkai ingest' 查看原因"},
	"hint.fewer_values":          {"select fewer or shorter values, or lower max_rows", "请减少或缩短所选字段，或调低 max_rows"},
	"hint.simplify":              {"simplify the statement; the store is unchanged", "请简化语句；数据库未作任何改动"},
	"hint.tables_views":          {"tables and views: {names}", "可用的表和视图：{names}"},
	"hint.ocr":                   {"the PDF holds page images only; run OCR on it (e.g. ocrmypdf -l chi_sim in.pdf out.pdf) and parse the result", "该 PDF 只有页面图像；请先做文字识别（如 ocrmypdf -l chi_sim in.pdf out.pdf），再解析识别结果"},
	"hint.docx_damaged":          {"the file may be truncated or not a Word document; download it again or open and re-save it in Word", "文件可能不完整或不是 Word 文档；请重新下载，或用 Word 打开后另存"},
	"hint.manifest_csv":          {"the manifest is a CSV file with the column file and any of division_code,body_type,organization,year", "清单文件为 CSV，须有 file 列，另可有 division_code、body_type、organization、year 列"},
	"hint.newer_build":           {"use a newer gongkai build", "请使用更新版本的 gongkai"},
	"hint.newer_build_db":        {"use a newer gongkai build, or another --db file", "请使用更新版本的 gongkai，或另选 --db 文件"},
	"hint.division_name":         {"write the name as in the divisions data (文登区, 威海市文登区) or give its code", "请按行政区划数据中的写法填写名称（文登区、威海市文登区），或给出区划代码"},
	"hint.one_select":            {"pass one SELECT statement, for example: SELECT organization, report_year FROM reports LIMIT 10", "请只给出一条 SELECT 语句，例如：SELECT organization, report_year FROM reports LIMIT 10"},
	"hint.identity":              {"state it: 'gongkai parse --organization NAME --year YYYY FILE' (or ingest with the same flags for one file), or a manifest CSV with the columns file,organization,year for many ('gongkai ingest --manifest FILE')", "请写明发布机关和年度：'gongkai parse --organization 机关名称 --year 年度 文件'（单个文件入库时 ingest 用同样的参数），文件较多时用含 file、organization、year 列的清单 CSV（'gongkai ingest --manifest 清单文件'）"},
	"hint.too_large":             {"a report has a few thousand lines and a few hundred table cells; check that the file is one report and not a data dump or a damaged file", "一份年度报告通常只有几千行、几百个表格单元格；请确认该文件是一份报告，而不是数据导出或损坏的文件"},
	"hint.install_pdf":           {"install LibreOffice; in a clone of gongkai, ./scripts/install-deps does it (Debian/Ubuntu, as root; ./scripts/test runs it)", "请安装 LibreOffice；在 gongkai 源码目录中运行 ./scripts/install-deps 即可安装（Debian/Ubuntu，需 root；./scripts/test 会自动运行）"},
	"hint.install_pdf_rendering": {"install LibreOffice; in a clone of gongkai, ./scripts/install-deps does it (Debian/Ubuntu, as root; ./scripts/test runs it); or choose another --rendering ('all' skips pdf when no converter is installed)", "请安装 LibreOffice；在 gongkai 源码目录中运行 ./scripts/install-deps 即可安装（Debian/Ubuntu，需 root；./scripts/test 会自动运行）；或另选 --rendering（未安装转换工具时 'all' 会跳过 pdf）"},
	"hint.wait_process":          {"wait for process {pid} to finish", "请等待进程 {pid} 结束"},
	"hint.host_path":             {"ask for it as JSON or CSV, where the path is replaced by {path}", "请以 JSON 或 CSV 格式获取，其中的路径会替换为 {path}"},
	"hint.wait_process_db":       {"wait for process {pid} to finish, or use another --db file", "请等待进程 {pid} 结束，或另选 --db 文件"},
	"hint.db_writable":           {"check that the database path exists and is writable", "请确认数据库路径存在且可写入"},
	"hint.create_db_first":       {"create the database first with 'gongkai ingest --db {db} FILES'", "请先用 'gongkai ingest --db {db} 文件' 创建数据库"},
	"hint.division_ambiguous":    {"give one of the codes ({codes}) or the name with its city or province ({names})", "请给出其中一个区划代码（{codes}），或连同所属市、省写出名称（{names}）"},
	"hint.retry":                 {"retry in a few seconds", "请稍候几秒再试"},
	"hint.pdf_encrypted":         {"the PDF is encrypted; save an unprotected copy first", "该 PDF 已加密；请先另存一份未加密的副本"},
	"hint.out_of_memory":         {"the database ran out of memory; try smaller batches", "数据库内存不足；请分小批处理"},
	"hint.not_duckdb":            {"the file is not a DuckDB database of a version this build reads", "该文件不是本版本可读取的 DuckDB 数据库"},
	"hint.pdf_damaged":           {"the file may be damaged; open it in a PDF viewer and print it to a new PDF", "文件可能已损坏；请用 PDF 阅读器打开后打印为新的 PDF"},
	"hint.cancelled":             {"the operation was cancelled", "操作已取消"},
	"hint.server_log":            {"the server's log has the cause", "原因见服务器日志"},
}

// patterns match English texts of one kind (hint., flag.) to their IDs.
type patterns struct {
	once   sync.Once
	prefix string
	list   []hintPattern
}

var (
	hintPatterns = &patterns{prefix: "hint."}
	flagPatterns = &patterns{prefix: "flag."}
	apiPatterns  = &patterns{prefix: "api."}
)

// hintPattern is an English text as a pattern: each {name} a group.
type hintPattern struct {
	re   *regexp.Regexp
	id   ID
	vars []string
}

// englishPattern makes the pattern of en: the text itself, each {name} a
// group: digits only where digits(name) says so, else any text (group).
func englishPattern(id ID, en, group string, digits func(string) bool) hintPattern {
	var b strings.Builder
	var vars []string
	last := 0
	for _, m := range placeholder.FindAllStringIndex(en, -1) {
		b.WriteString(regexp.QuoteMeta(en[last:m[0]]))
		v := en[m[0]+1 : m[1]-1]
		if digits != nil && digits(v) {
			b.WriteString(`(\d+)`)
		} else {
			b.WriteString(group)
		}
		vars = append(vars, v)
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(en[last:]))
	return hintPattern{regexp.MustCompile("^" + b.String() + "$"), id, vars}
}

// match returns the parts of s each {name} matched, if s matches.
func (hp hintPattern) match(s string) (Args, bool) {
	m := hp.re.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	args := Args{}
	for i, v := range hp.vars {
		args[v] = m[i+1]
	}
	return args, true
}

// HintIn returns the hint h (an English hint as the code writes it) in l:
// the catalogue's text for it with the parts a {name} matched carried
// over, or h itself when l is English or no hint.* entry matches.
func HintIn(h string, l Lang) string { return hintPatterns.in(h, l) }

// FlagIn returns a flag's description, written in English beside the flag
// in the code, in l through the catalogue's flag.* entries, as HintIn.
// Like gettext, the English is the key: the code that defines a flag
// stays plain, and the tests fail on a flag the catalogue lacks.
func FlagIn(usage string, l Lang) string { return flagPatterns.in(usage, l) }

func (p *patterns) in(h string, l Lang) string {
	if l == EN || h == "" {
		return h
	}
	if _, t, ok := p.match(h, l); ok {
		return t
	}
	return h
}

// APIErrorIn finds the api.* text whose English is e, an HTTP error as
// serve writes it, and returns its ID and e in l (e itself when no text
// matches: ok is false).
func APIErrorIn(e string, l Lang) (id ID, text string, ok bool) {
	if id, t, ok := apiPatterns.match(e, l); ok {
		return id, t, true
	}
	return "", e, false
}

// match finds the first entry whose English matches h and returns its ID
// and text in l, the parts a {name} matched carried over.
func (p *patterns) match(h string, l Lang) (ID, string, bool) {
	p.once.Do(func() {
		for _, id := range IDs() {
			if strings.HasPrefix(string(id), p.prefix) {
				p.list = append(p.list, englishPattern(id, catalogue[id].En, `(.*?)`, nil))
			}
		}
	})
	for _, hp := range p.list {
		if args, ok := hp.match(h); ok {
			return hp.id, T(l, hp.id, args), true
		}
	}
	return "", h, false
}
