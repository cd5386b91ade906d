//! Rule selection, as ruff does it: `select` and `ignore` lists of selectors (a scanner, a rule id or id
//! glob, a tag, a CWE, a confidence). A rule runs when some `select` selector matches it (or `select` is
//! empty) and no `ignore` selector at least as specific matches it: `ignore = ["secrets"]` with
//! `select = ["github-classic-pat"]` keeps that one rule. Between equally specific selectors, one given on
//! the command line beats one from the config file, and otherwise `ignore` wins.

use crate::finding::{Confidence, ScannerKind};
use crate::rules::{Registry, RuleMeta};
use globset::{Glob, GlobMatcher};
use std::fmt;
use thiserror::Error;

/// One selector.
#[derive(Clone, Debug)]
pub enum Selector {
    /// Every rule of a scanner (`secrets`, `scanner:deps`).
    Scanner(ScannerKind),
    /// A rule id or advisory id (`github-classic-pat`, `GHSA-…`), or a glob over ids (`aws-*`).
    Id(IdPattern),
    /// Rules carrying a tag (`tag:external/owasp/a07:2021`), matched case-insensitively.
    Tag(String),
    /// Rules with a CWE (`CWE-798`).
    Cwe(String),
    /// Rules of one confidence (`confidence:low`).
    Confidence(Confidence),
}

/// An exact id or a glob over ids.
#[derive(Clone, Debug)]
pub struct IdPattern {
    text: String,
    glob: Option<GlobMatcher>,
}

impl IdPattern {
    fn matches(&self, id: &str) -> bool {
        match &self.glob {
            Some(g) => g.is_match(id),
            None => self.text.eq_ignore_ascii_case(id),
        }
    }
}

/// A selector that names nothing this build knows.
#[derive(Debug, Error)]
#[error("unknown selector `{text}`: {why}")]
pub struct SelectorError {
    /// The selector as written.
    pub text: String,
    /// What it should look like.
    pub why: String,
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Scanner(k) => write!(f, "scanner:{k}"),
            Selector::Id(p) => write!(f, "{}", p.text),
            Selector::Tag(t) => write!(f, "tag:{t}"),
            Selector::Cwe(c) => f.write_str(c),
            Selector::Confidence(c) => write!(f, "confidence:{}", c.as_str()),
        }
    }
}

/// Whether a rule id is one a registered scanner makes at run time (an advisory id).
fn runtime_owner(id: &str) -> Option<ScannerKind> {
    crate::scanners::REGISTRY
        .iter()
        .find(|r| r.owns_runtime_id.is_some_and(|owns| owns(id)))
        .map(|r| r.kind)
}

fn normal_cwe(s: &str) -> Option<String> {
    let digits = s.get(..4)?.eq_ignore_ascii_case("cwe-").then(|| &s[4..])?;
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("CWE-{}", digits.trim_start_matches('0')))
}

