//! Address allocation (spec §3) and the address rules E0201–E0204.
//!
//! Written addresses first, each checked against its subnet (E0201), the
//! five reserved addresses (E0202) and the other interfaces (E0203). Then
//! one pass in source order over NAT gateways, interface-endpoint
//! interfaces and address-less instances, each taking the lowest free usable
//! address of its subnet (E0204 when none is left).

use std::collections::{HashMap, HashSet};
use std::net::Ipv4Addr;

use super::fxhash::FxBuild;
use crate::diag::{Code, Diagnostic};
use crate::model::{EndpointKind, Model, SubnetId};
use crate::source::Span;
use crate::syntax::ast;

enum Request {
    Nat(usize),
    Instance(usize),
    Endpoint(usize, usize),
}

/// Name and address spans of the AST objects, in model order.
#[derive(Default)]
struct Spans {
    /// Name and CIDR of each subnet.
    subnets: Vec<(Span, Span)>,
    instances: Vec<(Span, Option<Span>)>,
    nats: Vec<Span>,
    endpoints: Vec<Vec<Span>>,
}

fn spans(vpcs: &[&ast::Vpc]) -> Spans {
    let mut out = Spans::default();
    for v in vpcs {
        for item in &v.items {
            if let ast::VpcItem::Subnet(s) = item {
                out.subnets.push((s.name.span, s.cidr.span));
                for si in &s.items {
                    match si {
                        ast::SubnetItem::NatGateway(n) => out.nats.push(n.name.span),
                        ast::SubnetItem::Instance(i) => {
                            out.instances.push((i.name.span, i.address.map(|a| a.span)))
                        }
                        _ => {}
                    }
                }
            }
        }
        for item in &v.items {
            if let ast::VpcItem::Endpoint(e) = item {
                let subnets = match &e.kind {
                    ast::EndpointKind::Interface { items, .. } => items
                        .iter()
                        .filter_map(|i| {
                            if let ast::InterfaceItem::Subnets(l, _) = i {
                                Some(l.items.iter().map(|n| n.span).collect::<Vec<_>>())
                            } else {
                                None
                            }
                        })
                        .flatten()
                        .collect(),
                    ast::EndpointKind::Gateway { .. } => Vec::new(),
                };
                out.endpoints.push(subnets);
            }
        }
    }
    out
}

