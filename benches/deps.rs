//! Dependency audit latency: one 5,000-package lock file against the full OSV data of its ecosystem
//! (`../shared/advisories/osv/PyPI.zip`, 2,661 advisories), with the compiled index already in the cache
//! ("warm"). Each iteration builds a fresh scanner, so opening the index is part of what is measured, as in a
//! real run. Also prints the one-time cost of compiling the index ("cold").
//!
//! Target: under 100 ms warm (package lookups run on the global rayon pool, as inside a scan).

use criterion::{criterion_group, criterion_main, Criterion};
use portcullis::discover::FileKind;
use portcullis::finding::SourceText;
use portcullis::scanners::deps::{DepsOptions, DepsScanner};
use portcullis::scanners::{ScanInput, Scanner};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Package names the advisories name (so a realistic share of the lock file matches), then made-up ones.
fn lockfile(zip: &Path, n: usize) -> String {
    let mut names = BTreeSet::new();
    if let Ok(f) = std::fs::File::open(zip) {
        if let Ok(mut a) = zip::ZipArchive::new(f) {
            for i in 0..a.len() {
                let mut s = String::new();
                if let Ok(mut e) = a.by_index(i) {
                    let _ = e.read_to_string(&mut s);
                }
                if let Ok(v) = serde_json::from_str::<serde_json::Value>(&s) {
                    for aff in v["affected"].as_array().into_iter().flatten() {
                        if let Some(name) = aff["package"]["name"].as_str() {
                            names.insert(name.to_string());
                        }
                    }
                }
            }
        }
    }
    let mut out = String::from("# generated for the benchmark\n");
    for (i, name) in names.iter().take(n).enumerate() {
        // Old versions, so many of these are affected and produce findings.
        out.push_str(&format!("{name}==0.{}.0\n", i % 7));
    }
    for i in names.len().min(n)..n {
        out.push_str(&format!("made-up-package-{i}==1.{}.0\n", i % 13));
    }
    out
}

fn bench(c: &mut Criterion) {
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/advisories/osv");
    let zip = shared.join("PyPI.zip");
    if !zip.is_file() {
        println!("skipped: {} is not beside the checkout", zip.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(&zip, dir.path().join("PyPI.zip")).unwrap_or_else(|e| panic!("{e}"));
    let cache = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let text = lockfile(&zip, 5_000);
    let bytes = text.as_bytes();
    let source = SourceText::new(bytes);
    let kind = FileKind::default();
    let file = dir.path().join("requirements.txt");
    let options = DepsOptions {
        advisories: vec![dir.path().to_path_buf()],
        cache_dir: Some(cache.path().to_path_buf()),
        ..DepsOptions::default()
    };
    let run = || {
        let scanner = DepsScanner::new(options.clone(), BTreeSet::new());
        let mut out = Vec::new();
        let input = ScanInput {
            path: "requirements.txt",
            kind: &kind,
            source: &source,
            file: &file,
        };
        let _ = scanner.scan(&input, &mut out);
        let finish = scanner.finish();
        (out.len(), finish.diagnostics.len())
    };
    let t = Instant::now();
    let (findings, _) = run();
    println!(
        "cold (index compiled): {:.1} ms, {findings} findings in 5,000 packages",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut g = c.benchmark_group("deps");
    g.sample_size(20);
    g.bench_function("audit 5000-package requirements.txt, warm index", |b| {
        b.iter(run)
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
