//! VPC endpoints: services, subnets, route tables and availability zones.

use super::*;

impl Cx {
    pub(super) fn endpoint(&mut self, e: &ast::Endpoint, vpc: VpcId, vname: &str) -> Endpoint {
        let region = self
            .model
            .region
            .clone()
            .unwrap_or_else(|| "REGION".to_string());
        let service = e.service.text.clone();
        let service_name = format!("com.amazonaws.{region}.{service}");
        let kind = match &e.kind {
            ast::EndpointKind::Gateway { items, .. } => {
                if GatewayService::parse(&service).is_none() {
                    self.diags.push(
                        Diagnostic::new(Code::E0404, format!("gateway endpoints exist only for s3 and dynamodb, not `{service}`"), e.service.span, "no gateway endpoint for this service")
                            .with_note("AWS offers gateway endpoints for Amazon S3 and DynamoDB only; other services are reached through interface endpoints")
                            .with_help(format!("use `endpoint {} interface {service}` (PrivateLink)", e.name.text)),
                    );
                }
                let mut tables = Vec::new();
                for item in items {
                    let ast::GatewayItem::RouteTables(list, _) = item;
                    for n in &list.items {
                        if let Some(d) = self.names.resolve_in(
                            n,
                            &[Kind::RouteTable],
                            "route table",
                            vpc.0,
                            vname,
                            &mut self.diags,
                        ) {
                            let id = RouteTableId(d.index);
                            if !tables.contains(&id) {
                                tables.push(id);
                            }
                        }
                    }
                }
                EndpointKind::Gateway {
                    route_tables: tables,
                }
            }
            ast::EndpointKind::Interface { items, .. } => {
                let mut subnets: Vec<(SubnetId, Span)> = Vec::new();
                let mut sgs = Vec::new();
                let mut private_dns: Option<(bool, Span)> = None;
                for item in items {
                    match item {
                        ast::InterfaceItem::Subnets(list, _) => {
                            for n in &list.items {
                                if let Some(d) = self.names.resolve_in(
                                    n,
                                    &[Kind::Subnet],
                                    "subnet",
                                    vpc.0,
                                    vname,
                                    &mut self.diags,
                                ) {
                                    let id = SubnetId(d.index);
                                    if !subnets.iter().any(|x| x.0 == id) {
                                        subnets.push((id, n.span));
                                    }
                                }
                            }
                        }
                        ast::InterfaceItem::SecurityGroups(list, _) => {
                            sgs.extend(self.group_list(list, vpc, vname))
                        }
                        ast::InterfaceItem::PrivateDns(f, sp) => set_once(
                            &mut private_dns,
                            f.value,
                            flag_span(f, *sp),
                            "private_dns",
                            &mut self.diags,
                        ),
                    }
                }
                self.check_endpoint_azs(e, &subnets);
                let on = private_dns.is_none_or(|(b, _)| b);
                let v = &self.model.vpcs[vpc.index()];
                if on && !(v.dns_support && v.dns_hostnames) {
                    let mut off: Vec<&str> = Vec::new();
                    if !v.dns_support {
                        off.push("dns_support");
                    }
                    if !v.dns_hostnames {
                        off.push("dns_hostnames");
                    }
                    let (span, label) = match private_dns {
                        Some((_, sp)) => (sp, "private DNS is on".to_string()),
                        None => (e.name.span, "private DNS is on by default".to_string()),
                    };
                    let vsrc = self.vpc_src.get(vpc.index()).cloned().unwrap_or_default();
                    let named: Vec<String> = off.iter().map(|o| format!("`{o}`")).collect();
                    let mut d = Diagnostic::new(
                        Code::E0406,
                        format!(
                            "interface endpoint `{}` has private DNS on, but VPC `{vname}` has {} off",
                            e.name.text,
                            named.join(" and ")
                        ),
                        span,
                        label,
                    );
                    for o in &off {
                        let written = if *o == "dns_support" {
                            vsrc.dns_support
                        } else {
                            vsrc.dns_hostnames
                        };
                        d = match written {
                            Some(sp) => d.with_secondary(sp, format!("`{o}` is off here")),
                            None => d.with_secondary(
                                vsrc.name,
                                format!("`{o}` is off by default in VPC `{vname}`"),
                            ),
                        };
                    }
                    let fix: Vec<String> = off.iter().map(|o| format!("`{o} on`")).collect();
                    self.diags.push(
                        d.with_note("private DNS for an interface endpoint needs both enableDnsSupport and enableDnsHostnames on the VPC")
                            .with_help(format!("write {} in VPC `{vname}`, or `private_dns off` in the endpoint", fix.join(" and "))),
                    );
                }
                EndpointKind::Interface {
                    interfaces: subnets
                        .iter()
                        .map(|(s, _)| EndpointInterface {
                            subnet: *s,
                            address: Ipv4Addr::UNSPECIFIED,
                        })
                        .collect(),
                    security_groups: sgs,
                    private_dns: on,
                }
            }
        };
        Endpoint {
            name: e.name.text.clone(),
            vpc,
            service,
            service_name,
            kind,
            span: e.span,
        }
    }

    /// E0405: at most one subnet per AZ for an interface endpoint.
    pub(super) fn check_endpoint_azs(&mut self, e: &ast::Endpoint, subnets: &[(SubnetId, Span)]) {
        for (i, (a, a_span)) in subnets.iter().enumerate() {
            for (b, b_span) in subnets.iter().take(i) {
                let (Some(za), Some(zb)) = (
                    self.model.subnets.get(a.index()).and_then(|s| s.az.clone()),
                    self.model.subnets.get(b.index()).and_then(|s| s.az.clone()),
                ) else {
                    continue;
                };
                if za == zb {
                    self.diags.push(
                        Diagnostic::new(Code::E0405, format!("interface endpoint `{}` has two subnets in AZ `{za}`", e.name.text), *a_span, format!("also in `{za}`"))
                            .with_secondary(*b_span, format!("this subnet is in `{za}`"))
                            .with_note("an interface endpoint gets at most one network interface per availability zone, so at most one subnet per AZ")
                            .with_help("keep one subnet per AZ in `subnets`"),
                    );
                }
            }
        }
    }
}
