//! `db update` / `db status`: downloads advisory databases into a cache directory, each one checked before it
//! replaces the last good copy.
//!
//! Layout under the cache directory:
//! - `advisories/osv/<OSV ecosystem>.zip`: osv.dev's `<ecosystem>/all.zip`, with `<ecosystem>.meta.json` beside it;
//! - `advisories/rustsec/`: the RustSec advisory-db tree (`crates/`, `rust/`, …), with `rustsec.meta.json` beside it.
//!
//! Requests are conditional (`If-None-Match`, `If-Modified-Since`); a download is accepted only when it is
//! complete (`Content-Length`), opens as a zip whose every entry reads (CRCs), and its records parse (OSV JSON,
//! or the RustSec tree through the `rustsec` crate). Replacement is a rename in the same directory, so a failed
//! or invalid download never damages the previous copy.

use crate::advisory::online::{
    body_excerpt, format_duration, io_is_timeout, is_timeout, status_text,
};
use crate::advisory::osv::Advisory;
use crate::config::{utc_timestamp, Date};
use crate::lockfile::package::Ecosystem;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use thiserror::Error;

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

/// Largest total size the RustSec archive may extract to (a guard against zip bombs).
const MAX_EXTRACTED: u64 = 1024 * 1024 * 1024;

/// The cache directory: `$PORTCULLIS_CACHE_DIR`, else `$XDG_CACHE_HOME/portcullis`, else
/// `$HOME/.cache/portcullis`; `None` when none of them is set.
pub fn default_cache_dir() -> Option<PathBuf> {
    cache_dir_from(
        std::env::var_os("PORTCULLIS_CACHE_DIR"),
        std::env::var_os("XDG_CACHE_HOME"),
        std::env::var_os("HOME"),
    )
}

fn cache_dir_from(
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

/// What to download, from where, into which cache.
#[derive(Clone, Debug)]
pub struct UpdateOptions {
    /// The cache directory (see [`default_cache_dir`]).
    pub cache_dir: PathBuf,
    /// Root of osv.dev's bucket; each ecosystem is `{osv_base_url}/{ecosystem}/all.zip`.
    pub osv_base_url: String,
    /// The RustSec advisory-db archive (a GitHub branch zip with one top folder).
    pub rustsec_url: String,
    /// OSV ecosystems to download (duplicates are fetched once).
    pub ecosystems: Vec<Ecosystem>,
    /// Also download the RustSec advisory-db.
    pub rustsec: bool,
    /// Connect timeout, and the longest wait for the response or for more data of the body (a stall); a large
    /// download that keeps flowing is never cut.
    pub timeout: Duration,
}

impl UpdateOptions {
    /// The public sources, every ecosystem, RustSec included, a 60 s timeout.
    pub fn new(cache_dir: PathBuf) -> UpdateOptions {
        UpdateOptions {
            cache_dir,
            osv_base_url: "https://osv-vulnerabilities.storage.googleapis.com".to_string(),
            rustsec_url: "https://github.com/rustsec/advisory-db/archive/refs/heads/main.zip"
                .to_string(),
            ecosystems: ALL_ECOSYSTEMS.to_vec(),
            rustsec: true,
            timeout: Duration::from_secs(60),
        }
    }
}

/// The result for one source.
#[derive(Debug)]
pub struct SourceOutcome {
    /// `osv/PyPI`, `rustsec`.
    pub source: String,
    /// What happened; an error left the previous copy as it was.
    pub result: Result<Fetched, UpdateError>,
}

/// A source updated successfully.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fetched {
    /// New data was downloaded, checked and installed.
    Updated {
        /// Size of the download.
        bytes: u64,
        /// Advisories it holds.
        records: usize,
    },
    /// The server confirmed the cached copy is current (HTTP 304).
    NotModified,
}

/// A source that could not be updated; its previous copy, if any, is unchanged.
#[derive(Debug, Error)]
pub enum UpdateError {
    /// The server answered with an unexpected status.
    #[error("{source_name}: {url}: HTTP {status}: {body}")]
    Http {
        /// `osv/PyPI`, `rustsec`.
        source_name: String,
        /// The URL.
        url: String,
        /// Code and reason, `500 Internal Server Error`.
        status: String,
        /// The start of the response body.
        body: String,
    },
    /// The server stopped answering for longer than the timeout.
    #[error("{source_name}: {url}: did not answer within {}", format_duration(*timeout))]
    Timeout {
        /// `osv/PyPI`, `rustsec`.
        source_name: String,
        /// The URL.
        url: String,
        /// The timeout.
        timeout: Duration,
    },
    /// The connection failed.
    #[error("{source_name}: {url}: {message}")]
    Transport {
        /// `osv/PyPI`, `rustsec`.
        source_name: String,
        /// The URL.
        url: String,
        /// What failed.
        message: String,
    },
    /// The download is incomplete, not a readable zip, or holds unreadable records.
    #[error("{source_name}: invalid download from {url}: {reason} (nothing was replaced)")]
    Invalid {
        /// `osv/PyPI`, `rustsec`.
        source_name: String,
        /// The URL.
        url: String,
        /// What is wrong.
        reason: String,
    },
    /// A file of the cache could not be written.
    #[error("{source_name}: {}: {message}", path.display())]
    Io {
        /// `osv/PyPI`, `rustsec`.
        source_name: String,
        /// The file or directory.
        path: PathBuf,
        /// What failed.
        message: String,
    },
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

fn status_at(cache_dir: &Path, now: i64) -> Vec<SourceStatus> {
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

fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// Downloads every requested source: the OSV ecosystems in the order given, then RustSec.
pub fn update(opts: &UpdateOptions) -> Vec<SourceOutcome> {
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(opts.timeout))
        .timeout_recv_response(Some(opts.timeout))
        .timeout_per_read(Some(opts.timeout))
        .user_agent(crate::advisory::online::user_agent())
        // The bytes on disk are the bytes sent: their length and hash are checked.
        .accept_encoding("identity")
        .build()
        .new_agent();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for &eco in &opts.ecosystems {
        if !seen.insert(eco) {
            continue;
        }
        let job = Job {
            agent: &agent,
            name: format!("osv/{}", eco.osv_name()),
            url: format!(
                "{}/{}/all.zip",
                opts.osv_base_url.trim_end_matches('/'),
                eco.osv_name()
            ),
            timeout: opts.timeout,
        };
        let result = job.update_osv(&osv_zip_path(&opts.cache_dir, eco));
        out.push(SourceOutcome {
            source: job.name,
            result,
        });
    }
    if opts.rustsec {
        let job = Job {
            agent: &agent,
            name: "rustsec".to_string(),
            url: opts.rustsec_url.clone(),
            timeout: opts.timeout,
        };
        let result = job.update_rustsec(&rustsec_dir(&opts.cache_dir));
        out.push(SourceOutcome {
            source: job.name,
            result,
        });
    }
    out
}

/// One source being updated.
struct Job<'a> {
    agent: &'a ureq::Agent,
    name: String,
    url: String,
    timeout: Duration,
}

