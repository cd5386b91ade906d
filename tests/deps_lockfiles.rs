//! Hand-written lock-file fixtures with exact expected results, and malformed input.
//!
//! `fixtures/deps/lockfiles/<format-id>/[<variant>/]<file>` holds one fixture per file, named as its format
//! expects (`Format::detect` sees the file name). Beside it, tab-separated files with a header line:
//! - `<file>.expected` (required): columns `ecosystem name version direct dev optional line source`, one row
//!   per package in the parser's output order; `direct` is `true`, `false` or `-` (unknown); `source` is
//!   `registry`, `git:<url>` or `git:<url>#<rev>`, `path:<path>` or `url:<url>`.
//! - `<file>.unpinned` (optional): columns `ecosystem name spec line`; without it the fixture must have none.
//! - `<file>.includes` (optional): columns `path constraints line`; without it the fixture must have none.
//!
//! The expectations were written from reading each fixture and the format's documentation, not from the
//! parser's output. Every format of `Format::ALL` must have a fixture, and at least three fixtures are saved
//! with CRLF line endings and three with a UTF-8 BOM (`fixtures/deps/.gitattributes` keeps their bytes).
//!
//! `fixtures/deps/malformed/<case>/<file>` holds broken files; each must give a clear, one-line
//! `LockfileError` at the right line, quickly, without a panic. Deeply nested inputs are generated into a
//! temporary directory.

use portcullis::lockfile::parsers::{parse, Format};
use portcullis::lockfile::{LockfileError, ParsedLockfile, Source};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const PACKAGE_HEADER: &str = "ecosystem\tname\tversion\tdirect\tdev\toptional\tline\tsource";
const UNPINNED_HEADER: &str = "ecosystem\tname\tspec\tline";
const INCLUDES_HEADER: &str = "path\tconstraints\tline";
const EXPECTATION_SUFFIXES: [&str; 3] = [".expected", ".unpinned", ".includes"];

fn fixtures_dir(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/deps")
        .join(sub)
}

