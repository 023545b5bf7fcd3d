//! The template's resources as the JSON of the AWS CLI's `ec2 describe-*`
//! commands, AWS's implicit objects included.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::eval::{Eval, Res, as_bool, as_int, scalar_text};
use super::{default_acl, default_sg, main_table};

/// The resource types the import reads.
const MODELLED: [&str; 24] = [
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
];

/// Why a type is left out, for its warning.
fn why_not(ty: &str) -> &'static str {
    if ty.starts_with("AWS::EC2::TransitGateway") {
        "transit gateways are not modelled"
    } else if ty.starts_with("AWS::EC2::VPN")
        || ty == "AWS::EC2::CustomerGateway"
        || ty == "AWS::EC2::VPNGatewayRoutePropagation"
    {
        "VPN gateways are not modelled"
    } else if ty.starts_with("AWS::EC2::") {
        "vpcc does not model this resource type"
    } else {
        "not a network resource vpcc models"
    }
}

/// The describe-* JSON being built, and the warnings.
struct Out {
    warnings: Vec<String>,
}

/// The template as the describe-* JSON [`super::super::aws::import`] reads (one
/// entry per command), and the warnings about what it leaves out.
pub fn describe(
    template: &Value,
    params: &BTreeMap<String, String>,
) -> Result<(BTreeMap<String, Value>, Vec<String>), String> {
    let ev = Eval::new(template, params)?;
    let mut out = Out {
        warnings: Vec::new(),
    };
    let d = 0;
    // The resources made (a false Condition: not made), by type.
    let mut by_type: BTreeMap<&str, Vec<&Res<'_>>> = BTreeMap::new();
    for r in ev.resources.values() {
        if !ev.exists(r.id)? {
            continue;
        }
        if MODELLED.contains(&r.ty) {
            by_type.entry(r.ty).or_default().push(r);
        } else {
            out.warnings
                .push(format!("{}: {} left out ({})", r.id, r.ty, why_not(r.ty)));
        }
    }
    let of = |ty: &str| by_type.get(ty).cloned().unwrap_or_default();
    let tags = |r: &Res<'_>| -> Result<Value, String> {
        Ok(ev.prop(r, "Tags", d)?.unwrap_or_else(|| json!([])))
    };
    let req = |r: &Res<'_>, key: &str| -> Result<String, String> {
        ev.prop_str(r, key, d)?
            .ok_or_else(|| format!("{}: {} without {key}", r.id, r.ty))
    };

    // VPCs and their blocks.
    let vpc_ids: BTreeSet<String> = of("AWS::EC2::VPC")
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    let mut vpcs = Vec::new();
    let mut attributes = Vec::new();
    // VPC -> its IPv4 blocks (for the local routes).
    let mut blocks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut dhcp_of: BTreeMap<String, String> = BTreeMap::new();
    for a in of("AWS::EC2::VPCDHCPOptionsAssociation") {
        let vpc = req(a, "VpcId")?;
        dhcp_of.insert(vpc, req(a, "DhcpOptionsId")?);
    }
    let mut cidr_blocks: Vec<(&Res<'_>, String)> = Vec::new();
    for c in of("AWS::EC2::VPCCidrBlock") {
        let vpc = req(c, "VpcId")?;
        if !vpc_ids.contains(&vpc) {
            out.warnings.push(format!(
                "{}: CIDR block of VPC {vpc}, which the template does not declare, left out",
                c.id
            ));
            continue;
        }
        cidr_blocks.push((c, vpc));
    }
    for r in of("AWS::EC2::VPC") {
        let id = r.id;
        let primary = ev.prop_str(r, "CidrBlock", d)?;
        if primary.is_none() {
            out.warnings.push(format!(
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
            if let Some(block) = ev.prop_str(c, "CidrBlock", d)? {
                mine.push(block.clone());
                set.push(json!({
                    "CidrBlock": block,
                    "AssociationId": c.id,
                    "CidrBlockState": {"State": "associated"},
                }));
            } else {
                let block = ev.prop_str(c, "Ipv6CidrBlock", d)?.map_or_else(
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
            "Tags": tags(r)?,
        }));
        attributes.push(json!({
            "VpcId": id,
            "EnableDnsSupport": {"Value": ev.prop_bool(r, "EnableDnsSupport", d)?.unwrap_or(true)},
            "EnableDnsHostnames": {"Value": ev.prop_bool(r, "EnableDnsHostnames", d)?.unwrap_or(false)},
        }));
    }
    // Keeps `item` when its VPC is declared, else warns.
    let in_template = |out: &mut Out, r: &Res<'_>, vpc: &str| -> bool {
        let ok = vpc_ids.contains(vpc);
        if !ok {
            out.warnings.push(format!(
                "{}: {} in VPC {vpc}, which the template does not declare, left out",
                r.id, r.ty
            ));
        }
        ok
    };

    // DHCP options.
    let mut dhcp = Vec::new();
    for r in of("AWS::EC2::DHCPOptions") {
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
            let values: Vec<Value> = match ev.prop(r, key, d)? {
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
        dhcp.push(json!({"DhcpOptionsId": r.id, "DhcpConfigurations": conf, "Tags": tags(r)?}));
    }

    // Subnets.
    let mut subnets = Vec::new();
    // Subnet -> (VPC, MapPublicIpOnLaunch).
    let mut subnet_info: BTreeMap<String, (String, bool)> = BTreeMap::new();
    let mut subnet_v6: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for c in of("AWS::EC2::SubnetCidrBlock") {
        let sub = req(c, "SubnetId")?;
        let block = ev
            .prop_str(c, "Ipv6CidrBlock", d)?
            .unwrap_or_else(|| "(IPv6)".to_string());
        subnet_v6
            .entry(sub)
            .or_default()
            .push(json!({"Ipv6CidrBlock": format!("{block} ({})", c.id), "AssociationId": c.id}));
    }
    for r in of("AWS::EC2::Subnet") {
        let vpc = req(r, "VpcId")?;
        if !in_template(&mut out, r, &vpc) {
            continue;
        }
        let maps = ev.prop_bool(r, "MapPublicIpOnLaunch", d)?.unwrap_or(false);
        let mut v6 = subnet_v6.remove(r.id).unwrap_or_default();
        if let Some(b) = ev.prop_str(r, "Ipv6CidrBlock", d)? {
            v6.push(json!({"Ipv6CidrBlock": b}));
        }
        let mut sub = json!({
            "SubnetId": r.id,
            "VpcId": vpc,
            "CidrBlock": ev.prop_str(r, "CidrBlock", d)?.unwrap_or_default(),
            "MapPublicIpOnLaunch": maps,
            "State": "available",
            "Ipv6CidrBlockAssociationSet": v6,
            "Tags": tags(r)?,
        });
        if let Some(az) = ev.prop_str(r, "AvailabilityZone", d)? {
            sub["AvailabilityZone"] = json!(az);
        } else if ev.prop(r, "AvailabilityZoneId", d)?.is_some() {
            out.warnings.push(format!(
                "{}: AvailabilityZoneId left out (a zone id names a different zone in each account)",
                r.id
            ));
        }
        subnet_info.insert(r.id.to_string(), (vpc, maps));
        subnets.push(sub);
    }
    for (sub, _) in subnet_v6 {
        out.warnings.push(format!(
            "{sub}: IPv6 block of a subnet the template does not declare left out"
        ));
    }

    // Route tables: each VPC's main table, then the declared ones.
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
    for vpc in &vpc_ids {
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
    for r in of("AWS::EC2::RouteTable") {
        let vpc = req(r, "VpcId")?;
        if !in_template(&mut out, r, &vpc) {
            continue;
        }
        table_index.insert(r.id.to_string(), tables.len());
        tables.push(json!({
            "RouteTableId": r.id,
            "VpcId": vpc,
            "Routes": local(&vpc),
            "Associations": [],
            "Tags": tags(r)?,
        }));
    }
    let mut push_to =
        |out: &mut Out, r: &Res<'_>, table: &str, key: &str, v: Value| match table_index.get(table)
        {
            Some(i) => {
                if let Some(Value::Array(list)) = tables[*i].get_mut(key) {
                    list.push(v);
                }
            }
            None => out.warnings.push(format!(
                "{}: {} of route table {table}, which the template does not declare, left out",
                r.id, r.ty
            )),
        };
    for r in of("AWS::EC2::Route") {
        let table = req(r, "RouteTableId")?;
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
            if let Some(v) = ev.prop_str(r, key, d)? {
                route.insert(key.to_string(), json!(v));
            }
        }
        if let Some(e) = route.remove("VpcEndpointId") {
            // A Gateway Load Balancer endpoint: AWS shows it as a gateway.
            out.warnings.push(format!(
                "{}: route to endpoint {} left out (Gateway Load Balancer endpoints are not modelled)",
                r.id,
                e.as_str().unwrap_or("")
            ));
            continue;
        }
        route.insert("State".to_string(), json!("active"));
        route.insert("Origin".to_string(), json!("CreateRoute"));
        push_to(&mut out, r, &table, "Routes", Value::Object(route));
    }
    for r in of("AWS::EC2::SubnetRouteTableAssociation") {
        let table = req(r, "RouteTableId")?;
        let subnet = req(r, "SubnetId")?;
        push_to(
            &mut out,
            r,
            &table,
            "Associations",
            json!({"Main": false, "RouteTableId": table, "SubnetId": subnet, "RouteTableAssociationId": r.id, "AssociationState": {"State": "associated"}}),
        );
    }
    for r in of("AWS::EC2::GatewayRouteTableAssociation") {
        let table = req(r, "RouteTableId")?;
        let gateway = req(r, "GatewayId")?;
        push_to(
            &mut out,
            r,
            &table,
            "Associations",
            json!({"Main": false, "RouteTableId": table, "GatewayId": gateway, "RouteTableAssociationId": r.id}),
        );
    }

    // Internet gateways.
    let mut igws = Vec::new();
    let mut attached: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in of("AWS::EC2::VPCGatewayAttachment") {
        let vpc = req(a, "VpcId")?;
        if let Some(g) = ev.prop_str(a, "InternetGatewayId", d)? {
            if in_template(&mut out, a, &vpc) {
                attached.entry(g).or_default().push(vpc);
            }
        } else if let Some(g) = ev.prop_str(a, "VpnGatewayId", d)? {
            out.warnings.push(format!(
                "{}: attachment of VPN gateway {g} to {vpc} left out (VPN gateways are not modelled)",
                a.id
            ));
        }
    }
    for r in of("AWS::EC2::InternetGateway") {
        let vpcs_of = attached.remove(r.id).unwrap_or_default();
        if vpcs_of.is_empty() {
            out.warnings.push(format!(
                "{}: internet gateway attached to no VPC of the template left out",
                r.id
            ));
        }
        let attachments: Vec<Value> = vpcs_of
            .iter()
            .map(|v| json!({"VpcId": v, "State": "available"}))
            .collect();
        igws.push(json!({"InternetGatewayId": r.id, "Attachments": attachments, "Tags": tags(r)?}));
    }
    for (g, _) in attached {
        out.warnings.push(format!(
            "{g}: attachment of an internet gateway the template does not declare left out"
        ));
    }

    // Elastic IPs: which instance or interface each is associated with.
    let mut eip_instance: BTreeMap<String, String> = BTreeMap::new();
    let mut eip_eni: BTreeMap<String, String> = BTreeMap::new();
    for r in of("AWS::EC2::EIP") {
        if let Some(i) = ev.prop_str(r, "InstanceId", d)? {
            eip_instance.insert(r.id.to_string(), i);
        }
    }
    for r in of("AWS::EC2::EIPAssociation") {
        let eip = match ev.prop_str(r, "AllocationId", d)? {
            Some(a) => a,
            None => ev.prop_str(r, "EIP", d)?.unwrap_or_default(),
        };
        if let Some(i) = ev.prop_str(r, "InstanceId", d)? {
            eip_instance.insert(eip, i);
        } else if let Some(n) = ev.prop_str(r, "NetworkInterfaceId", d)? {
            eip_eni.insert(eip, n);
        }
    }
    let public_instances: BTreeSet<&String> = eip_instance.values().collect();

    // NAT gateways.
    let mut nats = Vec::new();
    for r in of("AWS::EC2::NatGateway") {
        let subnet = req(r, "SubnetId")?;
        let Some((vpc, _)) = subnet_info.get(&subnet) else {
            out.warnings.push(format!(
                "{}: NAT gateway in subnet {subnet}, which the template does not declare, left out",
                r.id
            ));
            continue;
        };
        let kind = ev
            .prop_str(r, "ConnectivityType", d)?
            .unwrap_or_else(|| "public".to_string());
        let mut address =
            json!({"NetworkInterfaceId": format!("{}.NetworkInterface", r.id), "IsPrimary": true});
        if let Some(a) = ev.prop_str(r, "AllocationId", d)? {
            address["AllocationId"] = json!(a);
        }
        if let Some(ip) = ev.prop_str(r, "PrivateIpAddress", d)? {
            address["PrivateIp"] = json!(ip);
        }
        for key in [
            "SecondaryAllocationIds",
            "SecondaryPrivateIpAddresses",
            "SecondaryPrivateIpAddressCount",
        ] {
            if ev.prop(r, key, d)?.is_some() {
                out.warnings.push(format!(
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
            "Tags": tags(r)?,
        }));
    }
    let mut addresses = Vec::new();
    for r in of("AWS::EC2::EIP") {
        let mut a = json!({"AllocationId": r.id, "PublicIp": format!("{}.PublicIp", r.id), "Domain": "vpc", "Tags": tags(r)?});
        if let Some(i) = eip_instance.get(r.id) {
            a["InstanceId"] = json!(i);
        }
        if let Some(n) = eip_eni.get(r.id) {
            a["NetworkInterfaceId"] = json!(n);
        }
        addresses.push(a);
    }

    // Security groups: each VPC's default group, then the declared ones.
    let mut sgs: Vec<Value> = Vec::new();
    let mut sg_index: BTreeMap<String, usize> = BTreeMap::new();
    for vpc in &vpc_ids {
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
    for r in of("AWS::EC2::SecurityGroup") {
        let Some(vpc) = ev.prop_str(r, "VpcId", d)? else {
            out.warnings.push(format!(
                "{}: security group without VpcId (in the account's default VPC) left out",
                r.id
            ));
            continue;
        };
        if !in_template(&mut out, r, &vpc) {
            continue;
        }
        let mut ingress = Vec::new();
        for rule in ev
            .prop(r, "SecurityGroupIngress", d)?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
        {
            if let Some(p) = permission(&mut out, r.id, &rule, false)? {
                ingress.push(p);
            }
        }
        let inline_egress = ev
            .prop(r, "SecurityGroupEgress", d)?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        let mut egress = Vec::new();
        if inline_egress.is_empty() {
            // AWS gives a new group an allow-all egress rule; CloudFormation
            // removes it only for inline egress rules.
            egress.push(allow_all_egress.clone());
        }
        for rule in inline_egress {
            if let Some(p) = permission(&mut out, r.id, &rule, true)? {
                egress.push(p);
            }
        }
        let name = ev
            .prop_str(r, "GroupName", d)?
            .unwrap_or_else(|| format!("{}-{}", ev.stack, r.id));
        sg_index.insert(r.id.to_string(), sgs.len());
        sgs.push(json!({
            "GroupId": r.id,
            "GroupName": name,
            "Description": ev.prop_str(r, "GroupDescription", d)?.unwrap_or_default(),
            "VpcId": vpc,
            "IpPermissions": ingress,
            "IpPermissionsEgress": egress,
            "Tags": tags(r)?,
        }));
    }
    for (ty, egress) in [
        ("AWS::EC2::SecurityGroupIngress", false),
        ("AWS::EC2::SecurityGroupEgress", true),
    ] {
        for r in of(ty) {
            let group = match ev.prop_str(r, "GroupId", d)? {
                Some(g) => g,
                None => {
                    out.warnings.push(format!(
                        "{}: rule naming its group by GroupName (the default VPC's) left out",
                        r.id
                    ));
                    continue;
                }
            };
            let props = Value::Object(
                r.props
                    .keys()
                    .filter_map(|k| {
                        ev.prop(r, k, d)
                            .transpose()
                            .map(|v| v.map(|v| (k.clone(), v)))
                    })
                    .collect::<Result<Map<String, Value>, String>>()?,
            );
            let Some(p) = permission(&mut out, r.id, &props, egress)? else {
                continue;
            };
            let key = if egress {
                "IpPermissionsEgress"
            } else {
                "IpPermissions"
            };
            match sg_index.get(&group) {
                Some(i) => {
                    if let Some(Value::Array(list)) = sgs[*i].get_mut(key) {
                        list.push(p);
                    }
                }
                None => out.warnings.push(format!(
                    "{}: rule of security group {group}, which the template does not declare, left out",
                    r.id
                )),
            }
        }
    }

    // Network ACLs: each VPC's default ACL, then the declared ones.
    let deny_all = |egress: bool| json!({"RuleNumber": 32767, "Egress": egress, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"});
    let mut acls: Vec<Value> = Vec::new();
    let mut acl_index: BTreeMap<String, usize> = BTreeMap::new();
    for vpc in &vpc_ids {
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
    for r in of("AWS::EC2::NetworkAcl") {
        let vpc = req(r, "VpcId")?;
        if !in_template(&mut out, r, &vpc) {
            continue;
        }
        acl_index.insert(r.id.to_string(), acls.len());
        acls.push(json!({
            "NetworkAclId": r.id,
            "VpcId": vpc,
            "IsDefault": false,
            "Entries": [deny_all(false), deny_all(true)],
            "Associations": [],
            "Tags": tags(r)?,
        }));
    }
    for r in of("AWS::EC2::NetworkAclEntry") {
        let acl = req(r, "NetworkAclId")?;
        let mut e = json!({
            "RuleNumber": ev.prop_int(r, "RuleNumber", d)?.unwrap_or(0),
            "Egress": ev.prop_bool(r, "Egress", d)?.unwrap_or(false),
            "Protocol": ev.prop_str(r, "Protocol", d)?.unwrap_or_else(|| "-1".to_string()),
            "RuleAction": ev.prop_str(r, "RuleAction", d)?.unwrap_or_default().to_ascii_lowercase(),
        });
        if let Some(c) = ev.prop_str(r, "CidrBlock", d)? {
            e["CidrBlock"] = json!(c);
        }
        if let Some(c) = ev.prop_str(r, "Ipv6CidrBlock", d)? {
            e["Ipv6CidrBlock"] = json!(c);
        }
        if let Some(Value::Object(p)) = ev.prop(r, "PortRange", d)? {
            e["PortRange"] = json!({
                "From": p.get("From").and_then(as_int),
                "To": p.get("To").and_then(as_int),
            });
        }
        if let Some(Value::Object(p)) = ev.prop(r, "Icmp", d)? {
            e["IcmpTypeCode"] = json!({
                "Code": p.get("Code").and_then(as_int).unwrap_or(-1),
                "Type": p.get("Type").and_then(as_int).unwrap_or(-1),
            });
        }
        match acl_index.get(&acl) {
            Some(i) => {
                if let Some(Value::Array(list)) = acls[*i].get_mut("Entries") {
                    list.push(e);
                }
            }
            None => out.warnings.push(format!(
                "{}: entry of network ACL {acl}, which the template does not declare, left out",
                r.id
            )),
        }
    }
    let mut explicit_acl: BTreeSet<String> = BTreeSet::new();
    for r in of("AWS::EC2::SubnetNetworkAclAssociation") {
        let acl = req(r, "NetworkAclId")?;
        let subnet = req(r, "SubnetId")?;
        match acl_index.get(&acl) {
            Some(i) => {
                explicit_acl.insert(subnet.clone());
                if let Some(Value::Array(list)) = acls[*i].get_mut("Associations") {
                    list.push(json!({"NetworkAclAssociationId": r.id, "NetworkAclId": acl, "SubnetId": subnet}));
                }
            }
            None => out.warnings.push(format!(
                "{}: association with network ACL {acl}, which the template does not declare, left out",
                r.id
            )),
        }
    }
    // A subnet without an explicit ACL is in its VPC's default ACL.
    for (subnet, (vpc, _)) in &subnet_info {
        if explicit_acl.contains(subnet) {
            continue;
        }
        if let Some(i) = acl_index.get(&default_acl(vpc))
            && let Some(Value::Array(list)) = acls[*i].get_mut("Associations")
        {
            list.push(json!({"NetworkAclAssociationId": format!("{subnet}.NetworkAclAssociation"), "NetworkAclId": default_acl(vpc), "SubnetId": subnet}));
        }
    }

    // Instances.
    let mut reservations = Vec::new();
    for r in of("AWS::EC2::Instance") {
        let enis: Vec<Value> = ev
            .prop(r, "NetworkInterfaces", d)?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        let primary = enis
            .iter()
            .find(|n| n.get("DeviceIndex").and_then(as_int) == Some(0));
        let text = |v: Option<&Value>| v.and_then(scalar_text);
        let subnet = match ev.prop_str(r, "SubnetId", d)? {
            Some(s) => Some(s),
            None => text(primary.and_then(|n| n.get("SubnetId"))),
        };
        let Some(subnet) = subnet else {
            out.warnings.push(format!(
                "{}: instance without SubnetId (in the account's default VPC) left out",
                r.id
            ));
            continue;
        };
        let Some((vpc, maps)) = subnet_info.get(&subnet) else {
            out.warnings.push(format!(
                "{}: instance in subnet {subnet}, which the template does not declare, left out",
                r.id
            ));
            continue;
        };
        if primary.is_some_and(|n| n.get("NetworkInterfaceId").is_some()) {
            out.warnings.push(format!(
                "{}: the primary interface is a separate resource, which is not modelled; the instance is left out",
                r.id
            ));
            continue;
        }
        let address = match ev.prop_str(r, "PrivateIpAddress", d)? {
            Some(a) => Some(a),
            None => text(primary.and_then(|n| n.get("PrivateIpAddress"))),
        };
        let mut groups: Vec<Value> = match ev.prop(r, "SecurityGroupIds", d)? {
            Some(Value::Array(g)) => g,
            _ => primary
                .and_then(|n| n.get("GroupSet"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        };
        if let Some(names) = ev.prop(r, "SecurityGroups", d)? {
            out.warnings.push(format!(
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
        } || public_instances.contains(&r.id.to_string());
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
            "SourceDestCheck": ev.prop_bool(r, "SourceDestCheck", d)?.unwrap_or(true),
            "Tags": tags(r)?,
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

    // Endpoints.
    let mut endpoints = Vec::new();
    for r in of("AWS::EC2::VPCEndpoint") {
        let vpc = req(r, "VpcId")?;
        if !in_template(&mut out, r, &vpc) {
            continue;
        }
        let kind = ev
            .prop_str(r, "VpcEndpointType", d)?
            .unwrap_or_else(|| "Gateway".to_string());
        let strings = |key: &str| -> Result<Vec<Value>, String> {
            Ok(match ev.prop(r, key, d)? {
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
            "ServiceName": req(r, "ServiceName")?,
            "VpcEndpointType": kind,
            "State": "available",
            "RouteTableIds": strings("RouteTableIds")?,
            "SubnetIds": strings("SubnetIds")?,
            "Groups": groups,
            "PrivateDnsEnabled": ev.prop_bool(r, "PrivateDnsEnabled", d)?.unwrap_or(false),
            "Tags": tags(r)?,
        }));
    }

    // Peerings.
    let mut peerings = Vec::new();
    for r in of("AWS::EC2::VPCPeeringConnection") {
        let a = req(r, "VpcId")?;
        let b = req(r, "PeerVpcId")?;
        let region = ev.prop_str(r, "PeerRegion", d)?;
        let owner = ev.prop_str(r, "PeerOwnerId", d)?;
        let elsewhere = region.as_deref().is_some_and(|x| x != ev.region)
            || owner.as_deref().is_some_and(|x| x != ev.account);
        if elsewhere {
            out.warnings.push(format!(
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
            "Tags": tags(r)?,
        }));
    }

    let mut docs = BTreeMap::new();
    docs.insert("describe-vpcs".to_string(), json!({ "Vpcs": vpcs }));
    docs.insert(
        "describe-subnets".to_string(),
        json!({ "Subnets": subnets }),
    );
    docs.insert(
        "describe-route-tables".to_string(),
        json!({ "RouteTables": tables }),
    );
    docs.insert(
        "describe-internet-gateways".to_string(),
        json!({ "InternetGateways": igws }),
    );
    docs.insert(
        "describe-nat-gateways".to_string(),
        json!({ "NatGateways": nats }),
    );
    docs.insert(
        "describe-security-groups".to_string(),
        json!({ "SecurityGroups": sgs }),
    );
    docs.insert(
        "describe-network-acls".to_string(),
        json!({ "NetworkAcls": acls }),
    );
    docs.insert(
        "describe-instances".to_string(),
        json!({ "Reservations": reservations }),
    );
    docs.insert(
        "describe-vpc-endpoints".to_string(),
        json!({ "VpcEndpoints": endpoints }),
    );
    docs.insert(
        "describe-vpc-peering-connections".to_string(),
        json!({ "VpcPeeringConnections": peerings }),
    );
    docs.insert(
        "describe-dhcp-options".to_string(),
        json!({ "DhcpOptions": dhcp }),
    );
    docs.insert(
        "describe-addresses".to_string(),
        json!({ "Addresses": addresses }),
    );
    docs.insert(
        "describe-vpc-attribute".to_string(),
        Value::Array(attributes),
    );
    Ok((docs, out.warnings))
}

/// One rule (an inline rule or a rule resource's evaluated properties) as
/// describe-security-groups shows it; `None` (with a warning) when it
/// names its peer in a way the import cannot follow.
fn permission(
    out: &mut Out,
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
        out.warnings
            .push(format!("{id}: {dir} rule {proto} left out: it {what}"));
        return Ok(None);
    }
    Ok(Some(p))
}
