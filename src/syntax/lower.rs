//! Lowering: pest pairs → AST, one function per grammar rule.
//!
//! The grammar guarantees the shape of every pair, so a mismatch is a bug in
//! this file and says which rule it was lowering. Literal values (octets,
//! prefix lengths, IPv6) are validated here and reported as E0101; all of
//! them are collected before giving up.

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};
use pest::iterators::{Pair, Pairs};

use super::ast::*;
use super::grammar::Rule;
use crate::diag::{Code, Diagnostic};
use crate::source::Span;

pub(super) struct Lower {
    pub diagnostics: Vec<Diagnostic>,
}

/// The pair's span, ending at its last token. pest lets a rule that ends
/// in an absent optional part (`expect ... [privately]`, `subnet ...
/// [{ }]`) take the whitespace and comments after it; a span never does.
fn span(pair: &Pair<'_, Rule>) -> Span {
    Span::new(pair.as_span().start(), last_token_end(pair))
}

/// Where a pair's last token ends. After its last inner pair a pair holds
/// only trivia and literal tokens (`}`, `]`, `,`): no string, so a `#`
/// there always starts a comment. Atomic rules have no inner pairs and no
/// trivia, nor has a bracketed list or body without inner pairs.
fn last_token_end(pair: &Pair<'_, Rule>) -> usize {
    let Some(last) = pair.clone().into_inner().last() else {
        return pair.as_span().end();
    };
    let from = last.as_span().end();
    let rest = pair
        .get_input()
        .as_bytes()
        .get(from..pair.as_span().end())
        .unwrap_or_default();
    let mut end = last_token_end(&last);
    let mut i = 0;
    while let Some(&b) = rest.get(i) {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            0xEF if rest.get(i..i + 3) == Some(&[0xEF, 0xBB, 0xBF]) => i += 3,
            b'#' => {
                i += rest
                    .get(i..)
                    .and_then(|r| r.iter().position(|&c| c == b'\n'))
                    .unwrap_or(rest.len() - i)
            }
            _ => {
                i += 1;
                end = from + i;
            }
        }
    }
    end
}

/// Whether a declaration's span ends with its body's closing brace.
fn ends_with_brace(pair: &Pair<'_, Rule>, sp: &Span) -> bool {
    pair.as_str()
        .get(..(sp.end - sp.start) as usize)
        .is_some_and(|t| t.ends_with('}'))
}

/// Takes the next pair, which the grammar guarantees to exist.
fn next<'a>(pairs: &mut Pairs<'a, Rule>, rule: &str) -> Pair<'a, Rule> {
    match pairs.next() {
        Some(p) => p,
        None => unreachable!("grammar guarantees more children in `{rule}`"),
    }
}

fn unexpected(pair: &Pair<'_, Rule>, rule: &str) -> ! {
    unreachable!("unexpected {:?} in `{rule}`", pair.as_rule())
}

fn name(pair: Pair<'_, Rule>) -> Name {
    Name {
        text: pair.as_str().to_string(),
        span: span(&pair),
    }
}

/// Parses a decimal that the grammar guarantees to be digits; values too
/// large for `u32` saturate so that range checks report them.
fn int(text: &str) -> u32 {
    text.parse::<u64>()
        .map_or(u32::MAX, |n| u32::try_from(n).unwrap_or(u32::MAX))
}

impl Lower {
    pub fn file(&mut self, pair: Pair<'_, Rule>) -> File {
        let mut items = Vec::new();
        for p in pair.into_inner() {
            let item = match p.as_rule() {
                Rule::region_stmt => Item::Region(self.region(p)),
                Rule::external_stmt => Item::External(self.external(p)),
                Rule::prefix_list_stmt => Item::PrefixList(self.prefix_list(p)),
                Rule::vpc_stmt => Item::Vpc(self.vpc(p)),
                Rule::peering_stmt => Item::Peering(self.peering(p)),
                Rule::transit_gateway_stmt => Item::TransitGateway(self.transit_gateway(p)),
                Rule::expect_stmt => Item::Expect(self.expect(p)),
                Rule::EOI => continue,
                _ => unexpected(&p, "file"),
            };
            items.push(item);
        }
        File { items }
    }

    fn region(&mut self, pair: Pair<'_, Rule>) -> Region {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "region_stmt");
        Region {
            name: name(next(&mut it, "region_stmt")),
            span: sp,
        }
    }

    fn external(&mut self, pair: Pair<'_, Rule>) -> External {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "external_stmt");
        let n = name(next(&mut it, "external_stmt"));
        let mut cidrs = Vec::new();
        let mut on_premises = None;
        for p in it {
            match p.as_rule() {
                Rule::kw_on_premises => on_premises = Some(span(&p)),
                _ => cidrs.extend(self.cidr(p)),
            }
        }
        External {
            name: n,
            cidrs,
            on_premises,
            span: sp,
        }
    }

