//go:build unix

package gen

import (
	"os/exec"
	"syscall"
)

// killProcessGroup makes a cancelled or timed-out LibreOffice run end with
// all its processes: soffice starts soffice.bin as a child, which killing
// soffice alone would leave running.
func killProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
