//! Completion: keywords that fit where the cursor is, and names of the
//! right kind.
//!
//! A file being typed rarely parses, so the context comes from the text
//! alone: the text before the cursor is split into tokens (comments and
//! strings skipped), braces give the enclosing block, and the words since
//! the last statement keyword of that block give the statement so far.
//! Names come from the last [`Index`] that parsed.

use crate::names::{
    ACL_PEERS, FLOW_ENDS, Index, Kind, ROUTE_DESTINATIONS, ROUTE_TARGETS, SG_PEERS,
    TGW_ROUTE_TARGETS,
};

/// A completion candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Candidate {
    Keyword(&'static str),
    /// A declared name, with its kind and summary.
    Name {
        name: String,
        kind: Kind,
        detail: String,
    },
}

impl Candidate {
    pub fn label(&self) -> &str {
        match self {
            Candidate::Keyword(k) => k,
            Candidate::Name { name, .. } => name,
        }
    }
}

/// The block the cursor is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    File,
    Vpc,
    Subnet,
    Instance,
    RouteTable,
    GatewayEndpoint,
    InterfaceEndpoint,
    SecurityGroup,
    NetworkAcl,
    Dhcp,
    TransitGateway,
    TgwRouteTable,
    VpnGateway,
    Unknown,
}

impl Block {
    /// The keywords that start a statement in this block.
    fn statements(self) -> &'static [&'static str] {
        match self {
            Block::File => &[
                "region",
                "external",
                "prefix_list",
                "vpc",
                "peering",
                "transit_gateway",
                "expect",
            ],
            Block::Vpc => &[
                "cidr",
                "dns_support",
                "dns_hostnames",
                "dhcp_options",
                "internet_gateway",
                "vpn_gateway",
                "subnet",
                "route_table",
                "endpoint",
                "security_group",
                "network_acl",
            ],
            Block::Subnet => &[
                "route_table",
                "network_acl",
                "public_ip_on_launch",
                "nat_gateway",
                "instance",
            ],
            Block::Instance => &["public_ip", "security_groups", "source_dest_check"],
            Block::RouteTable => &["route", "propagate"],
            Block::GatewayEndpoint => &["route_tables"],
            Block::InterfaceEndpoint => &["subnets", "security_groups", "private_dns"],
            Block::SecurityGroup => &["ingress", "egress"],
            Block::NetworkAcl => &["inbound", "outbound"],
            Block::Dhcp => &["domain_name", "name_servers", "ntp_servers"],
            Block::TransitGateway => {
                &["route_table", "attach", "vpn", "security_group_referencing"]
            }
            Block::TgwRouteTable => &["propagate", "route"],
            Block::VpnGateway => &["vpn"],
            Block::Unknown => &[],
        }
    }

    /// The block opened by a `{` after `statement` in this block.
    fn opened_by(self, statement: &[String]) -> Block {
        match (self, statement.first().map(String::as_str)) {
            (Block::File, Some("vpc")) => Block::Vpc,
            (Block::File, Some("transit_gateway")) => Block::TransitGateway,
            (Block::TransitGateway, Some("route_table")) => Block::TgwRouteTable,
            (Block::Vpc, Some("subnet")) => Block::Subnet,
            (Block::Vpc, Some("route_table")) => Block::RouteTable,
            (Block::Vpc, Some("vpn_gateway")) => Block::VpnGateway,
            (Block::Vpc, Some("endpoint")) if statement.iter().any(|w| w == "gateway") => {
                Block::GatewayEndpoint
            }
            (Block::Vpc, Some("endpoint")) => Block::InterfaceEndpoint,
            (Block::Vpc, Some("security_group")) => Block::SecurityGroup,
            (Block::Vpc, Some("network_acl")) => Block::NetworkAcl,
            (Block::Vpc, Some("dhcp_options")) => Block::Dhcp,
            (Block::Subnet, Some("instance")) => Block::Instance,
            _ => Block::Unknown,
        }
    }
}

