//! Files too large to hold whole, read as overlapping windows in bounded memory, and UTF-16 text decoded as
//! it streams. The secrets scanner reads every file whatever its size this way: each window is scanned as a
//! file of its own, and only what starts in the window's own stretch is kept, so that nothing is found twice
//! and nothing that crosses a boundary (up to the overlap) is missed.

use std::io::{self, Read};
use std::ops::Range;

/// Bytes each window owns: its findings are those that start in this stretch.
pub const WINDOW_STEP: usize = 8 << 20;

/// Context read on both sides of a window's own stretch: longer than any credential a rule matches (a 4096-bit
/// PEM private key is about 3.3 KB), so a match crossing a boundary is seen whole by the window it starts in.
pub const WINDOW_OVERLAP: usize = 64 << 10;

/// One window of a long file.
#[derive(Debug)]
pub struct Window {
    /// The bytes, from a little before the owned stretch to a little after it.
    pub bytes: Vec<u8>,
    /// The stretch of `bytes` this window owns.
    pub own: Range<usize>,
    /// Line breaks in the file before the window's first byte.
    pub lines_before: u32,
    /// Characters on the window's first line before its first byte (the window may start mid-line).
    pub columns_before: u32,
    /// Whether this is the file's last window.
    pub last: bool,
}

impl Window {
    /// The file's 1-based (line, column) of a window-relative one.
    pub fn place(&self, line: u32, column: u32) -> (u32, u32) {
        let column = if line == 1 {
            column.saturating_add(self.columns_before)
        } else {
            column
        };
        (line.saturating_add(self.lines_before), column)
    }
}

/// Splits a stream into [`Window`]s: window `k` owns bytes `[k·step, (k+1)·step)` and holds `overlap` bytes
/// more on each side; the last owns everything to the end.
pub struct Windows<R> {
    inner: R,
    step: usize,
    overlap: usize,
    /// Bytes from `buf_start` on.
    buf: Vec<u8>,
    buf_start: u64,
    own_start: u64,
    lines_before: u32,
    columns_before: u32,
    eof: bool,
    done: bool,
}

impl<R: Read> Windows<R> {
    /// Windows of the standard size over `inner`.
    pub fn new(inner: R) -> Windows<R> {
        Windows::with_sizes(inner, WINDOW_STEP, WINDOW_OVERLAP)
    }

    /// Windows owning `step` bytes each with `overlap` bytes of context on each side (tests use small ones).
    pub fn with_sizes(inner: R, step: usize, overlap: usize) -> Windows<R> {
        Windows {
            inner,
            step: step.max(1),
            overlap,
            buf: Vec::new(),
            buf_start: 0,
            own_start: 0,
            lines_before: 0,
            columns_before: 0,
            eof: false,
            done: false,
        }
    }

    /// The next window, or `None` after the last.
    pub fn next_window(&mut self) -> io::Result<Option<Window>> {
        if self.done {
            return Ok(None);
        }
        // Bytes wanted in the buffer: from its start to the end of the owned stretch plus the overlap.
        let own_rel = usize::try_from(self.own_start - self.buf_start).unwrap_or(usize::MAX);
        let want = own_rel
            .saturating_add(self.step)
            .saturating_add(self.overlap);
        self.fill(want)?;
        let last = self.eof && self.buf.len() <= want;
        let own_end = if last {
            self.buf.len()
        } else {
            own_rel + self.step
        };
        let window = Window {
            bytes: self.buf.clone(),
            own: own_rel.min(own_end)..own_end,
            lines_before: self.lines_before,
            columns_before: self.columns_before,
            last,
        };
        if last {
            self.done = true;
            self.buf = Vec::new();
        } else {
            // The next window starts `overlap` bytes before the stretch it owns.
            self.own_start += self.step as u64;
            let drop = (own_end - self.overlap.min(own_end)).min(self.buf.len());
            self.count(drop);
            self.buf.drain(..drop);
            self.buf_start += drop as u64;
        }
        Ok(Some(window))
    }

    /// Reads until the buffer holds `want` bytes or the input ends.
    fn fill(&mut self, want: usize) -> io::Result<()> {
        if self.eof || self.buf.len() >= want {
            return Ok(());
        }
        let room = want - self.buf.len();
        let got = (&mut self.inner)
            .take(room as u64)
            .read_to_end(&mut self.buf)?;
        self.eof = got < room;
        Ok(())
    }

    /// Counts the line breaks and the characters of the last line in the first `n` bytes of the buffer,
    /// as [`crate::finding::SourceText`] does (`\n`, `\r\n` and a lone `\r` each end a line).
    fn count(&mut self, n: usize) {
        for i in 0..n {
            match self.buf[i] {
                b'\n' => self.line_break(),
                b'\r' if self.buf.get(i + 1) != Some(&b'\n') => self.line_break(),
                b if b & 0xc0 != 0x80 => {
                    self.columns_before = self.columns_before.saturating_add(1)
                }
                _ => {}
            }
        }
    }

    fn line_break(&mut self) {
        self.lines_before = self.lines_before.saturating_add(1);
        self.columns_before = 0;
    }
}

