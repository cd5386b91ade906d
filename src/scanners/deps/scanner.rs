//! The `deps` scanner: each lock file or manifest is parsed, its registry packages are matched against the
//! advisory database, and each affected package version becomes a finding at the line that declares it.
//! Which ecosystems were seen, and whether the database covers them, is decided once at the end of the run
//! ([`Scanner::finish`]): an ecosystem without data fails the run closed unless `--allow-missing-db`.

use crate::advisory::audit::{audit, Vulnerability};
use crate::advisory::database::Database;
use crate::advisory::db::AdvisoryDb;
use crate::advisory::osv::{Advisory, Verdict};
use crate::advisory::severity;
use crate::config::Date;
use crate::diagnostic::{Diagnostic, Level};
use crate::finding::{Confidence, Finding, FindingBuilder, ScannerKind, Severity, SourceText};
use crate::lockfile::inventory::{format_of, parse_file, root_of, walk_related};
use crate::lockfile::package::{Ecosystem, Package, ParsedLockfile, Source};
use crate::rules::RuleMeta;
use crate::scanners::{Finish, ScanError, ScanInput, Scanner};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Rule id of an unpinned requirement.
pub const UNPINNED_RULE: &str = "deps-unpinned-requirement";

/// How the dependency audit runs.
#[derive(Clone, Debug)]
pub struct DepsOptions {
    /// Advisory sources given with `--advisories` or the config (empty: the cache's `advisories/` folder).
    pub advisories: Vec<PathBuf>,
    /// The cache directory (`db update` downloads and compiled indexes).
    pub cache_dir: Option<PathBuf>,
    /// Report missing advisory data as a warning instead of failing the run.
    pub allow_missing_db: bool,
    /// Advisory data older than this many days is a warning.
    pub max_db_age_days: u32,
    /// Report RustSec informational advisories (unmaintained, unsound, notice).
    pub informational: bool,
    /// Today's date (for the database age).
    pub today: Date,
    /// Ask the OSV API instead of local data (`--online`).
    pub online: Option<crate::advisory::online::OnlineOptions>,
}

impl Default for DepsOptions {
    fn default() -> Self {
        DepsOptions {
            advisories: Vec::new(),
            cache_dir: None,
            allow_missing_db: false,
            max_db_age_days: 7,
            informational: true,
            today: Date::today(),
            online: None,
        }
    }
}

/// The advisory sources a run reads: those given (`--advisories`, the config), else the cache's
/// `advisories/` folder that `portcullis db update` fills; an error says why there are none.
pub fn advisory_sources(
    given: &[PathBuf],
    cache_dir: Option<&Path>,
) -> Result<Vec<PathBuf>, String> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    match cache_dir.map(crate::advisory::update::ecosystem_data) {
        Some(data) if data.is_dir() => Ok(vec![data]),
        Some(data) => Err(format!(
            "no advisory database: none given with --advisories, and {} does not exist",
            data.display()
        )),
        None => Err(
            "no advisory database: none given with --advisories, and no cache directory is known \
             (set PORTCULLIS_CACHE_DIR or --cache-dir)"
                .to_string(),
        ),
    }
}

/// The static rules of the scanner (advisory rules are made from the advisories found).
pub fn static_rules() -> Vec<RuleMeta> {
    vec![RuleMeta {
        id: UNPINNED_RULE.to_string(),
        scanner: ScannerKind::Deps,
        title: "Requirement without an exact version".to_string(),
        severity: Severity::Info,
        confidence: Confidence::High,
        description: "A requirements file names a package without pinning one version with `==` (or pins it \
            with a wildcard), so the version that gets installed is decided at install time and cannot be \
            audited."
            .to_string(),
        why: "The dependency audit can only check versions it knows. An unpinned requirement may install a \
            vulnerable release today and a different one tomorrow, and builds are not reproducible."
            .to_string(),
        remediation: "Pin the requirement to one version (`name==1.2.3`), ideally with hashes, or generate a \
            lock file (`pip-compile`, `uv pip compile`, `poetry lock`) and audit that."
            .to_string(),
        references: vec![
            "https://pip.pypa.io/en/stable/topics/repeatable-installs/".to_string(),
        ],
        cwe: vec!["CWE-1357".to_string()],
        owasp: vec!["A06:2021".to_string()],
        aliases: Vec::new(),
    }]
}

