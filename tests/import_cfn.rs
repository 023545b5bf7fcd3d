//! `vpcc import cloudformation`: every example survives `vpcc export`
//! (YAML and JSON) and the import with the same route model, rules and
//! reachability matrix; a hand-written template's intrinsics (short-form
//! tags, Fn::Cidr, Fn::Select, Fn::GetAZs, parameters, conditions) decide
//! the facts of the output; what is not modelled is a warning; bad input
//! exits 2.

mod support;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use support::cli::{Run, vpcc};
use support::fixture::{examples, root};

const SHORT_FORM: &str = "tests/import/cfn-short-form.yaml";

fn ok(run: Run, what: &str) -> Run {
    assert_eq!(run.code, 0, "{what}: {}", run.stderr_head());
    run
}

fn json_of(args: &[&str]) -> Value {
    let run = vpcc(args);
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", run.stderr_head()))
}

fn import(template: &Path, params: &[&str]) -> Run {
    let mut args = vec![
        "import".to_string(),
        "cloudformation".to_string(),
        template.display().to_string(),
    ];
    for p in params {
        args.push("--param".to_string());
        args.push((*p).to_string());
    }
    vpcc(&args)
}

// ---------------------------------------------------------------------------
// The comparison of scripts/roundtrip.py `compare`: the facts of `vpcc
// routes --format json` and `vpcc report --format json` that an export and
// import keep, keyed by what they are about.

fn field<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn items<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

fn name(v: &Value) -> String {
    field(v, "name").as_str().unwrap_or("").to_string()
}

