//! `vpcc import aws`: the JSON of the AWS CLI's `ec2 describe-*` commands to
//! .vpc source.
//!
//! Input: a map from command name (`describe-vpcs`, ...) to that command's
//! parsed JSON. A missing command is an empty list (the CLI insists on
//! `describe-vpcs`). Whatever cannot be modelled is left out with a warning
//! naming the resource id. Output order is the input's order, which the
//! AWS CLI keeps stable; names come from `Name` tags, else from ids.

use std::collections::{BTreeMap, BTreeSet};
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

/// Optional inputs: the VPCs' DNS attributes (a list of `aws ec2
/// describe-vpc-attribute` outputs), which `describe-vpcs` does not hold;
/// the managed prefix lists, which name the service behind a
/// security-group rule's prefix list; and the entries of customer-managed
/// lists (one object keyed by list id, each value an `aws ec2
/// get-managed-prefix-list-entries` output).
///
/// Transit gateways: `describe-transit-gateways`,
/// `describe-transit-gateway-route-tables`,
/// `describe-transit-gateway-vpc-attachments`, and per route table (one
/// object keyed by table id, each value that command's output for the
/// table) `get-transit-gateway-route-table-associations`,
/// `get-transit-gateway-route-table-propagations` and
/// `search-transit-gateway-routes` (its static routes are read).
///
/// Virtual private gateways: `describe-vpn-gateways` and
/// `describe-vpn-connections` (a connection's static routes become the
/// `routes` of its `vpn` and the CIDRs of an `on_premises` external, named
/// by its customer gateway's `Name` tag in `describe-customer-gateways`);
/// route tables name their propagating gateways (`PropagatingVgws`).
pub const OPTIONAL: [&str; 12] = [
    "describe-vpc-attribute",
    "describe-managed-prefix-lists",
    "get-managed-prefix-list-entries",
    "describe-transit-gateways",
    "describe-transit-gateway-route-tables",
    "describe-transit-gateway-vpc-attachments",
    "get-transit-gateway-route-table-associations",
    "get-transit-gateway-route-table-propagations",
    "search-transit-gateway-routes",
    "describe-vpn-gateways",
    "describe-vpn-connections",
    "describe-customer-gateways",
];

/// Splits one JSON object holding all the commands' outputs (keyed by
/// command name) into the map [`import`] takes.
pub fn split_combined(value: Value) -> Result<BTreeMap<String, Value>, String> {
    let Value::Object(map) = value else {
        return Err("expected one JSON object keyed by command name".to_string());
    };
    let mut out = BTreeMap::new();
    for (key, value) in map {
        if !COMMANDS.contains(&key.as_str()) && !OPTIONAL.contains(&key.as_str()) {
            return Err(format!(
                "unknown key `{key}`: expected command names such as `describe-vpcs`"
            ));
        }
        out.insert(key, value);
    }
    if !out.contains_key("describe-vpcs") {
        return Err("no `describe-vpcs` key: it is required".to_string());
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

/// A string field; `""` when absent, not a string, or holding control
/// characters (no AWS id or value vpcc reads has them, and a newline would
/// end the comment an id is written in).
fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key)
        .and_then(Value::as_str)
        .filter(|t| !t.chars().any(char::is_control))
        .unwrap_or("")
}

fn flag(v: &Value, key: &str) -> Option<bool> {
    v.get(key).and_then(Value::as_bool)
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

/// A CIDR or address as vpcc reads it: the text must be an IPv4 literal
/// (an id or an IPv6 literal here would make a file that does not parse).
fn ipv4_cidr(text: &str) -> bool {
    text.parse::<ipnet::Ipv4Net>().is_ok()
}

fn ipv4(text: &str) -> bool {
    text.parse::<std::net::Ipv4Addr>().is_ok()
}

/// The service part of `com.amazonaws.REGION.SVC`.
/// The requester's and accepter's VPC ids of a peering (`""` when absent).
fn peering_vpcs(pcx: &Value) -> (&str, &str) {
    let vpc = |side: &str| pcx.get(side).map(|v| s(v, "VpcId")).unwrap_or("");
    (vpc("RequesterVpcInfo"), vpc("AccepterVpcInfo"))
}

fn service_of<'a>(name: &'a str, region: &str) -> Option<&'a str> {
    let rest = name.strip_prefix("com.amazonaws.")?;
    let (r, svc) = rest.split_once('.')?;
    let plain = !svc.is_empty()
        && svc
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.');
    (plain && (region.is_empty() || r == region)).then_some(svc)
}

struct Ctx<'a> {
    warnings: Vec<String>,
    names: BTreeMap<String, String>,
    /// Prefix-list id -> gateway service (`s3`, `dynamodb`).
    prefix_lists: BTreeMap<String, String>,
    /// Customer-managed prefix-list id -> its name in the file.
    lists: BTreeMap<String, String>,
    /// ENI id -> instance id.
    enis: BTreeMap<&'a str, &'a str>,
    region: String,
    /// VPC id -> its `vpn_gateway` block (the gateway attached to it).
    vgw_blocks: BTreeMap<String, String>,
}

impl Ctx<'_> {
    /// The name given to `id` (every written object has one; an id that
    /// was never named, from odd input, is named by itself).
    fn name(&self, id: &str) -> String {
        self.names
            .get(id)
            .cloned()
            .unwrap_or_else(|| match super::sanitize(id) {
                n if n.is_empty() => "unnamed".to_string(),
                n => n,
            })
    }

    fn warn(&mut self, text: String) {
        self.warnings.push(text);
    }
}