/// Every file under `dir`, sorted.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read_dir {}: {e}", d.display()));
        for entry in entries {
            let p = entry
                .unwrap_or_else(|e| panic!("read_dir {}: {e}", d.display()))
                .path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn source_text(s: &Source) -> String {
    match s {
        Source::Registry => "registry".into(),
        Source::Git {
            url,
            rev: Some(rev),
        } => format!("git:{url}#{rev}"),
        Source::Git { url, rev: None } => format!("git:{url}"),
        Source::Path { path } => format!("path:{path}"),
        Source::Url { url } => format!("url:{url}"),
    }
}

fn package_rows(p: &ParsedLockfile) -> Vec<String> {
    p.packages
        .iter()
        .map(|p| {
            let direct = match p.direct {
                Some(true) => "true",
                Some(false) => "false",
                None => "-",
            };
            [
                p.ecosystem.osv_name().to_string(),
                p.name.clone(),
                p.version.clone(),
                direct.to_string(),
                p.dev.to_string(),
                p.optional.to_string(),
                p.line.to_string(),
                source_text(&p.source),
            ]
            .join("\t")
        })
        .collect()
}

fn unpinned_rows(p: &ParsedLockfile) -> Vec<String> {
    p.unpinned
        .iter()
        .map(|u| {
            format!(
                "{}\t{}\t{}\t{}",
                u.ecosystem.osv_name(),
                u.name,
                u.spec,
                u.line
            )
        })
        .collect()
}

fn include_rows(p: &ParsedLockfile) -> Vec<String> {
    p.includes
        .iter()
        .map(|i| format!("{}\t{}\t{}", i.path, i.constraints, i.line))
        .collect()
}

/// The rows of an expectation file (header checked), or `Err` with what is wrong.
fn read_expectation(path: &Path, header: &str) -> Result<Vec<String>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines();
    match lines.next() {
        Some(h) if h == header => {}
        other => {
            return Err(format!(
                "{}: header must be `{header}`, found {other:?}",
                path.display()
            ))
        }
    }
    Ok(lines
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}

/// A line diff of `expected` and `got` (longest common subsequence): `  ` same, `- ` missing, `+ ` extra.
fn diff(expected: &[String], got: &[String]) -> String {
    let (n, m) = (expected.len(), got.len());
    let mut lcs = vec![vec![0usize; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if expected[i] == got[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = String::new();
    while i < n || j < m {
        if i < n && j < m && expected[i] == got[j] {
            out.push_str(&format!("    {}\n", expected[i]));
            i += 1;
            j += 1;
        } else if j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j]) {
            out.push_str(&format!("  + {}\n", got[j]));
            j += 1;
        } else {
            out.push_str(&format!("  - {}\n", expected[i]));
            i += 1;
        }
    }
    out
}

/// Compares one kind of rows; an absent expectation file means "none".
fn compare(fixture: &Path, suffix: &str, header: &str, got: &[String], failures: &mut Vec<String>) {
    let path = PathBuf::from(format!("{}{suffix}", fixture.display()));
    let expected = if path.exists() {
        match read_expectation(&path, header) {
            Ok(rows) => rows,
            Err(e) => {
                failures.push(e);
                return;
            }
        }
    } else {
        Vec::new()
    };
    if expected != got {
        failures.push(format!(
            "{}{suffix}: rows differ (- expected, + parsed):\n{}",
            fixture.display(),
            diff(&expected, got)
        ));
    }
}

#[test]
fn every_lockfile_fixture_parses_to_its_expected_rows() {
    let root = fixtures_dir("lockfiles");
    let mut failures: Vec<String> = Vec::new();
    let mut covered: BTreeMap<&'static str, usize> = BTreeMap::new();
    let (mut crlf, mut bom) = (0, 0);
    for path in walk(&root) {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if EXPECTATION_SUFFIXES.iter().any(|s| file_name.ends_with(s)) {
            let fixture = EXPECTATION_SUFFIXES
                .iter()
                .find_map(|s| file_name.strip_suffix(s))
                .map(|f| path.with_file_name(f));
            if fixture.is_some_and(|f| !f.exists()) {
                failures.push(format!("{}: no fixture beside it", path.display()));
            }
            continue;
        }
        let Some(format) = Format::detect(&file_name) else {
            failures.push(format!(
                "{}: not a lock-file name Format::detect knows",
                path.display()
            ));
            continue;
        };
        let dir = path
            .strip_prefix(&root)
            .ok()
            .and_then(|rel| rel.components().next())
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        if dir != format.id() {
            failures.push(format!(
                "{}: detected as {}, but it lies under `{dir}/`",
                path.display(),
                format.id()
            ));
        }
        *covered.entry(format.id()).or_default() += 1;
        if !PathBuf::from(format!("{}.expected", path.display())).exists() {
            failures.push(format!("{}: no .expected file", path.display()));
            continue;
        }
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bom += 1;
        }
        if bytes.windows(2).any(|w| w == b"\r\n") {
            crlf += 1;
        }
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                failures.push(format!("{}: not UTF-8: {e}", path.display()));
                continue;
            }
        };
        let parsed = match parse(format, &text) {
            Ok(p) => p,
            Err(e) => {
                failures.push(format!("{}: parse error: {e}", path.display()));
                continue;
            }
        };
        compare(
            &path,
            ".expected",
            PACKAGE_HEADER,
            &package_rows(&parsed),
            &mut failures,
        );
        compare(
            &path,
            ".unpinned",
            UNPINNED_HEADER,
            &unpinned_rows(&parsed),
            &mut failures,
        );
        compare(
            &path,
            ".includes",
            INCLUDES_HEADER,
            &include_rows(&parsed),
            &mut failures,
        );
    }
    for format in Format::ALL {
        if !covered.contains_key(format.id()) {
            failures.push(format!(
                "{format:?}: no fixture under fixtures/deps/lockfiles/{}/",
                format.id()
            ));
        }
    }
    if crlf < 3 {
        failures.push(format!(
            "only {crlf} fixtures have CRLF line endings (3 wanted; check .gitattributes)"
        ));
    }
    if bom < 3 {
        failures.push(format!(
            "only {bom} fixtures start with a UTF-8 BOM (3 wanted)"
        ));
    }
    assert!(
        failures.is_empty(),
        "{} problem(s):\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Parses on another thread: a panic or a run longer than `limit` fails the calling test.
fn parse_in_time(
    format: Format,
    text: String,
    limit: Duration,
) -> Result<ParsedLockfile, LockfileError> {
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::spawn(move || {
        let _ = tx.send(parse(format, &text));
    });
    let started = Instant::now();
    let result = rx
        .recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{format:?}: no answer within {limit:?} (hang or panic)"));
    assert!(worker.join().is_ok(), "{format:?}: the parser panicked");
    assert!(started.elapsed() <= limit);
    result
}

/// (case directory under `fixtures/deps/malformed`, line of the error, texts its message must contain).
const MALFORMED: &[(&str, Option<u32>, &[&str])] = &[
    (
        "cargo-not-toml",
        Some(1),
        &["invalid Cargo.lock: invalid key"],
    ),
    (
        "npm-packages-array",
        Some(6),
        &["invalid package-lock.json: invalid type: sequence, expected a map"],
    ),
    (
        "npm-truncated",
        Some(16),
        &["invalid package-lock.json: EOF while parsing a string"],
    ),
    (
        "npm-version-not-string",
        Some(12),
        &["invalid package-lock.json: invalid type: integer `3`, expected a string"],
    ),
    (
        "pnpm-billion-laughs",
        Some(7),
        &["invalid pnpm-lock.yaml: budget breached", "anchor"],
    ),
    (
        "yarn-garbage-entry",
        Some(9),
        &["invalid yarn.lock: expected an entry header ending in `:`, found `<<<<<<< HEAD`"],
    ),
];

const LIMIT: Duration = Duration::from_secs(10);

fn expect_error(
    what: &str,
    got: Result<ParsedLockfile, LockfileError>,
    line: Option<u32>,
    texts: &[&str],
) {
    let e = match got {
        Ok(p) => panic!(
            "{what}: parsed without error: {} packages",
            p.packages.len()
        ),
        Err(e) => e,
    };
    assert_eq!(e.line, line, "{what}: {e}");
    for t in texts {
        assert!(e.message.contains(t), "{what}: `{e}` does not say `{t}`");
    }
    assert!(
        !e.message.contains('\n'),
        "{what}: a one-line message: {e:?}"
    );
}

#[test]
fn malformed_lockfiles_give_clear_errors_quickly() {
    let root = fixtures_dir("malformed");
    let mut seen = Vec::new();
    for path in walk(&root) {
        let case = path
            .parent()
            .and_then(|p| p.file_name())
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let format = Format::detect(&file_name)
            .unwrap_or_else(|| panic!("{}: not a lock-file name", path.display()));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let Some((_, line, texts)) = MALFORMED.iter().find(|(c, _, _)| *c == case) else {
            panic!("{}: no expectation in MALFORMED", path.display());
        };
        expect_error(&case, parse_in_time(format, text, LIMIT), *line, texts);
        seen.push(case);
    }
    seen.sort();
    let mut wanted: Vec<String> = MALFORMED.iter().map(|(c, _, _)| (*c).to_string()).collect();
    wanted.sort();
    assert_eq!(seen, wanted, "every case has one fixture");
}

/// Inputs nested 10,000 levels deep, generated into a temporary directory: every parser family (JSON,
/// JSON with comments, YAML flow and block, TOML, XML, Elixir terms) refuses them with an error.
#[test]
fn deeply_nested_files_are_refused_without_overflowing_the_stack() {
    const DEPTH: usize = 10_000;
    let open = |s: &str| s.repeat(DEPTH);
    let cases: Vec<(&str, String, &[&str])> = vec![
        (
            "pnpm-lock.yaml",
            format!(
                "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {}{}\n",
                open("["),
                open("]")
            ),
            &["invalid pnpm-lock.yaml: "],
        ),
        (
            "pnpm-lock.yaml",
            format!("lockfileVersion: '9.0'\nsettings: {}x\n", open("- ")),
            &["invalid pnpm-lock.yaml: "],
        ),
        (
            "package-lock.json",
            format!(
                "{{\"lockfileVersion\": 1, \"dependencies\": {}{{}}{}}}",
                open("{\"a\": {\"version\": \"1.0.0\", \"dependencies\": "),
                open("}}")
            ),
            &["invalid package-lock.json: recursion limit exceeded"],
        ),
        (
            "bun.lock",
            format!(
                "{{\"lockfileVersion\": 1, \"packages\": {{\"a\": [\"a@1.0.0\", {}{}]}}}}",
                open("["),
                open("]")
            ),
            &["invalid bun.lock: recursion limit exceeded"],
        ),
        (
            "Cargo.lock",
            format!("version = 3\nx = {}{}\n", open("["), open("]")),
            &["invalid Cargo.lock: "],
        ),
        (
            "pom.xml",
            format!("<project>{}{}</project>", open("<a>"), open("</a>")),
            &["invalid pom.xml: elements nested deeper than"],
        ),
        (
            "mix.lock",
            format!("%{{\"a\": {}{}}}", open("{"), open("}")),
            &["invalid mix.lock: nested deeper than"],
        ),
    ];
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    for (i, (name, text, texts)) in cases.into_iter().enumerate() {
        let path = dir.path().join(i.to_string()).join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&path, &text).unwrap_or_else(|e| panic!("{e}"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
        let format = Format::detect(name).unwrap_or_else(|| panic!("{name}"));
        let got = parse_in_time(format, text, LIMIT);
        let e = match got {
            Ok(p) => panic!("{name} #{i}: parsed: {} packages", p.packages.len()),
            Err(e) => e,
        };
        for t in texts {
            assert!(
                e.message.contains(t),
                "{name} #{i}: `{e}` does not say `{t}`"
            );
        }
    }
}

/// A large but honest `pnpm-lock.yaml` (20,000 packages, about 360,000 YAML nodes: more than the YAML
/// library's default budget of 250,000) is not refused by the YAML resource limits.
#[test]
fn a_large_honest_pnpm_lock_is_not_refused() {
    const N: usize = 20_000;
    let mut text =
        String::from("lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n");
    for i in 0..N {
        text.push_str(&format!(
            "      pkg-{i}:\n        specifier: ^1.0.0\n        version: 1.0.{i}\n"
        ));
    }
    text.push_str("\npackages:\n\n");
    for i in 0..N {
        text.push_str(&format!(
            "  pkg-{i}@1.0.{i}:\n    resolution: {{integrity: sha512-fixture-{i}}}\n    engines: {{node: '>=18'}}\n\n"
        ));
    }
    text.push_str("snapshots:\n\n");
    for i in 0..N {
        text.push_str(&format!("  pkg-{i}@1.0.{i}: {{}}\n\n"));
    }
    let started = Instant::now();
    let p = parse_in_time(Format::PnpmLock, text, Duration::from_secs(120))
        .unwrap_or_else(|e| panic!("{e}"));
    println!("{N} packages in {:?}", started.elapsed());
    assert_eq!(p.packages.len(), N);
    let last = p
        .packages
        .last()
        .map(|p| (p.name.as_str(), p.version.as_str(), p.direct));
    assert_eq!(last, Some(("pkg-19999", "1.0.19999", Some(true))));
}
