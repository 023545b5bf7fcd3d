//! The template's resources as the JSON of the AWS CLI's `ec2 describe-*`
//! commands, AWS's implicit objects included.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::eval::{Eval, Res, as_bool, as_int, scalar_text};
use super::{default_acl, default_sg, main_table};

/// The resource types the import reads.
const MODELLED: [&str; 37] = [
    "AWS::EC2::VPC",
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::Subnet",
    "AWS::EC2::SubnetCidrBlock",
    "AWS::EC2::RouteTable",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::GatewayRouteTableAssociation",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::NatGateway",
    "AWS::EC2::EIP",
    "AWS::EC2::EIPAssociation",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::EC2::DHCPOptions",
    "AWS::EC2::VPCDHCPOptionsAssociation",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::Instance",
    "AWS::EC2::PrefixList",
    "AWS::EC2::TransitGateway",
    "AWS::EC2::TransitGatewayRouteTable",
    "AWS::EC2::TransitGatewayVpcAttachment",
    "AWS::EC2::TransitGatewayAttachment",
    "AWS::EC2::TransitGatewayRouteTableAssociation",
    "AWS::EC2::TransitGatewayRouteTablePropagation",
    "AWS::EC2::TransitGatewayRoute",
    "AWS::EC2::VPNGateway",
    "AWS::EC2::CustomerGateway",
    "AWS::EC2::VPNConnection",
    "AWS::EC2::VPNConnectionRoute",
    "AWS::EC2::VPNGatewayRoutePropagation",
];

/// Why a type is left out, for its warning.
fn why_not(ty: &str) -> &'static str {
    if ty.starts_with("AWS::EC2::TransitGateway") {
        "transit gateways are not modelled"
    } else if ty.starts_with("AWS::EC2::") {
        "vpcc does not model this resource type"
    } else {
        "not a network resource vpcc models"
    }
}

/// What every section reads: the evaluator, the resources made (a false
/// `Condition`: not made) by type, the template's VPCs; and the warnings.
struct Cx<'e, 'a> {
    ev: &'e Eval<'a>,
    by_type: BTreeMap<&'a str, Vec<&'e Res<'a>>>,
    vpc_ids: BTreeSet<String>,
    warnings: Vec<String>,
}

impl<'e, 'a> Cx<'e, 'a> {
    fn new(ev: &'e Eval<'a>) -> Result<Self, String> {
        let mut by_type: BTreeMap<&'a str, Vec<&'e Res<'a>>> = BTreeMap::new();
        let mut warnings = Vec::new();
        for r in ev.resources.values() {
            if !ev.exists(r.id)? {
                continue;
            }
            if MODELLED.contains(&r.ty) {
                by_type.entry(r.ty).or_default().push(r);
            } else {
                warnings.push(format!("{}: {} left out ({})", r.id, r.ty, why_not(r.ty)));
            }
        }
        let vpc_ids = by_type
            .get("AWS::EC2::VPC")
            .into_iter()
            .flatten()
            .map(|r| r.id.to_string())
            .collect();
        Ok(Cx {
            ev,
            by_type,
            vpc_ids,
            warnings,
        })
    }

    /// The resources of a type, in logical-id order.
    fn of(&self, ty: &str) -> Vec<&'e Res<'a>> {
        self.by_type.get(ty).cloned().unwrap_or_default()
    }

    fn prop(&self, r: &Res<'_>, key: &str) -> Result<Option<Value>, String> {
        self.ev.prop(r, key, 0)
    }

    fn str(&self, r: &Res<'_>, key: &str) -> Result<Option<String>, String> {
        self.ev.prop_str(r, key, 0)
    }

    fn bool(&self, r: &Res<'_>, key: &str) -> Result<Option<bool>, String> {
        self.ev.prop_bool(r, key, 0)
    }

    fn int(&self, r: &Res<'_>, key: &str) -> Result<Option<i64>, String> {
        self.ev.prop_int(r, key, 0)
    }

    /// A property the resource cannot do without.
    fn req(&self, r: &Res<'_>, key: &str) -> Result<String, String> {
        self.str(r, key)?
            .ok_or_else(|| format!("{}: {} without {key}", r.id, r.ty))
    }

    fn tags(&self, r: &Res<'_>) -> Result<Value, String> {
        Ok(self.prop(r, "Tags")?.unwrap_or_else(|| json!([])))
    }

    /// Whether `vpc` is one of the template's; a warning when not.
    fn in_template(&mut self, r: &Res<'_>, vpc: &str) -> bool {
        let ok = self.vpc_ids.contains(vpc);
        if !ok {
            self.warnings.push(format!(
                "{}: {} in VPC {vpc}, which the template does not declare, left out",
                r.id, r.ty
            ));
        }
        ok
    }

    /// The warning for a resource that adds to an object the template does
    /// not declare.
    fn undeclared(&mut self, r: &Res<'_>, what: &str) {
        self.warnings.push(format!(
            "{}: {what}, which the template does not declare, left out",
            r.id
        ));
    }
}

/// Appends `item` to the list `key` of the object `index` names; `false`
/// when `index` does not name `at`.
fn append(
    objects: &mut [Value],
    index: &BTreeMap<String, usize>,
    at: &str,
    key: &str,
    item: Value,
) -> bool {
    let list = index
        .get(at)
        .and_then(|&i| objects.get_mut(i))
        .and_then(|o| o.get_mut(key))
        .and_then(Value::as_array_mut);
    match list {
        Some(list) => {
            list.push(item);
            true
        }
        None => false,
    }
}

/// VPC -> its IPv4 blocks (for the local routes and peerings).
type Blocks = BTreeMap<String, Vec<String>>;

/// Elastic IP -> the instance or the interface it is associated with.
type EipOf = BTreeMap<String, String>;

/// Subnet -> (VPC, MapPublicIpOnLaunch).
type SubnetInfo = BTreeMap<String, (String, bool)>;

