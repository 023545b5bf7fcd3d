//! The canonical layout of a .vpc file (`vpcc fmt`).
//!
//! [`format`] is pure: text in, text out. It parses the file, so a file with
//! a syntax error (or a malformed literal) is not formatted and its
//! diagnostics are returned instead.
//!
//! # The layout
//!
//! - Two spaces of indentation per level, one statement per line, single
//!   spaces between tokens, nothing aligned, `\n` line endings, one final
//!   newline.
//! - Lists print as `[a, b]` (no trailing comma); `external` CIDRs and `via`
//!   names as `a, b`.
//! - A boolean property written bare (`public_ip`) stays bare; an explicit
//!   `on`/`off` stays explicit.
//! - Literals (CIDRs, addresses, ports, rule numbers) are printed exactly as
//!   written: the formatter changes layout, never values.
//! - An empty body prints as `{}`; a statement without braces gets none.
//! - Blank lines are decided by the formatter, not kept from the source:
//!   - top level: one blank line between statements, except that
//!     consecutive one-line statements of the same kind (`external` lines,
//!     `peering` lines, `expect` lines) stay grouped;
//!   - inside a `vpc`: the settings (`cidr`, `dns_support`, `dns_hostnames`,
//!     `dhcp_options`, `internet_gateway`) form one group; other statements
//!     get one blank line between them, except consecutive one-line
//!     statements of the same kind (`subnet x 10.0.1.0/24` lines);
//!   - deeper (subnets, instances, route tables, endpoints, rules): none.
//!
//! # Comments
//!
//! The grammar drops comments, so [`comments::scan`] finds them in the text
//! and each is attached to a node of the layout tree by position:
//!
//! - a comment after a statement on the same line stays there (a trailing
//!   comment; after a block, it follows the closing `}`);
//! - a comment right after an opening `{` on the same line stays there;
//! - an own-line comment goes with the next statement at its nesting level,
//!   on the lines before it; with none left, it stays before the closing
//!   `}` (or at the end of the file);
//! - a comment inside a statement that is printed on one line (a list split
//!   over lines, a block's head split before its `{`) moves to the lines
//!   before that statement.
//!
//! Around own-line comments, a blank line of the source is kept (one at
//! most), except at the very start of a block or file, so section comments
//! keep their spacing.
//!
//! The result is idempotent: formatting formatted text changes nothing.

mod build;
pub mod comments;
#[cfg(test)]
mod tests;

use comments::{Comment, same_line};

use crate::diag::Diagnostic;
use crate::source::Span;
use crate::syntax;

/// Formats a whole file. Returns the diagnostics of the parse when the file
/// does not parse.
pub fn format(src: &str) -> Result<String, Vec<Diagnostic>> {
    let file = syntax::parse(src)?;
    let builder = build::Builder { src };
    let mut root = Block::new(None, builder.file(&file));
    for comment in comments::scan(src) {
        place(src, &mut root, comment);
    }
    let mut printer = Printer {
        out: String::new(),
        at_start: true,
    };
    printer.block_lines(&root, 0, Container::File);
    Ok(printer.out)
}

/// How a statement separates from its neighbours (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Group {
    /// A VPC setting: `cidr`, `dns_*`, `dhcp_options`, `internet_gateway`.
    Setting,
    /// A statement that groups with one-line statements of the same kind.
    Kind(&'static str),
    /// A statement below the VPC level, never separated by blank lines.
    Inner,
}

/// One statement of the layout tree.
#[derive(Debug)]
struct Node {
    span: Span,
    group: Group,
    /// The statement up to its body, on one line.
    head: String,
    /// The braces and what is between them, if the statement has braces.
    body: Option<Block>,
    /// Own-line comments before the statement.
    leading: Vec<Comment>,
    /// Comments from inside the statement's one-line part, printed after
    /// `leading`.
    interior: Vec<Comment>,
    /// A comment after the statement on its last line.
    trailing: Option<Comment>,
    /// Whether a blank line precedes the statement in the source.
    blank_before: bool,
}

impl Node {
    fn new(
        span: Span,
        group: Group,
        head: String,
        body: Option<Block>,
        blank_before: bool,
    ) -> Node {
        Node {
            span,
            group,
            head,
            body,
            leading: Vec::new(),
            interior: Vec::new(),
            trailing: None,
            blank_before,
        }
    }

    fn is_multiline(&self) -> bool {
        self.body.as_ref().is_some_and(|b| !b.is_empty())
    }
}

