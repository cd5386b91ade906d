//! OSV advisory records (the subset matching needs) and the range semantics of the OSV schema: `affected[]`
//! entries by ecosystem and name, `ranges` of type `SEMVER` and `ECOSYSTEM` with `introduced`, `fixed`,
//! `last_affected` and `limit` events, explicit `versions` lists, and `withdrawn` records. `GIT` ranges say
//! nothing about package versions and are ignored.

use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// One OSV record.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Advisory {
    /// Advisory id (`GHSA-…`, `RUSTSEC-…`, `PYSEC-…`, `GO-…`).
    pub id: String,
    /// Other ids of the same vulnerability (CVE, GHSA).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// One-line summary.
    #[serde(default)]
    pub summary: Option<String>,
    /// Longer description (Markdown).
    #[serde(default)]
    pub details: Option<String>,
    /// When the record was last modified (RFC 3339); the newest one dates a database snapshot.
    #[serde(default)]
    pub modified: Option<String>,
    /// When the record was first published (RFC 3339).
    #[serde(default)]
    pub published: Option<String>,
    /// When the record was withdrawn; withdrawn records never match.
    #[serde(default)]
    pub withdrawn: Option<String>,
    /// Severity scores (CVSS vectors).
    #[serde(default)]
    pub severity: Vec<SeverityScore>,
    /// Affected packages.
    #[serde(default)]
    pub affected: Vec<Affected>,
    /// Links.
    #[serde(default)]
    pub references: Vec<Reference>,
    /// Database-specific data (GHSA puts `severity` here).
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

impl Advisory {
    /// The latest of `modified` and `published`, leaving out placeholder dates before 1970 (Go's vulndb
    /// writes `0001-01-01T00:00:00Z`): what dates the record for the database's age.
    pub fn last_change(&self) -> Option<&str> {
        [self.modified.as_deref(), self.published.as_deref()]
            .into_iter()
            .flatten()
            .filter(|d| d.get(..4).is_some_and(|y| y >= "1970"))
            .max()
    }

    /// The RustSec informational kind (`unmaintained`, `unsound`, `notice`) of an advisory that reports no
    /// vulnerability, from `affected[].database_specific.informational`.
    pub fn informational(&self) -> Option<&str> {
        self.affected.iter().find_map(|a| {
            a.database_specific
                .as_ref()?
                .get("informational")?
                .as_str()
                .filter(|s| !s.is_empty())
        })
    }
}

/// A severity score.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct SeverityScore {
    /// `CVSS_V3`, `CVSS_V4`, …
    #[serde(rename = "type")]
    pub kind: String,
    /// The vector string.
    pub score: String,
}

/// A link of an advisory.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Reference {
    /// `ADVISORY`, `FIX`, `WEB`, …
    #[serde(rename = "type", default)]
    pub kind: String,
    /// The URL.
    pub url: String,
}

/// One affected package of an advisory.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
pub struct Affected {
    /// The package, when the entry names one.
    #[serde(default)]
    pub package: Option<AffectedPackage>,
    /// Version ranges.
    #[serde(default)]
    pub ranges: Vec<Range>,
    /// Explicitly listed affected versions.
    #[serde(default)]
    pub versions: Vec<String>,
    /// Ecosystem-specific data (RustSec: `affects.functions`, informational kind).
    #[serde(default)]
    pub ecosystem_specific: Option<serde_json::Value>,
    /// Database-specific data.
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

/// The package of an `affected[]` entry.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct AffectedPackage {
    /// OSV ecosystem name, possibly with a suffix (`Debian:11`).
    #[serde(default)]
    pub ecosystem: String,
    /// Package name.
    #[serde(default)]
    pub name: String,
    /// Package URL.
    #[serde(default)]
    pub purl: Option<String>,
}

/// A version range.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Range {
    /// `SEMVER`, `ECOSYSTEM` or `GIT`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Events in any order.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// A range event: exactly one field is set.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
pub struct Event {
    /// First affected version (`0`: all versions before).
    pub introduced: Option<String>,
    /// First fixed version.
    pub fixed: Option<String>,
    /// Last affected version.
    pub last_affected: Option<String>,
    /// Upper limit of the range (exclusive).
    pub limit: Option<String>,
}

/// Whether an installed version is affected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Not affected.
    No,
    /// Affected.
    Yes,
    /// A version could not be parsed: the caller reports "cannot determine", never "safe".
    Unknown,
}

/// Decides whether `version` is affected by one `affected[]` entry. `cmp` orders two versions of the
/// ecosystem and returns `None` when either does not parse.
pub fn affects(
    entry: &Affected,
    version: &str,
    cmp: &dyn Fn(&str, &str) -> Option<Ordering>,
) -> Verdict {
    if entry.versions.iter().any(|v| v == version) {
        return Verdict::Yes;
    }
    let mut unknown = false;
    for range in entry
        .ranges
        .iter()
        .filter(|r| r.kind == "SEMVER" || r.kind == "ECOSYSTEM")
    {
        match range_affects(range, version, cmp) {
            Verdict::Yes => return Verdict::Yes,
            Verdict::Unknown => unknown = true,
            Verdict::No => {}
        }
    }
    if unknown {
        Verdict::Unknown
    } else {
        Verdict::No
    }
}

