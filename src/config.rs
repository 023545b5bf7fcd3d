//! Project settings: the text of a `vpcc.toml`.
//!
//! ```toml
//! # vpcc.toml, found in the file's directory or any directory above it
//! deny-warnings = true      # every warning fails `check` and `build`
//!
//! [lints]                   # the level of a warning code, for every file below
//! W0603 = "allow"           # not reported (SARIF keeps it as suppressed)
//! W0605 = "deny"            # reported as an error
//! W0602 = "warn"            # the default
//! ```
//!
//! Only warnings have a level: an error is a design AWS refuses, so no
//! setting hides it. The CLI and the language server find the file and read
//! it; this module only parses its text.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::{Code, Severity};
use crate::source::line_col;

/// The file name looked for, from a `.vpc` file's directory upwards.
pub const FILE_NAME: &str = "vpcc.toml";

/// What a project's `vpcc.toml` sets. The default is what vpcc does without
/// one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Config {
    /// Warnings fail `check` and `build`, as `--deny-warnings` does.
    pub deny_warnings: bool,
    /// The level of each warning code the file names.
    pub lints: BTreeMap<Code, Level>,
}

/// How a warning code is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Not reported; kept as a suppressed result in SARIF.
    Allow,
    /// Reported as a warning (the default).
    Warn,
    /// Reported as an error: the file fails to compile.
    Deny,
}

/// A `vpcc.toml` that cannot be used: where and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// 1-based line and column, when the error has a position.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{line}:{col}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    #[serde(default)]
    deny_warnings: bool,
    #[serde(default)]
    lints: BTreeMap<toml::Spanned<String>, Level>,
}

impl Config {
    /// Parses the text of a `vpcc.toml`.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let raw: Raw = toml::from_str(text).map_err(|e| ConfigError {
            position: e.span().map(|s| line_col(text, s.start)),
            message: first_line(e.message()),
        })?;
        let mut lints = BTreeMap::new();
        for (key, level) in raw.lints {
            let at = Some(line_col(text, key.span().start));
            let name = key.get_ref();
            let Some(code) = Code::parse(name) else {
                let hint = crate::names::did_you_mean(name, Code::ALL.iter().map(|c| c.as_str()))
                    .map(|c| format!(" (did you mean `{c}`?)"))
                    .unwrap_or_default();
                return Err(ConfigError {
                    position: at,
                    message: format!("unknown diagnostic code `{name}`{hint}"),
                });
            };
            if code.severity() == Severity::Error {
                return Err(ConfigError {
                    position: at,
                    message: format!(
                        "`{code}` is an error, and only warnings have a level: \
                         an error is a design AWS refuses"
                    ),
                });
            }
            lints.insert(code, level);
        }
        Ok(Config {
            deny_warnings: raw.deny_warnings,
            lints,
        })
    }

    /// The level of `code` (warnings only; `Warn` when unset).
    pub fn level(&self, code: Code) -> Level {
        self.lints.get(&code).copied().unwrap_or(Level::Warn)
    }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or(message).trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_levels_and_deny_warnings() {
        let c =
            Config::parse("deny-warnings = true\n[lints]\nW0603 = \"allow\"\nw0605 = \"deny\"\n")
                .unwrap();
        assert!(c.deny_warnings);
        assert_eq!(c.level(Code::W0603), Level::Allow);
        assert_eq!(c.level(Code::W0605), Level::Deny);
        assert_eq!(c.level(Code::W0602), Level::Warn);
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn rejects_unknown_codes_errors_levels_and_keys_with_a_position() {
        let e = Config::parse("[lints]\nW0630 = \"allow\"\n").unwrap_err();
        assert_eq!(e.position, Some((2, 1)));
        assert!(e.message.contains("unknown diagnostic code `W0630`"), "{e}");
        assert!(e.message.contains("did you mean"), "{e}");
        let e = Config::parse("[lints]\n\nE0106 = \"allow\"\n").unwrap_err();
        assert_eq!(e.position, Some((3, 1)));
        assert!(e.message.contains("`E0106` is an error"), "{e}");
        let e = Config::parse("[lints]\nW0603 = \"ignore\"\n").unwrap_err();
        assert_eq!(e.position.map(|p| p.0), Some(2), "{e}");
        let e = Config::parse("deny_warnings = true\n").unwrap_err();
        assert!(e.message.contains("deny_warnings"), "{e}");
        assert!(Config::parse("[lints\n").is_err());
    }
}
