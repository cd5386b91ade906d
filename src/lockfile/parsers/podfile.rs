//! `Podfile.lock` (CocoaPods, YAML).
//!
//! `PODS` lists every resolved pod as `Name (1.2.3)`, or as a one-key map from that string to the pod's own
//! dependencies. Subspecs (`Firebase/Core`) are reported under their root pod (`Firebase`), once per version,
//! since advisories name root pods. A pod is direct when `DEPENDENCIES` names it (or one of its subspecs).
//! `EXTERNAL SOURCES` gives the source of non-trunk pods: `:path` (`Source::Path`), `:git` (`Source::Git`,
//! with the commit from `CHECKOUT OPTIONS` when recorded) or `:podspec` (`Source::Url`).

use super::lines::LineFinder;
use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Deserialize)]
struct RawLock {
    #[serde(rename = "PODS", default)]
    pods: Vec<RawPod>,
    #[serde(rename = "DEPENDENCIES", default)]
    dependencies: Vec<String>,
    #[serde(rename = "EXTERNAL SOURCES", default)]
    external: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(rename = "CHECKOUT OPTIONS", default)]
    checkout: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawPod {
    Plain(String),
    WithDeps(BTreeMap<String, Vec<String>>),
}

/// `Name (spec)` → (`Name`, `spec`); a bare `Name` has an empty spec.
fn split_entry(entry: &str) -> (&str, &str) {
    let entry = entry.trim();
    match entry.split_once(" (") {
        Some((name, rest)) => (name.trim(), rest.trim_end().trim_end_matches(')').trim()),
        None => (entry, ""),
    }
}

fn root_of(name: &str) -> &str {
    name.split('/').next().unwrap_or(name)
}

/// Parses a `Podfile.lock`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let raw: RawLock = super::yaml::parse(text, "Podfile.lock")?;
    let direct: BTreeSet<String> = raw
        .dependencies
        .iter()
        .map(|d| root_of(split_entry(d).0).to_string())
        .collect();
    let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
    let mut lines = LineFinder::new(text);
    lines.skip_to("PODS:");
    let mut out = ParsedLockfile::default();
    for pod in raw.pods {
        let entry = match pod {
            RawPod::Plain(s) => s,
            RawPod::WithDeps(m) => m.into_keys().next().unwrap_or_default(),
        };
        let line = lines.find_after(&entry);
        let (name, version) = split_entry(&entry);
        if name.is_empty() || version.is_empty() {
            return Err(LockfileError::at(
                line,
                format!("invalid Podfile.lock: `{entry}` is not `Name (version)`"),
            ));
        }
        let root = root_of(name).to_string();
        if !seen.insert((root.clone(), version.to_string())) {
            continue;
        }
        let source = match raw.external.get(&root) {
            Some(ext) => {
                if let Some(path) = ext.get(":path") {
                    Source::Path { path: path.clone() }
                } else if let Some(url) = ext.get(":git") {
                    let checkout = raw.checkout.get(&root);
                    let rev = checkout
                        .and_then(|c| c.get(":commit").or_else(|| c.get(":tag")))
                        .or_else(|| ext.get(":commit").or_else(|| ext.get(":tag")))
                        .or_else(|| ext.get(":branch"))
                        .cloned();
                    Source::Git {
                        url: url.clone(),
                        rev,
                    }
                } else if let Some(url) = ext.get(":podspec") {
                    Source::Url { url: url.clone() }
                } else {
                    Source::Registry
                }
            }
            None => Source::Registry,
        };
        out.packages.push(Package {
            ecosystem: Ecosystem::CocoaPods,
            name: Ecosystem::CocoaPods.normalize(&root),
            version: version.to_string(),
            direct: Some(direct.contains(&root)),
            dev: false,
            optional: false,
            line,
            source,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_direct_line as summary;

    const LOCK: &str = "PODS:
  - Alamofire (5.6.4)
  - Firebase/Analytics (10.0.0):
    - Firebase/Core
  - Firebase/Core (10.0.0):
    - FirebaseAnalytics (= 10.0.0)
  - FirebaseAnalytics (10.0.0)
  - LocalKit (0.1.0)
  - \"SDWebImage (5.15.5)\"
  - Forked (2.0.0)

DEPENDENCIES:
  - Alamofire (~> 5.6)
  - Firebase/Analytics
  - Forked (from `https://github.com/example/Forked.git`, commit `abc123`)
  - LocalKit (from `../LocalKit`)

SPEC REPOS:
  trunk:
    - Alamofire
    - Firebase
    - FirebaseAnalytics
    - SDWebImage

EXTERNAL SOURCES:
  Forked:
    :commit: abc123
    :git: https://github.com/example/Forked.git
  LocalKit:
    :path: \"../LocalKit\"

CHECKOUT OPTIONS:
  Forked:
    :commit: abc123
    :git: https://github.com/example/Forked.git

SPEC CHECKSUMS:
  Alamofire: 0e92e751b3e9e66d7982db43919d01f313b8eb91

PODFILE CHECKSUM: 4f2ad3d5d8b9e0c1a2b3c4d5e6f708192a3b4c5d

COCOAPODS: 1.12.1
";

    #[test]
    fn pods_subspecs_sources_and_direct() {
        let p = parse(LOCK).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("Alamofire".into(), "5.6.4".into(), Some(true), 2),
                ("Firebase".into(), "10.0.0".into(), Some(true), 3),
                ("FirebaseAnalytics".into(), "10.0.0".into(), Some(false), 7),
                ("LocalKit".into(), "0.1.0".into(), Some(true), 8),
                ("SDWebImage".into(), "5.15.5".into(), Some(false), 9),
                ("Forked".into(), "2.0.0".into(), Some(true), 10),
            ]
        );
        assert_eq!(
            p.packages[3].source,
            Source::Path {
                path: "../LocalKit".into()
            }
        );
        assert_eq!(
            p.packages[5].source,
            Source::Git {
                url: "https://github.com/example/Forked.git".into(),
                rev: Some("abc123".into())
            }
        );
    }

    #[test]
    fn crlf_and_malformed() {
        let p = parse("PODS:\r\n  - Kingfisher (7.6.2)\r\n\r\nDEPENDENCIES:\r\n  - Kingfisher\r\n")
            .unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![("Kingfisher".into(), "7.6.2".into(), Some(true), 2)]
        );
        let e = parse("PODS:\n  - Kingfisher\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(2), "{e}");
        let e = parse("PODS: [\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert!(e.message.starts_with("invalid Podfile.lock"), "{e}");
    }
}
