//! A generator of large, realistic and valid `.vpc` programs, for
//! benchmarks and scale tests (`vpcc gen`).
//!
//! Every program it writes compiles without errors or warnings. Its shape:
//!
//! - one `region` (so AZ letters join it), one `external admin` range
//!   and the prefix list `admin-ranges` holding it, which the bastion
//!   groups name (network ACLs take no prefix list: they name `admin`);
//! - per VPC a distinct /16: `10.i.0.0/16` for the first 256 VPCs, then
//!   `172.16+i.0.0/16` (16 of them), then `100.64+i.0.0/16` (64 of them);
//! - per AZ `subnets_per_az` subnets whose tiers cycle public, private,
//!   isolated; the first public subnet of each AZ holds that AZ's NAT
//!   gateway, and the AZ's private subnets route to it (no W0605);
//! - an internet gateway, a public table, one private table per AZ and an
//!   isolated main table;
//! - an S3 gateway endpoint on the private tables and an `ec2` interface
//!   endpoint (private DNS on, `dns_hostnames on`) with one subnet per AZ;
//! - security groups referencing each other (web → app → db), a bastion
//!   group open to `admin-ranges`, an endpoint group, and `svc` groups up to
//!   `security_groups_per_vpc`, some referencing a peered VPC's group;
//! - a network ACL per tier with the ephemeral-port return rules;
//! - hub and spoke: VPC 0 is the hub, peered with every other VPC, with
//!   routes both ways ([`Hub::Peering`]); or ([`Hub::TransitGateway`]) a
//!   transit gateway `tgw` with an attachment per VPC (its subnets: the
//!   first private subnet of each AZ, the public one without a private
//!   tier), the hub's table learning every spoke, the spokes' table only
//!   the hub, the same routes pointing at `tgw`, and the cross-VPC group
//!   references written as the peer's CIDR (AWS supports none across a
//!   transit gateway by default);
//! - the hub's virtual private gateway `v0-vgw` with a VPN to the
//!   `on_premises` external `datacenter`, propagated into its private tables
//!   (with a private tier);
//! - instances, every other one with a written address, the rest allocated;
//! - a few `expect` statements about the hub that should hold.
//!
//! The output is a pure function of [`GenParams`]: the same parameters give
//! byte-identical text. The seed drives a splitmix64 generator that picks
//! ports, group memberships and which instances have written addresses;
//! nothing it picks can make the program invalid.

use std::fmt::Write;

/// The size and seed of a generated program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenParams {
    pub vpcs: u32,
    pub azs: u32,
    pub subnets_per_az: u32,
    pub instances_per_subnet: u32,
    /// Security groups per VPC, the five named ones included.
    pub security_groups_per_vpc: u32,
    pub seed: u64,
}

/// How the generated VPCs are joined to the hub, VPC 0.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Hub {
    /// A peering connection per spoke.
    #[default]
    Peering,
    /// One transit gateway, an attachment per VPC.
    TransitGateway,
}

/// The most VPCs with distinct private /16 blocks the generator uses.
pub const MAX_VPCS: u32 = 256 + 16 + 64;
/// AZ letters `a`..`f` (us-east-1 has six).
pub const MAX_AZS: u32 = 6;
/// The security groups every VPC has: web, app, db, endpoint, bastion.
pub const NAMED_GROUPS: u32 = 5;

const REGION: &str = "us-east-1";
const AZ_LETTERS: [char; 6] = ['a', 'b', 'c', 'd', 'e', 'f'];

impl GenParams {
    /// The `org` preset: 100 VPCs, 10,000 subnets, 20,000 instances and
    /// 5,000 security groups.
    pub fn org(seed: u64) -> GenParams {
        GenParams {
            vpcs: 100,
            azs: 4,
            subnets_per_az: 25,
            instances_per_subnet: 2,
            security_groups_per_vpc: 50,
            seed,
        }
    }

