//! The `deps` scanner: each lock file or manifest is parsed (once, as a parse of the shared [`SourceFile`]),
//! its registry packages are matched against the advisory database, and each affected package version becomes
//! a finding at the line that declares it. What each file used is kept as facts; whether the database covers
//! those ecosystems is decided once at the end of the run ([`Scanner::finish`]): an ecosystem without data
//! fails the run closed unless `--allow-missing-db`. With `--online`, the OSV API is asked once, at the end,
//! about every package of the run, from the main thread.

use crate::advisory::audit::{audit, Vulnerability};
use crate::advisory::database::Database;
use crate::advisory::db::AdvisoryDb;
use crate::advisory::osv::{Advisory, Event, Verdict};
use crate::advisory::severity;
use crate::config::Date;
use crate::diagnostic::{Diagnostic, Level};
use crate::finding::{
    Confidence, DependencyDetails, Details, Finding, FindingBuilder, ScannerKind, Score, Severity,
    SourceText,
};
use crate::lockfile::inventory::{parse_file, walk_related, Related};
use crate::lockfile::package::{Ecosystem, Package, ParsedLockfile, Source};
use crate::lockfile::parsers::Format;
use crate::rules::RuleMeta;
use crate::scanners::{
    DynScanner, FileContext, Finish, Registration, RuleError, ScanError, Scanner, ScannerOptions,
};
use crate::source::{Classification, Parse, ReadError, SourceFile};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// The scanner's name.
pub const KIND: ScannerKind = ScannerKind::new("deps");

/// The dependency audit's declaration: advisory ids (`GHSA-…`, `RUSTSEC-…`) are its rules, made at run time.
pub const REGISTRATION: Registration = Registration {
    kind: KIND,
    rules: rule_metas,
    suppressions: &[],
    owns_runtime_id: Some(crate::rules::is_advisory_id),
    config: Some(super::config::parse_table),
    build,
};

fn rule_metas() -> Result<Vec<RuleMeta>, RuleError> {
    Ok(static_rules())
}

fn build(options: &ScannerOptions) -> Result<Box<dyn DynScanner>, RuleError> {
    Ok(Box::new(DepsScanner::new(
        options.deps.clone(),
        options.disabled_rules.clone(),
    )))
}

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
    /// Advisory records that cannot be read are a warning, not an error.
    pub allow_partial_db: bool,
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
            allow_partial_db: false,
            max_db_age_days: 7,
            informational: true,
            today: Date::today(),
            online: None,
        }
    }
}

/// Why a run has no advisory sources.
#[derive(Debug, thiserror::Error)]
pub enum NoSources {
    /// No `--advisories`, and the cache holds no data.
    #[error("no advisory data: none given with --advisories, and the cache ({}) holds none yet; run `portcullis db update` to download it, or pass --advisories DIR", .0.display())]
    EmptyCache(PathBuf),
    /// No `--advisories`, and no cache directory is known.
    #[error("no advisory data: none given with --advisories, and no cache directory is known (set PORTCULLIS_CACHE_DIR or pass --cache-dir, then run `portcullis db update`)")]
    NoCache,
}

/// Why the advisory database of a run cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum DbUnavailable {
    /// There are no sources.
    #[error(transparent)]
    NoSources(#[from] NoSources),
    /// A source does not open.
    #[error(transparent)]
    Db(#[from] crate::advisory::db::DbError),
}

/// The advisory sources a run reads: those given (`--advisories`, the config), else the cache's
/// `advisories/` folder that `portcullis db update` fills; an error says why there are none and how to get
/// some.
pub fn advisory_sources(
    given: &[PathBuf],
    cache_dir: Option<&Path>,
) -> Result<Vec<PathBuf>, NoSources> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    match cache_dir {
        Some(cache) => {
            let data = crate::advisory::update::ecosystem_data(cache);
            if data.is_dir() {
                Ok(vec![data])
            } else {
                Err(NoSources::EmptyCache(cache.to_path_buf()))
            }
        }
        None => Err(NoSources::NoCache),
    }
}

