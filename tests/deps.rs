//! The dependency audit end to end: hand-written lock files against hand-written OSV records, fail-closed
//! behaviour, configuration, SARIF, malformed lock files, and the real advisory data in `../shared`.

mod common;

use common::{findings, json, run, shared, Tree};
use std::collections::BTreeSet;

const PROJECT: &str = "fixtures/deps/project";
const ADVISORIES: &str = "fixtures/deps/advisories";

fn set(items: &[(&str, &str, u64)]) -> BTreeSet<(String, String, u64)> {
    items
        .iter()
        .map(|(r, p, l)| (r.to_string(), p.to_string(), *l))
        .collect()
}

fn scan_project(extra: &[&str]) -> (i32, serde_json::Value, String) {
    let cache = Tree::new();
    let mut args = vec![
        "scan",
        PROJECT,
        "--scanners",
        "deps",
        "--advisories",
        ADVISORIES,
        "--cache-dir",
        cache.path().to_str().unwrap_or_default(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    (code, json(&out), err)
}

/// Every finding of the project fixture: one per affected package, at the line that declares it.
const EXPECTED: &[(&str, &str, u64)] = &[
    ("PCXT-2026-0101", "fixtures/deps/project/api/pom.xml", 13),
    (
        "PCXT-2026-0701",
        "fixtures/deps/project/go-legacy/go.sum",
        4,
    ),
    ("PCXT-2026-0702", "fixtures/deps/project/go/go.mod", 3),
    ("PCXT-2026-0701", "fixtures/deps/project/go/go.mod", 6),
    (
        "PCXT-2026-0401",
        "fixtures/deps/project/php/composer.lock",
        5,
    ),
    ("PCXT-2026-0601", "fixtures/deps/project/py/base.in", 1),
    ("PCXT-2026-0603", "fixtures/deps/project/py/base.in", 2),
    (
        "PCXT-2026-0602",
        "fixtures/deps/project/py/requirements.txt",
        3,
    ),
    (
        "deps-unpinned-requirement",
        "fixtures/deps/project/py/requirements.txt",
        4,
    ),
    (
        "PCXT-2026-0303",
        "fixtures/deps/project/ruby/Gemfile.lock",
        6,
    ),
    (
        "PCXT-2026-0301",
        "fixtures/deps/project/ruby/Gemfile.lock",
        7,
    ),
    ("PCXT-2026-0502", "fixtures/deps/project/rust/Cargo.lock", 6),
    (
        "PCXT-2026-0501",
        "fixtures/deps/project/rust/Cargo.lock",
        19,
    ),
    (
        "PCXT-2026-0201",
        "fixtures/deps/project/svc/packages.lock.json",
        5,
    ),
    (
        "PCXT-2026-0004",
        "fixtures/deps/project/web/package-lock.json",
        18,
    ),
    (
        "PCXT-2026-0001",
        "fixtures/deps/project/web/package-lock.json",
        23,
    ),
];

#[test]
fn affected_packages_are_reported_at_their_lines_and_clean_ones_are_not() {
    let (code, report, err) = scan_project(&[]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(findings(&report), set(EXPECTED));
    // What was read (lock files, including requirements includes and go.sum, and their packages).
    assert_eq!(
        report["summary"]["coverage"]["deps"],
        "11 lock files, 22 packages"
    );
    // Clean counterparts in the same files: minimist 1.2.6 (fixed), commons-text 1.10.0 (fixed), nokogiri
    // 1.15.0 (above the fix), markupsafe (no advisory), the withdrawn minimist advisory.
    let text = report.to_string();
    for absent in [
        "PCXT-2026-0002",
        "PCXT-2026-0003",
        "PCXT-2026-0102",
        "PCXT-2026-0302",
    ] {
        assert!(!text.contains(absent), "{absent} must not be reported");
    }
    let lodash = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["rule_id"] == "PCXT-2026-0001")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        lodash["message"],
        "lodash 4.17.20 is affected by Command injection in lodash template (PCXT-2026-0001, CVE-2099-10001); fixed in 4.17.21; upgrade to 4.17.21"
    );
    assert_eq!(lodash["severity"], "high");
    assert_eq!(lodash["fix"], "upgrade lodash to 4.17.21");
    assert_eq!(lodash["cwe"], serde_json::json!(["CWE-77"]));
    // A version that cannot be ordered is reported as "cannot determine", with a warning, never as safe.
    let racc = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["rule_id"] == "PCXT-2026-0303")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        racc["message"],
        "cannot determine whether racc 1.7.1 is affected by Record whose fixed version does not parse (PCXT-2026-0303): a version does not parse as a RubyGems version; fixed in 1.8.0 (patched!)"
    );
    assert_eq!(racc["confidence"], "low");
    assert!(
        err.contains("fixtures/deps/project/ruby/Gemfile.lock:6: racc version `1.7.1` (or a version in PCXT-2026-0303) does not parse"),
        "{err}"
    );
}

#[test]
fn informational_advisories_can_be_turned_off() {
    let (_, report, _) = scan_project(&["--deps-informational=false"]);
    let mut want = set(EXPECTED);
    want.remove(&(
        "PCXT-2026-0502".to_string(),
        "fixtures/deps/project/rust/Cargo.lock".to_string(),
        6,
    ));
    assert_eq!(findings(&report), want);
}