/// Imports the described network. Errors are about the shape of the input.
pub fn import(docs: &BTreeMap<String, Value>) -> Result<Imported, String> {
    for (command, value) in docs {
        if COMMANDS.contains(&command.as_str()) && !value.is_object() {
            return Err(format!(
                "{command}: expected the JSON object the AWS CLI prints"
            ));
        }
    }
    let mut namer = Namer::default();

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
    let dhcp = list(docs, "describe-dhcp-options", "DhcpOptions");
    let addresses = list(docs, "describe-addresses", "Addresses");
    let managed = list(docs, "describe-managed-prefix-lists", "PrefixLists");
    let live = |v: &&Value| {
        !matches!(
            s(v, "State"),
            "deleted" | "deleting" | "failed" | "rejected"
        )
    };
    let tgws: Vec<&Value> = list(docs, "describe-transit-gateways", "TransitGateways")
        .into_iter()
        .filter(live)
        .collect();
    let tgw_tables: Vec<&Value> = list(
        docs,
        "describe-transit-gateway-route-tables",
        "TransitGatewayRouteTables",
    )
    .into_iter()
    .filter(live)
    .collect();
    let tgw_atts: Vec<&Value> = list(
        docs,
        "describe-transit-gateway-vpc-attachments",
        "TransitGatewayVpcAttachments",
    )
    .into_iter()
    .filter(live)
    .collect();
    let vgws: Vec<&Value> = list(docs, "describe-vpn-gateways", "VpnGateways")
        .into_iter()
        .filter(live)
        .collect();
    let vpn_conns: Vec<&Value> = list(docs, "describe-vpn-connections", "VpnConnections")
        .into_iter()
        .filter(live)
        .collect();
    let attributes: Vec<&Value> = docs
        .get("describe-vpc-attribute")
        .and_then(Value::as_array)
        .map(|a| a.iter().collect())
        .unwrap_or_default();

    let region = subnets
        .iter()
        .map(|sub| s(sub, "AvailabilityZone"))
        .find(|az| az.len() > 1)
        .map(|az| {
            az.trim_end_matches(|c: char| c.is_ascii_lowercase())
                .to_string()
        })
        .or_else(|| {
            endpoints.iter().find_map(|e| {
                let rest = s(e, "ServiceName").strip_prefix("com.amazonaws.")?;
                rest.split_once('.').map(|(r, _)| r.to_string())
            })
        })
        .unwrap_or_default();
    // A region name such as `eu-west-1`, else none.
    let region = if region
        .bytes()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
        && region.starts_with(|c: char| c.is_ascii_lowercase())
    {
        region
    } else {
        String::new()
    };

    let mut cx = Ctx {
        warnings: Vec::new(),
        names: BTreeMap::new(),
        prefix_lists: BTreeMap::new(),
        lists: BTreeMap::new(),
        enis: BTreeMap::new(),
        region: region.clone(),
        vgw_blocks: BTreeMap::new(),
    };

    let vpc_ids: BTreeSet<&str> = vpcs.iter().map(|v| s(v, "VpcId")).collect();
    let default_sgs: BTreeSet<&str> = sgs
        .iter()
        .filter(|g| s(g, "GroupName") == "default")
        .map(|g| s(g, "GroupId"))
        .collect();

    // The default ACL is dropped when it is AWS's (allow all both ways).
    let acl_is_aws_default = |acl: &Value| {
        flag(acl, "IsDefault") == Some(true) && {
            let entries: Vec<&Value> = arr(acl, "Entries")
                .iter()
                .filter(|e| e.get("RuleNumber").and_then(Value::as_i64) != Some(32767))
                .collect();
            entries.len() == 2
                && [false, true].iter().all(|egress| {
                    entries.iter().any(|e| {
                        flag(e, "Egress") == Some(*egress)
                            && s(e, "Protocol") == "-1"
                            && s(e, "RuleAction") == "allow"
                            && (s(e, "CidrBlock") == "0.0.0.0/0" || s(e, "Ipv6CidrBlock") == "::/0")
                    })
                })
        }
    };

    // Names first, in a fixed order, so references resolve.
    {
        let mut name_all = |items: &[&Value], key: &str| {
            for v in items {
                let id = s(v, key);
                if !id.is_empty() && !cx.names.contains_key(id) {
                    let name = namer.name(name_tag(v), id);
                    cx.names.insert(id.to_string(), name);
                }
            }
        };
        name_all(&vpcs, "VpcId");
        name_all(&subnets, "SubnetId");
        name_all(&tables, "RouteTableId");
        name_all(&igws, "InternetGatewayId");
        name_all(&nats, "NatGatewayId");
        name_all(&instances, "InstanceId");
        name_all(&endpoints, "VpcEndpointId");
        name_all(&peerings, "VpcPeeringConnectionId");
        name_all(&tgws, "TransitGatewayId");
        name_all(&tgw_tables, "TransitGatewayRouteTableId");
        name_all(&tgw_atts, "TransitGatewayAttachmentId");
        name_all(&vgws, "VpnGatewayId");
        name_all(&vpn_conns, "VpnConnectionId");
        let acls_named: Vec<&Value> = acls
            .iter()
            .copied()
            .filter(|a| !acl_is_aws_default(a))
            .collect();
        name_all(&acls_named, "NetworkAclId");
    }
    for sg in &sgs {
        let id = s(sg, "GroupId");
        if default_sgs.contains(id) || id.is_empty() {
            continue;
        }
        let wanted = name_tag(sg).or(Some(s(sg, "GroupName")));
        let name = namer.name(wanted, id);
        cx.names.insert(id.to_string(), name);
    }
    for inst in &instances {
        for eni in arr(inst, "NetworkInterfaces") {
            cx.enis
                .insert(s(eni, "NetworkInterfaceId"), s(inst, "InstanceId"));
        }
    }
    // Prefix lists: the managed lists' names, then the gateway endpoints'
    // routes (`pl-...` via `vpce-...`).
    // A customer-managed list is written when its entries are given.
    let list_entries = docs.get("get-managed-prefix-list-entries");
    let mut list_lines = Vec::new();
    for pl in &managed {
        let id = s(pl, "PrefixListId");
        if let Some(svc) = service_of(s(pl, "PrefixListName"), "") {
            cx.prefix_lists.insert(id.to_string(), svc.to_string());
            continue;
        }
        if s(pl, "OwnerId") == "AWS" || id.is_empty() {
            continue;
        }
        if s(pl, "AddressFamily") != "IPv4" {
            cx.warn(format!(
                "{id}: prefix list of address family `{}` left out",
                s(pl, "AddressFamily")
            ));
            continue;
        }
        let Some(entries) = list_entries.and_then(|e| e.get(id)) else {
            cx.warn(format!(
                "{id}: prefix list left out: its entries are not given (get-managed-prefix-list-entries)"
            ));
            continue;
        };
        let cidrs: Vec<&str> = arr(entries, "Entries")
            .iter()
            .map(|e| s(e, "Cidr"))
            .filter(|c| ipv4_cidr(c))
            .collect();
        let max = pl.get("MaxEntries").and_then(Value::as_u64).unwrap_or(0);
        let name = namer.name(name_tag(pl).or(Some(s(pl, "PrefixListName"))), id);
        list_lines.push(format!(
            "prefix_list {name} [{}] max_entries {max} # {id}",
            cidrs.join(", ")
        ));
        cx.names.insert(id.to_string(), name.clone());
        cx.lists.insert(id.to_string(), name);
    }
    let gateway_endpoints: BTreeMap<&str, &str> = endpoints
        .iter()
        .filter(|e| s(e, "VpcEndpointType") == "Gateway")
        .filter_map(|e| {
            service_of(s(e, "ServiceName"), &region).map(|svc| (s(e, "VpcEndpointId"), svc))
        })
        .collect();
    for t in &tables {
        for r in arr(t, "Routes") {
            let pl = s(r, "DestinationPrefixListId");
            if let (Some(svc), false) = (gateway_endpoints.get(s(r, "GatewayId")), pl.is_empty()) {
                cx.prefix_lists.insert(pl.to_string(), (*svc).to_string());
            }
        }
    }

    // A peering that is not written is no route target either.
    for pcx in &peerings {
        let id = s(pcx, "VpcPeeringConnectionId");
        let status = pcx.get("Status").map(|v| s(v, "Code")).unwrap_or("");
        let (a, b) = peering_vpcs(pcx);
        if status != "active" || !vpc_ids.contains(a) || !vpc_ids.contains(b) {
            cx.names.remove(id);
        }
    }
    let cgw_names: BTreeMap<&str, &str> =
        list(docs, "describe-customer-gateways", "CustomerGateways")
            .into_iter()
            .filter_map(|c| {
                // vpcc's export names the network in an `OnPremises` tag;
                // else the device's own name stands for it.
                let tag = |key: &str| {
                    arr(c, "Tags")
                        .iter()
                        .find(|t| s(t, "Key") == key)
                        .map(|t| s(t, "Value"))
                        .filter(|v| !v.is_empty())
                };
                Some((
                    s(c, "CustomerGatewayId"),
                    tag("OnPremises").or_else(|| name_tag(c))?,
                ))
            })
            .collect();
    let external_lines = vpn_gateways(
        &mut cx,
        &mut namer,
        &Vpns {
            gateways: &vgws,
            connections: &vpn_conns,
            customer_gateways: &cgw_names,
        },
        &vpc_ids,
    );
    let mut out = String::new();
    if !region.is_empty() {
        let _ = writeln!(out, "region {region}");
    }
    if !external_lines.is_empty() {
        out.push('\n');
        for l in &external_lines {
            let _ = writeln!(out, "{l}");
        }
    }
    if !list_lines.is_empty() {
        out.push('\n');
        for l in &list_lines {
            let _ = writeln!(out, "{l}");
        }
    }
    for sub in &subnets {
        if !vpc_ids.contains(s(sub, "VpcId")) {
            let id = s(sub, "SubnetId");
            cx.warn(format!(
                "{id}: subnet of a VPC not described ({}) left out",
                s(sub, "VpcId")
            ));
        }
    }
    for vpc in &vpcs {
        write_vpc(
            &mut out,
            &mut cx,
            vpc,
            &Lists {
                subnets: &subnets,
                tables: &tables,
                igws: &igws,
                nats: &nats,
                sgs: &sgs,
                acls: &acls,
                instances: &instances,
                endpoints: &endpoints,
                dhcp: &dhcp,
                attributes: &attributes,
                default_sgs: &default_sgs,
            },
        );
    }
    for pcx in &peerings {
        let id = s(pcx, "VpcPeeringConnectionId");
        let status = pcx.get("Status").map(|v| s(v, "Code")).unwrap_or("");
        if status != "active" {
            cx.warn(format!("{id}: peering in state `{status}` left out"));
            continue;
        }
        let (a, b) = peering_vpcs(pcx);
        match (
            vpc_ids.contains(a).then(|| cx.names.get(a)).flatten(),
            vpc_ids.contains(b).then(|| cx.names.get(b)).flatten(),
        ) {
            (Some(an), Some(bn)) => {
                let name = cx.names.get(id).cloned().unwrap_or_default();
                let _ = writeln!(out, "\npeering {name} {an} {bn} # {id}");
            }
            _ => cx.warn(format!(
                "{id}: peering with a VPC not described ({a} and {b}) left out"
            )),
        }
    }
    write_transit_gateways(
        &mut out,
        &mut cx,
        docs,
        &Tgw {
            gateways: &tgws,
            tables: &tgw_tables,
            attachments: &tgw_atts,
            vpcs: &vpc_ids,
            subnets: &subnets,
        },
    );
    for addr in &addresses {
        let id = match s(addr, "AllocationId") {
            "" => s(addr, "PublicIp"),
            a => a,
        };
        let eni = s(addr, "NetworkInterfaceId");
        let instance = s(addr, "InstanceId");
        let of_nat = nats.iter().any(|n| {
            arr(n, "NatGatewayAddresses").iter().any(|a| {
                (!eni.is_empty() && s(a, "NetworkInterfaceId") == eni)
                    || (!s(addr, "AllocationId").is_empty()
                        && s(a, "AllocationId") == s(addr, "AllocationId"))
            })
        });
        if of_nat || (!instance.is_empty() && cx.names.contains_key(instance)) {
            // A NAT gateway's Elastic IP, or an instance's public address
            // (the instance says `public_ip`).
            continue;
        }
        if instance.is_empty() && eni.is_empty() {
            cx.warn(format!(
                "{id}: Elastic IP not associated with anything left out"
            ));
        } else {
            let what = if instance.is_empty() { eni } else { instance };
            cx.warn(format!(
                "{id}: Elastic IP of {what}, which is not imported, left out"
            ));
        }
    }
    let text = crate::fmt::format(&out).map_err(|d| {
        format!(
            "internal error: the generated source does not parse ({} diagnostics)",
            d.len()
        )
    })?;
    Ok(Imported {
        text,
        warnings: cx.warnings,
    })
}