fn facts(routes: &Value, report: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    let externals: BTreeMap<String, Value> = items(routes, "externals")
        .iter()
        .map(|e| (name(e), field(e, "cidrs").clone()))
        .collect();
    // A file without `region` names zones by letter; the export puts them in
    // the deploy region's zones in order, which the import names.
    let zone = |az: &Value| match az.as_str() {
        Some(a) if routes["region"].is_null() && a.len() == 1 => json!(format!("us-east-1{a}")),
        _ => az.clone(),
    };
    for s in items(routes, "subnets") {
        let rs: Vec<Value> = items(s, "routes")
            .iter()
            .map(|r| json!([r["destination"], r["target"], r["target_kind"]]))
            .collect();
        out.insert(
            format!("subnet {}", name(s)),
            json!({
                "vpc": s["vpc"], "cidr": s["cidr"], "az": zone(field(s, "az")),
                "kind": s["kind"], "route_table": s["route_table"],
                "network_acl": s["network_acl"], "public_ip_on_launch": s["public_ip_on_launch"],
                "routes": rs,
            }),
        );
    }
    for v in items(routes, "vpcs") {
        let d = field(v, "dhcp_options");
        out.insert(
            format!("vpc {}", name(v)),
            json!({
                "cidrs": v["cidrs"], "dns_support": v["dns_support"],
                "dns_hostnames": v["dns_hostnames"], "internet_gateway": v["internet_gateway"],
                "name_servers": [d["amazon_provided_dns"], d["name_servers"]],
                "domain_name": d["domain_name"], "ntp_servers": d["ntp_servers"],
            }),
        );
    }
    for i in items(routes, "interfaces") {
        if i["kind"] == "instance" {
            out.insert(
                format!("instance {}", name(i)),
                json!([i["subnet"], i["address"], i["public_ip"]]),
            );
        }
    }
    for g in items(routes, "security_groups") {
        if g["default"] == json!(true) {
            continue;
        }
        let mut dirs = serde_json::Map::new();
        for d in ["ingress", "egress"] {
            let mut rules: Vec<String> = Vec::new();
            for r in items(g, d) {
                let kind = r["peer_kind"].as_str().unwrap_or("");
                let cidrs = match kind {
                    "external" => externals
                        .get(r["peer"].as_str().unwrap_or(""))
                        .cloned()
                        .unwrap_or(Value::Null),
                    "internet" => json!(["0.0.0.0/0"]),
                    _ => json!([r["peer"]]),
                };
                let kind = if matches!(kind, "external" | "internet" | "cidr") {
                    "cidr"
                } else {
                    kind
                };
                for c in cidrs.as_array().into_iter().flatten() {
                    rules.push(json!([r["protocol"], r["ports"], kind, c]).to_string());
                }
            }
            rules.sort();
            rules.dedup();
            dirs.insert(d.to_string(), json!(rules));
        }
        out.insert(format!("security group {}", name(g)), Value::Object(dirs));
    }
    for a in items(routes, "network_acls") {
        if a["default"] == json!(true) {
            continue;
        }
        let rules = |d: &str| -> Vec<Value> {
            items(a, d)
                .iter()
                .map(|r| {
                    json!([
                        r["number"],
                        r["action"],
                        r["protocol"],
                        r["ports"],
                        r["cidrs"]
                    ])
                })
                .collect()
        };
        out.insert(
            format!("network ACL {}", name(a)),
            json!({"inbound": rules("inbound"), "outbound": rules("outbound")}),
        );
    }
    for e in items(routes, "endpoints") {
        let mut e = e.clone();
        let key = format!("endpoint {}", name(&e));
        if let Some(m) = e.as_object_mut() {
            for k in ["name", "service_name", "interfaces"] {
                m.remove(k);
            }
        }
        out.insert(key, e);
    }
    for p in items(routes, "peerings") {
        out.insert(format!("peering {}", name(p)), p.clone());
    }
    // Transit gateways: each table (its associations, propagations and
    // routes in match order) and each attachment, by name.
    for g in items(routes, "transit_gateways") {
        for t in items(g, "route_tables") {
            let mut sorted = t.clone();
            for k in ["associations", "propagations"] {
                let mut v: Vec<String> = items(t, k)
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect();
                v.sort();
                sorted[k] = json!(v);
            }
            out.insert(
                format!("transit gateway {} table {}", name(g), name(t)),
                sorted,
            );
        }
        for a in items(g, "attachments") {
            out.insert(
                format!("transit gateway {} attachment {}", name(g), name(a)),
                a.clone(),
            );
        }
    }
    // Rows and columns in source order, which the import does not keep:
    // compared as sets.
    let m = field(report, "matrix");
    let mut labels = |key: &str| {
        let mut l: Vec<String> = items(m, key)
            .iter()
            .map(|x| x["label"].as_str().unwrap_or("").to_string())
            .collect();
        l.sort();
        out.insert(format!("matrix {key}"), json!(l));
    };
    labels("sources");
    labels("destinations");
    for c in items(m, "cells") {
        out.insert(
            format!(
                "matrix {} -> {}",
                c["from"].as_str().unwrap_or(""),
                c["to"].as_str().unwrap_or("")
            ),
            c["summary"].clone(),
        );
    }
    out
}

/// The facts that differ, one line each.
fn differences(a: &BTreeMap<String, Value>, b: &BTreeMap<String, Value>) -> Vec<String> {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    keys.into_iter()
        .filter(|k| a.get(*k) != b.get(*k))
        .map(|k| {
            format!(
                "{k}:\n  original: {}\n  imported: {}",
                a.get(k).unwrap_or(&Value::Null),
                b.get(k).unwrap_or(&Value::Null)
            )
        })
        .collect()
}

fn facts_of(file: &Path) -> BTreeMap<String, Value> {
    let f = file.to_str().expect("a UTF-8 path");
    let routes = json_of(&["routes", f, "--format", "json"]);
    let report = json_of(&["report", f, "--format", "json"]);
    assert!(
        routes.get("subnets").is_some() && report.get("matrix").is_some(),
        "{f}: no model"
    );
    facts(&routes, &report)
}