pub fn allocate(model: &mut Model, vpcs: &[&ast::Vpc], diags: &mut Vec<Diagnostic>) {
    let sp = spans(vpcs);
    if sp.subnets.len() != model.subnets.len()
        || sp.instances.len() != model.instances.len()
        || sp.nats.len() != model.nat_gateways.len()
        || sp.endpoints.len() != model.endpoints.len()
    {
        // Only possible after declaration errors, which are reported.
        return;
    }
    // Used addresses per subnet, and who holds each written one (the
    // instance's index). Fx-hashed: every instance passes through here.
    let mut used: Vec<HashSet<u32, FxBuild>> = vec![HashSet::default(); model.subnets.len()];
    let mut owner: HashMap<(usize, u32), (Span, usize), FxBuild> = HashMap::default();
    for (ii, inst) in model.instances.iter().enumerate() {
        if !inst.address_written {
            continue;
        }
        let (name_span, addr_span) = sp.instances[ii];
        let addr_span = addr_span.unwrap_or(name_span);
        let si = inst.subnet.index();
        let Some(subnet) = model.subnets.get(si) else {
            continue;
        };
        let a = inst.address;
        if !subnet.cidr.contains(&a) {
            diags.push(
                Diagnostic::new(
                    Code::E0201,
                    format!(
                        "instance `{}` has address {a}, outside its subnet `{}`",
                        inst.name, subnet.name
                    ),
                    addr_span,
                    format!("not in {}", subnet.cidr),
                )
                .with_secondary(
                    sp.subnets[si].1,
                    format!("`{}` is {}", subnet.name, subnet.cidr),
                )
                .with_note(super::cidr::spans(subnet.cidr))
                .with_help(format!(
                    "use an address from {} to {}, or leave it out to have one allocated",
                    subnet.usable.first, subnet.usable.last
                )),
            );
            continue;
        }
        if let Some(role) = subnet.reserved.role(a) {
            diags.push(
                Diagnostic::new(Code::E0202, format!("address {a} of instance `{}` is reserved by AWS in subnet `{}` ({role})", inst.name, subnet.name), addr_span, format!("the {role}").replace("the reserved", "reserved"))
                    .with_secondary(sp.subnets[si].1, format!("`{}` is {}", subnet.name, subnet.cidr))
                    .with_note(format!(
                        "AWS reserves 5 addresses in {}: {} network, {} VPC router, {} DNS, {} future use, {} broadcast",
                        subnet.cidr, subnet.reserved.network, subnet.reserved.router, subnet.reserved.dns, subnet.reserved.future, subnet.reserved.broadcast
                    ))
                    .with_help(format!("usable addresses are {} to {} ({} of them)", subnet.usable.first, subnet.usable.last, subnet.usable.count)),
            );
            continue;
        }
        let key = (si, u32::from(a));
        if let Some((first, first_ii)) = owner.get(&key) {
            let first_name = model
                .instances
                .get(*first_ii)
                .map_or("", |i| i.name.as_str());
            diags.push(
                Diagnostic::new(
                    Code::E0203,
                    format!(
                        "instances `{first_name}` and `{}` share address {a}",
                        inst.name
                    ),
                    addr_span,
                    format!("`{}` is given {a} too", inst.name),
                )
                .with_secondary(*first, format!("`{first_name}` has {a}"))
                .with_note("every network interface in a subnet needs its own private address")
                .with_help(format!(
                    "give `{}` another address, or leave it out to have one allocated",
                    inst.name
                )),
            );
            continue;
        }
        owner.insert(key, (addr_span, ii));
        used[si].insert(u32::from(a));
    }

    let mut requests: Vec<(Span, Request, SubnetId)> = Vec::new();
    for (ni, n) in model.nat_gateways.iter().enumerate() {
        requests.push((sp.nats[ni], Request::Nat(ni), n.subnet));
    }
    for (ii, inst) in model.instances.iter().enumerate() {
        if !inst.address_written {
            requests.push((sp.instances[ii].0, Request::Instance(ii), inst.subnet));
        }
    }
    for (ei, e) in model.endpoints.iter().enumerate() {
        if let EndpointKind::Interface { interfaces, .. } = &e.kind {
            for (k, iface) in interfaces.iter().enumerate() {
                let span = sp.endpoints[ei].get(k).copied().unwrap_or(e.span);
                requests.push((span, Request::Endpoint(ei, k), iface.subnet));
            }
        }
    }
    requests.sort_by_key(|r| r.0);

    let mut cursor: Vec<u32> = model
        .subnets
        .iter()
        .map(|s| u32::from(s.usable.first))
        .collect();
    let mut asked: Vec<u32> = used
        .iter()
        .map(|u| u32::try_from(u.len()).unwrap_or(u32::MAX))
        .collect();
    for (_, _, s) in &requests {
        asked[s.index()] += 1;
    }
    let mut reported: HashSet<usize> = HashSet::new();
    for (span, req, subnet) in requests {
        let si = subnet.index();
        let s = &model.subnets[si];
        let last = u32::from(s.usable.last);
        while cursor[si] <= last && used[si].contains(&cursor[si]) {
            cursor[si] += 1;
        }
        if cursor[si] > last || s.usable.count == 0 {
            if reported.insert(si) {
                diags.push(
                    Diagnostic::new(Code::E0204, format!("subnet `{}` has no free usable address left", s.name), span, "no address left for this interface")
                        .with_secondary(sp.subnets[si].1, format!("`{}` is {}", s.name, s.cidr))
                        .with_note(format!(
                            "{} has {} addresses, {} usable after the 5 AWS reserves, and the file asks for {}",
                            s.cidr,
                            super::cidr::size(s.cidr),
                            s.usable.count,
                            asked[si]
                        ))
                        .with_help("use a larger subnet, or move some interfaces to another subnet"),
                );
            }
            continue;
        }
        let addr = Ipv4Addr::from(cursor[si]);
        used[si].insert(cursor[si]);
        match req {
            Request::Nat(i) => model.nat_gateways[i].address = addr,
            Request::Instance(i) => model.instances[i].address = addr,
            Request::Endpoint(e, k) => {
                if let EndpointKind::Interface { interfaces, .. } = &mut model.endpoints[e].kind {
                    interfaces[k].address = addr;
                }
            }
        }
    }
}
