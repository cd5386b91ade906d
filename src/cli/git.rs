//! The trees git holds, exported into temporary directories that are scanned in place of the working tree and
//! removed afterwards: `scan --staged` (the index's version of the staged files: what the commit will hold) and
//! `scan --diff-base REF` (the whole tree at the merge base of REF and HEAD, scanned to tell new findings from
//! old). git runs with fixed argument lists, never through a shell, a few processes in all.

use anyhow::{bail, Context, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Exported files; the directory goes when this does.
pub struct Exported {
    /// The directory holding the files at their repository-relative paths.
    pub dir: PathBuf,
    /// The repository's top level.
    pub repo: PathBuf,
    /// The commit exported (`--diff-base`), when it is one.
    pub commit: Option<String>,
    /// What to remove afterwards (the directory, or its parent holding a temporary index too).
    scratch: PathBuf,
}

impl Drop for Exported {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.scratch);
    }
}

fn git(repo: Option<&Path>, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>> {
    git_with(repo, args, input, None)
}

fn git_with(
    repo: Option<&Path>,
    args: &[&str],
    input: Option<&[u8]>,
    index: Option<&Path>,
) -> Result<Vec<u8>> {
    let mut cmd = Command::new("git");
    if let Some(r) = repo {
        cmd.current_dir(r);
    }
    if let Some(i) = index {
        cmd.env("GIT_INDEX_FILE", i);
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

fn toplevel(why: &str) -> Result<PathBuf> {
    let top = git(None, &["rev-parse", "--show-toplevel"], None).context(why.to_string())?;
    Ok(PathBuf::from(
        String::from_utf8_lossy(&top).trim_end_matches(['\n', '\r']),
    ))
}

/// A new empty directory under the system's temporary directory.
fn scratch(what: &str) -> Result<PathBuf> {
    let stamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let dir =
        std::env::temp_dir().join(format!("portcullis-{what}-{}-{stamp}", std::process::id()));
    std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// Exports the staged files of the repository around the current directory, those under `only` when given
/// (paths as the user wrote them, relative to the current directory).
pub fn export_staged(only: &[PathBuf]) -> Result<Exported> {
    let repo = toplevel("--staged scans a git repository's index")?;
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
    let wanted = relative_to(&repo, only)?;
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
    let dir = scratch("staged")?;
    let staged = Exported {
        dir: dir.clone(),
        repo,
        commit: None,
        scratch: dir,
    };
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

/// `paths` (relative to the current directory) relative to the repository's top level.
pub fn relative_to(repo: &Path, paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let cwd = std::env::current_dir()
        .and_then(std::fs::canonicalize)
        .context("cannot read the current directory")?;
    Ok(paths
        .iter()
        .map(|p| {
            let abs = cwd.join(p);
            let abs = std::fs::canonicalize(&abs).unwrap_or(abs);
            abs.strip_prefix(repo).map(Path::to_path_buf).unwrap_or(abs)
        })
        .collect())
}

/// Exports the whole tree at the merge base of `reference` and HEAD, through a temporary index (the
/// repository's own index and working tree are not touched).
pub fn export_merge_base(reference: &str) -> Result<Exported> {
    let repo = toplevel("--diff-base compares with a git history")?;
    if reference.starts_with('-') {
        bail!("--diff-base {reference}: not a commit, branch or tag");
    }
    let base = git(Some(&repo), &["merge-base", reference, "HEAD"], None).with_context(|| {
        format!("--diff-base {reference}: no merge base with HEAD (does {reference} exist here?)")
    })?;
    let commit = String::from_utf8_lossy(&base).trim().to_string();
    let scratch = scratch("diff-base")?;
    let index = scratch.join("index");
    let dir = scratch.join("tree");
    let exported = Exported {
        dir: dir.clone(),
        repo,
        commit: Some(commit.clone()),
        scratch,
    };
    git_with(
        Some(&exported.repo),
        &["read-tree", &commit],
        None,
        Some(&index),
    )?;
    let prefix = format!("--prefix={}/", dir.display());
    git_with(
        Some(&exported.repo),
        &["checkout-index", "-a", &prefix],
        None,
        Some(&index),
    )?;
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(exported)
}