/// The template as the describe-* JSON [`super::super::aws::import`] reads (one
/// entry per command), and the warnings about what it leaves out.
pub fn describe(
    template: &Value,
    params: &BTreeMap<String, String>,
) -> Result<(BTreeMap<String, Value>, Vec<String>), String> {
    let ev = Eval::new(template, params)?;
    let cx = &mut Cx::new(&ev)?;
    let (vpcs, attributes, blocks) = vpcs(cx)?;
    let dhcp = dhcp_options(cx)?;
    let (subnets, subnet_info) = subnets(cx)?;
    let tables = route_tables(cx, &blocks)?;
    let igws = internet_gateways(cx)?;
    let (eip_instance, eip_eni) = elastic_ips(cx)?;
    let nats = nat_gateways(cx, &subnet_info)?;
    let addresses = addresses(cx, &eip_instance, &eip_eni)?;
    let sgs = security_groups(cx)?;
    let acls = network_acls(cx, &subnet_info)?;
    let public: BTreeSet<&str> = eip_instance.values().map(String::as_str).collect();
    let reservations = instances(cx, &subnet_info, &public)?;
    let endpoints = endpoints(cx)?;
    let peerings = peerings(cx, &blocks)?;
    let (lists, entries) = prefix_lists(cx)?;
    let tgw = transit_gateways(cx)?;
    let mut tables = tables;
    let (vgws, vpn_conns) = vpn_gateways(cx, &mut tables)?;
    let mut cgws = Vec::new();
    for r in cx.of("AWS::EC2::CustomerGateway") {
        cgws.push(json!({"CustomerGatewayId": r.id, "State": "available", "Tags": cx.tags(r)?}));
    }
    let docs = [
        ("describe-vpcs", json!({ "Vpcs": vpcs })),
        ("describe-subnets", json!({ "Subnets": subnets })),
        ("describe-route-tables", json!({ "RouteTables": tables })),
        (
            "describe-internet-gateways",
            json!({ "InternetGateways": igws }),
        ),
        ("describe-nat-gateways", json!({ "NatGateways": nats })),
        ("describe-security-groups", json!({ "SecurityGroups": sgs })),
        ("describe-network-acls", json!({ "NetworkAcls": acls })),
        (
            "describe-instances",
            json!({ "Reservations": reservations }),
        ),
        (
            "describe-vpc-endpoints",
            json!({ "VpcEndpoints": endpoints }),
        ),
        (
            "describe-vpc-peering-connections",
            json!({ "VpcPeeringConnections": peerings }),
        ),
        ("describe-dhcp-options", json!({ "DhcpOptions": dhcp })),
        ("describe-addresses", json!({ "Addresses": addresses })),
        ("describe-vpc-attribute", Value::Array(attributes)),
        (
            "describe-managed-prefix-lists",
            json!({ "PrefixLists": lists }),
        ),
        ("get-managed-prefix-list-entries", Value::Object(entries)),
        (
            "describe-transit-gateways",
            json!({ "TransitGateways": tgw.gateways }),
        ),
        (
            "describe-transit-gateway-route-tables",
            json!({ "TransitGatewayRouteTables": tgw.tables }),
        ),
        (
            "describe-transit-gateway-vpc-attachments",
            json!({ "TransitGatewayVpcAttachments": tgw.attachments }),
        ),
        (
            "get-transit-gateway-route-table-associations",
            Value::Object(tgw.associations),
        ),
        (
            "get-transit-gateway-route-table-propagations",
            Value::Object(tgw.propagations),
        ),
        ("search-transit-gateway-routes", Value::Object(tgw.routes)),
        ("describe-vpn-gateways", json!({ "VpnGateways": vgws })),
        (
            "describe-vpn-connections",
            json!({ "VpnConnections": vpn_conns }),
        ),
        (
            "describe-customer-gateways",
            json!({ "CustomerGateways": cgws }),
        ),
    ]
    .into_iter()
    .map(|(command, v)| (command.to_string(), v))
    .collect();
    Ok((docs, std::mem::take(&mut cx.warnings)))
}

/// Virtual private gateways (`describe-vpn-gateways`, with the VPC each is
/// attached to by an AWS::EC2::VPCGatewayAttachment) and their VPN
/// connections (`describe-vpn-connections`, with the static routes of their
/// AWS::EC2::VPNConnectionRoute resources); each
/// AWS::EC2::VPNGatewayRoutePropagation adds the gateway to its tables'
/// `PropagatingVgws`. A customer gateway is read through its connection.
fn vpn_gateways(
    cx: &mut Cx<'_, '_>,
    tables: &mut [Value],
) -> Result<(Vec<Value>, Vec<Value>), String> {
    let mut attached: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in cx.of("AWS::EC2::VPCGatewayAttachment") {
        if let Some(g) = cx.str(a, "VpnGatewayId")? {
            let vpc = cx.req(a, "VpcId")?;
            if cx.in_template(a, &vpc) {
                attached.entry(g).or_default().push(vpc);
            }
        }
    }
    let mut gateways = Vec::new();
    for r in cx.of("AWS::EC2::VPNGateway") {
        let vpcs: Vec<Value> = attached
            .remove(r.id)
            .unwrap_or_default()
            .iter()
            .map(|v| json!({"VpcId": v, "State": "attached"}))
            .collect();
        gateways.push(json!({
            "VpnGatewayId": r.id,
            "State": "available",
            "Type": cx.str(r, "Type")?.unwrap_or_else(|| "ipsec.1".to_string()),
            "VpcAttachments": vpcs,
            "Tags": cx.tags(r)?,
        }));
    }
    for (g, _) in attached {
        cx.warnings.push(format!(
            "{g}: attachment of a VPN gateway the template does not declare left out"
        ));
    }
    let mut connections = Vec::new();
    let mut index = BTreeMap::new();
    for r in cx.of("AWS::EC2::VPNConnection") {
        let mut c = json!({
            "VpnConnectionId": r.id,
            "State": "available",
            "CustomerGatewayId": cx.req(r, "CustomerGatewayId")?,
            "Type": cx.str(r, "Type")?.unwrap_or_else(|| "ipsec.1".to_string()),
            "Options": {"StaticRoutesOnly": cx.bool(r, "StaticRoutesOnly")?.unwrap_or(false)},
            "Routes": [],
            "Tags": cx.tags(r)?,
        });
        for key in ["VpnGatewayId", "TransitGatewayId"] {
            if let Some(v) = cx.str(r, key)? {
                c[key] = json!(v);
            }
        }
        index.insert(r.id.to_string(), connections.len());
        connections.push(c);
    }
    for r in cx.of("AWS::EC2::VPNConnectionRoute") {
        let conn = cx.req(r, "VpnConnectionId")?;
        let route = json!({
            "DestinationCidrBlock": cx.req(r, "DestinationCidrBlock")?,
            "Source": "Static",
            "State": "available",
        });
        if !append(&mut connections, &index, &conn, "Routes", route) {
            cx.undeclared(r, &format!("route of VPN connection {conn}"));
        }
    }
    let table_index: BTreeMap<String, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t["RouteTableId"].as_str().unwrap_or("").to_string(), i))
        .collect();
    for r in cx.of("AWS::EC2::VPNGatewayRoutePropagation") {
        let g = cx.req(r, "VpnGatewayId")?;
        let ids = cx.prop(r, "RouteTableIds")?.unwrap_or_else(|| json!([]));
        for t in ids.as_array().into_iter().flatten() {
            let t = t.as_str().unwrap_or("");
            if let Some(&i) = table_index.get(t) {
                let table = &mut tables[i];
                if table.get("PropagatingVgws").is_none() {
                    table["PropagatingVgws"] = json!([]);
                }
                if let Some(list) = table["PropagatingVgws"].as_array_mut() {
                    list.push(json!({"GatewayId": g}));
                }
            } else {
                cx.undeclared(r, &format!("propagation into route table {t}"));
            }
        }
    }
    Ok((gateways, connections))
}

