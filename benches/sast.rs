//! SAST engine speed on a real tree every machine has: the Python standard library of `python3`. Prints, in
//! one run, the time to only parse every file with tree-sitter, the time to parse and run the rules
//! (the built-in pack, then the 100 rules in `benches/sast-rules/`), lines per second and the ratio to
//! parse-only. Target: within 2x of parse-only. One thread, so the numbers compare across machines' loads;
//! each phase runs three times and its fastest run counts, so that a busy moment of the machine does not.
//!
//! `scripts/sast-bench-semgrep.sh` runs Semgrep on the same tree and rules for the speed-up over it.

use portcullis::lang::{self, Syntax, Tree};
use portcullis::scanners::sast::{RuleSource, SastOptions, SastScanner};
use portcullis::scanners::ScannerOptions;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn stdlib() -> Option<PathBuf> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .ok()?;
    let p = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    p.is_dir().then_some(p)
}

fn python_files(root: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let walk = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .filter_entry(|e| !e.path().ends_with("site-packages"))
        .build();
    for e in walk.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "py") {
            if let Ok(text) = std::fs::read_to_string(p) {
                let rel = p
                    .strip_prefix(root)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, text));
            }
        }
    }
    out.sort();
    out
}

fn scanner(builtin: bool, rule_files: Vec<RuleSource>) -> SastScanner {
    let options = ScannerOptions {
        sast: SastOptions {
            rule_files,
            no_builtin: !builtin,
            // The benchmark reads the whole library, test folders included.
            semgrepignore: Some(String::new()),
            ..SastOptions::default()
        },
        ..ScannerOptions::default()
    };
    match SastScanner::new(&options) {
        Ok(s) => s,
        Err(e) => panic!("rules do not load: {e}"),
    }
}

/// The fastest of three runs of `phase`, in seconds.
fn fastest(mut phase: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let t = Instant::now();
            phase();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() {
    let Some(root) = stdlib() else {
        println!("sast bench: skipped, no python3 standard library found");
        return;
    };
    let files = python_files(&root);
    let lines: usize = files.iter().map(|(_, t)| t.lines().count()).sum();
    let python = lang::by_name("python").unwrap_or_else(|| panic!("python grammar"));
    println!(
        "sast bench: {} files, {lines} lines of {}",
        files.len(),
        root.display()
    );

    let mut nodes = 0usize;
    let parse = fastest(|| {
        nodes = files
            .iter()
            .map(|(_, text)| Tree::parse(python, text).len())
            .sum();
    });
    println!(
        "  parse only: {parse:.2} s ({nodes} nodes, {:.0} lines/s)",
        lines as f64 / parse
    );

    let bench_rules = std::fs::read_to_string("benches/sast-rules/python-bench.yaml")
        .ok()
        .map(|text| RuleSource {
            path: "benches/sast-rules/python-bench.yaml".into(),
            text,
        });
    let mut sets = vec![("built-in pack", scanner(true, Vec::new()))];
    if let Some(r) = bench_rules {
        sets.push(("100 bench rules", scanner(false, vec![r])));
    }
    for (name, s) in sets {
        let (mut hits, mut notes) = (0usize, 0usize);
        let full = fastest(|| {
            (hits, notes) = (0, 0);
            for (path, text) in &files {
                let Some(run) = s.rules_for(text) else {
                    continue;
                };
                let syntax = Syntax {
                    lang: Some(python),
                    tree: Tree::parse(python, text),
                    text: text.clone(),
                };
                let (h, n) = s.match_file(path, &syntax, &run);
                hits += h.len();
                notes += n.len();
            }
        });
        println!(
            "  {name}: {full:.2} s, {:.0} lines/s, {hits} findings, {notes} notes; ratio to parse-only {:.2}x (target <= 2x)",
            lines as f64 / full,
            full / parse
        );
    }
}