/// A downloaded body in a temporary file.
struct Download {
    file: TempPath,
    bytes: u64,
    sha256: String,
    etag: Option<String>,
    last_modified: Option<String>,
}

enum Got {
    NotModified(SourceMeta),
    Data(Download),
}

impl Job<'_> {
    fn io(&self, path: &Path, what: &str, e: impl std::fmt::Display) -> UpdateError {
        UpdateError::Io {
            source_name: self.name.clone(),
            path: path.to_path_buf(),
            message: format!("{what}: {e}"),
        }
    }

    fn invalid(&self, reason: impl Into<String>) -> UpdateError {
        UpdateError::Invalid {
            source_name: self.name.clone(),
            url: self.url.clone(),
            reason: reason.into(),
        }
    }

    fn transport(&self, e: &ureq::Error) -> UpdateError {
        if is_timeout(e) {
            return self.timed_out();
        }
        UpdateError::Transport {
            source_name: self.name.clone(),
            url: self.url.clone(),
            message: e.to_string(),
        }
    }

    fn timed_out(&self) -> UpdateError {
        UpdateError::Timeout {
            source_name: self.name.clone(),
            url: self.url.clone(),
            timeout: self.timeout,
        }
    }

    fn update_osv(&self, target: &Path) -> Result<Fetched, UpdateError> {
        let dir = parent(target);
        fs::create_dir_all(dir).map_err(|e| self.io(dir, "cannot create directory", e))?;
        let old = existing_meta(target);
        let download = match self.download(old, dir, target)? {
            Got::NotModified(meta) => return self.confirm(target, meta),
            Got::Data(d) => d,
        };
        let records = check_osv_zip(&download.file.path).map_err(|r| self.invalid(r))?;
        let meta = self.meta_of(&download, records);
        let bytes = download.bytes;
        let file = download.file;
        fs::rename(&file.path, target).map_err(|e| self.io(target, "cannot replace", e))?;
        file.keep();
        sync_dir(dir);
        self.write_meta(target, &meta)?;
        Ok(Fetched::Updated { bytes, records })
    }

    fn update_rustsec(&self, target: &Path) -> Result<Fetched, UpdateError> {
        let dir = parent(target);
        fs::create_dir_all(dir).map_err(|e| self.io(dir, "cannot create directory", e))?;
        let old = existing_meta(target);
        let download = match self.download(old, dir, target)? {
            Got::NotModified(meta) => return self.confirm(target, meta),
            Got::Data(d) => d,
        };
        let tree = TempPath::new(dir, target, "new");
        let records =
            extract_rustsec(&download.file.path, &tree.path).map_err(|r| self.invalid(r))?;
        let meta = self.meta_of(&download, records);
        replace_dir(&tree.path, target).map_err(|e| self.io(target, "cannot replace", e))?;
        tree.keep();
        self.write_meta(target, &meta)?;
        Ok(Fetched::Updated {
            bytes: download.bytes,
            records,
        })
    }

    fn meta_of(&self, d: &Download, records: usize) -> SourceMeta {
        SourceMeta {
            url: self.url.clone(),
            etag: d.etag.clone(),
            last_modified: d.last_modified.clone(),
            fetched_at: utc_timestamp(now_secs()),
            sha256: d.sha256.clone(),
            records,
        }
    }

    /// A 304: the copy is current; only `fetched_at` changes.
    fn confirm(&self, target: &Path, mut meta: SourceMeta) -> Result<Fetched, UpdateError> {
        meta.fetched_at = utc_timestamp(now_secs());
        self.write_meta(target, &meta)?;
        Ok(Fetched::NotModified)
    }

    fn write_meta(&self, target: &Path, meta: &SourceMeta) -> Result<(), UpdateError> {
        let Some(path) = meta_path(target) else {
            return Err(self.io(target, "no file name", "cannot name the sidecar"));
        };
        let text = serde_json::to_vec_pretty(meta)
            .map_err(|e| self.io(&path, "cannot encode metadata", e))?;
        let tmp = TempPath::new(parent(&path), &path, "tmp");
        write_synced(&tmp.path, &text).map_err(|e| self.io(&tmp.path, "cannot write", e))?;
        fs::rename(&tmp.path, &path).map_err(|e| self.io(&path, "cannot replace", e))?;
        tmp.keep();
        sync_dir(parent(&path));
        Ok(())
    }

    /// GETs the source (conditionally when a previous copy exists) into a temporary file beside `target`.
    fn download(
        &self,
        old: Option<SourceMeta>,
        dir: &Path,
        target: &Path,
    ) -> Result<Got, UpdateError> {
        let mut request = self.agent.get(&self.url);
        if let Some(old) = &old {
            if let Some(etag) = &old.etag {
                request = request.header("If-None-Match", etag);
            }
            if let Some(lm) = &old.last_modified {
                request = request.header("If-Modified-Since", lm);
            }
        }
        let mut response = request.call().map_err(|e| self.transport(&e))?;
        let status = response.status();
        if status.as_u16() == 304 {
            return match old {
                Some(meta) if meta.etag.is_some() || meta.last_modified.is_some() => {
                    Ok(Got::NotModified(meta))
                }
                _ => Err(self.invalid("HTTP 304 Not Modified to an unconditional request")),
            };
        }
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let etag = header("etag");
        let last_modified = header("last-modified");
        let encoded =
            header("content-encoding").is_some_and(|e| !e.eq_ignore_ascii_case("identity"));
        let expected = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
        if !status.is_success() {
            let mut body = Vec::new();
            let _ = response
                .body_mut()
                .as_reader()
                .take(4096)
                .read_to_end(&mut body);
            return Err(UpdateError::Http {
                source_name: self.name.clone(),
                url: self.url.clone(),
                status: status_text(status),
                body: body_excerpt(&body),
            });
        }
        let file = TempPath::new(dir, target, "tmp");
        let mut out =
            File::create(&file.path).map_err(|e| self.io(&file.path, "cannot create", e))?;
        let mut hasher = Sha256::new();
        let mut reader = response.body_mut().as_reader();
        let mut buf = vec![0u8; 64 * 1024];
        let mut bytes: u64 = 0;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if io_is_timeout(&e) => return Err(self.timed_out()),
                Err(e) => {
                    return Err(match expected {
                        Some(len) if !encoded => {
                            self.invalid(format!("incomplete: {bytes} of {len} bytes ({e})"))
                        }
                        _ => self.invalid(format!("interrupted after {bytes} bytes: {e}")),
                    })
                }
            };
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n])
                .map_err(|e| self.io(&file.path, "cannot write", e))?;
            bytes += n as u64;
        }
        if let Some(len) = expected.filter(|_| !encoded) {
            if len != bytes {
                return Err(self.invalid(format!("incomplete: {bytes} of {len} bytes")));
            }
        }
        out.sync_all()
            .map_err(|e| self.io(&file.path, "cannot write", e))?;
        Ok(Got::Data(Download {
            file,
            bytes,
            sha256: format!("{:x}", hasher.finalize()),
            etag,
            last_modified,
        }))
    }
}

