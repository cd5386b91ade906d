//! `uv.lock`: one `[[package]]` table per resolved package with `name`, `version` (absent for members with a
//! dynamic version) and `source`, an inline table with one key: `registry` (an index URL), `git`
//! (`url?rev=…#commit`), `url` (an archive), `path` / `directory` (local), `editable` / `virtual` (workspace
//! members and the project itself). Edges are `dependencies = [{ name, version?, source?, extra? }]`, plus
//! `[package.optional-dependencies]` (extras) and `[package.dev-dependencies]` (dependency groups).
//!
//! The workspace members (`[manifest] members`, or when there is no manifest the `editable`/`virtual`
//! package at `.`) are the project and are not reported. A package is `direct` when a member depends on it
//! (in any table); `dev` when it is reachable from the members only through their dev groups; `optional`
//! when it is reachable only through the members' own extras (`[package.optional-dependencies]` of a member).
//! An extra of another package that an edge requests (`{ name = "requests", extra = ["socks"] }`) is
//! installed whenever that edge is, so its dependencies are reached the same way as the edge.

use super::pos::{toml_error, LineIndex};
use crate::lockfile::package::{
    Ecosystem, LockfileError, Package, ParsedLockfile, Source, Unpinned,
};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

const ECO: Ecosystem = Ecosystem::PyPI;

#[derive(Deserialize)]
struct RawLock {
    #[serde(default)]
    manifest: RawManifest,
    #[serde(default)]
    package: Vec<RawPackage>,
}

#[derive(Deserialize, Default)]
struct RawManifest {
    #[serde(default)]
    members: Vec<String>,
}

#[derive(Deserialize)]
struct RawPackage {
    name: Spanned<String>,
    version: Option<String>,
    #[serde(default)]
    source: BTreeMap<String, String>,
    #[serde(default)]
    dependencies: Vec<RawDep>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<RawDep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<RawDep>>,
}

#[derive(Deserialize)]
struct RawDep {
    name: String,
    version: Option<String>,
    #[serde(default)]
    extra: Vec<String>,
}

fn source_of(source: &BTreeMap<String, String>) -> Source {
    for (kind, value) in source {
        match kind.as_str() {
            "git" => {
                let (rest, commit) = match value.split_once('#') {
                    Some((r, c)) => (r, Some(c.to_string())),
                    None => (value.as_str(), None),
                };
                let (url, query) = rest.split_once('?').unwrap_or((rest, ""));
                let rev = commit.or_else(|| {
                    query
                        .split('&')
                        .find_map(|kv| kv.split_once('=').map(|(_, v)| v.to_string()))
                });
                return Source::Git {
                    url: url.to_string(),
                    rev,
                };
            }
            "url" => return Source::Url { url: value.clone() },
            "path" | "directory" | "editable" | "virtual" => {
                return Source::Path {
                    path: value.clone(),
                }
            }
            _ => {}
        }
    }
    Source::Registry
}

fn is_local_project(source: &BTreeMap<String, String>) -> bool {
    source.contains_key("editable") || source.contains_key("virtual")
}

/// How a package is reached from the workspace members.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Via {
    Main,
    Optional,
    Dev,
}

/// Parses a `uv.lock`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = toml::from_str(text).map_err(|e| toml_error(text, "uv.lock", &e))?;
    let lines = LineIndex::new(text);
    let pkgs = raw.package;

    let members: BTreeSet<usize> = if raw.manifest.members.is_empty() {
        pkgs.iter()
            .enumerate()
            .filter(|(_, p)| is_local_project(&p.source) && p.source.values().any(|v| v == "."))
            .map(|(i, _)| i)
            .collect()
    } else {
        let names: BTreeSet<String> = raw
            .manifest
            .members
            .iter()
            .map(|m| ECO.normalize(m))
            .collect();
        pkgs.iter()
            .enumerate()
            .filter(|(_, p)| {
                is_local_project(&p.source) && names.contains(&ECO.normalize(p.name.get_ref()))
            })
            .map(|(i, _)| i)
            .collect()
    };

    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in pkgs.iter().enumerate() {
        by_name
            .entry(ECO.normalize(p.name.get_ref()))
            .or_default()
            .push(i);
    }
    let resolve = |d: &RawDep| -> Vec<usize> {
        let all = by_name
            .get(&ECO.normalize(&d.name))
            .cloned()
            .unwrap_or_default();
        match &d.version {
            Some(v) => all
                .into_iter()
                .filter(|&i| pkgs.get(i).and_then(|p| p.version.as_ref()) == Some(v))
                .collect(),
            None => all,
        }
    };

    // Best way each package is reached: Main < Optional < Dev.
    let mut reach: BTreeMap<usize, Via> = BTreeMap::new();
    let mut direct: BTreeSet<usize> = BTreeSet::new();
    let mut queue: Vec<(usize, Vec<String>, Via)> = Vec::new();
    for &m in &members {
        let Some(p) = pkgs.get(m) else { continue };
        let tables = std::iter::once((Via::Main, &p.dependencies))
            .chain(p.optional_dependencies.values().map(|d| (Via::Optional, d)))
            .chain(p.dev_dependencies.values().map(|d| (Via::Dev, d)));
        for (via, deps) in tables {
            for d in deps {
                for t in resolve(d) {
                    direct.insert(t);
                    queue.push((t, d.extra.clone(), via));
                }
            }
        }
    }
    let mut done: BTreeSet<(usize, String, Via)> = BTreeSet::new();
    while let Some((i, extras, via)) = queue.pop() {
        let Some(p) = pkgs.get(i) else { continue };
        let mut edges: Vec<(&RawDep, Via)> = Vec::new();
        if done.insert((i, String::new(), via)) {
            reach
                .entry(i)
                .and_modify(|v| *v = (*v).min(via))
                .or_insert(via);
            edges.extend(p.dependencies.iter().map(|d| (d, via)));
        }
        for e in &extras {
            if done.insert((i, e.clone(), via)) {
                // An extra requested on an edge is installed whenever that edge is: its
                // dependencies are reached the same way.
                if let Some(deps) = p.optional_dependencies.get(e) {
                    edges.extend(deps.iter().map(|d| (d, via)));
                }
            }
        }
        for (d, v) in edges {
            for t in resolve(d) {
                queue.push((t, d.extra.clone(), v));
            }
        }
    }

    let mut out = ParsedLockfile::default();
    for (i, p) in pkgs.iter().enumerate() {
        if members.contains(&i) {
            continue;
        }
        let line = lines.line(p.name.span().start);
        let name = ECO.normalize(p.name.get_ref());
        let source = source_of(&p.source);
        let Some(version) = p.version.clone().filter(|v| !v.trim().is_empty()) else {
            out.unpinned.push(Unpinned {
                ecosystem: ECO,
                name,
                spec: match source {
                    Source::Git { url, .. } | Source::Url { url } => url,
                    Source::Path { path } => path,
                    Source::Registry => String::new(),
                },
                line,
            });
            continue;
        };
        let via = reach.get(&i).copied();
        out.packages.push(Package {
            ecosystem: ECO,
            name,
            version,
            direct: (!members.is_empty()).then(|| direct.contains(&i)),
            dev: via == Some(Via::Dev),
            optional: via == Some(Via::Optional),
            line,
            source,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::parsers::testutil::{summary, Row};

    fn row(n: &str, v: &str, d: bool, dev: bool, opt: bool, line: u32) -> Row {
        (n.into(), v.into(), Some(d), dev, opt, line)
    }

    const WORKSPACE: &str = r#"version = 1
revision = 3
requires-python = ">=3.10"

[manifest]
members = ["app", "lib"]

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "lib" },
    { name = "requests", extra = ["socks"] },
]

[package.optional-dependencies]
fast = [{ name = "orjson" }]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
    { name = "numpy", version = "1.24.4", source = { registry = "https://pypi.org/simple" } },
]

