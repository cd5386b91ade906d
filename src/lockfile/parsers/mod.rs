//! Lock-file and manifest parsers: one module per format, each a pure `&str → ParsedLockfile` function.
//! [`Format::detect`] maps a file name to its format; [`parse`] dispatches.

mod bun;
mod cargo;
mod composer;
mod conan;
mod gemfile;
mod gomod;
mod gradle;
mod gradle_verification;
mod haskell;
mod julia;
mod keyed;
pub mod lines;
mod maven;
mod mix;
mod npm;
mod nuget;
mod ordered;
mod pdm;
mod pipfile;
mod pnpm;
mod podfile;
mod poetry;
mod pos;
mod pubspec;
mod pylock;
mod renv;
mod requirements;
mod sbt;
mod swift;
mod uv;
mod xml;
mod yaml;
mod yarn;

#[cfg(test)]
pub(crate) mod testutil {
    //! What parser tests compare: (name, version, direct, dev, optional, line) per package.

    use crate::lockfile::package::ParsedLockfile;

    /// One package as the tests see it.
    pub type Row = (String, String, Option<bool>, bool, bool, u32);

    /// The rows of every package, in file order.
    pub fn summary(p: &ParsedLockfile) -> Vec<Row> {
        p.packages
            .iter()
            .map(|p| {
                (
                    p.name.clone(),
                    p.version.clone(),
                    p.direct,
                    p.dev,
                    p.optional,
                    p.line,
                )
            })
            .collect()
    }

    /// (name, spec, line) of every unpinned requirement, in file order.
    pub fn unpinned_rows(p: &ParsedLockfile) -> Vec<(String, String, u32)> {
        p.unpinned
            .iter()
            .map(|u| (u.name.clone(), u.spec.clone(), u.line))
            .collect()
    }

    /// (name, version, line) of every package, in file order.
    pub fn name_version_line(p: &ParsedLockfile) -> Vec<(String, String, u32)> {
        p.packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.line))
            .collect()
    }

    /// (name, version, direct, line) of every package, in file order.
    pub fn name_version_direct_line(
        p: &ParsedLockfile,
    ) -> Vec<(String, String, Option<bool>, u32)> {
        p.packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.direct, p.line))
            .collect()
    }

    /// (name, version, dev, line) of every package, in file order.
    pub fn name_version_dev_line(p: &ParsedLockfile) -> Vec<(String, String, bool, u32)> {
        p.packages
            .iter()
            .map(|p| (p.name.clone(), p.version.clone(), p.dev, p.line))
            .collect()
    }
}

use crate::lockfile::package::{LockfileError, ParsedLockfile};

/// Every supported lock-file or manifest format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// `Cargo.lock` (v1 to v4).
    CargoLock,
    /// `package-lock.json` (v1 to v3) and `npm-shrinkwrap.json`.
    NpmLock,
    /// `yarn.lock`, classic (v1) and berry (v2+).
    YarnLock,
    /// `bun.lock` (Bun's text lock file).
    BunLock,
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
    /// `gradle.lockfile` and `buildscript-gradle.lockfile` (Gradle dependency locking).
    GradleLockfile,
    /// `pom.xml` (Maven POM: dependencies and dependencyManagement, properties interpolated).
    PomXml,
    /// NuGet `packages.lock.json`.
    NugetLock,
    /// NuGet `packages.config`.
    PackagesConfig,
    /// .NET `*.deps.json` (dependency manifest of a built application).
    DepsJson,
    /// NuGet central package management `Directory.Packages.props`.
    DirectoryPackagesProps,
    /// `pubspec.lock` (Dart and Flutter).
    PubspecLock,
    /// `mix.lock` (Elixir, Hex).
    MixLock,
    /// `Package.resolved` (Swift Package Manager, v1 to v3).
    PackageResolved,
    /// `Podfile.lock` (CocoaPods).
    PodfileLock,
    /// `gradle/verification-metadata.xml` (Gradle dependency verification).
    GradleVerificationMetadata,
    /// `*.sbt.lock` (sbt-dependency-lock).
    SbtLock,
    /// `renv.lock` (R).
    RenvLock,
    /// `Manifest.toml` (Julia).
    JuliaManifest,
    /// `cabal.project.freeze` (Haskell, cabal).
    CabalFreeze,
    /// `stack.yaml.lock` (Haskell, Stack).
    StackLock,
    /// `conan.lock` (Conan, lock versions 0.4 and 0.5).
    ConanLock,
}

