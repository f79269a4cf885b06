package gen

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Real reports state who wrote them and which year they cover in many
// ways (FORMAT.md §9). An IdentityStyle picks one way per report, so a
// reader can be tested on every title form, signature and metadata source
// rather than on the one the renderings print by default. The zero style
// changes nothing: every rendering prints its own default, byte for byte.

// TitleForm is how the report's title is printed at the top of the text.
type TitleForm int

const (
	// TitleDefault: the rendering's own default.
	TitleDefault TitleForm = iota
	// TitleOrgYear: 泽库镇人民政府2023年政府信息公开工作年度报告.
	TitleOrgYear
	// TitleOrgYearDu: 泽库镇人民政府2023年度政府信息公开工作年度报告.
	TitleOrgYearDu
	// TitleYearOrg: 2023年泽库镇人民政府政府信息公开工作年度报告 (common for
	// city and provincial offices).
	TitleYearOrg
	// TitleGuanyu: 泽库镇人民政府关于2023年度政府信息公开工作的年度报告.
	TitleGuanyu
	// TitleTwoLines: 泽库镇人民政府 / 2023 年政府信息公开工作年度报告 (a
	// space before 年).
	TitleTwoLines
	// TitleTwoLinesGuanyu: 泽库镇人民政府 / 关于2023年度政府信息公开工作的年度报告.
	TitleTwoLinesGuanyu
	// TitleNone: no title in the text; the identity comes from elsewhere.
	TitleNone
	numTitleForms
)

var titleFormNames = []string{"default", "org_year", "org_year_du", "year_org", "guanyu", "two_lines", "two_lines_guanyu", "none"}

func (f TitleForm) String() string {
	if f >= 0 && int(f) < len(titleFormNames) {
		return titleFormNames[f]
	}
	return "title" + strconv.Itoa(int(f))
}

// SignatureForm is how the report is signed at its end.
type SignatureForm int

const (
	// SigDefault: the rendering's own default.
	SigDefault SignatureForm = iota
	// SigOrgDate: the organization, then 2024年1月22日 on the next line.
	SigOrgDate
	// SigOrgCNDate: the organization, then 二〇二四年一月二十二日.
	SigOrgCNDate
	// SigOneLine: the organization and the date on one line.
	SigOneLine
	// SigDateOnly: the date alone.
	SigDateOnly
	// SigNone: no signature.
	SigNone
	numSigForms
)

var sigFormNames = []string{"default", "org_date", "org_cn_date", "one_line", "date_only", "none"}

func (f SignatureForm) String() string {
	if f >= 0 && int(f) < len(sigFormNames) {
		return sigFormNames[f]
	}
	return "sig" + strconv.Itoa(int(f))
}

// BodyForm is how the body's prose names the organization and the year.
type BodyForm int

const (
	// BodyDefault: 结合2023年泽库镇人民政府政府信息公开工作实际, 统计期限自2023年1月1日,
	// 2023年，泽库镇人民政府认真贯彻落实…
	BodyDefault BodyForm = iota
	// BodyQuiet: 本机关, 本年度: the body names neither.
	BodyQuiet
	// BodyReportedBy: quiet, but 本报告由泽库镇人民政府编制 (the organization only).
	BodyReportedBy
	numBodyForms
)

// IdentityStyle says where and how a rendering states the report's
// organization and year.
type IdentityStyle struct {
	Title TitleForm
	// CNYear prints the title's year in Chinese numerals (二〇二三年).
	CNYear    bool
	Signature SignatureForm
	Body      BodyForm
	// Metadata puts the title and the organization (as author) in the DOCX
	// core properties, which LibreOffice carries into the PDF's
	// information dictionary.
	Metadata bool
}

// IsZero says whether the style changes nothing.
func (s IdentityStyle) IsZero() bool { return s == IdentityStyle{} }

