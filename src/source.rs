//! Byte spans into one source file.

use schemars::JsonSchema;
use serde::Serialize;

/// A half-open byte range `start..end` in the file being compiled.
///
/// Every AST node and every model element keeps the span it came from, so
/// that any later stage can point back into the source.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema,
)]
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

/// Line starts of one source, for many position look-ups in a row: the one
/// line index, for diagnostics ([`Lines::line_col`], through
/// [`LineIndex`]) and for the language server (UTF-16 columns,
/// [`Lines::utf16_position`] and [`Lines::utf16_offset`]). It owns no text:
/// every method takes the source it was built from.
///
/// [`line_col`] scans from the start of the file on every call, which is
/// quadratic when a renderer asks for thousands of positions (40,000
/// diagnostics in a 1 MB file took minutes). The index answers each look-up
/// with a binary search and a scan of one line.
#[derive(Clone, Debug)]
pub struct Lines {
    /// Byte offset of the start of each line.
    starts: Vec<usize>,
    /// `(byte offset, characters before it)` about every [`MARK_EVERY`]
    /// bytes, on character boundaries: a column is counted from the
    /// nearest mark, not from the start of its line, so thousands of
    /// diagnostics on one multi-megabyte line stay linear.
    marks: Vec<(usize, usize)>,
}

const MARK_EVERY: usize = 4096;

impl Lines {
    pub fn new(src: &str) -> Lines {
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
        Lines { starts, marks }
    }

    /// Characters before `offset` (a character boundary).
    fn chars_before(&self, src: &str, offset: usize) -> usize {
        let k = self.marks.partition_point(|m| m.0 <= offset);
        let (byte, chars) = self
            .marks
            .get(k.saturating_sub(1))
            .copied()
            .unwrap_or((0, 0));
        chars + src.get(byte..offset).map_or(0, |s| s.chars().count())
    }

    /// The 0-based line holding `offset` (at most `src.len()`) and its start.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1) - 1;
        (line, self.starts.get(line).copied().unwrap_or(0))
    }

    /// The length in bytes of the line holding `offset` (without its
    /// newline).
    pub fn line_len(&self, src: &str, offset: usize) -> usize {
        let (line, start) = self.line_of(offset.min(src.len()));
        let end = self
            .starts
            .get(line + 1)
            .map_or(src.len(), |next| next.saturating_sub(1));
        end.saturating_sub(start)
    }

    /// The same answer as [`line_col`]`(src, offset)`.
    pub fn line_col(&self, src: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(src.len());
        if !src.is_char_boundary(offset) {
            return line_col(src, offset);
        }
        let (line, start) = self.line_of(offset);
        let col = self.chars_before(src, offset) - self.chars_before(src, start) + 1;
        (line + 1, col)
    }

    /// The LSP's position of a byte offset: 0-based line and column in
    /// UTF-16 code units (the default `positionEncoding`), clamped to the
    /// text and rounded down to a character boundary.
    pub fn utf16_position(&self, src: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(src.len());
        let (line, start) = self.line_of(offset);
        let mut end = offset;
        while !src.is_char_boundary(end) {
            end -= 1;
        }
        let character = src.get(start..end).map_or(0, |s| s.encode_utf16().count());
        (line, character)
    }

    /// The byte offset of an LSP position (0-based line, UTF-16 column);
    /// past the end of a line means its end, past the last line the end of
    /// the text.
    pub fn utf16_offset(&self, src: &str, line: usize, character: usize) -> usize {
        let Some(&start) = self.starts.get(line) else {
            return src.len();
        };
        let line_end = self
            .starts
            .get(line + 1)
            .map_or(src.len(), |&next| next - 1);
        let mut units = 0;
        for (i, c) in src.get(start..line_end).unwrap_or_default().char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        line_end
    }
}

/// [`Lines`] with the source it indexes, for a renderer that asks many
/// positions of one file.
pub struct LineIndex<'a> {
    src: &'a str,
    lines: Lines,
}

impl<'a> LineIndex<'a> {
    pub fn new(src: &'a str) -> LineIndex<'a> {
        LineIndex {
            src,
            lines: Lines::new(src),
        }
    }

    /// The length in bytes of the line holding `offset` (without its
    /// newline).
    pub fn line_len(&self, offset: usize) -> usize {
        self.lines.line_len(self.src, offset)
    }

    /// The same answer as [`line_col`]`(src, offset)`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        self.lines.line_col(self.src, offset)
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

    #[test]
    fn utf16_columns() {
        // `é` is 2 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 units.
        let text = "ab\n# é𝄞 x\nlast";
        let lines = Lines::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(lines.utf16_position(text, x), (1, 6));
        assert_eq!(lines.utf16_offset(text, 1, 6), x);
        assert_eq!(lines.utf16_position(text, text.len()), (2, 4));
        assert_eq!(lines.utf16_offset(text, 0, 99), 2);
        assert_eq!(lines.utf16_offset(text, 9, 0), text.len());
        // Inside a multi-byte character: rounded down to its start.
        let e = text.find('é').unwrap();
        assert_eq!(lines.utf16_position(text, e + 1), (1, 2));
    }
}
