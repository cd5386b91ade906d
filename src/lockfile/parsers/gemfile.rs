//! `Gemfile.lock` and `gems.locked` (Bundler). Sections start at column 0: `GEM` (a gem server), `GIT`
//! (`remote:` and `revision:`), `PATH` (`remote:` a local directory, often the project's own gemspec),
//! `PLUGIN SOURCE`, then `PLATFORMS`, `DEPENDENCIES`, `RUBY VERSION`, `BUNDLED WITH`, `CHECKSUMS`. In a source
//! section, `specs:` lists each locked gem at four spaces as `name (version)` or `name (version-platform)`,
//! its own requirements below it at six spaces.
//!
//! The platform suffix is not part of the version (RubyGems versions contain no `-`), and a gem locked for
//! several platforms at one version is reported once. `DEPENDENCIES` lists the Gemfile's gems (`name`,
//! `name (~> 1.0)`, `name!` for non-GEM sources): those are `direct`. `PATH` gems are `Source::Path`.

use crate::lockfile::package::{Ecosystem, LockfileError, Package, ParsedLockfile, Source};
use std::collections::BTreeSet;

const ECO: Ecosystem = Ecosystem::RubyGems;

/// Parses a `Gemfile.lock` or `gems.locked`.
pub fn parse(text: &str) -> Result<ParsedLockfile, LockfileError> {
    let mut section = String::new();
    let mut remote = String::new();
    let mut revision: Option<String> = None;
    let mut in_specs = false;
    let mut direct: BTreeSet<String> = BTreeSet::new();
    let mut out = ParsedLockfile::default();
    // (name, version, source) already reported.
    let mut seen: BTreeSet<(String, String, Source)> = BTreeSet::new();
    let mut pending: Vec<Package> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if raw.trim().is_empty() {
            continue;
        }
        let indent = raw.len() - raw.trim_start_matches(' ').len();
        let body = raw.trim();
        if indent == 0 {
            section = body.to_string();
            remote.clear();
            revision = None;
            in_specs = false;
            continue;
        }
        match section.as_str() {
            "GEM" | "GIT" | "PATH" | "PLUGIN SOURCE" => {}
            "DEPENDENCIES" => {
                if indent == 2 {
                    let name = body.split([' ', '(', '!']).next().unwrap_or(body);
                    direct.insert(name.to_string());
                }
                continue;
            }
            _ => continue,
        }
        if indent == 2 {
            in_specs = body == "specs:";
            if let Some(r) = body.strip_prefix("remote:") {
                remote = r.trim().to_string();
            } else if let Some(r) = body.strip_prefix("revision:") {
                revision = Some(r.trim().to_string());
            }
            continue;
        }
        if indent != 4 || !in_specs {
            continue;
        }
        let parsed = body.split_once(" (").and_then(|(name, rest)| {
            let v = rest.strip_suffix(')')?;
            Some((name, v))
        });
        let Some((name, full_version)) = parsed.filter(|(n, v)| !n.is_empty() && !v.is_empty())
        else {
            return Err(LockfileError::at(
                n,
                format!("invalid Gemfile.lock: spec `{body}` is not `name (version)`"),
            ));
        };
        let version = full_version.split('-').next().unwrap_or(full_version);
        let source = match section.as_str() {
            "GIT" => Source::Git {
                url: remote.clone(),
                rev: revision.clone(),
            },
            "PATH" => Source::Path {
                path: remote.clone(),
            },
            _ => Source::Registry,
        };
        if !seen.insert((name.to_string(), version.to_string(), source.clone())) {
            continue;
        }
        pending.push(Package {
            ecosystem: ECO,
            name: ECO.normalize(name),
            version: version.to_string(),
            direct: None,
            dev: false,
            optional: false,
            line: n,
            source,
        });
    }
    // DEPENDENCIES comes after the specs: mark direct gems once it has been read.
    let has_dependencies = !direct.is_empty();
    for mut p in pending {
        if has_dependencies {
            p.direct = Some(direct.contains(&p.name));
        }
        out.packages.push(p);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::lockfile::parsers::testutil::name_version_direct_line as summary;

    const LOCK: &str = "GIT
  remote: https://github.com/org/fork.git
  revision: 0123abc
  branch: main
  specs:
    forked (2.0.0)
      rack (>= 2.0)

PATH
  remote: .
  specs:
    myapp (0.1.0)
      rails (~> 7.0)

GEM
  remote: https://rubygems.org/
  specs:
    ffi (1.17.0)
    ffi (1.17.0-x86_64-linux-gnu)
    ffi (1.17.0-arm64-darwin)
    nokogiri (1.16.5-x86_64-linux)
      racc (~> 1.4)
    rack (2.2.9)
    rack (3.0.11)
    rails (7.1.3)
      rack (>= 2.2.4)
    racc (1.8.0)

PLATFORMS
  ruby
  x86_64-linux

DEPENDENCIES
  ffi
  forked!
  myapp!
  nokogiri (~> 1.16)
  rails (~> 7.1)

RUBY VERSION
   ruby 3.3.0p0

BUNDLED WITH
   2.5.9
";

    #[test]
    fn sections_platforms_duplicates_and_direct() {
        let p = parse(LOCK).unwrap_or_default();
        assert_eq!(
            summary(&p),
            vec![
                ("forked".into(), "2.0.0".into(), Some(true), 6),
                ("myapp".into(), "0.1.0".into(), Some(true), 12),
                ("ffi".into(), "1.17.0".into(), Some(true), 18),
                ("nokogiri".into(), "1.16.5".into(), Some(true), 21),
                ("rack".into(), "2.2.9".into(), Some(false), 23),
                ("rack".into(), "3.0.11".into(), Some(false), 24),
                ("rails".into(), "7.1.3".into(), Some(true), 25),
                ("racc".into(), "1.8.0".into(), Some(false), 27),
            ]
        );
        assert_eq!(
            p.packages[0].source,
            Source::Git {
                url: "https://github.com/org/fork.git".into(),
                rev: Some("0123abc".into())
            }
        );
        assert_eq!(p.packages[1].source, Source::Path { path: ".".into() });
        assert_eq!(p.packages[2].source, Source::Registry);
    }

    #[test]
    fn crlf_and_bom() {
        let text = format!("\u{feff}{}", LOCK.replace('\n', "\r\n"));
        let p = super::super::parse(super::super::Format::GemfileLock, &text).unwrap_or_default();
        assert_eq!(summary(&p), summary(&parse(LOCK).unwrap_or_default()));
        assert_eq!(p.packages.len(), 8);
    }

    #[test]
    fn malformed_spec_names_the_line() {
        let e = parse("GEM\n  remote: https://rubygems.org/\n  specs:\n    rack 2.2.9\n")
            .err()
            .unwrap_or_else(|| LockfileError::new(""));
        assert_eq!(e.line, Some(4), "{e}");
        assert!(e.message.contains("name (version)"), "{e}");
    }
}
