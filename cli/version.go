package cli

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"gongkai/store"
)

// version is the release version, set by scripts/release with
// -ldflags "-X gongkai/cli.version=v1.2.3"; empty in other builds, which
// then report the module version the Go toolchain stamped (a pseudo-version
// from the git checkout, "(devel)" without one).
var version = ""

// commit is the git commit of a release build, set like version; other
// builds report the one the toolchain stamped (vcs.revision), if any.
var commit = ""

var versionCmd = &command{
	name:    "version",
	run:     runVersion,
	summary: "help.version.summary",
	usage:   "help.version",
}

func runVersion(ctx context.Context, cmd *command, env *Env, args []string) error {
	fs := newFlags(cmd, env)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageError("unexpected argument %q", fs.Arg(0))
	}
	return writeVersion(ctx, env.Stdout)
}

// writeVersion prints the first line "gongkai VERSION" and then one
// "key: value" line per fact, for people and for grep.
func writeVersion(ctx context.Context, w io.Writer) error {
	bi, ok := debug.ReadBuildInfo()
	v := version
	if v == "" && ok {
		v = bi.Main.Version
	}
	if v == "" {
		v = "(unknown)"
	}
	fmt.Fprintf(w, "gongkai %s\n", v)
	goVersion := runtime.Version()
	settings := map[string]string{}
	deps := map[string]string{}
	if ok {
		goVersion = bi.GoVersion
		for _, s := range bi.Settings {
			settings[s.Key] = s.Value
		}
		for _, d := range bi.Deps {
			if d.Replace != nil {
				d = d.Replace
			}
			deps[d.Path] = d.Version
		}
	}
	fmt.Fprintf(w, "go: %s %s/%s\n", goVersion, runtime.GOOS, runtime.GOARCH)
	if settings["vcs.revision"] == "" && commit != "" {
		settings["vcs.revision"] = commit
	}
	if rev := settings["vcs.revision"]; rev != "" {
		line := rev
		if t := settings["vcs.time"]; t != "" {
			line += " " + t
		}
		if settings["vcs.modified"] == "true" {
			line += " (modified)"
		}
		fmt.Fprintf(w, "commit: %s\n", line)
	}
	if tags := settings["-tags"]; tags != "" {
		fmt.Fprintf(w, "tags: %s\n", tags)
	}
	if cgo := settings["CGO_ENABLED"]; cgo != "" {
		fmt.Fprintf(w, "cgo: %s\n", cgo)
	}
	if ev, src, err := store.EngineVersion(ctx); err == nil {
		fmt.Fprintf(w, "duckdb: %s (%s)\n", ev, src)
	} else {
		fmt.Fprintf(w, "duckdb: %v\n", err)
	}
	var libs []string
	for _, p := range []string{"github.com/duckdb/duckdb-go/v2", "github.com/apache/arrow-go/v18", "github.com/xuri/excelize/v2"} {
		if dv := deps[p]; dv != "" {
			libs = append(libs, p+" "+dv)
		}
	}
	if len(libs) > 0 {
		fmt.Fprintf(w, "libraries: %s\n", strings.Join(libs, ", "))
	}
	return nil
}
