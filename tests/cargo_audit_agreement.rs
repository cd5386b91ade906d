//! For the same Cargo.lock and the same RustSec data, the dependency audit reports what cargo-audit reports:
//! the expected sets in `tests/data/cargo-audit/*.tsv` were produced by cargo-audit 0.22.2 (see the README
//! there); here the lock file is parsed with our parser, matched against `rustsec::load` of the same
//! advisory-db snapshot, and the `(advisory, crate, version, kind)` sets must be equal.
//!
//! cargo-audit's defaults are matched: withdrawn advisories never match (the audit skips them), no OS or
//! architecture filter (cargo-audit filters on `affected.os`/`arch` only with `--target-os`/`--target-arch`),
//! informational advisories reported with their kind (`unmaintained`, `unsound`, `notice`), packages from git
//! or path sources skipped. Yanked-crate warnings need the crates.io index (network) and are excluded on both
//! sides (`--no-yanked`).

mod common;

use portcullis::advisory::audit::audit;
use portcullis::advisory::db::AdvisoryDb;
use portcullis::advisory::osv::Verdict;
use portcullis::advisory::rustsec;
use portcullis::lockfile::parsers::{parse, Format};
use std::collections::BTreeSet;
use std::path::Path;

type Row = (String, String, String, String);

/// The expected rows of one `.tsv` file (header line skipped).
fn expected(tsv: &Path) -> BTreeSet<Row> {
    let text = std::fs::read_to_string(tsv).unwrap_or_else(|e| panic!("{}: {e}", tsv.display()));
    text.lines()
        .skip(1)
        .filter(|l| !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f.len(), 4, "{}: {l}", tsv.display());
            (f[0].into(), f[1].into(), f[2].into(), f[3].into())
        })
        .collect()
}

/// Our rows for one lock file.
fn ours(lock: &Path, db: &AdvisoryDb) -> BTreeSet<Row> {
    let name = lock
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // `cargo.Cargo.lock` → `Cargo.lock`.
    let base = name.split_once('.').map_or(name.as_str(), |(_, rest)| rest);
    let format = Format::detect(base).unwrap_or_else(|| panic!("{name}: no format"));
    let text = std::fs::read_to_string(lock).unwrap_or_else(|e| panic!("{name}: {e}"));
    let parsed = parse(format, &text).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut rows = BTreeSet::new();
    for v in audit(&parsed.packages, db) {
        assert_eq!(
            v.verdict,
            Verdict::Yes,
            "{name}: {} {} {}",
            v.advisory.id,
            v.package.name,
            v.package.version
        );
        // Only records of one database (RustSec) are loaded, and those are never merged.
        assert!(
            v.also.is_empty(),
            "{name}: {} also {:?}",
            v.advisory.id,
            v.also
        );
        let kind = v.advisory.informational().unwrap_or("vulnerability");
        rows.insert((
            v.advisory.id.clone(),
            v.package.name.clone(),
            v.package.version.clone(),
            kind.to_string(),
        ));
    }
    rows
}

#[test]
fn same_findings_as_cargo_audit() {
    let Some(shared) = common::shared() else {
        println!("skipped: ../shared is not beside the checkout");
        return;
    };
    let loaded =
        rustsec::load(&shared.join("advisories/rustsec")).unwrap_or_else(|e| panic!("{e}"));
    assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
    let mut db = AdvisoryDb::default();
    for a in loaded.advisories {
        db.add_advisory(a);
    }
    let data = common::repo().join("tests/data/cargo-audit");
    let locks = [
        shared.join("lockfiles/cargo/cargo.Cargo.lock"),
        shared.join("lockfiles/cargo/pydantic-core.Cargo.lock"),
        data.join("hand-written.Cargo.lock"),
    ];
    let mut total = 0;
    for lock in &locks {
        let name = lock
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let want = expected(&data.join(format!("{name}.tsv")));
        let got = ours(lock, &db);
        assert_eq!(
            got.difference(&want).collect::<Vec<_>>(),
            Vec::<&Row>::new(),
            "{name}: reported by us only"
        );
        assert_eq!(
            want.difference(&got).collect::<Vec<_>>(),
            Vec::<&Row>::new(),
            "{name}: reported by cargo-audit only"
        );
        total += want.len();
    }
    // The expected files are not empty by accident: 7 + 1 + 13 rows.
    assert_eq!(total, 21);
}

#[test]
fn hand_written_lock_exact_rows() {
    let Some(shared) = common::shared() else {
        println!("skipped: ../shared is not beside the checkout");
        return;
    };
    let loaded =
        rustsec::load(&shared.join("advisories/rustsec")).unwrap_or_else(|e| panic!("{e}"));
    let mut db = AdvisoryDb::default();
    for a in loaded.advisories {
        db.add_advisory(a);
    }
    let got = ours(
        &common::repo().join("tests/data/cargo-audit/hand-written.Cargo.lock"),
        &db,
    );
    let has = |id: &str, name: &str, version: &str| {
        got.iter()
            .any(|r| r.0 == id && r.1 == name && r.2 == version)
    };
    // Known-vulnerable smallvec 0.6.13 from the registry; the git copy (0.6.9) and 1.13.2 are clean.
    assert!(has("RUSTSEC-2021-0003", "smallvec", "0.6.13"));
    assert!(!got.iter().any(|r| r.1 == "smallvec" && r.2 != "0.6.13"));
    // Withdrawn advisories (dirs: RUSTSEC-2020-0053, spin: RUSTSEC-2019-0031) never match.
    assert!(!got.iter().any(|r| r.1 == "dirs" || r.1 == "spin"));
    // OS-specific advisories match without a target filter (time: Unix, tokio: Windows).
    assert!(has("RUSTSEC-2020-0071", "time", "0.1.45"));
    assert!(has("RUSTSEC-2023-0001", "tokio", "1.18.0"));
    // Pre-release ordering: 0.10.0-alpha.1 lies in [0.10.0-0, 0.10.0-alpha.2).
    assert!(has(
        "RUSTSEC-2022-0069",
        "hyper-staticfile",
        "0.10.0-alpha.1"
    ));
    // Two RustSec advisories of one crate sharing aliases both stay.
    assert!(has("RUSTSEC-2019-0036", "failure", "0.1.8"));
    assert!(has("RUSTSEC-2020-0036", "failure", "0.1.8"));
}
