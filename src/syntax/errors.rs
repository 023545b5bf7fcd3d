//! pest errors → E0001 diagnostics that speak the language, not the grammar.
//!
//! pest reports the rules it tried at the furthest position. Each is renamed
//! to words a user recognises ("a CIDR such as 10.0.0.0/16", "`route`"), and
//! the token found there is quoted from the source.

use pest::error::{Error, ErrorVariant, InputLocation};

use super::grammar::Rule;
use crate::diag::{Code, Diagnostic};
use crate::source::Span;

pub(super) fn syntax_error(src: &str, error: Error<Rule>) -> Diagnostic {
    let mut pos = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let (mut expected, call_limit) = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } => (expected_words(positives), false),
        ErrorVariant::CustomError { message } => (Vec::new(), message.contains("limit")),
    };
    // With error detail on, pest also knows the literal tokens (`->`, `{`,
    // `}`) it wanted at the furthest position; rules alone miss those.
    if let Some(attempts) = error.parse_attempts() {
        let inside_token = attempts
            .call_stacks()
            .iter()
            .any(|s| s.deepest.get_rule().is_some_and(|r| is_lexical(*r)));
        let tokens = token_words(&attempts.expected_tokens());
        if attempts.max_position > pos && !inside_token && !tokens.is_empty() {
            pos = attempts.max_position;
            expected = tokens;
        } else if attempts.max_position == pos && !inside_token {
            // A token a named rule's example already shows (`[` in "a list
            // such as [a, b]") is not listed again.
            for t in tokens {
                let bare = t.trim_matches('`');
                if !expected
                    .iter()
                    .any(|e| e.contains(t.as_str()) || e.contains(bare))
                {
                    expected.push(t);
                }
            }
        }
    }
    let found = found_token(src, pos);
    let found_text = match found {
        Some(tok) => format!("`{}`", printable(tok)),
        None => "end of file".to_string(),
    };
    let span = Span::new(pos, pos + found.map_or(0, str::len));
    if call_limit {
        return Diagnostic::new(
            Code::E0001,
            "file is too deeply nested or too complex to parse",
            span,
            "parsing gave up here",
        )
        .with_note("the parser's call limit guards against pathological input");
    }
    let message = if expected.is_empty() {
        format!("unexpected {found_text}")
    } else {
        format!("expected {}, found {found_text}", join_or(&expected))
    };
    let label = if expected.is_empty() {
        "unexpected here".to_string()
    } else {
        format!("expected {}", join_or(&expected))
    };
    let mut d = Diagnostic::new(Code::E0001, message, span, label);
    if found.is_none()
        && let Some(open) = unclosed_brace(src)
    {
        d = d.with_secondary(Span::new(open, open + 1), "this `{` is never closed");
    }
    if let Some(tok) = found {
        if ["internet", "service", "blackhole", "local"].contains(&tok)
            && expected.iter().any(|e| e == "a name")
        {
            d = d.with_note(format!(
                "`{tok}` is a reserved word and cannot be used as a name"
            ));
        }
        if tok.contains('.')
            && tok
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == '/')
        {
            d = d.with_note("an IPv4 address has four octets, e.g. 10.0.1.10; a CIDR adds a prefix length, e.g. 10.0.0.0/16");
        }
    }
    d
}

/// The byte offset of the last `{` without a matching `}`, skipping
/// comments and strings, for errors at the end of the file.
fn unclosed_brace(src: &str) -> Option<usize> {
    let mut open = Vec::new();
    let mut in_comment = false;
    let mut in_string = false;
    for (i, c) in src.char_indices() {
        match c {
            '\n' => {
                in_comment = false;
                in_string = false;
            }
            _ if in_comment => {}
            '"' => in_string = !in_string,
            _ if in_string => {}
            '#' => in_comment = true,
            '{' => open.push(i),
            '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.pop()
}

/// Rules that match inside one token: an attempt that fails inside them is
/// reported at the token's start, by the rule that wanted the token.
fn is_lexical(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        ipv4 | ipv6 | name | int | ports | string | region_name | az_name | service_name | reserved
    )
}

/// The literal tokens pest wanted, quoted, without whitespace and comments.
///
/// pest does not export its token type, only its `Display` (the literal)
/// and `Debug` (`Sensitive { .. }`, `Range { .. }`); character ranges are
/// parts of lexical rules and say nothing a user needs.
fn token_words<T: std::fmt::Display + std::fmt::Debug>(tokens: &[T]) -> Vec<String> {
    let mut words = Vec::new();
    for t in tokens {
        if format!("{t:?}").starts_with("Sensitive") {
            let token = t.to_string();
            // Pieces of literals (`:` of an IPv6 address, `.`, `/`, `-`,
            // `"`) say nothing a user needs: the rule that wanted the
            // literal is named instead.
            if token.trim().is_empty()
                || ["#", "\u{feff}", ":", ".", "/", "-", "\""].contains(&token.as_str())
            {
                continue;
            }
            let w = format!("`{token}`");
            if !words.contains(&w) {
                words.push(w);
            }
        }
    }
    words
}

/// English for the rules pest tried, deduplicated, in a stable order.
fn expected_words(rules: &[Rule]) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for rule in rules {
        if let Some(w) = rule_words(*rule)
            && !words.iter().any(|x| x == w)
        {
            words.push(w.to_string());
        }
    }
    words.sort_by_key(|w| (w.starts_with('`'), w.clone()));
    words
}