    /// Why these parameters cannot give a valid program, or `None`.
    pub fn problem(&self) -> Option<String> {
        if self.vpcs == 0 || self.vpcs > MAX_VPCS {
            return Some(format!(
                "--vpcs must be 1 to {MAX_VPCS} (each VPC gets its own private /16)"
            ));
        }
        if self.azs == 0 || self.azs > MAX_AZS {
            return Some(format!("--azs must be 1 to {MAX_AZS}"));
        }
        if self.subnets_per_az == 0 {
            return Some("--subnets-per-az must be at least 1".to_string());
        }
        let subnets = u64::from(self.azs) * u64::from(self.subnets_per_az);
        if subnets > 4096 {
            return Some(format!(
                "{subnets} subnets do not fit a /16 VPC (at most 4096 /28 subnets)"
            ));
        }
        let usable = (1u64 << (32 - u32::from(self.subnet_prefix()))) - 5;
        // One NAT gateway and one endpoint interface may share a subnet
        // with the instances.
        if u64::from(self.instances_per_subnet) + 2 > usable {
            return Some(format!(
                "a /{} subnet has {usable} usable addresses: at most {} instances per subnet",
                self.subnet_prefix(),
                usable.saturating_sub(2)
            ));
        }
        if self.security_groups_per_vpc < NAMED_GROUPS {
            return Some(format!(
                "--security-groups-per-vpc must be at least {NAMED_GROUPS} (web, app, db, endpoint, bastion)"
            ));
        }
        None
    }

    /// /24 subnets while they fit, smaller ones for many subnets per VPC.
    fn subnet_prefix(&self) -> u8 {
        let n = (self.azs.max(1) * self.subnets_per_az.max(1)).max(1);
        let bits = 32 - (n - 1).leading_zeros();
        let bits = if n == 1 { 0 } else { bits };
        (16 + bits).clamp(24, 28) as u8
    }
}

/// Writes a program. Parameters for which [`GenParams::problem`] says
/// something are brought into range first (clamped), so the result is
/// always valid.
pub fn generate(params: &GenParams) -> String {
    generate_with(params, Hub::Peering)
}

/// [`generate`], with the VPCs joined to the hub by `hub`.
pub fn generate_with(params: &GenParams, hub: Hub) -> String {
    let p = clamp(*params);
    let mut g = Gen {
        p,
        hub,
        rng: SplitMix64(p.seed),
        out: String::with_capacity(estimate(&p)),
    };
    g.program();
    g.out
}

fn clamp(mut p: GenParams) -> GenParams {
    p.vpcs = p.vpcs.clamp(1, MAX_VPCS);
    p.azs = p.azs.clamp(1, MAX_AZS);
    p.subnets_per_az = p.subnets_per_az.clamp(1, 4096 / p.azs);
    let usable = (1u32 << (32 - u32::from(p.subnet_prefix()))) - 5;
    p.instances_per_subnet = p.instances_per_subnet.min(usable - 2);
    p.security_groups_per_vpc = p.security_groups_per_vpc.max(NAMED_GROUPS);
    p
}

/// A rough output size, to allocate once.
fn estimate(p: &GenParams) -> usize {
    let subnets = (p.vpcs * p.azs * p.subnets_per_az) as usize;
    subnets * (150 + 90 * p.instances_per_subnet as usize)
        + (p.vpcs * p.security_groups_per_vpc) as usize * 160
        + p.vpcs as usize * 2000
}

/// splitmix64 (Steele, Lea, Flood 2014): tiny, fast, good enough to pick
/// ports and memberships.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: u32) -> u32 {
        (((self.next() >> 32) * u64::from(n)) >> 32) as u32
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tier {
    Public,
    Private,
    Isolated,
}

impl Tier {
    fn of(j: u32) -> Tier {
        match j % 3 {
            0 => Tier::Public,
            1 => Tier::Private,
            _ => Tier::Isolated,
        }
    }

    fn subnet_word(self) -> &'static str {
        match self {
            Tier::Public => "pub",
            Tier::Private => "app",
            Tier::Isolated => "data",
        }
    }

    fn instance_word(self) -> &'static str {
        match self {
            Tier::Public => "web",
            Tier::Private => "app",
            Tier::Isolated => "db",
        }
    }
}

/// The first two octets of VPC `i`'s /16.
/// The data centre behind the hub's VPN: in no generated VPC (those are in
/// 10/8, 172.16/12 and 100.64/10).
const DATACENTER: &str = "192.168.0.0/16";

fn vpc_octets(i: u32) -> (u32, u32) {
    match i {
        0..256 => (10, i),
        256..272 => (172, 16 + i - 256),
        _ => (100, 64 + i - 272),
    }
}

fn vpc_cidr(i: u32) -> String {
    let (a, b) = vpc_octets(i);
    format!("{a}.{b}.0.0/16")
}

