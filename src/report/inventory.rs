//! The reviewer's tables of a report: every security group and network
//! ACL with its rules, an inventory of what holds an address or joins
//! networks (interfaces, public addresses, NAT gateways, endpoints,
//! peerings), and each VPC's free address space with the first free block
//! of each size a subnet may have.
//!
//! The rules and the inventory are the route model's own JSON rows
//! ([`crate::emit::json`]), so the report and `vpcc routes --format json`
//! cannot disagree.

use ipnet::Ipv4Net;
use schemars::JsonSchema;
use serde::Serialize;

use crate::emit::json::{
    EndpointJson, InterfaceJson, NatGatewayJson, NetworkAclJson, PeeringJson, RouteModel,
    SecurityGroupJson,
};
use crate::model::Model;

/// What holds an address or joins networks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Inventory {
    /// Every network interface: instances, NAT gateways, endpoint ENIs.
    pub interfaces: Vec<InterfaceJson>,
    /// Instances with a public IPv4 address, by name.
    pub public_addresses: Vec<String>,
    pub nat_gateways: Vec<NatGatewayJson>,
    pub endpoints: Vec<EndpointJson>,
    pub peerings: Vec<PeeringJson>,
}

/// One VPC's unallocated addresses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FreeSpace {
    pub vpc: String,
    /// The VPC's blocks, primary first.
    pub cidrs: Vec<String>,
    /// Addresses in the VPC's blocks that no subnet covers.
    pub free_addresses: u64,
    /// For each subnet size AWS allows (/16 to /28) that fits a block, the
    /// first free aligned block of that size; sizes with no free block are
    /// left out.
    pub next_free: Vec<FreeBlock>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FreeBlock {
    pub prefix_len: u8,
    pub cidr: String,
}

/// A table of the rendered report: Markdown and HTML draw the same rows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// The `###` (Markdown) or `<h3>` (HTML) heading; empty for none.
    pub title: String,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// The reviewer's sections in order (`## Security groups`, `## Network
