//! CloudFormation: the plan as a template tree, printed as YAML (block
//! style, every string double-quoted, long-form intrinsics) or JSON.
//! Both keep the plan's order: resources as the model declares them.

use super::{Plan, Prop, Val};
use crate::model::GatewayService;

/// An ordered JSON-like tree.
#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Str(String),
    Int(i64),
    Bool(bool),
    List(Vec<Node>),
    Obj(Vec<(String, Node)>),
}

fn obj(pairs: Vec<(&str, Node)>) -> Node {
    Node::Obj(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

fn str(s: &str) -> Node {
    Node::Str(s.to_string())
}

fn val(plan: &Plan, v: &Val) -> Node {
    match v {
        Val::Str(s) => str(s),
        Val::Int(i) => Node::Int(*i),
        Val::Bool(b) => Node::Bool(*b),
        Val::List(items) => Node::List(items.iter().map(|i| val(plan, i)).collect()),
        Val::Map(props) => props_node(plan, props),
        Val::Ref(r) => obj(vec![("Ref", str(&plan.resources[*r].logical_id))]),
        Val::Att(r, attr, _) => obj(vec![(
            "Fn::GetAtt",
            Node::List(vec![str(&plan.resources[*r].logical_id), str(attr)]),
        )]),
        Val::Param(p) => obj(vec![("Ref", str(p))]),
        Val::Input(i) => obj(vec![("Ref", str(&plan.inputs[*i].name))]),
        Val::ZoneIndex(i) => obj(vec![(
            "Fn::Select",
            Node::List(vec![
                Node::Int(i64::from(*i)),
                // `""` is the stack's region (moto 5.2.5 mishandles a
                // `Ref: AWS::Region` here; AWS takes both).
                obj(vec![("Fn::GetAZs", str(""))]),
            ]),
        )]),
        Val::RegionalService(svc) => obj(vec![(
            "Fn::Sub",
            Node::Str(format!("com.amazonaws.${{AWS::Region}}.{svc}")),
        )]),
        Val::Name(n) => Node::List(vec![obj(vec![("Key", str("Name")), ("Value", str(n))])]),
        Val::Tags(tags) => Node::List(
            tags.iter()
                .map(|(k, v)| obj(vec![("Key", str(k)), ("Value", str(v))]))
                .collect(),
        ),
        Val::PrefixList(g) => obj(vec![("Ref", Node::Str(prefix_list_param(*g)))]),
    }
}

fn props_node(plan: &Plan, props: &[Prop]) -> Node {
    Node::Obj(
        props
            .iter()
            .filter_map(|p| p.cfn.map(|k| (k.to_string(), val(plan, &p.val))))
            .collect(),
    )
}

/// The parameter that holds a gateway service's prefix-list id
/// (`PrefixListS3`).
pub fn prefix_list_param(g: GatewayService) -> String {
    match g {
        GatewayService::S3 => "PrefixListS3".to_string(),
        GatewayService::DynamoDb => "PrefixListDynamodb".to_string(),
    }
}

/// The template as a tree.
pub fn template(plan: &Plan) -> Node {
    let mut top = vec![
        ("AWSTemplateFormatVersion", str("2010-09-09")),
        ("Description", str(&plan.description)),
    ];
    let mut params: Vec<(String, Node)> = plan
        .params
        .iter()
        .map(|p| {
            (
                p.name.to_string(),
                obj(vec![
                    ("Type", str(p.cfn_type)),
                    ("Default", str(p.default)),
                    ("Description", str(p.description)),
                ]),
            )
        })
        .collect();
    for g in &plan.prefix_lists {
        // No default: the id differs by region, and no intrinsic finds it.
        let region = plan.region.as_deref().unwrap_or("REGION");
        params.push((
            prefix_list_param(*g),
            obj(vec![
                ("Type", str("String")),
                ("AllowedPattern", str("^pl-[0-9a-f]+$")),
                (
                    "Description",
                    Node::Str(format!(
                        "Id of the AWS-managed prefix list com.amazonaws.{region}.{} (aws ec2 describe-managed-prefix-lists)",
                        g.as_str()
                    )),
                ),
            ]),
        ));
    }
    for input in &plan.inputs {
        // No default: the file does not say it.
        params.push((
            input.name.clone(),
            obj(vec![
                ("Type", str("String")),
                ("AllowedPattern", str(input.pattern)),
                ("Description", str(&input.description)),
            ]),
        ));
    }
    if !params.is_empty() {
        top.push(("Parameters", Node::Obj(params)));
    }
    let resources = plan
        .resources
        .iter()
        .filter_map(|r| {
            let ty = r.cfn_type?;
            let mut body = vec![("Type", str(ty))];
            let deps: Vec<Node> = r
                .depends_on
                .iter()
                .filter(|d| plan.resources[**d].cfn_type.is_some())
                .map(|d| str(&plan.resources[*d].logical_id))
                .collect();
            if !deps.is_empty() {
                body.push(("DependsOn", Node::List(deps)));
            }
            body.push(("Properties", props_node(plan, &r.props)));
            Some((r.logical_id.clone(), obj(body)))
        })
        .collect();
    top.push(("Resources", Node::Obj(resources)));
    obj(top)
}

fn quote(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_string())
}

fn scalar(n: &Node) -> Option<String> {
    match n {
        Node::Str(s) => Some(quote(s)),
        Node::Int(i) => Some(i.to_string()),
        Node::Bool(b) => Some(b.to_string()),
        Node::List(l) if l.is_empty() => Some("[]".to_string()),
        Node::Obj(o) if o.is_empty() => Some("{}".to_string()),
        _ => None,
    }
}

fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ':' && !k.ends_with(':'))
        && k.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        k.to_string()
    } else {
        quote(k)
    }
}

