package msg

import (
	"regexp"
	"strings"
	"sync"
)

// The reading's own findings: where the readers doubt a value, a report's
// identity or the author's place among the divisions. Their English is the
// stored message byte for byte (the readers wrote it with fmt before codes
// existed), so the arguments keep the English forms the message printed:
// a quoted value as {x_q}, and where the Chinese needs another form of the
// same value it is given beside it as {x_zh} (a list joined with 、, an
// error in Chinese).
const (
	ReadYearFromDate    ID = "READ.year_from_date"
	ReadOrgDisagree     ID = "READ.organization_disagrees"
	ReadYearDisagree    ID = "READ.year_disagrees"
	ReadGivenOrg        ID = "READ.given_organization"
	ReadGivenYear       ID = "READ.given_year"
	ReadPDFPage         ID = "READ.pdf_page"
	ReadUTF8Damage      ID = "READ.utf8_damage"
	ReadUTF8DamageMore  ID = "READ.utf8_damage_more"
	ReadGlued           ID = "READ.glued"
	ReadLabelMisspelled ID = "READ.label_misspelled"
	ReadLabelAmbiguous  ID = "READ.label_ambiguous"
	ReadReviewBlock     ID = "READ.review_block"
	ReadReviewRows      ID = "READ.review_rows"

	DivHintAmbiguous   ID = "DIV.hint_ambiguous"
	DivHintUnknown     ID = "DIV.hint_unknown"
	DivOutside         ID = "DIV.outside_district"
	DivUnknown         ID = "DIV.unknown"
	DivAmbiguous       ID = "DIV.ambiguous"
	DivZone            ID = "DIV.zone"
	DivBranch          ID = "DIV.branch"
	DivTownshipRenamed ID = "DIV.township_renamed"
	DivTownshipAmbig   ID = "DIV.township_ambiguous"
	DivManifestCode    ID = "DIV.manifest_code"
)

const placeHint = "请用 --district 指定区县，或提供清单文件（manifest）"

var readTexts = map[ID]Text{
	ReadYearFromDate: {
		"no title or sentence states the report year; {year} is the year before the publication date {date} ({src})",
		"没有标题或语句写明报告年度；按发布日期 {date}（{src}）的上一年记为 {year} 年度"},
	ReadOrgDisagree: {
		"{src} names {org}, {other_src} names {other}; {org} is kept",
		"{src}写明的机关为“{org}”，{other_src}写明的为“{other}”；采用“{org}”"},
	ReadYearDisagree: {
		"{src} says {year}, {other_src} says {other}; {year} is kept",
		"{src}写明的年度为 {year}，{other_src}写明的为 {other}；采用 {year}"},
	ReadGivenOrg: {
		"{src} names {org}, the record names {other}; {org} is kept",
		"{src}给出的机关为“{org}”，记录中为“{other}”；采用“{org}”"},
	ReadGivenYear: {
		"{src} says {year}, the record says {other}; {year} is kept",
		"{src}给出的年度为 {year}，记录中为 {other}；采用 {year}"},
	ReadPDFPage: {
		"PDF page {page} could not be read ({err}); cells printed there are missing",
		"PDF 第 {page} 页无法读取（{err}），该页所印的数值缺失"},
	ReadUTF8Damage: {
		"{n} damaged byte sequence(s) in UTF-8 text at {locs} (a cut or damaged download?): replaced by U+FFFD, the rest read as UTF-8; a value printed there may be missing",
		"UTF-8 文本中有 {n} 处损坏的字节，位于{locs}（文件下载不完整或已损坏？）：已替换为 U+FFFD，其余按 UTF-8 读取；印在这些位置的数值可能缺失"},
	ReadUTF8DamageMore: {
		"{n} damaged byte sequence(s) in UTF-8 text at {locs} and {more} more (a cut or damaged download?): replaced by U+FFFD, the rest read as UTF-8; a value printed there may be missing",
		"UTF-8 文本中有 {n} 处损坏的字节，位于{locs}等处（另有 {more} 处）（文件下载不完整或已损坏？）：已替换为 U+FFFD，其余按 UTF-8 读取；印在这些位置的数值可能缺失"},
	ReadGlued: {
		"{loc}: {detail}",
		"{loc}处：{detail}"},
	ReadLabelMisspelled: {
		"{loc}: row label {label_q} read as {official_q} (misspelled; placed by its wording and its neighbours)",
		"{loc}：行标题“{label}”读作“{official}”（有错字；按其措辞和上下行确定）"},
	ReadLabelAmbiguous: {
		"{loc}: row label {label_q} fits {keys} equally well; its values are not placed",
		"{loc}：行标题“{label}”同样可能是 {keys_zh}，无法确定，该行数值未填入"},
	ReadReviewBlock: {
		"{loc}: table 四 block {label}: {detail}",
		"{loc}：表四“{label}”的数值无法对应到各栏，其数值均为空（{detail}）"},
	ReadReviewRows: {
		"{loc}: table 四: {detail}",
		"{loc}：表四的数值无法对应到各栏，其数值均为空（{detail}）"},

	DivHintAmbiguous: {
		"district hint {hint_q} not used: it names {cands}",
		"未采用所给区县“{hint}”：该名称可指 {cands}"},
	DivHintUnknown: {
		"district hint {hint_q} not used: {err}",
		"未采用所给区县“{hint}”：{err_zh}"},
	DivOutside: {
		"organization {org_q} names {cands}, not inside the district {district}; check --district or give a manifest",
		"发布机关“{org}”指向 {cands}，不在所给区县 {district} 之内；请检查 --district，或提供清单文件（manifest）"},
	DivUnknown: {
		"organization {org_q} names no known division; give --district or a manifest",
		"发布机关“{org}”中没有可识别的行政区划；" + placeHint},
	DivAmbiguous: {
		"organization {org_q} is ambiguous: {cands}; give --district or a manifest",
		"发布机关“{org}”可指多个行政区划：{cands}；" + placeHint},
	DivZone: {
		"organization {org_q} is a body of {zone}, a zone that is no division; give --district or a manifest",
		"发布机关“{org}”隶属于{zone}，该区域不是行政区划；" + placeHint},
	DivBranch: {
		"branch {branch}分局 of {org_q} may belong to {cands}; placed at {division}",
		"“{org}”的{branch}分局可能属于 {cands}；暂归入{division}"},
	DivTownshipRenamed: {
		"township {township} read as {division} ({code}), its name in the divisions data",
		"乡镇（街道）“{township}”按行政区划数据中的名称读作{division}（{code}）"},
	DivTownshipAmbig: {
		"township {township} could be {cands}; kept the county's code",
		"乡镇（街道）“{township}”可能是 {cands}；暂用所属县级行政区的代码"},
	DivManifestCode: {
		"manifest division code {code_q} for {org_q} is not in the divisions data",
		"清单文件中“{org}”的区划代码 {code} 不在行政区划数据中"},
}

