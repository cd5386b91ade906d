//! The repository root: what every output path is relative to (SARIF's `%SRCROOT%`), and where the search for
//! `portcullis.toml` stops. It is the git work tree containing the current directory when that tree contains
//! every scan path, else the scan paths' common ancestor; so `portcullis scan src` and `portcullis scan .`
//! name the same file the same way.

use std::path::{Path, PathBuf};

/// The work tree containing `dir`: the nearest ancestor holding `.git` (a directory, or a file for worktrees
/// and submodules).
pub fn git_work_tree(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// An absolute form of `p`, with `.` and `..` resolved by the names alone: no symlink is followed, so a scan
/// path that is a link is still seen, and refused, as one.
pub fn absolute(p: &Path) -> PathBuf {
    let joined = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|c| c.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The directory a scan path stands for: itself, or the folder of a file.
fn dir_of(p: &Path) -> PathBuf {
    if p.is_dir() {
        p.to_path_buf()
    } else {
        p.parent()
            .map_or_else(|| p.to_path_buf(), Path::to_path_buf)
    }
}

/// The deepest directory containing every path.
pub fn common_ancestor(paths: &[PathBuf]) -> Option<PathBuf> {
    let mut it = paths.iter().map(|p| dir_of(p));
    let mut acc = it.next()?;
    for p in it {
        while !p.starts_with(&acc) {
            if !acc.pop() {
                break;
            }
        }
    }
    Some(acc)
}

/// The repository root for scanning `paths` (absolute) from the current directory `cwd` (absolute).
pub fn repository_root(cwd: &Path, paths: &[PathBuf]) -> PathBuf {
    if let Some(tree) = git_work_tree(cwd) {
        if paths.iter().all(|p| p.starts_with(&tree)) {
            return tree;
        }
    }
    common_ancestor(paths).unwrap_or_else(|| cwd.to_path_buf())
}

/// Where the configuration search starts: the scan paths' common ancestor.
pub fn search_start(paths: &[PathBuf]) -> Option<PathBuf> {
    common_ancestor(paths)
}

/// The first `name` found in `start` or a parent of it, up to and including `root`; directories along the way
/// that hold an entry of that name which is not a regular file are returned too (the caller says why it is
/// unusable).
pub fn find_upward(start: &Path, root: &Path, name: &str) -> Option<PathBuf> {
    for d in start.ancestors() {
        let candidate = d.join(name);
        if std::fs::symlink_metadata(&candidate).is_ok() {
            return Some(candidate);
        }
        if d == root || !d.starts_with(root) {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_the_work_tree_or_the_common_ancestor() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let t = std::fs::canonicalize(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        for d in ["repo/.git", "repo/src/a", "repo/tests", "other/x"] {
            std::fs::create_dir_all(t.join(d)).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(t.join("repo/src/a/f.py"), "x").unwrap_or_else(|e| panic!("{e}"));
        let repo = t.join("repo");
        assert_eq!(
            repository_root(&repo.join("tests"), &[repo.join("src")]),
            repo
        );
        assert_eq!(repository_root(&repo, &[repo.join("src/a/f.py")]), repo);
        assert_eq!(
            repository_root(&repo, &[t.join("other/x")]),
            t.join("other/x")
        );
        assert_eq!(
            repository_root(&t.join("other"), &[repo.join("src/a"), repo.join("tests")]),
            repo
        );
        std::fs::write(repo.join("portcullis.toml"), "").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            find_upward(&repo.join("src/a"), &repo, "portcullis.toml"),
            Some(repo.join("portcullis.toml"))
        );
        assert_eq!(
            find_upward(&t.join("other/x"), &t.join("other/x"), "portcullis.toml"),
            None
        );
    }
}
