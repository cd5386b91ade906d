//! `portcullis.toml`: parsed strictly (unknown keys and bad values are errors that name the file, the line and
//! the valid choices) into a validated [`Config`].

mod date;

pub use date::{utc_timestamp, Date};

use crate::finding::{ScannerKind, Severity};
use crate::rules::Registry;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The config file looked for at the scan root.
pub const CONFIG_FILE: &str = "portcullis.toml";

/// The lowest severity that fails the gate, or `never`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    /// Fail on critical findings only.
    Critical,
    /// Fail on high or critical (the default).
    High,
    /// Fail on medium and above.
    Medium,
    /// Fail on low and above.
    Low,
    /// Fail on any finding.
    Info,
    /// Never fail on findings (errors still exit 2).
    Never,
}

impl FailOn {
    /// Every value, as written on the command line.
    pub const NAMES: &'static str = "critical, high, medium, low, info, never";

    /// Parses a value, in any case (`high`, `HIGH`).
    pub fn parse(s: &str) -> Option<FailOn> {
        if s.trim().eq_ignore_ascii_case("never") {
            return Some(FailOn::Never);
        }
        Some(match Severity::parse(s)? {
            Severity::Critical => FailOn::Critical,
            Severity::High => FailOn::High,
            Severity::Medium => FailOn::Medium,
            Severity::Low => FailOn::Low,
            Severity::Info => FailOn::Info,
        })
    }

    /// The lowest failing severity, `None` for `never`.
    pub fn threshold(self) -> Option<Severity> {
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

impl<'de> Deserialize<'de> for FailOn {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        FailOn::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "unknown severity `{s}`, expected one of: {}",
                FailOn::NAMES
            ))
        })
    }
}

impl fmt::Display for FailOn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.threshold() {
            Some(s) => s.as_str(),
            None => "never",
        })
    }
}

/// A configuration error: file, 1-based line and column when known, and what is wrong.
#[derive(Debug, Error)]
pub struct ConfigError {
    /// The config file.
    pub path: PathBuf,
    /// Line and column, when known.
    pub position: Option<(usize, usize)>,
    /// What is wrong, with the valid choices.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((l, c)) => write!(f, "{}:{l}:{c}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// The top-level keys of the file besides the scanners' own tables (`[secrets]`, `[deps]`, …), which the
/// scanners' registrations read. Unknown keys are errors, checked against this list and the registry.
const TOP_LEVEL_KEYS: &[&str] = &[
    "fail-on",
    "include",
    "exclude",
    "max-file-size",
    "scanners",
    "test-paths",
    "test-path-lowering",
    "rules",
    "ignore",
];

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
struct RawConfig {
    fail_on: Option<FailOn>,
    include: Option<Vec<String>>,
    exclude: Option<Vec<String>>,
    max_file_size: Option<toml::Spanned<toml::Value>>,
    scanners: Option<BTreeMap<String, toml::Spanned<bool>>>,
    test_paths: Option<Vec<String>>,
    test_path_lowering: Option<u8>,
    #[serde(default)]
    rules: BTreeMap<String, toml::Spanned<toml::Value>>,
    #[serde(default)]
    ignore: Vec<toml::Spanned<RawIgnore>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleConfig {
    enabled: Option<bool>,
    severity: Option<Severity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    rule: Option<String>,
    path: Option<String>,
    reason: Option<String>,
    expires: Option<toml::value::Datetime>,
}

/// Per-rule settings.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleConfig {
    /// `false` turns the rule off.
    pub enabled: Option<bool>,
    /// Replaces the rule's severity.
    pub severity: Option<Severity>,
}

/// An `[[ignore]]` entry: suppresses findings of a rule and/or under a path glob, with a reason.
#[derive(Clone, Debug)]
pub struct IgnoreEntry {
    /// Rule id, if restricted to one rule.
    pub rule: Option<String>,
    /// Path glob, if restricted to paths.
    pub path: Option<String>,
    /// Compiled path glob.
    pub matcher: Option<globset::GlobSet>,
    /// Why the findings are accepted.
    pub reason: String,
    /// Last day the entry applies.
    pub expires: Option<Date>,
    /// Line of the entry in the file it comes from.
    pub line: usize,
    /// The file the entry comes from (`portcullis.toml`, `.trivyignore`, …), as shown in output.
    pub origin: String,
    /// The entry comes from another tool's ignore file, which may list what only that tool reports: an
    /// unused entry is a note, not a warning.
    pub other_tool: bool,
}

/// A validated configuration file.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Where it was read from (`None`: no file).
    pub path: Option<PathBuf>,
    /// Gate threshold.
    pub fail_on: Option<FailOn>,
    /// Include globs.
    pub include: Vec<String>,
    /// Exclude globs.
    pub exclude: Vec<String>,
    /// Size limit in bytes.
    pub max_file_size: Option<u64>,
    /// Scanners switched on or off.
    pub scanners: BTreeMap<ScannerKind, bool>,
    /// Per-rule settings.
    pub rules: BTreeMap<String, RuleConfig>,
    /// `[rules] select`: selectors of the rules to run (empty: all).
    pub select: Vec<String>,
    /// `[rules] ignore`: selectors of rules not to run.
    pub ignore_rules: Vec<String>,
    /// `fail-on` of a scanner's own table (`[deps] fail-on`), where set.
    pub fail_on_scanner: BTreeMap<ScannerKind, FailOn>,
    /// Ignore entries.
    pub ignores: Vec<IgnoreEntry>,
    /// Each scanner's own table (`[deps]`), validated by its registration; read with [`Config::scanner`].
    pub scanner_tables: BTreeMap<ScannerKind, crate::scanners::ScannerConfig>,
    /// Globs of test, fixture and example paths (`test-paths`; default: [`crate::policy::DEFAULT_TEST_PATHS`]).
    pub test_paths: Option<Vec<String>>,
    /// Severity levels findings of generic rules are lowered by in test paths (`test-path-lowering`, 0: never).
    pub test_path_lowering: Option<u8>,
}

