package gongkai

import "fmt"

// Version names the national layout a report follows. The layout, not the
// report year, decides which rows and columns exist: a 2020 report usually
// uses the 2019 layout.
type Version string

const (
	// V2021 is 国办公开办函〔2021〕30号, used from the 2021 reports on.
	V2021 Version = "2021"
	// V2019 is the trial layout of 国办公开办函〔2019〕60号 (2019 and 2020).
	V2019 Version = "2019"
)

// Versions lists the supported layouts, newest first.
var Versions = []Version{V2021, V2019}

// ParseVersion accepts "2021" or "2019".
func ParseVersion(s string) (Version, error) {
	switch Version(s) {
	case V2021, V2019:
		return Version(s), nil
	}
	return "", fmt.Errorf("unknown format version %q (want 2021 or 2019)", s)
}

// Kind says what a cell may hold, which R5 checks.
type Kind int

const (
	// Count is a non-negative integer.
	Count Kind = iota
	// Signed is an integer that may be negative (2019's 本年增/减).
	Signed
	// Money is a non-negative decimal amount.
	Money
)

func (k Kind) String() string {
	switch k {
	case Signed:
		return "signed"
	case Money:
		return "money"
	}
	return "count"
}

// Metric is one column of a section 二 item.
type Metric struct {
	Key   string
	Label string
	Kind  Kind
}

// ActiveItem is one row of section 二 (主动公开): an item of 条例第二十条 and
// the metrics the layout asks for it.
type ActiveItem struct {
	Key     string
	Label   string
	Block   string // 第二十条第（一）项 ...
	Metrics []Metric
}

// Column is one of the seven applicant columns of section 三.
type Column struct {
	Key   string
	Label string
}

// Row is one row of section 三.
type Row struct {
	Key   string
	Label string // the official label, with its numbering
	// Group is the heading the row sits under ("三、本年度办理结果",
	// "（三）不予公开"...), empty for top-level rows.
	Group string
	// Outcome is true for the leaf rows that R3 sums into 3_7_total.
	Outcome bool
	// Unprinted marks a row the record keeps, always null, although the
	// printing it was read from has no such row: 3_6_1…3_6_3 of a 2021
	// report printed with a single （六）其他处理 row (FORMAT.md §3). R2 and
	// the readers' "row not found" findings leave such rows alone.
	Unprinted bool
}

// ReviewBlock is one block of section 四.
type ReviewBlock struct {
	Key   string
	Label string
}

// Layout is everything a version fixes: the cells that exist and their
// official labels. Readers, rules, the store and the generator all work
// from it, so a cell has one key and one label everywhere.
type Layout struct {
	Version       Version
	Active        []ActiveItem
	Rows          []Row
	Columns       []Column
	ReviewBlocks  []ReviewBlock
	ReviewColumns []Column
	// SingleOther is set on the 2021 layout as printed with a single
	// （六）其他处理 row instead of its three sub-rows: row 3_6 holds that
	// row's values and is the outcome R3 and the rollups use, 3_6_1…3_6_3
	// are kept null (Unprinted). See LayoutSingleOther.
	SingleOther    bool
	rowIndex       map[string]int
	activeIndex    map[string]int
	reviewBlockIdx map[string]int
}

// Applicant column keys, in table order. ColTotal is the last.
const (
	ColNaturalPerson = "natural_person"
	ColCommercial    = "commercial"
	ColResearch      = "research"
	ColSocialWelfare = "social_welfare"
	ColLegalServices = "legal_services"
	ColOther         = "other"
	ColTotal         = "total"
)

// NumColumns is the width of every section 三 row.
const NumColumns = 7

// Section 三 row keys that the rules and rollups name.
const (
	RowNew            = "1_new"
	RowCarriedOver    = "2_carried_over"
	RowTotal          = "3_7_total"
	RowCarriedForward = "4_carried_forward"
	// RowOtherHandled is （六）其他处理 as one row: the 2019 layout's, and a
	// 2021 report's printed without its sub-rows (Layout.SingleOther).
	RowOtherHandled    = "3_6"
	ReviewTotal        = "total"
	ReviewBlockReview  = "review"
	ReviewBlockDirect  = "litigation_direct"
	ReviewBlockAfter   = "litigation_after_review"
	OutcomeGroupPrefix = "3_"
)

var columns = []Column{
	{ColNaturalPerson, "自然人"},
	{ColCommercial, "商业企业"},
	{ColResearch, "科研机构"},
	{ColSocialWelfare, "社会公益组织"},
	{ColLegalServices, "法律服务机构"},
	{ColOther, "其他"},
	{ColTotal, "总计"},
}

// ApplicantGroupLabel heads the five middle columns; it has no column of its own.
const ApplicantGroupLabel = "法人或其他组织"

