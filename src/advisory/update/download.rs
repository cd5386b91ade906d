//! One source fetched over HTTP (conditionally, when a copy exists) into a temporary file, checked, and put
//! in place of the last good copy.

use super::cache::{meta_path, now_secs, read_meta, SourceMeta};
use super::files::{parent, replace_dir, sync_dir, write_synced, TempPath};
use super::verify::{check_osv_zip, extract_rustsec};
use super::{Fetched, UpdateError};
use crate::advisory::http::{body_excerpt, io_is_timeout, is_timeout, status_text};
use crate::config::utc_timestamp;
use sha2::{Digest, Sha256};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::Path;
use std::time::Duration;

pub(super) struct Job<'a> {
    pub(super) agent: &'a ureq::Agent,
    pub(super) name: String,
    pub(super) url: String,
    pub(super) timeout: Duration,
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

    pub(super) fn update_osv(&self, target: &Path) -> Result<Fetched, UpdateError> {
        self.update(target, |download, dir| {
            let records = check_osv_zip(&download.file.path).map_err(|r| self.invalid(r.reason))?;
            fs::rename(&download.file.path, target)
                .map_err(|e| self.io(target, "cannot replace", e))?;
            download.file.keep();
            sync_dir(dir);
            Ok(records)
        })
    }

    pub(super) fn update_rustsec(&self, target: &Path) -> Result<Fetched, UpdateError> {
        self.update(target, |download, dir| {
            let mut tree = TempPath::new(dir, target, "new");
            let records = extract_rustsec(&download.file.path, &tree.path)
                .map_err(|r| self.invalid(r.reason))?;
            replace_dir(&tree.path, target).map_err(|e| self.io(target, "cannot replace", e))?;
            tree.keep();
            Ok(records)
        })
    }

    /// Downloads the source beside `target` and, unless it is unchanged, lets `install` check it and put it
    /// in place (returning its record count); then records the sidecar.
    fn update(
        &self,
        target: &Path,
        install: impl FnOnce(&mut Download, &Path) -> Result<usize, UpdateError>,
    ) -> Result<Fetched, UpdateError> {
        let dir = parent(target);
        fs::create_dir_all(dir).map_err(|e| self.io(dir, "cannot create directory", e))?;
        let old = existing_meta(target);
        let mut download = match self.download(old, dir, target)? {
            Got::NotModified(meta) => return self.confirm(target, meta),
            Got::Data(d) => d,
        };
        let records = install(&mut download, dir)?;
        let meta = self.meta_of(&download, records);
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
        let mut tmp = TempPath::new(parent(&path), &path, "tmp");
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
