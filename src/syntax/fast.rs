//! The fast path: a hand-written, byte-level recursive-descent parser that
//! builds the same [`File`] as pest plus `lower.rs`, about ten times faster.
//!
//! It is an exact transcription of `grammar/vpc.pest` as a PEG, for valid
//! files only. Whenever the input is anything else (a syntax error, a
//! literal that lowering would report as E0101, an IPv6 literal, any
//! construct this file does not handle), it returns `None` and
//! [`super::parse`] runs pest, so every diagnostic still comes from the pest
//! path. Returning `None` is always safe; returning a tree is a promise that
//! pest would have accepted the file and lowered it to an equal tree.
//! `tests/fast_parser.rs` holds it to that promise.
//!
//! How it mirrors pest:
//!
//! - pest puts an implicit `skip` (whitespace and comments) between the
//!   elements of every sequence in a non-atomic rule. Here, `skip()` is
//!   called at exactly those places. Every span ends at its last token
//!   ([`Parser::end`]), never after the trivia a skip passed over, as
//!   lowering trims pest's spans.
//! - A keyword `kw_x = @{ "x" ~ !ident_char }` matches exactly when the
//!   longest run of name characters at the position is `x`, so keywords and
//!   names are compared as whole words.
//! - Ordered choices whose alternatives start with different words become a
//!   dispatch on the word; an optional part is taken when its first word or
//!   byte is there, and then must match in full (else `None`).
//! - In a place that takes a CIDR or an address, pest tries `ipv6` first;
//!   it matches when hex digits are followed by `:`, and lowering then
//!   reports E0101. [`Parser::ipv6_ahead`] detects that and gives up.
//!
//! The grammar has no recursive rule, so neither has this parser: deep
//! nesting cannot overflow the stack (it is a syntax error at the second
//! brace, and pest reports it).

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{Ipv4Net, Ipv6Net};

use super::ast::*;
use crate::source::Span;

/// Parses a whole file, or `None` when pest must decide.
pub(super) fn parse(src: &str) -> Option<File> {
    let mut p = Parser {
        s: src.as_bytes(),
        src,
        pos: 0,
        trivia: (0, 0),
    };
    p.file()
}

/// `ident_char` of the grammar: what may continue a name or end a keyword.
fn is_ident(b: u8) -> bool {
    IDENT[usize::from(b)]
}

/// [`is_ident`] as a table: the scanner's innermost loop.
static IDENT: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'_' || c == b'-';
        b += 1;
    }
    t
};

/// Words that can never be a name (`reserved` of the grammar).
fn is_reserved(w: &[u8]) -> bool {
    matches!(w, b"internet" | b"service" | b"blackhole" | b"local")
}

/// The value of a run of decimal digits as `lower::int` computes it: values
/// too large for `u32` saturate to `u32::MAX`.
fn int_value(digits: &[u8]) -> u32 {
    const CAP: u64 = 1 << 32;
    let mut v: u64 = 0;
    for &d in digits {
        v = (v * 10 + u64::from(d.wrapping_sub(b'0'))).min(CAP);
    }
    u32::try_from(v).unwrap_or(u32::MAX)
}

