package gongkai

import (
	"encoding/json"
	"testing"
)

func TestParseNum(t *testing.T) {
	tests := []struct {
		in      string
		want    string
		wantErr bool
	}{
		{"0", "0", false},
		{"532", "532", false},
		{"-18", "-18", false},
		{"+7", "7", false},
		{"96171.6", "96171.6", false},
		{"73802895.90", "73802895.9", false},
		{"0.000001", "0.000001", false},
		{"0.0000001", "", true}, // more precision than a Num holds: refuse, never round
		{"", "", true},
		{"1,000", "", true}, // separators are the reader's job
		{"12a", "", true},
		{".5", "", true},
		{"5.", "", true},
		{"-", "", true},
		{"1234567890123", "", true},
	}
	for _, tt := range tests {
		got, err := ParseNum(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseNum(%q) error = %v, want error %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && got.String() != tt.want {
			t.Errorf("ParseNum(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestNumZeroIsNull(t *testing.T) {
	var n Num
	if n.Valid() || n.String() != "null" {
		t.Fatalf("zero Num must be null, got %v", n)
	}
	if n.Add(Int(1)).Valid() {
		t.Fatal("null + 1 must stay null")
	}
	b, _ := json.Marshal(struct{ A, B Num }{Null, Int(0)})
	if string(b) != `{"A":null,"B":0}` {
		t.Fatalf("got %s", b)
	}
}

func FuzzParseNum(f *testing.F) {
	for _, s := range []string{"0", "-18", "96171.6", "1.000001", "", "x", "99999999999.999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseNum(s)
		if err != nil {
			return
		}
		// Whatever parses must print back to a string that parses to the same value.
		back, err := ParseNum(n.String())
		if err != nil || back != n {
			t.Fatalf("%q → %s → %v (%v)", s, n, back, err)
		}
	})
}