struct Lists<'a, 'b> {
    subnets: &'b [&'a Value],
    tables: &'b [&'a Value],
    igws: &'b [&'a Value],
    nats: &'b [&'a Value],
    sgs: &'b [&'a Value],
    acls: &'b [&'a Value],
    instances: &'b [&'a Value],
    endpoints: &'b [&'a Value],
    dhcp: &'b [&'a Value],
    attributes: &'b [&'a Value],
    default_sgs: &'b BTreeSet<&'a str>,
}

fn write_vpc(out: &mut String, cx: &mut Ctx<'_>, vpc: &Value, l: &Lists<'_, '_>) {
    let vid = s(vpc, "VpcId");
    if vid.is_empty() {
        cx.warn("a VPC without a VpcId left out".to_string());
        return;
    }
    let vname = cx.name(vid);
    let in_vpc = |v: &&&Value| s(v, "VpcId") == vid;
    for a in arr(vpc, "Ipv6CidrBlockAssociationSet") {
        cx.warn(format!(
            "{vid}: IPv6 CIDR block {} left out",
            s(a, "Ipv6CidrBlock")
        ));
    }
    let primary = s(vpc, "CidrBlock");
    // The main table is left out when a .vpc file's implicit main table
    // says the same: only local routes, no subnet or endpoint naming it.
    let endpoint_tables: BTreeSet<&str> = l
        .endpoints
        .iter()
        .filter(in_vpc)
        .flat_map(|e| arr(e, "RouteTableIds").iter().filter_map(Value::as_str))
        .collect();
    let mut implicit_main = None;
    for t in l.tables.iter().filter(in_vpc) {
        let tid = s(t, "RouteTableId");
        let is_main = arr(t, "Associations")
            .iter()
            .any(|a| flag(a, "Main") == Some(true));
        let only_local = arr(t, "Routes")
            .iter()
            .all(|r| s(r, "GatewayId") == "local")
            && arr(t, "PropagatingVgws").is_empty();
        let has_subnets = arr(t, "Associations")
            .iter()
            .any(|a| !s(a, "SubnetId").is_empty());
        if is_main && only_local && !has_subnets && !endpoint_tables.contains(tid) {
            implicit_main = Some(tid);
        }
    }
    let comment = match implicit_main {
        Some(t) => format!("{vid}, main route table {t}"),
        None => vid.to_string(),
    };
    if !ipv4_cidr(primary) {
        cx.warn(format!("{vid}: VPC without an IPv4 CIDR block left out"));
        return;
    }
    let _ = writeln!(out, "\nvpc {vname} {primary} {{ # {comment}");
    for assoc in arr(vpc, "CidrBlockAssociationSet") {
        let block = s(assoc, "CidrBlock");
        let state = assoc
            .get("CidrBlockState")
            .map(|st| s(st, "State"))
            .unwrap_or("associated");
        if block != primary && state == "associated" && ipv4_cidr(block) {
            let _ = writeln!(out, "  cidr {block} # {}", s(assoc, "AssociationId"));
        }
    }
    // DNS attributes: `describe-vpc-attribute` outputs when given; else a
    // private-DNS interface endpoint proves both on (AWS requires it).
    let attribute = |key: &str| {
        l.attributes
            .iter()
            .filter(|a| s(a, "VpcId") == vid)
            .find_map(|a| a.get(key).and_then(|v| flag(v, "Value")))
    };
    let private_dns = l
        .endpoints
        .iter()
        .filter(in_vpc)
        .any(|e| flag(e, "PrivateDnsEnabled") == Some(true));
    let support = attribute("EnableDnsSupport");
    let hostnames = attribute("EnableDnsHostnames");
    if support.is_none() || hostnames.is_none() {
        let assumed = if private_dns {
            "on (a private-DNS endpoint needs both)"
        } else {
            "AWS's defaults (support on, hostnames off)"
        };
        cx.warn(format!(
            "{vid}: DNS attributes not in the input (describe-vpc-attribute); assumed {assumed}"
        ));
    }
    if !support.unwrap_or(true) {
        let _ = writeln!(out, "  dns_support off");
    }
    if hostnames.unwrap_or(private_dns) {
        let _ = writeln!(out, "  dns_hostnames on");
    }
    write_dhcp(out, cx, vpc, l.dhcp);
    for igw in l.igws {
        if arr(igw, "Attachments").iter().any(|a| s(a, "VpcId") == vid) {
            let id = s(igw, "InternetGatewayId");
            let _ = writeln!(out, "  internet_gateway {} # {id}", cx.name(id));
        }
    }
    if let Some(block) = cx.vgw_blocks.get(vid) {
        out.push_str(block);
    }
    // Explicit associations.
    let mut assoc: BTreeMap<&str, &str> = BTreeMap::new();
    for t in l.tables.iter().filter(in_vpc) {
        for a in arr(t, "Associations") {
            let sub = s(a, "SubnetId");
            if !sub.is_empty() {
                assoc.insert(sub, s(t, "RouteTableId"));
            }
            if !s(a, "GatewayId").is_empty() {
                cx.warn(format!(
                    "{}: edge association with {} left out",
                    s(t, "RouteTableId"),
                    s(a, "GatewayId")
                ));
            }
        }
    }
    let mut acl_of: BTreeMap<&str, &str> = BTreeMap::new();
    for acl in l.acls.iter().filter(in_vpc) {
        let id = s(acl, "NetworkAclId");
        if cx.names.contains_key(id) {
            for a in arr(acl, "Associations") {
                acl_of.insert(s(a, "SubnetId"), id);
            }
        }
    }
    for sub in l.subnets.iter().filter(in_vpc) {
        write_subnet(out, cx, sub, &assoc, &acl_of, l);
    }
    for t in l.tables.iter().filter(in_vpc) {
        let tid = s(t, "RouteTableId");
        if Some(tid) == implicit_main {
            continue;
        }
        let main = arr(t, "Associations")
            .iter()
            .any(|a| flag(a, "Main") == Some(true));
        let main = if main { " main" } else { "" };
        let _ = writeln!(out, "  route_table {}{main} {{ # {tid}", cx.name(tid));
        for r in arr(t, "Routes") {
            route(out, cx, tid, r);
        }
        for p in arr(t, "PropagatingVgws") {
            let g = s(p, "GatewayId");
            match cx.vgw_blocks.contains_key(vid).then(|| cx.names.get(g)).flatten() {
                Some(name) => {
                    let _ = writeln!(out, "    propagate {name}");
                }
                None => cx.warn(format!(
                    "{tid}: route propagation from {g}, a VPN gateway not attached to {vid}, left out"
                )),
            }
        }
        let _ = writeln!(out, "  }}");
    }
    for e in l.endpoints.iter().filter(in_vpc) {
        write_endpoint(out, cx, e, l.default_sgs);
    }
    for sg in l.sgs.iter().filter(in_vpc) {
        write_sg(out, cx, sg, l.default_sgs);
    }
    for acl in l.acls.iter().filter(in_vpc) {
        write_acl(out, cx, acl);
    }
    let _ = writeln!(out, "}}");
}

