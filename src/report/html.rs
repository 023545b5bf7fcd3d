//! The report as one self-contained HTML file: inline CSS, one inline
//! script (`report.js`), no external assets, readable offline. The
//! diagram, when given, is embedded as inline SVG at its natural size in a
//! scrolling box; the script adds zoom and pan. The matrix scrolls in its
//! own box with sticky row and column headers; the script adds a filter on
//! source and destination names. Without the script both still scroll and
//! nothing is hidden (the tool bars carry `hidden` until it runs).
//!
//! **Invariant:** the page names no URL that a browser would load (no
//! `src`, no `href` to another site, no `url(`, no `@import`) and its
//! script fetches nothing; the same report gives the same bytes.

use std::fmt::Write;

use super::Report;

const STYLE: &str = "
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#1d2330;margin:0;background:#f6f7f9}
[hidden]{display:none!important}
main{max-width:1360px;margin:0 auto;padding:24px 28px 48px;background:#fff;min-height:100vh}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 10px;border-bottom:1px solid #e3e6ea;padding-bottom:4px}
h3{font-size:15px;margin:18px 0 6px}
.meta{color:#5b6472;margin:0 0 6px}
.toc{font-size:13.5px;margin:0 0 12px}.toc a{color:#1c4b8f;text-decoration:none}.toc a:hover{text-decoration:underline}
table{border-collapse:collapse;margin:6px 0 12px;font-size:13.5px}
th,td{border:1px solid #d9dde3;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12.5px}
.kind{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;font-weight:600}
.public{background:#dff3e4;color:#17602d}.private{background:#e2ecfb;color:#1c4b8f}.isolated{background:#eceef1;color:#4a5260}
.tools{display:flex;flex-wrap:wrap;gap:6px 10px;align-items:center;margin:0 0 6px;font-size:13px;color:#5b6472}
.tools button{font:inherit;min-width:34px;padding:2px 9px;border:1px solid #c9ced6;background:#f6f7f9;color:#1d2330;border-radius:4px;cursor:pointer}
.tools button:hover{background:#e9ecf0}
.tools input{font:inherit;padding:3px 7px;border:1px solid #c9ced6;border-radius:4px;width:15em}
.matrix{overflow:auto;max-height:80vh;border:1px solid #d9dde3}
.matrix table{border-collapse:separate;border-spacing:0;margin:0}
.matrix th,.matrix td{border-width:0 1px 1px 0}
.matrix td{min-width:90px;max-width:220px}
.matrix thead th{position:sticky;top:0;z-index:2;white-space:nowrap}
.matrix th.src{position:sticky;left:0;z-index:1;white-space:nowrap}
.matrix thead th.corner{left:0;z-index:3}
td.open{background:#e9f7ee}td.none{color:#98a0ab;background:#fafbfc;text-align:center}td.self{background:#f1f2f4}
.ok{color:#17602d;font-weight:600}.fail{color:#b42318;font-weight:600}
.diagram{border:1px solid #d9dde3;overflow:auto;max-height:70vh;background:#fff}
.diagram svg{display:block}
.diagram.grab{cursor:grab}.diagram.panning{cursor:grabbing;user-select:none}
.usage{display:inline-block;width:70px;height:8px;background:#eceef1;border-radius:4px;margin-left:6px;vertical-align:middle;overflow:hidden}
.usage span{display:block;height:100%;background:#4c7bd9}
@media print{.diagram,.matrix{max-height:none;overflow:visible}.diagram svg{width:100%!important;height:auto!important}.tools{display:none}.matrix th{position:static}}
";

/// The page's script: zoom and pan, the matrix filter, the self-check.
const SCRIPT: &str = include_str!("report.js");

/// Renders the report; `diagram` is an SVG document to embed.
pub fn render(r: &Report, diagram: Option<&str>) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — vpcc report</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&r.name)
    );
    let _ = writeln!(o, "<h1>{}</h1>", esc(&r.name));
    let region = r.region.as_deref().unwrap_or("no region");
    let held = r.expects.iter().filter(|e| e.holds).count();
    let _ = writeln!(
        o,
        "<p class=\"meta\">Region <code>{}</code> · {} subnets · {} of {} expectations hold</p>",
        esc(region),
        r.subnets.len(),
        held,
        r.expects.len()
    );
    let sections = super::sections(r);
    let mut toc: Vec<&str> = Vec::new();
    if diagram.is_some() {
        toc.push("Diagram");
    }
    toc.extend([
        "Subnets",
        "Reachability",
        "Internet exposure",
        "Expectations",
        "Route tables",
    ]);
    if !r.prefix_lists.is_empty() {
        toc.push("Prefix lists");
    }
    if !r.transit_gateways.is_empty() {
        toc.push("Transit gateways");
    }
    toc.extend(sections.iter().map(|(title, _)| *title));
    let links: Vec<String> = toc
        .iter()
        .map(|t| {
            let id = if *t == "Diagram" {
                "diagram-section".to_string()
            } else {
                slug(t)
            };
            format!("<a href=\"#{id}\">{}</a>", esc(t))
        })
        .collect();
    let _ = writeln!(o, "<nav class=\"toc\">{}</nav>", links.join(" · "));
    if let Some(svg) = diagram {
        let svg = svg.find("<svg").and_then(|i| svg.get(i..)).unwrap_or(svg);
        o.push_str(
            "<h2 id=\"diagram-section\">Diagram</h2>\n<div class=\"tools\" id=\"diagram-tools\" hidden>\
             <button type=\"button\" data-zoom=\"in\" title=\"Zoom in\">+</button>\
             <button type=\"button\" data-zoom=\"out\" title=\"Zoom out\">\u{2212}</button>\
             <button type=\"button\" data-zoom=\"fit\" title=\"Fit the box\">Fit</button>\
             <button type=\"button\" data-zoom=\"reset\" title=\"Natural size\">1:1</button>\
             <span id=\"zoom-level\">100%</span><span>· wheel zooms, drag pans</span></div>\n",
        );
        let _ = writeln!(o, "<div class=\"diagram\" id=\"diagram\">{svg}</div>");
    }
    subnets(&mut o, r);
    matrix(&mut o, r);
    exposure(&mut o, r);
    expects(&mut o, r);
    route_tables(&mut o, r);
    prefix_lists(&mut o, r);
    transit_gateways(&mut o, r);
    for (title, tables) in sections {
        let _ = writeln!(o, "<h2 id=\"{}\">{}</h2>", slug(title), esc(title));
        if tables.is_empty() {
            o.push_str("<p>None.</p>\n");
        }
        for t in tables {
            table(&mut o, &t);
        }
    }
    let _ = write!(
        o,
        "</main>\n<script>\n{SCRIPT}</script>\n</body>\n</html>\n"
    );
    o
}

fn subnets(o: &mut String, r: &Report) {
    o.push_str("<h2 id=\"subnets\">Subnets</h2>\n<table>\n<tr><th>Subnet</th><th>VPC</th><th>Kind</th><th>CIDR</th><th>AZ</th><th>Addresses used</th><th>Route table</th><th>ACL</th></tr>\n");
    for s in &r.subnets {
        let pct = if s.usable == 0 {
            100
        } else {
            (u64::from(s.used) * 100)
                .div_ceil(u64::from(s.usable))
                .min(100)
        };
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td>{}</td><td><span class=\"kind {k}\" title=\"{}\">{k}</span></td>\
             <td class=\"mono\">{}</td><td>{}</td><td class=\"num\">{} / {}<span class=\"usage\"><span style=\"width:{pct}%\"></span></span></td>\
             <td><code>{}</code></td><td><code>{}</code></td></tr>",
            esc(&s.name),
            esc(&s.vpc),
            esc(&s.kind_reason),
            esc(&s.blocks()),
            esc(s.az.as_deref().unwrap_or("-")),
            s.used,
            s.usable,
            esc(&s.route_table),
            esc(&s.network_acl),
            k = esc(&s.kind),
        );
    }
    o.push_str("</table>\n");
}

fn matrix(o: &mut String, r: &Report) {
    if let Some(why) = &r.matrix.omitted {
        o.push_str("<h2 id=\"reachability\">Reachability</h2>\n<p>The matrix is left out: ");
        o.push_str(&esc(why));
        o.push_str(".</p>\n");
        return;
    }
    if r.matrix.cells.is_empty() {
        o.push_str(
            "<h2 id=\"reachability\">Reachability</h2>\n<p>The file has no instances.</p>\n",
        );
        return;
    }
    o.push_str(
        "<h2 id=\"reachability\">Reachability</h2>\n<p>Rows open connections to columns. A cell lists the traffic delivered there and back and the gateways it crosses; hover an empty cell for what drops it.</p>\n\
         <div class=\"tools\" id=\"matrix-tools\" hidden>\
         <label>From <input type=\"search\" id=\"filter-from\" placeholder=\"source names\" autocomplete=\"off\"></label>\
         <label>To <input type=\"search\" id=\"filter-to\" placeholder=\"destination names\" autocomplete=\"off\"></label>\
         <span id=\"matrix-count\"></span></div>\n\
         <div class=\"matrix\" id=\"matrix\"><table>\n<thead><tr><th class=\"corner\">from \\ to</th>",
    );
    for d in &r.matrix.destinations {
        let _ = write!(o, "<th{}>{}</th>", members(d), esc(&d.label));
    }
    o.push_str("</tr></thead>\n<tbody>\n");
    // Cells come row by row, in the order of the labels ([`super::Matrix`]),
    // and a pair without one has no cell: one pass finds them all
    // (`Report::cell` per pair would be quadratic in the cells).
    let mut cells = r.matrix.cells.iter().peekable();
    for s in &r.matrix.sources {
        let _ = write!(
            o,
            "<tr><th class=\"src\"{}>{}</th>",
            members(s),
            esc(&s.label)
        );
        for d in &r.matrix.destinations {
            let cell = match cells.peek() {
                Some(c) if c.from == s.label && c.to == d.label => cells.next(),
                _ => None,
            };
            match cell {
                None => o.push_str("<td class=\"self\"></td>"),
                Some(c) if c.flows.is_empty() => {
                    let _ = write!(
                        o,
                        "<td class=\"none\" title=\"{}\">-</td>",
                        esc(&c
                            .blocked_by
                            .iter()
                            .map(|b| format!(
                                "{} {}",
                                b.reason,
                                b.component.to_string().replace('`', "")
                            ))
                            .collect::<Vec<_>>()
                            .join("\n"))
                    );
                }
                Some(c) => {
                    let lines: Vec<String> = c.flows.iter().map(|f| esc(&f.text)).collect();
                    let _ = write!(o, "<td class=\"open\">{}</td>", lines.join("<br>"));
                }
            }
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody></table></div>\n");
}

/// ` data-members="…"` when a group's label leaves members out
/// (`app-a01 … app-a14 (14)`), so the filter finds every member's name.
fn members(end: &super::MatrixEnd) -> String {
    let all = end.members.join(" ");
    if end.members.join(", ") == end.label || end.members.is_empty() {
        String::new()
    } else {
        format!(" data-members=\"{}\"", esc(&all))
    }
}

fn exposure(o: &mut String, r: &Report) {
    o.push_str("<h2 id=\"internet-exposure\">Internet exposure</h2>\n");
    if r.exposure.is_empty() {
        o.push_str("<p>No instance accepts connections from the internet.</p>\n");
        return;
    }
    o.push_str("<table>\n<tr><th>Instance</th><th>Traffic</th><th>Path</th></tr>\n");
    for e in &r.exposure {
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td class=\"mono\">{}</td><td>{}</td></tr>",
            esc(&e.instance),
            esc(&e.traffic),
            code_spans(&esc(&crate::reach::text::path_text(&e.path)))
        );
    }
    o.push_str("</table>\n");
}

fn expects(o: &mut String, r: &Report) {
    o.push_str("<h2 id=\"expectations\">Expectations</h2>\n");
    if r.expects.is_empty() {
        o.push_str("<p>The file has no <code>expect</code> statements.</p>\n");
        return;
    }
    o.push_str("<table>\n<tr><th>Line</th><th>Expectation</th><th>Result</th></tr>\n");
    for e in &r.expects {
        let result = if e.holds {
            "<span class=\"ok\">holds</span>".to_string()
        } else {
            format!(
                "<span class=\"fail\">fails</span><br>{}",
                e.reasons
                    .iter()
                    .map(|x| code_spans(&esc(x)))
                    .collect::<Vec<_>>()
                    .join("<br>")
            )
        };
        let _ = writeln!(
            o,
            "<tr><td class=\"num\">{}</td><td><code>{}</code></td><td>{result}</td></tr>",
            e.line,
            esc(&e.text)
        );
    }
    o.push_str("</table>\n");
}

fn route_tables(o: &mut String, r: &Report) {
    o.push_str("<h2 id=\"route-tables\">Route tables</h2>\n");
    for t in &r.route_tables {
        let main = if t.main { ", main" } else { "" };
        let _ = writeln!(
            o,
            "<h3><code>{}</code> (VPC <code>{}</code>{main}) · {}</h3>\n<table>\n<tr><th>Destination</th><th>Target</th></tr>",
            esc(&t.name),
            esc(&t.vpc),
            esc(&t.subnets.join(", "))
        );
        for route in &t.routes {
            let _ = writeln!(
                o,
                "<tr><td class=\"mono\">{}</td><td><code>{}</code></td></tr>",
                esc(&super::md::destination(route)),
                esc(&route.target)
            );
        }
        o.push_str("</table>\n");
    }
}

fn prefix_lists(o: &mut String, r: &Report) {
    if r.prefix_lists.is_empty() {
        return;
    }
    o.push_str("<h2 id=\"prefix-lists\">Prefix lists</h2>\n<table>\n<tr><th>Name</th><th>Entries</th><th>Max entries</th></tr>\n");
    for l in &r.prefix_lists {
        let _ = writeln!(
            o,
            "<tr><td><code>{}</code></td><td class=\"mono\">{}</td><td>{}</td></tr>",
            esc(&l.name),
            esc(&l.entries.join(", ")),
            l.max_entries
        );
    }
    o.push_str("</table>\n");
}

fn transit_gateways(o: &mut String, r: &Report) {
    if r.transit_gateways.is_empty() {
        return;
    }
    o.push_str("<h2 id=\"transit-gateways\">Transit gateways</h2>\n");
    for t in &r.transit_gateways {
        let _ = writeln!(o, "<h3><code>{}</code></h3>", esc(&t.name));
        o.push_str("<table>\n<tr><th>Attachment</th><th>Kind</th><th>Joins</th><th>Route table</th></tr>\n");
        for a in &t.attachments {
            let _ = writeln!(
                o,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                esc(&a.name),
                esc(&a.kind),
                esc(&crate::report::attachment_joins(a)),
                esc(&a.route_table)
            );
        }
        o.push_str("</table>\n");
        for rt in &t.route_tables {
            let _ = writeln!(
                o,
                "<p>Route table <code>{}</code> (associated: {}; propagated from: {})</p>",
                esc(&rt.name),
                esc(&crate::report::names_or_none(&rt.associations)),
                esc(&crate::report::names_or_none(&rt.propagations))
            );
            o.push_str("<table>\n<tr><th>Destination</th><th>Target</th><th>Origin</th></tr>\n");
            for route in &rt.routes {
                let _ = writeln!(
                    o,
                    "<tr><td class=\"mono\">{}</td><td><code>{}</code></td><td>{}</td></tr>",
                    esc(&crate::report::tgw_destination(route)),
                    esc(&route.target),
                    crate::report::tgw_origin(route.origin)
                );
            }
            o.push_str("</table>\n");
        }
    }
}

/// One design of a `vpcc build` run, for its index page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    /// The output directory's name (the file's stem).
    pub name: String,
    /// The files written under it, in output order; empty when the design
    /// failed to build.
    pub files: Vec<String>,
    /// Subnets, and `expect`s that hold of all, when built.
    pub summary: Option<String>,
}

/// `index.html` of a build directory: every design of the run with links
/// to what it wrote, one self-contained page.
pub fn index(entries: &[IndexEntry]) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>vpcc build</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n\
         <h1>Designs</h1>\n<table>\n<tr><th>Design</th><th>Summary</th><th>Files</th></tr>\n"
    );
    for e in entries {
        let name = esc(&e.name);
        let (summary, files) = if e.files.is_empty() {
            (
                "failed to build: see the diagnostics".to_string(),
                String::new(),
            )
        } else {
            let links: Vec<String> = e
                .files
                .iter()
                .map(|f| {
                    let f = esc(f);
                    format!("<a href=\"{}/{f}\">{f}</a>", uri_segment(&e.name))
                })
                .collect();
            (esc(e.summary.as_deref().unwrap_or("")), links.join(" · "))
        };
        let title = if e.files.iter().any(|f| f == "report.html") {
            format!(
                "<a href=\"{}/report.html\">{name}</a>",
                uri_segment(&e.name)
            )
        } else {
            name
        };
        let _ = writeln!(
            o,
            "<tr><td>{title}</td><td>{summary}</td><td>{files}</td></tr>"
        );
    }
    o.push_str("</table>\n</main>\n</body>\n</html>\n");
    o
}

/// A heading's id: `Free address space` → `free-address-space`.
fn slug(title: &str) -> String {
    title
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

/// A directory name as one URI path segment (percent-encoded).
fn uri_segment(name: &str) -> String {
    let mut out = String::new();
    for b in name.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// One reviewer's table (see `report/inventory.rs`).
fn table(o: &mut String, t: &super::Table) {
    if !t.title.is_empty() {
        let _ = writeln!(o, "<h3>{}</h3>", code_spans(&esc(&t.title)));
    }
    if t.rows.is_empty() {
        o.push_str("<p>None.</p>\n");
        return;
    }
    o.push_str("<table>\n<tr>");
    for h in &t.header {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr>\n");
    for row in &t.rows {
        o.push_str("<tr>");
        for c in row {
            let _ = write!(o, "<td>{}</td>", esc(c));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</table>\n");
}

/// Escapes text for HTML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push_str("&#10;"),
            _ => out.push(c),
        }
    }
    out
}

/// Turns `` `name` `` spans of escaped text into `<code>name</code>`.
fn code_spans(escaped: &str) -> String {
    let mut out = String::with_capacity(escaped.len());
    let mut parts = escaped.split('`');
    if let Some(first) = parts.next() {
        out.push_str(first);
    }
    let rest: Vec<&str> = parts.collect();
    // An odd number of backticks leaves the last one as it is.
    let pairs = rest.len() / 2 * 2;
    for (i, p) in rest.iter().enumerate() {
        if i >= pairs {
            out.push('`');
            out.push_str(p);
        } else if i % 2 == 0 {
            out.push_str("<code>");
            out.push_str(p);
            out.push_str("</code>");
        } else {
            out.push_str(p);
        }
    }
    out
}
