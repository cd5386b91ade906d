//! The pipeline: discover → read each file once → every wanted scanner → in-source suppressions → policy.
//! Files are processed in parallel on a rayon pool of `jobs` threads; the output is sorted, so it is the same
//! whatever the thread count.

use crate::diagnostic::{Diagnostic, Level};
use crate::discover::{self, classify, Candidate, WalkOptions};
use crate::finding::{Finding, ScannerKind, SourceText};
use crate::policy::inline::{self, RuleStatus};
use crate::policy::{Policy, Verdict};
use crate::rules::Registry;
use crate::scanners::{self, ScanInput, Scanner, ScannerOptions};
use rayon::prelude::*;
use std::collections::BTreeMap;
use thiserror::Error;

/// Everything a scan needs, validated.
#[derive(Clone, Debug)]
pub struct Settings {
    /// What to walk and how.
    pub walk: WalkOptions,
    /// Scanners to run.
    pub scanners: Vec<ScannerKind>,
    /// Worker threads.
    pub jobs: usize,
    /// Options every scanner gets.
    pub scanner_options: ScannerOptions,
    /// The policy pass.
    pub policy: Policy,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// Counts for the summary.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    /// Files read and scanned.
    pub files_scanned: usize,
    /// Bytes scanned.
    pub bytes_scanned: u64,
    /// Files skipped because they are binary.
    pub skipped_binary: usize,
    /// Files skipped for size.
    pub skipped_too_large: usize,
    /// Symlinks not followed.
    pub skipped_symlinks: usize,
    /// Files that could not be read.
    pub unreadable: usize,
}

/// The result of a scan: what every reporter renders.
#[derive(Debug)]
pub struct Report {
    /// Metadata of every rule.
    pub registry: Registry,
    /// Scanners that ran.
    pub scanners: Vec<ScannerKind>,
    /// Findings, sorted by path, position and rule; suppressed ones included.
    pub findings: Vec<Finding>,
    /// Diagnostics, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Counts.
    pub stats: Stats,
    /// The gate's decision on findings.
    pub verdict: Verdict,
    /// What each scanner looked at, when it says (`deps`: lock files and packages).
    pub coverage: BTreeMap<ScannerKind, String>,
}

impl Report {
    /// Whether a check could not run (an error diagnostic): the gate then fails closed.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }

    /// 0 passed, 1 failed, 2 a check could not run.
    pub fn exit_code(&self) -> u8 {
        if self.has_errors() {
            2
        } else if self.verdict.passed {
            0
        } else {
            1
        }
    }

    /// The final verdict line, counting errors as a failure: `gate: FAILED (1 critical, 1 error)`.
    pub fn verdict_line(&self) -> String {
        let errors = self
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .count();
        if errors == 0 {
            return self.verdict.line();
        }
        let mut parts = vec![crate::finding::severity_list(&self.verdict.failing)];
        parts.retain(|p| !p.is_empty());
        parts.push(format!(
            "{errors} error{}: a check could not run",
            if errors == 1 { "" } else { "s" }
        ));
        format!("gate: FAILED ({})", parts.join(", "))
    }

    /// Findings that count (not suppressed, not baseline-unchanged).
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_active())
    }
}