    fn transit_gateway(&mut self, pair: Pair<'_, Rule>) -> TransitGateway {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "transit_gateway_stmt");
        let n = name(next(&mut it, "transit_gateway_stmt"));
        let body = next(&mut it, "transit_gateway_stmt");
        let mut items = Vec::new();
        for p in body.into_inner() {
            let item = match p.as_rule() {
                Rule::tgw_route_table => TgwItem::RouteTable(self.tgw_route_table(p)),
                Rule::tgw_attach => TgwItem::Attach(tgw_attach(p)),
                Rule::tgw_vpn => TgwItem::Vpn(self.tgw_vpn(p)),
                Rule::tgw_sg_referencing => {
                    let sp = span(&p);
                    TgwItem::SgReferencing(flag(p), sp)
                }
                _ => unexpected(&p, "tgw_body"),
            };
            items.push(item);
        }
        TransitGateway {
            name: n,
            items,
            span: sp,
        }
    }

    fn tgw_route_table(&mut self, pair: Pair<'_, Rule>) -> TgwRouteTable {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "tgw_route_table");
        let n = name(next(&mut it, "tgw_route_table"));
        let mut items = Vec::new();
        let mut has_body = false;
        if let Some(body) = it.next() {
            has_body = true;
            for p in body.into_inner() {
                match p.as_rule() {
                    Rule::propagate => {
                        let psp = span(&p);
                        items.push(TgwTableItem::Propagate(name_list_of(p, "propagate"), psp));
                    }
                    Rule::route => {
                        if let Some(r) = self.route(p) {
                            if let RouteDestination::Cidr6(c) = &r.destination {
                                // IPv6 through transit gateways: not yet.
                                self.ipv6(c.span, &c.net.to_string());
                            } else {
                                items.push(TgwTableItem::Route(r));
                            }
                        }
                    }
                    _ => unexpected(&p, "tgw_route_table_body"),
                }
            }
        }
        TgwRouteTable {
            name: n,
            items,
            has_body,
            span: sp,
        }
    }

    fn tgw_vpn(&mut self, pair: Pair<'_, Rule>) -> TgwVpn {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let c = self.vpn_head(&mut it, sp, "tgw_vpn");
        let _kw = next(&mut it, "tgw_vpn");
        let route_table = name(next(&mut it, "tgw_vpn"));
        TgwVpn {
            name: c.name,
            to: c.to,
            routes: c.routes,
            routes_span: c.routes_span,
            route_table,
            span: sp,
        }
    }

    /// `vpn NAME to EXTERNAL routes [CIDR, ...]`, the start of both kinds
    /// of VPN statement, from `it` (spanning `sp`).
    fn vpn_head(
        &mut self,
        it: &mut pest::iterators::Pairs<'_, Rule>,
        sp: Span,
        rule: &str,
    ) -> VgwVpn {
        let _kw = next(it, rule);
        let n = name(next(it, rule));
        let _kw = next(it, rule);
        let to = name(next(it, rule));
        let _kw = next(it, rule);
        let list = next(it, rule);
        let routes_span = span(&list);
        let routes = list.into_inner().filter_map(|p| self.cidr(p)).collect();
        VgwVpn {
            name: n,
            to,
            routes,
            routes_span,
            span: sp,
        }
    }

    fn vpn_gateway(&mut self, pair: Pair<'_, Rule>) -> VpnGateway {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "vpn_gateway");
        let n = name(next(&mut it, "vpn_gateway"));
        let mut vpns = Vec::new();
        let mut has_body = false;
        if let Some(body) = it.next() {
            has_body = true;
            for p in body.into_inner() {
                match p.as_rule() {
                    Rule::vgw_vpn => vpns.push(self.vgw_vpn(p)),
                    _ => unexpected(&p, "vgw_body"),
                }
            }
        }
        VpnGateway {
            name: n,
            vpns,
            has_body,
            span: sp,
        }
    }

    fn vgw_vpn(&mut self, pair: Pair<'_, Rule>) -> VgwVpn {
        let sp = span(&pair);
        self.vpn_head(&mut pair.into_inner(), sp, "vgw_vpn")
    }

    fn prefix_list(&mut self, pair: Pair<'_, Rule>) -> PrefixList {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "prefix_list_stmt");
        let n = name(next(&mut it, "prefix_list_stmt"));
        let list = next(&mut it, "prefix_list_stmt");
        let entries_span = span(&list);
        let entries = list.into_inner().filter_map(|p| self.cidr(p)).collect();
        let _kw = next(&mut it, "prefix_list_stmt");
        let max = next(&mut it, "prefix_list_stmt");
        PrefixList {
            name: n,
            entries,
            entries_span,
            max_entries: int(max.as_str()),
            max_entries_span: span(&max),
            span: sp,
        }
    }

    fn peering(&mut self, pair: Pair<'_, Rule>) -> Peering {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "peering_stmt");
        let n = name(next(&mut it, "peering_stmt"));
        let a = name(next(&mut it, "peering_stmt"));
        let b = name(next(&mut it, "peering_stmt"));
        Peering {
            name: n,
            a,
            b,
            span: sp,
        }
    }

    fn vpc(&mut self, pair: Pair<'_, Rule>) -> Vpc {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "vpc_stmt");
        let n = name(next(&mut it, "vpc_stmt"));
        let cidr = self.cidr_or_default(next(&mut it, "vpc_stmt"));
        let mut items = Vec::new();
        let mut has_body = false;
        if let Some(body) = it.next() {
            has_body = true;
            for p in body.into_inner() {
                items.push(self.vpc_item(p));
            }
        }
        Vpc {
            name: n,
            cidr,
            items,
            has_body,
            span: sp,
        }
    }

