//! Finding the line a package is declared on, for parsers whose underlying format parser keeps no positions.

/// 1-based line numbers of `text`, found by successive searches: each `find_after` starts where the previous
/// match was found, so packages listed in file order resolve to increasing lines.
pub struct LineFinder<'a> {
    text: &'a str,
    /// Byte offset where the next search starts.
    pos: usize,
    /// Line starts, so that each look-up is O(log n) rather than a count from the start of the file (which
    /// made a 50,000-package file take minutes).
    index: LineIndex,
    /// Searches from the start left (see [`MAX_RESTARTS`]).
    restarts: usize,
}

/// Searches from the start of the text (for a package listed out of order) allowed per file: each costs a
/// pass over the file, so a hostile file of out-of-order entries would otherwise be quadratic. Past it, such
/// packages get line 1.
const MAX_RESTARTS: usize = 256;

impl<'a> LineFinder<'a> {
    /// Starts at the beginning of `text`.
    pub fn new(text: &'a str) -> Self {
        LineFinder {
            text,
            pos: 0,
            index: LineIndex::new(text),
            restarts: MAX_RESTARTS,
        }
    }

    /// Line of the first occurrence of `needle` at or after the current position (then moves past it), or
    /// `None` (the position stays).
    pub fn try_find_after(&mut self, needle: &str) -> Option<u32> {
        let i = self.text[self.pos..].find(needle)?;
        let at = self.pos + i;
        self.pos = at + needle.len().max(1);
        Some(self.index.line(at))
    }

    /// Line of the first occurrence of `needle` at or after the current position (then moves past it); falls
    /// back to a search from the start (a bounded number of times per file), then to line 1.
    pub fn find_after(&mut self, needle: &str) -> u32 {
        if let Some(line) = self.try_find_after(needle) {
            return line;
        }
        if self.restarts == 0 {
            return 1;
        }
        self.restarts -= 1;
        self.text.find(needle).map_or(1, |at| self.index.line(at))
    }

    /// Line of the next occurrence of the JSON key `quoted` (with its quotes) whose value is an object, at or
    /// after the current position; else as [`LineFinder::find_after`]. Linear over a file: the position only
    /// moves forward.
    pub fn find_object_key_after(&mut self, quoted: &str) -> u32 {
        let rest = &self.text[self.pos..];
        for (i, _) in rest.match_indices(quoted) {
            let after = rest[i + quoted.len()..].trim_start();
            if let Some(value) = after.strip_prefix(':') {
                if value.trim_start().starts_with('{') {
                    let at = self.pos + i;
                    self.pos = at + quoted.len();
                    return self.index.line(at);
                }
            }
        }
        self.find_after(quoted)
    }

    /// Moves the search position to the start of `needle`'s next occurrence (if any) without reporting it.
    pub fn skip_to(&mut self, needle: &str) {
        if let Some(i) = self.text[self.pos..].find(needle) {
            self.pos += i;
        }
    }
}

/// Byte offsets of line starts, for repeated offset → line look-ups in O(log n).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex { starts }
    }

    /// 1-based line of byte offset `at`.
    pub fn line(&self, at: usize) -> u32 {
        let n = self.starts.partition_point(|&s| s <= at);
        u32::try_from(n.max(1)).unwrap_or(u32::MAX)
    }
}

/// 1-based line of byte offset `at` (one-off; use [`LineIndex`] for many).
pub fn line_of(text: &str, at: usize) -> u32 {
    let at = at.min(text.len());
    u32::try_from(
        text.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1,
    )
    .unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restarts_from_the_start_are_bounded() {
        // Every needle is behind the position: each look-up would rescan the file.
        let text: String = (0..1000).map(|i| format!("k{i}\n")).collect();
        let mut f = LineFinder::new(&text);
        assert_eq!(f.find_after("k999\n"), 1000);
        let lines: Vec<u32> = (0..600).map(|i| f.find_after(&format!("k{i}\n"))).collect();
        assert_eq!(lines[0], 1);
        assert_eq!(lines[MAX_RESTARTS - 1], MAX_RESTARTS as u32);
        assert!(lines[MAX_RESTARTS..].iter().all(|&l| l == 1));
    }

    #[test]
    fn successive_searches() {
        let t = "a = 1\nname = \"x\"\nname = \"y\"\nname = \"x\"\n";
        let mut f = LineFinder::new(t);
        assert_eq!(f.find_after("name = \"x\""), 2);
        assert_eq!(f.find_after("name = \"x\""), 4);
        assert_eq!(
            f.find_after("name = \"x\""),
            2,
            "falls back to the first occurrence"
        );
        assert_eq!(f.find_after("missing"), 1);
    }
}
