package render

import (
	"encoding/csv"
	"io"

	"gongkai"
	"gongkai/compile"
)

// writeCompiledCSV writes one row per cell of the compiled tables: the
// table, the official row and column labels, the value (empty when some
// body did not state it) and the cell's path, after a byte-order mark so
// Excel and WPS on Chinese Windows read UTF-8.
func writeCompiledCSV(w io.Writer, c *compile.Compilation) error {
	if _, err := io.WriteString(w, UTF8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	heading := map[string]string{gongkai.SecActive: gongkai.HeadingActive, gongkai.SecApplications: gongkai.HeadingApplications, gongkai.SecReview: gongkai.HeadingReview}
	cw.Write([]string{"表", "项目", "栏目", "数值", "单元格"})
	for _, cell := range c.Report.Cells() {
		v := ""
		if cell.Value.Valid() {
			v = cell.Value.String()
		}
		cw.Write([]string{heading[cell.Section], cell.RowLabel, cell.ColLabel, v, cell.Path()})
	}
	cw.Flush()
	return cw.Error()
}