/// Transit gateways as their describe-* and per-table outputs.
struct TgwDocs {
    gateways: Vec<Value>,
    tables: Vec<Value>,
    attachments: Vec<Value>,
    /// Table id -> `{"Associations": [...]}`.
    associations: Map<String, Value>,
    /// Table id -> `{"TransitGatewayRouteTablePropagations": [...]}`.
    propagations: Map<String, Value>,
    /// Table id -> `{"Routes": [...]}` (static routes).
    routes: Map<String, Value>,
}

fn transit_gateways(cx: &mut Cx<'_, '_>) -> Result<TgwDocs, String> {
    let mut d = TgwDocs {
        gateways: Vec::new(),
        tables: Vec::new(),
        attachments: Vec::new(),
        associations: Map::new(),
        propagations: Map::new(),
        routes: Map::new(),
    };
    for r in cx.of("AWS::EC2::TransitGateway") {
        let referencing = cx
            .str(r, "SecurityGroupReferencingSupport")?
            .unwrap_or_else(|| "disable".to_string());
        d.gateways.push(json!({
            "TransitGatewayId": r.id,
            "State": "available",
            "Options": {"SecurityGroupReferencingSupport": referencing},
            "Tags": cx.tags(r)?,
        }));
    }
    for r in cx.of("AWS::EC2::TransitGatewayRouteTable") {
        d.tables.push(json!({
            "TransitGatewayRouteTableId": r.id,
            "TransitGatewayId": cx.req(r, "TransitGatewayId")?,
            "State": "available",
            "Tags": cx.tags(r)?,
        }));
        for (map, key) in [
            (&mut d.associations, "Associations"),
            (&mut d.propagations, "TransitGatewayRouteTablePropagations"),
            (&mut d.routes, "Routes"),
        ] {
            map.insert(r.id.to_string(), json!({ key: [] }));
        }
    }
    let mut attachments = cx.of("AWS::EC2::TransitGatewayVpcAttachment");
    attachments.extend(cx.of("AWS::EC2::TransitGatewayAttachment"));
    attachments.sort_by_key(|r| r.id);
    for r in attachments {
        let subnets = cx.prop(r, "SubnetIds")?.unwrap_or_else(|| json!([]));
        d.attachments.push(json!({
            "TransitGatewayAttachmentId": r.id,
            "TransitGatewayId": cx.req(r, "TransitGatewayId")?,
            "VpcId": cx.req(r, "VpcId")?,
            "SubnetIds": subnets,
            "State": "available",
            "Tags": cx.tags(r)?,
        }));
    }
    let push = |map: &mut Map<String, Value>, r: &Res<'_>, table: &str, key: &str, item: Value| {
        match map
            .get_mut(table)
            .and_then(|v| v.get_mut(key))
            .and_then(Value::as_array_mut)
        {
            Some(list) => {
                list.push(item);
                Ok(())
            }
            None => Err(format!(
                "{}: {} of transit gateway route table {table}, which the template does not declare",
                r.id, r.ty
            )),
        }
    };
    for (ty, key, state) in [
        (
            "AWS::EC2::TransitGatewayRouteTableAssociation",
            "Associations",
            "associated",
        ),
        (
            "AWS::EC2::TransitGatewayRouteTablePropagation",
            "TransitGatewayRouteTablePropagations",
            "enabled",
        ),
    ] {
        for r in cx.of(ty) {
            let table = cx.req(r, "TransitGatewayRouteTableId")?;
            let item = json!({
                "TransitGatewayAttachmentId": cx.req(r, "TransitGatewayAttachmentId")?,
                "ResourceType": "vpc",
                "State": state,
            });
            let map = if key == "Associations" {
                &mut d.associations
            } else {
                &mut d.propagations
            };
            if let Err(w) = push(map, r, &table, key, item) {
                cx.warnings.push(format!("{w}, left out"));
            }
        }
    }
    for r in cx.of("AWS::EC2::TransitGatewayRoute") {
        let table = cx.req(r, "TransitGatewayRouteTableId")?;
        let blackhole = cx.bool(r, "Blackhole")?.unwrap_or(false);
        let mut route = json!({
            "DestinationCidrBlock": cx.req(r, "DestinationCidrBlock")?,
            "Type": "static",
            "State": if blackhole { "blackhole" } else { "active" },
        });
        if let Some(a) = cx.str(r, "TransitGatewayAttachmentId")? {
            route["TransitGatewayAttachments"] = json!([{ "TransitGatewayAttachmentId": a }]);
        }
        if let Err(w) = push(&mut d.routes, r, &table, "Routes", route) {
            cx.warnings.push(format!("{w}, left out"));
        }
    }
    Ok(d)
}

