//! Matching packages against advisories: OSV semantics per ecosystem, withdrawn records skipped, packages
//! from git, path or URL sources skipped (their version says nothing about the registry release), and the
//! smallest upgrade that fixes each match.

use super::db::{ecosystem_from_osv, AdvisoryDb};
use super::osv::{affects, Advisory, Verdict};
use super::package::{Package, Source};
use super::versions::compare;
use std::cmp::Ordering;
use std::sync::Arc;

/// One package version affected by one advisory.
#[derive(Clone, Debug)]
pub struct Vulnerability<'a> {
    /// The affected package.
    pub package: &'a Package,
    /// The advisory.
    pub advisory: Arc<Advisory>,
    /// `Yes`, or `Unknown` when a version could not be ordered (reported as "cannot determine").
    pub verdict: Verdict,
    /// Every fixed version the advisory lists for this package, in ascending order.
    pub fixed: Vec<String>,
    /// The smallest fixed version above the installed one.
    pub smallest_fix: Option<String>,
}

/// Every (package, advisory) match, in package order then advisory id.
pub fn audit<'a>(packages: &'a [Package], db: &AdvisoryDb) -> Vec<Vulnerability<'a>> {
    let mut out = Vec::new();
    for p in packages.iter().filter(|p| p.source == Source::Registry) {
        let cmp = |a: &str, b: &str| compare(p.ecosystem, a, b);
        let mut matches: Vec<Vulnerability<'a>> = Vec::new();
        for adv in db.query(p.ecosystem, &p.name) {
            if adv.withdrawn.is_some() {
                continue;
            }
            let entries = adv.affected.iter().filter(|a| {
                a.package.as_ref().is_some_and(|ap| {
                    ecosystem_from_osv(&ap.ecosystem) == Some(p.ecosystem)
                        && p.ecosystem.normalize(&ap.name) == p.ecosystem.normalize(&p.name)
                })
            });
            let mut verdict = Verdict::No;
            let mut fixed: Vec<String> = Vec::new();
            for entry in entries {
                match affects(entry, &p.version, &cmp) {
                    Verdict::Yes => verdict = Verdict::Yes,
                    Verdict::Unknown if verdict == Verdict::No => verdict = Verdict::Unknown,
                    _ => {}
                }
                for r in entry.ranges.iter().filter(|r| r.kind != "GIT") {
                    fixed.extend(r.events.iter().filter_map(|e| e.fixed.clone()));
                }
            }
            if verdict == Verdict::No {
                continue;
            }
            fixed.sort_by(|a, b| cmp(a, b).unwrap_or_else(|| a.cmp(b)));
            fixed.dedup();
            let smallest_fix = fixed
                .iter()
                .find(|f| cmp(f, &p.version) == Some(Ordering::Greater))
                .cloned();
            matches.push(Vulnerability {
                package: p,
                advisory: Arc::clone(adv),
                verdict,
                fixed,
                smallest_fix,
            });
        }
        matches.sort_by(|a, b| a.advisory.id.cmp(&b.advisory.id));
        out.extend(matches);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scanners::deps::lockfiles::{parse, Format};
    use crate::scanners::deps::package::Ecosystem;

    fn pkg(eco: Ecosystem, name: &str, version: &str) -> Package {
        Package {
            ecosystem: eco,
            name: name.into(),
            version: version.into(),
            direct: Some(true),
            dev: false,
            optional: false,
            line: 1,
            source: Source::Registry,
        }
    }

    #[test]
    fn hand_written_npm_and_maven_records() {
        let mut db = AdvisoryDb::default();
        db.add_record(
            "npm.json",
            br#"{"id":"GHSA-aaaa-bbbb-cccc","affected":[{"package":{"ecosystem":"npm","name":"minimist"},
                "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.2.4"},{"introduced":"1.0.0"},{"fixed":"1.2.6"}]}]}]}"#,
        );
        db.add_record(
            "maven.json",
            br#"{"id":"GHSA-jfh8-c2jp-5v3q","affected":[{"package":{"ecosystem":"Maven","name":"org.apache.logging.log4j:log4j-core"},
                "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"2.0-beta9"},{"fixed":"2.15.0"}]}]}]}"#,
        );
        db.add_record(
            "withdrawn.json",
            br#"{"id":"GHSA-wwww-wwww-wwww","withdrawn":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"minimist"},
                "ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}"#,
        );
        let packages = vec![
            pkg(Ecosystem::Npm, "minimist", "1.2.5"),
            pkg(Ecosystem::Npm, "minimist", "1.2.6"),
            pkg(
                Ecosystem::Maven,
                "org.apache.logging.log4j:log4j-core",
                "2.14.1",
            ),
            pkg(
                Ecosystem::Maven,
                "org.apache.logging.log4j:log4j-core",
                "2.0-alpha1",
            ),
            pkg(Ecosystem::Npm, "minimist", "not-a-version"),
        ];
        let found: Vec<(String, String, Verdict, Option<String>)> = audit(&packages, &db)
            .into_iter()
            .map(|v| {
                (
                    v.package.version.clone(),
                    v.advisory.id.clone(),
                    v.verdict,
                    v.smallest_fix,
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "1.2.5".into(),
                    "GHSA-aaaa-bbbb-cccc".into(),
                    Verdict::Yes,
                    Some("1.2.6".into())
                ),
                (
                    "2.14.1".into(),
                    "GHSA-jfh8-c2jp-5v3q".into(),
                    Verdict::Yes,
                    Some("2.15.0".into())
                ),
                (
                    "not-a-version".into(),
                    "GHSA-aaaa-bbbb-cccc".into(),
                    Verdict::Unknown,
                    None
                ),
            ]
        );
    }

    #[test]
    fn real_rustsec_osv_data_flags_old_smallvec() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/advisories/osv");
        if !dir.is_dir() {
            println!("skipped: ../shared/advisories/osv is not beside the checkout");
            return;
        }
        let db = AdvisoryDb::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
        let lock = "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"smallvec\"]\n\n\
[[package]]\nname = \"smallvec\"\nversion = \"0.6.13\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
        let parsed = parse(Format::CargoLock, lock).unwrap_or_default();
        let v = audit(&parsed.packages, &db);
        let hit = v.iter().find(|v| v.advisory.id == "RUSTSEC-2021-0003");
        assert!(
            hit.is_some(),
            "{:?}",
            v.iter().map(|v| &v.advisory.id).collect::<Vec<_>>()
        );
        assert_eq!(
            hit.and_then(|h| h.smallest_fix.clone()),
            Some("0.6.14".to_string())
        );
        assert_eq!(hit.map(|h| h.package.line), Some(9));
    }
}
