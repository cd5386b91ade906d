//! A download checked before it is trusted: every zip entry read (CRCs), records counted, the RustSec archive
//! unpacked with its paths contained and its size bounded.

use super::files::sync_paths;
use crate::advisory::osv::Advisory;
use std::fs::{self, File};
use std::io::{self, Read};
use std::path::{Component, Path, PathBuf};
use thiserror::Error;

/// Why a download is not accepted.
#[derive(Debug, Error)]
#[error("{reason}")]
pub(super) struct Rejected {
    /// What is wrong with it.
    pub reason: String,
}

impl From<String> for Rejected {
    fn from(reason: String) -> Self {
        Rejected { reason }
    }
}

/// Largest total size the RustSec archive may extract to (a guard against zip bombs).
const MAX_EXTRACTED: u64 = 1024 * 1024 * 1024;

/// Counts the OSV records of a downloaded `all.zip`, reading every entry (which checks its CRC).
pub(super) fn check_osv_zip(path: &Path) -> Result<usize, Rejected> {
    let file = File::open(path).map_err(|e| format!("cannot reopen the download: {e}"))?;
    let mut archive =
        zip::ZipArchive::new(file).map_err(|e| format!("not a readable zip archive: {e}"))?;
    let mut records = 0;
    let mut buf = Vec::new();
    let mut budget = crate::advisory::bounded::Budget::default();
    for i in 0..archive.len() {
        let mut entry = archive
            .by_index(i)
            .map_err(|e| format!("zip entry {i}: {e}"))?;
        crate::advisory::bounded::read_entry(&mut entry, &mut budget, &mut buf)
            .map_err(|why| format!("zip entry {}: {why}", entry.name()))?;
        if entry.is_file() && entry.name().ends_with(".json") {
            serde_json::from_slice::<Advisory>(&buf)
                .map_err(|e| format!("{}: not an OSV record: {e}", entry.name()))?;
            records += 1;
        }
    }
    Ok(records)
}

/// The path of an archive entry without its top folder, rejecting absolute paths and `..`.
pub(super) fn entry_path(
    name: &str,
    top: &mut Option<String>,
) -> Result<Option<PathBuf>, Rejected> {
    let unsafe_path = || format!("unsafe path in archive: {name:?}");
    if name.starts_with('/') || name.starts_with('\\') || name.contains('\\') {
        return Err(unsafe_path().into());
    }
    let mut parts = Vec::new();
    for c in Path::new(name).components() {
        match c {
            Component::Normal(p) => {
                let p = p.to_str().ok_or_else(unsafe_path)?;
                if p.contains(':') {
                    return Err(unsafe_path().into());
                }
                parts.push(p);
            }
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => {
                return Err(unsafe_path().into())
            }
        }
    }
    let Some((first, rest)) = parts.split_first() else {
        return Ok(None);
    };
    match top {
        Some(t) if t != first => {
            return Err(format!("expected one top folder, found {t:?} and {first:?}").into())
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
pub(super) fn extract_rustsec(zip_path: &Path, dest: &Path) -> Result<usize, Rejected> {
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
            return Err(format!("extracts to more than {MAX_EXTRACTED} bytes").into());
        }
        written.push(path);
    }
    sync_paths(&written).map_err(|e| format!("cannot write: {e}"))?;
    if !dest.join("crates").is_dir() {
        return Err(Rejected::from(
            "no crates/ folder in the archive".to_string(),
        ));
    }
    let db = rustsec::Database::open(dest).map_err(|e| format!("not a RustSec database: {e}"))?;
    Ok(db.iter().count())
}
