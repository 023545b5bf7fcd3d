//! `vpcc import aws`: the JSON of the AWS CLI's `ec2 describe-*` commands to
//! .vpc source.
//!
//! Input: a map from command name (`describe-vpcs`, ...) to that command's
//! JSON text. Missing commands are treated as empty lists. Whatever cannot
//! be modelled is left out with a warning naming the resource id.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde_json::Value;

use super::{Imported, Namer};

/// The commands read, in the order documented.
pub const COMMANDS: [&str; 12] = [
    "describe-vpcs",
    "describe-subnets",
    "describe-route-tables",
    "describe-internet-gateways",
    "describe-nat-gateways",
    "describe-security-groups",
    "describe-network-acls",
    "describe-instances",
    "describe-vpc-endpoints",
    "describe-vpc-peering-connections",
    "describe-dhcp-options",
    "describe-addresses",
];

/// Splits one JSON object holding all the commands' outputs (keyed by command
/// name) into the map [`import`] takes.
pub fn split_combined(text: &str) -> Result<BTreeMap<String, Value>, String> {
    let value: Value = serde_json::from_str(text).map_err(|e| format!("malformed JSON: {e}"))?;
    let Value::Object(map) = value else {
        return Err("expected one JSON object keyed by command name".to_string());
    };
    let mut out = BTreeMap::new();
    for (key, value) in map {
        if !COMMANDS.contains(&key.as_str()) {
            return Err(format!(
                "unknown key `{key}`: expected command names such as `describe-vpcs`"
            ));
        }
        out.insert(key, value);
    }
    Ok(out)
}

/// Parses one command's JSON text.
pub fn parse_command(command: &str, text: &str) -> Result<Value, String> {
    serde_json::from_str(text).map_err(|e| format!("{command}.json: malformed JSON: {e}"))
}

fn list<'a>(docs: &'a BTreeMap<String, Value>, command: &str, key: &str) -> Vec<&'a Value> {
    docs.get(command)
        .and_then(|v| v.get(key))
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn arr<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn name_tag(v: &Value) -> Option<&str> {
    arr(v, "Tags")
        .iter()
        .find(|t| s(t, "Key") == "Name")
        .map(|t| s(t, "Value"))
}

