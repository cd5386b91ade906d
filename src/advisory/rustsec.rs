//! The RustSec advisory database read in its own format (a checkout of `rustsec/advisory-db`:
//! `crates/<crate>/RUSTSEC-*.md`, `rust/<component>/*.md`), parsed with the `rustsec` crate and converted to
//! the OSV records the RustSec OSV export publishes, so that matching treats both sources alike.
//!
//! Each file is read on its own: a file the `rustsec` crate rejects (or that breaks the layout rules
//! `rustsec::Database::open` enforces: file named after the id, directory named after the crate, unique ids)
//! becomes a diagnostic in [`Loaded::skipped`] and the other files still load. `Database::open` would instead
//! fail on the first such file and lose the whole database.
//!
//! Toolchain advisories (`rust/std`, `rust/cargo`, `rust/rustdoc`) name no crates.io package; the RustSec OSV
//! export leaves them out, and so does this loader: their ids are listed in [`Loaded::toolchain`].
//!
//! Without the git history the export uses, `modified` is the advisory's own last date (its `date`, or
//! `withdrawn` when later), not the time of the last commit touching the file.

use crate::advisory::db::{AdvisoryDb, DbError};
use crate::advisory::osv::{
    Advisory, Affected, AffectedPackage, Event, Range, RangeKind, Reference, SeverityScore,
};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// What [`load`] read from an advisory-db directory.
#[derive(Clone, Debug, Default)]
pub struct Loaded {
    /// The crates.io advisories converted to OSV, sorted by id (withdrawn ones included, as in the export).
    pub advisories: Vec<Advisory>,
    /// Ids of the toolchain advisories under `rust/`, which are not converted (sorted).
    pub toolchain: Vec<String>,
    /// Files that could not be read or were rejected (path and reason), in path order.
    pub skipped: Vec<(String, String)>,
}

/// Reads every advisory of a RustSec advisory-db directory. Fails only when `dir` is not an advisory-db (no
/// `crates/` directory) or a directory cannot be listed; bad advisory files are reported in
/// [`Loaded::skipped`].
pub fn load(dir: &Path) -> Result<Loaded, DbError> {
    let err = |path: &Path, message: String| DbError {
        path: path.to_path_buf(),
        message,
    };
    if !dir.is_dir() {
        return Err(err(dir, "advisory directory not found".into()));
    }
    let crates = dir.join("crates");
    if !crates.is_dir() {
        return Err(err(
            dir,
            "not a RustSec advisory-db: no crates/ directory".into(),
        ));
    }
    let mut out = Loaded::default();
    let mut seen = BTreeSet::new();
    for collection in ["crates", "rust"] {
        let root = dir.join(collection);
        if collection == "rust" && !root.is_dir() {
            continue;
        }
        for path in advisory_files(&root)? {
            let name = path.display().to_string();
            let adv = match read_file(&path, collection) {
                Ok(Some(adv)) => adv,
                Ok(None) => continue,
                Err(reason) => {
                    out.skipped.push((name, reason.0));
                    continue;
                }
            };
            let id = adv.metadata.id.as_str().to_string();
            if !seen.insert(id.clone()) {
                out.skipped
                    .push((name, format!("duplicate advisory id {id}")));
                continue;
            }
            if collection == "rust" {
                out.toolchain.push(id);
            } else {
                out.advisories.push(convert(&adv));
            }
        }
    }
    out.advisories.sort_by(|a, b| a.id.cmp(&b.id));
    out.toolchain.sort();
    Ok(out)
}

/// Loads `dir` with [`load`] and adds its crates.io advisories to `db` (an id already present is kept, see
/// [`AdvisoryDb::add_advisory`]); skipped files go to `db.skipped`. Returns the number of advisories added.
pub fn load_into(dir: &Path, db: &mut AdvisoryDb) -> Result<usize, DbError> {
    let loaded = load(dir)?;
    db.skipped.extend(loaded.skipped);
    let mut added = 0;
    for adv in loaded.advisories {
        if db.add_advisory(adv) {
            added += 1;
        }
    }
    Ok(added)
}

