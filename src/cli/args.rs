//! Command-line definitions (clap). Validation of values happens here; building `Settings` in `mod.rs`.

use clap::{Args, Parser, Subcommand, ValueEnum};
use portcullis::config::FailOn;
use portcullis::finding::{ScannerKind, Severity};
use std::path::PathBuf;

/// `--version` output: the tool version and the built-in rule set version.
const LONG_VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (rules ",
    env!("PORTCULLIS_RULESET_VERSION"),
    ")"
);

/// The exit-code table shown in `--help` (and the README).
pub const EXIT_CODES: &str = "\
Exit codes:
  0  gate passed: no active finding at or above --fail-on
  1  gate failed: at least one active finding at or above --fail-on
  2  usage, configuration or internal error, or a check that could not run (unreadable file, invalid rule)";

#[derive(Debug, Parser)]
#[command(name = "portcullis", version = LONG_VERSION, about = "A security gate for CI/CD pipelines: finds hard-coded secrets and vulnerable dependencies, and fails the build on them.", after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan files and directories and decide the gate.
    #[command(after_help = EXIT_CODES)]
    Scan(Box<ScanArgs>),
    /// Work with the built-in rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Download advisory data, or show what the cache holds.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Write a CycloneDX 1.5 JSON bill of materials of every package the lock files declare.
    Sbom(SbomArgs),
    /// Merge JSON reports (one per repository) into one: the findings with their repository, and a Markdown
    /// table by repository, scanner and severity, worst first. A report's name is its file name without
    /// `.json`.
    Merge {
        /// The JSON reports.
        #[arg(required = true)]
        reports: Vec<PathBuf>,
        /// Write the merged JSON report here [default: stdout].
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Write the Markdown table here [default: stdout after the report is written to --output, else not].
        #[arg(long, value_name = "FILE")]
        markdown: Option<PathBuf>,
    },
    /// Write a starter portcullis.toml: every key with its default, commented.
    Init {
        /// Directory to write it into.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Replace existing files.
        #[arg(long)]
        force: bool,
        /// Also write `.github/workflows/portcullis.yml`, a workflow that runs the portcullis action on pull
        /// requests and pushes to main.
        #[arg(long)]
        github: bool,
    },
    /// Render Helm charts (`helm template`) or kustomizations (`kustomize build`, `kubectl kustomize`) under
    /// PATH into DIR, so that a scan of DIR checks the manifests they produce.
    Render {
        /// What to render.
        #[arg(value_enum)]
        what: crate::cli::render::Renderer,
        /// Where the charts or kustomizations are.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Where to write the rendered manifests.
        #[arg(long, value_name = "DIR")]
        output: PathBuf,
    },
    /// Show the full documentation of one rule.
    Explain {
        /// The rule id (see `portcullis rules list`), or an advisory id (GHSA-…, RUSTSEC-…, PYSEC-…).
        rule_id: String,
        /// Where to look advisory ids up [default: the `[deps]` advisories of portcullis.toml here, else the
        /// cache].
        #[arg(long, value_name = "DIR")]
        advisories: Vec<PathBuf>,
        /// Cache directory [default: $PORTCULLIS_CACHE_DIR, $XDG_CACHE_HOME/portcullis or ~/.cache/portcullis].
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the built-in rules.
    List {
        /// Only rules of this scanner.
        #[arg(long, value_parser = parse_scanner)]
        scanner: Option<ScannerKind>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Run Semgrep-format rules on their annotated test targets (`ruleid:` / `ok:` comments), as
    /// `semgrep --test` does: a rule file `x.yaml` and its targets `x.<ext>` (or `x.test.yaml`) beside it.
    Test {
        /// Rule files or directories [default: .].
        paths: Vec<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
    },
    /// Check Semgrep-format rule files: schema, regexes, patterns that do not parse, unsupported constructs.
    Validate {
        /// Rule files or directories.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Print the syntax tree of a file as the SAST matcher sees it (for writing patterns).
    Tree {
        /// The language (python, go, java…).
        #[arg(long)]
        lang: String,
        /// Read the file as a pattern and print what it compiles to.
        #[arg(long)]
        pattern: bool,
        /// The file.
        file: PathBuf,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// For people: grouped by file, with a summary and the verdict.
    Text,
    /// The versioned JSON report.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML, for CI systems that only show test reports.
    Junit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set.
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SuppressedChoice {
    /// Keep suppressed results, with `suppressions`.
    Include,
    /// Leave them out (GitHub code scanning ignores `suppressions` and would open alerts for them).
    Omit,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or directories to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Scanners to run, comma-separated (available: secrets, deps, sast, iac) [default: all, or as `[scanners]` in the config].
    #[arg(long, value_name = "LIST", value_delimiter = ',', value_parser = parse_scanner)]
    pub scanners: Option<Vec<ScannerKind>>,
    /// Worker threads [default: all cores].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
    /// Wall-clock safety net in seconds: files not started by then are not scanned and the run exits 2
    /// (work per file is bounded in matcher steps, so results never depend on time otherwise).
    #[arg(long, value_name = "SECONDS", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// Lowest severity that fails the gate: critical, high, medium, low, info or never [default: high]; as
    /// SCANNER=SEVERITY (`deps=critical`) for one scanner. Repeatable, comma-separated.
    #[arg(long, value_name = "SEVERITY", value_delimiter = ',', value_parser = parse_fail_on)]
    pub fail_on: Vec<(Option<ScannerKind>, FailOn)>,
    /// Show only findings at or above this severity in every output (the gate still counts all; see
    /// --fail-on).
    #[arg(long, value_name = "SEVERITY", value_parser = parse_severity)]
    pub severity: Option<Severity>,
    /// Run only the rules these selectors match: scanner names, rule ids or globs (`aws-*`), advisory ids,
    /// `tag:…`, `CWE-…`, `confidence:…` (comma-separated; replaces `[rules] select`).
    #[arg(long, value_name = "SELECTORS", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Do not run the rules these selectors match (comma-separated; added to `[rules] ignore`). A more
    /// specific selector in --select wins.
    #[arg(long, value_name = "SELECTORS", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Format written to stdout.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub format: OutputFormat,
    /// Also write SARIF to this file (repeatable).
    #[arg(long, value_name = "FILE")]
    pub sarif: Vec<PathBuf>,
    /// Also write the JSON report to this file (repeatable).
    #[arg(long, value_name = "FILE")]
    pub json: Vec<PathBuf>,
    /// Also write a self-contained HTML report to this file (repeatable): the verdict, a chart, findings with
    /// their code and fix hints, filters.
    #[arg(long, value_name = "FILE")]
    pub html: Vec<PathBuf>,
    /// SARIF `automationDetails.id` (the GitHub code scanning category).
    #[arg(long, value_name = "ID")]
    pub category: Option<String>,
    /// Pull-request mode: report only what is new since the merge base of REF and HEAD (the base's tree is
    /// scanned with the same settings; findings it already had, by fingerprint, are left out).
    #[arg(long, value_name = "REF", conflicts_with = "staged")]
    pub diff_base: Option<String>,
    /// Secrets in history: scan the lines each commit of the range (`BASE..HEAD`) added, so that a secret
    /// committed and removed later is still found; findings name the commit. Secrets scanner only.
    #[arg(long, value_name = "RANGE", conflicts_with_all = ["staged", "diff_base", "git_log_all"])]
    pub git_range: Option<String>,
    /// Like --git-range over the history of every ref.
    #[arg(long, conflicts_with_all = ["staged", "diff_base"])]
    pub git_log_all: bool,
    /// Scan what the commit will hold: the index's version of the staged files (under PATHs when given), not
    /// the working tree (for pre-commit hooks; needs git).
    #[arg(long)]
    pub staged: bool,
    /// GitHub Actions mode: annotations before the text output, step outputs (`sarif-file`, `findings`,
    /// `gate`) appended to $GITHUB_OUTPUT, a Markdown job summary to $GITHUB_STEP_SUMMARY, and the repository
    /// and commit in SARIF [default: true when GITHUB_ACTIONS=true].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true")]
    pub github: Option<bool>,
    /// Keep or leave out suppressed findings in SARIF [default: omit when GITHUB_ACTIONS=true, else include].
    #[arg(long, value_enum, value_name = "MODE")]
    pub sarif_suppressed: Option<SuppressedChoice>,
    /// Configuration file [default: portcullis.toml at the scan root, if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Skip files larger than this (e.g. 10MB) [default: 10MB].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,
    /// Findings whose fingerprint is in this earlier JSON or SARIF output do not fail the gate.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write this run's findings as a baseline (JSON report).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// When to use colours in text output (NO_COLOR is honoured in auto).
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Advisory data for the dependency audit: a directory of OSV zips/JSON and/or a RustSec advisory-db
    /// tree (repeatable) [default: the cache that `portcullis db update` fills].
    #[arg(long, value_name = "DIR", help_heading = "Dependency audit")]
    pub advisories: Vec<PathBuf>,
    /// Cache directory for downloaded advisories and compiled indexes
    /// [default: $PORTCULLIS_CACHE_DIR, $XDG_CACHE_HOME/portcullis or ~/.cache/portcullis].
    #[arg(long, value_name = "DIR", help_heading = "Dependency audit")]
    pub cache_dir: Option<PathBuf>,
    /// Missing advisory data for an ecosystem is a warning, not an error (the audit is then incomplete).
    #[arg(long, help_heading = "Dependency audit")]
    pub allow_missing_db: bool,
    /// Advisory records that cannot be read are a warning, not an error (the audit is then incomplete).
    #[arg(long, help_heading = "Dependency audit")]
    pub allow_partial_db: bool,
    /// Advisory data older than this many days is a warning [default: 7].
    #[arg(long, value_name = "DAYS", help_heading = "Dependency audit")]
    pub max_db_age: Option<u32>,
    /// Report RustSec informational advisories (unmaintained, unsound, notice) [default: true].
    #[arg(long, value_name = "BOOL", num_args = 0..=1, default_missing_value = "true", help_heading = "Dependency audit")]
    pub deps_informational: Option<bool>,
    /// Ask the OSV API (`/v1/querybatch`) about each lock file's packages instead of reading local advisory
    /// data.
    #[arg(long, help_heading = "Dependency audit", conflicts_with = "advisories")]
    pub online: bool,
    /// Advisories without a fixed version never fail the gate (they are still reported).
    #[arg(long, help_heading = "Dependency audit")]
    pub ignore_unfixed: bool,
    /// The OSV API root for --online.
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://api.osv.dev",
        help_heading = "Dependency audit"
    )]
    pub osv_api: String,
    /// Rule file or directory to run besides the built-in rules (repeatable): Semgrep-format rule files
    /// for SAST, IaC check files (one check each, the format of rules/iac/README.md).
    #[arg(long, value_name = "PATH", help_heading = "SAST")]
    pub rules: Vec<PathBuf>,
    /// Run only the rules given with --rules (SAST rules and IaC checks; the other scanners are unchanged).
    #[arg(long, help_heading = "SAST")]
    pub no_builtin_rules: bool,
    /// Rules using a construct the engine does not run yet are warnings, not errors (exit 2).
    #[arg(long, help_heading = "SAST")]
    pub skip_unsupported_rules: bool,
    /// Invalid rules and checks in --rules files are warnings, not errors (exit 2).
    #[arg(long, help_heading = "SAST")]
    pub skip_invalid_rules: bool,
    /// Print only findings, errors and the verdict (no warnings, no summary, no progress).
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print notes, and suppressed and baseline findings in text output.
    #[arg(long, short = 'v')]
    pub verbose: bool,
}

fn parse_scanner(s: &str) -> Result<ScannerKind, String> {
    portcullis::scanners::parse_name(s).map_err(|e| e.to_string())
}

fn parse_fail_on(s: &str) -> Result<(Option<ScannerKind>, FailOn), String> {
    let (scanner, sev) = match s.split_once('=') {
        Some((k, v)) => (Some(parse_scanner(k)?), v),
        None => (None, s),
    };
    let f = FailOn::parse(sev).ok_or_else(|| {
        format!(
            "expected one of: {}, or SCANNER=SEVERITY (`deps=critical`)",
            FailOn::NAMES
        )
    })?;
    Ok((scanner, f))
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s).ok_or_else(|| format!("expected one of: {}", Severity::NAMES))
}

fn parse_size(s: &str) -> Result<u64, String> {
    portcullis::config::parse_size(s).map_err(|e| e.to_string())
}

#[derive(Debug, Args)]
pub struct SbomArgs {
    /// Files or directories to read lock files from.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Write the SBOM to this file instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Configuration file (its include/exclude apply) [default: portcullis.toml at the root, if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Download the OSV data of the ecosystems the lock files use (and RustSec for Rust) into the cache.
    Update(DbUpdateArgs),
    /// Show each source in the cache: records, download date, age.
    Status {
        /// Cache directory [default: $PORTCULLIS_CACHE_DIR, $XDG_CACHE_HOME/portcullis or ~/.cache/portcullis].
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct DbUpdateArgs {
    /// Directories whose lock files decide which ecosystems to download.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Download these ecosystems (OSV names, comma-separated, or `all`) instead of those in use.
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub ecosystems: Option<Vec<String>>,
    /// Cache directory [default: $PORTCULLIS_CACHE_DIR, $XDG_CACHE_HOME/portcullis or ~/.cache/portcullis].
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Do not download the RustSec advisory database.
    #[arg(long)]
    pub no_rustsec: bool,
    /// Root of the OSV bucket (each ecosystem is `<URL>/<ecosystem>/all.zip`).
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://osv-vulnerabilities.storage.googleapis.com"
    )]
    pub osv_url: String,
    /// The RustSec advisory-db archive.
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://github.com/rustsec/advisory-db/archive/refs/heads/main.zip"
    )]
    pub rustsec_url: String,
}
