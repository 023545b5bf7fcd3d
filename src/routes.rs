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
//!
//! `text` renders tables and lookups for `vpcc routes`.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::model::{
    Destination, GatewayService, Model, Route, RouteOrigin, RouteTable, SubnetId, SubnetKind,
    Target, TgwRoute, TgwRouteTable,
};

/// The match-order key: longer prefixes first, AWS service prefix lists
/// just before the default route, then by address. A customer-managed
/// list's entry matches as its CIDR does, after a written CIDR route to the
/// same block (AWS: a static route beats a prefix-list route of the same
/// length); entries of two lists for one block keep their written order
/// (AWS picks one at random, W0612), since the sort is stable. A route
/// propagated from a virtual private gateway comes after both for the same
/// block (AWS: static, then prefix-list, then propagated routes).
fn sort_key(r: &Route) -> (u8, u32, u8) {
    let by_block = |n: Ipv4Net, tie: u8| {
        if n.prefix_len() > 0 {
            (32 - n.prefix_len(), u32::from(n.network()), tie)
        } else {
            (33, u32::from(n.network()), tie)
        }
    };
    match r.destination {
        Destination::Cidr(n) if r.origin == RouteOrigin::Propagated => by_block(n, 2),
        Destination::Cidr(n) => by_block(n, 0),
        Destination::ListEntry(_, n) => by_block(n, 1),
        Destination::PrefixList(s) => (32, 0, s as u8),
        // Not in `routes` (IPv6 routes have their own list and order).
        Destination::Cidr6(_) => (34, 0, 0),
    }
}

/// Sorts routes into match order.
pub fn sort(routes: &mut [Route]) {
    routes.sort_by_key(sort_key);
}

/// Sorts a transit gateway route table's routes into match order: the
/// longest prefix first; for the same prefix, static routes, then
/// prefix-list routes, then routes propagated from a VPC, then from a VPN
/// (AWS, "How transit gateways work", route evaluation order).
pub fn tgw_sort(routes: &mut [TgwRoute]) {
    routes.sort_by_key(|r| {
        let n = r.destination.net().unwrap_or_default();
        (
            32 - n.prefix_len(),
            u32::from(n.network()),
            r.origin,
            r.target,
        )
    });
}

/// The route a transit gateway table takes for `addr`: the first in match
/// order whose block contains it.
pub fn tgw_lookup(table: &TgwRouteTable, addr: Ipv4Addr) -> Option<usize> {
    table
        .routes
        .iter()
        .position(|r| r.destination.net().is_some_and(|n| n.contains(&addr)))
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
        (Destination::Cidr(n) | Destination::ListEntry(_, n), Query::Address(a)) => n.contains(&a),
        (
            Destination::Cidr(n) | Destination::ListEntry(_, n),
            Query::Service(_) | Query::Internet,
        ) => n.prefix_len() == 0,
        (Destination::PrefixList(s), Query::Service(t)) => s == t,
        (Destination::PrefixList(_), _) => false,
        // An IPv4 lookup never takes an IPv6 route.
        (Destination::Cidr6(_), _) => false,
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
    let dest = dest_text(model, route.destination);
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

/// `10.0.0.0/16`, `pl:s3`, or `10.50.0.0/16 (corp)` for an entry of the
/// prefix list `corp`.
pub fn dest_text(model: &Model, d: Destination) -> String {
    match d {
        Destination::Cidr(n) => n.to_string(),
        Destination::PrefixList(s) => format!("pl:{}", s.as_str()),
        Destination::ListEntry(l, n) => format!("{n} ({})", model.prefix_list(l).name),
        Destination::Cidr6(n) => n.to_string(),
    }
}

/// Whether `inner` lies inside `outer`.
pub fn within(outer: Ipv4Net, inner: Ipv4Net) -> bool {
    outer.contains(&inner)
}

/// The name AWS gives a gateway service: `S3`, `DynamoDB`.
pub fn service_title(s: GatewayService) -> &'static str {
    match s {
        GatewayService::S3 => "S3",
        GatewayService::DynamoDb => "DynamoDB",
    }
}

impl Query {
    /// Reads a lookup as the command line writes it: an IPv4 address,
    /// `pl:s3` / `pl:dynamodb` (or the bare service name), or `internet`.
    pub fn parse(text: &str) -> Option<Query> {
        let t = text.trim();
        if t == "internet" {
            return Some(Query::Internet);
        }
        if let Some(s) = GatewayService::parse(t.strip_prefix("pl:").unwrap_or(t)) {
            return Some(Query::Service(s));
        }
        t.parse::<Ipv4Addr>().ok().map(Query::Address)
    }

    /// The query as the command line writes it: `10.0.2.25`, `pl:s3`,
    /// `internet`.
    pub fn arg(self) -> String {
        match self {
            Query::Address(a) => a.to_string(),
            Query::Service(s) => format!("pl:{}", s.as_str()),
            Query::Internet => "internet".to_string(),
        }
    }

    /// The query in words: `10.0.2.25`, `S3 (pl:s3)`, `the internet`.
    pub fn text(self) -> String {
        match self {
            Query::Address(a) => a.to_string(),
            Query::Service(s) => format!("{} (pl:{})", service_title(s), s.as_str()),
            Query::Internet => "the internet".to_string(),
        }
    }
}

