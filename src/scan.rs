//! The pipeline: discover → classify by path → read each wanted file once through the [`Reader`] → every
//! wanted scanner on the shared [`SourceFile`] → in-source suppressions of the file each finding is in →
//! every scanner's finish (findings from facts) → policy.
//! Files are processed in parallel on a rayon pool of `jobs` threads; the output is sorted, so it is the same
//! whatever the thread count.

use crate::diagnostic::{Diagnostic, Level};
use crate::discover::{self, Candidate, WalkOptions};
use crate::finding::{Finding, ScannerKind, Severity, SourceText};
use crate::policy::inline::{self, RuleStatus};
use crate::policy::select::Selection;
use crate::policy::{Policy, Verdict};
use crate::rules::Registry;
use crate::scanners::{self, DynScanner, ErasedFacts, PeerSyntax, ScannerOptions};
use crate::source::stream::{decode_utf16, utf16_bom, Utf16ToUtf8, Windows};
use crate::source::{
    classify_path, sniff, Classification, DiskReader, ReadError, Reader, SourceFile, SNIFF_BYTES,
};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;
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
    /// Which rules run (built-in rules left out are also in `scanner_options.disabled_rules`).
    pub selection: Selection,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Wall-clock safety net (`--timeout`): files not started by then are not scanned, and the run is an
    /// error. Results never depend on it otherwise (work per file is bounded in steps, not seconds).
    pub timeout: Option<std::time::Duration>,
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
    /// Files that are not valid UTF-8 (scanned as raw bytes).
    pub not_utf8: usize,
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
    /// Findings left out of the outputs by a display threshold (`--severity`), and that threshold.
    pub hidden: Option<(Severity, usize)>,
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

    /// Leaves findings below `min` out of every output; the verdict, already decided, still counts them.
    pub fn hide_below(&mut self, min: Severity) {
        let before = self.findings.len();
        self.findings.retain(|f| f.severity >= min);
        self.hidden = Some((min, before - self.findings.len()));
    }

    /// Findings that count (not suppressed, not baseline-unchanged).
    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_active())
    }
}

/// A problem that stops the scan before it starts.
#[derive(Debug, Error)]
pub enum SetupError {
    /// A rule file (built in, or given with `--rules`) does not load.
    #[error(transparent)]
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
    /// Facts per scanner, by index in the built list.
    facts: Vec<(usize, ErasedFacts)>,
    scanned_bytes: Option<u64>,
    binary: bool,
    too_large: bool,
    unreadable: bool,
    not_utf8: bool,
    /// Not started: the `--timeout` had passed.
    timed_out: bool,
}

/// Shortest run of printable ASCII kept from a binary file (as `strings` does; no credential is shorter).
const MIN_TEXT_RUN: usize = 8;

/// Keeps the text runs of a binary file: printable ASCII runs of at least [`MIN_TEXT_RUN`] bytes (and line
/// feeds) stay, every other byte becomes a space, so offsets and line numbers are those of the file.
fn text_runs(bytes: &mut [u8]) {
    let printable = |b: u8| b == b'\t' || (0x20..0x7f).contains(&b);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\n' {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && printable(bytes[i]) {
            i += 1;
        }
        if i - start < MIN_TEXT_RUN {
            bytes[start..i].fill(b' ');
        }
        if i < bytes.len() && bytes[i] != b'\n' {
            bytes[i] = b' ';
            i += 1;
        }
    }
}

/// Bytes looked at for a NUL to decide a file is binary.
const BINARY_PROBE: usize = 8192;

/// Whether a file starting with `head` is binary: a NUL in its first [`BINARY_PROBE`] bytes. Documents a scanner
/// parses (lock files, manifests) never are: they parse or fail.
fn is_binary(class: &Classification, head: &[u8]) -> bool {
    class.document.is_none() && memchr::memchr(0, &head[..head.len().min(BINARY_PROBE)]).is_some()
}

