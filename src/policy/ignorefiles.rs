//! The ignore files users already keep for other tools, honoured as `[[ignore]]` entries with their file as
//! the source:
//! - `.trivyignore` at the repository root (Trivy): one id per line, optionally `exp:YYYY-MM-DD`, `#`
//!   comments; applies to every finding known by that id (advisory ids, aliases, rule ids);
//! - `osv-scanner.toml` (osv-scanner): `[[IgnoredVulns]]` with `id`, optional `ignoreUntil` and `reason`;
//!   applies to the lock files in its own directory only, as osv-scanner does;
//! - `.cargo/audit.toml` (cargo-audit): `[advisories] ignore = [ids]`; applies to the `Cargo.lock` files of
//!   the directory holding `.cargo/` and below.

use crate::config::{Date, IgnoreEntry};
use crate::diagnostic::{Diagnostic, Level};
use crate::source::{ReadError, Reader};
use serde::Deserialize;
use std::collections::BTreeSet;

/// The ignore entries of other tools' files that apply to a scan whose lock files are `lockfiles`
/// (repository-relative paths), read through `reader`; files that do not parse are warnings.
pub fn collect<'a>(
    lockfiles: impl IntoIterator<Item = &'a str>,
    reader: &dyn Reader,
) -> (Vec<IgnoreEntry>, Vec<Diagnostic>) {
    let mut entries = Vec::new();
    let mut diags = Vec::new();
    let read = |rel: &str, diags: &mut Vec<Diagnostic>| -> Option<String> {
        match reader.read(rel) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => Some(t),
                Err(_) => {
                    diags.push(warning(
                        rel,
                        0,
                        "not valid UTF-8; its entries are not honoured",
                    ));
                    None
                }
            },
            Err(ReadError::NotFound) => None,
            Err(e) => {
                diags.push(warning(
                    rel,
                    0,
                    &format!("{e}; its entries are not honoured"),
                ));
                None
            }
        }
    };
    if let Some(text) = read(".trivyignore", &mut diags) {
        entries.extend(trivyignore(".trivyignore", &text));
    }
    let mut dirs: BTreeSet<&str> = BTreeSet::new();
    let mut cargo_dirs: BTreeSet<&str> = BTreeSet::new();
    for p in lockfiles {
        let (dir, name) = p.rsplit_once('/').unwrap_or(("", p));
        dirs.insert(dir);
        if name == "Cargo.lock" {
            cargo_dirs.insert(dir);
        }
    }
    for dir in dirs {
        let rel = join(dir, "osv-scanner.toml");
        if let Some(text) = read(&rel, &mut diags) {
            match osv_scanner(&rel, dir, &text) {
                Ok(e) => entries.extend(e),
                Err(d) => diags.push(d),
            }
        }
    }
    for dir in cargo_dirs {
        let rel = join(dir, ".cargo/audit.toml");
        if let Some(text) = read(&rel, &mut diags) {
            match cargo_audit(&rel, dir, &text) {
                Ok(e) => entries.extend(e),
                Err(d) => diags.push(d),
            }
        }
    }
    (entries, diags)
}

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn warning(path: &str, line: usize, message: &str) -> Diagnostic {
    match u32::try_from(line) {
        Ok(0) | Err(_) => Diagnostic::file(Level::Warning, "ignore-file-invalid", path, message),
        Ok(n) => Diagnostic::at(Level::Warning, "ignore-file-invalid", path, n, message),
    }
}

fn entry(
    id: &str,
    glob: Option<String>,
    reason: String,
    expires: Option<Date>,
    line: usize,
    origin: &str,
) -> IgnoreEntry {
    let matcher = glob
        .as_ref()
        .and_then(|g| crate::discover::globset(std::slice::from_ref(g)).ok());
    IgnoreEntry {
        rule: Some(id.to_string()),
        path: glob,
        matcher,
        reason,
        expires,
        line,
        origin: origin.to_string(),
        other_tool: true,
    }
}

/// `.trivyignore`: `ID [exp:YYYY-MM-DD] [# comment]`; a comment on the lines just above an id is its reason.
fn trivyignore(origin: &str, text: &str) -> Vec<IgnoreEntry> {
    let mut out = Vec::new();
    let mut comment: Vec<&str> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(c) = line.strip_prefix('#') {
            comment.push(c.trim());
            continue;
        }
        let (body, trailing) = match line.split_once('#') {
            Some((b, c)) => (b.trim(), Some(c.trim())),
            None => (line, None),
        };
        let mut words = body.split_whitespace();
        let Some(id) = words.next() else {
            comment.clear();
            continue;
        };
        let expires = words
            .find_map(|w| w.strip_prefix("exp:"))
            .and_then(Date::parse_iso);
        let reason = trailing
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .or_else(|| (!comment.is_empty()).then(|| comment.join(" ")))
            .unwrap_or_else(|| format!("listed in {origin}"));
        out.push(entry(id, None, reason, expires, i + 1, origin));
        comment.clear();
    }
    out
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct OsvScannerConfig {
    #[serde(default)]
    ignored_vulns: Vec<toml::Spanned<IgnoredVuln>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct IgnoredVuln {
    id: String,
    ignore_until: Option<toml::Value>,
    reason: Option<String>,
}

/// The 1-based line of byte `offset`.
fn line_at(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |t| t.matches('\n').count() + 1)
}

