//! Export of a checked [`Model`] to CloudFormation (YAML or JSON) and
//! Terraform (HCL for the `aws` provider).
//!
//! [`plan`] turns the model into a list of [`Resource`]s, each with its
//! CloudFormation type and its Terraform resource type, and properties that
//! name both spellings. `cfn.rs` and `terraform.rs` print that plan; so the
//! two outputs describe the same objects by construction, and
//! `tests/export.rs` checks it again on the printed text.
//!
//! What AWS cannot express the way the file does (a blackhole route, an ACL
//! rule with several CIDRs, a security-group rule naming an interface
//! service, which has no prefix list, a bare zone label) is E0701 at the span of the setting, never a
//! silent omission. What only CloudFormation cannot say (a VPN's transit
//! gateway attachment, a transit gateway route to a prefix list) is in
//! [`Plan::cfn_refusals`]: those resources are Terraform-only in the plan,
//! and [`cfn_errors`] refuses the CloudFormation formats. (Two further checks, a prefix-list route and a gateway
//! endpoint on the implicit main table, guard shapes the checker does not
//! let through today.)
//!
//! **Invariant:** pure: no I/O; same model, same bytes.

pub mod cfn;
mod names;
pub mod terraform;

use std::net::Ipv4Addr;

use crate::diag::{Code, Diagnostic};
use crate::model::{
    Destination, EndpointKind, GatewayService, Model, NetworkAclId, RouteOrigin, SecurityGroupId,
    SgPeer, SubnetId, Target, TgwAttachmentKind, TgwRouteOrigin, TgwTarget, VpcId,
};
use crate::source::Span;
use crate::syntax::ast::{Direction, ProtocolKind};

/// A property value, printed by both back ends.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<Val>),
    /// A nested object; each property names its keys on both sides.
    Map(Vec<Prop>),
    /// The id of another resource (CloudFormation `Ref`, Terraform `.id`).
    Ref(usize),
    /// An attribute of another resource: (resource, CloudFormation
    /// attribute, Terraform attribute).
    Att(usize, &'static str, &'static str),
    /// A template parameter / Terraform variable.
    Param(&'static str),
    /// A parameter / variable of this export with no default, by its index
    /// in [`Plan::inputs`] (a customer gateway's public IP).
    Input(usize),
    /// The zone at this index of the region's zones (a file without
    /// `region` names zones by letter only).
    ZoneIndex(u32),
    /// `com.amazonaws.<region>.<service>` with the deploy region.
    RegionalService(String),
    /// The `Name` tag.
    Name(String),
    /// Several tags, in order.
    Tags(Vec<(&'static str, String)>),
    /// The id of a gateway service's AWS-managed prefix list
    /// (`com.amazonaws.<region>.s3`): a template parameter in
    /// CloudFormation, which cannot look it up, an `aws_prefix_list` data
    /// source in Terraform.
    PrefixList(GatewayService),
}

/// A property: its CloudFormation and Terraform keys (`None`: not on
/// that side).
#[derive(Clone, Debug, PartialEq)]
pub struct Prop {
    pub cfn: Option<&'static str>,
    pub tf: Option<&'static str>,
    pub val: Val,
}

fn both(cfn: &'static str, tf: &'static str, val: Val) -> Prop {
    Prop {
        cfn: Some(cfn),
        tf: Some(tf),
        val,
    }
}
fn cfn_only(cfn: &'static str, val: Val) -> Prop {
    Prop {
        cfn: Some(cfn),
        tf: None,
        val,
    }
}
fn tf_only(tf: &'static str, val: Val) -> Prop {
    Prop {
        cfn: None,
        tf: Some(tf),
        val,
    }
}
fn tags(name: &str) -> Prop {
    both("Tags", "tags", Val::Name(name.to_string()))
}
fn s(text: impl Into<String>) -> Val {
    Val::Str(text.into())
}

/// One AWS resource.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// CloudFormation logical id (alphanumeric, unique in the template).
    pub logical_id: String,
    /// Terraform resource name (unique per Terraform type).
    pub tf_name: String,
    /// e.g. `AWS::EC2::VPC`; `None`: Terraform only.
    pub cfn_type: Option<&'static str>,
    /// e.g. `aws_vpc`; `None`: CloudFormation only.
    pub tf_type: Option<&'static str>,
    pub props: Vec<Prop>,
    /// Resources this one must wait for beyond its references.
    pub depends_on: Vec<usize>,
}

/// The parameters an export uses (instances need an AMI and a type).
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: &'static str,
    pub tf_name: &'static str,
    pub cfn_type: &'static str,
    pub default: &'static str,
    pub description: &'static str,
}

pub const IMAGE_ID: Param = Param {
    name: "ImageId",
    tf_name: "image_id",
    cfn_type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
    default: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    description: "AMI of every instance (default: the latest Amazon Linux 2023 through SSM)",
};
pub const INSTANCE_TYPE: Param = Param {
    name: "InstanceType",
    tf_name: "instance_type",
    cfn_type: "String",
    default: "t3.micro",
    description: "Instance type of every instance",
};

/// A value the file does not give and the deployer must: a CloudFormation
/// parameter of type `String` and a Terraform variable, neither with a
/// default (a VPN's customer gateway address).
#[derive(Clone, Debug, PartialEq)]
pub struct Input {
    /// The parameter's name (unique among the template's logical ids).
    pub name: String,
    /// The Terraform variable's name.
    pub tf_name: String,
    pub description: String,
    /// The CloudFormation `AllowedPattern`.
    pub pattern: &'static str,
}

/// A dotted IPv4 address (`AllowedPattern` of a customer gateway's IP).
pub const IPV4_PATTERN: &str = "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])[.]){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$";

/// What to print: the resources in dependency-friendly model order.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub description: String,
    pub params: Vec<Param>,
    pub resources: Vec<Resource>,
    /// The file names zones by letter only (`ZoneIndex` is used).
    pub uses_zone_index: bool,
    /// The file's `region`, if any.
    pub region: Option<String>,
    /// The gateway services whose prefix lists rules name, in order.
    pub prefix_lists: Vec<GatewayService>,
    /// Parameters / variables without a default, in model order.
    pub inputs: Vec<Input>,
    /// E0701s for the CloudFormation formats only: what a template cannot
    /// say but a Terraform file can (a VPN's transit gateway attachment, a
    /// transit gateway route to a prefix list). The resources behind them
    /// are Terraform-only in the plan. See [`cfn_errors`].
    pub cfn_refusals: Vec<Diagnostic>,
}

struct Builder<'m> {
    m: &'m Model,
    names: names::Names,
    resources: Vec<Resource>,
    diagnostics: Vec<Diagnostic>,
    vpc: Vec<usize>,
    cidr_blocks: Vec<Vec<usize>>,
    subnet: Vec<usize>,
    route_table: Vec<Option<usize>>,
    igw: Vec<usize>,
    igw_attach: Vec<usize>,
    /// Each virtual private gateway's resource and its CloudFormation
    /// attachment, by id.
    vgw: Vec<usize>,
    vgw_attach: Vec<usize>,
    nat: Vec<usize>,
    instance: Vec<usize>,
    peering: Vec<usize>,
    endpoint: Vec<usize>,
    sg: Vec<Option<usize>>,
    acl: Vec<Option<usize>>,
    uses_zone_index: bool,
    prefix_lists: Vec<GatewayService>,
    /// The resource of each customer-managed prefix list, by id.
    managed_list: Vec<usize>,
    /// Each transit gateway's resource, by id.
    tgw: Vec<usize>,
    /// Each transit gateway route table's resource, by id.
    tgw_table: Vec<usize>,
    /// Each attachment's resource (the VPC attachment, or the VPN
    /// connection), by id.
    tgw_att: Vec<usize>,
    inputs: Vec<Input>,
    cfn_refusals: Vec<Diagnostic>,
}

