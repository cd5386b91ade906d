//! Entry points for the fuzz targets (`fuzz/`, cargo-fuzz) and for the `proptest` smoke that runs the same
//! entry points in CI: each takes arbitrary bytes, drives one reader of untrusted input the way a scan
//! does, and checks what must hold whatever the input (no panic, no hang; invariants noted per function).
//! Every reader of input from a pull request or a downloaded database has one.

use crate::advisory::db::AdvisoryDb;
use crate::advisory::index::{compile_zip_bytes, OsvIndex};
use crate::advisory::osv::Advisory;
use crate::finding::{ScannerKind, SourceText};
use crate::lockfile::inventory::parse_file;
use crate::lockfile::parsers::Format;
use crate::lockfile::{sbom, versions, Ecosystem};
use crate::policy::baseline::Baseline;
use crate::policy::inline::{self, RuleStatus};
use crate::rules::Registry;
use crate::scanners::{self, DynScanner, ScannerOptions};
use crate::source::stream::{decode_utf16, Windows};
use crate::source::{NoFiles, ReadError, Reader, SourceFile};
use std::path::Path;
use std::sync::OnceLock;

/// The lock-file formats read as YAML (their own fuzz target: the YAML readers get the longer run).
const YAML_FORMATS: &[Format] = &[
    Format::PnpmLock,
    Format::PubspecLock,
    Format::PodfileLock,
    Format::YarnLock,
    Format::StackLock,
];

/// Splits a selector byte off the input.
fn select(data: &[u8]) -> (u8, &[u8]) {
    match data.split_first() {
        Some((b, rest)) => (*b, rest),
        None => (0, data),
    }
}

/// One lock file of the format the first byte picks, parsed as a scan does, then every package through the
/// SBOM's purl and the version ordering of its ecosystem.
pub fn lockfile(data: &[u8]) {
    let (b, rest) = select(data);
    parse_as(Format::ALL[usize::from(b) % Format::ALL.len()], rest);
}

/// As [`lockfile`], for the YAML formats only.
pub fn lockfile_yaml(data: &[u8]) {
    let (b, rest) = select(data);
    parse_as(YAML_FORMATS[usize::from(b) % YAML_FORMATS.len()], rest);
}

fn parse_as(format: Format, bytes: &[u8]) {
    let Ok(parsed) = parse_file("fuzz/lockfile", format, bytes) else {
        return;
    };
    let len = bytes.len();
    // A line number is within the file (a file of n line breaks has at most n + 1 lines).
    let lines = bytes
        .iter()
        .filter(|b| **b == b'\n' || **b == b'\r')
        .count()
        + 1;
    for (i, p) in parsed.packages.iter().enumerate() {
        let _ = sbom::purl(p);
        assert!(
            (p.line as usize) <= lines.max(1),
            "package line {} past the end ({len} bytes)",
            p.line
        );
        if let Some(next) = parsed.packages.get(i + 1) {
            if next.ecosystem == p.ecosystem {
                let _ = versions::compare(p.ecosystem, &p.version, &next.version);
            }
        }
    }
}

fn registry() -> Option<&'static Registry> {
    static R: OnceLock<Option<Registry>> = OnceLock::new();
    R.get_or_init(|| {
        scanners::all_rule_metas()
            .ok()
            .and_then(|m| Registry::new(m).ok())
    })
    .as_ref()
}

/// A `portcullis.toml`.
pub fn config(data: &[u8]) {
    let (Ok(text), Some(reg)) = (std::str::from_utf8(data), registry()) else {
        return;
    };
    let _ = crate::config::Config::parse(Path::new("portcullis.toml"), text, reg);
}

/// A baseline (portcullis JSON report or SARIF log).
pub fn baseline(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Baseline::parse("baseline.json", text);
    }
}

/// A reader that returns the same bytes for every path.
struct Everywhere<'a>(&'a [u8]);

