//! Atomic file writes, shared by the advisory cache (compiled indexes) and the binary's outputs (SARIF, JSON,
//! baselines, SBOMs): a reader never sees half a file.

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, then a rename.
pub fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Writes an output the user named: a regular file (or a new one) is replaced atomically; a symlink is
/// followed and its target replaced (the link stays a link); a character device, FIFO or socket
/// (`/dev/stdout`, `/dev/full`, a named pipe) is written directly, never replaced by a regular file.
pub fn write_output(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut path = path.to_path_buf();
    // Follow a chain of links (bounded, as the kernel bounds it) to the file they name.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let target = std::fs::read_link(&path)?;
                path = match path.parent() {
                    Some(dir) if target.is_relative() => dir.join(target),
                    _ => target,
                };
            }
            Ok(m) if !m.is_file() && !m.is_dir() => {
                let mut f = std::fs::OpenOptions::new().write(true).open(&path)?;
                f.write_all(bytes)?;
                return f.flush();
            }
            _ => return write_atomic(&path, bytes),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn outputs_keep_what_they_are() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("real.json");
        std::fs::write(&target, "old").unwrap_or_default();
        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink("real.json", &link).unwrap_or_default();
        write_output(&link, b"new").unwrap_or_else(|e| panic!("{e}"));
        assert!(std::fs::symlink_metadata(&link).is_ok_and(|m| m.file_type().is_symlink()));
        assert_eq!(std::fs::read_to_string(&target).unwrap_or_default(), "new");
        // A device is written, not replaced.
        write_output(std::path::Path::new("/dev/null"), b"x").unwrap_or_else(|e| panic!("{e}"));
        assert!(std::fs::metadata("/dev/null").is_ok_and(|m| !m.is_file()));
        assert!(write_output(std::path::Path::new("/dev/full"), b"x").is_err());
        assert!(std::fs::metadata("/dev/full").is_ok_and(|m| !m.is_file()));
        let plain = dir.path().join("new.json");
        write_output(&plain, b"fresh").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read_to_string(&plain).unwrap_or_default(), "fresh");
    }
}
