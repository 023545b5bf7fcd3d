//! Suppressing warnings: `# vpcc: allow CODE` comments and the levels of a
//! project's `vpcc.toml` ([`crate::config`]).
//!
//! ```vpc
//! # vpcc: allow W0603 kept for the migration in January
//! route_table spare {          # the comment covers this whole block
//!   route 0.0.0.0/0 -> igw
//! }
//! subnet a 10.0.1.0/24 { nat_gateway gw }   # vpcc: allow W0601, W0605
//! ```
//!
//! A comment after code covers the diagnostics that start on its line; a
//! comment on a line of its own covers the statement that follows it, to
//! the brace that closes it when it opens a block. Several codes are
//! separated by commas or spaces; whatever follows them is the reason,
//! which SARIF reports as the suppression's justification. Only warnings
//! can be allowed: an error is a design AWS refuses. An allow that covers
//! no diagnostic of its code is itself a warning (W0609), and so is a
//! comment that starts `vpcc:` but cannot be read (W0610), so a stale or
//! mistyped suppression never hides silently.

use super::{Code, Diagnostic, Severity};
use crate::config::{Config, Level};
use crate::fmt::comments::scan;
use crate::source::Span;

/// A diagnostic that was not reported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppressed {
    pub diagnostic: Diagnostic,
    pub by: SuppressedBy,
    /// The reason written after the codes of an allow comment.
    pub justification: Option<String>,
}

/// Where a suppression comes from (SARIF's `kind`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuppressedBy {
    /// A `# vpcc: allow` comment in the file.
    InSource,
    /// An `allow` level in `vpcc.toml`.
    Config,
}

/// One `# vpcc: allow` comment.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Allow {
    /// Each code with the span of its text in the comment.
    codes: Vec<(Code, Span)>,
    reason: Option<String>,
    /// The byte range whose diagnostics it covers.
    scope: std::ops::Range<usize>,
}

/// The diagnostics to report and those suppressed, after the file's allow
/// comments and the project's levels. Unused or unreadable allow comments
/// add warnings; unused ones only when the file has no error (an error
/// stops checks, so a warning an allow is waiting for may just not have
/// run). The result is sorted.
pub fn apply(
    src: &str,
    diagnostics: Vec<Diagnostic>,
    config: &Config,
) -> (Vec<Diagnostic>, Vec<Suppressed>) {
    let (allows, mut problems) = allows(src);
    let mut used: Vec<Vec<bool>> = allows.iter().map(|a| vec![false; a.codes.len()]).collect();
    let any_error = diagnostics.iter().any(Diagnostic::is_error);
    let mut kept = Vec::new();
    let mut suppressed = Vec::new();
    for d in diagnostics {
        if d.code.severity() == Severity::Warning
            && let Some((i, j)) = covering(&allows, &d)
        {
            used[i][j] = true;
            suppressed.push(Suppressed {
                diagnostic: d,
                by: SuppressedBy::InSource,
                justification: allows[i].reason.clone(),
            });
        } else {
            kept.push(d);
        }
    }
    if !any_error {
        for (allow, used) in allows.iter().zip(&used) {
            for (&(code, span), _) in allow.codes.iter().zip(used).filter(|(_, u)| !**u) {
                problems.push(
                    Diagnostic::new(
                        Code::W0609,
                        format!("`allow {code}` suppresses nothing"),
                        span,
                        format!("no {code} warning starts in what this comment covers"),
                    )
                    .with_note(
                        "an allow comment after code covers its line; one on a line of its \
                         own covers the next statement, to the end of its block",
                    )
                    .with_help(format!("remove `{code}` from the comment")),
                );
            }
        }
    }
    kept.extend(problems);
    let mut out = Vec::with_capacity(kept.len());
    for mut d in kept {
        if d.code.severity() != Severity::Warning {
            out.push(d);
            continue;
        }
        match config.level(d.code) {
            Level::Warn => out.push(d),
            Level::Allow => suppressed.push(Suppressed {
                diagnostic: d,
                by: SuppressedBy::Config,
                justification: None,
            }),
            Level::Deny => {
                d.severity = Severity::Error;
                let code = d.code;
                out.push(d.with_note(format!(
                    "`{code} = \"deny\"` in vpcc.toml makes this warning an error"
                )));
            }
        }
    }
    super::sort(&mut out);
    (out, suppressed)
}

/// The allow comment and code that cover `d`, if any.
fn covering(allows: &[Allow], d: &Diagnostic) -> Option<(usize, usize)> {
    let at = d.primary.span.start as usize;
    allows.iter().enumerate().find_map(|(i, a)| {
        if !a.scope.contains(&at) {
            return None;
        }
        a.codes
            .iter()
            .position(|(c, _)| *c == d.code)
            .map(|j| (i, j))
    })
}