fn write_dhcp(out: &mut String, cx: &mut Ctx<'_>, vpc: &Value, dhcp: &[&Value]) {
    let id = s(vpc, "DhcpOptionsId");
    if id.is_empty() || id == "default" {
        return;
    }
    let Some(options) = dhcp.iter().find(|d| s(d, "DhcpOptionsId") == id) else {
        cx.warn(format!(
            "{}: DHCP options {id} not in describe-dhcp-options; AWS's defaults assumed",
            s(vpc, "VpcId")
        ));
        return;
    };
    let mut domain = None;
    let mut servers = Vec::new();
    let mut ntp = Vec::new();
    for c in arr(options, "DhcpConfigurations") {
        let values: Vec<&str> = arr(c, "Values").iter().map(|v| s(v, "Value")).collect();
        match s(c, "Key") {
            "domain-name" => domain = values.first().copied(),
            "domain-name-servers" => servers = values,
            "ntp-servers" => ntp = values,
            other => cx.warn(format!("{id}: DHCP option `{other}` left out")),
        }
    }
    let default_domain = domain.is_none_or(|d| {
        d == "ec2.internal"
            || (!cx.region.is_empty() && d == format!("{}.compute.internal", cx.region))
    });
    if default_domain && ntp.is_empty() && (servers.is_empty() || servers == ["AmazonProvidedDNS"])
    {
        return; // What a .vpc file without `dhcp_options` says.
    }
    let _ = writeln!(out, "  dhcp_options {{ # {id}");
    if let Some(d) = domain {
        if d.contains(['"', '\\', '\n']) {
            cx.warn(format!("{id}: domain name {d:?} left out"));
        } else {
            let _ = writeln!(out, "    domain_name \"{d}\"");
        }
    }
    let mut keep = |values: &[&str], what: &str| -> Vec<String> {
        values
            .iter()
            .filter(|v| {
                let ok = ipv4(v) || (what == "name server" && **v == "AmazonProvidedDNS");
                if !ok {
                    cx.warn(format!("{id}: {what} {v} left out"));
                }
                ok
            })
            .map(|v| (*v).to_string())
            .collect()
    };
    let servers = keep(&servers, "name server");
    let ntp = keep(&ntp, "NTP server");
    if !servers.is_empty() {
        let _ = writeln!(out, "    name_servers [{}]", servers.join(", "));
    }
    if !ntp.is_empty() {
        let _ = writeln!(out, "    ntp_servers [{}]", ntp.join(", "));
    }
    let _ = writeln!(out, "  }}");
}

