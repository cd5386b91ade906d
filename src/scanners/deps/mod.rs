//! The dependency audit (in progress): lock files and manifests → [`Package`]s → advisories.
//!
//! This module is not offered on the command line until advisory matching lands (issue 4); its parsers are
//! complete units with their own tests.

pub mod audit;
pub mod db;
pub mod lockfiles;
pub mod osv;
pub mod package;
pub mod rustsec;
pub mod sbom;
pub mod severity;
pub mod versions;

pub use package::{Ecosystem, Include, LockfileError, Package, ParsedLockfile, Source, Unpinned};
