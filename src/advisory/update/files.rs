//! Temporary paths beside a target, atomic replacement of a file or directory, and fsync.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Puts the directory `new` in place of `target`: the old one is renamed aside, the new one renamed in, the
/// old one deleted; if the second rename fails the old one is restored.
pub(super) fn replace_dir(new: &Path, target: &Path) -> io::Result<()> {
    let dir = parent(target);
    let had_old = target.exists();
    let mut aside = TempPath::new(dir, target, "old");
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
pub(super) fn sync_paths(paths: &[PathBuf]) -> io::Result<()> {
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

pub(super) fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

/// Makes renames in `dir` durable (best effort; not possible on every platform).
pub(super) fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// A temporary file or directory beside a target (`.<name>.<kind>-<pid>-<n>`), removed when dropped unless
/// kept.
pub(super) struct TempPath {
    pub(super) path: PathBuf,
    keep: bool,
}

impl TempPath {
    pub(super) fn new(dir: &Path, target: &Path, kind: &str) -> TempPath {
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

    pub(super) fn keep(&mut self) {
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

/// The directory holding `path` (`.` for a bare name).
pub(super) fn parent(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}