/// Exports `file` in `format`, imports the template and returns the
/// import's text (with the original's externals added back: AWS keeps
/// only their CIDRs, which the rules name) and the import's stderr.
fn export_import(file: &Path, format: &str, dir: &Path, params: &[&str]) -> (PathBuf, String) {
    let f = file.to_str().expect("a UTF-8 path");
    let template = dir.join(format!("template.{format}"));
    ok(
        vpcc([
            "export",
            f,
            "--format",
            format,
            "-o",
            template.to_str().expect("a UTF-8 path"),
        ]),
        "export",
    );
    let run = ok(import(&template, params), "import cloudformation");
    let routes = json_of(&["routes", f, "--format", "json"]);
    let mut text = run.stdout.clone();
    assert_eq!(
        vpc::fmt::format(&text).expect("the import parses"),
        text,
        "the import is canonical"
    );
    for e in items(&routes, "externals") {
        // An on-premises network behind a VPN comes back from the import
        // itself (named by its customer gateway).
        if text.contains(&format!("external {} ", name(e))) {
            continue;
        }
        let cidrs: Vec<&str> = items(e, "cidrs").iter().filter_map(Value::as_str).collect();
        text.push_str(&format!("external {} {}\n", name(e), cidrs.join(", ")));
    }
    let out = dir.join(format!("imported-{format}.vpc"));
    std::fs::write(&out, text).expect("the temporary directory is writable");
    (out, run.stderr)
}

#[test]
fn every_example_round_trips_through_cloudformation_yaml_and_json() {
    let all = examples();
    assert!(all.len() >= 6, "{all:?}");
    let mut failed = Vec::new();
    let mut checked = 0;
    for (file, text) in &all {
        // CloudFormation refuses a transit gateway VPN (E0701,
        // tests/export.rs); a gateway it can express round-trips in
        // `an_exported_transit_gateway_round_trips_through_cloudformation`.
        if !cloudformation_exports(text) {
            continue;
        }
        let path = root().join("examples").join(file);
        let original = facts_of(&path);
        assert!(
            original
                .keys()
                .any(|k| k.starts_with("matrix ") && k.contains(" -> ")),
            "{file}: an empty matrix proves nothing"
        );
        for format in ["cloudformation", "cloudformation-json"] {
            let dir = tempfile::tempdir().unwrap();
            let (imported, stderr) = export_import(&path, format, dir.path(), &[]);
            let check = vpcc(["check", imported.to_str().unwrap()]);
            assert_eq!(
                check.code,
                0,
                "{file} via {format}: the import does not check:\n{}\n{}",
                check.stdout_head(),
                check.stderr_head()
            );
            assert!(
                !check.stderr.contains("warning"),
                "{file} via {format}: {}",
                check.stderr_head()
            );
            assert!(
                !stderr.contains("warning:"),
                "{file} via {format}: an export of vpcc imports without warnings:\n{stderr}"
            );
            let diffs = differences(&original, &facts_of(&imported));
            if !diffs.is_empty() {
                failed.push(format!("{file} via {format}:\n{}", diffs.join("\n")));
            }
            checked += 1;
        }
    }
    let exported = all
        .iter()
        .filter(|(_, text)| cloudformation_exports(text))
        .count();
    assert_eq!(checked, 2 * exported);
    assert!(failed.is_empty(), "{}", failed.join("\n\n"));
}

/// Whether `vpcc export` writes the file as CloudFormation.
fn cloudformation_exports(src: &str) -> bool {
    let c = vpc::compile(src);
    let m = c.model.as_ref().expect("a model");
    let plan = vpc::export::plan(m, "f.vpc").expect("exports");
    vpc::export::cfn_errors(m, &plan).is_empty()
}