fn write_subnet(
    out: &mut String,
    cx: &mut Ctx<'_>,
    sub: &Value,
    assoc: &BTreeMap<&str, &str>,
    acl_of: &BTreeMap<&str, &str>,
    l: &Lists<'_, '_>,
) {
    let sid = s(sub, "SubnetId");
    for a in arr(sub, "Ipv6CidrBlockAssociationSet") {
        cx.warn(format!(
            "{sid}: IPv6 CIDR block {} left out",
            s(a, "Ipv6CidrBlock")
        ));
    }
    let cidr = s(sub, "CidrBlock");
    if !ipv4_cidr(cidr) {
        cx.warn(format!("{sid}: subnet without an IPv4 CIDR block left out"));
        return;
    }
    let az = s(sub, "AvailabilityZone");
    let az = match az.strip_prefix(cx.region.as_str()) {
        Some(letter) if letter.len() == 1 && !cx.region.is_empty() => format!(" az {letter}"),
        _ if az.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') && !az.is_empty() => {
            format!(" az {az}")
        }
        _ => String::new(),
    };
    let _ = writeln!(out, "  subnet {} {cidr}{az} {{ # {sid}", cx.name(sid));
    if let Some(t) = assoc.get(sid) {
        let _ = writeln!(out, "    route_table {}", cx.name(t));
    }
    if let Some(a) = acl_of.get(sid) {
        let _ = writeln!(out, "    network_acl {}", cx.name(a));
    }
    let maps = flag(sub, "MapPublicIpOnLaunch") == Some(true);
    if maps {
        let _ = writeln!(out, "    public_ip_on_launch");
    }
    for nat in l.nats.iter().filter(|n| s(n, "SubnetId") == sid) {
        let state = s(nat, "State");
        let id = s(nat, "NatGatewayId");
        if matches!(state, "deleted" | "deleting" | "failed") {
            cx.warn(format!("{id}: NAT gateway in state {state} left out"));
            continue;
        }
        let private = if s(nat, "ConnectivityType") == "private" {
            " private"
        } else {
            ""
        };
        let _ = writeln!(out, "    nat_gateway {}{private} # {id}", cx.name(id));
    }
    for inst in l.instances.iter().filter(|i| s(i, "SubnetId") == sid) {
        let id = s(inst, "InstanceId");
        let state = inst.get("State").map(|st| s(st, "Name")).unwrap_or("");
        if matches!(state, "terminated" | "shutting-down") {
            cx.warn(format!("{id}: {state} instance left out"));
            continue;
        }
        let enis = arr(inst, "NetworkInterfaces");
        if enis.len() > 1 {
            cx.warn(format!(
                "{id}: {} network interfaces after the first left out",
                enis.len() - 1
            ));
        }
        for eni in enis {
            let extra = arr(eni, "PrivateIpAddresses")
                .iter()
                .filter(|a| flag(a, "Primary") == Some(false))
                .count();
            if extra > 0 {
                cx.warn(format!(
                    "{id}: {extra} secondary private address(es) of {} left out",
                    s(eni, "NetworkInterfaceId")
                ));
            }
        }
        let address = s(inst, "PrivateIpAddress");
        let address = if ipv4(address) {
            format!(" {address}")
        } else {
            String::new()
        };
        let _ = writeln!(out, "    instance {}{address} {{ # {id}", cx.name(id));
        let public = !s(inst, "PublicIpAddress").is_empty();
        if public && !maps {
            let _ = writeln!(out, "      public_ip");
        } else if !public && maps {
            let _ = writeln!(out, "      public_ip off");
        }
        // The primary interface's groups (the instance's `SecurityGroups`
        // are those of all its interfaces).
        let primary = enis.iter().find(|n| {
            n.get("Attachment")
                .and_then(|a| a.get("DeviceIndex"))
                .and_then(Value::as_i64)
                == Some(0)
        });
        let member_of = match primary {
            Some(n) if n.get("Groups").is_some() => arr(n, "Groups"),
            _ => arr(inst, "SecurityGroups"),
        };
        let mut groups = Vec::new();
        for g in member_of {
            let gid = s(g, "GroupId");
            match cx.names.get(gid) {
                Some(n) => groups.push(n.clone()),
                None if l.default_sgs.contains(gid) => {}
                None => cx.warn(format!(
                    "{id}: security group {gid}, not described, left out"
                )),
            }
        }
        let in_default = member_of
            .iter()
            .any(|g| l.default_sgs.contains(s(g, "GroupId")));
        if in_default && !groups.is_empty() {
            cx.warn(format!(
                "{id}: membership of the VPC's default security group left out (a .vpc instance is in it only with no other group)"
            ));
        }
        if !groups.is_empty() {
            let _ = writeln!(out, "      security_groups [{}]", groups.join(", "));
        }
        if flag(inst, "SourceDestCheck") == Some(false) {
            let _ = writeln!(out, "      source_dest_check off");
        }
        let _ = writeln!(out, "    }}");
    }
    let _ = writeln!(out, "  }}");
}

fn route(out: &mut String, cx: &mut Ctx<'_>, tid: &str, r: &Value) {
    let list = cx.lists.get(s(r, "DestinationPrefixListId")).cloned();
    let dest = match &list {
        Some(name) => name.as_str(),
        None => s(r, "DestinationCidrBlock"),
    };
    if list.is_none() && (dest.is_empty() || !ipv4_cidr(dest)) {
        let pl = s(r, "DestinationPrefixListId");
        if !pl.is_empty()
            && s(r, "GatewayId").starts_with("vpce-")
            && cx.prefix_lists.contains_key(pl)
        {
            return; // A gateway endpoint's route: its `route_tables` say it.
        }
        let what = if !s(r, "DestinationIpv6CidrBlock").is_empty() {
            format!("IPv6 route {}", s(r, "DestinationIpv6CidrBlock"))
        } else if !pl.is_empty() {
            format!("route to prefix list {pl}")
        } else {
            format!("route to {dest:?}")
        };
        cx.warn(format!("{tid}: {what} left out"));
        return;
    }
    let gw = s(r, "GatewayId");
    if gw == "local" || s(r, "Origin") == "EnableVgwRoutePropagation" {
        // The local route, and routes a `propagate` says.
        return;
    }
    if s(r, "State") == "blackhole" {
        let _ = writeln!(out, "    route {dest} -> blackhole");
        return;
    }
    let mut target = [
        "GatewayId",
        "NatGatewayId",
        "VpcPeeringConnectionId",
        "InstanceId",
        "TransitGatewayId",
    ]
    .iter()
    .map(|k| s(r, k))
    .find(|id| !id.is_empty());
    if target.is_none() {
        // A route to an interface: fine when it is an instance's.
        target = cx.enis.get(s(r, "NetworkInterfaceId")).copied();
    }
    match target.and_then(|id| cx.names.get(id)) {
        Some(name) => {
            let _ = writeln!(out, "    route {dest} -> {name}");
        }
        None => {
            let other = [
                "TransitGatewayId",
                "NetworkInterfaceId",
                "CarrierGatewayId",
                "LocalGatewayId",
                "EgressOnlyInternetGatewayId",
                "CoreNetworkArn",
            ]
            .iter()
            .map(|k| s(r, k))
            .find(|id| !id.is_empty())
            .or(target)
            .unwrap_or("an unknown target");
            // A CloudFormation template names the gateway by its logical
            // id, not a `tgw-` id: the key says what it is.
            let why = if other.starts_with("tgw-") || !s(r, "TransitGatewayId").is_empty() {
                " (a transit gateway not described)"
            } else if other.starts_with("vgw-") {
                " (a VPN gateway not described or not attached)"
            } else if other.starts_with("eni-") {
                " (an interface of unknown kind)"
            } else {
                ""
            };
            cx.warn(format!("{tid}: route {dest} -> {other} left out{why}"));
        }
    }
}

/// The virtual private gateways attached to a described VPC, as `vpn_gateway`
/// blocks in `cx.vgw_blocks`, and the `on_premises` externals their VPN
/// connections lead to (returned as lines): one per connection, its CIDRs
/// the connection's static routes. A gateway attached to no described VPC,
/// and a connection without static routes (BGP: what it learns is not in
/// the output), are warnings; routes and propagations naming such a gateway
/// become warnings too.
struct Vpns<'a, 'b> {
    gateways: &'b [&'a Value],
    connections: &'b [&'a Value],
    /// Customer gateway id -> its `Name` tag.
    customer_gateways: &'b BTreeMap<&'a str, &'a str>,
}

