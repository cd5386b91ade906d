//! `pylock.toml` and `pylock.<name>.toml` (PEP 751): one `[[packages]]` table per package with `name`,
//! `version` (required for packages from an index; may be absent for `vcs` and `directory` packages), and
//! at most one of `vcs = { type, url | path, commit-id, requested-revision }`,
//! `directory = { path, editable }`, `archive = { url | path, … }`, or `sdist`/`wheels` (an index).
//!
//! Packages without a version go to `unpinned` with their location. The format does not record which
//! packages are direct (`direct` is `None`). A package whose `marker` only selects dependency groups
//! (`'dev' in dependency_groups`, or several such terms joined by `or`) none of which is in `default-groups`
//! is `dev`; one whose marker only selects extras (`'fast' in extras`) is `optional`. Other markers
//! (environment conditions, `and`) leave both false.

use super::pos::{toml_error, LineIndex};
use crate::lockfile::package::{
    Ecosystem, LockfileError, Package, ParsedLockfile, Source, Unpinned,
};
use serde::Deserialize;
use toml::Spanned;

const ECO: Ecosystem = Ecosystem::PyPI;

#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    packages: Vec<RawPackage>,
    #[serde(default, rename = "default-groups")]
    default_groups: Vec<String>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: Spanned<String>,
    version: Option<String>,
    marker: Option<String>,
    vcs: Option<RawLocation>,
    directory: Option<RawLocation>,
    archive: Option<RawLocation>,
}

#[derive(Deserialize)]
struct RawLocation {
    url: Option<String>,
    path: Option<String>,
    #[serde(rename = "commit-id")]
    commit_id: Option<String>,
    #[serde(rename = "requested-revision")]
    requested_revision: Option<String>,
}

fn source_of(p: &RawPackage) -> Source {
    if let Some(v) = &p.vcs {
        return Source::Git {
            url: v.url.clone().or_else(|| v.path.clone()).unwrap_or_default(),
            rev: v.commit_id.clone().or_else(|| v.requested_revision.clone()),
        };
    }
    if let Some(d) = &p.directory {
        return Source::Path {
            path: d.path.clone().unwrap_or_default(),
        };
    }
    if let Some(a) = &p.archive {
        return match (&a.url, &a.path) {
            (Some(url), _) => Source::Url { url: url.clone() },
            (None, path) => Source::Path {
                path: path.clone().unwrap_or_default(),
            },
        };
    }
    Source::Registry
}

