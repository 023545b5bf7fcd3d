//! Sentences in machine output. The text outputs quote names in backticks
//! and draw routes as arrows (`` 0.0.0.0/0 → NAT gateway `nat-a` ``); JSON
//! carries the same sentence as plain words (`0.0.0.0/0 to NAT gateway
//! nat-a`), with the names and targets themselves in fields of their own.

use serde::Serializer;

/// `s` without Markdown backticks or arrows.
pub fn plain(s: &str) -> String {
    s.replace(" → ", " to ")
        .replace('→', " to ")
        .replace('`', "")
}

/// `#[serde(serialize_with = "crate::prose::ser")]` on a sentence.
pub fn ser<S: Serializer>(s: &str, out: S) -> Result<S::Ok, S::Error> {
    out.serialize_str(&plain(s))
}

/// As [`ser`], for an optional sentence (with `skip_serializing_if`).
pub fn ser_opt<S: Serializer>(s: &Option<String>, out: S) -> Result<S::Ok, S::Error> {
    match s {
        Some(s) => out.serialize_str(&plain(s)),
        None => out.serialize_none(),
    }
}

/// As [`ser`], for a list of sentences.
pub fn ser_vec<S: Serializer>(v: &[String], out: S) -> Result<S::Ok, S::Error> {
    out.collect_seq(v.iter().map(|s| plain(s)))
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn plain_drops_quotes_and_arrows() {
        assert_eq!(
            plain("for any internet address: 0.0.0.0/0 → NAT gateway `nat-a`"),
            "for any internet address: 0.0.0.0/0 to NAT gateway nat-a"
        );
        assert_eq!(plain("10.0.1.10→10.0.2.4"), "10.0.1.10 to 10.0.2.4");
    }
}
