package query

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Isolation (Linux): a worker starts in a mount namespace of its own — in a
// user namespace too unless the parent runs as root — where it mounts a
// tiny private tmpfs, bind-mounts the store file onto it read-only as
// store.duckdb (and the store's write-ahead log, when there is one) and
// makes that tmpfs its root. DuckDB then attaches /store.duckdb: however it
// resolves the path, duckdb_databases(), PRAGMA database_list, the
// allowed_paths setting and every error name /store.duckdb, never a host
// path. The kernel also holds the store read-only and hides every other
// file from the worker, whatever DuckDB's own checks do.
//
// Namespaces are not always available (a container without
// CAP_SYS_ADMIN, a kernel with user namespaces off). Then the worker runs
// as before, attaching the store by its path, and scrubs the store's path
// from every answer and error instead (see scrubber).

// namespaceChoices are the ways to start an isolated worker, tried in
// order until one starts; the last is no isolation. Root tries a bare
// mount namespace first (it needs no user namespace), then both.
func namespaceChoices() []startChoice {
	var out []startChoice
	if os.Getenv(envNamespaces) != "off" {
		if os.Geteuid() == 0 {
			out = append(out, startChoice{&syscall.SysProcAttr{Cloneflags: syscall.CLONE_NEWNS}, true})
		}
		uid, gid := os.Geteuid(), os.Getegid()
		out = append(out, startChoice{&syscall.SysProcAttr{
			Cloneflags:                 syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS,
			UidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: uid, Size: 1}},
			GidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: gid, Size: 1}},
			GidMappingsEnableSetgroups: false,
		}, true})
	}
	out = append(out, startChoice{&syscall.SysProcAttr{}, false})
	for _, c := range out {
		c.attr.Pdeathsig = syscall.SIGKILL // a worker dies with its parent
	}
	return out
}

// isolate runs in a new worker that was started in its own mount
// namespace: it binds db read-only at NeutralPath inside a private root
// and enters it. It returns the path DuckDB should attach. On an error
// nothing is left half done that matters: the worker falls back to the
// host path and scrubbing (its namespace dies with it).
func isolate(db string) (path string, err error) {
	// The namespace's mounts are copies of the host's; make them private
	// first, so nothing mounted here propagates back to the host.
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		return "", fmt.Errorf("making the mounts private: %w", err)
	}
	// Open the files first: the tmpfs may hide the folder they are in.
	f, err := os.Open(db)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var wal *os.File
	if fi, err := os.Lstat(db + ".wal"); err == nil && fi.Mode().IsRegular() {
		if wal, err = os.Open(db + ".wal"); err != nil {
			return "", err
		}
		defer wal.Close()
	}
	// Any directory serves as the mount point; the tmpfs becomes the root.
	root := os.TempDir()
	if err := syscall.Mount("gongkai-sql-sandbox", root, "tmpfs", syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, "size=64k,mode=0755"); err != nil {
		return "", fmt.Errorf("mounting a private root: %w", err)
	}
	defer func() {
		if err != nil {
			// Uncover the folder again (the store may be in it): the
			// fallback attaches the store by its host path.
			syscall.Unmount(root, syscall.MNT_DETACH)
		}
	}()
	bind := func(src *os.File, name string) error {
		target := filepath.Join(root, name)
		if err := os.WriteFile(target, nil, 0o444); err != nil {
			return err
		}
		if err := syscall.Mount("/proc/self/fd/"+strconv.Itoa(int(src.Fd())), target, "", syscall.MS_BIND, ""); err != nil {
			return fmt.Errorf("binding the store: %w", err)
		}
		// A read-only remount must keep the flags the host mount has (in a
		// user namespace they are locked).
		var st syscall.Statfs_t
		if err := syscall.Fstatfs(int(src.Fd()), &st); err != nil {
			return err
		}
		keep := uintptr(st.Flags) & (syscall.MS_NOSUID | syscall.MS_NODEV | syscall.MS_NOEXEC | syscall.MS_NOATIME | syscall.MS_NODIRATIME | syscall.MS_RELATIME)
		if err := syscall.Mount("", target, "", syscall.MS_REMOUNT|syscall.MS_BIND|syscall.MS_RDONLY|keep, ""); err != nil {
			return fmt.Errorf("making the store read-only: %w", err)
		}
		return nil
	}
	if err := bind(f, filepath.Base(NeutralPath)); err != nil {
		return "", err
	}
	if wal != nil {
		if err := bind(wal, filepath.Base(NeutralPath)+".wal"); err != nil {
			return "", err
		}
	}
	if err := syscall.Mount("", root, "", syscall.MS_REMOUNT|syscall.MS_RDONLY|syscall.MS_NOSUID|syscall.MS_NODEV|syscall.MS_NOEXEC, ""); err != nil {
		return "", fmt.Errorf("making the private root read-only: %w", err)
	}
	if err := syscall.Chdir(root); err != nil {
		return "", err
	}
	if err := syscall.Chroot("."); err != nil {
		return "", fmt.Errorf("entering the private root: %w", err)
	}
	if err := syscall.Chdir("/"); err != nil {
		return "", err
	}
	if _, err := os.Stat(NeutralPath); err != nil {
		return "", errors.New("the store is not visible in the private root")
	}
	return NeutralPath, nil
}