const BOOLEANS: &[&str] = &["on", "off"];
const PROTOCOLS: &[&str] = &["tcp", "udp", "icmp", "all"];
const GATEWAY_SERVICES: &[&str] = &["s3", "dynamodb"];
/// Common interface endpoint services, as a start; any name is allowed.
const INTERFACE_SERVICES: &[&str] = &[
    "ec2",
    "ecr.api",
    "ecr.dkr",
    "ssm",
    "ssmmessages",
    "ec2messages",
    "logs",
    "sts",
    "kms",
    "secretsmanager",
    "s3",
];

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':')
}

/// Splits `text` into words and the punctuation `{ } [ ] , ->`, skipping
/// comments and strings.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '#' => {
                while chars.peek().is_some_and(|&(_, c)| c != '\n') {
                    chars.next();
                }
            }
            '"' => {
                for (_, c) in chars.by_ref() {
                    if c == '"' || c == '\n' {
                        break;
                    }
                }
                out.push("\"\"".to_string());
            }
            '{' | '}' | '[' | ']' | ',' => out.push(c.to_string()),
            '-' if chars.peek().is_some_and(|&(_, c)| c == '>') => {
                chars.next();
                out.push("->".to_string());
            }
            c if is_word_char(c) => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, c)) = chars.peek() {
                    if c == '-' && text[j..].starts_with("->") || !is_word_char(c) {
                        break;
                    }
                    end = j + c.len_utf8();
                    chars.next();
                }
                out.push(text[i..end].to_string());
            }
            _ => {}
        }
    }
    out
}

/// The block the end of `before` is in, and the statement so far.
fn context(before: &str) -> (Block, Vec<String>) {
    let mut stack = vec![Block::File];
    let mut statement: Vec<String> = Vec::new();
    for token in tokens(before) {
        let top = *stack.last().unwrap_or(&Block::File);
        match token.as_str() {
            "{" => {
                stack.push(top.opened_by(&statement));
                statement.clear();
            }
            "}" => {
                if stack.len() > 1 {
                    stack.pop();
                }
                statement.clear();
            }
            word if top.statements().contains(&word) => statement = vec![token],
            _ => statement.push(token),
        }
    }
    (*stack.last().unwrap_or(&Block::File), statement)
}

/// What fits at byte offset `offset` of `text`, names taken from `index`.
/// The word under construction (the identifier characters just before the
/// cursor) is not part of the context; the client filters by it.
pub fn complete(text: &str, offset: usize, index: Option<&Index>) -> Vec<Candidate> {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let partial = before.len()
        - before
            .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            .len();
    let before = &before[..before.len() - partial];
    let (block, mut statement) = context(before);
    // At the start of a line a new statement begins, unless a list is open.
    let line_start = before
        .rsplit('\n')
        .next()
        .is_some_and(|l| l.trim().is_empty());
    let open_list = statement.iter().any(|w| w == "[") && !statement.iter().any(|w| w == "]");
    if line_start && !open_list {
        statement.clear();
    }
    let (keywords, kinds) = fitting(block, &statement);
    let mut out: Vec<Candidate> = keywords.iter().map(|k| Candidate::Keyword(k)).collect();
    if let Some(index) = index {
        for d in index.names_of(kinds) {
            out.push(Candidate::Name {
                name: d.name.clone(),
                kind: d.kind,
                detail: d.detail.clone(),
            });
        }
    }
    out
}

/// The range of the word being typed before `offset`, as a byte range.
pub fn partial_word(text: &str, offset: usize) -> std::ops::Range<usize> {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let start = before
        .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        .len();
    start..offset
}