    fn vpc_item(&mut self, pair: Pair<'_, Rule>) -> VpcItem {
        let sp = span(&pair);
        match pair.as_rule() {
            Rule::secondary_cidr => {
                let mut it = pair.into_inner();
                let _kw = next(&mut it, "secondary_cidr");
                VpcItem::SecondaryCidr(self.cidr_or_default(next(&mut it, "secondary_cidr")), sp)
            }
            Rule::ipv6_block => VpcItem::Ipv6Cidr(self.ipv6_block(pair), sp),
            Rule::dns_support => VpcItem::DnsSupport(flag(pair), sp),
            Rule::dns_hostnames => VpcItem::DnsHostnames(flag(pair), sp),
            Rule::dhcp_options => VpcItem::DhcpOptions(self.dhcp_options(pair)),
            Rule::internet_gateway => {
                let mut it = pair.into_inner();
                let _kw = next(&mut it, "internet_gateway");
                VpcItem::InternetGateway(InternetGateway {
                    name: name(next(&mut it, "internet_gateway")),
                    span: sp,
                })
            }
            Rule::egress_only_internet_gateway => VpcItem::EgressOnlyGateway(InternetGateway {
                name: second_name(pair, "egress_only_internet_gateway"),
                span: sp,
            }),
            Rule::vpn_gateway => VpcItem::VpnGateway(self.vpn_gateway(pair)),
            Rule::subnet => VpcItem::Subnet(self.subnet(pair)),
            Rule::route_table => VpcItem::RouteTable(self.route_table(pair)),
            Rule::endpoint => VpcItem::Endpoint(self.endpoint(pair)),
            Rule::security_group => VpcItem::SecurityGroup(self.security_group(pair)),
            Rule::network_acl => VpcItem::NetworkAcl(self.network_acl(pair)),
            _ => unexpected(&pair, "vpc_item"),
        }
    }

    fn dhcp_options(&mut self, pair: Pair<'_, Rule>) -> DhcpOptions {
        let sp = span(&pair);
        let mut items = Vec::new();
        for p in pair.into_inner().skip(1) {
            let isp = span(&p);
            let item = match p.as_rule() {
                Rule::domain_name => {
                    let mut it = p.into_inner();
                    let _kw = next(&mut it, "domain_name");
                    let s = next(&mut it, "domain_name").as_str();
                    DhcpItem::DomainName(s.trim_matches('"').to_string(), isp)
                }
                Rule::name_servers => {
                    let mut servers = Vec::new();
                    for ns in p.into_inner().skip(1) {
                        let inner = next(&mut ns.into_inner(), "name_server");
                        match inner.as_rule() {
                            Rule::kw_amazon_dns => {
                                servers.push(NameServer::AmazonProvidedDns(span(&inner)))
                            }
                            _ => {
                                if let Some(a) = self.address(inner) {
                                    servers.push(NameServer::Address(a));
                                }
                            }
                        }
                    }
                    DhcpItem::NameServers(servers, isp)
                }
                Rule::ntp_servers => {
                    let mut it = p.into_inner();
                    let _kw = next(&mut it, "ntp_servers");
                    let list = next(&mut it, "ntp_servers");
                    let addrs = list.into_inner().filter_map(|a| self.address(a)).collect();
                    DhcpItem::NtpServers(addrs, isp)
                }
                _ => unexpected(&p, "dhcp_options"),
            };
            items.push(item);
        }
        DhcpOptions { items, span: sp }
    }

    fn subnet(&mut self, pair: Pair<'_, Rule>) -> Subnet {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "subnet");
        let n = name(next(&mut it, "subnet"));
        let cidr = self.cidr_or_default(next(&mut it, "subnet"));
        let mut ipv6 = None;
        let mut az = None;
        let mut items = Vec::new();
        let mut has_body = false;
        for p in it {
            match p.as_rule() {
                Rule::ipv6_block => ipv6 = Some(self.ipv6_block(p)),
                Rule::az_clause => {
                    let mut inner = p.into_inner();
                    let _kw = next(&mut inner, "az_clause");
                    let z = next(&mut inner, "az_clause");
                    az = Some(Az {
                        text: z.as_str().to_string(),
                        span: span(&z),
                    });
                }
                Rule::subnet_body => {
                    has_body = true;
                    for s in p.into_inner() {
                        items.push(self.subnet_item(s));
                    }
                }
                _ => unexpected(&p, "subnet"),
            }
        }
        Subnet {
            name: n,
            cidr,
            ipv6,
            az,
            items,
            has_body,
            span: sp,
        }
    }

