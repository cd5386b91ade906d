//! Haskell: `cabal.project.freeze` and `stack.yaml.lock`.
//!
//! - `cabal.project.freeze`: the `constraints:` field (continued on indented lines) is a comma-separated
//!   list; `any.name ==1.2.3` (or a qualified `setup.name ==...`, or `name ==...`) pins a package; flag
//!   constraints (`name +flag -other`) are not packages; `name installed` and other non-`==` constraints go to
//!   `unpinned`. The same name and version under several qualifiers is reported once.
//! - `stack.yaml.lock` (YAML): `packages[].completed.hackage: name-1.2.3@sha256:...,size` is a Hackage
//!   package; `completed` repository entries (`git` or `hg`, with `commit`) are `Source::Git` at their
//!   `version` (or commit); completed archives (`url`, or a local `filepath`, such as GitHub archives) carry
//!   `name` and `version` and are `Source::Url` / `Source::Path`. Snapshots are not packages. Neither file
//!   says which packages are direct.

use super::lines::LineFinder;
use crate::lockfile::package::{
    Ecosystem, LockfileError, Package, ParsedLockfile, Source, Unpinned,
};
use serde::Deserialize;
use std::collections::BTreeSet;

fn hackage(name: &str, version: &str, line: u32, source: Source) -> Package {
    Package {
        ecosystem: Ecosystem::Hackage,
        name: Ecosystem::Hackage.normalize(name),
        version: version.to_string(),
        direct: None,
        dev: false,
        optional: false,
        line,
        source,
    }
}

/// Parses a `cabal.project.freeze`.
pub fn parse_cabal_freeze(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let mut out = ParsedLockfile::default();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let mut in_constraints = false;
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with("--") {
            continue;
        }
        let body = if raw.starts_with(|c: char| c.is_whitespace()) {
            if !in_constraints {
                continue;
            }
            trimmed
        } else {
            match trimmed.split_once(':') {
                Some((field, rest)) if field.trim().eq_ignore_ascii_case("constraints") => {
                    in_constraints = true;
                    rest.trim()
                }
                _ => {
                    in_constraints = false;
                    continue;
                }
            }
        };
        for item in body.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (target, spec) = match item.find(|c: char| c.is_whitespace()) {
                Some(at) => (&item[..at], item[at..].trim()),
                None => (item, ""),
            };
            // Hackage names have no dots: drop any `any.`/`setup.`/`pkg:setup.` qualifier.
            let name = target.rsplit(['.', ':']).next().unwrap_or(target);
            if name.is_empty() {
                return Err(LockfileError::at(
                    line,
                    format!("invalid cabal.project.freeze: constraint `{item}` names no package"),
                ));
            }
            if spec.starts_with(['+', '-']) {
                continue; // flags
            }
            match spec.strip_prefix("==").map(str::trim) {
                Some(v) if !v.is_empty() && !v.contains(['*', '|', '&', '<', '>', ' ']) => {
                    if seen.insert((name.to_ascii_lowercase(), v.to_string())) {
                        out.packages.push(hackage(name, v, line, Source::Registry));
                    }
                }
                _ => out.unpinned.push(Unpinned {
                    ecosystem: Ecosystem::Hackage,
                    name: Ecosystem::Hackage.normalize(name),
                    spec: spec.to_string(),
                    line,
                }),
            }
        }
    }
    Ok(out)
}

#[derive(Deserialize)]
struct RawStackLock {
    #[serde(default)]
    packages: Vec<RawStackPackage>,
}

#[derive(Deserialize)]
struct RawStackPackage {
    completed: Option<RawCompleted>,
}

#[derive(Deserialize)]
struct RawCompleted {
    hackage: Option<String>,
    git: Option<String>,
    hg: Option<String>,
    url: Option<String>,
    filepath: Option<String>,
    commit: Option<String>,
    name: Option<String>,
    version: Option<String>,
}