impl Builder<'_> {
    fn add(
        &mut self,
        prefix: &str,
        name: &str,
        cfn_type: Option<&'static str>,
        tf_type: Option<&'static str>,
        props: Vec<Prop>,
    ) -> usize {
        let (logical_id, tf_name) = self.names.assign(prefix, name, tf_type.unwrap_or(""));
        self.resources.push(Resource {
            logical_id,
            tf_name,
            cfn_type,
            tf_type,
            props,
            depends_on: Vec::new(),
        });
        self.resources.len() - 1
    }

    fn error(&mut self, span: Option<Span>, message: String, label: &str, help: &str) {
        let span = span.unwrap_or(Span { start: 0, end: 0 });
        self.diagnostics
            .push(Diagnostic::new(Code::E0701, message, span, label).with_help(help));
    }

    /// E0701 for the CloudFormation formats only.
    fn cfn_refuse(&mut self, span: Span, message: String, label: &str, help: &str) {
        self.cfn_refusals
            .push(Diagnostic::new(Code::E0701, message, span, label).with_help(help));
    }

    /// A transit gateway attachment's id: the VPC attachment's `Ref`, or
    /// for a VPN the attachment AWS makes with the connection, which only
    /// Terraform can name (`aws_vpn_connection.X.transit_gateway_attachment_id`;
    /// CloudFormation's AWS::EC2::VPNConnection returns only its own id).
    /// `true` with it when CloudFormation can name it too.
    fn tgw_att_id(&self, id: crate::model::TgwAttachmentId) -> (Val, bool) {
        let r = self.tgw_att[id.index()];
        match self.m.tgw_attachment(id).kind {
            TgwAttachmentKind::Vpc { .. } => (Val::Ref(r), true),
            TgwAttachmentKind::Vpn { .. } => {
                (Val::Att(r, "", "transit_gateway_attachment_id"), false)
            }
        }
    }

    fn vpc_ref(&self, id: VpcId) -> Val {
        Val::Ref(self.vpc[id.index()])
    }

    fn sg_ref(&self, id: SecurityGroupId) -> Val {
        match self.sg[id.index()] {
            Some(r) => Val::Ref(r),
            None => {
                let vpc = self.m.security_group(id).vpc;
                Val::Att(
                    self.vpc[vpc.index()],
                    "DefaultSecurityGroup",
                    "default_security_group_id",
                )
            }
        }
    }

    fn subnet_deps(&self, id: SubnetId) -> Vec<usize> {
        let subnet = self.m.subnet(id);
        let vpc = self.m.vpc(subnet.vpc);
        vpc.cidrs
            .iter()
            .skip(1)
            .zip(&self.cidr_blocks[subnet.vpc.index()])
            .filter(|(c, _)| c.contains(&subnet.cidr))
            .map(|(_, r)| *r)
            .collect()
    }
}

/// An inclusive port range; `None` for every port.
type Ports = Option<(u16, u16)>;

fn protocol(p: ProtocolKind) -> &'static str {
    match p {
        ProtocolKind::Tcp => "tcp",
        ProtocolKind::Udp => "udp",
        ProtocolKind::Icmp => "icmp",
        ProtocolKind::All => "-1",
    }
}

/// `(from, to)` for a rule: every port for tcp/udp when none is written,
/// `-1` for icmp (every type), none for all traffic.
fn port_range(p: ProtocolKind, ports: Option<(u16, u16)>) -> Option<(i64, i64)> {
    match p {
        ProtocolKind::Tcp | ProtocolKind::Udp => {
            let (a, b) = ports.unwrap_or((0, 65535));
            Some((i64::from(a), i64::from(b)))
        }
        ProtocolKind::Icmp => Some((-1, -1)),
        ProtocolKind::All => None,
    }
}

/// `eu-west-1a`: a region name (letters and dashes, then a number) and a
/// zone letter.
fn is_zone_name(az: &str) -> bool {
    let Some(region) = az.strip_suffix(|c: char| c.is_ascii_lowercase()) else {
        return false;
    };
    let Some((words, number)) = region.rsplit_once('-') else {
        return false;
    };
    !number.is_empty()
        && number.bytes().all(|c| c.is_ascii_digit())
        && words.contains('-')
        && words
            .split('-')
            .all(|w| !w.is_empty() && w.bytes().all(|c| c.is_ascii_lowercase()))
}

fn ip(a: Ipv4Addr) -> Val {
    s(a.to_string())
}