/// The static rules of the scanner (advisory rules are made from the advisories found).
pub fn static_rules() -> Vec<RuleMeta> {
    vec![RuleMeta {
        id: UNPINNED_RULE.to_string(),
        scanner: KIND,
        title: "Requirement without an exact version".to_string(),
        severity: Severity::Info,
        confidence: Confidence::High,
        description: "A manifest or requirements file names a package without pinning one version (a range, \
            a wildcard, a version managed elsewhere, or none at all), so the version that gets installed is \
            decided at install time and cannot be audited."
            .to_string(),
        why: "The dependency audit can only check versions it knows. An unpinned requirement may install a \
            vulnerable release today and a different one tomorrow, and builds are not reproducible."
            .to_string(),
        remediation: "Pin the dependency to one exact version, or generate the ecosystem's lock file and \
            audit that; each finding's message says how for its file format."
            .to_string(),
        references: vec![
            "https://pip.pypa.io/en/stable/topics/repeatable-installs/".to_string(),
            "https://maven.apache.org/guides/introduction/introduction-to-dependency-mechanism.html".to_string(),
            "https://learn.microsoft.com/en-us/nuget/consume-packages/central-package-management".to_string(),
        ],
        cwe: vec!["CWE-1357".to_string()],
        owasp: vec!["A06:2021".to_string()],
        aliases: Vec::new(),
        generic: false,
        equivalents: Default::default(),
    }]
}

/// How to pin a dependency in each format that can leave one unpinned.
fn pin_hint(format: Option<Format>) -> &'static str {
    match format {
        Some(Format::PomXml) => {
            "give the dependency an exact `<version>` (or manage it in `<dependencyManagement>` or an imported BOM)"
        }
        Some(Format::DirectoryPackagesProps) => "give its `PackageVersion` an exact `Version`",
        Some(Format::CabalFreeze) => "regenerate the file with `cabal freeze` so that it pins `==` versions",
        Some(Format::GoMod) => "require one exact module version",
        Some(Format::Requirements) | None => {
            "pin it with `==` or generate a lock file (`pip-compile`, `uv pip compile`)"
        }
        Some(_) => "pin it to one exact version or regenerate the lock file",
    }
}

/// The lock-file parse of a file, shared through the [`SourceFile`]: `None` when the file is not a lock file.
pub struct LockfileParse;

impl Parse for LockfileParse {
    type Output = Option<Result<ParsedLockfile, Diagnostic>>;

    fn parse(file: &SourceFile) -> Self::Output {
        let format = file.document()?.lockfile()?;
        Some(parse_file(file.path(), format, file.bytes()))
    }
}

/// What the audit of one lock file leaves for [`Scanner::finish`].
#[derive(Debug, Default)]
pub struct Facts {
    /// The lock file.
    path: String,
    /// Packages it declares.
    packages: usize,
    /// Registry ecosystems it uses.
    ecosystems: BTreeSet<Ecosystem>,
    /// Advisory rules its findings carry.
    rules: Vec<RuleMeta>,
    /// Lookups that failed: the error, once per package not audited.
    unreadable: Vec<String>,
    /// `--online`: the file and its packages, looked up once at the end of the run.
    pending: Option<(Arc<SourceFile>, ParsedLockfile)>,
}

/// The dependency audit scanner.
pub struct DepsScanner {
    opts: DepsOptions,
    disabled: BTreeSet<String>,
    unpinned: RuleMeta,
    db: OnceLock<Result<Database, DbUnavailable>>,
}

/// Related files of one lock file, audited into the same context.
struct RelatedAudit<'s, 'c, 'r> {
    scanner: &'s DepsScanner,
    cx: &'c mut FileContext<'r, Facts>,
}

