//! The `[deps]` table of `portcullis.toml`: where the dependency audit finds its advisory data and how it
//! judges it. Paths are relative to the config file's directory. (`fail-on`, common to every scanner's
//! table, is read by the config itself.)

use crate::scanners::ScannerConfig;
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDeps {
    ignore_unfixed: Option<bool>,
    advisories: Option<OneOrMany>,
    cache_dir: Option<String>,
    allow_missing_db: Option<bool>,
    allow_partial_db: Option<bool>,
    max_db_age: Option<u32>,
    informational: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// The validated `[deps]` table.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DepsConfig {
    /// Advisory sources (directories of OSV zips/JSON, RustSec trees).
    pub advisories: Vec<PathBuf>,
    /// Cache directory for downloads and compiled indexes.
    pub cache_dir: Option<PathBuf>,
    /// Missing advisory data is a warning instead of an error.
    pub allow_missing_db: Option<bool>,
    /// Unreadable advisory records are a warning instead of an error.
    pub allow_partial_db: Option<bool>,
    /// Days after which advisory data is reported as stale.
    pub max_db_age: Option<u32>,
    /// Report RustSec informational advisories.
    pub informational: Option<bool>,
    /// Advisories without a fixed version never fail the gate.
    pub ignore_unfixed: Option<bool>,
}

/// Reads the table (the registration's `config`).
pub fn parse_table(table: toml::Table, base: &Path) -> Result<ScannerConfig, toml::de::Error> {
    let d: RawDeps = toml::Value::Table(table).try_into()?;
    Ok(ScannerConfig::new(DepsConfig {
        ignore_unfixed: d.ignore_unfixed,
        advisories: match d.advisories {
            None => Vec::new(),
            Some(OneOrMany::One(p)) => vec![base.join(p)],
            Some(OneOrMany::Many(v)) => v.into_iter().map(|p| base.join(p)).collect(),
        },
        cache_dir: d.cache_dir.map(|p| base.join(p)),
        allow_missing_db: d.allow_missing_db,
        allow_partial_db: d.allow_partial_db,
        max_db_age: d.max_db_age,
        informational: d.informational,
    }))
}
