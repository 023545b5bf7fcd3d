//! The route-lookup path between two named ends, for `--highlight`.
//!
//! This is not a reachability verdict: it follows route tables only (no
//! security groups, ACLs or public addresses). From the source's subnet it
//! looks the destination up in the subnet's table, follows a NAT gateway's
//! (or NAT instance's) own subnet table once, and stops at the first hop
//! that leaves the VPC or delivers. The reachability engine's path can
//! replace it: [`super::GraphOptions::highlight`] takes any list of hops.

use std::net::Ipv4Addr;

use crate::model::{
    EndpointId, EndpointKind, ExternalId, GatewayService, InstanceId, Model, SubnetId, Target,
    VpcId,
};
use crate::routes::{self, Query};

use super::Hop;

/// A `--highlight` end, resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum End {
    Instance(InstanceId),
    Subnet(SubnetId),
    External(ExternalId),
    Internet,
    InterfaceEndpoint(EndpointId),
    /// `service NAME` (destination only).
    Service(String),
}

/// Resolves a name as written on the command line: an instance, a subnet,
/// an external, an interface endpoint, `internet`, or `service NAME`
/// (also `service:NAME`).
pub fn resolve(model: &Model, name: &str) -> Result<End, String> {
    let name = name.trim();
    if name == "internet" {
        return Ok(End::Internet);
    }
    for prefix in ["service ", "service:"] {
        if let Some(svc) = name
            .strip_prefix(prefix)
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            return Ok(End::Service(svc.to_string()));
        }
    }
    if let Some(i) = model.instances.iter().position(|x| x.name == name) {
        return Ok(End::Instance(InstanceId(i as u32)));
    }
    if let Some(s) = model.subnets.iter().position(|x| x.name == name) {
        return Ok(End::Subnet(SubnetId(s as u32)));
    }
    if let Some(e) = model.externals.iter().position(|x| x.name == name) {
        return Ok(End::External(ExternalId(e as u32)));
    }
    if let Some(e) = model
        .endpoints
        .iter()
        .position(|x| x.name == name && matches!(x.kind, EndpointKind::Interface { .. }))
    {
        return Ok(End::InterfaceEndpoint(EndpointId(e as u32)));
    }
    Err(format!(
        "`{name}` is not an instance, subnet, external, interface endpoint, `internet` or `service NAME`"
    ))
}

/// The hops from `src` to `dst` along route-table decisions. The path
/// stops early where no route matches.
pub fn route_path(model: &Model, src: &End, dst: &End) -> Result<Vec<Hop>, String> {
    if let End::Service(s) = src {
        return Err(format!("`service {s}` can only be a destination"));
    }
    let mut hops = Vec::new();
    let start = match src {
        End::Instance(i) => {
            hops.push(Hop::Instance(*i));
            model.instance(*i).subnet
        }
        End::Subnet(s) => *s,
        End::InterfaceEndpoint(e) => {
            let Some(x) = interfaces(model, *e).first().copied() else {
                return Ok(vec![Hop::Endpoint(*e)]);
            };
            hops.push(Hop::EndpointInterface(*e, x.0));
            x.0
        }
        End::External(_) | End::Internet | End::Service(_) => return Ok(inbound(model, src, dst)),
    };
    hops.push(Hop::Subnet(start));
    let vpc = model.subnet(start).vpc;
    // An interface service with private DNS resolves to the endpoint.
    if let End::Service(svc) = dst {
        if let Some((e, s)) = private_endpoint(model, vpc, svc, start) {
            if s != start {
                hops.push(Hop::Subnet(s));
            }
            hops.push(Hop::EndpointInterface(e, s));
            hops.push(Hop::Service(svc.clone()));
            return Ok(hops);
        }
    }
    let query = match dst {
        End::Instance(i) => Query::Address(model.instance(*i).address),
        End::Subnet(s) => Query::Address(model.subnet(*s).cidr.network()),
        End::External(e) => match model.external(*e).cidrs.first() {
            Some(c) => Query::Address(c.network()),
            None => Query::Internet,
        },
        End::Internet => Query::Internet,
        End::InterfaceEndpoint(e) => match interfaces(model, *e)
            .iter()
            .find(|x| x.0 == start)
            .or(interfaces(model, *e).first())
        {
            Some(x) => Query::Address(x.1),
            None => return Ok(hops),
        },
        End::Service(s) => match GatewayService::parse(s) {
            Some(g) => Query::Service(g),
            None => Query::Internet,
        },
    };
    let mut subnet = start;
    let mut forwarded = false;
    loop {
        let table = model.route_table(model.subnet(subnet).route_table);
        let Some(route) = routes::lookup(table, query).chosen.map(|i| table.routes[i]) else {
            break;
        };
        let here = model.subnet(subnet).vpc;
        match route.target {
            Target::Local(v) => {
                deliver(model, v, query, dst, &mut hops);
                break;
            }
            Target::InternetGateway(g) => {
                hops.push(Hop::InternetGateway(g));
                hops.push(Hop::Internet);
                match dst {
                    End::External(e) => hops.push(Hop::External(*e)),
                    End::Service(s) => hops.push(Hop::Service(s.clone())),
                    _ => {}
                }
                break;
            }
            Target::NatGateway(n) => {
                hops.push(Hop::NatGateway(n));
                if forwarded {
                    break;
                }
                forwarded = true;
                subnet = model.nat_gateway(n).subnet;
            }
            Target::Instance(i) => {
                hops.push(Hop::Instance(i));
                if forwarded {
                    break;
                }
                forwarded = true;
                subnet = model.instance(i).subnet;
            }
            Target::Peering(p) => {
                hops.push(Hop::Peering(p));
                if let Some(other) = model.peering(p).other(here) {
                    hops.push(Hop::Vpc(other));
                    deliver(model, other, query, dst, &mut hops);
                }
                break;
            }
            Target::GatewayEndpoint(e) => {
                hops.push(Hop::Endpoint(e));
                hops.push(Hop::Service(model.endpoint(e).service.clone()));
                break;
            }
            Target::Blackhole => {
                hops.push(Hop::Blackhole(here));
                break;
            }
        }
    }
    Ok(hops)
}

