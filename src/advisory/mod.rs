//! Advisory data: the OSV record model, the advisory sources of a run (osv.dev zips, loose OSV JSON, RustSec
//! trees) with their compiled index in the cache, matching packages against them, and the network edge
//! (`db update` downloads, the OSV API). The `deps` scanner, `explain` and `db` use it directly.
//!
//! - [`osv`]: OSV records and exact range semantics; [`severity`]: CVSS scores.
//! - [`db`]: an in-memory set of advisories by package; [`index`]: an osv.dev zip compiled for lookups;
//!   [`rustsec`]: RustSec advisory-db trees as OSV records; [`database`]: all sources of a run.
//! - [`audit`]: packages × advisories → matches with the smallest fix.
//! - [`update`]: `db update` / `db status` and the cache layout; [`online`]: the OSV API client.

pub mod audit;
pub mod bounded;
pub mod database;
pub mod db;
pub mod http;
pub mod index;
pub mod online;
pub mod osv;
pub mod rustsec;
pub mod severity;
#[cfg(test)]
mod testserver;
pub mod update;
