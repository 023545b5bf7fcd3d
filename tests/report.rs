//! Reports: golden Markdown and JSON for every example, the reference
//! example's matrix cell by cell, the published JSON Schema, HTML
//! self-containment, and the `vpcc report` command line.
//!
//! Goldens are insta snapshots in `tests/snapshots/report__*.snap`
//! (`cargo insta review` to accept). The schema file is regenerated with
//! `VPCC_BLESS=1 cargo test --test report`.

use std::path::Path;

mod support;
use support::schema::assert_valid;

use vpc::report::{self, Report};

use support::cli::{Run, vpcc};
use support::fixture::{model_of as compile, root};

fn report_of(path: &Path) -> Report {
    let src = std::fs::read_to_string(path).expect("read");
    let name = path.file_stem().expect("stem").to_string_lossy();
    Report::build(&name, &compile(&src), &src)
}

fn reference() -> Report {
    report_of(&root().join("examples/nat-bastion-endpoints.vpc"))
}

fn summary(r: &Report, from: &str, to: &str) -> String {
    r.cell(from, to)
        .unwrap_or_else(|| panic!("no cell {from} → {to}"))
        .summary
        .clone()
}

fn validator() -> jsonschema::Validator {
    support::schema::validator("report.schema.json")
}

// ----- the reference example -------------------------------------------

#[test]
fn reference_matrix_says_what_the_design_intends() {
    let r = reference();
    assert_eq!(summary(&r, "admin", "bastion"), "tcp 22 via igw");
    assert_eq!(summary(&r, "bastion", "app"), "tcp 22");
    assert_eq!(summary(&r, "app", "internet"), "all traffic via nat-a, igw");
    assert_eq!(
        summary(&r, "app", "service s3"),
        "tcp (all ports) via s3-gw; icmp via s3-gw"
    );
    assert_eq!(summary(&r, "app", "service ec2"), "tcp 443 via ec2-api");
    assert_eq!(summary(&r, "internet", "app"), "-");
    assert_eq!(summary(&r, "admin", "app"), "-");
    // Nothing gets in from the internet to app, and the cell says why.
    let cell = r.cell("internet", "app").expect("cell");
    assert!(cell.flows.is_empty());
    assert!(!cell.blocked_by.is_empty(), "{cell:?}");
}

#[test]
fn reference_exposure_is_the_bastion_ssh_only() {
    let r = reference();
    let exposed: Vec<(String, String)> = r
        .exposure
        .iter()
        .map(|e| (e.instance.clone(), e.traffic.clone()))
        .collect();
    assert_eq!(exposed, [("bastion".to_string(), "tcp 22".to_string())]);
    assert!(
        r.exposure[0]
            .path
            .iter()
            .any(|c| c.name.as_deref() == Some("igw"))
    );
}

#[test]
fn reference_expectations_all_hold() {
    let r = reference();
    assert_eq!(r.expects.len(), 6);
    assert!(r.expects.iter().all(|e| e.holds), "{:#?}", r.expects);
    assert_eq!(r.expects[0].text, "expect admin can reach bastion tcp 22");
}

#[test]
fn reference_subnets_show_address_use() {
    let r = reference();
    let rows: Vec<String> = r
        .subnets
        .iter()
        .map(|s| format!("{} {} {} {}/{}", s.name, s.kind, s.cidr, s.used, s.usable))
        .collect();
    assert_eq!(
        rows,
        [
            "public-a public 10.0.1.0/24 2/251",
            "private-a private 10.0.2.0/24 2/251"
        ]
    );
}

#[test]
fn ports_are_summarised_from_the_rules_not_sampled() {
    let src = r"
vpc v 10.0.0.0/16 {
  subnet a 10.0.1.0/24 {
    instance client { security_groups [c] }
    instance server { security_groups [s] }
  }
  security_group c {}
  security_group s {
    ingress tcp 22 from c
    ingress tcp 443 from c
    ingress tcp 8000-8010 from c
    ingress udp 53 from 10.0.0.0/16
  }
}
";
    let r = Report::build("t", &compile(src), src);
    assert_eq!(
        summary(&r, "client", "server"),
        "tcp 22, 443, 8000-8010; udp 53"
    );
}

#[test]
fn a_failed_expect_is_reported_with_its_reason() {
    let src = std::fs::read_to_string(root().join("examples/nat-bastion-endpoints.vpc"))
        .expect("read")
        .replace("ingress tcp 22 from admin", "ingress tcp 443 from admin");
    let c = vpc::compile(&src);
    let model = c.model.expect("a model: only E0501");
    let r = Report::build("t", &model, &src);
    let failed: Vec<_> = r.expects.iter().filter(|e| !e.holds).collect();
    assert_eq!(failed.len(), 2, "{failed:#?}");
    assert!(
        failed[0]
            .reasons
            .iter()
            .any(|x| x.starts_with("SG_INGRESS")),
        "{failed:#?}"
    );
}

