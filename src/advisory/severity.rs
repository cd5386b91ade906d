//! Advisory severity: the highest CVSS base score over the advisory's vectors (v3.0/v3.1 computed here from
//! the CVSS v3.1 specification, section 7; v4.0 through the `cvss` crate), else the database's own severity
//! label, else `medium`.

use crate::advisory::osv::Advisory;
use crate::finding::Severity;

/// The CVSS v3.0/v3.1 base score of a vector like `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`.
pub fn cvss3_base_score(vector: &str) -> Option<f64> {
    let mut parts = vector.split('/');
    let head = parts.next()?;
    if !(head == "CVSS:3.1" || head == "CVSS:3.0") {
        return None;
    }
    let mut m = std::collections::BTreeMap::new();
    for p in parts {
        let (k, v) = p.split_once(':')?;
        m.insert(k, v);
    }
    let changed = match *m.get("S")? {
        "U" => false,
        "C" => true,
        _ => return None,
    };
    let av = match *m.get("AV")? {
        "N" => 0.85,
        "A" => 0.62,
        "L" => 0.55,
        "P" => 0.2,
        _ => return None,
    };
    let ac = match *m.get("AC")? {
        "L" => 0.77,
        "H" => 0.44,
        _ => return None,
    };
    let pr = match (*m.get("PR")?, changed) {
        ("N", _) => 0.85,
        ("L", false) => 0.62,
        ("L", true) => 0.68,
        ("H", false) => 0.27,
        ("H", true) => 0.5,
        _ => return None,
    };
    let ui = match *m.get("UI")? {
        "N" => 0.85,
        "R" => 0.62,
        _ => return None,
    };
    let cia = |k: &str| -> Option<f64> {
        match *m.get(k)? {
            "H" => Some(0.56),
            "L" => Some(0.22),
            "N" => Some(0.0),
            _ => None,
        }
    };
    let iss = 1.0 - (1.0 - cia("C")?) * (1.0 - cia("I")?) * (1.0 - cia("A")?);
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powi(15)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22 * av * ac * pr * ui;
    if impact <= 0.0 {
        return Some(0.0);
    }
    let raw = if changed {
        (1.08 * (impact + exploitability)).min(10.0)
    } else {
        (impact + exploitability).min(10.0)
    };
    Some(roundup(raw))
}

/// The CVSS v4.0 base metrics, the only ones the base score (CVSS-B) uses.
const CVSS4_BASE: [&str; 11] = [
    "AV", "AC", "AT", "PR", "UI", "VC", "VI", "VA", "SC", "SI", "SA",
];

/// The CVSS v4.0 base score (CVSS-B) of a vector like `CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N`,
/// computed by the `cvss` crate; threat, environmental and supplemental metrics in the vector are left out.
pub fn cvss4_base_score(vector: &str) -> Option<f64> {
    use std::str::FromStr;
    if !vector.starts_with("CVSS:4.0/") {
        return None;
    }
    // The whole vector must be valid; then score its base metrics alone.
    cvss::v4::Vector::from_str(vector).ok()?;
    let base: Vec<&str> = vector
        .split('/')
        .filter(|c| {
            c.starts_with("CVSS:")
                || c.split_once(':')
                    .is_some_and(|(k, _)| CVSS4_BASE.contains(&k))
        })
        .collect();
    let base = cvss::v4::Vector::from_str(&base.join("/")).ok()?;
    Some(base.score().value())
}

/// The base score of a CVSS v3.0, v3.1 or v4.0 vector; `None` for anything else.
pub fn base_score(vector: &str) -> Option<f64> {
    cvss3_base_score(vector).or_else(|| cvss4_base_score(vector))
}

/// CVSS v3.1 `Roundup`: the smallest number with one decimal that is not below the input.
fn roundup(x: f64) -> f64 {
    let int_input = (x * 100_000.0).round() as i64;
    if int_input % 10_000 == 0 {
        int_input as f64 / 100_000.0
    } else {
        ((int_input / 10_000) + 1) as f64 / 10.0
    }
}

/// The qualitative rating of a CVSS score.
pub fn from_score(score: f64) -> Severity {
    match score {
        s if s >= 9.0 => Severity::Critical,
        s if s >= 7.0 => Severity::High,
        s if s >= 4.0 => Severity::Medium,
        s if s > 0.0 => Severity::Low,
        _ => Severity::Info,
    }
}