// Official headings of the annual report's three tables (the sections'
// titles as the form prints them), its section 三 header over the seven
// applicant columns, and the note on R1 the form prints in its corner.
const (
	HeadingActive       = "二、主动公开政府信息情况"
	HeadingApplications = "三、收到和处理政府信息公开申请情况"
	HeadingReview       = "四、政府信息公开行政复议、行政诉讼情况"
	ApplicantsLabel     = "申请人情况"
	R1Note              = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
)

var reviewBlocks = []ReviewBlock{
	{ReviewBlockReview, "行政复议"},
	{ReviewBlockDirect, "行政诉讼·未经复议直接起诉"},
	{ReviewBlockAfter, "行政诉讼·复议后起诉"},
}

var reviewColumns = []Column{
	{"upheld", "结果维持"},
	{"corrected", "结果纠正"},
	{"other", "其他结果"},
	{"pending", "尚未审结"},
	{"total", "总计"},
}

const (
	groupResults   = "三、本年度办理结果"
	groupWithheld  = "（三）不予公开"
	groupNoInfo    = "（四）无法提供"
	groupNotHandle = "（五）不予处理"
	groupOther     = "（六）其他处理"
)

// rowSingleOther is （六）其他处理 printed as one row.
var rowSingleOther = Row{Key: RowOtherHandled, Label: "（六）其他处理", Group: groupResults, Outcome: true}