#[test]
fn no_database_fails_closed_with_a_way_out() {
    let cache = Tree::new();
    let c = cache.path().to_str().unwrap_or_default();
    // An empty config instead of fixtures/portcullis.toml (found upward from the project), which names the data.
    let cfg = cache.write("empty.toml", "");
    let cfg = cfg.to_str().unwrap_or_default();
    let (code, _, err) = run(&[
        "scan",
        PROJECT,
        "--scanners",
        "deps",
        "--cache-dir",
        c,
        "--config",
        cfg,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("no advisory data: none given with --advisories, and the cache"),
        "{err}"
    );
    assert!(err.contains("portcullis db update"), "{err}");
    assert!(
        err.contains("crates.io, npm, PyPI, Go, Maven, RubyGems, Packagist, NuGet"),
        "{err}"
    );
    // Accepting an incomplete audit: a warning, and the gate decides on the remaining findings.
    let (code, _, err) = run(&[
        "scan",
        PROJECT,
        "--scanners",
        "deps",
        "--cache-dir",
        c,
        "--config",
        cfg,
        "--allow-missing-db",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("warning: no advisory data"), "{err}");
    // A database that does not exist is never a pass either.
    let (code, _, err) = run(&[
        "scan",
        PROJECT,
        "--scanners",
        "deps",
        "--advisories",
        "fixtures/deps/no-such-dir",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("fixtures/deps/no-such-dir: advisory database not found"),
        "{err}"
    );
}

#[test]
fn an_ecosystem_without_data_fails_closed_and_names_its_files() {
    let t = Tree::new();
    t.write(
        "db/npm/X.json",
        r#"{"id":"PCXT-X","affected":[{"package":{"ecosystem":"npm","name":"lodash"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"4.17.21"}]}]}]}"#,
    );
    let db = t.path().join("db");
    let (code, out, err) = run(&[
        "scan",
        PROJECT,
        "--scanners",
        "deps",
        "--advisories",
        db.to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains(
            "no advisory data for PyPI (fixtures/deps/project/py/base.in and 1 more): those packages were not audited"
        ),
        "{err}"
    );
    assert!(
        err.contains("no advisory data for Maven (fixtures/deps/project/api/pom.xml)"),
        "{err}"
    );
    assert!(!err.contains("no advisory data for npm"), "{err}");
    // What could be checked is still reported.
    assert!(findings(&json(&out)).contains(&(
        "PCXT-X".to_string(),
        "fixtures/deps/project/web/package-lock.json".to_string(),
        23
    )));
}

#[test]
fn config_ignores_advisories_by_id_with_reason_and_expiry() {
    let t = Tree::new();
    let cfg = t.write(
        "portcullis.toml",
        "[[ignore]]\nrule = \"PCXT-2026-0001\"\nreason = \"template is never called with user input\"\nexpires = 2999-01-01\n\n\
         [[ignore]]\nrule = \"PCXT-2026-0501\"\nreason = \"expired acceptance\"\nexpires = 2000-01-01\n\n\
         [rules.PCXT-2026-0702]\nenabled = false\n",
    );
    let (_, report, err) = scan_project(&["--config", cfg.to_str().unwrap_or_default()]);
    let active: BTreeSet<String> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["suppression"].is_null())
        .map(|f| f["rule_id"].as_str().unwrap_or_default().to_string())
        .collect();
    assert!(!active.contains("PCXT-2026-0001"), "ignored: {active:?}");
    assert!(
        active.contains("PCXT-2026-0501"),
        "expired ignores do not apply"
    );
    assert!(
        !report.to_string().contains("PCXT-2026-0702"),
        "disabled rule"
    );
    assert!(err.contains("expired"), "{err}");
}

#[test]
fn sarif_rules_carry_aliases_links_and_severity() {
    let cache = Tree::new();
    let (code, out, _) = run(&[
        "scan",
        PROJECT,
        "--advisories",
        ADVISORIES,
        "--cache-dir",
        cache.path().to_str().unwrap_or_default(),
        "--format",
        "sarif",
        "--max-db-age",
        "0",
    ]);
    assert_eq!(code, 1);
    let log = json(&out);
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let rule = rules
        .iter()
        .find(|r| r["id"] == "PCXT-2026-0001")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        rule["properties"]["aliases"],
        serde_json::json!(["CVE-2099-10001"])
    );
    assert_eq!(
        rule["helpUri"],
        "https://example.org/advisories/PCXT-2026-0001"
    );
    assert_eq!(rule["properties"]["security-severity"], "8.0");
    assert_eq!(
        rule["shortDescription"]["text"],
        "Command injection in lodash template"
    );
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"].to_string();
    assert!(notes.contains("advisory-db-stale"), "{notes}");
}

#[test]
fn malformed_lock_files_are_reported_and_the_rest_is_still_audited() {
    let t = Tree::new();
    t.write(
        "a/package-lock.json",
        "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/x\": {",
    );
    t.write("b/Cargo.lock", "this is [not toml\n");
    t.write(
        "c/package-lock.json",
        "{\"lockfileVersion\": 3, \"packages\": {\"node_modules/lodash\": {\"version\": \"4.17.20\"}}}\n",
    );
    let big = t.write("d/package-lock.json", "");
    std::fs::File::options()
        .write(true)
        .open(&big)
        .and_then(|f| f.set_len(200 << 20))
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, out, err) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--scanners",
        "deps",
        "--advisories",
        ADVISORIES,
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("a/package-lock.json:1: cannot parse as package-lock.json: invalid package-lock.json: EOF while parsing"),
        "{err}"
    );
    assert!(
        err.contains(
            "b/Cargo.lock:1: cannot parse as Cargo.lock: invalid Cargo.lock: expected `.`, `=`"
        ),
        "{err}"
    );
    assert!(
        err.contains("d/package-lock.json: not scanned: 200.0 MiB is over the 10.0 MiB size limit"),
        "{err}"
    );
    assert!(err.contains("its dependencies were not audited"), "{err}");
    assert_eq!(
        findings(&json(&out)),
        set(&[("PCXT-2026-0001", "c/package-lock.json", 1)])
    );
}

