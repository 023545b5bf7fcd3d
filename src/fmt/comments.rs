//! Recovering comments from the source text.
//!
//! The grammar drops comments (its `COMMENT` rule is silent), so the
//! formatter finds them again with this small scanner. The only other place
//! a `#` can appear is inside a string (`domain_name "a#b"`), and strings
//! never span lines, so one pass that tracks "in a string" is exact for any
//! file that parses.

/// A `#` comment: its text without the line ending, and where it starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    /// From `#` to the end of the line, trailing whitespace removed.
    pub text: String,
    /// Byte offset of the `#`.
    pub start: usize,
    /// Whether a blank line separates the comment from whatever precedes
    /// it in the source.
    pub blank_before: bool,
}

/// Every comment of `src`, in source order.
pub fn scan(src: &str) -> Vec<Comment> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'\n' => in_string = false,
            b'#' if !in_string => {
                let end = src[i..].find('\n').map_or(src.len(), |n| i + n);
                out.push(Comment {
                    text: src[i..end].trim_end().to_string(),
                    start: i,
                    blank_before: blank_before(src, i),
                });
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Whether the whitespace just before `pos` holds a blank line, i.e. two
/// or more line breaks.
pub fn blank_before(src: &str, pos: usize) -> bool {
    let before = &src[..pos];
    let gap = before.trim_end_matches([' ', '\t', '\r', '\n', '\u{FEFF}']);
    before[gap.len()..].matches('\n').count() >= 2
}

/// Whether `src[from..to]` has no line break: two things are on one line.
pub fn same_line(src: &str, from: usize, to: usize) -> bool {
    src.get(from..to).is_some_and(|s| !s.contains('\n'))
}

/// The offset of the first `{` in `src[from..to]` outside comments, i.e. the
/// opening brace of a block statement spanning `from..to`.
pub fn open_brace(src: &str, from: usize, to: usize) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = from;
    while i < to {
        match bytes[i] {
            b'{' => return Some(i),
            b'#' => i = src[i..].find('\n').map_or(src.len(), |n| i + n),
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_in_string_is_not_a_comment() {
        let src = "dhcp_options { domain_name \"a#b\" } # real\n";
        let found = scan(src);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].text, "# real");
        assert_eq!(found[0].start, src.find("# real").unwrap());
    }

    #[test]
    fn quote_in_comment_does_not_open_a_string() {
        let src = "# say \"hi\n# second\nregion x # third \"\n";
        let texts: Vec<String> = scan(src).into_iter().map(|c| c.text).collect();
        assert_eq!(texts, ["# say \"hi", "# second", "# third \""]);
    }

    #[test]
    fn crlf_and_trailing_spaces_are_trimmed() {
        let src = "region x # note  \r\n\r\n# after blank\r\n";
        let found = scan(src);
        assert_eq!(found[0].text, "# note");
        assert!(!found[0].blank_before);
        assert_eq!(found[1].text, "# after blank");
        assert!(found[1].blank_before);
    }

    #[test]
    fn open_brace_skips_comments() {
        let src = "vpc a 10.0.0.0/16 # {not this\n{ }";
        assert_eq!(open_brace(src, 0, src.len()), Some(src.rfind('{').unwrap()));
    }
}