/// The note for a file decoded from UTF-16.
fn utf16_note(rel: &str) -> Diagnostic {
    Diagnostic::file(
        Level::Note,
        "utf16-decoded",
        rel,
        "UTF-16 text (byte-order mark): decoded and scanned as UTF-8",
    )
}

/// The note for a file that is not valid UTF-8, at the line of its first invalid byte.
fn invalid_utf8_note(rel: &str, line: u32) -> Diagnostic {
    Diagnostic::at(
        Level::Note,
        "invalid-utf8",
        rel,
        line,
        "not valid UTF-8; scanned as raw bytes (columns on lines with invalid bytes are approximate)",
    )
}

/// What the scanners `which` found in `file`: findings, diagnostics (a scanner that failed is an error) and
/// the related files they read; their facts go to `out`.
fn run_scanners(
    file: &Arc<SourceFile>,
    which: &[usize],
    scanners: &[Box<dyn DynScanner>],
    reader: &dyn Reader,
    out: &mut FileOutcome,
) -> (Vec<Finding>, Vec<Diagnostic>, Vec<Arc<SourceFile>>) {
    let mut findings = Vec::new();
    let mut diagnostics = Vec::new();
    let mut related = Vec::new();
    for &i in which {
        match scanners[i].scan_file(file, reader) {
            Ok(o) => {
                findings.extend(o.findings);
                diagnostics.extend(o.diagnostics);
                related.extend(o.related);
                out.facts.push((i, o.facts));
            }
            Err(e) => diagnostics.push(Diagnostic::file(
                Level::Error,
                "scanner-failed",
                file.path(),
                e.to_string(),
            )),
        }
    }
    (findings, diagnostics, related)
}

/// What the run knows of rule ids and suppression syntaxes, for in-source suppressions.
struct Suppressions<'a> {
    registry: &'a Registry,
    scanners: &'a [ScannerKind],
    disabled: &'a std::collections::BTreeSet<String>,
}

impl Suppressions<'_> {
    fn status(&self, id: &str) -> RuleStatus {
        match self.registry.get(id) {
            Some(r) if self.scanners.contains(&r.scanner) && !self.disabled.contains(id) => {
                RuleStatus::Checked
            }
            Some(_) => RuleStatus::NotRun,
            // Ids a scanner makes at run time (advisories) become rules only when something matches them.
            None if self.scanners.iter().any(|k| {
                scanners::registration(*k)
                    .and_then(|r| r.owns_runtime_id)
                    .is_some_and(|owns| owns(id))
            }) =>
            {
                RuleStatus::Checked
            }
            None => RuleStatus::Unknown,
        }
    }

    /// Applies the directives of `source` (the file at `path`) to the findings located in it.
    fn apply(
        &self,
        path: &str,
        source: &SourceText<'_>,
        findings: &mut [Finding],
        diags: &mut Vec<Diagnostic>,
    ) {
        let owns = |kind: ScannerKind, syntax: PeerSyntax| {
            scanners::registration(kind).is_some_and(|r| r.suppressions.contains(&syntax))
        };
        let aliases = |id: &str| {
            self.registry
                .get(id)
                .map(|r| r.aliases.clone())
                .unwrap_or_default()
        };
        inline::apply(
            source,
            path,
            findings,
            diags,
            &|id| self.status(id),
            &owns,
            &aliases,
        );
    }
}

/// Applies in-source suppressions to each finding from the file it is located in: `sources` are the files the
/// findings may be in (the directives of each apply only to findings located in it); a finding elsewhere is
/// left as it is.
fn suppress_by_file(
    findings: &mut [Finding],
    sources: &[&SourceFile],
    sup: &Suppressions<'_>,
    diags: &mut Vec<Diagnostic>,
) {
    for file in sources {
        sup.apply(file.path(), &file.text(), findings, diags);
    }
}