/// Builds the plan, or every E0701 of the model.
pub fn plan(m: &Model, file_name: &str) -> Result<Plan, Vec<Diagnostic>> {
    let mut b = Builder {
        m,
        names: names::Names::default(),
        resources: Vec::new(),
        diagnostics: Vec::new(),
        vpc: Vec::new(),
        cidr_blocks: Vec::new(),
        subnet: Vec::new(),
        route_table: Vec::new(),
        igw: Vec::new(),
        igw_attach: Vec::new(),
        vgw: Vec::new(),
        vgw_attach: Vec::new(),
        nat: Vec::new(),
        instance: Vec::new(),
        peering: Vec::new(),
        endpoint: Vec::new(),
        sg: Vec::new(),
        acl: Vec::new(),
        uses_zone_index: false,
        prefix_lists: Vec::new(),
        managed_list: Vec::new(),
        tgw: Vec::new(),
        tgw_table: Vec::new(),
        tgw_att: Vec::new(),
        inputs: Vec::new(),
        cfn_refusals: Vec::new(),
    };

    // Customer-managed prefix lists: regional, named by routes and rules.
    for list in &m.prefix_lists {
        let entries = list
            .entries
            .iter()
            .map(|c| Val::Map(vec![both("Cidr", "cidr", s(c.to_string()))]))
            .collect();
        let r = b.add(
            "PrefixList",
            &list.name,
            Some("AWS::EC2::PrefixList"),
            Some("aws_ec2_managed_prefix_list"),
            vec![
                both("PrefixListName", "name", s(list.name.clone())),
                both("AddressFamily", "address_family", s("IPv4")),
                both(
                    "MaxEntries",
                    "max_entries",
                    Val::Int(i64::from(list.max_entries)),
                ),
                both("Entries", "entry", Val::List(entries)),
                tags(&list.name),
            ],
        );
        b.managed_list.push(r);
    }

    // VPCs, secondary blocks, DHCP options.
    // A VPC's first written IPv6 route, for the refusal below: one pass.
    let mut v6_routes: Vec<Option<Span>> = vec![None; m.vpcs.len()];
    for t in &m.route_tables {
        let first = &mut v6_routes[t.vpc.index()];
        if first.is_none() {
            *first = t.routes6.iter().find_map(|r| r.span);
        }
    }
    for (vi, vpc) in m.vpcs.iter().enumerate() {
        let primary = vpc.cidrs.first().map(|c| c.to_string()).unwrap_or_default();
        let r = b.add(
            "Vpc",
            &vpc.name,
            Some("AWS::EC2::VPC"),
            Some("aws_vpc"),
            vec![
                both("CidrBlock", "cidr_block", s(primary)),
                both(
                    "EnableDnsSupport",
                    "enable_dns_support",
                    Val::Bool(vpc.dns_support),
                ),
                both(
                    "EnableDnsHostnames",
                    "enable_dns_hostnames",
                    Val::Bool(vpc.dns_hostnames),
                ),
                tags(&vpc.name),
            ],
        );
        b.vpc.push(r);
        let mut blocks = Vec::new();
        for (i, cidr) in vpc.cidrs.iter().enumerate().skip(1) {
            let c = b.add(
                "VpcCidr",
                &format!("{}-{}", vpc.name, i),
                Some("AWS::EC2::VPCCidrBlock"),
                Some("aws_vpc_ipv4_cidr_block_association"),
                vec![
                    both("VpcId", "vpc_id", Val::Ref(r)),
                    both("CidrBlock", "cidr_block", s(cidr.to_string())),
                ],
            );
            blocks.push(c);
        }
        b.cidr_blocks.push(blocks);
        let v6_route = v6_routes[vi];
        let eigw = vpc
            .egress_only_gateway
            .map(|g| m.egress_only_gateway(g).span);
        if let Some(span) = vpc.ipv6_spans.first().copied().or(eigw).or(v6_route) {
            b.error(
                Some(span),
                format!("VPC `{}` uses IPv6, which `vpcc export` does not write yet", vpc.name),
                "IPv6",
                "export the IPv4 design from a copy without the `ipv6` blocks and clauses, IPv6 routes and egress-only gateways; IPv6 export is planned (docs/ipv6.md)",
            );
        }
        if vpc.dhcp.span.is_some() {
            let d = &vpc.dhcp;
            let mut props = Vec::new();
            if let Some(domain) = &d.domain_name {
                props.push(both("DomainName", "domain_name", s(domain.clone())));
            }
            let mut servers = Vec::new();
            if d.amazon_provided_dns {
                servers.push(s("AmazonProvidedDNS"));
            }
            servers.extend(d.name_servers.iter().map(|a| ip(*a)));
            if !servers.is_empty() {
                props.push(both(
                    "DomainNameServers",
                    "domain_name_servers",
                    Val::List(servers),
                ));
            }
            if !d.ntp_servers.is_empty() {
                props.push(both(
                    "NtpServers",
                    "ntp_servers",
                    Val::List(d.ntp_servers.iter().map(|a| ip(*a)).collect()),
                ));
            }
            props.push(tags(&vpc.name));
            let o = b.add(
                "Dhcp",
                &vpc.name,
                Some("AWS::EC2::DHCPOptions"),
                Some("aws_vpc_dhcp_options"),
                props,
            );
            b.add(
                "DhcpAssoc",
                &vpc.name,
                Some("AWS::EC2::VPCDHCPOptionsAssociation"),
                Some("aws_vpc_dhcp_options_association"),
                vec![
                    both("DhcpOptionsId", "dhcp_options_id", Val::Ref(o)),
                    both("VpcId", "vpc_id", Val::Ref(r)),
                ],
            );
        }
    }

    // Internet gateways.
    for igw in &m.internet_gateways {
        let vpc = b.vpc_ref(igw.vpc);
        let g = b.add(
            "Igw",
            &igw.name,
            Some("AWS::EC2::InternetGateway"),
            Some("aws_internet_gateway"),
            vec![tf_only("vpc_id", vpc.clone()), tags(&igw.name)],
        );
        let a = gateway_attachment(&mut b, "IgwAttach", &igw.name, vpc, "InternetGatewayId", g);
        b.igw.push(g);
        b.igw_attach.push(a);
    }

    vpn_gateways(&mut b);

    // Subnets.
    for (i, subnet) in m.subnets.iter().enumerate() {
        let mut props = vec![
            both("VpcId", "vpc_id", b.vpc_ref(subnet.vpc)),
            both("CidrBlock", "cidr_block", s(subnet.cidr.to_string())),
        ];
        if let Some(az) = &subnet.az {
            // With `region`, `az a` is already the zone's name in the model.
            let letter_only = az.len() == 1 && az.bytes().all(|c| c.is_ascii_lowercase());
            if letter_only {
                b.uses_zone_index = true;
                let index = u32::from(az.as_bytes()[0] - b'a');
                props.push(both(
                    "AvailabilityZone",
                    "availability_zone",
                    Val::ZoneIndex(index),
                ));
            } else if is_zone_name(az) {
                props.push(both("AvailabilityZone", "availability_zone", s(az.clone())));
            } else {
                b.error(
                    subnet.az_span.or(Some(subnet.span)),
                    format!(
                        "subnet `{}` is in zone `{az}`, which is neither a zone letter nor a zone name",
                        subnet.name
                    ),
                    "a bare zone label",
                    "write a letter (`az a`, with `region` for a fixed region) or a zone name such as `us-east-1a`",
                );
            }
        }
        props.push(both(
            "MapPublicIpOnLaunch",
            "map_public_ip_on_launch",
            Val::Bool(subnet.public_ip_on_launch),
        ));
        props.push(tags(&subnet.name));
        let r = b.add(
            "Subnet",
            &subnet.name,
            Some("AWS::EC2::Subnet"),
            Some("aws_subnet"),
            props,
        );
        b.resources[r].depends_on = b.subnet_deps(SubnetId(i as u32));
        b.subnet.push(r);
    }

    // NAT gateways (after subnets and attachments).
    for nat in &m.nat_gateways {
        let subnet = b.subnet[nat.subnet.index()];
        let vpc = m.subnet(nat.subnet).vpc;
        let mut props = Vec::new();
        let mut eip = None;
        if !nat.private {
            let e = b.add(
                "NatEip",
                &nat.name,
                Some("AWS::EC2::EIP"),
                Some("aws_eip"),
                vec![both("Domain", "domain", s("vpc")), tags(&nat.name)],
            );
            eip = Some(e);
            props.push(both(
                "AllocationId",
                "allocation_id",
                Val::Att(e, "AllocationId", "id"),
            ));
        }
        props.push(both("SubnetId", "subnet_id", Val::Ref(subnet)));
        props.push(both(
            "ConnectivityType",
            "connectivity_type",
            s(if nat.private { "private" } else { "public" }),
        ));
        props.push(both("PrivateIpAddress", "private_ip", ip(nat.address)));
        props.push(tags(&nat.name));
        let n = b.add(
            "Nat",
            &nat.name,
            Some("AWS::EC2::NatGateway"),
            Some("aws_nat_gateway"),
            props,
        );
        if eip.is_some() {
            // A public NAT gateway needs the VPC's internet gateway attached.
            if let Some(g) = m.vpc(vpc).internet_gateway {
                let attach = b.igw_attach[g.index()];
                b.resources[n].depends_on.push(attach);
            }
        }
        b.nat.push(n);
    }

    // Security groups (written ones; the default group exists already).
    for sg in &m.security_groups {
        if sg.default {
            b.sg.push(None);
            continue;
        }
        let mut props = vec![
            both(
                "GroupDescription",
                "description",
                s(format!("vpcc security group {}", sg.name)),
            ),
            both("VpcId", "vpc_id", b.vpc_ref(sg.vpc)),
            tf_only("revoke_rules_on_delete", Val::Bool(false)),
            tags(&sg.name),
        ];
        if !sg.default_egress {
            // CloudFormation drops AWS's allow-all egress rule of a new group
            // only for inline egress: this rule (loopback, which never leaves
            // an instance) replaces it; the written rules follow as
            // resources. Terraform removes the default rule itself.
            props.insert(
                2,
                cfn_only(
                    "SecurityGroupEgress",
                    Val::List(vec![Val::Map(vec![
                        cfn_only("IpProtocol", s("-1")),
                        cfn_only("CidrIp", s("127.0.0.1/32")),
                        cfn_only("Description", s("no default egress")),
                    ])]),
                ),
            );
        }
        let r = b.add(
            "Sg",
            &sg.name,
            Some("AWS::EC2::SecurityGroup"),
            Some("aws_security_group"),
            props,
        );
        b.sg.push(Some(r));
    }

    // Instances.
    let mut params = Vec::new();
    for inst in &m.instances {
        if params.is_empty() {
            params = vec![IMAGE_ID, INSTANCE_TYPE];
        }
        let subnet = b.subnet[inst.subnet.index()];
        let groups: Vec<Val> = inst.security_groups.iter().map(|g| b.sg_ref(*g)).collect();
        let mut props = vec![
            both("ImageId", "ami", Val::Param("ImageId")),
            both("InstanceType", "instance_type", Val::Param("InstanceType")),
        ];
        if inst.public_ip == m.subnet(inst.subnet).public_ip_on_launch {
            // The subnet's `MapPublicIpOnLaunch` gives the instance's
            // public-IP setting: the plain properties say the rest.
            props.extend([
                both("SubnetId", "subnet_id", Val::Ref(subnet)),
                both("PrivateIpAddress", "private_ip", ip(inst.address)),
                tf_only("associate_public_ip_address", Val::Bool(inst.public_ip)),
                both(
                    "SecurityGroupIds",
                    "vpc_security_group_ids",
                    Val::List(groups),
                ),
            ]);
        } else {
            // Only an interface specification overrides the subnet's
            // setting in CloudFormation.
            let eni = Val::Map(vec![
                cfn_only("DeviceIndex", s("0")),
                cfn_only("SubnetId", Val::Ref(subnet)),
                cfn_only("PrivateIpAddress", ip(inst.address)),
                cfn_only("AssociatePublicIpAddress", Val::Bool(inst.public_ip)),
                cfn_only("GroupSet", Val::List(groups.clone())),
            ]);
            props.extend([
                cfn_only("NetworkInterfaces", Val::List(vec![eni])),
                tf_only("subnet_id", Val::Ref(subnet)),
                tf_only("private_ip", ip(inst.address)),
                tf_only("associate_public_ip_address", Val::Bool(inst.public_ip)),
                tf_only("vpc_security_group_ids", Val::List(groups)),
            ]);
        }
        props.push(both(
            "SourceDestCheck",
            "source_dest_check",
            Val::Bool(inst.source_dest_check),
        ));
        props.push(tags(&inst.name));
        let r = b.add(
            "Instance",
            &inst.name,
            Some("AWS::EC2::Instance"),
            Some("aws_instance"),
            props,
        );
        if inst.public_ip {
            let vpc = m.subnet(inst.subnet).vpc;
            if let Some(g) = m.vpc(vpc).internet_gateway {
                let attach = b.igw_attach[g.index()];
                b.resources[r].depends_on.push(attach);
            }
        }
        b.instance.push(r);
    }

    // Peerings.
    for p in &m.peerings {
        let r = b.add(
            "Peering",
            &p.name,
            Some("AWS::EC2::VPCPeeringConnection"),
            Some("aws_vpc_peering_connection"),
            vec![
                both("VpcId", "vpc_id", b.vpc_ref(p.a)),
                both("PeerVpcId", "peer_vpc_id", b.vpc_ref(p.b)),
                tf_only("auto_accept", Val::Bool(true)),
                tags(&p.name),
            ],
        );
        b.peering.push(r);
    }

    transit_gateways(&mut b);

    // Route tables, their routes and associations (propagation from a
    // virtual private gateway after them: `vgw_propagations`).
    for (ti, table) in m.route_tables.iter().enumerate() {
        if table.span.is_none() {
            // The implicit main table: AWS makes it with the VPC.
            b.route_table.push(None);
            continue;
        }
        let vpc = b.vpc_ref(table.vpc);
        let t = b.add(
            "RouteTable",
            &table.name,
            Some("AWS::EC2::RouteTable"),
            Some("aws_route_table"),
            vec![both("VpcId", "vpc_id", vpc.clone()), tags(&table.name)],
        );
        b.route_table.push(Some(t));
        if table.main {
            // CloudFormation has no resource that replaces a VPC's main
            // route table; Terraform has one. Both outputs also associate
            // every subnet that uses the table explicitly, so each
            // declared subnet routes the same either way.
            b.add(
                "MainAssoc",
                &table.name,
                None,
                Some("aws_main_route_table_association"),
                vec![
                    tf_only("vpc_id", vpc.clone()),
                    tf_only("route_table_id", Val::Ref(t)),
                ],
            );
        }
        let mut n = 0;
        for route in &table.routes {
            if route.origin != RouteOrigin::Written {
                continue;
            }
            // A prefix list's route is one AWS route, made for its first
            // entry's route and skipped for the others.
            let (dest, dest_prop) = match route.destination {
                Destination::Cidr(c) => (
                    c,
                    both(
                        "DestinationCidrBlock",
                        "destination_cidr_block",
                        s(c.to_string()),
                    ),
                ),
                Destination::ListEntry(l, entry) => {
                    if m.prefix_list(l).entries.first() != Some(&entry) {
                        continue;
                    }
                    (
                        entry,
                        both(
                            "DestinationPrefixListId",
                            "destination_prefix_list_id",
                            Val::Ref(b.managed_list[l.index()]),
                        ),
                    )
                }
                // `routes` holds IPv4 routes only; IPv6 routes are
                // refused before this (E0701).
                Destination::Cidr6(_) => continue,
                Destination::PrefixList(svc) => {
                    b.error(
                        route.span,
                        format!(
                            "route to `pl:{}` cannot be exported: a prefix-list route is made by a gateway endpoint",
                            svc.as_str()
                        ),
                        "written prefix-list route",
                        "list the table in the gateway endpoint's `route_tables` instead",
                    );
                    continue;
                }
            };
            n += 1;
            let mut props = vec![
                both("RouteTableId", "route_table_id", Val::Ref(t)),
                dest_prop,
            ];
            let mut deps = Vec::new();
            match route.target {
                Target::InternetGateway(g) => {
                    props.push(both("GatewayId", "gateway_id", Val::Ref(b.igw[g.index()])));
                    deps.push(b.igw_attach[g.index()]);
                }
                Target::NatGateway(g) => props.push(both(
                    "NatGatewayId",
                    "nat_gateway_id",
                    Val::Ref(b.nat[g.index()]),
                )),
                Target::Instance(i) => {
                    // CloudFormation names the instance (its template has
                    // no attribute for the primary interface); the `aws`
                    // provider's `aws_route` routes only to an interface.
                    let inst = b.instance[i.index()];
                    props.push(cfn_only("InstanceId", Val::Ref(inst)));
                    props.push(tf_only(
                        "network_interface_id",
                        Val::Att(inst, "", "primary_network_interface_id"),
                    ));
                }
                Target::Peering(p) => props.push(both(
                    "VpcPeeringConnectionId",
                    "vpc_peering_connection_id",
                    Val::Ref(b.peering[p.index()]),
                )),
                Target::TransitGateway(g) => {
                    props.push(both(
                        "TransitGatewayId",
                        "transit_gateway_id",
                        Val::Ref(b.tgw[g.index()]),
                    ));
                    // AWS refuses a route to a transit gateway the VPC is
                    // not attached to yet (the checker makes sure it is).
                    if let Some(a) = m.vpc_attachment(g, table.vpc) {
                        deps.push(b.tgw_att[a.index()]);
                    }
                }
                Target::VpnGateway(g) => {
                    props.push(both("GatewayId", "gateway_id", Val::Ref(b.vgw[g.index()])));
                    // A route to a gateway not attached yet is refused.
                    deps.push(b.vgw_attach[g.index()]);
                }
                Target::GatewayEndpoint(_)
                | Target::Local(_)
                | Target::Blackhole
                | Target::EgressOnlyGateway(_) => {
                    b.error(
                        route.span,
                        format!(
                            "route {} -> {} cannot be exported: AWS creates no such route on request",
                            dest,
                            m.target_name(route.target)
                        ),
                        "not expressible in CloudFormation or Terraform",
                        "remove the route; AWS makes blackhole routes only when a target is deleted",
                    );
                    continue;
                }
            }
            let r = b.add(
                "Route",
                &format!("{}-{}", table.name, n),
                Some("AWS::EC2::Route"),
                Some("aws_route"),
                props,
            );
            b.resources[r].depends_on = deps;
        }
        for subnet in &table.subnets {
            let sub = m.subnet(*subnet);
            if !sub.explicit_route_table && !table.main {
                continue;
            }
            let _ = ti;
            b.add(
                "RtAssoc",
                &sub.name,
                Some("AWS::EC2::SubnetRouteTableAssociation"),
                Some("aws_route_table_association"),
                vec![
                    both("SubnetId", "subnet_id", Val::Ref(b.subnet[subnet.index()])),
                    both("RouteTableId", "route_table_id", Val::Ref(t)),
                ],
            );
        }
    }
    vgw_propagations(&mut b);

    // Endpoints.
    for ep in &m.endpoints {
        let service = if m.region.is_some() {
            s(ep.service_name.clone())
        } else {
            Val::RegionalService(ep.service.clone())
        };
        let mut props = vec![
            both("VpcId", "vpc_id", b.vpc_ref(ep.vpc)),
            both("ServiceName", "service_name", service),
        ];
        match &ep.kind {
            EndpointKind::Gateway { route_tables } => {
                props.push(both("VpcEndpointType", "vpc_endpoint_type", s("Gateway")));
                let mut tables = Vec::new();
                for t in route_tables {
                    match b.route_table[t.index()] {
                        Some(r) => tables.push(Val::Ref(r)),
                        None => b.error(
                            Some(ep.span),
                            format!(
                                "gateway endpoint `{}` uses the implicit main route table, which a template cannot name",
                                ep.name
                            ),
                            "endpoint on the implicit main table",
                            "declare the table (`route_table NAME main { }`) and list it by name",
                        ),
                    }
                }
                props.push(both("RouteTableIds", "route_table_ids", Val::List(tables)));
            }
            EndpointKind::Interface {
                interfaces,
                security_groups,
                private_dns,
            } => {
                props.push(both("VpcEndpointType", "vpc_endpoint_type", s("Interface")));
                props.push(both(
                    "SubnetIds",
                    "subnet_ids",
                    Val::List(
                        interfaces
                            .iter()
                            .map(|i| Val::Ref(b.subnet[i.subnet.index()]))
                            .collect(),
                    ),
                ));
                props.push(both(
                    "SecurityGroupIds",
                    "security_group_ids",
                    Val::List(security_groups.iter().map(|g| b.sg_ref(*g)).collect()),
                ));
                props.push(both(
                    "PrivateDnsEnabled",
                    "private_dns_enabled",
                    Val::Bool(*private_dns),
                ));
            }
        }
        props.push(tags(&ep.name));
        let r = b.add(
            "Endpoint",
            &ep.name,
            Some("AWS::EC2::VPCEndpoint"),
            Some("aws_vpc_endpoint"),
            props,
        );
        if let EndpointKind::Interface { interfaces, .. } = &ep.kind {
            // A template cannot choose an endpoint interface's address (AWS
            // picks a free one); the instances and NAT gateways of its
            // subnets, whose addresses the template does give, come first
            // so that AWS's pick cannot take one of theirs.
            let subnets: Vec<SubnetId> = interfaces.iter().map(|i| i.subnet).collect();
            let mut deps: Vec<usize> = m
                .instances
                .iter()
                .zip(&b.instance)
                .filter(|(inst, _)| subnets.contains(&inst.subnet))
                .map(|(_, r)| *r)
                .collect();
            deps.extend(
                m.nat_gateways
                    .iter()
                    .zip(&b.nat)
                    .filter(|(nat, _)| subnets.contains(&nat.subnet))
                    .map(|(_, r)| *r),
            );
            deps.sort_unstable();
            b.resources[r].depends_on = deps;
        }
        b.endpoint.push(r);
    }

    // Security group rules: one resource per rule and peer CIDR, so that
    // groups can name each other without a cycle.
    for (gi, sg) in m.security_groups.iter().enumerate() {
        let Some(group) = b.sg[gi] else { continue };
        // (direction, protocol, ports, peer) of each rule resource.
        let mut rules: Vec<(Direction, ProtocolKind, Ports, Prop)> = Vec::new();
        for rule in &sg.rules {
            let peers: Vec<Prop> = match &rule.peer {
                SgPeer::Cidr(c) => vec![cidr_peer(rule.direction, c.to_string())],
                SgPeer::Cidr6(_) => {
                    b.error(
                        rule.span,
                        format!("a rule of security group `{}` matches IPv6, which `vpcc export` does not write yet", sg.name),
                        "IPv6 rule",
                        "export the IPv4 design from a copy without IPv6 rules; IPv6 export is planned (docs/ipv6.md)",
                    );
                    continue;
                }
                SgPeer::Internet => vec![cidr_peer(rule.direction, "0.0.0.0/0".to_string())],
                SgPeer::External(e) => m
                    .external(*e)
                    .cidrs
                    .iter()
                    .map(|c| cidr_peer(rule.direction, c.to_string()))
                    .collect(),
                SgPeer::PrefixList(l) => {
                    let key = match rule.direction {
                        Direction::In => "SourcePrefixListId",
                        Direction::Out => "DestinationPrefixListId",
                    };
                    vec![both(
                        key,
                        "prefix_list_id",
                        Val::Ref(b.managed_list[l.index()]),
                    )]
                }
                SgPeer::Group(g) => {
                    let key = match rule.direction {
                        Direction::In => "SourceSecurityGroupId",
                        Direction::Out => "DestinationSecurityGroupId",
                    };
                    vec![both(key, "referenced_security_group_id", b.sg_ref(*g))]
                }
                SgPeer::Service(svc) => match GatewayService::parse(svc) {
                    Some(g) => {
                        if !b.prefix_lists.contains(&g) {
                            b.prefix_lists.push(g);
                        }
                        let key = match rule.direction {
                            Direction::In => "SourcePrefixListId",
                            Direction::Out => "DestinationPrefixListId",
                        };
                        vec![both(key, "prefix_list_id", Val::PrefixList(g))]
                    }
                    None => {
                        b.error(
                            rule.span,
                            format!(
                                "rule naming `service {svc}` cannot be exported: AWS has a managed prefix list only for s3 and dynamodb"
                            ),
                            "no prefix list for this service",
                            "name the interface endpoint's subnets or the service's CIDRs (an `external`) instead",
                        );
                        continue;
                    }
                },
            };
            for p in peers {
                rules.push((rule.direction, rule.protocol, rule.ports, p));
            }
        }
        if sg.default_egress {
            // CloudFormation keeps AWS's allow-all egress rule of a new
            // group; Terraform removes it, so it is written there.
            rules.push((
                Direction::Out,
                ProtocolKind::All,
                None,
                tf_only("cidr_ipv4", s("0.0.0.0/0")),
            ));
        }
        let (mut nin, mut nout) = (0, 0);
        for (dir, proto, ports, peer) in rules {
            let (prefix, cfn_type, tf_type, n) = match dir {
                Direction::In => {
                    nin += 1;
                    (
                        "SgIn",
                        "AWS::EC2::SecurityGroupIngress",
                        "aws_vpc_security_group_ingress_rule",
                        nin,
                    )
                }
                Direction::Out => {
                    nout += 1;
                    (
                        "SgOut",
                        "AWS::EC2::SecurityGroupEgress",
                        "aws_vpc_security_group_egress_rule",
                        nout,
                    )
                }
            };
            let cfn_only_rule = peer.cfn.is_none();
            let mut props = vec![
                both("GroupId", "security_group_id", Val::Ref(group)),
                both("IpProtocol", "ip_protocol", s(protocol(proto))),
            ];
            if let Some((from, to)) = port_range(proto, ports) {
                props.push(both("FromPort", "from_port", Val::Int(from)));
                props.push(both("ToPort", "to_port", Val::Int(to)));
            }
            props.push(peer);
            let r = b.add(
                prefix,
                &format!("{}-{}", sg.name, n),
                if cfn_only_rule { None } else { Some(cfn_type) },
                Some(tf_type),
                props,
            );
            let _ = r;
        }
    }

    // Network ACLs.
    for (ai, acl) in m.network_acls.iter().enumerate() {
        if acl.default {
            b.acl.push(None);
            continue;
        }
        let a = b.add(
            "Acl",
            &acl.name,
            Some("AWS::EC2::NetworkAcl"),
            Some("aws_network_acl"),
            vec![both("VpcId", "vpc_id", b.vpc_ref(acl.vpc)), tags(&acl.name)],
        );
        b.acl.push(Some(a));
        for (egress, list) in [(false, &acl.inbound), (true, &acl.outbound)] {
            for rule in list {
                if !rule.cidrs6.is_empty() {
                    b.error(
                        rule.span,
                        format!("ACL rule {} matches IPv6, which `vpcc export` does not write yet", rule.number),
                        "IPv6 rule",
                        "export the IPv4 design from a copy without IPv6 rules; IPv6 export is planned (docs/ipv6.md)",
                    );
                    continue;
                }
                let cidr = match rule.cidrs.as_slice() {
                    [one] => *one,
                    _ => {
                        b.error(
                            rule.span,
                            format!(
                                "ACL rule {} names `{}`, {} CIDRs: an ACL entry holds one CIDR",
                                rule.number,
                                rule.peer_text,
                                rule.cidrs.len()
                            ),
                            "several CIDRs in one rule",
                            "write one rule per CIDR, each with its own number",
                        );
                        continue;
                    }
                };
                let mut props = vec![
                    both("NetworkAclId", "network_acl_id", Val::Ref(a)),
                    both(
                        "RuleNumber",
                        "rule_number",
                        Val::Int(i64::from(rule.number)),
                    ),
                    both("Egress", "egress", Val::Bool(egress)),
                    both(
                        "Protocol",
                        "protocol",
                        match rule.protocol {
                            ProtocolKind::Tcp => Val::Int(6),
                            ProtocolKind::Udp => Val::Int(17),
                            ProtocolKind::Icmp => Val::Int(1),
                            ProtocolKind::All => Val::Int(-1),
                        },
                    ),
                    both(
                        "RuleAction",
                        "rule_action",
                        s(if rule.allow { "allow" } else { "deny" }),
                    ),
                    both("CidrBlock", "cidr_block", s(cidr.to_string())),
                ];
                match rule.protocol {
                    ProtocolKind::Tcp | ProtocolKind::Udp => {
                        let (from, to) = rule.ports.unwrap_or((0, 65535));
                        props.push(cfn_only(
                            "PortRange",
                            Val::Map(vec![
                                cfn_only("From", Val::Int(i64::from(from))),
                                cfn_only("To", Val::Int(i64::from(to))),
                            ]),
                        ));
                        props.push(tf_only("from_port", Val::Int(i64::from(from))));
                        props.push(tf_only("to_port", Val::Int(i64::from(to))));
                    }
                    ProtocolKind::Icmp => {
                        props.push(cfn_only(
                            "Icmp",
                            Val::Map(vec![
                                cfn_only("Code", Val::Int(-1)),
                                cfn_only("Type", Val::Int(-1)),
                            ]),
                        ));
                        props.push(tf_only("icmp_type", Val::Int(-1)));
                        props.push(tf_only("icmp_code", Val::Int(-1)));
                    }
                    ProtocolKind::All => {}
                }
                b.add(
                    if egress { "AclOut" } else { "AclIn" },
                    &format!("{}-{}", acl.name, rule.number),
                    Some("AWS::EC2::NetworkAclEntry"),
                    Some("aws_network_acl_rule"),
                    props,
                );
            }
        }
        let _ = ai;
    }
    for (si, subnet) in m.subnets.iter().enumerate() {
        let acl: NetworkAclId = subnet.network_acl;
        if let Some(a) = b.acl[acl.index()] {
            b.add(
                "AclAssoc",
                &subnet.name,
                Some("AWS::EC2::SubnetNetworkAclAssociation"),
                Some("aws_network_acl_association"),
                vec![
                    both("SubnetId", "subnet_id", Val::Ref(b.subnet[si])),
                    both("NetworkAclId", "network_acl_id", Val::Ref(a)),
                ],
            );
        }
    }

    if !b.diagnostics.is_empty() {
        crate::diag::sort(&mut b.diagnostics);
        return Err(b.diagnostics);
    }
    Ok(Plan {
        description: format!("Exported by vpcc from {file_name}"),
        params,
        resources: b.resources,
        uses_zone_index: b.uses_zone_index,
        region: m.region.clone(),
        prefix_lists: {
            let mut p = b.prefix_lists;
            p.sort();
            p
        },
        inputs: b.inputs,
        cfn_refusals: {
            let mut d = b.cfn_refusals;
            crate::diag::sort(&mut d);
            d
        },
    })
}

