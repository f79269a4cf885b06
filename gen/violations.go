package gen

import (
	"fmt"
	"math/rand/v2"

	"gongkai"
)

// Rules the generator can break on purpose. R6 needs a previous year.
var violationRules = []string{gongkai.R1, gongkai.R2, gongkai.R3, gongkai.R4, gongkai.R5, gongkai.R6}

const totalCol = gongkai.NumColumns - 1

func addCell(rep *gongkai.Report, row string, col int, d int64) {
	vals := rep.Applications[row]
	vals[col] = vals[col].Add(gongkai.Int(d))
}

// inject breaks exactly one rule on a clean report and leaves every other
// within-year rule holding. It never changes 结转下年度, so next year's
// 上年结转 link stays intact.
func inject(r *rand.Rand, rep *gongkai.Report, rule string) error {
	l := rep.Layout()
	col := r.IntN(totalCol)
	d := int64(1 + r.IntN(3))
	var outcomes []string
	for _, row := range l.Rows {
		if row.Outcome {
			outcomes = append(outcomes, row.Key)
		}
	}
	switch rule {
	case gongkai.R1:
		// More new requests than handled + carried forward.
		addCell(rep, gongkai.RowNew, col, d)
		addCell(rep, gongkai.RowNew, totalCol, d)
	case gongkai.R2:
		// One column grows consistently down the table; its totals do not.
		addCell(rep, gongkai.RowNew, col, d)
		addCell(rep, "3_1_disclosed", col, d)
		addCell(rep, gongkai.RowTotal, col, d)
	case gongkai.R3:
		// An outcome row grows (with its own total) but （七）总计 does not.
		row := outcomes[r.IntN(len(outcomes))]
		addCell(rep, row, col, d)
		addCell(rep, row, totalCol, d)
	case gongkai.R4:
		blk := l.ReviewBlocks[r.IntN(len(l.ReviewBlocks))].Key
		m := rep.ReviewLitigation[blk]
		m[gongkai.ReviewTotal] = m[gongkai.ReviewTotal].Add(gongkai.Int(d))
	case gongkai.R5:
		rep.Active["licensing"]["decisions"] = gongkai.Int(-d)
	case gongkai.R6:
		// 上年结转 no longer equals last year's 结转下年度; the year itself
		// still balances.
		for _, c := range []int{col, totalCol} {
			addCell(rep, gongkai.RowCarriedOver, c, d)
			addCell(rep, "3_1_disclosed", c, d)
			addCell(rep, gongkai.RowTotal, c, d)
		}
		rep.Findings = append(rep.Findings, gongkai.Finding{
			Rule: gongkai.R6, Severity: gongkai.SevWarning, Status: gongkai.Failed,
			Where: gongkai.Paths{
				gongkai.CellPath(gongkai.SecApplications, gongkai.RowCarriedOver, l.Columns[col].Key),
				gongkai.CellPath(gongkai.SecApplications, gongkai.RowCarriedOver, gongkai.ColTotal),
			},
			Message: fmt.Sprintf("上年结转 exceeds last year's 结转下年度继续办理 by %d in columns %s and total (injected)",
				d, l.Columns[col].Key),
		})
	default:
		return fmt.Errorf("cannot inject rule %q", rule)
	}
	return nil
}
