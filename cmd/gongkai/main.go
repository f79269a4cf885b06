// Command gongkai reads, checks, stores and rolls up China's government
// information-disclosure annual reports. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"gongkai/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
