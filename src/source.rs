//! Byte spans into one source file.

use serde::Serialize;

/// A half-open byte range `start..end` in the file being compiled.
///
/// Every AST node and every model element keeps the span it came from, so
/// that any later stage can point back into the source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: clamp(start),
            end: clamp(end),
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Line and column (both 1-based, column counted in characters) of a byte
/// offset in `src`.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = src.get(..offset).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

/// Line starts of one source, for many [`line_col`] look-ups in a row.
///
/// `line_col` scans from the start of the file on every call, which is
/// quadratic when a renderer asks for thousands of positions (40,000
/// diagnostics in a 1 MB file took minutes). The index answers each look-up
/// with a binary search and a scan of one line.
pub struct LineIndex<'a> {
    src: &'a str,
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// `(byte offset, characters before it)` about every [`MARK_EVERY`]
    /// bytes, on character boundaries: a column is counted from the
    /// nearest mark, not from the start of its line, so thousands of
    /// diagnostics on one multi-megabyte line stay linear.
    marks: Vec<(usize, usize)>,
}

const MARK_EVERY: usize = 4096;

impl<'a> LineIndex<'a> {
    pub fn new(src: &'a str) -> LineIndex<'a> {
        let starts = std::iter::once(0)
            .chain(src.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let mut marks = vec![(0, 0)];
        let (mut at, mut chars) = (0, 0);
        while at < src.len() {
            let mut next = (at + MARK_EVERY).min(src.len());
            while !src.is_char_boundary(next) {
                next += 1;
            }
            chars += src.get(at..next).map_or(0, |s| s.chars().count());
            marks.push((next, chars));
            at = next;
        }
        LineIndex { src, starts, marks }
    }

    /// Characters before `offset` (a character boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let k = self.marks.partition_point(|m| m.0 <= offset);
        let (byte, chars) = self
            .marks
            .get(k.saturating_sub(1))
            .copied()
            .unwrap_or((0, 0));
        chars + self.src.get(byte..offset).map_or(0, |s| s.chars().count())
    }

    /// The length in bytes of the line holding `offset` (without its
    /// newline).
    pub fn line_len(&self, offset: usize) -> usize {
        let offset = offset.min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let end = self
            .starts
            .get(line)
            .map_or(self.src.len(), |next| next.saturating_sub(1));
        end.saturating_sub(start)
    }

    /// The same answer as [`line_col`]`(src, offset)`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        if !self.src.is_char_boundary(offset) {
            return line_col(self.src, offset);
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = self.chars_before(offset) - self.chars_before(start) + 1;
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The index gives `line_col`'s answer at every offset, across
        /// marks, on lines longer than a mark, with multi-byte characters.
        #[test]
        fn line_index_agrees_with_line_col(
            pieces in prop::collection::vec(prop_oneof![
                Just("a".to_string()),
                Just("é".to_string()),
                Just("→".to_string()),
                Just("\n".to_string()),
                Just("x".repeat(3000)),
            ], 0..40),
            probes in prop::collection::vec(any::<prop::sample::Index>(), 1..20),
        ) {
            let src: String = pieces.concat();
            let index = LineIndex::new(&src);
            for p in probes {
                let offset = p.index(src.len() + 1);
                prop_assert_eq!(index.line_col(offset), line_col(&src, offset), "at {}", offset);
            }
        }
    }
}
