//! AST → layout tree: each statement becomes a [`Node`] with its head
//! printed on one line and its body, if it has braces, as child nodes.
//!
//! Literals (CIDRs, addresses, ports, rule numbers) are printed as written,
//! taken from the source by span, so formatting never changes a value or
//! how it is spelled.

use super::comments::{blank_before, open_brace};
use super::{Block, Group, Node};
use crate::source::Span;
use crate::syntax::ast::*;

pub(super) struct Builder<'a> {
    pub src: &'a str,
}

impl Builder<'_> {
    fn text(&self, span: Span) -> &str {
        &self.src[span.range()]
    }

    /// A statement without braces.
    fn leaf(&self, span: Span, group: Group, head: String) -> Node {
        Node::new(
            span,
            group,
            head,
            None,
            blank_before(self.src, span.start as usize),
        )
    }

    /// A statement with braces (when `has_body`) around `children`.
    fn block(
        &self,
        span: Span,
        group: Group,
        head: String,
        has_body: bool,
        children: Vec<Node>,
    ) -> Node {
        let body = if has_body {
            let open = open_brace(self.src, span.start as usize, span.end as usize);
            let Some(open) = open else {
                unreachable!("a statement with a body has an opening brace")
            };
            Some(Block::new(Some(open), children))
        } else {
            None
        };
        Node::new(
            span,
            group,
            head,
            body,
            blank_before(self.src, span.start as usize),
        )
    }

    pub fn file(&self, file: &File) -> Vec<Node> {
        file.items.iter().map(|i| self.item(i)).collect()
    }

    fn item(&self, item: &Item) -> Node {
        match item {
            Item::Region(r) => self.leaf(
                r.span,
                Group::Kind("region"),
                format!("region {}", r.name.text),
            ),
            Item::External(e) => {
                let cidrs: Vec<&str> = e.cidrs.iter().map(|c| self.text(c.span)).collect();
                let on_premises = if e.on_premises.is_some() {
                    " on_premises"
                } else {
                    ""
                };
                self.leaf(
                    e.span,
                    Group::Kind("external"),
                    format!("external {} {}{on_premises}", e.name.text, cidrs.join(", ")),
                )
            }
            Item::PrefixList(l) => {
                let entries: Vec<&str> = l.entries.iter().map(|c| self.text(c.span)).collect();
                self.leaf(
                    l.span,
                    Group::Kind("prefix_list"),
                    format!(
                        "prefix_list {} [{}] max_entries {}",
                        l.name.text,
                        entries.join(", "),
                        self.text(l.max_entries_span)
                    ),
                )
            }
            Item::Vpc(v) => {
                let children = v.items.iter().map(|i| self.vpc_item(i)).collect();
                let head = format!("vpc {} {}", v.name.text, self.text(v.cidr.span));
                self.block(v.span, Group::Kind("vpc"), head, v.has_body, children)
            }
            Item::Peering(p) => {
                let head = format!("peering {} {} {}", p.name.text, p.a.text, p.b.text);
                self.leaf(p.span, Group::Kind("peering"), head)
            }
            Item::TransitGateway(t) => {
                let children = t.items.iter().map(|i| self.tgw_item(i)).collect();
                let head = format!("transit_gateway {}", t.name.text);
                self.block(t.span, Group::Kind("transit_gateway"), head, true, children)
            }
            Item::Expect(e) => self.leaf(e.span, Group::Kind("expect"), self.expect(e)),
        }
    }

    fn tgw_item(&self, item: &TgwItem) -> Node {
        match item {
            TgwItem::RouteTable(t) => {
                let children = t
                    .items
                    .iter()
                    .map(|i| match i {
                        TgwTableItem::Propagate(l, sp) => {
                            self.leaf(*sp, Group::Inner, format!("propagate {}", list(l)))
                        }
                        TgwTableItem::Route(r) => self.route(r),
                    })
                    .collect();
                let head = format!("route_table {}", t.name.text);
                self.block(
                    t.span,
                    Group::Kind("route_table"),
                    head,
                    t.has_body,
                    children,
                )
            }
            TgwItem::SgReferencing(f, sp) => self.leaf(
                *sp,
                Group::Setting,
                flag("security_group_referencing", f, *sp),
            ),
            TgwItem::Attach(a) => self.leaf(
                a.span,
                Group::Kind("attach"),
                format!(
                    "attach {} vpc {} subnets {} route_table {}",
                    a.name.text,
                    a.vpc.text,
                    list(&a.subnets),
                    a.route_table.text
                ),
            ),
            TgwItem::Vpn(v) => {
                let head = self.vpn_head(&v.name, &v.to, &v.routes);
                self.leaf(
                    v.span,
                    Group::Kind("vpn"),
                    format!("{head} route_table {}", v.route_table.text),
                )
            }
        }
    }

    /// `vpn NAME to EXTERNAL routes [CIDR, ...]`, the CIDRs as written.
    fn vpn_head(&self, name: &Name, to: &Name, routes: &[Cidr]) -> String {
        let routes: Vec<&str> = routes.iter().map(|c| self.text(c.span)).collect();
        format!(
            "vpn {} to {} routes [{}]",
            name.text,
            to.text,
            routes.join(", ")
        )
    }

    fn expect(&self, e: &Expect) -> String {
        let mut s = format!(
            "expect {} {} reach {}",
            flow_end(&e.source),
            if e.can { "can" } else { "cannot" },
            flow_end(&e.destination)
        );
        if let Some(p) = e.protocol {
            s.push(' ');
            s.push_str(p.kind.as_str());
        }
        if let Some(p) = e.ports {
            s.push(' ');
            s.push_str(self.text(p.span));
        }
        if e.ipv6.is_some() {
            s.push_str(" ipv6");
        }
        if !e.via.is_empty() {
            s.push_str(" via ");
            s.push_str(&names(&e.via));
        }
        if e.privately.is_some() {
            s.push_str(" privately");
        }
        s
    }

    fn vpc_item(&self, item: &VpcItem) -> Node {
        match item {
            VpcItem::SecondaryCidr(c, sp) => {
                self.leaf(*sp, Group::Setting, format!("cidr {}", self.text(c.span)))
            }
            VpcItem::Ipv6Cidr(c, sp) => {
                self.leaf(*sp, Group::Setting, format!("ipv6 {}", self.text(c.span)))
            }
            VpcItem::DnsSupport(f, sp) => {
                self.leaf(*sp, Group::Setting, flag("dns_support", f, *sp))
            }
            VpcItem::DnsHostnames(f, sp) => {
                self.leaf(*sp, Group::Setting, flag("dns_hostnames", f, *sp))
            }
            VpcItem::DhcpOptions(d) => {
                let children = d.items.iter().map(|i| self.dhcp_item(i)).collect();
                self.block(
                    d.span,
                    Group::Setting,
                    "dhcp_options".to_string(),
                    true,
                    children,
                )
            }
            VpcItem::InternetGateway(g) => self.leaf(
                g.span,
                Group::Setting,
                format!("internet_gateway {}", g.name.text),
            ),
            VpcItem::EgressOnlyGateway(g) => self.leaf(
                g.span,
                Group::Setting,
                format!("egress_only_internet_gateway {}", g.name.text),
            ),
            VpcItem::VpnGateway(g) => {
                let children = g
                    .vpns
                    .iter()
                    .map(|v| {
                        let head = self.vpn_head(&v.name, &v.to, &v.routes);
                        self.leaf(v.span, Group::Inner, head)
                    })
                    .collect();
                self.block(
                    g.span,
                    Group::Kind("vpn_gateway"),
                    format!("vpn_gateway {}", g.name.text),
                    g.has_body,
                    children,
                )
            }
            VpcItem::Subnet(s) => self.subnet(s),
            VpcItem::RouteTable(t) => {
                let mut head = format!("route_table {}", t.name.text);
                if t.main.is_some() {
                    head.push_str(" main");
                }
                // `propagate` and routes in source order.
                let mut children: Vec<(u32, Node)> = t
                    .propagate
                    .iter()
                    .map(|(n, sp)| {
                        let leaf = self.leaf(*sp, Group::Inner, format!("propagate {}", n.text));
                        (sp.start, leaf)
                    })
                    .chain(t.routes.iter().map(|r| (r.span.start, self.route(r))))
                    .collect();
                children.sort_by_key(|(start, _)| *start);
                let children = children.into_iter().map(|(_, n)| n).collect();
                self.block(
                    t.span,
                    Group::Kind("route_table"),
                    head,
                    t.has_body,
                    children,
                )
            }
            VpcItem::Endpoint(e) => self.endpoint(e),
            VpcItem::SecurityGroup(g) => {
                let children = g.rules.iter().map(|r| self.sg_rule(r)).collect();
                let head = format!("security_group {}", g.name.text);
                self.block(
                    g.span,
                    Group::Kind("security_group"),
                    head,
                    g.has_body,
                    children,
                )
            }
            VpcItem::NetworkAcl(a) => {
                let children = a.rules.iter().map(|r| self.acl_rule(r)).collect();
                let head = format!("network_acl {}", a.name.text);
                self.block(
                    a.span,
                    Group::Kind("network_acl"),
                    head,
                    a.has_body,
                    children,
                )
            }
        }
    }

    fn dhcp_item(&self, item: &DhcpItem) -> Node {
        let head = match item {
            DhcpItem::DomainName(s, _) => format!("domain_name \"{s}\""),
            DhcpItem::NameServers(servers, _) => {
                let items: Vec<&str> = servers
                    .iter()
                    .map(|n| match n {
                        NameServer::AmazonProvidedDns(_) => "AmazonProvidedDNS",
                        NameServer::Address(a) => self.text(a.span),
                    })
                    .collect();
                format!("name_servers [{}]", items.join(", "))
            }
            DhcpItem::NtpServers(addrs, _) => {
                let items: Vec<&str> = addrs.iter().map(|a| self.text(a.span)).collect();
                format!("ntp_servers [{}]", items.join(", "))
            }
        };
        self.leaf(item.span(), Group::Inner, head)
    }

    fn subnet(&self, s: &Subnet) -> Node {
        let mut head = format!("subnet {} {}", s.name.text, self.text(s.cidr.span));
        if let Some(v6) = &s.ipv6 {
            head.push_str(" ipv6 ");
            head.push_str(self.text(v6.span));
        }
        if let Some(az) = &s.az {
            head.push_str(" az ");
            head.push_str(&az.text);
        }
        let children = s.items.iter().map(|i| self.subnet_item(i)).collect();
        self.block(s.span, Group::Kind("subnet"), head, s.has_body, children)
    }

    fn subnet_item(&self, item: &SubnetItem) -> Node {
        match item {
            SubnetItem::RouteTable(n, sp) => {
                self.leaf(*sp, Group::Inner, format!("route_table {}", n.text))
            }
            SubnetItem::NetworkAcl(n, sp) => {
                self.leaf(*sp, Group::Inner, format!("network_acl {}", n.text))
            }
            SubnetItem::PublicIpOnLaunch(f, sp) => {
                self.leaf(*sp, Group::Inner, flag("public_ip_on_launch", f, *sp))
            }
            SubnetItem::NatGateway(n) => {
                let private = if n.private.is_some() { " private" } else { "" };
                self.leaf(
                    n.span,
                    Group::Inner,
                    format!("nat_gateway {}{private}", n.name.text),
                )
            }
            SubnetItem::Instance(i) => {
                let mut head = format!("instance {}", i.name.text);
                if let Some(a) = i.address {
                    head.push(' ');
                    head.push_str(self.text(a.span));
                }
                if let Some(v6) = i.ipv6 {
                    head.push_str(" ipv6");
                    if let Some(a) = v6.addr {
                        head.push(' ');
                        head.push_str(self.text(a.span));
                    }
                }
                let children = i.items.iter().map(|p| self.instance_item(p)).collect();
                self.block(i.span, Group::Inner, head, i.has_body, children)
            }
        }
    }

    fn instance_item(&self, item: &InstanceItem) -> Node {
        let head = match item {
            InstanceItem::PublicIp(f, sp) => flag("public_ip", f, *sp),
            InstanceItem::SecurityGroups(l, _) => format!("security_groups {}", list(l)),
            InstanceItem::SourceDestCheck(f, sp) => flag("source_dest_check", f, *sp),
        };
        self.leaf(item.span(), Group::Inner, head)
    }

    fn route(&self, r: &Route) -> Node {
        let target = match &r.target {
            RouteTarget::Name(n) => n.text.as_str(),
            RouteTarget::Blackhole(_) => "blackhole",
        };
        self.leaf(
            r.span,
            Group::Inner,
            format!("route {} -> {target}", self.text(r.destination.span())),
        )
    }

    fn endpoint(&self, e: &Endpoint) -> Node {
        let (kind, children) = match &e.kind {
            EndpointKind::Gateway { items, .. } => (
                "gateway",
                items
                    .iter()
                    .map(|GatewayItem::RouteTables(l, sp)| {
                        self.leaf(*sp, Group::Inner, format!("route_tables {}", list(l)))
                    })
                    .collect(),
            ),
            EndpointKind::Interface { items, .. } => (
                "interface",
                items
                    .iter()
                    .map(|i| {
                        let head = match i {
                            InterfaceItem::Subnets(l, _) => format!("subnets {}", list(l)),
                            InterfaceItem::SecurityGroups(l, _) => {
                                format!("security_groups {}", list(l))
                            }
                            InterfaceItem::PrivateDns(f, sp) => flag("private_dns", f, *sp),
                        };
                        self.leaf(i.span(), Group::Inner, head)
                    })
                    .collect(),
            ),
        };
        let head = format!("endpoint {} {kind} {}", e.name.text, e.service.text);
        self.block(e.span, Group::Kind("endpoint"), head, e.has_body, children)
    }

    fn sg_rule(&self, r: &SgRule) -> Node {
        let (dir, word) = match r.direction {
            Direction::In => ("ingress", "from"),
            Direction::Out => ("egress", "to"),
        };
        let head = format!(
            "{dir} {}{} {word} {}",
            r.protocol.kind.as_str(),
            self.ports(r.ports),
            self.peer(&r.peer)
        );
        self.leaf(r.span, Group::Inner, head)
    }

    fn acl_rule(&self, r: &AclRule) -> Node {
        let (dir, word) = match r.direction {
            Direction::In => ("inbound", "from"),
            Direction::Out => ("outbound", "to"),
        };
        let head = format!(
            "{dir} {} {} {}{} {word} {}",
            self.text(r.number_span),
            if r.allow { "allow" } else { "deny" },
            r.protocol.kind.as_str(),
            self.ports(r.ports),
            self.peer(&r.peer)
        );
        self.leaf(r.span, Group::Inner, head)
    }

    /// ` PORTS` when written, else nothing.
    fn ports(&self, ports: Option<Ports>) -> String {
        ports.map_or_else(String::new, |p| format!(" {}", self.text(p.span)))
    }

    fn peer(&self, peer: &Peer) -> String {
        match peer {
            Peer::Internet(_) => "internet".to_string(),
            Peer::Service(s, _) => format!("service {}", s.text),
            Peer::Cidr(c) => self.text(c.span).to_string(),
            Peer::Cidr6(c) => self.text(c.span).to_string(),
            Peer::Name(n) => n.text.clone(),
        }
    }
}

/// A boolean property: bare when written bare (the flag's span is then the
/// keyword's, which starts the statement), else with its `on`/`off`.
fn flag(keyword: &str, f: &Flag, statement: Span) -> String {
    if f.span.start == statement.start {
        keyword.to_string()
    } else {
        format!("{keyword} {}", if f.value { "on" } else { "off" })
    }
}

fn flow_end(end: &FlowEnd) -> String {
    match end {
        FlowEnd::Internet(_) => "internet".to_string(),
        FlowEnd::Service(s, _) => format!("service {}", s.text),
        FlowEnd::Name(n) => n.text.clone(),
    }
}

fn names(names: &[Name]) -> String {
    names
        .iter()
        .map(|n| n.text.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn list(l: &NameList) -> String {
    format!("[{}]", names(&l.items))
}
