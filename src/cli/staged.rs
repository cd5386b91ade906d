//! `scan --staged`: the index's version of the staged files (what the commit will hold, not the working tree),
//! exported by `git checkout-index` into a temporary directory that is scanned in their place and removed
//! afterwards. git runs with fixed argument lists, never through a shell, and two processes in all.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The exported files; the directory goes when this does.
pub struct Staged {
    /// The directory holding the staged files at their repository-relative paths.
    pub dir: PathBuf,
    /// The repository's top level.
    pub repo: PathBuf,
}

impl Drop for Staged {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn git(repo: Option<&Path>, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>> {
    let mut cmd = Command::new("git");
    if let Some(r) = repo {
        cmd.current_dir(r);
    }
    let mut child = cmd
        .args(args)
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("--staged needs git, which could not be run")?;
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        stdin.write_all(bytes).context("cannot write to git")?;
    }
    let out = child.wait_with_output().context("git did not finish")?;
    if !out.status.success() {
        bail!(
            "git {}: {}",
            args.first().copied().unwrap_or_default(),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(out.stdout)
}

/// Exports the staged files of the repository around the current directory, those under `only` when given
/// (paths as the user wrote them, relative to the current directory).
pub fn export(only: &[PathBuf]) -> Result<Staged> {
    let top = git(None, &["rev-parse", "--show-toplevel"], None)
        .context("--staged scans a git repository's index")?;
    let repo = PathBuf::from(String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']));
    let listed = git(
        Some(&repo),
        &[
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--diff-filter=ACMR",
        ],
        None,
    )?;
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .context("cannot read the current directory")?;
    let wanted: Vec<PathBuf> = only
        .iter()
        .map(|p| {
            let abs = cwd.join(p);
            abs.strip_prefix(&repo)
                .map(Path::to_path_buf)
                .unwrap_or(abs)
        })
        .collect();
    let names: Vec<&[u8]> = listed
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .filter(|n| {
            let p = Path::new(std::str::from_utf8(n).unwrap_or_default());
            wanted.is_empty()
                || wanted
                    .iter()
                    .any(|w| w.as_os_str().is_empty() || p.starts_with(w))
        })
        .collect();
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir =
        std::env::temp_dir().join(format!("portcullis-staged-{}-{stamp}", std::process::id()));
    std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let staged = Staged { dir, repo };
    if !names.is_empty() {
        let mut input = Vec::new();
        for n in &names {
            input.extend_from_slice(n);
            input.push(0);
        }
        let prefix = format!("--prefix={}/", staged.dir.display());
        git(
            Some(&staged.repo),
            &["checkout-index", "-z", "--stdin", &prefix],
            Some(&input),
        )?;
    }
    Ok(staged)
}
