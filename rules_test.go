package gongkai

import (
	"encoding/json"
	"strings"
	"testing"
)

// balanced returns a 2021 report whose numbers satisfy R1–R5: 10 new
// requests from natural persons and 2 from companies, 3 carried over;
// 7 disclosed, 2 partially, 1 不掌握, 1 重复申请; 4 carried forward.
func balanced() *Report {
	r := NewReport(V2021)
	zero := func(row string) {
		for i := range r.Applications[row] {
			r.Applications[row][i] = Int(0)
		}
	}
	for _, row := range r.Layout().Rows {
		zero(row.Key)
	}
	set := func(row string, natural, commercial int64) {
		a := r.Applications[row]
		a[0], a[1], a[6] = Int(natural), Int(commercial), Int(natural+commercial)
	}
	set(RowNew, 10, 2)
	set(RowCarriedOver, 3, 0)
	set("3_1_disclosed", 6, 1)
	set("3_2_partially", 2, 0)
	set("3_4_1", 1, 0)
	set("3_5_2", 0, 1)
	set(RowTotal, 9, 2)
	set(RowCarriedForward, 4, 0)
	for _, b := range r.Layout().ReviewBlocks {
		for _, c := range r.Layout().ReviewColumns {
			r.ReviewLitigation[b.Key][c.Key] = Int(0)
		}
	}
	rv := r.ReviewLitigation[ReviewBlockReview]
	rv["upheld"], rv["corrected"], rv["pending"], rv["total"] = Int(2), Int(1), Int(1), Int(4)
	for _, a := range r.Layout().Active {
		for _, m := range a.Metrics {
			r.Active[a.Key][m.Key] = Int(0)
		}
	}
	r.Active["fees"]["amount_10k_yuan"] = FromMicros(1_500_000) // 1.5 万元
	return r
}

func findingsOf(fs []Finding, rule string, status Status) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Rule == rule && f.Status == status {
			out = append(out, f)
		}
	}
	return out
}