fn vpc_name(i: u32) -> String {
    format!("v{i}")
}

struct Gen {
    p: GenParams,
    hub: Hub,
    rng: SplitMix64,
    out: String,
}

impl Gen {
    fn line(&mut self, indent: usize, args: std::fmt::Arguments<'_>) {
        for _ in 0..indent {
            self.out.push_str("  ");
        }
        let _ = self.out.write_fmt(args);
        self.out.push('\n');
    }

    /// The allow comment before a hub's table with a route per spoke.
    fn quota_allow(&mut self) {
        self.line(
            1,
            format_args!(
                "# vpcc: allow W0611 a route per spoke: assumes a raised routes-per-table quota"
            ),
        );
    }

    fn program(&mut self) {
        let p = self.p;
        self.line(0, format_args!("# Generated by `vpcc gen`: {} VPCs, {} AZs, {} subnets per AZ, {} instances per subnet,", p.vpcs, p.azs, p.subnets_per_az, p.instances_per_subnet));
        self.line(
            0,
            format_args!(
                "# {} security groups per VPC, seed {}.",
                p.security_groups_per_vpc, p.seed
            ),
        );
        self.line(0, format_args!("region {REGION}"));
        self.out.push('\n');
        self.line(0, format_args!("external admin 203.0.113.0/24"));
        self.line(
            0,
            format_args!("prefix_list admin-ranges [203.0.113.0/24] max_entries 5"),
        );
        if p.subnets_per_az >= 2 {
            self.line(
                0,
                format_args!("external datacenter {DATACENTER} on_premises"),
            );
        }
        for i in 0..p.vpcs {
            self.out.push('\n');
            self.vpc(i);
        }
        if p.vpcs > 1 && self.hub == Hub::Peering {
            self.out.push('\n');
            self.line(
                0,
                format_args!("# Hub and spoke: v0 is peered with every other VPC."),
            );
            for i in 1..p.vpcs {
                self.line(0, format_args!("peering pcx-v{i} v0 v{i}"));
            }
        }
        if p.vpcs > 1 && self.hub == Hub::TransitGateway {
            self.out.push('\n');
            self.transit_gateway();
        }
        self.out.push('\n');
        self.expects();
    }

    /// The hub-and-spoke transit gateway: the hub learns every spoke, a
    /// spoke only the hub.
    fn transit_gateway(&mut self) {
        let p = self.p;
        self.line(
            0,
            format_args!("# Hub and spoke: v0's table learns every spoke, the spokes' only v0."),
        );
        self.line(0, format_args!("transit_gateway tgw {{"));
        let spokes: Vec<String> = (1..p.vpcs).map(|i| format!("v{i}-att")).collect();
        self.line(1, format_args!("route_table hub-rt {{"));
        self.line(2, format_args!("propagate [{}]", spokes.join(", ")));
        self.line(1, format_args!("}}"));
        self.line(1, format_args!("route_table spokes-rt {{"));
        self.line(2, format_args!("propagate [v0-att]"));
        self.line(1, format_args!("}}"));
        let j = u32::from(p.subnets_per_az >= 2);
        for i in 0..p.vpcs {
            let v = vpc_name(i);
            let subnets: Vec<String> = (0..p.azs)
                .map(|az| {
                    format!(
                        "{v}-{}-{}{j}",
                        Tier::of(j).subnet_word(),
                        AZ_LETTERS[az as usize]
                    )
                })
                .collect();
            let table = if i == 0 { "hub-rt" } else { "spokes-rt" };
            self.line(
                1,
                format_args!(
                    "attach {v}-att vpc {v} subnets [{}] route_table {table}",
                    subnets.join(", ")
                ),
            );
        }
        self.line(0, format_args!("}}"));
    }