/// The comparison can fail: a port changed in the template is found in the
/// group's rules and in the matrix.
#[test]
fn the_round_trip_comparison_finds_a_changed_rule() {
    let dir = tempfile::tempdir().unwrap();
    let path = root().join("examples/nat-bastion-endpoints.vpc");
    let original = facts_of(&path);
    let template = dir.path().join("template.yaml");
    ok(
        vpcc([
            "export",
            path.to_str().unwrap(),
            "--format",
            "cloudformation",
            "-o",
            template.to_str().unwrap(),
        ]),
        "export",
    );
    let yaml = std::fs::read_to_string(&template).unwrap();
    // The bastion group's ingress rule from the admins' block: port 22.
    let marker = "\"203.0.113.0/24\"";
    let at = yaml.find(marker).expect("the admins' CIDR in the template");
    let head = &yaml[..at];
    let rule_start = head
        .rfind("Type: \"AWS::EC2::SecurityGroupIngress\"")
        .unwrap();
    let changed = format!(
        "{}{}{}",
        &yaml[..rule_start],
        yaml[rule_start..at]
            .replace("FromPort: 22", "FromPort: 2222")
            .replace("ToPort: 22", "ToPort: 2222"),
        &yaml[at..]
    );
    assert_ne!(changed, yaml);
    std::fs::write(&template, changed).unwrap();
    let run = ok(import(&template, &[]), "import");
    let imported = dir.path().join("imported.vpc");
    std::fs::write(&imported, &run.stdout).unwrap();
    let diffs = differences(&original, &facts_of(&imported)).join("\n");
    assert!(diffs.contains("security group bastion-sg"), "{diffs}");
    assert!(diffs.contains("matrix "), "{diffs}");
}

// ---------------------------------------------------------------------------
// A hand-written template.

fn subnet_line<'a>(text: &'a str, name: &str) -> &'a str {
    text.lines()
        .find(|l| l.trim_start().starts_with(&format!("subnet {name} ")))
        .unwrap_or_else(|| panic!("no subnet {name} in:\n{text}"))
}

#[test]
fn intrinsics_decide_the_facts_of_a_hand_written_template() {
    let path = root().join(SHORT_FORM);
    let run = ok(import(&path, &[]), "import");
    let text = &run.stdout;
    // The defaults: VpcCidr 10.20.0.0/16, Env prod, region us-east-1.
    assert!(text.starts_with("region us-east-1\n"), "{text}");
    assert!(text.contains("vpc prod-vpc 10.20.0.0/16 { # Vpc"), "{text}");
    // Fn::Cidr [block, 4, 8] gives the /24s 0..3; Fn::Select picks them;
    // Fn::GetAZs "" and Fn::GetAZs {Ref: AWS::Region} the zones.
    let blocks = vpc::import::cloudformation::cidr("10.20.0.0/16", 4, 8).unwrap();
    assert_eq!(blocks.len(), 4);
    for (name, block, az) in [
        ("public-a", &blocks[0], "a"),
        ("public-b", &blocks[1], "b"),
        ("app-a", &blocks[3], "a"),
    ] {
        assert_eq!(
            subnet_line(text, name).trim(),
            format!(
                "subnet {name} {block} az {az} {{ # {}",
                match name {
                    "public-a" => "PublicA",
                    "public-b" => "PublicB",
                    _ => "AppA",
                }
            )
        );
    }
    assert_eq!(
        subnet_line(text, "public-a").trim(),
        "subnet public-a 10.20.0.0/24 az a { # PublicA"
    );
    assert_eq!(
        subnet_line(text, "app-a").trim(),
        "subnet app-a 10.20.3.0/24 az a { # AppA"
    );
    // Fn::Split, Fn::If on IsProd, Fn::FindInMap, GetAtt GroupId.
    assert!(text.contains("instance bastion 10.20.0.10 {"), "{text}");
    assert!(text.contains("instance app 10.20.3.10 {"), "{text}");
    assert!(text.contains("ingress tcp 8080 from bastion-sg"), "{text}");
    assert!(
        text.contains("ingress tcp 22 from 198.51.100.0/24"),
        "{text}"
    );
    assert!(text.contains("route 0.0.0.0/0 -> nat-a"), "{text}");
    assert!(text.contains("route 0.0.0.0/0 -> igw"), "{text}");
    assert!(text.contains("dns_hostnames on"), "{text}");
    // A transit gateway without tables or attachments is imported as one.
    assert!(text.contains("transit_gateway Tgw { # Tgw\n}"), "{text}");
    // What is not modelled is a warning naming the logical id.
    let w = &run.stderr;
    assert!(w.contains("warning: Logs: AWS::S3::Bucket left out"), "{w}");
    assert_eq!(w.lines().count(), 1, "{w}");
    // The import checks, and the network does what the template says.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("imported.vpc");
    std::fs::write(
        &file,
        format!(
            "{text}\nexpect bastion can reach app tcp 8080\nexpect bastion cannot reach app tcp 22\nexternal admins 198.51.100.0/24\nexpect admins can reach bastion tcp 22\nexpect internet cannot reach app\nexpect app can reach internet tcp 443 via nat-a\n"
        ),
    )
    .unwrap();
    let check = vpcc(["check", file.to_str().unwrap()]);
    assert_eq!(
        check.code,
        0,
        "{}{}",
        check.stdout_head(),
        check.stderr_head()
    );
}

