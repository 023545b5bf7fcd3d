//! Layout and comment-placement cases, each a minimal input and the
//! expected output. Every case is also checked to be idempotent.

use super::format;

#[track_caller]
fn check(input: &str, expected: &str) {
    let got = match format(input) {
        Ok(s) => s,
        Err(d) => panic!("input does not parse: {d:?}"),
    };
    assert_eq!(
        got, expected,
        "\n--- got ---\n{got}--- expected ---\n{expected}"
    );
    let again = format(&got).unwrap_or_else(|d| panic!("output does not parse: {d:?}"));
    assert_eq!(again, got, "not idempotent");
}

#[test]
fn messy_layout_becomes_canonical() {
    check(
        "region   eu-west-1 external office 203.0.113.0/24 ,198.51.100.0/24,\n\
         vpc main 10.0.0.0/16{dns_hostnames on internet_gateway igw subnet a 10.0.1.0/24 az a{route_table rt\n\
         instance web 10.0.1.10 {public_ip security_groups [ web-sg , ]}}\n\
         route_table rt main { route 0.0.0.0/0->igw }   security_group web-sg{ingress tcp 443 from internet}}\n\
         expect internet can reach web tcp 443\n\n\n\nexpect web can reach internet via igw, igw",
        "region eu-west-1

external office 203.0.113.0/24, 198.51.100.0/24

vpc main 10.0.0.0/16 {
  dns_hostnames on
  internet_gateway igw

  subnet a 10.0.1.0/24 az a {
    route_table rt
    instance web 10.0.1.10 {
      public_ip
      security_groups [web-sg]
    }
  }

  route_table rt main {
    route 0.0.0.0/0 -> igw
  }

  security_group web-sg {
    ingress tcp 443 from internet
  }
}

expect internet can reach web tcp 443
expect web can reach internet via igw, igw
",
    );
}

#[test]
fn flags_keep_their_spelling() {
    check(
        "vpc v 10.0.0.0/16 { dns_support dns_hostnames off subnet s 10.0.1.0/24 { public_ip_on_launch \
         instance i { public_ip on source_dest_check off } instance j { public_ip source_dest_check } } }",
        "vpc v 10.0.0.0/16 {
  dns_support
  dns_hostnames off

  subnet s 10.0.1.0/24 {
    public_ip_on_launch
    instance i {
      public_ip on
      source_dest_check off
    }
    instance j {
      public_ip
      source_dest_check
    }
  }
}
",
    );
}

#[test]
fn every_statement_form() {
    check(
        "vpc v 10.0.0.0/16 {
  cidr 10.1.0.0/16
  dhcp_options { domain_name \"corp.example\" name_servers [AmazonProvidedDNS, 10.0.0.2,] ntp_servers [169.254.169.123] }
  subnet s 10.0.1.0/24 az eu-west-1a { network_acl acl nat_gateway n private instance i }
  subnet t 10.0.2.0/24
  subnet u 10.0.3.0/24 {}
  route_table r { route 10.9.0.0/16 -> blackhole route 10.8.0.0/16 -> pcx }
  endpoint g gateway s3 { route_tables [r] }
  endpoint e interface ecr.api { subnets [s] security_groups [sg] private_dns off }
  endpoint bare interface ec2
  security_group sg { ingress udp 1000-2000 from 10.0.0.0/8 egress tcp 443 to service s3 egress icmp to internet }
  network_acl acl { inbound 100 allow tcp 22 from office outbound 200 deny all to 0.0.0.0/0 }
}
vpc w 10.2.0.0/16
vpc x 10.3.0.0/16
peering pcx v w
expect i cannot reach service s3 tcp privately
",
        "vpc v 10.0.0.0/16 {
  cidr 10.1.0.0/16
  dhcp_options {
    domain_name \"corp.example\"
    name_servers [AmazonProvidedDNS, 10.0.0.2]
    ntp_servers [169.254.169.123]
  }

  subnet s 10.0.1.0/24 az eu-west-1a {
    network_acl acl
    nat_gateway n private
    instance i
  }

  subnet t 10.0.2.0/24
  subnet u 10.0.3.0/24 {}

  route_table r {
    route 10.9.0.0/16 -> blackhole
    route 10.8.0.0/16 -> pcx
  }

  endpoint g gateway s3 {
    route_tables [r]
  }

  endpoint e interface ecr.api {
    subnets [s]
    security_groups [sg]
    private_dns off
  }

  endpoint bare interface ec2

  security_group sg {
    ingress udp 1000-2000 from 10.0.0.0/8
    egress tcp 443 to service s3
    egress icmp to internet
  }

  network_acl acl {
    inbound 100 allow tcp 22 from office
    outbound 200 deny all to 0.0.0.0/0
  }
}

vpc w 10.2.0.0/16
vpc x 10.3.0.0/16

peering pcx v w

expect i cannot reach service s3 tcp privately
",
    );
}

#[test]
fn literals_are_printed_as_written() {
    check(
        "external e 10.0.0.1/32\nvpc v 10.0.0.1/16 { security_group s { ingress tcp 022-0443 from 10.0.0.0/8 } }\n",
        "external e 10.0.0.1/32

vpc v 10.0.0.1/16 {
  security_group s {
    ingress tcp 022-0443 from 10.0.0.0/8
  }
}
",
    );
}