/// The AWS::EC2::VPCGatewayAttachment of gateway resource `g` (its id under
/// `key`) to `vpc`: CloudFormation's only (Terraform attaches an internet
/// or VPN gateway by the gateway's own `vpc_id`).
fn gateway_attachment(
    b: &mut Builder<'_>,
    prefix: &str,
    name: &str,
    vpc: Val,
    key: &'static str,
    g: usize,
) -> usize {
    b.add(
        prefix,
        name,
        Some("AWS::EC2::VPCGatewayAttachment"),
        None,
        vec![cfn_only("VpcId", vpc), cfn_only(key, Val::Ref(g))],
    )
}

/// Virtual private gateways, after the internet gateways: the gateway
/// (Terraform attaches it by `vpc_id`, CloudFormation by an
/// AWS::EC2::VPCGatewayAttachment, as for an internet gateway), then per
/// VPN a customer gateway (its public address an input), the VPN
/// connection (static routes only) and one AWS::EC2::VPNConnectionRoute /
/// aws_vpn_connection_route per route.
fn vpn_gateways(b: &mut Builder<'_>) {
    let m = b.m;
    for gw in &m.vpn_gateways {
        let vpc = b.vpc_ref(gw.vpc);
        let g = b.add(
            "Vgw",
            &gw.name,
            Some("AWS::EC2::VPNGateway"),
            Some("aws_vpn_gateway"),
            vec![
                cfn_only("Type", s("ipsec.1")),
                tf_only("vpc_id", vpc.clone()),
                tags(&gw.name),
            ],
        );
        let a = gateway_attachment(b, "VgwAttach", &gw.name, vpc, "VpnGatewayId", g);
        b.vgw.push(g);
        b.vgw_attach.push(a);
        for vpn in &gw.vpns {
            let cgw = customer_gateway(b, &vpn.name, vpn.external);
            let c = b.add(
                "Vpn",
                &vpn.name,
                Some("AWS::EC2::VPNConnection"),
                Some("aws_vpn_connection"),
                vec![
                    both("CustomerGatewayId", "customer_gateway_id", Val::Ref(cgw)),
                    both("VpnGatewayId", "vpn_gateway_id", Val::Ref(g)),
                    both("StaticRoutesOnly", "static_routes_only", Val::Bool(true)),
                    both("Type", "type", s("ipsec.1")),
                    tags(&vpn.name),
                ],
            );
            for (k, route) in vpn.routes.iter().enumerate() {
                b.add(
                    "VpnRoute",
                    &format!("{}-{k}", vpn.name),
                    Some("AWS::EC2::VPNConnectionRoute"),
                    Some("aws_vpn_connection_route"),
                    vec![
                        both(
                            "DestinationCidrBlock",
                            "destination_cidr_block",
                            s(route.to_string()),
                        ),
                        both("VpnConnectionId", "vpn_connection_id", Val::Ref(c)),
                    ],
                );
            }
        }
    }
}

