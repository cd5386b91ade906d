//! Lock-file and manifest parsers: one module per format, each a pure `&str → ParsedLockfile` function.
//! [`Format::detect`] maps a file name to its format; [`parse`] dispatches.

mod cargo;
mod keyed;
pub mod lines;
mod npm;
mod pnpm;
mod yarn;

use super::package::{LockfileError, ParsedLockfile};

/// Every supported lock-file or manifest format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `Cargo.lock` (v1 to v4).
    CargoLock,
    /// `package-lock.json` (v1 to v3) and `npm-shrinkwrap.json`.
    NpmLock,
    /// `yarn.lock`, classic (v1) and berry (v2+).
    YarnLock,
    /// `pnpm-lock.yaml` (lockfile v5, v6 and v9).
    PnpmLock,
}

impl Format {
    /// The format of a file, by its name (the last path component).
    pub fn detect(file_name: &str) -> Option<Format> {
        match file_name {
            "Cargo.lock" => Some(Format::CargoLock),
            "package-lock.json" | "npm-shrinkwrap.json" => Some(Format::NpmLock),
            "yarn.lock" => Some(Format::YarnLock),
            "pnpm-lock.yaml" => Some(Format::PnpmLock),
            _ => None,
        }
    }

    /// A short name for messages (`Cargo.lock`).
    pub fn name(self) -> &'static str {
        match self {
            Format::CargoLock => "Cargo.lock",
            Format::NpmLock => "package-lock.json",
            Format::YarnLock => "yarn.lock",
            Format::PnpmLock => "pnpm-lock.yaml",
        }
    }
}

/// Parses `text` as `format`.
pub fn parse(format: Format, text: &str) -> Result<ParsedLockfile, LockfileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::CargoLock => cargo::parse(text),
        Format::NpmLock => npm::parse(text),
        Format::YarnLock => yarn::parse(text),
        Format::PnpmLock => pnpm::parse(text),
    }
}
