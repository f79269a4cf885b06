package gen

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"gongkai"
)

// document is a report laid out once, independent of rendering: prose
// blocks and tables whose cells carry row and column spans, as in the Word
// original. Every rendering writes the same document.
type document struct {
	org          string
	title        string // "2023年政府信息公开工作年度报告"
	year         int
	published    string // "2024年1月22日"
	publishedISO string // "2024-01-22"
	blocks       []block
	// id is how the renderings state the organization and year.
	id IdentityStyle
}

type block struct {
	heading bool // a section heading (一、总体情况 ...)
	text    string
	tab     *table
}

type table struct {
	width int
	rows  [][]*tcell
	// strays are values Word's text export leaves in the empty part of a
	// vertically merged label cell, keyed by grid position (row, column).
	strays map[[2]int]string
}

type tcell struct {
	text   string // may hold "\n" where the original breaks the line
	rs, cs int
	value  bool // a number, not a label
}

// slot is one grid position of a table.
type slot struct {
	c      *tcell
	origin bool // the cell starts in this row
	first  bool // the cell starts in this column
	row    int
	col    int
}

// grid places the cells on the table's grid (HTML's rowspan/colspan rule).
func (t *table) grid() [][]slot {
	g := make([][]slot, len(t.rows))
	for i := range g {
		g[i] = make([]slot, t.width)
	}
	for ri, row := range t.rows {
		col := 0
		for _, c := range row {
			for col < t.width && g[ri][col].c != nil {
				col++
			}
			if col >= t.width {
				panic(fmt.Sprintf("gen: table row %d overflows its %d columns", ri, t.width))
			}
			for dr := 0; dr < c.rs; dr++ {
				for dc := 0; dc < c.cs; dc++ {
					if ri+dr < len(g) && col+dc < t.width {
						g[ri+dr][col+dc] = slot{c: c, origin: dr == 0, first: dc == 0, row: ri + dr, col: col + dc}
					}
				}
			}
			col += c.cs
		}
	}
	return g
}

func lbl(s string) *tcell              { return &tcell{text: s, rs: 1, cs: 1} }
func span(s string, rs, cs int) *tcell { return &tcell{text: s, rs: rs, cs: cs} }

// Noise says which of the disturbances seen in published reports a
// rendering carries. The truth never changes with noise.
type Noise struct {
	FullWidthDigits     bool // ０１２ instead of 012 in table numbers
	HalfWidthBrackets   bool // (一) instead of （一） in table labels
	ThousandsSeparators bool // 1,234 in table numbers
	LabelTypos          bool // 行政法复议, 现行有效件: typos seen in published tables
	// RepeatedHeading splits the merged 三、本年度办理结果 cell at （四）, as a
	// page break does, so the heading appears twice.
	RepeatedHeading bool
}

// labelTypos are misspellings found in real reports' tables.
var labelTypos = map[string]string{"行政复议": "行政法复议", "现行有效件数": "现行有效件"}

// style is how one rendering wants the document built.
type style struct {
	noise Noise
	// seedBreaks breaks the 勾稽 note and section 四 headers over lines as
	// the seed does; applicantBreaks breaks 商业/企业 and 科研/机构 as the
	// HTML and paragraph renderings do.
	seedBreaks      bool
	applicantBreaks bool
	strays          bool
}

// Labels outside the layout (the layout holds every cell's own label).
const (
	headInfo      = "信息内容"
	headApplicant = "申请人情况"
	noteR1        = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
	secGeneral    = "一、总体情况"
	secActive     = "二、主动公开政府信息情况"
	secRequests   = "三、收到和处理政府信息公开申请情况"
	secReview     = "四、政府信息公开行政复议、行政诉讼情况"
	secProblems   = "五、存在的主要问题及改进情况"
	secOther      = "六、其他需要报告的事项"
	reportTitle   = "年政府信息公开工作年度报告"
)

type builder struct {
	st    style
	r     *rand.Rand
	rep   *gongkai.Report
	typos map[string]string
}

func (b *builder) label(s string) string {
	if b.st.noise.HalfWidthBrackets {
		s = strings.NewReplacer("（", "(", "）", ")").Replace(s)
	}
	if t, ok := labelTypos[s]; ok && b.st.noise.LabelTypos {
		s = t
	}
	if t, ok := b.typos[s]; ok {
		s = t
	}
	return s
}

