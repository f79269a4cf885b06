package store

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai"
)

// TestReportRoundTrip stores two reports and reads one back: every cell,
// the narrative, the division, the findings and the provenance are those
// that were put, and an unknown id is ErrNotFound.
func TestReportRoundTrip(t *testing.T) {
	s, _ := openTemp(t)
	in := sample("威海市文登区泽库镇人民政府", 2023, gongkai.V2021, 5)
	other := sample("威海市文登区教育和体育局", 2023, gongkai.V2019, 9)
	other.Report.Body = gongkai.Body{Province: "山东省", City: "威海市", County: "文登区", DivisionCode: "371003", Type: "county_department"}
	put(t, s, in, other)

	id := scalar(t, s, `SELECT report_id FROM reports WHERE organization = '威海市文登区泽库镇人民政府'`).(int64)
	got, err := s.Report(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := in.Report
	for _, c := range want.Cells() {
		g, _ := got.Report.Get(c.Path())
		if g != c.Value {
			t.Errorf("%s = %v, want %v", c.Path(), g, c.Value)
		}
	}
	if got.Report.Organization != want.Organization || got.Report.ReportYear != 2023 || got.Report.PublishedOn != "2024-01-22" {
		t.Errorf("head = %q %d %q", got.Report.Organization, got.Report.ReportYear, got.Report.PublishedOn)
	}
	if diff := cmp.Diff(want.Body, got.Report.Body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if n := got.Report.Narrative["disclosed_items"]; n != gongkai.Int(537) {
		t.Errorf("narrative disclosed_items = %v, want 537", n)
	}
	if p := got.Report.Provenance["applications.1_new.total"]; p != (gongkai.Source{Loc: "line 212", Raw: "１２"}) {
		t.Errorf("provenance of applications.1_new.total = %+v", p)
	}
	wantF := []StoredFinding{{want.Findings[0], "report"}}
	if diff := cmp.Diff(wantF, got.Findings); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if len(got.Report.Findings) != 1 || got.SourcePath != in.Path || got.Rendering != "word_text" ||
		got.ContentHash != in.Hash || got.IngestedAt.IsZero() {
		t.Errorf("source = %q %q %q %v, %d findings in the record", got.SourcePath, got.Rendering, got.ContentHash, got.IngestedAt, len(got.Report.Findings))
	}

	if _, err := s.Report(t.Context(), 9999); !errors.Is(err, gongkai.ErrNotFound) {
		t.Errorf("Report(9999) = %v, want ErrNotFound", err)
	}

	// Townships are counted under their county unless listed whole.
	for _, tt := range []struct {
		within string
		want   []Coverage
	}{
		{"", []Coverage{{DivisionCode: "371003", Year: 2023, Reports: 2}}},
		{"371003", []Coverage{{DivisionCode: "371003", Year: 2023, Reports: 1}, {DivisionCode: "371003104", Year: 2023, Reports: 1}}},
		{"3710", []Coverage{{DivisionCode: "371003", Year: 2023, Reports: 1}, {DivisionCode: "371003104", Year: 2023, Reports: 1}}},
		{"440000", []Coverage{{DivisionCode: "371003", Year: 2023, Reports: 2}}},
	} {
		cov, err := s.Coverage(t.Context(), tt.within)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, cov); diff != "" {
			t.Errorf("coverage within %q (-want +got):\n%s", tt.within, diff)
		}
	}
}
