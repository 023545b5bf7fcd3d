//! Which flows a change can affect, so that `diff` walks only those.
//!
//! A flow between a source and a destination meets only the components of
//! the two ends' VPCs: the source's groups, subnet, ACL and route table; the
//! gateways, NATs, appliances and endpoints its VPC routes through; the
//! peering to the destination's VPC; the destination's subnet, ACL, route
//! table (for the return) and groups. Peering is not transitive, and the
//! internet, an external or a service is reached from the source's own VPC,
//! so no third VPC is ever on the path.
//!
//! So from the resources that changed ([`super::resources::changes`], the
//! one comparison of two models) this module derives a set of instances,
//! and a flow can change only when one of its ends is among them:
//!
//! - an instance that changed (address, subnet, groups, public IP,
//!   source/destination check);
//! - the instances of a subnet that changed, or whose route table or ACL
//!   changed, and the members of a security group that changed;
//! - every instance of a VPC where the change is to something other
//!   subnets' traffic passes through: the VPC itself (blocks, DNS, DHCP),
//!   its internet gateway, NAT gateways, endpoints and peerings, an instance
//!   some route targets, or the subnet, table, ACL or group of such a
//!   transit point (a NAT's or appliance's subnet, an endpoint's interface).
//!
//! A change to an external or the region can move the internet's address
//! space itself, so it makes every flow a candidate.
//!
//! **Invariant:** the flows outside the scope are the same in both models;
//! `tests/diff.rs` checks the incremental diff against the full one on
//! random edits of generated networks.

use std::collections::BTreeSet;

use super::resources::ResourceChange;
use crate::model::{EndpointKind, InstanceId, Model, SubnetId};
use crate::report::Focus;
use crate::syntax::ast::ProtocolKind;

/// The flows a diff must recompute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Every flow.
    All,
    /// The flows from one of the `from` instances or to one of the `to`
    /// instances (by name). A change that decides both directions puts an
    /// instance in both; a security group's ingress rules decide only
    /// what reaches its members (security groups are stateful: the return
    /// of a flow its members open is allowed whatever the ingress rules
    /// say), its egress rules only what they open.
    Instances {
        from: BTreeSet<String>,
        to: BTreeSet<String>,
    },
}

impl Scope {
    /// Whether every flow from this member is in the scope.
    pub fn covers_from(&self, from: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Instances { from: f, .. } => f.contains(from),
        }
    }

    /// Whether every flow to this member is in the scope.
    pub fn covers_to(&self, to: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Instances { to: t, .. } => t.contains(to),
        }
    }

    /// Whether a row whose members are these can hold a flow in the scope
    /// whatever the column.
    pub fn covers_row(&self, members: &[String]) -> bool {
        match self {
            Scope::All => true,
            Scope::Instances { from, .. } => members.iter().any(|n| from.contains(n)),
        }
    }

    /// Whether a column whose members are these can hold a flow in the
    /// scope whatever the row.
    pub fn covers_column(&self, members: &[String]) -> bool {
        match self {
            Scope::All => true,
            Scope::Instances { to, .. } => members.iter().any(|n| to.contains(n)),
        }
    }
}

/// Which directions of its members' flows a change to a resource decides.
#[derive(Clone, Copy)]
enum Sides {
    Both,
    /// Only the flows its members open (egress rules).
    Outgoing,
    /// Only the flows to its members (ingress rules).
    Incoming,
}

/// A security group change that only touches ingress rules, or only egress
/// rules, decides one direction; anything else both.
fn sides(c: &ResourceChange) -> Sides {
    if c.kind != "security_group" || c.change != "changed" {
        return Sides::Both;
    }
    let facts = || c.added.iter().chain(&c.removed);
    if facts().all(|f| f.starts_with("ingress ")) {
        Sides::Incoming
    } else if facts().all(|f| f.starts_with("egress ")) {
        Sides::Outgoing
    } else {
        Sides::Both
    }
}