/// The files of one collection directory: `<root>/<package>/<file>`, dotfiles left out, sorted.
fn advisory_files(root: &Path) -> Result<Vec<PathBuf>, DbError> {
    let list = |d: &Path| -> Result<Vec<PathBuf>, DbError> {
        let entries = std::fs::read_dir(d).map_err(|e| DbError {
            path: d.to_path_buf(),
            message: format!("cannot read directory: {e}"),
        })?;
        let mut paths = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| DbError {
                path: d.to_path_buf(),
                message: format!("cannot read directory: {e}"),
            })?;
            if !entry.file_name().to_string_lossy().starts_with('.') {
                paths.push(entry.path());
            }
        }
        paths.sort();
        Ok(paths)
    };
    let mut files = Vec::new();
    for package_dir in list(root)?.into_iter().filter(|p| p.is_dir()) {
        files.extend(list(&package_dir)?);
    }
    Ok(files)
}

/// Parses the text of one RustSec advisory file (Markdown with a TOML front matter).
fn parse(text: &str) -> Result<rustsec::Advisory, Rejected> {
    // The rustsec parser slices the first 20 bytes of a file without this start for its message, and panics
    // when they end inside a character (found by fuzzing): such files are refused here first.
    if !text.starts_with("```toml") {
        return Err("not a RustSec advisory: it does not start with a ```toml front matter".into());
    }
    // Any other panic in the third-party parser rejects the one file instead of ending the run.
    let parsed = std::panic::catch_unwind(|| text.parse::<rustsec::Advisory>())
        .map_err(|_| Rejected::from("the rustsec parser failed on this file"))?;
    parsed.map_err(|e| {
        let cause = std::error::Error::source(&e)
            .map(|s| format!(": {s}"))
            .unwrap_or_default();
        format!("rejected by the rustsec parser: {e}{cause}").into()
    })
}

/// The advisory of a RustSec advisory file's text as the audit sees it, or why it is rejected (for the fuzz
/// targets: the parse and conversion every loaded file goes through).
pub fn convert_text(text: &str) -> Result<Advisory, String> {
    parse(text).map(|a| convert(&a)).map_err(|r| r.0)
}

/// Why one advisory file of a tree is skipped.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct Rejected(String);

impl From<String> for Rejected {
    fn from(reason: String) -> Self {
        Rejected(reason)
    }
}

impl From<&str> for Rejected {
    fn from(reason: &str) -> Self {
        Rejected(reason.to_string())
    }
}

