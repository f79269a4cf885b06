package cli

import (
	"bytes"
	"context"
	"gongkai/msg"
	"strings"
	"testing"
)

// TestCommandList checks the one explicit command list: every entry is
// complete and named once, 'gongkai --help' lists them in the list's order,
// and each answers 'gongkai NAME --help' and 'gongkai help NAME' with its
// own usage.
func TestCommandList(t *testing.T) {
	seen := map[string]bool{}
	for i, c := range commands {
		if c == nil || c.name == "" || c.summary == "" || c.usage == "" || c.run == nil {
			t.Fatalf("commands[%d] is incomplete: %+v", i, c)
		}
		if seen[c.name] {
			t.Errorf("command %q listed twice", c.name)
		}
		seen[c.name] = true
		if i > 0 && commands[i-1].name >= c.name {
			t.Errorf("commands out of alphabetical order: %q before %q", commands[i-1].name, c.name)
		}
	}

	var out, errb bytes.Buffer
	if code := Run(context.Background(), []string{"--help"}, &Env{Stdout: &out, Stderr: &errb}); code != 0 {
		t.Fatalf("--help: exit %d, stderr %s", code, errb.String())
	}
	var listed []string
	for _, line := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(line); strings.HasPrefix(line, "  ") && len(f) > 1 && seen[f[0]] {
			listed = append(listed, f[0])
		}
	}
	if len(listed) != len(commands) {
		t.Fatalf("--help lists %v, want all %d commands", listed, len(commands))
	}
	for i, c := range commands {
		if listed[i] != c.name {
			t.Errorf("--help line %d names %q, want %q", i, listed[i], c.name)
		}
	}

	for _, c := range commands {
		for _, args := range [][]string{{c.name, "--help"}, {"help", c.name}} {
			out.Reset()
			errb.Reset()
			if code := Run(context.Background(), args, &Env{Stdout: &out, Stderr: &errb}); code != 0 {
				t.Errorf("%v: exit %d, stderr %s", args, code, errb.String())
			}
			if !strings.HasPrefix(out.String(), strings.TrimRight(msg.T(msg.EN, c.usage, nil), "\n")) {
				t.Errorf("%v: output does not start with the command's usage:\n%.200s", args, out.String())
			}
		}
	}

	out.Reset()
	errb.Reset()
	if code := Run(context.Background(), []string{"nosuch"}, &Env{Stdout: &out, Stderr: &errb}); code != 2 || !strings.Contains(errb.String(), `unknown command "nosuch"`) {
		t.Errorf("unknown command: exit %d, stderr %q", code, errb.String())
	}
}