impl Reader for Everywhere<'_> {
    fn read(&self, _rel: &str) -> Result<Vec<u8>, ReadError> {
        Ok(self.0.to_vec())
    }
}

/// Other tools' ignore files (`.trivyignore`, `osv-scanner.toml`, `.cargo/audit.toml`), all holding the input.
pub fn ignore_files(data: &[u8]) {
    let _ = crate::policy::ignorefiles::collect(["Cargo.lock"], &Everywhere(data));
}

/// One OSV record, added to a database and audited against packages at the versions its ranges name.
pub fn osv_record(data: &[u8]) {
    let mut db = AdvisoryDb::default();
    db.add_record("fuzz.json", data);
    let Ok(adv) = serde_json::from_slice::<Advisory>(data) else {
        return;
    };
    let _ = crate::advisory::severity::of(&adv);
    audit_against(&adv, &db);
}

/// Audits packages named in `adv`'s `affected[]`, at every version its events and lists name.
fn audit_against(adv: &Advisory, db: &AdvisoryDb) {
    let mut packages = Vec::new();
    for a in adv.affected.iter().take(16) {
        let Some((eco, name)) = a
            .package
            .as_ref()
            .and_then(crate::advisory::db::affected_key)
        else {
            continue;
        };
        let versions = a
            .ranges
            .iter()
            .flat_map(|r| r.events.iter().map(|e| e.version().to_string()))
            .chain(a.versions.iter().cloned())
            .take(32);
        for v in versions {
            packages.push(crate::lockfile::Package::registry(eco, &name, &v));
        }
    }
    let _ = crate::advisory::audit::audit(&packages, db);
}

/// An advisory zip compiled into an index, the index opened and asked for every key (or, with the first
/// byte odd, the input opened as an index file itself).
pub fn osv_index(data: &[u8]) {
    let (b, rest) = select(data);
    let bytes = if b % 2 == 1 {
        rest.to_vec()
    } else {
        match compile_zip_bytes(Path::new("fuzz.zip"), rest) {
            Ok(b) => b,
            Err(_) => return,
        }
    };
    let Ok(index) = OsvIndex::from_bytes(bytes) else {
        return;
    };
    for eco in [
        Ecosystem::CratesIo,
        Ecosystem::PyPI,
        Ecosystem::Go,
        Ecosystem::Npm,
    ] {
        for name in ["a", "serde", "requests", ""] {
            let _ = index.query(eco, name);
        }
    }
    let _ = index.by_id("GHSA-0000-0000-0000");
}

/// One RustSec advisory file, converted as the loader does and audited.
pub fn rustsec(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(adv) = crate::advisory::rustsec::convert_text(text) {
        let mut db = AdvisoryDb::default();
        db.add_advisory(adv.clone());
        audit_against(&adv, &db);
    }
}

fn secrets_scanner() -> Option<&'static dyn DynScanner> {
    static S: OnceLock<Option<Box<dyn DynScanner>>> = OnceLock::new();
    S.get_or_init(|| {
        let kind = scanners::parse_name("secrets").ok()?;
        scanners::build(&[kind], &ScannerOptions::default())
            .ok()?
            .into_iter()
            .next()
    })
    .as_deref()
}

/// Names the secrets target gives its input, for the rules and suppressions that depend on the path.
const SECRET_PATHS: &[&str] = &[
    "src/app.py",
    ".env",
    "config/settings.json",
    "deploy/values.yaml",
    "id_rsa",
    "main.go",
];

