package cli

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"
)

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"--version"}, {"-V"}, {"version"}} {
		var out, errb bytes.Buffer
		code := Run(context.Background(), args, &Env{Stdout: &out, Stderr: &errb})
		if code != 0 {
			t.Fatalf("%v: exit %d, stderr %s", args, code, errb.String())
		}
		got := out.String()
		if !strings.HasPrefix(got, "gongkai ") {
			t.Errorf("%v: first line %q", args, strings.SplitN(got, "\n", 2)[0])
		}
		for _, want := range []string{"go: " + runtime.Version(), runtime.GOOS + "/" + runtime.GOARCH, "duckdb: v1.5.6"} {
			if !strings.Contains(got, want) {
				t.Errorf("%v: no %q in\n%s", args, want, got)
			}
		}
	}
}
