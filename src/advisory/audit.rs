//! Matching packages against advisories: OSV semantics per ecosystem, withdrawn records skipped, packages
//! from git, path or URL sources skipped (their version says nothing about the registry release), and the
//! smallest upgrade that fixes each match. Records of one package that alias each other (a RUSTSEC and a
//! GHSA sharing a CVE) are merged into one match under the ecosystem's own id; two records of the same
//! database never are.

use crate::advisory::db::{affected_key, AdvisoryDb};
use crate::advisory::osv::{affects, Advisory, Verdict};
use crate::lockfile::package::{Ecosystem, Package, Source};
use crate::lockfile::versions::compare;
use std::cmp::Ordering;
use std::collections::BTreeSet;
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
    /// Ids of the other records merged into this one because their ids or aliases overlap (sorted).
    pub also: Vec<String>,
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
            let want = (p.ecosystem, p.ecosystem.normalize(&p.name));
            let entries = adv
                .affected
                .iter()
                .filter(|a| a.package.as_ref().and_then(affected_key).as_ref() == Some(&want));
            let mut verdict = Verdict::No;
            let mut fixed: Vec<String> = Vec::new();
            for entry in entries {
                match affects(entry, &p.version, &cmp) {
                    Verdict::Yes => verdict = Verdict::Yes,
                    Verdict::Unknown if verdict == Verdict::No => verdict = Verdict::Unknown,
                    _ => {}
                }
                for r in entry.ranges.iter().filter(|r| r.kind.orders_versions()) {
                    fixed.extend(
                        r.events
                            .iter()
                            .filter_map(|e| e.fixed().map(str::to_string)),
                    );
                }
            }
            if verdict == Verdict::No {
                continue;
            }
            matches.push(Vulnerability {
                package: p,
                advisory: Arc::clone(adv),
                verdict,
                fixed,
                smallest_fix: None,
                also: Vec::new(),
            });
        }
        let mut merged = merge_aliases(p.ecosystem, matches);
        for v in &mut merged {
            v.fixed
                .sort_by(|a, b| cmp(a, b).unwrap_or_else(|| a.cmp(b)));
            v.fixed.dedup();
            v.smallest_fix = v
                .fixed
                .iter()
                .find(|f| cmp(f, &p.version) == Some(Ordering::Greater))
                .cloned();
        }
        merged.sort_by(|a, b| a.advisory.id.cmp(&b.advisory.id));
        out.extend(merged);
    }
    out
}

/// The id prefix of the ecosystem's own advisory database, preferred as the primary id of merged records.
fn native_prefix(ecosystem: Ecosystem) -> Option<&'static str> {
    match ecosystem {
        Ecosystem::CratesIo => Some("RUSTSEC-"),
        Ecosystem::PyPI => Some("PYSEC-"),
        Ecosystem::Go => Some("GO-"),
        _ => None,
    }
}