#[test]
fn params_override_defaults_and_conditions_follow_them() {
    let path = root().join(SHORT_FORM);
    let run = ok(
        import(
            &path,
            &["VpcCidr=10.30.0.0/16", "Env=test", "AWS::Region=eu-west-1"],
        ),
        "import",
    );
    let text = &run.stdout;
    assert!(text.starts_with("region eu-west-1\n"), "{text}");
    assert!(text.contains("vpc test-vpc 10.30.0.0/16 {"), "{text}");
    assert_eq!(
        subnet_line(text, "public-a").trim(),
        "subnet public-a 10.30.0.0/24 az a { # PublicA"
    );
    assert_eq!(
        subnet_line(text, "public-b").trim(),
        "subnet public-b 10.30.1.0/24 az b { # PublicB"
    );
    assert_eq!(
        subnet_line(text, "app-a").trim(),
        "subnet app-a 10.30.3.0/24 az a { # AppA"
    );
    // Condition HasBastion is false for test: no bastion; IsProd false.
    assert!(!text.contains("instance bastion"), "{text}");
    assert!(text.contains("instance app 10.20.3.20 {"), "{text}");
    // Only the overridden one changes.
    let run = ok(import(&path, &["Env=dev"]), "import");
    assert!(
        run.stdout.contains("vpc dev-vpc 10.20.0.0/16 {"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("instance bastion 10.20.0.10 {"));
}

/// The same template as JSON gives the same bytes, from a file or stdin.
#[test]
fn json_template_and_stdin_give_the_same_import() {
    let yaml = std::fs::read_to_string(root().join(SHORT_FORM)).unwrap();
    let template = vpc::import::cloudformation::parse_template(&yaml).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let json_file = dir.path().join("t.json");
    std::fs::write(&json_file, serde_json::to_string_pretty(&template).unwrap()).unwrap();
    let from_yaml = ok(import(&root().join(SHORT_FORM), &[]), "yaml");
    let from_json = ok(import(&json_file, &[]), "json");
    assert_eq!(from_yaml.stdout, from_json.stdout);
    assert_eq!(from_yaml.stderr, from_json.stderr);
    let mut child = std::process::Command::new(support::cli::vpcc_path())
        .args(["import", "cloudformation", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(yaml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_yaml.stdout);
    // And -o writes the file.
    let out_file = dir.path().join("out.vpc");
    let run = vpcc([
        "import",
        "cloudformation",
        json_file.to_str().unwrap(),
        "-o",
        out_file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.is_empty());
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        from_yaml.stdout
    );
}

#[test]
fn bad_input_exits_2_with_one_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    let vpc_only = "Resources:\n  V:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: ";
    for (text, params, message) in [
        ("Resources: [\n", &[][..], "malformed YAML"),
        ("{\"Resources\": ", &[][..], "malformed JSON"),
        (
            "Resources:\n  V: !Bogus x\n",
            &[][..],
            "unknown tag `!Bogus`",
        ),
        ("- 1\n- 2\n", &[][..], "expected a template"),
        ("Description: x\n", &[][..], "no `Resources`"),
        (
            &format!("Parameters:\n  C:\n    Type: String\n{vpc_only}!Ref C\n"),
            &[][..],
            "parameter `C` has no value and no Default: give it with --param C=VALUE",
        ),
        (
            &format!("{vpc_only}!Ref Nowhere\n"),
            &[][..],
            "`Ref Nowhere`: no parameter",
        ),
        (
            &format!("{vpc_only}!Select [0, !Cidr [10.0.0.0/24, 5, 6]]\n"),
            &[][..],
            "5 blocks of /26 do not fit in 10.0.0.0/24",
        ),
        (
            &format!("{vpc_only}!ImportValue shared-cidr\n"),
            &[][..],
            "V: CidrBlock: Fn::ImportValue",
        ),
        (
            &format!("{vpc_only}10.0.0.0/16\n"),
            &["Nope=1"][..],
            "--param Nope: the template declares no parameter `Nope`",
        ),
        (
            &format!("{vpc_only}10.0.0.0/16\n"),
            &["novalue"][..],
            "--param novalue: expected KEY=VALUE",
        ),
    ] {
        std::fs::write(&bad, text).unwrap();
        let run = import(&bad, params);
        assert_eq!(run.code, 2, "{text}: {}", run.stderr_head());
        assert!(
            run.stderr.contains(message),
            "{text}: {}",
            run.stderr_head()
        );
        assert_eq!(
            run.stderr.lines().count(),
            1,
            "one line: {}",
            run.stderr_head()
        );
        assert!(run.stdout.is_empty());
        assert!(!run.stderr.contains("panicked"));
    }
    let run = import(&dir.path().join("nowhere.yaml"), &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr_head());
}

/// Facts a template states that a .vpc file cannot are warnings naming the
/// logical id, never dropped silently.
#[test]
fn what_is_left_out_is_a_warning_naming_the_logical_id() {
    let template = json!({
        "Resources": {
            "V": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}},
            "V6": {"Type": "AWS::EC2::VPCCidrBlock", "Properties": {"VpcId": {"Ref": "V"}, "AmazonProvidedIpv6CidrBlock": true}},
            "S": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "V"}, "CidrBlock": "10.0.1.0/24"}},
            "Other": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": "vpc-0abc", "CidrBlock": "10.9.0.0/24"}},
            "Vgw": {"Type": "AWS::EC2::VPNGateway", "Properties": {"Type": "ipsec.1"}},
            "T": {"Type": "AWS::EC2::RouteTable", "Properties": {"VpcId": {"Ref": "V"}}},
            "ToVpn": {"Type": "AWS::EC2::Route", "Properties": {"RouteTableId": {"Ref": "T"}, "DestinationCidrBlock": "192.168.0.0/16", "GatewayId": {"Ref": "Vgw"}}},
            "Eip": {"Type": "AWS::EC2::EIP", "Properties": {"Domain": "vpc"}},
            "G": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"VpcId": {"Ref": "V"}, "GroupDescription": "g",
                "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv6": "::/0"}]}}
        }
    });
    let imported = vpc::import::cloudformation::import(&template, &BTreeMap::new()).unwrap();
    let w = imported.warnings.join("\n");
    for needle in [
        "Vgw: VPN gateway attached to no described VPC left out",
        "Other: AWS::EC2::Subnet in VPC vpc-0abc, which the template does not declare, left out",
        "V: IPv6 CIDR block (Amazon-provided, V6) left out",
        "T: route 192.168.0.0/16 -> Vgw left out",
        "Eip: Elastic IP not associated with anything left out",
        "G: IPv6 ingress rule tcp 22 from ::/0 left out",
    ] {
        assert!(w.contains(needle), "no warning {needle:?} in:\n{w}");
    }
    assert_eq!(imported.warnings.len(), 6, "{w}");
    let c = vpc::compile(&imported.text);
    assert!(!c.has_errors(), "{}", imported.text);
}