    fn subnet_item(&mut self, pair: Pair<'_, Rule>) -> SubnetItem {
        let sp = span(&pair);
        match pair.as_rule() {
            Rule::route_table_assoc => {
                SubnetItem::RouteTable(second_name(pair, "route_table_assoc"), sp)
            }
            Rule::network_acl_assoc => {
                SubnetItem::NetworkAcl(second_name(pair, "network_acl_assoc"), sp)
            }
            Rule::public_ip_on_launch => SubnetItem::PublicIpOnLaunch(flag(pair), sp),
            Rule::nat_gateway => {
                let mut it = pair.into_inner();
                let _kw = next(&mut it, "nat_gateway");
                let n = name(next(&mut it, "nat_gateway"));
                let private = it.next().map(|p| span(&p));
                SubnetItem::NatGateway(NatGateway {
                    name: n,
                    private,
                    span: sp,
                })
            }
            Rule::instance => SubnetItem::Instance(self.instance(pair)),
            _ => unexpected(&pair, "subnet_item"),
        }
    }

    fn instance(&mut self, pair: Pair<'_, Rule>) -> Instance {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "instance");
        let n = name(next(&mut it, "instance"));
        let mut address = None;
        let mut ipv6 = None;
        let mut items = Vec::new();
        let mut has_body = false;
        for p in it {
            match p.as_rule() {
                Rule::address => address = self.address(p),
                Rule::instance_ipv6 => {
                    let isp = span(&p);
                    let addr = p.into_inner().nth(1).and_then(|a| self.address6(a));
                    ipv6 = Some(InstanceIpv6 { addr, span: isp });
                }
                Rule::instance_body => {
                    has_body = true;
                    for i in p.into_inner() {
                        let isp = span(&i);
                        items.push(match i.as_rule() {
                            Rule::public_ip => InstanceItem::PublicIp(flag(i), isp),
                            Rule::security_groups => InstanceItem::SecurityGroups(
                                name_list_of(i, "security_groups"),
                                isp,
                            ),
                            Rule::source_dest_check => InstanceItem::SourceDestCheck(flag(i), isp),
                            _ => unexpected(&i, "instance_body"),
                        });
                    }
                }
                _ => unexpected(&p, "instance"),
            }
        }
        Instance {
            name: n,
            address,
            ipv6,
            items,
            has_body,
            span: sp,
        }
    }

    fn route_table(&mut self, pair: Pair<'_, Rule>) -> RouteTable {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "route_table");
        let n = name(next(&mut it, "route_table"));
        let mut main = None;
        let mut routes = Vec::new();
        let mut propagate = Vec::new();
        let mut has_body = false;
        for p in it {
            match p.as_rule() {
                Rule::kw_main => main = Some(span(&p)),
                Rule::route_table_body => {
                    has_body = true;
                    for r in p.into_inner() {
                        if r.as_rule() == Rule::vgw_propagate {
                            let psp = span(&r);
                            let mut inner = r.into_inner();
                            let _kw = next(&mut inner, "vgw_propagate");
                            propagate.push((name(next(&mut inner, "vgw_propagate")), psp));
                        } else if let Some(route) = self.route(r) {
                            routes.push(route);
                        }
                    }
                }
                _ => unexpected(&p, "route_table"),
            }
        }
        RouteTable {
            name: n,
            main,
            routes,
            propagate,
            has_body,
            span: sp,
        }
    }

    fn route(&mut self, pair: Pair<'_, Rule>) -> Option<Route> {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "route");
        let dest = next(&mut it, "route");
        let destination = match dest.as_rule() {
            Rule::cidr if is_ipv6(&dest) => self.cidr6(dest).map(RouteDestination::Cidr6),
            Rule::cidr => self.cidr(dest).map(RouteDestination::Cidr),
            Rule::name => Some(RouteDestination::PrefixList(name(dest))),
            _ => unexpected(&dest, "route"),
        };
        let target_pair = next(&mut next(&mut it, "route").into_inner(), "route_target");
        let target = match target_pair.as_rule() {
            Rule::kw_blackhole => RouteTarget::Blackhole(span(&target_pair)),
            Rule::name => RouteTarget::Name(name(target_pair)),
            _ => unexpected(&target_pair, "route_target"),
        };
        Some(Route {
            destination: destination?,
            target,
            span: sp,
        })
    }