/// Keywords and kinds of names that fit after `statement` in `block`.
fn fitting(block: Block, statement: &[String]) -> (Vec<&'static str>, &'static [Kind]) {
    const NONE: &[Kind] = &[];
    let words: Vec<&str> = statement.iter().map(String::as_str).collect();
    let Some((&first, _)) = words.split_first() else {
        return (block.statements().to_vec(), NONE);
    };
    let n = words.len();
    let last = words[n - 1];
    let in_list = words.contains(&"[") && !words.contains(&"]") && matches!(last, "[" | ",");
    match (block, first) {
        (Block::File, "peering") if n == 2 || n == 3 => (vec![], &[Kind::Vpc]),
        (Block::File, "expect") => expect(&words),
        (Block::Vpc, "dns_support" | "dns_hostnames") if n == 1 => (BOOLEANS.to_vec(), NONE),
        (Block::TransitGateway, "security_group_referencing") if n == 1 => {
            (BOOLEANS.to_vec(), NONE)
        }
        (Block::Vpc, "subnet") if n == 3 => (vec!["az"], NONE),
        (Block::Vpc, "route_table") if n == 2 => (vec!["main"], NONE),
        (Block::Vpc, "endpoint") if n == 2 => (vec!["gateway", "interface"], NONE),
        (Block::Vpc, "endpoint") if n == 3 && words[2] == "gateway" => {
            (GATEWAY_SERVICES.to_vec(), NONE)
        }
        (Block::Vpc, "endpoint") if n == 3 => (INTERFACE_SERVICES.to_vec(), NONE),
        (Block::Subnet, "route_table") if n == 1 => (vec![], &[Kind::RouteTable]),
        (Block::Subnet, "network_acl") if n == 1 => (vec![], &[Kind::NetworkAcl]),
        (Block::Subnet, "public_ip_on_launch") if n == 1 => (BOOLEANS.to_vec(), NONE),
        (Block::Subnet, "nat_gateway") if n == 2 => (vec!["private"], NONE),
        (Block::Instance, "public_ip" | "source_dest_check") if n == 1 => (BOOLEANS.to_vec(), NONE),
        (Block::Instance | Block::InterfaceEndpoint, "security_groups") if in_list => {
            (vec![], &[Kind::SecurityGroup])
        }
        (Block::InterfaceEndpoint, "subnets") if in_list => (vec![], &[Kind::Subnet]),
        (Block::InterfaceEndpoint, "private_dns") if n == 1 => (BOOLEANS.to_vec(), NONE),
        (Block::GatewayEndpoint, "route_tables") if in_list => (vec![], &[Kind::RouteTable]),
        (Block::RouteTable, "route") if last == "->" => (vec!["blackhole"], ROUTE_TARGETS),
        (Block::RouteTable, "route") if n == 2 => (vec!["->"], NONE),
        // A CIDR is typed; a name there is a prefix list.
        (Block::RouteTable, "route") if n == 1 => (vec![], ROUTE_DESTINATIONS),
        (Block::RouteTable, "propagate") if n == 1 => (vec![], &[Kind::VpnGateway]),
        (Block::VpnGateway, "vpn") => match n {
            2 => (vec!["to"], NONE),
            3 => (vec![], &[Kind::External]),
            4 => (vec!["routes"], NONE),
            _ => (vec![], NONE),
        },
        (Block::TgwRouteTable, "propagate") if in_list => (vec![], TGW_ROUTE_TARGETS),
        (Block::TgwRouteTable, "route") if last == "->" => (vec!["blackhole"], TGW_ROUTE_TARGETS),
        (Block::TgwRouteTable, "route") if n == 2 => (vec!["->"], NONE),
        (Block::TgwRouteTable, "route") if n == 1 => (vec![], ROUTE_DESTINATIONS),
        (Block::TransitGateway, "attach") => match n {
            2 => (vec!["vpc"], NONE),
            3 => (vec![], &[Kind::Vpc]),
            4 => (vec!["subnets"], NONE),
            _ if in_list => (vec![], &[Kind::Subnet]),
            5 => (vec!["route_table"], NONE),
            6 => (vec![], &[Kind::TgwRouteTable]),
            _ => (vec![], NONE),
        },
        (Block::TransitGateway, "vpn") => match n {
            2 => (vec!["to"], NONE),
            3 => (vec![], &[Kind::External]),
            4 => (vec!["routes"], NONE),
            6 => (vec!["route_table"], NONE),
            7 => (vec![], &[Kind::TgwRouteTable]),
            _ => (vec![], NONE),
        },
        (Block::File, "external") if n >= 2 && !last.ends_with(',') => (vec!["on_premises"], NONE),
        (Block::File, "prefix_list") if words.contains(&"]") && last == "]" => {
            (vec!["max_entries"], NONE)
        }
        (Block::Dhcp, "name_servers") if in_list => (vec!["AmazonProvidedDNS"], NONE),
        (Block::SecurityGroup, "ingress" | "egress") => {
            rule(&words[1..], first == "ingress", SG_PEERS)
        }
        (Block::NetworkAcl, "inbound" | "outbound") => match n {
            2 => (vec!["allow", "deny"], NONE),
            _ if n >= 3 => rule(&words[3..], first == "inbound", ACL_PEERS),
            _ => (vec![], NONE),
        },
        _ => (vec![], NONE),
    }
}