func TestRules(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(r *Report)
		rule   string
		status Status
		where  string // one of the finding's paths
	}{
		{"R1 fails when a column does not balance", func(r *Report) {
			// one more natural-person request, counted in R2 and R3 but not carried
			r.Applications[RowNew][0], r.Applications[RowNew][6] = Int(11), Int(13)
		}, R1, Failed, "applications.1_new.natural_person"},
		{"R1 not checkable with a null operand", func(r *Report) {
			r.Applications[RowCarriedForward][1] = Null
		}, R1, NotCheckable, "applications.4_carried_forward.commercial"},
		{"R2 fails when a row total differs from its six columns", func(r *Report) {
			r.Applications["3_1_disclosed"][5] = Int(1) // 其他 without total change
		}, R2, Failed, "applications.3_1_disclosed"},
		{"R2 not checkable with a null column", func(r *Report) {
			r.Applications["3_3_4"][2] = Null
		}, R2, NotCheckable, "applications.3_3_4"},
		{"R3 fails when outcomes do not add up to （七）总计", func(r *Report) {
			r.Applications["3_6_3"][0], r.Applications["3_6_3"][6] = Int(1), Int(1)
		}, R3, Failed, "applications.3_*.natural_person"},
		{"R3 not checkable with a null outcome", func(r *Report) {
			r.Applications["3_3_1"][6] = Null
		}, R3, NotCheckable, "applications.3_*.total"},
		{"R4 fails when a block total is wrong", func(r *Report) {
			r.ReviewLitigation[ReviewBlockDirect]["total"] = Int(1)
		}, R4, Failed, "review_litigation.litigation_direct"},
		{"R4 not checkable with a null result", func(r *Report) {
			r.ReviewLitigation[ReviewBlockAfter]["pending"] = Null
		}, R4, NotCheckable, "review_litigation.litigation_after_review"},
		{"R5 fails on a negative count", func(r *Report) {
			r.Active["licensing"]["decisions"] = Int(-3)
		}, R5, Failed, "active.licensing.decisions"},
		{"R5 fails on a fractional count", func(r *Report) {
			r.Active["punishment"]["decisions"] = FromMicros(2_500_000)
		}, R5, Failed, "active.punishment.decisions"},
		{"R5 fails on negative money", func(r *Report) {
			r.Active["fees"]["amount_10k_yuan"] = FromMicros(-1)
		}, R5, Failed, "active.fees.amount_10k_yuan"},
		// What can still be checked with a blank: counts are never
		// negative, so a total is at least the sum of its known parts.
		{"R2 fails when the total is below its known columns though one is blank", func(r *Report) {
			r.Applications["3_1_disclosed"][2] = Null   // 科研机构 blank
			r.Applications["3_1_disclosed"][6] = Int(5) // 总计 typed below 6 + 1
		}, R2, Failed, "applications.3_1_disclosed"},
		{"R2 stays not checkable when the known columns fit under the total", func(r *Report) {
			r.Applications["3_1_disclosed"][2] = Null
			r.Applications["3_1_disclosed"][6] = Int(9) // 6 + 1 ≤ 9: the blank may hold 2
		}, R2, NotCheckable, "applications.3_1_disclosed"},
		{"R3 fails when （七）总计 is below the stated outcomes though one is blank", func(r *Report) {
			r.Applications["3_3_1"][0] = Null
			r.Applications[RowTotal][0] = Int(8) // outcomes stated: 6 + 2 + 1 = 9
		}, R3, Failed, "applications.3_*.natural_person"},
		{"R4 fails when a block total is below its known results though one is blank", func(r *Report) {
			r.ReviewLitigation[ReviewBlockReview]["other"] = Null
			r.ReviewLitigation[ReviewBlockReview]["total"] = Int(3) // 2 + 1 + 1 stated
		}, R4, Failed, "review_litigation.review"},
		{"R1 fails when the known side exceeds the whole other side", func(r *Report) {
			r.Applications[RowCarriedForward][0] = Null
			r.Applications[RowTotal][0], r.Applications[RowTotal][6] = Int(14), Int(16) // 14 > 10 + 3
			r.Applications["3_1_disclosed"][0], r.Applications["3_1_disclosed"][6] = Int(11), Int(12)
		}, R1, Failed, "applications.4_carried_forward.natural_person"},
		{"R8 fails when the prose states another number of requests", func(r *Report) {
			r.Narrative[NarrRequestsReceived] = Int(13) // the table says 12
		}, R8, Failed, "narrative.requests_received"},
		{"R8 not checkable when the cell is blank", func(r *Report) {
			r.Narrative[NarrRequestsReceived] = Int(12)
			r.Applications[RowNew][6] = Null
		}, R8, NotCheckable, "applications.1_new.total"},
	}
	if fs := Check(balanced()); len(fs) != 0 {
		t.Fatalf("balanced report has findings: %v", fs)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := balanced()
			tt.mutate(r)
			got := findingsOf(Check(r), tt.rule, tt.status)
			if len(got) == 0 {
				t.Fatalf("no %s %s finding; all: %v", tt.rule, tt.status, Check(r))
			}
			found := false
			for _, f := range got {
				for _, p := range f.Where {
					found = found || p == tt.where
				}
			}
			if !found {
				t.Errorf("%s findings do not name %s: %v", tt.rule, tt.where, got)
			}
			// A not-checkable rule is never also failed on the same cells.
			if tt.status == NotCheckable {
				for _, f := range findingsOf(Check(r), tt.rule, Failed) {
					t.Errorf("rule both not checkable and failed: %v", f)
				}
			}
		})
	}
}

