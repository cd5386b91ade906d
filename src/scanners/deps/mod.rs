//! The `deps` scanner: a thin room over [`crate::lockfile`] (what a lock file declares) and
//! [`crate::advisory`] (what is known about those versions). Each affected package version becomes a finding
//! at the line that declares it; advisory ids become rules at run time.

pub mod config;
pub mod scanner;

pub use config::DepsConfig;

pub use scanner::{
    advisory_rule, advisory_sources, static_rules, DbUnavailable, DepsOptions, DepsScanner,
    LockfileParse, NoSources, KIND, REGISTRATION, UNPINNED_RULE,
};
