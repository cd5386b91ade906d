//! Lock-file and manifest parsers: one module per format, each a pure `&str → ParsedLockfile` function.
//! [`Format::detect`] maps a file name to its format; [`parse`] dispatches.

mod cargo;
mod keyed;
pub mod lines;
mod npm;
mod pnpm;
mod yarn;
// Python, Go, Ruby and PHP formats.
mod composer;
mod gemfile;
mod gomod;
mod pdm;
mod pipfile;
mod poetry;
mod pos;
mod pylock;
mod requirements;
mod uv;

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
    // Python, Go, Ruby and PHP formats.
    /// pip requirements files (`requirements.txt`, `requirements-dev.txt`, `dev-requirements.txt`, …).
    Requirements,
    /// `Pipfile.lock` (pipenv).
    PipfileLock,
    /// `poetry.lock`.
    PoetryLock,
    /// `uv.lock`.
    UvLock,
    /// `pdm.lock`.
    PdmLock,
    /// `pylock.toml` and `pylock.<name>.toml` (PEP 751).
    PyLock,
    /// `go.mod` (with the Go standard library as `stdlib`).
    GoMod,
    /// `Gemfile.lock` and `gems.locked` (Bundler).
    GemfileLock,
    /// `composer.lock` (PHP Composer).
    ComposerLock,
}

impl Format {
    /// Every format, for tests that must cover them all.
    pub const ALL: &'static [Format] = &[
        Format::CargoLock,
        Format::NpmLock,
        Format::YarnLock,
        Format::PnpmLock,
        Format::Requirements,
        Format::PipfileLock,
        Format::PoetryLock,
        Format::UvLock,
        Format::PdmLock,
        Format::PyLock,
        Format::GoMod,
        Format::GemfileLock,
        Format::ComposerLock,
    ];

    /// The format of a file, by its name (the last path component).
    pub fn detect(file_name: &str) -> Option<Format> {
        match file_name {
            "Cargo.lock" => Some(Format::CargoLock),
            "package-lock.json" | "npm-shrinkwrap.json" => Some(Format::NpmLock),
            "yarn.lock" => Some(Format::YarnLock),
            "pnpm-lock.yaml" => Some(Format::PnpmLock),
            // Python, Go, Ruby and PHP formats.
            "Pipfile.lock" => Some(Format::PipfileLock),
            "poetry.lock" => Some(Format::PoetryLock),
            "uv.lock" => Some(Format::UvLock),
            "pdm.lock" => Some(Format::PdmLock),
            "go.mod" => Some(Format::GoMod),
            "Gemfile.lock" | "gems.locked" => Some(Format::GemfileLock),
            "composer.lock" => Some(Format::ComposerLock),
            "pylock.toml" => Some(Format::PyLock),
            n if n.starts_with("pylock.") && n.ends_with(".toml") => Some(Format::PyLock),
            n if requirements::is_requirements_file(n) => Some(Format::Requirements),
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
            // Python, Go, Ruby and PHP formats.
            Format::Requirements => "requirements.txt",
            Format::PipfileLock => "Pipfile.lock",
            Format::PoetryLock => "poetry.lock",
            Format::UvLock => "uv.lock",
            Format::PdmLock => "pdm.lock",
            Format::PyLock => "pylock.toml",
            Format::GoMod => "go.mod",
            Format::GemfileLock => "Gemfile.lock",
            Format::ComposerLock => "composer.lock",
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
        // Python, Go, Ruby and PHP formats.
        Format::Requirements => requirements::parse(text),
        Format::PipfileLock => pipfile::parse(text),
        Format::PoetryLock => poetry::parse(text),
        Format::UvLock => uv::parse(text),
        Format::PdmLock => pdm::parse(text),
        Format::PyLock => pylock::parse(text),
        Format::GoMod => gomod::parse(text),
        Format::GemfileLock => gemfile::parse(text),
        Format::ComposerLock => composer::parse(text),
    }
}