/// The sidecar of a source whose data is present (without the data, a conditional request makes no sense).
fn existing_meta(target: &Path) -> Option<SourceMeta> {
    if target.exists() {
        read_meta(target)
    } else {
        None
    }
}

fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

/// Counts the OSV records of a downloaded `all.zip`, reading every entry (which checks its CRC).
fn check_osv_zip(path: &Path) -> Result<usize, String> {
    let file = File::open(path).map_err(|e| format!("cannot reopen the download: {e}"))?;
    let mut archive =
        zip::ZipArchive::new(file).map_err(|e| format!("not a readable zip archive: {e}"))?;
    let mut records = 0;
    let mut buf = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("zip entry {i}: {e}"))?;
        buf.clear();
        entry
            .read_to_end(&mut buf)
            .map_err(|e| format!("zip entry {}: {e}", entry.name()))?;
        if entry.is_file() && entry.name().ends_with(".json") {
            serde_json::from_slice::<Advisory>(&buf)
                .map_err(|e| format!("{}: not an OSV record: {e}", entry.name()))?;
            records += 1;
        }
    }
    Ok(records)
}

/// The path of an archive entry without its top folder, rejecting absolute paths and `..`.
fn entry_path(name: &str, top: &mut Option<String>) -> Result<Option<PathBuf>, String> {
    let unsafe_path = || format!("unsafe path in archive: {name:?}");
    if name.starts_with('/') || name.starts_with('\\') || name.contains('\\') {
        return Err(unsafe_path());
    }
    let mut parts = Vec::new();
    for c in Path::new(name).components() {
        match c {
            Component::Normal(p) => {
                let p = p.to_str().ok_or_else(unsafe_path)?;
                if p.contains(':') {
                    return Err(unsafe_path());
                }
                parts.push(p);
            }
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(unsafe_path())
            }
        }
    }
    let Some((first, rest)) = parts.split_first() else {
        return Ok(None);
    };
    match top {
        Some(t) if t != first => {
            return Err(format!(
                "expected one top folder, found {t:?} and {first:?}"
            ))
        }
        Some(_) => {}
        None => *top = Some((*first).to_string()),
    }
    if rest.is_empty() {
        return Ok(None);
    }
    Ok(Some(rest.iter().collect()))
}

