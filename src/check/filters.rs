//! Filters: network ACLs, port ranges, security group rules and group lists.

use super::*;

impl Cx {
    pub(super) fn acl(&mut self, acl: &ast::NetworkAcl, vpc: VpcId) -> NetworkAcl {
        let mut inbound = Vec::new();
        let mut outbound = Vec::new();
        let mut numbers: BTreeMap<(Direction, u32), Span> = BTreeMap::new();
        for r in &acl.rules {
            let dir_word = if r.direction == Direction::In {
                "inbound"
            } else {
                "outbound"
            };
            let number_ok = (1..=32766).contains(&r.number);
            if !number_ok {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0409,
                        format!(
                            "{dir_word} rule number {} of network ACL `{}` is out of range",
                            r.number, acl.name.text
                        ),
                        r.number_span,
                        "not in 1–32766",
                    )
                    .with_note(
                        "rule numbers are 1–32766; AWS keeps 32767 for the final implicit deny",
                    ),
                );
            } else if let Some(first) = numbers.get(&(r.direction, r.number)) {
                self.diags.push(
                    Diagnostic::new(
                        Code::E0409,
                        format!(
                            "{dir_word} rule {} appears twice in network ACL `{}`",
                            r.number, acl.name.text
                        ),
                        r.number_span,
                        "second rule with this number",
                    )
                    .with_secondary(*first, "first rule with this number")
                    .with_note(
                        "rule numbers are unique per direction; the lowest matching number decides",
                    ),
                );
            } else {
                numbers.insert((r.direction, r.number), r.number_span);
            }
            let ports = self.ports(r.protocol, r.ports);
            let mut cidrs6 = Vec::new();
            let (cidrs, peer_text) = match &r.peer {
                ast::Peer::Internet(_) => (vec![Ipv4Net::default()], "internet".to_string()),
                ast::Peer::Cidr6(c) => {
                    let n = super::ipv6::aligned(
                        c,
                        &format_args!("a rule of network ACL `{}`", acl.name.text),
                        &mut self.diags,
                    );
                    cidrs6.push(n);
                    (Vec::new(), n.to_string())
                }
                ast::Peer::Cidr(c) => {
                    let n = cidr::aligned(
                        c,
                        &format_args!("a rule of network ACL `{}`", acl.name.text),
                        &mut self.diags,
                    );
                    (vec![n], n.to_string())
                }
                ast::Peer::Name(n)
                    if self.names.get(&n.text).is_some_and(|d| {
                        matches!(d.kind, Kind::SecurityGroup | Kind::PrefixList)
                    }) =>
                {
                    let Some(decl) = self.names.get(&n.text) else {
                        continue;
                    };
                    let (noun, note, help) = if decl.kind == Kind::SecurityGroup {
                        (
                            "security group",
                            "network ACL rules match CIDRs; security group references work only in security group rules",
                            "write the CIDR of the subnet or instances instead",
                        )
                    } else {
                        (
                            "prefix list",
                            "AWS allows prefix lists in security group rules and route tables, not in network ACL rules",
                            "write one rule per CIDR of the list, or an external with the same CIDRs",
                        )
                    };
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0412,
                            format!("network ACL rules cannot name {noun} `{}`", n.text),
                            n.span,
                            format!("a {noun} is not allowed here"),
                        )
                        .with_secondary(decl.span, format!("declared here as a {noun}"))
                        .with_note(note)
                        .with_help(help),
                    );
                    continue;
                }
                ast::Peer::Name(n) => match self.names.resolve(
                    n,
                    &[Kind::External],
                    "external network",
                    &mut self.diags,
                ) {
                    Some(d) => (
                        self.model
                            .externals
                            .get(d.index as usize)
                            .map(|e| e.cidrs.clone())
                            .unwrap_or_default(),
                        n.text.clone(),
                    ),
                    None => continue,
                },
                ast::Peer::Service(s, sp) => {
                    self.diags.push(
                        Diagnostic::new(Code::E0412, format!("network ACL rules cannot name `service {}`", s.text), *sp, "a prefix list is not allowed here")
                            .with_note("AWS allows prefix lists in security group rules but not in network ACL rules")
                            .with_help("write the service's CIDR ranges, or `internet` for all of them"),
                    );
                    continue;
                }
            };
            let rule = AclRule {
                number: u16::try_from(r.number).unwrap_or(u16::MAX),
                allow: r.allow,
                protocol: r.protocol.kind,
                ports,
                cidrs,
                cidrs6,
                peer_text,
                span: Some(r.span),
            };
            if r.direction == Direction::In {
                inbound.push(rule);
            } else {
                outbound.push(rule);
            }
        }
        inbound.sort_by_key(|r| r.number);
        outbound.sort_by_key(|r| r.number);
        NetworkAcl {
            name: acl.name.text.clone(),
            vpc,
            default: false,
            inbound,
            outbound,
            span: Some(acl.span),
        }
    }

    /// E0411: ports on icmp/all, ports above 65535, reversed ranges.
    pub(super) fn ports(
        &mut self,
        protocol: ast::Protocol,
        ports: Option<ast::Ports>,
    ) -> Option<(u16, u16)> {
        let p = ports?;
        if matches!(protocol.kind, ProtocolKind::Icmp | ProtocolKind::All) {
            self.diags.push(
                Diagnostic::new(
                    Code::E0411,
                    format!("`{}` takes no ports", protocol.kind.as_str()),
                    p.span,
                    "ports given here",
                )
                .with_secondary(protocol.span, "this protocol has no ports")
                .with_help(format!(
                    "remove the ports, or use `tcp {0}` / `udp {0}`",
                    port_text(p)
                )),
            );
            return None;
        }
        if p.first > 65535 || p.last > 65535 {
            self.diags.push(
                Diagnostic::new(
                    Code::E0411,
                    if p.first == p.last {
                        format!("port `{}` is beyond 65535", port_text(p))
                    } else {
                        format!("port range `{}` goes beyond 65535", port_text(p))
                    },
                    p.span,
                    "ports are 0–65535",
                )
                .with_note("TCP and UDP ports are 16-bit numbers"),
            );
            return None;
        }
        if p.first > p.last {
            self.diags.push(
                Diagnostic::new(
                    Code::E0411,
                    format!("port range `{}` is reversed", port_text(p)),
                    p.span,
                    "the first port is above the last",
                )
                .with_help(format!("write `{}-{}`", p.last, p.first)),
            );
            return None;
        }
        Some((
            u16::try_from(p.first).unwrap_or(0),
            u16::try_from(p.last).unwrap_or(0),
        ))
    }

    pub(super) fn sg_rule(&mut self, r: &ast::SgRule, vpc: VpcId, group: &str) -> Option<SgRule> {
        let ports = self.ports(r.protocol, r.ports);
        let peer = match &r.peer {
            ast::Peer::Internet(_) => SgPeer::Internet,
            ast::Peer::Cidr(c) => SgPeer::Cidr(cidr::aligned(
                c,
                &format_args!("a rule of security group `{group}`"),
                &mut self.diags,
            )),
            ast::Peer::Cidr6(c) => SgPeer::Cidr6(super::ipv6::aligned(
                c,
                &format_args!("a rule of security group `{group}`"),
                &mut self.diags,
            )),
            ast::Peer::Service(s, _) => SgPeer::Service(s.text.clone()),
            ast::Peer::Name(n) => {
                let d = self.names.resolve(
                    n,
                    crate::names::SG_PEERS,
                    "external network, prefix list or security group",
                    &mut self.diags,
                )?;
                if d.kind == Kind::External {
                    SgPeer::External(ExternalId(d.index))
                } else if d.kind == Kind::PrefixList {
                    SgPeer::PrefixList(PrefixListId(d.index))
                } else {
                    let other = VpcId(d.vpc.unwrap_or(0));
                    let peered = self
                        .model
                        .peerings
                        .iter()
                        .any(|p| p.other(vpc) == Some(other));
                    // Both attached to one transit gateway: AWS allows an
                    // inbound rule to reference the other's group when the
                    // gateway has security group referencing support (its
                    // attachments have it by default); never an outbound
                    // rule (Transit gateways guide, "Security group
                    // referencing").
                    let via_tgw = (other != vpc && !peered)
                        .then(|| {
                            self.model.transit_gateways.iter().find(|t| {
                                let vpcs: Vec<Option<VpcId>> = t
                                    .attachments
                                    .iter()
                                    .map(|a| self.model.tgw_attachments[a.index()].vpc())
                                    .collect();
                                vpcs.contains(&Some(vpc)) && vpcs.contains(&Some(other))
                            })
                        })
                        .flatten();
                    let referenced =
                        via_tgw.is_some_and(|t| t.sg_referencing && r.direction == Direction::In);
                    if other != vpc && !peered && !referenced {
                        let tgw_note = via_tgw.map(|t| if t.sg_referencing {
                            format!(
                                "both VPCs are attached to transit gateway `{}`, which has security group referencing on, but AWS supports it in inbound rules only",
                                t.name
                            )
                        } else {
                            format!(
                                "both VPCs are attached to transit gateway `{}`: AWS allows an inbound rule to reference the other's group only with `security_group_referencing on` on the gateway",
                                t.name
                            )
                        });
                        let mut d = Diagnostic::new(
                            Code::E0304,
                            format!(
                                "security group `{}` belongs to VPC `{}`, which is not peered with `{}`",
                                n.text,
                                self.model.vpcs.get(other.index()).map_or("", |v| v.name.as_str()),
                                self.model.vpcs.get(vpc.index()).map_or("", |v| v.name.as_str())
                            ),
                            n.span,
                            "not referenceable from this VPC",
                        )
                        .with_secondary(d.span, "declared here")
                        .with_note("a rule can reference a security group of its own VPC or of a peered VPC");
                        if let Some(note) = tgw_note {
                            d = d.with_note(note);
                        }
                        self.diags.push(
                            d.with_help("reference the other VPC's CIDR instead, or peer the VPCs"),
                        );
                        return None;
                    }
                    SgPeer::Group(SecurityGroupId(d.index))
                }
            }
        };
        Some(SgRule {
            direction: r.direction,
            protocol: r.protocol.kind,
            ports,
            peer,
            span: Some(r.span),
        })
    }

    pub(super) fn group_list(
        &mut self,
        list: &ast::NameList,
        vpc: VpcId,
        vname: &str,
    ) -> Vec<SecurityGroupId> {
        let mut ids = Vec::new();
        for n in &list.items {
            if let Some(d) = self.names.resolve_in(
                n,
                &[Kind::SecurityGroup],
                "security group",
                vpc.0,
                vname,
                &mut self.diags,
            ) {
                let id = SecurityGroupId(d.index);
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        ids
    }
}

pub(super) fn port_text(p: ast::Ports) -> String {
    if p.first == p.last {
        p.first.to_string()
    } else {
        format!("{}-{}", p.first, p.last)
    }
}