/// The diagnostic for a file the reader refused.
fn read_failure(rel: &str, class: &Classification, e: &ReadError) -> Diagnostic {
    let (level, tail) = match e {
        // A lock file that cannot be read is a check that could not run.
        ReadError::TooLarge { .. } if class.document.and_then(|d| d.lockfile()).is_some() => {
            (Level::Error, "; its dependencies were not audited")
        }
        // Deliberately not analysed: a note (the secrets scanner still reads it, window by window).
        ReadError::TooLarge { .. } => (Level::Note, ""),
        ReadError::Symlink | ReadError::NotRegular(_) => (Level::Warning, ""),
        ReadError::OutsideRoot | ReadError::NotFound | ReadError::Io(_) => (Level::Error, ""),
    };
    Diagnostic::file(level, e.code(), rel, format!("{e}{tail}"))
}

fn process(
    c: &Candidate,
    scanners: &[Box<dyn DynScanner>],
    reader: &dyn Reader,
    sup: &Suppressions<'_>,
) -> FileOutcome {
    let mut out = FileOutcome::default();
    let class = classify_path(&c.rel);
    let wanting: Vec<usize> = (0..scanners.len())
        .filter(|&i| scanners[i].wants(&c.rel, &class))
        .collect();
    if wanting.is_empty() {
        return out;
    }
    let bytes = match reader.read(&c.rel) {
        Ok(b) => b,
        Err(e @ ReadError::TooLarge { .. }) if wanting.iter().any(|&i| scanners[i].streams()) => {
            return process_streamed(c, class, &wanting, scanners, reader, sup, &e);
        }
        Err(e) => {
            out.too_large = matches!(e, ReadError::TooLarge { .. });
            out.unreadable = matches!(e, ReadError::Io(_) | ReadError::NotFound);
            out.diagnostics.push(read_failure(&c.rel, &class, &e));
            return out;
        }
    };
    // UTF-16 text (Windows editors, PowerShell output) is decoded, so that what it holds is scanned: its NUL
    // bytes would otherwise make it look binary.
    let mut bytes = match decode_utf16(&bytes) {
        Some(utf8) => {
            out.diagnostics.push(utf16_note(&c.rel));
            utf8
        }
        None => bytes,
    };
    // Binary files go only to the scanners that read their text runs.
    let mut wanting = wanting;
    if is_binary(&class, &bytes) {
        let (kept, dropped): (Vec<usize>, Vec<usize>) =
            wanting.iter().partition(|&&i| scanners[i].reads_binary());
        // A file named as a structured document (`.yaml`, `.json`, `.tf`) that holds binary bytes is not
        // parsed: said once, so that its checks are not skipped in silence.
        if let (Some(lang), false) = (class.language, dropped.is_empty()) {
            if matches!(lang, "yaml" | "json" | "hcl" | "toml" | "xml") {
                let names: Vec<&str> = dropped
                    .iter()
                    .map(|&i| scanners[i].kind().as_str())
                    .collect();
                out.diagnostics.push(Diagnostic::file(
                    Level::Note,
                    "binary-document",
                    &c.rel,
                    format!(
                        "binary content (NUL bytes) in a {lang} file: not parsed, so {} did not check it",
                        names.join(", ")
                    ),
                ));
            }
        }
        wanting = kept;
        if wanting.is_empty() {
            out.binary = true;
            return out;
        }
        text_runs(&mut bytes);
    }
    let len = bytes.len() as u64;
    let file = Arc::new(SourceFile::with_class(c.rel.as_str(), bytes, class));
    if let Err(e) = std::str::from_utf8(file.bytes()) {
        out.not_utf8 = true;
        let line = file.text().line_number(e.valid_up_to());
        out.diagnostics.push(invalid_utf8_note(&c.rel, line));
    }
    let (mut findings, diagnostics, related) =
        run_scanners(&file, &wanting, scanners, reader, &mut out);
    out.diagnostics.extend(diagnostics);
    let mut sources: Vec<&SourceFile> = vec![&file];
    sources.extend(related.iter().map(|f| &**f));
    suppress_by_file(&mut findings, &sources, sup, &mut out.diagnostics);
    out.findings = findings;
    out.scanned_bytes = Some(len);
    out
}