/// VPCs with their blocks, their DNS attributes (describe-vpc-attribute)
/// and their IPv4 blocks.
fn vpcs(cx: &mut Cx<'_, '_>) -> Result<(Vec<Value>, Vec<Value>, Blocks), String> {
    let mut vpcs = Vec::new();
    let mut attributes = Vec::new();
    // VPC -> its IPv4 blocks (for the local routes).
    let mut blocks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut dhcp_of: BTreeMap<String, String> = BTreeMap::new();
    for a in cx.of("AWS::EC2::VPCDHCPOptionsAssociation") {
        let vpc = cx.req(a, "VpcId")?;
        dhcp_of.insert(vpc, cx.req(a, "DhcpOptionsId")?);
    }
    let mut cidr_blocks: Vec<(&Res<'_>, String)> = Vec::new();
    for c in cx.of("AWS::EC2::VPCCidrBlock") {
        let vpc = cx.req(c, "VpcId")?;
        if !cx.vpc_ids.contains(&vpc) {
            cx.warnings.push(format!(
                "{}: CIDR block of VPC {vpc}, which the template does not declare, left out",
                c.id
            ));
            continue;
        }
        cidr_blocks.push((c, vpc));
    }
    for r in cx.of("AWS::EC2::VPC") {
        let id = r.id;
        let primary = cx.str(r, "CidrBlock")?;
        if primary.is_none() {
            cx.warnings.push(format!(
                "{id}: no CidrBlock (an IPAM pool's block is chosen at deployment); the VPC is left out"
            ));
        }
        let primary = primary.unwrap_or_default();
        let mut set = vec![json!({
            "CidrBlock": primary,
            "AssociationId": format!("{id}.CidrBlock"),
            "CidrBlockState": {"State": "associated"},
        })];
        let mut v6 = Vec::new();
        let mut mine = vec![primary.clone()];
        for (c, vpc) in &cidr_blocks {
            if vpc != id {
                continue;
            }
            if let Some(block) = cx.str(c, "CidrBlock")? {
                mine.push(block.clone());
                set.push(json!({
                    "CidrBlock": block,
                    "AssociationId": c.id,
                    "CidrBlockState": {"State": "associated"},
                }));
            } else {
                let block = cx.str(c, "Ipv6CidrBlock")?.map_or_else(
                    || format!("(Amazon-provided, {})", c.id),
                    |b| format!("{b} ({})", c.id),
                );
                v6.push(json!({"Ipv6CidrBlock": block, "AssociationId": c.id}));
            }
        }
        blocks.insert(id.to_string(), mine);
        vpcs.push(json!({
            "VpcId": id,
            "CidrBlock": primary,
            "CidrBlockAssociationSet": set,
            "Ipv6CidrBlockAssociationSet": v6,
            "DhcpOptionsId": dhcp_of.get(id).cloned().unwrap_or_else(|| "default".to_string()),
            "State": "available",
            "IsDefault": false,
            "Tags": cx.tags(r)?,
        }));
        attributes.push(json!({
            "VpcId": id,
            "EnableDnsSupport": {"Value": cx.bool(r, "EnableDnsSupport")?.unwrap_or(true)},
            "EnableDnsHostnames": {"Value": cx.bool(r, "EnableDnsHostnames")?.unwrap_or(false)},
        }));
    }
    Ok((vpcs, attributes, blocks))
}

/// DHCP option sets.
fn dhcp_options(cx: &mut Cx<'_, '_>) -> Result<Vec<Value>, String> {
    let mut dhcp = Vec::new();
    for r in cx.of("AWS::EC2::DHCPOptions") {
        let mut conf = Vec::new();
        for (key, name) in [
            ("DomainName", "domain-name"),
            ("DomainNameServers", "domain-name-servers"),
            ("NtpServers", "ntp-servers"),
            ("NetbiosNameServers", "netbios-name-servers"),
            ("NetbiosNodeType", "netbios-node-type"),
            (
                "Ipv6AddressPreferredLeaseTime",
                "ipv6-address-preferred-lease-time",
            ),
        ] {
            let values: Vec<Value> = match cx.prop(r, key)? {
                None => continue,
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(scalar_text)
                    .map(|v| json!({ "Value": v }))
                    .collect(),
                Some(v) => scalar_text(&v)
                    .map(|v| json!({ "Value": v }))
                    .into_iter()
                    .collect(),
            };
            conf.push(json!({"Key": name, "Values": values}));
        }
        dhcp.push(json!({"DhcpOptionsId": r.id, "DhcpConfigurations": conf, "Tags": cx.tags(r)?}));
    }

    Ok(dhcp)
}

/// Customer-managed prefix lists (describe-managed-prefix-lists) and
/// their entries (get-managed-prefix-list-entries, keyed by list id).
fn prefix_lists(cx: &mut Cx<'_, '_>) -> Result<(Vec<Value>, Map<String, Value>), String> {
    let mut lists = Vec::new();
    let mut entries = Map::new();
    for r in cx.of("AWS::EC2::PrefixList") {
        let family = cx.str(r, "AddressFamily")?.unwrap_or_default();
        if family != "IPv4" {
            cx.warnings.push(format!(
                "{}: AWS::EC2::PrefixList of address family `{family}` left out (vpcc models IPv4 lists)",
                r.id
            ));
            continue;
        }
        let cidrs: Vec<Value> = match cx.prop(r, "Entries")? {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|e| e.get("Cidr").and_then(scalar_text))
                .map(|c| json!({ "Cidr": c }))
                .collect(),
            _ => Vec::new(),
        };
        lists.push(json!({
            "PrefixListId": r.id,
            "PrefixListName": cx.req(r, "PrefixListName")?,
            "AddressFamily": "IPv4",
            "MaxEntries": cx.int(r, "MaxEntries")?.unwrap_or(0),
            "OwnerId": "123456789012",
            "Tags": cx.tags(r)?,
        }));
        entries.insert(r.id.to_string(), json!({ "Entries": cidrs }));
    }
    Ok((lists, entries))
}

/// Subnets, and what later sections need of them.
fn subnets(cx: &mut Cx<'_, '_>) -> Result<(Vec<Value>, SubnetInfo), String> {
    let mut subnets = Vec::new();
    // Subnet -> (VPC, MapPublicIpOnLaunch).
    let mut subnet_info: BTreeMap<String, (String, bool)> = BTreeMap::new();
    let mut subnet_v6: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for c in cx.of("AWS::EC2::SubnetCidrBlock") {
        let sub = cx.req(c, "SubnetId")?;
        let block = cx
            .str(c, "Ipv6CidrBlock")?
            .unwrap_or_else(|| "(IPv6)".to_string());
        subnet_v6
            .entry(sub)
            .or_default()
            .push(json!({"Ipv6CidrBlock": format!("{block} ({})", c.id), "AssociationId": c.id}));
    }
    for r in cx.of("AWS::EC2::Subnet") {
        let vpc = cx.req(r, "VpcId")?;
        if !cx.in_template(r, &vpc) {
            continue;
        }
        let maps = cx.bool(r, "MapPublicIpOnLaunch")?.unwrap_or(false);
        let mut v6 = subnet_v6.remove(r.id).unwrap_or_default();
        if let Some(b) = cx.str(r, "Ipv6CidrBlock")? {
            v6.push(json!({"Ipv6CidrBlock": b}));
        }
        let mut sub = json!({
            "SubnetId": r.id,
            "VpcId": vpc,
            "CidrBlock": cx.str(r, "CidrBlock")?.unwrap_or_default(),
            "MapPublicIpOnLaunch": maps,
            "State": "available",
            "Ipv6CidrBlockAssociationSet": v6,
            "Tags": cx.tags(r)?,
        });
        if let Some(az) = cx.str(r, "AvailabilityZone")? {
            sub["AvailabilityZone"] = json!(az);
        } else if cx.prop(r, "AvailabilityZoneId")?.is_some() {
            cx.warnings.push(format!(
                "{}: AvailabilityZoneId left out (a zone id names a different zone in each account)",
                r.id
            ));
        }
        subnet_info.insert(r.id.to_string(), (vpc, maps));
        subnets.push(sub);
    }
    for (sub, _) in subnet_v6 {
        cx.warnings.push(format!(
            "{sub}: IPv6 block of a subnet the template does not declare left out"
        ));
    }

    Ok((subnets, subnet_info))
}

