//! The gate end to end on `fixtures/gate` and on temporary trees: exit codes, exact findings, suppressions,
//! config, baseline, determinism and snapshots of every output format.

mod common;

use common::{findings, json, markers, portcullis, repo, run, run_in, Tree};
use serde_json::Value;

fn gate_report(extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["scan", "fixtures/gate", "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    assert!(!out.is_empty(), "no output; stderr: {err}");
    (code, json(&out))
}

#[test]
fn gate_fixture_findings_are_exactly_the_markers() {
    let (code, report) = gate_report(&[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&report), markers(&repo().join("fixtures/gate")));
}

#[test]
fn suppressions_keep_their_justification() {
    let (_, report) = gate_report(&[]);
    let by_line = |line: u64| {
        report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| {
                f["location"]["path"] == "fixtures/gate/app/settings.py"
                    && f["location"]["start_line"] == line
            })
            .cloned()
            .unwrap_or_else(|| panic!("no finding on line {line}"))
    };
    assert_eq!(by_line(4)["suppression"], Value::Null);
    assert_eq!(by_line(8)["suppression"]["kind"], "in-source");
    assert_eq!(
        by_line(8)["suppression"]["justification"],
        "revoked demo token used in docs/tutorial.md"
    );
    assert_eq!(
        by_line(10)["suppression"]["justification"],
        "rotated weekly by the mirror job"
    );
    // Regression (issue 8, defect 3): a bare `nosemgrep` is Semgrep's and silences SAST findings only.
    assert_eq!(
        by_line(13)["suppression"],
        Value::Null,
        "nosemgrep must not silence a secret"
    );
    assert_eq!(
        by_line(14)["suppression"]["justification"],
        "gitleaks:allow"
    );
    assert_eq!(
        by_line(15)["suppression"],
        Value::Null,
        "a suppression for another rule must not apply"
    );
    let diags = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        diags.iter().any(|d| d["code"] == "broad-suppression"
            && d["path"] == "fixtures/gate/app/settings.py"
            && d["line"] == 10),
        "{diags:?}"
    );
    // A token whose format proves it real keeps its severity in a test path.
    let test = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["location"]["path"] == "fixtures/gate/tests/test_client.py");
    assert_eq!(
        test.map(|f| f["severity"].clone()),
        Some(Value::from("critical"))
    );
    assert_eq!(
        report["gate"]["failing"],
        serde_json::json!({ "critical": 4 })
    );
}

