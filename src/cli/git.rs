//! The trees git holds, exported into temporary directories that are scanned in place of the working tree and
//! removed afterwards: `scan --staged` (the index's version of the staged files: what the commit will hold) and
//! `scan --diff-base REF` (the whole tree at the merge base of REF and HEAD, scanned to tell new findings from
//! old), and `scan --git-range A..B` / `--git-log-all` (the lines each commit added, one directory per commit,
//! so that a secret committed and removed later is still found). git runs with fixed argument lists, never
//! through a shell, a few processes in all.

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

impl Exported {
    /// An empty export of `repo`'s files in a new scratch directory of its own.
    fn in_scratch(what: &str, repo: PathBuf) -> Result<Exported> {
        let dir = scratch(what)?;
        Ok(Exported {
            dir: dir.clone(),
            repo,
            commit: None,
            scratch: dir,
        })
    }

    /// Makes this export the scan's only path, with the repository's `portcullis.toml` unless a config was
    /// given.
    pub fn stand_in_for(&self, paths: &mut Vec<PathBuf>, config: &mut Option<PathBuf>) {
        if config.is_none() {
            *config = Some(self.repo.join(portcullis::config::CONFIG_FILE)).filter(|c| c.is_file());
        }
        *paths = vec![self.dir.clone()];
    }
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
    let staged = Exported::in_scratch("staged", repo)?;
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

/// A commit whose added lines were exported: its directory under [`Exported::dir`] is its SHA.
pub struct HistoryCommit {
    /// Full SHA.
    pub sha: String,
    /// Author date, ISO 8601.
    pub author_date: String,
}

/// Where a commit's file goes, and the lines it added (line number, text).
type AddedLines = (PathBuf, Vec<(u64, Vec<u8>)>);

/// Exports the lines every commit of `range` (`A..B`, or every ref's history when `None`) added: each added
/// line at its line number in `<dir>/<sha>/<path>`, the lines between left blank, so that findings keep their
/// places. Deleted files, binary changes and merge commits' combined diffs add nothing.
pub fn export_history(range: Option<&str>) -> Result<(Exported, Vec<HistoryCommit>)> {
    use std::io::BufRead;
    let repo = toplevel("--git-range scans a git history")?;
    if range.is_some_and(|r| r.starts_with('-')) {
        bail!(
            "--git-range {}: not a revision range",
            range.unwrap_or_default()
        );
    }
    let exported = Exported::in_scratch("history", repo)?;
    let mut args = vec![
        "-c",
        "core.quotePath=false",
        "log",
        "-p",
        "-U0",
        "--no-color",
        "--no-ext-diff",
        "--no-renames",
        "--diff-filter=AM",
        "--reverse",
        "--format=%x01%H %aI",
    ];
    match range {
        Some(r) => args.push(r),
        None => args.push("--all"),
    }
    let mut child = Command::new("git")
        .current_dir(&exported.repo)
        .args(&args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("--git-range needs git, which could not be run")?;
    let stdout = child.stdout.take().context("git gave no output")?;
    let mut commits: Vec<HistoryCommit> = Vec::new();
    let mut file: Option<AddedLines> = None;
    let mut next_line = 0u64;
    let flush = |file: &mut Option<AddedLines>| -> Result<()> {
        let Some((path, lines)) = file.take() else {
            return Ok(());
        };
        if lines.is_empty() {
            return Ok(());
        }
        let mut text = Vec::new();
        let mut at = 1u64;
        for (n, l) in lines {
            while at < n {
                text.push(b'\n');
                at += 1;
            }
            text.extend_from_slice(&l);
            text.push(b'\n');
            at += 1;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    let mut reader = std::io::BufReader::new(stdout);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader
            .read_until(b'\n', &mut line)
            .context("cannot read git's output")?
            == 0
        {
            break;
        }
        let l = line.strip_suffix(b"\n").unwrap_or(&line);
        if let Some(header) = l.strip_prefix(b"\x01") {
            flush(&mut file)?;
            let header = String::from_utf8_lossy(header);
            let (sha, date) = header.split_once(' ').unwrap_or((&header, ""));
            commits.push(HistoryCommit {
                sha: sha.to_string(),
                author_date: date.to_string(),
            });
        } else if let Some(p) = l.strip_prefix(b"+++ ") {
            flush(&mut file)?;
            // git ends the name with a tab when it holds a space (for patch(1)).
            let p = String::from_utf8_lossy(p.strip_suffix(b"\t").unwrap_or(p));
            let (Some(c), Some(rel)) = (commits.last(), p.strip_prefix("b/")) else {
                continue;
            };
            // Never outside the directory: git's paths are relative, but check.
            let rel = Path::new(rel);
            if rel
                .components()
                .any(|c| !matches!(c, std::path::Component::Normal(_)))
            {
                continue;
            }
            file = Some((exported.dir.join(&c.sha).join(rel), Vec::new()));
        } else if let Some(h) = l.strip_prefix(b"@@ ") {
            // `@@ -a,b +c,d @@`: added lines start at c.
            let h = String::from_utf8_lossy(h);
            next_line = h
                .split_whitespace()
                .find_map(|w| w.strip_prefix('+'))
                .and_then(|w| w.split(',').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
        } else if let (Some(added), Some((_, lines))) = (l.strip_prefix(b"+"), file.as_mut()) {
            lines.push((next_line, added.to_vec()));
            next_line += 1;
        }
    }
    flush(&mut file)?;
    let out = child.wait_with_output().context("git did not finish")?;
    if !out.status.success() {
        bail!(
            "--git-range {}: {}",
            range.unwrap_or("--all"),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok((exported, commits))
}