/// Decodes UTF-16 (little- or big-endian) to UTF-8 as it is read; unpaired surrogates and a trailing odd
/// byte become U+FFFD.
pub struct Utf16ToUtf8<R> {
    inner: R,
    little_endian: bool,
    raw: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R: Read> Utf16ToUtf8<R> {
    /// Wraps `inner`, positioned after the byte-order mark.
    pub fn new(inner: R, little_endian: bool) -> Utf16ToUtf8<R> {
        Utf16ToUtf8 {
            inner,
            little_endian,
            raw: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
            eof: false,
        }
    }

    /// Decodes the next block of input into `out`; false at the end.
    fn refill(&mut self) -> io::Result<bool> {
        self.out.clear();
        self.out_pos = 0;
        while self.out.is_empty() {
            if self.eof {
                if self.raw.is_empty() {
                    return Ok(false);
                }
                // A lone high surrogate or an odd byte at the very end.
                self.raw.clear();
                self.out.extend_from_slice("\u{fffd}".as_bytes());
                return Ok(true);
            }
            const BLOCK: usize = 32 << 10;
            let n = (&mut self.inner)
                .take(BLOCK as u64)
                .read_to_end(&mut self.raw)?;
            if n < BLOCK {
                self.eof = true;
            }
            if n == 0 {
                continue;
            }
            let mut units: Vec<u16> = self
                .raw
                .chunks_exact(2)
                .map(|p| {
                    if self.little_endian {
                        u16::from_le_bytes([p[0], p[1]])
                    } else {
                        u16::from_be_bytes([p[0], p[1]])
                    }
                })
                .collect();
            let mut keep = self.raw.len() % 2;
            // A high surrogate at the end may pair with the next block's first unit.
            if units.last().is_some_and(|u| (0xd800..0xdc00).contains(u)) {
                units.pop();
                keep += 2;
            }
            let mut s = String::with_capacity(units.len());
            s.extend(char::decode_utf16(units).map(|r| r.unwrap_or(char::REPLACEMENT_CHARACTER)));
            self.out.extend_from_slice(s.as_bytes());
            let tail = self.raw.len() - keep;
            self.raw.drain(..tail);
        }
        Ok(true)
    }
}

impl<R: Read> Read for Utf16ToUtf8<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.out_pos >= self.out.len() && !self.refill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

/// The byte order of a UTF-16 byte-order mark at the start of `bytes`: `Some(true)` for little-endian.
pub fn utf16_bom(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xff, 0xfe, ..] => Some(true),
        [0xfe, 0xff, ..] => Some(false),
        _ => None,
    }
}

/// `bytes` as UTF-8 when they are UTF-16 with a byte-order mark (the mark dropped), else `None`.
pub fn decode_utf16(bytes: &[u8]) -> Option<Vec<u8>> {
    let le = utf16_bom(bytes)?;
    let mut out = Vec::with_capacity(bytes.len());
    Utf16ToUtf8::new(&bytes[2..], le)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::SourceText;

    /// Every window of `text`, with small sizes.
    fn windows(text: &[u8], step: usize, overlap: usize) -> Vec<Window> {
        let mut w = Windows::with_sizes(text, step, overlap);
        let mut all = Vec::new();
        while let Some(x) = w.next_window().unwrap_or_else(|e| panic!("{e}")) {
            all.push(x);
        }
        all
    }

    #[test]
    fn owned_stretches_tile_the_file_and_places_are_the_files() {
        let text: Vec<u8> = (0..500)
            .map(|i| match i % 37 {
                0 => b'\n',
                13 => b'\r',
                20 => 0xc3,
                21 => 0xa9,
                _ => b'a' + (i % 26) as u8,
            })
            .collect();
        let whole = SourceText::new(&text);
        for (step, overlap) in [(50, 10), (64, 0), (7, 30), (1000, 5)] {
            let ws = windows(&text, step, overlap);
            let mut next = 0usize;
            let mut start = 0usize; // windows seen
            for w in &ws {
                // The window's bytes are the file's, from its start offset.
                let offset = next - (w.own.start);
                assert_eq!(&text[offset..offset + w.bytes.len()], &w.bytes[..]);
                assert_eq!(offset + w.own.start, next, "stretches are contiguous");
                next = offset + w.own.end;
                let local = SourceText::new(&w.bytes);
                for i in w.own.clone() {
                    // Column counts are only meaningful at character starts.
                    if w.bytes[i] & 0xc0 == 0x80 {
                        continue;
                    }
                    let got = w.place(local.line_number(i), local.column(i));
                    let want = (whole.line_number(offset + i), whole.column(offset + i));
                    assert_eq!(got, want, "offset {} with step {step}", offset + i);
                }
                start += 1;
            }
            assert_eq!(next, text.len());
            assert!(ws.last().is_some_and(|w| w.last));
            assert!(start >= (text.len() - overlap) / step, "{start} windows");
        }
    }

    #[test]
    fn utf16_decodes_across_blocks_and_surrogate_pairs() {
        let s = "key = \"ghp_x\" \u{1F600} é\n".repeat(5000);
        for le in [true, false] {
            let mut bytes = if le {
                vec![0xff, 0xfe]
            } else {
                vec![0xfe, 0xff]
            };
            for u in s.encode_utf16() {
                bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
            }
            assert_eq!(decode_utf16(&bytes).as_deref(), Some(s.as_bytes()));
            // A trailing odd byte and a lone surrogate become replacement characters.
            bytes.push(0x41);
            let decoded = decode_utf16(&bytes).unwrap_or_default();
            assert!(decoded.ends_with("\u{fffd}".as_bytes()));
        }
        assert_eq!(decode_utf16(b"plain"), None);
    }
}