/// 1-based line and column of byte `offset` in `text`.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> Option<(usize, usize)> {
    text.find(needle).map(|o| position(text, o))
}

/// A size that does not parse.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct SizeError(String);

/// Parses a size: an integer number of bytes or a string like `10MB`, `512 KiB`, `2g`.
pub fn parse_size(s: &str) -> Result<u64, SizeError> {
    let t = s.trim();
    let split = t
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let num: f64 = num.parse().map_err(|_| {
        SizeError(format!(
            "invalid size `{s}`: expected a number of bytes or e.g. `10MB`, `512KiB`"
        ))
    })?;
    let mult: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => {
            return Err(SizeError(format!(
                "invalid size unit `{other}` in `{s}`: expected B, KB, MB or GB"
            )))
        }
    };
    if num < 0.0 || !num.is_finite() {
        return Err(SizeError(format!("invalid size `{s}`")));
    }
    Ok((num * mult as f64) as u64)
}

impl Config {
    /// The validated table of scanner `kind`, as its registration made it (`None`: the file has none).
    pub fn scanner<T: std::any::Any>(&self, kind: ScannerKind) -> Option<&T> {
        self.scanner_tables.get(&kind).and_then(|c| c.get::<T>())
    }

    /// Checks the top-level keys: each is a known key or a registered scanner's table, whose common
    /// `fail-on` is read here and whose other keys its registration validates.
    fn scanner_tables_from(
        &mut self,
        path: &Path,
        text: &str,
        err: &dyn Fn(Option<(usize, usize)>, String) -> ConfigError,
    ) -> Result<(), ConfigError> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| err(None, e.message().to_string()))?;
        let base = path.parent().unwrap_or(Path::new(""));
        for (key, value) in table {
            if TOP_LEVEL_KEYS.contains(&key.as_str()) {
                continue;
            }
            let at = line_of(text, &format!("[{key}]")).or_else(|| line_of(text, &key));
            let Some(reg) = crate::scanners::by_name(&key) else {
                if crate::scanners::PLANNED.iter().any(|(n, _)| *n == key) {
                    let e = crate::scanners::parse_name(&key).err();
                    return Err(err(
                        at,
                        format!("[{key}]: {}", e.map(|e| e.to_string()).unwrap_or_default()),
                    ));
                }
                let mut expected: Vec<String> =
                    TOP_LEVEL_KEYS.iter().map(|k| format!("`{k}`")).collect();
                expected.extend(
                    crate::scanners::REGISTRY
                        .iter()
                        .map(|r| format!("`{}`", r.kind)),
                );
                return Err(err(
                    at,
                    format!(
                        "unknown field `{key}`, expected one of {}",
                        expected.join(", ")
                    ),
                ));
            };
            let toml::Value::Table(mut t) = value else {
                return Err(err(at, format!("`{key}` must be a table (`[{key}]`)")));
            };
            if let Some(f) = t.remove("fail-on") {
                let parsed = f.as_str().and_then(FailOn::parse).ok_or_else(|| {
                    err(
                        at,
                        format!("[{key}] `fail-on`: expected one of: {}", FailOn::NAMES),
                    )
                })?;
                self.fail_on_scanner.insert(reg.kind, parsed);
            }
            match reg.config {
                Some(parse) => {
                    let c = parse(t, base).map_err(|e| {
                        err(
                            at,
                            format!("[{key}]: {}", e.message().trim().replace('\n', " ")),
                        )
                    })?;
                    self.scanner_tables.insert(reg.kind, c);
                }
                None => {
                    if let Some(k) = t.keys().next() {
                        return Err(err(
                            at,
                            format!("[{key}]: unknown field `{k}`, expected `fail-on`"),
                        ));
                    }
                }
            }
        }
        Ok(())
    }

    /// Reads and validates the config file at `path`, checking rule ids against `registry`.
    pub fn load(path: &Path, registry: &Registry) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            path: path.to_path_buf(),
            position: None,
            message: format!("cannot read: {e}"),
        })?;
        Config::parse(path, &text, registry)
    }

    /// Parses config `text` (read from `path`).
    pub fn parse(path: &Path, text: &str, registry: &Registry) -> Result<Config, ConfigError> {
        let err = |position: Option<(usize, usize)>, message: String| ConfigError {
            path: path.to_path_buf(),
            position,
            message,
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let pos = e.span().map(|s| position(text, s.start));
            err(pos, e.message().trim().replace('\n', " "))
        })?;
        let mut cfg = Config {
            path: Some(path.to_path_buf()),
            fail_on: raw.fail_on,
            ..Config::default()
        };
        cfg.include = raw.include.unwrap_or_default();
        cfg.exclude = raw.exclude.unwrap_or_default();
        for (key, globs) in [("include", &cfg.include), ("exclude", &cfg.exclude)] {
            if let Err(e) = crate::discover::globset(globs) {
                return Err(err(line_of(text, key), format!("`{key}`: {e}")));
            }
        }
        if let Some(size) = raw.max_file_size {
            let pos = Some(position(text, size.span().start));
            let bytes = match size.get_ref() {
                toml::Value::Integer(i) if *i > 0 => *i as u64,
                toml::Value::String(s) => parse_size(s).map_err(|m| err(pos, format!("`max-file-size`: {m}")))?,
                _ => return Err(err(pos, "`max-file-size`: expected a positive number of bytes or a string like \"10MB\"".into())),
            };
            cfg.max_file_size = Some(bytes);
        }
        for (name, on) in raw.scanners.unwrap_or_default() {
            let pos = Some(position(text, on.span().start));
            let kind = crate::scanners::parse_name(&name)
                .map_err(|m| err(line_of(text, &name).or(pos), format!("[scanners]: {m}")))?;
            cfg.scanners.insert(kind, *on.get_ref());
        }
        if let Some(globs) = raw.test_paths {
            if let Err(e) = crate::discover::globset(&globs) {
                return Err(err(
                    line_of(text, "test-paths"),
                    format!("`test-paths`: {e}"),
                ));
            }
            cfg.test_paths = Some(globs);
        }
        cfg.test_path_lowering = raw.test_path_lowering;
        cfg.scanner_tables_from(path, text, &err)?;
        for (id, value) in raw.rules {
            let at = Some(position(text, value.span().start));
            let value = value.into_inner();
            if id == "select" || id == "ignore" {
                let list: Vec<String> = value.try_into().map_err(|_| {
                    err(at, format!("[rules] `{id}`: expected a list of selectors (scanner, rule id or glob, `tag:…`, `CWE-…`, `confidence:…`)"))
                })?;
                let registry_ok = list.iter().try_for_each(|s| {
                    crate::policy::select::Selector::parse(s, registry).map(drop)
                });
                if let Err(e) = registry_ok {
                    return Err(err(at, format!("[rules] `{id}`: {e}")));
                }
                if id == "select" {
                    cfg.select = list;
                } else {
                    cfg.ignore_rules = list;
                }
                continue;
            }
            let rc: RawRuleConfig = value.try_into().map_err(|e: toml::de::Error| {
                err(at, format!("[rules.{id}]: {}", e.message().trim()))
            })?;
            if registry.get(&id).is_none() && !crate::rules::is_advisory_id(&id) {
                let hint = suggestion(registry, &id);
                return Err(err(
                    line_of(text, &id),
                    format!("[rules.{id}]: unknown rule id{hint}"),
                ));
            }
            cfg.rules.insert(
                id,
                RuleConfig {
                    enabled: rc.enabled,
                    severity: rc.severity,
                },
            );
        }
        for entry in raw.ignore {
            let pos = position(text, entry.span().start);
            let e = entry.into_inner();
            let at = Some(pos);
            if e.rule.is_none() && e.path.is_none() {
                return Err(err(at, "[[ignore]] needs `rule`, `path` or both".into()));
            }
            let reason = match e.reason {
                Some(r) if !r.trim().is_empty() => r.trim().to_string(),
                _ => return Err(err(at, "[[ignore]] needs a non-empty `reason`".into())),
            };
            if let Some(id) = &e.rule {
                if registry.get(id).is_none() && !crate::rules::is_advisory_id(id) {
                    let hint = suggestion(registry, id);
                    return Err(err(at, format!("[[ignore]]: unknown rule id `{id}`{hint}")));
                }
            }
            let matcher = match &e.path {
                Some(g) => Some(
                    crate::discover::globset(std::slice::from_ref(g))
                        .map_err(|ge| err(at, format!("[[ignore]] `path`: {ge}")))?,
                ),
                None => None,
            };
            let expires = match e.expires {
                Some(dt) => Some(Date::from_toml(&dt).ok_or_else(|| {
                    err(
                        at,
                        format!(
                            "[[ignore]] `expires`: expected a date like 2027-01-31, got `{dt}`"
                        ),
                    )
                })?),
                None => None,
            };
            cfg.ignores.push(IgnoreEntry {
                rule: e.rule,
                path: e.path,
                matcher,
                reason,
                expires,
                line: pos.0,
                origin: path.display().to_string(),
                other_tool: false,
            });
        }
        Ok(cfg)
    }
}