#[test]
fn fail_on_thresholds() {
    assert_eq!(run(&["scan", "fixtures/gate", "--fail-on", "never"]).0, 0);
    assert_eq!(
        run(&["scan", "fixtures/gate", "--fail-on", "critical"]).0,
        1
    );
    assert_eq!(
        run(&["scan", "fixtures/gate/deploy", "--fail-on", "high"]).0,
        0,
        "medium findings pass at high"
    );
    assert_eq!(
        run(&["scan", "fixtures/gate/deploy", "--fail-on", "medium"]).0,
        1
    );
    let (code, _, err) = run(&["scan", "fixtures/gate", "--fail-on", "severe"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("critical, high, medium, low, info, never"),
        "{err}"
    );
}

#[test]
fn fixtures_dir_scan_writes_valid_outputs_and_fails() {
    let t = Tree::new();
    let sarif = t.path().join("out.sarif");
    let js = t.path().join("out.json");
    let (code, out, err) = run(&[
        "scan",
        "fixtures",
        "--sarif",
        sarif.to_str().unwrap_or_default(),
        "--json",
        js.to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        out.trim_end().ends_with(')') && out.contains("gate: FAILED ("),
        "{out}"
    );
    let log = json(&std::fs::read_to_string(&sarif).unwrap_or_default());
    // The secrets fixtures carry `expect:` markers; the dependency fixtures are checked in tests/deps.rs, the
    // IaC fixtures (markers of their own) in `iac_fixtures_report_exactly_their_markers`.
    let secret_markers: std::collections::BTreeSet<_> = markers(&repo().join("fixtures"))
        .into_iter()
        .filter(|(_, path, _)| !path.starts_with("fixtures/iac/"))
        .collect();
    let results: Vec<_> = log["runs"][0]["results"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r["properties"]["scanner"] == "secrets")
        .collect();
    assert_eq!(
        results.len(),
        secret_markers.len(),
        "one SARIF result per planted secret"
    );
    let mut report = json(&std::fs::read_to_string(&js).unwrap_or_default());
    if let Some(all) = report["findings"].as_array_mut() {
        all.retain(|f| f["scanner"] == "secrets");
    }
    assert_eq!(findings(&report), secret_markers);
}

#[test]
fn output_is_identical_for_any_thread_count() {
    for format in ["text", "json", "sarif", "github", "junit"] {
        let a = run(&["scan", "fixtures", "--format", format, "--jobs", "1"]);
        let b = run(&["scan", "fixtures", "--format", format, "--jobs", "4"]);
        assert_eq!(a.0, b.0);
        assert!(
            a.1 == b.1,
            "{format} output differs between --jobs 1 and --jobs 4"
        );
    }
    let t = Tree::new();
    let pages: Vec<String> = ["1", "4"]
        .iter()
        .map(|jobs| {
            let page = t.path().join(format!("report-{jobs}.html"));
            run(&[
                "scan",
                "fixtures",
                "--html",
                page.to_str().unwrap_or_default(),
                "--jobs",
                jobs,
            ]);
            std::fs::read_to_string(&page).unwrap_or_default()
        })
        .collect();
    assert!(
        !pages[0].is_empty() && pages[0] == pages[1],
        "the HTML report differs between --jobs 1 and --jobs 4"
    );
}

#[test]
fn sarif_suppressed_results_follow_the_environment() {
    let count = |env_actions: bool, flag: Option<&str>| {
        let mut cmd = portcullis();
        if env_actions {
            cmd.env("GITHUB_ACTIONS", "true");
        }
        let mut args = vec!["scan", "fixtures/gate", "--format", "sarif"];
        if let Some(f) = flag {
            args.extend_from_slice(&["--sarif-suppressed", f]);
        }
        let (_, out, _) = run_in(cmd, &args);
        let log = json(&out);
        let results = log["runs"][0]["results"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let suppressed = results
            .iter()
            .filter(|r| r.get("suppressions").is_some())
            .count();
        (results.len(), suppressed)
    };
    assert_eq!(count(false, None), (8, 3));
    assert_eq!(count(true, None), (5, 0));
    assert_eq!(count(true, Some("include")), (8, 3));
    assert_eq!(count(false, Some("omit")), (5, 0));
}

#[test]
fn github_mode_writes_step_outputs_a_job_summary_and_provenance() {
    let t = Tree::new();
    let token = ["ghp_", "Q7wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNi"].concat();
    t.write("src/app.py", format!("TOKEN = \"{token}\"\n"));
    t.write(
        "deploy/Dockerfile",
        "FROM debian:13-slim\nRUN curl -fsSL https://x.example/i.sh | sh\nUSER 10001\n",
    );
    let outputs = t.path().join("github-output");
    let summary = t.path().join("step-summary");
    let sarif = t.path().join("out.sarif");
    let github = |format: &str| {
        let mut cmd = portcullis();
        cmd.current_dir(t.path())
            .env("GITHUB_ACTIONS", "true")
            .env("GITHUB_OUTPUT", &outputs)
            .env("GITHUB_STEP_SUMMARY", &summary)
            .env("GITHUB_SERVER_URL", "https://github.example")
            .env("GITHUB_REPOSITORY", "acme/shop")
            .env("GITHUB_SHA", "0123abcd")
            .env("GITHUB_REF_NAME", "main")
            .env_remove("GITHUB_HEAD_REF");
        let sarif = sarif.to_str().unwrap_or_default();
        run_in(
            cmd,
            &[
                "scan",
                ".",
                "--scanners",
                "secrets,iac",
                "--format",
                format,
                "--sarif",
                sarif,
            ],
        )
    };
    let (code, out, _) = github("text");
    assert_eq!(code, 1);
    let first: Vec<&str> = out.lines().take(2).collect();
    assert!(
        first[0].starts_with("::error file=deploy/Dockerfile,line=2,"),
        "{out}"
    );
    assert!(
        first[1].starts_with("::error file=src/app.py,line=1,"),
        "{out}"
    );
    assert!(!out.contains(&token), "the token leaked: {out}");
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap_or_default();
    let sarif_path = sarif.display().to_string();
    assert_eq!(
        read(&outputs),
        format!("sarif-file={sarif_path}\nfindings=2\ngate=failed\n")
    );
    assert_eq!(
        read(&summary),
        "## portcullis: gate failed\n\n\
         gate: FAILED (1 critical, 1 high)\n\n\
         | scanner | critical | high | medium | low | info |\n\
         |---|---|---|---|---|---|\n\
         | iac | 0 | 1 | 0 | 0 | 0 |\n\
         | secrets | 1 | 0 | 0 | 0 | 0 |\n\n\
         | severity | rule | where | finding |\n\
         |---|---|---|---|\n\
         | critical | github-classic-pat | [src/app.py:1](https://github.example/acme/shop/blob/0123abcd/src/app.py#L1) \
         | GitHub personal access token (classic) found: ghp\\_…\\[redacted, 40 chars\\] |\n\
         | high | docker-remote-script-piped-to-shell | \
         [deploy/Dockerfile:2](https://github.example/acme/shop/blob/0123abcd/deploy/Dockerfile#L2) \
         | a script is downloaded and run unchecked: curl -fsSL https://x.example/i.sh |\n"
    );
    let log = json(&read(&sarif));
    assert_eq!(
        log["runs"][0]["versionControlProvenance"],
        serde_json::json!([{
            "repositoryUri": "https://github.example/acme/shop",
            "revisionId": "0123abcd",
            "branch": "main"
        }])
    );
    // JSON on stdout stays JSON; the files are appended to, as the runner expects.
    let (code, out, _) = github("json");
    assert_eq!(code, 1);
    assert_eq!(json(&out)["findings"].as_array().map(Vec::len), Some(2));
    assert_eq!(read(&outputs).matches("gate=failed").count(), 2);
    // Outside Actions nothing is written unless asked.
    std::fs::remove_file(&outputs).unwrap_or_default();
    let mut cmd = portcullis();
    cmd.current_dir(t.path()).env("GITHUB_OUTPUT", &outputs);
    let (_, out, _) = run_in(cmd, &["scan", ".", "--scanners", "secrets"]);
    assert!(!outputs.exists() && !out.starts_with("::"), "{out}");
}

/// Runs git in `dir`: its output when it succeeds (`None` also when git is missing).
fn git_in(dir: &std::path::Path, args: &[&str]) -> Option<String> {
    std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
}

/// Every string of a YAML document, depth first.
fn strings(n: &portcullis::document::Node, out: &mut Vec<String>) {
    use portcullis::document::Value as V;
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        match &n.value {
            V::Str(s) => out.push(s.to_string()),
            V::Seq(items) => stack.extend(items.iter()),
            V::Map(m) => stack.extend(m.iter().flat_map(|(k, v)| [k, v])),
            _ => {}
        }
    }
}

/// Names after `prefix` (`inputs.`, `steps.`) in the `${{ … }}` expressions of `text`.
fn referenced(text: &str, prefix: &str) -> Vec<String> {
    let mut out = Vec::new();
    for expr in text.split("${{").skip(1) {
        let expr = expr.split("}}").next().unwrap_or_default();
        for part in expr.split(prefix).skip(1) {
            let name: String = part
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            out.push(name);
        }
    }
    out
}

#[test]
fn the_action_and_our_workflows_are_well_formed_pinned_and_pass_our_checks() {
    use portcullis::document::yaml::parse_stream;
    let text = std::fs::read_to_string(repo().join("action.yml")).unwrap_or_default();
    let docs = parse_stream(&text).unwrap_or_else(|e| panic!("action.yml: {e}"));
    let action = &docs[0];
    let inputs: Vec<&str> = action
        .get("inputs")
        .and_then(|i| i.as_map())
        .unwrap_or_default()
        .iter()
        .filter_map(|(k, _)| k.as_str())
        .collect();
    for name in [
        "path",
        "scanners",
        "fail-on",
        "config",
        "rules",
        "advisories",
        "sarif-file",
        "upload-sarif",
        "diff-base",
        "history",
        "category",
        "args",
    ] {
        assert!(inputs.contains(&name), "input {name} missing");
    }
    let steps = action
        .get("runs")
        .and_then(|r| r.get("steps"))
        .and_then(|s| s.as_seq())
        .unwrap_or_default();
    assert!(!steps.is_empty());
    let ids: Vec<&str> = steps
        .iter()
        .filter_map(|s| s.get("id").and_then(|i| i.as_str()))
        .collect();
    let mut all = Vec::new();
    strings(action, &mut all);
    for s in &all {
        for i in referenced(s, "inputs.") {
            assert!(
                inputs.contains(&i.as_str()),
                "`inputs.{i}` is not an input: {s}"
            );
        }
        for id in referenced(s, "steps.") {
            assert!(
                ids.contains(&id.as_str()),
                "`steps.{id}` is not a step: {s}"
            );
        }
    }
    for out in ["sarif-file", "findings", "gate"] {
        let value = action
            .get("outputs")
            .and_then(|o| o.get(out))
            .and_then(|o| o.get("value"))
            .and_then(|v| v.as_str());
        assert_eq!(
            value,
            Some(format!("${{{{ steps.scan.outputs.{out} }}}}").as_str())
        );
    }
    let (_, help, _) = run(&["scan", "--help"]);
    for step in steps {
        let name = step.get("name").and_then(|n| n.as_str()).unwrap_or("?");
        if let Some(script) = step.get("run").and_then(|r| r.as_str()) {
            assert!(step.get("shell").is_some(), "step `{name}` has no shell");
            // Inputs reach scripts through `env`, never expanded into them.
            assert!(
                !script.contains("${{"),
                "step `{name}` expands an expression into its script"
            );
            if name == "Scan" {
                for flag in script.split_whitespace().filter(|w| w.starts_with("--")) {
                    let flag = flag.split('=').next().unwrap_or_default();
                    let flag = flag.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
                    assert!(help.contains(flag), "`portcullis scan` has no {flag}");
                }
            }
        }
    }
    // Every third-party action pinned to a full commit, its version in a comment.
    let mut files = vec![repo().join("action.yml")];
    for e in std::fs::read_dir(repo().join(".github/workflows"))
        .into_iter()
        .flatten()
        .flatten()
    {
        files.push(e.path());
    }
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        parse_stream(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        for line in text
            .lines()
            .filter(|l| l.trim_start().trim_start_matches("- ").starts_with("uses:"))
        {
            let target = line.split("uses:").nth(1).unwrap_or_default().trim();
            if target.starts_with("./") {
                continue;
            }
            let (_, rest) = target
                .split_once('@')
                .unwrap_or_else(|| panic!("unpinned: {line}"));
            let sha: String = rest.chars().take_while(|c| c.is_ascii_hexdigit()).collect();
            assert_eq!(sha.len(), 40, "not pinned to a commit: {line}");
            assert!(rest.contains("# v"), "no version comment: {line}");
        }
    }
    let workflows = std::fs::read_to_string(repo().join(".github/workflows/portcullis.yml"))
        .unwrap_or_default();
    assert!(
        workflows.contains("uses: ./"),
        "the project's workflow runs the action on itself"
    );
    // The release workflow: a static binary and its SHA-256 per platform, published from the tag only, with the
    // one write permission in the publishing job; the action downloads that binary and checks the sum.
    let release =
        std::fs::read_to_string(repo().join(".github/workflows/release.yml")).unwrap_or_default();
    let release = &parse_stream(&release).unwrap_or_else(|e| panic!("{e}"))[0];
    let tags = release
        .get("on")
        .and_then(|o| o.get("push"))
        .and_then(|p| p.get("tags"));
    assert!(tags.is_some(), "release runs on tags");
    let targets: Vec<String> = release
        .get("jobs")
        .and_then(|j| j.get("build"))
        .and_then(|b| b.get("strategy"))
        .and_then(|s| s.get("matrix"))
        .and_then(|m| m.get("include"))
        .and_then(|i| i.as_seq())
        .unwrap_or_default()
        .iter()
        .filter_map(|t| t.get("target").and_then(|t| t.as_str()).map(String::from))
        .collect();
    for t in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "aarch64-apple-darwin",
        "x86_64-pc-windows-msvc",
    ] {
        assert!(targets.iter().any(|x| x == t), "no {t} build");
    }
    let mut release_text = Vec::new();
    strings(release, &mut release_text);
    assert!(
        release_text.iter().any(|s| s.contains("sha256sum")),
        "no checksums"
    );
    assert_eq!(
        release
            .get("permissions")
            .and_then(|p| p.get("contents"))
            .and_then(|c| c.as_str()),
        Some("read")
    );
    assert!(all
        .iter()
        .any(|s| s.contains("releases/download/") && s.contains(".sha256")));
    // The organisation fan-out: a reusable workflow that merges what its matrix jobs report.
    let org =
        std::fs::read_to_string(repo().join(".github/workflows/org-scan.yml")).unwrap_or_default();
    let org = &parse_stream(&org).unwrap_or_else(|e| panic!("{e}"))[0];
    let call = org.get("on").and_then(|o| o.get("workflow_call"));
    for input in ["repositories", "portcullis-version"] {
        let required = call
            .and_then(|c| c.get("inputs"))
            .and_then(|i| i.get(input))
            .and_then(|i| i.get("required"));
        assert_eq!(
            required.map(|r| &r.value),
            Some(&portcullis::document::Value::Bool(true)),
            "{input}"
        );
    }
    let mut org_text = Vec::new();
    strings(org, &mut org_text);
    assert!(
        org_text
            .iter()
            .any(|s| s.contains("portcullis\" merge --output")),
        "no merge"
    );
    // The image: static binary on an empty base, not root, no shell to run.
    let docker = std::fs::read_to_string(repo().join("Dockerfile")).unwrap_or_default();
    let final_stage = docker.rsplit("\nFROM ").next().unwrap_or_default();
    assert!(final_stage.starts_with("scratch"), "{final_stage}");
    assert!(final_stage.contains("\nUSER 65532:65532\n"));
    assert!(final_stage.contains("ENTRYPOINT [\"/usr/local/bin/portcullis\"]"));
    // Our own IaC checks pass on our own action, workflows and image.
    let (code, out, err) = run(&[
        "scan",
        "action.yml",
        ".github",
        "Dockerfile",
        "--scanners",
        "iac",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["findings"].as_array().map(Vec::len), Some(0));
}

#[test]
fn the_pre_commit_hooks_block_a_staged_secret_until_the_fix_is_staged() {
    let git_here = |dir: &std::path::Path, args: &[&str]| git_in(dir, args).is_some();
    let t = Tree::new();
    if !git_here(t.path(), &["init", "-q"]) {
        println!("skipped: git is not available");
        return;
    }
    for kv in [["user.email", "dev@example.com"], ["user.name", "dev"]] {
        git_here(t.path(), &["config", kv[0], kv[1]]);
    }
    let hooks = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap_or_default();
    let hooks = portcullis::document::yaml::parse_stream(&hooks).unwrap_or_else(|e| panic!("{e}"));
    let entry = |id: &str| -> Vec<String> {
        let hook = hooks[0]
            .as_seq()
            .unwrap_or_default()
            .iter()
            .find(|h| h.get("id").and_then(|i| i.as_str()) == Some(id))
            .unwrap_or_else(|| panic!("no hook {id}"));
        assert_eq!(hook.get("language").and_then(|l| l.as_str()), Some("rust"));
        let words: Vec<String> = hook
            .get("entry")
            .and_then(|e| e.as_str())
            .unwrap_or_default()
            .split_whitespace()
            .map(String::from)
            .collect();
        assert_eq!(words[0], "portcullis");
        words[1..].to_vec()
    };
    let hook = |id: &str| {
        let mut cmd = portcullis();
        cmd.current_dir(t.path());
        let args = entry(id);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_in(cmd, &args)
    };
    let token = ["ghp_", "Q7wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNi"].concat();
    t.write("src/app.py", format!("TOKEN = \"{token}\"\n"));
    git_here(t.path(), &["add", "src/app.py"]);
    for id in ["portcullis-secrets", "portcullis"] {
        let (code, out, err) = hook(id);
        assert_eq!(code, 1, "{id}: {out}{err}");
        assert!(
            out.contains("src/app.py\n  1:10 critical github-classic-pat"),
            "{id}: {out}"
        );
        assert!(!out.contains(&token));
    }
    // The commit holds the index, not the working tree: fixing the file without staging the fix still blocks.
    t.write("src/app.py", "TOKEN = os.environ[\"TOKEN\"]\n");
    assert_eq!(hook("portcullis-secrets").0, 1);
    git_here(t.path(), &["add", "src/app.py"]);
    // A secret only in the working tree (not staged) is not part of the commit.
    t.write("notes.txt", format!("{token}\n"));
    let (code, out, err) = hook("portcullis-secrets");
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 file scanned"), "{out}");
    // Outside a repository: a clear error, never a silent pass.
    let outside = Tree::new();
    let mut cmd = portcullis();
    cmd.current_dir(outside.path())
        .env("GIT_CEILING_DIRECTORIES", outside.path());
    let (code, _, err) = run_in(cmd, &["scan", "--staged"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--staged scans a git repository"), "{err}");
}

#[test]
fn diff_base_reports_only_what_the_change_brings() {
    let t = Tree::new();
    let git = |args: &[&str]| git_in(t.path(), args).is_some();
    if !git(&["init", "-q", "-b", "main"]) {
        println!("skipped: git is not available");
        return;
    }
    git(&["config", "user.email", "dev@example.com"]);
    git(&["config", "user.name", "dev"]);
    let old = ["ghp_", "Q7wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNi"].concat();
    let new = ["ghp_", "Z7wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNq"].concat();
    t.write("src/old.py", format!("TOKEN = \"{old}\"\n"));
    t.write("Dockerfile", "FROM debian:13-slim\nUSER 10001\n");
    // An old vulnerable pin (stays) and a safe one (the change makes it vulnerable).
    t.write("requirements.txt", "jinja2==2.10\ndjango==4.2.2\n");
    assert!(git(&["add", "-A"]) && git(&["commit", "-qm", "base"]));
    assert!(git(&["checkout", "-qb", "feature"]));
    // The old secret moves down a line (still old); a new one and a new Dockerfile finding come in.
    t.write("src/old.py", format!("import os\nTOKEN = \"{old}\"\n"));
    t.write("src/new.py", format!("TOKEN = \"{new}\"\n"));
    t.write(
        "Dockerfile",
        "FROM debian:13-slim\nRUN curl -fsSL https://x.example/i.sh | sh\nUSER 10001\n",
    );
    t.write("requirements.txt", "jinja2==2.10\ndjango==4.2.1\n");
    assert!(git(&["add", "-A"]) && git(&["commit", "-qm", "change"]));
    let advisories = repo().join("fixtures/deps/advisories");
    let advisories = advisories.to_str().unwrap_or_default();
    let cache = Tree::new();
    let cache = cache.path().to_str().unwrap_or_default();
    let scan = |args: &[&str]| {
        let mut cmd = portcullis();
        cmd.current_dir(t.path());
        run_in(cmd, args)
    };
    let (code, out, err) = scan(&[
        "scan",
        "--diff-base",
        "main",
        "--scanners",
        "secrets,iac,deps",
        "--advisories",
        advisories,
        "--cache-dir",
        cache,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    assert_eq!(
        findings(&report),
        std::collections::BTreeSet::from([
            (
                "docker-remote-script-piped-to-shell".to_string(),
                "Dockerfile".to_string(),
                2
            ),
            ("PCXT-2026-0602".into(), "requirements.txt".into(), 2),
            ("github-classic-pat".into(), "src/new.py".into(), 1),
        ])
    );
    let notes = report["diagnostics"].to_string();
    assert!(
        notes.contains("2 finding(s) that the merge base"),
        "{notes}"
    );
    // Without the change's findings the gate passes; the full scan would not.
    t.write("src/new.py", "TOKEN = os.environ[\"TOKEN\"]\n");
    t.write("Dockerfile", "FROM debian:13-slim\nUSER 10001\n");
    assert_eq!(
        scan(&["scan", "--diff-base", "main", "--scanners", "secrets,iac"]).0,
        0
    );
    assert_eq!(scan(&["scan", "--scanners", "secrets,iac"]).0, 1);
    // A base that does not exist: a clear error, never a silent full pass.
    let (code, _, err) = scan(&["scan", "--diff-base", "no-such-branch"]);
    assert_eq!(code, 2);
    assert!(err.contains("--diff-base no-such-branch"), "{err}");
}

#[test]
fn git_range_finds_a_secret_added_and_removed_within_the_range() {
    let t = Tree::new();
    let git = |args: &[&str]| git_in(t.path(), args);
    if git(&["init", "-q", "-b", "main"]).is_none() {
        println!("skipped: git is not available");
        return;
    }
    git(&["config", "user.email", "dev@example.com"]);
    git(&["config", "user.name", "dev"]);
    t.write("src/my app.py", "import os\n");
    git(&["add", "-A"]);
    git(&["commit", "-qm", "base"]);
    git(&["tag", "base"]);
    let token = ["ghp_", "Q7wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNi"].concat();
    t.write("src/my app.py", format!("import os\nTOKEN = \"{token}\"\n"));
    git(&["commit", "-qam", "add a token"]);
    let added = git(&["rev-parse", "HEAD"]).unwrap_or_default();
    t.write(
        "src/my app.py",
        "import os\nTOKEN = os.environ[\"TOKEN\"]\n",
    );
    git(&["commit", "-qam", "remove it"]);
    let scan = |args: &[&str]| {
        let mut cmd = portcullis();
        cmd.current_dir(t.path());
        run_in(cmd, args)
    };
    // The tree is clean now; its history is not.
    assert_eq!(scan(&["scan", "--scanners", "secrets"]).0, 0);
    for range in [&["--git-range", "base..HEAD"][..], &["--git-log-all"][..]] {
        let mut args = vec!["scan", "--format", "json"];
        args.extend_from_slice(range);
        let (code, out, err) = scan(&args);
        assert_eq!(code, 1, "{range:?}: {err}");
        let report = json(&out);
        assert_eq!(
            findings(&report),
            std::collections::BTreeSet::from([(
                "github-classic-pat".to_string(),
                "src/my app.py".to_string(),
                2
            )])
        );
        let f = &report["findings"][0];
        assert_eq!(f["commit"]["sha"], added.as_str());
        let short = &added[..12];
        assert!(
            f["message"].as_str().unwrap_or_default().contains(short),
            "{f}"
        );
        assert!(!out.contains(&token));
    }
    // Nothing in a range after the removal; other scanners are refused; a bad range fails closed.
    assert_eq!(scan(&["scan", "--git-range", "HEAD~1..HEAD"]).0, 0);
    assert_eq!(
        scan(&["scan", "--git-range", "base..HEAD", "--scanners", "iac"]).0,
        2
    );
    let (code, _, err) = scan(&["scan", "--git-range", "nowhere..HEAD"]);
    assert_eq!(code, 2);
    assert!(err.contains("--git-range nowhere..HEAD"), "{err}");
}

#[test]
fn junit_reports_gate_failures_as_failures_and_escapes_content() {
    let t = Tree::new();
    let token = ["ghp_", "Q7wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNi"].concat();
    t.write("src/app.py", format!("TOKEN = \"{token}\"\n"));
    t.write(
        "Dockerfile",
        "FROM debian:13-slim\nRUN curl -fsSL \"https://x.example/i.sh?a=<b>&c\" | sh\nUSER 10001\n",
    );
    let root = t.path().to_str().unwrap_or_default();
    let (code, out, _) = run(&[
        "scan",
        root,
        "--scanners",
        "secrets,iac",
        "--fail-on",
        "critical",
        "--format",
        "junit",
    ]);
    assert_eq!(code, 1);
    assert!(!out.contains(&token));
    // Well-formed XML, whatever the scanned content holds.
    let mut reader = quick_xml::Reader::from_str(&out);
    let mut cases = 0;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e))
                if e.local_name().into_inner() == "testcase" =>
            {
                cases += 1
            }
            Ok(_) => {}
            Err(e) => panic!("not XML: {e}\n{out}"),
        }
    }
    assert_eq!(cases, 2, "{out}");
    assert!(
        out.contains("<testsuites name=\"portcullis\" tests=\"2\" failures=\"1\" errors=\"0\">"),
        "{out}"
    );
    // The critical secret fails the gate; the high Dockerfile finding is reported but passes.
    assert!(out.contains("<testcase classname=\"secrets.github-classic-pat\" name=\"src/app.py:1:10 github-classic-pat\" file=\"src/app.py\" line=\"1\">\n      <failure type=\"critical\""), "{out}");
    assert!(
        out.contains("<system-out>docker-remote-script-piped-to-shell (high)"),
        "{out}"
    );
    assert!(out.contains("a=&lt;b&gt;&amp;c"), "{out}");
}

#[test]
fn init_writes_a_starter_config_that_loads_and_never_overwrites() {
    let t = Tree::new();
    let root = t.path().to_str().unwrap_or_default();
    let (code, out, err) = run(&["init", root]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("wrote "), "{out}");
    let written = std::fs::read_to_string(t.path().join("portcullis.toml")).unwrap_or_default();
    // Every top-level key and every scanner, with its default.
    for key in [
        "fail-on = \"high\"",
        "include =",
        "exclude = []",
        "max-file-size = \"10MB\"",
        "test-paths =",
        "test-path-lowering = 2",
        "[scanners]",
        "secrets = true",
        "deps = true",
        "sast = true",
        "iac = true",
        "[deps]",
        "max-db-age = 7",
        "[rules]",
        "[[ignore]]",
    ] {
        assert!(written.contains(key), "{key} missing from the starter");
    }
    // The scan reads it (a bad key would be exit 2).
    t.write("src/app.py", "print('hello')\n");
    assert_eq!(run(&["scan", root, "--scanners", "secrets,sast,iac"]).0, 0);
    // Never over an existing file without --force.
    t.write("portcullis.toml", "fail-on = \"low\"\n");
    let (code, _, err) = run(&["init", root]);
    assert_eq!(code, 2);
    assert!(err.contains("exists; pass --force"), "{err}");
    let kept = std::fs::read_to_string(t.path().join("portcullis.toml")).unwrap_or_default();
    assert_eq!(kept, "fail-on = \"low\"\n");
    assert_eq!(run(&["init", root, "--force"]).0, 0);
    let again = std::fs::read_to_string(t.path().join("portcullis.toml")).unwrap_or_default();
    assert_eq!(again, written);
}

#[test]
fn merge_combines_thousands_of_reports_worst_first() {
    let t = Tree::new();
    let token = ["ghp_", "Q7wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNi"].concat();
    t.write("src/app.py", format!("TOKEN = \"{token}\"\n"));
    let (_, out, _) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--scanners",
        "secrets",
        "--format",
        "json",
    ]);
    let dirty = json(&out);
    let mut clean = dirty.clone();
    clean["findings"] = serde_json::json!([]);
    clean["gate"]["verdict"] = serde_json::json!("passed");
    let reports = Tree::new();
    let mut paths = Vec::new();
    for i in 0..5000 {
        // Every 500th repository has the secret; the rest are clean.
        let r = if i % 500 == 7 { &dirty } else { &clean };
        let p = reports.write(&format!("repo-{i:04}.json"), r.to_string());
        paths.push(p.to_string_lossy().into_owned());
    }
    let merged = reports.path().join("merged.json");
    let table = reports.path().join("table.md");
    let mut args = vec![
        "merge".to_string(),
        "--output".into(),
        merged.to_string_lossy().into_owned(),
        "--markdown".into(),
        table.to_string_lossy().into_owned(),
    ];
    args.extend(paths);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, err) = run(&args);
    assert_eq!(code, 0, "{err}");
    let m = json(&std::fs::read_to_string(&merged).unwrap_or_default());
    assert_eq!(m["repositories"].as_array().map(Vec::len), Some(5000));
    let none = Vec::new();
    let found: Vec<&str> = m["findings"]
        .as_array()
        .unwrap_or(&none)
        .iter()
        .filter_map(|f| f["repository"].as_str())
        .collect();
    assert_eq!(found.len(), 10);
    assert_eq!(found[0], "repo-0007");
    assert!(!m.to_string().contains(&token));
    let md = std::fs::read_to_string(&table).unwrap_or_default();
    let lines: Vec<&str> = md.lines().collect();
    assert_eq!(
        lines[0],
        "## portcullis: 5000 repositories, 10 failing the gate"
    );
    assert_eq!(
        lines[4],
        "| repo-0007 | failed | secrets | 1 | 0 | 0 | 0 | 0 |"
    );
    assert_eq!(
        lines[13],
        "| repo-4507 | failed | secrets | 1 | 0 | 0 | 0 | 0 |"
    );
    assert_eq!(lines[14], "| repo-0000 | passed | - | 0 | 0 | 0 | 0 | 0 |");
    // Something that is not one of our reports: exit 2 naming it.
    let bogus = reports.write("bogus.json", "{\"findings\": []}");
    let (code, _, err) = run(&["merge", bogus.to_str().unwrap_or_default()]);
    assert_eq!(code, 2);
    assert!(err.contains("bogus: not a portcullis JSON report"), "{err}");
}

