//! Dependency audit latency: one 5,000-package lock file against the full OSV data of its ecosystem
//! (`../shared/advisories/osv/PyPI.zip`, 2,661 advisories), with the compiled index already in the cache
//! ("warm"). Each iteration builds a fresh scanner, so opening the index is part of what is measured, as in a
//! real run. Also prints the one-time cost of compiling the index ("cold").
//!
//! Target: under 100 ms warm (package lookups run on the global rayon pool, as inside a scan).

use criterion::{criterion_group, criterion_main, Criterion};
use portcullis::scanners::deps::{DepsOptions, DepsScanner};
use portcullis::scanners::DynScanner;
use portcullis::source::{NoFiles, SourceFile};
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
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
    let file = Arc::new(SourceFile::new("requirements.txt", bytes.to_vec()));
    let options = DepsOptions {
        advisories: vec![dir.path().to_path_buf()],
        cache_dir: Some(cache.path().to_path_buf()),
        ..DepsOptions::default()
    };
    let run = || {
        let scanner = DepsScanner::new(options.clone(), BTreeSet::new());
        let Ok(out) = scanner.scan_file(&file, &NoFiles) else {
            return (0, 1);
        };
        let n = out.findings.len();
        let finish = scanner.finish_run(vec![out.facts]);
        (n, finish.diagnostics.len())
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
