//! Secrets scanner throughput over a generated ~100 MB tree of ordinary source code with a few planted
//! secrets. Prints MB/s, the ratio to a bare Aho-Corasick pass over the same bytes with the same keywords (the
//! practical limit), and the speed-up of a full `scan` with 2 worker threads over 1.
//!
//! Targets: >= 500 MB/s on one core, within 3x of the bare pass, and >= 1.6x from `--jobs 1` to `--jobs 2`.
//! Set `PORTCULLIS_BENCH_MB` to change the size.

use aho_corasick::{AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use portcullis::config::FailOn;
use portcullis::discover::WalkOptions;
use portcullis::source::{NoFiles, SourceFile};
use std::sync::Arc;

use portcullis::policy::Policy;
use portcullis::rules::Registry;
use portcullis::scan::{scan, Settings};
use portcullis::scanners::secrets::{load_rules, SecretsScanner};
use portcullis::scanners::{DynScanner, ScannerOptions};

use std::time::Instant;

/// Deterministic xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
    fn token(&mut self, n: usize) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..n)
            .map(|_| A[(self.next() % A.len() as u64) as usize] as char)
            .collect()
    }
}

/// Identifier parts; a few are credential words, about as often as in application code.
const WORDS: &[&str] = &[
    "user", "account", "request", "response", "config", "handler", "session", "order", "item",
    "cache", "client", "server", "buffer", "index", "value", "result", "error", "context",
    "payload", "message", "event", "record", "status", "retry", "timeout", "limit", "path", "name",
    "count", "total", "offset", "cursor", "page", "query", "filter", "sort", "field", "column",
    "table", "schema", "model", "view", "route", "state", "store", "queue", "worker", "job",
    "task", "batch", "stream", "reader", "writer", "parser", "encoder", "decoder", "format",
    "price", "amount", "currency", "invoice", "customer", "address", "email", "phone", "country",
    "region", "token", "secret", "password", "key",
];

/// Line shapes of Rust, Python, JavaScript/TypeScript, Go and YAML code.
const LINES: &[&str] = &[
    "    let {a}_{b} = {c}.get(&{a}_id).ok_or(Error::NotFound)?;",
    "    if {a}.{b}.is_empty() {{ return Err(Error::Invalid(\"{c}\")); }}",
    "def {a}_{b}(self, {c}):\n        return self.{a}.{b}({c}, timeout=30)",
    "        {a}_{b} = {c}.get(\"{a}\", None)",
    "const {a}{B} = await fetch(`/api/{a}/${{{c}}}`, {{ headers }});",
    "  {a}: {{ type: String, required: true, maxlength: 64 }},",
    "func ({a} *{B}) {c}(ctx context.Context) error {{ return {a}.store.Save(ctx, {a}.{c}) }}",
    "    {a}_{b}: {c}",
    "    // {a} is reused across {b} calls; see the {c} docs before changing it",
    "    for (i, {a}) in {b}.iter().enumerate() {{ total += {a}.len() * i; }}",
    "    logger.info(\"{a} {b} finished\", extra={{\"{c}\": {c}}})",
    "    assert_eq!({a}.{b}(), Some({c}_{a}));",
    "        return [x for x in self.{a}s if x.{b} == {c}]",
    "  }} else if ({a}.{b} > {c}.length) {{",
    "    {a}{B}.forEach(({c}) => {{ {c}.{b} = null; }});",
    "import {{ {a}{B} }} from './{c}/{a}';",
    "    pub fn {a}_{b}(&self) -> &{B} {{ &self.{a} }}",
    "    err := {a}.{B}({c})",
    "    if err != nil {{ return fmt.Errorf(\"{a} {b}: %w\", err) }}",
    "      - name: {a}-{b}",
    "    password_hash = bcrypt.hash({a}.password, rounds=12)",
    "    token = request.headers.get(\"Authorization\", \"\").removeprefix(\"Bearer \")",
    "    self.api_key = os.environ[\"{A}_API_KEY\"]",
    "    }}",
    "",
];

