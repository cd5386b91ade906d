//! Shared helpers for the integration tests: the binary, temporary trees, fixture markers, `../shared`.
#![allow(dead_code)]

use assert_cmd::Command;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `portcullis` binary, run from the repository root, with CI-like environment cleared.
pub fn portcullis() -> Command {
    let mut c =
        Command::cargo_bin("portcullis").unwrap_or_else(|e| panic!("binary not built: {e}"));
    c.current_dir(repo())
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_OUTPUT")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("NO_COLOR")
        .env("CI", "true");
    c
}

/// `../shared` beside the checkout, if present.
pub fn shared() -> Option<PathBuf> {
    let p = repo().join("../shared");
    p.is_dir().then_some(p)
}

/// A temporary directory tree.
pub struct Tree {
    pub dir: tempfile::TempDir,
}

impl Tree {
    pub fn new() -> Tree {
        Tree {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}")),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to the relative path `rel`, creating directories.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)
                .unwrap_or_else(|e| panic!("mkdir {}: {e}", parent.display()));
        }
        std::fs::write(&p, contents).unwrap_or_else(|e| panic!("write {}: {e}", p.display()));
        p
    }
}

/// Runs a scan and returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_in(portcullis(), args)
}

pub fn run_in(mut cmd: Command, args: &[&str]) -> (i32, String, String) {
    let out = cmd
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("run: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Parses JSON output.
pub fn json(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

/// (rule id, path, line) of every finding of a JSON report.
pub fn findings(report: &Value) -> BTreeSet<(String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings array"))
        .iter()
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
        .collect()
}

/// The `expect:` / `expect-next-line:` markers of every file under `dir`, as (rule id, path relative to
/// `dir`, line).
pub fn markers(dir: &Path) -> BTreeSet<(String, String, u64)> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries =
            std::fs::read_dir(&d).unwrap_or_else(|e| panic!("read_dir {}: {e}", d.display()));
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            // Output paths are relative to the repository root (the git work tree), else to the scanned tree.
            let base = if dir.starts_with(repo()) {
                repo()
            } else {
                dir.to_path_buf()
            };
            let rel = p
                .strip_prefix(&base)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            for (i, line) in text.split('\n').enumerate() {
                for (marker, offset) in [("expect-next-line:", 2u64), ("expect:", 1u64)] {
                    let Some(pos) = line.find(marker) else {
                        continue;
                    };
                    if marker == "expect:" && line[..pos].ends_with("-next-line") {
                        continue;
                    }
                    if marker == "expect:" && line.contains("expect-next-line:") {
                        continue;
                    }
                    for id in marker_ids(&line[pos + marker.len()..]) {
                        out.insert((id, rel.clone(), i as u64 + offset));
                    }
                }
            }
        }
    }
    out
}

/// The ids of a marker list: `a-rule, b-rule  trailing prose` gives both ids, and nothing past the list.
fn marker_ids(list: &str) -> Vec<String> {
    let is_id = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-';
    let mut ids = Vec::new();
    let mut rest = list;
    loop {
        rest = rest.trim_start();
        let id: String = rest.chars().take_while(|c| is_id(*c)).collect();
        if id.is_empty() {
            break;
        }
        rest = rest[id.len()..].trim_start();
        ids.push(id);
        match rest.strip_prefix(',') {
            Some(r) => rest = r,
            None => break,
        }
    }
    ids
}
