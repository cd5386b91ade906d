//! portcullis: a security gate for CI/CD pipelines.
//!
//! Modules depend one way: [`discover`] → [`scanners`] → [`finding`] → [`policy`] → [`report`], tied together
//! by [`scan`]. The command line lives in the binary (`src/main.rs`, `src/cli/`); the library never sees clap.

#![warn(missing_docs)]

pub mod advisory;
pub mod atomic;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod error;
pub mod finding;
pub mod fuzzing;
pub mod lang;
pub mod lockfile;
pub mod policy;
pub mod redact;
pub mod report;
pub mod rules;
pub mod scan;
pub mod scanners;
pub mod source;
pub mod yaml;