/// Extracts the advisory-db archive into `dest` (stripping its top folder) and counts its advisories.
fn extract_rustsec(zip_path: &Path, dest: &Path) -> Result<usize, String> {
    let file = File::open(zip_path).map_err(|e| format!("cannot reopen the download: {e}"))?;
    let mut archive =
        zip::ZipArchive::new(file).map_err(|e| format!("not a readable zip archive: {e}"))?;
    // Check every name before writing anything.
    let mut top = None;
    for name in archive.file_names() {
        entry_path(name, &mut top)?;
    }
    fs::create_dir_all(dest).map_err(|e| format!("cannot create {}: {e}", dest.display()))?;
    let mut total: u64 = 0;
    // Files and directories to fsync once everything is written.
    let mut written = vec![dest.to_path_buf()];
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("zip entry {i}: {e}"))?;
        let name = entry.name().to_string();
        let Some(rel) = entry_path(&name, &mut top)? else {
            continue;
        };
        let path = dest.join(rel);
        if entry.is_dir() {
            fs::create_dir_all(&path).map_err(|e| format!("cannot create {name}: {e}"))?;
            written.push(path);
            continue;
        }
        if entry.is_symlink() {
            continue;
        }
        if let Some(p) = path.parent().filter(|p| !p.is_dir()) {
            let new_dirs: Vec<PathBuf> = p
                .ancestors()
                .take_while(|a| !a.is_dir())
                .map(Path::to_path_buf)
                .collect();
            fs::create_dir_all(p).map_err(|e| format!("cannot create {name}: {e}"))?;
            written.extend(new_dirs);
        }
        let mut out = File::create(&path).map_err(|e| format!("cannot create {name}: {e}"))?;
        let limit = MAX_EXTRACTED.saturating_sub(total);
        let n = io::copy(&mut (&mut entry).take(limit + 1), &mut out)
            .map_err(|e| format!("zip entry {name}: {e}"))?;
        total += n;
        if total > MAX_EXTRACTED {
            return Err(format!("extracts to more than {MAX_EXTRACTED} bytes"));
        }
        written.push(path);
    }
    sync_paths(&written).map_err(|e| format!("cannot write: {e}"))?;
    if !dest.join("crates").is_dir() {
        return Err("no crates/ folder in the archive".to_string());
    }
    let db = rustsec::Database::open(dest).map_err(|e| format!("not a RustSec database: {e}"))?;
    Ok(db.iter().count())
}

/// Puts the directory `new` in place of `target`: the old one is renamed aside, the new one renamed in, the
/// old one deleted; if the second rename fails the old one is restored.
fn replace_dir(new: &Path, target: &Path) -> io::Result<()> {
    let dir = parent(target);
    let had_old = target.exists();
    let aside = TempPath::new(dir, target, "old");
    if had_old {
        fs::rename(target, &aside.path)?;
    }
    if let Err(e) = fs::rename(new, target) {
        if had_old {
            if let Err(restore) = fs::rename(&aside.path, target) {
                // Never delete the only good copy.
                let kept = aside.path.display().to_string();
                aside.keep();
                return Err(io::Error::other(format!(
                    "{e}; the previous copy could not be moved back and is at {kept}: {restore}"
                )));
            }
        }
        return Err(e);
    }
    // `aside` is deleted when dropped.
    sync_dir(dir);
    Ok(())
}

/// Fsyncs files and directories (directories best effort), several at a time: the journal commits
/// concurrent syncs together, which is much faster than one after the other.
fn sync_paths(paths: &[PathBuf]) -> io::Result<()> {
    let next = AtomicU64::new(0);
    let failed: std::sync::Mutex<Option<io::Error>> = std::sync::Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                let Some(path) = paths.get(i) else { break };
                if path.is_dir() {
                    sync_dir(path);
                } else if let Err(e) = File::open(path).and_then(|f| f.sync_all()) {
                    if let Ok(mut f) = failed.lock() {
                        f.get_or_insert(io::Error::new(
                            e.kind(),
                            format!("{}: {e}", path.display()),
                        ));
                    }
                }
            });
        }
    });
    match failed.into_inner() {
        Ok(Some(e)) => Err(e),
        _ => Ok(()),
    }
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes renames in `dir` durable (best effort; not possible on every platform).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A temporary file or directory beside a target (`.<name>.<kind>-<pid>-<n>`), removed when dropped unless
/// kept.
struct TempPath {
    path: PathBuf,
    keep: bool,
}

impl TempPath {
    fn new(dir: &Path, target: &Path, kind: &str) -> TempPath {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        TempPath {
            path: dir.join(format!(".{name}.{kind}-{}-{n}", std::process::id())),
            keep: false,
        }
    }

