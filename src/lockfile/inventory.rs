//! Reading lock files into packages, shared by the audit and `portcullis sbom`: one file's bytes to a
//! [`ParsedLockfile`] (or a diagnostic naming the file and line), the `-r` includes of requirements files, and
//! the package inventory of a whole tree.

use crate::diagnostic::{Diagnostic, Level};
use crate::discover::{self, WalkOptions};
use crate::finding::SourceText;
use crate::lockfile::package::{Include, Package, ParsedLockfile};
use crate::lockfile::parsers::{parse, Format};
use crate::source::{DiskReader, ReadError, Reader, SourceFile};
use std::collections::BTreeSet;
use std::sync::Arc;

/// The format of a file by its root-relative path, when it is a lock file or manifest the audit reads. A
/// well-known name after a dotted prefix counts too (`web.package-lock.json`, `api.Cargo.lock`), as lock
/// files collected from several projects into one folder are often named.
pub fn format_of(rel: &str) -> Option<Format> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    Format::detect(name).or_else(|| {
        name.match_indices('.')
            .map(|(i, _)| &name[i + 1..])
            .filter(|rest| !rest.is_empty() && rest.contains('.'))
            .find_map(Format::detect)
    })
}

/// Parses one lock file. Failures are an error diagnostic at the file (and line): its packages cannot be
/// checked, so the run fails closed.
pub fn parse_file(rel: &str, format: Format, bytes: &[u8]) -> Result<ParsedLockfile, Diagnostic> {
    let failed = |line: Option<u32>, message: String| Diagnostic {
        level: Level::Error,
        code: "lockfile-invalid",
        path: Some(rel.to_string()),
        line,
        message: format!("{message}; its dependencies were not audited"),
    };
    match std::str::from_utf8(bytes) {
        Err(e) => Err(failed(
            Some(SourceText::new(bytes).line_number(e.valid_up_to())),
            "not valid UTF-8".to_string(),
        )),
        Ok(text) => parse(format, text).map_err(|e| {
            failed(
                e.line,
                format!("cannot parse as {}: {}", format.name(), e.message),
            )
        }),
    }
}