    fn vpc(&mut self, i: u32) {
        let p = self.p;
        let v = vpc_name(i);
        let (o1, o2) = vpc_octets(i);
        let prefix = p.subnet_prefix();
        let step = 1u32 << (32 - u32::from(prefix));
        self.line(0, format_args!("vpc {v} {} {{", vpc_cidr(i)));
        self.line(1, format_args!("dns_hostnames on"));
        self.line(1, format_args!("internet_gateway {v}-igw"));
        let has_private = p.subnets_per_az >= 2;
        // The hub's own VPN to the data centre, learned by its private
        // tables.
        let vgw = i == 0 && has_private;
        if vgw {
            self.line(1, format_args!("vpn_gateway {v}-vgw {{"));
            self.line(
                2,
                format_args!("vpn {v}-dc-vpn to datacenter routes [{DATACENTER}]"),
            );
            self.line(1, format_args!("}}"));
        }
        let has_isolated = p.subnets_per_az >= 3;
        let svc_groups = p.security_groups_per_vpc - NAMED_GROUPS;
        for az in 0..p.azs {
            let letter = AZ_LETTERS[az as usize];
            for j in 0..p.subnets_per_az {
                let tier = Tier::of(j);
                let index = az * p.subnets_per_az + j;
                let base = (o1 << 24) | (o2 << 16);
                let net = base + index * step;
                let name = format!("{v}-{}-{letter}{j}", tier.subnet_word());
                self.out.push('\n');
                self.line(
                    1,
                    format_args!("subnet {name} {}/{prefix} az {letter} {{", dotted(net)),
                );
                let (table, acl) = match tier {
                    Tier::Public => (format!("{v}-public"), format!("{v}-web-acl")),
                    Tier::Private => (format!("{v}-private-{letter}"), format!("{v}-app-acl")),
                    Tier::Isolated => (format!("{v}-isolated"), format!("{v}-data-acl")),
                };
                self.line(2, format_args!("route_table {table}"));
                self.line(2, format_args!("network_acl {acl}"));
                if j == 0 && has_private {
                    self.line(2, format_args!("nat_gateway {v}-nat-{letter}"));
                }
                for m in 0..p.instances_per_subnet {
                    let inst = if az == 0 && j == 0 && m == 0 {
                        format!("{v}-bastion")
                    } else {
                        format!("{v}-{letter}{j}-{}{m}", tier.instance_word())
                    };
                    self.instance(&v, tier, &inst, net + step, m, svc_groups);
                }
                self.line(1, format_args!("}}"));
            }
        }

        // Route tables.
        let hub = i == 0;
        let via = |k: u32| match self.hub {
            Hub::Peering => format!("pcx-v{k}"),
            Hub::TransitGateway => "tgw".to_string(),
        };
        let peer_routes: Vec<(String, String)> = if hub {
            (1..p.vpcs).map(|k| (vpc_cidr(k), via(k))).collect()
        } else if p.vpcs > 1 {
            vec![(vpc_cidr(0), via(i))]
        } else {
            Vec::new()
        };
        // A hub peered with more than 49 spokes needs more routes than
        // AWS's default 50 per table (adjustable to 1000): say so where
        // it happens, as a reviewer of such a design would.
        let raised_quota = peer_routes.len() + 1 > 50;
        self.out.push('\n');
        self.line(1, format_args!("route_table {v}-public {{"));
        self.line(2, format_args!("route 0.0.0.0/0 -> {v}-igw"));
        self.line(1, format_args!("}}"));
        if has_private {
            for az in 0..p.azs {
                let letter = AZ_LETTERS[az as usize];
                if raised_quota {
                    self.quota_allow();
                }
                self.line(1, format_args!("route_table {v}-private-{letter} {{"));
                self.line(2, format_args!("route 0.0.0.0/0 -> {v}-nat-{letter}"));
                if vgw {
                    self.line(2, format_args!("propagate {v}-vgw"));
                }
                for (dest, pcx) in &peer_routes {
                    self.line(2, format_args!("route {dest} -> {pcx}"));
                }
                self.line(1, format_args!("}}"));
            }
        }
        if raised_quota && has_isolated {
            self.quota_allow();
        }
        self.line(1, format_args!("route_table {v}-isolated main {{"));
        if has_isolated {
            for (dest, pcx) in &peer_routes {
                self.line(2, format_args!("route {dest} -> {pcx}"));
            }
        }
        self.line(1, format_args!("}}"));

        // Endpoints.
        if has_private {
            self.out.push('\n');
            self.line(1, format_args!("endpoint {v}-s3 gateway s3 {{"));
            let tables: Vec<String> = (0..p.azs)
                .map(|az| format!("{v}-private-{}", AZ_LETTERS[az as usize]))
                .collect();
            self.line(2, format_args!("route_tables [{}]", tables.join(", ")));
            self.line(1, format_args!("}}"));
            self.line(1, format_args!("endpoint {v}-ec2 interface ec2 {{"));
            let subnets: Vec<String> = (0..p.azs)
                .map(|az| format!("{v}-app-{}1", AZ_LETTERS[az as usize]))
                .collect();
            self.line(2, format_args!("subnets [{}]", subnets.join(", ")));
            self.line(2, format_args!("security_groups [{v}-endpoint-sg]"));
            self.line(2, format_args!("private_dns on"));
            self.line(1, format_args!("}}"));
        }

        self.security_groups(i, svc_groups);
        self.acls(i);
        self.line(0, format_args!("}}"));
    }

