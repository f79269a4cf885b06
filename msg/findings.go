package msg

// Finding codes: one per kind of finding, stored beside the finding's
// English message (findings.code, schema 8) with its arguments
// (findings.args, a JSON object of strings), so the message can be put
// into either language when it is shown. The English text of a code is the
// stored message exactly; the tests check that on stores built from the
// sample and generated reports.
//
// Arguments: col/row/block/item/narr are layout keys and label their
// official label (Chinese in both languages); numbers are as the report
// prints them; year is the earlier report's year; known/nulls describe the
// known part of a sum with null operands.
const (
	R1Unequal    ID = "R1.unequal"
	R1PartialIn  ID = "R1.partial_in"
	R1PartialOut ID = "R1.partial_out"
	R1Null       ID = "R1.null"
	R2Unequal    ID = "R2.unequal"
	R2Partial    ID = "R2.partial"
	R2Null       ID = "R2.null"
	R3Unequal    ID = "R3.unequal"
	R3Partial    ID = "R3.partial"
	R3Null       ID = "R3.null"
	R4Unequal    ID = "R4.unequal"
	R4Partial    ID = "R4.partial"
	R4Null       ID = "R4.null"
	R5Negative   ID = "R5.negative"
	R5Fraction   ID = "R5.fraction"
	R6Unequal    ID = "R6.unequal"
	R6Null       ID = "R6.null"
	R6NoPrev     ID = "R6.no_prev"
	R7Unequal    ID = "R7.unequal"
	R7Null       ID = "R7.null"
	R7NoPrev     ID = "R7.no_prev"
	R7PrevLayout ID = "R7.prev_2019"
	R7ItemsUneq  ID = "R7.items_unequal"
	R7ItemsNull  ID = "R7.items_null"
	R7ItemsPrev  ID = "R7.items_prev_2021"
	R8Unequal    ID = "R8.unequal"
	R8Null       ID = "R8.null"
	R9Unequal    ID = "R9.unequal"
	R9Null       ID = "R9.null"
	R9NoParts    ID = "R9.no_parts"
	R9NoDivision ID = "R9.no_division"

	ReadTableMissing ID = "READ.table_missing"
	ReadRowsMissing  ID = "READ.rows_missing"
	ReadBlockMissing ID = "READ.block_missing"
	ReadNoReview     ID = "READ.review_empty"
	ReadNotInLayout  ID = "READ.not_in_layout"
	ReadNoValues     ID = "READ.no_values"
	ReadRepeated     ID = "READ.repeated"
	ReadRowProblem   ID = "READ.row"
	ReadCell         ID = "READ.cell"

	DivNoOrg    ID = "DIV.no_organization"
	DivTownship ID = "DIV.township_unknown"

	CompileUnstated ID = "COMPILE.unstated"
	CompilePartial  ID = "COMPILE.partial"
)

// partial is the tail every partly checkable sum rule shares: a total
// below the sum of its known parts is wrong whatever the null operands
// hold, since counts are never negative.
const (
	partialEn = ": the known operands add up to {known}, more than {total}, though {nulls} operand(s) are null and counts are never negative"
	partialZh = "已知各项之和为 {known}，已超过 {total}（另有 {nulls} 项为空，而件数不可能为负）"
)