/// Imports the described network. Errors are about the shape of the input.
pub fn import(docs: &BTreeMap<String, Value>) -> Result<Imported, String> {
    let mut warnings = Vec::new();
    let mut namer = Namer::default();
    let mut names: BTreeMap<String, String> = BTreeMap::new();

    let vpcs = list(docs, "describe-vpcs", "Vpcs");
    let subnets = list(docs, "describe-subnets", "Subnets");
    let tables = list(docs, "describe-route-tables", "RouteTables");
    let igws = list(docs, "describe-internet-gateways", "InternetGateways");
    let nats = list(docs, "describe-nat-gateways", "NatGateways");
    let sgs = list(docs, "describe-security-groups", "SecurityGroups");
    let acls = list(docs, "describe-network-acls", "NetworkAcls");
    let instances: Vec<&Value> = list(docs, "describe-instances", "Reservations")
        .into_iter()
        .flat_map(|r| arr(r, "Instances"))
        .collect();
    let endpoints = list(docs, "describe-vpc-endpoints", "VpcEndpoints");
    let peerings = list(
        docs,
        "describe-vpc-peering-connections",
        "VpcPeeringConnections",
    );

    // Names first, in a fixed order, so references resolve.
    let mut name_all = |items: &[&Value], key: &str| {
        for v in items {
            let id = s(v, key);
            if !id.is_empty() && !names.contains_key(id) {
                let name = namer.name(name_tag(v), id);
                names.insert(id.to_string(), name);
            }
        }
    };
    name_all(&vpcs, "VpcId");
    name_all(&subnets, "SubnetId");
    name_all(&tables, "RouteTableId");
    name_all(&igws, "InternetGatewayId");
    name_all(&nats, "NatGatewayId");
    name_all(&instances, "InstanceId");
    name_all(&peerings, "VpcPeeringConnectionId");
    for sg in &sgs {
        let id = s(sg, "GroupId");
        if s(sg, "GroupName") == "default" || id.is_empty() {
            continue;
        }
        let wanted = name_tag(sg).or(Some(s(sg, "GroupName")));
        let name = namer.name(wanted, id);
        names.insert(id.to_string(), name);
    }

    let mut region = String::new();
    for sub in &subnets {
        let az = s(sub, "AvailabilityZone");
        if let Some(r) = az.get(..az.len().saturating_sub(1)) {
            region = r.to_string();
            break;
        }
    }
    if region.is_empty() {
        region = "us-east-1".to_string();
    }

    let mut out = String::new();
    let _ = writeln!(out, "region {region}");
    for vpc in &vpcs {
        let vid = s(vpc, "VpcId");
        let vname = &names[vid];
        if !arr(vpc, "Ipv6CidrBlockAssociationSet").is_empty() {
            warnings.push(format!("{vid}: IPv6 CIDR blocks left out"));
        }
        let primary = s(vpc, "CidrBlock");
        let _ = writeln!(out, "\nvpc {vname} {primary} {{ # {vid}");
        for assoc in arr(vpc, "CidrBlockAssociationSet") {
            let block = s(assoc, "CidrBlock");
            let state = assoc
                .get("CidrBlockState")
                .map(|st| s(st, "State"))
                .unwrap_or("associated");
            if block != primary && state == "associated" {
                let _ = writeln!(out, "  cidr {block}");
            }
        }
        for igw in &igws {
            if arr(igw, "Attachments").iter().any(|a| s(a, "VpcId") == vid) {
                let id = s(igw, "InternetGatewayId");
                let _ = writeln!(out, "  internet_gateway {} # {id}", names[id]);
            }
        }
        // Explicit associations and the main table.
        let mut assoc: BTreeMap<&str, &str> = BTreeMap::new();
        for t in tables.iter().filter(|t| s(t, "VpcId") == vid) {
            for a in arr(t, "Associations") {
                let sub = s(a, "SubnetId");
                if !sub.is_empty() {
                    assoc.insert(sub, s(t, "RouteTableId"));
                }
                if !s(a, "GatewayId").is_empty() {
                    warnings.push(format!(
                        "{}: edge association with {} left out",
                        s(t, "RouteTableId"),
                        s(a, "GatewayId")
                    ));
                }
            }
        }
        for sub in subnets.iter().filter(|x| s(x, "VpcId") == vid) {
            let sid = s(sub, "SubnetId");
            if !arr(sub, "Ipv6CidrBlockAssociationSet").is_empty() {
                warnings.push(format!("{sid}: IPv6 CIDR blocks left out"));
            }
            let az = s(sub, "AvailabilityZone");
            let letter = az.strip_prefix(region.as_str()).unwrap_or(az);
            let _ = writeln!(
                out,
                "  subnet {} {} az {letter} {{ # {sid}",
                names[sid],
                s(sub, "CidrBlock")
            );
            if let Some(t) = assoc.get(sid) {
                let _ = writeln!(out, "    route_table {}", names[*t]);
            }
            if sub.get("MapPublicIpOnLaunch").and_then(Value::as_bool) == Some(true) {
                let _ = writeln!(out, "    public_ip_on_launch");
            }
            for nat in nats.iter().filter(|n| s(n, "SubnetId") == sid) {
                let state = s(nat, "State");
                let id = s(nat, "NatGatewayId");
                if state == "deleted" || state == "deleting" || state == "failed" {
                    warnings.push(format!("{id}: NAT gateway in state {state} left out"));
                    continue;
                }
                let private = if s(nat, "ConnectivityType") == "private" {
                    " private"
                } else {
                    ""
                };
                let _ = writeln!(out, "    nat_gateway {}{private} # {id}", names[id]);
            }
            for inst in instances.iter().filter(|i| s(i, "SubnetId") == sid) {
                let id = s(inst, "InstanceId");
                let state = inst.get("State").map(|st| s(st, "Name")).unwrap_or("");
                if state == "terminated" {
                    warnings.push(format!("{id}: terminated instance left out"));
                    continue;
                }
                if arr(inst, "NetworkInterfaces").len() > 1 {
                    warnings.push(format!("{id}: network interfaces after the first left out"));
                }
                let _ = writeln!(
                    out,
                    "    instance {} {} {{ # {id}",
                    names[id],
                    s(inst, "PrivateIpAddress")
                );
                if !s(inst, "PublicIpAddress").is_empty() {
                    let _ = writeln!(out, "      public_ip");
                }
                let groups: Vec<&str> = arr(inst, "SecurityGroups")
                    .iter()
                    .filter_map(|g| names.get(s(g, "GroupId")).map(String::as_str))
                    .collect();
                if !groups.is_empty() {
                    let _ = writeln!(out, "      security_groups [{}]", groups.join(", "));
                }
                if inst.get("SourceDestCheck").and_then(Value::as_bool) == Some(false) {
                    let _ = writeln!(out, "      source_dest_check off");
                }
                let _ = writeln!(out, "    }}");
            }
            let _ = writeln!(out, "  }}");
        }
        for t in tables.iter().filter(|t| s(t, "VpcId") == vid) {
            let tid = s(t, "RouteTableId");
            let main = arr(t, "Associations")
                .iter()
                .any(|a| a.get("Main").and_then(Value::as_bool) == Some(true));
            let main = if main { " main" } else { "" };
            let _ = writeln!(out, "  route_table {}{main} {{ # {tid}", names[tid]);
            for r in arr(t, "Routes") {
                route(&mut out, &mut warnings, &names, tid, r);
            }
            let _ = writeln!(out, "  }}");
        }
        for sg in sgs.iter().filter(|g| s(g, "VpcId") == vid) {
            let gid = s(sg, "GroupId");
            let Some(gname) = names.get(gid) else {
                warnings.push(format!(
                    "{gid}: the default security group's rules left out (vpcc's default applies)"
                ));
                continue;
            };
            let _ = writeln!(out, "  security_group {gname} {{ # {gid}");
            for p in arr(sg, "IpPermissions") {
                sg_rule(&mut out, &mut warnings, &names, gid, "ingress", "from", p);
            }
            for p in arr(sg, "IpPermissionsEgress") {
                sg_rule(&mut out, &mut warnings, &names, gid, "egress", "to", p);
            }
            let _ = writeln!(out, "  }}");
        }
        let _ = writeln!(out, "}}");
    }
    for pcx in &peerings {
        let id = s(pcx, "VpcPeeringConnectionId");
        let a = pcx
            .get("RequesterVpcInfo")
            .map(|v| s(v, "VpcId"))
            .unwrap_or("");
        let b = pcx
            .get("AccepterVpcInfo")
            .map(|v| s(v, "VpcId"))
            .unwrap_or("");
        match (names.get(a), names.get(b)) {
            (Some(a), Some(b)) => {
                let _ = writeln!(out, "\npeering {} {a} {b} # {id}", names[id]);
            }
            _ => warnings.push(format!("{id}: peering with a VPC not described left out")),
        }
    }
    for acl in &acls {
        let id = s(acl, "NetworkAclId");
        if acl.get("IsDefault").and_then(Value::as_bool) != Some(true) {
            warnings.push(format!("{id}: network ACL left out (not imported yet)"));
        }
    }
    for e in &endpoints {
        warnings.push(format!(
            "{}: VPC endpoint {} left out (not imported yet)",
            s(e, "VpcEndpointId"),
            s(e, "ServiceName")
        ));
    }
    if docs
        .get("describe-dhcp-options")
        .is_some_and(|d| !arr(d, "DhcpOptions").is_empty())
    {
        warnings.push("DHCP options left out (not imported yet)".to_string());
    }
    let text = crate::fmt::format(&out).map_err(|d| {
        format!(
            "internal error: the generated source does not parse ({} diagnostics)",
            d.len()
        )
    })?;
    Ok(Imported { text, warnings })
}