/// After `ingress`, or `inbound NUM allow|deny`: `PROTO [PORTS] from PEER`.
fn rule(
    rest: &[&str],
    inbound: bool,
    peers: &'static [Kind],
) -> (Vec<&'static str>, &'static [Kind]) {
    let word = if inbound { "from" } else { "to" };
    match rest {
        [] => (PROTOCOLS.to_vec(), &[]),
        [.., "from" | "to"] => {
            let mut keywords = vec!["internet"];
            if peers.contains(&Kind::SecurityGroup) {
                keywords.push("service");
            }
            (keywords, peers)
        }
        [.., "service"] => (GATEWAY_SERVICES.to_vec(), &[]),
        [_] | [_, _] if !rest.contains(&"from") && !rest.contains(&"to") => (vec![word], &[]),
        _ => (vec![], &[]),
    }
}

/// `expect SOURCE can|cannot reach DEST [PROTO [PORTS]] [ipv6] [via N, ...] [privately]`
fn expect(words: &[&str]) -> (Vec<&'static str>, &'static [Kind]) {
    let n = words.len();
    let last = words[n - 1];
    let ends: &'static [Kind] = FLOW_ENDS;
    if words.contains(&"via") && matches!(last, "via" | ",") {
        return (vec![], Kind::ALL);
    }
    match last {
        "expect" | "reach" => (
            if last == "reach" {
                vec!["internet", "service"]
            } else {
                vec!["internet"]
            },
            ends,
        ),
        "can" | "cannot" => (vec!["reach"], &[]),
        "service" if n >= 2 => (
            INTERFACE_SERVICES
                .iter()
                .chain(["dynamodb"].iter())
                .copied()
                .collect(),
            &[],
        ),
        "privately" => (vec![], &[]),
        _ if n == 2 || (n == 3 && words[1] == "service") => (vec!["can", "cannot"], &[]),
        _ if words.contains(&"reach") && !words.contains(&"via") => {
            let after = words
                .iter()
                .position(|w| *w == "reach")
                .map_or(0, |i| n - i - 1);
            let has_protocol = words.iter().any(|w| PROTOCOLS.contains(w));
            if after == 0 {
                (vec![], &[])
            } else if words.contains(&"ipv6") {
                (vec!["via", "privately"], &[])
            } else if has_protocol {
                (vec!["ipv6", "via", "privately"], &[])
            } else {
                (
                    PROTOCOLS
                        .iter()
                        .copied()
                        .chain(["ipv6", "via", "privately"])
                        .collect(),
                    &[],
                )
            }
        }
        _ if words.contains(&"via") => (vec!["privately"], &[]),
        _ => (vec![], &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = "external office 203.0.113.0/24
prefix_list corp [198.51.100.0/24] max_entries 5
vpc main 10.0.0.0/16 {
  internet_gateway igw
  subnet pub 10.0.1.0/24 az a {
    route_table rt
    nat_gateway nat
    instance web 10.0.1.10 { security_groups [sg] }
  }
  route_table rt { route 0.0.0.0/0 -> igw }
  security_group sg { ingress tcp 22 from office }
  network_acl acl {}
}
";

    /// Completion labels at the `$0` marker of `text` appended to SRC's
    /// index.
    fn labels(text: &str) -> Vec<String> {
        labels_in(SRC, text)
    }

    /// The completion labels at `$0` in `text`, names from the file `src`.
    fn labels_in(src: &str, text: &str) -> Vec<String> {
        let index = Index::new(&crate::syntax::parse(src).expect("parses"));
        let offset = text.find("$0").expect("marker");
        let text = text.replace("$0", "");
        complete(&text, offset, Some(&index))
            .iter()
            .map(|c| c.label().to_string())
            .collect()
    }

    #[test]
    fn statement_keywords_by_block() {
        assert_eq!(
            labels("$0"),
            [
                "region",
                "external",
                "prefix_list",
                "vpc",
                "peering",
                "transit_gateway",
                "expect"
            ]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 {\n  subnet s 10.0.1.0/24 {\n    $0"),
            Block::Subnet.statements()
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 {\n  subnet s 10.0.1.0/24 { }\n  $0"),
            Block::Vpc.statements()
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { endpoint e interface ec2 { pri$0"),
            Block::InterfaceEndpoint.statements()
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { endpoint e gateway s3 { $0"),
            ["route_tables"]
        );
        // A `#` or `{` inside a comment or string changes nothing.
        assert_eq!(
            labels("# vpc x {\nvpc v 10.0.0.0/16 { dhcp_options { domain_name \"{\"\n  $0"),
            Block::Dhcp.statements()
        );
        // A list split over lines is still open.
        assert_eq!(
            labels(
                "vpc v 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i { security_groups [\n  a,\n  $0"
            ),
            ["sg"]
        );
    }

    #[test]
    fn names_of_the_right_kind() {
        assert_eq!(
            labels("vpc v 10.0.0.0/16 {\n  subnet s 10.0.1.0/24 {\n    route_table $0"),
            ["rt"]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { subnet s 10.0.1.0/24 { network_acl a$0"),
            ["acl"]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i { security_groups [$0"),
            ["sg"]
        );
        assert_eq!(
            labels(
                "vpc v 10.0.0.0/16 { subnet s 10.0.1.0/24 { instance i { security_groups [a, $0"
            ),
            ["sg"]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { route_table r { route 0.0.0.0/0 -> $0"),
            ["blackhole", "igw", "nat", "web"]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { security_group s { ingress tcp 22 from $0"),
            ["internet", "service", "office", "corp", "sg"]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { network_acl a { inbound 100 allow tcp 22 from $0"),
            ["internet", "office"]
        );
        assert_eq!(labels("peering p $0"), ["main"]);
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { endpoint e interface ec2 { subnets [$0"),
            ["pub"]
        );
    }

    #[test]
    fn keywords_inside_statements() {
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { dns_hostnames $0"),
            ["on", "off"]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { endpoint e $0"),
            ["gateway", "interface"]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { endpoint e gateway $0"),
            ["s3", "dynamodb"]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { security_group s { egress $0"),
            PROTOCOLS
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { security_group s { egress tcp 443 $0"),
            ["to"]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { network_acl a { outbound 100 $0"),
            ["allow", "deny"]
        );
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { subnet s 10.0.1.0/24 $0"),
            ["az"]
        );
    }

    #[test]
    fn transit_gateway_blocks() {
        const TGW: &str = "vpc prod 10.1.0.0/16 { subnet t 10.1.0.0/28 az a }
external dc 10.50.0.0/16 on_premises
transit_gateway tgw {
  route_table core { propagate [a] }
  attach a vpc prod subnets [t] route_table core
  vpn v to dc routes [10.50.0.0/16] route_table core
}
";
        let at = |text: &str| labels_in(TGW, text);
        assert_eq!(
            at("transit_gateway x {\n  $0"),
            ["route_table", "attach", "vpn", "security_group_referencing"]
        );
        assert_eq!(
            at("transit_gateway x {\n  security_group_referencing $0"),
            ["on", "off"]
        );
        assert_eq!(
            at("transit_gateway x {\n  route_table r {\n    $0"),
            ["propagate", "route"]
        );
        assert_eq!(at("transit_gateway x {\n  attach b vpc $0"), ["prod"]);
        assert_eq!(at("transit_gateway x {\n  vpn w to $0"), ["dc"]);
        assert_eq!(
            at("transit_gateway x {\n  route_table r {\n    propagate [$0"),
            ["a", "v"]
        );
        assert_eq!(
            at("transit_gateway x {\n  route_table r {\n    route 0.0.0.0/0 -> $0"),
            ["blackhole", "a", "v"]
        );
    }

    #[test]
    fn vpn_gateway_blocks() {
        const VGW: &str = "external dc 10.50.0.0/16 on_premises
vpc legacy 10.70.0.0/16 {
  internet_gateway igw
  vpn_gateway vgw { vpn v to dc routes [10.50.0.0/16] }
}
";
        let at = |text: &str| labels_in(VGW, text);
        assert!(at("vpc x 10.0.0.0/16 {\n  $0").contains(&"vpn_gateway".to_string()));
        assert_eq!(
            at("vpc x 10.0.0.0/16 {\n  vpn_gateway g {\n    $0"),
            ["vpn"]
        );
        assert_eq!(
            at("vpc x 10.0.0.0/16 {\n  vpn_gateway g {\n    vpn w to $0"),
            ["dc"]
        );
        assert_eq!(
            at("vpc x 10.0.0.0/16 {\n  route_table r {\n    $0"),
            ["route", "propagate"]
        );
        assert_eq!(
            at("vpc x 10.0.0.0/16 {\n  route_table r {\n    propagate $0"),
            ["vgw"]
        );
        let targets = at("vpc x 10.0.0.0/16 {\n  route_table r {\n    route 0.0.0.0/0 -> $0");
        assert!(targets.contains(&"vgw".to_string()), "{targets:?}");
    }

    #[test]
    fn prefix_lists_where_routes_and_groups_take_them() {
        assert_eq!(
            labels("vpc v 10.0.0.0/16 { route_table t { route $0"),
            ["corp"]
        );
        let peers = labels("vpc v 10.0.0.0/16 { security_group s { ingress tcp 22 from $0");
        assert!(peers.contains(&"corp".to_string()), "{peers:?}");
        let acl = labels("vpc v 10.0.0.0/16 { network_acl a { inbound 100 allow tcp 22 from $0");
        assert!(!acl.contains(&"corp".to_string()), "{acl:?}");
        assert_eq!(labels("prefix_list p [10.0.0.0/8] $0"), ["max_entries"]);
    }

    #[test]
    fn expect_statements() {
        assert_eq!(labels("expect $0"), ["internet", "office", "pub", "web"]);
        assert_eq!(labels("expect web $0"), ["can", "cannot"]);
        assert_eq!(labels("expect web cannot $0"), ["reach"]);
        assert_eq!(
            labels("expect web can reach $0"),
            ["internet", "service", "office", "pub", "web"]
        );
        assert_eq!(
            labels("expect web can reach office $0"),
            ["tcp", "udp", "icmp", "all", "ipv6", "via", "privately"]
        );
        assert_eq!(
            labels("expect web can reach office tcp 22 $0"),
            ["ipv6", "via", "privately"]
        );
        assert_eq!(
            labels("expect web can reach office tcp 22 ipv6 $0"),
            ["via", "privately"]
        );
        let via = labels("expect web can reach office via $0");
        assert!(
            via.contains(&"nat".to_string()) && via.contains(&"igw".to_string()),
            "{via:?}"
        );
    }

    #[test]
    fn partial_word_range() {
        let text = "route_table pub-";
        assert_eq!(partial_word(text, text.len()), 12..16);
    }
}
