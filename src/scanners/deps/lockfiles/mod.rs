//! Lock-file and manifest parsers: one module per format, each a pure `&str → ParsedLockfile` function.
//! [`Format::detect`] maps a file name to its format; [`parse`] dispatches.

mod cargo;
mod gradle;
pub mod lines;
mod maven;
mod xml;

use super::package::{LockfileError, ParsedLockfile};

/// Every supported lock-file or manifest format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `Cargo.lock` (v1 to v4).
    CargoLock,
    /// `gradle.lockfile` and `buildscript-gradle.lockfile` (Gradle dependency locking).
    GradleLockfile,
    /// `pom.xml` (Maven POM: dependencies and dependencyManagement, properties interpolated).
    PomXml,
}

impl Format {
    /// The format of a file, by its name (the last path component).
    pub fn detect(file_name: &str) -> Option<Format> {
        match file_name {
            "Cargo.lock" => Some(Format::CargoLock),
            "gradle.lockfile" | "buildscript-gradle.lockfile" => Some(Format::GradleLockfile),
            "pom.xml" => Some(Format::PomXml),
            _ => None,
        }
    }

    /// A short name for messages (`Cargo.lock`).
    pub fn name(self) -> &'static str {
        match self {
            Format::CargoLock => "Cargo.lock",
            Format::GradleLockfile => "gradle.lockfile",
            Format::PomXml => "pom.xml",
        }
    }
}

/// Parses `text` as `format`.
pub fn parse(format: Format, text: &str) -> Result<ParsedLockfile, LockfileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::CargoLock => cargo::parse(text),
        Format::GradleLockfile => gradle::parse(text),
        Format::PomXml => maven::parse(text),
    }
}
