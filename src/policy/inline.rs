//! In-source suppressions: `portcullis:ignore[RULE-ID] reason` (every scanner, on the finding's line or the
//! line above), and other tools' syntaxes for the scanner they belong to only, as that tool defines them:
//! `nosemgrep[: rule-id]` (SAST findings, on the finding's line or the line above) and `gitleaks:allow`
//! (secrets, on the finding's line). Found by plain text search, so they work in any language's comment syntax.
//! Directives apply to findings located in the file they are written in, never to another file.

use crate::diagnostic::{Diagnostic, Level};
use crate::finding::{Details, Finding, ScannerKind, SourceText, Suppression, SuppressionKind};
use crate::scanners::PeerSyntax;

const PORTCULLIS: &[u8] = b"portcullis:ignore";
const NOSEMGREP: &[u8] = b"nosemgrep";
const GITLEAKS: &[u8] = b"gitleaks:allow";

/// A directive found on one line.
#[derive(Debug, PartialEq, Eq)]
enum Directive {
    /// `portcullis:ignore[RULE-ID, …] reason`: empty ids = every rule.
    Portcullis { ids: Vec<String>, reason: String },
    /// `nosemgrep` or `nosemgrep: id, id`.
    Nosemgrep { ids: Vec<String> },
    /// `gitleaks:allow`.
    Gitleaks,
    /// Another IaC tool's skip: the syntax, the ids it names (empty: every check), its reason.
    Peer {
        syntax: PeerSyntax,
        ids: Vec<String>,
        reason: String,
    },
}

/// Other IaC tools' skip comments: marker, syntax, how the ids are written after the marker.
const PEERS: &[(&[u8], PeerSyntax)] = &[
    (b"checkov:skip=", PeerSyntax::Checkov),
    (b"hadolint ignore=", PeerSyntax::Hadolint),
    (b"kics-scan ignore-line", PeerSyntax::Kics),
    (b"tfsec:ignore:", PeerSyntax::Tfsec),
    (b"trivy:ignore:", PeerSyntax::Tfsec),
];

/// The ids and reason of a peer skip: `CKV_K8S_16:reason` (Checkov), `DL3002,DL3007` (hadolint),
/// `aws-s3-enable-versioning` / `AVD-AWS-0089` (tfsec, Trivy; one id, an `:exp:` date after it ignored).
fn peer_ids(syntax: PeerSyntax, rest: &str) -> (Vec<String>, String) {
    let word: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ',' | '.'))
        .collect();
    let after = rest[word.len()..].trim_start_matches(':').trim();
    let ids: Vec<String> = word
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    match syntax {
        PeerSyntax::Kics => (Vec::new(), String::new()),
        PeerSyntax::Checkov => (ids, after.to_string()),
        _ => (ids, String::new()),
    }
}

/// Closing comment tokens stripped from the end of a reason.
const COMMENT_CLOSERS: &[&str] = &["*/", "-->", "--%>", "%>", "#}", "}}", "*)"];

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

fn parse_line(line: &[u8]) -> Vec<Directive> {
    let mut out = Vec::new();
    if let Some(i) = find(line, PORTCULLIS) {
        let rest = String::from_utf8_lossy(&line[i + PORTCULLIS.len()..]).into_owned();
        let (ids, reason) = match rest.strip_prefix('[').and_then(|r| r.split_once(']')) {
            Some((ids, reason)) => (split_ids(ids), reason.to_string()),
            None => (Vec::new(), rest),
        };
        let mut reason = reason.trim().to_string();
        for c in COMMENT_CLOSERS {
            if let Some(r) = reason.strip_suffix(c) {
                reason = r.trim_end().to_string();
            }
        }
        out.push(Directive::Portcullis { ids, reason });
    }
    if let Some(i) = find(line, NOSEMGREP) {
        let rest = String::from_utf8_lossy(&line[i + NOSEMGREP.len()..]).into_owned();
        let ids = match rest.trim_start().strip_prefix(':') {
            Some(list) => split_ids(list),
            None => Vec::new(),
        };
        out.push(Directive::Nosemgrep { ids });
    }
    if find(line, GITLEAKS).is_some() {
        out.push(Directive::Gitleaks);
    }
    for (marker, syntax) in PEERS {
        if let Some(i) = find(line, marker) {
            let rest = String::from_utf8_lossy(&line[i + marker.len()..]).into_owned();
            let (ids, reason) = peer_ids(*syntax, &rest);
            out.push(Directive::Peer {
                syntax: *syntax,
                ids,
                reason,
            });
        }
    }
    out
}

