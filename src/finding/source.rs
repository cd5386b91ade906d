//! Byte offsets to lines and columns, computed lazily once per file.

use std::ops::Range;
use std::sync::OnceLock;

/// A file's bytes with a lazily built line index.
pub struct SourceText<'a> {
    bytes: &'a [u8],
    line_starts: Lines<'a>,
}

/// The line index: owned, or shared with the [`crate::source::SourceFile`] it belongs to.
enum Lines<'a> {
    Own(OnceLock<Vec<usize>>),
    Shared(&'a OnceLock<Vec<usize>>),
}

/// Offsets where lines start: after `\n`, after `\r\n`, and after a lone `\r` (classic Mac line endings).
pub(crate) fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut v = vec![0];
    for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            continue;
        }
        v.push(i + 1);
    }
    v
}

impl<'a> SourceText<'a> {
    /// Wraps the bytes of one file.
    pub fn new(bytes: &'a [u8]) -> Self {
        SourceText {
            bytes,
            line_starts: Lines::Own(OnceLock::new()),
        }
    }

    /// Wraps bytes whose line index lives elsewhere (built once, shared by every view of the file).
    pub(crate) fn shared(bytes: &'a [u8], lines: &'a OnceLock<Vec<usize>>) -> Self {
        SourceText {
            bytes,
            line_starts: Lines::Shared(lines),
        }
    }

    /// The file's bytes.
    pub fn bytes(&self) -> &'a [u8] {
        self.bytes
    }

    fn starts(&self) -> &[usize] {
        let cell = match &self.line_starts {
            Lines::Own(c) => c,
            Lines::Shared(c) => c,
        };
        cell.get_or_init(|| line_starts(self.bytes))
    }

    /// 1-based line number of `offset`.
    pub fn line_number(&self, offset: usize) -> u32 {
        let starts = self.starts();
        let idx = starts.partition_point(|&s| s <= offset).saturating_sub(1);
        u32::try_from(idx + 1).unwrap_or(u32::MAX)
    }

    /// Byte range of the 1-based line `line`, without its line terminator.
    pub fn line_range(&self, line: u32) -> Range<usize> {
        let starts = self.starts();
        let idx = (line as usize)
            .saturating_sub(1)
            .min(starts.len().saturating_sub(1));
        let start = starts[idx];
        let mut end = starts.get(idx + 1).map_or(self.bytes.len(), |&s| s - 1);
        if self.bytes.get(end) == Some(&b'\n')
            && end > start
            && self.bytes.get(end - 1) == Some(&b'\r')
        {
            end -= 1;
        }
        start..end.max(start)
    }

    /// Number of lines (a trailing newline does not start a new line).
    pub fn line_count(&self) -> u32 {
        let n = self.starts().len();
        let n = if self.bytes.ends_with(b"\n") || self.bytes.ends_with(b"\r") {
            n - 1
        } else {
            n
        };
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// 1-based column (in Unicode code points) of `offset`.
    pub fn column(&self, offset: usize) -> u32 {
        let line = self.line_number(offset);
        let start = self.line_range(line).start;
        let end = offset.min(self.bytes.len()).max(start);
        u32::try_from(char_count(&self.bytes[start..end]) + 1).unwrap_or(u32::MAX)
    }
}

/// Number of characters `bytes` decodes to (invalid sequences count as one replacement character each).
pub(crate) fn char_count(bytes: &[u8]) -> usize {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.chars().count(),
        Err(_) => String::from_utf8_lossy(bytes).chars().count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns() {
        let s = SourceText::new(b"ab\r\nc\xc3\xa9d\n\nlast");
        assert_eq!(s.line_number(0), 1);
        assert_eq!(s.line_number(3), 1);
        assert_eq!(s.line_number(4), 2);
        assert_eq!(s.line_range(1), 0..2);
        assert_eq!(s.line_range(2), 4..8);
        assert_eq!(s.line_range(3), 9..9);
        assert_eq!(s.column(7), 3);
        assert_eq!(s.column(10), 1);
        assert_eq!(s.line_count(), 4);
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        let s = SourceText::new(b"a\rbb\rc\r\nd");
        assert_eq!(s.line_number(2), 2);
        assert_eq!(s.line_range(2), 2..4);
        assert_eq!(s.line_number(5), 3);
        assert_eq!(s.line_range(3), 5..6);
        assert_eq!(s.line_number(8), 4);
        assert_eq!(s.line_count(), 4);
    }
}
