//! The report as Markdown (CommonMark with GitHub tables), for docs sites.

use std::fmt::Write;

use super::Report;
use super::html::esc;

/// The whole report: `# NAME`, then one `##` section each.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", text(&r.name));
    if let Some(region) = &r.region {
        let _ = writeln!(out, "Region: `{region}`.\n");
    }
    out.push_str(&summary(r, 2));
    route_tables(&mut out, r);
    prefix_lists(&mut out, r);
    transit_gateways(&mut out, r);
    exposure(&mut out, r);
    expects(&mut out, r);
    for (title, tables) in super::sections(r) {
        let _ = writeln!(out, "## {title}\n");
        if tables.is_empty() {
            let _ = writeln!(out, "None.\n");
        }
        for t in tables {
            table(&mut out, &t);
        }
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

/// The subnets table and the reachability matrix, with headings at
/// `level` (the mdBook preprocessor uses this).
pub fn summary(r: &Report, level: usize) -> String {
    let h = "#".repeat(level);
    let mut out = String::new();
    let _ = writeln!(out, "{h} Subnets\n");
    let _ = writeln!(
        out,
        "| Subnet | VPC | Kind | CIDR | AZ | Addresses used | Route table |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---:|---|");
    for s in &r.subnets {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} / {} | {} |",
            cell(&s.name),
            cell(&s.vpc),
            s.kind,
            s.blocks(),
            cell(s.az.as_deref().unwrap_or("-")),
            s.used,
            s.usable,
            cell(&s.route_table)
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{h} Reachability\n");
    if let Some(why) = &r.matrix.omitted {
        let _ = writeln!(out, "The matrix is left out: {}.\n", text(why));
        return out;
    }
    if r.matrix.cells.is_empty() {
        let _ = writeln!(out, "The file has no instances.\n");
        return out;
    }
    let _ = writeln!(
        out,
        "Rows open connections to columns. Each cell lists the traffic that is \
         delivered there and back, and the gateways it crosses; `-` is nothing.\n"
    );
    out.push_str("| from \\ to |");
    for d in &r.matrix.destinations {
        let _ = write!(out, " {} |", cell(&d.label));
    }
    out.push_str("\n|---|");
    for _ in &r.matrix.destinations {
        out.push_str("---|");
    }
    out.push('\n');
    for s in &r.matrix.sources {
        let _ = write!(out, "| **{}** |", cell(&s.label));
        for d in &r.matrix.destinations {
            let text = r
                .cell(&s.label, &d.label)
                .map_or("", |c| c.summary.as_str());
            let _ = write!(out, " {} |", cell(text));
        }
        out.push('\n');
    }
    out.push('\n');
    out
}

fn route_tables(out: &mut String, r: &Report) {
    let _ = writeln!(out, "## Route tables\n");
    for t in &r.route_tables {
        let main = if t.main { ", main" } else { "" };
        let _ = writeln!(
            out,
            "### `{}` (VPC `{}`{main}): {}\n",
            t.name,
            t.vpc,
            t.subnets
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let _ = writeln!(out, "| Destination | Target |");
        let _ = writeln!(out, "|---|---|");
        for route in &t.routes {
            let _ = writeln!(
                out,
                "| {} | {} |",
                cell(&destination(route)),
                cell(&route.target)
            );
        }
        let _ = writeln!(out);
    }
}

/// `10.20.0.0/16`, `10.20.0.0/16 (shared-services)` for a list's entry,
/// `10.50.0.0/16 (propagated)` for a route learned from a VPN.
pub(super) fn destination(route: &super::RouteRow) -> String {
    match &route.prefix_list {
        Some(l) => format!("{} ({l})", route.destination),
        None if route.propagated => format!("{} (propagated)", route.destination),
        None => route.destination.clone(),
    }
}

fn prefix_lists(out: &mut String, r: &Report) {
    if r.prefix_lists.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "## Prefix lists
"
    );
    let _ = writeln!(out, "| Name | Entries | Max entries |");
    let _ = writeln!(out, "|---|---|---:|");
    for l in &r.prefix_lists {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&l.name),
            cell(&l.entries.join(", ")),
            l.max_entries
        );
    }
    let _ = writeln!(out);
}

