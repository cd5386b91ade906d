//! The SAST scanner's edge: reading `--rules` paths and `.semgrepignore`, and `rules test` / `rules
//! validate` / `rules tree`.

use super::{net, write_stdout};
use crate::cli::args::ListFormat;
use anyhow::{bail, Context, Result};
use portcullis::scanners::sast::{self, ruletest, RuleSource};
use std::path::{Path, PathBuf};

/// Largest rule file read (a YAML bomb is refused by the YAML limits; this bounds the read).
const MAX_RULE_FILE: u64 = 16 << 20;

fn read_bounded(path: &Path) -> Result<String> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("{}: cannot read", path.display()))?;
    if meta.len() > MAX_RULE_FILE {
        bail!(
            "{}: rule file larger than {} MiB",
            path.display(),
            MAX_RULE_FILE >> 20
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    String::from_utf8(bytes).with_context(|| format!("{}: not UTF-8 text", path.display()))
}

fn is_rule_name(p: &Path) -> bool {
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    (name.ends_with(".yaml") || name.ends_with(".yml"))
        && !name.contains(".test.")
        && !name.starts_with('.')
}

/// The YAML files under `path` (itself when a file), sorted.
fn rule_files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    if !path.is_dir() {
        bail!("{}: no such rule file or directory", path.display());
    }
    let mut out = Vec::new();
    for entry in ignore::WalkBuilder::new(path).hidden(true).build() {
        let entry = entry.with_context(|| format!("{}: cannot walk", path.display()))?;
        if entry.file_type().is_some_and(|t| t.is_file()) && is_rule_name(entry.path()) {
            out.push(entry.into_path());
        }
    }
    out.sort();
    Ok(out)
}

/// The `--rules` files, by the scanner that runs them.
#[derive(Default)]
pub struct RuleFiles {
    /// Semgrep-format rule files (a top-level `rules:` list).
    pub sast: Vec<RuleSource>,
    /// IaC check files (one check, with a top-level `platform:`).
    pub iac: Vec<RuleSource>,
}

/// Reads every `--rules` path: a file must be a Semgrep-format rule file (a top-level `rules:` list) or an
/// IaC check (a top-level `platform:`); anything else is an error naming it.
pub fn read_rule_sources(paths: &[PathBuf]) -> Result<RuleFiles> {
    let mut out = RuleFiles::default();
    for p in paths {
        for f in rule_files(p)? {
            let text = read_bounded(&f)?;
            let to = if looks_like_semgrep(&text) {
                &mut out.sast
            } else if looks_like_iac_check(&text) {
                &mut out.iac
            } else {
                bail!(
                    "{}: not a rule file portcullis reads (Semgrep-format YAML has a top-level `rules:` list; an IaC check, a top-level `platform:`)",
                    f.display()
                );
            };
            to.push(RuleSource {
                path: f.display().to_string(),
                text,
            });
        }
    }
    Ok(out)
}

fn looks_like_semgrep(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("rules:"))
}

fn looks_like_iac_check(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("platform:"))
}

/// The repository's `.semgrepignore`, when there is one.
pub fn semgrepignore(root: &Path) -> Result<Option<String>> {
    let p = root.join(".semgrepignore");
    if !p.is_file() {
        return Ok(None);
    }
    read_bounded(&p).map(Some)
}

/// `portcullis rules validate`: Semgrep-format rule files and IaC check files.
pub fn validate(paths: &[PathBuf]) -> Result<u8> {
    let files = read_rule_sources(paths)?;
    let problems = sast::validate(&files.sast);
    let mut out = String::new();
    for p in &problems {
        out.push_str(&format!("{p}\n"));
    }
    let mut rules: usize = files
        .sast
        .iter()
        .map(|s| sast::load_file(&s.path, &s.text).0.len())
        .sum();
    let (checks, invalid) = portcullis::scanners::iac::user_checks(&files.iac)?;
    rules += checks.len();
    for p in &invalid {
        out.push_str(&format!("{p}\n"));
    }
    let invalid = invalid.len();
    let n = files.sast.len() + files.iac.len();
    let np = problems.len() + invalid;
    out.push_str(&format!(
        "{n} file{}, {rules} valid rule{}, {np} problem{}\n",
        if n == 1 { "" } else { "s" },
        if rules == 1 { "" } else { "s" },
        if np == 1 { "" } else { "s" },
    ));
    write_stdout(&net(out.as_bytes())?)?;
    // Options read and not honoured, and rules for other Semgrep versions, are warnings.
    let fatal = invalid > 0 || problems.iter().any(|p| p.problem.kind.blocks());
    Ok(if fatal { 2 } else { 0 })
}

