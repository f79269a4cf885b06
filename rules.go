package gongkai

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Severity ranks a finding.
type Severity string

const (
	SevError   Severity = "error"
	SevWarning Severity = "warning"
	// SevInfo marks what is neither passed nor failed: a rule that could
	// not be checked because an operand is null.
	SevInfo Severity = "info"
)

// Status says what a finding reports.
type Status string

const (
	// Failed: the numbers break the rule.
	Failed Status = "failed"
	// NotCheckable: an operand is null, so the rule was neither passed nor
	// failed.
	NotCheckable Status = "not_checkable"
	// Uncertain: the reader could not settle a value (rule READ); the cells
	// under Where are null or may be wrong.
	Uncertain Status = "uncertain"
)

// Rule names. R6–R9 need other reports and run in the store.
const (
	RuleRead = "READ"
	R1       = "R1"
	R2       = "R2"
	R3       = "R3"
	R4       = "R4"
	R5       = "R5"
	R6       = "R6"
	R7       = "R7"
	R8       = "R8"
	R9       = "R9"
)

// Finding is one problem with a report: a rule it fails, a rule that could
// not be checked, or a value the reader could not settle.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Status   Status   `json:"status"`
	Where    Paths    `json:"where"`
	Message  string   `json:"message"`
}

func (f Finding) String() string {
	return fmt.Sprintf("%s %s %s at %s: %s", f.Rule, f.Severity, f.Status, f.Where, f.Message)
}

// Paths is one or more cell paths. JSON writes a single path as a string
// and several as a list, as FORMAT.md §5 shows, and reads either.
type Paths []string

func (p Paths) String() string { return strings.Join(p, ",") }

func (p Paths) MarshalJSON() ([]byte, error) {
	if len(p) == 1 {
		return json.Marshal(p[0])
	}
	return json.Marshal([]string(p))
}

func (p *Paths) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*p = Paths{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("where: want a path or a list of paths: %w", err)
	}
	*p = many
	return nil
}

// RuleInfo describes a rule for listings and the store.
type RuleInfo struct {
	Rule      string
	Severity  Severity
	Statement string
}

// Rules lists every rule gongkai knows, R1–R5 checked here on one report,
// R6–R9 across reports in the store.
var Rules = []RuleInfo{
	{RuleRead, SevWarning, "a value the reader could not settle is null, or named here"},
	{R1, SevError, "每列: 本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理"},
	{R2, SevError, "每行: 总计 = 六类申请人之和"},
	{R3, SevError, "每列: （七）总计 = 三、本年度办理结果 各项之和"},
	{R4, SevError, "行政复议/行政诉讼 各栏: 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结"},
	{R5, SevError, "件数为非负整数; 金额非负"},
	{R6, SevWarning, "上年结转(t) = 结转下年度继续办理(t−1), 每列"},
	{R7, SevWarning, "现行有效件数(t) = 现行有效件数(t−1) + 本年制发(t) − 本年废止(t)"},
	{R8, SevWarning, "正文所述数字与表内对应单元格相等"},
	{R9, SevWarning, "全区/全市汇总报告 = 所辖各机关之和, 每格"},
}

// Check runs R1–R5 on r and returns what fails or cannot be checked, in
// rule order. Findings the reader already put on r are not repeated.
func Check(r *Report) []Finding {
	l := r.Layout()
	if l == nil {
		return nil
	}
	var out []Finding
	out = append(out, checkR1(r, l)...)
	out = append(out, checkR2(r, l)...)
	out = append(out, checkR3(r, l)...)
	out = append(out, checkR4(r, l)...)
	out = append(out, checkR5(r)...)
	return out
}

// sumEq checks want = Σ parts. It returns ok=false with checkable=false when
// any operand is null.
func sumEq(want Num, parts ...Num) (equal, checkable bool, sum Num) {
	if !want.Valid() {
		return false, false, Null
	}
	s := Int(0)
	for _, p := range parts {
		if !p.Valid() {
			return false, false, Null
		}
		s = s.Add(p)
	}
	return s == want, true, s
}

func notCheckable(rule string, where Paths, what string) Finding {
	return Finding{Rule: rule, Severity: SevInfo, Status: NotCheckable, Where: where,
		Message: "not checkable: " + what + " has a null operand"}
}