// 2019 reports have a signed 本年增/减 and a single （六）其他处理 row.
func TestRules2019SignedChangeAndSingleOtherRow(t *testing.T) {
	r := NewReport(V2019)
	for _, c := range r.Cells() {
		if err := r.Set(c.Path(), Int(0)); err != nil {
			t.Fatal(err)
		}
	}
	r.Active["punishment"]["change"] = Int(-18)
	a := r.Applications
	a[RowNew][0], a[RowNew][6] = Int(5), Int(5)
	a["3_6"][0], a["3_6"][6] = Int(5), Int(5)
	a[RowTotal][0], a[RowTotal][6] = Int(5), Int(5)
	if fs := Check(r); len(fs) != 0 {
		t.Fatalf("want no findings, got %v", fs)
	}
	r.Active["fees"]["prev_year_items"] = Int(-1)
	if got := findingsOf(Check(r), R5, Failed); len(got) != 1 {
		t.Fatalf("want one R5 failure for a negative count, got %v", got)
	}
}

func TestLayoutSizes(t *testing.T) {
	for _, tt := range []struct {
		v              Version
		active, rows   int
		review, labels int
	}{
		{V2021, 10, 25, 15, 0},
		{V2019, 22, 23, 15, 0},
	} {
		l := LayoutOf(tt.v)
		if l.ActiveCells() != tt.active || len(l.Rows) != tt.rows || len(l.ReviewBlocks)*len(l.ReviewColumns) != tt.review {
			t.Errorf("%s: active %d rows %d review %d", tt.v, l.ActiveCells(), len(l.Rows), len(l.ReviewBlocks)*len(l.ReviewColumns))
		}
		if got := len(NewReport(tt.v).Cells()); got != tt.active+tt.rows*NumColumns+tt.review {
			t.Errorf("%s: %d cells", tt.v, got)
		}
	}
}

// A 2021 report printed with a single （六）其他处理 row (FORMAT.md §3): R3
// adds 3_6 and not the sub-rows, which are null and not reported by R2.
func TestSingleOtherRow2021(t *testing.T) {
	r := balanced()
	r.UseSingleOther(true)
	if !r.Layout().SingleOther || r.Applications[RowOtherHandled] == nil {
		t.Fatal("UseSingleOther did not switch the layout")
	}
	for _, k := range []string{"3_6_1", "3_6_2", "3_6_3"} {
		r.Applications[k] = &[NumColumns]Num{}
	}
	for i := range r.Applications[RowOtherHandled] {
		r.Applications[RowOtherHandled][i] = Int(0)
	}
	if fs := Check(r); len(fs) != 0 {
		t.Fatalf("want no findings, got %v", fs)
	}
	// Two requests ended under （六）: the total grows by them.
	r.Applications[RowOtherHandled][0], r.Applications[RowOtherHandled][6] = Int(2), Int(2)
	if got := findingsOf(Check(r), R3, Failed); len(got) != 2 {
		t.Fatalf("want R3 failed on natural_person and total, got %v", Check(r))
	}
	r.Applications[RowTotal][0], r.Applications[RowTotal][6] = Int(11), Int(13)
	r.Applications[RowCarriedForward][0], r.Applications[RowCarriedForward][6] = Int(2), Int(2)
	if fs := Check(r); len(fs) != 0 {
		t.Fatalf("want no findings once （七）总计 counts 3_6, got %v", fs)
	}
	// The record says it by carrying 3_6, and reads back the same.
	js, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"3_6":[2,0,0,0,0,0,2]`) || !strings.Contains(string(js), `"3_6_1":[null,null,null,null,null,null,null]`) {
		t.Fatalf("record lacks 3_6 or the null sub-rows: %s", js)
	}
	var back Report
	if err := json.Unmarshal(js, &back); err != nil {
		t.Fatal(err)
	}
	if !back.SingleOther || back.Applications[RowOtherHandled][6] != Int(2) {
		t.Fatalf("read back: single %v, 3_6 %v", back.SingleOther, back.Applications[RowOtherHandled])
	}
	if got := len(back.Cells()); got != 10+26*NumColumns+15 {
		t.Errorf("single-（六） report has %d cells, want %d", got, 10+26*NumColumns+15)
	}
	// A plain 2021 record has no 3_6.
	plain, _ := json.Marshal(balanced())
	if strings.Contains(string(plain), `"3_6"`) {
		t.Errorf("plain 2021 record carries 3_6: %s", plain)
	}
}