    fn endpoint(&mut self, pair: Pair<'_, Rule>) -> Endpoint {
        let sp = span(&pair);
        let has_body = ends_with_brace(&pair, &sp);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "endpoint");
        let n = name(next(&mut it, "endpoint"));
        let kind_pair = next(&mut it, "endpoint");
        let is_gateway = kind_pair.as_rule() == Rule::gateway_kind;
        let mut inner = kind_pair.into_inner();
        let keyword = span(&next(&mut inner, "endpoint kind"));
        let svc = next(&mut inner, "endpoint kind");
        let service = ServiceName {
            text: svc.as_str().to_string(),
            span: span(&svc),
        };
        let rest: Vec<Pair<'_, Rule>> = inner.collect();
        let kind = if is_gateway {
            let items = rest
                .into_iter()
                .map(|p| {
                    let isp = span(&p);
                    match p.as_rule() {
                        Rule::route_tables => {
                            GatewayItem::RouteTables(name_list_of(p, "route_tables"), isp)
                        }
                        _ => unexpected(&p, "gateway_kind"),
                    }
                })
                .collect();
            EndpointKind::Gateway { keyword, items }
        } else {
            let items = rest
                .into_iter()
                .map(|p| {
                    let isp = span(&p);
                    match p.as_rule() {
                        Rule::subnets => InterfaceItem::Subnets(name_list_of(p, "subnets"), isp),
                        Rule::security_groups => {
                            InterfaceItem::SecurityGroups(name_list_of(p, "security_groups"), isp)
                        }
                        Rule::private_dns => InterfaceItem::PrivateDns(flag(p), isp),
                        _ => unexpected(&p, "interface_kind"),
                    }
                })
                .collect();
            EndpointKind::Interface { keyword, items }
        };
        Endpoint {
            name: n,
            service,
            kind,
            has_body,
            span: sp,
        }
    }

    fn security_group(&mut self, pair: Pair<'_, Rule>) -> SecurityGroup {
        let sp = span(&pair);
        let has_body = ends_with_brace(&pair, &sp);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "security_group");
        let n = name(next(&mut it, "security_group"));
        let mut rules = Vec::new();
        for r in it {
            if let Some(rule) = self.sg_rule(r) {
                rules.push(rule);
            }
        }
        SecurityGroup {
            name: n,
            rules,
            has_body,
            span: sp,
        }
    }

    fn sg_rule(&mut self, pair: Pair<'_, Rule>) -> Option<SgRule> {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let dir = next(&mut it, "sg_rule");
        let direction = if dir.as_rule() == Rule::kw_ingress {
            Direction::In
        } else {
            Direction::Out
        };
        let protocol = protocol(next(&mut it, "sg_rule"));
        let (ports, peer) = self.ports_and_peer(it, "sg_rule");
        Some(SgRule {
            direction,
            protocol,
            ports,
            peer: peer?,
            span: sp,
        })
    }

    fn network_acl(&mut self, pair: Pair<'_, Rule>) -> NetworkAcl {
        let sp = span(&pair);
        let has_body = ends_with_brace(&pair, &sp);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "network_acl");
        let n = name(next(&mut it, "network_acl"));
        let mut rules = Vec::new();
        for r in it {
            if let Some(rule) = self.acl_rule(r) {
                rules.push(rule);
            }
        }
        NetworkAcl {
            name: n,
            rules,
            has_body,
            span: sp,
        }
    }

    fn acl_rule(&mut self, pair: Pair<'_, Rule>) -> Option<AclRule> {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let dir = next(&mut it, "acl_rule");
        let direction = if dir.as_rule() == Rule::kw_inbound {
            Direction::In
        } else {
            Direction::Out
        };
        let num = next(&mut it, "acl_rule");
        let number = int(num.as_str());
        let number_span = span(&num);
        let action = next(&mut it, "acl_rule");
        let allow = next(&mut action.into_inner(), "acl_action").as_rule() == Rule::kw_allow;
        let protocol = protocol(next(&mut it, "acl_rule"));
        let (ports, peer) = self.ports_and_peer(it, "acl_rule");
        Some(AclRule {
            direction,
            number,
            number_span,
            allow,
            protocol,
            ports,
            peer: peer?,
            span: sp,
        })
    }

    /// The tail `[PORTS] from|to PEER` shared by security group and ACL rules.
    fn ports_and_peer(&mut self, it: Pairs<'_, Rule>, rule: &str) -> (Option<Ports>, Option<Peer>) {
        let mut ports_out = None;
        let mut peer_out = None;
        for p in it {
            match p.as_rule() {
                Rule::ports => ports_out = Some(ports(p)),
                Rule::kw_from | Rule::kw_to => {}
                Rule::peer => peer_out = self.peer(p),
                _ => unexpected(&p, rule),
            }
        }
        (ports_out, peer_out)
    }

    fn peer(&mut self, pair: Pair<'_, Rule>) -> Option<Peer> {
        let inner = next(&mut pair.into_inner(), "peer");
        Some(match inner.as_rule() {
            Rule::kw_internet => Peer::Internet(span(&inner)),
            Rule::service_ref => {
                let sp = span(&inner);
                Peer::Service(service_ref(inner), sp)
            }
            Rule::cidr if is_ipv6(&inner) => Peer::Cidr6(self.cidr6(inner)?),
            Rule::cidr => Peer::Cidr(self.cidr(inner)?),
            Rule::name => Peer::Name(name(inner)),
            _ => unexpected(&inner, "peer"),
        })
    }

    fn expect(&mut self, pair: Pair<'_, Rule>) -> Expect {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "expect_stmt");
        let source = flow_end(next(&mut it, "expect_stmt"));
        let can = next(&mut it, "expect_stmt").as_rule() == Rule::kw_can;
        let _reach = next(&mut it, "expect_stmt");
        let destination = flow_end(next(&mut it, "expect_stmt"));
        let mut e = Expect {
            source,
            can,
            destination,
            protocol: None,
            ports: None,
            via: Vec::new(),
            privately: None,
            ipv6: None,
            span: sp,
        };
        for p in it {
            match p.as_rule() {
                Rule::protocol => e.protocol = Some(protocol(p)),
                Rule::ports => e.ports = Some(ports(p)),
                Rule::via_clause => e.via = p.into_inner().skip(1).map(name).collect(),
                Rule::kw_privately => e.privately = Some(span(&p)),
                Rule::kw_ipv6 => e.ipv6 = Some(span(&p)),
                _ => unexpected(&p, "expect_stmt"),
            }
        }
        e
    }

    // --- literals -----------------------------------------------------------

    /// A `cidr` pair; `None` (with an E0101) when malformed.
    fn cidr(&mut self, pair: Pair<'_, Rule>) -> Option<Cidr> {
        let inner = next(&mut pair.into_inner(), "cidr");
        let sp = span(&inner);
        if inner.as_rule() == Rule::ipv6 {
            self.ipv6(sp, inner.as_str());
            return None;
        }
        let text = inner.as_str();
        let (addr_text, prefix_text) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let addr = self.octets(sp, addr_text)?;
        let Some(prefix_text) = prefix_text else {
            let help = format!(
                "add a prefix length, e.g. `{0}/24` for a block or `{0}/32` for this one address",
                shown(text)
            );
            self.missing_prefix(sp, text, help);
            return None;
        };
        let prefix = int(prefix_text);
        let prefix_start = sp.start as usize + addr_text.len() + 1;
        let prefix_span = Span::new(prefix_start, sp.end as usize);
        match u8::try_from(prefix)
            .ok()
            .and_then(|p| Ipv4Net::new(addr, p).ok())
        {
            Some(net) => {
                self.leading_zeros(sp, text, &format!("{addr}/{prefix}"));
                Some(Cidr { net, span: sp })
            }
            None => {
                self.prefix_out_of_range(prefix_span, prefix_text, "IPv4", 32);
                None
            }
        }
    }

    /// E0101 for a literal (`text` at `sp`) without the prefix length a
    /// CIDR needs.
    fn missing_prefix(&mut self, sp: Span, text: &str, help: String) {
        self.diagnostics.push(
            Diagnostic::new(
                Code::E0101,
                format!("`{}` is an address, but a CIDR is needed here", shown(text)),
                sp,
                "missing prefix length",
            )
            .with_help(help),
        );
    }

    /// E0101 for a prefix length above `max` for its `family`.
    fn prefix_out_of_range(&mut self, sp: Span, prefix_text: &str, family: &str, max: u8) {
        self.diagnostics.push(
            Diagnostic::new(
                Code::E0101,
                format!("prefix length /{} is out of range", shown(prefix_text)),
                sp,
                format!("not in 0–{max}"),
            )
            .with_note(format!(
                "an {family} prefix length is between /0 and /{max}"
            )),
        );
    }

    /// E0101 for an IPv4 literal (`text` at `sp`) where an IPv6 `what`
    /// (block or address) is asked for.
    fn ipv4_for_ipv6(&mut self, sp: Span, text: &str, what: &str, help: &str) {
        self.diagnostics.push(
            Diagnostic::new(
                Code::E0101,
                format!(
                    "`{}` is an IPv4 literal, but an IPv6 {what} is needed here",
                    shown(text)
                ),
                sp,
                if what == "block" {
                    "expected an IPv6 CIDR"
                } else {
                    "expected an IPv6 address"
                },
            )
            .with_help(help),
        );
    }

    /// `ipv6 CIDR`: the IPv6 block of a VPC or subnet. A bad literal is
    /// reported and replaced by `::/0`, as [`Self::cidr_or_default`] does.
    fn ipv6_block(&mut self, pair: Pair<'_, Rule>) -> Cidr6 {
        let sp = span(&pair);
        let mut it = pair.into_inner();
        let _kw = next(&mut it, "ipv6_block");
        let lit = next(&mut it, "ipv6_block");
        self.cidr6(lit).unwrap_or(Cidr6 {
            net: Ipv6Net::default(),
            span: sp,
        })
    }

    /// A `cidr` pair where an IPv6 block is asked for; `None` (with an
    /// E0101) when it is not one.
    fn cidr6(&mut self, pair: Pair<'_, Rule>) -> Option<Cidr6> {
        let inner = next(&mut pair.into_inner(), "cidr");
        let sp = span(&inner);
        let text = inner.as_str();
        if inner.as_rule() == Rule::ipv4 {
            self.ipv4_for_ipv6(sp, text, "block", "write the block AWS assigned, e.g. `2600:1f18:abcd:ef00::/56`; an IPv4 block goes before `ipv6` (a subnet's) or in `cidr` (a VPC's secondary block)");
            return None;
        }
        let Some((addr_text, prefix_text)) = text.split_once('/') else {
            let help = format!(
                "add a prefix length, e.g. `{}/56` for a VPC's block or `/64` for a subnet's",
                shown(text)
            );
            self.missing_prefix(sp, text, help);
            return None;
        };
        let addr = self.ipv6_addr(
            Span::new(sp.start as usize, sp.start as usize + addr_text.len()),
            addr_text,
        )?;
        let prefix_span = Span::new(sp.start as usize + addr_text.len() + 1, sp.end as usize);
        match u8::try_from(int(prefix_text))
            .ok()
            .and_then(|p| Ipv6Net::new(addr, p).ok())
        {
            Some(net) => Some(Cidr6 { net, span: sp }),
            None => {
                self.prefix_out_of_range(prefix_span, prefix_text, "IPv6", 128);
                None
            }
        }
    }

    /// An `address` pair where an IPv6 address is asked for.
    fn address6(&mut self, pair: Pair<'_, Rule>) -> Option<Address6> {
        let inner = next(&mut pair.into_inner(), "address");
        let sp = span(&inner);
        let text = inner.as_str();
        if inner.as_rule() == Rule::ipv4 {
            self.ipv4_for_ipv6(sp, text, "address", "write the IPv4 address before `ipv6`, and the IPv6 one after it, e.g. `instance web 10.0.1.10 ipv6 2600:1f18:abcd:ef01::10`");
            return None;
        }
        if self.cidr_for_address(sp, text) {
            return None;
        }
        let addr = self.ipv6_addr(sp, text)?;
        Some(Address6 { addr, span: sp })
    }

    /// E0101 when `text` (at `sp`), where one address is needed, is a
    /// CIDR; whether it was.
    fn cidr_for_address(&mut self, sp: Span, text: &str) -> bool {
        let Some((a, _)) = text.split_once('/') else {
            return false;
        };
        self.diagnostics.push(
            Diagnostic::new(
                Code::E0101,
                format!(
                    "`{}` is a CIDR, but a single address is needed here",
                    shown(text)
                ),
                sp,
                "expected an address",
            )
            .with_help(format!("write the address alone: `{a}`")),
        );
        true
    }

    /// The address part of an IPv6 literal, as RFC 4291 §2.2 writes it.
    fn ipv6_addr(&mut self, sp: Span, text: &str) -> Option<Ipv6Addr> {
        match text.parse::<Ipv6Addr>() {
            Ok(a) => Some(a),
            Err(_) => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::E0101,
                        format!("`{}` is not a valid IPv6 address", shown(text)),
                        sp,
                        "malformed IPv6 address",
                    )
                    .with_note("an IPv6 address is eight groups of one to four hex digits separated by `:`, one run of zero groups shortened to `::` at most, e.g. `2600:1f18:abcd:ef01::10`"),
                );
                None
            }
        }
    }

    /// A CIDR where the statement cannot be dropped: a bad literal is
    /// reported and replaced by its address as a /32 so that lowering can
    /// go on and report every bad literal. The file is not checked further
    /// once any E0101 exists, so the placeholder is never seen.
    fn cidr_or_default(&mut self, pair: Pair<'_, Rule>) -> Cidr {
        let sp = span(&pair);
        self.cidr(pair).unwrap_or(Cidr {
            net: Ipv4Net::default(),
            span: sp,
        })
    }

    /// An `address` pair; `None` (with an E0101) when malformed.
    fn address(&mut self, pair: Pair<'_, Rule>) -> Option<Address> {
        let inner = next(&mut pair.into_inner(), "address");
        let sp = span(&inner);
        if inner.as_rule() == Rule::ipv6 {
            self.ipv6(sp, inner.as_str());
            return None;
        }
        let text = inner.as_str();
        if self.cidr_for_address(sp, text) {
            return None;
        }
        let addr = self.octets(sp, text)?;
        self.leading_zeros(sp, text, &addr.to_string());
        Some(Address { addr, span: sp })
    }

    /// E0109 for a valid literal (`text`, at `sp`) with a leading zero in
    /// an octet or the prefix length (`010.1.0.0/016`); a lone `0` is not
    /// one. `decimal` is the literal as vpcc reads it, for the help.
    fn leading_zeros(&mut self, sp: Span, text: &str, decimal: &str) {
        let mut parts = Vec::new();
        let mut offset = sp.start as usize;
        for part in text.split(['.', '/']) {
            if part.len() > 1 && part.starts_with('0') {
                parts.push(Span::new(offset, offset + part.len()));
            }
            offset += part.len() + 1;
        }
        let Some(&first) = parts.first() else {
            return;
        };
        let mut d = Diagnostic::new(
            Code::E0109,
            format!("`{}` is ambiguous: it has a leading zero", shown(text)),
            first,
            "leading zero",
        );
        for &more in &parts[1..] {
            d = d.with_secondary(more, "leading zero");
        }
        self.diagnostics.push(
            d.with_note(
                "inet_aton and most tools read an octet with a leading zero as octal (`010` is 8), others as decimal; AWS is not consistent about it",
            )
            .with_help(format!("write it in decimal without leading zeros: `{decimal}`")),
        );
    }

    fn octets(&mut self, sp: Span, text: &str) -> Option<Ipv4Addr> {
        let mut octets = [0u8; 4];
        let mut offset = sp.start as usize;
        let mut ok = true;
        for (i, part) in text.split('.').enumerate() {
            let value = int(part);
            let part_span = Span::new(offset, offset + part.len());
            match u8::try_from(value) {
                Ok(v) if i < 4 => octets[i] = v,
                _ => {
                    ok = false;
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::E0101,
                            format!(
                                "octet `{}` is out of range in `{}`",
                                shown(part),
                                shown(text)
                            ),
                            part_span,
                            "not in 0–255",
                        )
                        .with_note(
                            "each of the four octets of an IPv4 address is between 0 and 255",
                        ),
                    );
                }
            }
            offset += part.len() + 1;
        }
        ok.then(|| Ipv4Addr::from(octets))
    }

    fn ipv6(&mut self, sp: Span, text: &str) {
        self.diagnostics.push(
            Diagnostic::new(
                Code::E0101,
                "IPv6 is not supported here yet",
                sp,
                format!("`{}` is an IPv6 literal", shown(text)),
            )
            .with_note(
                "vpcc models IPv6 blocks and addresses (`ipv6` on a VPC, a subnet or an instance), IPv6 routes of VPC route tables and IPv6 CIDRs in security group and ACL rules; IPv6 in externals, prefix lists, DHCP options and transit gateway tables is planned for a later version",
            )
            .with_help("describe the IPv4 side here; see docs/ipv6.md for what IPv6 vpcc models"),
        );
    }
}