fn route(
    out: &mut String,
    warnings: &mut Vec<String>,
    names: &BTreeMap<String, String>,
    tid: &str,
    r: &Value,
) {
    let dest = s(r, "DestinationCidrBlock");
    if dest.is_empty() {
        let what = if !s(r, "DestinationIpv6CidrBlock").is_empty() {
            format!("IPv6 route {}", s(r, "DestinationIpv6CidrBlock"))
        } else {
            format!("prefix-list route {}", s(r, "DestinationPrefixListId"))
        };
        warnings.push(format!("{tid}: {what} left out"));
        return;
    }
    let gw = s(r, "GatewayId");
    if gw == "local" {
        return;
    }
    let target = [
        "GatewayId",
        "NatGatewayId",
        "VpcPeeringConnectionId",
        "InstanceId",
    ]
    .iter()
    .map(|k| s(r, k))
    .find(|id| !id.is_empty());
    match target.and_then(|id| names.get(id)) {
        Some(name) => {
            let _ = writeln!(out, "    route {dest} -> {name}");
        }
        None => {
            let other = ["TransitGatewayId", "NetworkInterfaceId", "CarrierGatewayId"]
                .iter()
                .map(|k| s(r, k))
                .find(|id| !id.is_empty())
                .or(target)
                .unwrap_or("an unknown target");
            warnings.push(format!("{tid}: route {dest} -> {other} left out"));
        }
    }
}