/// The scope of the change from `old` to `new`, whose resource changes are
/// `changes`.
pub fn of(old: &Model, new: &Model, changes: &[ResourceChange]) -> Scope {
    if old.region != new.region {
        return Scope::All;
    }
    let models = [Side::new(old), Side::new(new)];
    let mut vpcs: BTreeSet<String> = BTreeSet::new();
    let mut from: BTreeSet<String> = BTreeSet::new();
    let mut to: BTreeSet<String> = BTreeSet::new();
    for c in changes {
        let sides = sides(c);
        let mut add = |name: &str| {
            if !matches!(sides, Sides::Incoming) {
                from.insert(name.to_string());
            }
            if !matches!(sides, Sides::Outgoing) {
                to.insert(name.to_string());
            }
        };
        let vpc = || c.vpc.clone().into_iter();
        match c.kind.as_str() {
            // Routes and rules name a list, so its entries reach every
            // table and group that does: recompute everything.
            // A transit gateway joins many VPCs and on-premises networks
            // (its tables route between all of them): recompute everything.
            // A virtual private gateway's VPNs decide what on premises
            // reaches, and on premises is a source and destination of its
            // own: recompute everything, too.
            "external" | "prefix_list" | "transit_gateway" | "vpn_gateway" => return Scope::All,
            "expect" => {}
            "vpc" => {
                vpcs.insert(c.name.clone());
            }
            "internet_gateway" | "nat_gateway" | "endpoint" => vpcs.extend(vpc()),
            "peering" => {
                for s in &models {
                    if let Some(p) = s.m.peerings.iter().find(|p| p.name == c.name) {
                        vpcs.insert(s.m.vpc(p.a).name.clone());
                        vpcs.insert(s.m.vpc(p.b).name.clone());
                    }
                }
            }
            kind => {
                for s in &models {
                    let subnets = s.subnets_of(kind, &c.name);
                    let members = s.members_of(kind, &c.name);
                    let transit = subnets.iter().any(|x| s.transit_subnets.contains(x))
                        || members.iter().any(|i| s.transit_instances.contains(i))
                        || (kind == "security_group" && s.transit_groups.contains(&c.name));
                    if transit {
                        vpcs.extend(vpc());
                        continue;
                    }
                    for i in members {
                        add(&s.m.instance(i).name);
                    }
                    for (i, inst) in s.m.instances.iter().enumerate() {
                        if subnets.contains(&inst.subnet) {
                            add(&s.m.instance(InstanceId(i as u32)).name);
                        }
                    }
                }
            }
        }
    }
    // Allocated interface addresses are not resource facts: compare them.
    for e in &old.endpoints {
        if new
            .endpoints
            .iter()
            .find(|f| f.name == e.name)
            .map(|f| eni(new, f))
            != Some(eni(old, e))
        {
            vpcs.insert(old.vpc(e.vpc).name.clone());
        }
    }
    for s in &models {
        for inst in &s.m.instances {
            let vpc = &s.m.vpc(s.m.subnet(inst.subnet).vpc).name;
            if vpcs.contains(vpc) {
                from.insert(inst.name.clone());
                to.insert(inst.name.clone());
            }
        }
    }
    Scope::Instances { from, to }
}

/// A rule as a fact (its statement text) with its protocol and ports.
type RuleFact = (String, ProtocolKind, Option<(u16, u16)>);

/// The packets a change can treat differently: when every change is to
/// the rules of security groups that no translator or endpoint uses, only
/// the packets those rules match (added or removed) fare differently in
/// the two models; every other packet meets the same rules in both, on the
/// way there and (groups being stateful) back. Anything else: every packet.
pub fn focus(old: &Model, new: &Model, changes: &[ResourceChange]) -> Focus {
    let models = [Side::new(old), Side::new(new)];
    let mut focus = Focus::none();
    for c in changes {
        match (c.kind.as_str(), c.change.as_str()) {
            ("expect", _) => continue,
            ("security_group", "changed") => {}
            _ => return Focus::all(),
        }
        if models.iter().any(|s| s.transit_groups.contains(&c.name)) {
            return Focus::all();
        }
        // The group's rules in each model, as the facts `changes` lists.
        let rules = |m: &Model| -> Vec<RuleFact> {
            let Some(g) = m
                .security_groups
                .iter()
                .find(|g| g.name == c.name && c.vpc.as_deref() == Some(&m.vpc(g.vpc).name))
            else {
                return Vec::new();
            };
            let mut out: Vec<_> = g
                .rules
                .iter()
                .map(|r| (m.sg_rule_text(r), r.protocol, r.ports))
                .collect();
            if g.default_egress {
                out.push((String::new(), ProtocolKind::All, None));
            }
            out
        };
        let (a, b) = (rules(old), rules(new));
        for (fact, protocol, ports) in a.iter().chain(&b) {
            let in_a = a.iter().any(|r| r.0 == *fact);
            let in_b = b.iter().any(|r| r.0 == *fact);
            if in_a != in_b {
                focus.add(*protocol, *ports);
            }
        }
    }
    focus
}

