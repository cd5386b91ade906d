//! Lock files and manifests: the one package model and everything that reads it, used directly by `scan` (the
//! `deps` scanner), `sbom`, `db update` and `explain`.
//!
//! - [`package`]: [`Package`], [`Ecosystem`] and name normalisation; [`versions`]: version order per ecosystem.
//! - [`parsers`]: one parser per format, `&str → ParsedLockfile`, and [`parsers::Format`] detection.
//! - [`inventory`]: one file's bytes to packages (and the files it brings in), and the inventory of a tree.
//! - [`sbom`]: purls and CycloneDX.

pub mod inventory;
pub mod package;
pub mod parsers;
pub mod sbom;
pub mod versions;

pub use package::{Ecosystem, Include, LockfileError, Package, ParsedLockfile, Source, Unpinned};