impl Related for RelatedAudit<'_, '_, '_> {
    fn read(&mut self, rel: &str) -> Result<Arc<SourceFile>, ReadError> {
        self.cx.read_related(rel)
    }

    fn visit(&mut self, file: &Arc<SourceFile>, parsed: &ParsedLockfile) {
        self.scanner.audit_file(file, parsed, self.cx);
    }

    fn diagnose(&mut self, d: Diagnostic) {
        self.cx.diagnose(d);
    }
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
        }
    }

    fn database(&self) -> &Result<Database, DbUnavailable> {
        self.db.get_or_init(|| {
            let sources = advisory_sources(&self.opts.advisories, self.opts.cache_dir.as_deref())?;
            Ok(Database::open(&sources, self.opts.cache_dir.as_deref())?)
        })
    }

    /// Audits the packages of one parsed file into findings and facts.
    fn audit_file(
        &self,
        file: &Arc<SourceFile>,
        parsed: &ParsedLockfile,
        cx: &mut FileContext<'_, Facts>,
    ) {
        let path = file.path();
        let text = file.text();
        let format = file
            .document()
            .and_then(|d| d.lockfile())
            .or_else(|| crate::lockfile::inventory::format_of(cx.path()));
        if !self.disabled.contains(UNPINNED_RULE) {
            for u in &parsed.unpinned {
                let span = line_span(&text, u.line);
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
                        "{} has no version constraint, so its installed version cannot be audited; {}",
                        u.name,
                        pin_hint(format)
                    )
                } else {
                    format!(
                        "{} is not pinned to one version (`{spec}`), so its installed version cannot be audited; {}",
                        u.name,
                        pin_hint(format)
                    )
                };
                cx.report(
                    FindingBuilder::new(&self.unpinned, path, &text, span)
                        .message(message)
                        .build(),
                );
            }
        }
        let registry: Vec<&Package> = parsed
            .packages
            .iter()
            .filter(|p| p.source == Source::Registry)
            .collect();
        let mut facts = Facts {
            path: path.to_string(),
            packages: parsed.packages.len(),
            ecosystems: registry.iter().map(|p| p.ecosystem).collect(),
            ..Facts::default()
        };
        if registry.is_empty() {
            cx.fact(facts);
            return;
        }
        if self.opts.online.is_some() {
            facts.pending = Some((Arc::clone(file), parsed.clone()));
            cx.fact(facts);
            return;
        }
        let Ok(db) = self.database() else {
            cx.fact(facts); // Reported once per ecosystem in `finish`.
            return;
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
        let mut local = AdvisoryDb::default();
        for answer in answers {
            match answer {
                Ok(advisories) => {
                    for a in advisories {
                        local.add_shared(a);
                    }
                }
                Err(e) => facts.unreadable.push(e.to_string()),
            }
        }
        let (findings, rules, notes) = self.report(file, parsed, &local);
        facts.rules = rules;
        for f in findings {
            cx.report(f);
        }
        for n in notes {
            cx.diagnose(n);
        }
        cx.fact(facts);
    }

    /// Turns the matches of a file's packages against `db` into findings, the rules they carry, and notes.
    fn report(
        &self,
        file: &SourceFile,
        parsed: &ParsedLockfile,
        db: &AdvisoryDb,
    ) -> (Vec<Finding>, Vec<RuleMeta>, Vec<Diagnostic>) {
        let text = file.text();
        let mut findings = Vec::new();
        let mut rules: BTreeMap<String, RuleMeta> = BTreeMap::new();
        let mut notes = Vec::new();
        for v in audit(&parsed.packages, db) {
            if (!self.opts.informational && v.advisory.informational().is_some())
                || self.disabled.contains(&v.advisory.id)
            {
                continue;
            }
            let (finding, meta, note) = self.finding(file.path(), &text, &v);
            findings.push(finding);
            rules.entry(meta.id.clone()).or_insert(meta);
            notes.extend(note);
        }
        (findings, rules.into_values().collect(), notes)
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
        let mut aliases: Vec<String> = adv.aliases.clone();
        aliases.extend(v.also.iter().cloned());
        aliases.sort();
        aliases.dedup();
        let (cvss_vector, cvss_score) = best_cvss(adv);
        let details = Details::Dependency(Box::new(DependencyDetails {
            ecosystem: p.ecosystem.osv_name().to_string(),
            package: p.name.clone(),
            installed_version: p.version.clone(),
            fixed_versions: v
                .fixed
                .iter()
                .map(|f| display_version(f).to_string())
                .collect(),
            upgrade_to: v
                .smallest_fix
                .as_deref()
                .map(|f| display_version(f).to_string()),
            advisory: adv.id.clone(),
            aliases: aliases.clone(),
            cvss_vector,
            cvss_score: cvss_score.map(Score),
            lockfile: path.to_string(),
            line: p.line,
            direct: p.direct,
            dev: p.dev,
        }));
        let mut b = FindingBuilder::new(&meta, path, source, line_span(source, p.line))
            .severity(sev)
            .message(message)
            .details(details)
            .aliases(&aliases);
        if let Some(f) = &v.smallest_fix {
            b = b.fix(format!("upgrade {} to {}", p.name, display_version(f)));
        }
        let mut finding = b.build();
        finding.confidence = confidence;
        (finding, meta, note)
    }

    /// `--online`: one lookup for every package of the run, then the findings of each file.
    fn finish_online(&self, facts: &mut [Facts], out: &mut Finish) {
        let Some(online) = &self.opts.online else {
            return;
        };
        let pending: Vec<&(Arc<SourceFile>, ParsedLockfile)> =
            facts.iter().filter_map(|f| f.pending.as_ref()).collect();
        if pending.is_empty() {
            return;
        }
        let all: Vec<Package> = pending
            .iter()
            .flat_map(|(_, p)| p.packages.iter().cloned())
            .collect();
        let advisories = match crate::advisory::online::fetch(&all, online) {
            Ok(a) => a,
            Err(e) => {
                for (file, _) in &pending {
                    out.diagnostics.push(Diagnostic::file(
                        Level::Error,
                        "advisory-api-failed",
                        file.path(),
                        format!("{e}; the dependencies of this file were not audited"),
                    ));
                }
                return;
            }
        };
        let mut db = AdvisoryDb::default();
        for a in advisories {
            db.add_advisory(a);
        }
        let mut rules = BTreeMap::new();
        for (file, parsed) in pending {
            let (findings, r, notes) = self.report(file, parsed, &db);
            out.findings.extend(findings);
            out.diagnostics.extend(notes);
            for m in r {
                rules.entry(m.id.clone()).or_insert(m);
            }
        }
        out.rules.extend(rules.into_values());
    }
}

