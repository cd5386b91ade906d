//! The one package model every lock-file parser produces.

use serde::Serialize;
use std::fmt;
use thiserror::Error;

/// A package ecosystem, named as OSV names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Ecosystem {
    /// Rust crates (`crates.io`).
    CratesIo,
    /// npm, also yarn, pnpm and bun lock files.
    Npm,
    /// Python packages.
    PyPI,
    /// Go modules.
    Go,
    /// Maven (also Gradle, sbt): names are `group:artifact`.
    Maven,
    /// Ruby gems.
    RubyGems,
    /// PHP Composer packages.
    Packagist,
    /// .NET packages.
    NuGet,
    /// Dart and Flutter packages.
    Pub,
    /// Erlang and Elixir packages.
    Hex,
    /// Swift packages, named by repository URL.
    SwiftURL,
    /// CocoaPods pods.
    CocoaPods,
    /// Conan C/C++ packages.
    ConanCenter,
    /// R packages.
    CRAN,
    /// Julia packages.
    Julia,
    /// Haskell packages.
    Hackage,
}

impl Ecosystem {
    /// The name OSV uses in `affected[].package.ecosystem`.
    pub fn osv_name(self) -> &'static str {
        match self {
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::Maven => "Maven",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Pub => "Pub",
            Ecosystem::Hex => "Hex",
            Ecosystem::SwiftURL => "SwiftURL",
            Ecosystem::CocoaPods => "CocoaPods",
            Ecosystem::ConanCenter => "ConanCenter",
            Ecosystem::CRAN => "CRAN",
            Ecosystem::Julia => "Julia",
            Ecosystem::Hackage => "Hackage",
        }
    }

    /// Normalises a package name the way the ecosystem compares names: PEP 503 for PyPI (lower case, runs of
    /// `-`, `_`, `.` become `-`), lower case for NuGet, Packagist and Hackage, unchanged elsewhere.
    pub fn normalize(self, name: &str) -> String {
        match self {
            Ecosystem::PyPI => {
                let mut out = String::with_capacity(name.len());
                let mut sep = false;
                for c in name.trim().chars() {
                    if matches!(c, '-' | '_' | '.') {
                        sep = true;
                    } else {
                        if sep && !out.is_empty() {
                            out.push('-');
                        }
                        sep = false;
                        out.push(c.to_ascii_lowercase());
                    }
                }
                out
            }
            Ecosystem::NuGet | Ecosystem::Packagist | Ecosystem::Hackage => {
                name.trim().to_ascii_lowercase()
            }
            _ => name.trim().to_string(),
        }
    }
}

impl fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.osv_name())
    }
}

/// Where a package comes from.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Source {
    /// The ecosystem's registry (the default).
    Registry,
    /// A git repository, with the resolved revision when the file records it.
    Git {
        /// Repository URL.
        url: String,
        /// Commit, tag or branch.
        rev: Option<String>,
    },
    /// A local path (workspace member, `file:` dependency).
    Path {
        /// The path as written.
        path: String,
    },
    /// A direct tarball or archive URL.
    Url {
        /// The URL as written.
        url: String,
    },
}

/// One resolved package version declared by a lock file or manifest.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Package {
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Name, normalised with [`Ecosystem::normalize`].
    pub name: String,
    /// Exact version as the file records it (no range operators).
    pub version: String,
    /// Direct dependency of the project (`Some(true)`), transitive (`Some(false)`), or unknown (`None`).
    pub direct: Option<bool>,
    /// Only needed for development (dev/test group).
    pub dev: bool,
    /// Optional dependency.
    pub optional: bool,
    /// 1-based line where the package is declared in the file.
    pub line: u32,
    /// Where it comes from.
    pub source: Source,
}

impl Package {
    /// A direct registry package at line 1: the shape most tests and examples need.
    pub fn registry(ecosystem: Ecosystem, name: &str, version: &str) -> Package {
        Package {
            ecosystem,
            name: name.to_string(),
            version: version.to_string(),
            direct: Some(true),
            dev: false,
            optional: false,
            line: 1,
            source: Source::Registry,
        }
    }
}

/// A requirement the file does not pin to one version (reported as `unpinned`, never silently dropped).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Unpinned {
    /// Ecosystem.
    pub ecosystem: Ecosystem,
    /// Normalised name.
    pub name: String,
    /// The specifier as written (`>=1.2`, empty when there is none).
    pub spec: String,
    /// 1-based line.
    pub line: u32,
}

/// Another file the parsed one pulls in (`-r other.txt`, `-c constraints.txt`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Include {
    /// The path as written, relative to the including file.
    pub path: String,
    /// `-c`: constraints only (versions pin, but the file adds no requirements of its own).
    pub constraints: bool,
    /// 1-based line.
    pub line: u32,
}

/// What a parser returns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ParsedLockfile {
    /// Resolved packages, in file order.
    pub packages: Vec<Package>,
    /// Requirements without an exact version.
    pub unpinned: Vec<Unpinned>,
    /// Included files, for the caller to read and parse.
    pub includes: Vec<Include>,
}

/// A file that cannot be parsed: the message names the problem, with the line when known.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
#[error("{}{message}", line.map(|l| format!("line {l}: ")).unwrap_or_default())]
pub struct LockfileError {
    /// 1-based line, when known.
    pub line: Option<u32>,
    /// What is wrong.
    pub message: String,
}

impl LockfileError {
    /// An error without a line.
    pub fn new(message: impl Into<String>) -> Self {
        LockfileError {
            line: None,
            message: message.into(),
        }
    }

    /// An error at a line.
    pub fn at(line: u32, message: impl Into<String>) -> Self {
        LockfileError {
            line: Some(line),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503_names() {
        assert_eq!(
            Ecosystem::PyPI.normalize("Django_REST.framework"),
            "django-rest-framework"
        );
        assert_eq!(
            Ecosystem::PyPI.normalize("zope..interface"),
            "zope-interface"
        );
        assert_eq!(
            Ecosystem::NuGet.normalize("Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(Ecosystem::Npm.normalize("@types/Node"), "@types/Node");
    }
}