    fn keep(mut self) {
        self.keep = true;
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        if self.keep {
            return;
        }
        if self.path.is_dir() {
            let _ = fs::remove_dir_all(&self.path);
        } else {
            let _ = fs::remove_file(&self.path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::advisory::testserver::{Reply, TestServer};
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    /// A server answering each path with the reply currently set for it (404 otherwise).
    struct Site {
        server: TestServer,
        replies: Arc<Mutex<BTreeMap<String, Reply>>>,
    }

    impl Site {
        fn start() -> Site {
            let replies: Arc<Mutex<BTreeMap<String, Reply>>> = Arc::default();
            let shared = Arc::clone(&replies);
            let server = TestServer::start(move |req| {
                shared
                    .lock()
                    .ok()
                    .and_then(|r| r.get(&req.path).cloned())
                    .unwrap_or_else(|| Reply::status(404))
            });
            Site { server, replies }
        }

        fn set(&self, path: &str, reply: Reply) {
            if let Ok(mut r) = self.replies.lock() {
                r.insert(path.to_string(), reply);
            }
        }

        fn opts(&self, cache: &Path) -> UpdateOptions {
            UpdateOptions {
                cache_dir: cache.to_path_buf(),
                osv_base_url: self.server.url(),
                rustsec_url: format!("{}/rustsec/main.zip", self.server.url()),
                ecosystems: vec![Ecosystem::PyPI],
                rustsec: false,
                timeout: Duration::from_secs(5),
            }
        }
    }

    fn zip_of(entries: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default();
        for (name, data) in entries {
            if name.ends_with('/') {
                w.add_directory(*name, options)
                    .unwrap_or_else(|e| panic!("{e}"));
            } else {
                w.start_file(*name, options)
                    .unwrap_or_else(|e| panic!("{e}"));
                w.write_all(data.as_bytes())
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        }
        w.finish().unwrap_or_else(|e| panic!("{e}")).into_inner()
    }

    fn osv_record(id: &str) -> String {
        format!(
            r#"{{"id":"{id}","modified":"2024-05-01T00:00:00Z","affected":[{{"package":{{"ecosystem":"PyPI","name":"jinja2"}},"ranges":[{{"type":"ECOSYSTEM","events":[{{"introduced":"0"}},{{"fixed":"2.10"}}]}}]}}]}}"#
        )
    }

    fn pypi_zip() -> Vec<u8> {
        zip_of(&[
            ("PYSEC-2019-217.json", &osv_record("PYSEC-2019-217")),
            (
                "GHSA-462w-v97r-4m45.json",
                &osv_record("GHSA-462w-v97r-4m45"),
            ),
            ("README.txt", "not a record"),
        ])
    }

    fn sha256_hex(bytes: &[u8]) -> String {
        format!("{:x}", Sha256::digest(bytes))
    }

    fn read(path: &Path) -> Vec<u8> {
        fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    fn one(outcomes: Vec<SourceOutcome>) -> (String, Result<Fetched, String>) {
        assert_eq!(outcomes.len(), 1, "{outcomes:?}");
        let o = outcomes
            .into_iter()
            .next()
            .unwrap_or_else(|| unreachable!());
        (o.source, o.result.map_err(|e| e.to_string()))
    }

    fn tempdir() -> tempfile::TempDir {
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
    }

    const LAST_MODIFIED: &str = "Mon, 23 Nov 2026 10:00:00 GMT";

    #[test]
    fn osv_download_then_not_modified() {
        let site = Site::start();
        let cache = tempdir();
        let body = pypi_zip();
        site.set(
            "/PyPI/all.zip",
            Reply::ok(body.clone())
                .header("ETag", "\"v1\"")
                .header("Last-Modified", LAST_MODIFIED),
        );
        let opts = site.opts(cache.path());
        let (source, result) = one(update(&opts));
        assert_eq!(source, "osv/PyPI");
        assert_eq!(
            result,
            Ok(Fetched::Updated {
                bytes: body.len() as u64,
                records: 2
            })
        );
        let zip = osv_zip_path(cache.path(), Ecosystem::PyPI);
        assert_eq!(zip, cache.path().join("advisories/osv/PyPI.zip"));
        assert_eq!(read(&zip), body);
        assert_eq!(
            listing(parent(&zip)),
            ["PyPI.meta.json", "PyPI.zip"],
            "no temporary file is left"
        );
        let meta = read_meta(&zip).unwrap_or_else(|| panic!("no meta"));
        let fetched = parse_rfc3339(&meta.fetched_at).unwrap_or_else(|| panic!("{meta:?}"));
        assert!((now_secs() - fetched).abs() < 60, "{meta:?}");
        assert_eq!(
            meta,
            SourceMeta {
                url: format!("{}/PyPI/all.zip", site.server.url()),
                etag: Some("\"v1\"".into()),
                last_modified: Some(LAST_MODIFIED.into()),
                fetched_at: meta.fetched_at.clone(),
                sha256: sha256_hex(&body),
                records: 2,
            }
        );
        // The scan loads the cache; the sidecar is not taken for a record.
        let db = crate::advisory::database::Database::open(&[ecosystem_data(cache.path())], None)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(db.sources.len(), 1);
        let idx = crate::advisory::index::OsvIndex::from_bytes(
            crate::advisory::index::compile_zip(&osv_zip_path(cache.path(), Ecosystem::PyPI))
                .unwrap_or_else(|e| panic!("{e}")),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(idx.header.records, 2);
        assert!(idx.header.skipped.is_empty(), "{:?}", idx.header.skipped);
        assert_eq!(
            db.query(Ecosystem::PyPI, "Jinja2").map(|v| v.len()).ok(),
            Some(2)
        );
        assert!(db.skipped_records().is_empty());
        let first = site.server.requests();
        assert_eq!(first.len(), 1);
        assert_eq!(first[0].header("if-none-match"), None);
        assert_eq!(first[0].header("accept-encoding"), Some("identity"));
        assert_eq!(
            first[0].header("user-agent"),
            Some(format!("portcullis/{}", env!("CARGO_PKG_VERSION")).as_str())
        );

        // Back-date the confirmation, then the server says nothing changed.
        let old_meta = SourceMeta {
            fetched_at: "2020-01-01T00:00:00Z".into(),
            ..meta.clone()
        };
        let meta_file = parent(&zip).join("PyPI.meta.json");
        fs::write(
            &meta_file,
            serde_json::to_vec(&old_meta).unwrap_or_default(),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        site.set("/PyPI/all.zip", Reply::status(304).header("ETag", "\"v1\""));
        let (source, result) = one(update(&opts));
        assert_eq!(
            (source.as_str(), result),
            ("osv/PyPI", Ok(Fetched::NotModified))
        );
        let second = site.server.requests();
        assert_eq!(second.len(), 2);
        assert_eq!(second[1].header("if-none-match"), Some("\"v1\""));
        assert_eq!(second[1].header("if-modified-since"), Some(LAST_MODIFIED));
        assert_eq!(read(&zip), body, "the data is untouched");
        let refreshed = read_meta(&zip).unwrap_or_else(|| panic!("no meta"));
        assert_ne!(refreshed.fetched_at, old_meta.fetched_at);
        assert_eq!(
            refreshed,
            SourceMeta {
                fetched_at: refreshed.fetched_at.clone(),
                ..old_meta
            }
        );
        assert_eq!(listing(parent(&zip)), ["PyPI.meta.json", "PyPI.zip"]);

        let st = status(cache.path());
        assert_eq!(
            st,
            [SourceStatus {
                name: "osv/PyPI".into(),
                path: zip.clone(),
                records: Some(2),
                fetched_at: Some(refreshed.fetched_at.clone()),
                last_modified: Some(LAST_MODIFIED.into()),
                age_days: Some(0),
            }]
        );
    }

    #[test]
    fn failed_downloads_keep_the_last_good_copy() {
        let site = Site::start();
        let cache = tempdir();
        let body = pypi_zip();
        site.set(
            "/PyPI/all.zip",
            Reply::ok(body.clone()).header("ETag", "\"v1\""),
        );
        let opts = site.opts(cache.path());
        let (_, result) = one(update(&opts));
        assert!(result.is_ok(), "{result:?}");
        let zip = osv_zip_path(cache.path(), Ecosystem::PyPI);
        let meta_file = parent(&zip).join("PyPI.meta.json");
        let good_meta = read(&meta_file);
        let url = format!("{}/PyPI/all.zip", site.server.url());
        let invalid = |reason: &str| {
            format!("osv/PyPI: invalid download from {url}: {reason} (nothing was replaced)")
        };

        let bad_record = zip_of(&[("PYSEC-1.json", r#"{"summary":"no id"}"#)]);
        let cases: Vec<(&str, Reply, String)> = vec![
            (
                "truncated zip",
                Reply::ok(body[..body.len() / 2].to_vec()),
                invalid("not a readable zip archive: "),
            ),
            (
                "connection cut",
                Reply::ok(body.clone()).cut_after(100),
                invalid(&format!("incomplete: 100 of {} bytes", body.len())),
            ),
            (
                "garbage",
                Reply::ok("<html>Service temporarily unavailable</html>"),
                invalid("not a readable zip archive: "),
            ),
            (
                "server error",
                Reply::status(500).body("backend\n down"),
                format!("osv/PyPI: {url}: HTTP 500 Internal Server Error: backend down"),
            ),
            (
                "not OSV records",
                Reply::ok(bad_record),
                invalid("PYSEC-1.json: not an OSV record: missing field `id`"),
            ),
            (
                "unconditional 304",
                Reply::status(304),
                invalid("HTTP 304 Not Modified to an unconditional request"),
            ),
        ];
        for (what, reply, want) in cases {
            site.set("/PyPI/all.zip", reply);
            if what == "unconditional 304" {
                // A sidecar without validators: the request is unconditional.
                let mut m: SourceMeta =
                    serde_json::from_slice(&good_meta).unwrap_or_else(|e| panic!("{e}"));
                m.etag = None;
                fs::write(&meta_file, serde_json::to_vec(&m).unwrap_or_default())
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            let (source, result) = one(update(&opts));
            assert_eq!(source, "osv/PyPI");
            let e = result.err().unwrap_or_else(|| panic!("{what}: no error"));
            assert!(
                e.starts_with(want.trim_end_matches(" (nothing was replaced)")),
                "{what}: {e}"
            );
            if want.ends_with("(nothing was replaced)") {
                assert!(e.ends_with("(nothing was replaced)"), "{what}: {e}");
            }
            assert_eq!(read(&zip), body, "{what}: the zip is unchanged");
            if what != "unconditional 304" {
                assert_eq!(read(&meta_file), good_meta, "{what}: the meta is unchanged");
            }
            assert_eq!(
                listing(parent(&zip)),
                ["PyPI.meta.json", "PyPI.zip"],
                "{what}: no temporary file is left"
            );
        }
        // Exact texts of two of them.
        site.set("/PyPI/all.zip", Reply::status(500).body("backend down"));
        let (_, result) = one(update(&opts));
        assert_eq!(
            result,
            Err(format!(
                "osv/PyPI: {url}: HTTP 500 Internal Server Error: backend down"
            ))
        );
        site.set(
            "/PyPI/all.zip",
            Reply::ok(body.clone()).delay(Duration::from_millis(1500)),
        );
        let slow = UpdateOptions {
            timeout: Duration::from_millis(200),
            ..opts.clone()
        };
        let (_, result) = one(update(&slow));
        assert_eq!(
            result,
            Err(format!("osv/PyPI: {url}: did not answer within 200ms"))
        );
        assert_eq!(read(&zip), body);
    }

    fn rustsec_advisory(id: &str, package: &str) -> String {
        format!(
            "```toml\n[advisory]\nid = \"{id}\"\npackage = \"{package}\"\ndate = \"2025-01-02\"\n\
             url = \"https://example.org/{package}\"\ncategories = [\"memory-corruption\"]\n\n\
             [versions]\npatched = [\">= 1.2.3\"]\n```\n\n# {package} reads out of bounds\n\n\
             A made-up advisory for tests.\n"
        )
    }

    fn rustsec_ids(dir: &Path) -> Vec<String> {
        let db = rustsec::Database::open(dir).unwrap_or_else(|e| panic!("{e}"));
        let mut ids: Vec<String> = db.iter().map(|a| a.id().to_string()).collect();
        ids.sort();
        ids
    }

    #[test]
    fn rustsec_archive_is_extracted_and_replaced() {
        let site = Site::start();
        let cache = tempdir();
        let first = zip_of(&[
            ("advisory-db-main/", ""),
            (
                "advisory-db-main/README.md",
                "# RustSec Advisory Database\n",
            ),
            ("advisory-db-main/crates/", ""),
            (
                "advisory-db-main/crates/foo-bar/RUSTSEC-2025-9001.md",
                &rustsec_advisory("RUSTSEC-2025-9001", "foo-bar"),
            ),
            (
                "advisory-db-main/crates/baz/RUSTSEC-2025-9002.md",
                &rustsec_advisory("RUSTSEC-2025-9002", "baz"),
            ),
        ]);
        site.set(
            "/rustsec/main.zip",
            Reply::ok(first.clone()).header("ETag", "W/\"r1\""),
        );
        let opts = UpdateOptions {
            ecosystems: Vec::new(),
            rustsec: true,
            ..site.opts(cache.path())
        };
        let (source, result) = one(update(&opts));
        assert_eq!(source, "rustsec");
        assert_eq!(
            result,
            Ok(Fetched::Updated {
                bytes: first.len() as u64,
                records: 2
            })
        );
        let dir = rustsec_dir(cache.path());
        assert_eq!(listing(&dir), ["README.md", "crates"]);
        assert_eq!(listing(&dir.join("crates")), ["baz", "foo-bar"]);
        assert_eq!(
            rustsec_ids(&dir),
            ["RUSTSEC-2025-9001", "RUSTSEC-2025-9002"]
        );
        assert_eq!(
            listing(&ecosystem_data(cache.path())),
            ["rustsec", "rustsec.meta.json"]
        );
        let meta = read_meta(&dir).unwrap_or_else(|| panic!("no meta"));
        assert_eq!(
            (meta.records, meta.etag.as_deref(), meta.sha256.as_str()),
            (2, Some("W/\"r1\""), sha256_hex(&first).as_str())
        );

        // A newer archive replaces the whole tree.
        let second = zip_of(&[(
            "advisory-db-main/crates/baz/RUSTSEC-2025-9002.md",
            &rustsec_advisory("RUSTSEC-2025-9002", "baz"),
        )]);
        site.set("/rustsec/main.zip", Reply::ok(second.clone()));
        let (_, result) = one(update(&opts));
        assert_eq!(
            result,
            Ok(Fetched::Updated {
                bytes: second.len() as u64,
                records: 1
            })
        );
        assert_eq!(listing(&dir), ["crates"]);
        assert_eq!(rustsec_ids(&dir), ["RUSTSEC-2025-9002"]);
        assert_eq!(
            read_meta(&dir).map(|m| (m.records, m.etag)),
            Some((1, None))
        );

        // An archive whose advisory does not parse leaves the tree as it was.
        let good_meta = read(&ecosystem_data(cache.path()).join("rustsec.meta.json"));
        let broken = zip_of(&[(
            "advisory-db-main/crates/baz/RUSTSEC-2025-9003.md",
            "```toml\n[advisory]\npackage = \"baz\"\n```\n\n# no id\n\ntext\n",
        )]);
        site.set("/rustsec/main.zip", Reply::ok(broken));
        let (_, result) = one(update(&opts));
        let e = result.err().unwrap_or_default();
        assert!(
            e.starts_with(&format!(
                "rustsec: invalid download from {}/rustsec/main.zip: not a RustSec database: ",
                site.server.url()
            )),
            "{e}"
        );
        assert_eq!(rustsec_ids(&dir), ["RUSTSEC-2025-9002"]);
        assert_eq!(
            read(&ecosystem_data(cache.path()).join("rustsec.meta.json")),
            good_meta
        );
        assert_eq!(
            listing(&ecosystem_data(cache.path())),
            ["rustsec", "rustsec.meta.json"],
            "no temporary file or directory is left"
        );

        let st = status(cache.path());
        assert_eq!(st.len(), 1);
        assert_eq!(
            (st[0].name.as_str(), st[0].path.as_path(), st[0].records),
            ("rustsec", dir.as_path(), Some(1))
        );
    }

    /// Zips a directory tree the way GitHub archives a branch: everything under one top folder.
    fn archive_of(root: &Path, top: &str) -> Vec<u8> {
        let mut files = Vec::new();
        let mut stack = vec![root.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).unwrap_or_else(|e| panic!("{e}")) {
                let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    files.push(path);
                }
            }
        }
        files.sort();
        let contents: Vec<(String, String)> = files
            .iter()
            .map(|f| {
                let rel = f.strip_prefix(root).unwrap_or(f).to_string_lossy();
                let text = fs::read_to_string(f).unwrap_or_else(|e| panic!("{e}"));
                (format!("{top}/{rel}"), text)
            })
            .collect();
        let refs: Vec<(&str, &str)> = contents
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect();
        zip_of(&refs)
    }

    #[test]
    fn real_advisory_db_archive_installs() {
        let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/advisories/rustsec");
        if !shared.is_dir() {
            println!("skipped: ../shared/advisories/rustsec is not beside the checkout");
            return;
        }
        let site = Site::start();
        let cache = tempdir();
        let archive = archive_of(&shared, "advisory-db-main");
        site.set("/rustsec/main.zip", Reply::ok(archive.clone()));
        let opts = UpdateOptions {
            ecosystems: Vec::new(),
            rustsec: true,
            ..site.opts(cache.path())
        };
        let (_, result) = one(update(&opts));
        // Record count from ../shared/advisories/README.md.
        assert_eq!(
            result,
            Ok(Fetched::Updated {
                bytes: archive.len() as u64,
                records: 1225
            })
        );
        let dir = rustsec_dir(cache.path());
        assert_eq!(
            listing(&dir),
            ["LICENSE.txt", "README.md", "crates", "rust"]
        );
        assert!(dir.join("crates/badge/RUSTSEC-2022-0057.md").is_file());
    }

    #[test]
    fn unsafe_archive_paths_are_rejected() {
        let site = Site::start();
        let work = tempdir();
        let cache = work.path().join("cache");
        let good = rustsec_advisory("RUSTSEC-2025-9001", "foo");
        let opts = UpdateOptions {
            ecosystems: Vec::new(),
            rustsec: true,
            ..site.opts(&cache)
        };
        for (evil, reason) in [
            (
                "advisory-db-main/../../../evil.md",
                "unsafe path in archive: \"advisory-db-main/../../../evil.md\"",
            ),
            ("/tmp/evil.md", "unsafe path in archive: \"/tmp/evil.md\""),
            (
                "advisory-db-main\\..\\evil.md",
                "unsafe path in archive: \"advisory-db-main\\\\..\\\\evil.md\"",
            ),
            (
                "other-top/evil.md",
                "expected one top folder, found \"advisory-db-main\" and \"other-top\"",
            ),
        ] {
            site.set(
                "/rustsec/main.zip",
                Reply::ok(zip_of(&[
                    ("advisory-db-main/crates/foo/RUSTSEC-2025-9001.md", &good),
                    (evil, "pwned"),
                ])),
            );
            let (_, result) = one(update(&opts));
            assert_eq!(
                result,
                Err(format!(
                    "rustsec: invalid download from {}/rustsec/main.zip: {reason} (nothing was replaced)",
                    site.server.url()
                ))
            );
            assert!(!work.path().join("evil.md").exists());
            assert!(!cache.join("evil.md").exists());
            assert_eq!(listing(&ecosystem_data(&cache)), Vec::<String>::new());
        }
    }

    #[test]
    fn status_reports_records_and_age() {
        let cache = tempdir();
        let osv = ecosystem_data(cache.path()).join("osv");
        fs::create_dir_all(&osv).unwrap_or_else(|e| panic!("{e}"));
        fs::create_dir_all(rustsec_dir(cache.path())).unwrap_or_else(|e| panic!("{e}"));
        let now = parse_rfc3339("2026-11-23T10:00:00Z").unwrap_or_default();
        let meta = |fetched_at: &str, records| SourceMeta {
            url: "https://example.org/x.zip".into(),
            etag: None,
            last_modified: Some(LAST_MODIFIED.into()),
            fetched_at: fetched_at.into(),
            sha256: "00".into(),
            records,
        };
        let write = |path: &Path, m: &SourceMeta| {
            fs::write(path, serde_json::to_vec(m).unwrap_or_default())
                .unwrap_or_else(|e| panic!("{e}"))
        };
        fs::write(osv.join("crates.io.zip"), b"zip").unwrap_or_else(|e| panic!("{e}"));
        write(
            &osv.join("crates.io.meta.json"),
            &meta("2026-11-20T09:59:59Z", 1206),
        );
        fs::write(osv.join("Go.zip"), b"zip").unwrap_or_else(|e| panic!("{e}"));
        write(
            &ecosystem_data(cache.path()).join("rustsec.meta.json"),
            &meta("2026-11-23T09:00:00Z", 1225),
        );
        let st = status_at(cache.path(), now);
        assert_eq!(
            st,
            [
                SourceStatus {
                    name: "osv/Go".into(),
                    path: osv.join("Go.zip"),
                    records: None,
                    fetched_at: None,
                    last_modified: None,
                    age_days: None,
                },
                SourceStatus {
                    name: "osv/crates.io".into(),
                    path: osv.join("crates.io.zip"),
                    records: Some(1206),
                    fetched_at: Some("2026-11-20T09:59:59Z".into()),
                    last_modified: Some(LAST_MODIFIED.into()),
                    age_days: Some(3),
                },
                SourceStatus {
                    name: "rustsec".into(),
                    path: rustsec_dir(cache.path()),
                    records: Some(1225),
                    fetched_at: Some("2026-11-23T09:00:00Z".into()),
                    last_modified: Some(LAST_MODIFIED.into()),
                    age_days: Some(0),
                },
            ]
        );
        assert!(status(&cache.path().join("missing")).is_empty());
    }

    #[test]
    fn cache_directory_choice() {
        let os = |s: &str| Some(OsString::from(s));
        assert_eq!(
            cache_dir_from(os("/c"), os("/x"), os("/h")),
            Some(PathBuf::from("/c"))
        );
        assert_eq!(
            cache_dir_from(os(""), os("/x"), os("/h")),
            Some(PathBuf::from("/x/portcullis"))
        );
        assert_eq!(
            cache_dir_from(None, os("relative"), os("/h")),
            Some(PathBuf::from("/h/.cache/portcullis"))
        );
        assert_eq!(cache_dir_from(None, None, None), None);
        assert_eq!(
            ecosystem_data(Path::new("/c")),
            PathBuf::from("/c/advisories")
        );
    }

    #[test]
    fn sidecar_paths() {
        assert_eq!(
            meta_path(Path::new("/c/advisories/osv/crates.io.zip")),
            Some(PathBuf::from("/c/advisories/osv/crates.io.meta.json"))
        );
        assert_eq!(
            meta_path(Path::new("/c/advisories/rustsec")),
            Some(PathBuf::from("/c/advisories/rustsec.meta.json"))
        );
    }

    #[test]
    fn rfc3339_timestamps() {
        for (text, secs) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2026-11-23T10:00:00Z", 20_780 * 86_400 + 36_000),
            ("2026-11-23T12:00:00+02:00", 20_780 * 86_400 + 36_000),
            ("2023-03-14T05:47:39.989396Z", 1_678_772_859),
            ("2000-02-29t00:00:00-00:30", 951_784_200),
        ] {
            assert_eq!(parse_rfc3339(text), Some(secs), "{text}");
        }
        for bad in [
            "2026-11-23",
            "2026-13-01T00:00:00Z",
            "2026-11-23T10:00:00",
            "2026-11-23T10:00:00.Z",
            "2026-11-23T1a:00:00Z",
            "+026-11-23T10:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        let t = 1_790_000_000;
        assert_eq!(parse_rfc3339(&utc_timestamp(t)), Some(t));
    }
}