// Phrases are the readers' own English words inside a finding's
// arguments: where a value was read ("table 2 row 5 col 3", "line 12"),
// which clue of a report named its author ("title (line 3)"), and why a
// cell was left null ("not a number: \"—1\""). They are parts of stored
// messages, so they stay in English where they are made and are put into
// Chinese only when shown: like hints, a phrase is found by its English
// text, a {name} matching the part that varies. The first phrase that
// matches wins, so the list is ordered from the most specific.
var phraseList = []phraseEntry{
	// Places in a document.
	{"where.table_cell", Text{"table {t} row {r} col {c}", "第 {t} 个表格第 {r} 行第 {c} 列"}},
	{"where.table_row", Text{"table {t} row {r}", "第 {t} 个表格第 {r} 行"}},
	{"where.table", Text{"table {t}", "第 {t} 个表格"}},
	{"where.table_named", Text{"table {sec} ({title})", "表{sec}（{title}）"}},
	{"where.page_line", Text{"page {p} line {n}", "第 {p} 页第 {n} 行"}},
	{"where.line_cell", Text{"line {n} cell {c}", "第 {n} 行第 {c} 格"}},
	{"where.line", Text{"line {n}", "第 {n} 行"}},
	{"where.paragraph", Text{"paragraph {n}", "第 {n} 段"}},
	{"where.byte", Text{"byte {b} (line {n})", "第 {n} 行（第 {b} 字节）"}},
	{"where.run", Text{"{loc}, run {run}", "{loc}（数字串 {run}）"}},
	{"where.manifest", Text{"manifest {file} line {n}", "清单文件 {file} 第 {n} 行"}},
	// The reader an error names (parse's errors: Where).
	{"where.record", Text{"JSON record", "JSON 记录"}},
	{"where.rendering", Text{"{reader} rendering", "按 {reader} 格式读取时"}},

	// Clues naming a report's author or year.
	{"clue.title", Text{"title", "标题"}},
	{"clue.signature", Text{"signature", "落款"}},
	{"clue.body", Text{"body text", "正文"}},
	{"clue.period", Text{"statistics period", "统计期限"}},
	{"clue.html_title", Text{"HTML <title>", "网页标题（<title>）"}},
	{"clue.pdf_meta", Text{"PDF metadata {key}", "PDF 文档属性 {key}"}},
	{"clue.docx_meta", Text{"DOCX metadata {key}", "DOCX 文档属性 {key}"}},
	{"clue.user", Text{"stated by the user", "用户所给的信息"}},

	// Why a cell is null: its text.
	{"detail.not_number_err", Text{"not a number: {text_q} ({why})", "不是数字：{text_q}（{why}）"}},
	{"detail.not_number", Text{"not a number: {text_q}", "不是数字：{text_q}"}},
	{"detail.wan_decimals", Text{"{text_q} in 万元 needs more than 6 decimals", "{text_q} 换算为万元需要 6 位以上小数"}},
	{"detail.money_in_count", Text{"unexpected money unit in a count: {text_q}", "件数中出现了金额单位：{text_q}"}},
	{"detail.too_large", Text{"amount too large: {text_q}", "金额过大：{text_q}"}},
	{"detail.cell_border", Text{"digits run over the cell border in the PDF; the number may be cut", "PDF 中的数字跨过了单元格边框，该数可能被截断"}},
	// A row whose values do not fit its columns.
	{"detail.stray_line", Text{"{got} value cells for {n} columns: a stray line; the row would be shifted, so its cells are left null",
		"{n} 栏却有 {got} 个数值格：多出一行内容，整行会错位，故该行数值均记为空"}},
	{"detail.too_many", Text{"{got} values for {n} columns; cannot tell which belong here", "{n} 栏却有 {got} 个数值，无法判断哪些属于本行"}},
	{"detail.too_few", Text{"{got} values for {n} columns (empty cells dropped?); cannot tell which column each belongs to",
		"{n} 栏却只有 {got} 个数值，可能漏掉了空单元格，无法判断各数值属于哪一栏"}},
	// Digits printed without separators (glued page text).
	{"detail.glued_uncut", Text{"digit run {run} cannot be cut into {n} numbers; its cells are left null", "数字串 {run} 无法拆分为 {n} 个数；这些单元格记为空"}},
	{"detail.glued_none", Text{"digit run {run} has no reading into {n} cells{what}; its cells are left null", "数字串 {run} 无法拆分为 {n} 个单元格{what}；这些单元格记为空"}},
	{"detail.glued_ways", Text{"digit run {run} splits {ways} ways{what}: {splits}; the cells that differ between them are left null",
		"数字串 {run} 有 {ways} 种拆分方式{what}：{splits}；各种拆分中不一致的单元格记为空"}},
	{"detail.glued_err", Text{"digit run {run} {why}; its cells are left null", "数字串 {run} {why}；这些单元格记为空"}},
	{"detail.glued_no_cells", Text{"no cells to split into", "没有可拆分的单元格"}},
	{"detail.glued_unit", Text{"unit {unit} after a count: {why}", "件数后出现单位 {unit}：{why}"}},
	{"detail.glued_chars_in", Text{"{chars} holds characters that are not part of a number", "{chars} 含有不属于数字的字符"}},
	{"detail.glued_chars", Text{"holds characters that are not part of a number", "含有不属于数字的字符"}},
	{"detail.glued_long", Text{"too long to enumerate its splits", "过长，无法穷举其拆分方式"}},
	{"detail.what_none", Text{" (no rule ties these cells together)", "（这些单元格之间没有可用来核验的规则）"}},
	{"detail.what_r2_r1r3", Text{" with 总计 = the sum of the six applicant columns (R2) and the column rules R1/R3", "（按“总计 = 六类申请人之和”（R2）及各栏规则 R1/R3）"}},
	{"detail.what_r2", Text{" with 总计 = the sum of the six applicant columns (R2)", "（按“总计 = 六类申请人之和”（R2））"}},
	{"detail.what_r4", Text{" with each block's 总计 = 维持 + 纠正 + 其他 + 尚未审结 (R4)", "（按各项“总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结”（R4））"}},
	{"detail.more", Text{"… ({n} more)", "……（另有 {n} 种）"}},
	{"detail.and_more", Text{"and {n} more", "另有 {n} 个"}},
}