#[test]
fn config_file_rules_ignores_and_overrides() {
    let t = Tree::new();
    let token = ["ghp_", "Q7wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNi"].concat();
    t.write("src/a.py", format!("TOKEN = \"{token}\"\n"));
    t.write("docs/b.md", format!("use {token} here\n"));
    t.write("ops/c.py", format!("X = \"{token}\"\n"));
    t.write(
        "portcullis.toml",
        "[rules.github-classic-pat]\nseverity = \"low\"\n\n\
         [[ignore]]\npath = \"docs/**\"\nreason = \"tutorial\"\nexpires = 2999-12-31\n\n\
         [[ignore]]\nrule = \"github-classic-pat\"\npath = \"ops/\"\nreason = \"old\"\nexpires = 2001-01-01\n",
    );
    let root = t.path().to_str().unwrap_or_default();
    let (code, out, err) = run(&["scan", root, "--format", "json"]);
    assert_eq!(
        code, 0,
        "severity override to low passes at the default threshold: {err}"
    );
    let r = json(&out);
    let fs = r["findings"].as_array().cloned().unwrap_or_default();
    assert_eq!(fs.len(), 3);
    assert!(fs.iter().all(|f| f["severity"] == "low"));
    assert_eq!(fs[0]["location"]["path"], "docs/b.md");
    assert_eq!(fs[0]["suppression"]["kind"], "external");
    assert_eq!(
        fs[1]["suppression"],
        Value::Null,
        "expired ignore must not apply"
    );
    assert!(err.contains("portcullis.toml:9: ignore entry for rule `github-classic-pat` under `ops/` expired on 2001-01-01"), "{err}");
    assert_eq!(run(&["scan", root, "--fail-on", "low"]).0, 1);

    t.write(
        "portcullis.toml",
        "[rules.github-classic-pat]\nenabled = false\n",
    );
    let (code, out, _) = run(&["scan", root, "--format", "json", "--fail-on", "info"]);
    assert_eq!(code, 1);
    // With the specific rule off, only the generic rule still sees the credential-named assignment.
    let got = findings(&json(&out));
    let want = [(
        "generic-api-secret-assignment".to_string(),
        "src/a.py".to_string(),
        1,
    )];
    assert_eq!(got, want.into_iter().collect());
}