fn rule_words(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "end of file",
        name => "a name",
        cidr => "a CIDR such as 10.0.0.0/16",
        address => "an address such as 10.0.1.10",
        ipv4 | ipv6 => "an address or CIDR",
        int => "a number such as 100",
        ports => "a port such as 443 or a range such as 1024-65535",
        string => "a string in double quotes",
        region_name => "a region name such as eu-west-1",
        az_name => "an availability zone such as `a` or `eu-west-1a`",
        service_name => "a service name such as s3 or ec2",
        boolean => "`on` or `off`",
        protocol => "a protocol (`tcp`, `udp`, `icmp` or `all`)",
        peer => "a peer (a CIDR, `internet`, `service NAME` or a name)",
        flow_end => "an instance, subnet, external, endpoint, `internet` or `service NAME`",
        route_target => "a route target (a gateway, instance, peering or `blackhole`)",
        acl_action => "`allow` or `deny`",
        name_list => "a list such as [a, b]",
        address_list => "a list of addresses such as [10.0.0.2]",
        name_server => "an address or `AmazonProvidedDNS`",
        via_clause => "`via`",
        vpc_body | subnet_body | route_table_body | instance_body => "`{`",
        region_stmt => "`region`",
        external_stmt => "`external`",
        prefix_list_stmt => "`prefix_list`",
        cidr_list => "a list of CIDRs such as [10.50.0.0/16]",
        vpc_stmt => "`vpc`",
        peering_stmt => "`peering`",
        expect_stmt => "`expect`",
        secondary_cidr => "`cidr`",
        ipv6_block | instance_ipv6 => "`ipv6`",
        dns_support => "`dns_support`",
        dns_hostnames => "`dns_hostnames`",
        dhcp_options => "`dhcp_options`",
        domain_name => "`domain_name`",
        name_servers => "`name_servers`",
        ntp_servers => "`ntp_servers`",
        internet_gateway => "`internet_gateway`",
        egress_only_internet_gateway => "`egress_only_internet_gateway`",
        subnet => "`subnet`",
        az_clause => "`az`",
        route_table | route_table_assoc => "`route_table`",
        network_acl | network_acl_assoc => "`network_acl`",
        public_ip_on_launch => "`public_ip_on_launch`",
        nat_gateway => "`nat_gateway`",
        instance => "`instance`",
        public_ip => "`public_ip`",
        security_groups => "`security_groups`",
        source_dest_check => "`source_dest_check`",
        route => "`route`",
        endpoint => "`endpoint`",
        gateway_kind => "`gateway`",
        interface_kind => "`interface`",
        route_tables => "`route_tables`",
        subnets => "`subnets`",
        private_dns => "`private_dns`",
        security_group => "`security_group`",
        sg_rule => "`ingress` or `egress`",
        acl_rule => "`inbound` or `outbound`",
        service_ref => "`service`",
        kw_main => "`main`",
        kw_private => "`private`",
        kw_privately => "`privately`",
        kw_can | kw_cannot => "`can` or `cannot`",
        kw_reach => "`reach`",
        kw_from => "`from`",
        kw_to => "`to`",
        kw_amazon_dns => "`AmazonProvidedDNS`",
        kw_internet => "`internet`",
        kw_blackhole => "`blackhole`",
        kw_gateway => "`gateway`",
        kw_interface => "`interface`",
        _ => return keyword_words(rule),
    })
}

/// Keywords not listed above: a `kw_x` rule reads as "`x`".
fn keyword_words(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        kw_region => "`region`",
        kw_external => "`external`",
        kw_prefix_list => "`prefix_list`",
        kw_max_entries => "`max_entries`",
        kw_vpc => "`vpc`",
        kw_peering => "`peering`",
        kw_expect => "`expect`",
        kw_cidr => "`cidr`",
        kw_ipv6 => "`ipv6`",
        kw_az => "`az`",
        kw_route => "`route`",
        kw_service => "`service`",
        kw_via => "`via`",
        kw_on | kw_off => "`on` or `off`",
        kw_allow | kw_deny => "`allow` or `deny`",
        kw_tcp | kw_udp | kw_icmp | kw_all => "a protocol (`tcp`, `udp`, `icmp` or `all`)",
        _ => return None,
    })
}

/// The token at `pos`: up to the next space or punctuation, at least one
/// character; `None` at the end of the input.
fn found_token(src: &str, pos: usize) -> Option<&str> {
    let rest = src.get(pos..)?;
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':');
    if !is_word(first) {
        if rest.starts_with("->") {
            return rest.get(..2);
        }
        return rest.get(..first.len_utf8());
    }
    let end = rest
        .char_indices()
        .find(|&(_, c)| !is_word(c))
        .map_or(rest.len(), |(i, _)| i);
    // A very long run is shown shortened by the caller's label; keep the span sane.
    rest.get(..end.min(80))
}

/// Makes control characters visible in a quoted token.
fn printable(tok: &str) -> String {
    tok.chars()
        .flat_map(|c| {
            if c.is_control() {
                c.escape_default().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
}

fn join_or(words: &[String]) -> String {
    match words {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