/// A literal as quoted in a message: shortened past 40 characters, so that
/// a megabyte of digits does not make a megabyte of message (the label
/// still marks the whole span).
fn shown(text: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 40;
    match text.char_indices().nth(MAX) {
        None => std::borrow::Cow::Borrowed(text),
        Some((cut, _)) => std::borrow::Cow::Owned(format!("{}…", &text[..cut])),
    }
}

/// Whether a `cidr` or `address` pair holds an IPv6 literal.
fn is_ipv6(pair: &Pair<'_, Rule>) -> bool {
    pair.clone()
        .into_inner()
        .next()
        .is_some_and(|p| p.as_rule() == Rule::ipv6)
}

fn second_name(pair: Pair<'_, Rule>, rule: &str) -> Name {
    let mut it = pair.into_inner();
    let _kw = next(&mut it, rule);
    name(next(&mut it, rule))
}

/// A boolean property: `kw` alone (on), or `kw on|off`.
fn flag(pair: Pair<'_, Rule>) -> Flag {
    let mut it = pair.into_inner();
    let kw = next(&mut it, "boolean property");
    match it.next() {
        None => Flag {
            value: true,
            span: span(&kw),
        },
        Some(b) => {
            let sp = span(&b);
            let value = next(&mut b.into_inner(), "boolean").as_rule() == Rule::kw_on;
            Flag { value, span: sp }
        }
    }
}