#[derive(Default)]
struct State {
    /// Registry ecosystems seen, with the files that use them.
    ecosystems: BTreeMap<Ecosystem, BTreeSet<String>>,
    rules: BTreeMap<String, RuleMeta>,
    diagnostics: Vec<Diagnostic>,
    /// Sources that failed to load → files → packages not audited.
    unreadable: BTreeMap<String, BTreeMap<String, usize>>,
    /// Lock files read, and the packages they declare.
    files: usize,
    packages: usize,
}

/// The dependency audit scanner.
pub struct DepsScanner {
    opts: DepsOptions,
    disabled: BTreeSet<String>,
    unpinned: RuleMeta,
    db: OnceLock<Result<Database, String>>,
    state: Mutex<State>,
}

impl DepsScanner {
    /// A scanner with these options; the database is opened when the first lock file needs it.
    pub fn new(opts: DepsOptions, disabled: BTreeSet<String>) -> Self {
        let unpinned = static_rules().remove(0);
        DepsScanner {
            opts,
            disabled,
            unpinned,
            db: OnceLock::new(),
            state: Mutex::new(State::default()),
        }
    }

    fn sources(&self) -> Result<Vec<PathBuf>, String> {
        advisory_sources(&self.opts.advisories, self.opts.cache_dir.as_deref())
    }

    fn database(&self) -> &Result<Database, String> {
        self.db.get_or_init(|| {
            let sources = self.sources()?;
            Database::open(&sources, self.opts.cache_dir.as_deref()).map_err(|e| e.to_string())
        })
    }

