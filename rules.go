package gongkai

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"gongkai/msg"
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
//
// Message is English and is what stores and JSON keep; Code (an ID of the
// msg catalogue) and Args let the finding be shown in the reader's
// language (Text). Findings from stores written before codes existed, and
// readers' own notes, have no code and are shown as Message.
type Finding struct {
	Rule     string   `json:"rule"`
	Severity Severity `json:"severity"`
	Status   Status   `json:"status"`
	Where    Paths    `json:"where"`
	Message  string   `json:"message"`
	Code     string   `json:"code,omitempty"`
	Args     msg.Args `json:"args,omitempty"`
}

// Coded returns a finding whose English message is its code's text filled
// with args, so the stored message and the catalogue never disagree.
func Coded(rule string, sev Severity, st Status, where Paths, code msg.ID, args msg.Args) Finding {
	return Finding{Rule: rule, Severity: sev, Status: st, Where: where,
		Message: msg.T(msg.EN, code, args), Code: string(code), Args: args}
}

// Text is the finding's message in language l.
func (f Finding) Text(l msg.Lang) string {
	return msg.Finding(l, f.Code, f.Args, f.Message)
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

// Check runs R1–R5 and R8 on r and returns what fails or cannot be
// checked, in rule order. Findings the reader already put on r are not
// repeated.
//
// A sum rule with a null operand is reported as not checkable, but what can
// still be checked is: counts are never negative, so a total is at least
// the sum of its known parts, and a failure of that is a failed finding,
// not a not_checkable one (a total typed below one of its parts must not
// hide behind a blank cell).
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
	out = append(out, checkR8(r)...)
	return out
}

// side is one side of a sum rule: the sum of its known operands and how
// many are null.
type side struct {
	known   Num
	unknown int
	// negative: a known operand is below zero (R5 reports it); the
	// partial check then proves nothing.
	negative bool
}

func sideOf(parts ...Num) side {
	s := side{known: Int(0)}
	for _, p := range parts {
		switch {
		case !p.Valid():
			s.unknown++
		case p.Sign() < 0:
			s.negative = true
			s.known = s.known.Add(p)
		default:
			s.known = s.known.Add(p)
		}
	}
	return s
}

// balance compares two sides of a rule over counts. checkable: both sides
// are known in full; equal then says whether they agree. When one side is
// known in full and the other only in part, the part must not exceed the
// whole: over is set (and partial true) when it does.
func balance(a, b side) (checkable, equal, partial, over bool) {
	if a.unknown == 0 && b.unknown == 0 {
		return true, a.known == b.known, false, false
	}
	if a.negative || b.negative {
		return false, false, false, false
	}
	switch {
	case a.unknown == 0 && b.unknown > 0:
		return false, false, true, b.known.Micros() > a.known.Micros()
	case b.unknown == 0 && a.unknown > 0:
		return false, false, true, a.known.Micros() > b.known.Micros()
	}
	return false, false, false, false
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

func notCheckable(rule string, where Paths, code msg.ID, args msg.Args) Finding {
	return Coded(rule, SevInfo, NotCheckable, where, code, args)
}

func failed(rule string, where Paths, code msg.ID, args msg.Args) Finding {
	return Coded(rule, SevError, Failed, where, code, args)
}

// partialFailed reports a total below the sum of its known parts; args
// name the row or column, and total, known and nulls are added.
func partialFailed(rule string, where Paths, code msg.ID, args msg.Args, total, parts side) Finding {
	args["total"] = total.known.String()
	args["known"] = parts.known.String()
	args["nulls"] = strconv.Itoa(parts.unknown)
	return failed(rule, where, code, args)
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
		in, outS := sideOf(newV, over), sideOf(tot, fwd)
		checkable, equal, _, exceeds := balance(in, outS)
		col := msg.A("col", c.Key, "label", c.Label)
		switch {
		case exceeds && in.unknown == 0:
			out = append(out, partialFailed(R1, where, msg.R1PartialIn, col, in, outS))
		case exceeds:
			out = append(out, partialFailed(R1, where, msg.R1PartialOut, col, outS, in))
		case !checkable:
			out = append(out, notCheckable(R1, where, msg.R1Null, col))
		case !equal:
			out = append(out, failed(R1, where, msg.R1Unequal, msg.A("col", c.Key, "label", c.Label,
				"new", newV, "over", over, "in", in.known, "tot", tot, "fwd", fwd, "out", outS.known)))
		}
	}
	return out
}

