//! Embeds every rule file under `rules/<scanner>/` into the binary (`OUT_DIR/rules.rs`), sorted by path, with
//! its format (its extension: `toml` today for secrets, `yaml` for Semgrep-format rules next), and fails the
//! build when two rule files share a stem (a rule id). Each scanner's loader reads the formats it knows and
//! refuses the others. Files of other extensions (README.md, test targets beside a rule) and `*.test.*` files
//! are not rules and are not embedded.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if is_rule_file(&path) {
            out.push(path);
        }
    }
}

/// The rule formats any scanner reads, by extension.
const RULE_FORMATS: &[&str] = &["toml", "yaml", "yml"];

fn is_rule_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    RULE_FORMATS.contains(&ext.as_str()) && !name.contains(".test.") && !name.starts_with('.')
}

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let rules_dir = manifest.join("rules");
    println!("cargo:rerun-if-changed=rules");
    let mut files = Vec::new();
    collect(&rules_dir, &mut files);
    files.sort();
    let mut seen: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut code = String::from("/// Every rule file under `rules/`, embedded at build time.\npub static EMBEDDED_RULES: &[EmbeddedRule] = &[\n");
    for file in &files {
        let rel = file.strip_prefix(&manifest).unwrap_or(file);
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        let scanner = rel
            .components()
            .nth(1)
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(prev) = seen.insert(stem.clone(), file.clone()) {
            panic!(
                "duplicate rule id `{stem}`: {} and {}",
                prev.display(),
                file.display()
            );
        }
        let format = match file.extension().and_then(|e| e.to_str()) {
            Some("yml") => "yaml",
            Some(other) => other,
            None => "",
        };
        let _ = writeln!(
            code,
            "    EmbeddedRule {{ scanner: {scanner:?}, path: {rel_str:?}, format: {format:?}, source: include_str!({:?}) }},",
            file.to_string_lossy()
        );
    }
    code.push_str("];\n");
    let version =
        std::fs::read_to_string(rules_dir.join("VERSION")).unwrap_or_else(|_| "unknown".into());
    println!("cargo:rerun-if-changed=rules/VERSION");
    println!(
        "cargo:rustc-env=PORTCULLIS_RULESET_VERSION={}",
        version.trim()
    );
    let out =
        PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into())).join("rules.rs");
    if let Err(e) = std::fs::write(&out, code) {
        panic!("cannot write {}: {e}", out.display());
    }
}
