package gen

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gongkai"
)

// state is what links one body's reports across years.
type state struct {
	haveFwd bool
	fwd     [gongkai.NumColumns - 1]int64 // last year's 结转下年度, per applicant column
	// 2021 layout: 现行有效件数 per document item.
	have2021 bool
	inForce  map[string]int64
	// 2019 layout: next year's 上一年项目数量 per item, and 对外公开总数量.
	have2019 bool
	prev19   map[string]int64
	total19  map[string]int64
}

func newState() *state {
	return &state{inForce: map[string]int64{}, prev19: map[string]int64{}, total19: map[string]int64{}}
}

// versionOf is the layout a report year uses.
func versionOf(year int) gongkai.Version {
	if year <= 2020 {
		return gongkai.V2019
	}
	return gongkai.V2021
}

func poisson(r *rand.Rand, lambda float64) int64 {
	if lambda <= 0 {
		return 0
	}
	if lambda < 30 {
		l := math.Exp(-lambda)
		k, p := int64(0), 1.0
		for {
			p *= r.Float64()
			if p <= l {
				return k
			}
			k++
		}
	}
	v := math.Round(lambda + math.Sqrt(lambda)*r.NormFloat64())
	if v < 0 {
		return 0
	}
	return int64(v)
}

func binomial(r *rand.Rand, n int64, p float64) int64 {
	var k int64
	for i := int64(0); i < n; i++ {
		if r.Float64() < p {
			k++
		}
	}
	return k
}

// pick returns an index drawn with the given weights.
func pick(r *rand.Rand, w []float64) int {
	var sum float64
	for _, x := range w {
		sum += x
	}
	x := r.Float64() * sum
	for i, v := range w {
		if x < v {
			return i
		}
		x -= v
	}
	return len(w) - 1
}

// Applicant mix of requests: natural persons dominate.
var colWeights = []float64{85, 9, 0.8, 1, 2.5, 1.7}

// outcomeWeight is how often a request ends in each outcome row.
var outcomeWeight = map[string]float64{
	"3_1_disclosed": 40, "3_2_partially": 10,
	"3_3_1": 0.3, "3_3_2": 0.5, "3_3_3": 0.5, "3_3_4": 2, "3_3_5": 1, "3_3_6": 2, "3_3_7": 1, "3_3_8": 1.5,
	"3_4_1": 20, "3_4_2": 3, "3_4_3": 3,
	"3_5_1": 2, "3_5_2": 2, "3_5_3": 0.5, "3_5_4": 0.5, "3_5_5": 0.5,
	"3_6_1": 3, "3_6_2": 0.3, "3_6_3": 2, "3_6": 5,
}

// genReport makes one body's clean report for one year (R1–R5 hold, and
// the links to last year's report in st hold); st moves on to this year.
//
// single prints a 2021 report's （六）其他处理 as one row (Options.SingleOther).
func genReport(r *rand.Rand, b body, year int, st *state, single bool) *gongkai.Report {
	v := versionOf(year)
	rep := gongkai.NewReport(v)
	rep.UseSingleOther(single)
	rep.Organization = b.org
	rep.ReportYear = year
	rep.PublishedOn = fmt.Sprintf("%04d-%02d-%02d", year+1, 1+r.IntN(3), 1+r.IntN(28))
	mult := 0.7 + 0.6*r.Float64()
	genApplications(r, b.profile, rep, st, mult)
	genReview(r, b.profile, rep, mult)
	if v == gongkai.V2021 {
		genActive2021(r, b.profile, rep, st, mult)
	} else {
		genActive2019(r, b.profile, rep, st, mult)
	}
	disclosed := poisson(r, b.profile.disclosed*mult) + 5
	rep.Narrative[NarrDisclosed] = gongkai.Int(disclosed)
	rep.Narrative[NarrWechat] = gongkai.Int(int64(float64(disclosed) * (0.3 + 0.4*r.Float64())))
	return rep
}

// Narrative keys the generator writes: the seed's 政府信息532条 and
// 微信公众号发布消息357条, and 共收到政府信息公开申请N件 (= 1_new.total, R8).
const (
	NarrDisclosed = "disclosed_items"
	NarrWechat    = "wechat_posts"
	NarrRequests  = "requests_received"
)

func genApplications(r *rand.Rand, p profile, rep *gongkai.Report, st *state, mult float64) {
	l := rep.Layout()
	var n int64
	if p.sparse {
		if r.Float64() < 0.3 {
			n = 1 + poisson(r, 0.8)
		}
	} else {
		n = poisson(r, p.requests*mult)
	}
	var newCols, over, fwd [gongkai.NumColumns - 1]int64
	for i := int64(0); i < n; i++ {
		newCols[pick(r, colWeights)]++
	}
	if st.haveFwd {
		over = st.fwd
	} else {
		for c := range over {
			over[c] = poisson(r, float64(newCols[c])*p.fwdRate)
		}
	}
	var outcomes []string
	var weights []float64
	for _, row := range l.Rows {
		if row.Outcome {
			outcomes = append(outcomes, row.Key)
			weights = append(weights, outcomeWeight[row.Key])
		}
	}
	counts := map[string]*[gongkai.NumColumns - 1]int64{}
	for _, k := range outcomes {
		counts[k] = &[gongkai.NumColumns - 1]int64{}
	}
	var handled [gongkai.NumColumns - 1]int64
	for c := range newCols {
		avail := newCols[c] + over[c]
		fwd[c] = binomial(r, avail, p.fwdRate)
		handled[c] = avail - fwd[c]
		for i := int64(0); i < handled[c]; i++ {
			counts[outcomes[pick(r, weights)]][c]++
		}
	}
	set := func(key string, vals [gongkai.NumColumns - 1]int64) {
		var tot int64
		row := rep.Applications[key]
		for c, x := range vals {
			row[c] = gongkai.Int(x)
			tot += x
		}
		row[gongkai.NumColumns-1] = gongkai.Int(tot)
	}
	set(gongkai.RowNew, newCols)
	set(gongkai.RowCarriedOver, over)
	for _, k := range outcomes {
		set(k, *counts[k])
	}
	set(gongkai.RowTotal, handled)
	set(gongkai.RowCarriedForward, fwd)
	st.fwd, st.haveFwd = fwd, true
}

