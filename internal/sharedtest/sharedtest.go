// Package sharedtest locates the team's shared material (real published
// reports with hand-read truth, the seed report) for the tests that read
// it. The material is not part of the repository — its text is not ours to
// copy — so a plain clone has none of it: such tests skip with a message
// that says where the folder was looked for, and everything else the
// tests need lives under testdata/.
//
// The folder is found, in order:
//   - at $GONGKAI_SHARED, when set (a missing folder there fails the test:
//     the user asked for it);
//   - as "shared" beside the repository root (../shared from the checkout,
//     as CI has it), or beside one of the root's parent folders (a git
//     worktree one level further down still finds it).
//
// A folder counts only when it holds FORMAT.md, so an unrelated "shared"
// folder is never taken for it.
package sharedtest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// EnvVar names the environment variable that points at the shared folder.
const EnvVar = "GONGKAI_SHARED"

// Seed is the seed report (Word converted to text) under the shared folder.
var Seed = []string{"seeds", "000_f5b8ed62166f75c7.txt"}

var (
	once     sync.Once
	foundDir string
	findErr  error
)

// Find returns the shared folder, or an error saying where it was looked
// for. It never skips or fails a test; Dir and Path do.
func Find() (string, error) {
	once.Do(func() { foundDir, findErr = find() })
	return foundDir, findErr
}

func find() (string, error) {
	if d := os.Getenv(EnvVar); d != "" {
		if isShared(d) {
			return filepath.Abs(d)
		}
		return "", fmt.Errorf("%s=%s holds no FORMAT.md", EnvVar, d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	root, err := moduleRoot(wd)
	if err != nil {
		return "", err
	}
	var tried []string
	for dir := filepath.Dir(root); ; dir = filepath.Dir(dir) {
		cand := filepath.Join(dir, "shared")
		if isShared(cand) {
			return cand, nil
		}
		tried = append(tried, cand)
		if filepath.Dir(dir) == dir {
			break
		}
	}
	return "", fmt.Errorf("no shared folder (with FORMAT.md) beside the checkout %s; looked at %v; set %s to use one elsewhere",
		root, tried, EnvVar)
}

// moduleRoot is the nearest folder at or above dir holding go.mod.
func moduleRoot(dir string) (string, error) {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("no go.mod above " + dir)
		}
	}
}

func isShared(dir string) bool {
	fi, err := os.Stat(filepath.Join(dir, "FORMAT.md"))
	return err == nil && fi.Mode().IsRegular()
}

// Dir returns the shared folder, or skips t with a message naming where it
// was looked for. With $GONGKAI_SHARED set to a folder that is not there, t
// fails instead.
func Dir(t testing.TB) string {
	t.Helper()
	d, err := Find()
	if err != nil {
		if os.Getenv(EnvVar) != "" {
			t.Fatalf("shared folder: %v", err)
		}
		t.Skipf("skipped: this test reads the real reports in ../shared, absent here: %v", err)
	}
	return d
}

// Path returns the path of parts under the shared folder (Path(t, "corpus",
// "raw", "001.txt")), skipping t as Dir does when the folder is absent. A
// file missing from a folder that is present fails t: the test's input has
// moved, which must not pass unseen.
func Path(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{Dir(t)}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("shared folder present but %v", err)
	}
	return p
}
