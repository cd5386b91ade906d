//! The binary edge: clap → validated `Settings` → scan → outputs → exit code. Errors here are `anyhow`.

mod args;
mod git;
mod render;
mod sast;

use anyhow::{bail, Context, Result};
use args::{
    Cli, ColorChoice, Command, DbCommand, DbUpdateArgs, ListFormat, OutputFormat, RulesCommand,
    SbomArgs, ScanArgs, SuppressedChoice,
};
use clap::Parser;
use portcullis::advisory::online::OnlineOptions;
use portcullis::advisory::update::{self, UpdateOptions, ALL_ECOSYSTEMS};
use portcullis::config::{Config, Date, FailOn, CONFIG_FILE};
use portcullis::diagnostic::Level;
use portcullis::discover::root;
use portcullis::discover::WalkOptions;
use portcullis::error::ErrorKind;
use portcullis::finding::ScannerKind;
use portcullis::lockfile::Ecosystem;
use portcullis::policy::select::{Layer, Selection, Selector};
use portcullis::policy::{Baseline, Policy, TestPaths};
use portcullis::report::{self, sarif::SarifOptions, text::TextOptions};
use portcullis::rules::Registry;
use portcullis::scan::{self, Settings};
use portcullis::scanners::deps::{DepsConfig, DepsOptions};
use portcullis::scanners::iac::IacOptions;
use portcullis::scanners::sast::SastOptions;
use portcullis::scanners::{self, ScannerOptions};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Default size limit: larger files are skipped with a warning.
const DEFAULT_MAX_FILE_SIZE: u64 = 10 << 20;

/// Entry point: an error that stops the run exits with its kind's code (2 for every kind today; 0 and 1 are
/// the gate's).
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("portcullis: error: {}", redacted(&format!("{e:#}")));
            let kind = portcullis::error::kind_of(e.as_ref()).unwrap_or(ErrorKind::Internal);
            ExitCode::from(kind.exit_code())
        }
    }
}

fn run(cli: Cli) -> Result<u8> {
    // The rule-writing commands read rule files of their own and need no registry (so that they can check
    // a pack that does not load yet).
    if let Command::Rules { command } = &cli.command {
        match command {
            RulesCommand::Test { paths, format } => return sast::test(paths, *format),
            RulesCommand::Validate { paths } => return sast::validate(paths),
            RulesCommand::Tree {
                lang,
                pattern,
                file,
            } => return sast::tree(lang, *pattern, file),
            RulesCommand::List { .. } => {}
        }
    }
    let registry = load_registry()?;
    match cli.command {
        Command::Scan(a) => run_scan(*a, registry),
        Command::Rules {
            command: RulesCommand::List { scanner, format },
        } => list_rules(&registry, scanner, format),
        Command::Rules { .. } => unreachable_rules(),
        Command::Explain {
            rule_id,
            advisories,
            cache_dir,
        } => {
            if registry.get(&rule_id).is_none() && looks_like_advisory(&rule_id) {
                explain_advisory(&rule_id, advisories, cache_dir, &registry)
            } else {
                explain(&registry, &rule_id)
            }
        }
        Command::Sbom(a) => sbom(a, &registry),
        Command::Init { dir, force, github } => init(&dir, force, github, &registry),
        Command::Render { what, path, output } => render::render(what, &path, &output),
        Command::Merge {
            reports,
            output,
            markdown,
        } => merge(&reports, output.as_deref(), markdown.as_deref()),
        Command::Db {
            command: DbCommand::Update(a),
        } => db_update(a, &registry),
        Command::Db {
            command: DbCommand::Status { cache_dir },
        } => db_status(cache_dir),
    }
}

/// The rule commands other than `list` returned before the registry was loaded.
fn unreachable_rules() -> Result<u8> {
    bail!("internal error: rule command not dispatched")
}

/// Whether `explain` should look `id` up in the advisory data: an advisory-shaped id, or a well-known
/// advisory prefix in any case (`cve-2024-1234`).
fn looks_like_advisory(id: &str) -> bool {
    const PREFIXES: &[&str] = &["CVE", "GHSA", "RUSTSEC", "PYSEC", "GO", "OSV", "MAL", "GSD"];
    portcullis::rules::is_advisory_id(id)
        || id.split_once('-').is_some_and(|(p, rest)| {
            PREFIXES.iter().any(|k| p.eq_ignore_ascii_case(k))
                && portcullis::rules::is_advisory_id(&format!("{}-{rest}", p.to_ascii_uppercase()))
        })
}

fn load_registry() -> Result<Registry> {
    let metas = scanners::all_rule_metas().context("built-in rules do not load")?;
    Registry::new(metas).context("built-in rules do not load")
}