// header is a column header as printed: with the report's typos.
func (b *builder) header(s string) string {
	if t, ok := b.typos[s]; ok {
		return t
	}
	return s
}

// num writes a value as the tables print it, with the rendering's noise.
func (b *builder) num(n gongkai.Num) string {
	if !n.Valid() {
		return ""
	}
	s := n.String()
	if b.st.noise.ThousandsSeparators {
		s = thousands(s)
	}
	if b.st.noise.FullWidthDigits {
		s = strings.Map(func(r rune) rune {
			if r >= '0' && r <= '9' {
				return r - '0' + '０'
			}
			return r
		}, s)
	}
	return s
}

func thousands(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	ip, frac, hasFrac := strings.Cut(s, ".")
	var out []byte
	for i := range len(ip) {
		if i > 0 && (len(ip)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, ip[i])
	}
	res := string(out)
	if hasFrac {
		res += "." + frac
	}
	if neg {
		res = "-" + res
	}
	return res
}

func (b *builder) val(n gongkai.Num, cs int) *tcell {
	return &tcell{text: b.num(n), rs: 1, cs: cs, value: true}
}

// buildDoc lays out one report.
func buildDoc(it *Item, st style, r *rand.Rand) *document {
	rep := it.Record
	b := &builder{st: st, r: r, rep: rep, typos: it.Typos}
	d := &document{
		org:          rep.Organization,
		title:        fmt.Sprintf("%d%s", rep.ReportYear, reportTitle),
		year:         rep.ReportYear,
		publishedISO: rep.PublishedOn,
		id:           it.Identity,
	}
	var y, m, day int
	fmt.Sscanf(rep.PublishedOn, "%d-%d-%d", &y, &m, &day)
	d.published = fmt.Sprintf("%d年%d月%d日", y, m, day)
	para := func(s string) { d.blocks = append(d.blocks, block{text: s}) }
	head := func(s string) { d.blocks = append(d.blocks, block{heading: true, text: s}) }
	tab := func(t *table) { d.blocks = append(d.blocks, block{tab: t}) }

	year := rep.ReportYear
	format := "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）"
	if rep.FormatVersion == gongkai.V2019 {
		format = "《国务院办公厅政府信息与政务公开办公室关于印发〈中华人民共和国政府信息公开工作年度报告格式（试行）〉的通知》（国办公开办函〔2019〕60号）"
	}
	// The body names the organization and the year, unless the identity
	// style keeps it quiet (本机关, 本年度).
	yr, org, we := fmt.Sprintf("%d年", year), rep.Organization, it.we
	if it.Identity.Body != BodyDefault {
		yr, org, we = "本年", "本机关", "本机关"
	}
	intro := fmt.Sprintf("根据《中华人民共和国政府信息公开条例》（国务院令第711号，以下简称《条例》）和%s要求，结合%s%s政府信息公开工作实际，编制本报告。本报告所列数据的统计期限自%s1月1日到12月31日止。",
		format, yr, org, yr)
	if it.Identity.Body == BodyReportedBy {
		intro += fmt.Sprintf("本报告由%s编制。", rep.Organization)
	}
	para(intro)
	head(secGeneral)
	para(fmt.Sprintf("%s，%s认真贯彻落实《条例》，扎实做好政府信息公开工作，切实保障人民群众的知情权、参与权、监督权和表达权。", yr, org))
	para(fmt.Sprintf("（一）主动公开情况。%s度通过各类媒体渠道公开政府信息%s条，其中通过“%s”微信公众号发布消息%s条。",
		yr, rep.Narrative[NarrDisclosed], it.wechat, rep.Narrative[NarrWechat]))
	app := rep.Applications
	// The prose states the real counts even where the table leaves a cell
	// blank (Options.Blanks): it.said keeps them.
	stated := func(row string) gongkai.Num {
		if v, ok := it.said[row]; ok {
			return v
		}
		return app[row][totalCol]
	}
	nNew, nOver := stated(gongkai.RowNew), stated(gongkai.RowCarriedOver)
	nTot, nFwd := stated(gongkai.RowTotal), stated(gongkai.RowCarriedForward)
	// The prose states the narrative's count, which equals 1_new's total
	// unless a mismatch was seeded (Options.Mismatches, R8).
	if said, ok := rep.Narrative[NarrRequests]; ok && said.Valid() {
		nNew = said
	}
	if nNew.Sign() == 0 && nOver.Sign() == 0 && nTot.Sign() == 0 && nFwd.Sign() == 0 {
		para(fmt.Sprintf("（二）依申请公开情况。%s，%s未收到政府信息公开申请。", yr, we))
	} else {
		para(fmt.Sprintf("（二）依申请公开情况。%s，%s共收到政府信息公开申请%s件，上年结转%s件，办结%s件，结转下年度继续办理%s件。",
			yr, we, nNew, nOver, nTot, nFwd))
	}
	para("（三）政府信息管理情况。坚持“先审查、后公开”和“一事一审”原则，落实信息公开保密审查制度。")
	para(fmt.Sprintf("（四）平台建设情况。依托政府门户网站和“%s”微信公众号做好政务公开平台建设。", it.wechat))
	para("（五）监督保障情况。安排专人负责政府信息公开工作，检查情况列入年度工作考核。")
	head(secActive)
	tab(b.activeTable())
	head(secRequests)
	tab(b.requestTable())
	head(secReview)
	tab(b.reviewTable())
	head(secProblems)
	para(fmt.Sprintf("%s，%s政府信息公开工作取得了一定成效，但仍存在公开内容不够丰富、工作人员业务能力有待提高等问题。下一步，%s将加强队伍建设，完善工作机制，提升公开质量。",
		yr, we, we))
	head(secOther)
	para(fmt.Sprintf("%s度本单位未收取信息处理费。", yr))
	return d
}