#[test]
fn config_typo_exits_2_with_file_line_and_choices() {
    let t = Tree::new();
    t.write(
        "portcullis.toml",
        "fail-on = \"high\"\nexlcude = [\"vendor/\"]\n",
    );
    t.write("a.py", "x = 1\n");
    let (code, out, err) = run(&["scan", t.path().to_str().unwrap_or_default()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.contains("portcullis.toml:2:1: unknown field `exlcude`, expected one of"),
        "{err}"
    );
    assert!(err.contains("`exclude`"), "{err}");
    let (code, _, err) = run(&["scan", ".", "--config", "no/such/portcullis.toml"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no/such/portcullis.toml: cannot read"),
        "{err}"
    );
}

#[test]
fn baseline_marks_known_findings_unchanged() {
    let t = Tree::new();
    let a = ["ghp_", "Z9mQ2vLw8ZkT4pXn7bYc1HsJ6dFgA3uE5oNq"].concat();
    let b = ["ghp_", "K4wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNr"].concat();
    t.write("src/a.py", format!("\nTOKEN = \"{a}\"\n"));
    let root = t.path().join("src");
    let root = root.to_str().unwrap_or_default();
    let base = t.path().join("baseline.json");
    let base = base.to_str().unwrap_or_default();
    assert_eq!(
        run(&["scan", root, "--write-baseline", base, "--quiet"]).0,
        1
    );
    // The finding moves two lines down: still the same fingerprint.
    t.write("src/a.py", format!("\n\n\nTOKEN = \"{a}\"\n"));
    let (code, out, _) = run(&["scan", root, "--baseline", base, "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["findings"][0]["baseline_state"], "unchanged");
    t.write(
        "src/a.py",
        format!("\n\n\nTOKEN = \"{a}\"\nNEW = \"{b}\"\n"),
    );
    let (code, out, _) = run(&["scan", root, "--baseline", base, "--format", "sarif"]);
    assert_eq!(code, 1);
    let log = json(&out);
    let states: Vec<&str> = log["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r["baselineState"].as_str())
        .collect();
    assert_eq!(states, ["unchanged", "new"]);
    // A SARIF file works as a baseline too.
    let sarif = t.path().join("base.sarif");
    std::fs::write(&sarif, out).unwrap_or_default();
    assert_eq!(
        run(&[
            "scan",
            root,
            "--baseline",
            sarif.to_str().unwrap_or_default()
        ])
        .0,
        0
    );
    let (code, _, err) = run(&["scan", root, "--baseline", root]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, err) = run(&["scan", "--scanners", "secrets,sast2", "fixtures"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("unknown scanner `sast2`; valid scanners: secrets"),
        "{err}"
    );
    assert_eq!(run(&["scan", "does/not/exist"]).0, 2);
    let (code, _, err) = run(&["explain", "github-clasic-pat"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `github-classic-pat`"), "{err}");
}

#[test]
fn rules_list_and_explain() {
    let (code, out, _) = run(&["explain", "github-classic-pat"]);
    assert_eq!(code, 0);
    for section in [
        "# GitHub personal access token (classic) (`github-classic-pat`)",
        "## What it does",
        "## Why is this bad?",
        "## How to fix",
        "## References",
    ] {
        assert!(out.contains(section), "{section} missing from:\n{out}");
    }
    let (code, out, _) = run(&["rules", "list"]);
    assert_eq!(code, 0);
    assert!(
        out.lines()
            .any(|l| l.starts_with("github-classic-pat ") && l.contains("critical")),
        "{out}"
    );
    let (_, out, _) = run(&["--version"]);
    assert!(
        out.starts_with("portcullis ") && out.contains("(rules "),
        "{out}"
    );
}

#[test]
fn snapshots_of_every_format() {
    for (format, name) in [
        ("text", "gate_text"),
        ("json", "gate_json"),
        ("sarif", "gate_sarif"),
        ("github", "gate_github"),
    ] {
        let (_, out, _) = run(&[
            "scan",
            "fixtures/gate",
            "--format",
            format,
            "--color",
            "never",
            "--category",
            "portcullis/secrets",
        ]);
        insta::assert_snapshot!(name, out);
    }
    let (_, out, _) = run(&[
        "scan",
        "fixtures/gate",
        "--format",
        "text",
        "--color",
        "always",
        "--verbose",
    ]);
    insta::assert_snapshot!("gate_text_color_verbose", out);
}

/// Regression (issue 8, defect 6): a token whose format proves it real is never lowered by its path, lock
/// files included; only generic rules are, and `test-path-lowering` controls it.
#[test]
fn only_generic_findings_are_lowered_by_path() {
    let t = Tree::new();
    let tok = ["ghp_", "W3wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNq"].concat();
    t.write("app/main.py", format!("T = \"{tok}\"\n"));
    t.write(
        "requirements.txt",
        format!("pkg @ git+https://{tok}@github.com/o/p.git\n"),
    );
    t.write("spec/fixtures/client_spec.rb", format!("T = \"{tok}\"\n"));
    t.write("config/.env.example", format!("GH={tok}\n"));
    t.write("tests/conftest.py", "password = \"Zq8#rT4!mW2xLp9v\"\n");
    t.write("app/settings.py", "password = \"Zq8#rT4!mW2xLp9v\"\n");
    // A password in a URL to an example host is an example.
    t.write(
        "docs/setup.md",
        "git clone https://deploy:Zq8rT4mW2xLp9vQ7@git.example.com/r.git\n",
    );
    let sev = |extra: &[&str]| -> Vec<(String, String, String)> {
        let mut args = vec![
            "scan",
            t.path().to_str().unwrap_or_default(),
            "--scanners",
            "secrets",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let (_, out, _) = run(&args);
        json(&out)["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or_default().to_string();
                (
                    f["location"]["path"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string(),
                    s("rule_id"),
                    s("severity"),
                )
            })
            .collect()
    };
    let own = |v: &[(&str, &str, &str)]| -> Vec<(String, String, String)> {
        v.iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    };
    assert_eq!(
        sev(&[]),
        own(&[
            ("app/main.py", "github-classic-pat", "critical"),
            ("app/settings.py", "generic-password-assignment", "medium"),
            ("config/.env.example", "github-classic-pat", "critical"),
            ("docs/setup.md", "url-basic-auth-credentials", "low"),
            ("requirements.txt", "github-classic-pat", "critical"),
            (
                "spec/fixtures/client_spec.rb",
                "github-classic-pat",
                "critical"
            ),
            ("tests/conftest.py", "generic-password-assignment", "info"),
        ])
    );
    t.write("portcullis.toml", "test-path-lowering = 0\n");
    assert!(sev(&[]).contains(&(
        "tests/conftest.py".to_string(),
        "generic-password-assignment".to_string(),
        "medium".to_string()
    )));
}

#[test]
fn every_secret_on_a_line_is_redacted_in_each_snippet() {
    let t = Tree::new();
    let id = ["AKIA", "Q3RBV7XK2MZP4WNA"].concat();
    let key = ["Jq8vL2mZr7Xt5Nb8Hc1J", "d4Kw9Pq3Rs6Tv0Yx2BmA"].concat();
    t.write(
        "creds.ini",
        format!("aws_access_key_id={id} aws_secret_access_key={key}\n"),
    );
    for format in ["text", "json", "sarif", "github", "junit"] {
        let (code, out, _) = run(&[
            "scan",
            t.path().to_str().unwrap_or_default(),
            "--format",
            format,
        ]);
        assert_eq!(code, 1);
        assert!(
            !out.contains(&id) && !out.contains(&key),
            "{format} output leaks a secret:\n{out}"
        );
    }
    let page = t.path().join("report.html");
    run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--html",
        page.to_str().unwrap_or_default(),
    ]);
    let html = std::fs::read_to_string(&page).unwrap_or_default();
    assert!(
        html.contains("AKIA…[redacted, 20 chars]") && !html.contains(&id) && !html.contains(&key),
        "the HTML report leaks a secret:\n{html}"
    );
    let (_, out, _) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    let report = json(&out);
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert_eq!(rules, ["aws-access-key-id", "aws-secret-access-key"]);
    assert_eq!(
        report["findings"][0]["snippet"]["text"],
        "aws_access_key_id=AKIA…[redacted, 20 chars] aws_secret_access_key=…[redacted, 40 chars]"
    );
}

#[test]
fn unknown_and_unused_suppressions_are_reported() {
    let t = Tree::new();
    let directive = ["portcullis", ":ignore"].concat();
    t.write(
        "a.py",
        format!(
            "x = 1  # {directive}[github-clasic-pat] typo\ny = 2  # {directive}[github-classic-pat] nothing here\n\
             z = 3  # {directive}[some-sast-rule.v2] not a rule of this build\n# {directive}[RULE-ID] prose\n"
        ),
    );
    let (code, out, err) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--format",
        "json",
        "--verbose",
    ]);
    assert_eq!(code, 0);
    let diags: Vec<(String, u64)> = json(&out)["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            (
                d["code"].as_str().unwrap_or_default().to_string(),
                d["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    let want: Vec<(String, u64)> = vec![
        ("unknown-rule-in-suppression".into(), 1),
        ("unused-suppression".into(), 2),
        ("unknown-rule-in-suppression".into(), 3),
    ];
    assert_eq!(diags, want, "{err}");
    assert!(
        err.contains("warning: a.py:1: `portcullis:ignore[github-clasic-pat]` names no known rule"),
        "{err}"
    );
}

#[test]
fn include_exclude_and_scanner_switches() {
    let t = Tree::new();
    let tok = ["ghp_", "V8wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNq"].concat();
    for p in ["src/a.py", "src/vendor/b.py", "docs/c.md", "src/d.min.js"] {
        t.write(p, format!("T = \"{tok}\"\n"));
    }
    let root = t.path().to_str().unwrap_or_default();
    t.write(
        "portcullis.toml",
        "include = [\"src/\"]\nexclude = [\"src/vendor/\", \"**/*.min.js\"]\n",
    );
    let (_, out, _) = run(&["scan", root, "--format", "json"]);
    let want = [("github-classic-pat".to_string(), "src/a.py".to_string(), 1)];
    assert_eq!(findings(&json(&out)), want.into_iter().collect());

    t.write(
        "portcullis.toml",
        "[scanners]\nsecrets = false\ndeps = false\nsast = false\niac = false\n",
    );
    let (code, out, err) = run(&["scan", root]);
    assert_eq!(code, 2, "nothing checked must not pass: {out}");
    assert!(err.contains("no scanner is enabled"), "{err}");
    assert_eq!(
        run(&["scan", root, "--scanners", "secrets"]).0,
        1,
        "--scanners overrides the config"
    );
}

/// Regression (issue 8, defects 4 and 5): output paths are relative to the repository root whatever is
/// scanned, so a baseline from `scan .` matches `scan src`; `portcullis.toml` is found upward from a
/// subdirectory, and its `exclude` stays relative to the config file.
#[test]
fn paths_are_repository_relative_and_config_is_found_upward() {
    let t = Tree::new();
    std::fs::create_dir_all(t.path().join(".git")).unwrap_or_else(|e| panic!("{e}"));
    let tok = ["ghp_", "W3wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNq"].concat();
    t.write("src/app.py", format!("T = \"{tok}\"\n"));
    t.write("src/gen/out.py", format!("T = \"{tok}\"\n"));
    t.write("tests/t.py", "x = 1\n");
    t.write("portcullis.toml", "exclude = [\"src/gen/\"]\n");
    let mut cmd = portcullis();
    cmd.current_dir(t.path().join("tests"));
    let (code, out, err) = run_in(cmd, &["scan", "../src", "--format", "github"]);
    assert_eq!(code, 1, "{err}");
    assert!(out.contains("file=src/app.py,line=1"), "{out}");
    assert!(
        !out.contains("gen/out.py"),
        "the config's exclude applies: {out}"
    );
    let base = t.path().join("base.json");
    let mut cmd = portcullis();
    cmd.current_dir(t.path());
    let (code, _, err) = run_in(
        cmd,
        &[
            "scan",
            ".",
            "--write-baseline",
            base.to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(code, 1, "{err}");
    let mut cmd = portcullis();
    cmd.current_dir(t.path());
    let (code, _, err) = run_in(
        cmd,
        &[
            "scan",
            "src",
            "--baseline",
            base.to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(code, 0, "a baseline of `scan .` covers `scan src`: {err}");
}

/// Regression (issue 8, defect 12): a planned scanner is named as such, not as a typo.
#[test]
fn iac_fixtures_report_exactly_their_markers() {
    let (code, out, err) = run(&[
        "scan",
        "fixtures/iac",
        "--scanners",
        "iac",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    assert_eq!(findings(&report), markers(&repo().join("fixtures/iac")));
    assert_eq!(report["diagnostics"], serde_json::json!([]), "{err}");
}

#[test]
fn other_iac_tools_skips_are_honoured_with_their_reason() {
    let t = Tree::new();
    t.write(
        "Dockerfile",
        "FROM debian:12.5@sha256:0000000000000000000000000000000000000000000000000000000000000000\n\
         # hadolint ignore=DL3002\nUSER root\n",
    );
    t.write(
        "main.tf",
        "resource \"aws_security_group\" \"a\" {\n  # checkov:skip=CKV_AWS_24:bastion, reviewed\n  \
         ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    \
         cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\nresource \"aws_security_group\" \"b\" {\n  ingress {\n    \
         from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    \
         # kics-scan ignore-line\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n",
    );
    let root = t.path().to_str().unwrap_or_default();
    let (_, out, err) = run(&["scan", root, "--scanners", "iac", "--format", "json"]);
    let report = json(&out);
    let got: Vec<(String, u64, String)> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| {
            f["rule_id"] == "docker-final-user-root" || f["rule_id"] == "tf-aws-sg-ingress-open-ssh"
        })
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                f["location"]["start_line"].as_u64().unwrap_or_default(),
                f["suppression"]["justification"]
                    .as_str()
                    .unwrap_or("none")
                    .to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "docker-final-user-root".to_string(),
                3,
                "hadolint ignore DL3002".to_string()
            ),
            (
                "tf-aws-sg-ingress-open-ssh".to_string(),
                7,
                "checkov:skip CKV_AWS_24: bastion, reviewed".to_string()
            ),
            (
                "tf-aws-sg-ingress-open-ssh".to_string(),
                16,
                "kics-scan ignore-line".to_string()
            ),
        ],
        "{err}"
    );
}

fn ids(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["rule_id"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Rule selection by scanner, id, glob, confidence and CWE, from flags and from `[rules]`, the more specific
/// selector winning; a selector naming nothing is an error.
#[test]
fn rules_are_selected_and_deselected() {
    let distinct = |r: &Value| {
        let mut v = ids(r);
        v.sort();
        v.dedup();
        v
    };
    // With the specific rule off, the generic assignment rule still sees the tokens.
    let (_, r) = gate_report(&["--select", "confidence:low"]);
    assert_eq!(
        distinct(&r),
        ["generic-api-secret-assignment", "generic-env-credential"]
    );
    let (_, r2) = gate_report(&["--ignore", "github-classic-pat"]);
    assert_eq!(findings(&r), findings(&r2));
    let (_, r) = gate_report(&["--ignore", "github-classic-pat,generic-api-*"]);
    assert_eq!(ids(&r), ["generic-env-credential"]);
    let (_, r) = gate_report(&["--select", "github-*", "--ignore", "secrets"]);
    assert_eq!(ids(&r).len(), 7);
    assert!(ids(&r).iter().all(|i| i == "github-classic-pat"));
    let (code, _, err) = run(&[
        "scan",
        "fixtures/gate",
        "--scanners",
        "secrets",
        "--ignore",
        "secrets",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("leaves no rule to run"), "{err}");
    let (code, _, err) = run(&["scan", "fixtures/gate", "--select", "github-clasic-pat"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--select: unknown selector `github-clasic-pat`")
            && err.contains("did you mean `github-classic-pat`"),
        "{err}"
    );

    let t = Tree::new();
    let tok = ["ghp_", "V8wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNq"].concat();
    t.write(
        "a.py",
        format!("T = \"{tok}\"\npassword = \"Tr0ub4dor&3xq\"\n"),
    );
    t.write(
        "portcullis.toml",
        "[rules]\nignore = [\"github-classic-pat\"]\n",
    );
    let root = t.path().to_str().unwrap_or_default();
    let (_, out, err) = run(&["scan", root, "--format", "json"]);
    assert_eq!(ids(&json(&out)), ["generic-password-assignment"], "{err}");
    // --select replaces the config's select; the config's ignore still applies unless a selector is more specific.
    let (_, out, _) = run(&[
        "scan",
        root,
        "--format",
        "json",
        "--select",
        "github-classic-pat",
    ]);
    assert_eq!(ids(&json(&out)), ["github-classic-pat"]);
    t.write(
        "portcullis.toml",
        "[rules]\nselect = [\"tag:nothing-has-this\"]\n",
    );
    let (code, _, err) = run(&["scan", root]);
    assert_eq!(code, 2);
    assert!(
        err.contains("portcullis.toml:2:")
            && err.contains("unknown selector `tag:nothing-has-this`"),
        "{err}"
    );
}

/// Regression (issue 8, defect 10): `--severity` hides findings below it in every output without changing
/// the verdict; severities are accepted in upper case; `-q` prints findings and the verdict only.
#[test]
fn display_threshold_case_and_quiet() {
    let (code, r) = gate_report(&["--severity", "CRITICAL", "--fail-on", "MEDIUM"]);
    assert_eq!(code, 1);
    assert!(!ids(&r).contains(&"generic-env-credential".to_string()));
    let (code, out, _) = run(&[
        "scan",
        "fixtures/gate/deploy",
        "--severity",
        "high",
        "--fail-on",
        "medium",
    ]);
    assert_eq!(code, 1, "the hidden medium finding still fails the gate");
    assert!(
        out.contains("summary: 0 findings (1 below high not shown)"),
        "{out}"
    );
    assert!(out.contains("gate: FAILED (1 medium)"), "{out}");
    let (code, out, err) = run(&["scan", "fixtures/gate/deploy", "-q", "--fail-on", "Medium"]);
    assert_eq!(code, 1);
    assert!(
        !out.contains("summary:") && !out.contains("  secrets:"),
        "{out}"
    );
    assert!(
        out.contains("generic-env-credential") && out.ends_with("gate: FAILED (1 medium)\n"),
        "{out}"
    );
    assert!(err.is_empty(), "{err}");
    let t = Tree::new();
    let baseline = t.path().join("b.json");
    let b = baseline.to_str().unwrap_or_default();
    run(&[
        "scan",
        "fixtures/gate/deploy",
        "--severity",
        "critical",
        "--write-baseline",
        b,
    ]);
    let written = std::fs::read_to_string(&baseline).unwrap_or_default();
    assert!(
        written.contains("generic-env-credential"),
        "the baseline keeps findings --severity hides"
    );
}

/// `fail-on` per scanner, from `[secrets]`/`[deps]` tables and from `--fail-on SCANNER=SEVERITY`; a plain
/// `--fail-on` on the command line replaces the config's thresholds.
#[test]
fn fail_on_per_scanner() {
    assert_eq!(
        run(&["scan", "fixtures/gate", "--fail-on", "secrets=never"]).0,
        0
    );
    assert_eq!(
        run(&[
            "scan",
            "fixtures/gate/deploy",
            "--fail-on",
            "never,secrets=medium"
        ])
        .0,
        1
    );
    let (code, _, err) = run(&["scan", "fixtures/gate", "--fail-on", "secret=high"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown scanner `secret`"), "{err}");
    let t = Tree::new();
    let tok = ["ghp_", "V8wLm2Xv9RkT4pZn8bYc1HsJ6dFgA3uE5oNq"].concat();
    t.write("a.py", format!("T = \"{tok}\"\n"));
    t.write(
        "portcullis.toml",
        "fail-on = \"low\"\n[secrets]\nfail-on = \"never\"\n",
    );
    let root = t.path().to_str().unwrap_or_default();
    assert_eq!(run(&["scan", root]).0, 0);
    assert_eq!(run(&["scan", root, "--fail-on", "high"]).0, 1);
    assert_eq!(run(&["scan", root, "--fail-on", "deps=never"]).0, 0);
}

// --- The SAST scanner end to end: the built-in pack passes its own annotated tests, a user's Semgrep rule
// file runs unchanged with `--rules`, and invalid or unsupported rules fail closed.

/// `portcullis rules test rules/sast`: every built-in rule on its annotated target.
#[test]
fn builtin_pack_passes_its_annotated_tests() {
    let (code, out, err) = run(&["rules", "test", "rules/sast"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(" rule tests passed"), "{out}");
    assert!(!out.contains("FAIL"), "{out}");
}

/// `portcullis rules test fixtures/sast-semantics`: Semgrep's documented semantics, one rule per point, for
/// the structure languages (YAML, JSON, HCL, Dockerfile with its bash); `semgrep --test` agrees on them
/// (`scripts/sast-differential.sh`).
#[test]
fn semantics_fixtures_pass_their_annotated_tests() {
    let (code, out, err) = run(&["rules", "test", "fixtures/sast-semantics"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("79/79 rule tests passed"), "{out}");
}

const USER_RULE: &str = r#"rules:
  - id: no-shell-true
    languages: [python]
    severity: WARNING
    message: subprocess.$F runs a shell
    metadata:
      cwe: ["CWE-78: OS Command Injection"]
      confidence: HIGH
    patterns:
      - pattern: subprocess.$F(..., shell=True, ...)
      - pattern-not: subprocess.$F("...", ...)
"#;

/// `scan TARGET --scanners sast --no-builtin-rules --rules RULES --format json` and `extra`: only the given rules.
fn scan_only_rules(target: &str, rules: &str, extra: &[&str]) -> (i32, String, String) {
    let args = [
        "scan",
        target,
        "--scanners",
        "sast",
        "--no-builtin-rules",
        "--rules",
        rules,
        "--format",
        "json",
    ];
    run(&[&args[..], extra].concat())
}

/// A rule option the engine does not honour is a warning (stderr and `validate`), never a failure: the rule
/// runs as Semgrep runs it without the option.
#[test]
fn unhonoured_rule_options_warn_and_the_rule_runs() {
    let t = Tree::new();
    let rule = USER_RULE.replace(
        "    patterns:\n",
        "    options:\n      constant_propagation: true\n      symbolic_propagation: true\n    patterns:\n",
    );
    t.write("rules/opt.yaml", &rule);
    t.write(
        "app/run.py",
        "import subprocess\nsubprocess.call(cmd, shell=True)\n",
    );
    let rules = t.path().join("rules/opt.yaml");
    let rules = rules.to_str().unwrap_or_default();
    let (code, out, _) = run(&["rules", "validate", rules]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("warning: option `symbolic_propagation` is not honoured")
            && !out.contains("`constant_propagation`"),
        "{out}"
    );
    let app = t.path().join("app");
    let (code, out, err) = scan_only_rules(app.to_str().unwrap_or_default(), rules, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("rule `no-shell-true`: option `symbolic_propagation` is not honoured"),
        "{err}"
    );
    let want = [("no-shell-true".to_string(), "run.py".to_string(), 2)];
    assert_eq!(findings(&json(&out)), want.into_iter().collect());
}

/// `min-version`/`max-version` outside the Semgrep release portcullis follows skip the rule with a warning that
/// lands in SARIF (Semgrep skips it too, without a fatal error); the honoured options change what matches:
/// `generic_ellipsis_max_span: 0` keeps `...` on one line, `generic_comment_style` skips comments and
/// `constant_propagation: false` stops a literal from matching the variable that holds it.
#[test]
fn version_bounds_skip_rules_and_honoured_options_change_matching() {
    let t = Tree::new();
    t.write(
        "rules/r.yaml",
        r#"rules:
  - id: for-old-semgrep
    max-version: 1.0.0
    languages: [python]
    severity: WARNING
    message: old
    pattern: requests.get(..., verify=False)
  - id: for-future-semgrep
    min-version: 99.0.0
    languages: [python]
    severity: WARNING
    message: future
    pattern-from-the-future: requests.get(...)
  - id: in-range
    min-version: 1.0.0
    max-version: 99.0.0
    languages: [python]
    severity: WARNING
    message: tls off
    options:
      constant_propagation: false
    pattern: requests.get(..., verify=False)
  - id: one-line-todo
    languages: [generic]
    severity: INFO
    message: todo
    options:
      generic_ellipsis_max_span: 0
      generic_comment_style: shell
    pattern: TODO ... later
"#,
    );
    t.write(
        "app/get.py",
        "import requests\nrequests.get(u, verify=False)\nv = False\nrequests.get(u, verify=v)\n",
    );
    t.write(
        "app/notes.conf",
        "TODO fix this later\nTODO fix\nthis later\n# TODO in a comment later\n",
    );
    let rules = t.path().join("rules/r.yaml");
    let rules = rules.to_str().unwrap_or_default();
    let sarif = t.path().join("out.sarif");
    let app = t.path().join("app");
    let (code, out, err) = scan_only_rules(
        app.to_str().unwrap_or_default(),
        rules,
        &["--sarif", sarif.to_str().unwrap_or_default()],
    );
    assert_eq!(code, 0, "{err}");
    let want = [
        ("in-range".to_string(), "get.py".to_string(), 2),
        ("one-line-todo".to_string(), "notes.conf".to_string(), 1),
    ];
    assert_eq!(findings(&json(&out)), want.into_iter().collect());
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap_or_default())
        .unwrap_or_default();
    let notes: Vec<(String, String)> = log["runs"][0]["invocations"][0]
        ["toolExecutionNotifications"]
        .as_array()
        .unwrap_or(&Vec::new())
        .iter()
        .map(|n| {
            (
                n["descriptor"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                n["message"]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            )
        })
        .filter(|(id, _)| id == "sast-rule-version")
        .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
    assert!(
        notes[0].1.contains("for-old-semgrep")
            && notes[0].1.contains("it needs Semgrep at most 1.0.0")
            && notes[1].1.contains("for-future-semgrep")
            && notes[1].1.contains("it needs Semgrep at least 99.0.0"),
        "{notes:?}"
    );
    // `rules validate` shows the skips as warnings and passes.
    let (code, out, _) = run(&["rules", "validate", rules]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("warning: the rule is skipped"), "{out}");
}

#[test]
fn user_rules_run_unchanged_with_exact_places() {
    let t = Tree::new();
    t.write("rules/mine.yaml", USER_RULE);
    t.write(
        "app/run.py",
        "import subprocess as sp\nsp.run(cmd, shell=True)\nsp.run(\"ls\", shell=True)\nsp.run(cmd)\n",
    );
    let root = t.path().to_str().unwrap_or_default();
    let rules = t.path().join("rules/mine.yaml");
    let (code, out, err) = scan_only_rules(
        &format!("{root}/app"),
        rules.to_str().unwrap_or_default(),
        &[],
    );
    assert_eq!(
        code, 0,
        "medium findings do not fail at the default threshold: {err}"
    );
    let report = json(&out);
    let want = [("no-shell-true".to_string(), "run.py".to_string(), 2)];
    assert_eq!(findings(&report), want.into_iter().collect());
    assert_eq!(
        report["findings"][0]["message"].as_str(),
        Some("subprocess.run runs a shell"),
        "metavariables are interpolated"
    );
}

#[test]
fn invalid_and_unsupported_rules_fail_closed() {
    let t = Tree::new();
    t.write("a.py", "x = 1\n");
    t.write(
        "bad.yaml",
        "rules:\n  - id: broken\n    languages: [python]\n    severity: ERROR\n    message: m\n    pattern: 'foo('\n",
    );
    t.write(
        "taint.yaml",
        "rules:\n  - id: tainted\n    mode: taint\n    languages: [python]\n    severity: ERROR\n    message: m\n    pattern-sources: [{pattern: source()}]\n    pattern-sinks: [{pattern: sink(...)}]\n",
    );
    let root = t.path().to_str().unwrap_or_default();
    let bad = t.path().join("bad.yaml");
    let taint = t.path().join("taint.yaml");
    let with_rules = |rules: &std::path::Path, extra: &[&str]| {
        let mut args = vec!["scan", root, "--scanners", "sast", "--rules"];
        args.push(rules.to_str().unwrap_or_default());
        args.extend_from_slice(extra);
        run(&args)
    };
    let (code, _, err) = with_rules(&bad, &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.yaml:6:") && err.contains("does not parse as python"),
        "{err}"
    );
    let (code, _, err) = with_rules(&taint, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("tainted") && err.contains("unsupported"),
        "{err}"
    );
    assert_eq!(with_rules(&taint, &["--skip-unsupported-rules"]).0, 0);
    let (code, out, _) = run(&["rules", "validate", bad.to_str().unwrap_or_default()]);
    assert_eq!(code, 2);
    assert!(out.contains("1 problem"), "{out}");
    t.write("notrules.yaml", "checks: []\n");
    let other = t.path().join("notrules.yaml");
    let (code, _, err) = run(&["scan", root, "--rules", other.to_str().unwrap_or_default()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("notrules.yaml") && err.contains("not a rule file"),
        "{err}"
    );
}

/// `fixtures/sast`: a polyglot tree; every `ruleid:` marker in `vulnerable/` is exactly one finding on the next
/// line, and the hardened twins give none.
#[test]
fn sast_fixture_findings_are_exactly_the_markers() {
    let dir = repo().join("fixtures/sast");
    let mut want = std::collections::BTreeSet::new();
    for sub in ["vulnerable", "hardened"] {
        let entries = std::fs::read_dir(dir.join(sub)).unwrap_or_else(|e| panic!("{e}"));
        for e in entries.flatten() {
            let text = std::fs::read_to_string(e.path()).unwrap_or_default();
            let name = e.file_name().to_string_lossy().into_owned();
            for (i, line) in text.lines().enumerate() {
                if let Some((_, id)) = line.split_once("ruleid:") {
                    let path = format!("fixtures/sast/{sub}/{name}");
                    want.insert((id.trim().to_string(), path, i as u64 + 2));
                }
            }
        }
    }
    assert!(want.len() >= 17, "{want:?}");
    assert!(want.iter().all(|(_, p, _)| p.contains("/vulnerable/")));
    let (code, out, err) = run(&[
        "scan",
        "fixtures/sast",
        "--scanners",
        "sast",
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(findings(&json(&out)), want);
}

/// A `generic` rule reads the files its `paths` allow, whatever their language (none here).
#[test]
fn generic_rules_read_the_files_their_paths_allow() {
    let t = Tree::new();
    t.write(
        "nginx/site.conf",
        "location / {\n  proxy_ssl_verify off;\n}\n",
    );
    t.write("notes.txt", "proxy_ssl_verify off;\n");
    let root = t.path().to_str().unwrap_or_default();
    let (code, out, err) = run(&["scan", root, "--scanners", "sast", "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let want = [(
        "generic-nginx-upstream-tls-verify-off".to_string(),
        "nginx/site.conf".to_string(),
        2,
    )];
    assert_eq!(findings(&json(&out)), want.into_iter().collect());
}

const USER_CHECK: &str = "id: acme-k8s-team-label
title: Workload without a team label
severity: high
platform: kubernetes
on: pod
report:
  path: $podmeta.labels.team
  missing: true
message: \"{subject} has no `team` label\"
equivalents: none
description: Every workload names the team that owns it.
why: An incident needs an owner.
fix: Add `team` to the pod template's labels.
";

/// A user's IaC check in the built-in format runs through `--rules` beside (or instead of) the built-in checks,
/// reaches SARIF's rules, and a bad one fails closed unless skipped.
#[test]
fn user_iac_checks_run_from_rules_files() {
    let t = Tree::new();
    t.write("checks/acme-k8s-team-label.yaml", USER_CHECK);
    let deployment = |labels: &str| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels:\n{labels}    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n")
    };
    t.write("k8s/bad.yaml", deployment("        app: web\n"));
    t.write(
        "k8s/good.yaml",
        deployment("        app: web\n        team: payments\n"),
    );
    let root = t.path().to_str().unwrap_or_default();
    let checks = t.path().join("checks");
    let checks = checks.to_str().unwrap_or_default();
    let k8s = format!("{root}/k8s");
    let beside = ["scan", &k8s, "--scanners", "iac", "--rules", checks];
    let only = [&beside[..], &["--no-builtin-rules"]].concat();
    let (code, out, err) = run(&[&only[..], &["--format", "json"]].concat());
    assert_eq!(code, 1, "a high finding fails the gate: {err}");
    let report = json(&out);
    let want = [("acme-k8s-team-label".to_string(), "bad.yaml".to_string(), 1)];
    assert_eq!(findings(&report), want.clone().into_iter().collect());
    assert_eq!(
        report["findings"][0]["message"].as_str(),
        Some("Deployment/web has no `team` label")
    );
    let (_, sarif, _) = run(&[&only[..], &["--format", "sarif"]].concat());
    let sarif = json(&sarif);
    let rules = &sarif["runs"][0]["tool"]["driver"]["rules"];
    assert!(
        rules
            .as_array()
            .is_some_and(|r| r.iter().any(|r| r["id"] == "acme-k8s-team-label")),
        "{rules}"
    );
    // Beside the built-in checks, which find their own things in the same files.
    let (_, out, _) = run(&[&beside[..], &["--format", "json"]].concat());
    let all = findings(&json(&out));
    assert!(all.contains(&want[0]) && all.len() > 1, "{all:?}");
    // A check that is not valid fails closed, names the file and place, and can be skipped with a warning.
    t.write(
        "checks/acme-k8s-team-label.yaml",
        USER_CHECK.replace("on: pod", "on: pods"),
    );
    let (code, _, err) = run(&only);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("acme-k8s-team-label.yaml:5:5") && err.contains("no subject of kubernetes"),
        "{err}"
    );
    let (code, _, err) = run(&[&only[..], &["--skip-invalid-rules"]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("check skipped"), "{err}");
    let (code, out, _) = run(&["rules", "validate", checks]);
    assert_eq!(code, 2);
    assert!(out.contains("1 problem"), "{out}");
    // A built-in check's id is taken.
    t.write(
        "checks/acme-k8s-team-label.yaml",
        USER_CHECK.replace("acme-k8s-team-label", "k8s-privileged-container"),
    );
    let (code, _, err) = run(&only);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`k8s-privileged-container` is taken"), "{err}");
    // `rules validate` refuses what the scan refuses.
    let (code, out, _) = run(&["rules", "validate", checks]);
    assert_eq!(code, 2);
    assert!(out.contains("`k8s-privileged-container` is taken"), "{out}");
}

/// A Helm chart's Go templates are not checked as they are: one note per chart says to scan `helm template`
/// output, and that output (plain manifests with `# Source:` comments) is checked like any manifest.
#[test]
fn helm_templates_get_one_note_per_chart_and_rendered_output_is_checked() {
    let t = Tree::new();
    t.write(
        "charts/web/Chart.yaml",
        "apiVersion: v2\nname: web\nversion: 0.1.0\n",
    );
    t.write(
        "charts/web/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: {{ .Values.image }}\n          securityContext:\n            privileged: {{ .Values.privileged }}\n",
    );
    t.write(
        "charts/web/templates/service.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ include \"web.fullname\" . }}\n",
    );
    t.write(
        "charts/web/templates/_helpers.tpl",
        "{{- define \"web.fullname\" -}}{{ .Release.Name }}{{- end }}\n",
    );
    t.write(
        "rendered/web.yaml",
        "---\n# Source: web/templates/deployment.yaml\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: release-web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n          securityContext:\n            privileged: true\n",
    );
    let root = t.path().to_str().unwrap_or_default();
    let (_, out, err) = run(&["scan", root, "--scanners", "iac", "--format", "json"]);
    let report = json(&out);
    let notes: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter()
                .filter(|d| d["code"] == "iac-helm-template")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(notes.len(), 1, "{err}");
    assert_eq!(notes[0]["level"], "note");
    assert_eq!(notes[0]["path"], "charts/web/templates");
    assert!(
        notes[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("helm template charts/web")),
        "{}",
        notes[0]
    );
    let got = findings(&report);
    assert!(
        got.iter().all(|(_, path, _)| path == "rendered/web.yaml"),
        "nothing from the templates themselves: {got:?}"
    );
    assert!(
        got.contains(&(
            "k8s-privileged-container".to_string(),
            "rendered/web.yaml".to_string(),
            15
        )),
        "{got:?}"
    );
}

/// The browser the HTML report test renders in: `PORTCULLIS_CHROMIUM`, else Debian's `chromium` (or
/// `chromium-browser`, `google-chrome`) on PATH.
fn chromium() -> Option<std::path::PathBuf> {
    if let Some(p) = std::env::var_os("PORTCULLIS_CHROMIUM").filter(|p| !p.is_empty()) {
        return Some(p.into());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|d| ["chromium", "chromium-browser", "google-chrome"].map(|n| d.join(n)))
        .find(|p| p.is_file())
}

/// `chromium --headless` with `args` on `url`: its stdout.
fn headless(
    browser: &std::path::Path,
    profile: &std::path::Path,
    args: &[&str],
    url: &str,
) -> String {
    let out = assert_cmd::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(url)
        .timeout(std::time::Duration::from_secs(120))
        .output();
    match out {
        Ok(o) => String::from_utf8_lossy(&o.stdout).into_owned(),
        Err(e) => panic!("{} did not run: {e}", browser.display()),
    }
}

/// `--html FILE`: one self-contained page. Scanned content that looks like markup (a `<script>` in the code, a
/// file named like an `<img>` tag, a rule message with tags) is text; the page's own script runs under its
/// Content-Security-Policy (it fills in "Showing N of M") and filters from the address. Rendered in headless
/// Chromium when there is one (Debian's `chromium` package), with a screenshot in the test's target dir.
#[test]
fn html_report_is_self_contained_escaped_and_renders_in_chromium() {
    let t = Tree::new();
    t.write(
        "rules/tls.yaml",
        "rules:\n  - id: tls-off\n    languages: [python]\n    severity: WARNING\n    message: <i>TLS</i> verification is off\n    pattern: requests.get(..., verify=False)\n",
    );
    let evil = "app/<img src=x onerror=alert(1)>.py";
    t.write(
        evil,
        "import requests\nrequests.get(\"<script>document.body.innerHTML='pwned'</script>\", verify=False)\n",
    );
    t.write("app/ok.py", "import requests\nrequests.get(u)\n");
    let rules = t.path().join("rules/tls.yaml");
    let page = t.path().join("report.html");
    let (code, _, err) = scan_only_rules(
        t.path().join("app").to_str().unwrap_or_default(),
        rules.to_str().unwrap_or_default(),
        &["--html", page.to_str().unwrap_or_default()],
    );
    assert_eq!(code, 0, "{err}");
    let html = std::fs::read_to_string(&page).unwrap_or_default();
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(
        html.contains("&lt;script&gt;document.body.innerHTML=&#39;pwned&#39;&lt;/script&gt;")
            && html.contains("&lt;img src=x onerror=alert(1)&gt;.py")
            && html.contains("&lt;i&gt;TLS&lt;/i&gt; verification is off")
            && !html.contains("<img")
            && !html.contains("<i>"),
        "{html}"
    );
    assert!(html.contains(
        "http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-"
    ));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"//"),
        "no external assets"
    );

    let Some(browser) = chromium() else {
        println!("skipped the browser half: no chromium on PATH (apt-get install chromium, or set PORTCULLIS_CHROMIUM)");
        return;
    };
    let profile = t.path().join("profile");
    let url = format!("file://{}", page.display());
    let dom = headless(&browser, &profile, &["--dump-dom"], &url);
    assert!(
        dom.contains("Showing 1 of 1 findings"),
        "the page's script ran under its CSP: {dom}"
    );
    assert!(
        !dom.contains(">pwned<") && dom.contains("gate: PASSED"),
        "{dom}"
    );
    assert!(
        dom.contains("&lt;script&gt;document.body.innerHTML='pwned'&lt;/script&gt;"),
        "the snippet renders as text: {dom}"
    );
    // A filter from the address hides the medium finding.
    let dom = headless(
        &browser,
        &profile,
        &["--dump-dom"],
        &format!("{url}#severity=critical,high"),
    );
    assert!(dom.contains("Showing 0 of 1 findings"), "{dom}");
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("html-report.png");
    let _ = std::fs::remove_file(&shot);
    headless(
        &browser,
        &profile,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,900",
        ],
        &url,
    );
    let png = std::fs::read(&shot).unwrap_or_default();
    assert!(
        png.starts_with(b"\x89PNG"),
        "no screenshot at {}",
        shot.display()
    );
    println!("screenshot of the HTML report: {}", shot.display());
}

/// The README's `.gitlab-ci.yml` job parses, publishes as its JUnit report the file the scan's JUnit output
/// goes to, keeps the HTML and SARIF files it writes, and verifies the binary it downloads.
#[test]
fn the_readmes_gitlab_job_is_well_formed() {
    use portcullis::document::yaml::parse_stream;
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap_or_default();
    let section = readme
        .split("## In GitLab CI")
        .nth(1)
        .unwrap_or_else(|| panic!("README has no GitLab CI section"));
    let block = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap_or_else(|| panic!("the GitLab CI section has no yaml block"));
    let docs = parse_stream(block).unwrap_or_else(|e| panic!("the README's GitLab job: {e}"));
    let job = docs[0]
        .get("portcullis")
        .unwrap_or_else(|| panic!("no `portcullis` job"));
    let script: Vec<&str> = job
        .get("script")
        .and_then(|s| s.as_seq())
        .unwrap_or_default()
        .iter()
        .filter_map(|l| l.as_str())
        .collect();
    let all = script.join("\n");
    let junit = job
        .get("artifacts")
        .and_then(|a| a.get("reports"))
        .and_then(|r| r.get("junit"))
        .and_then(|j| j.as_str())
        .unwrap_or_default();
    assert!(
        !junit.is_empty() && all.contains("--format junit") && all.contains(&format!("> {junit}")),
        "{all}"
    );
    let kept: Vec<&str> = job
        .get("artifacts")
        .and_then(|a| a.get("paths"))
        .and_then(|p| p.as_seq())
        .unwrap_or_default()
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    for file in &kept {
        assert!(
            all.contains(&format!(" {file}")),
            "{file} is kept but not written: {all}"
        );
    }
    assert!(
        all.contains("sha256sum -c -"),
        "the binary is verified: {all}"
    );
    // Every flag the job passes to `scan` is one the CLI knows.
    let (_, help, _) = run(&["scan", "--help"]);
    for flag in all.split_whitespace().filter(|w| w.starts_with("--")) {
        assert!(help.contains(flag), "`{flag}` is not a scan flag");
    }
}

/// `init --github` writes the workflow that runs the action, never over an existing one without `--force`; a
/// build that is not a release names the action by its tag, which our own IaC scan reports as unpinned (and says
/// so on stderr); pinned to a commit as a release build writes it, the workflow passes every IaC check.
#[test]
fn init_github_writes_a_workflow_that_passes_our_own_checks_once_pinned() {
    let t = Tree::new();
    let root = t.path().to_str().unwrap_or_default();
    let (code, out, err) = run(&["init", root, "--github"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(".github/workflows/portcullis.yml"), "{out}");
    assert!(err.contains("not a release build"), "{err}");
    let path = t.path().join(".github/workflows/portcullis.yml");
    let written = std::fs::read_to_string(&path).unwrap_or_default();
    let version = env!("CARGO_PKG_VERSION");
    assert!(
        written.contains(&format!(
            "      - uses: portcullis-sec/portcullis@v{version} #"
        )),
        "{written}"
    );
    let iac = |dir: &str| {
        let (code, out, err) = run(&["scan", dir, "--scanners", "iac", "--format", "json"]);
        assert!(code < 2, "{err}");
        findings(&json(&out))
    };
    assert_eq!(
        iac(root),
        std::collections::BTreeSet::from([(
            "gha-unpinned-third-party-action".to_string(),
            ".github/workflows/portcullis.yml".to_string(),
            22
        )])
    );
    let sha = "0123456789abcdef0123456789abcdef01234567";
    let pinned: String = written
        .lines()
        .map(|l| {
            if l.starts_with("      - uses: portcullis-sec/portcullis@") {
                format!("      - uses: portcullis-sec/portcullis@{sha} # v{version}\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    t.write(".github/workflows/portcullis.yml", &pinned);
    assert_eq!(iac(root), std::collections::BTreeSet::new());
    // Never over an existing workflow without --force, and then nothing at all is written.
    std::fs::remove_file(t.path().join("portcullis.toml")).unwrap_or_default();
    let (code, _, err) = run(&["init", root, "--github"]);
    assert_eq!(code, 2);
    assert!(err.contains("portcullis.yml exists; pass --force"), "{err}");
    assert!(!t.path().join("portcullis.toml").exists());
    assert_eq!(run(&["init", root, "--github", "--force"]).0, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap_or_default(), written);
}

/// `scan DIR --scanners iac --format json`.
fn scan_iac(dir: &std::path::Path) -> (i32, String, String) {
    run(&[
        "scan",
        dir.to_str().unwrap_or_default(),
        "--scanners",
        "iac",
        "--format",
        "json",
    ])
}

/// `portcullis render helm`: every chart (not the subcharts it vendors) rendered with the `helm` on PATH,
/// called with a fixed argument list; the output split by its `# Source:` comments into files at their
/// templates' paths, which a scan then checks. Without helm: exit 2, saying so. (A stand-in `helm` script plays
/// the tool; tests never fetch it.)
#[cfg(unix)]
#[test]
fn render_helm_writes_the_manifests_a_scan_then_checks() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    t.write(
        "app/charts/shop/Chart.yaml",
        "apiVersion: v2\nname: shop\nversion: 0.1.0\n",
    );
    t.write(
        "app/charts/shop/templates/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
    );
    t.write(
        "app/charts/shop/charts/redis/Chart.yaml",
        "apiVersion: v2\nname: redis\nversion: 1.0.0\n",
    );
    let log = t.path().join("helm-args.log");
    let helm = t.write(
        "bin/helm",
        format!(
            "#!/bin/sh\nif [ \"$1\" = version ]; then echo v3.16.0; exit 0; fi\necho \"$@\" >> '{}'\nprintf '%s\\n' '---' '# Source: shop/templates/deployment.yaml' 'apiVersion: apps/v1' 'kind: Deployment' 'metadata:' '  name: portcullis-shop' 'spec:' '  template:' '    spec:' '      containers:' '        - name: app' '          image: shop@sha256:0000000000000000000000000000000000000000000000000000000000000000' '          securityContext:' '            privileged: true' '---' '# Source: shop/../../../escape.yaml' 'kind: ConfigMap'\n",
            log.display()
        ),
    );
    let _ = std::fs::set_permissions(&helm, std::fs::Permissions::from_mode(0o755));
    let app = t.path().join("app");
    let out_dir = app.join(".rendered");
    let render = |path: &std::path::Path| {
        let mut cmd = portcullis();
        cmd.env("PATH", path);
        run_in(
            cmd,
            &[
                "render",
                "helm",
                app.to_str().unwrap_or_default(),
                "--output",
                out_dir.to_str().unwrap_or_default(),
            ],
        )
    };
    let (code, out, err) = render(&t.path().join("bin"));
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 chart rendered"), "{out}");
    assert_eq!(
        std::fs::read_to_string(&log).unwrap_or_default(),
        "template portcullis charts/shop\n",
        "one chart, fixed arguments, subcharts left to their parent"
    );
    let rendered = out_dir.join("charts/shop/templates/deployment.yaml");
    assert!(rendered.is_file());
    assert!(!t.path().join("escape.yaml").exists() && !app.join("escape.yaml").exists());
    let (_, out, err) = scan_iac(&app);
    let found = findings(&json(&out));
    assert!(
        found.contains(&(
            "k8s-privileged-container".to_string(),
            ".rendered/charts/shop/templates/deployment.yaml".to_string(),
            13
        )),
        "{found:?} {err}"
    );
    // Every finding is on the rendered manifest; the template itself stays a note.
    assert!(
        found
            .iter()
            .all(|(_, path, _)| path == ".rendered/charts/shop/templates/deployment.yaml"),
        "{found:?}"
    );
    assert!(out.contains("iac-helm-template"), "{out}");
    // What had no usable `# Source:` (one that climbs out of the chart) is kept beside, never outside.
    assert!(out_dir.join("charts/shop/rendered.yaml").is_file());
    // Without helm on PATH: a clear error, nothing rendered silently.
    let empty = t.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap_or_default();
    let (code, _, err) = render(&empty);
    assert_eq!(code, 2);
    assert!(err.contains("helm is not installed"), "{err}");
}

/// `portcullis render kustomize`: each kustomization built with the `kustomize` on PATH into one file at its
/// directory, which a scan then checks.
#[cfg(unix)]
#[test]
fn render_kustomize_writes_one_manifest_per_kustomization() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new();
    t.write(
        "app/deploy/base/kustomization.yaml",
        "resources: [pod.yaml]\n",
    );
    t.write(
        "app/deploy/prod/kustomization.yaml",
        "resources: [../base]\n",
    );
    let tool = t.write(
        "bin/kustomize",
        "#!/bin/sh\nif [ \"$1\" = version ]; then echo v5.4.0; exit 0; fi\nprintf '%s\\n' 'apiVersion: v1' 'kind: Pod' 'metadata:' '  name: web' '  namespace: shop' 'spec:' '  hostNetwork: true' '  containers:' '    - name: web' '      image: web@sha256:0000000000000000000000000000000000000000000000000000000000000000'\n",
    );
    let _ = std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755));
    let app = t.path().join("app");
    let mut cmd = portcullis();
    cmd.env("PATH", t.path().join("bin"));
    let (code, out, err) = run_in(
        cmd,
        &[
            "render",
            "kustomize",
            app.to_str().unwrap_or_default(),
            "--output",
            app.join("rendered").to_str().unwrap_or_default(),
        ],
    );
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("2 kustomizations rendered"), "{out}");
    let (_, out, _) = scan_iac(&app);
    let host: std::collections::BTreeSet<_> = findings(&json(&out))
        .into_iter()
        .filter(|(id, _, _)| id == "k8s-host-network")
        .collect();
    assert_eq!(
        host,
        ["rendered/deploy/base", "rendered/deploy/prod"]
            .iter()
            .map(|d| (
                "k8s-host-network".to_string(),
                format!("{d}/kustomize-build.yaml"),
                7
            ))
            .collect()
    );
}
