//! Subnets and instances: blocks, addresses and free-range help.

use super::*;

impl Cx {
    /// A free range of `len` in the VPC being built, for help messages;
    /// found once per length.
    pub(super) fn free_block(&mut self, vpc_cidrs: &[Ipv4Net], len: u8) -> Option<Ipv4Net> {
        if let Some(&(_, found)) = self.free_blocks.iter().find(|(l, _)| *l == len) {
            return found;
        }
        let found = cidr::free_block(vpc_cidrs, &self.all_subnets, len);
        self.free_blocks.push((len, found));
        found
    }

    pub(super) fn subnet<'v>(
        &mut self,
        s: &'v ast::Subnet,
        vpc: VpcId,
        vname: &str,
        seen: &mut cidr::FirstOverlap<(Span, &'v str)>,
        seen6: &mut std::collections::HashMap<ipnet::Ipv6Net, (Span, &'v str)>,
    ) {
        let owner = format_args!("subnet `{}`", s.name.text);
        let net = cidr::aligned(&s.cidr, &owner, &mut self.diags);
        let size_ok = cidr::check_size(&s.cidr, net, Code::E0104, &owner, &mut self.diags);
        let vpc_cidrs = self.model.vpcs[vpc.index()].cidrs.clone();
        if !vpc_cidrs.iter().any(|c| c.contains(&net)) {
            let mut d = Diagnostic::new(
                Code::E0105,
                format!(
                    "subnet `{}` ({net}) is not inside VPC `{vname}`",
                    s.name.text
                ),
                s.cidr.span,
                "outside every block of the VPC",
            );
            for (i, (block, sp)) in self
                .vpc_src
                .get(vpc.index())
                .map(|v| v.cidrs.clone())
                .unwrap_or_default()
                .into_iter()
                .enumerate()
            {
                let which = if i == 0 { "primary" } else { "secondary" };
                d = d.with_secondary(sp, format!("{which} block of `{vname}`: {block}"));
            }
            d = d.with_note(format!(
                "{}; a subnet must lie inside one block of its VPC",
                cidr::spans(net)
            ));
            if let Some(free) = self.free_block(&vpc_cidrs, net.prefix_len().max(16)) {
                d = d.with_help(format!(
                    "a free range of the same size inside the VPC: `{free}`"
                ));
            }
            self.diags.push(d);
        }
        if size_ok {
            if let Some(&(other, (other_span, other_name))) = seen.first(net) {
                let mut d = Diagnostic::new(
                    Code::E0106,
                    format!("subnet `{}` overlaps subnet `{other_name}`", s.name.text),
                    s.cidr.span,
                    format!("{net} overlaps {other}"),
                )
                .with_secondary(other_span, format!("`{other_name}` is {other}"))
                .with_note(format!("{}; {}", cidr::spans(net), cidr::spans(other)))
                .with_note("subnets of one VPC must be disjoint");
                if let Some(free) = self.free_block(&vpc_cidrs, net.prefix_len()) {
                    d = d.with_help(format!("a free range of the same size: `{free}`"));
                }
                self.diags.push(d);
            }
            seen.push(net, (s.cidr.span, &s.name.text));
        }
        let ipv6 = self.subnet_ipv6(s, vpc, vname, seen6);
        let az = s.az.as_ref().map(|a| match &self.model.region {
            Some(r) if a.text.len() == 1 && a.text.chars().all(|c| c.is_ascii_lowercase()) => {
                // `{r}{a}`, without the formatting machinery (once per subnet).
                let mut z = String::with_capacity(r.len() + a.text.len());
                z.push_str(r);
                z.push_str(&a.text);
                z
            }
            _ => a.text.clone(),
        });
        let subnet_id = SubnetId(id32(self.model.subnets.len()));
        let mut route_table: Option<(RouteTableId, Span)> = None;
        let mut acl: Option<(NetworkAclId, Span)> = None;
        let mut public_on_launch: Option<(bool, Span)> = None;
        for item in &s.items {
            match item {
                ast::SubnetItem::RouteTable(n, sp) => {
                    if let Some((_, first)) = route_table {
                        self.diags.push(once(*sp, "route_table", first));
                    } else if let Some(d) = self.names.resolve_in(
                        n,
                        &[Kind::RouteTable],
                        "route table",
                        vpc.0,
                        vname,
                        &mut self.diags,
                    ) {
                        route_table = Some((RouteTableId(d.index), *sp));
                    }
                }
                ast::SubnetItem::NetworkAcl(n, sp) => {
                    if let Some((_, first)) = acl {
                        self.diags.push(once(*sp, "network_acl", first));
                    } else if let Some(d) = self.names.resolve_in(
                        n,
                        &[Kind::NetworkAcl],
                        "network ACL",
                        vpc.0,
                        vname,
                        &mut self.diags,
                    ) {
                        acl = Some((NetworkAclId(d.index), *sp));
                    }
                }
                ast::SubnetItem::PublicIpOnLaunch(f, sp) => set_once(
                    &mut public_on_launch,
                    f.value,
                    flag_span(f, *sp),
                    "public_ip_on_launch",
                    &mut self.diags,
                ),
                ast::SubnetItem::NatGateway(_) | ast::SubnetItem::Instance(_) => {}
            }
        }
        let public_ip_on_launch = public_on_launch.is_some_and(|(b, _)| b);
        let first_instance = self.model.instances.len();
        for item in &s.items {
            match item {
                ast::SubnetItem::NatGateway(n) => {
                    self.model.nat_gateways.push(NatGateway {
                        name: n.name.text.clone(),
                        subnet: subnet_id,
                        address: Ipv4Addr::UNSPECIFIED,
                        private: n.private.is_some(),
                        span: n.span,
                    });
                }
                ast::SubnetItem::Instance(i) => {
                    let inst = self.instance(i, subnet_id, vpc, vname, public_ip_on_launch);
                    self.model.instances.push(inst);
                }
                _ => {}
            }
        }
        self.instances_ipv6(s, ipv6, first_instance);
        self.model.vpcs[vpc.index()].subnets.push(subnet_id);
        self.model.subnets.push(Subnet {
            name: s.name.text.clone(),
            vpc,
            cidr: net,
            ipv6,
            ipv6_kind: None,
            az,
            az_span: s.az.as_ref().map(|a| a.span),
            route_table: route_table.map_or(RouteTableId(u32::MAX), |x| x.0),
            explicit_route_table: route_table.is_some(),
            network_acl: acl.map_or(NetworkAclId(u32::MAX), |x| x.0),
            public_ip_on_launch,
            reserved: Reserved::of(net),
            usable: Usable::of(net),
            kind: SubnetKind::Isolated,
            kind_reason: String::new(),
            span: s.span,
        });
    }

    pub(super) fn instance(
        &mut self,
        i: &ast::Instance,
        subnet: SubnetId,
        vpc: VpcId,
        vname: &str,
        public_on_launch: bool,
    ) -> Instance {
        let mut public_ip: Option<(bool, Span)> = None;
        let mut sgs: Option<(Vec<SecurityGroupId>, Span)> = None;
        let mut sdc: Option<(bool, Span)> = None;
        for item in &i.items {
            match item {
                ast::InstanceItem::PublicIp(f, sp) => set_once(
                    &mut public_ip,
                    f.value,
                    flag_span(f, *sp),
                    "public_ip",
                    &mut self.diags,
                ),
                ast::InstanceItem::SourceDestCheck(f, sp) => set_once(
                    &mut sdc,
                    f.value,
                    flag_span(f, *sp),
                    "source_dest_check",
                    &mut self.diags,
                ),
                ast::InstanceItem::SecurityGroups(list, sp) => {
                    if let Some((_, first)) = sgs {
                        self.diags.push(once(*sp, "security_groups", first));
                        continue;
                    }
                    let ids = self.group_list(list, vpc, vname);
                    sgs = Some((ids, *sp));
                }
            }
        }
        Instance {
            name: i.name.text.clone(),
            subnet,
            address: i.address.map_or(Ipv4Addr::UNSPECIFIED, |a| a.addr),
            ipv6: None,
            address_written: i.address.is_some(),
            public_ip: public_ip.map_or(public_on_launch, |(b, _)| b),
            security_groups: sgs.map(|(v, _)| v).unwrap_or_default(),
            source_dest_check: sdc.is_none_or(|(b, _)| b),
            span: i.span,
        }
    }
}