impl Selector {
    /// Parses a selector, checking it against the rules of `registry`: `kind:value` with kind `scanner`,
    /// `id`, `tag`, `cwe` or `confidence`, or a bare scanner name, CWE id, rule id, id glob, advisory id or
    /// tag.
    pub fn parse(text: &str, registry: &Registry) -> Result<Selector, SelectorError> {
        let t = text.trim();
        let err = |why: String| SelectorError {
            text: t.to_string(),
            why,
        };
        let id = |v: &str| -> Result<Selector, SelectorError> {
            let glob = if v.contains(['*', '?', '[']) {
                let g = Glob::new(v).map_err(|e| err(format!("invalid glob: {e}")))?;
                let m = g.compile_matcher();
                if !registry.iter().any(|r| m.is_match(&r.id)) {
                    return Err(err("no rule id matches this glob".into()));
                }
                Some(m)
            } else {
                if registry.get(v).is_none() && runtime_owner(v).is_none() {
                    let s = registry.suggest(v);
                    return Err(err(if s.is_empty() {
                        "no rule has this id (`portcullis rules list` shows them)".into()
                    } else {
                        format!("no rule has this id; did you mean `{}`?", s.join("` or `"))
                    }));
                }
                None
            };
            Ok(Selector::Id(IdPattern {
                text: v.to_string(),
                glob,
            }))
        };
        let tag_known = |v: &str| {
            registry
                .iter()
                .any(|r| r.tags().iter().any(|x| x.eq_ignore_ascii_case(v)))
        };
        if let Some((kind, value)) = t.split_once(':') {
            let value = value.trim();
            match kind.trim().to_ascii_lowercase().as_str() {
                "scanner" => {
                    return crate::scanners::parse_name(value)
                        .map(Selector::Scanner)
                        .map_err(|e| err(e.to_string()))
                }
                "id" => return id(value),
                "tag" if tag_known(value) => return Ok(Selector::Tag(value.to_ascii_lowercase())),
                "tag" => return Err(err("no rule carries this tag".into())),
                "cwe" => {
                    return normal_cwe(&format!("CWE-{}", value.trim_start_matches("CWE-")))
                        .map(Selector::Cwe)
                        .ok_or_else(|| err("expected a CWE number like `cwe:798`".into()))
                }
                "confidence" => {
                    return Confidence::parse(value)
                        .map(Selector::Confidence)
                        .ok_or_else(|| err("confidence is one of: low, medium, high".into()))
                }
                _ => {}
            }
        }
        if let Some(r) = crate::scanners::by_name(t) {
            return Ok(Selector::Scanner(r.kind));
        }
        if crate::scanners::PLANNED.iter().any(|(n, _)| *n == t) {
            return crate::scanners::parse_name(t)
                .map(Selector::Scanner)
                .map_err(|e| err(e.to_string()));
        }
        if let Some(c) = normal_cwe(t) {
            return Ok(Selector::Cwe(c));
        }
        if !t.contains(['*', '?', '[']) && registry.get(t).is_none() && tag_known(t) {
            return Ok(Selector::Tag(t.to_ascii_lowercase()));
        }
        id(t)
    }

    /// How specific the selector is: an id beats a tag, CWE or confidence, which beat a scanner.
    fn specificity(&self) -> u8 {
        match self {
            Selector::Scanner(_) => 1,
            Selector::Tag(_) | Selector::Cwe(_) | Selector::Confidence(_) => 2,
            Selector::Id(_) => 3,
        }
    }

    /// Whether the selector matches `rule` (by its id or one of its aliases, for ids).
    pub fn matches(&self, rule: &RuleMeta) -> bool {
        match self {
            Selector::Scanner(k) => rule.scanner == *k,
            Selector::Id(p) => p.matches(&rule.id) || rule.aliases.iter().any(|a| p.matches(a)),
            Selector::Tag(t) => rule.tags().iter().any(|x| x.eq_ignore_ascii_case(t)),
            Selector::Cwe(c) => rule
                .cwe
                .iter()
                .any(|x| normal_cwe(x).is_some_and(|x| x == *c)),
            Selector::Confidence(c) => rule.confidence == *c,
        }
    }

    /// Whether the selector can match rules `kind` makes at run time (advisories), which are not known
    /// before the scan.
    fn may_match_runtime(&self, kind: ScannerKind) -> bool {
        match self {
            Selector::Scanner(k) => *k == kind,
            Selector::Id(p) => p.glob.is_some() || runtime_owner(&p.text) == Some(kind),
            Selector::Tag(_) | Selector::Cwe(_) | Selector::Confidence(_) => true,
        }
    }
}

/// Where a selector was given: the command line beats the config file between equally specific selectors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    /// `portcullis.toml`.
    Config,
    /// `--select` / `--ignore`.
    CommandLine,
}

/// The `select` and `ignore` lists of a run.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// Rules to run (empty: all).
    pub select: Vec<(Selector, Layer)>,
    /// Rules not to run.
    pub ignore: Vec<(Selector, Layer)>,
}

