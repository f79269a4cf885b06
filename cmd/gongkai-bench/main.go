// Command gongkai-bench is the national-scale benchmark (see package
// bench and BENCHMARKS.md): scripts/bench-national runs it.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"gongkai/bench"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := bench.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