/// A transit gateway CloudFormation can express (no VPN) round-trips:
/// the imported file has the same tables (associations, propagations,
/// routes in match order), attachments, VPC routes to the gateway and
/// reachability matrix, without a warning.
#[test]
fn an_exported_transit_gateway_round_trips_through_cloudformation() {
    let file = root().join("tests/fixtures/export/tgw-static.vpc");
    let original = facts_of(&file);
    assert!(
        original
            .keys()
            .any(|k| k.starts_with("transit gateway hub table")),
        "the facts hold the gateway's tables"
    );
    for format in ["cloudformation", "cloudformation-json"] {
        let dir = tempfile::tempdir().unwrap();
        let (imported, stderr) = export_import(&file, format, dir.path(), &[]);
        assert!(stderr.is_empty(), "{format}: {stderr}");
        let text = std::fs::read_to_string(&imported).unwrap();
        assert!(text.contains("transit_gateway hub { # TgwHub"), "{text}");
        let check = vpcc(["check", imported.to_str().unwrap()]);
        assert_eq!(check.code, 0, "{}", check.stderr);
        let diffs = differences(&original, &facts_of(&imported));
        assert!(diffs.is_empty(), "{format}:\n{}", diffs.join("\n"));
    }
}

/// The comparison sees a transit gateway difference: a propagation dropped
/// from the template changes the table's facts.
#[test]
fn the_round_trip_comparison_finds_a_dropped_propagation() {
    let file = root().join("tests/fixtures/export/tgw-static.vpc");
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("t.json");
    let run = vpcc([
        "export",
        file.to_str().unwrap(),
        "--format",
        "cloudformation-json",
    ]);
    let mut v: Value = serde_json::from_str(&run.stdout).unwrap();
    let res = v["Resources"].as_object_mut().unwrap();
    assert!(res.remove("TgwPropBackEdgeAtt").is_some());
    std::fs::write(&template, serde_json::to_string(&v).unwrap()).unwrap();
    let run = ok(import(&template, &[]), "import cloudformation");
    let imported = dir.path().join("imported.vpc");
    std::fs::write(&imported, &run.stdout).unwrap();
    let diffs = differences(&facts_of(&file), &facts_of(&imported));
    assert!(
        diffs
            .iter()
            .any(|d| d.contains("transit gateway hub table back")),
        "{diffs:?}"
    );
}

/// A gateway's `security_group_referencing on` survives export and import
/// (`SecurityGroupReferencingSupport: enable`), so a cross-VPC group
/// reference still checks and admits the same traffic.
#[test]
fn security_group_referencing_round_trips_through_cloudformation() {
    let dir = tempfile::tempdir().unwrap();
    let src =
        std::fs::read_to_string(root().join("tests/ui/tgw/group_referencing_on.vpc")).unwrap();
    let src: String = src
        .lines()
        .filter(|l| !l.starts_with("expect"))
        .map(|l| format!("{l}\n"))
        .collect();
    let file = dir.path().join("referencing.vpc");
    std::fs::write(&file, &src).unwrap();
    let original = facts_of(&file);
    let (imported, stderr) = export_import(&file, "cloudformation-json", dir.path(), &[]);
    assert!(stderr.is_empty(), "{stderr}");
    let text = std::fs::read_to_string(&imported).unwrap();
    assert!(text.contains("  security_group_referencing on\n"), "{text}");
    let check = vpcc(["check", imported.to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let diffs = differences(&original, &facts_of(&imported));
    assert!(diffs.is_empty(), "{}", diffs.join("\n"));
}