fn vpn_gateways(
    cx: &mut Ctx<'_>,
    namer: &mut Namer,
    v: &Vpns<'_, '_>,
    vpcs: &BTreeSet<&str>,
) -> Vec<String> {
    let (vgws, conns) = (v.gateways, v.connections);
    let mut externals = Vec::new();
    // (customer gateway name, routes) -> the external already written: two
    // connections to one network share it.
    let mut written: BTreeMap<(String, Vec<&str>), String> = BTreeMap::new();
    for g in vgws {
        let gid = s(g, "VpnGatewayId");
        let attached: Vec<&str> = arr(g, "VpcAttachments")
            .iter()
            .filter(|a| s(a, "State") == "attached")
            .map(|a| s(a, "VpcId"))
            .filter(|v| vpcs.contains(v))
            .collect();
        let Some(&vid) = attached.first() else {
            cx.warn(format!(
                "{gid}: VPN gateway attached to no described VPC left out"
            ));
            cx.names.remove(gid);
            continue;
        };
        if cx.vgw_blocks.contains_key(vid) {
            cx.warn(format!("{gid}: a second VPN gateway of {vid} left out"));
            cx.names.remove(gid);
            continue;
        }
        let mut block = format!("  vpn_gateway {} {{ # {gid}\n", cx.name(gid));
        for c in conns.iter().filter(|c| s(c, "VpnGatewayId") == gid) {
            let cid = s(c, "VpnConnectionId");
            let routes: Vec<&str> = arr(c, "Routes")
                .iter()
                .filter(|r| !matches!(s(r, "State"), "deleted" | "deleting"))
                .map(|r| s(r, "DestinationCidrBlock"))
                .filter(|r| ipv4_cidr(r))
                .collect();
            if routes.is_empty() {
                cx.warn(format!(
                    "{cid}: VPN connection without static routes left out (the routes a BGP connection learns are not in describe-vpn-connections)"
                ));
                continue;
            }
            let vpn = cx.name(cid);
            let cgw = s(c, "CustomerGatewayId");
            let wanted = v
                .customer_gateways
                .get(cgw)
                .map_or_else(|| format!("{vpn}-onprem"), |n| n.to_string());
            let key = (wanted.clone(), routes.clone());
            let ext = match written.get(&key) {
                Some(ext) => ext.clone(),
                None => {
                    let ext = namer.name(Some(&wanted), cid);
                    externals.push(format!(
                        "external {ext} {} on_premises # {} of {cid}",
                        routes.join(", "),
                        if cgw.is_empty() {
                            "the customer gateway"
                        } else {
                            cgw
                        }
                    ));
                    written.insert(key, ext.clone());
                    ext
                }
            };
            block.push_str(&format!(
                "    vpn {vpn} to {ext} routes [{}] # {cid}\n",
                routes.join(", ")
            ));
        }
        block.push_str("  }\n");
        cx.vgw_blocks.insert(vid.to_string(), block);
    }
    for c in conns {
        let cid = s(c, "VpnConnectionId");
        if s(c, "VpnGatewayId").is_empty() {
            let what = match s(c, "TransitGatewayId") {
                "" => "of no gateway".to_string(),
                t => format!("on transit gateway {t}"),
            };
            cx.warn(format!("{cid}: VPN connection {what} left out"));
        }
    }
    externals
}

struct Tgw<'a, 'b> {
    gateways: &'b [&'a Value],
    tables: &'b [&'a Value],
    attachments: &'b [&'a Value],
    vpcs: &'b BTreeSet<&'a str>,
    subnets: &'b [&'a Value],
}

/// One table's entries of a per-table command (`{"tgw-rtb-…": {KEY: [...]}}`).
fn per_table<'a>(
    docs: &'a BTreeMap<String, Value>,
    command: &str,
    table: &str,
    key: &str,
) -> &'a [Value] {
    docs.get(command)
        .and_then(|v| v.get(table))
        .map_or(&[], |v| arr(v, key))
}

/// `transit_gateway NAME { route_table ... attach ... }` for each gateway:
/// each table with its propagations and static routes, each VPC attachment
/// with its subnets and its associated table. A VPN (or any attachment that
/// is not a described VPC attachment) is not imported: the associations,
/// propagations and routes that name it are warnings.
fn write_transit_gateways(
    out: &mut String,
    cx: &mut Ctx<'_>,
    docs: &BTreeMap<String, Value>,
    t: &Tgw<'_, '_>,
) {
    let subnet_vpc: BTreeMap<&str, &str> = t
        .subnets
        .iter()
        .map(|sub| (s(sub, "SubnetId"), s(sub, "VpcId")))
        .collect();
    // Each attachment's one associated table.
    let mut assoc: BTreeMap<&str, &str> = BTreeMap::new();
    for table in t.tables {
        let tid = s(table, "TransitGatewayRouteTableId");
        for a in per_table(
            docs,
            "get-transit-gateway-route-table-associations",
            tid,
            "Associations",
        ) {
            if matches!(s(a, "State"), "disassociating" | "disassociated") {
                continue;
            }
            assoc.insert(s(a, "TransitGatewayAttachmentId"), tid);
        }
    }
    // The attachments written: VPC attachments of described VPCs, with
    // described subnets, associated with a described table.
    let mut written: BTreeSet<&str> = BTreeSet::new();
    for a in t.attachments {
        let id = s(a, "TransitGatewayAttachmentId");
        let vpc = s(a, "VpcId");
        let subnets: Vec<&str> = arr(a, "SubnetIds")
            .iter()
            .filter_map(Value::as_str)
            .collect();
        if !t.vpcs.contains(vpc) || subnets.iter().any(|x| subnet_vpc.get(x) != Some(&vpc)) {
            cx.warn(format!(
                "{id}: transit gateway attachment of a VPC or subnet not described ({vpc}) left out"
            ));
        } else if !assoc.contains_key(id) {
            cx.warn(format!(
                "{id}: transit gateway attachment associated with no route table left out (vpcc needs its table)"
            ));
        } else {
            written.insert(id);
        }
    }
    for g in t.gateways {
        let gid = s(g, "TransitGatewayId");
        let _ = writeln!(out, "\ntransit_gateway {} {{ # {gid}", cx.name(gid));
        // AWS's default for a gateway is off, vpcc's too.
        if g.get("Options")
            .map(|o| s(o, "SecurityGroupReferencingSupport"))
            == Some("enable")
        {
            let _ = writeln!(out, "  security_group_referencing on");
        }
        for table in t.tables.iter().filter(|x| s(x, "TransitGatewayId") == gid) {
            let tid = s(table, "TransitGatewayRouteTableId");
            let _ = writeln!(out, "  route_table {} {{ # {tid}", cx.name(tid));
            let mut props = Vec::new();
            for p in per_table(
                docs,
                "get-transit-gateway-route-table-propagations",
                tid,
                "TransitGatewayRouteTablePropagations",
            ) {
                let a = s(p, "TransitGatewayAttachmentId");
                if matches!(s(p, "State"), "disabling" | "disabled") {
                    continue;
                }
                if written.contains(a) {
                    props.push(cx.name(a));
                } else {
                    cx.warn(format!(
                        "{tid}: propagation of attachment {a} ({}), which is not imported, left out",
                        s(p, "ResourceType")
                    ));
                }
            }
            if !props.is_empty() {
                let _ = writeln!(out, "    propagate [{}]", props.join(", "));
            }
            for r in per_table(docs, "search-transit-gateway-routes", tid, "Routes") {
                if s(r, "Type") != "static" {
                    continue; // Propagated: `propagate` says it.
                }
                let dest = s(r, "DestinationCidrBlock");
                if !ipv4_cidr(dest) {
                    cx.warn(format!(
                        "{tid}: transit gateway route to {:?} left out",
                        if dest.is_empty() {
                            s(r, "PrefixListId")
                        } else {
                            dest
                        }
                    ));
                    continue;
                }
                if s(r, "State") == "blackhole" {
                    let _ = writeln!(out, "    route {dest} -> blackhole");
                    continue;
                }
                let a = arr(r, "TransitGatewayAttachments")
                    .first()
                    .map(|x| s(x, "TransitGatewayAttachmentId"))
                    .unwrap_or("");
                if written.contains(a) {
                    let _ = writeln!(out, "    route {dest} -> {}", cx.name(a));
                } else {
                    cx.warn(format!(
                        "{tid}: transit gateway route {dest} -> {a}, an attachment not imported, left out"
                    ));
                }
            }
            let _ = writeln!(out, "  }}");
        }
        for a in t
            .attachments
            .iter()
            .filter(|x| s(x, "TransitGatewayId") == gid)
        {
            let id = s(a, "TransitGatewayAttachmentId");
            if !written.contains(id) {
                continue;
            }
            let subnets: Vec<String> = arr(a, "SubnetIds")
                .iter()
                .filter_map(Value::as_str)
                .map(|x| cx.name(x))
                .collect();
            let _ = writeln!(
                out,
                "  attach {} vpc {} subnets [{}] route_table {} # {id}",
                cx.name(id),
                cx.name(s(a, "VpcId")),
                subnets.join(", "),
                cx.name(assoc[id])
            );
        }
        let _ = writeln!(out, "}}");
    }
    for (a, table) in &assoc {
        if !written.contains(a)
            && !t
                .attachments
                .iter()
                .any(|x| s(x, "TransitGatewayAttachmentId") == *a)
        {
            cx.warn(format!(
                "{table}: association of attachment {a}, which is not imported (a VPN or another kind), left out"
            ));
        }
    }
}

