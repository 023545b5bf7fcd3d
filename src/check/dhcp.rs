//! DHCP option limits.

use super::*;

/// E0414: AWS takes at most four IPv4 name servers (or three and
/// AmazonProvidedDNS) and at most four IPv4 NTP servers in a DHCP option
/// set (aws-facts §9, DHCPOptionSet.html).
pub(super) fn dhcp_limits(item: &ast::DhcpItem, diags: &mut Vec<Diagnostic>) {
    match item {
        ast::DhcpItem::NameServers(list, sp) => {
            let amazon = list
                .iter()
                .any(|n| matches!(n, ast::NameServer::AmazonProvidedDns(_)));
            let addresses = list
                .iter()
                .filter(|n| matches!(n, ast::NameServer::Address(_)))
                .count();
            let limit = if amazon { 3 } else { 4 };
            if addresses > limit {
                let (label, note) = if amazon {
                    (
                        format!("AmazonProvidedDNS and {addresses} addresses"),
                        "a DHCP option set takes up to four IPv4 name servers, or three and AmazonProvidedDNS",
                    )
                } else {
                    (
                        format!("{addresses} addresses"),
                        "a DHCP option set takes up to four IPv4 name servers",
                    )
                };
                let first_extra = list
                    .iter()
                    .filter(|n| matches!(n, ast::NameServer::Address(_)))
                    .nth(limit)
                    .map_or(*sp, ast::NameServer::span);
                diags.push(
                    Diagnostic::new(
                        Code::E0414,
                        format!(
                            "`name_servers` lists {} servers, more than AWS allows",
                            list.len()
                        ),
                        first_extra,
                        "one server too many",
                    )
                    .with_secondary(*sp, label)
                    .with_note(note)
                    .with_help(format!(
                        "keep at most {limit} addresses{}",
                        if amazon {
                            " besides AmazonProvidedDNS"
                        } else {
                            ""
                        }
                    )),
                );
            }
        }
        ast::DhcpItem::NtpServers(list, sp) if list.len() > 4 => {
            diags.push(
                Diagnostic::new(
                    Code::E0414,
                    format!(
                        "`ntp_servers` lists {} servers, more than AWS allows",
                        list.len()
                    ),
                    list[4].span,
                    "one server too many",
                )
                .with_secondary(*sp, format!("{} addresses", list.len()))
                .with_note("a DHCP option set takes up to four IPv4 NTP servers")
                .with_help("keep at most 4 addresses, e.g. Amazon Time Sync at 169.254.169.123"),
            );
        }
        _ => {}
    }
}
