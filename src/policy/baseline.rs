//! Baselines: fingerprints read from an earlier JSON or SARIF output of portcullis.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use thiserror::Error;

/// A baseline file that cannot be used.
#[derive(Debug, Error)]
#[error("{path}: {message}")]
pub struct BaselineError {
    /// The baseline file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The fingerprints of an earlier run.
#[derive(Clone, Debug, Default)]
pub struct Baseline {
    fingerprints: BTreeSet<String>,
}

/// The SARIF `partialFingerprints` key holding portcullis' own fingerprint.
pub const SARIF_FINGERPRINT_KEY: &str = "portcullisFingerprint/v1";

impl Baseline {
    /// Reads a portcullis JSON report or SARIF log.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError {
            path: path.display().to_string(),
            message,
        };
        let text =
            std::fs::read_to_string(path).map_err(|e| err(format!("cannot read baseline: {e}")))?;
        let v: Value =
            serde_json::from_str(&text).map_err(|e| err(format!("not valid JSON: {e}")))?;
        let mut fingerprints = BTreeSet::new();
        if let Some(findings) = v.get("findings").and_then(Value::as_array) {
            fingerprints.extend(
                findings
                    .iter()
                    .filter_map(|f| f.get("fingerprint")?.as_str().map(String::from)),
            );
        } else if let Some(runs) = v.get("runs").and_then(Value::as_array) {
            for run in runs {
                for r in run
                    .get("results")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    if let Some(fp) = r
                        .get("partialFingerprints")
                        .and_then(|p| p.get(SARIF_FINGERPRINT_KEY))
                        .and_then(Value::as_str)
                    {
                        fingerprints.insert(fp.to_string());
                    }
                }
            }
        } else {
            return Err(err(
                "neither a portcullis JSON report (`findings`) nor a SARIF log (`runs`)".into(),
            ));
        }
        Ok(Baseline { fingerprints })
    }

    /// Builds a baseline from fingerprints.
    pub fn from_fingerprints(fps: impl IntoIterator<Item = String>) -> Baseline {
        Baseline {
            fingerprints: fps.into_iter().collect(),
        }
    }

    /// Whether the fingerprint was present.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.fingerprints.contains(fingerprint)
    }
}
