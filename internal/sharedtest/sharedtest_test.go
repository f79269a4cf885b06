package sharedtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mkfile(t *testing.T, p string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFind(t *testing.T) {
	t.Setenv(EnvVar, "")
	base := t.TempDir()
	// base/a/repo is a checkout; a test runs in its package folder pkg/.
	mkfile(t, filepath.Join(base, "a", "repo", "go.mod"))
	pkg := filepath.Join(base, "a", "repo", "pkg")
	if err := os.MkdirAll(pkg, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(pkg)

	// Nothing beside it: an error naming where it looked.
	if _, err := find(); err == nil || !strings.Contains(err.Error(), filepath.Join(base, "a", "shared")) {
		t.Errorf("no shared folder: error %v, want one naming %s", err, filepath.Join(base, "a", "shared"))
	}
	// A "shared" folder without FORMAT.md is not the team's folder.
	if err := os.MkdirAll(filepath.Join(base, "a", "shared"), 0o755); err != nil {
		t.Fatal(err)
	}
	if d, err := find(); err == nil {
		t.Errorf("a shared folder without FORMAT.md was taken: %s", d)
	}
	// One level further up (a worktree under a folder of worktrees).
	mkfile(t, filepath.Join(base, "shared", "FORMAT.md"))
	if d, err := find(); err != nil || d != filepath.Join(base, "shared") {
		t.Errorf("find = %q, %v; want %s", d, err, filepath.Join(base, "shared"))
	}
	// Right beside the checkout wins over one further up.
	mkfile(t, filepath.Join(base, "a", "shared", "FORMAT.md"))
	if d, err := find(); err != nil || d != filepath.Join(base, "a", "shared") {
		t.Errorf("find = %q, %v; want %s", d, err, filepath.Join(base, "a", "shared"))
	}
	// The environment variable wins over both; a wrong one is an error.
	mkfile(t, filepath.Join(base, "elsewhere", "FORMAT.md"))
	t.Setenv(EnvVar, filepath.Join(base, "elsewhere"))
	if d, err := find(); err != nil || d != filepath.Join(base, "elsewhere") {
		t.Errorf("find = %q, %v; want %s", d, err, filepath.Join(base, "elsewhere"))
	}
	t.Setenv(EnvVar, filepath.Join(base, "nowhere"))
	if _, err := find(); err == nil || !strings.Contains(err.Error(), EnvVar) {
		t.Errorf("a wrong %s: error %v", EnvVar, err)
	}
}
