//! File discovery: walks the scan paths (honouring `.gitignore` and `.portcullisignore`), applies the
//! include/exclude globs, never follows a symlink, and reports everything it skips. It lists; the pipeline's
//! reader ([`crate::source::read`]) applies the size limit when it opens each file.

pub mod git;
pub mod root;

use crate::diagnostic::{Diagnostic, Level};
use globset::{GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The name of portcullis' own ignore file (gitignore syntax).
pub const IGNORE_FILE: &str = ".portcullisignore";

/// A file to scan, opened later through the pipeline's reader by this path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// Path relative to the repository root, `/`-separated.
    pub rel: String,
}

/// What the walk produced.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Files to scan, sorted by relative path.
    pub files: Vec<Candidate>,
    /// Problems and skips worth reporting.
    pub diagnostics: Vec<Diagnostic>,
    /// Symlinks not followed.
    pub skipped_symlinks: usize,
}

/// Walk settings.
#[derive(Clone, Debug)]
pub struct WalkOptions {
    /// Paths to scan (files or directories).
    pub paths: Vec<PathBuf>,
    /// The scan root: relative paths are computed from it.
    pub root: PathBuf,
    /// The directory of the config file relative to `root` (`""` at the root): include/exclude globs are
    /// relative to it.
    pub config_base: String,
    /// If non-empty, only files matching one of these globs are scanned.
    pub include: Vec<String>,
    /// Files matching any of these globs are not scanned.
    pub exclude: Vec<String>,
    /// Larger files are not read: the limit the pipeline's reader applies to the files listed.
    pub max_file_size: u64,
}

/// An invalid include/exclude glob.
#[derive(Debug, Error)]
#[error("invalid glob `{glob}`: {message}")]
pub struct GlobError {
    /// The glob as written.
    pub glob: String,
    /// Why it is invalid.
    pub message: String,
}

/// Compiles globs matched against relative paths (`*` does not cross `/`, `**` does).
pub fn globset(globs: &[String]) -> Result<GlobSet, GlobError> {
    globset_with(globs, false)
}

/// [`globset`], optionally matching without regard to case.
pub fn globset_with(globs: &[String], case_insensitive: bool) -> Result<GlobSet, GlobError> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob = globset::GlobBuilder::new(g)
            .literal_separator(true)
            .case_insensitive(case_insensitive)
            .build()
            .map_err(|e| GlobError {
                glob: g.clone(),
                message: e.kind().to_string(),
            })?;
        b.add(glob);
        // `dir/` or `dir` also means everything below it.
        if !g.contains('*') {
            let below = format!("{}/**", g.trim_end_matches('/'));
            if let Ok(glob) = globset::GlobBuilder::new(&below)
                .case_insensitive(case_insensitive)
                .build()
            {
                b.add(glob);
            }
        }
    }
    b.build().map_err(|e| GlobError {
        glob: globs.join(", "),
        message: e.to_string(),
    })
}

/// Relative, `/`-separated form of `path` under `root` (the path as given when it is outside).
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    let s = s.trim_start_matches("./").to_string();
    if s.is_empty() {
        path.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    } else {
        s
    }
}

/// The form of root-relative `rel` that config globs match: relative to the config's directory `base`, or
/// `None` when the file is not under it.
fn glob_path<'a>(base: &str, rel: &'a str) -> Option<&'a str> {
    if base.is_empty() {
        return Some(rel);
    }
    rel.strip_prefix(base)?.strip_prefix('/')
}