#[test]
fn output_is_the_same_whatever_the_thread_count() {
    let (_, one, _) = scan_project(&["--jobs", "1"]);
    let (_, four, _) = scan_project(&["--jobs", "4"]);
    assert_eq!(one, four);
}

#[test]
fn real_data_flags_an_old_smallvec_with_the_right_fix() {
    let Some(shared) = shared() else {
        println!("skipped: ../shared is not beside the checkout");
        return;
    };
    let t = Tree::new();
    t.write(
        "Cargo.lock",
        "version = 3\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"smallvec\"]\n\n\
         [[package]]\nname = \"smallvec\"\nversion = \"0.6.13\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    let cache = Tree::new();
    // RustSec's own tree and its OSV export together: each advisory is reported once.
    let db = shared.join("advisories");
    let (code, out, err) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--advisories",
        db.to_str().unwrap_or_default(),
        "--cache-dir",
        cache.path().to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    let report = json(&out);
    assert_eq!(
        findings(&report),
        set(&[("RUSTSEC-2021-0003", "Cargo.lock", 9)])
    );
    assert_eq!(report["findings"][0]["fix"], "upgrade smallvec to 0.6.14");
    // The sources for crates.io (its OSV zip and the RustSec tree) were compiled into indexes in the cache,
    // which the next run reuses; the Go and PyPI zips were never opened.
    let mut stored: Vec<String> = std::fs::read_dir(cache.path().join("index"))
        .map(|d| {
            d.flatten()
                .map(|e| {
                    e.file_name()
                        .to_string_lossy()
                        .split('-')
                        .next()
                        .unwrap_or("")
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    stored.sort();
    assert_eq!(stored, ["crates.io", "rustsec"]);
    let (code, again, _) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--advisories",
        db.to_str().unwrap_or_default(),
        "--cache-dir",
        cache.path().to_str().unwrap_or_default(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 1);
    assert_eq!(findings(&json(&again)), findings(&report));
}

#[test]
fn sbom_lists_every_package_with_its_purl_and_location() {
    let (code, out, err) = run(&["sbom", PROJECT]);
    assert_eq!(code, 0, "{err}");
    let bom = json(&out);
    assert_eq!(bom["bomFormat"], "CycloneDX");
    assert_eq!(bom["specVersion"], "1.5");
    let purls: Vec<&str> = bom["components"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["purl"].as_str())
        .collect();
    assert_eq!(
        purls,
        [
            "pkg:cargo/ansi_term@0.12.1",
            "pkg:cargo/demo@0.1.0",
            "pkg:cargo/smallvec@0.6.13",
            "pkg:composer/guzzlehttp/guzzle@7.4.4",
            "pkg:gem/nokogiri@1.15.0",
            "pkg:gem/racc@1.7.1",
            "pkg:gem/rack@2.2.3",
            "pkg:golang/github.com/acme/cli@v1.4.0",
            "pkg:golang/golang.org/x/net@v0.17.0",
            "pkg:golang/golang.org/x/text@v0.3.6",
            "pkg:golang/stdlib@1.16.0",
            "pkg:golang/stdlib@1.21.3",
            "pkg:maven/org.apache.commons/commons-text@1.10.0",
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            "pkg:npm/%40acme/widgets@2.0.0-beta.2",
            "pkg:npm/lodash@4.17.20",
            "pkg:npm/minimist@1.2.6",
            "pkg:nuget/newtonsoft.json@12.0.3",
            "pkg:pypi/django@4.2.0",
            "pkg:pypi/jinja2@2.10",
            "pkg:pypi/markupsafe@2.1.3",
        ]
    );
    assert!(
        out.contains("\"fixtures/deps/project/py/base.in:1\""),
        "included files keep their own location"
    );
    // The same inventory twice gives the same bytes; a broken lock file makes the SBOM incomplete: exit 2.
    assert_eq!(run(&["sbom", PROJECT]).1, out);
    let t = Tree::new();
    t.write("Cargo.lock", "not [toml\n");
    let (code, _, err) = run(&["sbom", t.path().to_str().unwrap_or_default()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("Cargo.lock:1: cannot parse as Cargo.lock"),
        "{err}"
    );
}

/// A one-thread HTTP/1.1 server on 127.0.0.1 answering from a routing function, for `db update` and
/// `--online` end to end. Returns the base URL.
fn serve(route: fn(&str, &str, &str) -> (u16, Vec<u8>)) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            let mut head = String::new();
            let mut len = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    len = v.trim().parse().unwrap_or(0);
                }
                if head.is_empty() {
                    head = line;
                }
            }
            let mut body = vec![0; len];
            let _ = reader.read_exact(&mut body);
            let mut parts = head.split_whitespace();
            let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let (status, payload) = route(method, path, &String::from_utf8_lossy(&body));
            let mut w = &stream;
            let _ = write!(
                w,
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                payload.len()
            );
            let _ = w.write_all(&payload);
        }
    });
    format!("http://{addr}")
}