/// `10.0.0.0/16 → local`, `pl:s3 → s3-gw`.
pub fn route_text(model: &Model, r: &Route) -> String {
    format!(
        "{} → {}",
        dest_text(model, r.destination),
        model.target_name(r.target)
    )
}

fn prefix_len(d: Destination) -> Option<u8> {
    d.net().map(|n| n.prefix_len())
}

/// Why the chosen route of a lookup matched, in words:
/// "the longest prefix that contains 10.0.2.25".
pub fn chosen_reason(r: &Route, q: Query) -> String {
    match (r.destination, q) {
        (Destination::Cidr(n), Query::Address(a)) if n.prefix_len() == 0 => {
            format!("the default route: no more specific route contains {a}")
        }
        (Destination::Cidr(n), Query::Address(a)) => {
            format!("the longest prefix that contains {a} (/{})", n.prefix_len())
        }
        (Destination::ListEntry(_, n), Query::Address(a)) => {
            format!(
                "the longest prefix that contains {a} (/{}), an entry of a prefix list",
                n.prefix_len()
            )
        }
        (Destination::PrefixList(s), Query::Service(_)) => {
            format!(
                "{}'s prefix list, more specific than the default route",
                service_title(s)
            )
        }
        (Destination::Cidr(_) | Destination::ListEntry(..), Query::Service(s)) => format!(
            "the default route (the table has no pl:{} route)",
            s.as_str()
        ),
        _ => "the default route, the only route for internet destinations at large".to_string(),
    }
}

/// What happens to traffic that takes route `r`: "delivered inside the
/// VPC", "sent to NAT gateway `nat-a`", "dropped (blackhole)".
pub fn outcome(model: &Model, r: &Route) -> String {
    match r.target {
        Target::Local(v) => format!("delivered inside VPC `{}`", model.vpc(v).name),
        Target::Blackhole => "dropped (blackhole)".to_string(),
        t => format!("sent to {}", model.target_label(t)),
    }
}

/// Why route `r` lost a lookup that `winner` won (or that nothing won), in
/// the words a network engineer uses: "less specific than 10.0.2.0/24".
pub fn loser_reason(r: &Route, why: Loser, winner: Option<&Route>, q: Query) -> String {
    match why {
        Loser::LessSpecific => match (winner.map(|w| w.destination), prefix_len(r.destination)) {
            (Some(Destination::PrefixList(s)), _) => {
                format!(
                    "matches too, but less specific than {}'s prefix list pl:{}",
                    service_title(s),
                    s.as_str()
                )
            }
            (Some(Destination::Cidr(w) | Destination::ListEntry(_, w)), Some(len))
                if len < w.prefix_len() =>
            {
                format!(
                    "matches too, but less specific than {w} (/{len} < /{})",
                    w.prefix_len()
                )
            }
            (Some(Destination::Cidr(w)), _)
                if matches!(r.destination, Destination::ListEntry(..)) =>
            {
                format!(
                    "matches too, but the written route {w} beats a prefix list's entry for the same block"
                )
            }
            (Some(Destination::ListEntry(_, w)), _)
                if matches!(r.destination, Destination::ListEntry(..)) =>
            {
                format!(
                    "matches too, but another prefix list's entry for {w} is written first (AWS picks one at random, W0612)"
                )
            }
            (Some(Destination::Cidr(w) | Destination::ListEntry(_, w)), _) => {
                format!("matches too, but {w} comes first")
            }
            (Some(Destination::Cidr6(w)), _) => format!("matches too, but {w} comes first"),
            (None, _) => "matches".to_string(),
        },
        Loser::OtherService => match (r.destination, q) {
            (Destination::PrefixList(s), Query::Service(t)) => {
                format!(
                    "{}'s prefix list, not {}'s",
                    service_title(s),
                    service_title(t)
                )
            }
            _ => "a prefix list for another service".to_string(),
        },
        Loser::NoMatch => match (r.destination, q) {
            (Destination::Cidr(n) | Destination::ListEntry(_, n), Query::Address(a)) => {
                format!("{n} does not contain {a}")
            }
            (Destination::Cidr(n) | Destination::ListEntry(_, n), Query::Service(s)) => {
                format!(
                    "{n} is not one of {}'s public ranges (vpcc takes written CIDRs as disjoint from them)",
                    service_title(s)
                )
            }
            (Destination::Cidr(n) | Destination::ListEntry(_, n), Query::Internet) => {
                format!("covers only {n}, not internet destinations at large")
            }
            (Destination::PrefixList(s), Query::Address(_)) => {
                format!(
                    "{}'s prefix list, whose ranges vpcc does not know offline (ask with `--lookup pl:{}`)",
                    service_title(s),
                    s.as_str()
                )
            }
            (Destination::PrefixList(s), _) => format!(
                "{}'s prefix list covers only {} traffic",
                service_title(s),
                service_title(s)
            ),
            (Destination::Cidr6(n), _) => format!("{n} is an IPv6 block"),
        },
    }
}