func checkR2(r *Report, l *Layout) []Finding {
	var out []Finding
	for _, row := range l.Rows {
		if row.Unprinted {
			continue // not in the printed table: null by construction
		}
		vals := r.Applications[row.Key]
		where := Paths{SecApplications + "." + row.Key}
		total, parts := sideOf(vals[NumColumns-1]), sideOf(vals[:NumColumns-1]...)
		checkable, equal, _, exceeds := balance(total, parts)
		switch {
		case exceeds && total.unknown == 0:
			out = append(out, partialFailed(R2, where, msg.R2Partial, msg.A("row", row.Key, "label", row.Label), total, parts))
		case exceeds:
			// Known applicant columns can never exceed an unknown total;
			// this is a total known while columns are not: impossible.
		case !checkable:
			out = append(out, notCheckable(R2, where, msg.R2Null, msg.A("row", row.Key, "label", row.Label)))
		case !equal:
			out = append(out, failed(R2, where, msg.R2Unequal, msg.A("row", row.Key, "label", row.Label,
				"total", vals[NumColumns-1], "sum", parts.known)))
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
		ts, ps := sideOf(total), sideOf(parts...)
		checkable, equal, _, exceeds := balance(ts, ps)
		switch {
		case exceeds && ts.unknown == 0:
			out = append(out, partialFailed(R3, where, msg.R3Partial, msg.A("col", c.Key, "label", c.Label), ts, ps))
		case !checkable:
			out = append(out, notCheckable(R3, where, msg.R3Null, msg.A("col", c.Key, "label", c.Label)))
		case !equal:
			out = append(out, failed(R3, where, msg.R3Unequal, msg.A("col", c.Key, "label", c.Label,
				"total", total, "sum", ps.known)))
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
		ts, ps := sideOf(m[ReviewTotal]), sideOf(parts...)
		checkable, equal, _, exceeds := balance(ts, ps)
		switch {
		case exceeds && ts.unknown == 0:
			out = append(out, partialFailed(R4, where, msg.R4Partial, msg.A("block", b.Key, "label", b.Label), ts, ps))
		case !checkable:
			out = append(out, notCheckable(R4, where, msg.R4Null, msg.A("block", b.Key, "label", b.Label)))
		case !equal:
			out = append(out, failed(R4, where, msg.R4Unequal, msg.A("block", b.Key, "label", b.Label,
				"total", m[ReviewTotal], "sum", ps.known)))
		}
	}
	return out
}

// checkR5 reports negative counts and money, and fractions in counts.
// Null cells are simply skipped: R5 is about the values that are there.
func checkR5(r *Report) []Finding {
	var out []Finding
	for c := range r.AllCells() {
		v := c.Value
		if !v.Valid() {
			continue
		}
		switch {
		case c.Kind != Signed && v.Sign() < 0:
			out = append(out, failed(R5, Paths{c.Path()}, msg.R5Negative, msg.A("path", c.Path(), "label", c.RowLabel+"·"+c.ColLabel, "value", v)))
		case c.Kind != Money && !v.IsInt():
			out = append(out, failed(R5, Paths{c.Path()}, msg.R5Fraction, msg.A("path", c.Path(), "label", c.RowLabel+"·"+c.ColLabel, "value", v)))
		}
	}
	return out
}

// NarrativeCells maps each narrative key (counts stated in the prose of
// section 一) that restates a table cell to that cell's path; R8 compares
// them. Keys the reader did not find are simply not compared.
var NarrativeCells = map[string]string{
	NarrRequestsReceived:    CellPath(SecApplications, RowNew, ColTotal),
	NarrRequestsCarriedOver: CellPath(SecApplications, RowCarriedOver, ColTotal),
	NarrRequestsHandled:     CellPath(SecApplications, RowTotal, ColTotal),
	NarrRequestsCarriedFwd:  CellPath(SecApplications, RowCarriedForward, ColTotal),
}

// Narrative keys that restate a table cell (see NarrativeCells).
const (
	// NarrRequestsReceived: 共收到政府信息公开申请X件 (未收到… = 0).
	NarrRequestsReceived = "requests_received"
	// NarrRequestsCarriedOver: 上年结转X件.
	NarrRequestsCarriedOver = "requests_carried_over"
	// NarrRequestsHandled: 办结X件.
	NarrRequestsHandled = "requests_handled"
	// NarrRequestsCarriedFwd: 结转下年度继续办理X件.
	NarrRequestsCarriedFwd = "requests_carried_forward"
)

// NarrativeLabels names each narrative key by the words of section 一 that
// state it (the Chinese finding messages of R8 use them).
var NarrativeLabels = map[string]string{
	NarrRequestsReceived:    "收到政府信息公开申请",
	NarrRequestsCarriedOver: "上年结转",
	NarrRequestsHandled:     "办结",
	NarrRequestsCarriedFwd:  "结转下年度继续办理",
}

// checkR8 compares the counts the prose of section 一 states with the
// table cells they restate (共收到申请X件 with 本年新收…总计). A mismatch is
// a warning: one of the two is wrong, and the finding names both. A cell
// left null makes the pair not checkable.
func checkR8(r *Report) []Finding {
	var out []Finding
	for _, k := range sortedKeys(NarrativeCells) {
		said, ok := r.Narrative[k]
		if !ok || !said.Valid() {
			continue
		}
		path := NarrativeCells[k]
		cell, _ := r.Get(path)
		where := Paths{SecNarrative + "." + k, path}
		switch {
		case !cell.Valid():
			out = append(out, notCheckable(R8, where, msg.R8Null, msg.A("narr", k, "label", NarrativeLabels[k])))
		case cell != said:
			out = append(out, Coded(R8, SevWarning, Failed, where, msg.R8Unequal, msg.A("narr", k, "label", NarrativeLabels[k],
				"said", said, "path", path, "cell", cell)))
		}
	}
	return out
}
