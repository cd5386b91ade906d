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

/// Largest baseline read (a SARIF log of GitHub's 25,000 results is a few tens of megabytes).
const MAX_BASELINE: u64 = 512 << 20;

/// The SARIF `partialFingerprints` key holding portcullis' own fingerprint.
pub const SARIF_FINGERPRINT_KEY: &str = "portcullisFingerprint/v1";

impl Baseline {
    /// Reads a portcullis JSON report or SARIF log.
    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError {
            path: path.display().to_string(),
            message,
        };
        // A baseline may come with the tree: read bounded, never from a FIFO or device.
        let bytes = crate::source::read::read_bounded(path, MAX_BASELINE)
            .map_err(|e| err(format!("cannot read baseline: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|_| err("not valid UTF-8".into()))?;
        Baseline::parse(&path.display().to_string(), &text)
    }

    /// Reads the text of a portcullis JSON report or SARIF log; `origin` names it in errors.
    pub fn parse(origin: &str, text: &str) -> Result<Baseline, BaselineError> {
        let err = |message: String| BaselineError {
            path: origin.to_string(),
            message,
        };
        let v: Value =
            serde_json::from_str(text).map_err(|e| err(format!("not valid JSON: {e}")))?;
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

    /// The fingerprints, in order.
    pub fn fingerprints(&self) -> impl Iterator<Item = &String> {
        self.fingerprints.iter()
    }
}