fn sg_rule(
    out: &mut String,
    warnings: &mut Vec<String>,
    names: &BTreeMap<String, String>,
    gid: &str,
    dir: &str,
    word: &str,
    p: &Value,
) {
    let proto = match s(p, "IpProtocol") {
        "-1" | "all" => "all".to_string(),
        "6" => "tcp".to_string(),
        "17" => "udp".to_string(),
        other => other.to_string(),
    };
    let from = p.get("FromPort").and_then(Value::as_i64);
    let to = p.get("ToPort").and_then(Value::as_i64);
    let ports = match (proto.as_str(), from, to) {
        ("tcp" | "udp", Some(0), Some(65535)) | ("tcp" | "udp", None, None) => String::new(),
        ("tcp" | "udp", Some(a), Some(b)) if a == b => format!(" {a}"),
        ("tcp" | "udp", Some(a), Some(b)) => format!(" {a}-{b}"),
        ("all", _, _) => String::new(),
        _ => {
            warnings.push(format!("{gid}: {dir} rule for protocol {proto} left out"));
            return;
        }
    };
    for r in arr(p, "IpRanges") {
        let _ = writeln!(out, "    {dir} {proto}{ports} {word} {}", s(r, "CidrIp"));
    }
    for g in arr(p, "UserIdGroupPairs") {
        let id = s(g, "GroupId");
        match names.get(id) {
            Some(n) => {
                let _ = writeln!(out, "    {dir} {proto}{ports} {word} {n}");
            }
            None => warnings.push(format!("{gid}: {dir} rule referencing group {id} left out")),
        }
    }
    for r in arr(p, "Ipv6Ranges") {
        warnings.push(format!(
            "{gid}: IPv6 {dir} rule {} left out",
            s(r, "CidrIpv6")
        ));
    }
    for r in arr(p, "PrefixListIds") {
        warnings.push(format!(
            "{gid}: {dir} rule with prefix list {} left out",
            s(r, "PrefixListId")
        ));
    }
}
