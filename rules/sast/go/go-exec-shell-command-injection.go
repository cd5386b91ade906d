package jobs

import (
	"context"
	"fmt"
	"os/exec"
)

func viaShell(ctx context.Context, file, ref string) {
	// ruleid: go-exec-shell-command-injection
	a := exec.Command("sh", "-c", "tar -czf /tmp/out.tgz "+file)
	// ruleid: go-exec-shell-command-injection
	b := exec.CommandContext(ctx, "/bin/bash", "-c", fmt.Sprintf("git log %s", ref))
	// ruleid: go-exec-shell-command-injection
	c := exec.Command("cmd.exe", "/C", file)
	_, _, _ = a, b, c
}

func direct(ctx context.Context, file, ref string) {
	// ok: go-exec-shell-command-injection
	a := exec.Command("tar", "-czf", "/tmp/out.tgz", file)
	// ok: go-exec-shell-command-injection
	b := exec.CommandContext(ctx, "git", "log", "--", ref)
	// ok: go-exec-shell-command-injection
	c := exec.Command("sh", "-c", "ls -la /var/log")
	_, _, _ = a, b, c
}