/// Route tables: each VPC's main table, then the declared ones, with their
/// routes and associations.
fn route_tables(cx: &mut Cx<'_, '_>, blocks: &Blocks) -> Result<Vec<Value>, String> {
    let local = |vpc: &str| -> Vec<Value> {
        blocks
            .get(vpc)
            .into_iter()
            .flatten()
            .map(|b| json!({"DestinationCidrBlock": b, "GatewayId": "local", "State": "active", "Origin": "CreateRouteTable"}))
            .collect()
    };
    let mut tables: Vec<Value> = Vec::new();
    let mut table_index: BTreeMap<String, usize> = BTreeMap::new();
    for vpc in &cx.vpc_ids.clone() {
        let t = main_table(vpc);
        table_index.insert(t.clone(), tables.len());
        tables.push(json!({
            "RouteTableId": t,
            "VpcId": vpc,
            "Routes": local(vpc),
            "Associations": [{"Main": true, "RouteTableId": t, "RouteTableAssociationId": format!("{t}.Association")}],
            "Tags": [],
        }));
    }
    for r in cx.of("AWS::EC2::RouteTable") {
        let vpc = cx.req(r, "VpcId")?;
        if !cx.in_template(r, &vpc) {
            continue;
        }
        table_index.insert(r.id.to_string(), tables.len());
        tables.push(json!({
            "RouteTableId": r.id,
            "VpcId": vpc,
            "Routes": local(&vpc),
            "Associations": [],
            "Tags": cx.tags(r)?,
        }));
    }
    for r in cx.of("AWS::EC2::Route") {
        let table = cx.req(r, "RouteTableId")?;
        let mut route = Map::new();
        for key in [
            "DestinationCidrBlock",
            "DestinationIpv6CidrBlock",
            "DestinationPrefixListId",
            "GatewayId",
            "NatGatewayId",
            "InstanceId",
            "VpcPeeringConnectionId",
            "NetworkInterfaceId",
            "TransitGatewayId",
            "EgressOnlyInternetGatewayId",
            "CarrierGatewayId",
            "LocalGatewayId",
            "CoreNetworkArn",
            "VpcEndpointId",
        ] {
            if let Some(v) = cx.str(r, key)? {
                route.insert(key.to_string(), json!(v));
            }
        }
        if let Some(e) = route.remove("VpcEndpointId") {
            // A Gateway Load Balancer endpoint: AWS shows it as a gateway.
            cx.warnings.push(format!(
                "{}: route to endpoint {} left out (Gateway Load Balancer endpoints are not modelled)",
                r.id,
                e.as_str().unwrap_or("")
            ));
            continue;
        }
        route.insert("State".to_string(), json!("active"));
        route.insert("Origin".to_string(), json!("CreateRoute"));
        if !append(
            &mut tables,
            &table_index,
            &table,
            "Routes",
            Value::Object(route),
        ) {
            cx.undeclared(r, &format!("{} of route table {table}", r.ty));
        }
    }
    for r in cx.of("AWS::EC2::SubnetRouteTableAssociation") {
        let table = cx.req(r, "RouteTableId")?;
        let subnet = cx.req(r, "SubnetId")?;
        let association = json!({"Main": false, "RouteTableId": table, "SubnetId": subnet, "RouteTableAssociationId": r.id, "AssociationState": {"State": "associated"}});
        if !append(
            &mut tables,
            &table_index,
            &table,
            "Associations",
            association,
        ) {
            cx.undeclared(r, &format!("{} of route table {table}", r.ty));
        }
    }
    for r in cx.of("AWS::EC2::GatewayRouteTableAssociation") {
        let table = cx.req(r, "RouteTableId")?;
        let gateway = cx.req(r, "GatewayId")?;
        let association = json!({"Main": false, "RouteTableId": table, "GatewayId": gateway, "RouteTableAssociationId": r.id});
        if !append(
            &mut tables,
            &table_index,
            &table,
            "Associations",
            association,
        ) {
            cx.undeclared(r, &format!("{} of route table {table}", r.ty));
        }
    }

    Ok(tables)
}

/// Internet gateways with their attachments.
fn internet_gateways(cx: &mut Cx<'_, '_>) -> Result<Vec<Value>, String> {
    let mut igws = Vec::new();
    let mut attached: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in cx.of("AWS::EC2::VPCGatewayAttachment") {
        let vpc = cx.req(a, "VpcId")?;
        if let Some(g) = cx.str(a, "InternetGatewayId")?
            && cx.in_template(a, &vpc)
        {
            attached.entry(g).or_default().push(vpc);
        }
    }
    for r in cx.of("AWS::EC2::InternetGateway") {
        let vpcs_of = attached.remove(r.id).unwrap_or_default();
        if vpcs_of.is_empty() {
            cx.warnings.push(format!(
                "{}: internet gateway attached to no VPC of the template left out",
                r.id
            ));
        }
        let attachments: Vec<Value> = vpcs_of
            .iter()
            .map(|v| json!({"VpcId": v, "State": "available"}))
            .collect();
        igws.push(
            json!({"InternetGatewayId": r.id, "Attachments": attachments, "Tags": cx.tags(r)?}),
        );
    }
    for (g, _) in attached {
        cx.warnings.push(format!(
            "{g}: attachment of an internet gateway the template does not declare left out"
        ));
    }

    Ok(igws)
}

/// Elastic IPs: which instance, and which interface, each is associated
/// with.
fn elastic_ips(cx: &mut Cx<'_, '_>) -> Result<(EipOf, EipOf), String> {
    let mut eip_instance = EipOf::new();
    let mut eip_eni = EipOf::new();
    for r in cx.of("AWS::EC2::EIP") {
        if let Some(i) = cx.str(r, "InstanceId")? {
            eip_instance.insert(r.id.to_string(), i);
        }
    }
    for r in cx.of("AWS::EC2::EIPAssociation") {
        let eip = match cx.str(r, "AllocationId")? {
            Some(a) => a,
            None => cx.str(r, "EIP")?.unwrap_or_default(),
        };
        if let Some(i) = cx.str(r, "InstanceId")? {
            eip_instance.insert(eip, i);
        } else if let Some(n) = cx.str(r, "NetworkInterfaceId")? {
            eip_eni.insert(eip, n);
        }
    }
    Ok((eip_instance, eip_eni))
}

