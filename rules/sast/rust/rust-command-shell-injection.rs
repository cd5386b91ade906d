use std::process::Command;

fn via_shell(file: &str, rev: &str) -> std::io::Result<()> {
    // ruleid: rust-command-shell-injection
    Command::new("sh").arg("-c").arg(format!("tar -czf /tmp/out.tgz {}", file)).status()?;
    // ruleid: rust-command-shell-injection
    std::process::Command::new("/bin/bash").current_dir("/srv").args(["-c", rev]).output()?;
    let mut cmd = Command::new("sh");
    // ruleid: rust-command-shell-injection
    cmd.arg("-c").arg(&format!("git log {}", rev));
    cmd.status()?;
    Ok(())
}

fn direct(file: &str, rev: &str) -> std::io::Result<()> {
    // ok: rust-command-shell-injection
    Command::new("tar").arg("-czf").arg("/tmp/out.tgz").arg(file).status()?;
    // ok: rust-command-shell-injection
    std::process::Command::new("/bin/bash").current_dir("/srv").args(["-c", "ls -la"]).output()?;
    let mut cmd = Command::new("git");
    // ok: rust-command-shell-injection
    cmd.arg("-c").arg(rev);
    cmd.status()?;
    Ok(())
}