/// Parses one advisory file and checks it where `rustsec::Database::open` does: the `.md` extension, the file
/// named after the id, the directory named after the crate, a declared collection matching the directory.
/// Placeholder advisories (`RUSTSEC-0000-0000`) parse but are not returned.
fn read_file(path: &Path, collection: &str) -> Result<Option<rustsec::Advisory>, Rejected> {
    if path.extension().is_none_or(|e| e != "md") {
        return Err("not an advisory file (expected <id>.md)".into());
    }
    // Read through the bounded reader (a FIFO or device is refused, a record has a size limit), then parsed.
    let bytes =
        crate::advisory::bounded::read_file(path).map_err(|e| format!("cannot read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_string())?;
    let adv = parse(&text)?;
    let id = adv.metadata.id.as_str();
    let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
    if file.as_deref() != Some(&format!("{id}.md")) && !rustsec::Advisory::is_draft(path) {
        return Err(format!("advisory {id} is not in a file named {id}.md").into());
    }
    let package = adv.metadata.package.as_str();
    let dir = path
        .parent()
        .and_then(Path::file_name)
        .map(|d| d.to_string_lossy().into_owned());
    if dir.as_deref() != Some(package) {
        return Err(format!(
            "advisory {id} is for package {package} but lies in directory {}",
            dir.unwrap_or_default()
        )
        .into());
    }
    if let Some(declared) = &adv.metadata.collection {
        if declared.as_str() != collection {
            return Err(format!(
                "advisory {id} declares collection {declared} but lies in {collection}/"
            )
            .into());
        }
    }
    if adv.metadata.id.is_placeholder() {
        return Ok(None);
    }
    Ok(Some(adv))
}

/// An RFC 3339 timestamp for a RustSec date (noon UTC, as the OSV export writes it).
fn timestamp(d: &rustsec::advisory::Date) -> String {
    format!("{:04}-{:02}-{:02}T12:00:00Z", d.year(), d.month(), d.day())
}

/// The OSV reference type of a link, as the RustSec export assigns it: issue trackers are `REPORT`, advisory
/// pages and CVE entries `ADVISORY`, crates.io pages `PACKAGE`, anything else `WEB`.
fn reference_kind(url: &str) -> &'static str {
    if (url.contains("://github.com/") || url.contains("://gitlab.")) && url.contains("/issues/") {
        "REPORT"
    } else if url.contains("/advisories/") || url.contains("://cve.mitre.org/") {
        "ADVISORY"
    } else if url.contains("://crates.io/crates/") {
        "PACKAGE"
    } else {
        "WEB"
    }
}

/// Converts one crates.io advisory to the OSV record the RustSec OSV export publishes for it (with
/// `modified` from the advisory's own dates, see the module documentation).
pub fn convert(adv: &rustsec::Advisory) -> Advisory {
    let m = &adv.metadata;
    let id = m.id.as_str().to_string();
    let name = m.package.as_str().to_string();

    let mut events = Vec::new();
    for r in rustsec::osv::ranges_for_advisory(&adv.versions) {
        events.push(Event::Introduced(
            r.introduced
                .map_or_else(|| "0.0.0-0".to_string(), |v| v.to_string()),
        ));
        if let Some(fixed) = r.fixed {
            events.push(Event::Fixed(fixed.to_string()));
        }
    }

    let affects = adv.affected.clone().unwrap_or_default();
    let ecosystem_specific = json!({
        "affects": {
            "arch": to_json(&affects.arch),
            "os": to_json(&affects.os),
            "functions": affects.functions.keys().map(|f| f.to_string()).collect::<Vec<_>>(),
        },
        "affected_functions": null,
    });
    let database_specific = json!({
        "categories": m.categories.iter().map(|c| c.name().to_string()).collect::<Vec<_>>(),
        "cvss": m.cvss.as_ref().map(|c| c.to_string()),
        "informational": m.informational.as_ref().map(|i| i.as_str().to_string()),
    });

    let mut urls = vec![
        format!("https://crates.io/crates/{name}"),
        format!("https://rustsec.org/advisories/{id}.html"),
    ];
    urls.extend(m.url.iter().map(|u| u.as_str().to_string()));
    urls.extend(m.references.iter().map(|u| u.as_str().to_string()));
    let references = urls
        .into_iter()
        .map(|url| Reference {
            kind: reference_kind(&url).to_string(),
            url,
        })
        .collect();

    let severity = m
        .cvss
        .as_ref()
        .map(|c| {
            let score = c.to_string();
            let kind = if score.starts_with("CVSS:4.") {
                "CVSS_V4"
            } else {
                "CVSS_V3"
            };
            SeverityScore {
                kind: kind.to_string(),
                score,
            }
        })
        .into_iter()
        .collect();

    let published = timestamp(&m.date);
    let modified = match &m.withdrawn {
        Some(w) if timestamp(w) > published => timestamp(w),
        _ => published.clone(),
    };

    Advisory {
        id,
        aliases: m.aliases.iter().map(|a| a.as_str().to_string()).collect(),
        summary: Some(m.title.clone()),
        details: Some(m.description.clone()),
        modified: Some(modified),
        published: Some(published),
        withdrawn: m.withdrawn.as_ref().map(timestamp),
        severity,
        affected: vec![Affected {
            package: Some(AffectedPackage {
                ecosystem: "crates.io".to_string(),
                purl: Some(format!("pkg:cargo/{name}")),
                name,
            }),
            ranges: vec![Range {
                kind: RangeKind::Semver,
                events,
            }],
            versions: Vec::new(),
            ecosystem_specific: Some(ecosystem_specific),
            database_specific: Some(database_specific),
        }],
        references,
        database_specific: Some(json!({ "license": m.license.spdx() })),
    }
}

/// A serialisable value as JSON (`Arch` and `OS` lists, which always serialise); `null` rather than a panic
/// should that ever fail.
fn to_json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::audit::audit;
    use crate::advisory::osv::Verdict;
    use crate::lockfile::package::{Ecosystem, Package};
    use std::collections::BTreeMap;
    use std::io::Read;

    const FOO: &str = r#"```toml
[advisory]
id = "RUSTSEC-2024-0001"
package = "foo"
date = "2024-03-05"
url = "https://github.com/example/foo/issues/7"
references = ["https://example.org/foo-bug", "https://github.com/advisories/GHSA-2c3f-4g5h-6j7m"]
categories = ["memory-corruption"]
keywords = ["buffer"]
aliases = ["CVE-2024-11111", "GHSA-2c3f-4g5h-6j7m"]
cvss = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"

[affected]
os = ["windows"]
functions = { "foo::Bar::baz" = ["< 1.2.3"] }

[versions]
patched = [">= 1.2.3", ">= 1.1.5, < 1.2.0"]
unaffected = ["< 1.0.0"]
```

# Buffer overflow in `Bar::baz`

`Bar::baz` writes past the end of its buffer.
"#;

    const BAR: &str = r#"```toml
[advisory]
id = "RUSTSEC-2024-0002"
package = "bar"
date = "2024-04-01"
informational = "unmaintained"

[versions]
patched = []
```

# bar is unmaintained

Use something else.
"#;

    const STD: &str = r#"```toml
[advisory]
id = "CVE-2024-22222"
package = "std"
date = "2024-05-01"

[versions]
patched = [">= 1.77.2"]
```

# A toolchain issue

Not a crates.io package.
"#;

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    }

    /// A small advisory-db: two good crate advisories, one toolchain advisory, and bad files.
    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path();
        write(root, "crates/foo/RUSTSEC-2024-0001.md", FOO);
        write(root, "crates/bar/RUSTSEC-2024-0002.md", BAR);
        write(root, "rust/std/CVE-2024-22222.md", STD);
        write(root, "crates/foo/.DS_Store", "ignored");
        write(root, "crates/foo/notes.txt", "not an advisory");
        write(
            root,
            "crates/baz/RUSTSEC-2024-0003.md",
            "```toml\n[advisory\nid = \"RUSTSEC-2024-0003\"\n```\n\n# Broken\n",
        );
        write(
            root,
            "crates/qux/RUSTSEC-2024-0004.md",
            &BAR.replace("RUSTSEC-2024-0002", "RUSTSEC-2024-0004"),
        );
        write(
            root,
            "crates/bar/RUSTSEC-2024-0005.md",
            &BAR.replace("\"RUSTSEC-2024-0002\"", "\"RUSTSEC-2024-0006\""),
        );
        write(
            root,
            "crates/bar/RUSTSEC-0000-0000.md",
            &BAR.replace("RUSTSEC-2024-0002", "RUSTSEC-0000-0000"),
        );
        dir
    }

    #[test]
    fn a_tree_compiles_into_an_index_that_answers_like_the_records() {
        let dir = tree();
        let loaded = load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let bytes =
            crate::advisory::index::compile_rustsec(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let idx =
            crate::advisory::index::OsvIndex::from_bytes(bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(idx.header.records, loaded.advisories.len());
        assert_eq!(idx.header.skipped, loaded.skipped);
        assert_eq!(idx.header.files, 9);
        for adv in &loaded.advisories {
            let name = adv.affected[0]
                .package
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let found = idx
                .query(Ecosystem::CratesIo, &name)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(found.len(), 1, "{name}");
            assert_eq!(*found[0], *adv, "the record survives the index unchanged");
        }
    }

    fn events(a: &Advisory) -> Vec<(&'static str, String)> {
        a.affected[0].ranges[0]
            .events
            .iter()
            .map(|e| match e {
                Event::Introduced(v) => ("introduced", v.clone()),
                Event::Fixed(v) => ("fixed", v.clone()),
                _ => ("other", String::new()),
            })
            .collect()
    }

    #[test]
    fn hand_written_tree_converts_exactly() {
        let dir = tree();
        let loaded = load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<&str> = loaded.advisories.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["RUSTSEC-2024-0001", "RUSTSEC-2024-0002"]);
        assert_eq!(loaded.toolchain, ["CVE-2024-22222"]);
        let skipped: Vec<(String, &str)> = loaded
            .skipped
            .iter()
            .map(|(path, why)| {
                let rel = Path::new(path)
                    .strip_prefix(dir.path())
                    .map(|p| p.display().to_string())
                    .unwrap_or_default();
                let kind = if why.starts_with("rejected by the rustsec parser") {
                    "parse"
                } else if why.contains("is not in a file named") {
                    "file name"
                } else if why.contains("lies in directory") {
                    "directory"
                } else if why.starts_with("not an advisory file") {
                    "extension"
                } else {
                    why.as_str()
                };
                (rel, kind)
            })
            .collect();
        assert_eq!(
            skipped,
            vec![
                ("crates/bar/RUSTSEC-2024-0005.md".to_string(), "file name"),
                ("crates/baz/RUSTSEC-2024-0003.md".to_string(), "parse"),
                ("crates/foo/notes.txt".to_string(), "extension"),
                ("crates/qux/RUSTSEC-2024-0004.md".to_string(), "directory"),
            ]
        );

        let foo = &loaded.advisories[0];
        assert_eq!(foo.aliases, ["CVE-2024-11111", "GHSA-2c3f-4g5h-6j7m"]);
        assert_eq!(
            foo.summary.as_deref(),
            Some("Buffer overflow in `Bar::baz`")
        );
        assert_eq!(
            foo.details.as_deref(),
            Some("`Bar::baz` writes past the end of its buffer.")
        );
        assert_eq!(foo.published.as_deref(), Some("2024-03-05T12:00:00Z"));
        assert_eq!(foo.modified.as_deref(), Some("2024-03-05T12:00:00Z"));
        assert_eq!(foo.withdrawn, None);
        assert_eq!(
            foo.severity,
            [SeverityScore {
                kind: "CVSS_V3".into(),
                score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H".into()
            }]
        );
        let affected = &foo.affected[0];
        assert_eq!(
            affected.package,
            Some(AffectedPackage {
                ecosystem: "crates.io".into(),
                name: "foo".into(),
                purl: Some("pkg:cargo/foo".into()),
            })
        );
        assert_eq!(affected.ranges[0].kind, RangeKind::Semver);
        assert_eq!(
            events(foo),
            [
                ("introduced", "1.0.0".to_string()),
                ("fixed", "1.1.5".to_string()),
                ("introduced", "1.2.0".to_string()),
                ("fixed", "1.2.3".to_string()),
            ]
        );
        assert!(affected.versions.is_empty());
        assert_eq!(
            affected.ecosystem_specific,
            Some(
                json!({"affects": {"arch": [], "os": ["windows"], "functions": ["foo::Bar::baz"]},
                        "affected_functions": null})
            )
        );
        assert_eq!(
            affected.database_specific,
            Some(json!({"categories": ["memory-corruption"],
                        "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "informational": null}))
        );
        assert_eq!(foo.informational(), None);
        let refs: Vec<(&str, &str)> = foo
            .references
            .iter()
            .map(|r| (r.kind.as_str(), r.url.as_str()))
            .collect();
        assert_eq!(
            refs,
            [
                ("PACKAGE", "https://crates.io/crates/foo"),
                (
                    "ADVISORY",
                    "https://rustsec.org/advisories/RUSTSEC-2024-0001.html"
                ),
                ("REPORT", "https://github.com/example/foo/issues/7"),
                ("WEB", "https://example.org/foo-bug"),
                (
                    "ADVISORY",
                    "https://github.com/advisories/GHSA-2c3f-4g5h-6j7m"
                ),
            ]
        );
        assert_eq!(foo.database_specific, Some(json!({"license": "CC0-1.0"})));

        let bar = &loaded.advisories[1];
        assert_eq!(bar.informational(), Some("unmaintained"));
        assert_eq!(events(bar), [("introduced", "0.0.0-0".to_string())]);
        assert!(bar.severity.is_empty());
        assert_eq!(
            bar.affected[0]
                .database_specific
                .as_ref()
                .and_then(|d| d.get("categories")),
            Some(&json!([]))
        );
    }

    #[test]
    fn hand_written_tree_matches_through_the_audit() {
        let dir = tree();
        let mut db = AdvisoryDb::default();
        let added = load_into(dir.path(), &mut db).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(added, 2);
        assert_eq!(db.skipped.len(), 4);
        let pkg = |name: &str, version: &str| Package::registry(Ecosystem::CratesIo, name, version);
        let packages: Vec<Package> = [
            "0.9.9", "1.0.0", "1.1.4", "1.1.5", "1.2.0", "1.2.2", "1.2.3",
        ]
        .iter()
        .map(|v| pkg("foo", v))
        .chain([pkg("bar", "0.1.0"), pkg("std", "1.70.0")])
        .collect();
        let found: Vec<(String, String, Option<String>, Option<String>)> = audit(&packages, &db)
            .into_iter()
            .map(|v| {
                assert_eq!(v.verdict, Verdict::Yes);
                (
                    format!("{}@{}", v.package.name, v.package.version),
                    v.advisory.id.clone(),
                    v.advisory.informational().map(str::to_string),
                    v.smallest_fix,
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "foo@1.0.0".into(),
                    "RUSTSEC-2024-0001".into(),
                    None,
                    Some("1.1.5".into())
                ),
                (
                    "foo@1.1.4".into(),
                    "RUSTSEC-2024-0001".into(),
                    None,
                    Some("1.1.5".into())
                ),
                (
                    "foo@1.2.0".into(),
                    "RUSTSEC-2024-0001".into(),
                    None,
                    Some("1.2.3".into())
                ),
                (
                    "foo@1.2.2".into(),
                    "RUSTSEC-2024-0001".into(),
                    None,
                    Some("1.2.3".into())
                ),
                (
                    "bar@0.1.0".into(),
                    "RUSTSEC-2024-0002".into(),
                    Some("unmaintained".into()),
                    None
                ),
            ]
        );
    }

    #[test]
    fn not_an_advisory_db_fails_closed() {
        let e = load(Path::new("/nonexistent/advisory-db"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("advisory directory not found"), "{e}");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        write(dir.path(), "README.md", "# not a database\n");
        let e = load(dir.path())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("no crates/ directory"), "{e}");
    }

    /// Regression (issue 9, case 7, for RustSec trees): a FIFO or a link to a device among the advisory files
    /// is a skipped record (the audit fails closed on it), never opened for reading.
    #[cfg(unix)]
    #[test]
    fn fifos_and_devices_in_the_tree_are_refused() {
        let dir = tree();
        let pkg = dir.path().join("crates/hostile");
        std::fs::create_dir_all(&pkg).unwrap_or_else(|e| panic!("{e}"));
        let made = std::process::Command::new("mkfifo")
            .arg(pkg.join("RUSTSEC-2099-0901.md"))
            .status()
            .is_ok_and(|s| s.success());
        assert!(made);
        std::os::unix::fs::symlink("/dev/zero", pkg.join("RUSTSEC-2099-0902.md"))
            .unwrap_or_else(|e| panic!("{e}"));
        let loaded = load(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        let reasons: Vec<&str> = loaded
            .skipped
            .iter()
            .filter(|(f, _)| f.contains("hostile"))
            .map(|(_, r)| r.as_str())
            .collect();
        assert_eq!(
            reasons,
            [
                "cannot read: not a regular file",
                "cannot read: not a regular file"
            ]
        );
    }

    /// Found by fuzzing: a file that does not start with the front matter and has a multi-byte character
    /// across byte 20 made the rustsec parser panic; it is a rejected file.
    #[test]
    fn a_file_without_front_matter_is_rejected_not_a_panic() {
        let text = "``0PR:N/UI:N/`toml\n\u{feff} crate\"\n```\n\n# Title\n\nBody.\n";
        assert_eq!(
            convert_text(text).err().as_deref(),
            Some("not a RustSec advisory: it does not start with a ```toml front matter")
        );
    }

    /// The RustSec OSV export (`../shared/advisories/osv/crates.io.zip`), by id.
    fn export(zip: &Path) -> BTreeMap<String, Advisory> {
        let file = std::fs::File::open(zip).unwrap_or_else(|e| panic!("{e}"));
        let mut archive = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{e}"));
        let mut out = BTreeMap::new();
        for i in 0..archive.len() {
            let mut entry = archive.by_index(i).unwrap_or_else(|e| panic!("{e}"));
            let mut buf = Vec::new();
            entry
                .read_to_end(&mut buf)
                .unwrap_or_else(|e| panic!("{e}"));
            let adv: Advisory = serde_json::from_slice(&buf).unwrap_or_else(|e| panic!("{e}"));
            out.insert(adv.id.clone(), adv);
        }
        out
    }

    #[test]
    fn real_database_agrees_with_the_osv_export() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/advisories");
        let (dir, zip) = (shared.join("rustsec"), shared.join("osv/crates.io.zip"));
        if !dir.is_dir() || !zip.is_file() {
            println!("skipped: ../shared/advisories is not beside the checkout");
            return;
        }
        let loaded = load(&dir).unwrap_or_else(|e| panic!("{e}"));
        assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
        assert_eq!(loaded.advisories.len(), 1205);
        // The 20 toolchain advisories (rust/std, rust/cargo, rust/rustdoc) are not in the export either.
        assert_eq!(loaded.toolchain.len(), 20);
        let exported = export(&zip);
        assert!(loaded.toolchain.iter().all(|id| !exported.contains_key(id)));

        // Ids in one source only. Known: RUSTSEC-2025-0000 is a stale record in the export (the advisory was
        // published as RUSTSEC-2025-0065, same CVE and GHSA aliases, which both sources have).
        let ours: BTreeSet<&str> = loaded.advisories.iter().map(|a| a.id.as_str()).collect();
        let theirs: BTreeSet<&str> = exported.keys().map(String::as_str).collect();
        assert_eq!(
            theirs.difference(&ours).copied().collect::<Vec<_>>(),
            ["RUSTSEC-2025-0000"]
        );
        assert_eq!(ours.difference(&theirs).count(), 0);

        // Every shared id, field by field. The fields matching uses must agree everywhere (no known
        // differences at this snapshot pair); the rest is compared too, `modified` excepted: the export takes
        // it from the git history, which this snapshot does not have.
        let known: BTreeMap<&str, &str> = BTreeMap::new();
        let mut differ: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut matching_differ = BTreeSet::new();
        for a in &loaded.advisories {
            let Some(e) = exported.get(&a.id) else {
                continue;
            };
            let (x, y) = (&a.affected[0], &e.affected[0]);
            let checks = [
                ("package", x.package == y.package, true),
                ("ranges", x.ranges == y.ranges, true),
                ("versions", x.versions == y.versions, true),
                ("withdrawn", a.withdrawn == e.withdrawn, true),
                (
                    "informational",
                    a.informational() == e.informational(),
                    true,
                ),
                ("aliases", a.aliases == e.aliases, false),
                ("summary", a.summary == e.summary, false),
                ("details", a.details == e.details, false),
                ("published", a.published == e.published, false),
                ("severity", a.severity == e.severity, false),
                ("references", a.references == e.references, false),
                (
                    "ecosystem_specific",
                    x.ecosystem_specific == y.ecosystem_specific,
                    false,
                ),
                (
                    "affected.database_specific",
                    x.database_specific == y.database_specific,
                    false,
                ),
                (
                    "database_specific",
                    a.database_specific == e.database_specific,
                    false,
                ),
            ];
            for (field, same, for_matching) in checks {
                if !same {
                    differ.entry(field).or_default().push(&a.id);
                    if for_matching && !known.contains_key(a.id.as_str()) {
                        matching_differ.insert(a.id.as_str());
                    }
                }
            }
        }
        assert_eq!(ours.intersection(&theirs).count(), 1205);
        println!("records differing from the export, by field: {differ:?}");
        assert!(
            matching_differ.is_empty(),
            "unexpected differences in matched fields: {matching_differ:?} ({differ:?})"
        );
        assert!(differ.is_empty(), "{differ:?}");
    }
}