func rows(v Version, singleOther bool) []Row {
	r := []Row{
		{Key: RowNew, Label: "一、本年新收政府信息公开申请数量"},
		{Key: RowCarriedOver, Label: "二、上年结转政府信息公开申请数量"},
		{Key: "3_1_disclosed", Label: "（一）予以公开", Group: groupResults, Outcome: true},
		{Key: "3_2_partially", Label: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", Group: groupResults, Outcome: true},
		{Key: "3_3_1", Label: "1.属于国家秘密", Group: groupWithheld, Outcome: true},
		{Key: "3_3_2", Label: "2.其他法律行政法规禁止公开", Group: groupWithheld, Outcome: true},
		{Key: "3_3_3", Label: "3.危及“三安全一稳定”", Group: groupWithheld, Outcome: true},
		{Key: "3_3_4", Label: "4.保护第三方合法权益", Group: groupWithheld, Outcome: true},
		{Key: "3_3_5", Label: "5.属于三类内部事务信息", Group: groupWithheld, Outcome: true},
		{Key: "3_3_6", Label: "6.属于四类过程性信息", Group: groupWithheld, Outcome: true},
		{Key: "3_3_7", Label: "7.属于行政执法案卷", Group: groupWithheld, Outcome: true},
		{Key: "3_3_8", Label: "8.属于行政查询事项", Group: groupWithheld, Outcome: true},
		{Key: "3_4_1", Label: "1.本机关不掌握相关政府信息", Group: groupNoInfo, Outcome: true},
		{Key: "3_4_2", Label: "2.没有现成信息需要另行制作", Group: groupNoInfo, Outcome: true},
		{Key: "3_4_3", Label: "3.补正后申请内容仍不明确", Group: groupNoInfo, Outcome: true},
		{Key: "3_5_1", Label: "1.信访举报投诉类申请", Group: groupNotHandle, Outcome: true},
		{Key: "3_5_2", Label: "2.重复申请", Group: groupNotHandle, Outcome: true},
		{Key: "3_5_3", Label: "3.要求提供公开出版物", Group: groupNotHandle, Outcome: true},
		{Key: "3_5_4", Label: "4.无正当理由大量反复申请", Group: groupNotHandle, Outcome: true},
		{Key: "3_5_5", Label: "5.要求行政机关确认或重新出具已获取信息", Group: groupNotHandle, Outcome: true},
	}
	sub := []Row{
		{Key: "3_6_1", Label: "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", Group: groupOther, Outcome: true},
		{Key: "3_6_2", Label: "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", Group: groupOther, Outcome: true},
		{Key: "3_6_3", Label: "3.其他", Group: groupOther, Outcome: true},
	}
	switch {
	case v == V2019:
		r = append(r, rowSingleOther)
	case singleOther:
		// The single row stands where the group heading stands; the
		// sub-rows stay in the record, null and out of R3.
		r = append(r, rowSingleOther)
		for _, s := range sub {
			s.Outcome, s.Unprinted = false, true
			r = append(r, s)
		}
	default:
		r = append(r, sub...)
	}
	return append(r,
		Row{Key: RowTotal, Label: "（七）总计", Group: groupResults},
		Row{Key: RowCarriedForward, Label: "四、结转下年度继续办理"},
	)
}

var (
	m2021Doc = []Metric{
		{"issued", "本年制发件数", Count},
		{"repealed", "本年废止件数", Count},
		{"in_force", "现行有效件数", Count},
	}
	m2021Decisions = []Metric{{"decisions", "本年处理决定数量", Count}}
	m2019Doc       = []Metric{
		{"new_made", "本年新制作数量", Count},
		{"new_published", "本年新公开数量", Count},
		{"total_published", "对外公开总数量", Count},
	}
	m2019Items = []Metric{
		{"prev_year_items", "上一年项目数量", Count},
		{"change", "本年增/减", Signed},
		{"decisions", "处理决定数量", Count},
	}
)

const (
	block1 = "第二十条第（一）项"
	block5 = "第二十条第（五）项"
	block6 = "第二十条第（六）项"
	block8 = "第二十条第（八）项"
	block9 = "第二十条第（九）项"
)

func active(v Version) []ActiveItem {
	if v == V2019 {
		return []ActiveItem{
			{"regulations", "规章", block1, m2019Doc},
			{"normative_documents", "规范性文件", block1, m2019Doc},
			{"licensing", "行政许可", block5, m2019Items},
			{"other_services", "其他对外管理服务事项", block5, m2019Items},
			{"punishment", "行政处罚", block6, m2019Items},
			{"enforcement", "行政强制", block6, m2019Items},
			{"fees", "行政事业性收费", block8, m2019Items[:2]},
			{"procurement", "政府集中采购", block9, []Metric{
				{"projects", "采购项目数量", Count},
				{"amount_yuan", "采购总金额", Money},
			}},
		}
	}
	return []ActiveItem{
		{"regulations", "规章", block1, m2021Doc},
		{"normative_documents", "行政规范性文件", block1, m2021Doc},
		{"licensing", "行政许可", block5, m2021Decisions},
		{"punishment", "行政处罚", block6, m2021Decisions},
		{"enforcement", "行政强制", block6, m2021Decisions},
		{"fees", "行政事业性收费", block8, []Metric{{"amount_10k_yuan", "本年收费金额（单位：万元）", Money}}},
	}
}

var (
	layouts     = map[Version]*Layout{}
	singleOther *Layout
)

func newLayout(v Version, single bool) *Layout {
	l := &Layout{
		Version:        v,
		Active:         active(v),
		Rows:           rows(v, single),
		Columns:        columns,
		ReviewBlocks:   reviewBlocks,
		ReviewColumns:  reviewColumns,
		SingleOther:    single,
		rowIndex:       map[string]int{},
		activeIndex:    map[string]int{},
		reviewBlockIdx: map[string]int{},
	}
	for i, r := range l.Rows {
		l.rowIndex[r.Key] = i
	}
	for i, a := range l.Active {
		l.activeIndex[a.Key] = i
	}
	for i, b := range l.ReviewBlocks {
		l.reviewBlockIdx[b.Key] = i
	}
	return l
}

func init() {
	for _, v := range Versions {
		layouts[v] = newLayout(v, false)
	}
	singleOther = newLayout(V2021, true)
}

// LayoutOf returns the layout of v, or nil for an unknown version.
func LayoutOf(v Version) *Layout { return layouts[v] }

// LayoutSingleOther returns the 2021 layout as some real reports print it:
// （六）其他处理 as one row (3_6) without its three sub-rows, which stay in
// the record as null. A report of this printing has Report.SingleOther set.
func LayoutSingleOther() *Layout { return singleOther }

// AllRows lists every row a report of this version can hold, in table
// order: for 2021 the single （六） row 3_6 too, before its sub-rows. Labels
// and orders kept outside the record (the store's cell_labels) use it.
func (l *Layout) AllRows() []Row {
	if l.Version == V2021 {
		return singleOther.Rows
	}
	return l.Rows
}

// Row returns the row with key k, and false when the layout has none.
func (l *Layout) Row(k string) (Row, bool) {
	i, ok := l.rowIndex[k]
	if !ok {
		return Row{}, false
	}
	return l.Rows[i], true
}

// ActiveItem returns the section 二 item with key k.
func (l *Layout) ActiveItem(k string) (ActiveItem, bool) {
	i, ok := l.activeIndex[k]
	if !ok {
		return ActiveItem{}, false
	}
	return l.Active[i], true
}

// ReviewBlock returns the section 四 block with key k.
func (l *Layout) ReviewBlock(k string) (ReviewBlock, bool) {
	i, ok := l.reviewBlockIdx[k]
	if !ok {
		return ReviewBlock{}, false
	}
	return l.ReviewBlocks[i], true
}

// ActiveCells counts the cells of section 二 (10 in 2021, 22 in 2019).
func (l *Layout) ActiveCells() int {
	n := 0
	for _, a := range l.Active {
		n += len(a.Metrics)
	}
	return n
}

// ColumnIndex returns the position of an applicant column key, or -1.
func ColumnIndex(key string) int {
	for i, c := range columns {
		if c.Key == key {
			return i
		}
	}
	return -1
}