/// NAT gateways.
fn nat_gateways(cx: &mut Cx<'_, '_>, subnet_info: &SubnetInfo) -> Result<Vec<Value>, String> {
    let mut nats = Vec::new();
    for r in cx.of("AWS::EC2::NatGateway") {
        let subnet = cx.req(r, "SubnetId")?;
        let Some((vpc, _)) = subnet_info.get(&subnet) else {
            cx.warnings.push(format!(
                "{}: NAT gateway in subnet {subnet}, which the template does not declare, left out",
                r.id
            ));
            continue;
        };
        let kind = cx
            .str(r, "ConnectivityType")?
            .unwrap_or_else(|| "public".to_string());
        let mut address =
            json!({"NetworkInterfaceId": format!("{}.NetworkInterface", r.id), "IsPrimary": true});
        if let Some(a) = cx.str(r, "AllocationId")? {
            address["AllocationId"] = json!(a);
        }
        if let Some(ip) = cx.str(r, "PrivateIpAddress")? {
            address["PrivateIp"] = json!(ip);
        }
        for key in [
            "SecondaryAllocationIds",
            "SecondaryPrivateIpAddresses",
            "SecondaryPrivateIpAddressCount",
        ] {
            if cx.prop(r, key)?.is_some() {
                cx.warnings.push(format!(
                    "{}: {key} left out (secondary addresses are not modelled)",
                    r.id
                ));
            }
        }
        nats.push(json!({
            "NatGatewayId": r.id,
            "SubnetId": subnet,
            "VpcId": vpc,
            "State": "available",
            "ConnectivityType": kind,
            "NatGatewayAddresses": [address],
            "Tags": cx.tags(r)?,
        }));
    }
    Ok(nats)
}

/// Elastic IPs as describe-addresses shows them.
fn addresses(
    cx: &mut Cx<'_, '_>,
    eip_instance: &EipOf,
    eip_eni: &EipOf,
) -> Result<Vec<Value>, String> {
    let mut addresses = Vec::new();
    for r in cx.of("AWS::EC2::EIP") {
        let mut a = json!({"AllocationId": r.id, "PublicIp": format!("{}.PublicIp", r.id), "Domain": "vpc", "Tags": cx.tags(r)?});
        if let Some(i) = eip_instance.get(r.id) {
            a["InstanceId"] = json!(i);
        }
        if let Some(n) = eip_eni.get(r.id) {
            a["NetworkInterfaceId"] = json!(n);
        }
        addresses.push(a);
    }

    Ok(addresses)
}

/// Security groups: each VPC's default group, then the declared ones, with
/// their inline rules and rule resources.
fn security_groups(cx: &mut Cx<'_, '_>) -> Result<Vec<Value>, String> {
    let mut sgs: Vec<Value> = Vec::new();
    let mut sg_index: BTreeMap<String, usize> = BTreeMap::new();
    for vpc in &cx.vpc_ids.clone() {
        let g = default_sg(vpc);
        sg_index.insert(g.clone(), sgs.len());
        sgs.push(json!({
            "GroupId": g,
            "GroupName": "default",
            "Description": "default VPC security group",
            "VpcId": vpc,
            "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": [{"GroupId": g}]}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}],
            "Tags": [],
        }));
    }
    let allow_all_egress = json!({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []});
    for r in cx.of("AWS::EC2::SecurityGroup") {
        let Some(vpc) = cx.str(r, "VpcId")? else {
            cx.warnings.push(format!(
                "{}: security group without VpcId (in the account's default VPC) left out",
                r.id
            ));
            continue;
        };
        if !cx.in_template(r, &vpc) {
            continue;
        }
        let mut ingress = Vec::new();
        for rule in cx
            .prop(r, "SecurityGroupIngress")?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
        {
            if let Some(p) = permission(&mut cx.warnings, r.id, &rule, false)? {
                ingress.push(p);
            }
        }
        let inline_egress = cx
            .prop(r, "SecurityGroupEgress")?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        let mut egress = Vec::new();
        if inline_egress.is_empty() {
            // AWS gives a new group an allow-all egress rule; CloudFormation
            // removes it only for inline egress rules.
            egress.push(allow_all_egress.clone());
        }
        for rule in inline_egress {
            if let Some(p) = permission(&mut cx.warnings, r.id, &rule, true)? {
                egress.push(p);
            }
        }
        let name = cx
            .str(r, "GroupName")?
            .unwrap_or_else(|| format!("{}-{}", cx.ev.stack, r.id));
        sg_index.insert(r.id.to_string(), sgs.len());
        sgs.push(json!({
            "GroupId": r.id,
            "GroupName": name,
            "Description": cx.str(r, "GroupDescription")?.unwrap_or_default(),
            "VpcId": vpc,
            "IpPermissions": ingress,
            "IpPermissionsEgress": egress,
            "Tags": cx.tags(r)?,
        }));
    }
    for (ty, egress) in [
        ("AWS::EC2::SecurityGroupIngress", false),
        ("AWS::EC2::SecurityGroupEgress", true),
    ] {
        for r in cx.of(ty) {
            let group = match cx.str(r, "GroupId")? {
                Some(g) => g,
                None => {
                    cx.warnings.push(format!(
                        "{}: rule naming its group by GroupName (the default VPC's) left out",
                        r.id
                    ));
                    continue;
                }
            };
            let props = Value::Object(
                r.props
                    .keys()
                    .filter_map(|k| cx.prop(r, k).transpose().map(|v| v.map(|v| (k.clone(), v))))
                    .collect::<Result<Map<String, Value>, String>>()?,
            );
            let Some(p) = permission(&mut cx.warnings, r.id, &props, egress)? else {
                continue;
            };
            let key = if egress {
                "IpPermissionsEgress"
            } else {
                "IpPermissions"
            };
            if !append(&mut sgs, &sg_index, &group, key, p) {
                cx.undeclared(r, &format!("rule of security group {group}"));
            }
        }
    }

    Ok(sgs)
}

