//! `vpcc diff --format github`: the body of a pull-request comment.
//!
//! A heading naming the two files, a one-line summary, the causes as a
//! `diff` block in `.vpc` syntax (GitHub colours its `+` and `-` lines), the
//! flows gained, lost and rerouted as a table, and the subnet and route
//! details folded in a `<details>` element, so a large change stays short
//! on the page.

use std::fmt::Write;

use super::{Diff, ResourceChange};

impl Diff {
    /// The Markdown body of a pull-request comment comparing `old` with
    /// `new` (the file names shown in the heading).
    pub fn to_github(&self, old: &str, new: &str) -> String {
        let mut out = format!("### vpcc diff: `{old}` → `{new}`\n\n");
        if self.is_empty() {
            out.push_str("No changes in resources, subnets, routes or reachability.\n");
            return out;
        }
        out.push_str(&self.summary());
        out.push_str("\n\n");
        if !self.resources.is_empty() {
            out.push_str("#### What changed\n\n```diff\n");
            for r in &self.resources {
                resource_block(&mut out, r);
            }
            out.push_str("```\n\n");
        }
        if !self.flows.is_empty() {
            out.push_str("#### Reachability\n\n");
            out.push_str("| change | from | to | traffic | path or cause |\n");
            out.push_str("| --- | --- | --- | --- | --- |\n");
            for f in &self.flows {
                let from: Vec<String> = f.from.iter().map(|n| format!("`{n}`")).collect();
                let path = match (f.change.as_str(), &f.reason) {
                    ("lost", Some(why)) => why.clone(),
                    ("rerouted", Some(was)) => format!("via {} ({was})", via_list(&f.via)),
                    _ if f.via.is_empty() => "direct".to_string(),
                    _ => format!("via {}", via_list(&f.via)),
                };
                let _ = writeln!(
                    out,
                    "| **{}** | {} | `{}` | {} | {} |",
                    f.change,
                    from.join(", "),
                    f.to,
                    f.traffic,
                    cell(&path)
                );
            }
            out.push('\n');
        }
        let details =
            !self.subnets.is_empty() || !self.routes.is_empty() || !self.endpoints.is_empty();
        if details {
            out.push_str(
                "<details><summary>Subnets, effective routes and matrix ends</summary>\n\n",
            );
            for s in &self.subnets {
                let _ = writeln!(out, "- subnet `{}` {}: {}", s.name, s.change, s.details());
            }
            for r in &self.routes {
                let sign = if r.change == "added" { "+" } else { "−" };
                let _ = writeln!(
                    out,
                    "- subnet `{}`: {sign} `route {} -> {}`",
                    r.subnet, r.destination, r.target
                );
            }
            for e in &self.endpoints {
                let _ = writeln!(
                    out,
                    "- `{}` {} in the reachability matrix",
                    e.name, e.change
                );
            }
            out.push_str("\n</details>\n");
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }

    /// `flows: **2 gained**, **1 lost** · 3 resources changed`.
    fn summary(&self) -> String {
        let count = |change: &str| self.flows.iter().filter(|f| f.change == change).count();
        let mut parts = Vec::new();
        let flows: Vec<String> = [
            ("gained", count("gained")),
            ("lost", count("lost")),
            ("rerouted", count("rerouted")),
        ]
        .into_iter()
        .filter(|(_, n)| *n > 0)
        .map(|(what, n)| format!("**{n} {what}**"))
        .collect();
        if flows.is_empty() {
            parts.push("no change in reachability".to_string());
        } else {
            parts.push(format!("flows: {}", flows.join(", ")));
        }
        let resources = self.resources.iter().filter(|r| r.kind != "expect").count();
        if resources > 0 {
            parts.push(format!("{resources} resource{} changed", plural(resources)));
        }
        let expects = self.resources.len() - resources;
        if expects > 0 {
            parts.push(format!(
                "{expects} expect{} added or removed",
                plural(expects)
            ));
        }
        parts.join(" · ")
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn via_list(via: &[String]) -> String {
    via.iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Table cells end at a `|` or a line break.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// One resource as `.vpc`-like lines: context lines for a changed one,
/// every line marked for an added or removed one.
fn resource_block(out: &mut String, r: &ResourceChange) {
    let head = match r.change.as_str() {
        "added" => "+ ",
        "removed" => "- ",
        _ => "  ",
    };
    if r.kind == "expect" {
        let _ = writeln!(out, "{head}{}", r.name);
        return;
    }
    let place = r
        .vpc
        .as_ref()
        .map(|v| format!(" in vpc {v}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{head}{} {} {{   # {}{place}",
        r.kind, r.name, r.change
    );
    for f in &r.removed {
        let _ = writeln!(out, "-   {f}");
    }
    for f in &r.added {
        let _ = writeln!(out, "+   {f}");
    }
    let _ = writeln!(out, "{head}}}");
}
