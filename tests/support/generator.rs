//! A grammar-aware generator of .vpc programs.
//!
//! It draws every decision from an [`arbitrary::Unstructured`], so the same
//! code serves the property tests (proptest supplies the bytes and shrinks
//! them) and the `grammar` fuzz target (libFuzzer supplies them and
//! mutates them). When the bytes run out every choice falls back to its
//! smallest option, so generation always terminates.
//!
//! The output is a [`Program`]: a tree of statements ([`Stmt`]: the words of
//! the statement head and an optional braced body), printed with a random
//! [`Layout`] (indented or on one line, LF or CRLF, comments between
//! statements). Programs are always syntactically valid: every statement
//! kind of the grammar can appear (region, external, vpc with a secondary
//! cidr, dns flags, dhcp_options, internet_gateway, subnets with az and
//! bodies, NAT gateways, instances with and without addresses, route tables
//! with routes, gateway and interface endpoints, security groups, network
//! ACLs, peering, transit gateways, virtual private gateways with their
//! VPNs and `propagate`, expect). They are mostly semantically plausible: names are
//! declared before use (in the tree, not necessarily in text order),
//! subnets are carved from their VPC without overlap, instance addresses
//! are usable addresses of their subnet. With a small probability the
//! generator makes a deliberate mistake (an unknown name, a duplicate, an
//! overlapping or outside subnet, host bits, a bad octet...) and records
//! its kind in [`Program::mistakes`], so a test can tell intended errors from
//! compiler bugs.
//!
//! This file is shared: `tests/props.rs` uses it through `tests/support`,
//! and `fuzz/fuzz_targets/grammar.rs` includes it with `#[path]`. It depends
//! only on `arbitrary` and std.

use arbitrary::{Result, Unstructured};

/// One statement: its head words (`subnet`, `app-a`, `10.0.1.0/24`, `az`,
/// `a`) and, when it has braces, its body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stmt {
    pub words: Vec<String>,
    pub body: Option<Vec<Stmt>>,
}

impl Stmt {
    fn new(words: Vec<String>) -> Stmt {
        Stmt { words, body: None }
    }

    fn with_body(words: Vec<String>, body: Vec<Stmt>) -> Stmt {
        Stmt {
            words,
            body: Some(body),
        }
    }
}

/// How a program is printed. Whitespace is insignificant in the language,
/// so every layout must give the same diagnostics (modulo spans).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Layout {
    /// One statement per line, bodies indented; otherwise one long line.
    pub pretty: bool,
    /// Use CRLF line endings.
    pub crlf: bool,
    /// Put `# comment` lines between some statements.
    pub comments: bool,
    /// Start the file with a UTF-8 byte-order mark.
    pub bom: bool,
}

impl Layout {
    pub const PLAIN: Layout = Layout {
        pretty: true,
        crlf: false,
        comments: false,
        bom: false,
    };
}

/// A generated program.
#[derive(Clone, Debug)]
pub struct Program {
    pub stmts: Vec<Stmt>,
    pub layout: Layout,
    /// The deliberate mistakes made, e.g. `"unknown-name"`. Empty means the
    /// generator meant the program to be free of static errors (E01xx to
    /// E04xx); `expect` statements may still fail (E0501).
    pub mistakes: Vec<&'static str>,
}

impl Program {
    /// The program's text in its own layout.
    pub fn print(&self) -> String {
        self.print_with(self.layout)
    }

    /// The program's text in `layout`.
    pub fn print_with(&self, layout: Layout) -> String {
        let nl = if layout.crlf { "\r\n" } else { "\n" };
        let mut out = String::new();
        if layout.bom {
            out.push('\u{FEFF}');
        }
        let mut count = 0usize;
        for s in &self.stmts {
            print_stmt(&mut out, s, 0, layout, nl, &mut count);
        }
        if !layout.pretty {
            out.push_str(nl);
        }
        out
    }
}

fn print_stmt(
    out: &mut String,
    s: &Stmt,
    depth: usize,
    layout: Layout,
    nl: &str,
    count: &mut usize,
) {
    *count += 1;
    if layout.comments && (*count).is_multiple_of(3) {
        if layout.pretty {
            push_indent(out, depth);
        }
        // A comment always ends its line, even in the one-line layout.
        out.push_str("# statement ");
        out.push_str(&count.to_string());
        out.push_str(" {[->]} \"");
        out.push_str(nl);
    }
    if layout.pretty {
        push_indent(out, depth);
    }
    out.push_str(&s.words.join(" "));
    if let Some(body) = &s.body {
        out.push_str(" {");
        if layout.pretty {
            out.push_str(nl);
        } else {
            out.push(' ');
        }
        for b in body {
            print_stmt(out, b, depth + 1, layout, nl, count);
        }
        if layout.pretty {
            push_indent(out, depth);
        }
        out.push('}');
    }
    out.push_str(if layout.pretty { nl } else { " " });
}

fn push_indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// Generates a program from `u`, with deliberate mistakes in about two
/// thirds of the programs.
pub fn program(u: &mut Unstructured<'_>) -> Result<Program> {
    // Per mille chance of each deliberate mistake.
    let rate = *u.choose(&[0u32, 0, 20, 60])?;
    program_with(u, rate)
}

/// Generates a program the generator means to be free of static errors
/// (E01xx–E04xx); `expect` statements may still fail.
pub fn valid_program(u: &mut Unstructured<'_>) -> Result<Program> {
    program_with(u, 0)
}

fn program_with(u: &mut Unstructured<'_>, mistake_rate: u32) -> Result<Program> {
    let layout = Layout {
        pretty: !u.ratio(1, 5)?,
        crlf: u.ratio(1, 6)?,
        comments: u.ratio(1, 4)?,
        bom: u.ratio(1, 10)?,
    };
    let mut g = Gen {
        u,
        mistake_rate,
        mistakes: Vec::new(),
        counter: 0,
        names: Names::default(),
        region: None,
        tgw: None,
        attached: Vec::new(),
        extra: Vec::new(),
    };
    let stmts = g.file()?;
    Ok(Program {
        stmts,
        layout,
        mistakes: g.mistakes,
    })
}