/// The secrets engine on one file (UTF-16 decoded as a scan does), its in-source suppressions applied, and
/// the redactor over the text: no finding's snippet or message may hold the secret it reports, and the text
/// cut into windows tiles back into itself.
pub fn secrets(data: &[u8]) {
    let (b, rest) = select(data);
    let path = SECRET_PATHS[usize::from(b) % SECRET_PATHS.len()];
    let bytes = decode_utf16(rest).unwrap_or_else(|| rest.to_vec());
    windows_tile(&bytes, usize::from(b % 16) + 1, usize::from(b / 16));
    let Some(scanner) = secrets_scanner() else {
        return;
    };
    let file = std::sync::Arc::new(SourceFile::new(path, bytes));
    let Ok(out) = scanner.scan_file(&file, &NoFiles) else {
        return;
    };
    let mut findings = out.findings;
    let mut diags = out.diagnostics;
    let status = |_: &str| RuleStatus::Checked;
    let owns = |k: ScannerKind, _| k.as_str() == "secrets";
    inline::apply(
        &SourceText::new(file.bytes()),
        path,
        &mut findings,
        &mut diags,
        &status,
        &owns,
        &|_| Vec::new(),
    );
    if let Ok(r) = crate::redact::global() {
        let text = String::from_utf8_lossy(file.bytes());
        let _ = r.text(&text);
        for f in &mut findings {
            r.snippet(&mut f.snippet);
        }
    }
}

/// Cuts `bytes` into windows owning `step` bytes with `overlap` bytes of context: their owned stretches are
/// the input, in order.
fn windows_tile(bytes: &[u8], step: usize, overlap: usize) {
    let mut w = Windows::with_sizes(bytes, step, overlap);
    let mut rebuilt = Vec::with_capacity(bytes.len());
    while let Ok(Some(x)) = w.next_window() {
        rebuilt.extend_from_slice(&x.bytes[x.own.clone()]);
    }
    assert!(rebuilt == bytes, "windows do not tile the input");
}

/// A fuzz entry point.
pub type Target = fn(&[u8]);

/// A Semgrep-format rule file through the SAST rule loader: every problem it reports has a place in the file.
pub fn sast_rules(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (_, problems) = crate::scanners::sast::rule::load(text);
    for p in problems {
        assert!(
            p.line >= 1 && p.column >= 1,
            "a problem without a place: {p:?}"
        );
    }
}

/// A pattern through the SAST pattern compiler and the matcher: the first byte picks the language, the rest
/// is the pattern, matched against itself within a step budget; nothing may panic.
pub fn sast_patterns(data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let langs = crate::lang::LANGUAGES;
    let lang = langs[pick as usize % langs.len()];
    let tree = crate::lang::Tree::parse(lang, text);
    let target = crate::scanners::sast::matcher::Target::new(lang, &tree, text, 100_000);
    if let Ok(p) = crate::scanners::sast::pattern::compile(lang, text) {
        let _ = target.find(&p);
    }
}

/// An IaC document through its reader and the IaC scanner's subjects: the first byte picks the format (YAML
/// stream, JSON, Dockerfile, HCL), the rest is the file; nothing may panic, an error carries an offset inside
/// the input, and every node's range lies inside the input.
pub fn iac_documents(data: &[u8]) {
    use crate::document::{dockerfile, json, yaml, Node};
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let len = text.len() as u32;
    let inside = |n: &Node| {
        let mut stack = vec![n];
        while let Some(n) = stack.pop() {
            assert!(
                n.start <= n.end.max(n.start) && n.start <= len,
                "node outside the input: {n:?}"
            );
            match &n.value {
                crate::document::Value::Seq(items) => stack.extend(items.iter()),
                crate::document::Value::Map(m) => stack.extend(m.iter().flat_map(|(k, v)| [k, v])),
                _ => {}
            }
        }
    };
    match pick % 4 {
        0 => {
            // Where the direct reader reads a text, it reads what the event reader does.
            if let Some(direct) = crate::document::yaml_block::parse_stream(&text) {
                assert_eq!(
                    Ok(&direct),
                    yaml::parse_events(&text).as_ref(),
                    "the YAML readers differ"
                );
            }
            match yaml::parse_stream(&text) {
                Ok(docs) => {
                    docs.iter().for_each(inside);
                    let _ = crate::scanners::iac::subjects::kubernetes(&text, &docs);
                }
                Err(e) => assert!(e.offset <= len, "error outside the input"),
            }
        }
        1 => match json::parse(&text) {
            Ok(doc) => inside(&doc),
            Err(e) => assert!(e.offset <= len, "error outside the input"),
        },
        2 => {
            let d = dockerfile::parse(&text);
            let nodes = crate::scanners::iac::subjects::docker_nodes(&text, &d, true);
            inside(&nodes.file);
        }
        _ => match crate::document::hclsyntax::parse(&text) {
            Ok(f) => {
                for b in &f.blocks {
                    assert!(b.start <= b.header_end && b.header_end <= len);
                    inside(&b.body);
                }
                f.attributes.iter().for_each(|(_, v)| inside(v));
            }
            Err(e) => assert!(e.offset <= len, "error outside the input"),
        },
    }
}

