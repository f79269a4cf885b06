package ingest

import (
	"regexp"
	"testing"
)

// FuzzIsDecimal holds the hand-written decimal check to the regular
// expression it replaced.
func FuzzIsDecimal(f *testing.F) {
	re := regexp.MustCompile(`^[-+]?\d+(\.\d+)?$`)
	for _, s := range []string{"", "0", "-12", "+3.5", "1.", ".5", "1.2.3", "--1", "+", "12a", "١٢", "007", "3.14159", "-0.0", " 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := isDecimal(s), re.MatchString(s); got != want {
			t.Errorf("isDecimal(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}
