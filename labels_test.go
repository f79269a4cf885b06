package gongkai

import "testing"

// The labels are checked against the printed form (FORMAT.md §3), not
// against the code that builds them.
func TestColumnLabel(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"requests_new", "一、本年新收政府信息公开申请数量"},
		{"carried_over", "二、上年结转政府信息公开申请数量"},
		{"outcome_1", "（一）予以公开"},
		{"disclosed", "（一）予以公开"},
		{"outcome_2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"},
		{"outcome_3", "（三）不予公开"},
		{"outcome_4", "（四）无法提供"},
		{"outcome_5", "（五）不予处理"},
		{"outcome_6", "（六）其他处理"},
		{"outcome_7", "（七）总计"},
		{"handled", "（七）总计"},
		{"carried_forward", "四、结转下年度继续办理"},
		{"review_upheld", "行政复议·结果维持"},
		{"review_total", "行政复议·总计"},
		{"litigation_direct_pending", "行政诉讼·未经复议直接起诉·尚未审结"},
		{"litigation_after_review_corrected", "行政诉讼·复议后起诉·结果纠正"},
		{"litigation_other", "行政诉讼·其他结果"},
		{"licensing", "行政许可·本年处理决定数量"},
		{"punishment", "行政处罚·本年处理决定数量"},
	} {
		if got, ok := ColumnLabel(tc.key); !ok || got != tc.want {
			t.Errorf("ColumnLabel(%q) = %q, %v; want %q", tc.key, got, ok, tc.want)
		}
	}
	for _, key := range []string{"organization", "year", "reports", "disclosure_rate", "rank_requests", ""} {
		if got, ok := ColumnLabel(key); ok {
			t.Errorf("ColumnLabel(%q) = %q: no official label expected", key, got)
		}
	}
}
