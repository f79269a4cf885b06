package gongkai

import "testing"

func TestDivisionParam(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"371003", "371003"},
		{" 371003\t", "371003"},
		{"\u3000371000\u3000", "371000"},
		{"３７１０", "3710"},
		{"37１0", "3710"},
		{"文登区", "文登区"},
		{" 威海市文登区 ", "威海市文登区"},
		{"12345热线", "12345热线"},
		{"１２３４５热线", "１２３４５热线"}, // a name: kept as given
		{"", ""},
		{"   ", ""},
	} {
		if got := DivisionParam(c.in); got != c.want {
			t.Errorf("DivisionParam(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
