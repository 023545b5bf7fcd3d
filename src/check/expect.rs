//! The flow ends of `expect` statements.

use super::*;

impl Cx {
    pub(super) fn expect(&mut self, e: &ast::Expect) -> Option<model::Expect> {
        let source = self.flow_end(&e.source, true);
        let destination = self.flow_end(&e.destination, false);
        let ports = match e.protocol {
            Some(p) => self.ports(p, e.ports),
            None => None,
        };
        let mut via = Vec::new();
        let kinds = [
            Kind::Instance,
            Kind::NatGateway,
            Kind::InternetGateway,
            Kind::GatewayEndpoint,
            Kind::InterfaceEndpoint,
            Kind::Peering,
            Kind::Subnet,
            Kind::RouteTable,
        ];
        let mut ok = true;
        for n in &e.via {
            match self
                .names
                .resolve(n, &kinds, "component a path can traverse", &mut self.diags)
            {
                Some(d) => via.push((
                    match d.kind {
                        Kind::Instance => ViaComponent::Instance(InstanceId(d.index)),
                        Kind::NatGateway => ViaComponent::NatGateway(NatGatewayId(d.index)),
                        Kind::InternetGateway => {
                            ViaComponent::InternetGateway(InternetGatewayId(d.index))
                        }
                        Kind::GatewayEndpoint | Kind::InterfaceEndpoint => {
                            ViaComponent::Endpoint(EndpointId(d.index))
                        }
                        Kind::Peering => ViaComponent::Peering(PeeringId(d.index)),
                        Kind::Subnet => ViaComponent::Subnet(SubnetId(d.index)),
                        _ => ViaComponent::RouteTable(RouteTableId(d.index)),
                    },
                    n.span,
                )),
                None => ok = false,
            }
        }
        let (source, destination) = (source?, destination?);
        ok.then(|| model::Expect {
            source,
            can: e.can,
            destination,
            protocol: e.protocol.map(|p| p.kind),
            ports,
            via,
            privately: e.privately.is_some(),
            span: e.span,
        })
    }

    pub(super) fn flow_end(&mut self, end: &ast::FlowEnd, is_source: bool) -> Option<FlowEnd> {
        match end {
            ast::FlowEnd::Internet(_) => Some(FlowEnd::Internet),
            ast::FlowEnd::Service(s, sp) => {
                if is_source {
                    self.diags.push(
                        Diagnostic::new(
                            Code::E0303,
                            format!("`service {}` cannot open connections", s.text),
                            *sp,
                            "a service is a destination only",
                        )
                        .with_note(
                            "AWS services do not initiate connections into a VPC through endpoints",
                        ),
                    );
                    return None;
                }
                Some(FlowEnd::Service(s.text.clone()))
            }
            ast::FlowEnd::Name(n) => {
                let kinds = [
                    Kind::Instance,
                    Kind::Subnet,
                    Kind::External,
                    Kind::InterfaceEndpoint,
                ];
                let d = self.names.resolve(
                    n,
                    &kinds,
                    "instance, subnet, external or interface endpoint",
                    &mut self.diags,
                )?;
                Some(match d.kind {
                    Kind::Instance => FlowEnd::Instance(InstanceId(d.index)),
                    Kind::Subnet => FlowEnd::Subnet(SubnetId(d.index)),
                    Kind::External => FlowEnd::External(ExternalId(d.index)),
                    _ => FlowEnd::InterfaceEndpoint(EndpointId(d.index)),
                })
            }
        }
    }
}
