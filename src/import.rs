//! Import: turn descriptions of networks that exist elsewhere into .vpc
//! source. Pure: the CLI reads the files and passes their parsed JSON in.
//!
//! [`aws`] reads the JSON of the AWS CLI's `ec2 describe-*` commands;
//! [`cloudformation`] reads a CloudFormation template, turns it into that
//! JSON and hands it to [`aws`].
//!
//! **Invariant:** no I/O; the same input gives the same bytes. Whatever the
//! input holds that a .vpc file cannot say becomes a warning naming the
//! resource id, never a silent drop.

pub mod aws;
pub mod cloudformation;

/// The result of an import: canonical .vpc text and the things it left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Formatted .vpc source (as `vpcc fmt` writes it).
    pub text: String,
    /// One line per object or fact that could not be modelled, naming its id.
    pub warnings: Vec<String>,
}

/// Turns a tag value or id into a valid, unique .vpc name.
#[derive(Debug, Default)]
pub(crate) struct Namer {
    used: std::collections::BTreeSet<String>,
}

impl Namer {
    /// A fresh name from `wanted` (a `Name` tag), else from `id`.
    pub(crate) fn name(&mut self, wanted: Option<&str>, id: &str) -> String {
        let base = wanted
            .map(sanitize)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| sanitize(id));
        let base = if base.is_empty() {
            "x".to_string()
        } else {
            base
        };
        let base = match base.as_str() {
            // The words that stand where a name could.
            "internet" | "service" | "blackhole" | "local" => format!("{base}-1"),
            _ => base,
        };
        let mut name = base.clone();
        let mut n = 2;
        while self.used.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        self.used.insert(name.clone());
        name
    }
}

/// A valid name (`[A-Za-z_][A-Za-z0-9_-]*`): a valid name is kept as it is;
/// other characters become `-` (runs of them one), and a leading digit or
/// dash gets an `n` before it.
pub(crate) fn sanitize(s: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    if out.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
        out.insert(0, 'n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_valid_and_unique() {
        let mut n = Namer::default();
        assert_eq!(n.name(Some("App-Server"), "i-1"), "App-Server");
        assert_eq!(n.name(Some("public a"), "subnet-1"), "public-a");
        assert_eq!(n.name(Some("public a"), "subnet-2"), "public-a-2");
        assert_eq!(n.name(Some("10 net"), "x"), "n10-net");
        assert_eq!(n.name(Some("  "), "vpc-0abc"), "vpc-0abc");
        assert_eq!(n.name(Some("internet"), "igw-1"), "internet-1");
        assert_eq!(n.name(Some("main"), "vpc-1"), "main");
        assert_eq!(n.name(None, "日本"), "x");
    }
}