fn split_ids(list: &str) -> Vec<String> {
    list.split(',')
        .map(|s| {
            s.trim()
                .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
                .to_string()
        })
        .filter(|s| !s.is_empty() && !s.contains(' '))
        .collect()
}

/// Semgrep ids may be qualified (`rules.python.foo`); a bare id matches its last segment.
fn semgrep_id_matches(id: &str, rule: &str) -> bool {
    id == rule || id.rsplit('.').next() == Some(rule)
}

/// Marks findings suppressed by directives in `source`; warns once per line about broad suppressions.
pub fn apply(
    source: &SourceText<'_>,
    path: &str,
    findings: &mut [Finding],
    diagnostics: &mut Vec<Diagnostic>,
    status: &dyn Fn(&str) -> RuleStatus,
    owns: &dyn Fn(ScannerKind, PeerSyntax) -> bool,
    aliases: &dyn Fn(&str) -> Vec<String>,
) {
    let bytes = source.bytes();
    let mut directive_lines: Vec<u32> = memchr::memmem::find_iter(bytes, PORTCULLIS)
        .map(|o| source.line_number(o))
        .collect();
    directive_lines.dedup();
    if findings.is_empty() && directive_lines.is_empty() {
        return;
    }
    let mut used: Vec<u32> = Vec::new();
    if !directive_lines.is_empty()
        || find(bytes, NOSEMGREP).is_some()
        || find(bytes, GITLEAKS).is_some()
        || PEERS.iter().any(|(m, _)| find(bytes, m).is_some())
    {
        suppress(
            source,
            path,
            findings,
            diagnostics,
            &mut used,
            owns,
            aliases,
        );
    }
    for l in directive_lines {
        for d in parse_line(&bytes[source.line_range(l)]) {
            let Directive::Portcullis { ids, .. } = d else {
                continue;
            };
            let mut all_checked = !ids.is_empty() && ids.iter().all(|i| looks_like_rule_id(i));
            for id in ids.iter().filter(|i| looks_like_rule_id(i)) {
                match status(id) {
                    RuleStatus::Unknown => {
                        all_checked = false;
                        diagnostics.push(Diagnostic::at(
                            Level::Warning,
                            "unknown-rule-in-suppression",
                            path,
                            l,
                            format!("`portcullis:ignore[{id}]` names no known rule and suppresses nothing (`portcullis rules list` shows the ids)"),
                        ));
                    }
                    RuleStatus::NotRun => all_checked = false,
                    RuleStatus::Checked => {}
                }
            }
            if all_checked && !used.contains(&l) {
                diagnostics.push(Diagnostic::at(
                    Level::Note,
                    "unused-suppression",
                    path,
                    l,
                    format!("`portcullis:ignore[{}]` suppresses nothing on this line or the next; remove it", ids.join(", ")),
                ));
            }
        }
    }
}

/// What the run knows about a rule id named in a suppression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleStatus {
    /// No such rule.
    Unknown,
    /// The rule exists but did not run (its scanner is off, or the rule is disabled).
    NotRun,
    /// The rule ran on this file.
    Checked,
}

/// Lower-case kebab-case, as rule ids are (`RULE-ID` in prose is not one).
fn looks_like_rule_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.')
}