/// Network ACLs: each VPC's default ACL, then the declared ones, with their
/// entries and associations.
fn network_acls(cx: &mut Cx<'_, '_>, subnet_info: &SubnetInfo) -> Result<Vec<Value>, String> {
    let deny_all = |egress: bool| json!({"RuleNumber": 32767, "Egress": egress, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"});
    let mut acls: Vec<Value> = Vec::new();
    let mut acl_index: BTreeMap<String, usize> = BTreeMap::new();
    for vpc in &cx.vpc_ids.clone() {
        let a = default_acl(vpc);
        acl_index.insert(a.clone(), acls.len());
        acls.push(json!({
            "NetworkAclId": a,
            "VpcId": vpc,
            "IsDefault": true,
            "Entries": [
                {"RuleNumber": 100, "Egress": false, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 100, "Egress": true, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"},
                deny_all(false),
                deny_all(true),
            ],
            "Associations": [],
            "Tags": [],
        }));
    }
    for r in cx.of("AWS::EC2::NetworkAcl") {
        let vpc = cx.req(r, "VpcId")?;
        if !cx.in_template(r, &vpc) {
            continue;
        }
        acl_index.insert(r.id.to_string(), acls.len());
        acls.push(json!({
            "NetworkAclId": r.id,
            "VpcId": vpc,
            "IsDefault": false,
            "Entries": [deny_all(false), deny_all(true)],
            "Associations": [],
            "Tags": cx.tags(r)?,
        }));
    }
    for r in cx.of("AWS::EC2::NetworkAclEntry") {
        let acl = cx.req(r, "NetworkAclId")?;
        let mut e = json!({
            "RuleNumber": cx.int(r, "RuleNumber")?.unwrap_or(0),
            "Egress": cx.bool(r, "Egress")?.unwrap_or(false),
            "Protocol": cx.str(r, "Protocol")?.unwrap_or_else(|| "-1".to_string()),
            "RuleAction": cx.str(r, "RuleAction")?.unwrap_or_default().to_ascii_lowercase(),
        });
        if let Some(c) = cx.str(r, "CidrBlock")? {
            e["CidrBlock"] = json!(c);
        }
        if let Some(c) = cx.str(r, "Ipv6CidrBlock")? {
            e["Ipv6CidrBlock"] = json!(c);
        }
        if let Some(Value::Object(p)) = cx.prop(r, "PortRange")? {
            e["PortRange"] = json!({
                "From": p.get("From").and_then(as_int),
                "To": p.get("To").and_then(as_int),
            });
        }
        if let Some(Value::Object(p)) = cx.prop(r, "Icmp")? {
            e["IcmpTypeCode"] = json!({
                "Code": p.get("Code").and_then(as_int).unwrap_or(-1),
                "Type": p.get("Type").and_then(as_int).unwrap_or(-1),
            });
        }
        if !append(&mut acls, &acl_index, &acl, "Entries", e) {
            cx.undeclared(r, &format!("entry of network ACL {acl}"));
        }
    }
    let mut explicit_acl: BTreeSet<String> = BTreeSet::new();
    for r in cx.of("AWS::EC2::SubnetNetworkAclAssociation") {
        let acl = cx.req(r, "NetworkAclId")?;
        let subnet = cx.req(r, "SubnetId")?;
        let association =
            json!({"NetworkAclAssociationId": r.id, "NetworkAclId": acl, "SubnetId": subnet});
        if append(&mut acls, &acl_index, &acl, "Associations", association) {
            explicit_acl.insert(subnet);
        } else {
            cx.undeclared(r, &format!("association with network ACL {acl}"));
        }
    }
    // A subnet without an explicit ACL is in its VPC's default ACL.
    for (subnet, (vpc, _)) in subnet_info {
        if explicit_acl.contains(subnet) {
            continue;
        }
        // Every VPC of subnet_info has its default ACL in acl_index.
        let acl = default_acl(vpc);
        let association = json!({"NetworkAclAssociationId": format!("{subnet}.NetworkAclAssociation"), "NetworkAclId": acl, "SubnetId": subnet});
        append(&mut acls, &acl_index, &acl, "Associations", association);
    }

    Ok(acls)
}

/// Instances, one reservation each.
fn instances(
    cx: &mut Cx<'_, '_>,
    subnet_info: &SubnetInfo,
    public_instances: &BTreeSet<&str>,
) -> Result<Vec<Value>, String> {
    let mut reservations = Vec::new();
    for r in cx.of("AWS::EC2::Instance") {
        let enis: Vec<Value> = cx
            .prop(r, "NetworkInterfaces")?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        let primary = enis
            .iter()
            .find(|n| n.get("DeviceIndex").and_then(as_int) == Some(0));
        let text = |v: Option<&Value>| v.and_then(scalar_text);
        let subnet = match cx.str(r, "SubnetId")? {
            Some(s) => Some(s),
            None => text(primary.and_then(|n| n.get("SubnetId"))),
        };
        let Some(subnet) = subnet else {
            cx.warnings.push(format!(
                "{}: instance without SubnetId (in the account's default VPC) left out",
                r.id
            ));
            continue;
        };
        let Some((vpc, maps)) = subnet_info.get(&subnet) else {
            cx.warnings.push(format!(
                "{}: instance in subnet {subnet}, which the template does not declare, left out",
                r.id
            ));
            continue;
        };
        if primary.is_some_and(|n| n.get("NetworkInterfaceId").is_some()) {
            cx.warnings.push(format!(
                "{}: the primary interface is a separate resource, which is not modelled; the instance is left out",
                r.id
            ));
            continue;
        }
        let address = match cx.str(r, "PrivateIpAddress")? {
            Some(a) => Some(a),
            None => text(primary.and_then(|n| n.get("PrivateIpAddress"))),
        };
        let mut groups: Vec<Value> = match cx.prop(r, "SecurityGroupIds")? {
            Some(Value::Array(g)) => g,
            _ => primary
                .and_then(|n| n.get("GroupSet"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        };
        if let Some(names) = cx.prop(r, "SecurityGroups")? {
            cx.warnings.push(format!(
                "{}: SecurityGroups (group names: {names}) left out; a VPC instance names its groups by id (SecurityGroupIds)",
                r.id
            ));
        }
        if groups.is_empty() {
            groups.push(json!(default_sg(vpc)));
        }
        let groups: Vec<Value> = groups
            .iter()
            .filter_map(scalar_text)
            .map(|g| json!({"GroupId": g}))
            .collect();
        let public = match primary.and_then(|n| n.get("AssociatePublicIpAddress")) {
            Some(v) => as_bool(v).unwrap_or(false),
            None => *maps,
        } || public_instances.contains(r.id);
        let mut private_ips = Vec::new();
        if let Some(a) = &address {
            private_ips.push(json!({"Primary": true, "PrivateIpAddress": a}));
        }
        let secondary = primary
            .and_then(|n| n.get("PrivateIpAddresses"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|x| x.get("Primary").and_then(as_bool) != Some(true))
                    .count()
            })
            .unwrap_or(0)
            + usize::try_from(
                primary
                    .and_then(|n| n.get("SecondaryPrivateIpAddressCount"))
                    .and_then(as_int)
                    .unwrap_or(0),
            )
            .unwrap_or(0);
        for _ in 0..secondary {
            private_ips.push(json!({"Primary": false}));
        }
        let mut interfaces = vec![json!({
            "NetworkInterfaceId": format!("{}.eth0", r.id),
            "Attachment": {"DeviceIndex": 0},
            "SubnetId": subnet,
            "Groups": groups,
            "PrivateIpAddresses": private_ips,
        })];
        for n in &enis {
            let index = n.get("DeviceIndex").and_then(as_int).unwrap_or(-1);
            if index != 0 {
                interfaces.push(json!({
                    "NetworkInterfaceId": format!("{}.eth{index}", r.id),
                    "Attachment": {"DeviceIndex": index},
                }));
            }
        }
        let mut inst = json!({
            "InstanceId": r.id,
            "SubnetId": subnet,
            "VpcId": vpc,
            "State": {"Name": "running"},
            "SecurityGroups": groups,
            "NetworkInterfaces": interfaces,
            "SourceDestCheck": cx.bool(r, "SourceDestCheck")?.unwrap_or(true),
            "Tags": cx.tags(r)?,
        });
        if let Some(a) = address {
            inst["PrivateIpAddress"] = json!(a);
        }
        if public {
            // AWS's pick, unknown before deployment: a placeholder.
            inst["PublicIpAddress"] = json!(format!("{}.PublicIp", r.id));
        }
        reservations
            .push(json!({"ReservationId": format!("{}.Reservation", r.id), "Instances": [inst]}));
    }

    Ok(reservations)
}

/// VPC endpoints.
fn endpoints(cx: &mut Cx<'_, '_>) -> Result<Vec<Value>, String> {
    let mut endpoints = Vec::new();
    for r in cx.of("AWS::EC2::VPCEndpoint") {
        let vpc = cx.req(r, "VpcId")?;
        if !cx.in_template(r, &vpc) {
            continue;
        }
        let kind = cx
            .str(r, "VpcEndpointType")?
            .unwrap_or_else(|| "Gateway".to_string());
        let strings = |key: &str| -> Result<Vec<Value>, String> {
            Ok(match cx.prop(r, key)? {
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(scalar_text)
                    .map(Value::String)
                    .collect(),
                _ => Vec::new(),
            })
        };
        let mut groups = strings("SecurityGroupIds")?;
        if kind == "Interface" && groups.is_empty() {
            groups.push(json!(default_sg(&vpc)));
        }
        let groups: Vec<Value> = groups.into_iter().map(|g| json!({"GroupId": g})).collect();
        endpoints.push(json!({
            "VpcEndpointId": r.id,
            "VpcId": vpc,
            "ServiceName": cx.req(r, "ServiceName")?,
            "VpcEndpointType": kind,
            "State": "available",
            "RouteTableIds": strings("RouteTableIds")?,
            "SubnetIds": strings("SubnetIds")?,
            "Groups": groups,
            "PrivateDnsEnabled": cx.bool(r, "PrivateDnsEnabled")?.unwrap_or(false),
            "Tags": cx.tags(r)?,
        }));
    }

    Ok(endpoints)
}

/// Peerings between the template's VPCs.
fn peerings(cx: &mut Cx<'_, '_>, blocks: &Blocks) -> Result<Vec<Value>, String> {
    let mut peerings = Vec::new();
    for r in cx.of("AWS::EC2::VPCPeeringConnection") {
        let a = cx.req(r, "VpcId")?;
        let b = cx.req(r, "PeerVpcId")?;
        let region = cx.str(r, "PeerRegion")?;
        let owner = cx.str(r, "PeerOwnerId")?;
        let elsewhere = region.as_deref().is_some_and(|x| x != cx.ev.region)
            || owner.as_deref().is_some_and(|x| x != cx.ev.account);
        if elsewhere {
            cx.warnings.push(format!(
                "{}: peering with {b} in another account or region left out",
                r.id
            ));
            continue;
        }
        peerings.push(json!({
            "VpcPeeringConnectionId": r.id,
            "RequesterVpcInfo": {"VpcId": a, "CidrBlock": blocks.get(&a).and_then(|x| x.first()).cloned().unwrap_or_default()},
            "AccepterVpcInfo": {"VpcId": b, "CidrBlock": blocks.get(&b).and_then(|x| x.first()).cloned().unwrap_or_default()},
            "Status": {"Code": "active"},
            "Tags": cx.tags(r)?,
        }));
    }

    Ok(peerings)
}

/// One rule (an inline rule or a rule resource's evaluated properties) as
/// describe-security-groups shows it; `None` (with a warning) when it
/// names its peer in a way the import cannot follow.
fn permission(
    warnings: &mut Vec<String>,
    id: &str,
    rule: &Value,
    egress: bool,
) -> Result<Option<Value>, String> {
    let text = |key: &str| rule.get(key).and_then(scalar_text);
    let proto = text("IpProtocol")
        .ok_or_else(|| format!("{id}: a security-group rule without IpProtocol"))?
        .to_ascii_lowercase();
    let mut p = json!({
        "IpProtocol": proto,
        "IpRanges": [],
        "Ipv6Ranges": [],
        "PrefixListIds": [],
        "UserIdGroupPairs": [],
    });
    for key in ["FromPort", "ToPort"] {
        if let Some(n) = rule.get(key).and_then(as_int) {
            p[key] = json!(n);
        }
    }
    let (group_key, list_key) = if egress {
        ("DestinationSecurityGroupId", "DestinationPrefixListId")
    } else {
        ("SourceSecurityGroupId", "SourcePrefixListId")
    };
    let mut peers = 0;
    let push = |p: &mut Value, key: &str, v: Value| {
        if let Some(Value::Array(list)) = p.get_mut(key) {
            list.push(v);
        }
    };
    if let Some(c) = text("CidrIp") {
        push(&mut p, "IpRanges", json!({ "CidrIp": c }));
        peers += 1;
    }
    if let Some(c) = text("CidrIpv6") {
        push(&mut p, "Ipv6Ranges", json!({ "CidrIpv6": c }));
        peers += 1;
    }
    if let Some(g) = text(group_key) {
        push(&mut p, "UserIdGroupPairs", json!({ "GroupId": g }));
        peers += 1;
    }
    if let Some(l) = text(list_key) {
        push(&mut p, "PrefixListIds", json!({ "PrefixListId": l }));
        peers += 1;
    }
    if peers == 0 {
        let what = if text("SourceSecurityGroupName").is_some() {
            "names its peer group by name (the default VPC's), which is not modelled"
        } else {
            "names no peer the import reads"
        };
        let dir = if egress { "egress" } else { "ingress" };
        warnings.push(format!("{id}: {dir} rule {proto} left out: it {what}"));
        return Ok(None);
    }
    Ok(Some(p))
}