fn suggestion(registry: &Registry, id: &str) -> String {
    let s = registry.suggest(id);
    if s.is_empty() {
        " (`portcullis rules list` shows the valid ids)".to_string()
    } else {
        format!(
            "; did you mean {}?",
            s.iter()
                .map(|x| format!("`{x}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::new(crate::scanners::all_rule_metas().unwrap_or_default()).unwrap_or_default()
    }

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse(Path::new("portcullis.toml"), text, &registry()).map_err(|e| e.to_string())
    }

    #[test]
    fn full_config_parses() {
        let c = parse(
            "fail-on = \"medium\"\nexclude = [\"vendor/**\"]\nmax-file-size = \"2MB\"\n[scanners]\nsecrets = true\n\
             [rules.generic-password-assignment]\nenabled = false\n\
             [[ignore]]\nrule = \"github-classic-pat\"\npath = \"docs/**\"\nreason = \"revoked demo token\"\nexpires = 2027-01-31\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(c.fail_on, Some(FailOn::Medium));
        assert_eq!(c.max_file_size, Some(2 << 20));
        assert_eq!(c.ignores.len(), 1);
        assert_eq!(c.ignores[0].line, 8);
        assert_eq!(
            c.ignores[0].expires,
            Some(Date {
                year: 2027,
                month: 1,
                day: 31
            })
        );
    }

    #[test]
    fn typos_name_line_and_choices() {
        let e = parse("fail-on = \"high\"\nfial-on = \"low\"\n")
            .err()
            .unwrap_or_default();
        assert!(
            e.starts_with("portcullis.toml:2:1: unknown field `fial-on`, expected one of"),
            "{e}"
        );
        assert!(e.contains("`fail-on`"), "{e}");
        let e = parse("fail-on = \"hgh\"\n").err().unwrap_or_default();
        assert!(
            e.contains("portcullis.toml:1:11") && e.contains("expected one of: critical, high"),
            "{e}"
        );
        let e = parse("[rules.github-clasic-pat]\nenabled = false\n")
            .err()
            .unwrap_or_default();
        assert!(
            e.contains(":1:") && e.contains("did you mean `github-classic-pat`"),
            "{e}"
        );
        let e = parse("[[ignore]]\nrule = \"github-classic-pat\"\n")
            .err()
            .unwrap_or_default();
        assert!(e.contains("needs a non-empty `reason`"), "{e}");
        let e = parse("[scanners]\nsecret = true\n")
            .err()
            .unwrap_or_default();
        assert!(
            e.contains(":2:1:") && e.contains("unknown scanner `secret`") && e.contains("secrets"),
            "{e}"
        );
        assert!(parse("[scanners]\niac = true\n").is_ok());
        let e = parse("max-file-size = \"10 parsecs\"\n")
            .err()
            .unwrap_or_default();
        assert!(e.contains("invalid size unit"), "{e}");
    }

    #[test]
    fn scanner_tables_are_read_by_their_registration() {
        let c = parse(
            "[deps]\nfail-on = \"critical\"\nadvisories = \"data\"\nmax-db-age = 3\n[secrets]\nfail-on = \"LOW\"\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let d = c
            .scanner::<crate::scanners::deps::DepsConfig>(crate::scanners::deps::KIND)
            .cloned()
            .unwrap_or_default();
        assert_eq!(d.advisories, vec![PathBuf::from("data")]);
        assert_eq!(d.max_db_age, Some(3));
        assert_eq!(
            c.fail_on_scanner.get(&crate::scanners::deps::KIND),
            Some(&FailOn::Critical)
        );
        assert_eq!(
            c.fail_on_scanner.get(&crate::scanners::secrets::KIND),
            Some(&FailOn::Low)
        );
        for (text, want) in [
            (
                "[deps]\nadvisory = \"x\"\n",
                "portcullis.toml:1:1: [deps]: unknown field `advisory`",
            ),
            (
                "x = 1\n[secrets]\nkeywords = 1\n",
                "portcullis.toml:2:1: [secrets]: unknown field `keywords`, expected `fail-on`",
            ),
            ("deps = 3\n", "`deps` must be a table"),
            (
                "[iac]\nfail-on = \"hgh\"\n",
                "[iac] `fail-on`: expected one of",
            ),
            (
                "[deps]\nfail-on = \"hgh\"\n",
                "[deps] `fail-on`: expected one of",
            ),
        ] {
            let e = parse(text).err().unwrap_or_default();
            assert!(e.contains(want), "{text}: {e}");
        }
    }

    #[test]
    fn sizes() {
        assert_eq!(parse_size("10MB").ok(), Some(10 << 20));
        assert_eq!(parse_size("512 KiB").ok(), Some(512 << 10));
        assert_eq!(parse_size("1000").ok(), Some(1000));
        assert!(parse_size("ten").is_err());
    }
}