// phraseEntry is one phrase: its ID and texts, in a list whose order is
// the order of matching.
type phraseEntry struct {
	id ID
	Text
}

// generalList are the phrases of the most general shapes, tried after all
// others: a clue and where it stands.
var generalList = []phraseEntry{
	{"clue.site_name", Text{"{src} (site name)", "{src}（网站名称）"}},
	{"clue.at", Text{"{src} ({loc})", "{src}（位于{loc}）"}},
	{"clue.header", Text{"{key} line", "网页的“{key}”栏"}},
}

var phraseTexts = func() map[ID]Text {
	phraseList = append(append(phraseList, causeList...), generalList...)
	m := map[ID]Text{}
	for _, p := range phraseList {
		if _, dup := m[p.id]; dup {
			panic("msg: phrase defined twice: " + string(p.id))
		}
		m[p.id] = p.Text
	}
	return m
}()

// phraseArgs are the arguments whose values are phrases, put into Chinese
// when a text is; listArgs hold several phrases joined by ", ".
var (
	phraseArgs = map[string]bool{"loc": true, "src": true, "other_src": true, "detail": true,
		"why": true, "what": true, "locs": true, "cands": true, "splits": true, "tried": true, "found": true,
		"missing": true, "tables": true}
	listArgs = map[string]string{"locs": ", ", "cands": ", ", "splits": ", ", "tried": ", ", "found": "; ", "tables": ", "}
	// numArgs match digits only, so "table 2 row 5" is not read as a
	// table named "2 row 5".
	numArgs = map[string]bool{"t": true, "r": true, "c": true, "p": true, "n": true, "b": true,
		"got": true, "ways": true}
)

