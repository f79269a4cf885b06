package ingest

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"gongkai"
)

func gluedKinds(ks ...gongkai.Kind) []gongkai.Kind { return ks }

func gluedRepeat(k gongkai.Kind, n int) []gongkai.Kind {
	out := make([]gongkai.Kind, n)
	for i := range out {
		out[i] = k
	}
	return out
}

var (
	gluedSpecRow7     = gluedSpec{Kinds: gluedRepeat(gongkai.Count, 7), SumGroups: [][2]int{{0, 7}}}
	gluedSpecReview15 = gluedSpec{Kinds: gluedRepeat(gongkai.Count, 15), SumGroups: [][2]int{{0, 5}, {5, 10}, {10, 15}}}
	gluedSpecThree    = gluedSpec{Kinds: gluedRepeat(gongkai.Count, 3)}
	gluedSpecItems    = gluedSpec{Kinds: gluedKinds(gongkai.Count, gongkai.Signed, gongkai.Count)}
	gluedSpecFees19   = gluedSpec{Kinds: gluedKinds(gongkai.Count, gongkai.Signed)}
	gluedSpecProcure  = gluedSpec{Kinds: gluedKinds(gongkai.Count, gongkai.Money)}
	gluedSpecOneMoney = gluedSpec{Kinds: gluedKinds(gongkai.Money)}
	gluedSpecOneCount = gluedSpec{Kinds: gluedKinds(gongkai.Count)}
)

func gluedJoin(s gluedSplit) string { return strings.Join(s.Texts, "|") }

// TestGluedSplitRun checks readings worked out by hand: each want lists
// every reading, in the order the enumeration finds them (shorter first
// cells first).
func TestGluedSplitRun(t *testing.T) {
	tests := []struct {
		name string
		run  string
		spec gluedSpec
		want []string // every reading; nil = none
		n    int      // when want is not spelled out: the number of readings
		must string   // a reading that must be among them
	}{
		{name: "zeros for three counts", run: "000", spec: gluedSpecThree, want: []string{"0|0|0"}},
		{name: "one digit each", run: "123", spec: gluedSpecThree, want: []string{"1|2|3"}},
		{name: "three counts ambiguous", run: "77132470", spec: gluedSpecThree, n: 21, must: "77|132|470"},
		// 1|0|05 and 1|00|5 start a cell with 0; 100|5 has two cells.
		{name: "leading zeros refused", run: "1005", spec: gluedSpecThree, want: []string{"10|0|5"}},
		{name: "R2 unique", run: "7000007", spec: gluedSpecRow7, want: []string{"7|0|0|0|0|0|7"}},
		{name: "R2 two digit counts", run: "1000001", spec: gluedSpecRow7, want: []string{"1|0|0|0|0|0|1"}},
		{name: "R2 two readings", run: "220000325", spec: gluedSpecRow7,
			want: []string{"2|20|0|0|0|3|25", "22|0|0|0|0|3|25"}},
		{name: "R2 breaks", run: "1000002", spec: gluedSpecRow7, want: nil},
		{name: "spaces are boundaries", run: "230 000023", spec: gluedSpecRow7, want: []string{"23|0|0|0|0|0|23"}},
		{name: "spaces everywhere", run: "23 0 00 0 023", spec: gluedSpecRow7, want: []string{"23|0|0|0|0|0|23"}},
		{name: "stray space before total", run: "500000 5", spec: gluedSpecRow7, want: []string{"5|0|0|0|0|0|5"}},
		{name: "space inside row", run: "200 000121", spec: gluedSpecRow7, want: []string{"20|0|0|0|0|1|21"}},
		{name: "R4 fifteen single digits", run: "110024001510102", spec: gluedSpecReview15,
			want: []string{"1|1|0|0|2|4|0|0|1|5|1|0|1|0|2"}},
		{name: "R4 fifteen zeros", run: "000000000000000", spec: gluedSpecReview15,
			want: []string{"0|0|0|0|0|0|0|0|0|0|0|0|0|0|0"}},
		{name: "R4 seventeen digits", run: "10203120001200000", spec: gluedSpecReview15,
			want: []string{"1|0|2|0|3|12|0|0|0|12|0|0|0|0|0"}},
		{name: "signed change", run: "2648-18538", spec: gluedSpecItems,
			want: []string{"2648|-1|8538", "2648|-18|538", "2648|-185|38", "2648|-1853|8"}},
		{name: "signed two cells", run: "35-15", spec: gluedSpecFees19, want: []string{"35|-15"}},
		{name: "sign only on signed cell", run: "35-15", spec: gluedSpec{Kinds: gluedKinds(gongkai.Count, gongkai.Count)}, want: nil},
		{name: "fees 2019 ambiguous", run: "350", spec: gluedSpecFees19, want: []string{"3|50", "35|0"}},
		{name: "money with yuan", run: "13575394432.52元", spec: gluedSpecProcure, n: 10, must: "135|75394432.52元"},
		{name: "one money cell", run: "24252.311082", spec: gluedSpecOneMoney, want: []string{"24252.311082"}},
		{name: "one count cell", run: "2293 ", spec: gluedSpecOneCount, want: []string{"2293"}},
		{name: "point in a count", run: "12.5", spec: gluedSpecOneCount, want: nil},
		{name: "thousands separator", run: "1,234", spec: gluedSpecOneCount, want: []string{"1,234"}},
		{name: "bad thousands separator", run: "1,23", spec: gluedSpecOneCount, want: nil},
		{name: "too short", run: "1234", spec: gluedSpecRow7, want: nil},
		{name: "trailing point", run: "0000000.", spec: gluedSpecRow7, want: nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := splitGluedRun(tc.run, tc.spec)
			if err != nil {
				t.Fatalf("splitGluedRun(%q): %v", tc.run, err)
			}
			var texts []string
			for _, s := range got {
				texts = append(texts, gluedJoin(s))
			}
			if tc.must != "" {
				if len(got) != tc.n {
					t.Errorf("splitGluedRun(%q): %d readings, want %d: %v", tc.run, len(got), tc.n, texts)
				}
				if !slices.Contains(texts, tc.must) {
					t.Errorf("splitGluedRun(%q): %q missing from %v", tc.run, tc.must, texts)
				}
				return
			}
			slices.Sort(texts)
			want := slices.Clone(tc.want)
			slices.Sort(want)
			if !slices.Equal(texts, want) {
				t.Errorf("splitGluedRun(%q) = %v, want %v", tc.run, texts, want)
			}
		})
	}
}