/// Resolves `include` (as written in the root-relative file `from`) to a root-relative path, or `None` when it
/// leaves the scan root.
pub fn join_relative(from: &str, include: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for c in include.split(['/', '\\']) {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// What [`walk_related`] needs from its caller: a way to read other files of the repository (the pipeline's
/// reader, with its limits), and where to put what it finds.
pub trait Related {
    /// Reads the file at repository-relative `rel`.
    fn read(&mut self, rel: &str) -> Result<Arc<SourceFile>, ReadError>;
    /// A related file was read and parsed.
    fn visit(&mut self, file: &Arc<SourceFile>, parsed: &ParsedLockfile);
    /// A problem with a related file.
    fn diagnose(&mut self, d: Diagnostic);
}

/// Reads the files a parsed one brings in, giving each to `to.visit`: the `-r` includes of a requirements file
/// (transitively; files whose name is itself recognised are skipped, they are read on their own), and the
/// `go.sum` beside a `go.mod` older than Go 1.17 (whose `go.mod` leaves out indirect dependencies).
pub fn walk_related(from: &str, format: Format, parsed: &ParsedLockfile, to: &mut dyn Related) {
    if format == Format::GoMod {
        go_sum_supplement(from, parsed, to);
        return;
    }
    let mut pending: Vec<(String, u32, String)> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::from([from.to_string()]);
    let push = |from: &str,
                inc: &Include,
                pending: &mut Vec<(String, u32, String)>,
                to: &mut dyn Related| {
        match join_relative(from, &inc.path) {
            Some(rel) => pending.push((rel, inc.line, from.to_string())),
            None => to.diagnose(Diagnostic::at(
                Level::Warning,
                "include-outside-root",
                from,
                inc.line,
                format!(
                    "`{}` is outside the scan root and was not audited",
                    inc.path
                ),
            )),
        }
    };
    // `-c` constraints files only restrict versions and add no requirements of their own: not followed.
    for inc in parsed.includes.iter().filter(|i| !i.constraints) {
        push(from, inc, &mut pending, to);
    }
    while let Some((rel, line, parent)) = pending.pop() {
        if format_of(&rel).is_some() || !seen.insert(rel.clone()) {
            continue;
        }
        let file = match to.read(&rel) {
            Ok(f) => f,
            Err(e) => {
                to.diagnose(Diagnostic::at(
                    Level::Error,
                    "include-unreadable",
                    parent.as_str(),
                    line,
                    format!("included `{rel}` {e}; its requirements were not audited"),
                ));
                continue;
            }
        };
        match parse_file(&rel, format, file.bytes()) {
            Ok(p) => {
                to.visit(&file, &p);
                for inc in p.includes.iter().filter(|i| !i.constraints) {
                    push(&rel, inc, &mut pending, to);
                }
            }
            Err(d) => to.diagnose(d),
        }
    }
}

/// For a `go.mod` declaring a Go release before 1.17: the modules its `go.sum` adds.
fn go_sum_supplement(from: &str, parsed: &ParsedLockfile, to: &mut dyn Related) {
    use crate::lockfile::package::Ecosystem;
    use crate::lockfile::versions::compare;
    let old_go = parsed.packages.iter().any(|p| {
        p.name == "stdlib"
            && compare(Ecosystem::Go, &p.version, "1.17.0") == Some(std::cmp::Ordering::Less)
    });
    let Some(rel) = join_relative(from, "go.sum").filter(|_| old_go) else {
        return;
    };
    let file = match to.read(&rel) {
        Ok(f) => f,
        Err(ReadError::NotFound) => return,
        Err(e) => {
            to.diagnose(Diagnostic::file(
                Level::Error,
                e.code(),
                rel.as_str(),
                format!("{e}; the indirect dependencies of {from} were not audited"),
            ));
            return;
        }
    };
    let Ok(text) = std::str::from_utf8(file.bytes()) else {
        to.diagnose(Diagnostic::file(
            Level::Error,
            "lockfile-invalid",
            rel.as_str(),
            format!("not valid UTF-8; the indirect dependencies of {from} were not audited"),
        ));
        return;
    };
    let known = parsed.packages.iter().map(|p| p.name.clone()).collect();
    let extra = crate::lockfile::parsers::go_sum(text, &known);
    if !extra.packages.is_empty() {
        to.visit(&file, &extra);
    }
}

/// Every package of every lock file under the walk, in path order, with the problems met.
#[derive(Debug, Default)]
pub struct Inventory {
    /// (root-relative path of the declaring file, package).
    pub packages: Vec<(String, Package)>,
    /// Unreadable or unparseable files, includes that could not be followed.
    pub diagnostics: Vec<Diagnostic>,
}

/// Collects the packages of related files for [`collect`].
struct Collector<'a> {
    reader: &'a DiskReader,
    packages: Vec<(String, Package)>,
    diagnostics: Vec<Diagnostic>,
}

impl Related for Collector<'_> {
    fn read(&mut self, rel: &str) -> Result<Arc<SourceFile>, ReadError> {
        Ok(Arc::new(SourceFile::new(rel, self.reader.read(rel)?)))
    }

    fn visit(&mut self, file: &Arc<SourceFile>, parsed: &ParsedLockfile) {
        self.packages.extend(
            parsed
                .packages
                .iter()
                .map(|p| (file.path().to_string(), p.clone())),
        );
    }

    fn diagnose(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
}

/// Reads the package inventory of a tree (for `portcullis sbom` and `db update`), through the same bounded
/// reader as a scan: a lock file that cannot be read (over the size limit, not a regular file) is an error.
pub fn collect(walk: &WalkOptions) -> Result<Inventory, discover::GlobError> {
    let found = discover::discover(walk)?;
    let reader = DiskReader {
        root: walk.root.clone(),
        max_size: walk.max_file_size,
    };
    let mut c = Collector {
        reader: &reader,
        packages: Vec::new(),
        diagnostics: found.diagnostics,
    };
    for cand in &found.files {
        let Some(format) = format_of(&cand.rel) else {
            continue;
        };
        let bytes = match reader.read(&cand.rel) {
            Ok(b) => b,
            Err(e) => {
                c.diagnostics.push(Diagnostic::file(
                    Level::Error,
                    e.code(),
                    &cand.rel,
                    format!("{e}; its dependencies were not read"),
                ));
                continue;
            }
        };
        match parse_file(&cand.rel, format, &bytes) {
            Ok(parsed) => {
                c.packages.extend(
                    parsed
                        .packages
                        .iter()
                        .map(|p| (cand.rel.clone(), p.clone())),
                );
                walk_related(&cand.rel, format, &parsed, &mut c);
            }
            Err(d) => c.diagnostics.push(d),
        }
    }
    let mut inv = Inventory {
        packages: c.packages,
        diagnostics: c.diagnostics,
    };
    inv.packages.sort();
    inv.packages.dedup();
    inv.diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn includes_resolve_inside_the_root_only() {
        assert_eq!(
            join_relative("req/prod.txt", "base.in").as_deref(),
            Some("req/base.in")
        );
        assert_eq!(
            join_relative("req/prod.txt", "../common/a.txt").as_deref(),
            Some("common/a.txt")
        );
        assert_eq!(join_relative("prod.txt", "../outside.txt"), None);
        assert_eq!(format_of("a/b/Cargo.lock"), Some(Format::CargoLock));
        assert_eq!(format_of("a/b/README.md"), None);
        assert_eq!(
            format_of("x/web.v2.package-lock.json"),
            Some(Format::NpmLock)
        );
        assert_eq!(format_of("terraform.go.mod"), Some(Format::GoMod));
        assert_eq!(format_of("terraform.go.sum"), None);
        assert_eq!(format_of("notes.txt.bak"), None);
    }
}