/// ACLs`, `## Inventory`, `## Free address space`), each a list of tables.
pub fn sections(r: &super::Report) -> Vec<(&'static str, Vec<Table>)> {
    use crate::emit::json::{ActionJson, EndpointKindJson, InterfaceKindJson, ProtocolJson};
    let proto = |p: ProtocolJson| match p {
        ProtocolJson::Tcp => "tcp",
        ProtocolJson::Udp => "udp",
        ProtocolJson::Icmp => "icmp",
        ProtocolJson::All => "all",
    };
    let ports = |p: &Option<String>| p.clone().unwrap_or_else(|| "all".to_string());
    let groups = r
        .security_groups
        .iter()
        .map(|g| {
            let default = if g.default { ", default" } else { "" };
            let mut rows = Vec::new();
            for (dir, rules) in [("ingress", &g.ingress), ("egress", &g.egress)] {
                for rule in rules {
                    let implicit = if rule.implicit { " (AWS default)" } else { "" };
                    rows.push(vec![
                        dir.to_string(),
                        proto(rule.protocol).to_string(),
                        ports(&rule.ports),
                        format!("{}{implicit}", rule.peer),
                    ]);
                }
            }
            Table {
                title: format!("`{}` (VPC `{}`{default})", g.name, g.vpc),
                header: vec!["Direction", "Protocol", "Ports", "Peer"],
                rows,
            }
        })
        .collect();
    let acls = r
        .network_acls
        .iter()
        .map(|a| {
            let default = if a.default { ", default" } else { "" };
            let mut rows = Vec::new();
            for (dir, rules) in [("inbound", &a.inbound), ("outbound", &a.outbound)] {
                for rule in rules {
                    let action = match rule.action {
                        ActionJson::Allow => "allow",
                        ActionJson::Deny => "deny",
                    };
                    rows.push(vec![
                        dir.to_string(),
                        rule.number.to_string(),
                        action.to_string(),
                        proto(rule.protocol).to_string(),
                        ports(&rule.ports),
                        rule.peer.clone(),
                    ]);
                }
                rows.push(vec![
                    dir.to_string(),
                    "*".to_string(),
                    "deny".to_string(),
                    "all".to_string(),
                    "all".to_string(),
                    "0.0.0.0/0 (AWS final rule)".to_string(),
                ]);
            }
            let subnets: Vec<String> = a.subnets.iter().map(|s| format!("`{s}`")).collect();
            let on = if subnets.is_empty() {
                "no subnet".to_string()
            } else {
                subnets.join(", ")
            };
            Table {
                title: format!("`{}` (VPC `{}`{default}): {on}", a.name, a.vpc),
                header: vec!["Direction", "Rule", "Action", "Protocol", "Ports", "Peer"],
                rows,
            }
        })
        .collect();
    let inv = &r.inventory;
    let interfaces = Table {
        title: "Interfaces".to_string(),
        header: vec!["Name", "Kind", "Subnet", "Private address", "Public IPv4"],
        rows: inv
            .interfaces
            .iter()
            .map(|i| {
                let kind = match i.kind {
                    InterfaceKindJson::Instance => "instance",
                    InterfaceKindJson::NatGateway => "NAT gateway",
                    InterfaceKindJson::InterfaceEndpoint => "interface endpoint",
                };
                let allocated = if i.address_written {
                    ""
                } else {
                    " (allocated)"
                };
                vec![
                    i.name.clone(),
                    kind.to_string(),
                    i.subnet.clone(),
                    format!("{}{allocated}", i.address),
                    if i.public_ip { "yes" } else { "no" }.to_string(),
                ]
            })
            .collect(),
    };
    let nats = Table {
        title: "NAT gateways".to_string(),
        header: vec!["Name", "Subnet", "Address", "Elastic IP"],
        rows: inv
            .nat_gateways
            .iter()
            .map(|n| {
                vec![
                    n.name.clone(),
                    n.subnet.clone(),
                    n.address.to_string(),
                    if n.elastic_ip {
                        "yes"
                    } else {
                        "no (private NAT)"
                    }
                    .to_string(),
                ]
            })
            .collect(),
    };
    let endpoints = Table {
        title: "Endpoints".to_string(),
        header: vec!["Name", "VPC", "Kind", "Service", "Where"],
        rows: inv
            .endpoints
            .iter()
            .map(|e| {
                let (kind, place) = match e.kind {
                    EndpointKindJson::Gateway => (
                        "gateway",
                        format!(
                            "route tables {}",
                            e.route_tables.clone().unwrap_or_default().join(", ")
                        ),
                    ),
                    EndpointKindJson::Interface => {
                        let subnets: Vec<String> = e
                            .interfaces
                            .iter()
                            .flatten()
                            .map(|i| format!("{} {}", i.subnet, i.address))
                            .collect();
                        let dns = if e.private_dns == Some(true) {
                            ", private DNS"
                        } else {
                            ""
                        };
                        ("interface", format!("{}{dns}", subnets.join(", ")))
                    }
                };
                vec![
                    e.name.clone(),
                    e.vpc.clone(),
                    kind.to_string(),
                    e.service_name.clone(),
                    place,
                ]
            })
            .collect(),
    };
    let peerings = Table {
        title: "Peerings".to_string(),
        header: vec!["Name", "VPCs"],
        rows: inv
            .peerings
            .iter()
            .map(|p| vec![p.name.clone(), p.vpcs.join(" ↔ ")])
            .collect(),
    };
    let inventory: Vec<Table> = [interfaces, nats, endpoints, peerings]
        .into_iter()
        .filter(|t| !t.rows.is_empty())
        .collect();
    let free = r
        .free_space
        .iter()
        .map(|f| {
            let rows = f
                .next_free
                .iter()
                .map(|b| vec![format!("/{}", b.prefix_len), b.cidr.clone()])
                .collect();
            Table {
                title: format!(
                    "`{}` ({}): {} addresses free",
                    f.vpc,
                    f.cidrs.join(", "),
                    f.free_addresses
                ),
                header: vec!["Size", "Next free block"],
                rows,
            }
        })
        .collect();
    vec![
        ("Security groups", groups),
        ("Network ACLs", acls),
        ("Inventory", inventory),
        ("Free address space", free),
    ]
}

/// The groups, the ACLs and the inventory, from the route model's rows.
pub fn tables(m: &Model) -> (Vec<SecurityGroupJson>, Vec<NetworkAclJson>, Inventory) {
    let rm = RouteModel::from_model(m);
    let public_addresses = m
        .instances
        .iter()
        .filter(|i| i.public_ip)
        .map(|i| i.name.clone())
        .collect();
    let inventory = Inventory {
        interfaces: rm.interfaces,
        public_addresses,
        nat_gateways: rm.nat_gateways,
        endpoints: rm.endpoints,
        peerings: rm.peerings,
    };
    (rm.security_groups, rm.network_acls, inventory)
}