impl Format {
    /// Every format, for tests that must cover them all.
    pub const ALL: &'static [Format] = &[
        Format::CargoLock,
        Format::NpmLock,
        Format::YarnLock,
        Format::PnpmLock,
        Format::BunLock,
        Format::Requirements,
        Format::PipfileLock,
        Format::PoetryLock,
        Format::UvLock,
        Format::PdmLock,
        Format::PyLock,
        Format::GoMod,
        Format::GemfileLock,
        Format::ComposerLock,
        Format::GradleLockfile,
        Format::PomXml,
        Format::NugetLock,
        Format::PackagesConfig,
        Format::DepsJson,
        Format::DirectoryPackagesProps,
        Format::PubspecLock,
        Format::MixLock,
        Format::PackageResolved,
        Format::PodfileLock,
        Format::GradleVerificationMetadata,
        Format::SbtLock,
        Format::RenvLock,
        Format::JuliaManifest,
        Format::CabalFreeze,
        Format::StackLock,
        Format::ConanLock,
    ];

    /// The format of a file, by its name (the last path component).
    pub fn detect(file_name: &str) -> Option<Format> {
        match file_name {
            "Cargo.lock" => Some(Format::CargoLock),
            "package-lock.json" | "npm-shrinkwrap.json" => Some(Format::NpmLock),
            "yarn.lock" => Some(Format::YarnLock),
            "pnpm-lock.yaml" => Some(Format::PnpmLock),
            "bun.lock" => Some(Format::BunLock),
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
            "gradle.lockfile" | "buildscript-gradle.lockfile" => Some(Format::GradleLockfile),
            "pom.xml" => Some(Format::PomXml),
            "packages.lock.json" => Some(Format::NugetLock),
            "packages.config" => Some(Format::PackagesConfig),
            "Directory.Packages.props" => Some(Format::DirectoryPackagesProps),
            n if n.len() > ".deps.json".len() && n.ends_with(".deps.json") => {
                Some(Format::DepsJson)
            }
            "pubspec.lock" => Some(Format::PubspecLock),
            "mix.lock" => Some(Format::MixLock),
            "Package.resolved" => Some(Format::PackageResolved),
            "Podfile.lock" => Some(Format::PodfileLock),
            "verification-metadata.xml" => Some(Format::GradleVerificationMetadata),
            n if n.len() > ".sbt.lock".len() && n.ends_with(".sbt.lock") => Some(Format::SbtLock),
            "renv.lock" => Some(Format::RenvLock),
            "Manifest.toml" => Some(Format::JuliaManifest),
            "cabal.project.freeze" => Some(Format::CabalFreeze),
            "stack.yaml.lock" => Some(Format::StackLock),
            "conan.lock" => Some(Format::ConanLock),
            _ => None,
        }
    }

    /// A stable kebab-case identifier (`cargo-lock`), used to name fixture directories and in reports.
    pub fn id(self) -> &'static str {
        match self {
            Format::CargoLock => "cargo-lock",
            Format::NpmLock => "npm-lock",
            Format::YarnLock => "yarn-lock",
            Format::BunLock => "bun-lock",
            Format::PnpmLock => "pnpm-lock",
            Format::Requirements => "requirements",
            Format::PipfileLock => "pipfile-lock",
            Format::PoetryLock => "poetry-lock",
            Format::UvLock => "uv-lock",
            Format::PdmLock => "pdm-lock",
            Format::PyLock => "pylock",
            Format::GoMod => "go-mod",
            Format::GemfileLock => "gemfile-lock",
            Format::ComposerLock => "composer-lock",
            Format::GradleLockfile => "gradle-lockfile",
            Format::PomXml => "pom-xml",
            Format::NugetLock => "nuget-lock",
            Format::PackagesConfig => "packages-config",
            Format::DepsJson => "deps-json",
            Format::DirectoryPackagesProps => "directory-packages-props",
            Format::PubspecLock => "pubspec-lock",
            Format::MixLock => "mix-lock",
            Format::PackageResolved => "package-resolved",
            Format::PodfileLock => "podfile-lock",
            Format::GradleVerificationMetadata => "gradle-verification-metadata",
            Format::SbtLock => "sbt-lock",
            Format::RenvLock => "renv-lock",
            Format::JuliaManifest => "julia-manifest",
            Format::CabalFreeze => "cabal-freeze",
            Format::StackLock => "stack-lock",
            Format::ConanLock => "conan-lock",
        }
    }

    /// A short name for messages (`Cargo.lock`).
    pub fn name(self) -> &'static str {
        match self {
            Format::CargoLock => "Cargo.lock",
            Format::NpmLock => "package-lock.json",
            Format::YarnLock => "yarn.lock",
            Format::PnpmLock => "pnpm-lock.yaml",
            Format::BunLock => "bun.lock",
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
            Format::GradleLockfile => "gradle.lockfile",
            Format::PomXml => "pom.xml",
            Format::NugetLock => "packages.lock.json",
            Format::PackagesConfig => "packages.config",
            Format::DepsJson => "deps.json",
            Format::DirectoryPackagesProps => "Directory.Packages.props",
            Format::PubspecLock => "pubspec.lock",
            Format::MixLock => "mix.lock",
            Format::PackageResolved => "Package.resolved",
            Format::PodfileLock => "Podfile.lock",
            Format::GradleVerificationMetadata => "verification-metadata.xml",
            Format::SbtLock => "sbt.lock",
            Format::RenvLock => "renv.lock",
            Format::JuliaManifest => "Manifest.toml",
            Format::CabalFreeze => "cabal.project.freeze",
            Format::StackLock => "stack.yaml.lock",
            Format::ConanLock => "conan.lock",
        }
    }
}

