//go:build !unix

package gen

import "os/exec"

// killProcessGroup: elsewhere the default (kill the started process) is all
// exec offers.
func killProcessGroup(cmd *exec.Cmd) {}