/// Scans a file over the size limit: the scanners that stream read it window by window (each window a file
/// of its own, its findings and diagnostics kept when they start in the stretch it owns, then placed at the
/// file's lines); the others skip it with a note, or an error for a lock file.
fn process_streamed(
    c: &Candidate,
    class: Classification,
    wanting: &[usize],
    scanners: &[Box<dyn DynScanner>],
    reader: &dyn Reader,
    sup: &Suppressions<'_>,
    too_large: &ReadError,
) -> FileOutcome {
    let mut out = FileOutcome::default();
    let (mut streaming, skipping): (Vec<usize>, Vec<usize>) =
        wanting.iter().partition(|&&i| scanners[i].streams());
    if !skipping.is_empty() {
        out.diagnostics
            .push(read_failure(&c.rel, &class, too_large));
    }
    let mut input = match reader.open(&c.rel) {
        Ok(r) => r,
        Err(e) => {
            out.unreadable = matches!(e, ReadError::Io(_) | ReadError::NotFound);
            out.diagnostics.push(read_failure(&c.rel, &class, &e));
            return out;
        }
    };
    let unreadable = |out: &mut FileOutcome, e: std::io::Error| {
        out.unreadable = true;
        out.diagnostics
            .push(read_failure(&c.rel, &class, &ReadError::Io(e)));
    };
    let mut head = Vec::with_capacity(2);
    if let Err(e) = std::io::Read::read_to_end(&mut std::io::Read::take(&mut input, 2), &mut head) {
        unreadable(&mut out, e);
        return out;
    }
    let input: Box<dyn std::io::Read + Send> = match utf16_bom(&head) {
        Some(le) => {
            out.diagnostics.push(utf16_note(&c.rel));
            Box::new(Utf16ToUtf8::new(input, le))
        }
        None => Box::new(std::io::Read::chain(std::io::Cursor::new(head), input)),
    };
    let mut windows = Windows::new(input);
    let mut class = class;
    let mut binary = None;
    let mut total = 0u64;
    loop {
        let mut w = match windows.next_window() {
            Ok(Some(w)) => w,
            Ok(None) => break,
            Err(e) => {
                unreadable(&mut out, e);
                break;
            }
        };
        if binary.is_none() {
            class = sniff(class, &w.bytes[..w.bytes.len().min(SNIFF_BYTES)]);
            let binary_file = is_binary(&class, &w.bytes);
            if binary_file {
                streaming.retain(|&i| scanners[i].reads_binary());
                if streaming.is_empty() {
                    out.binary = true;
                    return out;
                }
            }
            binary = Some(binary_file);
        }
        if binary == Some(true) {
            text_runs(&mut w.bytes);
        }
        total += w.own.len() as u64;
        let own = w.own.clone();
        let file = SourceFile::classified(c.rel.as_str(), std::mem::take(&mut w.bytes), class);
        let file = Arc::new(file);
        if let Some(at) =
            invalid_utf8_in(&file.bytes()[own.clone()], w.last).filter(|_| !out.not_utf8)
        {
            out.not_utf8 = true;
            let line = w.place(file.text().line_number(own.start + at), 1).0;
            out.diagnostics.push(invalid_utf8_note(&c.rel, line));
        }
        // Windows of a long file have no related files (scanners that read some do not stream).
        let (mut findings, mut diagnostics, _) =
            run_scanners(&file, &streaming, scanners, reader, &mut out);
        sup.apply(&c.rel, &file.text(), &mut findings, &mut diagnostics);
        let text = file.text();
        let from = (text.line_number(own.start), text.column(own.start));
        let to = if w.last {
            (u32::MAX, u32::MAX)
        } else {
            (text.line_number(own.end), text.column(own.end))
        };
        findings.retain(|f| {
            let at = (f.location.start_line, f.location.start_column);
            f.location.path != c.rel || (from <= at && at < to)
        });
        diagnostics.retain(|d| d.line.is_none_or(|l| from.0 <= l && l <= to.0));
        for f in &mut findings {
            if f.location.path == c.rel {
                let l = &mut f.location;
                (l.start_line, l.start_column) = w.place(l.start_line, l.start_column);
                (l.end_line, l.end_column) = w.place(l.end_line, l.end_column);
            }
        }
        for d in &mut diagnostics {
            if let Some(l) = d.line.as_mut() {
                *l = w.place(*l, 1).0;
            }
        }
        out.findings.extend(findings);
        out.diagnostics.extend(diagnostics);
    }
    // A diagnostic about the whole file (or a line both windows hold) is said once.
    out.diagnostics.sort();
    out.diagnostics.dedup();
    out.scanned_bytes = Some(total);
    out
}