/// Walks the paths and returns the files to scan.
pub fn discover(opts: &WalkOptions) -> Result<Discovery, GlobError> {
    let include = globset(&opts.include)?;
    let exclude = globset(&opts.exclude)?;
    let mut out = Discovery::default();
    // Scan paths that are links, FIFOs, devices or sockets are refused (a link is never followed, not even one
    // given on the command line), each with a reason; when none is left, nothing asked for can be checked.
    let mut paths: Vec<&PathBuf> = Vec::new();
    let mut refused = Vec::new();
    for p in &opts.paths {
        match std::fs::symlink_metadata(p) {
            Ok(m) if m.file_type().is_symlink() => {
                refused.push((p, "a symbolic link (never followed)"))
            }
            Ok(m) if !m.is_file() && !m.is_dir() => refused.push((
                p,
                "not a regular file or directory (a FIFO, device or socket)",
            )),
            _ => paths.push(p),
        }
    }
    let level = if paths.is_empty() {
        Level::Error
    } else {
        Level::Warning
    };
    for (p, why) in refused {
        let rel = relative(&opts.root, p);
        out.diagnostics.push(Diagnostic::file(
            level,
            "scan-path-refused",
            &rel,
            format!("given as a scan path but not scanned: {why}"),
        ));
    }
    let Some(first) = paths.first() else {
        return Ok(out);
    };
    let mut builder = ignore::WalkBuilder::new(first);
    for p in &paths[1..] {
        builder.add(p);
    }
    let root = opts.root.clone();
    let exclude_dirs = exclude.clone();
    let base = opts.config_base.trim_end_matches('/').to_string();
    let base2 = base.clone();
    builder
        .hidden(false)
        .parents(true)
        .ignore(true)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(IGNORE_FILE)
        .filter_entry(move |e| {
            if e.file_name() == ".git" {
                return false;
            }
            if e.depth() > 0 && e.file_type().is_some_and(|t| t.is_dir()) {
                return !glob_path(&base2, &relative(&root, e.path()))
                    .is_some_and(|p| exclude_dirs.is_match(p));
            }
            true
        });
    for entry in builder.build() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.diagnostics.push(walk_error(&opts.root, &e));
                continue;
            }
        };
        let rel = relative(&opts.root, entry.path());
        if entry.path_is_symlink() {
            out.skipped_symlinks += 1;
            if let Some(d) = symlink_diagnostic(&opts.root, entry.path(), &rel) {
                out.diagnostics.push(d);
            }
            continue;
        }
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let for_globs = glob_path(&base, &rel);
        let excluded = for_globs.is_some_and(|p| exclude.is_match(p));
        let included = opts.include.is_empty() || for_globs.is_some_and(|p| include.is_match(p));
        if excluded || !included {
            continue;
        }
        out.files.push(Candidate { rel });
    }
    add_tracked(opts, &paths, &include, &exclude, &mut out);
    out.files.sort();
    out.files.dedup_by(|a, b| a.rel == b.rel);
    Ok(out)
}

/// In a git work tree, adds the files git tracks under the scan paths that `.gitignore` hid from the walk
/// (the config's include/exclude and the root's `.portcullisignore` still apply: they are the user's choice).
fn add_tracked(
    opts: &WalkOptions,
    paths: &[&PathBuf],
    include: &globset::GlobSet,
    exclude: &globset::GlobSet,
    out: &mut Discovery,
) {
    let tracked = match git::tracked(&opts.root) {
        Ok(Some(t)) => t,
        Ok(None) => return,
        Err(e) => {
            out.diagnostics.push(Diagnostic::general(
                Level::Note,
                "git-unavailable",
                format!("{e}; `.gitignore` alone decides what is scanned"),
            ));
            return;
        }
    };
    // Scan paths relative to the root ("" for the root itself; `relative` names the root by its file name).
    let scan_rels: Vec<String> = paths
        .iter()
        .map(|p| {
            p.strip_prefix(&opts.root)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_else(|_| relative(&opts.root, p))
        })
        .collect();
    let under_scan = |t: &str| {
        scan_rels.iter().any(|p| {
            p.is_empty() || t == p || t.starts_with(&format!("{}/", p.trim_end_matches('/')))
        })
    };
    let portcullisignore = {
        let mut b = ignore::gitignore::GitignoreBuilder::new(&opts.root);
        b.add(opts.root.join(IGNORE_FILE));
        b.build().ok()
    };
    let walked: std::collections::HashSet<String> =
        out.files.iter().map(|c| c.rel.clone()).collect();
    let base = opts.config_base.trim_end_matches('/');
    let mut added = Vec::new();
    for t in tracked {
        if walked.contains(&t) || !under_scan(&t) || t.split('/').any(|c| c == ".git") {
            continue;
        }
        let on_disk = opts.root.join(&t);
        if !std::fs::symlink_metadata(&on_disk).is_ok_and(|m| m.is_file()) {
            continue;
        }
        let for_globs = glob_path(base, &t);
        let excluded = for_globs.is_some_and(|p| exclude.is_match(p));
        let included = opts.include.is_empty() || for_globs.is_some_and(|p| include.is_match(p));
        let ignored = portcullisignore
            .as_ref()
            .is_some_and(|g| g.matched_path_or_any_parents(&on_disk, false).is_ignore());
        if excluded || !included || ignored {
            continue;
        }
        added.push(t);
    }
    if added.is_empty() {
        return;
    }
    out.diagnostics.push(Diagnostic::general(
        Level::Note,
        "gitignored-tracked",
        format!(
            "{} file{} git tracks {} ignored by .gitignore and scanned anyway (--verbose lists them)",
            added.len(),
            if added.len() == 1 { "" } else { "s" },
            if added.len() == 1 { "is" } else { "are" },
        ),
    ));
    for t in added {
        out.diagnostics.push(Diagnostic::file(
            Level::Note,
            "gitignored-tracked",
            &t,
            "tracked by git but matched by .gitignore: scanned",
        ));
        out.files.push(Candidate { rel: t });
    }
}

