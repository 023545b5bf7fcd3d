//! Effective route tables: match order, route lookup and subnet kinds.
//!
//! Matching follows AWS (aws-facts.md §2): the longest prefix wins. A
//! gateway endpoint's prefix-list route (`pl:s3`) stands for the service's
//! public ranges, which are not known offline; vpcc treats them as more
//! specific than `0.0.0.0/0` and as disjoint from every CIDR the file
//! writes other than `0.0.0.0/0` (AWS: a static route wins only over an
//! overlapping prefix-list route of equal or lesser specificity, and no
//! file names S3's ranges). So traffic to `service s3` takes the `pl:s3`
//! route when the table has one, and the default route otherwise.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::{
    Destination, GatewayService, Model, Route, RouteTable, SubnetId, SubnetKind, Target,
};

/// The match-order key: longer prefixes first, prefix lists just before
/// the default route, then by address.
fn sort_key(r: &Route) -> (u8, u32, u8) {
    match r.destination {
        Destination::Cidr(n) if n.prefix_len() > 0 => {
            (32 - n.prefix_len(), u32::from(n.network()), 0)
        }
        Destination::PrefixList(s) => (32, 0, s as u8),
        Destination::Cidr(n) => (33, u32::from(n.network()), 0),
    }
}

/// Sorts routes into match order.
pub fn sort(routes: &mut [Route]) {
    routes.sort_by_key(sort_key);
}

/// What a lookup asks about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Query {
    Address(Ipv4Addr),
    /// A gateway service's prefix list.
    Service(GatewayService),
    /// Some address on the internet not covered by any more specific
    /// written route: the default route's business.
    Internet,
}

/// Why a route of the table did not decide a lookup.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loser {
    /// Its destination does not contain the queried address.
    NoMatch,
    /// It matches, but the winner's prefix is longer.
    LessSpecific,
    /// A prefix-list route for another service.
    OtherService,
}

/// The decision of one route table for one query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lookup {
    /// Index into the table's routes.
    pub chosen: Option<usize>,
    /// Every other route and why it lost.
    pub others: Vec<(usize, Loser)>,
}

/// Whether route `r` covers the query.
fn covers(r: &Route, q: Query) -> bool {
    match (r.destination, q) {
        (Destination::Cidr(n), Query::Address(a)) => n.contains(&a),
        (Destination::Cidr(n), Query::Service(_) | Query::Internet) => n.prefix_len() == 0,
        (Destination::PrefixList(s), Query::Service(t)) => s == t,
        (Destination::PrefixList(_), _) => false,
    }
}

/// Looks `q` up in `table`: the first covering route in match order wins.
pub fn lookup(table: &RouteTable, q: Query) -> Lookup {
    let chosen = table.routes.iter().position(|r| covers(r, q));
    let others = table
        .routes
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != chosen)
        .map(|(i, r)| {
            let why = if covers(r, q) {
                Loser::LessSpecific
            } else if matches!(
                (r.destination, q),
                (Destination::PrefixList(_), Query::Service(_))
            ) {
                Loser::OtherService
            } else {
                Loser::NoMatch
            };
            (i, why)
        })
        .collect();
    Lookup { chosen, others }
}

/// The route a default-route destination takes in a table.
fn internet_route(table: &RouteTable) -> Option<&Route> {
    lookup(table, Query::Internet)
        .chosen
        .map(|i| &table.routes[i])
}

/// Public, private or isolated, with the reason in words.
pub fn subnet_kind(model: &Model, id: SubnetId) -> (SubnetKind, String) {
    let subnet = model.subnet(id);
    let table = model.route_table(subnet.route_table);
    let Some(route) = internet_route(table) else {
        return (
            SubnetKind::Isolated,
            format!(
                "route table `{}` has no route for internet destinations",
                table.name
            ),
        );
    };
    let dest = dest_text(route.destination);
    match route.target {
        Target::InternetGateway(g) => (
            SubnetKind::Public,
            format!(
                "{dest} → internet gateway `{}`",
                model.internet_gateway(g).name
            ),
        ),
        Target::NatGateway(n) => {
            let nat = model.nat_gateway(n);
            if nat.private {
                return (
                    SubnetKind::Isolated,
                    format!(
                        "{dest} → private NAT gateway `{}`, which cannot reach the internet",
                        nat.name
                    ),
                );
            }
            match egress_via_igw(model, nat.subnet) {
                true => (
                    SubnetKind::Private,
                    format!("{dest} → NAT gateway `{}`", nat.name),
                ),
                false => (
                    SubnetKind::Isolated,
                    format!(
                        "{dest} → NAT gateway `{}`, but its subnet `{}` has no route to an internet gateway",
                        nat.name,
                        model.subnet(nat.subnet).name
                    ),
                ),
            }
        }
        Target::Instance(i) => {
            let inst = model.instance(i);
            if inst.source_dest_check {
                (
                    SubnetKind::Isolated,
                    format!(
                        "{dest} → instance `{}`, which drops forwarded traffic (source_dest_check on)",
                        inst.name
                    ),
                )
            } else if !inst.public_ip || !egress_via_igw(model, inst.subnet) {
                (
                    SubnetKind::Isolated,
                    format!(
                        "{dest} → instance `{}`, which has no public address and route to an internet gateway",
                        inst.name
                    ),
                )
            } else {
                (
                    SubnetKind::Private,
                    format!("{dest} → NAT instance `{}`", inst.name),
                )
            }
        }
        t => (
            SubnetKind::Isolated,
            format!(
                "{dest} → {}, not an internet gateway or NAT",
                model.target_label(t)
            ),
        ),
    }
}

/// Whether a subnet's table sends internet destinations to an internet
/// gateway.
pub fn egress_via_igw(model: &Model, subnet: SubnetId) -> bool {
    let table = model.route_table(model.subnet(subnet).route_table);
    internet_route(table).is_some_and(|r| matches!(r.target, Target::InternetGateway(_)))
}

/// `10.0.0.0/16` or `pl:s3`.
pub fn dest_text(d: Destination) -> String {
    match d {
        Destination::Cidr(n) => n.to_string(),
        Destination::PrefixList(s) => format!("pl:{}", s.as_str()),
    }
}

/// Whether `inner` lies inside `outer`.
pub fn within(outer: Ipv4Net, inner: Ipv4Net) -> bool {
    outer.contains(&inner)
}