/// The OSV evaluation of one range: sort the events by version (`introduced: "0"` first), then walk them; the
/// version is affected when the last event at or below it is an `introduced` one (and it is not above a
/// `last_affected` or at/above a `limit`).
fn range_affects(
    range: &Range,
    version: &str,
    cmp: &dyn Fn(&str, &str) -> Option<Ordering>,
) -> Verdict {
    // (version of the event, kind) with kind 0 = introduced, 1 = fixed, 2 = last_affected, 3 = limit.
    let mut events: Vec<(&str, u8)> = Vec::new();
    for e in &range.events {
        let (v, k) = match (&e.introduced, &e.fixed, &e.last_affected, &e.limit) {
            (Some(v), _, _, _) => (v, 0),
            (_, Some(v), _, _) => (v, 1),
            (_, _, Some(v), _) => (v, 2),
            (_, _, _, Some(v)) => (v, 3),
            _ => continue,
        };
        events.push((v.as_str(), k));
    }
    let order = |a: &str, b: &str| -> Option<Ordering> {
        match (a == "0", b == "0") {
            (true, true) => Some(Ordering::Equal),
            (true, false) => Some(Ordering::Less),
            (false, true) => Some(Ordering::Greater),
            _ => cmp(a, b),
        }
    };
    // Check every comparison we need parses before deciding.
    if order(version, version).is_none() {
        return Verdict::Unknown;
    }
    let mut bad = false;
    events.sort_by(|a, b| {
        order(a.0, b.0).unwrap_or_else(|| {
            bad = true;
            Ordering::Equal
        })
    });
    if bad {
        return Verdict::Unknown;
    }
    let mut affected = false;
    for (v, kind) in events {
        let Some(o) = order(version, v) else {
            return Verdict::Unknown;
        };
        match kind {
            0 if o != Ordering::Less => affected = true,
            1 if o != Ordering::Less => affected = false,
            2 if o == Ordering::Greater => affected = false,
            3 if o != Ordering::Less => affected = false,
            _ => {}
        }
    }
    if affected {
        Verdict::Yes
    } else {
        Verdict::No
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dotted numeric versions, for testing the range walk independently of any ecosystem.
    fn numeric(a: &str, b: &str) -> Option<Ordering> {
        let parse = |s: &str| {
            s.split('.')
                .map(|p| p.parse::<u64>().ok())
                .collect::<Option<Vec<_>>>()
        };
        Some(parse(a)?.cmp(&parse(b)?))
    }

    fn entry(json: &str) -> Affected {
        serde_json::from_str(json).unwrap_or_default()
    }

    #[test]
    fn introduced_fixed() {
        let e = entry(
            r#"{"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}]}"#,
        );
        assert_eq!(affects(&e, "1.1.9", &numeric), Verdict::Yes);
        assert_eq!(affects(&e, "1.2.0", &numeric), Verdict::No);
        assert_eq!(affects(&e, "2.0", &numeric), Verdict::No);
    }

    #[test]
    fn several_intervals_in_any_order() {
        let e = entry(
            r#"{"ranges":[{"type":"SEMVER","events":[{"fixed":"2.5.1"},{"introduced":"1.0.0"},{"fixed":"1.4.2"},{"introduced":"2.0.0"}]}]}"#,
        );
        for (v, want) in [
            ("0.9.0", Verdict::No),
            ("1.0.0", Verdict::Yes),
            ("1.4.1", Verdict::Yes),
            ("1.4.2", Verdict::No),
            ("1.9.0", Verdict::No),
            ("2.0.0", Verdict::Yes),
            ("2.5.1", Verdict::No),
        ] {
            assert_eq!(affects(&e, v, &numeric), want, "{v}");
        }
    }

    #[test]
    fn last_affected_limit_versions_and_git() {
        let e = entry(
            r#"{"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"last_affected":"1.3"}]}]}"#,
        );
        assert_eq!(affects(&e, "1.3", &numeric), Verdict::Yes);
        assert_eq!(affects(&e, "1.3.1", &numeric), Verdict::No);
        let e = entry(
            r#"{"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"limit":"2.0"}]}]}"#,
        );
        assert_eq!(affects(&e, "1.9", &numeric), Verdict::Yes);
        assert_eq!(affects(&e, "2.0", &numeric), Verdict::No);
        let e = entry(
            r#"{"versions":["0.5.1"],"ranges":[{"type":"GIT","events":[{"introduced":"0"}]}]}"#,
        );
        assert_eq!(affects(&e, "0.5.1", &numeric), Verdict::Yes);
        assert_eq!(
            affects(&e, "0.5.2", &numeric),
            Verdict::No,
            "GIT ranges never match package versions"
        );
    }

    #[test]
    fn unparseable_versions_are_unknown_not_safe() {
        let e = entry(
            r#"{"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2.0"}]}]}"#,
        );
        assert_eq!(affects(&e, "banana", &numeric), Verdict::Unknown);
        let e = entry(
            r#"{"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.x"}]}]}"#,
        );
        assert_eq!(affects(&e, "1.0", &numeric), Verdict::Unknown);
    }

    #[test]
    fn records_deserialize() {
        let a: Advisory = serde_json::from_str(
            r#"{"id":"GHSA-xxxx","aliases":["CVE-2024-1"],"summary":"s","withdrawn":null,
               "severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
               "affected":[{"package":{"ecosystem":"npm","name":"left-pad","purl":"pkg:npm/left-pad"},
                 "ranges":[{"type":"SEMVER","events":[{"introduced":"0"},{"fixed":"1.1.0"}]}]}],
               "references":[{"type":"ADVISORY","url":"https://example.org/a"}],"schema_version":"1.6.0"}"#,
        )
        .unwrap_or_default();
        assert_eq!(a.id, "GHSA-xxxx");
        assert_eq!(
            a.affected[0].package.as_ref().map(|p| p.name.as_str()),
            Some("left-pad")
        );
        assert_eq!(a.severity[0].kind, "CVSS_V3");
    }
}