/// The customer gateway of VPN `vpn` (of a transit gateway or a virtual
/// private gateway) to `external`: its public address is not in the
/// language, so the deployer gives it (a parameter / variable without a
/// default); static routing, so the ASN is only AWS's required default. It
/// is the device of the on-premises network: its `Name` tag is the
/// VPN's and an `OnPremises` tag names the network (which lets `vpcc
/// import` name the external back).
fn customer_gateway(b: &mut Builder<'_>, vpn: &str, external: crate::model::ExternalId) -> usize {
    let (param, tf) = b.names.assign("CustomerGatewayIp", vpn, "variable");
    let input = b.inputs.len();
    b.inputs.push(Input {
        name: param,
        tf_name: format!("{tf}_customer_gateway_ip"),
        description: format!(
            "Public IPv4 address of the customer gateway of VPN {vpn} (the device at {})",
            b.m.external(external).name
        ),
        pattern: IPV4_PATTERN,
    });
    b.add(
        "CustomerGateway",
        vpn,
        Some("AWS::EC2::CustomerGateway"),
        Some("aws_customer_gateway"),
        vec![
            both("BgpAsn", "bgp_asn", Val::Int(65000)),
            both("IpAddress", "ip_address", Val::Input(input)),
            both("Type", "type", s("ipsec.1")),
            both(
                "Tags",
                "tags",
                Val::Tags(vec![
                    ("Name", vpn.to_string()),
                    ("OnPremises", b.m.external(external).name.clone()),
                ]),
            ),
        ],
    )
}