pub use gomod::go_sum;

/// Parses `text` as `format`. A file that yields nothing must be a recognised empty form of its format:
/// text junk under a lock file's name is an error, never an audit that found no packages.
pub fn parse(format: Format, text: &str) -> Result<ParsedLockfile, LockfileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let parsed = parse_format(format, text)?;
    if parsed.packages.is_empty() && parsed.unpinned.is_empty() && parsed.includes.is_empty() {
        check_structure(format, text)?;
    }
    Ok(parsed)
}

/// For the formats read line by line (whose parsers skip what they do not know), a file with content but no
/// packages must show the format's own structure.
fn check_structure(format: Format, text: &str) -> Result<(), LockfileError> {
    let content = text.lines().enumerate().find(|(_, l)| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && !t.starts_with("--") && !t.starts_with("//")
    });
    let Some((line, _)) = content else {
        return Ok(());
    };
    let has_line = |want: &[&str]| text.lines().any(|l| want.contains(&l.trim()));
    let starts = |want: &str| {
        text.lines()
            .any(|l| l.trim_start().to_ascii_lowercase().starts_with(want))
    };
    let recognised = match format {
        Format::GemfileLock => has_line(&[
            "GEM",
            "PATH",
            "GIT",
            "PLATFORMS",
            "DEPENDENCIES",
            "BUNDLED WITH",
            "RUBY VERSION",
            "CHECKSUMS",
        ]),
        Format::CabalFreeze => starts("constraints:"),
        Format::GoMod => starts("module ") || starts("module\t") || starts("go "),
        _ => true,
    };
    if recognised {
        return Ok(());
    }
    Err(LockfileError {
        line: u32::try_from(line + 1).ok(),
        message: "no packages, and none of the format's structure".to_string(),
    })
}

fn parse_format(format: Format, text: &str) -> Result<ParsedLockfile, LockfileError> {
    match format {
        Format::CargoLock => cargo::parse(text),
        Format::NpmLock => npm::parse(text),
        Format::YarnLock => yarn::parse(text),
        Format::PnpmLock => pnpm::parse(text),
        Format::BunLock => bun::parse(text),
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
        Format::GradleLockfile => gradle::parse(text),
        Format::PomXml => maven::parse(text),
        Format::NugetLock => nuget::parse_lock(text),
        Format::PackagesConfig => nuget::parse_packages_config(text),
        Format::DepsJson => nuget::parse_deps_json(text),
        Format::DirectoryPackagesProps => nuget::parse_directory_packages_props(text),
        Format::PubspecLock => pubspec::parse(text),
        Format::MixLock => mix::parse(text),
        Format::PackageResolved => swift::parse(text),
        Format::PodfileLock => podfile::parse(text),
        Format::GradleVerificationMetadata => gradle_verification::parse(text),
        Format::SbtLock => sbt::parse(text),
        Format::RenvLock => renv::parse(text),
        Format::JuliaManifest => julia::parse(text),
        Format::CabalFreeze => haskell::parse_cabal_freeze(text),
        Format::StackLock => haskell::parse_stack_lock(text),
        Format::ConanLock => conan::parse(text),
    }
}