func TestGluedSplitValues(t *testing.T) {
	got, err := splitGluedRun("35-15", gluedSpecFees19)
	if err != nil || len(got) != 1 {
		t.Fatalf("splitGluedRun: %v %v", got, err)
	}
	if got[0].Vals[0] != gongkai.Int(35) || got[0].Vals[1] != gongkai.Int(-15) {
		t.Errorf("values %v", got[0].Vals)
	}
	got, err = splitGluedRun("12.5万元", gluedSpecOneMoney)
	if err != nil || len(got) != 1 {
		t.Fatalf("splitGluedRun 万元: %v %v", got, err)
	}
	if got[0].Vals[0] != gongkai.Int(125000) || got[0].Texts[0] != "12.5万元" {
		t.Errorf("12.5万元 read as %v %q, want 125000 yuan", got[0].Vals[0], got[0].Texts[0])
	}
	got, err = splitGluedRun("1,234", gluedSpecOneCount)
	if err != nil || len(got) != 1 || got[0].Vals[0] != gongkai.Int(1234) {
		t.Errorf("1,234: %v %v", got, err)
	}
}

// A row of four-digit counts: the enumeration must finish and find the
// printed reading among the ones that satisfy R2.
func TestGluedSplitLongRow(t *testing.T) {
	got, err := splitGluedRun("1234567890123452247", gluedSpecRow7) // 1234 567 89 0 12 345 | 2247
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range got {
		if gluedJoin(s) == "1234|567|89|0|12|345|2247" {
			found = true
		}
		sum := gongkai.Int(0)
		for _, v := range s.Vals[:6] {
			sum = sum.Add(v)
		}
		if sum != s.Vals[6] {
			t.Errorf("reading %s breaks R2", gluedJoin(s))
		}
	}
	if !found {
		t.Errorf("printed reading missing from %d readings", len(got))
	}
}

// The enumeration is bounded: a run with astronomically many cuts stops
// with errGluedTooLong instead of running on.
func TestGluedSplitBudget(t *testing.T) {
	run := strings.Repeat("1", 150)
	spec := gluedSpec{Kinds: gluedRepeat(gongkai.Count, 15)}
	if _, err := splitGluedRun(run, spec); !errors.Is(err, errGluedTooLong) {
		t.Errorf("150 digits into 15 free counts: error %v, want errGluedTooLong", err)
	}
	budget := 10
	if _, err := enumerateGluedBudget("77132470", gluedSpecThree, false, gluedMaxSplits, &budget); !errors.Is(err, errGluedTooLong) {
		t.Errorf("a spent document budget must stop the enumeration, got %v", err)
	}
}

