//! The cache layout (`advisories/osv/<Ecosystem>.zip`, `advisories/rustsec/`), the sidecar metadata of each
//! downloaded source, and `db status`.

use crate::config::Date;
use crate::lockfile::package::Ecosystem;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// Every ecosystem the audit knows, in [`Ecosystem`] order.
pub const ALL_ECOSYSTEMS: [Ecosystem; 16] = [
    Ecosystem::CratesIo,
    Ecosystem::Npm,
    Ecosystem::PyPI,
    Ecosystem::Go,
    Ecosystem::Maven,
    Ecosystem::RubyGems,
    Ecosystem::Packagist,
    Ecosystem::NuGet,
    Ecosystem::Pub,
    Ecosystem::Hex,
    Ecosystem::SwiftURL,
    Ecosystem::CocoaPods,
    Ecosystem::ConanCenter,
    Ecosystem::CRAN,
    Ecosystem::Julia,
    Ecosystem::Hackage,
];

/// The cache directory: `$PORTCULLIS_CACHE_DIR`, else `$XDG_CACHE_HOME/portcullis`, else
/// `$HOME/.cache/portcullis`; `None` when none of them is set.
pub fn default_cache_dir() -> Option<PathBuf> {
    cache_dir_from(
        std::env::var_os("PORTCULLIS_CACHE_DIR"),
        std::env::var_os("XDG_CACHE_HOME"),
        std::env::var_os("HOME"),
    )
}

pub(super) fn cache_dir_from(
    own: Option<OsString>,
    xdg: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    let set = |v: Option<OsString>| v.filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(dir) = set(own) {
        return Some(dir);
    }
    // The XDG spec says relative values are invalid and must be ignored.
    if let Some(xdg) = set(xdg).filter(|p| p.is_absolute()) {
        return Some(xdg.join("portcullis"));
    }
    set(home).map(|h| h.join(".cache").join("portcullis"))
}

/// `<cache>/advisories`: the directory the scan loads.
pub fn ecosystem_data(cache_dir: &Path) -> PathBuf {
    cache_dir.join("advisories")
}

/// `<cache>/advisories/osv/<ecosystem>.zip`.
pub fn osv_zip_path(cache_dir: &Path, ecosystem: Ecosystem) -> PathBuf {
    ecosystem_data(cache_dir)
        .join("osv")
        .join(format!("{}.zip", ecosystem.osv_name()))
}

/// `<cache>/advisories/rustsec`: the advisory-db tree, for `rustsec::Database::open`.
pub fn rustsec_dir(cache_dir: &Path) -> PathBuf {
    ecosystem_data(cache_dir).join("rustsec")
}

/// The sidecar `<name>.meta.json` of a downloaded source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceMeta {
    /// Where it was downloaded from.
    pub url: String,
    /// The server's `ETag`, sent back as `If-None-Match`.
    #[serde(default)]
    pub etag: Option<String>,
    /// The server's `Last-Modified`, sent back as `If-Modified-Since`.
    #[serde(default)]
    pub last_modified: Option<String>,
    /// When the data was last downloaded or confirmed current (RFC 3339 UTC, `2026-11-23T10:00:00Z`).
    pub fetched_at: String,
    /// SHA-256 of the downloaded bytes, lower-case hex.
    pub sha256: String,
    /// Advisories in the source.
    pub records: usize,
}

/// One source found in the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceStatus {
    /// `osv/PyPI`, `rustsec`.
    pub name: String,
    /// The zip file or the rustsec directory.
    pub path: PathBuf,
    /// Advisories, from the sidecar (`None` without one).
    pub records: Option<usize>,
    /// When it was last downloaded or confirmed current.
    pub fetched_at: Option<String>,
    /// The server's `Last-Modified` of the data.
    pub last_modified: Option<String>,
    /// Whole days since `fetched_at`.
    pub age_days: Option<u64>,
}

/// The sidecar of a source (`…/osv/PyPI.zip` → `…/osv/PyPI.meta.json`, `…/rustsec` → `…/rustsec.meta.json`);
/// `None` when it is missing or unreadable.
pub fn read_meta(path_of_source: &Path) -> Option<SourceMeta> {
    let text = fs::read(meta_path(path_of_source)?).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Where the sidecar of a source lives.
pub fn meta_path(path_of_source: &Path) -> Option<PathBuf> {
    let name = path_of_source.file_name()?.to_str()?;
    let stem = name.strip_suffix(".zip").unwrap_or(name);
    Some(path_of_source.with_file_name(format!("{stem}.meta.json")))
}

/// Every source in the cache: OSV zips by name, then RustSec.
pub fn status(cache_dir: &Path) -> Vec<SourceStatus> {
    status_at(cache_dir, now_secs())
}

pub(super) fn status_at(cache_dir: &Path, now: i64) -> Vec<SourceStatus> {
    let mut out = Vec::new();
    let osv = ecosystem_data(cache_dir).join("osv");
    let mut zips: Vec<PathBuf> = fs::read_dir(&osv)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "zip"))
                .collect()
        })
        .unwrap_or_default();
    zips.sort();
    let mut sources: Vec<(String, PathBuf)> = zips
        .into_iter()
        .filter_map(|p| {
            let stem = p.file_stem()?.to_str()?.to_string();
            Some((format!("osv/{stem}"), p))
        })
        .collect();
    let rustsec = rustsec_dir(cache_dir);
    if rustsec.is_dir() {
        sources.push(("rustsec".to_string(), rustsec));
    }
    for (name, path) in sources {
        let meta = read_meta(&path);
        let fetched = meta.as_ref().and_then(|m| parse_rfc3339(&m.fetched_at));
        out.push(SourceStatus {
            name,
            records: meta.as_ref().map(|m| m.records),
            fetched_at: meta.as_ref().map(|m| m.fetched_at.clone()),
            last_modified: meta.as_ref().and_then(|m| m.last_modified.clone()),
            age_days: fetched.map(|t| (now.saturating_sub(t).max(0) / 86_400) as u64),
            path,
        });
    }
    out
}

/// Seconds since the Unix epoch of an RFC 3339 timestamp (`2026-11-23T10:00:00Z`, fractions and `±hh:mm`
/// offsets accepted).
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = s.get(from..from + len)?;
        if !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 {
        return None;
    }
    if second > 60 {
        return None;
    }
    let mut rest = &s[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let tz = rest.get(1..)?;
            let (h, m) = tz.split_once(':')?;
            if h.len() != 2 || m.len() != 2 {
                return None;
            }
            sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60)
        }
    };
    let date = Date {
        year: i32::try_from(year).ok()?,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    };
    Some(date.to_days() * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

pub(super) fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
