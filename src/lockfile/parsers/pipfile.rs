//! `Pipfile.lock` (pipenv, `pipfile-spec` 6): a JSON object whose `default` and `develop` objects map each
//! package name to `{ "version": "==1.2.3", "hashes": […], "markers": "…" }`, or to a VCS (`git` + `ref`),
//! `path` or `file` entry that may carry no version.
//!
//! `develop` packages are `dev`. A name present in both sections is reported once per section. The lock file
//! does not say which packages the Pipfile lists, so `direct` is `None`. Entries without an exact `==`
//! version go to `unpinned` (spec: the version as written, or the VCS/path/file location).

use super::pos::{json_error, json_keys, Seg};
use crate::lockfile::package::{
    Ecosystem, LockfileError, Package, ParsedLockfile, Source, Unpinned,
};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::collections::BTreeSet;

const ECO: Ecosystem = Ecosystem::PyPI;
const SECTIONS: [&str; 2] = ["default", "develop"];

#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    default: BTreeMap<String, RawEntry>,
    #[serde(default)]
    develop: BTreeMap<String, RawEntry>,
}

#[derive(Deserialize)]
struct RawEntry {
    version: Option<String>,
    git: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    path: Option<String>,
    file: Option<String>,
}

/// Parses a `Pipfile.lock`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = serde_json::from_str(text).map_err(|e| json_error("Pipfile.lock", &e))?;
    let keys = json_keys(
        text,
        |parent| matches!(parent, [Seg::Key(s)] if SECTIONS.contains(&s.as_str())),
    );
    let mut out = ParsedLockfile::default();
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    for k in &keys {
        let Some(Seg::Key(section)) = k.parent.first() else {
            continue;
        };
        let (map, dev) = if section == "develop" {
            (&raw.develop, true)
        } else {
            (&raw.default, false)
        };
        let Some(entry) = map.get(&k.key) else {
            continue;
        };
        // A duplicate key: serde keeps the last value; report it once.
        if !seen.insert((section.as_str(), k.key.as_str())) {
            continue;
        }
        let source = match (&entry.git, &entry.path, &entry.file) {
            (Some(url), _, _) => Source::Git {
                url: url.strip_prefix("git+").unwrap_or(url).to_string(),
                rev: entry.reference.clone(),
            },
            (None, Some(path), _) => Source::Path { path: path.clone() },
            (None, None, Some(file)) if file.contains("://") && !file.starts_with("file:") => {
                Source::Url { url: file.clone() }
            }
            (None, None, Some(file)) => Source::Path { path: file.clone() },
            (None, None, None) => Source::Registry,
        };
        let exact = entry
            .version
            .as_deref()
            .and_then(|v| v.strip_prefix("===").or_else(|| v.strip_prefix("==")))
            .map(str::trim)
            .filter(|v| !v.is_empty() && !v.contains('*'));
        match exact {
            Some(version) => out.packages.push(Package {
                ecosystem: ECO,
                name: ECO.normalize(&k.key),
                version: version.to_string(),
                direct: None,
                dev,
                optional: false,
                line: k.line,
                source,
            }),
            None => out.unpinned.push(Unpinned {
                ecosystem: ECO,
                name: ECO.normalize(&k.key),
                spec: entry.version.clone().unwrap_or_else(|| match source {
                    Source::Git { url, .. } | Source::Url { url } => url,
                    Source::Path { path } => path,
                    Source::Registry => String::new(),
                }),
                line: k.line,
            }),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_dev_line as summary;

    const LOCK: &str = r#"{
    "_meta": {
        "hash": {"sha256": "00"},
        "pipfile-spec": 6,
        "requires": {"python_version": "3.11"},
        "sources": [{"name": "pypi", "url": "https://pypi.org/simple", "verify_ssl": true}]
    },
    "default": {
        "Requests": {
            "hashes": ["sha256:aa"],
            "index": "pypi",
            "markers": "python_version >= '3.7'",
            "version": "==2.31.0"
        },
        "zope.interface": {"version": "==6.1"},
        "mylib": {"editable": true, "git": "https://github.com/org/mylib.git", "ref": "0123abcd"},
        "local": {"editable": true, "path": "./local", "version": "==0.3.0"}
    },
    "develop": {
        "pytest": {"hashes": [], "version": "==8.0.0"},
        "requests": {"version": "==2.31.0"}
    }
}
"#;

    #[test]
    fn sections_sources_and_lines() {
        let p = parse(LOCK).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("requests".into(), "2.31.0".into(), false, 9),
                ("zope-interface".into(), "6.1".into(), false, 15),
                ("local".into(), "0.3.0".into(), false, 17),
                ("pytest".into(), "8.0.0".into(), true, 20),
                ("requests".into(), "2.31.0".into(), true, 21),
            ]
        );
        assert!(p.packages.iter().all(|p| p.direct.is_none()));
        assert_eq!(
            p.packages[2].source,
            Source::Path {
                path: "./local".into()
            }
        );
        assert_eq!(p.unpinned.len(), 1);
        assert_eq!(
            (
                p.unpinned[0].name.as_str(),
                p.unpinned[0].spec.as_str(),
                p.unpinned[0].line
            ),
            ("mylib", "https://github.com/org/mylib.git", 16)
        );
    }

    #[test]
    fn crlf_and_bom() {
        let text = format!("\u{feff}{}", LOCK.replace('\n', "\r\n"));
        let p = super::super::parse(super::super::Format::PipfileLock, &text).unwrap_or_default();
        assert_eq!(p.packages.len(), 5);
        assert_eq!(p.packages[4].line, 21);
    }

    #[test]
    fn malformed_files_name_the_problem() {
        let e = parse("{\"default\": {\"a\": {\"version\": 1}}}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("Pipfile.lock"), "{e}");
        assert!(e.message.contains("invalid type"), "{e}");
        let e = parse("{\n\"default\": {\n\"a\": {\"version\": \"==1\"}\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("EOF"), "{e}");
        assert_eq!(e.line, Some(4), "{e}");
    }
}