[[package]]
name = "lib"
source = { editable = "packages/lib" }
dependencies = [{ name = "numpy", version = "2.1.0", source = { registry = "https://pypi.org/simple" } }]

[[package]]
name = "numpy"
version = "1.24.4"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "numpy"
version = "2.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "orjson"
version = "3.10.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pysocks"
version = "1.7.1"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.3.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "pluggy" }]

[[package]]
name = "pluggy"
version = "1.5.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "requests"
version = "2.32.3"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "urllib3" }]

[package.optional-dependencies]
socks = [{ name = "pysocks" }]
security = [{ name = "unused-extra" }]

[[package]]
name = "Docs_Theme"
version = "0.0.1"
source = { git = "https://github.com/org/theme?rev=main#0123abc" }

[[package]]
name = "urllib3"
version = "2.2.3"
source = { url = "https://example.org/urllib3-2.2.3.tar.gz" }
"#;

    #[test]
    fn workspace_members_groups_extras_and_sources() {
        let p = parse(WORKSPACE).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                row("numpy", "1.24.4", true, true, false, 32),
                row("numpy", "2.1.0", true, false, false, 37),
                row("orjson", "3.10.0", true, false, true, 42),
                // `requests[socks]` is a main dependency of `app`: the extra is always installed.
                row("pysocks", "1.7.1", false, false, false, 47),
                row("pytest", "8.3.3", true, true, false, 52),
                row("pluggy", "1.5.0", false, true, false, 58),
                row("requests", "2.32.3", true, false, false, 63),
                row("docs-theme", "0.0.1", false, false, false, 73),
                row("urllib3", "2.2.3", false, false, false, 78),
            ]
        );
        assert_eq!(
            p.packages[7].source,
            Source::Git {
                url: "https://github.com/org/theme".into(),
                rev: Some("0123abc".into())
            }
        );
        assert_eq!(
            p.packages[8].source,
            Source::Url {
                url: "https://example.org/urllib3-2.2.3.tar.gz".into()
            }
        );
        assert_eq!(p.packages[0].source, Source::Registry);
        assert!(p.unpinned.is_empty());
    }

    #[test]
    fn virtual_root_without_manifest_crlf_and_bom() {
        let text = "\u{feff}version = 1\r\n\r\n[[package]]\r\nname = \"proj\"\r\nversion = \"0.1.0\"\r\nsource = { virtual = \".\" }\r\n\
dependencies = [{ name = \"six\" }]\r\n\r\n[[package]]\r\nname = \"six\"\r\nversion = \"1.16.0\"\r\nsource = { registry = \"https://pypi.org/simple\" }\r\n\r\n\
[[package]]\r\nname = \"helper\"\r\nsource = { path = \"../helper\" }\r\n";
        let p = super::super::parse(super::super::Format::UvLock, text).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![row("six", "1.16.0", true, false, false, 10)]
        );
        assert_eq!(p.unpinned.len(), 1);
        assert_eq!(
            (
                p.unpinned[0].name.as_str(),
                p.unpinned[0].spec.as_str(),
                p.unpinned[0].line
            ),
            ("helper", "../helper", 15)
        );
    }

    #[test]
    fn malformed_files_name_the_problem() {
        let e = parse("version = 1\n[[package]]\nversion = \"1\"\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.contains("uv.lock"), "{e}");
        assert!(e.message.contains("missing field `name`"), "{e}");
        let e = parse("version = 1\n[[package]]\nname = \"a\"\nsource = \"registry\"\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(4), "{e}");
    }
}
