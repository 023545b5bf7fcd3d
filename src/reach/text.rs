//! A verdict as text, the way a network engineer would explain it.

use std::fmt::Write;

use super::{Hop, Leg, Verdict};
use crate::source::{Span, line_col};

/// Renders a verdict. `title` names the flow (`` `admin` → `bastion` tcp
/// 22 ``); `src` is the file, for line numbers.
pub fn render(title: &str, verdict: &Verdict, src: &str) -> String {
    let mut out = String::new();
    let word = if verdict.holds {
        "DELIVERED"
    } else if verdict.delivered {
        "DELIVERED, but not as asked"
    } else {
        "BLOCKED"
    };
    let _ = writeln!(out, "{title}: {word}");
    for (i, leg) in verdict.legs.iter().enumerate() {
        if verdict.legs.len() > 1 {
            let state = if leg.holds {
                "delivered"
            } else if leg.delivered {
                "delivered, but not as asked"
            } else {
                "blocked"
            };
            let _ = writeln!(
                out,
                "\nleg {}: {} → {}: {state}",
                i + 1,
                leg.from_label,
                leg.to_label
            );
        }
        render_leg(&mut out, leg, src);
    }
    out
}

fn render_leg(out: &mut String, leg: &Leg, src: &str) {
    if let Some(x) = &leg.example {
        let _ = writeln!(out, "  e.g. {x}");
    }
    if !leg.dns.is_empty() {
        let _ = writeln!(out, "\n  DNS:");
        for d in &leg.dns {
            let _ = writeln!(out, "    {} → {}  ({})", d.name, d.answer, d.why);
        }
    }
    if !leg.forward.is_empty() {
        let _ = writeln!(out, "\n  forward:");
        hops(out, &leg.forward, src);
    }
    if !leg.back.is_empty() {
        let _ = writeln!(out, "\n  return:");
        hops(out, &leg.back, src);
    }
    if !leg.blockers.is_empty() {
        let _ = writeln!(out, "\n  blocked by:");
        for b in &leg.blockers {
            let _ = writeln!(
                out,
                "    {} at {}{}",
                b.reason,
                b.component,
                at(b.span, src)
            );
            let _ = writeln!(out, "      {}", b.detail);
            if let Some(fix) = &b.fix {
                let _ = writeln!(out, "      fix: {fix}");
            }
        }
    }
}

fn hops(out: &mut String, hops: &[Hop], src: &str) {
    for (i, h) in hops.iter().enumerate() {
        let _ = writeln!(
            out,
            "    {:>2}. {}: {}{}",
            i + 1,
            h.component,
            h.decision,
            at(h.span, src)
        );
        if let Some(rule) = &h.rule
            && !rule.is_empty()
        {
            let _ = writeln!(out, "        by {rule}");
        }
    }
}

fn at(span: Option<Span>, src: &str) -> String {
    match span {
        Some(s) if !src.is_empty() => format!(" (line {})", line_col(src, s.start as usize).0),
        _ => String::new(),
    }
}

/// A path in words: `` the internet → internet gateway `igw` → … ``.
pub fn path_text(path: &[super::Component]) -> String {
    let words: Vec<String> = path.iter().map(ToString::to_string).collect();
    words.join(" → ")
}