fn transit_gateways(out: &mut String, r: &Report) {
    if r.transit_gateways.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Transit gateways\n");
    for t in &r.transit_gateways {
        let _ = writeln!(out, "### `{}`\n", t.name);
        let _ = writeln!(out, "| Attachment | Kind | Joins | Route table |");
        let _ = writeln!(out, "|---|---|---|---|");
        for a in &t.attachments {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&a.name),
                a.kind,
                cell(&crate::report::attachment_joins(a)),
                cell(&a.route_table)
            );
        }
        let _ = writeln!(out);
        for rt in &t.route_tables {
            let _ = writeln!(
                out,
                "Route table `{}` (associated: {}; propagated from: {}):\n",
                rt.name,
                crate::report::names_or_none(&rt.associations),
                crate::report::names_or_none(&rt.propagations)
            );
            let _ = writeln!(out, "| Destination | Target | Origin |");
            let _ = writeln!(out, "|---|---|---|");
            for route in &rt.routes {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} |",
                    cell(&crate::report::tgw_destination(route)),
                    cell(&route.target),
                    crate::report::tgw_origin(route.origin)
                );
            }
            let _ = writeln!(out);
        }
    }
}

fn exposure(out: &mut String, r: &Report) {
    let _ = writeln!(out, "## Internet exposure\n");
    if r.exposure.is_empty() {
        let _ = writeln!(out, "No instance accepts connections from the internet.\n");
        return;
    }
    let _ = writeln!(out, "| Instance | Traffic | Path |");
    let _ = writeln!(out, "|---|---|---|");
    for e in &r.exposure {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            cell(&e.instance),
            cell(&e.traffic),
            cell(&crate::reach::text::path_text(&e.path))
        );
    }
    let _ = writeln!(out);
}

fn expects(out: &mut String, r: &Report) {
    let _ = writeln!(out, "## Expectations\n");
    if r.expects.is_empty() {
        let _ = writeln!(out, "The file has no `expect` statements.\n");
        return;
    }
    let _ = writeln!(out, "| Line | Expectation | Result |");
    let _ = writeln!(out, "|---:|---|---|");
    for e in &r.expects {
        let result = if e.holds {
            "holds".to_string()
        } else {
            format!("**fails**: {}", e.reasons.join("; "))
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            e.line,
            code(&e.text),
            cell(&result)
        );
    }
    let _ = writeln!(out);
}

/// One reviewer's table: a `###` title (already Markdown: names in code
/// spans) and the rows.
fn table(out: &mut String, t: &super::Table) {
    if !t.title.is_empty() {
        let _ = writeln!(out, "### {}\n", t.title);
    }
    if t.rows.is_empty() {
        let _ = writeln!(out, "None.\n");
        return;
    }
    let _ = writeln!(out, "| {} |", t.header.join(" | "));
    let _ = writeln!(out, "|{}", "---|".repeat(t.header.len()));
    for row in &t.rows {
        let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    let _ = writeln!(out);
}

/// Text safe in a table cell: `|` escaped, no line breaks.
fn cell(s: &str) -> String {
    esc(&s.replace('\n', " ")).replace('|', "\\|")
}

/// User text in prose or a heading (the file name, above all): HTML
/// escaped, so a docs site that passes HTML through (mdBook does) shows it
/// as text, and Markdown punctuation escaped, so it cannot start emphasis,
/// links or headings.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Punctuation first: escaping after `esc` would break its `&#39;`.
    for c in s.replace('\n', " ").chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '+' | '!' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    esc(&out)
}

/// Source text as a Markdown code span that nothing in it can close: the
/// fence is one backtick longer than the longest run of backticks inside (a
/// backtick in a comment would otherwise end the span and let what follows
/// through as HTML). Inside a code span HTML is inert; `|` is escaped for
/// the table, line breaks become spaces.
fn code(s: &str) -> String {
    let body = s.replace('|', "\\|").replace(['\n', '\r'], " ");
    let mut longest = 0;
    let mut run = 0;
    for c in body.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{body}{pad}{fence}")
}
