// Package cli is gongkai's command line: one file per subcommand, each with
// its own flag set, usage text and examples. main only calls Run, and tests
// call Run with buffers instead of forking a process.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"gongkai"
	"gongkai/msg"
	"gongkai/store"
)

// Env is what a command may touch: its streams and the arguments after the
// subcommand name. Commands never call os.Exit or read os.Args.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (os.Getenv in main, a map in tests).
	Getenv func(string) string
	// Lang is the language of messages, help and findings: --lang, else
	// the locale (LC_ALL, LC_MESSAGES, LANG). Run sets it.
	Lang msg.Lang
}

// command is one subcommand. run is handed its own command (for its flag
// set and help) and returns nil on success; an error is printed as
// "Error: ..." with its hint, and gives exit status 1 (2 for usage errors).
// A command that has already reported per-file failures and only needs a
// non-zero status returns errSilent.
type command struct {
	name string
	// summary is its line in gongkai --help, usage the full help:
	// synopsis, description and examples; both are IDs of the msg
	// catalogue (help.NAME.summary, help.NAME), in English and Chinese.
	summary msg.ID
	usage   msg.ID
	run     func(ctx context.Context, cmd *command, env *Env, args []string) error
}

// commands is every subcommand, in the order 'gongkai --help' lists them.
// To add one, write its file (a *command and its run function) and list it
// here; nothing registers itself.
var commands = []*command{
	checkCmd,
	compileCmd,
	demoCmd,
	exportCmd,
	genCmd,
	ingestCmd,
	parseCmd,
	queryCmd,
	rollupCmd,
	serveCmd,
	versionCmd,
}

// lookup returns the command named name, or nil.
func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// errSilent asks for exit status 1 without printing anything more.
var errSilent = errors.New("failed")

// usageError marks bad flags or arguments (exit status 2).
func usageError(format string, a ...any) error {
	return fmt.Errorf("%w: %s", gongkai.ErrUsage, fmt.Sprintf(format, a...))
}

// Run executes gongkai with args (without the program name) and returns
// the process exit status.
func Run(ctx context.Context, args []string, env *Env) int {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	flagLang, args, err := takeLang(args)
	if err == nil {
		env.Lang, err = msg.Choose(flagLang, env.Getenv)
	}
	if err != nil {
		env.Lang = msg.FromEnv(env.Getenv)
		fmt.Fprintln(env.Stderr, env.tr("cli.error", "err", env.tr("cli.lang_value", "value_q", strconv.Quote(flagLang))))
		return 2
	}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 && args[0] == "help" {
			if c := lookup(args[1]); c != nil {
				fmt.Fprint(env.Stdout, env.tr(c.usage))
				return 0
			}
		}
		printHelp(env)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "--version" || args[0] == "-V" {
		args = append([]string{"version"}, args[1:]...)
	}
	c := lookup(args[0])
	if c == nil {
		fmt.Fprintln(env.Stderr, env.tr("cli.unknown_command", "cmd_q", strconv.Quote(args[0])))
		return 2
	}
	err = c.run(ctx, c, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, pflag.ErrHelp):
		return 0
	case errors.Is(err, errSilent):
		return 1
	}
	fmt.Fprintln(env.Stderr, env.tr("cli.error", "err", errorText(err, env.Lang)))
	if hint := hintText(err, env.Lang); hint != "" {
		fmt.Fprintln(env.Stderr, env.tr("cli.try", "hint", hint))
	} else if errors.Is(err, gongkai.ErrUsage) {
		fmt.Fprintln(env.Stderr, env.tr("cli.try_help", "cmd", c.name))
	}
	if errors.Is(err, gongkai.ErrUsage) {
		return 2
	}
	return 1
}

func printHelp(env *Env) {
	var list strings.Builder
	for _, c := range commands {
		fmt.Fprintf(&list, "  %-10s %s\n", c.name, env.tr(c.summary))
	}
	fmt.Fprint(env.Stdout, env.tr("help", "commands", list.String()))
}

// newFlags returns a flag set whose usage prints the command's help text
// followed by its flags.
func newFlags(c *command, env *Env) *pflag.FlagSet {
	fs := pflag.NewFlagSet(c.name, pflag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprint(env.Stdout, strings.TrimRight(env.tr(c.usage), "\n")+"\n\n"+env.tr("cli.flags")+"\n")
		localFlags(fs, env.Lang, env.Stdout)
		fs.SetOutput(env.Stderr)
	}
	return fs
}

// parseFlags parses args, turning pflag's errors into usage errors.
func parseFlags(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return usageError("%v", err)
	}
	return nil
}

// dbFlag adds the common --db flag.
func dbFlag(fs *pflag.FlagSet) *string {
	return fs.String("db", "./gongkai.duckdb", "the DuckDB database file")
}

// openStore opens the database at path the one way every command does:
// read-only unless write, with the command's own options (ingest's
// store.ForIngest) and the settings the environment asks for
// (GONGKAI_MEMORY_LIMIT, a DuckDB size such as 4GB, replaces every
// memory limit of the store's).
func openStore(ctx context.Context, env *Env, path string, write bool, opts ...store.Option) (*store.Store, error) {
	if v := strings.TrimSpace(env.Getenv("GONGKAI_MEMORY_LIMIT")); v != "" {
		opts = append(opts, store.MemoryLimit(v))
	}
	if write {
		return store.Open(ctx, path, opts...)
	}
	return store.OpenReadOnly(ctx, path, opts...)
}