func TestGluedSplitErrors(t *testing.T) {
	tests := []struct {
		name string
		run  string
		spec gluedSpec
		want error
	}{
		{"letters", "12a4", gluedSpecThree, errGluedChars},
		{"unit after count", "12元", gluedSpecOneCount, errGluedChars},
		{"too long", strings.Repeat("1", gluedMaxRun+1), gluedSpecRow7, errGluedTooLong},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := splitGluedRun(tc.run, tc.spec)
			if !errors.Is(err, tc.want) {
				t.Errorf("splitGluedRun(%q) error %v, want %v", tc.run, err, tc.want)
			}
		})
	}
}

// A run whose shape alone fixes the cells is read that way even when the
// numbers break R2; the rule check then reports the break.
func TestGluedPlainSplitsIgnoreRules(t *testing.T) {
	got, err := plainGluedSplits("1000002", gluedSpecRow7, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || gluedJoin(got[0]) != "1|0|0|0|0|0|2" {
		t.Errorf("plain readings of 1000002: %v", got)
	}
	got, err = plainGluedSplits("77132470", gluedSpecThree, 2)
	if err != nil || len(got) != 2 {
		t.Errorf("plain readings of 77132470 stop at the limit 2: %d %v", len(got), err)
	}
}

func TestGluedSettleCells(t *testing.T) {
	splits, err := splitGluedRun("220000325", gluedSpecRow7)
	if err != nil {
		t.Fatal(err)
	}
	vals, _, amb := settleGluedCells(splits, 7)
	if !slices.Equal(amb, []int{0, 1}) {
		t.Errorf("ambiguous cells %v, want [0 1]", amb)
	}
	want := []gongkai.Num{gongkai.Null, gongkai.Null, gongkai.Int(0), gongkai.Int(0), gongkai.Int(0), gongkai.Int(3), gongkai.Int(25)}
	if !slices.Equal(vals, want) {
		t.Errorf("settled %v, want %v", vals, want)
	}
	splits, _ = splitGluedRun("2648-18538", gluedSpecItems)
	vals, _, amb = settleGluedCells(splits, 3)
	if !slices.Equal(amb, []int{1, 2}) || vals[0] != gongkai.Int(2648) {
		t.Errorf("2648-18538 settled %v ambiguous %v, want 2648 kept and cells 1,2 null", vals, amb)
	}
	vals, _, amb = settleGluedCells(nil, 3)
	if len(amb) != 3 || vals[0].Valid() {
		t.Errorf("no readings: %v %v", vals, amb)
	}
}

// FuzzSplitRun: any run, any cell count: no panic, bounded time, and every
// reading returned is a true cut of the run that obeys its spec.
func FuzzSplitRun(f *testing.F) {
	for _, s := range []string{"77132470", "2648-18538", "230 000023", "13575394432.52元", "10203120001200000",
		"1,234", "-0", "0.5万元", strings.Repeat("9", 40)} {
		f.Add(s, uint8(7), uint8(1))
		f.Add(s, uint8(3), uint8(2))
		f.Add(s, uint8(15), uint8(3))
	}
	f.Fuzz(func(t *testing.T, run string, cells, mode uint8) {
		n := int(cells%16) + 1
		spec := gluedSpec{Kinds: gluedRepeat(gongkai.Count, n)}
		switch mode % 4 {
		case 1:
			spec.SumGroups = [][2]int{{0, n}}
			if n < 2 {
				spec.SumGroups = nil
			}
		case 2:
			spec.Kinds[0] = gongkai.Signed
			spec.Kinds[n-1] = gongkai.Money
		case 3:
			if n == 15 {
				spec.SumGroups = [][2]int{{0, 5}, {5, 10}, {10, 15}}
			}
		}
		got, err := splitGluedRun(run, spec)
		if err != nil {
			return
		}
		body, unit := gluedCutUnit(strings.TrimSpace(run))
		want := strings.Join(strings.Fields(body), "")
		for _, s := range got {
			if len(s.Texts) != n || len(s.Vals) != n {
				t.Fatalf("reading %v has the wrong width", s.Texts)
			}
			cat := strings.TrimSuffix(strings.Join(s.Texts, ""), unit)
			if cat != want {
				t.Fatalf("reading %v does not rebuild run %q", s.Texts, run)
			}
			for _, g := range spec.SumGroups {
				sum := gongkai.Int(0)
				for i := g[0]; i < g[1]-1; i++ {
					sum = sum.Add(s.Vals[i])
				}
				if sum != s.Vals[g[1]-1] {
					t.Fatalf("reading %v breaks sum group %v", s.Texts, g)
				}
			}
		}
	})
}