/// The CVSS vector with the highest base score, and that score.
fn best_cvss(adv: &Advisory) -> (Option<String>, Option<f64>) {
    let mut best: Option<(String, f64)> = None;
    for s in &adv.severity {
        if let Some(score) = severity::base_score(&s.score) {
            if best.as_ref().is_none_or(|(_, b)| score > *b) {
                best = Some((s.score.clone(), score));
            }
        }
    }
    match best {
        Some((v, s)) => (Some(v), Some(s)),
        None => (None, None),
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
    // PyPI advisories often open with the package's own blurb ("cryptography is a package designed to…"):
    // skip sentences that describe a package rather than the vulnerability.
    let names: Vec<String> = adv
        .affected
        .iter()
        .filter_map(|a| a.package.as_ref())
        .map(|p| p.name.to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    let mut rest = details.as_str();
    let first = loop {
        let (sentence, after) = match rest.find(". ") {
            Some(i) => (&rest[..i], &rest[i + 2..]),
            None => (rest.trim_end_matches('.'), ""),
        };
        let lower = sentence.to_ascii_lowercase();
        let blurb = names.iter().any(|n| {
            lower.starts_with(&format!("{n} is a")) || lower.starts_with(&format!("{n} is an"))
        });
        if blurb && !after.is_empty() {
            rest = after;
            continue;
        }
        break sentence;
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
/// How an advisory's package is named in text: `` `name` (Ecosystem) ``, from its purl when the record gives
/// no name, else the purl itself; `None` when it names neither.
fn package_label(p: &crate::advisory::osv::AffectedPackage) -> Option<String> {
    match (p.name.trim(), p.purl.as_deref()) {
        ("", Some(purl)) => Some(match crate::advisory::db::affected_key(p) {
            Some((eco, name)) => format!("`{name}` ({})", eco.osv_name()),
            None => format!("`{purl}`"),
        }),
        ("", None) => None,
        (name, _) => Some(format!("`{name}` ({})", p.ecosystem)),
    }
}

fn affected_ranges(adv: &Advisory) -> Vec<String> {
    let mut out = Vec::new();
    for a in &adv.affected {
        let Some(p) = &a.package else { continue };
        let mut spans: Vec<String> = Vec::new();
        for r in a.ranges.iter().filter(|r| r.kind.orders_versions()) {
            let mut cur: Option<String> = None;
            for e in &r.events {
                let (op, v) = match e {
                    Event::Introduced(v) => {
                        if let Some(open) = cur.take() {
                            spans.push(open);
                        }
                        cur = Some(if v == "0" || v == "0.0.0-0" {
                            "all versions".to_string()
                        } else {
                            format!(">= {}", display_version(v))
                        });
                        continue;
                    }
                    Event::Fixed(v) => ("<", display_version(v)),
                    Event::LastAffected(v) => ("<=", v.as_str()),
                    Event::Limit(v) => ("<", v.as_str()),
                };
                let start = cur.take().unwrap_or_else(|| "all versions".to_string());
                spans.push(match start.as_str() {
                    "all versions" => format!("{op} {v}"),
                    s => format!("{s}, {op} {v}"),
                });
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
        if let (false, Some(name)) = (spans.is_empty(), package_label(p)) {
            out.push(format!("{name}: {}", spans.join("; ")));
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
        .filter_map(package_label)
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
        scanner: KIND,
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
        generic: false,
        equivalents: Default::default(),
    }
}

impl Scanner for DepsScanner {
    type Facts = Facts;

    fn kind(&self) -> ScannerKind {
        KIND
    }

    fn wants(&self, _path: &str, class: &Classification) -> bool {
        class.document.is_some_and(|d| d.lockfile().is_some())
    }

    fn scan(
        &self,
        file: &Arc<SourceFile>,
        cx: &mut FileContext<'_, Facts>,
    ) -> Result<(), ScanError> {
        let parsed = file.parse::<LockfileParse>();
        let (Some(format), Some(parsed)) = (
            file.document().and_then(|d| d.lockfile()),
            parsed.as_ref().as_ref(),
        ) else {
            return Ok(());
        };
        let parsed = match parsed {
            Ok(p) => p,
            Err(d) => {
                cx.diagnose(d.clone());
                return Ok(());
            }
        };
        self.audit_file(file, parsed, cx);
        // Files this one brings in (`-r` includes, go.sum of an old go.mod) are read through the pipeline's
        // reader and audited here.
        let mut related = RelatedAudit { scanner: self, cx };
        walk_related(file.path(), format, parsed, &mut related);
        Ok(())
    }

    fn finish(&self, mut facts: Vec<Facts>) -> Finish {
        let mut out = Finish::default();
        self.finish_online(&mut facts, &mut out);
        let mut ecosystems: BTreeMap<Ecosystem, BTreeSet<String>> = BTreeMap::new();
        let mut unreadable: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut rules: BTreeMap<String, RuleMeta> = BTreeMap::new();
        let (mut files, mut packages) = (0, 0);
        for f in facts {
            files += 1;
            packages += f.packages;
            for e in &f.ecosystems {
                ecosystems.entry(*e).or_default().insert(f.path.clone());
            }
            for e in f.unreadable {
                *unreadable
                    .entry(e)
                    .or_default()
                    .entry(f.path.clone())
                    .or_default() += 1;
            }
            for r in f.rules {
                rules.entry(r.id.clone()).or_insert(r);
            }
        }
        out.rules.extend(rules.into_values());
        let level = if self.opts.allow_missing_db {
            Level::Warning
        } else {
            Level::Error
        };
        let how = "run `portcullis db update` or pass --advisories DIR (--allow-missing-db accepts an incomplete audit)";
        let diags = &mut out.diagnostics;
        match self.db.get() {
            _ if self.opts.online.is_some() => {}
            Some(Err(e)) => {
                let ecos: Vec<&str> = ecosystems.keys().map(|e| e.osv_name()).collect();
                diags.push(Diagnostic::general(
                    level,
                    "advisory-db-missing",
                    format!(
                        "{e}; the dependencies of {} were not audited{}",
                        ecos.join(", "),
                        if self.opts.allow_missing_db {
                            ""
                        } else {
                            " (--allow-missing-db accepts an incomplete audit)"
                        }
                    ),
                ));
            }
            Some(Ok(db)) => {
                for (eco, files) in &ecosystems {
                    if db.covers(*eco) {
                        continue;
                    }
                    let first = files.iter().next().cloned().unwrap_or_default();
                    let more = match files.len() {
                        0 | 1 => String::new(),
                        n => format!(" and {} more", n - 1),
                    };
                    diags.push(Diagnostic::general(
                        level,
                        "advisory-db-missing",
                        format!("no advisory data for {eco} ({first}{more}): those packages were not audited; {how}"),
                    ));
                }
                for (error, files) in &unreadable {
                    let n: usize = files.values().sum();
                    let names: Vec<&str> = files.keys().map(String::as_str).collect();
                    diags.push(Diagnostic::general(
                        Level::Error,
                        "advisory-db-unreadable",
                        format!(
                            "{error}: {n} package{} in {} not audited",
                            if n == 1 { "" } else { "s" },
                            names.join(", ")
                        ),
                    ));
                }
                let used: BTreeSet<Ecosystem> = ecosystems.keys().copied().collect();
                let cache_data = self
                    .opts
                    .cache_dir
                    .as_deref()
                    .map(crate::advisory::update::ecosystem_data);
                for s in db
                    .sources
                    .iter()
                    .filter(|s| !s.ecosystems.is_disjoint(&used))
                {
                    let Some(d) = db.date(s) else { continue };
                    let age = self.opts.today.to_days() - d.date.to_days();
                    if age > i64::from(self.opts.max_db_age_days) {
                        let in_cache = cache_data.as_ref().is_some_and(|c| s.path.starts_with(c));
                        let refresh = if in_cache {
                            "run `portcullis db update`".to_string()
                        } else {
                            format!(
                                "refresh the files in {} (given with --advisories or `[deps] advisories`; `portcullis db update` fills the cache, not that folder)",
                                s.path.display()
                            )
                        };
                        diags.push(Diagnostic::general(
                            Level::Warning,
                            "advisory-db-stale",
                            format!(
                                "advisory data {} is {age} days old ({} {}), older than --max-db-age {}; {refresh}",
                                s.path.display(), d.basis, d.date, self.opts.max_db_age_days
                            ),
                        ));
                    }
                }
                for (source, note) in db.load_notes() {
                    diags.push(Diagnostic::general(
                        Level::Note,
                        "advisory-index-not-cached",
                        format!("{source}: {note}"),
                    ));
                }
                let notes = db.skipped_records();
                // A record that cannot be read may be the one that matches: the audit is incomplete.
                let record_level = if self.opts.allow_partial_db {
                    Level::Warning
                } else {
                    Level::Error
                };
                let tail = if self.opts.allow_partial_db {
                    ""
                } else {
                    " (the audit is incomplete; --allow-partial-db accepts that)"
                };
                for (source, note) in notes.iter().take(20) {
                    diags.push(Diagnostic::general(
                        record_level,
                        "advisory-record-invalid",
                        format!("{source}: {note}{tail}"),
                    ));
                }
                if notes.len() > 20 {
                    diags.push(Diagnostic::general(
                        record_level,
                        "advisory-record-invalid",
                        format!(
                            "{} more advisory records could not be read{tail}",
                            notes.len() - 20
                        ),
                    ));
                }
            }
            None => {}
        }
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        out.coverage = Some(if files == 0 {
            "no lock files found".to_string()
        } else {
            format!(
                "{}, {}",
                plural(files, "lock file", "lock files"),
                plural(packages, "package", "packages")
            )
        });
        out
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
