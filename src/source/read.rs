//! The pipeline's one reader. Every byte a scanner sees comes through a [`Reader`]: a file on disk today, a
//! git blob or a file inside a container image later, all under the same limits. The disk reader opens
//! without following symlinks, refuses anything but a regular file (a FIFO would hang the scan, a device
//! would never end), and stops at the size limit even when the file grows after it was listed.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use thiserror::Error;

/// Why a file could not be read.
#[derive(Debug, Error)]
pub enum ReadError {
    /// The file is larger than the limit (when listed, or by the time it was read).
    #[error("not scanned: {} is over the {} size limit (raise it with --max-file-size or `max-file-size`)", crate::discover::human_size(*.size), crate::discover::human_size(*.limit))]
    TooLarge {
        /// Bytes seen (at least).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A symlink, which the scan never follows.
    #[error("is a symlink; not followed")]
    Symlink,
    /// A FIFO, device, socket or directory.
    #[error("is a {0}, not a regular file; not read")]
    NotRegular(&'static str),
    /// The path leaves the scan root.
    #[error("is outside the scan root; not read")]
    OutsideRoot,
    /// The file does not exist.
    #[error("does not exist")]
    NotFound,
    /// Any other I/O error.
    #[error("cannot read: {0}")]
    Io(std::io::Error),
}

impl ReadError {
    /// The diagnostic code of this kind of failure.
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::TooLarge { .. } => "file-too-large",
            ReadError::Symlink => "symlink-not-followed",
            ReadError::NotRegular(_) => "not-a-regular-file",
            ReadError::OutsideRoot => "outside-root",
            ReadError::NotFound | ReadError::Io(_) => "unreadable-file",
        }
    }
}

/// Reads files by repository-relative path.
pub trait Reader: Sync {
    /// The bytes of the file at `rel` (`/`-separated, relative to the repository root).
    fn read(&self, rel: &str) -> Result<Vec<u8>, ReadError>;

    /// The file at `rel` opened for streaming, with the same refusals as [`Reader::read`] but no size limit:
    /// for the scanners that read files of any size window by window.
    fn open(&self, rel: &str) -> Result<Box<dyn Read + Send>, ReadError> {
        self.read(rel)
            .map(|b| Box::new(std::io::Cursor::new(b)) as Box<dyn Read + Send>)
    }
}

/// A reader with no files behind it: for scanning one file on its own (tests, benchmarks).
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFiles;

impl Reader for NoFiles {
    fn read(&self, _rel: &str) -> Result<Vec<u8>, ReadError> {
        Err(ReadError::NotFound)
    }
}

/// Files under a directory on disk, at most `max_size` bytes each.
#[derive(Clone, Debug)]
pub struct DiskReader {
    /// The repository root that relative paths start from.
    pub root: PathBuf,
    /// Larger files are refused.
    pub max_size: u64,
}

impl DiskReader {
    /// The path on disk of `rel`, refused when it climbs out of the root.
    pub fn path_of(&self, rel: &str) -> Result<PathBuf, ReadError> {
        let rel_path = Path::new(rel);
        if rel_path
            .components()
            .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(ReadError::OutsideRoot);
        }
        Ok(self.root.join(rel_path))
    }
}

impl DiskReader {
    /// `rel` opened without following links, when it is a regular file with no symlinked directory on the way.
    fn open_checked(&self, rel: &str) -> Result<(std::fs::File, u64), ReadError> {
        let path = self.path_of(rel)?;
        // No directory on the way may be a symlink either (the walk never enters one).
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == self.root || !d.starts_with(&self.root) {
                break;
            }
            if std::fs::symlink_metadata(d).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(ReadError::Symlink);
            }
            dir = d.parent();
        }
        open_regular(&path)
    }
}

impl Reader for DiskReader {
    fn read(&self, rel: &str) -> Result<Vec<u8>, ReadError> {
        let (file, len) = self.open_checked(rel)?;
        read_limited(file, len, self.max_size)
    }

    fn open(&self, rel: &str) -> Result<Box<dyn Read + Send>, ReadError> {
        let (file, _) = self.open_checked(rel)?;
        Ok(Box::new(file))
    }
}

/// Reads `path` without following a final symlink, refusing non-regular files, and never more than `limit`
/// bytes.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let (file, len) = open_regular(path)?;
    read_limited(file, len, limit)
}

/// `path` opened without following a final symlink, when it is a regular file, with its length.
fn open_regular(path: &Path) -> Result<(std::fs::File, u64), ReadError> {
    let file = open_no_follow(path)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    let ft = meta.file_type();
    if !ft.is_file() {
        return Err(ReadError::NotRegular(describe(&ft)));
    }
    Ok((file, meta.len()))
}

/// Reads an opened file of listed length `len`, never more than `limit` bytes.
fn read_limited(file: std::fs::File, len: u64, limit: u64) -> Result<Vec<u8>, ReadError> {
    if len > limit {
        return Err(ReadError::TooLarge { size: len, limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
            limit,
        });
    }
    Ok(bytes)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> Result<std::fs::File, ReadError> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is then refused as not regular.
    match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_CLOEXEC)
        .open(path)
    {
        Ok(f) => Ok(f),
        Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Err(ReadError::Symlink),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(ReadError::NotFound),
        Err(e) => Err(ReadError::Io(e)),
    }
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> Result<std::fs::File, ReadError> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(ReadError::Symlink);
    }
    std::fs::File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => ReadError::NotFound,
        _ => ReadError::Io(e),
    })
}

fn describe(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "FIFO";
        }
        if ft.is_char_device() || ft.is_block_device() {
            return "device";
        }
        if ft.is_socket() {
            return "socket";
        }
    }
    if ft.is_dir() {
        "directory"
    } else {
        "special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_links_special_files_and_growth_past_the_limit() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let root = dir.path().to_path_buf();
        std::fs::write(root.join("a.txt"), b"hello").unwrap_or_else(|e| panic!("{e}"));
        let r = DiskReader {
            root: root.clone(),
            max_size: 4,
        };
        assert!(matches!(r.read("a.txt"), Err(ReadError::TooLarge { .. })));
        let r = DiskReader {
            root: root.clone(),
            max_size: 100,
        };
        assert_eq!(r.read("a.txt").ok(), Some(b"hello".to_vec()));
        assert!(matches!(r.read("../a.txt"), Err(ReadError::OutsideRoot)));
        assert!(matches!(r.read("missing"), Err(ReadError::NotFound)));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("a.txt"), root.join("l.txt"))
                .unwrap_or_else(|e| panic!("{e}"));
            assert!(matches!(r.read("l.txt"), Err(ReadError::Symlink)));
            std::os::unix::fs::symlink(&root, root.join("sub")).unwrap_or_else(|e| panic!("{e}"));
            assert!(matches!(r.read("sub/a.txt"), Err(ReadError::Symlink)));
            let made = std::process::Command::new("mkfifo")
                .arg(root.join("fifo"))
                .status()
                .is_ok_and(|s| s.success());
            if made {
                assert!(matches!(r.read("fifo"), Err(ReadError::NotRegular("FIFO"))));
            }
            assert!(matches!(
                read_bounded(Path::new("/dev/zero"), 10),
                Err(ReadError::NotRegular("device"))
            ));
        }
    }
}