    /// An instance; `end` is the address after the subnet's broadcast.
    fn instance(&mut self, v: &str, tier: Tier, name: &str, end: u32, m: u32, svc_groups: u32) {
        let bastion = name.ends_with("-bastion");
        // Written addresses count down from the last usable one, so that
        // allocation (lowest free first) and they never meet.
        let written = bastion || self.rng.below(2) == 0;
        let address = if written {
            format!(" {}", dotted(end - 2 - m))
        } else {
            String::new()
        };
        let mut groups = vec![match tier {
            Tier::Public if bastion => format!("{v}-bastion-sg"),
            Tier::Public => format!("{v}-web-sg"),
            Tier::Private => format!("{v}-app-sg"),
            Tier::Isolated => format!("{v}-db-sg"),
        }];
        if tier != Tier::Public && svc_groups > 0 {
            groups.push(format!("{v}-svc{}", self.rng.below(svc_groups)));
        }
        self.line(2, format_args!("instance {name}{address} {{"));
        if tier == Tier::Public {
            self.line(3, format_args!("public_ip"));
        }
        self.line(3, format_args!("security_groups [{}]", groups.join(", ")));
        self.line(2, format_args!("}}"));
    }

    fn security_groups(&mut self, i: u32, svc_groups: u32) {
        let v = vpc_name(i);
        let cidr = vpc_cidr(i);
        self.out.push('\n');
        self.line(1, format_args!("security_group {v}-bastion-sg {{"));
        self.line(2, format_args!("ingress tcp 22 from admin-ranges"));
        self.line(1, format_args!("}}"));
        self.line(1, format_args!("security_group {v}-web-sg {{"));
        self.line(2, format_args!("ingress tcp 443 from internet"));
        self.line(2, format_args!("ingress tcp 22 from {v}-bastion-sg"));
        self.line(2, format_args!("egress tcp 8080 to {v}-app-sg"));
        self.line(1, format_args!("}}"));
        self.line(1, format_args!("security_group {v}-app-sg {{"));
        self.line(2, format_args!("ingress tcp 8080 from {v}-web-sg"));
        self.line(2, format_args!("egress tcp 5432 to {v}-db-sg"));
        self.line(2, format_args!("egress tcp 443 to internet"));
        self.line(2, format_args!("egress tcp 443 to service s3"));
        self.line(1, format_args!("}}"));
        self.line(1, format_args!("security_group {v}-db-sg {{"));
        self.line(2, format_args!("ingress tcp 5432 from {v}-app-sg"));
        self.line(1, format_args!("}}"));
        self.line(1, format_args!("security_group {v}-endpoint-sg {{"));
        self.line(2, format_args!("ingress tcp 443 from {cidr}"));
        self.line(1, format_args!("}}"));
        for k in 0..svc_groups {
            let port = 8000 + self.rng.below(1000);
            // A peered VPC's app tier: the hub for a spoke, some spoke for
            // the hub.
            let peer = match (i, self.p.vpcs) {
                (_, 1) => None,
                (0, n) => Some(1 + self.rng.below(n - 1)),
                _ => Some(0),
            };
            self.line(1, format_args!("security_group {v}-svc{k} {{"));
            self.line(2, format_args!("ingress tcp {port} from {v}-app-sg"));
            match (peer, self.hub) {
                (Some(peer), Hub::Peering) => {
                    self.line(2, format_args!("ingress tcp {port} from v{peer}-app-sg"))
                }
                (Some(peer), Hub::TransitGateway) => self.line(
                    2,
                    format_args!("ingress tcp {port} from {}", vpc_cidr(peer)),
                ),
                (None, _) => {}
            }
            self.line(2, format_args!("egress tcp 443 to service s3"));
            self.line(2, format_args!("egress tcp {port} to {cidr}"));
            self.line(1, format_args!("}}"));
        }
    }

