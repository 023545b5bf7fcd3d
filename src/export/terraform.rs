//! Terraform: the plan as one HCL file for the `aws` provider, in
//! `terraform fmt` layout (two-space indent; `=` aligned across each run of
//! single-line arguments; a multi-line argument stands alone).

use super::{Plan, Val};

fn quote(s: &str) -> String {
    // HCL strings: JSON escapes, plus `${` and `%{` which start templates.
    serde_json::to_string(s)
        .unwrap_or_else(|_| "\"\"".to_string())
        .replace("${", "$${")
        .replace("%{", "%%{")
}

fn addr(plan: &Plan, r: usize) -> String {
    let res = &plan.resources[r];
    format!("{}.{}", res.tf_type.unwrap_or("null_resource"), res.tf_name)
}

/// A single-line value, or `None` for a value printed as lines.
fn expr(plan: &Plan, v: &Val) -> Option<String> {
    Some(match v {
        Val::Str(s) => quote(s),
        Val::Int(i) => i.to_string(),
        Val::Bool(b) => b.to_string(),
        Val::List(items) => {
            let parts: Option<Vec<String>> = items.iter().map(|i| expr(plan, i)).collect();
            format!("[{}]", parts?.join(", "))
        }
        Val::Map(_) | Val::Name(_) | Val::Tags(_) => return None,
        Val::Ref(r) => format!("{}.id", addr(plan, *r)),
        Val::Att(r, _, attr) => format!("{}.{attr}", addr(plan, *r)),
        Val::Param("ImageId") => "data.aws_ssm_parameter.image_id.value".to_string(),
        Val::Param(p) => format!(
            "var.{}",
            if *p == "InstanceType" {
                "instance_type"
            } else {
                p
            }
        ),
        Val::Input(i) => format!("var.{}", plan.inputs[*i].tf_name),
        Val::ZoneIndex(i) => format!("data.aws_availability_zones.available.names[{i}]"),
        Val::PrefixList(g) => format!("data.aws_prefix_list.{}.id", g.as_str()),
        Val::RegionalService(svc) => {
            format!("\"com.amazonaws.${{data.aws_region.current.name}}.{svc}\"")
        }
    })
}

enum Item {
    Attr(String, String),
    Lines(String, Vec<String>),
}

fn body(items: &[Item], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let mut i = 0;
    while i < items.len() {
        match &items[i] {
            Item::Attr(..) => {
                let start = i;
                while i < items.len() && matches!(items[i], Item::Attr(..)) {
                    i += 1;
                }
                let width = items[start..i]
                    .iter()
                    .map(|it| match it {
                        Item::Attr(k, _) => k.len(),
                        Item::Lines(..) => 0,
                    })
                    .max()
                    .unwrap_or(0);
                for it in &items[start..i] {
                    if let Item::Attr(k, v) = it {
                        out.push_str(&format!("{pad}{k:<width$} = {v}\n"));
                    }
                }
            }
            Item::Lines(head, lines) => {
                out.push_str(&format!("{pad}{head}\n"));
                for l in lines {
                    out.push_str(&format!("{pad}{l}\n"));
                }
                i += 1;
            }
        }
    }
}

fn block(head: &str, items: &[Item], out: &mut String) {
    out.push_str(head);
    out.push_str(" {\n");
    body(items, 2, out);
    out.push_str("}\n");
}