fn list_rules(registry: &Registry, scanner: Option<ScannerKind>, format: ListFormat) -> Result<u8> {
    let rules: Vec<_> = registry
        .iter()
        .filter(|r| scanner.is_none_or(|s| r.scanner == s))
        .collect();
    let mut out = String::new();
    match format {
        ListFormat::Text => {
            let w = rules.iter().map(|r| r.id.len()).max().unwrap_or(2);
            for r in &rules {
                out.push_str(&format!(
                    "{:<w$}  {:<8} {:<9} {}\n",
                    r.id,
                    r.scanner.as_str(),
                    r.severity.as_str(),
                    r.title
                ));
            }
            out.push_str(&format!(
                "{} rule{} (rule set {})\n",
                rules.len(),
                if rules.len() == 1 { "" } else { "s" },
                portcullis::rules::RULESET_VERSION
            ));
        }
        ListFormat::Json => {
            let v: Vec<_> = rules
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "scanner": r.scanner, "severity": r.severity, "confidence": r.confidence,
                        "title": r.title, "cwe": r.cwe, "owasp": r.owasp, "tags": r.tags(),
                        "equivalents": r.equivalents,
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&v)? + "\n";
        }
    }
    write_stdout(out.as_bytes())?;
    Ok(0)
}

/// `text` through the redaction step (every line the binary prints goes through it).
fn redacted(text: &str) -> String {
    match portcullis::redact::global() {
        Ok(r) => {
            let clean = String::from_utf8_lossy(&r.net(r.text(text).as_bytes())).into_owned();
            // One message, one line, no terminal control from file names or quoted input.
            report::escape_controls(&clean).into_owned()
        }
        // Without the rules nothing can be recognised: say so rather than risk printing a secret.
        Err(e) => format!("(message withheld: the redaction rules do not load: {e})"),
    }
}

/// `bytes` of an output through the last redaction pass.
fn net(bytes: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>> {
    let r = portcullis::redact::global().context("the redaction rules do not load")?;
    Ok(r.net(bytes))
}

/// Writes an output file atomically, after the last redaction pass.
fn write_output(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    portcullis::atomic::write_output(path, &net(bytes)?)
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Appends to a file the runner reads after the step (`$GITHUB_OUTPUT`, `$GITHUB_STEP_SUMMARY`), after the
/// last redaction pass.
fn append_output(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let bytes = net(bytes)?;
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut f| f.write_all(&bytes))
        .with_context(|| format!("cannot append to {}", path.display()))
}

/// Writes to stdout (after the last redaction pass); a closed pipe (`| head`) is not an error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let bytes = net(bytes)?;
    let mut out = std::io::stdout().lock();
    match out.write_all(&bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            bail!("cannot write to stdout: {e}")
        }
        _ => Ok(()),
    }
}

fn explain(registry: &Registry, id: &str) -> Result<u8> {
    let Some(rule) = registry.get(id) else {
        let s = registry.suggest(id);
        if s.is_empty() {
            bail!("unknown rule `{id}`; `portcullis rules list` shows every rule");
        }
        bail!(
            "unknown rule `{id}`; did you mean {}?",
            s.iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        );
    };
    write_stdout(rule.help_markdown().as_bytes())?;
    Ok(0)
}