    fn with_state(&self, f: impl FnOnce(&mut State)) {
        // A panic elsewhere cannot make us drop what was recorded: take the state even from a poisoned lock.
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut s);
    }

    /// Audits the packages of one parsed file (`path` relative to the scan root) into findings.
    fn audit_file(
        &self,
        path: &str,
        source: &SourceText<'_>,
        parsed: &ParsedLockfile,
        out: &mut Vec<Finding>,
    ) {
        let unpinned: &[crate::lockfile::package::Unpinned] =
            if self.disabled.contains(UNPINNED_RULE) {
                &[]
            } else {
                &parsed.unpinned
            };
        for u in unpinned {
            let span = line_span(source, u.line);
            let spec = u.spec.trim();
            let elsewhere = spec.contains("://")
                || spec.starts_with("git+")
                || spec.starts_with('.')
                || spec.starts_with('/')
                || spec.starts_with("file:");
            let message = if elsewhere {
                format!(
                    "{} is installed from `{spec}`, not from the registry, so advisories cannot be matched to it",
                    u.name
                )
            } else if spec.is_empty() {
                format!(
                    "{} has no version constraint, so its installed version cannot be audited",
                    u.name
                )
            } else {
                format!(
                    "{} is not pinned to one version (`{spec}`), so its installed version cannot be audited",
                    u.name
                )
            };
            out.push(
                FindingBuilder::new(&self.unpinned, path, source, span)
                    .message(message)
                    .build(),
            );
        }
        let registry: Vec<&Package> = parsed
            .packages
            .iter()
            .filter(|p| p.source == Source::Registry)
            .collect();
        self.with_state(|s| {
            s.files += 1;
            s.packages += parsed.packages.len();
            for p in &registry {
                s.ecosystems
                    .entry(p.ecosystem)
                    .or_default()
                    .insert(path.to_string());
            }
        });
        if registry.is_empty() {
            return;
        }
        let mut local = AdvisoryDb::default();
        if let Some(online) = &self.opts.online {
            // `fetch` asks only about registry packages.
            match crate::advisory::online::fetch(&parsed.packages, online) {
                Ok(advisories) => {
                    for a in advisories {
                        local.add_advisory(a);
                    }
                }
                Err(e) => {
                    self.with_state(|s| {
                        s.diagnostics.push(Diagnostic::file(
                            Level::Error,
                            "advisory-api-failed",
                            path,
                            format!("{e}; the dependencies of this file were not audited"),
                        ))
                    });
                    return;
                }
            }
            self.report(path, source, parsed, &local, out);
            return;
        }
        let Ok(db) = self.database() else {
            return; // Reported once per ecosystem in `finish`.
        };
        // Each distinct package is looked up once; lookups run in parallel (a lock file with thousands of
        // packages parses thousands of records), and the results are taken in package order.
        let mut asked = BTreeSet::new();
        let wanted: Vec<(Ecosystem, &str)> = registry
            .iter()
            .filter(|p| db.covers(p.ecosystem))
            .map(|p| (p.ecosystem, p.name.as_str()))
            .filter(|k| asked.insert(*k))
            .collect();
        let answers: Vec<_> = wanted
            .par_iter()
            .map(|(eco, name)| db.query(*eco, name))
            .collect();
        for answer in answers {
            match answer {
                Ok(advisories) => {
                    for a in advisories {
                        local.add_shared(a);
                    }
                }
                Err(e) => self.with_state(|s| {
                    *s.unreadable
                        .entry(e.to_string())
                        .or_default()
                        .entry(path.to_string())
                        .or_default() += 1;
                }),
            }
        }
        self.report(path, source, parsed, &local, out);
    }

    /// Turns the matches of a file's packages against `db` into findings.
    fn report(
        &self,
        path: &str,
        source: &SourceText<'_>,
        parsed: &ParsedLockfile,
        db: &AdvisoryDb,
        out: &mut Vec<Finding>,
    ) {
        for v in audit(&parsed.packages, db) {
            if (!self.opts.informational && v.advisory.informational().is_some())
                || self.disabled.contains(&v.advisory.id)
            {
                continue;
            }
            let (finding, meta, note) = self.finding(path, source, &v);
            out.push(finding);
            self.with_state(|s| {
                s.rules.entry(meta.id.clone()).or_insert(meta);
                if let Some(n) = note {
                    s.diagnostics.push(n);
                }
            });
        }
    }

    fn finding(
        &self,
        path: &str,
        source: &SourceText<'_>,
        v: &Vulnerability<'_>,
    ) -> (Finding, RuleMeta, Option<Diagnostic>) {
        let adv = &v.advisory;
        let p = v.package;
        let meta = advisory_rule(adv);
        let sev = meta.severity;
        let mut ids = adv.id.clone();
        let cves: Vec<&str> = adv
            .aliases
            .iter()
            .filter(|a| a.starts_with("CVE-"))
            .map(String::as_str)
            .collect();
        if !cves.is_empty() {
            ids = format!("{ids}, {}", cves.join(", "));
        }
        if !v.also.is_empty() {
            ids = format!("{ids}; also {}", v.also.join(", "));
        }
        let what = headline(adv).unwrap_or_else(|| format!("advisory {}", adv.id));
        let kind = match adv.informational() {
            Some(k) => format!(": {k}"),
            None => String::new(),
        };
        let dev = if p.dev { " (dev dependency)" } else { "" };
        let fixes = if v.fixed.is_empty() {
            "no fixed version is known".to_string()
        } else {
            let list = v
                .fixed
                .iter()
                .map(|f| display_version(f))
                .collect::<Vec<_>>()
                .join(", ");
            match &v.smallest_fix {
                Some(f) => format!("fixed in {list}; upgrade to {}", display_version(f)),
                None if v.verdict == Verdict::Unknown => format!("fixed in {list}"),
                None => format!("fixed in {list} (none above the installed version)"),
            }
        };
        let (message, confidence, note) = match v.verdict {
            Verdict::Unknown => (
                format!(
                    "cannot determine whether {} {}{dev} is affected by {what} ({ids}): a version does not \
                     parse as a {} version; {fixes}",
                    p.name, p.version, p.ecosystem
                ),
                Confidence::Low,
                Some(Diagnostic::at(
                    Level::Warning,
                    "unparseable-version",
                    path,
                    p.line,
                    format!(
                        "{} version `{}` (or a version in {}) does not parse as a {} version; reported as possibly affected",
                        p.name, p.version, adv.id, p.ecosystem
                    ),
                )),
            ),
            _ if !kind.is_empty() => (
                format!("{} {}{dev}: {what} ({ids}, informational{kind}); {fixes}", p.name, p.version),
                Confidence::High,
                None,
            ),
            _ => (
                format!("{} {}{dev} is affected by {what} ({ids}); {fixes}", p.name, p.version),
                Confidence::High,
                None,
            ),
        };
        let mut b = FindingBuilder::new(&meta, path, source, line_span(source, p.line))
            .severity(sev)
            .message(message);
        if let Some(f) = &v.smallest_fix {
            b = b.fix(format!("upgrade {} to {}", p.name, display_version(f)));
        }
        let mut finding = b.build();
        finding.confidence = confidence;
        (finding, meta, note)
    }
}