func (b *builder) activeTable() *table {
	l := b.rep.Layout()
	t := &table{width: 4}
	add := func(cells ...*tcell) { t.rows = append(t.rows, cells) }
	prevBlock := ""
	for _, it := range l.Active {
		n := len(it.Metrics)
		if it.Block != prevBlock {
			prevBlock = it.Block
			add(span(b.label(it.Block), 1, 4))
			row := []*tcell{lbl(headInfo)}
			for i, m := range it.Metrics {
				cs := 1
				if i == n-1 {
					cs = 4 - n
				}
				row = append(row, span(b.label(m.Label), 1, cs))
			}
			add(row...)
		}
		row := []*tcell{lbl(b.label(it.Label))}
		for i, m := range it.Metrics {
			cs := 1
			if i == n-1 {
				cs = 4 - n
			}
			row = append(row, b.amount(it.Key, m, cs))
		}
		add(row...)
	}
	return t
}

// amount writes a section 二 value; the 2019 procurement amount carries
// its unit, in 元 or 万元.
func (b *builder) amount(item string, m gongkai.Metric, cs int) *tcell {
	v := b.rep.Active[item][m.Key]
	c := b.val(v, cs)
	if m.Key == "amount_yuan" && v.Valid() {
		if b.r.IntN(2) == 0 && v.Sign() != 0 {
			c.text = b.num(gongkai.FromMicros(v.Micros()/10000)) + "万元"
			if v.Micros()%10000 != 0 { // not exact in 万元: keep 元
				c.text = b.num(v) + "元"
			}
		} else {
			c.text = b.num(v) + "元"
		}
	}
	return c
}