func (s IdentityStyle) String() string {
	return fmt.Sprintf("title=%s cn_year=%v signature=%s body=%d metadata=%v", s.Title, s.CNYear, s.Signature, s.Body, s.Metadata)
}

// randomIdentity draws a style: every title form and signature, sometimes
// a quiet body, sometimes metadata. A report printed without a title still
// states its identity somewhere the reader can find: its signature, its
// body or its metadata.
func randomIdentity(r *rand.Rand) IdentityStyle {
	s := IdentityStyle{
		Title:     TitleForm(1 + r.IntN(int(numTitleForms)-1)),
		CNYear:    r.IntN(5) == 0,
		Signature: SignatureForm(1 + r.IntN(int(numSigForms)-1)),
		Body:      BodyForm(r.IntN(int(numBodyForms))),
		Metadata:  r.IntN(3) == 0,
	}
	if s.Title == TitleNone && s.Body != BodyDefault {
		// the signature must then name the organization, and its date give
		// the year (text renderings have no metadata)
		s.Signature = SignatureForm(1 + r.IntN(int(SigOneLine)))
	}
	return s
}

// cnYear writes a year in Chinese numerals: 2023 → 二〇二三.
func cnYear(y int) string {
	const digits = "〇一二三四五六七八九"
	d := []rune(digits)
	var b strings.Builder
	for _, c := range strconv.Itoa(y) {
		b.WriteRune(d[c-'0'])
	}
	return b.String()
}

// cnSmall writes 1–31 in Chinese numerals: 一, 十, 十二, 二十二, 三十一.
func cnSmall(n int) string {
	d := []rune("〇一二三四五六七八九")
	switch {
	case n < 10:
		return string(d[n])
	case n == 10:
		return "十"
	case n < 20:
		return "十" + string(d[n-10])
	case n%10 == 0:
		return string(d[n/10]) + "十"
	}
	return string(d[n/10]) + "十" + string(d[n%10])
}

// titleYear is the year as the title prints it.
func (d *document) titleYear() string {
	if d.id.CNYear {
		return cnYear(d.year)
	}
	return strconv.Itoa(d.year)
}

// headLines are the title lines at the top of the text; def is the
// rendering's own default, kept when the style sets no title form.
func (d *document) headLines(def ...string) []string {
	y := d.titleYear()
	switch d.id.Title {
	case TitleOrgYear:
		return []string{d.org + y + reportTitle}
	case TitleOrgYearDu:
		return []string{d.org + y + "年度政府信息公开工作年度报告"}
	case TitleYearOrg:
		return []string{y + "年" + d.org + "政府信息公开工作年度报告"}
	case TitleGuanyu:
		return []string{d.org + "关于" + y + "年度政府信息公开工作的年度报告"}
	case TitleTwoLines:
		return []string{d.org, y + " " + reportTitle}
	case TitleTwoLinesGuanyu:
		return []string{d.org, "关于" + y + "年度政府信息公开工作的年度报告"}
	case TitleNone:
		return nil
	}
	return def
}

// oneLineTitle is the title where a page or a file states it apart from
// the text (标题 line, <title>, metadata): the head lines on one line, or
// the plain form when the text prints none.
func (d *document) oneLineTitle() string {
	if d.id.Title == TitleNone || d.id.Title == TitleDefault {
		return d.org + d.title
	}
	return strings.Join(d.headLines(), "")
}

// sigLines are the signature lines at the end; def is the rendering's own.
func (d *document) sigLines(def ...string) []string {
	switch d.id.Signature {
	case SigOrgDate:
		return []string{d.org, d.published}
	case SigOrgCNDate:
		var y, m, day int
		fmt.Sscanf(d.publishedISO, "%d-%d-%d", &y, &m, &day)
		return []string{d.org, cnYear(y) + "年" + cnSmall(m) + "月" + cnSmall(day) + "日"}
	case SigOneLine:
		return []string{d.org + "　　" + d.published}
	case SigDateOnly:
		return []string{d.published}
	case SigNone:
		return nil
	}
	return def
}