/// Every `# vpcc:` comment of `src`: the allows that can be read, and a
/// W0610 for each that cannot.
fn allows(src: &str) -> (Vec<Allow>, Vec<Diagnostic>) {
    let mut allows = Vec::new();
    let mut problems = Vec::new();
    for comment in scan(src) {
        let body = comment.text[1..].trim_start();
        let Some(rest) = body.strip_prefix("vpcc:") else {
            continue;
        };
        let start = comment.start;
        let whole = Span::new(start, start + comment.text.len());
        let offset = |s: &str| s.as_ptr() as usize - comment.text.as_ptr() as usize + start;
        let rest = rest.trim_start();
        let Some(list) = rest
            .strip_prefix("allow")
            .filter(|r| r.is_empty() || r.starts_with([' ', '\t']))
        else {
            problems.push(
                Diagnostic::new(
                    Code::W0610,
                    "`vpcc:` comment is not an allow",
                    whole,
                    "vpcc reads `# vpcc: allow CODE` and nothing else after `vpcc:`",
                )
                .with_help("write `# vpcc: allow W0603` (a reason may follow the codes)"),
            );
            continue;
        };
        let mut codes = Vec::new();
        let mut reason = None;
        let mut tail = list.trim_start();
        while !tail.is_empty() {
            let word_len = tail.find([' ', '\t', ',']).unwrap_or(tail.len());
            let word = &tail[..word_len];
            let span = Span::new(offset(tail), offset(tail) + word_len);
            let looks_like_code = word.len() == 5
                && word.starts_with(['W', 'w', 'E', 'e'])
                && word[1..].bytes().all(|b| b.is_ascii_digit());
            if !looks_like_code {
                reason = Some(tail.trim().to_string()).filter(|r| !r.is_empty());
                break;
            }
            match Code::parse(word) {
                Some(code) if code.severity() == Severity::Warning => codes.push((code, span)),
                Some(code) => problems.push(
                    Diagnostic::new(
                        Code::W0610,
                        format!("`{code}` is an error and cannot be allowed"),
                        span,
                        "only warnings can be allowed",
                    )
                    .with_note("an error is a design AWS refuses; fix the file instead"),
                ),
                None => {
                    let mut d = Diagnostic::new(
                        Code::W0610,
                        format!("unknown diagnostic code `{word}` in an allow comment"),
                        span,
                        "no such code",
                    );
                    let warnings = Code::ALL
                        .iter()
                        .filter(|c| c.severity() == Severity::Warning)
                        .map(|c| c.as_str());
                    if let Some(near) = crate::names::did_you_mean(word, warnings) {
                        d = d.with_help(format!("did you mean `{near}`?"));
                    }
                    problems.push(d);
                }
            }
            tail = tail[word_len..].trim_start_matches([' ', '\t', ',']);
        }
        if codes.is_empty() {
            if problems
                .last()
                .is_none_or(|p| p.primary.span.start < whole.start)
            {
                problems.push(
                    Diagnostic::new(
                        Code::W0610,
                        "allow comment names no code",
                        whole,
                        "no code after `allow`",
                    )
                    .with_help("write the warning's code, e.g. `# vpcc: allow W0603`"),
                );
            }
            continue;
        }
        allows.push(Allow {
            codes,
            reason,
            scope: scope(src, start),
        });
    }
    (allows, problems)
}

/// What a comment starting at `at` covers: its own line when code precedes
/// it there; otherwise the next statement, through the brace that closes
/// it.
fn scope(src: &str, at: usize) -> std::ops::Range<usize> {
    let line_start = src[..at].rfind('\n').map_or(0, |n| n + 1);
    if !src[line_start..at].trim().is_empty() {
        let end = src[at..].find('\n').map_or(src.len(), |n| at + n);
        return line_start..end;
    }
    // The next line with code on it.
    let mut pos = src[at..].find('\n').map_or(src.len(), |n| at + n + 1);
    while pos < src.len() {
        let end = src[pos..].find('\n').map_or(src.len(), |n| pos + n);
        let line = src[pos..end].trim_start();
        if !line.is_empty() && !line.starts_with('#') {
            break;
        }
        pos = end + 1;
    }
    if pos >= src.len() {
        return src.len()..src.len();
    }
    pos..statement_end(src, pos)
}