func (b *builder) requestTable() *table {
	l := b.rep.Layout()
	t := &table{width: 3 + gongkai.NumColumns, strays: map[[2]int]string{}}
	add := func(cells ...*tcell) { t.rows = append(t.rows, cells) }
	note := noteR1
	if b.st.seedBreaks {
		note = strings.Replace(noteR1, "之和，", "之和，\n", 1)
	}
	add(span(note, 3, 3), span(headApplicant, 1, gongkai.NumColumns))
	cols := l.Columns
	add(span(b.header(cols[0].Label), 2, 1), span(gongkai.ApplicantGroupLabel, 1, 5), span(b.header(cols[len(cols)-1].Label), 2, 1))
	var mid []*tcell
	for _, c := range cols[1 : len(cols)-1] {
		text := b.header(c.Label)
		if b.st.applicantBreaks && len([]rune(text)) == 4 {
			rs := []rune(text)
			text = string(rs[:2]) + "\n" + string(rs[2:])
		}
		mid = append(mid, lbl(text))
	}
	add(mid...)

	results := ""
	nResults := 0
	groupSize := map[string]int{}
	var printed []gongkai.Row
	for _, row := range l.Rows {
		if !row.Unprinted {
			printed = append(printed, row)
		}
	}
	for _, row := range printed {
		if row.Group != "" {
			if results == "" {
				results = row.Group
			}
			nResults++
			groupSize[row.Group]++
		}
	}
	// With RepeatedHeading the results cell restarts at the first row of
	// （四）无法提供 (the group of row 3_4_1).
	split := -1
	if r41, ok := l.Row("3_4_1"); ok && b.st.noise.RepeatedHeading {
		for i, row := range printed {
			if row.Group == r41.Group {
				split = i
				break
			}
		}
	}
	firstResultRow, resultIdx := -1, 0
	for i, row := range printed {
		vals := rep(b, row.Key)
		var cells []*tcell
		if row.Group != "" {
			switch {
			case firstResultRow < 0 && split > 0:
				firstResultRow = len(t.rows)
				cells = append(cells, span(b.label(results), split-i, 1))
			case firstResultRow < 0:
				firstResultRow = len(t.rows)
				cells = append(cells, span(b.label(results), nResults, 1))
			case i == split:
				cells = append(cells, span(b.label(results), nResults-resultIdx, 1))
			}
			resultIdx++
		}
		switch {
		case row.Group == "":
			cells = append(cells, span(b.label(row.Label), 1, 3))
		case row.Group == results:
			cells = append(cells, span(b.label(row.Label), 1, 2))
		default:
			if groupSize[row.Group] > 0 {
				cells = append(cells, span(b.label(row.Group), groupSize[row.Group], 1))
				groupSize[row.Group] = -groupSize[row.Group] // emitted
			}
			cells = append(cells, lbl(b.label(row.Label)))
		}
		cells = append(cells, vals...)
		add(cells...)
	}
	if b.st.strays {
		// Word's text export leaves a few values in the empty rows of the
		// merged 三、本年度办理结果 cell (the seed has three).
		for range 3 {
			ri := firstResultRow + 1 + b.r.IntN(nResults-1)
			t.strays[[2]int{ri, 0}] = "0"
		}
	}
	return t
}

func rep(b *builder, key string) []*tcell {
	vals := b.rep.Applications[key]
	out := make([]*tcell, gongkai.NumColumns)
	for i := range out {
		out[i] = b.val(vals[i], 1)
	}
	return out
}

func (b *builder) reviewTable() *table {
	l := b.rep.Layout()
	nc := len(l.ReviewColumns)
	t := &table{width: nc * len(l.ReviewBlocks)}
	add := func(cells ...*tcell) { t.rows = append(t.rows, cells) }
	// Block labels are "行政复议", "行政诉讼·未经复议直接起诉", ...: the part
	// before "·" heads the litigation blocks together.
	first, _, _ := strings.Cut(l.ReviewBlocks[0].Label, "·")
	lit, _, _ := strings.Cut(l.ReviewBlocks[1].Label, "·")
	add(span(b.label(first), 1, nc), span(lit, 1, nc*(len(l.ReviewBlocks)-1)))
	var row []*tcell
	for _, c := range l.ReviewColumns {
		row = append(row, span(b.breakReview(b.header(c.Label)), 2, 1))
	}
	for _, blk := range l.ReviewBlocks[1:] {
		_, sub, _ := strings.Cut(blk.Label, "·")
		row = append(row, span(sub, 1, nc))
	}
	add(row...)
	row = nil
	for range l.ReviewBlocks[1:] {
		for _, c := range l.ReviewColumns {
			row = append(row, lbl(b.breakReview(b.header(c.Label))))
		}
	}
	add(row...)
	row = nil
	for _, blk := range l.ReviewBlocks {
		for _, c := range l.ReviewColumns {
			row = append(row, b.val(b.rep.ReviewLitigation[blk.Key][c.Key], 1))
		}
	}
	add(row...)
	return t
}

// breakReview splits some section 四 headers over two lines, as Word's
// narrow columns do (结果\n维持, 尚未\n审结).
func (b *builder) breakReview(s string) string {
	if !b.st.seedBreaks && !b.st.applicantBreaks {
		return s
	}
	rs := []rune(s)
	if len(rs) >= 4 && b.r.IntN(2) == 0 {
		return string(rs[:2]) + "\n" + string(rs[2:])
	}
	if len(rs) == 2 && b.r.IntN(4) == 0 {
		return string(rs[:1]) + "\n" + string(rs[1:])
	}
	return s
}