fn write_endpoint(out: &mut String, cx: &mut Ctx<'_>, e: &Value, default_sgs: &BTreeSet<&str>) {
    let id = s(e, "VpcEndpointId");
    let service_name = s(e, "ServiceName");
    let kind = s(e, "VpcEndpointType");
    let state = s(e, "State").to_ascii_lowercase();
    if matches!(
        state.as_str(),
        "deleted" | "deleting" | "failed" | "rejected"
    ) {
        cx.warn(format!("{id}: endpoint in state {state} left out"));
        return;
    }
    let Some(svc) = service_of(service_name, &cx.region) else {
        cx.warn(format!(
            "{id}: endpoint for {service_name} left out (only com.amazonaws.{} services are modelled)",
            if cx.region.is_empty() { "REGION" } else { &cx.region }
        ));
        return;
    };
    let name = cx.name(id);
    match kind {
        "Gateway" => {
            let tables: Vec<String> = arr(e, "RouteTableIds")
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|t| cx.names.get(t).cloned())
                .collect();
            let _ = writeln!(out, "  endpoint {name} gateway {svc} {{ # {id}");
            if !tables.is_empty() {
                let _ = writeln!(out, "    route_tables [{}]", tables.join(", "));
            }
        }
        "Interface" => {
            let subnets: Vec<String> = arr(e, "SubnetIds")
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|t| cx.names.get(t).cloned())
                .collect();
            let mut groups = Vec::new();
            for g in arr(e, "Groups") {
                let gid = s(g, "GroupId");
                match cx.names.get(gid) {
                    Some(n) => groups.push(n.clone()),
                    None if default_sgs.contains(gid) => {}
                    None => cx.warn(format!(
                        "{id}: security group {gid}, not described, left out"
                    )),
                }
            }
            let _ = writeln!(out, "  endpoint {name} interface {svc} {{ # {id}");
            if !subnets.is_empty() {
                let _ = writeln!(out, "    subnets [{}]", subnets.join(", "));
            }
            if !groups.is_empty() {
                let _ = writeln!(out, "    security_groups [{}]", groups.join(", "));
            }
            let dns = if flag(e, "PrivateDnsEnabled") == Some(true) {
                "on"
            } else {
                "off"
            };
            let _ = writeln!(out, "    private_dns {dns}");
        }
        other => {
            cx.warn(format!(
                "{id}: {other} endpoint for {service_name} left out"
            ));
            return;
        }
    }
    let _ = writeln!(out, "  }}");
}

/// `tcp 22`, `udp 1000-2000`, `icmp`, `all`; `None`: not expressible.
fn proto_ports(proto: &str, from: Option<i64>, to: Option<i64>) -> Option<String> {
    let proto = match proto {
        "-1" | "all" => "all",
        "6" | "tcp" => "tcp",
        "17" | "udp" => "udp",
        "1" | "icmp" => "icmp",
        _ => return None,
    };
    match (proto, from, to) {
        ("all", _, _) => Some("all".to_string()),
        ("icmp", None | Some(-1), None | Some(-1)) => Some("icmp".to_string()),
        ("tcp" | "udp", Some(0), Some(65535)) | ("tcp" | "udp", None, None) => {
            Some(proto.to_string())
        }
        ("tcp" | "udp", Some(a), Some(b)) if a == b && (0..=65535).contains(&a) => {
            Some(format!("{proto} {a}"))
        }
        ("tcp" | "udp", Some(a), Some(b)) if 0 <= a && a < b && b <= 65535 => {
            Some(format!("{proto} {a}-{b}"))
        }
        _ => None,
    }
}