var (
	phraseOnce     sync.Once
	phrasePatterns []hintPattern
)

// Phrase returns s, a phrase of the readers (a place, a clue, a reason),
// in l: through the first phrase pattern whose English matches all of s,
// its parts translated in turn; s itself when l is English or nothing
// matches (a name, a number, a file).
func Phrase(l Lang, s string) string {
	return phrase(l, s, "")
}

// Cause returns s, the detail of an error after its cause ("not found: no
// report 7" gives "no report 7"), in l through the cause.* phrases only:
// an error's words are too varied to try every phrase on them.
func Cause(l Lang, s string) string {
	return phrase(l, s, "cause.")
}

func phrase(l Lang, s, prefix string) string {
	if l == EN || s == "" {
		return s
	}
	phraseOnce.Do(func() {
		for _, p := range phraseList {
			phrasePatterns = append(phrasePatterns, englishPattern(p.id, p.En, `(.+?)`, func(v string) bool { return numArgs[v] }))
		}
	})
	for _, p := range phrasePatterns {
		if prefix != "" && !strings.HasPrefix(string(p.id), prefix) {
			continue
		}
		if args, ok := p.match(s); ok {
			return Fill(phraseTexts[p.id].In(l), localArgs(l, args))
		}
	}
	return s
}

// localArgs returns args with the phrases among them (phraseArgs) in l.
func localArgs(l Lang, args Args) Args {
	if l == EN {
		return args
	}
	var out Args
	for k, v := range args {
		if !phraseArgs[k] {
			continue
		}
		var t string
		if sep, ok := listArgs[k]; ok {
			parts := splitOutside(v, sep)
			for i, p := range parts {
				parts[i] = Phrase(l, p)
			}
			t = strings.Join(parts, map[string]string{", ": "、", "; ": "；"}[sep])
		} else {
			t = Phrase(l, v)
		}
		if t == v {
			continue
		}
		if out == nil {
			out = make(Args, len(args))
			for k2, v2 := range args {
				out[k2] = v2
			}
		}
		out[k] = t
	}
	if out == nil {
		return args
	}
	return out
}

// splitOutside splits s at each sep outside parentheses: a list of phrases
// one of which holds a list of its own ("the body (本报告由…编制, 结合…)").
func splitOutside(s, sep string) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '(':
			depth++
		case s[i] == ')' && depth > 0:
			depth--
		case depth == 0 && strings.HasPrefix(s[i:], sep):
			out = append(out, s[start:i])
			start = i + len(sep)
			i += len(sep) - 1
		}
	}
	return append(out, s[start:])
}

// Words a Chinese text may hold in Latin letters: names of formats and
// programs (a reader's name, docx, is a format's), and the tag <title>.
var latinNames = map[string]bool{"PDF": true, "DOCX": true, "HTML": true, "UTF": true, "FFFD": true,
	"CSV": true, "JSON": true, "XLSX": true, "Parquet": true, "Arrow": true, "DuckDB": true, "gongkai": true,
	"manifest": true, "title": true, "LibreOffice": true, "WPS": true, "Excel": true, "SQL": true,
	"SELECT": true, "GBK": true, "ID": true, "HTTP": true, "URL": true, "TMPDIR": true, "CPU": true,
	"Word": true, "Markdown": true, "docx": true, "pdf": true, "html": true}

var (
	// quotedRe are the parts of a text that are data or commands: a
	// quoted value ("…", '…', “…”), a flag (--district), a key or path
	// (applications.1_new, a/b.txt) and an argument in a command.
	quotedRe = regexp.MustCompile(`"(?:[^"\\]|\\.)*"|'[^']*'|“[^”]*”|--[a-z][a-z-]*|[\w./\\-]*[_./\\|][\w./\\|-]*`)
	latinRe  = regexp.MustCompile(`[A-Za-z]{2,}`)
)

// EnglishWords lists the English words left in s, a text meant to be
// Chinese, once data are set aside: quoted values, flags, keys and paths,
// and names of formats and programs. Tests use it to find a text the
// catalogue left in English.
func EnglishWords(s string) []string {
	var out []string
	for _, w := range latinRe.FindAllString(quotedRe.ReplaceAllString(s, " "), -1) {
		if !latinNames[w] {
			out = append(out, w)
		}
	}
	return out
}