struct Parser<'a> {
    s: &'a [u8],
    src: &'a str,
    /// Always `<= s.len()`.
    pos: usize,
    /// The last run of trivia [`Parser::skip`] passed over, `start..end`.
    trivia: (usize, usize),
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn at(&self, b: u8) -> bool {
        self.peek() == Some(b)
    }

    fn at_digit(&self) -> bool {
        self.peek().is_some_and(|b| b.is_ascii_digit())
    }

    /// A literal byte (`"{"`, `","`...).
    fn byte(&mut self, b: u8) -> Option<()> {
        if self.at(b) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    fn text(&self, start: usize, end: usize) -> Option<&'a str> {
        self.src.get(start..end)
    }

    /// pest's implicit whitespace: spaces, tabs, CR, LF, U+FEFF and
    /// comments (`#` up to, not including, the newline), in any mix.
    fn skip(&mut self) {
        let from = self.pos;
        self.skip_trivia();
        if self.pos != from {
            // Two skips in a row make one run.
            if from != self.trivia.1 {
                self.trivia.0 = from;
            }
            self.trivia.1 = self.pos;
        }
    }

    /// The end of the last token: `pos`, unless `pos` is just after
    /// trivia, where it is where the trivia began.
    fn end(&self) -> usize {
        if self.pos == self.trivia.1 {
            self.trivia.0
        } else {
            self.pos
        }
    }

    fn skip_trivia(&mut self) {
        loop {
            match self.s.get(self.pos) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => self.pos += 1,
                Some(0xEF) if self.s.get(self.pos + 1..self.pos + 3) == Some(&[0xBB, 0xBF]) => {
                    self.pos += 3
                }
                Some(b'#') => {
                    let rest = self.s.get(self.pos..).unwrap_or_default();
                    match rest.iter().position(|&b| b == b'\n') {
                        Some(i) => self.pos += i,
                        None => self.pos = self.s.len(),
                    }
                }
                _ => return,
            }
        }
    }

    /// The end of the run of bytes from `from` that satisfy `f`.
    #[inline(always)]
    fn run_end(&self, from: usize, f: impl Fn(u8) -> bool) -> usize {
        let mut end = from;
        while let Some(&b) = self.s.get(end) {
            if !f(b) {
                break;
            }
            end += 1;
        }
        end
    }

    /// The longest run of name characters at `pos` (possibly empty).
    fn word(&self) -> &'a [u8] {
        let end = self.run_end(self.pos, is_ident);
        self.s.get(self.pos..end).unwrap_or_default()
    }

    /// Consumes the word at `pos`, which must be `kw`; its span.
    fn kw(&mut self, kw: &[u8]) -> Option<Span> {
        if self.word() == kw {
            let start = self.pos;
            self.pos += kw.len();
            Some(Span::new(start, self.end()))
        } else {
            None
        }
    }

    /// Consumes `w`, the word at `pos` (from [`Parser::word`]).
    fn take(&mut self, w: &[u8]) -> Span {
        let start = self.pos;
        self.pos += w.len();
        Span::new(start, self.end())
    }

    /// `name`: a word starting with a letter or `_`, not reserved. Does not
    /// move on failure, so it doubles as a test.
    fn name(&mut self) -> Option<Name> {
        let first = self.peek()?;
        if !(first.is_ascii_alphabetic() || first == b'_') {
            return None;
        }
        let w = self.word();
        if is_reserved(w) {
            return None;
        }
        let start = self.pos;
        let end = start + w.len();
        let text = self.text(start, end)?.to_string();
        self.pos = end;
        Some(Name {
            text,
            span: Span::new(start, end),
        })
    }

    /// A run `first ~ rest*` of single bytes (region, zone, service names).
    fn lexeme(&mut self, first: fn(u8) -> bool, rest: fn(u8) -> bool) -> Option<(String, Span)> {
        let start = self.pos;
        if !first(self.peek()?) {
            return None;
        }
        let end = self.run_end(start + 1, rest);
        let text = self.text(start, end)?.to_string();
        self.pos = end;
        Some((text, Span::new(start, end)))
    }

    /// `service_name`, e.g. `s3`, `ecr.api`.
    fn service_name(&mut self) -> Option<ServiceName> {
        let (text, span) = self.lexeme(
            |b| b.is_ascii_alphabetic(),
            |b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'),
        )?;
        Some(ServiceName { text, span })
    }

    /// A run of decimal digits (at least one): its value and span.
    fn digits(&mut self) -> Option<(u32, Span)> {
        let start = self.pos;
        let end = self.run_end(start, |b| b.is_ascii_digit());
        if end == start {
            return None;
        }
        let v = int_value(self.s.get(start..end)?);
        self.pos = end;
        Some((v, Span::new(start, end)))
    }

    /// An octet or prefix length: digits without a leading zero (lowering
    /// reports `010` as E0109; a lone `0` is fine).
    fn decimal(&mut self) -> Option<u32> {
        let (v, span) = self.digits()?;
        let leading_zero =
            span.end - span.start > 1 && self.s.get(span.start as usize) == Some(&b'0');
        (!leading_zero).then_some(v)
    }

    /// Whether pest's `ipv6` would match here (hex digits, then `:`).
    /// Lowering rejects every IPv6 literal, so the caller gives up.
    fn ipv6_ahead(&self) -> bool {
        let end = self.run_end(self.pos, |b| b.is_ascii_hexdigit());
        self.s.get(end) == Some(&b':')
    }

    /// `ipv4` with valid octets: the address, the prefix length if written,
    /// and the span. `None` for anything lowering would report.
    fn ipv4(&mut self) -> Option<(Ipv4Addr, Option<u32>, Span)> {
        let start = self.pos;
        let mut octets = [0u8; 4];
        for (i, o) in octets.iter_mut().enumerate() {
            if i > 0 {
                self.byte(b'.')?;
            }
            *o = u8::try_from(self.decimal()?).ok()?;
        }
        let prefix = if self.at(b'/') {
            self.pos += 1;
            Some(self.decimal()?)
        } else {
            None
        };
        Some((Ipv4Addr::from(octets), prefix, Span::new(start, self.end())))
    }

    /// `cidr`, valid (a prefix length ≤ 32 is written).
    fn cidr(&mut self) -> Option<Cidr> {
        if self.ipv6_ahead() {
            return None;
        }
        let (addr, prefix, span) = self.ipv4()?;
        let prefix = u8::try_from(prefix?).ok()?;
        let net = Ipv4Net::new(addr, prefix).ok()?;
        Some(Cidr { net, span })
    }

    /// pest's `ipv6` where an IPv6 block or address is asked for: the
    /// address, the prefix length if written, and the span. `None` for
    /// anything lowering would report (and for leading zeros in the
    /// prefix, which pest handles alike but are rare enough to leave it).
    fn ipv6(&mut self) -> Option<(Ipv6Addr, Option<u8>, Span)> {
        if !self.ipv6_ahead() {
            return None;
        }
        let start = self.pos;
        let end = self.run_end(self.pos, |b| {
            b.is_ascii_hexdigit() || b == b':' || b == b'.'
        });
        let addr: Ipv6Addr = self.text(start, end)?.parse().ok()?;
        self.pos = end;
        let prefix = if self.at(b'/') {
            self.pos += 1;
            let p = u8::try_from(self.decimal()?).ok()?;
            (p <= 128).then_some(p)?;
            Some(p)
        } else {
            None
        };
        Some((addr, prefix, Span::new(start, self.end())))
    }

    /// `ipv6 CIDR` after its keyword: a valid IPv6 block.
    fn ipv6_block(&mut self) -> Option<Cidr6> {
        self.kw(b"ipv6")?;
        self.skip();
        let (addr, prefix, span) = self.ipv6()?;
        let net = Ipv6Net::new(addr, prefix?).ok()?;
        Some(Cidr6 { net, span })
    }

    /// Whether a CIDR or address starts here (pest would try one).
    fn literal_ahead(&self) -> bool {
        self.at_digit() || self.ipv6_ahead()
    }

    /// `address`, valid (no prefix length).
    fn address(&mut self) -> Option<Address> {
        if self.ipv6_ahead() {
            return None;
        }
        let (addr, prefix, span) = self.ipv4()?;
        if prefix.is_some() {
            return None;
        }
        Some(Address { addr, span })
    }

    /// `kw ~ boolean?` after the keyword (whose span is `kw`): the flag.
    /// Leaves `pos` after the trailing whitespace when the value is absent,
    /// as pest does.
    fn flag(&mut self, kw: Span) -> Flag {
        self.skip();
        let w = self.word();
        match w {
            b"on" => Flag {
                value: true,
                span: self.take(w),
            },
            b"off" => Flag {
                value: false,
                span: self.take(w),
            },
            _ => Flag {
                value: true,
                span: kw,
            },
        }
    }

    /// `"[" ~ (name ~ ("," ~ name)* ~ ","?)? ~ "]"`
    fn name_list(&mut self) -> Option<NameList> {
        let start = self.pos;
        self.byte(b'[')?;
        self.skip();
        let mut items = Vec::new();
        if let Some(n) = self.name() {
            items.push(n);
            loop {
                self.skip();
                if self.byte(b',').is_none() {
                    break;
                }
                self.skip();
                match self.name() {
                    Some(n) => items.push(n),
                    None => break,
                }
            }
        }
        self.skip();
        self.byte(b']')?;
        Some(NameList {
            items,
            span: Span::new(start, self.end()),
        })
    }

    /// `"[" ~ (x ~ ("," ~ x)* ~ ","?)? ~ "]"` where `x` starts when
    /// `ahead` says so and then must parse.
    fn bracket_list<T>(
        &mut self,
        ahead: fn(&Self) -> bool,
        item: fn(&mut Self) -> Option<T>,
    ) -> Option<Vec<T>> {
        self.byte(b'[')?;
        self.skip();
        let mut items = Vec::new();
        if ahead(self) {
            items.push(item(self)?);
            loop {
                self.skip();
                if self.byte(b',').is_none() {
                    break;
                }
                self.skip();
                if !ahead(self) {
                    break;
                }
                items.push(item(self)?);
            }
        }
        self.skip();
        self.byte(b']')?;
        Some(items)
    }

    /// `"{" ~ item* ~ "}"`, where `item` parses one item or fails.
    fn braces<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.byte(b'{')?;
        let mut items = Vec::new();
        loop {
            self.skip();
            if self.byte(b'}').is_some() {
                return Some(items);
            }
            items.push(item(self)?);
        }
    }

    fn protocol(&mut self) -> Option<Protocol> {
        let w = self.word();
        let kind = match w {
            b"tcp" => ProtocolKind::Tcp,
            b"udp" => ProtocolKind::Udp,
            b"icmp" => ProtocolKind::Icmp,
            b"all" => ProtocolKind::All,
            _ => return None,
        };
        Some(Protocol {
            kind,
            span: self.take(w),
        })
    }

    /// `ports = @{ D+ ~ ("-" ~ D+)? }`
    fn ports(&mut self) -> Option<Ports> {
        let start = self.pos;
        let (first, _) = self.digits()?;
        let mut last = first;
        if self.at(b'-') && self.s.get(self.pos + 1).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
            last = self.digits()?.0;
        }
        Some(Ports {
            first,
            last,
            span: Span::new(start, self.end()),
        })
    }

    /// `service_ref = { kw_service ~ service_name }`, after the keyword
    /// check: the service and the span of the whole reference.
    fn service_ref(&mut self) -> Option<(ServiceName, Span)> {
        let start = self.pos;
        self.kw(b"service")?;
        self.skip();
        let s = self.service_name()?;
        Some((s, Span::new(start, self.end())))
    }

    /// `peer = { kw_internet | service_ref | cidr | name }`
    fn peer(&mut self) -> Option<Peer> {
        if self.ipv6_ahead() {
            let (addr, prefix, span) = self.ipv6()?;
            let net = Ipv6Net::new(addr, prefix?).ok()?;
            return Some(Peer::Cidr6(Cidr6 { net, span }));
        }
        if self.at_digit() {
            return Some(Peer::Cidr(self.cidr()?));
        }
        let w = self.word();
        match w {
            b"internet" => Some(Peer::Internet(self.take(w))),
            b"service" => {
                let (s, sp) = self.service_ref()?;
                Some(Peer::Service(s, sp))
            }
            _ => Some(Peer::Name(self.name()?)),
        }
    }

    /// `flow_end = { kw_internet | service_ref | name }`
    fn flow_end(&mut self) -> Option<FlowEnd> {
        let w = self.word();
        match w {
            b"internet" => Some(FlowEnd::Internet(self.take(w))),
            b"service" => {
                let (s, sp) = self.service_ref()?;
                Some(FlowEnd::Service(s, sp))
            }
            _ => Some(FlowEnd::Name(self.name()?)),
        }
    }

    /// `[PORTS] from|to PEER`, from just after the protocol.
    fn ports_and_peer(&mut self, dir: &[u8]) -> Option<(Option<Ports>, Peer)> {
        self.skip();
        let ports = if self.at_digit() {
            Some(self.ports()?)
        } else {
            None
        };
        self.skip();
        self.kw(dir)?;
        self.skip();
        Some((ports, self.peer()?))
    }

    // --- top level ----------------------------------------------------------

    fn file(&mut self) -> Option<File> {
        let mut items = Vec::new();
        self.skip();
        while self.pos < self.s.len() {
            let w = self.word();
            let item = match w {
                b"vpc" => Item::Vpc(self.vpc()?),
                b"peering" => Item::Peering(self.peering()?),
                b"expect" => Item::Expect(self.expect()?),
                b"external" => Item::External(self.external()?),
                b"prefix_list" => Item::PrefixList(self.prefix_list()?),
                b"transit_gateway" => Item::TransitGateway(self.transit_gateway()?),
                b"region" => Item::Region(self.region()?),
                _ => return None,
            };
            items.push(item);
            self.skip();
        }
        Some(File { items })
    }

    fn region(&mut self) -> Option<Region> {
        let start = self.pos;
        self.kw(b"region")?;
        self.skip();
        let (text, span) = self.lexeme(
            |b| b.is_ascii_alphabetic(),
            |b| b.is_ascii_alphanumeric() || b == b'-',
        )?;
        Some(Region {
            name: Name { text, span },
            span: Span::new(start, self.end()),
        })
    }

    fn external(&mut self) -> Option<External> {
        let start = self.pos;
        self.kw(b"external")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let mut cidrs = vec![self.cidr()?];
        loop {
            self.skip();
            if self.byte(b',').is_none() {
                break;
            }
            let after_comma = self.pos;
            self.skip();
            if !self.literal_ahead() {
                // A trailing comma ends the statement.
                self.pos = after_comma;
                break;
            }
            cidrs.push(self.cidr()?);
        }
        self.skip();
        let on_premises = self.kw(b"on_premises");
        Some(External {
            name,
            cidrs,
            on_premises,
            span: Span::new(start, self.end()),
        })
    }

    /// `kw_transit_gateway ~ name ~ "{" ~ tgw_item* ~ "}"`
    fn transit_gateway(&mut self) -> Option<TransitGateway> {
        let start = self.pos;
        self.kw(b"transit_gateway")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let items = self.braces(Self::tgw_item)?;
        Some(TransitGateway {
            name,
            items,
            span: Span::new(start, self.end()),
        })
    }

    fn tgw_item(&mut self) -> Option<TgwItem> {
        match self.word() {
            b"attach" => self.tgw_attach().map(TgwItem::Attach),
            b"route_table" => self.tgw_route_table().map(TgwItem::RouteTable),
            b"vpn" => self.tgw_vpn().map(TgwItem::Vpn),
            b"security_group_referencing" => {
                let start = self.pos;
                let w = self.word();
                let kw = self.take(w);
                let f = self.flag(kw);
                Some(TgwItem::SgReferencing(f, Span::new(start, self.end())))
            }
            _ => None,
        }
    }

    fn tgw_route_table(&mut self) -> Option<TgwRouteTable> {
        let start = self.pos;
        self.kw(b"route_table")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let has_body = self.at(b'{');
        let mut items = Vec::new();
        if has_body {
            items = self.braces(|p| match p.word() {
                b"propagate" => {
                    let start = p.pos;
                    p.kw(b"propagate")?;
                    p.skip();
                    let list = p.name_list()?;
                    Some(TgwTableItem::Propagate(list, Span::new(start, p.end())))
                }
                b"route" => p
                    .route()
                    .filter(|r| !matches!(r.destination, RouteDestination::Cidr6(_)))
                    .map(TgwTableItem::Route),
                _ => None,
            })?;
        }
        Some(TgwRouteTable {
            name,
            items,
            has_body,
            span: Span::new(start, self.end()),
        })
    }

    /// `kw_attach ~ name ~ kw_vpc ~ name ~ kw_subnets ~ name_list ~ kw_route_table ~ name`
    fn tgw_attach(&mut self) -> Option<TgwAttach> {
        let start = self.pos;
        self.kw(b"attach")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        self.kw(b"vpc")?;
        self.skip();
        let vpc = self.name()?;
        self.skip();
        self.kw(b"subnets")?;
        self.skip();
        let subnets = self.name_list()?;
        self.skip();
        self.kw(b"route_table")?;
        self.skip();
        let route_table = self.name()?;
        Some(TgwAttach {
            name,
            vpc,
            subnets,
            route_table,
            span: Span::new(start, self.end()),
        })
    }

    /// `kw_vpn ~ name ~ kw_to ~ name ~ kw_routes ~ cidr_list ~ kw_route_table ~ name`
    fn tgw_vpn(&mut self) -> Option<TgwVpn> {
        let start = self.pos;
        let c = self.vgw_vpn()?;
        self.skip();
        self.kw(b"route_table")?;
        self.skip();
        let route_table = self.name()?;
        Some(TgwVpn {
            name: c.name,
            to: c.to,
            routes: c.routes,
            routes_span: c.routes_span,
            route_table,
            span: Span::new(start, self.end()),
        })
    }

    /// `kw_vpn_gateway ~ name ~ vgw_body?`
    fn vpn_gateway(&mut self) -> Option<VpnGateway> {
        let start = self.pos;
        self.kw(b"vpn_gateway")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let has_body = self.at(b'{');
        let mut vpns = Vec::new();
        if has_body {
            vpns = self.braces(Self::vgw_vpn)?;
        }
        Some(VpnGateway {
            name,
            vpns,
            has_body,
            span: Span::new(start, self.end()),
        })
    }

    /// `kw_vpn ~ name ~ kw_to ~ name ~ kw_routes ~ cidr_list`: a virtual
    /// private gateway's VPN, and the head of a transit gateway's.
    fn vgw_vpn(&mut self) -> Option<VgwVpn> {
        let start = self.pos;
        self.kw(b"vpn")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        self.kw(b"to")?;
        self.skip();
        let to = self.name()?;
        self.skip();
        self.kw(b"routes")?;
        self.skip();
        let list_start = self.pos;
        let routes = self.bracket_list(Self::literal_ahead, Self::cidr)?;
        let routes_span = Span::new(list_start, self.end());
        Some(VgwVpn {
            name,
            to,
            routes,
            routes_span,
            span: Span::new(start, self.end()),
        })
    }

    /// `kw_prefix_list ~ name ~ cidr_list ~ kw_max_entries ~ int`
    fn prefix_list(&mut self) -> Option<PrefixList> {
        let start = self.pos;
        self.kw(b"prefix_list")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let list_start = self.pos;
        let entries = self.bracket_list(Self::literal_ahead, Self::cidr)?;
        let entries_span = Span::new(list_start, self.end());
        self.skip();
        self.kw(b"max_entries")?;
        self.skip();
        let (max_entries, max_entries_span) = self.digits()?;
        Some(PrefixList {
            name,
            entries,
            entries_span,
            max_entries,
            max_entries_span,
            span: Span::new(start, self.end()),
        })
    }

    fn peering(&mut self) -> Option<Peering> {
        let start = self.pos;
        self.kw(b"peering")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let a = self.name()?;
        self.skip();
        let b = self.name()?;
        Some(Peering {
            name,
            a,
            b,
            span: Span::new(start, self.end()),
        })
    }

    fn expect(&mut self) -> Option<Expect> {
        let start = self.pos;
        self.kw(b"expect")?;
        self.skip();
        let source = self.flow_end()?;
        self.skip();
        let w = self.word();
        let can = match w {
            b"cannot" => false,
            b"can" => true,
            _ => return None,
        };
        self.take(w);
        self.skip();
        self.kw(b"reach")?;
        self.skip();
        let destination = self.flow_end()?;
        self.skip();
        let mut protocol = None;
        let mut ports = None;
        if let Some(p) = self.protocol() {
            protocol = Some(p);
            self.skip();
            if self.at_digit() {
                ports = Some(self.ports()?);
            }
        }
        self.skip();
        let ipv6 = self.kw(b"ipv6");
        self.skip();
        let mut via = Vec::new();
        if self.kw(b"via").is_some() {
            self.skip();
            via.push(self.name()?);
            loop {
                let save = self.pos;
                self.skip();
                if self.byte(b',').is_none() {
                    self.pos = save;
                    break;
                }
                self.skip();
                via.push(self.name()?);
            }
        }
        self.skip();
        let privately = self.kw(b"privately");
        Some(Expect {
            source,
            can,
            destination,
            protocol,
            ports,
            via,
            privately,
            ipv6,
            span: Span::new(start, self.end()),
        })
    }

    fn vpc(&mut self) -> Option<Vpc> {
        let start = self.pos;
        self.kw(b"vpc")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let cidr = self.cidr()?;
        self.skip();
        let mut items = Vec::new();
        let has_body = self.at(b'{');
        if has_body {
            items = self.braces(Self::vpc_item)?;
        }
        Some(Vpc {
            name,
            cidr,
            items,
            has_body,
            span: Span::new(start, self.end()),
        })
    }

    fn vpc_item(&mut self) -> Option<VpcItem> {
        let start = self.pos;
        let w = self.word();
        let item = match w {
            b"subnet" => VpcItem::Subnet(self.subnet()?),
            b"security_group" => VpcItem::SecurityGroup(self.security_group()?),
            b"route_table" => VpcItem::RouteTable(self.route_table()?),
            b"network_acl" => VpcItem::NetworkAcl(self.network_acl()?),
            b"endpoint" => VpcItem::Endpoint(self.endpoint()?),
            b"vpn_gateway" => VpcItem::VpnGateway(self.vpn_gateway()?),
            b"internet_gateway" => {
                self.take(w);
                self.skip();
                let name = self.name()?;
                VpcItem::InternetGateway(InternetGateway {
                    name,
                    span: Span::new(start, self.end()),
                })
            }
            b"egress_only_internet_gateway" => {
                self.take(w);
                self.skip();
                let name = self.name()?;
                VpcItem::EgressOnlyGateway(InternetGateway {
                    name,
                    span: Span::new(start, self.end()),
                })
            }
            b"cidr" => {
                self.take(w);
                self.skip();
                let c = self.cidr()?;
                VpcItem::SecondaryCidr(c, Span::new(start, self.end()))
            }
            b"ipv6" => {
                let c = self.ipv6_block()?;
                VpcItem::Ipv6Cidr(c, Span::new(start, self.end()))
            }
            b"dns_support" => {
                let kw = self.take(w);
                let f = self.flag(kw);
                VpcItem::DnsSupport(f, Span::new(start, self.end()))
            }
            b"dns_hostnames" => {
                let kw = self.take(w);
                let f = self.flag(kw);
                VpcItem::DnsHostnames(f, Span::new(start, self.end()))
            }
            b"dhcp_options" => VpcItem::DhcpOptions(self.dhcp_options()?),
            _ => return None,
        };
        Some(item)
    }

    fn dhcp_options(&mut self) -> Option<DhcpOptions> {
        let start = self.pos;
        self.kw(b"dhcp_options")?;
        self.skip();
        let items = self.braces(Self::dhcp_item)?;
        Some(DhcpOptions {
            items,
            span: Span::new(start, self.end()),
        })
    }

    fn dhcp_item(&mut self) -> Option<DhcpItem> {
        let start = self.pos;
        let w = self.word();
        match w {
            b"domain_name" => {
                self.take(w);
                self.skip();
                let s_start = self.pos;
                self.byte(b'"')?;
                let rest = self.s.get(self.pos..)?;
                let len = rest.iter().position(|&b| b == b'"' || b == b'\n')?;
                if rest.get(len) != Some(&b'"') {
                    return None;
                }
                self.pos += len + 1;
                let quoted = self.text(s_start, self.pos)?;
                Some(DhcpItem::DomainName(
                    quoted.trim_matches('"').to_string(),
                    Span::new(start, self.end()),
                ))
            }
            b"name_servers" => {
                self.take(w);
                self.skip();
                let servers = self.bracket_list(
                    |p| p.word() == b"AmazonProvidedDNS" || p.literal_ahead(),
                    |p| {
                        let w = p.word();
                        if w == b"AmazonProvidedDNS" {
                            Some(NameServer::AmazonProvidedDns(p.take(w)))
                        } else {
                            Some(NameServer::Address(p.address()?))
                        }
                    },
                )?;
                Some(DhcpItem::NameServers(servers, Span::new(start, self.end())))
            }
            b"ntp_servers" => {
                self.take(w);
                self.skip();
                let addrs = self.bracket_list(Self::literal_ahead, Self::address)?;
                Some(DhcpItem::NtpServers(addrs, Span::new(start, self.end())))
            }
            _ => None,
        }
    }

    fn subnet(&mut self) -> Option<Subnet> {
        let start = self.pos;
        self.kw(b"subnet")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let cidr = self.cidr()?;
        self.skip();
        let mut ipv6 = None;
        if self.word() == b"ipv6" {
            ipv6 = Some(self.ipv6_block()?);
            self.skip();
        }
        let mut az = None;
        if self.kw(b"az").is_some() {
            self.skip();
            let (text, span) = self.lexeme(
                |b| b.is_ascii_alphanumeric(),
                |b| b.is_ascii_alphanumeric() || b == b'-',
            )?;
            az = Some(Az { text, span });
        }
        self.skip();
        let mut items = Vec::new();
        let has_body = self.at(b'{');
        if has_body {
            items = self.braces(Self::subnet_item)?;
        }
        Some(Subnet {
            name,
            cidr,
            ipv6,
            az,
            items,
            has_body,
            span: Span::new(start, self.end()),
        })
    }

    fn subnet_item(&mut self) -> Option<SubnetItem> {
        let start = self.pos;
        let w = self.word();
        let item = match w {
            b"instance" => SubnetItem::Instance(self.instance()?),
            b"route_table" => {
                self.take(w);
                self.skip();
                let n = self.name()?;
                SubnetItem::RouteTable(n, Span::new(start, self.end()))
            }
            b"network_acl" => {
                self.take(w);
                self.skip();
                let n = self.name()?;
                SubnetItem::NetworkAcl(n, Span::new(start, self.end()))
            }
            b"nat_gateway" => {
                self.take(w);
                self.skip();
                let name = self.name()?;
                self.skip();
                let private = self.kw(b"private");
                SubnetItem::NatGateway(NatGateway {
                    name,
                    private,
                    span: Span::new(start, self.end()),
                })
            }
            b"public_ip_on_launch" => {
                let kw = self.take(w);
                let f = self.flag(kw);
                SubnetItem::PublicIpOnLaunch(f, Span::new(start, self.end()))
            }
            _ => return None,
        };
        Some(item)
    }

    fn instance(&mut self) -> Option<Instance> {
        let start = self.pos;
        self.kw(b"instance")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let address = if self.literal_ahead() {
            Some(self.address()?)
        } else {
            None
        };
        self.skip();
        let mut ipv6 = None;
        let w = self.word();
        if w == b"ipv6" {
            let kw = self.take(w);
            self.skip();
            let addr = if self.ipv6_ahead() {
                let (addr, prefix, span) = self.ipv6()?;
                if prefix.is_some() {
                    return None;
                }
                Some(Address6 { addr, span })
            } else if self.at_digit() {
                return None;
            } else {
                None
            };
            let end = addr.map_or(kw.end as usize, |a| a.span.end as usize);
            ipv6 = Some(InstanceIpv6 {
                addr,
                span: Span::new(kw.start as usize, end),
            });
            self.skip();
        }
        let mut items = Vec::new();
        let has_body = self.at(b'{');
        if has_body {
            items = self.braces(Self::instance_item)?;
        }
        Some(Instance {
            name,
            address,
            ipv6,
            items,
            has_body,
            span: Span::new(start, self.end()),
        })
    }

    fn instance_item(&mut self) -> Option<InstanceItem> {
        let start = self.pos;
        let w = self.word();
        let item = match w {
            b"security_groups" => {
                self.take(w);
                self.skip();
                let l = self.name_list()?;
                InstanceItem::SecurityGroups(l, Span::new(start, self.end()))
            }
            b"public_ip" => {
                let kw = self.take(w);
                let f = self.flag(kw);
                InstanceItem::PublicIp(f, Span::new(start, self.end()))
            }
            b"source_dest_check" => {
                let kw = self.take(w);
                let f = self.flag(kw);
                InstanceItem::SourceDestCheck(f, Span::new(start, self.end()))
            }
            _ => return None,
        };
        Some(item)
    }

    fn route_table(&mut self) -> Option<RouteTable> {
        let start = self.pos;
        self.kw(b"route_table")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let main = self.kw(b"main");
        self.skip();
        let mut routes = Vec::new();
        let mut propagate = Vec::new();
        let has_body = self.at(b'{');
        if has_body {
            let items = self.braces(|p| match p.word() {
                b"propagate" => {
                    let start = p.pos;
                    p.kw(b"propagate")?;
                    p.skip();
                    let n = p.name()?;
                    Some(Err((n, Span::new(start, p.end()))))
                }
                _ => p.route().map(Ok),
            })?;
            for i in items {
                match i {
                    Ok(r) => routes.push(r),
                    Err(p) => propagate.push(p),
                }
            }
        }
        Some(RouteTable {
            name,
            main,
            routes,
            propagate,
            has_body,
            span: Span::new(start, self.end()),
        })
    }

    fn route(&mut self) -> Option<Route> {
        let start = self.pos;
        self.kw(b"route")?;
        self.skip();
        let destination = if self.ipv6_ahead() {
            let (addr, prefix, span) = self.ipv6()?;
            let net = Ipv6Net::new(addr, prefix?).ok()?;
            RouteDestination::Cidr6(Cidr6 { net, span })
        } else if self.literal_ahead() {
            RouteDestination::Cidr(self.cidr()?)
        } else {
            RouteDestination::PrefixList(self.name()?)
        };
        self.skip();
        self.byte(b'-')?;
        self.byte(b'>')?;
        self.skip();
        let w = self.word();
        let target = if w == b"blackhole" {
            RouteTarget::Blackhole(self.take(w))
        } else {
            RouteTarget::Name(self.name()?)
        };
        Some(Route {
            destination,
            target,
            span: Span::new(start, self.end()),
        })
    }

    fn endpoint(&mut self) -> Option<Endpoint> {
        let start = self.pos;
        self.kw(b"endpoint")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let w = self.word();
        let is_gateway = match w {
            b"gateway" => true,
            b"interface" => false,
            _ => return None,
        };
        let keyword = self.take(w);
        self.skip();
        let service = self.service_name()?;
        self.skip();
        let has_body = self.at(b'{');
        let kind = if is_gateway {
            let mut items = Vec::new();
            if has_body {
                items = self.braces(|p| {
                    let s = p.pos;
                    p.kw(b"route_tables")?;
                    p.skip();
                    let l = p.name_list()?;
                    Some(GatewayItem::RouteTables(l, Span::new(s, p.end())))
                })?;
            }
            EndpointKind::Gateway { keyword, items }
        } else {
            let mut items = Vec::new();
            if has_body {
                items = self.braces(Self::interface_item)?;
            }
            EndpointKind::Interface { keyword, items }
        };
        let span = Span::new(start, self.end());
        Some(Endpoint {
            name,
            service,
            kind,
            has_body,
            span,
        })
    }

    fn interface_item(&mut self) -> Option<InterfaceItem> {
        let start = self.pos;
        let w = self.word();
        let item = match w {
            b"subnets" => {
                self.take(w);
                self.skip();
                let l = self.name_list()?;
                InterfaceItem::Subnets(l, Span::new(start, self.end()))
            }
            b"security_groups" => {
                self.take(w);
                self.skip();
                let l = self.name_list()?;
                InterfaceItem::SecurityGroups(l, Span::new(start, self.end()))
            }
            b"private_dns" => {
                let kw = self.take(w);
                let f = self.flag(kw);
                InterfaceItem::PrivateDns(f, Span::new(start, self.end()))
            }
            _ => return None,
        };
        Some(item)
    }

    fn security_group(&mut self) -> Option<SecurityGroup> {
        let start = self.pos;
        self.kw(b"security_group")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let mut rules = Vec::new();
        let has_body = self.at(b'{');
        if has_body {
            rules = self.braces(Self::sg_rule)?;
        }
        let span = Span::new(start, self.end());
        Some(SecurityGroup {
            name,
            rules,
            has_body,
            span,
        })
    }

    fn sg_rule(&mut self) -> Option<SgRule> {
        let start = self.pos;
        let w = self.word();
        let (direction, dir_kw): (Direction, &[u8]) = match w {
            b"ingress" => (Direction::In, b"from"),
            b"egress" => (Direction::Out, b"to"),
            _ => return None,
        };
        self.take(w);
        self.skip();
        let protocol = self.protocol()?;
        let (ports, peer) = self.ports_and_peer(dir_kw)?;
        Some(SgRule {
            direction,
            protocol,
            ports,
            peer,
            span: Span::new(start, self.end()),
        })
    }

    fn network_acl(&mut self) -> Option<NetworkAcl> {
        let start = self.pos;
        self.kw(b"network_acl")?;
        self.skip();
        let name = self.name()?;
        self.skip();
        let mut rules = Vec::new();
        let has_body = self.at(b'{');
        if has_body {
            rules = self.braces(Self::acl_rule)?;
        }
        let span = Span::new(start, self.end());
        Some(NetworkAcl {
            name,
            rules,
            has_body,
            span,
        })
    }

    fn acl_rule(&mut self) -> Option<AclRule> {
        let start = self.pos;
        let w = self.word();
        let (direction, dir_kw): (Direction, &[u8]) = match w {
            b"inbound" => (Direction::In, b"from"),
            b"outbound" => (Direction::Out, b"to"),
            _ => return None,
        };
        self.take(w);
        self.skip();
        let (number, number_span) = self.digits()?;
        self.skip();
        let w = self.word();
        let allow = match w {
            b"allow" => true,
            b"deny" => false,
            _ => return None,
        };
        self.take(w);
        self.skip();
        let protocol = self.protocol()?;
        let (ports, peer) = self.ports_and_peer(dir_kw)?;
        Some(AclRule {
            direction,
            number,
            number_span,
            allow,
            protocol,
            ports,
            peer,
            span: Span::new(start, self.end()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn int_value_saturates_like_lowering() {
        assert_eq!(int_value(b"0"), 0);
        assert_eq!(int_value(b"010"), 10);
        assert_eq!(int_value(b"4294967295"), u32::MAX);
        assert_eq!(int_value(b"4294967296"), u32::MAX);
        assert_eq!(int_value(b"99999999999999999999999999"), u32::MAX);
        assert_eq!(int_value(b"0000000000000000000000000065535"), 65535);
    }

    #[test]
    fn skip_handles_comments_bom_and_crlf() {
        let src = "\u{FEFF} # c\r\n\t#\n  x";
        let mut p = Parser {
            s: src.as_bytes(),
            src,
            pos: 0,
            trivia: (0, 0),
        };
        p.skip();
        assert_eq!(p.peek(), Some(b'x'));
        assert_eq!(p.end(), 0, "a span ends before the trivia");
    }

    #[test]
    fn gives_up_on_what_lowering_reports() {
        for src in [
            "vpc a 10.0.0.0",      // missing prefix
            "vpc a 10.0.0.0/33",   // prefix out of range
            "vpc a 10.0.0.256/16", // octet out of range
            "vpc a 2001:db8::/32", // IPv6
            "vpc a 10.0.0.0/16 { subnet s 10.0.0.0/24 { instance i 10.0.0.5/32 } }",
            "vpc a 10.0.0.0/16 x",      // syntax error
            "vpc internet 10.0.0.0/16", // reserved word as a name
        ] {
            assert!(parse(src).is_none(), "{src}");
        }
    }
}
