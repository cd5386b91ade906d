//! The dependency audit: lock files and manifests → [`Package`]s → advisories (OSV, RustSec) → findings.
//!
//! - [`lockfiles`]: one parser per format, `&str → ParsedLockfile`; [`package`]: the one package model.
//! - [`inventory`]: reading a file (and its `-r` includes, or the `go.sum` of an old `go.mod`) into packages.
//! - [`osv`]: the OSV record model and range semantics; [`versions`]: version order per ecosystem.
//! - [`db`]: an in-memory set of advisories by package; [`index`]: an osv.dev zip compiled for lookups;
//!   [`rustsec`]: RustSec advisory-db trees as OSV records; [`database`]: all sources of a run, opened lazily.
//! - [`audit`]: packages × advisories → matches with the smallest fix; [`severity`]: CVSS scores.
//! - [`scanner`]: the `deps` scanner (findings, fail-closed checks); [`online`]: the OSV API client;
//!   [`update`]: `db update` / `db status`; [`sbom`]: purls and CycloneDX.

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
pub use scanner::{
    advisory_rule, advisory_sources, static_rules, DepsOptions, DepsScanner, UNPINNED_RULE,
};