/// The targets of rule file `rule`: files beside it with the same stem and another extension, or
/// `<stem>.test.yaml` / `.test.yml`.
fn targets(rule: &Path) -> Result<Vec<PathBuf>> {
    let stem = rule
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = rule.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for entry in
        std::fs::read_dir(dir).with_context(|| format!("{}: cannot list", dir.display()))?
    {
        let p = entry?.path();
        if p == rule || !p.is_file() {
            continue;
        }
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Some(rest) = name.strip_prefix(&stem).and_then(|r| r.strip_prefix('.')) else {
            continue;
        };
        let yaml = rest == "yaml" || rest == "yml";
        if (yaml || rest.contains('.')) && !rest.starts_with("test.") {
            continue;
        }
        out.push(p);
    }
    out.sort();
    Ok(out)
}

/// `portcullis rules test`.
pub fn test(paths: &[PathBuf], format: ListFormat) -> Result<u8> {
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    let mut outcomes = Vec::new();
    let mut errors = Vec::new();
    let mut untested = Vec::new();
    for p in &paths {
        for f in rule_files(p)? {
            let text = read_bounded(&f)?;
            if !looks_like_semgrep(&text) {
                continue;
            }
            let ts = targets(&f)?;
            if ts.is_empty() {
                untested.push(f.display().to_string());
                continue;
            }
            let mut tt = Vec::new();
            for t in ts {
                tt.push((t.display().to_string(), read_bounded(&t)?));
            }
            match ruletest::run(&f.display().to_string(), &text, &tt) {
                Ok(o) => outcomes.extend(o),
                Err(problems) => errors.extend(problems.iter().map(|p| p.to_string())),
            }
        }
    }
    let failed = outcomes.iter().filter(|o| !o.passed).count();
    let out = match format {
        ListFormat::Json => {
            let v = serde_json::json!({
                "results": outcomes,
                "errors": errors,
                "untested": untested,
                "passed": outcomes.len() - failed,
                "failed": failed,
            });
            format!("{}\n", serde_json::to_string_pretty(&v)?)
        }
        ListFormat::Text => {
            let mut s = String::new();
            for o in &outcomes {
                if o.passed {
                    continue;
                }
                s.push_str(&format!("FAIL {} on {}", o.rule, o.target));
                if !o.missed.is_empty() {
                    s.push_str(&format!("; missed lines {:?}", o.missed));
                }
                if !o.unexpected.is_empty() {
                    s.push_str(&format!("; unexpected lines {:?}", o.unexpected));
                }
                s.push('\n');
            }
            for e in &errors {
                s.push_str(&format!("ERROR {e}\n"));
            }
            for u in &untested {
                s.push_str(&format!("note: {u}: no test target beside it\n"));
            }
            s.push_str(&format!(
                "{}/{} rule tests passed{}\n",
                outcomes.len() - failed,
                outcomes.len(),
                if errors.is_empty() {
                    String::new()
                } else {
                    format!(", {} rule errors", errors.len())
                }
            ));
            s
        }
    };
    write_stdout(&net(out.as_bytes())?)?;
    Ok(if !errors.is_empty() {
        2
    } else if failed > 0 || outcomes.is_empty() {
        1
    } else {
        0
    })
}

/// `portcullis rules tree`.
pub fn tree(lang: &str, pattern: bool, file: &Path) -> Result<u8> {
    let name = sast::rule::language(lang).with_context(|| format!("unknown language `{lang}`"))?;
    let l = portcullis::lang::by_name(name)
        .with_context(|| format!("language `{name}` has no grammar here"))?;
    let text = read_bounded(file)?;
    if pattern {
        let compiled = sast::pattern::compile(l, &text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
        write_stdout(&net(format!("{compiled:#?}\n").as_bytes())?)?;
        return Ok(0);
    }
    let t = portcullis::lang::Tree::parse(l, &text);
    write_stdout(&net(t.outline(&text).as_bytes())?)?;
    Ok(0)
}