    fn acls(&mut self, i: u32) {
        let v = vpc_name(i);
        let cidr = vpc_cidr(i);
        let peers: Vec<String> = if i == 0 {
            let mut nets = vec!["10.0.0.0/8".to_string()];
            if self.p.vpcs > 256 {
                nets.push("172.16.0.0/12".to_string());
            }
            if self.p.vpcs > 272 {
                nets.push("100.64.0.0/10".to_string());
            }
            nets
        } else {
            vec![vpc_cidr(0)]
        };
        self.out.push('\n');
        self.line(1, format_args!("network_acl {v}-web-acl {{"));
        self.line(2, format_args!("inbound 100 allow tcp 443 from internet"));
        self.line(2, format_args!("inbound 110 allow tcp 22 from admin"));
        self.line(
            2,
            format_args!("inbound 200 allow tcp 1024-65535 from internet"),
        );
        self.line(2, format_args!("outbound 100 allow tcp 443 to internet"));
        self.line(2, format_args!("outbound 110 allow tcp 8080 to {cidr}"));
        self.line(
            2,
            format_args!("outbound 200 allow tcp 1024-65535 to internet"),
        );
        self.line(1, format_args!("}}"));
        self.line(1, format_args!("network_acl {v}-app-acl {{"));
        self.line(2, format_args!("inbound 100 allow tcp 8080 from {cidr}"));
        self.line(2, format_args!("inbound 110 allow tcp 443 from {cidr}"));
        for (n, net) in peers.iter().enumerate() {
            self.line(
                2,
                format_args!("inbound {} allow tcp 8000-8999 from {net}", 120 + n),
            );
        }
        self.line(
            2,
            format_args!("inbound 200 allow tcp 1024-65535 from internet"),
        );
        self.line(2, format_args!("outbound 100 allow tcp 5432 to {cidr}"));
        self.line(2, format_args!("outbound 110 allow tcp 443 to internet"));
        self.line(
            2,
            format_args!("outbound 200 allow tcp 1024-65535 to internet"),
        );
        self.line(1, format_args!("}}"));
        self.line(1, format_args!("network_acl {v}-data-acl {{"));
        self.line(2, format_args!("inbound 100 allow tcp 5432 from {cidr}"));
        self.line(
            2,
            format_args!("outbound 100 allow tcp 1024-65535 to {cidr}"),
        );
        self.line(1, format_args!("}}"));
    }

    /// Intents about the hub that hold by construction.
    fn expects(&mut self) {
        let p = self.p;
        if p.instances_per_subnet == 0 {
            return;
        }
        self.line(
            0,
            format_args!("# The bastion is open to the admin range only."),
        );
        self.line(0, format_args!("expect admin can reach v0-bastion tcp 22"));
        self.line(
            0,
            format_args!("expect internet cannot reach v0-bastion tcp 3389"),
        );
        if p.instances_per_subnet >= 2 {
            self.line(
                0,
                format_args!("expect internet can reach v0-a0-web1 tcp 443"),
            );
        }
        if p.subnets_per_az >= 2 {
            self.line(0, format_args!("expect internet cannot reach v0-a1-app0"));
            self.line(
                0,
                format_args!("expect v0-a1-app0 can reach internet tcp 443 via v0-nat-a"),
            );
            self.line(
                0,
                format_args!("expect v0-a1-app0 can reach service s3 tcp 443 privately"),
            );
            self.line(
                0,
                format_args!("expect v0-a1-app0 can reach datacenter tcp 443 via v0-vgw privately"),
            );
            if p.subnets_per_az >= 3 {
                self.line(
                    0,
                    format_args!("expect v0-a1-app0 can reach v0-a2-db0 tcp 5432"),
                );
                self.line(0, format_args!("expect v0-a2-db0 cannot reach internet"));
            }
            if self.hub == Hub::TransitGateway && p.vpcs >= 3 {
                self.line(
                    0,
                    format_args!("# Spokes reach the hub only: their table learns v0 alone."),
                );
                self.line(0, format_args!("expect v1-a1-app0 cannot reach v2-a1-app0"));
            }
        }
    }
}

fn dotted(a: u32) -> String {
    std::net::Ipv4Addr::from(a).to_string()
}