/// Where a window's own stretch first holds invalid UTF-8, not counting a character cut at either end.
fn invalid_utf8_in(bytes: &[u8], last: bool) -> Option<usize> {
    let cut = bytes
        .iter()
        .take(3)
        .take_while(|b| **b & 0xc0 == 0x80)
        .count();
    match std::str::from_utf8(&bytes[cut..]) {
        Ok(_) => None,
        Err(e) => (e.error_len().is_some() || last).then(|| cut + e.valid_up_to()),
    }
}

/// Runs a whole scan.
pub fn scan(settings: &Settings, mut registry: Registry) -> Result<Report, SetupError> {
    let built = scanners::build(&settings.scanners, &settings.scanner_options)?;
    let discovery = discover::discover(&settings.walk)?;
    let reader = DiskReader {
        root: settings.walk.root.clone(),
        max_size: settings.walk.max_file_size,
    };
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
    let sup = Suppressions {
        registry: &registry,
        scanners: &settings.scanners,
        disabled: &settings.scanner_options.disabled_rules,
    };
    let deadline = settings.timeout.map(|t| std::time::Instant::now() + t);
    let outcomes: Vec<FileOutcome> = pool.install(|| {
        discovery
            .files
            .par_iter()
            .map(|c| {
                if deadline.is_some_and(|d| std::time::Instant::now() >= d) {
                    return FileOutcome {
                        timed_out: true,
                        ..FileOutcome::default()
                    };
                }
                let o = process(c, &built, &reader, &sup);
                bar.inc(1);
                o
            })
            .collect()
    });
    bar.finish_and_clear();

    let mut stats = Stats {
        skipped_symlinks: discovery.skipped_symlinks,
        ..Stats::default()
    };
    let mut findings = Vec::new();
    let mut diagnostics = discovery.diagnostics;
    let mut facts: Vec<Vec<ErasedFacts>> = built.iter().map(|_| Vec::new()).collect();
    let timed_out = outcomes.iter().filter(|o| o.timed_out).count();
    if let (Some(t), true) = (settings.timeout, timed_out > 0) {
        diagnostics.push(Diagnostic::general(
            Level::Error,
            "timeout",
            format!(
                "the scan reached --timeout {}s: {timed_out} file{} not scanned; the gate fails closed",
                t.as_secs(),
                if timed_out == 1 { " was" } else { "s were" },
            ),
        ));
    }
    for o in outcomes {
        findings.extend(o.findings);
        diagnostics.extend(o.diagnostics);
        for (i, f) in o.facts {
            facts[i].push(f);
        }
        if let Some(b) = o.scanned_bytes {
            stats.files_scanned += 1;
            stats.bytes_scanned += b;
        }
        stats.skipped_binary += usize::from(o.binary);
        stats.skipped_too_large += usize::from(o.too_large);
        stats.unreadable += usize::from(o.unreadable);
        stats.not_utf8 += usize::from(o.not_utf8);
    }
    if stats.not_utf8 > 0 {
        diagnostics.push(Diagnostic::general(
            Level::Warning,
            "invalid-utf8",
            format!(
                "{} file{} not valid UTF-8 and {} scanned as raw bytes (--verbose lists them)",
                stats.not_utf8,
                if stats.not_utf8 == 1 { " is" } else { "s are" },
                if stats.not_utf8 == 1 { "was" } else { "were" },
            ),
        ));
    }
    let mut coverage = BTreeMap::new();
    // Rules made at run time join the registry once every finish ran (suppressions see the built-in ones).
    let mut run_rules = Vec::new();
    for (s, f) in built.iter().zip(facts) {
        let mut finish = s.finish_run(f);
        run_rules.append(&mut finish.rules);
        diagnostics.extend(finish.diagnostics);
        if let Some(c) = finish.coverage {
            coverage.insert(s.kind(), c);
        }
        // Findings made from facts get the in-source suppressions of the file they are in, read again.
        let mut paths: Vec<String> = finish
            .findings
            .iter()
            .map(|f| f.location.path.clone())
            .collect();
        paths.sort();
        paths.dedup();
        let files: Vec<SourceFile> = paths
            .iter()
            .filter_map(|p| reader.read(p).ok().map(|b| SourceFile::new(p.as_str(), b)))
            .collect();
        let refs: Vec<&SourceFile> = files.iter().collect();
        suppress_by_file(&mut finish.findings, &refs, &sup, &mut diagnostics);
        findings.append(&mut finish.findings);
    }
    let sel = &settings.selection;
    if !sel.is_everything() {
        // Rules made at run time (advisories) are selected now that they are known.
        run_rules.retain(|r| sel.enabled(r));
        let kept: std::collections::BTreeSet<&str> =
            run_rules.iter().map(|r| r.id.as_str()).collect();
        findings.retain(|f| {
            kept.contains(f.rule_id.as_str())
                || registry.get(&f.rule_id).is_some_and(|r| sel.enabled(r))
        });
    }
    registry.extend(run_rules);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    // The same finding reached twice (a requirements file included by two others) is one finding.
    findings.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.message == b.message);
    let positional = pool.install(|| {
        crate::finding::finalize_secret_fingerprints(
            &mut findings,
            crate::finding::SECRET_FINGERPRINT_BUDGET,
        )
    });
    if positional > 0 {
        diagnostics.push(Diagnostic::general(
            Level::Note,
            "secret-fingerprints-positional",
            format!(
                "{positional} secrets beyond the first {} of this run have fingerprints from their position in their file rather than a derivation of their value; a baseline still matches them while their order in the file is kept",
                crate::finding::SECRET_FINGERPRINT_BUDGET
            ),
        ));
    }
    number_occurrences(&mut findings);
    // Other tools' ignore files that apply to the lock files seen join the policy's ignores.
    let lockfiles = discovery.files.iter().map(|c| c.rel.as_str()).filter(|p| {
        classify_path(p)
            .document
            .and_then(|d| d.lockfile())
            .is_some()
    });
    let (foreign, notes) = crate::policy::ignorefiles::collect(lockfiles, &reader);
    diagnostics.extend(notes);
    let verdict = if foreign.is_empty() {
        settings
            .policy
            .apply(&mut findings, &mut diagnostics, &registry)
    } else {
        let mut policy = settings.policy.clone();
        policy.ignores.extend(foreign);
        policy.apply(&mut findings, &mut diagnostics, &registry)
    };
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diagnostics.dedup();
    let mut report = Report {
        registry,
        scanners: settings.scanners.clone(),
        findings,
        diagnostics,
        stats,
        verdict,
        coverage,
        hidden: None,
    };
    // Nothing leaves the pipeline with a secret in it, whichever scanner or parser echoed the input.
    crate::redact::global()?.report(&mut report);
    Ok(report)
}

/// Appends `:N` to each fingerprint (and its alias forms): the N-th finding with the same hash, in output
/// order.
fn number_occurrences(findings: &mut [Finding]) {
    let mut seen: BTreeMap<String, u32> = BTreeMap::new();
    for f in findings {
        let n = seen.entry(f.fingerprint.clone()).or_insert(0);
        *n += 1;
        f.fingerprint = format!("{}:{n}", f.fingerprint);
        for a in &mut f.alias_fingerprints {
            *a = format!("{a}:{n}");
        }
    }
}
