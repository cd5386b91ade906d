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
    /// When the record was withdrawn; withdrawn records never match. A value that is not an RFC 3339 time
    /// makes the record invalid (skipped with an error), never silently withdrawn.
    #[serde(default, deserialize_with = "timestamp")]
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

/// An optional RFC 3339 timestamp, refused when it does not parse.
fn timestamp<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v: Option<String> = Option::deserialize(d)?;
    match v {
        Some(t) if crate::advisory::update::parse_rfc3339(&t).is_none() => Err(
            serde::de::Error::custom(format!("`withdrawn` is not an RFC 3339 time: {t:?}")),
        ),
        v => Ok(v),
    }
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
    /// How its versions are ordered.
    #[serde(rename = "type")]
    pub kind: RangeKind,
    /// Events in any order.
    #[serde(default)]
    pub events: Vec<Event>,
}

/// How the versions of a range are ordered.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RangeKind {
    /// Semantic versions.
    Semver,
    /// The ecosystem's own version order.
    Ecosystem,
    /// Commit hashes: says nothing about package versions.
    Git,
    /// A type this build does not know: never matched.
    #[default]
    #[serde(other)]
    Unknown,
}

impl RangeKind {
    /// Whether the range orders package versions (`SEMVER`, `ECOSYSTEM`).
    pub fn orders_versions(self) -> bool {
        matches!(self, RangeKind::Semver | RangeKind::Ecosystem)
    }
}

/// A range event: OSV writes each as an object with exactly one of these keys; anything else makes the
/// record invalid (it is skipped with a warning, never half-read).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// First affected version (`0`: all versions before).
    Introduced(String),
    /// First fixed version.
    Fixed(String),
    /// Last affected version.
    LastAffected(String),
    /// Upper limit of the range (exclusive).
    Limit(String),
}

impl Event {
    /// The version the event names.
    pub fn version(&self) -> &str {
        match self {
            Event::Introduced(v) | Event::Fixed(v) | Event::LastAffected(v) | Event::Limit(v) => v,
        }
    }

    /// The fixed version, for a `fixed` event.
    pub fn fixed(&self) -> Option<&str> {
        match self {
            Event::Fixed(v) => Some(v),
            _ => None,
        }
    }
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
    for range in entry.ranges.iter().filter(|r| r.kind.orders_versions()) {
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
    let mut events: Vec<&Event> = range.events.iter().collect();
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
        order(a.version(), b.version()).unwrap_or_else(|| {
            bad = true;
            Ordering::Equal
        })
    });
    if bad {
        return Verdict::Unknown;
    }
    let mut affected = false;
    for e in events {
        let Some(o) = order(version, e.version()) else {
            return Verdict::Unknown;
        };
        match e {
            Event::Introduced(_) if o != Ordering::Less => affected = true,
            Event::Fixed(_) | Event::Limit(_) if o != Ordering::Less => affected = false,
            Event::LastAffected(_) if o == Ordering::Greater => affected = false,
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
        assert_eq!(a.affected[0].ranges[0].kind, RangeKind::Semver);
        assert_eq!(
            a.affected[0].ranges[0].events,
            [Event::Introduced("0".into()), Event::Fixed("1.1.0".into())]
        );
    }

    #[test]
    fn a_withdrawn_time_that_does_not_parse_makes_the_record_invalid() {
        let bad = r#"{"id":"X","withdrawn":"garbage"}"#;
        assert!(serde_json::from_str::<Advisory>(bad).is_err());
        let good: Advisory =
            serde_json::from_str(r#"{"id":"X","withdrawn":"2024-01-01T00:00:00Z"}"#)
                .unwrap_or_default();
        assert!(good.withdrawn.is_some());
    }

    #[test]
    fn malformed_events_make_the_record_invalid() {
        for bad in [
            r#"{"introduced":"0","fixed":"1.0"}"#,
            r#"{"fixd":"1.0"}"#,
            r#"{}"#,
            r#"{"fixed":3}"#,
        ] {
            let json = format!(
                r#"{{"id":"X","affected":[{{"ranges":[{{"type":"SEMVER","events":[{bad}]}}]}}]}}"#
            );
            assert!(serde_json::from_str::<Advisory>(&json).is_err(), "{bad}");
        }
        let odd: Advisory = serde_json::from_str(
            r#"{"id":"X","affected":[{"ranges":[{"type":"BZR","events":[{"introduced":"0"}]}]}]}"#,
        )
        .unwrap_or_default();
        assert_eq!(odd.affected[0].ranges[0].kind, RangeKind::Unknown);
        assert_eq!(affects(&odd.affected[0], "1", &numeric), Verdict::No);
    }
}