/// Parses a `stack.yaml.lock`.
pub fn parse_stack_lock(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawStackLock = super::yaml::parse(text, "stack.yaml.lock")?;
    let mut lines = LineFinder::new(text);
    let mut out = ParsedLockfile::default();
    for p in raw.packages {
        let Some(c) = p.completed else { continue };
        if let Some(h) = c.hackage {
            let line = lines.find_after(&h);
            let id = h.split('@').next().unwrap_or_default().trim();
            let Some((name, version)) = id
                .rsplit_once('-')
                .filter(|(n, v)| !n.is_empty() && v.starts_with(|c: char| c.is_ascii_digit()))
            else {
                return Err(LockfileError::at(
                    line,
                    format!("invalid stack.yaml.lock: `{h}` is not `name-version@...`"),
                ));
            };
            out.packages
                .push(hackage(name, version, line, Source::Registry));
        } else if let Some(url) = c.git.or(c.hg) {
            let line = lines.find_after(&url);
            let name = c.name.unwrap_or_default();
            let version = c.version.or_else(|| c.commit.clone()).unwrap_or_default();
            if name.is_empty() || version.is_empty() {
                return Err(LockfileError::at(
                    line,
                    "invalid stack.yaml.lock: a repository package without name or version",
                ));
            }
            out.packages.push(hackage(
                &name,
                &version,
                line,
                Source::Git { url, rev: c.commit },
            ));
        } else if let Some((location, source)) = c
            .url
            .map(|url| (url.clone(), Source::Url { url }))
            .or_else(|| c.filepath.map(|path| (path.clone(), Source::Path { path })))
        {
            let line = lines.find_after(&location);
            let (Some(name), Some(version)) = (c.name, c.version) else {
                return Err(LockfileError::at(
                    line,
                    "invalid stack.yaml.lock: an archive package without name or version",
                ));
            };
            out.packages.push(hackage(&name, &version, line, source));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_line as rows;

    #[test]
    fn cabal_freeze_constraints() {
        let text = "active-repositories: hackage.haskell.org:merge\r\nconstraints: any.Cabal ==3.6.3.0,\r\n             any.aeson ==2.1.2.1,\r\n             aeson -cffi +ordered-keymap,\r\n             any.base installed,\r\n             setup.Cabal ==3.6.3.0,\r\n             text ==2.0.2\r\nindex-state: hackage.haskell.org 2023-05-01T00:00:00Z\r\n";
        let p = parse_cabal_freeze(text).unwrap_or_default();
        assert_eq!(
            rows(&p),
            vec![
                ("cabal".into(), "3.6.3.0".into(), 2),
                ("aeson".into(), "2.1.2.1".into(), 3),
                ("text".into(), "2.0.2".into(), 7),
            ]
        );
        assert_eq!(p.unpinned.len(), 1);
        assert_eq!(p.unpinned[0].name, "base");
        assert_eq!(p.unpinned[0].spec, "installed");
        assert_eq!(p.unpinned[0].line, 5);
    }

    #[test]
    fn stack_lock_hackage_and_git() {
        let text = "# This file was autogenerated by Stack.\npackages:\n- completed:\n    hackage: aeson-2.1.2.1@sha256:5b8d62a7b1f8c8e6a3e1c6b9e4d2f0a1b3c5d7e9f1a3b5c7d9e1f3a5b7c9d1e3,6120\n    pantry-tree:\n      sha256: 1d2c\n      size: 83\n  original:\n    hackage: aeson-2.1.2.1\n- completed:\n    commit: 0123456789abcdef0123456789abcdef01234567\n    git: https://github.com/example/fork.git\n    name: fork\n    pantry-tree:\n      sha256: abcd\n      size: 10\n    version: 0.3.0\n  original:\n    commit: 0123456789abcdef0123456789abcdef01234567\n    git: https://github.com/example/fork.git\nsnapshots:\n- completed:\n    sha256: ef01\n    size: 650\n    url: https://raw.githubusercontent.com/commercialhaskell/stackage-snapshots/master/lts/21/0.yaml\n  original: lts-21.0\n";
        let p = parse_stack_lock(text).unwrap_or_default();
        assert_eq!(
            rows(&p),
            vec![
                ("aeson".into(), "2.1.2.1".into(), 4),
                ("fork".into(), "0.3.0".into(), 12),
            ]
        );
    }

    #[test]
    fn stack_lock_archives() {
        let text = "packages:\n- completed:\n    name: warp\n    size: 1\n    subdir: warp\n    url: https://github.com/yesodweb/wai/archive/2f8a.tar.gz\n    version: 3.3.31\n  original:\n    url: https://github.com/yesodweb/wai/archive/2f8a.tar.gz\n- completed:\n    filepath: vendor/acme-0.1.tar.gz\n    name: acme\n    version: 0.1.0\n  original:\n    archive: vendor/acme-0.1.tar.gz\n";
        let p = parse_stack_lock(text).unwrap_or_default();
        assert_eq!(
            rows(&p),
            vec![
                ("warp".into(), "3.3.31".into(), 6),
                ("acme".into(), "0.1.0".into(), 11),
            ]
        );
        assert_eq!(
            p.packages[0].source,
            Source::Url {
                url: "https://github.com/yesodweb/wai/archive/2f8a.tar.gz".into()
            }
        );
        assert_eq!(
            p.packages[1].source,
            Source::Path {
                path: "vendor/acme-0.1.tar.gz".into()
            }
        );
        let e = parse_stack_lock("packages:\n- completed:\n    url: https://x/a.tar.gz\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(3), "{e}");
    }

    #[test]
    fn malformed_haskell_files() {
        let e = parse_stack_lock("packages:\n- completed:\n    hackage: noversion@sha256:ab,1\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(3), "{e}");
        assert!(parse_stack_lock("packages: [\n").is_err());
        let e = parse_cabal_freeze("constraints: any. ==1.0\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(1), "{e}");
    }
}