var findingTexts = map[ID]Text{
	R1Unequal: {
		"column {col} ({label}): 本年新收 {new} + 上年结转 {over} = {in}, but （七）总计 {tot} + 结转下年度 {fwd} = {out}",
		"“{label}”栏：本年新收 {new} + 上年结转 {over} = {in}，但（七）总计 {tot} + 结转下年度继续办理 {fwd} = {out}，二者不相等"},
	R1PartialIn: {
		"column {col} ({label}): 本年新收 + 上年结转 = {total}, but （七）总计 + 结转下年度" + partialEn,
		"“{label}”栏：本年新收 + 上年结转 = {total}，而（七）总计与结转下年度继续办理中" + partialZh},
	R1PartialOut: {
		"column {col} ({label}): （七）总计 + 结转下年度 = {total}, but 本年新收 + 上年结转" + partialEn,
		"“{label}”栏：（七）总计 + 结转下年度继续办理 = {total}，而本年新收与上年结转中" + partialZh},
	R1Null: {
		"not checkable: column {col} has a null operand",
		"无法核验：“{label}”栏有数值为空"},
	R2Unequal: {
		"row {row} ({label}): 总计 is {total} but the six applicant columns add up to {sum}",
		"“{label}”行：总计为 {total}，但六类申请人之和为 {sum}，二者不相等"},
	R2Partial: {
		"row {row} ({label}): the applicant columns" + partialEn,
		"“{label}”行：各类申请人栏中" + partialZh + "，超过了总计"},
	R2Null: {
		"not checkable: row {row} has a null operand",
		"无法核验：“{label}”行有数值为空"},
	R3Unequal: {
		"column {col} ({label}): （七）总计 is {total} but the outcome rows above it add up to {sum}",
		"“{label}”栏：（七）总计为 {total}，但三、本年度办理结果各项之和为 {sum}，二者不相等"},
	R3Partial: {
		"column {col} ({label}): （七）总计 is {total}, but the outcome rows stated above it" + partialEn,
		"“{label}”栏：（七）总计为 {total}，而三、本年度办理结果各项中" + partialZh},
	R3Null: {
		"not checkable: column {col} has a null operand",
		"无法核验：“{label}”栏有数值为空"},
	R4Unequal: {
		"{block} ({label}): 总计 is {total} but 维持 + 纠正 + 其他 + 尚未审结 = {sum}",
		"{label}：总计为 {total}，但结果维持 + 结果纠正 + 其他结果 + 尚未审结 = {sum}，二者不相等"},
	R4Partial: {
		"{block} ({label}): 总计 is {total}, but 维持 + 纠正 + 其他 + 尚未审结 as stated" + partialEn,
		"{label}：总计为 {total}，而结果维持、结果纠正、其他结果、尚未审结中" + partialZh},
	R4Null: {
		"not checkable: block {block} has a null operand",
		"无法核验：{label}有数值为空"},
	R5Negative: {
		"{path} is negative: {value}",
		"{label}（{path}）为负数：{value}"},
	R5Fraction: {
		"{path} is a count but has a fraction: {value}",
		"{label}（{path}）为件数，不应有小数：{value}"},
	R6Unequal: {
		"上年结转 {over} (column {col}) but the {year} report's 结转下年度继续办理 is {fwd}",
		"“{label}”栏：上年结转 {over}，但 {year} 年度报告的结转下年度继续办理为 {fwd}，二者不相等"},
	R6Null: {
		"not checkable: 上年结转 (t) or the {year} report's 结转下年度继续办理 is null in {n} column(s)",
		"无法核验：本年度上年结转或 {year} 年度报告的结转下年度继续办理有 {n} 栏为空"},
	R6NoPrev: {
		"not checkable: no report of this body for {year} in the store",
		"无法核验：库中没有该机关 {year} 年度的报告"},
	R7Unequal: {
		"{item}: 现行有效件数 {in_force} but {year} 现行有效 {prev} + 本年制发 {issued} − 本年废止 {repealed} = {sum}",
		"{label}：现行有效件数为 {in_force}，但 {year} 年度现行有效件数 {prev} + 本年制发件数 {issued} − 本年废止件数 {repealed} = {sum}，二者不相等"},
	R7Null: {
		"not checkable: {item} has a null operand (现行有效 {in_force}, {year} 现行有效 {prev}, 制发 {issued}, 废止 {repealed})",
		"无法核验：{label}有数值为空（现行有效件数 {in_force}，{year} 年度现行有效件数 {prev}，本年制发件数 {issued}，本年废止件数 {repealed}）"},
	R7NoPrev: {
		"not checkable: no report of this body for {year} in the store",
		"无法核验：库中没有该机关 {year} 年度的报告"},
	R7PrevLayout: {
		"not checkable: the {year} report uses the 2019 layout, which has no 现行有效件数",
		"无法核验：{year} 年度报告采用 2019 年版格式，没有现行有效件数"},
	R7ItemsUneq: {
		"{item}: 上一年项目数量 {prev_items} but the {year} report gives {last} + 本年增/减 {change} = {sum}",
		"{label}：上一年项目数量为 {prev_items}，但 {year} 年度报告为 {last} + 本年增/减 {change} = {sum}，二者不相等"},
	R7ItemsNull: {
		"not checkable: {item} has a null operand (上一年项目数量 {prev_items}, {year} 上一年项目数量 {last}, 本年增/减 {change})",
		"无法核验：{label}有数值为空（上一年项目数量 {prev_items}，{year} 年度上一年项目数量 {last}，本年增/减 {change}）"},
	R7ItemsPrev: {
		"not checkable: the {year} report is not in the 2019 layout",
		"无法核验：{year} 年度报告未采用 2019 年版格式"},
	R8Unequal: {
		"section 一 states {narr} = {said}, but the table's {path} is {cell}",
		"正文第一部分所述“{label}”为 {said}，但表内 {path} 为 {cell}，二者不一致"},
	R8Null: {
		"not checkable: narrative {narr} has a null operand",
		"无法核验：正文所述“{label}”对应的表内数值为空"},
	R9Unequal: {
		"{path} is {stated} but its {n} parts add up to {sum}",
		"{path}（{label}）为 {stated}，但所辖 {n} 个机关之和为 {sum}，二者不相等"},
	R9Null: {
		"not checkable: {cells} cell(s) have a null in the whole-area report or in one of its {n} parts",
		"无法核验：有 {cells} 个单元格在汇总报告或所辖 {n} 个机关的报告中为空"},
	R9NoParts: {
		"not checkable: no reports of {division} for {year} in the store to add up",
		"无法核验：库中没有 {division} 所辖机关 {year} 年度的报告可供汇总"},
	R9NoDivision: {
		"not checkable: the whole-area report has no division",
		"无法核验：该汇总报告未对应到行政区划"},

	ReadTableMissing: {
		"table {table} not found; its cells are null",
		"未找到表{table}，其数值均为空"},
	ReadRowsMissing: {
		"row not found in table {table}; its cells are null",
		"表{table}中未找到该行，其数值均为空"},
	ReadBlockMissing: {
		"block not found in table 四; its cells are null",
		"表四中未找到该栏，其数值均为空"},
	ReadNoReview: {
		"table 四 found but no row of values in it",
		"找到表四，但其中没有数值行"},
	ReadNotInLayout: {
		"{loc}: row {label_q} is not part of the {version} layout; ignored",
		"{loc}：“{label}”行不属于 {version} 年版格式，已忽略"},
	ReadNoValues: {
		"{loc}: row {label_q} has no value cells; its cells are null",
		"{loc}：“{label}”行没有数值，其数值均为空"},
	ReadRepeated: {
		"{loc}: row {label_q} given twice with different values ({old}, then {new_q})",
		"{loc}：“{label}”行出现两次且数值不同（先为 {old}，后为 {new}），该数值记为空"},
	ReadRowProblem: {
		"{loc}: row {label_q}: {detail}",
		"{loc}：“{label}”行的数值无法对应到各栏，其数值均为空（{detail}）"},
	ReadCell: {
		"{loc}: {detail}",
		"{loc}：该数值无法确定，记为空（{detail}）"},

	DivTownship: {
		"township {township} is not in the divisions data under {parent}; kept the name, code {code} is the {level}'s",
		"{parent}下的行政区划数据中没有“{township}”；已保留该名称，区划代码 {code} 为所属{level_zh}的代码"},
	DivNoOrg: {
		"report names no organization; give a manifest",
		"报告未写明发布机关，请提供清单文件（manifest）"},

	CompileUnstated: {
		"{path}: {missing} of {n} bodies did not state it",
		"{path}：{n} 个机关中有 {missing} 个未填报该数值"},
	CompilePartial: {
		"{path}: {missing} of {n} bodies did not state it; the {known} that did add up to {sum}",
		"{path}：{n} 个机关中有 {missing} 个未填报该数值，已填报的 {known} 个机关合计 {sum}"},
}