/// The severity of an advisory: the highest CVSS base score (v3 or v4) among its vectors, else a `severity`
/// label in `database_specific` (GHSA: `LOW`/`MODERATE`/`HIGH`/`CRITICAL`), else `medium`. Also returns the
/// score.
pub fn of(adv: &Advisory) -> (Severity, Option<f64>) {
    let best = adv
        .severity
        .iter()
        .filter_map(|s| base_score(&s.score))
        .fold(None, |acc: Option<f64>, s| {
            Some(acc.map_or(s, |a| a.max(s)))
        });
    if let Some(score) = best {
        return (from_score(score), Some(score));
    }
    let label = adv
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(|s| s.as_str())
        .map(str::to_ascii_lowercase);
    let sev = match label.as_deref() {
        Some("critical") => Severity::Critical,
        Some("high") => Severity::High,
        Some("moderate") | Some("medium") => Severity::Medium,
        Some("low") => Severity::Low,
        _ => Severity::Medium,
    };
    (sev, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss31_reference_scores() {
        // Scores as computed by the FIRST CVSS v3.1 calculator.
        for (v, want) in [
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1),
            ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N", 5.5),
            ("CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H", 5.9),
            ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0),
        ] {
            assert_eq!(cvss3_base_score(v), Some(want), "{v}");
        }
        assert_eq!(
            cvss3_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"),
            None
        );
        assert_eq!(cvss3_base_score("CVSS:3.1/AV:X"), None);
    }

    #[test]
    fn cvss40_reference_scores() {
        // CVSS-B scores as FIRST's CVSS v4.0 calculator reports them (the 7.3 one is the ngx_http_mp4_module
        // CVE-2022-41741 example of FIRST's "CVSS v4.0 Examples" document); they agree with the `cvss` crate.
        for (v, want) in [
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
                10.0,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                9.3,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N",
                6.9,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:H/SI:H/SA:H",
                7.9,
            ),
            (
                "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                7.3,
            ),
            (
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N",
                0.0,
            ),
        ] {
            assert_eq!(cvss4_base_score(v), Some(want), "{v}");
            assert_eq!(base_score(v), Some(want), "{v}");
        }
        // Threat and environmental metrics do not change the base score.
        assert_eq!(
            cvss4_base_score(
                "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:U/MVI:L"
            ),
            Some(10.0)
        );
        assert_eq!(
            cvss4_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N"),
            None,
            "a base metric is missing"
        );
        assert_eq!(
            cvss4_base_score("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:Q"),
            None,
            "an invalid value anywhere rejects the vector"
        );
        assert_eq!(
            cvss4_base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            None
        );
        assert_eq!(
            base_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            Some(9.8)
        );
    }

    #[test]
    fn the_highest_score_over_v3_and_v4_vectors_wins() {
        let a: Advisory = serde_json::from_str(
            r#"{"id":"X","severity":[
                {"type":"CVSS_V3","score":"CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N"},
                {"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}]}"#,
        )
        .unwrap_or_default();
        assert_eq!(of(&a), (Severity::Critical, Some(9.3)));
        let a: Advisory = serde_json::from_str(
            r#"{"id":"X","severity":[
                {"type":"CVSS_V4","score":"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:L/VA:L/SC:N/SI:N/SA:N"},
                {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}"#,
        )
        .unwrap_or_default();
        assert_eq!(of(&a), (Severity::Critical, Some(9.8)));
        let a: Advisory = serde_json::from_str(
            r#"{"id":"X","severity":[{"type":"CVSS_V4","score":"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}],
               "database_specific":{"severity":"LOW"}}"#,
        )
        .unwrap_or_default();
        assert_eq!(of(&a), (Severity::High, Some(7.3)));
    }

    #[test]
    fn severity_falls_back_to_the_database_label_then_medium() {
        let a: Advisory =
            serde_json::from_str(r#"{"id":"X","database_specific":{"severity":"MODERATE"}}"#)
                .unwrap_or_default();
        assert_eq!(of(&a), (Severity::Medium, None));
        let a: Advisory = serde_json::from_str(
            r#"{"id":"X","severity":[{"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],"database_specific":{"severity":"LOW"}}"#,
        )
        .unwrap_or_default();
        assert_eq!(of(&a), (Severity::Critical, Some(9.8)));
        assert_eq!(of(&Advisory::default()), (Severity::Medium, None));
    }
}