/// A problem that stops the scan before it starts.
#[derive(Debug, Error)]
pub enum SetupError {
    /// A built-in rule does not load.
    #[error("built-in rule {0}")]
    Rule(#[from] scanners::RuleError),
    /// An include/exclude glob is invalid.
    #[error(transparent)]
    Glob(#[from] discover::GlobError),
    /// The thread pool could not start.
    #[error("cannot start {jobs} worker threads: {message}")]
    Threads {
        /// Requested threads.
        jobs: usize,
        /// Why not.
        message: String,
    },
}

/// What processing one file produced.
#[derive(Default)]
struct FileOutcome {
    findings: Vec<Finding>,
    diagnostics: Vec<Diagnostic>,
    scanned_bytes: Option<u64>,
    binary: bool,
    too_large: bool,
    unreadable: bool,
}

/// Bytes looked at for a NUL to decide a file is binary.
const BINARY_PROBE: usize = 8192;

fn process(
    c: &Candidate,
    scanners: &[Box<dyn Scanner>],
    max_size: u64,
    status: &(dyn Fn(&str) -> RuleStatus + Sync),
) -> FileOutcome {
    let mut out = FileOutcome::default();
    let bytes = match std::fs::read(&c.path) {
        Ok(b) => b,
        Err(e) => {
            out.unreadable = true;
            out.diagnostics.push(Diagnostic::file(
                Level::Error,
                "unreadable-file",
                &c.rel,
                format!("cannot read: {e}"),
            ));
            return out;
        }
    };
    if bytes.len() as u64 > max_size {
        out.too_large = true;
        out.diagnostics
            .push(discover::too_large(&c.rel, bytes.len() as u64, max_size));
        return out;
    }
    if memchr::memchr(0, &bytes[..bytes.len().min(BINARY_PROBE)]).is_some() {
        out.binary = true;
        return out;
    }
    let source = SourceText::new(&bytes);
    if let Err(e) = std::str::from_utf8(&bytes) {
        let line = source.line_number(e.valid_up_to());
        out.diagnostics.push(Diagnostic::at(
            Level::Warning,
            "invalid-utf8",
            &c.rel,
            line,
            "not valid UTF-8; scanned as raw bytes (columns on lines with invalid bytes are approximate)",
        ));
    }
    let kind = classify(&c.rel);
    let input = ScanInput {
        path: &c.rel,
        kind: &kind,
        source: &source,
        file: &c.path,
    };
    for s in scanners.iter().filter(|s| s.wants(&kind)) {
        if let Err(e) = s.scan(&input, &mut out.findings) {
            out.diagnostics.push(Diagnostic::file(
                Level::Error,
                "scanner-failed",
                &c.rel,
                e.to_string(),
            ));
        }
    }
    inline::apply(
        &source,
        &c.rel,
        &mut out.findings,
        &mut out.diagnostics,
        status,
    );
    out.scanned_bytes = Some(bytes.len() as u64);
    out
}

/// Runs a whole scan.
pub fn scan(settings: &Settings, mut registry: Registry) -> Result<Report, SetupError> {
    let built = scanners::build(&settings.scanners, &settings.scanner_options)?;
    let discovery = discover::discover(&settings.walk)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.max(1))
        .build()
        .map_err(|e| SetupError::Threads {
            jobs: settings.jobs,
            message: e.to_string(),
        })?;
    let bar = if settings.progress {
        let bar = indicatif::ProgressBar::new(discovery.files.len() as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} scanning {pos}/{len} files {wide_bar} {elapsed}",
        ) {
            bar.set_style(style);
        }
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let max = settings.walk.max_file_size;
    let deps_on = settings.scanners.contains(&ScannerKind::Deps);
    let status = |id: &str| match registry.get(id) {
        // Advisory ids become rules only when a package matches them.
        None if deps_on && crate::rules::is_advisory_id(id) => RuleStatus::Checked,
        None => RuleStatus::Unknown,
        Some(r)
            if settings.scanners.contains(&r.scanner)
                && !settings.scanner_options.disabled_rules.contains(id) =>
        {
            RuleStatus::Checked
        }
        Some(_) => RuleStatus::NotRun,
    };
    let outcomes: Vec<FileOutcome> = pool.install(|| {
        discovery
            .files
            .par_iter()
            .map(|c| {
                let o = process(c, &built, max, &status);
                bar.inc(1);
                o
            })
            .collect()
    });
    bar.finish_and_clear();

    let mut stats = Stats {
        skipped_too_large: discovery.skipped_too_large,
        skipped_symlinks: discovery.skipped_symlinks,
        ..Stats::default()
    };
    let mut findings = Vec::new();
    let mut diagnostics = discovery.diagnostics;
    let mut coverage = BTreeMap::new();
    for s in &built {
        let finish = s.finish();
        registry.extend(finish.rules);
        diagnostics.extend(finish.diagnostics);
        if let Some(c) = finish.coverage {
            coverage.insert(s.kind(), c);
        }
    }
    for o in outcomes {
        findings.extend(o.findings);
        diagnostics.extend(o.diagnostics);
        if let Some(b) = o.scanned_bytes {
            stats.files_scanned += 1;
            stats.bytes_scanned += b;
        }
        stats.skipped_binary += usize::from(o.binary);
        stats.skipped_too_large += usize::from(o.too_large);
        stats.unreadable += usize::from(o.unreadable);
    }
    if deps_on {
        for d in &mut diagnostics {
            let lockfile = d
                .path
                .as_deref()
                .is_some_and(|p| crate::lockfile::inventory::format_of(p).is_some());
            if d.code == "file-too-large" && lockfile {
                d.level = Level::Error;
                d.message.push_str("; its dependencies were not audited");
            }
        }
    }
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    number_occurrences(&mut findings);
    let verdict = settings.policy.apply(&mut findings, &mut diagnostics);
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    Ok(Report {
        registry,
        scanners: settings.scanners.clone(),
        findings,
        diagnostics,
        stats,
        verdict,
        coverage,
    })
}

/// Appends `:N` to each fingerprint: the N-th finding with the same hash, in output order.
fn number_occurrences(findings: &mut [Finding]) {
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for f in findings {
        let n = seen.entry(f.fingerprint.clone()).or_insert(0);
        *n += 1;
        f.fingerprint = format!("{}:{n}", f.fingerprint);
    }
}
