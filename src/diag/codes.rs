//! The registry of diagnostic codes.
//!
//! Each code is stable: once published it keeps its meaning. The one-line
//! title feeds `vpcc explain --list`, SARIF rule metadata and the docs; the
//! longer explanation with an example lives in `explain/CODE.md` and is what
//! `vpcc explain CODE` prints. A test fails when a code has no fixture under
//! `tests/ui/`.

use super::Severity;

macro_rules! codes {
    ($($code:ident, $sev:ident, $title:literal;)*) => {
        /// A stable diagnostic code such as `E0106`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $($code,)*
        }

        impl Code {
            /// Every code, in order.
            pub const ALL: &'static [Code] = &[$(Code::$code,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$code => stringify!($code),)*
                }
            }

            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$code => Severity::$sev,)*
                }
            }

            /// A one-line summary of the rule.
            pub fn title(self) -> &'static str {
                match self {
                    $(Code::$code => $title,)*
                }
            }

            /// The long explanation with an example (Markdown).
            pub fn explanation(self) -> &'static str {
                match self {
                    $(Code::$code => include_str!(concat!("explain/", stringify!($code), ".md")),)*
                }
            }
        }
    };
}

codes! {
    E0001, Error, "syntax error";
    E0101, Error, "malformed address or CIDR literal";
    E0102, Error, "CIDR has host bits set";
    E0103, Error, "VPC CIDR prefix length outside /16–/28";
    E0104, Error, "subnet CIDR prefix length outside /16–/28";
    E0105, Error, "subnet CIDR not inside any CIDR of its VPC";
    E0106, Error, "two subnets of a VPC overlap";
    E0107, Error, "secondary or link-local VPC CIDR not allowed";
    E0108, Error, "peered VPCs have overlapping CIDRs";
    E0109, Error, "leading zero in an address or prefix length";
    E0110, Error, "IPv6 block of the wrong size (a VPC's is a /56, a subnet's a /64)";
    E0201, Error, "instance address outside its subnet";
    E0202, Error, "address is one of the subnet's five reserved addresses";
    E0203, Error, "two interfaces share an address";
    E0204, Error, "subnet has no free usable address left";
    E0301, Error, "unknown name";
    E0302, Error, "duplicate name";
    E0303, Error, "name of the wrong kind";
    E0304, Error, "reference to something in another VPC";
    E0401, Error, "route to an internet gateway the VPC cannot use";
    E0402, Error, "two routes with the same destination in one route table";
    E0403, Error, "more than one main route table in a VPC";
    E0404, Error, "gateway endpoint for a service other than s3 or dynamodb";
    E0405, Error, "interface endpoint with two subnets in the same AZ";
    E0406, Error, "private DNS needs dns_support and dns_hostnames on";
    E0407, Error, "more than one internet gateway in a VPC";
    E0408, Error, "route destination inside the VPC's own CIDRs";
    E0409, Error, "network ACL rule number invalid or repeated";
    E0410, Error, "setting given more than once";
    E0411, Error, "invalid port or port range";
    E0412, Error, "peer not allowed in this kind of rule";
    E0413, Error, "route destination AWS reserves (169.254.168.0/22)";
    E0414, Error, "too many servers in a DHCP option list";
    E0415, Error, "two peering connections join the same two VPCs";
    E0416, Error, "prefix list entries repeated or beyond its max_entries";
    E0417, Error, "transit gateway attachment with no subnet, a subnet outside its VPC, or two in one AZ";
    E0418, Error, "reference across transit gateways, or a route to a transit gateway the VPC is not attached to";
    E0419, Error, "transit gateway route table learns overlapping CIDRs from two attachments";
    E0420, Error, "VPN to an external that is not on_premises";
    E0421, Error, "a second virtual private gateway in a VPC, or one used from another VPC";
    E0422, Error, "route target that does not carry the destination's address family";
    E0501, Error, "expectation does not hold";
    E0701, Error, "the file says something AWS templates cannot express";
    W0601, Warning, "public NAT gateway in a subnet without a route to an internet gateway";
    W0602, Warning, "SSH or RDP open to the whole internet";
    W0603, Warning, "route table not used by any subnet or endpoint";
    W0604, Warning, "instance used as a route target with source_dest_check on";
    W0605, Warning, "subnet routes through a NAT gateway in another AZ";
    W0606, Warning, "private DNS cannot resolve: DHCP name servers exclude AmazonProvidedDNS";
    W0607, Warning, "external on a private range, which an internet gateway never carries";
    W0608, Warning, "DHCP name servers mix the Amazon resolver with other servers";
    W0609, Warning, "allow comment suppresses nothing";
    W0610, Warning, "`vpcc:` comment that cannot be read";
    W0611, Warning, "route table, security group or network ACL past its default AWS quota";
    W0612, Warning, "one CIDR in two prefix lists routed to different targets";
    W0613, Warning, "overlapping CIDRs on one transit gateway, not learned by one table";
    W0614, Warning, "route that no address ever takes (more specific routes cover it)";
    W0615, Warning, "VPN route inside the VPC's own block (the local route always wins)";
}

impl Code {
    /// Looks a code up by its text, case-insensitively (`e0106` works).
    pub fn parse(text: &str) -> Option<Code> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where the code reference is published: `docs/codes.md` in the
/// repository (`repository` in Cargo.toml), on the main branch. SARIF
/// rules link there (`helpUri`), so code scanning's "learn more" opens the
/// code's explanation.
pub const DOCS_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "/blob/main/docs/codes.md");

impl Code {
    /// The code's section of the published reference:
    /// `…/docs/codes.md#e0102`.
    pub fn help_uri(self) -> String {
        format!("{DOCS_URL}#{}", self.as_str().to_ascii_lowercase())
    }
}

/// `docs/codes.md`: every code with its level, title and explanation, one
/// section per code (anchor `#e0102`), generated from this registry. A test
/// keeps the committed file equal to it.
pub fn reference_markdown() -> String {
    let mut out = String::from(
        "<!-- Generated from src/diag/codes.rs and src/diag/explain/: run \
         `VPCC_BLESS=1 cargo test --test ui` after changing them. -->\n\n\
         # Diagnostic codes\n\n\
         Every code vpcc reports, as `vpcc explain CODE` prints it. Errors are \
         designs AWS refuses or that cannot work; warnings can be silenced \
         ([Suppressing a warning](diagnostics.md#suppressing-a-warning)).\n",
    );
    for code in Code::ALL {
        let level = match code.severity() {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        out.push_str(&format!(
            "\n## {}\n\n**{level}**: {}\n\n",
            code.as_str(),
            code.title()
        ));
        // The explanations' own headings, if any, sit below the code's
        // (a `#` inside a fenced block is a comment, not a heading).
        let mut fenced = false;
        for line in code.explanation().trim_end().lines() {
            if line.starts_with("```") {
                fenced = !fenced;
            } else if !fenced && line.starts_with('#') {
                out.push_str("##");
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