/// `1.5 MiB`-style size.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["bytes", "KiB", "MiB", "GiB"];
    let mut v = bytes as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

fn walk_error(root: &Path, e: &ignore::Error) -> Diagnostic {
    // Find the innermost path/line context ignore attached.
    let mut path = None;
    let mut cur = e;
    loop {
        match cur {
            ignore::Error::WithPath { path: p, err } => {
                path = Some(relative(root, p));
                cur = err;
            }
            ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
                cur = err
            }
            _ => break,
        }
    }
    let message = match cur {
        ignore::Error::Loop { child, .. } => {
            format!("symlink loop at {}; not followed", relative(root, child))
        }
        ignore::Error::Io(io) => format!("cannot read: {io}"),
        other => other.to_string(),
    };
    // A directory or file that cannot be read is a check that could not run; a bad ignore-file line is not.
    let level = if matches!(cur, ignore::Error::Io(_)) {
        Level::Error
    } else {
        Level::Warning
    };
    let code = if level == Level::Error {
        "unreadable-file"
    } else {
        "walk-warning"
    };
    match path {
        Some(p) => Diagnostic::file(level, code, p, message),
        None => Diagnostic::general(level, code, message),
    }
}

/// What to say about a symlink that is not followed: loops and dangling links warn, links leaving the scan
/// root get a note, links inside it are silent (their targets are scanned where they are).
fn symlink_diagnostic(root: &Path, path: &Path, rel: &str) -> Option<Diagnostic> {
    match std::fs::metadata(path) {
        Err(e) if e.raw_os_error() == Some(40) || e.to_string().contains("symbolic links") => {
            Some(Diagnostic::file(
                Level::Warning,
                "symlink-loop",
                rel,
                "symlink loop (the link resolves to itself); not followed",
            ))
        }
        Err(e) => Some(Diagnostic::file(
            Level::Warning,
            "broken-symlink",
            rel,
            format!("dangling symlink ({e}); not followed"),
        )),
        Ok(meta) => {
            let target = std::fs::canonicalize(path).ok()?;
            let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
            let parent = path.parent().and_then(|p| std::fs::canonicalize(p).ok());
            if meta.is_dir() && parent.as_ref().is_some_and(|p| p.starts_with(&target)) {
                Some(Diagnostic::file(
                    Level::Warning,
                    "symlink-loop",
                    rel,
                    "symlink loop (the link points to a directory that contains it); not followed",
                ))
            } else if !target.starts_with(&canon_root) {
                Some(Diagnostic::file(
                    Level::Note,
                    "symlink-outside-root",
                    rel,
                    "symlink points outside the scan root; not followed",
                ))
            } else {
                None
            }
        }
    }
}