/// A date written as a TOML date, a date-time or a string.
fn date_of(v: &toml::Value) -> Option<Date> {
    match v {
        toml::Value::Datetime(dt) => Date::parse_iso(&dt.to_string()),
        toml::Value::String(s) => Date::parse_iso(s.trim()),
        _ => None,
    }
}

/// Parses another tool's TOML file; an error is a warning at its line.
fn from_toml<T: serde::de::DeserializeOwned>(rel: &str, text: &str) -> Result<T, Diagnostic> {
    toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| line_at(text, s.start));
        let message = format!("{}; its entries are not honoured", e.message().trim());
        warning(rel, line, &message)
    })
}

fn osv_scanner(rel: &str, dir: &str, text: &str) -> Result<Vec<IgnoreEntry>, Diagnostic> {
    let cfg: OsvScannerConfig = from_toml(rel, text)?;
    let glob = if dir.is_empty() {
        "*".to_string()
    } else {
        format!("{dir}/*")
    };
    let mut out = Vec::new();
    for v in cfg.ignored_vulns {
        let line = line_at(text, v.span().start);
        let v = v.into_inner();
        let expires = match &v.ignore_until {
            None => None,
            Some(d) => Some(date_of(d).ok_or_else(|| {
                warning(
                    rel,
                    line,
                    "`ignoreUntil` is not a date like 2027-01-31; its entries are not honoured",
                )
            })?),
        };
        let reason = v
            .reason
            .filter(|r| !r.trim().is_empty())
            .map_or_else(|| format!("listed in {rel}"), |r| r.trim().to_string());
        out.push(entry(
            v.id.trim(),
            Some(glob.clone()),
            reason,
            expires,
            line,
            rel,
        ));
    }
    Ok(out)
}

#[derive(Deserialize)]
struct CargoAuditConfig {
    advisories: Option<CargoAuditAdvisories>,
}

#[derive(Deserialize)]
struct CargoAuditAdvisories {
    #[serde(default)]
    ignore: Vec<toml::Spanned<String>>,
}

fn cargo_audit(rel: &str, dir: &str, text: &str) -> Result<Vec<IgnoreEntry>, Diagnostic> {
    let cfg: CargoAuditConfig = from_toml(rel, text)?;
    let glob = (!dir.is_empty()).then(|| dir.to_string());
    Ok(cfg
        .advisories
        .map(|a| a.ignore)
        .unwrap_or_default()
        .into_iter()
        .map(|id| {
            let line = line_at(text, id.span().start);
            let reason = format!("ignored in {rel}");
            entry(id.get_ref().trim(), glob.clone(), reason, None, line, rel)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trivyignore_lines() {
        let e = trivyignore(
            ".trivyignore",
            "# accepted until the base image moves\nCVE-2023-1 exp:2027-01-31\n\nGHSA-x-y-z # not reachable\nAVD-DS-0002\n",
        );
        let got: Vec<_> = e
            .iter()
            .map(|e| {
                (
                    e.rule.clone().unwrap_or_default(),
                    e.reason.clone(),
                    e.expires,
                    e.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    "CVE-2023-1".to_string(),
                    "accepted until the base image moves".to_string(),
                    Date::parse_iso("2027-01-31"),
                    2
                ),
                (
                    "GHSA-x-y-z".to_string(),
                    "not reachable".to_string(),
                    None,
                    4
                ),
                (
                    "AVD-DS-0002".to_string(),
                    "listed in .trivyignore".to_string(),
                    None,
                    5
                ),
            ]
        );
    }

    #[test]
    fn osv_scanner_entries_apply_to_their_directory_only() {
        let e = osv_scanner(
            "svc/osv-scanner.toml",
            "svc",
            "[[IgnoredVulns]]\nid = \"GO-2022-0968\"\nignoreUntil = 2027-11-09\nreason = \"no ssh servers\"\n\n[[IgnoredVulns]]\nid = \"GHSA-a\"\n",
        )
        .unwrap_or_default();
        assert_eq!(e.len(), 2);
        assert_eq!(e[0].expires, Date::parse_iso("2027-11-09"));
        assert_eq!(e[0].reason, "no ssh servers");
        assert_eq!(e[1].line, 6);
        let m = e[0].matcher.clone().unwrap_or_default();
        assert!(m.is_match("svc/go.mod"));
        assert!(!m.is_match("svc/sub/go.mod"));
        assert!(!m.is_match("other/go.mod"));
        let bad = osv_scanner("osv-scanner.toml", "", "[[IgnoredVulns]]\nid = 3\n");
        assert!(bad.is_err());
    }

    #[test]
    fn cargo_audit_ignores() {
        let e = cargo_audit(
            ".cargo/audit.toml",
            "",
            "[advisories]\nignore = [\"RUSTSEC-2020-0071\"]\n[output]\ndeny = [\"warnings\"]\n",
        )
        .unwrap_or_default();
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].rule.as_deref(), Some("RUSTSEC-2020-0071"));
        assert!(e[0].matcher.is_none());
        assert_eq!(e[0].line, 2);
    }
}