/// The database an id comes from: its prefix (`RUSTSEC`, `GHSA`, `CVE`, …).
fn database(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

/// Merges the matches of one package whose records share an id or alias, transitively, except that two
/// records of one database (two RUSTSEC ids, two GHSA ids) are never merged: that database publishes them as
/// distinct advisories (RustSec has a vulnerability and an `unmaintained` notice of one crate sharing a CVE).
/// Links are tried in order of the records' preference, so the native record takes its direct aliases
/// first. The primary record is the ecosystem-native one, else a GHSA, else the smallest id; the others' ids
/// go to `also`. The verdict is `Yes` when any merged record says so, and the fixed versions are pooled
/// (unsorted here).
fn merge_aliases(
    ecosystem: Ecosystem,
    mut matches: Vec<Vulnerability<'_>>,
) -> Vec<Vulnerability<'_>> {
    let native = native_prefix(ecosystem);
    let rank = |id: &str| -> u8 {
        if native.is_some_and(|p| id.starts_with(p)) {
            0
        } else if id.starts_with("GHSA-") {
            1
        } else {
            2
        }
    };
    matches.sort_by(|a, b| {
        (rank(&a.advisory.id), &a.advisory.id).cmp(&(rank(&b.advisory.id), &b.advisory.id))
    });
    let n = matches.len();
    let names: Vec<BTreeSet<&str>> = matches
        .iter()
        .map(|m| {
            std::iter::once(m.advisory.id.as_str())
                .chain(m.advisory.aliases.iter().map(String::as_str))
                .collect()
        })
        .collect();
    // Union-find over the matches; each root knows the databases of its members.
    let mut parent: Vec<usize> = (0..n).collect();
    let mut dbs: Vec<BTreeSet<&str>> = matches
        .iter()
        .map(|m| BTreeSet::from([database(&m.advisory.id)]))
        .collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..n {
        for j in i + 1..n {
            if names[i].is_disjoint(&names[j]) {
                continue;
            }
            let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
            if ri == rj || !dbs[ri].is_disjoint(&dbs[rj]) {
                continue;
            }
            let (keep, gone) = (ri.min(rj), ri.max(rj));
            parent[gone] = keep;
            let moved = std::mem::take(&mut dbs[gone]);
            dbs[keep].extend(moved);
        }
    }
    // Members in preference order, so the first of each group is its primary.
    let mut groups: Vec<Vec<Vulnerability<'_>>> = (0..n).map(|_| Vec::new()).collect();
    for (i, m) in matches.into_iter().enumerate() {
        let r = root(&mut parent, i);
        groups[r].push(m);
    }
    let mut out = Vec::new();
    for group in groups {
        let mut members = group.into_iter();
        let Some(mut primary) = members.next() else {
            continue;
        };
        for other in members {
            if other.verdict == Verdict::Yes {
                primary.verdict = Verdict::Yes;
            }
            primary.fixed.extend(other.fixed);
            primary.also.push(other.advisory.id.clone());
        }
        primary.also.sort();
        out.push(primary);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lockfile::package::Ecosystem;
    use crate::lockfile::parsers::{parse, Format};

    fn pkg(eco: Ecosystem, name: &str, version: &str) -> Package {
        Package::registry(eco, name, version)
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
    fn records_aliasing_each_other_merge_under_the_native_id_but_never_within_one_database() {
        let mut db = AdvisoryDb::default();
        let rec = |id: &str, aliases: &str, eco: &str, name: &str, fixed: &str| {
            format!(
                r#"{{"id":"{id}","aliases":[{aliases}],"affected":[{{"package":{{"ecosystem":"{eco}","name":"{name}"}},
                   "ranges":[{{"type":"ECOSYSTEM","events":[{{"introduced":"0"}},{{"fixed":"{fixed}"}}]}}]}}]}}"#
            )
        };
        for r in [
            // crates.io `foo`: RUSTSEC-1—CVE-2024-1—GHSA-aaaa—OSV-2024-9 (transitive). GHSA-cccc shares CVE-2024-2
            // with OSV-2024-9 but is a second GHSA record, and RUSTSEC-3 shares CVE-2024-1 but is a second RUSTSEC
            // record: both stay apart.
            rec(
                "GHSA-aaaa-aaaa-aaaa",
                r#""CVE-2024-1""#,
                "crates.io",
                "foo",
                "1.0.5",
            ),
            rec(
                "RUSTSEC-2024-0001",
                r#""CVE-2024-1""#,
                "crates.io",
                "foo",
                "1.1.0",
            ),
            rec(
                "OSV-2024-9",
                r#""GHSA-aaaa-aaaa-aaaa","CVE-2024-2""#,
                "crates.io",
                "foo",
                "1.1.0",
            ),
            rec(
                "GHSA-cccc-cccc-cccc",
                r#""CVE-2024-2""#,
                "crates.io",
                "foo",
                "1.1.0",
            ),
            rec(
                "RUSTSEC-2024-0003",
                r#""CVE-2024-1""#,
                "crates.io",
                "foo",
                "1.0.1",
            ),
            // Unrelated record of the same package: stays apart.
            rec(
                "RUSTSEC-2024-0002",
                r#""CVE-2024-3""#,
                "crates.io",
                "foo",
                "2.0.0",
            ),
            // Aliases the RUSTSEC record but names another package: never merged into `foo`.
            rec(
                "GHSA-dddd-dddd-dddd",
                r#""CVE-2024-1""#,
                "crates.io",
                "other",
                "9.0.0",
            ),
            // PyPI, Go, npm.
            rec(
                "GHSA-pppp-pppp-pppp",
                r#""CVE-2024-5""#,
                "PyPI",
                "bar",
                "2.1",
            ),
            rec(
                "PYSEC-2024-7",
                r#""CVE-2024-5","GHSA-pppp-pppp-pppp""#,
                "PyPI",
                "bar",
                "2.1",
            ),
            rec(
                "GO-2024-0001",
                r#""CVE-2024-6""#,
                "Go",
                "example.com/m",
                "1.2.0",
            ),
            rec(
                "GHSA-gggg-gggg-gggg",
                r#""CVE-2024-6""#,
                "Go",
                "example.com/m",
                "1.2.0",
            ),
            rec("OSV-2024-1", r#""CVE-2024-8""#, "npm", "baz", "3.0.0"),
            rec("MAL-2024-1", r#""CVE-2024-8""#, "npm", "baz", "3.0.0"),
            rec(
                "GHSA-nnnn-nnnn-nnnn",
                r#""CVE-2024-9""#,
                "npm",
                "qux",
                "3.0.0",
            ),
            rec("OSV-2024-2", r#""CVE-2024-9""#, "npm", "qux", "3.0.0"),
        ] {
            db.add_record("r.json", r.as_bytes());
        }
        assert!(db.skipped.is_empty(), "{:?}", db.skipped);
        let packages = vec![
            pkg(Ecosystem::CratesIo, "foo", "1.0.0"),
            pkg(Ecosystem::CratesIo, "foo", "2.0.0"),
            pkg(Ecosystem::PyPI, "bar", "2.0"),
            pkg(Ecosystem::Go, "example.com/m", "1.1.0"),
            pkg(Ecosystem::Npm, "baz", "2.0.0"),
            pkg(Ecosystem::Npm, "qux", "2.0.0"),
        ];
        let found: Vec<(String, String, Vec<String>, Option<String>)> = audit(&packages, &db)
            .into_iter()
            .map(|v| {
                (
                    format!("{}@{}", v.package.name, v.package.version),
                    v.advisory.id.clone(),
                    v.also,
                    v.smallest_fix,
                )
            })
            .collect();
        let s = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            found,
            vec![
                (
                    "foo@1.0.0".into(),
                    "GHSA-cccc-cccc-cccc".into(),
                    vec![],
                    Some("1.1.0".into())
                ),
                (
                    "foo@1.0.0".into(),
                    "RUSTSEC-2024-0001".into(),
                    s(&["GHSA-aaaa-aaaa-aaaa", "OSV-2024-9"]),
                    Some("1.0.5".into())
                ),
                (
                    "foo@1.0.0".into(),
                    "RUSTSEC-2024-0002".into(),
                    vec![],
                    Some("2.0.0".into())
                ),
                (
                    "foo@1.0.0".into(),
                    "RUSTSEC-2024-0003".into(),
                    vec![],
                    Some("1.0.1".into())
                ),
                (
                    "bar@2.0".into(),
                    "PYSEC-2024-7".into(),
                    s(&["GHSA-pppp-pppp-pppp"]),
                    Some("2.1".into())
                ),
                (
                    "example.com/m@1.1.0".into(),
                    "GO-2024-0001".into(),
                    s(&["GHSA-gggg-gggg-gggg"]),
                    Some("1.2.0".into())
                ),
                (
                    "baz@2.0.0".into(),
                    "MAL-2024-1".into(),
                    s(&["OSV-2024-1"]),
                    Some("3.0.0".into())
                ),
                (
                    "qux@2.0.0".into(),
                    "GHSA-nnnn-nnnn-nnnn".into(),
                    s(&["OSV-2024-2"]),
                    Some("3.0.0".into())
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
        let sources = crate::advisory::database::Database::open(&[dir], None)
            .unwrap_or_else(|e| panic!("{e}"));
        let mut db = AdvisoryDb::default();
        for a in sources
            .query(Ecosystem::CratesIo, "smallvec")
            .unwrap_or_else(|e| panic!("{e}"))
        {
            db.add_shared(a);
        }
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