impl Selection {
    /// Whether `rule` is selected.
    pub fn enabled(&self, rule: &RuleMeta) -> bool {
        let best = |list: &[(Selector, Layer)]| {
            list.iter()
                .filter(|(s, _)| s.matches(rule))
                .map(|(s, l)| (s.specificity(), *l))
                .max()
        };
        let selected = if self.select.is_empty() {
            Some((0, Layer::Config))
        } else {
            best(&self.select)
        };
        match (selected, best(&self.ignore)) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(s), Some(i)) => s > i,
        }
    }

    /// Whether the scanner `kind` may produce a selected finding: it has a selected built-in rule, or it makes
    /// rules at run time and the selection does not exclude them all.
    pub fn scanner_may_run(&self, kind: ScannerKind, registry: &Registry) -> bool {
        if registry
            .iter()
            .any(|r| r.scanner == kind && self.enabled(r))
        {
            return true;
        }
        let runtime =
            crate::scanners::registration(kind).is_some_and(|r| r.owns_runtime_id.is_some());
        runtime
            && (self.select.is_empty()
                || self.select.iter().any(|(s, _)| s.may_match_runtime(kind)))
            && !self
                .ignore
                .iter()
                .any(|(s, _)| matches!(s, Selector::Scanner(k) if *k == kind))
    }

    /// Whether nothing is selected or ignored.
    pub fn is_everything(&self) -> bool {
        self.select.is_empty() && self.ignore.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Registry {
        Registry::new(crate::scanners::all_rule_metas().unwrap_or_default()).unwrap_or_default()
    }

    fn sel(select: &[&str], ignore: &[&str]) -> Result<Selection, SelectorError> {
        let r = registry();
        let parse = |list: &[&str]| {
            list.iter()
                .map(|s| Selector::parse(s, &r).map(|s| (s, Layer::Config)))
                .collect::<Result<Vec<_>, _>>()
        };
        Ok(Selection {
            select: parse(select)?,
            ignore: parse(ignore)?,
        })
    }

    fn enabled_ids(s: &Selection) -> Vec<String> {
        registry()
            .iter()
            .filter(|r| s.enabled(r))
            .map(|r| r.id.clone())
            .collect()
    }

    #[test]
    fn specific_select_beats_broad_ignore() -> Result<(), SelectorError> {
        let s = sel(&["github-classic-pat"], &["secrets"])?;
        assert_eq!(enabled_ids(&s), ["github-classic-pat"]);
        let s = sel(&["secrets"], &["github-classic-pat"])?;
        let ids = enabled_ids(&s);
        assert!(!ids.iter().any(|i| i == "github-classic-pat"));
        assert!(ids.iter().any(|i| i == "aws-access-key-id"));
        assert!(!s.scanner_may_run(crate::scanners::deps::KIND, &registry()));
        Ok(())
    }

    #[test]
    fn kinds_of_selector() -> Result<(), SelectorError> {
        let r = registry();
        // A pattern matches ids and aliases (an IaC check is also known by tfsec's `aws-…` ids).
        let s = sel(&["aws-*"], &[])?;
        let ids = enabled_ids(&s);
        let known_as_aws = |id: &String| {
            id.starts_with("aws-")
                || r.iter()
                    .any(|x| x.id == *id && x.aliases.iter().any(|a| a.starts_with("aws-")))
        };
        assert!(!ids.is_empty() && ids.iter().all(known_as_aws), "{ids:?}");
        let s = sel(&["confidence:low"], &[])?;
        assert!(registry()
            .iter()
            .filter(|x| s.enabled(x))
            .all(|x| x.confidence == Confidence::Low));
        let s = sel(&[], &["cwe:798"])?;
        assert!(registry()
            .iter()
            .filter(|x| x.cwe.iter().any(|c| c == "CWE-798"))
            .all(|x| !s.enabled(x)));
        // An advisory id selects the deps scanner's run-time rules.
        let s = sel(&["GHSA-7rjr-3q55-vv33"], &[])?;
        assert!(s.scanner_may_run(crate::scanners::deps::KIND, &r));
        assert!(!s.scanner_may_run(crate::scanners::secrets::KIND, &r));
        for bad in [
            "github-clasic-pat",
            "tag:nope",
            "confidence:sure",
            "images",
            "zz-*",
        ] {
            let e = Selector::parse(bad, &r).err().map(|e| e.to_string());
            assert!(
                e.as_deref().is_some_and(|e| e.contains(bad)),
                "{bad}: {e:?}"
            );
        }
        Ok(())
    }
}