fn write_sg(out: &mut String, cx: &mut Ctx<'_>, sg: &Value, default_sgs: &BTreeSet<&str>) {
    let gid = s(sg, "GroupId");
    let Some(gname) = cx.names.get(gid).cloned() else {
        // The default group: vpcc's default group is AWS's untouched one.
        let untouched = {
            let ingress = arr(sg, "IpPermissions");
            let egress = arr(sg, "IpPermissionsEgress");
            let all = |p: &Value| s(p, "IpProtocol") == "-1";
            ingress.len() == 1
                && all(&ingress[0])
                && arr(&ingress[0], "IpRanges").is_empty()
                && arr(&ingress[0], "UserIdGroupPairs")
                    .iter()
                    .all(|g| s(g, "GroupId") == gid)
                && egress.len() == 1
                && all(&egress[0])
                && arr(&egress[0], "IpRanges")
                    .iter()
                    .all(|r| s(r, "CidrIp") == "0.0.0.0/0")
        };
        if !untouched {
            cx.warn(format!(
                "{gid}: the default security group's rules differ from AWS's defaults and are left out (vpcc's default group applies)"
            ));
        }
        return;
    };
    let _ = writeln!(out, "  security_group {gname} {{ # {gid}");
    for p in arr(sg, "IpPermissions") {
        sg_rule(out, cx, gid, "ingress", "from", p, default_sgs);
    }
    let egress = arr(sg, "IpPermissionsEgress");
    let allow_all = egress.len() == 1
        && s(&egress[0], "IpProtocol") == "-1"
        && arr(&egress[0], "UserIdGroupPairs").is_empty()
        && arr(&egress[0], "PrefixListIds").is_empty()
        && arr(&egress[0], "IpRanges")
            .iter()
            .map(|r| s(r, "CidrIp"))
            .eq(["0.0.0.0/0"]);
    if egress.is_empty() {
        // No rule at all allows no egress; vpcc says so with a rule that
        // matches nothing that leaves an instance.
        let _ = writeln!(out, "    egress all to 127.0.0.1/32");
    } else if !allow_all {
        // `all to 127.0.0.1/32` (what `vpcc export` writes to drop AWS's
        // default egress rule) matches nothing that leaves an instance:
        // beside other egress rules it says nothing.
        let loopback =
            |p: &Value, r: &Value| s(p, "IpProtocol") == "-1" && s(r, "CidrIp").starts_with("127.");
        let peers = |p: &Value| {
            arr(p, "IpRanges")
                .iter()
                .filter(|r| !loopback(p, r))
                .count()
                + arr(p, "UserIdGroupPairs").len()
                + arr(p, "PrefixListIds").len()
                + arr(p, "Ipv6Ranges").len()
        };
        let others: usize = egress.iter().map(peers).sum();
        for p in egress {
            let mut p = p.clone();
            if others > 0 && s(&p, "IpProtocol") == "-1" {
                if let Some(Value::Array(ranges)) = p.get_mut("IpRanges") {
                    ranges.retain(|r| !s(r, "CidrIp").starts_with("127."));
                }
                if peers(&p) == 0 {
                    continue;
                }
            }
            sg_rule(out, cx, gid, "egress", "to", &p, default_sgs);
        }
    }
    if allow_all {
        for r in arr(&egress[0], "Ipv6Ranges") {
            cx.warn(format!(
                "{gid}: IPv6 egress rule {} left out",
                s(r, "CidrIpv6")
            ));
        }
    }
    let _ = writeln!(out, "  }}");
}

fn sg_rule(
    out: &mut String,
    cx: &mut Ctx<'_>,
    gid: &str,
    dir: &str,
    word: &str,
    p: &Value,
    default_sgs: &BTreeSet<&str>,
) {
    let from = p.get("FromPort").and_then(Value::as_i64);
    let to = p.get("ToPort").and_then(Value::as_i64);
    let Some(rule) = proto_ports(s(p, "IpProtocol"), from, to) else {
        let range = match (from, to) {
            (Some(a), Some(b)) => format!(" {a} to {b}"),
            _ => String::new(),
        };
        let what = if matches!(s(p, "IpProtocol"), "icmp" | "1") {
            " (vpcc models all of ICMP, not single types)"
        } else {
            ""
        };
        cx.warn(format!(
            "{gid}: {dir} rule for protocol {}{range} left out{what}",
            s(p, "IpProtocol")
        ));
        return;
    };
    for r in arr(p, "IpRanges") {
        let cidr = s(r, "CidrIp");
        if ipv4_cidr(cidr) {
            let _ = writeln!(out, "    {dir} {rule} {word} {cidr}");
        } else {
            cx.warn(format!("{gid}: {dir} rule {rule} {word} {cidr:?} left out"));
        }
    }
    for g in arr(p, "UserIdGroupPairs") {
        let id = s(g, "GroupId");
        match cx.names.get(id) {
            Some(n) => {
                let _ = writeln!(out, "    {dir} {rule} {word} {n}");
            }
            None if default_sgs.contains(id) => cx.warn(format!(
                "{gid}: {dir} rule {rule} naming the default security group {id} left out (a .vpc file cannot name it)"
            )),
            None => cx.warn(format!(
                "{gid}: {dir} rule {rule} naming group {id}, not described, left out"
            )),
        }
    }
    for r in arr(p, "Ipv6Ranges") {
        cx.warn(format!(
            "{gid}: IPv6 {dir} rule {rule} {word} {} left out",
            s(r, "CidrIpv6")
        ));
    }
    for r in arr(p, "PrefixListIds") {
        let pl = s(r, "PrefixListId");
        match cx.prefix_lists.get(pl) {
            Some(svc) if svc == "s3" || svc == "dynamodb" => {
                let _ = writeln!(out, "    {dir} {rule} {word} service {svc}");
            }
            _ if cx.lists.contains_key(pl) => {
                let _ = writeln!(out, "    {dir} {rule} {word} {}", cx.lists[pl]);
            }
            _ => cx.warn(format!(
                "{gid}: {dir} rule {rule} with prefix list {pl} left out (not a gateway service's list)"
            )),
        }
    }
}

fn write_acl(out: &mut String, cx: &mut Ctx<'_>, acl: &Value) {
    let id = s(acl, "NetworkAclId");
    let Some(name) = cx.names.get(id).cloned() else {
        return; // AWS's default ACL, which a .vpc file's default is.
    };
    let _ = writeln!(out, "  network_acl {name} {{ # {id}");
    let mut entries: Vec<&Value> = arr(acl, "Entries").iter().collect();
    // By direction, then number: the order a .vpc file reads best in.
    entries.sort_by_key(|e| {
        (
            flag(e, "Egress") == Some(true),
            e.get("RuleNumber").and_then(Value::as_i64).unwrap_or(0),
        )
    });
    for e in entries {
        let number = e.get("RuleNumber").and_then(Value::as_i64).unwrap_or(0);
        if number == 32767 {
            continue; // The implicit final deny.
        }
        let (dir, word) = if flag(e, "Egress") == Some(true) {
            ("outbound", "to")
        } else {
            ("inbound", "from")
        };
        if !s(e, "Ipv6CidrBlock").is_empty() {
            cx.warn(format!(
                "{id}: IPv6 {dir} rule {number} ({}) left out",
                s(e, "Ipv6CidrBlock")
            ));
            continue;
        }
        let range = e.get("PortRange");
        let icmp = e.get("IcmpTypeCode");
        let (from, to) = match (s(e, "Protocol"), range, icmp) {
            ("6" | "17", Some(r), _) => (
                r.get("From").and_then(Value::as_i64),
                r.get("To").and_then(Value::as_i64),
            ),
            ("1", _, Some(c)) => (
                c.get("Type").and_then(Value::as_i64),
                c.get("Code").and_then(Value::as_i64),
            ),
            _ => (None, None),
        };
        let action = s(e, "RuleAction");
        let cidr = s(e, "CidrBlock");
        let rule = proto_ports(s(e, "Protocol"), from, to);
        match rule {
            Some(rule)
                if (1..=32766).contains(&number)
                    && matches!(action, "allow" | "deny")
                    && ipv4_cidr(cidr) =>
            {
                let _ = writeln!(out, "    {dir} {number} {action} {rule} {word} {cidr}");
            }
            _ => cx.warn(format!(
                "{id}: {dir} rule {number} (protocol {}, {action} {cidr}) left out",
                s(e, "Protocol")
            )),
        }
    }
    let _ = writeln!(out, "  }}");
}
