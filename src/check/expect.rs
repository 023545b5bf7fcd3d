//! The flow ends of `expect` statements: the kinds and what each
//! declaration stands for are the reachability engine's
//! ([`crate::reach::END_KINDS`], [`crate::reach::end_of`]), the same that
//! resolve `vpcc reach --from/--to`.

use super::*;
use crate::reach::{END_KINDS, VIA_KINDS, end_of, via_of};

impl Cx {
    pub(super) fn expect(&mut self, e: &ast::Expect) -> Option<model::Expect> {
        let source = self.flow_end(&e.source, true);
        let destination = self.flow_end(&e.destination, false);
        let ports = match e.protocol {
            Some(p) => self.ports(p, e.ports),
            None => None,
        };
        let mut via = Vec::new();
        let mut ok = true;
        for n in &e.via {
            let what = "component a path can traverse";
            match self.names.resolve(n, VIA_KINDS, what, &mut self.diags) {
                Some(d) => match via_of(d.kind, d.index) {
                    Some(v) => via.push((v, n.span)),
                    None => unreachable!("resolve returns one of VIA_KINDS"),
                },
                None => ok = false,
            }
        }
        let (source, destination) = (source?, destination?);
        ok.then(|| model::Expect {
            source,
            can: e.can,
            destination,
            protocol: e.protocol.map(|p| p.kind),
            ports,
            via,
            privately: e.privately.is_some(),
            ipv6: e.ipv6.is_some(),
            span: e.span,
        })
    }

    pub(super) fn flow_end(&mut self, end: &ast::FlowEnd, is_source: bool) -> Option<FlowEnd> {
        match end {
            ast::FlowEnd::Internet(_) => Some(FlowEnd::Internet),
            ast::FlowEnd::Service(s, sp) => {
                if is_source {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0303,
                            format!("`service {}` cannot open connections", s.text),
                            *sp,
                            "a service is a destination only",
                        )
                        .with_note(
                            "AWS services do not initiate connections into a VPC through endpoints",
                        ),
                    );
                    return None;
                }
                Some(FlowEnd::Service(s.text.clone()))
            }
            ast::FlowEnd::Name(n) => {
                let d = self.names.resolve(
                    n,
                    END_KINDS,
                    "instance, subnet, external or interface endpoint",
                    &mut self.diags,
                )?;
                match end_of(d.kind, d.index) {
                    Some(end) => Some(end),
                    None => unreachable!("resolve returns one of END_KINDS"),
                }
            }
        }
    }
}