/// `internet` or an external opening a flow to something in a VPC: in
/// through the VPC's internet gateway.
fn inbound(model: &Model, src: &End, dst: &End) -> Vec<Hop> {
    let mut hops = Vec::new();
    if let End::External(e) = src {
        hops.push(Hop::External(*e));
    }
    hops.push(Hop::Internet);
    let (subnet, last) = match dst {
        End::Instance(i) => (model.instance(*i).subnet, Some(Hop::Instance(*i))),
        End::Subnet(s) => (*s, None),
        _ => return hops,
    };
    let Some(g) = model.vpc(model.subnet(subnet).vpc).internet_gateway else {
        return hops;
    };
    hops.push(Hop::InternetGateway(g));
    hops.push(Hop::Subnet(subnet));
    hops.extend(last);
    hops
}

/// Delivery inside VPC `v` to the subnet holding the queried address.
fn deliver(model: &Model, v: VpcId, query: Query, dst: &End, hops: &mut Vec<Hop>) {
    let Query::Address(addr) = query else { return };
    let Some(s) = model
        .vpc(v)
        .subnets
        .iter()
        .copied()
        .find(|s| model.subnet(*s).cidr.contains(&addr))
    else {
        return;
    };
    if hops.last() != Some(&Hop::Subnet(s)) {
        hops.push(Hop::Subnet(s));
    }
    match dst {
        End::Instance(i) if model.instance(*i).subnet == s => hops.push(Hop::Instance(*i)),
        End::InterfaceEndpoint(e) => hops.push(Hop::EndpointInterface(*e, s)),
        _ => {}
    }
}

fn interfaces(model: &Model, e: EndpointId) -> Vec<(SubnetId, Ipv4Addr)> {
    match &model.endpoint(e).kind {
        EndpointKind::Interface { interfaces, .. } => {
            interfaces.iter().map(|x| (x.subnet, x.address)).collect()
        }
        EndpointKind::Gateway { .. } => Vec::new(),
    }
}

/// An interface endpoint for `svc` in `vpc` whose private DNS answers for
/// the service, and the interface to use (the source's subnet first).
fn private_endpoint(
    model: &Model,
    vpc: VpcId,
    svc: &str,
    from: SubnetId,
) -> Option<(EndpointId, SubnetId)> {
    let v = model.vpc(vpc);
    if !(v.dns_support && v.dns_hostnames && v.dhcp.uses_amazon_dns()) {
        return None;
    }
    model
        .endpoints
        .iter()
        .enumerate()
        .find_map(|(e, ep)| match &ep.kind {
            EndpointKind::Interface {
                interfaces,
                private_dns: true,
                ..
            } if ep.vpc == vpc && ep.service == svc => {
                let x = interfaces
                    .iter()
                    .find(|x| x.subnet == from)
                    .or(interfaces.first())?;
                Some((EndpointId(e as u32), x.subnet))
            }
            _ => None,
        })
}