/// An IaC check file through the check loader: nothing may panic, an error has a place.
pub fn iac_checks(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = crate::scanners::iac::check::load(text) {
        assert!(
            e.line >= 1 && e.column >= 1,
            "an error without a place: {e:?}"
        );
    }
}

/// The fuzz targets by name, as `fuzz/fuzz_targets/<name>.rs` calls them.
pub const TARGETS: &[(&str, Target)] = &[
    ("lockfile", lockfile),
    ("lockfile_yaml", lockfile_yaml),
    ("config", config),
    ("baseline", baseline),
    ("ignore_files", ignore_files),
    ("osv_record", osv_record),
    ("osv_index", osv_index),
    ("rustsec", rustsec),
    ("secrets", secrets),
    ("sast_rules", sast_rules),
    ("sast_patterns", sast_patterns),
    ("iac_documents", iac_documents),
    ("iac_checks", iac_checks),
];

/// A made-up RustSec advisory (ours; the seed of the `rustsec` target).
const RUSTSEC_SEED: &str = "```toml
[advisory]
id = \"RUSTSEC-2099-0001\"
package = \"demo-crate\"
date = \"2099-01-01\"
url = \"https://example.invalid/advisory\"
categories = [\"memory-corruption\"]
keywords = [\"overflow\"]
aliases = [\"CVE-2099-0001\"]
cvss = \"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\"

[affected]
functions = { \"demo_crate::parse\" = [\"< 1.2.3\"] }

[versions]
patched = [\">= 1.2.3\", \"^1.1.9\"]
unaffected = [\"< 0.1.0\"]
```

# Demo crate overflows its buffer

A made-up advisory for the fuzz seeds.
";

/// A Semgrep-format rule file using most operators (ours; the seed of the `sast_rules` target).
const SAST_SEED: &str = "rules:
  - id: demo-verify-off
    message: TLS verification is off in $F
    severity: ERROR
    languages: [python]
    metadata: {cwe: ['CWE-295'], confidence: HIGH}
    paths: {exclude: ['tests/**']}
    patterns:
      - pattern-either:
          - pattern: requests.$F(..., verify=False, ...)
          - pattern-regex: verify\\s*=\\s*False
      - pattern-not-inside: |
          def test_$X(...):
              ...
      - metavariable-regex: {metavariable: $F, regex: '^(get|post)$'}
      - focus-metavariable: $F
  - id: demo-match
    message: m
    severity: WARNING
    languages: [javascript]
    match:
      all:
        - jwt.decode($T)
        - not: 'jwt.verify($T, $K)'
      where:
        - metavariable: $T
          regex: tok
        - comparison: $N > 1
";

/// The seed inputs of target `name`, built from the repository's own fixtures under `root` (the checkout):
/// what `fuzz/seeds/<name>/` holds and what the proptest smoke mutates.
pub fn seeds(name: &str, root: &Path) -> Vec<(String, Vec<u8>)> {
    let files = |dir: &str| -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![root.join(dir)];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(b) = std::fs::read(&p) {
                    if b.len() <= 16 << 10 {
                        let rel = p.strip_prefix(root).unwrap_or(&p);
                        out.push((rel.to_string_lossy().replace('\\', "/"), b));
                    }
                }
            }
        }
        out.sort();
        out
    };
    let tagged = |formats: &[Format]| -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        for dir in [
            "fixtures/deps/lockfiles",
            "fixtures/deps/malformed",
            "fixtures/deps/project",
        ] {
            for (rel, b) in files(dir) {
                let file = rel.rsplit('/').next().unwrap_or(&rel);
                let Some(f) = Format::detect(file) else {
                    continue;
                };
                if let Some(i) = formats.iter().position(|x| *x == f) {
                    let mut v = vec![i as u8];
                    v.extend(b);
                    out.push((rel.replace('/', "_"), v));
                }
            }
        }
        out
    };
    let text = |items: &[(&str, &str)]| -> Vec<(String, Vec<u8>)> {
        items
            .iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect()
    };
    match name {
        "lockfile" => tagged(Format::ALL),
        "lockfile_yaml" => tagged(YAML_FORMATS),
        "config" => files("fixtures")
            .into_iter()
            .filter(|(r, _)| r.ends_with("portcullis.toml"))
            .map(|(r, b)| (r.replace('/', "_"), b))
            .collect(),
        "baseline" => text(&[
            ("report.json", r#"{"version":1,"findings":[{"rule_id":"x","fingerprint":"0123abcd"}]}"#),
            (
                "log.sarif",
                r#"{"version":"2.1.0","runs":[{"results":[{"ruleId":"x","partialFingerprints":{"portcullisFingerprint/v1":"0123abcd"}}]}]}"#,
            ),
        ]),
        "ignore_files" => text(&[
            ("trivyignore", "# reviewed\nCVE-2099-0001\nGHSA-aaaa-bbbb-cccc exp:2099-12-31\n"),
            (
                "osv-scanner.toml",
                "[[IgnoredVulns]]\nid = \"GHSA-aaaa-bbbb-cccc\"\nignoreUntil = 2099-01-01\nreason = \"not reachable\"\n",
            ),
            ("audit.toml", "[advisories]\nignore = [\"RUSTSEC-2099-0001\"]\n"),
        ]),
        "osv_record" => files("fixtures/deps/advisories")
            .into_iter()
            .filter(|(r, _)| r.ends_with(".json"))
            .take(40)
            .map(|(r, b)| (r.replace('/', "_"), b))
            .collect(),
        "osv_index" => {
            let records: Vec<(String, Vec<u8>)> = files("fixtures/deps/advisories/PyPI")
                .into_iter()
                .filter(|(r, _)| r.ends_with(".json"))
                .take(8)
                .collect();
            let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            let opts = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (rel, b) in &records {
                let name = rel.rsplit('/').next().unwrap_or(rel);
                if zip.start_file(name, opts).is_ok() {
                    let _ = std::io::Write::write_all(&mut zip, b);
                }
            }
            let mut seed = vec![0u8];
            if let Ok(c) = zip.finish() {
                seed.extend(c.into_inner());
            }
            vec![("pypi.zip".into(), seed)]
        }
        "rustsec" => text(&[("RUSTSEC-2099-0001.md", RUSTSEC_SEED)]),
        "sast_rules" => {
            let mut out = text(&[("rules.yaml", SAST_SEED)]);
            out.extend(
                files("rules/sast")
                    .into_iter()
                    .chain(files("fixtures/sast-semantics"))
                    .filter(|(r, _)| r.ends_with(".yaml") && !r.ends_with(".test.yaml"))
                    .map(|(r, b)| (r.replace('/', "_"), b)),
            );
            out
        }
        "iac_documents" => {
            let mut out = Vec::new();
            for (pick, ext) in [(0u8, ".yaml"), (0, ".yml"), (1, ".json"), (2, "Dockerfile"), (3, ".tf")] {
                for (rel, b) in files("fixtures/iac") {
                    if rel.ends_with(ext) {
                        let mut v = vec![pick];
                        v.extend(b);
                        out.push((rel.replace('/', "_"), v));
                    }
                }
            }
            out
        }
        "iac_checks" => files("rules/iac")
            .into_iter()
            .filter(|(r, _)| r.ends_with(".yaml"))
            .take(40)
            .map(|(r, b)| (r.replace('/', "_"), b))
            .collect(),
        "sast_patterns" => [
            "\0requests.get(..., verify=False, ...)",
            "\u{1}$X.query(\"...\" + $Y)",
            "\u{4}public void $M(...) { ... }",
            "\u{5}tls.Config{..., InsecureSkipVerify: true, ...}",
            "\0$F = open(...)\n...\n$F.close()",
            "\0eval(<... request.$A ...>)",
        ]
        .iter()
        .enumerate()
        .map(|(i, s)| (format!("pattern-{i}"), s.as_bytes().to_vec()))
        .collect(),
        "secrets" => files("fixtures/secrets")
            .into_iter()
            .take(60)
            .enumerate()
            .map(|(i, (r, b))| {
                let mut v = vec![i as u8];
                v.extend(b);
                (r.replace('/', "_"), v)
            })
            .collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    /// One edit of a seed: overwrite, insert or delete at a position, or cut the input there.
    fn mutate(seed: &[u8], edits: &[(usize, u8, u8)]) -> Vec<u8> {
        let mut v = seed.to_vec();
        for &(pos, op, byte) in edits {
            let at = if v.is_empty() { 0 } else { pos % (v.len() + 1) };
            match op % 4 {
                0 if at < v.len() => v[at] = byte,
                1 => v.insert(at, byte),
                2 if at < v.len() => {
                    v.remove(at);
                }
                3 => v.truncate(at),
                _ => v.push(byte),
            }
        }
        v
    }

    /// Every target's seeds, and the kept corpus of earlier fuzzing runs (`fuzz/corpus/<target>/`, inputs
    /// that reached new code), go through their entry point.
    #[test]
    fn every_target_has_seeds_and_runs_them_with_the_kept_corpus() {
        for (name, run) in TARGETS {
            let seeds = seeds(name, root());
            assert!(!seeds.is_empty(), "no seeds for {name}");
            for (_, s) in &seeds {
                run(s);
            }
            let kept = std::fs::read_dir(root().join("fuzz/corpus").join(name))
                .into_iter()
                .flatten()
                .flatten();
            for entry in kept {
                if let Ok(bytes) = std::fs::read(entry.path()) {
                    run(&bytes);
                }
            }
        }
    }

    #[test]
    fn the_rule_seed_is_a_valid_rule_file() {
        let (rules, problems) = crate::scanners::sast::rule::load(SAST_SEED);
        assert_eq!(problems, []);
        assert_eq!(rules.len(), 2);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// The smoke of the fuzz targets kept in CI: mutated seeds and random bytes through every entry point.
        #[test]
        fn fuzz_entry_points_survive_mutated_seeds(
            target in 0..TARGETS.len(),
            pick in any::<usize>(),
            edits in proptest::collection::vec((any::<usize>(), any::<u8>(), any::<u8>()), 0..12),
            random in proptest::collection::vec(any::<u8>(), 0..256),
        ) {
            let (name, run) = TARGETS[target];
            let seeds = seeds(name, root());
            if let Some((_, seed)) = seeds.get(pick % seeds.len().max(1)) {
                run(&mutate(seed, &edits));
            }
            run(&random);
        }
    }

    /// Writes `fuzz/seeds/<target>/` from the fixtures: `cargo test --lib write_fuzz_seeds -- --ignored`.
    #[test]
    #[ignore = "writes the fuzz seed corpus into the checkout"]
    fn write_fuzz_seeds() {
        for (name, _) in TARGETS {
            let dir = root().join("fuzz/seeds").join(name);
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
            for (file, bytes) in seeds(name, root()) {
                std::fs::write(dir.join(file), bytes).unwrap_or_else(|e| panic!("{e}"));
            }
        }
    }
}