func failed(rule string, where Paths, msg string) Finding {
	return Finding{Rule: rule, Severity: SevError, Status: Failed, Where: where, Message: msg}
}

func checkR1(r *Report, l *Layout) []Finding {
	var out []Finding
	for i, c := range l.Columns {
		newV, over := r.Applications[RowNew][i], r.Applications[RowCarriedOver][i]
		tot, fwd := r.Applications[RowTotal][i], r.Applications[RowCarriedForward][i]
		where := Paths{
			CellPath(SecApplications, RowNew, c.Key), CellPath(SecApplications, RowCarriedOver, c.Key),
			CellPath(SecApplications, RowTotal, c.Key), CellPath(SecApplications, RowCarriedForward, c.Key),
		}
		if !newV.Valid() || !over.Valid() || !tot.Valid() || !fwd.Valid() {
			out = append(out, notCheckable(R1, where, "column "+c.Key))
			continue
		}
		if in, outV := newV.Add(over), tot.Add(fwd); in != outV {
			out = append(out, failed(R1, where, fmt.Sprintf(
				"column %s (%s): 本年新收 %s + 上年结转 %s = %s, but （七）总计 %s + 结转下年度 %s = %s",
				c.Key, c.Label, newV, over, in, tot, fwd, outV)))
		}
	}
	return out
}

func checkR2(r *Report, l *Layout) []Finding {
	var out []Finding
	for _, row := range l.Rows {
		vals := r.Applications[row.Key]
		where := Paths{SecApplications + "." + row.Key}
		eq, ok, sum := sumEq(vals[NumColumns-1], vals[:NumColumns-1]...)
		switch {
		case !ok:
			out = append(out, notCheckable(R2, where, "row "+row.Key))
		case !eq:
			out = append(out, failed(R2, where, fmt.Sprintf(
				"row %s (%s): 总计 is %s but the six applicant columns add up to %s",
				row.Key, row.Label, vals[NumColumns-1], sum)))
		}
	}
	return out
}

func checkR3(r *Report, l *Layout) []Finding {
	var out []Finding
	for i, c := range l.Columns {
		var parts []Num
		for _, row := range l.Rows {
			if row.Outcome {
				parts = append(parts, r.Applications[row.Key][i])
			}
		}
		total := r.Applications[RowTotal][i]
		where := Paths{SecApplications + ".3_*." + c.Key}
		eq, ok, sum := sumEq(total, parts...)
		switch {
		case !ok:
			out = append(out, notCheckable(R3, where, "column "+c.Key))
		case !eq:
			out = append(out, failed(R3, where, fmt.Sprintf(
				"column %s (%s): （七）总计 is %s but the outcome rows above it add up to %s",
				c.Key, c.Label, total, sum)))
		}
	}
	return out
}

func checkR4(r *Report, l *Layout) []Finding {
	var out []Finding
	for _, b := range l.ReviewBlocks {
		m := r.ReviewLitigation[b.Key]
		var parts []Num
		for _, c := range l.ReviewColumns {
			if c.Key != ReviewTotal {
				parts = append(parts, m[c.Key])
			}
		}
		where := Paths{SecReview + "." + b.Key}
		eq, ok, sum := sumEq(m[ReviewTotal], parts...)
		switch {
		case !ok:
			out = append(out, notCheckable(R4, where, "block "+b.Key))
		case !eq:
			out = append(out, failed(R4, where, fmt.Sprintf(
				"%s (%s): 总计 is %s but 维持 + 纠正 + 其他 + 尚未审结 = %s",
				b.Key, b.Label, m[ReviewTotal], sum)))
		}
	}
	return out
}

// checkR5 reports negative counts and money, and fractions in counts.
// Null cells are simply skipped: R5 is about the values that are there.
func checkR5(r *Report) []Finding {
	var out []Finding
	for _, c := range r.Cells() {
		v := c.Value
		if !v.Valid() {
			continue
		}
		switch {
		case c.Kind != Signed && v.Sign() < 0:
			out = append(out, failed(R5, Paths{c.Path()}, fmt.Sprintf("%s is negative: %s", c.Path(), v)))
		case c.Kind != Money && !v.IsInt():
			out = append(out, failed(R5, Paths{c.Path()}, fmt.Sprintf("%s is a count but has a fraction: %s", c.Path(), v)))
		}
	}
	return out
}
