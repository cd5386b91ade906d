//! Every secret rule against its fixture: the findings on `fixtures/secrets` are exactly the `expect:` markers
//! (rule id, file, line), and no secret appears in full in any output format.

mod common;

use common::{findings, json, markers, repo, run};
use std::collections::BTreeSet;

#[test]
fn secret_fixtures_yield_exactly_the_marked_findings() {
    let dir = repo().join("fixtures/secrets");
    let (code, out, err) = run(&[
        "scan",
        "fixtures/secrets",
        "--scanners",
        "secrets",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    assert_eq!(code, 0, "{err}");
    let got = findings(&json(&out));
    let want = markers(&dir);
    let missing: Vec<_> = want.difference(&got).collect();
    let noisy: Vec<_> = got.difference(&want).collect();
    assert!(
        missing.is_empty() && noisy.is_empty(),
        "missing (marked, not found): {missing:#?}\nnoisy (found, not marked): {noisy:#?}"
    );
}

#[test]
fn every_secret_rule_has_a_fixture_with_a_positive() {
    let (code, out, _) = run(&["rules", "list", "--scanner", "secrets", "--format", "json"]);
    assert_eq!(code, 0);
    let rules = json(&out);
    let ids: BTreeSet<String> = rules
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["id"].as_str().map(String::from))
        .collect();
    assert!(ids.len() >= 4, "rules list is too short: {ids:?}");
    let marked: BTreeSet<String> = markers(&repo().join("fixtures/secrets"))
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    let without: Vec<_> = ids.difference(&marked).collect();
    assert!(
        without.is_empty(),
        "rules without a positive fixture line: {without:?}"
    );
    for entry in std::fs::read_dir(repo().join("fixtures/secrets"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stem = name.split('.').next().unwrap_or_default().to_string();
        assert!(
            ids.contains(&stem),
            "fixture {name} is not named after a rule id"
        );
    }
}

#[test]
fn secrets_are_never_printed_in_full() {
    let (_, out, _) = run(&[
        "scan",
        "fixtures/secrets",
        "--scanners",
        "secrets",
        "--format",
        "json",
        "--fail-on",
        "never",
    ]);
    let report = json(&out);
    let mut secrets = Vec::new();
    for f in report["findings"].as_array().into_iter().flatten() {
        // Paths are relative to the repository root.
        let path = repo().join(f["location"]["path"].as_str().unwrap_or_default());
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let line = f["location"]["start_line"].as_u64().unwrap_or(0) as usize;
        let end_line = f["location"]["end_line"].as_u64().unwrap_or(0) as usize;
        if line != end_line {
            continue; // multi-line secrets (key blocks) are covered by their body lines below
        }
        let l: Vec<char> = text
            .split('\n')
            .nth(line - 1)
            .unwrap_or_default()
            .chars()
            .collect();
        let s = f["location"]["start_column"].as_u64().unwrap_or(1) as usize - 1;
        let e = f["location"]["end_column"].as_u64().unwrap_or(1) as usize - 1;
        let secret: String = l[s..e.min(l.len())].iter().collect();
        assert!(
            secret.chars().count() >= 8,
            "secret span too short at {path:?}:{line}: {secret}"
        );
        secrets.push(secret);
    }
    assert!(!secrets.is_empty());
    for format in ["text", "json", "sarif", "github"] {
        let (_, out, err) = run(&[
            "scan",
            "fixtures/secrets",
            "--scanners",
            "secrets",
            "--format",
            format,
            "--fail-on",
            "never",
            "--verbose",
        ]);
        for s in &secrets {
            assert!(
                !out.contains(s.as_str()),
                "{format} output contains a secret in full: {s}"
            );
            assert!(
                !err.contains(s.as_str()),
                "{format} stderr contains a secret in full: {s}"
            );
        }
    }
}
