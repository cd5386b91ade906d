//! `pylock.toml` and `pylock.<name>.toml` (PEP 751): one `[[packages]]` table per package with `name`,
//! `version` (required for packages from an index; may be absent for `vcs` and `directory` packages), and
//! at most one of `vcs = { type, url | path, commit-id, requested-revision }`,
//! `directory = { path, editable }`, `archive = { url | path, … }`, or `sdist`/`wheels` (an index).
//!
//! Packages without a version go to `unpinned` with their location. The format records neither which
//! packages are direct nor, except through markers on `dependency_groups`, which are for development:
//! `direct` is `None` and `dev` is false.

use super::pos::{toml_error, LineIndex};
use crate::scanners::deps::package::{
    Ecosystem, LockfileError, Package, ParsedLockfile, Source, Unpinned,
};
use serde::Deserialize;
use toml::Spanned;

const ECO: Ecosystem = Ecosystem::PyPI;

#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    packages: Vec<RawPackage>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: Spanned<String>,
    version: Option<String>,
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

/// Parses a `pylock.toml`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = toml::from_str(text).map_err(|e| toml_error(text, "pylock.toml", &e))?;
    let lines = LineIndex::new(text);
    let mut out = ParsedLockfile::default();
    for p in &raw.packages {
        let line = lines.line(p.name.span().start);
        let name = ECO.normalize(p.name.get_ref());
        let source = source_of(p);
        match p.version.clone().filter(|v| !v.trim().is_empty()) {
            Some(version) => out.packages.push(Package {
                ecosystem: ECO,
                name,
                version,
                direct: None,
                dev: false,
                optional: false,
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

    fn summary(p: &ParsedLockfile) -> Vec<(String, String, u32)> {
        p.packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.line))
            .collect()
    }

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