/// IPv4 network as plain numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Net {
    addr: u32,
    len: u8,
}

impl Net {
    fn size(self) -> u64 {
        1u64 << (32 - u32::from(self.len))
    }

    fn text(self) -> String {
        format!("{}/{}", ip(self.addr), self.len)
    }
}

fn ip(a: u32) -> String {
    format!(
        "{}.{}.{}.{}",
        a >> 24,
        (a >> 16) & 255,
        (a >> 8) & 255,
        a & 255
    )
}

/// Names declared so far, by kind, for references.
#[derive(Default)]
struct Names {
    all: Vec<String>,
    externals: Vec<String>,
    prefix_lists: Vec<String>,
    vpcs: Vec<String>,
    instances: Vec<String>,
    subnets: Vec<String>,
    nats: Vec<String>,
    igws: Vec<String>,
    peerings: Vec<String>,
    interface_endpoints: Vec<String>,
}

/// What one VPC has declared, for references inside it.
#[derive(Default)]
struct VpcScope {
    /// The VPC's index in `Gen::vpc_plans`.
    index: usize,
    route_tables: Vec<String>,
    acls: Vec<String>,
    sgs: Vec<String>,
    subnets: Vec<(String, Option<String>)>,
    igw: Option<String>,
    nats: Vec<String>,
    instances: Vec<String>,
    peerings: Vec<String>,
    /// Free space: the next offset to carve in each block.
    blocks: Vec<(Net, u64)>,
    dns_hostnames: bool,
    dns_support: bool,
    /// (route table, service) of each gateway endpoint route.
    gateway_routes: Vec<(String, &'static str)>,
}

struct VpcPlan {
    name: String,
    primary: Net,
}

struct Gen<'a, 'b> {
    u: &'b mut Unstructured<'a>,
    mistake_rate: u32,
    mistakes: Vec<&'static str>,
    counter: usize,
    names: Names,
    region: Option<String>,
    /// The transit gateway planned for this file, if any.
    tgw: Option<String>,
    /// The VPCs attached to it and their attachment subnets (one per AZ).
    attached: Vec<(String, Vec<String>)>,
    /// Top-level statements a VPC needs (a virtual private gateway's
    /// on-premises external), written after the VPCs.
    extra: Vec<Stmt>,
}

const KEYWORD_NAMES: &[&str] = &[
    "public", "private", "main", "vpc", "subnet", "tcp", "all", "on", "az", "route",
];
const REGIONS: &[&str] = &[
    "us-east-1",
    "eu-west-1",
    "ap-northeast-2",
    "us-west-2",
    "sa-east-1",
];
const INTERFACE_SERVICES: &[&str] = &["ec2", "ssm", "ecr.api", "execute-api", "sts", "logs"];
const AZS: &[&str] = &["a", "b", "c"];

impl Gen<'_, '_> {
    /// Whether to make a deliberate mistake now; records it.
    fn mistake(&mut self, kind: &'static str) -> Result<bool> {
        if self.mistake_rate == 0 {
            return Ok(false);
        }
        let m = self.u.int_in_range(0..=999u32)? < self.mistake_rate;
        if m {
            self.mistakes.push(kind);
        }
        Ok(m)
    }

    fn chance(&mut self, num: u8, den: u8) -> Result<bool> {
        self.u.ratio(num, den)
    }

    fn range(&mut self, lo: usize, hi: usize) -> Result<usize> {
        self.u.int_in_range(lo..=hi)
    }

