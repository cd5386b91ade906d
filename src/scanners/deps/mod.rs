//! The dependency audit (in progress): lock files and manifests → [`Package`]s → advisories.
//!
//! This module is not offered on the command line until advisory matching lands (issue 4); its parsers are
//! complete units with their own tests.

pub mod audit;
pub mod db;
pub mod lockfiles;
pub mod online;
pub mod osv;
pub mod package;
pub mod sbom;
pub mod severity;
#[cfg(test)]
mod testserver;
pub mod update;
pub mod versions;

pub use package::{Ecosystem, Include, LockfileError, Package, ParsedLockfile, Source, Unpinned};
