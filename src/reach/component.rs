//! The model elements a path traverses or a blocker names, as data: a kind
//! and the names that identify it. `Display` gives the words the text output
//! uses (`` route table `private` of subnet `app-a` ``); the JSON carries the
//! fields, never the sentence.

use schemars::JsonSchema;
use serde::Serialize;

/// What sort of element a [`Component`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    Instance,
    /// Some address in a subnet (a subnet as a flow end).
    Host,
    Subnet,
    External,
    Internet,
    /// An AWS service's public addresses (`service s3`).
    Service,
    /// One DNS name the flow depends on.
    DnsName,
    SecurityGroup,
    /// The security groups as a whole (stateful replies).
    SecurityGroups,
    NetworkAcl,
    RouteTable,
    NatGateway,
    InternetGateway,
    EgressOnlyGateway,
    GatewayEndpoint,
    /// An endpoint, gateway or interface, as a whole.
    Endpoint,
    /// One network interface of an interface endpoint.
    EndpointInterface,
    Peering,
    Vpc,
    TransitGateway,
    TgwRouteTable,
    /// A Site-to-Site VPN connection (of a transit gateway or a virtual
    /// private gateway).
    Vpn,
    VpnGateway,
    /// One route of a route table, named by its destination.
    Route,
}

impl ComponentKind {
    fn words(self) -> &'static str {
        match self {
            ComponentKind::Instance => "instance",
            ComponentKind::Host => "a host in subnet",
            ComponentKind::Subnet => "subnet",
            ComponentKind::External => "external",
            ComponentKind::Internet => "the internet",
            ComponentKind::Service => "service",
            ComponentKind::DnsName => "DNS name",
            ComponentKind::SecurityGroup => "security group",
            ComponentKind::SecurityGroups => "security groups",
            ComponentKind::NetworkAcl => "network ACL",
            ComponentKind::RouteTable => "route table",
            ComponentKind::NatGateway => "NAT gateway",
            ComponentKind::InternetGateway => "internet gateway",
            ComponentKind::EgressOnlyGateway => "egress-only internet gateway",
            ComponentKind::GatewayEndpoint => "gateway endpoint",
            ComponentKind::Endpoint | ComponentKind::EndpointInterface => "endpoint",
            ComponentKind::Peering => "peering",
            ComponentKind::Vpc => "VPC",
            ComponentKind::TransitGateway => "transit gateway",
            ComponentKind::TgwRouteTable => "transit gateway route table",
            ComponentKind::Vpn => "VPN",
            ComponentKind::VpnGateway => "virtual private gateway",
            ComponentKind::Route => "route",
        }
    }
}

/// One model element, by kind and name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    pub kind: ComponentKind,
    /// Its name in the file; absent for `internet` and `security_groups`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The subnet it was met at: a network ACL's or route table's subnet,
    /// an endpoint interface's subnet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subnet: Option<String>,
    /// An endpoint interface's address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The security groups of an interface with several, in order (then
    /// `name` is absent).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub groups: Vec<String>,
    /// A route table that is its VPC's implicit main table.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub implicit: bool,
}

impl Component {
    /// A named element.
    pub fn new(kind: ComponentKind, name: impl Into<String>) -> Component {
        Component {
            kind,
            name: Some(name.into()),
            subnet: None,
            address: None,
            groups: Vec::new(),
            implicit: false,
        }
    }

    /// An element without a name (`internet`, the security groups).
    pub fn unnamed(kind: ComponentKind) -> Component {
        Component {
            kind,
            name: None,
            subnet: None,
            address: None,
            groups: Vec::new(),
            implicit: false,
        }
    }

    /// The security groups of one interface: one group is named, several
    /// listed.
    pub fn security_groups(mut names: Vec<String>) -> Component {
        if names.len() == 1 {
            return Component::new(ComponentKind::SecurityGroup, names.remove(0));
        }
        Component {
            groups: names,
            ..Component::unnamed(ComponentKind::SecurityGroup)
        }
    }

    /// The same element, met at `subnet`.
    pub fn at(mut self, subnet: impl Into<String>) -> Component {
        self.subnet = Some(subnet.into());
        self
    }

    pub fn is(&self, kind: ComponentKind) -> bool {
        self.kind == kind
    }
}

impl std::fmt::Display for Component {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let (ComponentKind::Host, Some(s)) = (self.kind, &self.subnet) {
            return write!(f, "a host in subnet `{s}`");
        }
        f.write_str(self.kind.words())?;
        match (&self.name, self.kind) {
            (Some(n), ComponentKind::Service | ComponentKind::DnsName | ComponentKind::Route) => {
                write!(f, " {n}")?
            }
            (Some(n), _) => write!(f, " `{n}`")?,
            (None, _) => {
                let quoted: Vec<String> = self.groups.iter().map(|g| format!("`{g}`")).collect();
                if !quoted.is_empty() {
                    write!(f, " {}", quoted.join(", "))?;
                }
            }
        }
        match (self.kind, &self.subnet, &self.address) {
            (ComponentKind::EndpointInterface, Some(s), Some(a)) => write!(f, " ({a} in `{s}`)")?,
            (_, Some(s), _) => write!(f, " of subnet `{s}`")?,
            _ => {}
        }
        if self.implicit {
            f.write_str(" (implicit main table)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_match_the_text_output() {
        let t = Component {
            implicit: true,
            ..Component::new(ComponentKind::RouteTable, "main").at("app-a")
        };
        assert_eq!(
            t.to_string(),
            "route table `main` of subnet `app-a` (implicit main table)"
        );
        let e = Component {
            address: Some("10.0.1.5".into()),
            ..Component::new(ComponentKind::EndpointInterface, "ssm").at("private-a")
        };
        assert_eq!(e.to_string(), "endpoint `ssm` (10.0.1.5 in `private-a`)");
        assert_eq!(
            Component::unnamed(ComponentKind::Host)
                .at("web")
                .to_string(),
            "a host in subnet `web`"
        );
        let sgs = Component::security_groups(vec!["a".into(), "b".into()]);
        assert_eq!(sgs.to_string(), "security group `a`, `b`");
        assert_eq!(
            Component::security_groups(vec!["a".into()]),
            Component::new(ComponentKind::SecurityGroup, "a")
        );
        assert_eq!(
            Component::unnamed(ComponentKind::Internet).to_string(),
            "the internet"
        );
        assert_eq!(
            Component::new(ComponentKind::Service, "s3").to_string(),
            "service s3"
        );
        let json =
            serde_json::to_string(&Component::new(ComponentKind::NatGateway, "nat-a")).unwrap();
        assert_eq!(json, r#"{"kind":"nat_gateway","name":"nat-a"}"#);
    }
}