fn tgw_attach(pair: Pair<'_, Rule>) -> TgwAttach {
    let sp = span(&pair);
    let mut it = pair.into_inner();
    let _kw = next(&mut it, "tgw_attach");
    let n = name(next(&mut it, "tgw_attach"));
    let _kw = next(&mut it, "tgw_attach");
    let vpc = name(next(&mut it, "tgw_attach"));
    let _kw = next(&mut it, "tgw_attach");
    let list = next(&mut it, "tgw_attach");
    let subnets = NameList {
        span: span(&list),
        items: list.into_inner().map(name).collect(),
    };
    let _kw = next(&mut it, "tgw_attach");
    let route_table = name(next(&mut it, "tgw_attach"));
    TgwAttach {
        name: n,
        vpc,
        subnets,
        route_table,
        span: sp,
    }
}

fn name_list_of(pair: Pair<'_, Rule>, rule: &str) -> NameList {
    let mut it = pair.into_inner();
    let _kw = next(&mut it, rule);
    let list = next(&mut it, rule);
    let sp = span(&list);
    NameList {
        items: list.into_inner().map(name).collect(),
        span: sp,
    }
}

fn protocol(pair: Pair<'_, Rule>) -> Protocol {
    let sp = span(&pair);
    let kw = next(&mut pair.into_inner(), "protocol");
    let kind = match kw.as_rule() {
        Rule::kw_tcp => ProtocolKind::Tcp,
        Rule::kw_udp => ProtocolKind::Udp,
        Rule::kw_icmp => ProtocolKind::Icmp,
        Rule::kw_all => ProtocolKind::All,
        _ => unexpected(&kw, "protocol"),
    };
    Protocol { kind, span: sp }
}

fn ports(pair: Pair<'_, Rule>) -> Ports {
    let sp = span(&pair);
    let text = pair.as_str();
    let (first, last) = match text.split_once('-') {
        Some((a, b)) => (int(a), int(b)),
        None => (int(text), int(text)),
    };
    Ports {
        first,
        last,
        span: sp,
    }
}

fn service_ref(pair: Pair<'_, Rule>) -> ServiceName {
    let mut it = pair.into_inner();
    let _kw = next(&mut it, "service_ref");
    let s = next(&mut it, "service_ref");
    ServiceName {
        text: s.as_str().to_string(),
        span: span(&s),
    }
}

fn flow_end(pair: Pair<'_, Rule>) -> FlowEnd {
    let inner = next(&mut pair.into_inner(), "flow_end");
    match inner.as_rule() {
        Rule::kw_internet => FlowEnd::Internet(span(&inner)),
        Rule::service_ref => {
            let sp = span(&inner);
            FlowEnd::Service(service_ref(inner), sp)
        }
        Rule::name => FlowEnd::Name(name(inner)),
        _ => unexpected(&inner, "flow_end"),
    }
}