// ----- goldens and schema ----------------------------------------------

#[test]
fn golden_reports() {
    let v = validator();
    insta::glob!("../examples", "*.vpc", |path| {
        let r = report_of(path);
        let json = r.to_json();
        assert_valid(&v, &path.display().to_string(), &json);
        insta::assert_snapshot!("md", report::md::render(&r));
        insta::assert_snapshot!("json", json);
    });
}

#[test]
fn schema_is_current() {
    support::schema::assert_current(
        "report.schema.json",
        &report::schema(),
        "src/report.rs",
        "report",
    );
}

#[test]
fn schema_rejects_unknown_fields() {
    let v = validator();
    let mut json: serde_json::Value = serde_json::to_value(reference()).expect("json");
    json["surprise"] = serde_json::Value::Bool(true);
    assert!(!v.is_valid(&json));
}

// ----- HTML ------------------------------------------------------------

#[test]
fn html_is_self_contained() {
    let path = root().join("examples/nat-bastion-endpoints.vpc");
    let model = compile(&std::fs::read_to_string(&path).expect("read"));
    let r = reference();
    // With the diagram, once `report::diagram_svg` produces one.
    let html = report::html::render(&r, report::diagram_svg(&model).as_deref());
    assert!(html.starts_with("<!DOCTYPE html>"));
    // An embedded SVG declares namespaces with http:// URIs; those load
    // nothing, so only references that would fetch something are refused.
    for external in [
        "<link",
        "src=",
        "href=\"http",
        "href=\"//",
        "@import",
        "url(",
        "fetch(",
        "XMLHttpRequest",
        "WebSocket",
        "import(",
        "sendBeacon",
    ] {
        assert!(!html.contains(external), "HTML references `{external}`");
    }
    // One script, inline.
    assert_eq!(html.matches("<script").count(), 1);
    assert!(html.contains("<script>\n"));
    assert!(html.contains("<style>"));
    assert!(html.contains("tcp 22 via igw"));
    assert!(html.ends_with("</html>\n"));
}

#[test]
fn html_embeds_a_diagram_when_given_one() {
    let html = report::html::render(
        &reference(),
        Some("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>"),
    );
    assert!(html.contains("<div class=\"diagram\" id=\"diagram\"><svg"));
    assert!(!html.contains("<?xml"));
}

/// The reference example's page without the diagram (the SVG is the
/// graph module's, snapshotted there): layout, tool bars and script.
#[test]
fn golden_html() {
    insta::assert_snapshot!("html", report::html::render(&reference(), None));
}

/// The same file gives the same bytes, diagram and script included.
#[test]
fn html_is_deterministic() {
    let args = ["report", "examples/large.vpc", "--format", "html"];
    let Run {
        code, stdout: a, ..
    } = vpcc(args);
    assert_eq!(code, 0);
    let Run { stdout: b, .. } = vpcc(args);
    assert!(a == b, "two runs differ");
}

/// Without its script the page hides nothing: only the tool bars (which
/// need the script) start hidden, the diagram is not shrunk to the page,
/// and the matrix's headers are sticky by CSS alone.
#[test]
fn html_works_without_its_script() {
    let path = root().join("examples/large.vpc");
    let src = std::fs::read_to_string(&path).expect("read");
    let model = compile(&src);
    let r = Report::build("large", &model, &src);
    let html = report::html::render(&r, report::diagram_svg(&model).as_deref());
    let hidden: Vec<&str> = html
        .match_indices(" hidden")
        .map(|(i, _)| html[..i].rsplit('<').next().unwrap_or_default())
        .collect();
    assert_eq!(
        hidden,
        [
            "div class=\"tools\" id=\"diagram-tools\"",
            "div class=\"tools\" id=\"matrix-tools\""
        ]
    );
    assert!(!html.contains("max-width:100%"));
    assert!(html.contains(".diagram{border:1px solid #d9dde3;overflow:auto;"));
    assert!(html.contains(".matrix thead th{position:sticky;top:0;"));
    assert!(html.contains(".matrix th.src{position:sticky;left:0;"));
    assert!(html.contains("<thead><tr><th class=\"corner\">from \\ to</th>"));
    // Every cell of the report is in the table.
    let shown =
        html.matches("<td class=\"open\"").count() + html.matches("<td class=\"none\"").count();
    assert_eq!(shown, r.matrix.cells.len());
    // A group's members are all findable by the filter.
    assert!(html.contains(" data-members=\"app-a01 app-a02 app-a03 "));
}

#[test]
fn html_escapes_names() {
    assert_eq!(
        report::html::esc("<a href=\"x\">&'"),
        "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
    );
}