/// The Terraform file.
pub fn hcl(plan: &Plan) -> String {
    let mut out = String::new();
    // A comment ends at a line break: none from the file name gets in.
    let description: String = plan
        .description
        .chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    out.push_str(&format!("# {description}\n\n"));
    out.push_str(
        "terraform {\n  required_providers {\n    aws = {\n      source  = \"hashicorp/aws\"\n      version = \"~> 5.0\"\n    }\n  }\n}\n",
    );
    for p in &plan.params {
        out.push('\n');
        let (name, default) = if p.name == "ImageId" {
            ("image_ssm_parameter", p.default)
        } else {
            (p.tf_name, p.default)
        };
        block(
            &format!("variable {}", quote(name)),
            &[
                Item::Attr("description".into(), quote(p.description)),
                Item::Attr("type".into(), "string".into()),
                Item::Attr("default".into(), quote(default)),
            ],
            &mut out,
        );
    }
    for input in &plan.inputs {
        // No default: the file does not say it.
        out.push('\n');
        block(
            &format!("variable {}", quote(&input.tf_name)),
            &[
                Item::Attr("description".into(), quote(&input.description)),
                Item::Attr("type".into(), "string".into()),
            ],
            &mut out,
        );
    }
    if !plan.params.is_empty() {
        out.push('\n');
        block(
            "data \"aws_ssm_parameter\" \"image_id\"",
            &[Item::Attr("name".into(), "var.image_ssm_parameter".into())],
            &mut out,
        );
    }
    if plan.uses_zone_index {
        out.push('\n');
        block(
            "data \"aws_availability_zones\" \"available\"",
            &[Item::Attr("state".into(), quote("available"))],
            &mut out,
        );
    }
    let regional = plan.resources.iter().any(|r| {
        r.props
            .iter()
            .any(|p| matches!(p.val, Val::RegionalService(_)))
    }) || (plan.region.is_none() && !plan.prefix_lists.is_empty());
    if regional {
        out.push('\n');
        out.push_str("data \"aws_region\" \"current\" {}\n");
    }
    for g in &plan.prefix_lists {
        let name = match &plan.region {
            Some(r) => quote(&format!("com.amazonaws.{r}.{}", g.as_str())),
            None => format!(
                "\"com.amazonaws.${{data.aws_region.current.name}}.{}\"",
                g.as_str()
            ),
        };
        out.push('\n');
        block(
            &format!("data \"aws_prefix_list\" {}", quote(g.as_str())),
            &[Item::Attr("name".into(), name)],
            &mut out,
        );
    }
    for r in &plan.resources {
        let Some(ty) = r.tf_type else { continue };
        let mut items = Vec::new();
        for p in &r.props {
            let Some(k) = p.tf else { continue };
            match (&p.val, expr(plan, &p.val)) {
                (_, Some(e)) => items.push(Item::Attr(k.to_string(), e)),
                (Val::Name(n), None) => {
                    items.push(Item::Lines(
                        format!("{k} = {{"),
                        vec![format!("  Name = {}", quote(n)), "}".to_string()],
                    ));
                }
                (Val::Tags(tags), None) => {
                    // `terraform fmt` aligns the `=` of a map's keys.
                    let width = tags.iter().map(|(t, _)| t.len()).max().unwrap_or(0);
                    let mut lines: Vec<String> = tags
                        .iter()
                        .map(|(t, v)| format!("  {t:width$} = {}", quote(v)))
                        .collect();
                    lines.push("}".to_string());
                    items.push(Item::Lines(format!("{k} = {{"), lines));
                }
                // A list of objects is a nested block per object
                // (`entry { cidr = "…" }` of a managed prefix list).
                (Val::List(objects), None) => {
                    for o in objects {
                        let Val::Map(props) = o else { continue };
                        let mut inner = Vec::new();
                        for p in props {
                            if let (Some(key), Some(e)) = (p.tf, expr(plan, &p.val)) {
                                inner.push(Item::Attr(key.to_string(), e));
                            }
                        }
                        let mut text = String::new();
                        body(&inner, 2, &mut text);
                        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
                        lines.push("}".to_string());
                        items.push(Item::Lines(format!("{k} {{"), lines));
                    }
                }
                _ => {}
            }
        }
        let deps: Vec<String> = r
            .depends_on
            .iter()
            .filter(|d| plan.resources[**d].tf_type.is_some())
            .map(|d| addr(plan, *d))
            .collect();
        out.push('\n');
        out.push_str(&format!(
            "resource {} {} {{\n",
            quote(ty),
            quote(&r.tf_name)
        ));
        body(&items, 2, &mut out);
        if !deps.is_empty() {
            out.push('\n');
            out.push_str(&format!("  depends_on = [{}]\n", deps.join(", ")));
        }
        out.push_str("}\n");
    }
    out
}