// ruleTexts names each rule, for listings and headings; the statement of
// a rule itself is gongkai.Rules (official wording, Chinese).
var ruleTexts = map[ID]Text{
	"rule.READ":    {"a value the reader could not settle", "读取存疑的数值"},
	"rule.R1":      {"applications balance by column", "依申请公开各栏收支平衡"},
	"rule.R2":      {"applicants add up to the total", "各类申请人之和等于总计"},
	"rule.R3":      {"outcomes add up to （七）总计", "各项办理结果之和等于（七）总计"},
	"rule.R4":      {"review and litigation results add up", "行政复议、行政诉讼各项结果之和等于总计"},
	"rule.R5":      {"counts are non-negative integers", "件数为非负整数，金额非负"},
	"rule.R6":      {"carried over equals last year's carried forward", "上年结转与上一年度结转下年度继续办理一致"},
	"rule.R7":      {"items in force follow from last year", "现行有效件数与上一年度衔接"},
	"rule.R8":      {"the text agrees with the tables", "正文所述数字与表内数值一致"},
	"rule.R9":      {"a whole-area report equals the sum of its bodies", "汇总报告等于所辖各机关之和"},
	"rule.DIV":     {"the author could not be placed among the divisions", "发布机关无法对应到行政区划"},
	"rule.COMPILE": {"a compiled cell some bodies did not state", "汇总时部分机关未填报的数值"},
}

// Finding puts a stored finding into words in l: the text of its code
// filled with its arguments, or the stored English message when the
// finding has no code (stores written before schema 8, readers' own
// notes) or the catalogue does not know it.
func Finding(l Lang, code string, args Args, message string) string {
	if l == EN || code == "" {
		return message
	}
	t, ok := catalogue[ID(code)]
	if !ok {
		return message
	}
	return Fill(t.Zh, localArgs(l, args))
}