fn yaml_into(n: &Node, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    match n {
        Node::Obj(pairs) => {
            for (k, v) in pairs {
                out.push_str(&pad);
                out.push_str(&key(k));
                out.push(':');
                match scalar(v) {
                    Some(s) => {
                        out.push(' ');
                        out.push_str(&s);
                        out.push('\n');
                    }
                    None => {
                        out.push('\n');
                        yaml_into(v, indent + 2, out);
                    }
                }
            }
        }
        Node::List(items) => {
            for item in items {
                match scalar(item) {
                    Some(s) => {
                        out.push_str(&pad);
                        out.push_str("- ");
                        out.push_str(&s);
                        out.push('\n');
                    }
                    None => {
                        let mut inner = String::new();
                        yaml_into(item, indent + 2, &mut inner);
                        // The first line's indentation becomes the dash.
                        out.push_str(&pad);
                        out.push_str("- ");
                        out.push_str(inner.get(indent + 2..).unwrap_or(""));
                    }
                }
            }
        }
        other => {
            out.push_str(&pad);
            out.push_str(&scalar(other).unwrap_or_default());
            out.push('\n');
        }
    }
}

/// The template as YAML.
pub fn yaml(plan: &Plan) -> String {
    let mut out = String::new();
    yaml_into(&template(plan), 0, &mut out);
    out
}

fn json_into(n: &Node, indent: usize, out: &mut String) {
    let pad = "  ".repeat(indent + 1);
    let close = "  ".repeat(indent);
    match n {
        Node::Str(s) => out.push_str(&quote(s)),
        Node::Int(i) => out.push_str(&i.to_string()),
        Node::Bool(b) => out.push_str(&b.to_string()),
        Node::List(items) if items.is_empty() => out.push_str("[]"),
        Node::Obj(pairs) if pairs.is_empty() => out.push_str("{}"),
        Node::List(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                json_into(item, indent + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&close);
            out.push(']');
        }
        Node::Obj(pairs) => {
            out.push_str("{\n");
            for (i, (k, v)) in pairs.iter().enumerate() {
                out.push_str(&pad);
                out.push_str(&quote(k));
                out.push_str(": ");
                json_into(v, indent + 1, out);
                out.push_str(if i + 1 < pairs.len() { ",\n" } else { "\n" });
            }
            out.push_str(&close);
            out.push('}');
        }
    }
}

/// The template as JSON (two-space indent, the plan's key order).
pub fn json(plan: &Plan) -> String {
    let mut out = String::new();
    json_into(&template(plan), 0, &mut out);
    out.push('\n');
    out
}
