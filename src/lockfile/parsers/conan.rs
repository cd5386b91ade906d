//! `conan.lock` (Conan, JSON).
//!
//! - Version 0.4 (Conan 1): `graph_lock.nodes` → id → `{ref, requires, build_requires, context}`. Node `0`
//!   is the consumer project (no `ref`) and is skipped; nodes it requires are direct. Nodes with
//!   `"context": "build"` (tools) are dev.
//! - Version 0.5 (Conan 2): `requires`, `build_requires` (dev) and `python_requires` (dev) lists of
//!   references; direct is unknown.
//!
//! A reference is `name/version[@user/channel][#revision][%timestamp]`; the package is `name` at `version`
//! (ecosystem ConanCenter).

use super::lines::LineFinder;
use super::ordered::Ordered;
use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Deserialize)]
struct RawLock {
    graph_lock: Option<RawGraph>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    build_requires: Vec<String>,
    #[serde(default)]
    python_requires: Vec<String>,
}

#[derive(Deserialize)]
struct RawGraph {
    #[serde(default)]
    nodes: Ordered<RawNode>,
}

#[derive(Deserialize)]
struct RawNode {
    #[serde(rename = "ref")]
    reference: Option<String>,
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    build_requires: Vec<String>,
    context: Option<String>,
}

/// `name/version@user/channel#rev%ts` → (name, version).
fn split_ref(r: &str) -> Option<(&str, &str)> {
    let r = r.split(['#', '%']).next().unwrap_or(r);
    let r = r.split('@').next().unwrap_or(r);
    let (name, version) = r.split_once('/')?;
    let (name, version) = (name.trim(), version.trim());
    (!name.is_empty() && !version.is_empty()).then_some((name, version))
}

fn package(r: &str, direct: Option<bool>, dev: bool, line: u32) -> Result<Package, LockfileError> {
    let (name, version) = split_ref(r).ok_or_else(|| {
        LockfileError::at(
            line,
            format!("invalid conan.lock: `{r}` is not a `name/version` reference"),
        )
    })?;
    Ok(Package {
        ecosystem: Ecosystem::ConanCenter,
        name: Ecosystem::ConanCenter.normalize(name),
        version: version.to_string(),
        direct,
        dev,
        optional: false,
        line,
        source: Source::Registry,
    })
}

/// Parses a `conan.lock`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = serde_json::from_str(text).map_err(|e| LockfileError {
        line: u32::try_from(e.line()).ok().filter(|&l| l > 0),
        message: format!("invalid conan.lock: {e}"),
    })?;
    let mut lines = LineFinder::new(text);
    let mut out = ParsedLockfile::default();
    if let Some(graph) = raw.graph_lock {
        let root_deps: BTreeSet<String> = graph
            .nodes
            .0
            .iter()
            .filter(|(id, n)| id == "0" || n.reference.is_none())
            .flat_map(|(_, n)| n.requires.iter().chain(&n.build_requires).cloned())
            .collect();
        for (id, node) in graph.nodes.0 {
            let Some(r) = node.reference.filter(|r| !r.is_empty()) else {
                continue;
            };
            if id == "0" {
                continue;
            }
            let line = lines.find_after(&format!("\"{r}\""));
            let dev = node.context.as_deref() == Some("build");
            out.packages
                .push(package(&r, Some(root_deps.contains(&id)), dev, line)?);
        }
    } else {
        for (list, dev) in [
            (&raw.requires, false),
            (&raw.build_requires, true),
            (&raw.python_requires, true),
        ] {
            for r in list {
                let line = lines.find_after(&format!("\"{r}\""));
                out.packages.push(package(r, None, dev, line)?);
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(p: &ParsedLockfile) -> Vec<(String, String, Option<bool>, bool, u32)> {
        p.packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.direct, p.dev, p.line))
            .collect()
    }

    #[test]
    fn version_0_4_graph() {
        let text = r#"{
 "graph_lock": {
  "nodes": {
   "0": {
    "options": "",
    "requires": ["1"],
    "build_requires": ["3"],
    "path": "conanfile.txt",
    "context": "host"
   },
   "1": {
    "ref": "openssl/1.1.1k",
    "requires": ["2"],
    "context": "host"
   },
   "2": {
    "ref": "zlib/1.2.11@user/stable#8d6f1ab2c9e0",
    "context": "host"
   },
   "3": {
    "ref": "cmake/3.20.0",
    "context": "build"
   }
  },
  "revisions_enabled": false
 },
 "version": "0.4"
}"#;
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            rows(&p),
            vec![
                ("openssl".into(), "1.1.1k".into(), Some(true), false, 12),
                ("zlib".into(), "1.2.11".into(), Some(false), false, 17),
                ("cmake".into(), "3.20.0".into(), Some(true), true, 21),
            ]
        );
    }

    #[test]
    fn version_0_5_lists() {
        let text = "{\r\n    \"version\": \"0.5\",\r\n    \"requires\": [\r\n        \"zlib/1.2.13#97d5730b529b4224045fe7090592d4c1%1692672717.68\",\r\n        \"openssl/3.1.2#8879b1c1cc1a4c6b8d9d4a5e3e1f2a0b%1691000000.0\"\r\n    ],\r\n    \"build_requires\": [\r\n        \"cmake/3.27.4#a1b2%1690000000.0\"\r\n    ],\r\n    \"python_requires\": [],\r\n    \"config_requires\": []\r\n}\r\n";
        let p = parse(text).unwrap_or_default();
        assert_eq!(
            rows(&p),
            vec![
                ("zlib".into(), "1.2.13".into(), None, false, 4),
                ("openssl".into(), "3.1.2".into(), None, false, 5),
                ("cmake".into(), "3.27.4".into(), None, true, 8),
            ]
        );
    }

    #[test]
    fn malformed_locks() {
        let e = parse("{\n\"version\": \"0.5\",\n\"requires\": [\"noversion\"]\n}")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(3), "{e}");
        assert!(parse("{\"requires\": \"zlib/1.0\"}").is_err());
    }
}