/// `propagate VGW`: one AWS::EC2::VPNGatewayRoutePropagation (a list of
/// one table) / aws_vpn_gateway_route_propagation per table that learns a
/// gateway's routes, after the gateway is attached (AWS refuses it before).
fn vgw_propagations(b: &mut Builder<'_>) {
    let m = b.m;
    for (ti, table) in m.route_tables.iter().enumerate() {
        let Some(g) = table
            .routes
            .iter()
            .find_map(|r| match (r.origin, r.target) {
                (RouteOrigin::Propagated, Target::VpnGateway(g)) => Some(g),
                _ => None,
            })
        else {
            continue;
        };
        let Some(t) = b.route_table[ti] else {
            continue;
        };
        let p = b.add(
            "VgwProp",
            &table.name,
            Some("AWS::EC2::VPNGatewayRoutePropagation"),
            Some("aws_vpn_gateway_route_propagation"),
            vec![
                cfn_only("RouteTableIds", Val::List(vec![Val::Ref(t)])),
                tf_only("route_table_id", Val::Ref(t)),
                both("VpnGatewayId", "vpn_gateway_id", Val::Ref(b.vgw[g.index()])),
            ],
        );
        b.resources[p].depends_on.push(b.vgw_attach[g.index()]);
    }
}

/// Transit gateways, after the subnets their VPC attachments name and
/// before the VPC route tables whose routes name them.
///
/// Per gateway, in model order: the gateway (default association and
/// propagation disabled: the file names every association and propagation),
/// its route tables, its attachments (a VPC attachment; for a VPN a
/// customer gateway and a VPN connection), each attachment's association,
/// then per table its propagations and static routes.
///
/// A static VPN propagates nothing in AWS (only BGP-learned routes do),
/// while vpcc's `propagate [vpn]` learns the VPN's `routes`: so a table
/// that propagates a VPN gets one static route per VPN route, to the VPN's
/// attachment, unless the table already has a route to that very block
/// that wins over the propagated one (a static or prefix-list route).
fn transit_gateways(b: &mut Builder<'_>) {
    let m = b.m;
    for t in &m.transit_gateways {
        let g = b.add(
            "Tgw",
            &t.name,
            Some("AWS::EC2::TransitGateway"),
            Some("aws_ec2_transit_gateway"),
            vec![
                both(
                    "Description",
                    "description",
                    s(format!("vpcc transit gateway {}", t.name)),
                ),
                both(
                    "DefaultRouteTableAssociation",
                    "default_route_table_association",
                    s("disable"),
                ),
                both(
                    "DefaultRouteTablePropagation",
                    "default_route_table_propagation",
                    s("disable"),
                ),
                both(
                    "SecurityGroupReferencingSupport",
                    "security_group_referencing_support",
                    s(if t.sg_referencing {
                        "enable"
                    } else {
                        "disable"
                    }),
                ),
                tags(&t.name),
            ],
        );
        b.tgw.push(g);
    }
    for table in &m.tgw_route_tables {
        let r = b.add(
            "TgwRouteTable",
            &table.name,
            Some("AWS::EC2::TransitGatewayRouteTable"),
            Some("aws_ec2_transit_gateway_route_table"),
            vec![
                both(
                    "TransitGatewayId",
                    "transit_gateway_id",
                    Val::Ref(b.tgw[table.tgw.index()]),
                ),
                tags(&table.name),
            ],
        );
        b.tgw_table.push(r);
    }
    for att in &m.tgw_attachments {
        let tgw = Val::Ref(b.tgw[att.tgw.index()]);
        let r = match &att.kind {
            TgwAttachmentKind::Vpc { vpc, subnets } => {
                // AWS::EC2::TransitGatewayVpcAttachment rather than
                // AWS::EC2::TransitGatewayAttachment: the CloudFormation
                // reference recommends it ("to update tags for a VPC
                // attachment after creation without replacing the
                // attachment, use AWS::EC2::TransitGatewayVpcAttachment
                // instead"); both take the same VpcId, SubnetIds and
                // TransitGatewayId, and `Ref` gives the attachment id.
                let subnets = subnets
                    .iter()
                    .map(|sub| Val::Ref(b.subnet[sub.index()]))
                    .collect();
                b.add(
                    "TgwAttach",
                    &att.name,
                    Some("AWS::EC2::TransitGatewayVpcAttachment"),
                    Some("aws_ec2_transit_gateway_vpc_attachment"),
                    vec![
                        both("TransitGatewayId", "transit_gateway_id", tgw),
                        both("VpcId", "vpc_id", b.vpc_ref(*vpc)),
                        both("SubnetIds", "subnet_ids", Val::List(subnets)),
                        tf_only(
                            "transit_gateway_default_route_table_association",
                            Val::Bool(false),
                        ),
                        tf_only(
                            "transit_gateway_default_route_table_propagation",
                            Val::Bool(false),
                        ),
                        // AWS's default for an attachment, written out: the
                        // gateway's setting decides (vpcc models no
                        // per-attachment choice).
                        cfn_only(
                            "Options",
                            Val::Map(vec![cfn_only(
                                "SecurityGroupReferencingSupport",
                                s("enable"),
                            )]),
                        ),
                        tf_only("security_group_referencing_support", s("enable")),
                        tags(&att.name),
                    ],
                )
            }
            TgwAttachmentKind::Vpn { external, .. } => {
                let cgw = customer_gateway(b, &att.name, *external);
                b.cfn_refuse(
                    att.span,
                    format!(
                        "VPN `{}` cannot be exported to CloudFormation: its association with table `{}`, its propagations and routes to it name its transit gateway attachment, and AWS::EC2::VPNConnection returns no attachment id",
                        att.name,
                        m.tgw_route_table(att.route_table).name
                    ),
                    "a VPN attachment a template cannot name",
                    "export to Terraform (`--format terraform`), which can name the VPN's attachment (`aws_vpn_connection.transit_gateway_attachment_id`)",
                );
                b.add(
                    "Vpn",
                    &att.name,
                    Some("AWS::EC2::VPNConnection"),
                    Some("aws_vpn_connection"),
                    vec![
                        both("CustomerGatewayId", "customer_gateway_id", Val::Ref(cgw)),
                        both("TransitGatewayId", "transit_gateway_id", tgw),
                        both("StaticRoutesOnly", "static_routes_only", Val::Bool(true)),
                        both("Type", "type", s("ipsec.1")),
                        tags(&att.name),
                    ],
                )
            }
        };
        b.tgw_att.push(r);
    }
    // Associations: each attachment with its one table.
    for (ai, att) in m.tgw_attachments.iter().enumerate() {
        let (id, cfn) = b.tgw_att_id(crate::model::TgwAttachmentId(ai as u32));
        let table = Val::Ref(b.tgw_table[att.route_table.index()]);
        b.add(
            "TgwAssoc",
            &att.name,
            cfn.then_some("AWS::EC2::TransitGatewayRouteTableAssociation"),
            Some("aws_ec2_transit_gateway_route_table_association"),
            vec![
                both(
                    "TransitGatewayAttachmentId",
                    "transit_gateway_attachment_id",
                    id,
                ),
                both(
                    "TransitGatewayRouteTableId",
                    "transit_gateway_route_table_id",
                    table,
                ),
            ],
        );
    }
    for (ti, table) in m.tgw_route_tables.iter().enumerate() {
        let t = b.tgw_table[ti];
        let mut n = 0;
        let route = |b: &mut Builder<'_>, n: &mut usize, dest: String, target: Prop, cfn: bool| {
            *n += 1;
            b.add(
                "TgwRoute",
                &format!("{}-{}", table.name, n),
                cfn.then_some("AWS::EC2::TransitGatewayRoute"),
                Some("aws_ec2_transit_gateway_route"),
                vec![
                    both(
                        "TransitGatewayRouteTableId",
                        "transit_gateway_route_table_id",
                        Val::Ref(t),
                    ),
                    both("DestinationCidrBlock", "destination_cidr_block", s(dest)),
                    target,
                ],
            );
        };
        for a in &table.propagations {
            let att = m.tgw_attachment(*a);
            let (id, cfn) = b.tgw_att_id(*a);
            match &att.kind {
                TgwAttachmentKind::Vpc { .. } => {
                    b.add(
                        "TgwProp",
                        &format!("{}-{}", table.name, att.name),
                        Some("AWS::EC2::TransitGatewayRouteTablePropagation"),
                        Some("aws_ec2_transit_gateway_route_table_propagation"),
                        vec![
                            both(
                                "TransitGatewayAttachmentId",
                                "transit_gateway_attachment_id",
                                id,
                            ),
                            both(
                                "TransitGatewayRouteTableId",
                                "transit_gateway_route_table_id",
                                Val::Ref(t),
                            ),
                        ],
                    );
                }
                TgwAttachmentKind::Vpn { .. } => {
                    // The VPN's routes as static routes (see above), in the
                    // table's match order.
                    for r in &table.routes {
                        if r.origin != TgwRouteOrigin::PropagatedVpn
                            || r.target != TgwTarget::Attachment(*a)
                        {
                            continue;
                        }
                        let Some(net) = r.destination.net() else {
                            continue;
                        };
                        let beaten = table.routes.iter().any(|o| {
                            matches!(
                                o.origin,
                                TgwRouteOrigin::Static | TgwRouteOrigin::PrefixList
                            ) && o.destination.net() == Some(net)
                        });
                        if beaten {
                            continue;
                        }
                        let target = both(
                            "TransitGatewayAttachmentId",
                            "transit_gateway_attachment_id",
                            id.clone(),
                        );
                        route(b, &mut n, net.to_string(), target, cfn);
                    }
                }
            }
        }
        // Written routes, in match order.
        for r in &table.routes {
            let (target, cfn) = match r.target {
                TgwTarget::Attachment(a) => {
                    let (id, cfn) = b.tgw_att_id(a);
                    let key = (
                        "TransitGatewayAttachmentId",
                        "transit_gateway_attachment_id",
                    );
                    (both(key.0, key.1, id), cfn)
                }
                TgwTarget::Blackhole => (both("Blackhole", "blackhole", Val::Bool(true)), true),
            };
            match (r.origin, r.destination) {
                (TgwRouteOrigin::Static, Destination::Cidr(c)) => {
                    route(b, &mut n, c.to_string(), target, cfn);
                }
                (TgwRouteOrigin::PrefixList, Destination::ListEntry(l, entry)) => {
                    // One reference per list, made for its first entry's
                    // route and skipped for the others.
                    let list = m.prefix_list(l);
                    if list.entries.first() != Some(&entry) {
                        continue;
                    }
                    n += 1;
                    // CloudFormation has no prefix-list reference resource
                    // (the EC2 API and Terraform have one).
                    b.cfn_refuse(
                        r.span,
                        format!(
                            "route from transit gateway table `{}` to prefix list `{}` cannot be exported to CloudFormation: it has no resource for a transit gateway prefix-list reference",
                            table.name, list.name
                        ),
                        "a prefix-list route of a transit gateway table",
                        "export to Terraform (`--format terraform`, aws_ec2_transit_gateway_prefix_list_reference), or route each of the list's CIDRs",
                    );
                    b.add(
                        "TgwPlRef",
                        &format!("{}-{}", table.name, n),
                        None,
                        Some("aws_ec2_transit_gateway_prefix_list_reference"),
                        vec![
                            tf_only("transit_gateway_route_table_id", Val::Ref(t)),
                            tf_only("prefix_list_id", Val::Ref(b.managed_list[l.index()])),
                            target,
                        ],
                    );
                }
                _ => {}
            }
        }
    }
}

