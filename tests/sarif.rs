//! SARIF output validates against the official 2.1.0 schema and carries what GitHub code scanning reads.

mod common;

use common::{json, portcullis, run, run_in, shared, Tree};
use serde_json::Value;

fn validate(log: &Value) {
    if let Some(errors) = schema_errors(log) {
        assert!(
            errors.is_empty(),
            "SARIF does not validate:\n{}",
            errors.join("\n")
        );
    }
}

/// Schema violations of `log`; `None` when the schema is not available.
fn schema_errors(log: &Value) -> Option<Vec<String>> {
    let Some(shared) = shared() else {
        println!("skipped schema validation: ../shared/schemas/sarif-schema-2.1.0.json is not beside the checkout");
        return None;
    };
    let schema_text =
        std::fs::read_to_string(shared.join("schemas/sarif-schema-2.1.0.json")).unwrap_or_default();
    let schema: Value = json(&schema_text);
    let validator = jsonschema::validator_for(&schema)
        .unwrap_or_else(|e| panic!("schema does not compile: {e}"));
    Some(
        validator
            .iter_errors(log)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect(),
    )
}

#[test]
fn the_schema_check_rejects_invalid_sarif() {
    let (_, out, _) = run(&["scan", "fixtures/gate", "--format", "sarif"]);
    let mut log = json(&out);
    log["runs"][0]["results"][0]["level"] = Value::from("fatal");
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        Value::from(0);
    if let Some(errors) = schema_errors(&log) {
        assert_eq!(errors.len(), 2, "{errors:?}");
    }
}

#[test]
fn sarif_of_the_fixtures_validates_against_the_schema() {
    for extra in [
        &[][..],
        &["--sarif-suppressed", "include", "--category", "pr"][..],
    ] {
        let mut args = vec!["scan", "fixtures", "--format", "sarif"];
        args.extend_from_slice(extra);
        let (code, out, _) = run(&args);
        assert_eq!(code, 1);
        validate(&json(&out));
    }
    // On GitHub: the repository, commit and branch as versionControlProvenance.
    let mut cmd = portcullis();
    cmd.env("GITHUB_ACTIONS", "true")
        .env("GITHUB_REPOSITORY", "acme/shop")
        .env("GITHUB_SHA", "0123abcd")
        .env("GITHUB_REF_NAME", "main");
    let (_, out, _) = run_in(cmd, &["scan", "fixtures/gate", "--format", "sarif"]);
    let log = json(&out);
    assert_eq!(
        log["runs"][0]["versionControlProvenance"][0]["repositoryUri"],
        "https://github.com/acme/shop"
    );
    validate(&log);
}

#[test]
fn sarif_has_what_github_reads() {
    let (_, out, _) = run(&[
        "scan",
        "fixtures/gate",
        "--format",
        "sarif",
        "--category",
        "portcullis/secrets",
    ]);
    let log = json(&out);
    let run0 = &log["runs"][0];
    let driver = &run0["tool"]["driver"];
    assert_eq!(driver["name"], "portcullis");
    assert!(driver["semanticVersion"]
        .as_str()
        .is_some_and(|v| v.split('.').count() == 3));
    assert!(driver["informationUri"]
        .as_str()
        .is_some_and(|u| u.starts_with("https://")));
    assert_eq!(run0["automationDetails"]["id"], "portcullis/secrets/");
    let rules = driver["rules"].as_array().cloned().unwrap_or_default();
    let ids: Vec<&str> = rules.iter().filter_map(|r| r["id"].as_str()).collect();
    assert_eq!(
        ids,
        ["generic-env-credential", "github-classic-pat"],
        "only the rules that fired"
    );
    for r in &rules {
        for key in [
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "properties",
        ] {
            assert!(r.get(key).is_some(), "rule {} lacks {key}", r["id"]);
        }
        assert!(r["help"]["markdown"]
            .as_str()
            .is_some_and(|m| m.contains("## How to fix")));
        let p = &r["properties"];
        assert!(p["security-severity"]
            .as_str()
            .is_some_and(|s| s.parse::<f64>().is_ok()));
        let tags: Vec<&str> = p["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            tags.contains(&"security") && tags.contains(&"external/cwe/cwe-798"),
            "{tags:?}"
        );
        assert!(tags.len() <= 20);
        assert!(p["precision"].as_str().is_some());
    }
    let results = run0["results"].as_array().cloned().unwrap_or_default();
    for res in &results {
        let idx = res["ruleIndex"].as_u64().unwrap_or(u64::MAX) as usize;
        assert_eq!(rules[idx]["id"], res["ruleId"]);
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert!(!loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap_or("/")
            .starts_with('/'));
        assert!(loc["region"]["startLine"].as_u64().is_some_and(|l| l >= 1));
        let hash = res["partialFingerprints"]["primaryLocationLineHash"]
            .as_str()
            .unwrap_or_default();
        assert!(hash.len() == 18 && hash.ends_with(":1"), "{hash}");
    }
    let first = &results[0];
    assert_eq!(first["level"], "error");
    // Regression (issue 8, defect 4): relative to the repository root (%SRCROOT%), not to the scan argument.
    assert_eq!(
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "fixtures/gate/app/settings.py"
    );
    assert_eq!(
        first["locations"][0]["physicalLocation"]["region"]["startLine"],
        4
    );
    assert_eq!(run0["invocations"][0]["executionSuccessful"], true);
    validate(&log);
}

#[test]
fn diagnostics_become_notifications_and_errors_mark_the_run_unsuccessful() {
    let t = Tree::new();
    // Over the limit, a text file is still read for secrets (no notification); a lock file is not audited.
    t.write("big.txt", "x".repeat(2048));
    t.write(
        "requirements.txt",
        format!("{}requests==2.0.0\n", "# pad\n".repeat(400)),
    );
    t.write("ok.py", "x = 1\n");
    let (code, out, _) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--format",
        "sarif",
        "--max-file-size",
        "1KB",
    ]);
    assert_eq!(code, 2);
    let log = json(&out);
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0]["descriptor"]["id"], "file-too-large");
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "requirements.txt"
    );
    assert_eq!(
        log["runs"][0]["invocations"][0]["executionSuccessful"],
        false
    );
    validate(&log);
}

#[test]
fn results_over_githubs_limit_are_cut_by_severity() {
    let t = Tree::new();
    // 25,001 medium findings (one value on every line, so one fingerprint derivation) plus one critical:
    // the critical must survive the cut.
    let mut env = String::new();
    for i in 0..25_001u32 {
        env.push_str(&format!("API_TOKEN_{i}=Zq7c4e1a9bVn3Kd0Lw7Zp2Rt6Yx1Bm\n"));
    }
    t.write("many.env", env);
    let tok = ["ghp_", "T5wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNz"].concat();
    t.write("zz.py", format!("T = \"{tok}\"\n"));
    let (code, out, _) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--format",
        "sarif",
    ]);
    assert_eq!(code, 1);
    let log = json(&out);
    let results = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(results.len(), 25_000);
    assert!(results.iter().any(|r| r["ruleId"] == "github-classic-pat"));
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        notes
            .iter()
            .any(|n| n["descriptor"]["id"] == "results-truncated"),
        "{notes:?}"
    );
}