/// A sequence of statements: a body between braces, or the whole file.
#[derive(Debug)]
struct Block {
    /// The offset of `{`; `None` for the file.
    open: Option<usize>,
    children: Vec<Node>,
    /// A comment right after `{` on the same line.
    open_comment: Option<Comment>,
    /// Own-line comments after the last statement.
    dangling: Vec<Comment>,
}

impl Block {
    fn new(open: Option<usize>, children: Vec<Node>) -> Block {
        Block {
            open,
            children,
            open_comment: None,
            dangling: Vec::new(),
        }
    }

    fn is_empty(&self) -> bool {
        self.children.is_empty() && self.open_comment.is_none() && self.dangling.is_empty()
    }
}

/// Attaches one comment to the tree (rules in the module docs).
fn place(src: &str, block: &mut Block, comment: Comment) {
    let at = comment.start;
    let start = |n: &Node| n.span.start as usize;
    let end = |n: &Node| n.span.end as usize;
    if let Some(child) = block
        .children
        .iter_mut()
        .find(|n| start(n) <= at && at < end(n))
    {
        let close = end(child) - 1;
        match &mut child.body {
            Some(body) if body.open.is_some_and(|open| open < at) && at < close => {
                place(src, body, comment)
            }
            _ => child.interior.push(comment),
        }
        return;
    }
    let prev = block.children.iter().rposition(|n| end(n) <= at);
    if let Some(p) = prev {
        let node = &mut block.children[p];
        if node.trailing.is_none() && same_line(src, end(node), at) {
            node.trailing = Some(comment);
            return;
        }
    } else if block.open_comment.is_none()
        && block.open.is_some_and(|open| same_line(src, open + 1, at))
    {
        block.open_comment = Some(comment);
        return;
    }
    match block.children.iter_mut().find(|n| start(n) > at) {
        Some(next) => next.leading.push(comment),
        None => block.dangling.push(comment),
    }
}

/// Where a block's statements are, for the blank-line rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Container {
    File,
    Vpc,
    Other,
}

/// Whether a blank line goes between consecutive statements `a` and `b`.
fn separated(container: Container, a: &Node, b: &Node) -> bool {
    let same_kind_one_liners = a.group == b.group && !a.is_multiline() && !b.is_multiline();
    match container {
        Container::File => !same_kind_one_liners,
        Container::Vpc => {
            !(same_kind_one_liners || (a.group == Group::Setting && b.group == Group::Setting))
        }
        Container::Other => false,
    }
}

struct Printer {
    out: String,
    /// Whether nothing was written yet in the current block (or file).
    at_start: bool,
}

impl Printer {
    /// Writes one line at `depth`, after a blank line if `blank` and the
    /// line does not start the file or a block.
    fn line(&mut self, depth: usize, blank: bool, text: &str) {
        if blank && !self.at_start {
            self.out.push('\n');
        }
        self.at_start = false;
        for _ in 0..depth {
            self.out.push_str("  ");
        }
        self.out.push_str(text);
        self.out.push('\n');
    }

    fn block_lines(&mut self, block: &Block, depth: usize, container: Container) {
        let mut prev: Option<&Node> = None;
        for node in &block.children {
            let sep = prev.is_some_and(|p| separated(container, p, node));
            self.node(node, depth, sep);
            prev = Some(node);
        }
        for c in &block.dangling {
            self.line(depth, c.blank_before, &c.text);
        }
    }

    fn node(&mut self, node: &Node, depth: usize, sep: bool) {
        let mut first = true;
        for c in &node.leading {
            self.line(depth, c.blank_before || (first && sep), &c.text);
            first = false;
        }
        for c in &node.interior {
            self.line(depth, first && sep, &c.text);
            first = false;
        }
        // A blank line between a statement and the comments above it is
        // kept, but only when those comments really were above it.
        let blank = if first {
            sep
        } else {
            node.interior.is_empty() && node.blank_before
        };
        let trailing = node
            .trailing
            .as_ref()
            .map_or_else(String::new, |c| format!(" {}", c.text));
        match &node.body {
            None => self.line(depth, blank, &format!("{}{trailing}", node.head)),
            Some(body) if body.is_empty() => {
                self.line(depth, blank, &format!("{} {{}}{trailing}", node.head))
            }
            Some(body) => {
                let open = body
                    .open_comment
                    .as_ref()
                    .map_or_else(String::new, |c| format!(" {}", c.text));
                self.line(depth, blank, &format!("{} {{{open}", node.head));
                self.at_start = true;
                let container = if node.group == Group::Kind("vpc") {
                    Container::Vpc
                } else {
                    Container::Other
                };
                self.block_lines(body, depth + 1, container);
                self.line(depth, false, &format!("}}{trailing}"));
            }
        }
    }
}