/// The most resources one CloudFormation template may hold.
pub const CFN_MAX_RESOURCES: usize = 500;

/// E0701 when the CloudFormation form of `plan` holds more resources than
/// one template may (Terraform has no such limit).
pub fn cfn_limit(m: &Model, plan: &Plan) -> Option<Diagnostic> {
    let count = plan
        .resources
        .iter()
        .filter(|r| r.cfn_type.is_some())
        .count();
    if count <= CFN_MAX_RESOURCES {
        return None;
    }
    let span = m.vpcs.first().map_or(Span { start: 0, end: 0 }, |v| v.span);
    Some(
        Diagnostic::new(
            Code::E0701,
            format!(
                "the CloudFormation template would hold {count} resources, more than the {CFN_MAX_RESOURCES} one template may hold"
            ),
            span,
            "the first VPC of the file",
        )
        .with_help("split the file, or export it with `--format terraform`"),
    )
}

/// Every E0701 of the CloudFormation formats: the plan's CloudFormation
/// refusals, then the template size limit.
pub fn cfn_errors(m: &Model, plan: &Plan) -> Vec<Diagnostic> {
    let mut all = plan.cfn_refusals.clone();
    all.extend(cfn_limit(m, plan));
    all
}

fn cidr_peer(dir: Direction, cidr: String) -> Prop {
    let _ = dir;
    both("CidrIp", "cidr_ipv4", s(cidr))
}
