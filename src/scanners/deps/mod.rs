//! The dependency audit: lock files and manifests → [`Package`]s → advisories (OSV, RustSec) → findings.

pub mod audit;
pub mod database;
pub mod db;
pub mod index;
pub mod inventory;
pub mod lockfiles;
pub mod online;
pub mod osv;
pub mod package;
pub mod rustsec;
pub mod sbom;
pub mod scanner;
pub mod severity;
#[cfg(test)]
mod testserver;
pub mod update;
pub mod versions;

pub use package::{Ecosystem, Include, LockfileError, Package, ParsedLockfile, Source, Unpinned};
pub use scanner::{advisory_rule, static_rules, DepsOptions, DepsScanner, UNPINNED_RULE};