// ----- command line ----------------------------------------------------

#[test]
fn cli_prints_the_library_report() {
    let path = root().join("examples/nat-bastion-endpoints.vpc");
    let r = report_of(&path);
    let Run {
        code,
        stdout: md,
        stderr,
        ..
    } = vpcc(["report", "examples/nat-bastion-endpoints.vpc"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(md, report::md::render(&r));
    let Run {
        code, stdout: json, ..
    } = vpcc([
        "report",
        "examples/nat-bastion-endpoints.vpc",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(json, r.to_json());
    let Run {
        code, stdout: html, ..
    } = vpcc([
        "report",
        "examples/nat-bastion-endpoints.vpc",
        "--format",
        "html",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        html,
        report::html::render(
            &r,
            report::diagram_svg(&compile(&std::fs::read_to_string(&path).expect("read")))
                .as_deref()
        )
    );
}

#[test]
fn cli_exit_codes() {
    let dir = std::env::temp_dir().join(format!("vpcc-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("mkdir");
    let bad = dir.join("bad.vpc");
    std::fs::write(&bad, "vpc v 10.0.0.0/16 { subnet a 10.1.0.0/24 {} }\n").expect("write");
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = vpcc(["report", bad.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("error"), "{stderr}");
    // Only failed expectations: the report is printed, and says so; exit 1.
    let failing = dir.join("failing.vpc");
    let text = std::fs::read_to_string(root().join("examples/nat-bastion-endpoints.vpc"))
        .expect("read")
        .replace("ingress tcp 22 from admin", "ingress tcp 443 from admin");
    std::fs::write(&failing, text).expect("write");
    let Run {
        code,
        stdout,
        stderr,
        ..
    } = vpcc(["report", failing.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("E0501"), "{stderr}");
    assert!(stdout.contains("**fails**: SG_INGRESS"), "{stdout}");
    let Run { code, stderr, .. } = vpcc(["report", "no/such/file.vpc"]);
    assert_eq!(code, 2, "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_without_instances_says_so() {
    let src = "vpc v 10.0.0.0/16 {\n  subnet a 10.0.1.0/24 {}\n}\n";
    let r = Report::build("t", &compile(src), src);
    assert!(r.matrix.cells.is_empty());
    assert!(report::md::render(&r).contains("## Reachability\n\nThe file has no instances.\n"));
    assert!(report::html::render(&r, None).contains("<p>The file has no instances.</p>"));
}

#[test]
fn a_matrix_over_the_limit_is_left_out_and_says_why() {
    let full = reference();
    let pairs = full.matrix.cells.len();
    assert!(pairs > 10, "{pairs}");
    let path = root().join("examples/nat-bastion-endpoints.vpc");
    let src = std::fs::read_to_string(&path).expect("read");
    let model = compile(&src);

    // At the limit: the whole matrix, exactly as without one.
    let at = Report::build_limited("nat-bastion-endpoints", &model, &src, pairs);
    assert_eq!(at, full);

    // One below: no cells, a reason with the figures, the rest intact.
    let below = Report::build_limited("nat-bastion-endpoints", &model, &src, pairs - 1);
    assert!(below.matrix.cells.is_empty());
    let why = below.matrix.omitted.as_deref().expect("a reason");
    assert!(
        why.contains(&format!(
            "make {pairs} pairs, more than the limit of {}",
            pairs - 1
        )),
        "{why}"
    );
    assert_eq!(below.matrix.sources, full.matrix.sources);
    assert_eq!(below.exposure, full.exposure);
    assert_eq!(below.expects, full.expects);
    assert_eq!(below.subnets, full.subnets);

    // The command line: Markdown says so, JSON validates and carries it.
    let limit = (pairs - 1).to_string();
    let file = "examples/nat-bastion-endpoints.vpc";
    let Run {
        code, stdout: md, ..
    } = vpcc(["report", file, "--matrix-limit", &limit]);
    assert_eq!(code, 0);
    assert!(md.contains("The matrix is left out: "), "{md}");
    assert!(!md.contains("| from \\ to |"), "{md}");
    let Run {
        code, stdout: json, ..
    } = vpcc(["report", file, "--format", "json", "--matrix-limit", &limit]);
    assert_eq!(code, 0);
    assert_valid(&validator(), "report over the limit", &json);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["matrix"]["omitted"].as_str(), Some(why));
    let Run { stdout: html, .. } =
        vpcc(["report", file, "--format", "html", "--matrix-limit", &limit]);
    assert!(html.contains("The matrix is left out: "), "{html}");
    // Without the flag the default limit keeps this small matrix whole.
    let Run { stdout: json, .. } = vpcc(["report", file, "--format", "json"]);
    assert!(!json.contains("\"omitted\""));
}

#[test]
fn the_report_diagram_is_left_out_above_the_subnet_limit() {
    let params = |subnets_per_az| vpc::r#gen::GenParams {
        vpcs: 1,
        azs: 3,
        subnets_per_az,
        instances_per_subnet: 0,
        security_groups_per_vpc: 5,
        seed: 1,
    };
    let over = compile(&vpc::r#gen::generate(&params(700)));
    assert!(over.subnets.len() > report::DIAGRAM_SVG_MAX_SUBNETS);
    assert_eq!(report::diagram_svg(&over), None);
    assert!(report::diagram_dot(&over).is_some());
    let small = compile(&vpc::r#gen::generate(&params(2)));
    assert!(
        report::diagram_svg(&small).is_some_and(|s| s.starts_with("<?xml") || s.contains("<svg"))
    );
}

/// Issue 21: the file name (the one free string in a report) went into
/// report.md as raw text, so `<img src=x onerror=…>.vpc` injected HTML into
/// a docs site (mdBook passes HTML through). It is escaped now, and
/// Markdown punctuation in it cannot start emphasis or links.
#[test]
fn markdown_escapes_the_file_name() {
    let src =
        std::fs::read_to_string(root().join("examples/nat-bastion-endpoints.vpc")).expect("read");
    let r = Report::build("<img src=x onerror=alert(1)>*b*", &compile(&src), &src);
    let md = report::md::render(&r);
    assert!(!md.contains("<img"), "{}", &md[..200]);
    assert!(
        md.starts_with("# &lt;img src=x onerror=alert\\(1\\)&gt;\\*b\\*\n"),
        "{}",
        &md[..200]
    );
    // An entity is not broken by the Markdown escaping (`&\#39;`).
    let r = Report::build("it's", &compile(&src), &src);
    assert!(report::md::render(&r).starts_with("# it&#39;s\n"));
}

/// Every example's free space: the free count is the blocks' size minus
/// the subnets' (subnets of a VPC are disjoint and inside it), and each
/// next free block lies in a block of the VPC and overlaps no subnet.
#[test]
fn free_space_is_consistent_with_the_subnets() {
    for entry in std::fs::read_dir(root().join("examples")).expect("examples") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "vpc") {
            continue;
        }
        let (_, m) = support::fixture::load(&path);
        let r = report_of(&path);
        assert_eq!(r.free_space.len(), m.vpcs.len());
        for (f, (i, v)) in r.free_space.iter().zip(m.vpcs.iter().enumerate()) {
            let subnets: Vec<ipnet::Ipv4Net> = m
                .subnets
                .iter()
                .filter(|s| s.vpc.index() == i)
                .map(|s| s.cidr)
                .collect();
            let size = |n: &ipnet::Ipv4Net| 1u64 << (32 - u32::from(n.prefix_len()));
            let total: u64 = v.cidrs.iter().map(size).sum();
            let used: u64 = subnets.iter().map(size).sum();
            assert_eq!(
                f.free_addresses,
                total - used,
                "{}: {}",
                path.display(),
                f.vpc
            );
            for b in &f.next_free {
                let net: ipnet::Ipv4Net = b.cidr.parse().expect("a CIDR");
                assert_eq!(net.prefix_len(), b.prefix_len);
                assert!(
                    v.cidrs.iter().any(|c| c.contains(&net)),
                    "{net} outside {}",
                    f.vpc
                );
                assert!(
                    !subnets
                        .iter()
                        .any(|s| s.contains(&net.network()) || net.contains(&s.network())),
                    "{net} overlaps a subnet of {}",
                    f.vpc
                );
            }
        }
    }
}

#[test]
fn dual_stack_subnets_and_ipv6_routes_are_in_the_report() {
    let r = report_of(&root().join("tests/ui/reach/ipv6_rules_do_not_open_ipv4.vpc"));
    let web = r.subnets.iter().find(|s| s.name == "web-a").expect("web-a");
    assert_eq!(web.ipv6_cidr.as_deref(), Some("2600:1f18:abcd:ef01::/64"));
    let public = r
        .route_tables
        .iter()
        .find(|t| t.name == "public")
        .expect("public");
    let dests: Vec<&str> = public
        .routes
        .iter()
        .map(|x| x.destination.as_str())
        .collect();
    assert_eq!(
        dests,
        [
            "10.0.0.0/16",
            "0.0.0.0/0",
            "2600:1f18:abcd:ef00::/56",
            "::/0"
        ]
    );
    let md = vpc::report::md::render(&r);
    assert!(
        md.contains("| web-a | shop | public | 10.0.1.0/24, 2600:1f18:abcd:ef01::/64 |"),
        "{md}"
    );
    assert!(md.contains("| ::/0 | igw |"), "{md}");
}
