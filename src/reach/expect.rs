//! `expect` statements: each one is a [`Query`]; a failed one is E0501.

use super::{ComponentKind, Engine, Query, Reason, Verdict, end_label, via_label};
use crate::diag::{Code, Diagnostic};
use crate::model::{Expect, Model};

/// The query an `expect` asks.
pub fn expect_query(e: &Expect) -> Query {
    Query {
        source: e.source.clone(),
        destination: e.destination.clone(),
        protocol: e.protocol,
        ports: e.ports,
        via: e.via.iter().map(|(v, _)| *v).collect(),
        privately: e.privately,
        ipv6: e.ipv6,
    }
}

/// Evaluates every `expect` of the model: one E0501 per failure, pointing
/// at the header of each declaration on the path ([`Model::head`]).
/// Expectations are independent, so they are asked on every core;
/// diagnostics stay in source order.
pub fn check_expects(model: &Model) -> Vec<Diagnostic> {
    crate::par::map(
        &model.expects,
        || Engine::new(model),
        |engine, e| check_one(engine, e),
    )
    .into_iter()
    .flatten()
    .collect()
}

/// Evaluates one `expect`: its E0501 when it does not hold.
pub fn check_one(engine: &Engine<'_>, e: &Expect) -> Option<Diagnostic> {
    let model = engine.model();
    let verdict = engine.reach(&expect_query(e));
    if verdict.holds == e.can {
        return None;
    }
    let found = if e.can { "cannot" } else { "can" };
    let message = format!("expectation does not hold: {}", flow_text(model, e, found));
    let label = if e.can {
        "not delivered as expected"
    } else {
        "delivered, but expected not to be"
    };
    let mut d = Diagnostic::new(Code::E0501, message, e.span, label);
    if e.can {
        d = explain_blockers(model, e, &verdict, d);
        let mut fixes: Vec<&str> = Vec::new();
        for f in verdict.blockers().filter_map(|b| b.fix.as_deref()) {
            if !fixes.contains(&f) {
                fixes.push(f);
            }
        }
        if !fixes.is_empty() {
            d = d.with_help(fixes.join("; "));
        }
    } else {
        for leg in &verdict.legs {
            let path: Vec<String> = leg
                .forward
                .iter()
                .map(|h| h.component.to_string())
                .collect();
            d = d.with_note(format!(
                "path from {} to {}: {}",
                leg.from_label,
                leg.to_label,
                path.join(" → ")
            ));
            if let Some(x) = &leg.example {
                d = d.with_note(format!("for example {x}"));
            }
            // The routes that carry it.
            for h in leg
                .forward
                .iter()
                .filter(|h| h.component.is(ComponentKind::RouteTable))
            {
                if let Some(span) = h.span.map(|s| model.head(s))
                    && !d.secondary.iter().any(|l| l.span == span)
                {
                    d = d.with_secondary(
                        span,
                        format!("the path takes this route ({})", h.decision),
                    );
                }
            }
        }
        d = d.with_help(
            "change a route, a security group or an ACL on this path, or drop the expectation",
        );
    }
    Some(d)
}

fn explain_blockers(model: &Model, e: &Expect, verdict: &Verdict, mut d: Diagnostic) -> Diagnostic {
    for leg in &verdict.legs {
        if verdict.legs.len() > 1 {
            let state = if leg.holds { "holds" } else { "fails" };
            d = d.with_note(format!(
                "leg {} to {} {state}",
                leg.from_label, leg.to_label
            ));
        }
        for dns in &leg.dns {
            d = d.with_note(format!(
                "{} resolves to {} ({})",
                dns.name, dns.answer, dns.why
            ));
        }
        for b in &leg.blockers {
            d = d.with_note(format!("{} at {}: {}", b.reason, b.component, b.detail));
            if let Some(span) = b.span.filter(|s| *s != e.span) {
                let head = model.head(span);
                match d.secondary.iter_mut().find(|l| l.span == head) {
                    Some(l) => l.message.push_str(&format!("; {}", b.reason)),
                    None => d = d.with_secondary(head, format!("{}: {}", b.reason, b.detail)),
                }
            }
            if b.reason == Reason::ViaNotTraversed
                && let Some((_, span)) = e
                    .via
                    .iter()
                    .find(|(v, _)| via_label(model, *v) == b.component)
                && !d.secondary.iter().any(|l| l.span == *span)
            {
                d = d.with_secondary(*span, "not on the path");
            }
        }
    }
    d
}

/// `` `admin` can reach `app` tcp 22 via `bastion` ``.
fn flow_text(model: &Model, e: &Expect, verb: &str) -> String {
    let mut s = format!(
        "{} {verb} reach {}",
        end_label(model, &e.source),
        end_label(model, &e.destination)
    );
    if let Some(p) = e.protocol {
        s.push(' ');
        s.push_str(p.as_str());
        if let Some((a, b)) = e.ports {
            if a == b {
                s.push_str(&format!(" {a}"));
            } else {
                s.push_str(&format!(" {a}-{b}"));
            }
        }
    }
    if e.ipv6 {
        s.push_str(" ipv6");
    }
    if !e.via.is_empty() {
        let names: Vec<String> = e
            .via
            .iter()
            .map(|(v, _)| {
                // `instance \`bastion\`` as written: `bastion`.
                let name = via_label(model, *v).name.unwrap_or_default();
                format!("`{name}`")
            })
            .collect();
        s.push_str(&format!(" via {}", names.join(", ")));
    }
    if e.privately {
        s.push_str(" privately");
    }
    s
}