/// The names a marker selects when it is only `'<name>' in <variable>` terms joined by `or` (parentheses
/// allowed); `None` for any other marker.
fn names_selected(marker: &str, variable: &str) -> Option<Vec<String>> {
    let mut names = Vec::new();
    for term in marker.split(" or ") {
        let mut term = term.trim();
        while let Some(inner) = term.strip_prefix('(').and_then(|t| t.strip_suffix(')')) {
            term = inner.trim();
        }
        let (quoted, var) = term.split_once(" in ")?;
        if var.trim() != variable {
            return None;
        }
        let quoted = quoted.trim();
        let name = quoted
            .strip_prefix('\'')
            .and_then(|q| q.strip_suffix('\''))
            .or_else(|| quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')))?;
        names.push(name.to_string());
    }
    Some(names)
}

/// Parses a `pylock.toml`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = toml::from_str(text).map_err(|e| toml_error(text, "pylock.toml", &e))?;
    let lines = LineIndex::new(text);
    let mut out = ParsedLockfile::default();
    for p in &raw.packages {
        let line = lines.line(p.name.span().start);
        let name = ECO.normalize(p.name.get_ref());
        let source = source_of(p);
        let marker = p.marker.as_deref().unwrap_or_default();
        let dev = names_selected(marker, "dependency_groups")
            .is_some_and(|groups| groups.iter().all(|g| !raw.default_groups.contains(g)));
        let optional = names_selected(marker, "extras").is_some();
        match p.version.clone().filter(|v| !v.trim().is_empty()) {
            Some(version) => out.packages.push(Package {
                ecosystem: ECO,
                name,
                version,
                direct: None,
                dev,
                optional,
                line,
                source,
            }),
            None => out.unpinned.push(Unpinned {
                ecosystem: ECO,
                name,
                spec: match source {
                    Source::Git { url, .. } | Source::Url { url } => url,
                    Source::Path { path } => path,
                    Source::Registry => String::new(),
                },
                line,
            }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_line as summary;

    #[test]
    fn index_vcs_directory_and_archive_packages() {
        let text = r#"lock-version = "1.0"
created-by = "hand"
requires-python = ">=3.10"

[[packages]]
name = "Attrs"
version = "24.2.0"
index = "https://pypi.org/simple"
wheels = [{ name = "attrs-24.2.0-py3-none-any.whl", url = "https://x/attrs-24.2.0-py3-none-any.whl", hashes = { sha256 = "00" } }]

[[packages]]
name = "numpy"
version = "1.26.4"
marker = "python_version < '3.13'"
sdist = { url = "https://x/numpy-1.26.4.tar.gz", hashes = { sha256 = "00" } }

[[packages]]
name = "numpy"
version = "2.1.0"
marker = "python_version >= '3.13'"

[[packages]]
name = "tool"
version = "0.3.0"
vcs = { type = "git", url = "https://github.com/org/tool.git", requested-revision = "main", commit-id = "0123abc" }

[[packages]]
name = "local-lib"
directory = { path = "./local-lib", editable = true }

[[packages]]
name = "blob"
version = "1.0"
archive = { url = "https://example.org/blob-1.0.tar.gz", hashes = { sha256 = "00" } }

[tool.hand]
x = 1
"#;
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("attrs".into(), "24.2.0".into(), 6),
                ("numpy".into(), "1.26.4".into(), 12),
                ("numpy".into(), "2.1.0".into(), 18),
                ("tool".into(), "0.3.0".into(), 23),
                ("blob".into(), "1.0".into(), 32),
            ]
        );
        assert_eq!(
            p.packages[3].source,
            Source::Git {
                url: "https://github.com/org/tool.git".into(),
                rev: Some("0123abc".into())
            }
        );
        assert_eq!(
            p.packages[4].source,
            Source::Url {
                url: "https://example.org/blob-1.0.tar.gz".into()
            }
        );
        assert!(p.packages.iter().all(|p| p.direct.is_none() && !p.dev));
        assert_eq!(p.unpinned.len(), 1);
        assert_eq!(
            (
                p.unpinned[0].name.as_str(),
                p.unpinned[0].spec.as_str(),
                p.unpinned[0].line
            ),
            ("local-lib", "./local-lib", 28)
        );
    }

    #[test]
    fn markers_on_groups_and_extras() {
        let text = r#"lock-version = "1.0"
default-groups = ["main"]

[[packages]]
name = "pytest"
version = "8.0.2"
marker = "'test' in dependency_groups or ('lint' in dependency_groups)"

[[packages]]
name = "attrs"
version = "24.2.0"
marker = "'main' in dependency_groups or 'test' in dependency_groups"

[[packages]]
name = "orjson"
version = "3.9.15"
marker = "\"fast\" in extras"

[[packages]]
name = "tomli"
version = "2.0.1"
marker = "'test' in dependency_groups and python_version < '3.11'"
"#;
        let p = parse(text).unwrap_or_default();
        let flags: Vec<(&str, bool, bool)> = p
            .packages
            .iter()
            .map(|p| (p.name.as_str(), p.dev, p.optional))
            .collect();
        assert_eq!(
            flags,
            vec![
                ("pytest", true, false),
                ("attrs", false, false),
                ("orjson", false, true),
                ("tomli", false, false),
            ]
        );
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{feff}lock-version = \"1.0\"\r\n\r\n[[packages]]\r\nname = \"six\"\r\nversion = \"1.16.0\"\r\n";
        let p = super::super::parse(super::super::Format::PyLock, text).unwrap_or_default();
        assert_eq!(summary(&p), vec![("six".into(), "1.16.0".into(), 4)]);
    }

    #[test]
    fn malformed_files_name_the_problem() {
        let e = parse("lock-version = \"1.0\"\n[[packages]]\nversion = \"1\"\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("pylock.toml"), "{e}");
        assert!(e.message.contains("missing field `name`"), "{e}");
    }
}