/// Each VPC's free space, in model order.
pub fn free_space(m: &Model) -> Vec<FreeSpace> {
    m.vpcs
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let used: Vec<Ipv4Net> = m
                .subnets
                .iter()
                .filter(|s| s.vpc.index() == i)
                .map(|s| s.cidr)
                .collect();
            let gaps = gaps(&v.cidrs, &used);
            let free_addresses = gaps.iter().map(|(a, b)| b - a + 1).sum();
            let shortest = v.cidrs.iter().map(|c| c.prefix_len()).min().unwrap_or(28);
            let next_free = (shortest.max(16)..=28)
                .filter_map(|len| {
                    first_fit(&gaps, len).map(|cidr| FreeBlock {
                        prefix_len: len,
                        cidr: cidr.to_string(),
                    })
                })
                .collect();
            FreeSpace {
                vpc: v.name.clone(),
                cidrs: v.cidrs.iter().map(|c| c.to_string()).collect(),
                free_addresses,
                next_free,
            }
        })
        .collect()
}

/// The address ranges (inclusive, as u64) of `blocks` that no net of
/// `used` covers, ascending, in block order.
fn gaps(blocks: &[Ipv4Net], used: &[Ipv4Net]) -> Vec<(u64, u64)> {
    let range = |n: &Ipv4Net| {
        (
            u64::from(u32::from(n.network())),
            u64::from(u32::from(n.broadcast())),
        )
    };
    let mut taken: Vec<(u64, u64)> = used.iter().map(range).collect();
    taken.sort_unstable();
    let mut out = Vec::new();
    for block in blocks {
        let (start, end) = range(block);
        let mut at = start;
        for &(a, b) in taken.iter().filter(|(a, b)| *b >= start && *a <= end) {
            if a > at {
                out.push((at, a - 1));
            }
            at = at.max(b + 1);
        }
        if at <= end {
            out.push((at, end));
        }
    }
    out
}

/// The first aligned block of `len` inside one gap.
fn first_fit(gaps: &[(u64, u64)], len: u8) -> Option<Ipv4Net> {
    let size = 1u64 << (32 - u32::from(len));
    gaps.iter().find_map(|&(a, b)| {
        let start = a.div_ceil(size) * size;
        (start + size - 1 <= b)
            .then(|| u32::try_from(start).ok())
            .flatten()
            .and_then(|s| Ipv4Net::new(s.into(), len).ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(s: &str) -> Ipv4Net {
        s.parse().unwrap()
    }

    /// The first free block by brute force: every aligned candidate, in
    /// address order, checked against every used block.
    fn brute(blocks: &[Ipv4Net], used: &[Ipv4Net], len: u8) -> Option<Ipv4Net> {
        for b in blocks {
            if len < b.prefix_len() {
                continue;
            }
            let size = 1u64 << (32 - u32::from(len));
            let mut a = u64::from(u32::from(b.network()));
            let end = u64::from(u32::from(b.broadcast()));
            while a + size - 1 <= end {
                let cand = Ipv4Net::new(u32::try_from(a).unwrap().into(), len).unwrap();
                if !used
                    .iter()
                    .any(|u| u.contains(&cand.network()) || cand.contains(&u.network()))
                {
                    return Some(cand);
                }
                a += size;
            }
        }
        None
    }

    #[test]
    fn first_fit_matches_a_brute_force() {
        let blocks = [net("10.0.0.0/22"), net("10.9.0.0/24")];
        let used = [
            net("10.0.0.0/24"),
            net("10.0.1.16/28"),
            net("10.0.2.0/23"),
            net("10.9.0.0/25"),
        ];
        let g = gaps(&blocks, &used);
        for len in 22..=28 {
            assert_eq!(first_fit(&g, len), brute(&blocks, &used, len), "/{len}");
        }
        let free: u64 = g.iter().map(|(a, b)| b - a + 1).sum();
        assert_eq!(free, 1024 + 256 - 256 - 16 - 512 - 128);
        assert_eq!(first_fit(&g, 28), Some(net("10.0.1.0/28")));
        assert_eq!(first_fit(&g, 25), Some(net("10.0.1.128/25")));
        assert_eq!(first_fit(&g, 24), None);
    }

    #[test]
    fn a_full_vpc_has_no_free_block() {
        let blocks = [net("10.0.0.0/24")];
        let used = [net("10.0.0.0/25"), net("10.0.0.128/25")];
        let g = gaps(&blocks, &used);
        assert!(g.is_empty());
        assert_eq!(first_fit(&g, 28), None);
    }
}
