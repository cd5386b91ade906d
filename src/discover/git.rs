//! What git tracks, asked of git with fixed arguments and no shell: in a git work tree, a tracked file is
//! scanned whatever `.gitignore` says (`.gitignore` keeps untracked files out, it does not hide committed
//! ones from the gate).

use std::path::Path;
use std::process::{Command, Stdio};

/// Most bytes of `git ls-files` output read (about ten million paths).
const MAX_OUTPUT: usize = 1 << 30;

/// Why git could not say what it tracks.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct GitUnavailable(String);

/// The repository-relative paths git tracks under `root` (a work tree's top), or why git could not say.
/// `Ok(None)`: `root` is not a git work tree.
pub fn tracked(root: &Path) -> Result<Option<Vec<String>>, GitUnavailable> {
    if !root.join(".git").exists() {
        return Ok(None);
    }
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .arg("-c")
        .arg(format!("safe.directory={}", root.display()))
        // Nothing from the repository's own configuration may run a program.
        .args([
            "-c",
            "core.fsmonitor=false",
            "ls-files",
            "-z",
            "--cached",
            "--full-name",
        ])
        .env("GIT_OPTIONAL_LOCKS", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| GitUnavailable(format!("cannot run git: {e}")))?;
    if !out.status.success() {
        let why = String::from_utf8_lossy(&out.stderr);
        let why = why.lines().next().unwrap_or("").trim().to_string();
        return Err(GitUnavailable(format!("git ls-files failed: {why}")));
    }
    if out.stdout.len() > MAX_OUTPUT {
        return Err(GitUnavailable("git ls-files output is too large".into()));
    }
    Ok(Some(
        out.stdout
            .split(|b| *b == 0)
            .filter(|p| !p.is_empty())
            .map(|p| String::from_utf8_lossy(p).into_owned())
            .collect(),
    ))
}
