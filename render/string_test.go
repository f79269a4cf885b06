package render

import (
	"encoding/json"
	"testing"
)

// appendString's fast path must write what encoding/json writes.
func TestAppendStringAsEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "abc", "威海市文登区", "a\"b", `a\b`, "<a>&", "tab\there", "line\n", "\x00", "\u2028", "\u2029x",
		"bad \xff utf8", "emoji 😀", "\x7f", "—（一）予以公开"} {
		want, _ := json.Marshal(s)
		if got := string(appendString(nil, s)); got != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"abc", "威海市", "a\"b<", "\xff", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := string(appendString(nil, s)); got != string(want) {
			t.Errorf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}