/// A leading zero in an address is E0109, found while parsing, so fmt
/// refuses the file instead of picking a reading (issue 21 item 8).
#[test]
fn leading_zeros_in_addresses_are_not_formatted() {
    let codes: Vec<&str> = format("vpc v 010.0.0.0/16\n")
        .expect_err("E0109")
        .iter()
        .map(|d| d.code.as_str())
        .collect();
    assert_eq!(codes, ["E0109"]);
}

#[test]
fn trailing_comments_stay_on_their_line() {
    check(
        "region x   # the region\nvpc v 10.0.0.0/16 { # the vpc\n  internet_gateway igw#gw\n  subnet s 10.0.1.0/24 { route_table r } # closing\n} # end of v\n",
        "region x # the region

vpc v 10.0.0.0/16 { # the vpc
  internet_gateway igw #gw

  subnet s 10.0.1.0/24 {
    route_table r
  } # closing
} # end of v
",
    );
}

#[test]
fn own_line_comments_go_with_the_next_statement() {
    check(
        "# header\nregion x\n# about v\n\n\n# more about v\nvpc v 10.0.0.0/16 {\n\n\n  # about igw\n  internet_gateway igw\n  # about s\n  subnet s 10.0.1.0/24\n}\n",
        "# header
region x

# about v

# more about v
vpc v 10.0.0.0/16 {
  # about igw
  internet_gateway igw

  # about s
  subnet s 10.0.1.0/24
}
",
    );
}

#[test]
fn comments_before_a_closing_brace_stay_inside() {
    check(
        "vpc v 10.0.0.0/16 {\n  route_table r main {\n    # only local\n  }\n  subnet s 10.0.1.0/24 {\n    route_table r\n\n    # last words\n  }\n  # end of vpc\n}\n# end of file\n",
        "vpc v 10.0.0.0/16 {
  route_table r main {
    # only local
  }

  subnet s 10.0.1.0/24 {
    route_table r

    # last words
  }
  # end of vpc
}
# end of file
",
    );
}

#[test]
fn comments_after_a_statement_with_an_optional_tail() {
    // pest lets `expect ... [privately]` swallow what follows it, comments
    // included; the comment still belongs to the next statement.
    check(
        "expect a can reach b\n# why c\nexpect c can reach d tcp 22 # trailing\n# last\n",
        "expect a can reach b
# why c
expect c can reach d tcp 22 # trailing
# last
",
    );
}

#[test]
fn comments_inside_a_one_line_statement_move_above_it() {
    check(
        "external office # the office\n  203.0.113.0/24, # first range\n  198.51.100.0/24\n\
         vpc v # head comment\n  10.0.0.0/16\n{\n  subnet s 10.0.1.0/24 { instance i { security_groups [\n    a, # first\n    b\n  ] } }\n}\n",
        "# the office
# first range
external office 203.0.113.0/24, 198.51.100.0/24

# head comment
vpc v 10.0.0.0/16 {
  subnet s 10.0.1.0/24 {
    instance i {
      # first
      security_groups [a, b]
    }
  }
}
",
    );
}

#[test]
fn hash_inside_a_string_is_kept() {
    check(
        "vpc v 10.0.0.0/16 { dhcp_options { domain_name \"a#b\" # real comment\n } }",
        "vpc v 10.0.0.0/16 {
  dhcp_options {
    domain_name \"a#b\" # real comment
  }
}
",
    );
}

#[test]
fn an_empty_block_with_only_a_comment_after_its_brace() {
    check(
        "vpc v 10.0.0.0/16 { security_group s { # nothing yet\n } }",
        "vpc v 10.0.0.0/16 {
  security_group s { # nothing yet
  }
}
",
    );
}

#[test]
fn bodies_are_kept_exactly_when_written() {
    check(
        "vpc v 10.0.0.0/16 {\n}\nvpc w 10.1.0.0/16 { security_group s}\n",
        "vpc v 10.0.0.0/16 {}\n\nvpc w 10.1.0.0/16 {\n  security_group s\n}\n",
    );
    check(
        "vpc w 10.1.0.0/16 { security_group s # {\n network_acl a # {\n{} endpoint e interface ec2}",
        "vpc w 10.1.0.0/16 {\n  security_group s # {\n\n  # {\n  network_acl a {}\n\n  endpoint e interface ec2\n}\n",
    );
}

#[test]
fn empty_and_comment_only_files() {
    check("", "");
    check("\n\n  \n", "");
    check(
        "\n\n# just a note\n\n\n# and another\n",
        "# just a note\n\n# and another\n",
    );
}

#[test]
fn crlf_input_gives_lf_output() {
    check(
        "region x\r\n# c\r\nexternal e 1.2.3.4/32\r\n",
        "region x\n\n# c\nexternal e 1.2.3.4/32\n",
    );
}

#[test]
fn syntax_errors_are_returned_not_formatted() {
    let Err(diagnostics) = format("vpc main {") else {
        panic!("a file with a syntax error was formatted")
    };
    assert_eq!(diagnostics[0].code, crate::diag::Code::E0001);
    let Err(diagnostics) = format("external e 10.0.0.256/32") else {
        panic!("a bad literal was formatted")
    };
    assert_eq!(diagnostics[0].code, crate::diag::Code::E0101);
}