/// `explain ADVISORY-ID`: the advisory as the rule its findings carry, from the advisory data a scan here
/// would read.
fn explain_advisory(
    id: &str,
    advisories: Vec<PathBuf>,
    cache: Option<PathBuf>,
    registry: &Registry,
) -> Result<u8> {
    let here = PathBuf::from(".");
    let config_path = locate(std::slice::from_ref(&here), None)?.config_path;
    let config = load_config(config_path.as_ref(), registry)?;
    let deps_cfg = deps_config(&config);
    let cache = cache
        .or_else(|| deps_cfg.cache_dir.clone())
        .or_else(update::default_cache_dir);
    let given = if advisories.is_empty() {
        deps_cfg.advisories.clone()
    } else {
        advisories
    };
    let sources = portcullis::scanners::deps::advisory_sources(&given, cache.as_deref())
        .map_err(|e| anyhow::anyhow!("`{id}` is not a built-in rule, and {e}"))?;
    let db = portcullis::advisory::database::Database::open(&sources, cache.as_deref())?;
    let found = db.find(id)?;
    match found.split_first() {
        Some((adv, others)) => {
            let rule = portcullis::scanners::deps::advisory_rule(adv);
            let mut out = String::new();
            if !adv.id.eq_ignore_ascii_case(id) {
                out.push_str(&format!("`{id}` is an alias of `{}`", adv.id));
                if !others.is_empty() {
                    let ids: Vec<&str> = others.iter().map(|a| a.id.as_str()).collect();
                    out.push_str(&format!(" (also of `{}`)", ids.join("`, `")));
                }
                out.push_str(".\n\n");
            }
            out.push_str(&rule.help_markdown());
            write_stdout(out.as_bytes())?;
            Ok(0)
        }
        None => bail!(
            "no advisory `{id}` in {}",
            sources
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The packages of every lock file under `paths`, walked as a scan would (config include/exclude apply).
fn inventory(
    paths: &[PathBuf],
    config: Option<PathBuf>,
    registry: &Registry,
) -> Result<portcullis::lockfile::inventory::Inventory> {
    let Located {
        root,
        paths,
        config_path,
    } = locate(paths, config.as_ref())?;
    let config = load_config(config_path.as_ref(), registry)?;
    let walk = WalkOptions {
        paths,
        config_base: config_base(&root, config_path.as_ref()),
        root,
        include: config.include.clone(),
        exclude: config.exclude.clone(),
        max_file_size: config.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE),
    };
    Ok(portcullis::lockfile::inventory::collect(&walk)?)
}

/// Reads the package inventory of the tree and writes CycloneDX JSON. Exit 2 when a lock file could not be
/// read (the SBOM is then incomplete, and says nothing about that file's packages).
fn sbom(a: SbomArgs, registry: &Registry) -> Result<u8> {
    let inv = inventory(&a.paths, a.config.clone(), registry)?;
    let mut errors = 0;
    for d in &inv.diagnostics {
        errors += usize::from(d.level == Level::Error);
        if d.level != Level::Note {
            eprintln!("portcullis: {}", redacted(&d.to_string()));
        }
    }
    let mut bom = portcullis::lockfile::sbom::cyclonedx(&inv.packages);
    portcullis::redact::global()
        .context("the redaction rules do not load")?
        .json(&mut bom);
    let text = serde_json::to_string_pretty(&bom)? + "\n";
    match &a.output {
        Some(p) => write_output(p, text.as_bytes())?,
        None => write_stdout(text.as_bytes())?,
    }
    Ok(if errors > 0 { 2 } else { 0 })
}

/// The cache directory: `--cache-dir`, else $PORTCULLIS_CACHE_DIR, $XDG_CACHE_HOME/portcullis or
/// ~/.cache/portcullis.
fn cache_dir(given: Option<PathBuf>) -> Result<PathBuf> {
    given.or_else(update::default_cache_dir).ok_or_else(|| {
        anyhow::anyhow!("no cache directory: pass --cache-dir or set PORTCULLIS_CACHE_DIR")
    })
}

/// `db update`: downloads the sources, one line per source; exit 2 when any failed (its last good copy is
/// kept).
fn db_update(a: DbUpdateArgs, registry: &Registry) -> Result<u8> {
    let cache = cache_dir(a.cache_dir.clone())?;
    let ecosystems: Vec<Ecosystem> = match &a.ecosystems {
        Some(list) if list.iter().any(|e| e == "all") => ALL_ECOSYSTEMS.to_vec(),
        Some(list) => list
            .iter()
            .map(|name| {
                ALL_ECOSYSTEMS
                    .into_iter()
                    .find(|e| e.osv_name().eq_ignore_ascii_case(name.trim()))
                    .ok_or_else(|| {
                        anyhow::anyhow!(
                            "unknown ecosystem `{name}`; valid: all, {}",
                            ALL_ECOSYSTEMS.map(|e| e.osv_name()).join(", ")
                        )
                    })
            })
            .collect::<Result<_>>()?,
        None => {
            let inv = inventory(&a.paths, None, registry)?;
            let used: BTreeSet<Ecosystem> = inv.packages.iter().map(|(_, p)| p.ecosystem).collect();
            if used.is_empty() {
                eprintln!(
                    "portcullis: no lock files found under {}; pass --ecosystems to choose what to download",
                    a.paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
                );
                return Ok(0);
            }
            used.into_iter().collect()
        }
    };
    let rust = ecosystems.contains(&Ecosystem::CratesIo);
    let opts = UpdateOptions {
        ecosystems,
        rustsec: rust && !a.no_rustsec,
        osv_base_url: a.osv_url.trim_end_matches('/').to_string(),
        rustsec_url: a.rustsec_url.clone(),
        ..UpdateOptions::new(cache.clone())
    };
    let mut failed = 0;
    let mut out = String::new();
    for o in update::update(&opts) {
        match o.result {
            Ok(update::Fetched::Updated { bytes, records }) => out.push_str(&format!(
                "{:<16} updated: {records} advisories ({})\n",
                o.source,
                portcullis::discover::human_size(bytes)
            )),
            Ok(update::Fetched::NotModified) => {
                out.push_str(&format!("{:<16} up to date\n", o.source))
            }
            Err(e) => {
                failed += 1;
                eprintln!("portcullis: error: {}", redacted(&e.to_string()));
            }
        }
    }
    out.push_str(&format!(
        "cache: {}\n",
        update::ecosystem_data(&cache).display()
    ));
    write_stdout(out.as_bytes())?;
    Ok(if failed > 0 { 2 } else { 0 })
}

/// `db status`: one line per source in the cache.
fn db_status(given: Option<PathBuf>) -> Result<u8> {
    let cache = cache_dir(given)?;
    let sources = update::status(&cache);
    let mut out = String::new();
    if sources.is_empty() {
        out.push_str(&format!(
            "no advisory data in {}; run `portcullis db update`\n",
            update::ecosystem_data(&cache).display()
        ));
    }
    for s in &sources {
        let records = s.records.map_or_else(|| "?".to_string(), |n| n.to_string());
        let fetched = s.fetched_at.as_deref().unwrap_or("unknown");
        let age = s
            .age_days
            .map_or_else(|| "age unknown".to_string(), |d| format!("{d} days old"));
        out.push_str(&format!(
            "{:<16} {records:>7} advisories  downloaded {fetched}  {age}  {}\n",
            s.name,
            s.path.display()
        ));
    }
    write_stdout(out.as_bytes())?;
    Ok(0)
}

/// Where a run over `paths` stands: the repository root (what output paths are relative to), the scan paths
/// made absolute, and the config file (`--config`, else the first `portcullis.toml` from the scan paths up to
/// the repository root).
struct Located {
    root: PathBuf,
    paths: Vec<PathBuf>,
    config_path: Option<PathBuf>,
}

fn locate(paths: &[PathBuf], config: Option<&PathBuf>) -> Result<Located> {
    for p in paths {
        if std::fs::symlink_metadata(p).is_err() {
            bail!("{}: no such file or directory", p.display());
        }
    }
    let cwd = std::env::current_dir().context("cannot read the current directory")?;
    let abs: Vec<PathBuf> = paths.iter().map(|p| root::absolute(p)).collect();
    let root = root::repository_root(&root::absolute(&cwd), &abs);
    let config_path = match config {
        Some(p) => Some(p.clone()),
        None => match root::search_start(&abs).and_then(|s| root::find_upward(&s, &root, CONFIG_FILE)) {
            Some(p) if !p.is_file() => bail!(
                "{}: not a regular file; portcullis reads its configuration from a file of that name",
                p.display()
            ),
            found => found,
        },
    };
    Ok(Located {
        root,
        paths: abs,
        config_path,
    })
}

/// A history scan's findings and diagnostics moved from `<sha>/<path>` to `<path>`, with their commit (in the
/// finding and its message), in the order of the history, then as before.
fn attribute_to_commits(report: &mut portcullis::scan::Report, commits: &[git::HistoryCommit]) {
    let order: std::collections::HashMap<&str, usize> = commits
        .iter()
        .enumerate()
        .map(|(i, c)| (c.sha.as_str(), i))
        .collect();
    let split = |path: &str| -> Option<(usize, String)> {
        let (sha, rest) = path.split_once('/')?;
        Some((*order.get(sha)?, rest.to_string()))
    };
    for f in &mut report.findings {
        if let Some((i, rest)) = split(&f.location.path) {
            let c = &commits[i];
            f.location.path = rest;
            f.message = format!(
                "{} (added in commit {} on {})",
                f.message,
                c.sha.get(..12).unwrap_or(&c.sha),
                c.author_date
            );
            f.commit = Some(portcullis::finding::Commit {
                sha: c.sha.clone(),
                author_date: c.author_date.clone(),
            });
        }
    }
    for d in &mut report.diagnostics {
        if let Some((i, rest)) = d.path.as_deref().and_then(split) {
            d.message = format!(
                "{} (commit {})",
                d.message,
                commits[i].sha.get(..12).unwrap_or("")
            );
            d.path = Some(rest);
        }
    }
    let at = |f: &portcullis::finding::Finding| {
        f.commit
            .as_ref()
            .and_then(|c| order.get(c.sha.as_str()).copied())
            .unwrap_or(usize::MAX)
    };
    report
        .findings
        .sort_by(|x, y| (at(x), &x.location, &x.rule_id).cmp(&(at(y), &y.location, &y.rule_id)));
}

/// Largest JSON report `merge` reads (each one is held while it is merged).
const MAX_MERGED_REPORT: u64 = 512 << 20;

/// `portcullis merge`: the reports one at a time into the merged report, then the Markdown table.
fn merge(reports: &[PathBuf], output: Option<&Path>, markdown: Option<&Path>) -> Result<u8> {
    use portcullis::report::merge::Merger;
    let sink: Box<dyn Write> = match output {
        Some(p) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut merger = Merger::new(sink)?;
    for p in reports {
        let bytes = portcullis::source::read::read_bounded(p, MAX_MERGED_REPORT)
            .with_context(|| format!("cannot read {}", p.display()))?;
        let report: serde_json::Value =
            serde_json::from_slice(&bytes).with_context(|| format!("{}: not JSON", p.display()))?;
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().trim_end_matches(".json").to_string())
            .unwrap_or_default();
        merger.add(&name, &report)?;
    }
    let table = merger.finish()?;
    match (markdown, output) {
        (Some(p), _) => write_output(p, table.as_bytes())?,
        (None, Some(_)) => write_stdout(table.as_bytes())?,
        (None, None) => {}
    }
    Ok(0)
}

/// The starter configuration `portcullis init` writes.
const STARTER_CONFIG: &str = include_str!("templates/portcullis.toml");

/// The starter workflow `portcullis init --github` writes (`{{ACTION}}` stands for the action reference).
const STARTER_WORKFLOW: &str = include_str!("templates/portcullis-workflow.yml");
/// Where the starter workflow goes, under the directory `init` writes into.
const WORKFLOW_FILE: &str = ".github/workflows/portcullis.yml";

/// The commit a release binary was built from (`PORTCULLIS_RELEASE_SHA`, set by the release workflow).
fn release_sha() -> Option<&'static str> {
    option_env!("PORTCULLIS_RELEASE_SHA")
        .filter(|s| s.len() == 40 && s.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The starter workflow: the action pinned to the commit of this release when it is one, else its tag
/// (which the IaC scan then reports as unpinned, as it should).
fn starter_workflow(release: Option<&str>) -> String {
    let repo = env!("CARGO_PKG_REPOSITORY").trim_start_matches("https://github.com/");
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    let action = match release {
        Some(sha) => format!("{repo}@{sha} # {tag}"),
        None => format!(
            "{repo}@{tag} # pin to the tag's commit: git ls-remote https://github.com/{repo} refs/tags/{tag}"
        ),
    };
    STARTER_WORKFLOW.replace("{{ACTION}}", &action)
}

/// `portcullis init`: writes the starter configuration (and with `github` the starter workflow) into `dir`,
/// never over an existing file without `force`, and checks that the configuration loads.
fn init(dir: &Path, force: bool, github: bool, registry: &Registry) -> Result<u8> {
    let path = dir.join(CONFIG_FILE);
    let workflow = dir.join(WORKFLOW_FILE);
    // Nothing is written unless everything can be: an existing file stops the whole run.
    for p in std::iter::once(&path).chain(github.then_some(&workflow)) {
        if p.exists() && !force {
            bail!("{} exists; pass --force to replace it", p.display());
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    write_output(&path, STARTER_CONFIG.as_bytes())?;
    Config::load(&path, registry)?;
    println!("wrote {}", path.display());
    if github {
        if let Some(parent) = workflow.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let release = release_sha();
        write_output(&workflow, starter_workflow(release).as_bytes())?;
        println!("wrote {}", workflow.display());
        if release.is_none() {
            eprintln!(
                "portcullis: warning: this is not a release build, so {} names the action by its tag; pin it to the tag's commit SHA",
                workflow.display()
            );
        }
    }
    Ok(0)
}

/// The config's `[deps]` table (defaults without one).
fn deps_config(config: &Config) -> DepsConfig {
    config
        .scanner::<DepsConfig>(scanners::deps::KIND)
        .cloned()
        .unwrap_or_default()
}

/// The config at `path` (or none), read and validated.
fn load_config(path: Option<&PathBuf>, registry: &Registry) -> Result<Config> {
    Ok(match path {
        Some(p) => Config::load(p, registry)?,
        None => Config::default(),
    })
}

/// The config's directory relative to the root: what its include/exclude globs are relative to.
fn config_base(root: &std::path::Path, config: Option<&PathBuf>) -> String {
    match config.and_then(|p| root::absolute(p).parent().map(std::path::Path::to_path_buf)) {
        Some(dir) if dir.starts_with(root) && dir != root => {
            portcullis::discover::relative(root, &dir)
        }
        _ => String::new(),
    }
}

fn run_scan(mut a: ScanArgs, registry: Registry) -> Result<u8> {
    // `--staged`: the index's version of the staged files stands in for the paths (kept alive to the end).
    let staged = match a.staged {
        true => Some(git::export_staged(&a.paths)?),
        false => None,
    };
    if let Some(s) = &staged {
        s.stand_in_for(&mut a.paths, &mut a.config);
    }
    // `--git-range` / `--git-log-all`: the lines each commit added, one directory per commit, for secrets.
    let history = match (&a.git_range, a.git_log_all) {
        (None, false) => None,
        (range, _) => {
            let secrets = scanners::secrets::KIND;
            if a.scanners
                .as_ref()
                .is_some_and(|s| s.iter().any(|k| *k != secrets))
            {
                bail!("--git-range and --git-log-all scan history for secrets only (--scanners secrets)");
            }
            a.scanners = Some(vec![secrets]);
            let (exported, commits) = git::export_history(range.as_deref())?;
            exported.stand_in_for(&mut a.paths, &mut a.config);
            Some((exported, commits))
        }
    };
    let Located {
        root,
        paths,
        config_path,
    } = locate(&a.paths, a.config.as_ref())?;
    let config = load_config(config_path.as_ref(), &registry)?;
    let deps_cfg = deps_config(&config);

    let scanners: Vec<ScannerKind> = match &a.scanners {
        Some(list) => {
            let mut v = list.clone();
            v.sort();
            v.dedup();
            v
        }
        None => scanners::REGISTRY
            .iter()
            .map(|r| r.kind)
            .filter(|k| config.scanners.get(k).copied().unwrap_or(true))
            .collect(),
    };
    if scanners.is_empty() {
        bail!(
            "no scanner is enabled ({} turns them all off), so nothing would be checked; enable one or pass --scanners",
            config_path.as_ref().map_or_else(|| CONFIG_FILE.to_string(), |p| p.display().to_string())
        );
    }
    let mut overrides = BTreeMap::new();
    let mut ignore_rules = config.ignore_rules.clone();
    for (id, rc) in &config.rules {
        if rc.enabled == Some(false) {
            ignore_rules.push(id.clone());
        }
        if let Some(s) = rc.severity {
            overrides.insert(id.clone(), s);
        }
    }
    let parse_all = |list: &[String], what: &str, layer: Layer| -> Result<Vec<(Selector, Layer)>> {
        list.iter()
            .map(|s| {
                Selector::parse(s, &registry)
                    .map(|s| (s, layer))
                    .map_err(|e| anyhow::anyhow!("{what}: {e}"))
            })
            .collect()
    };
    let mut ignore = parse_all(&ignore_rules, "[rules] ignore", Layer::Config)?;
    ignore.extend(parse_all(&a.ignore, "--ignore", Layer::CommandLine)?);
    let selection = Selection {
        select: match &a.select {
            Some(list) => parse_all(list, "--select", Layer::CommandLine)?,
            None => parse_all(&config.select, "[rules] select", Layer::Config)?,
        },
        ignore,
    };
    let dropped: Vec<ScannerKind> = scanners
        .iter()
        .copied()
        .filter(|k| !selection.scanner_may_run(*k, &registry))
        .collect();
    let scanners: Vec<ScannerKind> = scanners
        .into_iter()
        .filter(|k| !dropped.contains(k))
        .collect();
    if scanners.is_empty() {
        bail!("the rule selection (--select/--ignore, [rules] select/ignore) leaves no rule to run, so nothing would be checked");
    }
    let disabled: BTreeSet<String> = registry
        .iter()
        .filter(|r| !selection.enabled(r))
        .map(|r| r.id.clone())
        .collect();
    let cli_fail_on = a
        .fail_on
        .iter()
        .rev()
        .find(|(k, _)| k.is_none())
        .map(|(_, f)| *f);
    // A threshold given on the command line replaces the config's, per-scanner ones included.
    let mut fail_on_scanner = if cli_fail_on.is_some() {
        BTreeMap::new()
    } else {
        config.fail_on_scanner.clone()
    };
    for (k, f) in &a.fail_on {
        if let Some(k) = k {
            fail_on_scanner.insert(*k, *f);
        }
    }
    let baseline = match &a.baseline {
        Some(p) => Some(Baseline::load(p)?),
        None => None,
    };
    let jobs = a
        .jobs
        .map(usize::from)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
    let rule_files = sast::read_rule_sources(&a.rules)?;
    // The settings of a scan of `paths` under `root`: this run's, and the merge base's for --diff-base.
    let build =
        |paths: Vec<PathBuf>, root: PathBuf, baseline: Option<Baseline>| -> Result<Settings> {
            Ok(Settings {
                walk: WalkOptions {
                    paths,
                    root: root.clone(),
                    config_base: config_base(&root, config_path.as_ref()),
                    include: config.include.clone(),
                    exclude: config.exclude.clone(),
                    max_file_size: a
                        .max_file_size
                        .or(config.max_file_size)
                        .unwrap_or(DEFAULT_MAX_FILE_SIZE),
                },
                scanners: scanners.clone(),
                jobs,
                scanner_options: ScannerOptions {
                    disabled_rules: disabled.clone(),
                    deps: DepsOptions {
                        advisories: if a.advisories.is_empty() {
                            deps_cfg.advisories.clone()
                        } else {
                            a.advisories.clone()
                        },
                        cache_dir: a
                            .cache_dir
                            .clone()
                            .or_else(|| deps_cfg.cache_dir.clone())
                            .or_else(update::default_cache_dir),
                        allow_missing_db: a.allow_missing_db
                            || deps_cfg.allow_missing_db.unwrap_or(false),
                        allow_partial_db: a.allow_partial_db
                            || deps_cfg.allow_partial_db.unwrap_or(false),
                        max_db_age_days: a.max_db_age.or(deps_cfg.max_db_age).unwrap_or(7),
                        informational: a
                            .deps_informational
                            .or(deps_cfg.informational)
                            .unwrap_or(true),
                        today: Date::today(),
                        online: a.online.then(|| OnlineOptions {
                            base_url: a.osv_api.trim_end_matches('/').to_string(),
                            ..OnlineOptions::default()
                        }),
                    },
                    iac: IacOptions {
                        rule_files: rule_files.iac.clone(),
                        no_builtin: a.no_builtin_rules,
                        skip_invalid: a.skip_invalid_rules,
                    },
                    sast: SastOptions {
                        rule_files: rule_files.sast.clone(),
                        no_builtin: a.no_builtin_rules,
                        skip_unsupported: a.skip_unsupported_rules,
                        skip_invalid: a.skip_invalid_rules,
                        semgrepignore: sast::semgrepignore(&root)?,
                        step_budget: 0,
                    },
                },
                policy: Policy {
                    severity_overrides: overrides.clone(),
                    ignores: config
                        .ignores
                        .iter()
                        .cloned()
                        .map(|mut e| {
                            if let Some(p) = &config_path {
                                e.origin =
                                    portcullis::discover::relative(&root, &root::absolute(p));
                            }
                            e
                        })
                        .collect(),
                    baseline,
                    test_paths: {
                        let lower_by = config
                            .test_path_lowering
                            .unwrap_or(portcullis::policy::DEFAULT_TEST_PATH_LOWERING);
                        match &config.test_paths {
                            None => TestPaths::defaults(lower_by),
                            Some(globs) => TestPaths::new(globs.clone(), lower_by)?,
                        }
                    },
                    fail_on_scanner: fail_on_scanner.clone(),
                    ignore_unfixed: a.ignore_unfixed || deps_cfg.ignore_unfixed.unwrap_or(false),
                    ..Policy::new(cli_fail_on.or(config.fail_on).unwrap_or(FailOn::High))
                },
                selection: selection.clone(),
                progress: !a.quiet && !in_ci && std::io::stderr().is_terminal(),
                timeout: a.timeout.map(std::time::Duration::from_secs),
            })
        };
    // --diff-base: the merge base scanned with the same settings; what it already had is not this change's.
    let merge_base = match &a.diff_base {
        Some(r) => Some(git::export_merge_base(r)?),
        None => None,
    };
    let baseline = match &merge_base {
        Some(m) => {
            let inside = git::relative_to(&m.repo, &a.paths)?;
            let base_paths = inside.iter().map(|p| m.dir.join(p)).collect();
            let base = scan::scan(&build(base_paths, m.dir.clone(), None)?, registry.clone())?;
            let known = base.findings.iter().flat_map(|f| {
                std::iter::once(f.fingerprint.clone()).chain(f.alias_fingerprints.clone())
            });
            let mut fps: Vec<String> = known.collect();
            if let Some(b) = &baseline {
                fps.extend(b.fingerprints().cloned());
            }
            Some(Baseline::from_fingerprints(fps))
        }
        None => baseline,
    };
    let settings = build(paths, root.clone(), baseline)?;
    // Two outputs to one file would each overwrite the other.
    let mut seen_outputs: Vec<PathBuf> = Vec::new();
    for p in a
        .sarif
        .iter()
        .chain(&a.json)
        .chain(&a.html)
        .chain(&a.write_baseline)
    {
        let abs = std::fs::canonicalize(p).unwrap_or_else(|_| root::absolute(p));
        if seen_outputs.contains(&abs) {
            bail!(
                "{} is given as more than one output (--sarif, --json, --html, --write-baseline); give each its own file",
                p.display()
            );
        }
        seen_outputs.push(abs);
    }
    let mut report = scan::scan(&settings, registry)?;
    if let Some((_, commits)) = &history {
        attribute_to_commits(&mut report, commits);
    }
    if let (Some(m), Some(r)) = (&merge_base, &a.diff_base) {
        use portcullis::finding::BaselineState;
        let before = report.findings.len();
        report
            .findings
            .retain(|f| f.baseline_state != Some(BaselineState::Unchanged));
        let commit = m.commit.as_deref().unwrap_or_default();
        report.diagnostics.push(portcullis::diagnostic::Diagnostic::general(
            Level::Note,
            "diff-base",
            format!(
                "{} finding(s) that the merge base {} of {r} and HEAD already had are left out (--diff-base)",
                before - report.findings.len(),
                commit.get(..12).unwrap_or(commit)
            ),
        ));
    }
    // The baseline keeps every finding, whatever --severity shows.
    let baseline_json = a
        .write_baseline
        .as_ref()
        .map(|_| report::json::render(&report));
    if let Some(min) = a.severity {
        report.hide_below(min);
    }

    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for d in &report.diagnostics {
        let show = match d.level {
            Level::Error => true,
            Level::Warning => !a.quiet,
            Level::Note => a.verbose,
        };
        if show {
            let _ = writeln!(err, "portcullis: {}", redacted(&d.to_string()));
        }
    }
    drop(err);

    let in_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let github = a.github.unwrap_or(in_actions);
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let repository = match (env("GITHUB_REPOSITORY"), env("GITHUB_SHA")) {
        (Some(name), Some(sha)) if github => Some(report::github::Repository {
            server: env("GITHUB_SERVER_URL").unwrap_or_else(|| "https://github.com".into()),
            name,
            sha,
            branch: env("GITHUB_HEAD_REF").or_else(|| env("GITHUB_REF_NAME")),
        }),
        _ => None,
    };
    let sarif_opts = SarifOptions {
        provenance: repository.clone(),
        category: a.category.clone(),
        include_suppressed: match a.sarif_suppressed {
            Some(SuppressedChoice::Include) => true,
            Some(SuppressedChoice::Omit) => false,
            None => !in_actions,
        },
    };
    let color = match a.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    };
    let stdout_bytes = match a.format {
        OutputFormat::Text => {
            let text = report::text::render(
                &report,
                TextOptions {
                    color,
                    verbose: a.verbose,
                    quiet: a.quiet,
                },
            );
            // On GitHub the annotations go first (the runner reads them from the log), never into JSON/SARIF.
            match github {
                true => [report::github::annotations(&report), text].concat(),
                false => text,
            }
        }
        OutputFormat::Json => report::json::render(&report),
        OutputFormat::Sarif => report::sarif::render(&report, &sarif_opts),
        OutputFormat::Github => report::github::render(&report),
        OutputFormat::Junit => report::junit::render(&report),
    };
    // Each format is rendered once, however many files it goes to.
    let sarif = (!a.sarif.is_empty()).then(|| report::sarif::render(&report, &sarif_opts));
    let json = (!a.json.is_empty()).then(|| report::json::render(&report));
    let html = (!a.html.is_empty()).then(|| report::html::render(&report));
    let files = a
        .sarif
        .iter()
        .map(|p| (p, &sarif))
        .chain(a.json.iter().map(|p| (p, &json)))
        .chain(a.html.iter().map(|p| (p, &html)))
        .chain(a.write_baseline.iter().map(|p| (p, &baseline_json)));
    for (path, bytes) in files {
        let bytes = bytes.as_deref().unwrap_or_default();
        write_output(path, bytes)?;
    }
    if github {
        let sarif_file = a.sarif.first().map(|p| p.display().to_string());
        if let Some(p) = std::env::var_os("GITHUB_OUTPUT").filter(|p| !p.is_empty()) {
            let outputs = report::github::step_outputs(&report, sarif_file.as_deref());
            append_output(Path::new(&p), outputs.as_bytes())?;
        }
        if let Some(p) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            let summary = report::github::summary(&report, repository.as_ref());
            append_output(Path::new(&p), summary.as_bytes())?;
        }
    }
    write_stdout(&stdout_bytes)?;
    Ok(report.exit_code())
}