    fn pick<T: Clone>(&mut self, items: &[T]) -> Result<Option<T>> {
        if items.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.u.choose(items)?.clone()))
    }

    /// A fresh name with `prefix`; sometimes a keyword that is allowed as a
    /// name, sometimes (a mistake) a name already used.
    fn fresh(&mut self, prefix: &str) -> Result<String> {
        if !self.names.all.is_empty() && self.mistake("duplicate-name")? {
            let n = self.pick(&self.names.all.clone())?.unwrap_or_default();
            return Ok(n);
        }
        if self.chance(1, 40)? {
            let kw = self.u.choose(KEYWORD_NAMES)?.to_string();
            if !self.names.all.contains(&kw) {
                self.names.all.push(kw.clone());
                return Ok(kw);
            }
        }
        self.counter += 1;
        let style = self.range(0, 3)?;
        let n = match style {
            0 => format!("{prefix}{}", self.counter),
            1 => format!("{prefix}-{}", self.counter),
            2 => format!("{prefix}_{}", self.counter),
            _ => format!("{}{}", prefix.to_uppercase(), self.counter),
        };
        self.names.all.push(n.clone());
        Ok(n)
    }

    /// A reference to one of `pool`, or (a mistake, or when the pool is
    /// empty) a name that exists nowhere.
    fn reference(&mut self, pool: &[String]) -> Result<String> {
        if pool.is_empty() || self.mistake("unknown-name")? {
            if pool.is_empty() {
                self.mistakes.push("unknown-name");
            }
            self.counter += 1;
            return Ok(format!("nowhere{}", self.counter));
        }
        Ok(self.pick(pool)?.unwrap_or_default())
    }

    /// A list of distinct references drawn from `pool`.
    fn name_list(&mut self, pool: &[String], max: usize) -> Result<String> {
        let items = self.names_from(pool, max)?;
        Ok(list(&items, self.chance(1, 5)?))
    }

    /// Up to `max` distinct references drawn from `pool`.
    fn names_from(&mut self, pool: &[String], max: usize) -> Result<Vec<String>> {
        let n = self.range(0, max.min(pool.len()))?;
        let mut items: Vec<String> = Vec::new();
        for _ in 0..n {
            let r = self.reference(pool)?;
            if !items.contains(&r) {
                items.push(r);
            }
        }
        Ok(items)
    }

    /// A CIDR literal for `net`; sometimes (mistakes) malformed or with
    /// host bits set.
    fn cidr(&mut self, net: Net) -> Result<String> {
        if self.mistake("host-bits")? && net.len < 32 {
            let host = 1 + self
                .u
                .int_in_range(0..=(net.size().saturating_sub(2)) as u32)?;
            return Ok(Net {
                addr: net.addr | host,
                len: net.len,
            }
            .text());
        }
        if self.mistake("malformed-cidr")? {
            let bad = self.range(0, 5)?;
            return Ok(match bad {
                0 => format!("{}/33", ip(net.addr)),
                1 => ip(net.addr),
                2 => format!("256.{}.0.0/{}", (net.addr >> 16) & 255, net.len),
                3 => "2001:db8::/32".to_string(),
                // A leading zero (E0109), in the first octet or the prefix.
                4 => format!("0{}/0{}", ip(net.addr), net.len),
                _ => format!("{}/{}", ip(net.addr), 99_999),
            });
        }
        Ok(net.text())
    }

    fn address(&mut self, a: u32) -> Result<String> {
        if self.mistake("malformed-address")? {
            return Ok(if self.chance(1, 2)? {
                format!("{}/32", ip(a))
            } else {
                self.u.choose(&["10.0.0.300", "10.0.0.010"])?.to_string()
            });
        }
        Ok(ip(a))
    }

    fn boolean(&mut self, words: &mut Vec<String>) -> Result<bool> {
        match self.range(0, 2)? {
            0 => Ok(true),
            1 => {
                words.push("on".into());
                Ok(true)
            }
            _ => {
                words.push("off".into());
                Ok(false)
            }
        }
    }

    fn file(&mut self) -> Result<Vec<Stmt>> {
        let mut out = Vec::new();
        if self.chance(3, 4)? {
            let r = self.u.choose(REGIONS)?.to_string();
            self.region = Some(r.clone());
            out.push(Stmt::new(vec!["region".into(), r]));
            if self.mistake("second-region")? {
                out.push(Stmt::new(vec!["region".into(), "eu-central-1".into()]));
            }
        }
        for _ in 0..self.range(0, 3)? {
            out.push(self.external()?);
        }
        for _ in 0..self.range(0, 2)? {
            out.push(self.prefix_list()?);
        }
        // Plan the VPCs first, so that peerings can be named inside them.
        let nvpcs = self.range(0, 4)?;
        let mut plans = Vec::new();
        for i in 0..nvpcs {
            let name = self.fresh("vpc")?;
            let primary = self.vpc_primary(i)?;
            self.names.vpcs.push(name.clone());
            plans.push(VpcPlan { name, primary });
        }
        let mut peerings: Vec<(String, usize, usize)> = Vec::new();
        if nvpcs >= 2 {
            for _ in 0..self.range(0, 2)? {
                let a = self.range(0, nvpcs - 1)?;
                let mut b = self.range(0, nvpcs - 1)?;
                if b == a {
                    b = (a + 1) % nvpcs;
                }
                if peerings
                    .iter()
                    .any(|(_, x, y)| (*x, *y) == (a, b) || (*x, *y) == (b, a))
                {
                    continue;
                }
                let name = self.fresh("pcx")?;
                self.names.peerings.push(name.clone());
                peerings.push((name, a, b));
            }
        }
        if nvpcs >= 1 && self.chance(1, 3)? {
            self.tgw = Some(self.fresh("tgw")?);
        }
        let mut vpcs = Vec::new();
        for (i, plan) in plans.iter().enumerate() {
            let mine: Vec<String> = peerings
                .iter()
                .filter(|(_, a, b)| *a == i || *b == i)
                .map(|(n, _, _)| n.clone())
                .collect();
            vpcs.push(self.vpc(i, plan, &plans, mine)?);
        }
        out.extend(vpcs);
        out.append(&mut self.extra);
        if let Some(tgw) = self.tgw.clone() {
            out.extend(self.transit_gateway(&tgw)?);
        }
        for (name, a, b) in &peerings {
            let mut words = vec![
                "peering".into(),
                name.clone(),
                plans[*a].name.clone(),
                plans[*b].name.clone(),
            ];
            if self.mistake("peering-unknown-vpc")? {
                words[3] = "novpc".into();
            }
            out.push(Stmt::new(words));
        }
        for _ in 0..self.range(0, 4)? {
            out.push(self.expect()?);
        }
        // Statement order is insignificant: sometimes shuffle the top level.
        if self.chance(1, 4)? && out.len() > 1 {
            for i in (1..out.len()).rev() {
                let j = self.range(0, i)?;
                out.swap(i, j);
            }
        }
        Ok(out)
    }

    /// `transit_gateway NAME { ... }` over the VPCs `vpc` attached (each
    /// table propagates at most one attachment, so no table learns
    /// overlapping blocks), sometimes with a VPN to an `on_premises`
    /// external on 198.18.0.0/15 (benchmarking space, in no VPC). Mistakes:
    /// an attachment naming a subnet twice in one AZ's place, a table of
    /// no gateway.
    fn transit_gateway(&mut self, tgw: &str) -> Result<Vec<Stmt>> {
        let mut out = Vec::new();
        let tables: Vec<String> = (0..self.range(1, 2)?)
            .map(|_| self.fresh("tgwrt"))
            .collect::<Result<_>>()?;
        let mut body = Vec::new();
        let mut attachments = Vec::new();
        for (vpc, subnets) in self.attached.clone() {
            let name = self.fresh("att")?;
            let mut subnets = subnets;
            if self.mistake("tgw-subnet-twice")? {
                subnets.push(subnets[0].clone());
            }
            let table = if self.mistake("tgw-unknown-table")? {
                "notable".to_string()
            } else {
                self.pick(&tables)?.unwrap_or_default()
            };
            attachments.push(name.clone());
            body.push(Stmt::new(vec![
                "attach".into(),
                name,
                "vpc".into(),
                vpc,
                "subnets".into(),
                format!("[{}]", subnets.join(", ")),
                "route_table".into(),
                table,
            ]));
        }
        if self.chance(1, 2)? {
            let ext = self.fresh("dc")?;
            self.names.externals.push(ext.clone());
            out.push(Stmt::new(vec![
                "external".into(),
                ext.clone(),
                "198.18.0.0/15".into(),
                "on_premises".into(),
            ]));
            let vpn = self.fresh("vpn")?;
            let table = self.pick(&tables)?.unwrap_or_default();
            attachments.push(vpn.clone());
            body.push(Stmt::new(vec![
                "vpn".into(),
                vpn,
                "to".into(),
                ext,
                "routes".into(),
                "[198.18.0.0/15]".into(),
                "route_table".into(),
                table,
            ]));
        }
        let mut table_stmts = Vec::new();
        for t in &tables {
            let mut items = Vec::new();
            if let Some(a) = self.pick(&attachments)?
                && self.chance(2, 3)?
            {
                items.push(Stmt::new(vec!["propagate".into(), format!("[{a}]")]));
            }
            if self.chance(1, 2)? {
                let target = match self.pick(&attachments)? {
                    Some(a) if self.chance(3, 4)? => a,
                    _ => "blackhole".to_string(),
                };
                items.push(Stmt::new(vec![
                    "route".into(),
                    "198.19.0.0/16".into(),
                    "->".into(),
                    target,
                ]));
            }
            let w = vec!["route_table".to_string(), t.clone()];
            table_stmts.push(if items.is_empty() && self.chance(1, 2)? {
                Stmt::new(w)
            } else {
                Stmt::with_body(w, items)
            });
        }
        table_stmts.extend(body);
        if self.chance(1, 3)? {
            let mut w = vec!["security_group_referencing".to_string()];
            self.boolean(&mut w)?;
            table_stmts.push(Stmt::new(w));
            if self.mistake("tgw-sg-referencing-twice")? {
                table_stmts.push(Stmt::new(vec!["security_group_referencing".into()]));
            }
        }
        out.push(Stmt::with_body(
            vec!["transit_gateway".into(), tgw.to_string()],
            table_stmts,
        ));
        Ok(out)
    }

    /// `vpn_gateway NAME { vpn ... }` in the VPC `plan` (pushed on `body`),
    /// with a VPN to a fresh `on_premises` external on 100.64.0.0/16 (in
    /// no VPC). Mistakes: a second gateway (E0421), a VPN route inside the
    /// VPC (W0615). Returns the gateway's name.
    fn vpn_gateway(&mut self, plan: &VpcPlan, body: &mut Vec<Stmt>) -> Result<String> {
        let name = self.fresh("vgw")?;
        let ext = self.fresh("onprem")?;
        self.names.externals.push(ext.clone());
        self.extra.push(Stmt::new(vec![
            "external".into(),
            ext.clone(),
            "100.64.0.0/16".into(),
            "on_premises".into(),
        ]));
        let mut routes = vec!["100.64.0.0/16".to_string()];
        if self.mistake("vgw-route-inside-vpc")? {
            routes.push(plan.primary.text());
        }
        let vpn = self.fresh("vgwvpn")?;
        let vpns = vec![Stmt::new(vec![
            "vpn".into(),
            vpn,
            "to".into(),
            ext,
            "routes".into(),
            format!("[{}]", routes.join(", ")),
        ])];
        body.push(Stmt::with_body(
            vec!["vpn_gateway".into(), name.clone()],
            vpns,
        ));
        if self.mistake("second-vgw")? {
            let second = self.fresh("vgw")?;
            body.push(Stmt::new(vec!["vpn_gateway".into(), second]));
        }
        Ok(name)
    }

    /// `prefix_list NAME [CIDR, ...] max_entries N`, its entries on the
    /// documentation ranges (never inside a VPC's block, so routes to it are
    /// valid). Mistakes: a repeated entry, too small a `max_entries`.
    fn prefix_list(&mut self) -> Result<Stmt> {
        let name = self.fresh("pl")?;
        self.names.prefix_lists.push(name.clone());
        let ranges = [0xCB00_7100u32, 0xC633_6400, 0xC000_0200];
        let n = self.range(0, 3)?;
        let mut entries: Vec<String> = ranges[..n]
            .iter()
            .map(|&addr| self.cidr(Net { addr, len: 24 }))
            .collect::<Result<_>>()?;
        if n > 0 && self.mistake("prefix-list-repeated-entry")? {
            entries.push(entries[0].clone());
        }
        let max = if self.mistake("prefix-list-too-small")? {
            n.saturating_sub(1)
        } else {
            self.range(n.max(1), 20)?
        };
        Ok(Stmt::new(vec![
            "prefix_list".into(),
            name,
            format!("[{}]", entries.join(", ")),
            "max_entries".into(),
            max.to_string(),
        ]))
    }

    fn external(&mut self) -> Result<Stmt> {
        let name = self.fresh("ext")?;
        self.names.externals.push(name.clone());
        let mut words = vec!["external".into(), name];
        let n = self.range(1, 3)?;
        let mut cidrs = Vec::new();
        for k in 0..n {
            let net = match self.range(0, 3)? {
                0 => Net {
                    addr: 0xCB00_7100,
                    len: 24,
                }, // 203.0.113.0/24
                1 => Net {
                    addr: 0xC633_6400,
                    len: 24,
                }, // 198.51.100.0/24
                2 => Net {
                    addr: 0xC000_0200 + (k as u32) * 16,
                    len: 28,
                }, // 192.0.2.x/28
                _ => Net {
                    addr: (self.u.int_in_range(1..=223u32)? << 24),
                    len: 8,
                }, // some /8
            };
            let text = self.cidr(net)?;
            if !cidrs.contains(&text) {
                cidrs.push(text);
            }
        }
        let last = cidrs.len() - 1;
        for (k, c) in cidrs.into_iter().enumerate() {
            words.push(if k < last { format!("{c},") } else { c });
        }
        if self.chance(1, 6)? {
            let l = words.len() - 1;
            words[l].push(',');
        }
        Ok(Stmt::new(words))
    }

    /// A VPC's primary block: usually 10.i.0.0/16, sometimes smaller or in
    /// another RFC 1918 range; sometimes (a mistake) too big or too small.
    fn vpc_primary(&mut self, i: usize) -> Result<Net> {
        let i = i as u32 + 1;
        if self.mistake("vpc-size")? {
            let len = *self.u.choose(&[8u8, 12, 15, 29, 30, 32])?;
            let addr = if len < 16 {
                10 << 24
            } else {
                (10 << 24) | (i << 16)
            };
            return Ok(Net { addr, len });
        }
        Ok(match self.range(0, 5)? {
            0 => Net {
                addr: (172 << 24) | ((16 + i) << 16),
                len: 16,
            },
            1 => Net {
                addr: (192 << 24) | (168 << 16) | (i << 8),
                len: 24,
            },
            2 => {
                let len = self.u.int_in_range(17..=24u8)?;
                Net {
                    addr: (10 << 24) | (i << 16),
                    len,
                }
            }
            _ => Net {
                addr: (10 << 24) | (i << 16),
                len: 16,
            },
        })
    }

    /// A secondary block in the same RFC 1918 range as `primary`.
    fn vpc_secondary(&mut self, i: usize, primary: Net) -> Result<Net> {
        let i = i as u32 + 1;
        if self.mistake("secondary-restricted")? {
            // A block from another RFC 1918 range, or overlapping the primary.
            return Ok(if self.chance(1, 2)? {
                Net {
                    addr: (192 << 24) | (168 << 16),
                    len: 16,
                }
            } else {
                primary
            });
        }
        let top = primary.addr >> 24;
        Ok(if top == 172 {
            Net {
                addr: (172 << 24) | ((24 + i) << 16),
                len: 16,
            }
        } else if top == 192 {
            Net {
                addr: (192 << 24) | (168 << 16) | ((100 + i) << 8),
                len: 24,
            }
        } else {
            Net {
                addr: (10 << 24) | ((100 + i) << 16),
                len: 16,
            }
        })
    }

    fn vpc(
        &mut self,
        index: usize,
        plan: &VpcPlan,
        plans: &[VpcPlan],
        peerings: Vec<String>,
    ) -> Result<Stmt> {
        let words = vec!["vpc".into(), plan.name.clone(), self.cidr(plan.primary)?];
        if self.chance(1, 12)? {
            return Ok(Stmt::new(words));
        }
        let mut scope = VpcScope {
            index,
            peerings,
            dns_support: true,
            ..VpcScope::default()
        };
        let mut body = Vec::new();
        scope.blocks.push((plan.primary, 0));
        if self.chance(1, 4)? {
            let sec = self.vpc_secondary(index, plan.primary)?;
            body.push(Stmt::new(vec!["cidr".into(), self.cidr(sec)?]));
            scope.blocks.push((sec, 0));
        }
        if self.chance(1, 3)? {
            let mut w = vec!["dns_support".to_string()];
            scope.dns_support = self.boolean(&mut w)?;
            body.push(Stmt::new(w));
        }
        if self.chance(1, 2)? {
            let mut w = vec!["dns_hostnames".to_string()];
            scope.dns_hostnames = self.boolean(&mut w)?;
            body.push(Stmt::new(w));
        }
        if self.chance(1, 5)? {
            body.push(self.dhcp_options(plan.primary)?);
        }
        if self.chance(2, 3)? {
            let igw = self.fresh("igw")?;
            self.names.igws.push(igw.clone());
            body.push(Stmt::new(vec!["internet_gateway".into(), igw.clone()]));
            scope.igw = Some(igw);
            if self.mistake("second-igw")? {
                let igw2 = self.fresh("igw")?;
                body.push(Stmt::new(vec!["internet_gateway".into(), igw2]));
            }
        }
        let vgw = if self.chance(1, 4)? {
            Some(self.vpn_gateway(plan, &mut body)?)
        } else {
            None
        };
        // Declare names of tables, ACLs and groups up front, so that
        // subnets and instances can refer to them.
        for _ in 0..self.range(0, 3)? {
            scope.route_tables.push(self.fresh("rt")?);
        }
        for _ in 0..self.range(0, 2)? {
            scope.acls.push(self.fresh("acl")?);
        }
        for _ in 0..self.range(0, 3)? {
            scope.sgs.push(self.fresh("sg")?);
        }
        for _ in 0..self.range(0, 4)? {
            if let Some(s) = self.subnet(&mut scope)? {
                body.push(s);
            }
        }
        // Attach to the planned transit gateway: one subnet per AZ.
        let attached = self.tgw.is_some() && !scope.subnets.is_empty() && self.chance(2, 3)?;
        if attached {
            let mut zones: Vec<Option<String>> = Vec::new();
            let mut chosen = Vec::new();
            for (s, az) in &scope.subnets {
                if az.is_none() || !zones.contains(az) {
                    zones.push(az.clone());
                    chosen.push(s.clone());
                }
            }
            chosen.truncate(3);
            self.attached.push((plan.name.clone(), chosen));
        }
        let mut main_written = false;
        for rt in scope.route_tables.clone() {
            let mut w = vec!["route_table".to_string(), rt];
            if !main_written && self.chance(1, 4)? {
                w.push("main".into());
                main_written = true;
            } else if main_written && self.mistake("second-main")? {
                w.push("main".into());
            }
            if self.chance(1, 8)? {
                body.push(Stmt::new(w));
            } else {
                let mut routes = self.routes(&scope, plans)?;
                if let Some(g) = &vgw {
                    if self.chance(1, 2)? {
                        routes.push(Stmt::new(vec!["propagate".into(), g.clone()]));
                    } else if self.chance(1, 2)? {
                        routes.push(Stmt::new(vec![
                            "route".into(),
                            "100.64.0.0/16".into(),
                            "->".into(),
                            g.clone(),
                        ]));
                    }
                }
                if attached && self.chance(1, 2)? {
                    routes.push(Stmt::new(vec![
                        "route".into(),
                        "198.18.0.0/15".into(),
                        "->".into(),
                        self.tgw.clone().unwrap_or_default(),
                    ]));
                }
                body.push(Stmt::with_body(w, routes));
            }
        }
        for _ in 0..self.range(0, 2)? {
            body.push(self.endpoint(&mut scope)?);
        }
        for sg in scope.sgs.clone() {
            body.push(self.security_group(sg, &scope)?);
        }
        for acl in scope.acls.clone() {
            body.push(self.network_acl(acl)?);
        }
        Ok(Stmt::with_body(words, body))
    }

    fn dhcp_options(&mut self, primary: Net) -> Result<Stmt> {
        let mut body = Vec::new();
        if self.chance(1, 2)? {
            body.push(Stmt::new(vec![
                "domain_name".into(),
                "\"corp.example.com\"".into(),
            ]));
        }
        if self.chance(2, 3)? {
            let mut items = Vec::new();
            if self.chance(2, 3)? {
                items.push("AmazonProvidedDNS".to_string());
            }
            if self.chance(1, 2)? {
                items.push(self.address(primary.addr + 53)?);
            }
            body.push(Stmt::new(vec![
                "name_servers".into(),
                list(&items, self.chance(1, 4)?),
            ]));
        }
        if self.chance(1, 3)? {
            body.push(Stmt::new(vec![
                "ntp_servers".into(),
                list(&["169.254.169.123".to_string()], false),
            ]));
        }
        Ok(Stmt::with_body(vec!["dhcp_options".into()], body))
    }

    /// Carves the next aligned block of `len` from the VPC's blocks.
    fn carve(&mut self, scope: &mut VpcScope, len: u8) -> Option<Net> {
        for (block, used) in &mut scope.blocks {
            if len < block.len {
                continue;
            }
            let size = 1u64 << (32 - u32::from(len));
            let start = used.div_ceil(size) * size;
            if start + size <= block.size() {
                *used = start + size;
                return Some(Net {
                    addr: block.addr + start as u32,
                    len,
                });
            }
        }
        None
    }

    fn subnet(&mut self, scope: &mut VpcScope) -> Result<Option<Stmt>> {
        let primary = scope.blocks[0].0;
        let lo = primary.len.max(16);
        let len = if lo >= 28 {
            lo
        } else {
            self.u.int_in_range(lo..=28u8)?
        };
        let net = if self.mistake("subnet-outside")? {
            Net {
                addr: (100 << 24) | (64 << 16),
                len: 24,
            }
        } else if self.mistake("subnet-size")? {
            let bad = *self.u.choose(&[29u8, 30, 32])?;
            match self.carve(scope, bad) {
                Some(n) => n,
                None => return Ok(None),
            }
        } else if !scope.subnets.is_empty() && self.mistake("subnet-overlap")? {
            Net {
                addr: primary.addr,
                len: 28,
            }
        } else {
            match self.carve(scope, len) {
                Some(n) => n,
                None => return Ok(None),
            }
        };
        let name = self.fresh("subnet")?;
        let mut words = vec!["subnet".into(), name.clone(), self.cidr(net)?];
        let az = if self.chance(3, 4)? {
            // A letter, or a full zone name of the file's region. AZs are
            // compared by letter, which is what makes two subnets share one.
            let letter = self.u.choose(AZS)?.to_string();
            let written = match self.region.clone() {
                Some(r) if self.chance(1, 4)? => format!("{r}{letter}"),
                _ => letter.clone(),
            };
            words.push("az".into());
            words.push(written);
            Some(letter)
        } else {
            None
        };
        self.names.subnets.push(name.clone());
        scope.subnets.push((name, az));
        if self.chance(1, 5)? {
            return Ok(Some(Stmt::new(words)));
        }
        let mut body = Vec::new();
        if !scope.route_tables.is_empty() && self.chance(2, 3)? {
            let rt = self.reference(&scope.route_tables)?;
            body.push(Stmt::new(vec!["route_table".into(), rt]));
        }
        if !scope.acls.is_empty() && self.chance(1, 4)? {
            let acl = self.reference(&scope.acls)?;
            body.push(Stmt::new(vec!["network_acl".into(), acl]));
        }
        if self.chance(1, 4)? {
            let mut w = vec!["public_ip_on_launch".to_string()];
            self.boolean(&mut w)?;
            body.push(Stmt::new(w));
        }
        if self.chance(1, 3)? {
            let nat = self.fresh("nat")?;
            self.names.nats.push(nat.clone());
            scope.nats.push(nat.clone());
            let mut w = vec!["nat_gateway".into(), nat];
            if self.chance(1, 4)? {
                w.push("private".into());
            }
            body.push(Stmt::new(w));
        }
        // Usable addresses: base + 4 ..= last − 1.
        let usable = net.size().saturating_sub(5);
        let mut next = 4u64;
        for _ in 0..self.range(0, 3)? {
            let inst = self.fresh("inst")?;
            self.names.instances.push(inst.clone());
            scope.instances.push(inst.clone());
            let mut w = vec!["instance".into(), inst];
            if self.chance(1, 2)? {
                let a = if self.mistake("reserved-address")? {
                    net.addr + 1
                } else if self.mistake("address-outside")? {
                    net.addr.wrapping_add(net.size() as u32)
                } else if next < 4 + usable {
                    let skip = self.range(0, 3)? as u64;
                    let off = (next + skip).min(3 + usable);
                    next = off + 1;
                    net.addr + off as u32
                } else {
                    // Full: leave the address out.
                    0
                };
                if a != 0 {
                    w.push(self.address(a)?);
                }
            }
            if self.chance(1, 2)? {
                let mut ib = Vec::new();
                if self.chance(1, 2)? {
                    let mut pw = vec!["public_ip".to_string()];
                    self.boolean(&mut pw)?;
                    ib.push(Stmt::new(pw));
                }
                if self.chance(2, 3)? {
                    let sgs = scope.sgs.clone();
                    ib.push(Stmt::new(vec![
                        "security_groups".into(),
                        self.name_list(&sgs, 2)?,
                    ]));
                }
                if self.chance(1, 4)? {
                    let mut sw = vec!["source_dest_check".to_string()];
                    self.boolean(&mut sw)?;
                    ib.push(Stmt::new(sw));
                }
                body.push(Stmt::with_body(w, ib));
            } else {
                body.push(Stmt::new(w));
            }
        }
        Ok(Some(Stmt::with_body(words, body)))
    }

    fn routes(&mut self, scope: &VpcScope, plans: &[VpcPlan]) -> Result<Vec<Stmt>> {
        let mut out = Vec::new();
        let mut dests: Vec<Net> = Vec::new();
        for _ in 0..self.range(0, 4)? {
            let dest = match self.range(0, 4)? {
                0 => Net { addr: 0, len: 0 },
                1 => {
                    let other = self.range(0, plans.len().saturating_sub(1))?;
                    match plans.get(other) {
                        Some(p) if other != scope.index => p.primary,
                        _ => Net {
                            addr: 0xC0A8_6300,
                            len: 24,
                        },
                    }
                }
                2 => Net {
                    addr: 0xCB00_7100,
                    len: 24,
                },
                3 if self.mistake("route-inside-vpc")? => scope.blocks[0].0,
                _ => {
                    let len = self.u.int_in_range(8..=32u8)?;
                    let addr = (self.u.int_in_range(1..=223u32)? << 24) & mask(len);
                    Net { addr, len }
                }
            };
            // Duplicate destinations are E0402: only as a mistake.
            if dests.contains(&dest) && !self.mistake("duplicate-route")? {
                continue;
            }
            // A route to an IGW needs one: the default route, or an
            // external's range; other destinations go elsewhere.
            let mut targets: Vec<String> = Vec::new();
            targets.extend(scope.nats.iter().cloned());
            targets.extend(scope.peerings.iter().cloned());
            if let Some(igw) = &scope.igw {
                targets.push(igw.clone());
            }
            targets.extend(scope.instances.iter().cloned());
            let target = if self.chance(1, 8)? || targets.is_empty() {
                "blackhole".to_string()
            } else if self.mistake("route-target-kind")? {
                self.pick(
                    &scope
                        .subnets
                        .iter()
                        .map(|s| s.0.clone())
                        .collect::<Vec<_>>(),
                )?
                .unwrap_or_else(|| "blackhole".into())
            } else {
                self.reference(&targets)?
            };
            dests.push(dest);
            out.push(Stmt::new(vec![
                "route".into(),
                self.cidr(dest)?,
                "->".into(),
                target,
            ]));
        }
        // A route to a prefix list (one per list and table: E0402).
        if !self.names.prefix_lists.is_empty() && self.chance(1, 3)? {
            let lists = self.names.prefix_lists.clone();
            let list = self.reference(&lists)?;
            let mut targets: Vec<String> = scope.nats.clone();
            targets.extend(scope.peerings.iter().cloned());
            targets.extend(scope.igw.iter().cloned());
            let target = match self.pick(&targets)? {
                Some(t) => t,
                None => "blackhole".to_string(),
            };
            out.push(Stmt::new(vec!["route".into(), list, "->".into(), target]));
        }
        Ok(out)
    }

    fn endpoint(&mut self, scope: &mut VpcScope) -> Result<Stmt> {
        let name = self.fresh("ep")?;
        if self.chance(1, 2)? {
            let svc = if self.mistake("gateway-service")? {
                "ec2"
            } else {
                *self.u.choose(&["s3", "dynamodb"])?
            };
            let w = vec!["endpoint".into(), name, "gateway".into(), svc.into()];
            if self.chance(1, 6)? {
                return Ok(Stmt::new(w));
            }
            // One gateway endpoint route per service per table (E0402).
            let rts: Vec<String> = scope
                .route_tables
                .iter()
                .filter(|t| !scope.gateway_routes.contains(&((*t).clone(), svc)))
                .cloned()
                .collect();
            let chosen = self.names_from(&rts, 2)?;
            scope
                .gateway_routes
                .extend(chosen.iter().map(|t| (t.clone(), svc)));
            let trailing = self.chance(1, 5)?;
            let body = vec![Stmt::new(vec![
                "route_tables".into(),
                list(&chosen, trailing),
            ])];
            Ok(Stmt::with_body(w, body))
        } else {
            self.names.interface_endpoints.push(name.clone());
            let svc = self.u.choose(INTERFACE_SERVICES)?.to_string();
            let w = vec!["endpoint".into(), name, "interface".into(), svc];
            let mut body = Vec::new();
            // Subnets in distinct AZs (E0405 otherwise).
            let mut chosen: Vec<String> = Vec::new();
            let mut azs: Vec<String> = Vec::new();
            for (s, az) in &scope.subnets {
                let Some(az) = az else { continue };
                if !azs.contains(az) && chosen.len() < 2 && self.chance(1, 2)? {
                    chosen.push(s.clone());
                    azs.push(az.clone());
                }
            }
            if chosen.len() == 1 && self.mistake("endpoint-same-az")? {
                chosen.push(chosen[0].clone());
            }
            body.push(Stmt::new(vec!["subnets".into(), list(&chosen, false)]));
            if self.chance(1, 2)? {
                let sgs = scope.sgs.clone();
                body.push(Stmt::new(vec![
                    "security_groups".into(),
                    self.name_list(&sgs, 2)?,
                ]));
            }
            // Private DNS (on by default) needs both DNS attributes on.
            let dns_ok = scope.dns_support && scope.dns_hostnames;
            if !dns_ok && !self.mistake("private-dns")? {
                body.push(Stmt::new(vec!["private_dns".into(), "off".into()]));
            } else if self.chance(1, 3)? {
                body.push(Stmt::new(vec!["private_dns".into(), "on".into()]));
            }
            Ok(Stmt::with_body(w, body))
        }
    }

    fn proto_ports(&mut self, words: &mut Vec<String>) -> Result<()> {
        let proto = *self.u.choose(&["tcp", "udp", "icmp", "all"])?;
        words.push(proto.into());
        if matches!(proto, "tcp" | "udp") && self.chance(3, 4)? {
            words.push(self.ports()?);
        } else if !matches!(proto, "tcp" | "udp") && self.mistake("ports-on-icmp")? {
            words.push("80".into());
        }
        Ok(())
    }

    fn ports(&mut self) -> Result<String> {
        if self.mistake("bad-port")? {
            return Ok(if self.chance(1, 2)? {
                "70000".into()
            } else {
                "500-100".into()
            });
        }
        Ok(match self.range(0, 4)? {
            0 => "22".into(),
            1 => "443".into(),
            2 => "1024-65535".into(),
            3 => "3389".into(),
            _ => self.u.int_in_range(1..=65535u32)?.to_string(),
        })
    }

    fn peer(&mut self, scope: &VpcScope, sg_allowed: bool) -> Result<String> {
        Ok(match self.range(0, 4)? {
            0 => "internet".into(),
            1 if sg_allowed => format!("service {}", self.u.choose(&["s3", "dynamodb"])?),
            2 if !self.names.externals.is_empty() => {
                let ext = self.names.externals.clone();
                self.reference(&ext)?
            }
            3 if sg_allowed && !scope.sgs.is_empty() => {
                let sgs = scope.sgs.clone();
                self.reference(&sgs)?
            }
            4 if sg_allowed && !self.names.prefix_lists.is_empty() => {
                let lists = self.names.prefix_lists.clone();
                self.reference(&lists)?
            }
            _ => {
                let len = self.u.int_in_range(8..=32u8)?;
                let addr = (self.u.int_in_range(1..=223u32)? << 24
                    | self.u.int_in_range(0..=0xFF_FFFFu32)?)
                    & mask(len);
                self.cidr(Net { addr, len })?
            }
        })
    }

    fn security_group(&mut self, name: String, scope: &VpcScope) -> Result<Stmt> {
        let w = vec!["security_group".into(), name];
        if self.chance(1, 8)? {
            return Ok(Stmt::new(w));
        }
        let mut rules = Vec::new();
        for _ in 0..self.range(0, 4)? {
            let ingress = self.chance(2, 3)?;
            let mut r = vec![if ingress { "ingress" } else { "egress" }.to_string()];
            self.proto_ports(&mut r)?;
            r.push(if ingress { "from" } else { "to" }.into());
            r.push(self.peer(scope, true)?);
            rules.push(Stmt::new(r));
        }
        Ok(Stmt::with_body(w, rules))
    }

    fn network_acl(&mut self, name: String) -> Result<Stmt> {
        let w = vec!["network_acl".into(), name];
        if self.chance(1, 8)? {
            return Ok(Stmt::new(w));
        }
        let empty = VpcScope::default();
        let mut rules = Vec::new();
        let mut number = [0u32; 2];
        for _ in 0..self.range(0, 4)? {
            let inbound = self.chance(1, 2)?;
            let n = &mut number[usize::from(inbound)];
            *n += 10 * self.u.int_in_range(1..=10u32)?;
            let mut num = *n;
            if self.mistake("acl-number")? {
                num = *self.u.choose(&[0u32, 32767, 99_999])?;
            }
            let mut r = vec![
                if inbound { "inbound" } else { "outbound" }.to_string(),
                num.to_string(),
            ];
            r.push(if self.chance(3, 4)? { "allow" } else { "deny" }.into());
            self.proto_ports(&mut r)?;
            r.push(if inbound { "from" } else { "to" }.into());
            r.push(self.peer(&empty, false)?);
            rules.push(Stmt::new(r));
        }
        Ok(Stmt::with_body(w, rules))
    }

    fn expect(&mut self) -> Result<Stmt> {
        let mut ends: Vec<String> = Vec::new();
        ends.extend(self.names.instances.iter().cloned());
        ends.extend(self.names.subnets.iter().cloned());
        ends.extend(self.names.externals.iter().cloned());
        ends.extend(self.names.interface_endpoints.iter().cloned());
        let source = if ends.is_empty() || self.chance(1, 6)? {
            "internet".to_string()
        } else {
            self.reference(&ends)?
        };
        let dest = match self.range(0, 5)? {
            0 => "internet".to_string(),
            1 => format!(
                "service {}",
                self.u.choose(&["s3", "dynamodb", "ec2", "ssm"])?
            ),
            _ if !ends.is_empty() => self.reference(&ends)?,
            _ => "internet".to_string(),
        };
        let mut w = vec![
            "expect".into(),
            source,
            if self.chance(2, 3)? { "can" } else { "cannot" }.into(),
            "reach".into(),
            dest,
        ];
        if self.chance(1, 2)? {
            self.proto_ports(&mut w)?;
        }
        if self.chance(1, 4)? {
            let mut via_pool: Vec<String> = Vec::new();
            via_pool.extend(self.names.instances.iter().cloned());
            via_pool.extend(self.names.nats.iter().cloned());
            via_pool.extend(self.names.igws.iter().cloned());
            via_pool.extend(self.names.peerings.iter().cloned());
            via_pool.extend(self.names.interface_endpoints.iter().cloned());
            if !via_pool.is_empty() {
                w.push("via".into());
                let n = self.range(1, 2)?;
                for k in 0..n {
                    let v = self.reference(&via_pool)?;
                    w.push(if k + 1 < n { format!("{v},") } else { v });
                }
            }
        }
        if self.chance(1, 4)? {
            w.push("privately".into());
        }
        Ok(Stmt::new(w))
    }
}

fn mask(len: u8) -> u32 {
    if len == 0 {
        0
    } else {
        u32::MAX << (32 - u32::from(len))
    }
}

fn list(items: &[String], trailing_comma: bool) -> String {
    let mut s = String::from("[");
    s.push_str(&items.join(", "));
    if trailing_comma && !items.is_empty() {
        s.push(',');
    }
    s.push(']');
    s
}