/// Generates `files` source files of about `size` bytes each; every 500th file gets a planted secret.
fn generate(total_mb: usize) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let file_size = 32 * 1024;
    let files = total_mb * 1024 * 1024 / file_size;
    let exts = ["rs", "py", "js", "go", "yaml", "ts"];
    (0..files)
        .map(|i| {
            let mut s = String::with_capacity(file_size + 256);
            while s.len() < file_size {
                let line = rng.pick(LINES);
                let (a, b, c) = (rng.pick(WORDS), rng.pick(WORDS), rng.pick(WORDS));
                let cap = |w: &str| w[..1].to_uppercase() + &w[1..];
                let l = line
                    .replace("{a}", a)
                    .replace("{b}", b)
                    .replace("{c}", c)
                    .replace("{A}", &a.to_uppercase())
                    .replace("{B}", &cap(b))
                    .replace("{{", "{")
                    .replace("}}", "}");
                s.push_str(&l);
                s.push('\n');
            }
            if i % 500 == 0 {
                let planted = ["ghp_", &rng.token(36)].concat();
                s.push_str(&format!("GITHUB_TOKEN = \"{planted}\"\n"));
            }
            (
                format!("src/m{}/file{i}.{}", i % 97, exts[i % exts.len()]),
                s.into_bytes(),
            )
        })
        .collect()
}

fn mb_per_s(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / secs
}

fn best_of<F: FnMut() -> usize>(n: usize, mut f: F) -> (f64, usize) {
    let mut best = f64::MAX;
    let mut out = 0;
    for _ in 0..n {
        let t = Instant::now();
        out = std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, out)
}

fn bench(c: &mut Criterion) {
    let total_mb = std::env::var("PORTCULLIS_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);
    let files = generate(total_mb);
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let scanner = match SecretsScanner::new(&ScannerOptions::default()) {
        Ok(s) => s,
        Err(e) => panic!("rules: {e}"),
    };
    let keywords: Vec<String> = load_rules()
        .unwrap_or_default()
        .iter()
        .flat_map(|r| r.keywords.iter().map(|k| k.to_ascii_lowercase()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let ac = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(AhoCorasickKind::DFA))
        .build(&keywords)
        .unwrap_or_else(|e| panic!("{e}"));
    let sources: Vec<Arc<SourceFile>> = files
        .iter()
        .map(|(path, b)| Arc::new(SourceFile::new(path.as_str(), b.to_vec())))
        .collect();
    let run_scanner = || {
        let mut n = 0;
        for file in &sources {
            if let Ok(out) = scanner.scan_file(file, &NoFiles) {
                n += out.findings.len();
            }
        }
        n
    };
    let run_bare = || {
        files
            .iter()
            .map(|(_, b)| ac.find_overlapping_iter(b).count())
            .sum::<usize>()
    };

    let (t_scan, found) = best_of(5, run_scanner);
    let (t_bare, hits) = best_of(5, run_bare);
    println!(
        "secrets scanner: {:.0} MB/s over {:.0} MB ({found} findings); bare aho-corasick pass: {:.0} MB/s ({hits} keyword hits); ratio {:.2}x",
        mb_per_s(bytes, t_scan),
        bytes as f64 / 1048576.0,
        mb_per_s(bytes, t_bare),
        t_scan / t_bare
    );

    let mut g = c.benchmark_group("secrets");
    g.sample_size(10)
        .throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("scanner", |b| b.iter(run_scanner));
    g.bench_function("bare-aho-corasick", |b| b.iter(run_bare));
    g.finish();

    // Whole pipeline from disk at 1 and 2 threads.
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (path, b) in &files {
        let p = dir.path().join(path);
        if let Some(parent) = p.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let _ = std::fs::write(p, b);
    }
    let registry = Registry::new(portcullis::scanners::all_rule_metas().unwrap_or_default())
        .unwrap_or_default();
    let settings = |jobs| Settings {
        walk: WalkOptions {
            paths: vec![dir.path().to_path_buf()],
            root: dir.path().to_path_buf(),
            config_base: String::new(),
            include: vec![],
            exclude: vec![],
            max_file_size: 10 << 20,
        },
        scanners: vec![portcullis::scanners::secrets::KIND],
        jobs,
        scanner_options: ScannerOptions::default(),
        policy: Policy::new(FailOn::High),
        selection: Default::default(),
        progress: false,
        timeout: None,
    };
    let full = |jobs| {
        let s = settings(jobs);
        let r = registry.clone();
        move || scan(&s, r.clone()).map(|r| r.findings.len()).unwrap_or(0)
    };
    let (t1, _) = best_of(5, full(1));
    let (t2, _) = best_of(5, full(2));
    println!(
        "portcullis scan --scanners secrets: --jobs 1 {:.0} MB/s, --jobs 2 {:.0} MB/s, speed-up {:.2}x",
        mb_per_s(bytes, t1),
        mb_per_s(bytes, t2),
        t1 / t2
    );
    let mut g = c.benchmark_group("scan");
    g.sample_size(10)
        .throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("jobs-1", |b| b.iter(full(1)));
    g.bench_function("jobs-2", |b| b.iter(full(2)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
