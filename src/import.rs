//! Import: turn descriptions of networks that exist elsewhere into .vpc
//! source. Pure: the CLI reads the files and passes their text in.
//!
//! [`aws`] reads the JSON of the AWS CLI's `ec2 describe-*` commands.

pub mod aws;

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
            "internet" | "service" | "blackhole" | "local" | "default" => format!("{base}-1"),
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

fn sanitize(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'n');
    }
    out
}