/// How a version from an advisory is shown: RustSec's `-0` pre-release floor (`0.3.1-0`) is left out.
fn display_version(v: &str) -> &str {
    v.strip_suffix("-0").unwrap_or(v)
}

/// A one-line headline: the summary, else the first sentence of the details (at most 120 characters).
fn headline(adv: &Advisory) -> Option<String> {
    if let Some(s) = adv
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        return Some(s.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    let details = adv
        .details
        .as_deref()?
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let first = match details.find(". ") {
        Some(i) => &details[..i],
        None => details.trim_end_matches('.'),
    };
    if first.is_empty() {
        return None;
    }
    if first.chars().count() > 120 {
        let cut: String = first.chars().take(117).collect();
        return Some(format!("{}...", cut.trim_end()));
    }
    Some(first.to_string())
}

/// The non-blank text of a 1-based line, as a byte span.
fn line_span(source: &SourceText<'_>, line: u32) -> std::ops::Range<usize> {
    let r = source.line_range(line.max(1));
    let bytes = &source.bytes()[r.clone()];
    let start = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let end = bytes.len()
        - bytes
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_whitespace())
            .count();
    if start >= end {
        return r;
    }
    r.start + start..r.start + end
}

/// The affected versions of each package of an advisory, one line each: `` `smallvec` (crates.io): >= 0.6.3,
/// < 0.6.14; >= 1.0.0, < 1.6.1 `` (explicit version lists are named as such; GIT ranges are left out).
fn affected_ranges(adv: &Advisory) -> Vec<String> {
    let mut out = Vec::new();
    for a in &adv.affected {
        let Some(p) = &a.package else { continue };
        let mut spans: Vec<String> = Vec::new();
        for r in a.ranges.iter().filter(|r| r.kind != "GIT") {
            let mut cur: Option<String> = None;
            for e in &r.events {
                if let Some(v) = &e.introduced {
                    if let Some(open) = cur.take() {
                        spans.push(open);
                    }
                    cur = Some(if v == "0" || v == "0.0.0-0" {
                        "all versions".to_string()
                    } else {
                        format!(">= {}", display_version(v))
                    });
                } else if let Some(v) = &e.fixed {
                    let start = cur.take().unwrap_or_else(|| "all versions".to_string());
                    spans.push(match start.as_str() {
                        "all versions" => format!("< {}", display_version(v)),
                        s => format!("{s}, < {}", display_version(v)),
                    });
                } else if let Some(v) = e.last_affected.as_ref().or(e.limit.as_ref()) {
                    let op = if e.last_affected.is_some() { "<=" } else { "<" };
                    let start = cur.take().unwrap_or_else(|| "all versions".to_string());
                    spans.push(match start.as_str() {
                        "all versions" => format!("{op} {v}"),
                        s => format!("{s}, {op} {v}"),
                    });
                }
            }
            spans.extend(cur);
        }
        if !a.versions.is_empty() {
            let shown: Vec<&str> = a.versions.iter().take(10).map(String::as_str).collect();
            let more = a.versions.len().saturating_sub(10);
            spans.push(if more > 0 {
                format!("exactly {} and {more} more", shown.join(", "))
            } else {
                format!("exactly {}", shown.join(", "))
            });
        }
        if !spans.is_empty() {
            out.push(format!(
                "`{}` ({}): {}",
                p.name,
                p.ecosystem,
                spans.join("; ")
            ));
        }
    }
    out
}

