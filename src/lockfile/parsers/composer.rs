//! `composer.lock`: JSON with `packages` and `packages-dev` arrays of `{ "name": "vendor/pkg", "version":
//! "v1.2.3", "source": { "type": "git", "url", "reference" }, "dist": { "type": "zip" | "path", … } }`.
//!
//! Versions are kept as written (a leading `v` included; Packagist advisories compare them normalised).
//! Branch versions (`dev-main`, `1.x-dev`) are `Source::Git` at the locked `source.reference` when the source
//! is a VCS; `dist.type = "path"` packages are `Source::Path`; all others come from the registry.
//! `packages-dev` entries are `dev`. The lock file does not record `composer.json`'s own requirements, so
//! `direct` is `None`. Names are lower-cased, as Composer compares them.

use super::pos::{json_error, json_keys, Seg};
use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use serde::Deserialize;
use std::collections::BTreeMap;

const ECO: Ecosystem = Ecosystem::Packagist;

#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    packages: Vec<RawPackage>,
    #[serde(default, rename = "packages-dev")]
    packages_dev: Vec<RawPackage>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: String,
    version: String,
    source: Option<RawLocation>,
    dist: Option<RawLocation>,
}

#[derive(Deserialize)]
struct RawLocation {
    #[serde(rename = "type", default)]
    kind: String,
    #[serde(default)]
    url: String,
    reference: Option<String>,
}

fn source_of(p: &RawPackage) -> Source {
    if let Some(d) = p.dist.as_ref().filter(|d| d.kind == "path") {
        return Source::Path {
            path: d.url.clone(),
        };
    }
    let branch = p.version.starts_with("dev-") || p.version.ends_with("-dev");
    match &p.source {
        Some(s) if branch && matches!(s.kind.as_str(), "git" | "hg" | "svn" | "fossil") => {
            Source::Git {
                url: s.url.clone(),
                rev: s.reference.clone(),
            }
        }
        _ => Source::Registry,
    }
}

/// Parses a `composer.lock`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = serde_json::from_str(text).map_err(|e| json_error("composer.lock", &e))?;
    let mut name_lines: BTreeMap<(bool, usize), u32> = BTreeMap::new();
    for k in json_keys(
        text,
        |parent| matches!(parent, [Seg::Key(s), Seg::Index(_)] if s == "packages" || s == "packages-dev"),
    ) {
        if let (Some(Seg::Key(s)), Some(Seg::Index(i)), "name") =
            (k.parent.first(), k.parent.get(1), k.key.as_str())
        {
            name_lines
                .entry((s == "packages-dev", *i))
                .or_insert(k.line);
        }
    }
    let mut out = ParsedLockfile::default();
    for (dev, list) in [(false, &raw.packages), (true, &raw.packages_dev)] {
        for (i, p) in list.iter().enumerate() {
            let line = name_lines.get(&(dev, i)).copied().unwrap_or(1);
            if p.name.trim().is_empty() || p.version.trim().is_empty() {
                return Err(LockfileError::at(
                    line,
                    "invalid composer.lock: a package has an empty name or version",
                ));
            }
            out.packages.push(Package {
                ecosystem: ECO,
                name: ECO.normalize(&p.name),
                version: p.version.clone(),
                direct: None,
                dev,
                optional: false,
                line,
                source: source_of(p),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_dev_line as summary;

    const LOCK: &str = r#"{
    "_readme": ["This file locks the dependencies"],
    "content-hash": "00",
    "packages": [
        {
            "name": "Monolog/Monolog",
            "version": "3.5.0",
            "source": {"type": "git", "url": "https://github.com/Seldaek/monolog.git", "reference": "aa"},
            "dist": {"type": "zip", "url": "https://api.github.com/x", "reference": "aa", "shasum": ""},
            "authors": [{"name": "Jordi Boggiano", "email": "j@example.org"}],
            "type": "library"
        },
        {
            "name": "symfony\/console",
            "version": "v7.0.4",
            "source": {"type": "git", "url": "https://github.com/symfony/console.git", "reference": "bb"}
        },
        {
            "name": "acme/tools",
            "version": "dev-main",
            "source": {"type": "git", "url": "https://github.com/acme/tools.git", "reference": "0123abc"}
        },
        {
            "name": "acme/local",
            "version": "1.0.0",
            "dist": {"type": "path", "url": "./packages/local", "reference": "cc"}
        }
    ],
    "packages-dev": [
        {"name": "phpunit/phpunit", "version": "10.5.10", "type": "library"},
        {"name": "symfony/console", "version": "v6.4.4"}
    ],
    "aliases": [],
    "minimum-stability": "stable",
    "platform": {"php": ">=8.2"},
    "platform-dev": [],
    "plugin-api-version": "2.6.0"
}
"#;

    #[test]
    fn sections_sources_branches_and_duplicates() {
        let p = parse(LOCK).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("monolog/monolog".into(), "3.5.0".into(), false, 6),
                ("symfony/console".into(), "v7.0.4".into(), false, 14),
                ("acme/tools".into(), "dev-main".into(), false, 19),
                ("acme/local".into(), "1.0.0".into(), false, 24),
                ("phpunit/phpunit".into(), "10.5.10".into(), true, 30),
                ("symfony/console".into(), "v6.4.4".into(), true, 31),
            ]
        );
        assert_eq!(p.packages[0].source, Source::Registry);
        assert_eq!(
            p.packages[2].source,
            Source::Git {
                url: "https://github.com/acme/tools.git".into(),
                rev: Some("0123abc".into())
            }
        );
        assert_eq!(
            p.packages[3].source,
            Source::Path {
                path: "./packages/local".into()
            }
        );
        assert!(p.packages.iter().all(|p| p.direct.is_none()));
    }

    #[test]
    fn crlf_and_bom() {
        let text = format!("\u{feff}{}", LOCK.replace('\n', "\r\n"));
        let p = super::super::parse(super::super::Format::ComposerLock, &text).unwrap_or_default();
        assert_eq!(summary(&p), summary(&parse(LOCK).unwrap_or_default()));
    }

    #[test]
    fn malformed_files_name_the_problem() {
        let e = parse("{\"packages\": [{\"name\": \"a/b\"}]}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("composer.lock"), "{e}");
        assert!(e.message.contains("missing field `version`"), "{e}");
        let e = parse("{\"packages\": {}}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("invalid type"), "{e}");
        let e = parse("{\n\"packages\": [\n{\"name\": \"a/b\", \"version\": \"\"}\n]}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(3), "{e}");
    }
}