/// The end of the line on which the statement starting at `from` has closed
/// every brace it opened: braces in strings and comments do not count.
fn statement_end(src: &str, from: usize) -> usize {
    let bytes = src.as_bytes();
    let mut depth = 0i64;
    let mut in_string = false;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => in_string = !in_string,
            b'#' if !in_string => {
                i = src[i..].find('\n').map_or(src.len(), |n| i + n);
                continue;
            }
            b'{' if !in_string => depth += 1,
            b'}' if !in_string => depth -= 1,
            b'\n' => {
                in_string = false;
                if depth <= 0 {
                    return i;
                }
            }
            _ => {}
        }
        i += 1;
    }
    src.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(code: Code, src: &str, needle: &str) -> Diagnostic {
        let at = src.find(needle).expect("needle in source");
        Diagnostic::new(code, "w", Span::new(at, at + needle.len()), "")
    }

    const SRC: &str = "vpc v 10.0.0.0/16 {\n  # vpcc: allow W0603 kept for later\n  route_table spare {\n    route 0.0.0.0/0 -> igw\n  }\n  route_table other\n  subnet a 10.0.1.0/24   # vpcc: allow W0605, W0601\n}\n";

    #[test]
    fn an_own_line_allow_covers_the_next_block_and_only_it() {
        let inside = warning(Code::W0603, SRC, "0.0.0.0/0");
        let after = warning(Code::W0603, SRC, "other");
        let nat = warning(Code::W0605, SRC, "subnet a");
        let (kept, gone) = apply(
            SRC,
            vec![inside.clone(), after.clone(), nat],
            &Config::default(),
        );
        assert_eq!(gone.len(), 2);
        assert_eq!(gone[0].diagnostic, inside);
        assert_eq!(gone[0].by, SuppressedBy::InSource);
        assert_eq!(gone[0].justification.as_deref(), Some("kept for later"));
        // W0601 on the subnet's line covered nothing.
        let codes: Vec<Code> = kept.iter().map(|d| d.code).collect();
        assert_eq!(codes, [Code::W0603, Code::W0609]);
        assert_eq!(kept[0], after);
        assert_eq!(&SRC[kept[1].primary.span.range()], "W0601");
    }

    #[test]
    fn unused_allows_are_quiet_when_the_file_has_errors() {
        let err = Diagnostic::new(Code::E0106, "e", Span::new(0, 3), "");
        let (kept, _) = apply(SRC, vec![err], &Config::default());
        assert_eq!(kept.len(), 1);
    }

    #[test]
    fn errors_unknown_codes_and_other_directives_are_w0610() {
        let src = "# vpcc: allow E0106\n# vpcc: allow W0630\n# vpcc: deny W0603\n# vpcc: allow because\nvpc v 10.0.0.0/16\n";
        let (kept, gone) = apply(src, vec![], &Config::default());
        assert!(gone.is_empty());
        let got: Vec<(Code, &str)> = kept
            .iter()
            .map(|d| (d.code, &src[d.primary.span.range()]))
            .collect();
        assert_eq!(
            got,
            [
                (Code::W0610, "E0106"),
                (Code::W0610, "W0630"),
                (Code::W0610, "# vpcc: deny W0603"),
                (Code::W0610, "# vpcc: allow because"),
            ]
        );
        assert!(kept[1].help.as_deref().is_some_and(|h| h.contains("W0603")));
    }

    #[test]
    fn errors_are_never_suppressed() {
        let src = "vpc v 10.0.0.0/16   # vpcc: allow W0603\n";
        let err = Diagnostic::new(Code::E0106, "e", Span::new(0, 3), "");
        let (kept, gone) = apply(src, vec![err.clone()], &Config::default());
        assert!(gone.is_empty());
        assert_eq!(kept, [err]);
    }

    #[test]
    fn config_levels_allow_and_deny() {
        let src = "vpc v 10.0.0.0/16\n";
        let config = Config::parse("[lints]\nW0603 = \"allow\"\nW0605 = \"deny\"\n").unwrap();
        let a = warning(Code::W0603, src, "vpc");
        let b = warning(Code::W0605, src, "v 10");
        let c = warning(Code::W0602, src, "10.0");
        let (kept, gone) = apply(src, vec![a.clone(), b, c.clone()], &config);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].by, SuppressedBy::Config);
        assert_eq!(gone[0].diagnostic, a);
        assert_eq!(kept.len(), 2);
        assert_eq!(kept[0].code, Code::W0605);
        assert!(kept[0].is_error());
        assert!(kept[0].notes.iter().any(|n| n.contains("vpcc.toml")));
        assert_eq!(kept[1], c);
    }

    #[test]
    fn braces_in_strings_and_comments_do_not_extend_a_scope() {
        let src =
            "# vpcc: allow W0606\ndhcp_options d { domain_name \"{a\" }  # {\nvpc v 10.0.0.0/16\n";
        let r = scope(src, 0);
        assert_eq!(&src[r], "dhcp_options d { domain_name \"{a\" }  # {");
    }
}