var reviewWeights = []float64{55, 12, 18, 15} // upheld, corrected, other, pending

func genReview(r *rand.Rand, p profile, rep *gongkai.Report, mult float64) {
	l := rep.Layout()
	means := map[string]float64{
		gongkai.ReviewBlockReview: p.review, gongkai.ReviewBlockDirect: p.direct, gongkai.ReviewBlockAfter: p.after,
	}
	for _, blk := range l.ReviewBlocks {
		n := poisson(r, means[blk.Key]*mult)
		parts := make([]int64, len(l.ReviewColumns)-1)
		for i := int64(0); i < n; i++ {
			parts[pick(r, reviewWeights)]++
		}
		m := rep.ReviewLitigation[blk.Key]
		for i, c := range l.ReviewColumns {
			if c.Key == gongkai.ReviewTotal {
				m[c.Key] = gongkai.Int(n)
			} else {
				m[c.Key] = gongkai.Int(parts[i])
			}
		}
	}
}

func genActive2021(r *rand.Rand, p profile, rep *gongkai.Report, st *state, mult float64) {
	a := rep.Active
	a["regulations"]["issued"] = gongkai.Int(0)
	a["regulations"]["repealed"] = gongkai.Int(0)
	a["regulations"]["in_force"] = gongkai.Int(0)
	base := st.inForce["normative_documents"]
	if !st.have2021 {
		base = poisson(r, p.normBase)
	}
	issued := poisson(r, p.normIssued*mult)
	repealed := min(poisson(r, p.normIssued*0.5), base+issued)
	inForce := base + issued - repealed
	a["normative_documents"]["issued"] = gongkai.Int(issued)
	a["normative_documents"]["repealed"] = gongkai.Int(repealed)
	a["normative_documents"]["in_force"] = gongkai.Int(inForce)
	st.inForce["normative_documents"] = inForce
	st.have2021 = true
	a["licensing"]["decisions"] = gongkai.Int(poisson(r, p.licensing*mult))
	a["punishment"]["decisions"] = gongkai.Int(poisson(r, p.punishment*mult))
	a["enforcement"]["decisions"] = gongkai.Int(poisson(r, p.enforcement*mult))
	a["fees"]["amount_10k_yuan"] = money(r, p.fees*mult, 4)
}

// money draws an amount around mean with the given fraction digits; 0 when
// mean is 0.
func money(r *rand.Rand, mean float64, digits int) gongkai.Num {
	if mean <= 0 {
		return gongkai.Int(0)
	}
	unit := int64(math.Pow10(gongkai.Scale - digits))
	x := mean * (0.5 + r.Float64()) * math.Pow10(digits)
	return gongkai.FromMicros(int64(x) * unit)
}

func genActive2019(r *rand.Rand, p profile, rep *gongkai.Report, st *state, mult float64) {
	a := rep.Active
	for _, m := range []string{"new_made", "new_published", "total_published"} {
		a["regulations"][m] = gongkai.Int(0)
	}
	made := poisson(r, p.normIssued*mult)
	published := made
	if made > 0 && r.Float64() < 0.2 {
		published--
	}
	total := st.total19["normative_documents"]
	if !st.have2019 {
		total = poisson(r, p.normBase)
	}
	total += published
	st.total19["normative_documents"] = total
	a["normative_documents"]["new_made"] = gongkai.Int(made)
	a["normative_documents"]["new_published"] = gongkai.Int(published)
	a["normative_documents"]["total_published"] = gongkai.Int(total)

	decisions := map[string]float64{
		"licensing": p.licensing, "other_services": p.licensing * 0.3,
		"punishment": p.punishment, "enforcement": p.enforcement,
	}
	itemScale := map[string]float64{
		"licensing": p.items, "other_services": p.items * 0.3, "punishment": p.items * 3,
		"enforcement": p.items * 0.5, "fees": p.items * 0.2,
	}
	for _, item := range []string{"licensing", "other_services", "punishment", "enforcement", "fees"} {
		prev := st.prev19[item]
		if !st.have2019 {
			prev = poisson(r, itemScale[item])
		}
		change := int64(r.IntN(9)) - 3
		if prev+change < 0 {
			change = -prev
		}
		a[item]["prev_year_items"] = gongkai.Int(prev)
		a[item]["change"] = gongkai.Int(change)
		if item != "fees" {
			a[item]["decisions"] = gongkai.Int(poisson(r, decisions[item]*mult))
		}
		st.prev19[item] = prev + change
	}
	st.have2019 = true
	projects := poisson(r, p.procurement*mult)
	a["procurement"]["projects"] = gongkai.Int(projects)
	if projects == 0 {
		a["procurement"]["amount_yuan"] = gongkai.Int(0)
	} else {
		a["procurement"]["amount_yuan"] = money(r, float64(projects)*150000, 2)
	}
}