/// An interface endpoint's interfaces as (subnet, address) text.
fn eni(m: &Model, e: &crate::model::Endpoint) -> Vec<(String, std::net::Ipv4Addr)> {
    match &e.kind {
        EndpointKind::Interface { interfaces, .. } => interfaces
            .iter()
            .map(|i| (m.subnet(i.subnet).name.clone(), i.address))
            .collect(),
        EndpointKind::Gateway { .. } => Vec::new(),
    }
}

/// One model with its transit points: where traffic between other
/// subnets passes.
struct Side<'m> {
    m: &'m Model,
    /// Subnets holding a NAT gateway, a route-target instance or an
    /// endpoint interface.
    transit_subnets: BTreeSet<SubnetId>,
    /// Instances some route targets.
    transit_instances: BTreeSet<InstanceId>,
    /// Groups of route-target instances and of interface endpoints.
    transit_groups: BTreeSet<String>,
}

impl<'m> Side<'m> {
    fn new(m: &'m Model) -> Side<'m> {
        let transit_instances = m.route_targets();
        let mut transit_subnets: BTreeSet<SubnetId> =
            m.nat_gateways.iter().map(|n| n.subnet).collect();
        let mut transit_groups: BTreeSet<String> = BTreeSet::new();
        for &i in &transit_instances {
            let inst = m.instance(i);
            transit_subnets.insert(inst.subnet);
            for g in &inst.security_groups {
                transit_groups.insert(m.security_group(*g).name.clone());
            }
        }
        for e in &m.endpoints {
            if let EndpointKind::Interface {
                interfaces,
                security_groups,
                ..
            } = &e.kind
            {
                transit_subnets.extend(interfaces.iter().map(|i| i.subnet));
                for g in security_groups {
                    transit_groups.insert(m.security_group(*g).name.clone());
                }
            }
        }
        Side {
            m,
            transit_subnets,
            transit_instances,
            transit_groups,
        }
    }

    /// The subnets whose traffic a resource of `kind` named `name` decides:
    /// the subnet itself, or the subnets using the table or ACL.
    fn subnets_of(&self, kind: &str, name: &str) -> BTreeSet<SubnetId> {
        let m = self.m;
        let ids = (0..m.subnets.len() as u32).map(SubnetId);
        match kind {
            "subnet" => ids.filter(|s| m.subnet(*s).name == name).collect(),
            "route_table" => ids
                .filter(|s| m.route_table(m.subnet(*s).route_table).name == name)
                .collect(),
            "network_acl" => ids
                .filter(|s| m.network_acl(m.subnet(*s).network_acl).name == name)
                .collect(),
            _ => BTreeSet::new(),
        }
    }

    /// The instances a resource of `kind` named `name` is or holds: the
    /// instance itself, or a group's members.
    fn members_of(&self, kind: &str, name: &str) -> Vec<InstanceId> {
        let m = self.m;
        let ids = (0..m.instances.len() as u32).map(InstanceId);
        match kind {
            "instance" => ids.filter(|i| m.instance(*i).name == name).collect(),
            "security_group" => ids
                .filter(|i| {
                    m.instance(*i)
                        .security_groups
                        .iter()
                        .any(|g| m.security_group(*g).name == name)
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}