/// The hand-written PyPI records as an osv.dev-style `all.zip`.
fn pypi_zip() -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let dir = common::repo().join(ADVISORIES).join("PyPI");
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    names.sort();
    for p in names {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = w.start_file(name, zip::write::SimpleFileOptions::default());
        let _ = w.write_all(&std::fs::read(&p).unwrap_or_default());
    }
    w.finish().map(|c| c.into_inner()).unwrap_or_default()
}

#[test]
fn db_update_fills_the_cache_that_scans_then_use() {
    let base = serve(|_, path, _| match path {
        "/PyPI/all.zip" => (200, pypi_zip()),
        _ => (404, b"not found".to_vec()),
    });
    let cache = Tree::new();
    let c = cache.path().to_str().unwrap_or_default();
    let py = format!("{PROJECT}/py");
    // The ecosystems in use under the path decide what is downloaded.
    let (code, out, err) = run(&["db", "update", &py, "--cache-dir", c, "--osv-url", &base]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("osv/PyPI         updated: 3 advisories"),
        "{out}"
    );
    let (code, out, _) = run(&["db", "status", "--cache-dir", c]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("osv/PyPI               3 advisories  downloaded "),
        "{out}"
    );
    assert!(out.contains(" 0 days old "), "{out}");
    // The scan finds the data in the cache without --advisories.
    let (code, out, err) = run(&[
        "scan",
        &py,
        "--scanners",
        "deps",
        "--cache-dir",
        c,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        findings(&json(&out)),
        set(&[
            ("PCXT-2026-0601", "fixtures/deps/project/py/base.in", 1),
            ("PCXT-2026-0603", "fixtures/deps/project/py/base.in", 2),
            (
                "PCXT-2026-0602",
                "fixtures/deps/project/py/requirements.txt",
                3
            ),
            (
                "deps-unpinned-requirement",
                "fixtures/deps/project/py/requirements.txt",
                4
            ),
        ])
    );
    // A source the server does not have fails the update (exit 2) and names the source.
    let (code, _, err) = run(&[
        "db",
        "update",
        "--ecosystems",
        "npm",
        "--cache-dir",
        c,
        "--osv-url",
        &base,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("osv/npm"), "{err}");
    assert!(err.contains("404"), "{err}");
}

#[test]
fn online_mode_asks_the_osv_api() {
    let base = serve(|method, path, body| match (method, path) {
        ("POST", "/v1/querybatch") => {
            // One result per query, in order; only lodash 4.17.20 is affected.
            let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
            let results: Vec<serde_json::Value> = v["queries"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|q| {
                    if q["package"]["name"] == "lodash" && q["version"] == "4.17.20" {
                        serde_json::json!({"vulns": [{"id": "PCXT-2026-0001", "modified": "2026-11-01T00:00:00Z"}]})
                    } else {
                        serde_json::json!({})
                    }
                })
                .collect();
            (
                200,
                serde_json::json!({ "results": results })
                    .to_string()
                    .into_bytes(),
            )
        }
        ("GET", "/v1/vulns/PCXT-2026-0001") => (
            200,
            std::fs::read(
                common::repo()
                    .join(ADVISORIES)
                    .join("npm/PCXT-2026-0001.json"),
            )
            .unwrap_or_default(),
        ),
        ("GET", _) => (404, b"{\"code\":5,\"message\":\"Bug not found.\"}".to_vec()),
        _ => (500, b"unexpected".to_vec()),
    });
    let web = format!("{PROJECT}/web");
    let (code, out, err) = run(&[
        "scan",
        &web,
        "--scanners",
        "deps",
        "--online",
        "--osv-api",
        &base,
        "--format",
        "json",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        findings(&json(&out)),
        set(&[(
            "PCXT-2026-0001",
            "fixtures/deps/project/web/package-lock.json",
            23
        )])
    );
    // An API that fails is never a pass.
    let down = serve(|_, _, _| (500, b"boom".to_vec()));
    let (code, _, err) = run(&[
        "scan",
        &web,
        "--scanners",
        "deps",
        "--online",
        "--osv-api",
        &down,
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("HTTP 500"), "{err}");
    assert!(err.contains("were not audited"), "{err}");
}

#[test]
fn explain_looks_advisories_up_in_the_advisory_data() {
    let (code, out, err) = run(&["explain", "PCXT-2026-0001", "--advisories", ADVISORIES]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.starts_with("# Command injection in lodash template (`PCXT-2026-0001`)\n\nScanner: deps · Severity: high · Confidence: high · CWE-77 · OWASP A06:2021 · Aliases: CVE-2099-10001\n"),
        "{out}"
    );
    assert!(
        out.contains("- <https://example.org/advisories/PCXT-2026-0001>"),
        "{out}"
    );
    let (code, _, err) = run(&["explain", "PCXT-2026-9999", "--advisories", ADVISORIES]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no advisory `PCXT-2026-9999` in fixtures/deps/advisories"),
        "{err}"
    );
}

/// Regression (issue 8, defects 1 and 2): a lock file the walk does not follow (a symlink) or refuses (over
/// the size limit) is never audited behind its back; an included requirements file keeps its own
/// suppressions, and the including file's directive does not reach into it by line number.
#[test]
fn lock_files_are_read_only_through_the_pipeline_and_suppressions_stay_in_their_file() {
    let t = Tree::new();
    let adv = common::repo().join(ADVISORIES);
    let adv = adv.to_str().unwrap_or_default();
    let cache = Tree::new();
    let c = cache.path().to_str().unwrap_or_default();
    let src = common::repo().join(PROJECT).join("py");
    let req = std::fs::read_to_string(src.join("requirements.txt")).unwrap_or_default();
    let base = std::fs::read_to_string(src.join("base.in")).unwrap_or_default();
    // requirements.txt line 1 is `-r base.in`; a directive on it names the rule of base.in's line 1.
    let first = req.lines().next().unwrap_or_default().to_string();
    let req2 = req.replacen(
        &first,
        &format!("{first}  # portcullis:ignore[PCXT-2026-0601] wrong file"),
        1,
    );
    t.write("py/requirements.txt", &req2);
    let mut base_lines: Vec<String> = base.lines().map(str::to_string).collect();
    base_lines[1] = format!(
        "{}  # portcullis:ignore[PCXT-2026-0603] accepted",
        base_lines[1]
    );
    t.write("py/base.in", base_lines.join("\n") + "\n");
    #[cfg(unix)]
    {
        std::fs::create_dir_all(t.path().join("linked")).unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(
            src.join("requirements.txt"),
            t.path().join("linked/requirements.txt"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    t.write(
        "big/requirements.txt",
        format!("urllib3==1.26.0\n{}", "# pad\n".repeat(400)),
    );
    let (code, out, err) = run(&[
        "scan",
        t.path().to_str().unwrap_or_default(),
        "--scanners",
        "deps",
        "--advisories",
        adv,
        "--cache-dir",
        c,
        "--max-file-size",
        "1KB",
        "--format",
        "json",
    ]);
    assert_eq!(code, 2, "the oversized lock file fails closed: {err}");
    let report = json(&out);
    let active: BTreeSet<(String, String, u64)> = report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["suppression"].is_null())
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or_default().to_string(),
                f["location"]["path"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
                f["location"]["start_line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        active,
        set(&[
            ("PCXT-2026-0601", "py/base.in", 1),
            ("PCXT-2026-0602", "py/requirements.txt", 3),
            ("deps-unpinned-requirement", "py/requirements.txt", 4),
        ]),
        "{err}"
    );
    let all = findings(&report);
    assert!(all.contains(&("PCXT-2026-0603".to_string(), "py/base.in".to_string(), 2)));
    assert!(
        !all.iter()
            .any(|(_, p, _)| p.starts_with("linked/") || p.starts_with("big/")),
        "{all:?}"
    );
    assert!(err.contains("big/requirements.txt: not scanned:"), "{err}");
    assert!(err.contains("its dependencies were not audited"), "{err}");
}

/// An OSV record for the temporary trees below.
fn osv(
    id: &str,
    aliases: &[&str],
    summary: Option<&str>,
    details: &str,
    package: &str,
    fixed: Option<&str>,
) -> String {
    let (eco, name, purl) = match package.split_once(':') {
        Some(("purl", p)) => ("PyPI", String::new(), format!(",\"purl\":\"{p}\"")),
        _ => ("PyPI", package.to_string(), String::new()),
    };
    let mut events = vec![serde_json::json!({"introduced": "0"})];
    if let Some(f) = fixed {
        events.push(serde_json::json!({"fixed": f}));
    }
    let mut v = serde_json::json!({
        "id": id, "modified": "2026-11-20T00:00:00Z", "aliases": aliases, "details": details,
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"}],
        "affected": [{"package": {"ecosystem": eco, "name": name}, "ranges": [{"type": "ECOSYSTEM", "events": events}]}],
    });
    if let Some(s) = summary {
        v["summary"] = serde_json::json!(s);
    }
    let text = v.to_string();
    if purl.is_empty() {
        text
    } else {
        text.replace("\"name\":\"\"", &format!("\"name\":\"\"{purl}"))
    }
}

/// A tree with a requirements file and its advisory data: three advisories, one without a fixed version.
fn alias_tree() -> Tree {
    let t = Tree::new();
    t.write(
        "app/requirements.txt",
        "cryptography==39.0.1\nrequests==2.0.0\nurllib3==1.26.0\n",
    );
    t.write(
        "data/PyPI/PCXT-2026-0901.json",
        osv(
            "PCXT-2026-0901",
            &["CVE-2099-0901", "GHSA-aaaa-bbbb-cccc"],
            None,
            "cryptography is a package designed to expose cryptographic primitives and recipes to Python developers. Cipher.update_into accepts buffers too small for its output. Upgrade.",
            "cryptography",
            Some("39.0.2"),
        ),
    );
    t.write(
        "data/PyPI/PCXT-2026-0902.json",
        osv(
            "PCXT-2026-0902",
            &[],
            Some("Header injection"),
            "",
            "purl:pkg:pypi/requests",
            Some("2.31.0"),
        ),
    );
    t.write(
        "data/PyPI/PCXT-2026-0903.json",
        osv(
            "PCXT-2026-0903",
            &[],
            Some("Proxy credentials leak"),
            "",
            "urllib3",
            None,
        ),
    );
    t
}

fn scan_tree(t: &Tree, extra: &[&str]) -> (i32, serde_json::Value, String) {
    let root = t.path().join("app");
    let data = t.path().join("data");
    let cache = t.path().join("cache");
    let mut args = vec![
        "scan",
        root.to_str().unwrap_or_default(),
        "--scanners",
        "deps",
        "--advisories",
        data.to_str().unwrap_or_default(),
        "--cache-dir",
        cache.to_str().unwrap_or_default(),
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = run(&args);
    (code, json(&out), err)
}

fn finding<'a>(report: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| f["rule_id"] == id)
        .unwrap_or(&serde_json::Value::Null)
}

/// Regression (issue 8, defects 8 and 9): dependency findings carry structured fields in JSON; messages use
/// the advisory's point rather than a package blurb, purl-only advisories name the package, and a pom.xml
/// is not told to use pip-compile.
#[test]
fn dependency_findings_are_structured_and_clearly_worded() {
    let t = alias_tree();
    let (code, r, err) = scan_tree(&t, &[]);
    assert_eq!(code, 1, "{err}");
    let c = finding(&r, "PCXT-2026-0901");
    assert_eq!(
        c["message"],
        "cryptography 39.0.1 is affected by Cipher.update_into accepts buffers too small for its output (PCXT-2026-0901, CVE-2099-0901); fixed in 39.0.2; upgrade to 39.0.2"
    );
    assert_eq!(
        c["details"],
        serde_json::json!({
            "kind": "dependency", "ecosystem": "PyPI", "package": "cryptography", "installed_version": "39.0.1",
            "fixed_versions": ["39.0.2"], "upgrade_to": "39.0.2", "advisory": "PCXT-2026-0901",
            "aliases": ["CVE-2099-0901", "GHSA-aaaa-bbbb-cccc"],
            "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", "cvss_score": 7.5,
            "lockfile": "requirements.txt", "line": 1, "dev": false,
        })
    );
    let req = finding(&r, "PCXT-2026-0902");
    assert_eq!(req["help"], "Upgrade `requests` (PyPI) to a version the advisory lists as fixed, and regenerate the lock file.");
    let (_, out, _) = run(&[
        "explain",
        "PCXT-2026-0902",
        "--advisories",
        t.path().join("data").to_str().unwrap_or_default(),
    ]);
    assert!(
        out.starts_with("# Header injection (`PCXT-2026-0902`)"),
        "{out}"
    );
    assert!(out.contains("`requests` (PyPI)"), "{out}");
    assert!(!out.contains("``"), "{out}");
    // Unpinned Maven and NuGet dependencies get their own format's hint.
    t.write("pom/pom.xml", "<project><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>[1.0,2.0)</version></dependency></dependencies></project>\n");
    let (_, out, _) = run(&[
        "scan",
        t.path().join("pom").to_str().unwrap_or_default(),
        "--scanners",
        "deps",
        "--allow-missing-db",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--cache-dir",
        t.path().join("cache").to_str().unwrap_or_default(),
    ]);
    let r = json(&out);
    let un = finding(&r, "deps-unpinned-requirement");
    assert!(
        un["message"]
            .as_str()
            .is_some_and(|m| m.contains("exact `<version>`") && !m.contains("pip-compile")),
        "{un}"
    );
}

/// Regression (issue 8, defect 7): an advisory's CVE or GHSA alias works in ignores, baselines, selectors and
/// `explain`; an ignore that matches nothing is a warning.
#[test]
fn advisory_aliases_work_everywhere() {
    let t = alias_tree();
    t.write(
        "app/portcullis.toml",
        "[[ignore]]\nrule = \"CVE-2099-0901\"\nreason = \"not reachable\"\n\n[[ignore]]\nrule = \"GHSA-zzzz-zzzz-zzzz\"\nreason = \"old\"\n",
    );
    let (_, r, err) = scan_tree(&t, &[]);
    let c = finding(&r, "PCXT-2026-0901");
    assert_eq!(c["suppression"]["kind"], "external", "{c}");
    // Paths are relative to the scanned folder: it is not inside a git work tree.
    assert_eq!(c["suppression"]["source"], "portcullis.toml");
    assert!(
        err.contains(
            "portcullis.toml:5: ignore entry for rule `GHSA-zzzz-zzzz-zzzz` matches no finding"
        ),
        "{err}"
    );
    std::fs::remove_file(t.path().join("app/portcullis.toml")).unwrap_or_default();

    // Selecting by alias runs only that advisory.
    let (_, r, _) = scan_tree(&t, &["--select", "GHSA-aaaa-bbbb-cccc"]);
    let ids: Vec<&str> = r["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["rule_id"].as_str())
        .collect();
    assert_eq!(ids, ["PCXT-2026-0901"]);

    // A baseline written while the advisory was known by one id still matches when the data renames it.
    let baseline = t.path().join("baseline.json");
    let b = baseline.to_str().unwrap_or_default();
    scan_tree(&t, &["--write-baseline", b]);
    let old = t.path().join("data/PyPI/PCXT-2026-0901.json");
    let renamed = std::fs::read_to_string(&old)
        .unwrap_or_default()
        .replace(
            "\"id\":\"PCXT-2026-0901\"",
            "\"id\":\"GHSA-aaaa-bbbb-cccc\"",
        )
        .replace("\"GHSA-aaaa-bbbb-cccc\"]", "\"PCXT-2026-0901\"]");
    std::fs::remove_file(&old).unwrap_or_default();
    t.write("data/PyPI/GHSA-aaaa-bbbb-cccc.json", renamed);
    let (_, r, err) = scan_tree(&t, &["--baseline", b]);
    let g = finding(&r, "GHSA-aaaa-bbbb-cccc");
    assert_eq!(g["baseline_state"], "unchanged", "{g} {err}");

    // explain by alias, in any case.
    let data = t.path().join("data");
    for id in ["CVE-2099-0901", "cve-2099-0901", "PCXT-2026-0901"] {
        let (code, out, err) = run(&[
            "explain",
            id,
            "--advisories",
            data.to_str().unwrap_or_default(),
        ]);
        assert_eq!(code, 0, "{id}: {err}");
        assert!(
            out.starts_with(&format!(
                "`{id}` is an alias of `GHSA-aaaa-bbbb-cccc`.\n\n# Cipher.update_into"
            )),
            "{id}: {out}"
        );
    }
}

/// `--ignore-unfixed` / `[deps] ignore-unfixed` keep advisories without a fix from failing the gate, and
/// `fail-on` applies per scanner.
#[test]
fn unfixed_advisories_and_per_scanner_thresholds() {
    let t = alias_tree();
    t.write("app/requirements.txt", "urllib3==1.26.0\n");
    let (code, r, _) = scan_tree(&t, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        finding(&r, "PCXT-2026-0903")["details"]["fixed_versions"],
        serde_json::json!([])
    );
    assert_eq!(scan_tree(&t, &["--ignore-unfixed"]).0, 0);
    let (code, r, _) = scan_tree(&t, &["--ignore-unfixed"]);
    assert_eq!(code, 0);
    assert_eq!(
        finding(&r, "PCXT-2026-0903")["suppression"],
        serde_json::Value::Null,
        "still reported"
    );
    t.write("app/portcullis.toml", "[deps]\nignore-unfixed = true\n");
    assert_eq!(scan_tree(&t, &[]).0, 0);
    t.write("app/portcullis.toml", "[deps]\nfail-on = \"critical\"\n");
    assert_eq!(
        scan_tree(&t, &[]).0,
        0,
        "the high finding passes a critical threshold for deps"
    );
    assert_eq!(scan_tree(&t, &["--fail-on", "deps=high"]).0, 1);
}

/// Regression (issue 8, defect 11): `explain` of an advisory with no advisory data says how to get it.
#[test]
fn explain_without_advisory_data_says_how_to_get_it() {
    let empty = Tree::new();
    let (code, _, err) = run(&[
        "explain",
        "GHSA-aaaa-bbbb-cccc",
        "--cache-dir",
        empty.path().to_str().unwrap_or_default(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`GHSA-aaaa-bbbb-cccc` is not a built-in rule, and no advisory data")
            && err.contains("run `portcullis db update` to download it, or pass --advisories DIR"),
        "{err}"
    );
}

/// The ignore files users keep for Trivy, osv-scanner and cargo-audit are honoured, each entry a suppression
/// naming its file; an osv-scanner.toml applies to its own directory only; an expired entry does not apply.
#[test]
fn other_tools_ignore_files_are_honoured() {
    let t = alias_tree();
    t.write(
        "app/Cargo.lock",
        "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"0.6.13\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    t.write(
        "data/crates.io/PCXT-2026-0911.json",
        r#"{"id":"PCXT-2026-0911","modified":"2026-11-20T00:00:00Z","summary":"Overflow","affected":[{"package":{"ecosystem":"crates.io","name":"smallvec"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"0.6.14"}]}]}]}"#,
    );
    t.write("app/sub/requirements.txt", "requests==2.0.0\n");
    t.write(
        "app/.trivyignore",
        "# the cipher is never used\nCVE-2099-0901 exp:2999-01-01\nPCXT-2026-0903 exp:2000-01-01\nCVE-1999-0001\n",
    );
    t.write(
        "app/osv-scanner.toml",
        "[[IgnoredVulns]]\nid = \"PCXT-2026-0902\"\nignoreUntil = 2999-01-01\nreason = \"headers are fixed\"\n",
    );
    t.write(
        "app/.cargo/audit.toml",
        "[advisories]\nignore = [\"PCXT-2026-0911\"]\n",
    );
    let (_, r, err) = scan_tree(&t, &["--verbose"]);
    let by = |id: &str, path: &str| {
        r["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["rule_id"] == id && f["location"]["path"] == path)
            .map(|f| f["suppression"].clone())
            .unwrap_or_else(|| panic!("no {id} in {path}"))
    };
    assert_eq!(
        by("PCXT-2026-0901", "requirements.txt"),
        serde_json::json!({"kind": "external", "justification": "the cipher is never used", "source": ".trivyignore"})
    );
    assert_eq!(
        by("PCXT-2026-0902", "requirements.txt"),
        serde_json::json!({"kind": "external", "justification": "headers are fixed", "source": "osv-scanner.toml"})
    );
    assert_eq!(
        by("PCXT-2026-0902", "sub/requirements.txt"),
        serde_json::Value::Null,
        "osv-scanner.toml does not reach into child directories"
    );
    assert_eq!(
        by("PCXT-2026-0911", "Cargo.lock"),
        serde_json::json!({"kind": "external", "justification": "ignored in .cargo/audit.toml", "source": ".cargo/audit.toml"})
    );
    assert_eq!(
        by("PCXT-2026-0903", "requirements.txt"),
        serde_json::Value::Null
    );
    assert!(
        err.contains(
            ".trivyignore:3: ignore entry for rule `PCXT-2026-0903` expired on 2000-01-01"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "note: .trivyignore:4: ignore entry for rule `CVE-1999-0001` matches no finding"
        ),
        "an unused entry of another tool's file is a note: {err}"
    );
    t.write("app/osv-scanner.toml", "[[IgnoredVulns]]\nid = 7\n");
    let (_, r, err) = scan_tree(&t, &[]);
    assert!(
        err.contains("osv-scanner.toml:2:") && err.contains("its entries are not honoured"),
        "{err}"
    );
    assert_eq!(
        finding(&r, "PCXT-2026-0902")["suppression"],
        serde_json::Value::Null
    );
}

/// Regression (issue 9, cases 11, 12 and 18): an advisory record that cannot be read (truncated, or with a
/// `withdrawn` that is not a time) makes the audit incomplete, exit 2 unless `--allow-partial-db`; an
/// ecosystem's zip with no records counts as missing data, not as a clean bill.
#[test]
fn unreadable_or_empty_advisory_data_fails_closed() {
    let t = alias_tree();
    let record =
        std::fs::read_to_string(t.path().join("data/PyPI/PCXT-2026-0901.json")).unwrap_or_default();
    t.write("data/PyPI/PCXT-2026-0901.json", &record[..record.len() / 2]);
    let (code, _, err) = scan_tree(&t, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error: ")
            && err.contains("PCXT-2026-0901.json")
            && err.contains("--allow-partial-db"),
        "{err}"
    );
    let (code, _, err) = scan_tree(&t, &["--allow-partial-db"]);
    assert_eq!(code, 1, "the other findings still decide: {err}");
    assert!(
        err.contains("warning: ") && err.contains("PCXT-2026-0901.json"),
        "{err}"
    );
    t.write(
        "data/PyPI/PCXT-2026-0901.json",
        record.replacen("\"id\"", "\"withdrawn\":\"garbage\",\"id\"", 1),
    );
    let (code, _, err) = scan_tree(&t, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("`withdrawn` is not an RFC 3339 time"), "{err}");

    // An empty PyPI.zip is no data for PyPI.
    let e = Tree::new();
    e.write("app/requirements.txt", "urllib3==1.26.0\n");
    let zip = e.path().join("data/PyPI.zip");
    std::fs::create_dir_all(e.path().join("data")).unwrap_or_default();
    {
        let f = std::fs::File::create(&zip).unwrap_or_else(|x| panic!("{x}"));
        zip::ZipWriter::new(f)
            .finish()
            .unwrap_or_else(|x| panic!("{x}"));
    }
    let (code, _, err) = scan_tree(&e, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("no advisory data for PyPI"), "{err}");
}

/// Regression (issue 9, case 13): text junk under a lock file's name is an error, never an audit that found
/// nothing; the recognised empty forms of those formats still pass.
#[test]
fn junk_under_a_lock_file_name_is_an_error() {
    for name in ["Gemfile.lock", "cabal.project.freeze", "go.mod"] {
        let t = Tree::new();
        t.write(
            &format!("app/{name}"),
            "hello, this is not a lock file\nat all\n",
        );
        t.write("data/PyPI/x.json", "{\"id\":\"X\",\"affected\":[]}");
        let (code, _, err) = scan_tree(&t, &["--allow-missing-db"]);
        assert_eq!(code, 2, "{name}: {err}");
        assert!(
            err.contains(&format!(
                "{name}:1: cannot parse as {name}: no packages, and none of the format's structure"
            )),
            "{err}"
        );
    }
    let t = Tree::new();
    t.write("app/Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n\nPLATFORMS\n  ruby\n\nBUNDLED WITH\n   2.5.3\n");
    t.write("app/requirements.txt", "# nothing pinned yet\n");
    t.write("data/PyPI/x.json", "{\"id\":\"X\",\"affected\":[]}");
    let (code, _, err) = scan_tree(&t, &["--allow-missing-db"]);
    assert_eq!(code, 0, "{err}");
}

/// Regression (issue 9, cases 5 and 7): a decompression bomb in an advisory zip and a FIFO among the advisory
/// files are refused with an error (the audit fails closed), never read without bound or waited on.
#[cfg(unix)]
#[test]
fn hostile_advisory_files_are_bounded() {
    use std::io::Write;
    let t = alias_tree();
    std::fs::remove_dir_all(t.path().join("data")).unwrap_or_default();
    std::fs::create_dir_all(t.path().join("data")).unwrap_or_default();
    {
        let f =
            std::fs::File::create(t.path().join("data/PyPI.zip")).unwrap_or_else(|e| panic!("{e}"));
        let mut w = zip::ZipWriter::new(f);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        w.start_file("PCXT-2026-0999.json", opts)
            .unwrap_or_else(|e| panic!("{e}"));
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..20 {
            w.write_all(&zeros).unwrap_or_else(|e| panic!("{e}"));
        }
        w.finish().unwrap_or_else(|e| panic!("{e}"));
    }
    let (code, _, err) = scan_tree(&t, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("PCXT-2026-0999.json")
            && (err.contains("decompression bomb") || err.contains("limit for one record")),
        "{err}"
    );
    let fifo = t.path().join("data/PyPI/pipe.json");
    std::fs::create_dir_all(t.path().join("data/PyPI")).unwrap_or_default();
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()));
    let (code, _, err) = scan_tree(&t, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("pipe.json: not a regular file"), "{err}");
}