/// Marks findings suppressed by directives; records the `portcullis:ignore` lines that suppressed something.
fn suppress(
    source: &SourceText<'_>,
    path: &str,
    findings: &mut [Finding],
    diagnostics: &mut Vec<Diagnostic>,
    used: &mut Vec<u32>,
    owns: &dyn Fn(ScannerKind, PeerSyntax) -> bool,
    aliases: &dyn Fn(&str) -> Vec<String>,
) {
    let bytes = source.bytes();
    let mut warned: Vec<u32> = Vec::new();
    // The lines that hold another IaC tool's skip, found once for the file.
    let mut peer_lines: Vec<u32> = PEERS
        .iter()
        .flat_map(|(m, _)| memchr::memmem::find_iter(bytes, m).map(|o| source.line_number(o)))
        .collect();
    peer_lines.sort_unstable();
    peer_lines.dedup();
    for f in findings
        .iter_mut()
        .filter(|f| f.suppression.is_none() && f.location.path == path)
    {
        let line = f.location.start_line;
        // (line, the finding's own line, peers only): other IaC tools' skips also stand before the construct
        // that holds the finding (the instruction, the resource), Checkov's anywhere inside it (within 500
        // lines of its start).
        let mut lines = vec![(line, true, false), (line.saturating_sub(1), false, false)];
        if let Some(Details::Configuration(c)) = &f.details {
            let first = c.subject_line.saturating_sub(1);
            let last = c
                .subject_end_line
                .min(c.subject_line.saturating_add(500))
                .max(c.subject_line);
            for &l in peer_lines.iter().filter(|&&l| (first..=last).contains(&l)) {
                if l != line && l != line.saturating_sub(1) {
                    lines.push((l, false, true));
                }
            }
        }
        let subject_line = match &f.details {
            Some(Details::Configuration(c)) => c.subject_line,
            _ => 0,
        };
        for (l, same_line, peers_only) in lines {
            if l == 0 || f.suppression.is_some() {
                continue;
            }
            for d in parse_line(&bytes[source.line_range(l)]) {
                match &d {
                    // Inside the subject, only Checkov's skips count.
                    Directive::Peer { syntax, .. }
                        if peers_only && l > subject_line && *syntax != PeerSyntax::Checkov =>
                    {
                        continue
                    }
                    Directive::Peer { .. } => {}
                    _ if peers_only => continue,
                    _ => {}
                }
                let justification = match &d {
                    Directive::Portcullis { ids, reason }
                        if ids.is_empty() || ids.contains(&f.rule_id) =>
                    {
                        used.push(l);
                        if ids.is_empty() && !warned.contains(&l) {
                            warned.push(l);
                            diagnostics.push(Diagnostic::at(
                                Level::Warning,
                                "broad-suppression",
                                path,
                                l,
                                "`portcullis:ignore` without a rule id suppresses every rule on its line; name the rule: `portcullis:ignore[RULE-ID] reason`",
                            ));
                        }
                        if reason.is_empty() {
                            "portcullis:ignore (no reason given)".to_string()
                        } else {
                            reason.clone()
                        }
                    }
                    Directive::Nosemgrep { ids }
                        if owns(f.scanner, PeerSyntax::Nosemgrep)
                            && (ids.is_empty()
                                || ids.iter().any(|i| semgrep_id_matches(i, &f.rule_id))) =>
                    {
                        "nosemgrep".to_string()
                    }
                    Directive::Gitleaks
                        if same_line && owns(f.scanner, PeerSyntax::GitleaksAllow) =>
                    {
                        "gitleaks:allow".to_string()
                    }
                    Directive::Peer {
                        syntax,
                        ids,
                        reason,
                    } if owns(f.scanner, *syntax)
                        && (ids.is_empty()
                            || ids.iter().any(|i| {
                                *i == f.rule_id || aliases(&f.rule_id).iter().any(|a| a == i)
                            })) =>
                    {
                        let tool = match syntax {
                            PeerSyntax::Checkov => "checkov:skip",
                            PeerSyntax::Hadolint => "hadolint ignore",
                            PeerSyntax::Kics => "kics-scan ignore-line",
                            _ => "tfsec/trivy ignore",
                        };
                        match (ids.is_empty(), reason.is_empty()) {
                            (true, _) => tool.to_string(),
                            (false, true) => format!("{tool} {}", ids.join(",")),
                            (false, false) => format!("{tool} {}: {reason}", ids.join(",")),
                        }
                    }
                    _ => continue,
                };
                f.suppression = Some(Suppression {
                    kind: SuppressionKind::InSource,
                    justification,
                    source: None,
                });
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_directives() {
        assert_eq!(
            parse_line(
                concat!(
                    "x = 1  # portcullis",
                    ":ignore[a-rule, b-rule] rotated in 2024"
                )
                .as_bytes()
            ),
            vec![Directive::Portcullis {
                ids: vec!["a-rule".into(), "b-rule".into()],
                reason: "rotated in 2024".into()
            }]
        );
        assert_eq!(
            parse_line(concat!("/* portcullis", ":ignore demo value */").as_bytes()),
            vec![Directive::Portcullis {
                ids: vec![],
                reason: "demo value".into()
            }]
        );
        assert_eq!(
            parse_line(b"// nosemgrep: rules.foo, bar"),
            vec![Directive::Nosemgrep {
                ids: vec!["rules.foo".into(), "bar".into()]
            }]
        );
        assert_eq!(
            parse_line(b"key = 'x' # gitleaks:allow"),
            vec![Directive::Gitleaks]
        );
        assert!(parse_line(b"nothing here").is_empty());
        assert!(semgrep_id_matches("rules.python.foo", "foo"));
    }
}