/// The rule an advisory becomes: its id, summary, details, links and aliases, with its severity (CVSS or the
/// database's label; informational advisories `low` when unsound, else `info`).
pub fn advisory_rule(adv: &Advisory) -> RuleMeta {
    let sev = match adv.informational() {
        Some("unsound") => Severity::Low,
        Some(_) => Severity::Info,
        None => severity::of(adv).0,
    };
    let mut packages: Vec<String> = adv
        .affected
        .iter()
        .filter_map(|a| a.package.as_ref())
        .map(|p| format!("`{}` ({})", p.name, p.ecosystem))
        .collect();
    packages.sort();
    packages.dedup();
    let title =
        headline(adv).unwrap_or_else(|| format!("Advisory {} for {}", adv.id, packages.join(", ")));
    let description = adv
        .details
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map_or_else(|| title.clone(), str::to_string);
    let mut references: Vec<String> = Vec::new();
    let advisory_first = adv
        .references
        .iter()
        .filter(|r| r.kind == "ADVISORY")
        .chain(adv.references.iter().filter(|r| r.kind != "ADVISORY"));
    for r in advisory_first {
        if !references.contains(&r.url) {
            references.push(r.url.clone());
        }
    }
    let osv = format!("https://osv.dev/vulnerability/{}", adv.id);
    if !references.contains(&osv) {
        references.push(osv);
    }
    let cwe: Vec<String> = adv
        .database_specific
        .as_ref()
        .and_then(|d| d.get("cwe_ids"))
        .and_then(|c| c.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|c| c.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let mut why = match adv.informational() {
        Some(kind) => format!(
            "This is an informational advisory ({kind}): it reports no exploitable vulnerability, but a risk \
             in depending on the package."
        ),
        None => "The installed version is in a range the advisory lists as affected, so the project ships \
                 the vulnerable code."
            .to_string(),
    };
    let ranges = affected_ranges(adv);
    if !ranges.is_empty() {
        why.push_str("\n\nAffected versions:\n");
        for r in ranges {
            why.push_str(&format!("\n- {r}"));
        }
    }
    RuleMeta {
        id: adv.id.clone(),
        scanner: ScannerKind::Deps,
        title,
        severity: sev,
        confidence: Confidence::High,
        description,
        why,
        remediation: match adv.informational() {
            Some(_) => format!(
                "Read the advisory and move off {} (a maintained fork or alternative, or a fixed version if \
                 one is listed), or accept the risk with an `[[ignore]]` entry giving the advisory id, a \
                 reason and an expiry date.",
                if packages.is_empty() { "the package".to_string() } else { packages.join(", ") }
            ),
            None => format!(
                "Upgrade {} to a version the advisory lists as fixed, and regenerate the lock file. If no \
                 fixed version exists, replace or remove the dependency, or accept the risk with an \
                 `[[ignore]]` entry giving the advisory id, a reason and an expiry date.",
                if packages.is_empty() { "the package".to_string() } else { packages.join(", ") }
            ),
        },
        references,
        cwe,
        owasp: vec!["A06:2021".to_string()],
        aliases: adv.aliases.clone(),
    }
}

impl Scanner for DepsScanner {
    fn kind(&self) -> ScannerKind {
        ScannerKind::Deps
    }

    fn wants(&self, _kind: &crate::discover::FileKind) -> bool {
        true
    }

    fn scan(&self, input: &ScanInput<'_>, out: &mut Vec<Finding>) -> Result<(), ScanError> {
        let Some(format) = format_of(input.path) else {
            return Ok(());
        };
        let parsed = match parse_file(input.path, format, input.source.bytes()) {
            Ok(p) => p,
            Err(d) => {
                self.with_state(|s| s.diagnostics.push(d));
                return Ok(());
            }
        };
        self.audit_file(input.path, input.source, &parsed, out);
        // Files this one brings in (`-r` includes, go.sum of an old go.mod) are audited here.
        let mut diags = Vec::new();
        walk_related(
            &root_of(input.file, input.path),
            input.path,
            format,
            &parsed,
            &mut |rel, source, p| self.audit_file(rel, source, p, out),
            &mut |d| diags.push(d),
        );
        self.with_state(|s| s.diagnostics.extend(diags));
        Ok(())
    }

    fn finish(&self) -> Finish {
        let mut state = std::mem::take(&mut *self.state.lock().unwrap_or_else(|e| e.into_inner()));
        let level = if self.opts.allow_missing_db {
            Level::Warning
        } else {
            Level::Error
        };
        let how = "run `portcullis db update` or pass --advisories DIR (--allow-missing-db accepts an incomplete audit)";
        match self.db.get() {
            _ if self.opts.online.is_some() => {}
            Some(Err(e)) => {
                let ecos: Vec<&str> = state.ecosystems.keys().map(|e| e.osv_name()).collect();
                state.diagnostics.push(Diagnostic::general(
                    level,
                    "advisory-db-missing",
                    format!(
                        "{e}; the dependencies of {} were not audited; {how}",
                        ecos.join(", ")
                    ),
                ));
            }
            Some(Ok(db)) => {
                for (eco, files) in &state.ecosystems {
                    if db.covers(*eco) {
                        continue;
                    }
                    let first = files.iter().next().cloned().unwrap_or_default();
                    let more = match files.len() {
                        0 | 1 => String::new(),
                        n => format!(" and {} more", n - 1),
                    };
                    state.diagnostics.push(Diagnostic::general(
                        level,
                        "advisory-db-missing",
                        format!("no advisory data for {eco} ({first}{more}): those packages were not audited; {how}"),
                    ));
                }
                for (error, files) in &state.unreadable {
                    let n: usize = files.values().sum();
                    let names: Vec<&str> = files.keys().map(String::as_str).collect();
                    state.diagnostics.push(Diagnostic::general(
                        Level::Error,
                        "advisory-db-unreadable",
                        format!(
                            "{error}: {n} package{} in {} not audited",
                            if n == 1 { "" } else { "s" },
                            names.join(", ")
                        ),
                    ));
                }
                let used: BTreeSet<Ecosystem> = state.ecosystems.keys().copied().collect();
                for s in db
                    .sources
                    .iter()
                    .filter(|s| !s.ecosystems.is_disjoint(&used))
                {
                    let Some(d) = db.date(s) else { continue };
                    let age = self.opts.today.to_days() - d.date.to_days();
                    if age > i64::from(self.opts.max_db_age_days) {
                        state.diagnostics.push(Diagnostic::general(
                            Level::Warning,
                            "advisory-db-stale",
                            format!(
                                "advisory data {} is {age} days old ({} {}), older than --max-db-age {}; run `portcullis db update`",
                                s.path.display(), d.basis, d.date, self.opts.max_db_age_days
                            ),
                        ));
                    }
                }
                for (source, note) in db.load_notes() {
                    state.diagnostics.push(Diagnostic::general(
                        Level::Note,
                        "advisory-index-not-cached",
                        format!("{source}: {note}"),
                    ));
                }
                let notes = db.skipped_records();
                for (source, note) in notes.iter().take(20) {
                    state.diagnostics.push(Diagnostic::general(
                        Level::Warning,
                        "advisory-record-invalid",
                        format!("{source}: {note}"),
                    ));
                }
                if notes.len() > 20 {
                    state.diagnostics.push(Diagnostic::general(
                        Level::Warning,
                        "advisory-record-invalid",
                        format!(
                            "{} more advisory records could not be read",
                            notes.len() - 20
                        ),
                    ));
                }
            }
            None => {}
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let coverage = if state.files == 0 {
            "no lock files found".to_string()
        } else {
            format!(
                "{}, {}",
                plural(state.files, "lock file", "lock files"),
                plural(state.packages, "package", "packages")
            )
        };
        Finish {
            rules: state.rules.into_values().collect(),
            diagnostics: state.diagnostics,
            coverage: Some(coverage),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn affected_ranges_read_like_version_requirements() {
        let adv: Advisory = serde_json::from_str(
            r#"{"id":"X","affected":[
                {"package":{"ecosystem":"crates.io","name":"smallvec"},"ranges":[{"type":"SEMVER","events":[
                    {"introduced":"0.6.3"},{"fixed":"0.6.14"},{"introduced":"1.0.0"},{"fixed":"1.6.1-0"}]}]},
                {"package":{"ecosystem":"npm","name":"a"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"last_affected":"2.0.0"}]},
                    {"type":"GIT","events":[{"introduced":"0"},{"fixed":"abc"}]}],"versions":["1.0.0","1.0.1"]},
                {"package":{"ecosystem":"PyPI","name":"b"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"3.1"}]}]}]}"#,
        )
        .unwrap_or_default();
        assert_eq!(
            affected_ranges(&adv),
            vec![
                "`smallvec` (crates.io): >= 0.6.3, < 0.6.14; >= 1.0.0, < 1.6.1",
                "`a` (npm): <= 2.0.0; exactly 1.0.0, 1.0.1",
                "`b` (PyPI): >= 3.1",
            ]
        );
    }

    #[test]
    fn advisory_versions_are_shown_without_rustsec_floors() {
        assert_eq!(display_version("0.3.1-0"), "0.3.1");
        assert_eq!(display_version("1.2.3"), "1.2.3");
    }
}
