//! `vpcc import cloudformation`: a CloudFormation template to .vpc source.
//!
//! Two steps, one importer of record:
//!
//! 1. The intrinsic functions that decide a network fact are evaluated
//!    (lazily: only the properties the import reads): `Ref` (parameters,
//!    pseudo parameters, resources), `Fn::GetAtt` (the attributes networks
//!    use), `Fn::Sub`, `Fn::Join`, `Fn::Select`, `Fn::Split`,
//!    `Fn::GetAZs`, `Fn::Cidr`, `Fn::FindInMap`, `Fn::If` with the
//!    template's `Conditions` (`Fn::Equals`, `Fn::And`, `Fn::Or`,
//!    `Fn::Not`), and `AWS::NoValue`. What cannot be known before a
//!    deployment (another stack's export, an Elastic IP's public address)
//!    is an error naming the resource and property.
//! 2. The resources become the JSON that the AWS CLI's `ec2 describe-*`
//!    commands would print once the stack is deployed, AWS's implicit
//!    objects included (each VPC's main route table, default network ACL
//!    and default security group), and [`super::aws::import`] writes the
//!    .vpc file from it.
//!
//! A resource's id is its logical id (`Ref` to it gives the logical id);
//! the objects AWS makes by itself get `LOGICAL.MainRouteTable`,
//! `LOGICAL.DefaultNetworkAcl` and `LOGICAL.DefaultSecurityGroup`. So the
//! comments of the .vpc file name the template's logical ids.
//!
//! Every resource type the import does not model, and every property of a
//! modelled one that it leaves out, is a warning naming the logical id.
//!
//! **Invariant:** pure: the CLI reads the file; the same template and
//! parameters give the same bytes.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value, json};

use super::Imported;

/// The region when the template's `AWS::Region` is not given.
pub const DEFAULT_REGION: &str = "us-east-1";

/// The zones `Fn::GetAZs` gives: the region's name and these letters, in
/// order (the list AWS gives depends on the account; most regions have at
/// least three zones, us-east-1 six).
pub const ZONE_LETTERS: [char; 6] = ['a', 'b', 'c', 'd', 'e', 'f'];

/// The account id `AWS::AccountId` gives unless one is given.
pub const DEFAULT_ACCOUNT: &str = "123456789012";

/// The stack name `AWS::StackName` gives unless one is given.
pub const DEFAULT_STACK: &str = "vpcc-import";

/// How deep intrinsics may nest (a guard against cycles through `GetAtt`).
const MAX_DEPTH: usize = 64;

/// The short-form tags and the functions they stand for.
const SHORT_FORMS: [(&str, &str); 19] = [
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("GetAtt", "Fn::GetAtt"),
    ("Sub", "Fn::Sub"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("GetAZs", "Fn::GetAZs"),
    ("Cidr", "Fn::Cidr"),
    ("If", "Fn::If"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("ImportValue", "Fn::ImportValue"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
];

/// Parses a template's text: JSON (text starting with `{`), else YAML, whose
/// short-form tags (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) become the long
/// form (`{"Ref": "X"}`, `{"Fn::GetAtt": ["A", "B"]}`).
pub fn parse_template(text: &str) -> Result<Value, String> {
    let value = if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| format!("malformed JSON: {e}"))?
    } else {
        let yaml: serde_yaml_ng::Value =
            serde_yaml_ng::from_str(text).map_err(|e| format!("malformed YAML: {e}"))?;
        yaml_to_json(yaml)?
    };
    if !value.is_object() {
        return Err("expected a template: an object with `Resources`".to_string());
    }
    Ok(value)
}

/// YAML to JSON, short-form tags to the long form.
pub fn yaml_to_json(v: serde_yaml_ng::Value) -> Result<Value, String> {
    use serde_yaml_ng::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                json!(i)
            } else if let Some(u) = n.as_u64() {
                json!(u)
            } else {
                n.as_f64()
                    .and_then(serde_json::Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .map(yaml_to_json)
                .collect::<Result<_, _>>()?,
        ),
        Y::Mapping(map) => {
            let mut out = Map::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => return Err(format!("a mapping key that is not a scalar: {other:?}")),
                };
                out.insert(key, yaml_to_json(v)?);
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => {
            let tag = tagged.tag.to_string();
            let tag = tag.trim_start_matches('!');
            let Some((_, function)) = SHORT_FORMS.iter().find(|(t, _)| *t == tag) else {
                return Err(format!("unknown tag `!{tag}`"));
            };
            let value = yaml_to_json(tagged.value)?;
            let value = match (*function, value) {
                // `!GetAtt A.B`: the resource, then the attribute (which may
                // itself hold dots).
                ("Fn::GetAtt", Value::String(s)) => match s.split_once('.') {
                    Some((a, b)) => json!([a, b]),
                    None => return Err(format!("`!GetAtt {s}`: expected RESOURCE.ATTRIBUTE")),
                },
                (_, value) => value,
            };
            let mut out = Map::new();
            out.insert((*function).to_string(), value);
            Value::Object(out)
        }
    })
}

/// `Fn::Cidr [ipBlock, count, cidrBits]`: `count` consecutive blocks of
/// `cidrBits` host bits (a /(32 - cidrBits) for IPv4, /(128 - cidrBits)
/// for IPv6) from the start of `ipBlock`, as AWS documents it
/// (<https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-cidr.html>):
/// `count` is 1 to 256, and the blocks must fit in `ipBlock`.
pub fn cidr(block: &str, count: i64, bits: i64) -> Result<Vec<String>, String> {
    let net: ipnet::IpNet = block
        .parse()
        .map_err(|_| format!("Fn::Cidr: `{block}` is not a CIDR block"))?;
    if !(1..=256).contains(&count) {
        return Err(format!("Fn::Cidr: count {count} is not 1 to 256"));
    }
    let width: u8 = match net {
        ipnet::IpNet::V4(_) => 32,
        ipnet::IpNet::V6(_) => 128,
    };
    let prefix = i64::from(width) - bits;
    if bits < 1 || prefix < i64::from(net.prefix_len()) {
        return Err(format!(
            "Fn::Cidr: {bits} bits make blocks larger than {block} or empty"
        ));
    }
    let prefix = u8::try_from(prefix).map_err(|_| format!("Fn::Cidr: bad cidrBits {bits}"))?;
    // The room for blocks: 2^(prefix - block's prefix) of them.
    let room = u32::from(prefix - net.prefix_len());
    let fits = room >= 9 || (1u64 << room) >= count.unsigned_abs();
    if !fits {
        return Err(format!(
            "Fn::Cidr: {count} blocks of /{prefix} do not fit in {block}"
        ));
    }
    let start: u128 = match net.network() {
        std::net::IpAddr::V4(a) => u128::from(u32::from(a)),
        std::net::IpAddr::V6(a) => u128::from(a),
    };
    let step: u128 = 1u128 << (width - prefix);
    let mut out = Vec::new();
    for i in 0..count.unsigned_abs() {
        let addr = start + u128::from(i) * step;
        let text = match net {
            ipnet::IpNet::V4(_) => {
                let a = u32::try_from(addr).map_err(|_| "Fn::Cidr: overflow".to_string())?;
                format!("{}/{prefix}", std::net::Ipv4Addr::from(a))
            }
            ipnet::IpNet::V6(_) => format!("{}/{prefix}", std::net::Ipv6Addr::from(addr)),
        };
        out.push(text);
    }
    Ok(out)
}

/// A resource of the template.
struct Res<'a> {
    id: &'a str,
    ty: &'a str,
    props: &'a Map<String, Value>,
    /// The name of the condition that decides whether it is made.
    condition: Option<&'a Value>,
}

/// The evaluation context: parameters, conditions, resources.
struct Eval<'a> {
    resources: BTreeMap<&'a str, Res<'a>>,
    /// Declared parameters: their value, `None` when neither given nor
    /// defaulted (an error when referenced).
    params: BTreeMap<String, Option<Value>>,
    mappings: Option<&'a Map<String, Value>>,
    conditions: Option<&'a Map<String, Value>>,
    condition_values: RefCell<BTreeMap<String, bool>>,
    region: String,
    account: String,
    stack: String,
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// A scalar as CloudFormation reads it: strings, numbers and booleans
/// alike.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

fn args<'v>(v: &'v Value, f: &str, n: usize) -> Result<&'v [Value], String> {
    match v.as_array() {
        Some(a) if a.len() == n => Ok(a.as_slice()),
        _ => Err(format!("{f} takes a list of {n}")),
    }
}

impl<'a> Eval<'a> {
    fn new(template: &'a Value, given: &BTreeMap<String, String>) -> Result<Self, String> {
        let Some(top) = template.as_object() else {
            return Err("expected a template: an object with `Resources`".to_string());
        };
        let Some(resources) = top.get("Resources").and_then(Value::as_object) else {
            return Err("the template has no `Resources` object".to_string());
        };
        let mut res = BTreeMap::new();
        for (id, body) in resources {
            let ty = body.get("Type").and_then(Value::as_str).unwrap_or("");
            if ty.is_empty() {
                return Err(format!("{id}: a resource without a `Type`"));
            }
            let props = match body.get("Properties") {
                None => None,
                Some(Value::Object(p)) => Some(p),
                Some(other) => {
                    return Err(format!(
                        "{id}: `Properties` is {}, not an object",
                        type_name(other)
                    ));
                }
            };
            static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
            let props = props.unwrap_or_else(|| EMPTY.get_or_init(Map::new));
            res.insert(
                id.as_str(),
                Res {
                    id,
                    ty,
                    props,
                    condition: body.get("Condition"),
                },
            );
        }
        let declared = top.get("Parameters").and_then(Value::as_object);
        let mut params = BTreeMap::new();
        for (name, p) in declared.into_iter().flatten() {
            let ty = p.get("Type").and_then(Value::as_str).unwrap_or("String");
            let text = given
                .get(name)
                .cloned()
                .or_else(|| p.get("Default").and_then(scalar_text));
            let value = text.map(|t| {
                if ty.starts_with("List<") || ty == "CommaDelimitedList" {
                    Value::Array(
                        t.split(',')
                            .map(|s| Value::String(s.trim().to_string()))
                            .collect(),
                    )
                } else {
                    Value::String(t)
                }
            });
            params.insert(name.clone(), value);
        }
        for name in given.keys() {
            if !params.contains_key(name) && !name.starts_with("AWS::") {
                return Err(format!(
                    "--param {name}: the template declares no parameter `{name}`"
                ));
            }
        }
        let pseudo = |key: &str, default: &str| {
            given
                .get(key)
                .cloned()
                .unwrap_or_else(|| default.to_string())
        };
        Ok(Eval {
            resources: res,
            params,
            mappings: top.get("Mappings").and_then(Value::as_object),
            conditions: top.get("Conditions").and_then(Value::as_object),
            condition_values: RefCell::new(BTreeMap::new()),
            region: pseudo("AWS::Region", DEFAULT_REGION),
            account: pseudo("AWS::AccountId", DEFAULT_ACCOUNT),
            stack: pseudo("AWS::StackName", DEFAULT_STACK),
        })
    }

    /// Whether a resource is made: its `Condition`, if any, holds.
    fn exists(&self, id: &str) -> Result<bool, String> {
        let Some(r) = self.resources.get(id) else {
            return Ok(false);
        };
        match r.condition {
            None => Ok(true),
            Some(c) => {
                let name = c
                    .as_str()
                    .ok_or_else(|| format!("{id}: Condition must be a condition's name"))?;
                self.condition(name, 0).map_err(|e| format!("{id}: {e}"))
            }
        }
    }

    /// A value with its intrinsics evaluated; `None`: `AWS::NoValue`.
    fn eval(&self, v: &Value, depth: usize) -> Result<Option<Value>, String> {
        if depth > MAX_DEPTH {
            return Err("intrinsic functions nest too deep (a cycle?)".to_string());
        }
        let d = depth + 1;
        match v {
            Value::Array(items) => {
                let mut out = Vec::new();
                for i in items {
                    if let Some(x) = self.eval(i, d)? {
                        out.push(x);
                    }
                }
                Ok(Some(Value::Array(out)))
            }
            Value::Object(map) if map.len() == 1 => {
                let Some((key, arg)) = map.iter().next() else {
                    return Ok(Some(v.clone()));
                };
                if key == "Ref" || key.starts_with("Fn::") {
                    self.function(key, arg, d)
                } else {
                    let x = self.eval(arg, d)?;
                    let mut out = Map::new();
                    if let Some(x) = x {
                        out.insert(key.clone(), x);
                    }
                    Ok(Some(Value::Object(out)))
                }
            }
            Value::Object(map) => {
                let mut out = Map::new();
                for (k, x) in map {
                    if let Some(x) = self.eval(x, d)? {
                        out.insert(k.clone(), x);
                    }
                }
                Ok(Some(Value::Object(out)))
            }
            other => Ok(Some(other.clone())),
        }
    }

    /// A value that must be there (not `AWS::NoValue`).
    fn value(&self, v: &Value, depth: usize) -> Result<Value, String> {
        self.eval(v, depth)?
            .ok_or_else(|| "AWS::NoValue where a value is needed".to_string())
    }

    fn string(&self, v: &Value, depth: usize, what: &str) -> Result<String, String> {
        let x = self.value(v, depth)?;
        scalar_text(&x).ok_or_else(|| format!("{what}: expected a string, got {}", type_name(&x)))
    }

    fn list(&self, v: &Value, depth: usize, what: &str) -> Result<Vec<Value>, String> {
        match self.value(v, depth)? {
            Value::Array(a) => Ok(a),
            other => Err(format!(
                "{what}: expected a list, got {}",
                type_name(&other)
            )),
        }
    }

    fn reference(&self, name: &str) -> Result<Option<Value>, String> {
        let pseudo = match name {
            "AWS::Region" => Some(json!(self.region)),
            "AWS::AccountId" => Some(json!(self.account)),
            "AWS::StackName" => Some(json!(self.stack)),
            "AWS::StackId" => Some(json!(format!(
                "arn:aws:cloudformation:{}:{}:stack/{}/vpcc-import",
                self.region, self.account, self.stack
            ))),
            "AWS::Partition" => Some(json!("aws")),
            "AWS::URLSuffix" => Some(json!("amazonaws.com")),
            "AWS::NotificationARNs" => Some(json!([])),
            "AWS::NoValue" => return Ok(None),
            _ => None,
        };
        if let Some(p) = pseudo {
            return Ok(Some(p));
        }
        if let Some(p) = self.params.get(name) {
            return match p {
                Some(v) => Ok(Some(v.clone())),
                None => Err(format!(
                    "parameter `{name}` has no value and no Default: give it with --param {name}=VALUE"
                )),
            };
        }
        if self.resources.contains_key(name) {
            if !self.exists(name)? {
                return Err(format!(
                    "`Ref {name}`: the resource is not made (its Condition is false)"
                ));
            }
            return Ok(Some(json!(name)));
        }
        Err(format!(
            "`Ref {name}`: no parameter, pseudo parameter or resource of that name"
        ))
    }

    fn function(&self, f: &str, arg: &Value, d: usize) -> Result<Option<Value>, String> {
        match f {
            "Ref" => {
                let name = self.string(arg, d, "Ref")?;
                self.reference(&name)
            }
            "Fn::GetAtt" => {
                let (res, attr) = match arg {
                    Value::String(s) => match s.split_once('.') {
                        Some((a, b)) => (a.to_string(), b.to_string()),
                        None => return Err(format!("Fn::GetAtt `{s}`: expected RESOURCE.ATTRIBUTE")),
                    },
                    _ => {
                        let a = args(arg, "Fn::GetAtt", 2)?;
                        (
                            self.string(&a[0], d, "Fn::GetAtt")?,
                            self.string(&a[1], d, "Fn::GetAtt")?,
                        )
                    }
                };
                self.get_att(&res, &attr, d).map(Some)
            }
            "Fn::Sub" => {
                let (text, vars) = match arg {
                    Value::String(s) => (s.clone(), Map::new()),
                    _ => {
                        let a = args(arg, "Fn::Sub", 2)?;
                        let text = a[0]
                            .as_str()
                            .ok_or("Fn::Sub: the first item must be a string")?
                            .to_string();
                        let vars = match self.value(&a[1], d)? {
                            Value::Object(m) => m,
                            other => {
                                return Err(format!(
                                    "Fn::Sub: the variables are {}, not an object",
                                    type_name(&other)
                                ));
                            }
                        };
                        (text, vars)
                    }
                };
                self.sub(&text, &vars, d).map(|s| Some(json!(s)))
            }
            "Fn::Join" => {
                let a = args(arg, "Fn::Join", 2)?;
                let sep = self.string(&a[0], d, "Fn::Join")?;
                let items = self.list(&a[1], d, "Fn::Join")?;
                let parts: Vec<String> = items
                    .iter()
                    .map(|i| {
                        scalar_text(i).ok_or_else(|| {
                            format!("Fn::Join: an item is {}, not a string", type_name(i))
                        })
                    })
                    .collect::<Result<_, _>>()?;
                Ok(Some(json!(parts.join(&sep))))
            }
            "Fn::Select" => {
                let a = args(arg, "Fn::Select", 2)?;
                let index = self.value(&a[0], d)?;
                let index = as_int(&index).ok_or("Fn::Select: the index is not a number")?;
                let items = self.list(&a[1], d, "Fn::Select")?;
                let item = usize::try_from(index)
                    .ok()
                    .and_then(|i| items.get(i).cloned())
                    .ok_or_else(|| {
                        format!(
                            "Fn::Select: index {index} is outside the list of {}",
                            items.len()
                        )
                    })?;
                Ok(Some(item))
            }
            "Fn::Split" => {
                let a = args(arg, "Fn::Split", 2)?;
                let sep = self.string(&a[0], d, "Fn::Split")?;
                let text = self.string(&a[1], d, "Fn::Split")?;
                if sep.is_empty() {
                    return Err("Fn::Split: an empty delimiter".to_string());
                }
                Ok(Some(Value::Array(
                    text.split(sep.as_str()).map(|s| json!(s)).collect(),
                )))
            }
            "Fn::GetAZs" => {
                let region = self.string(arg, d, "Fn::GetAZs")?;
                let region = if region.is_empty() {
                    self.region.clone()
                } else {
                    region
                };
                Ok(Some(Value::Array(
                    ZONE_LETTERS
                        .iter()
                        .map(|c| json!(format!("{region}{c}")))
                        .collect(),
                )))
            }
            "Fn::Cidr" => {
                let a = args(arg, "Fn::Cidr", 3)?;
                let block = self.string(&a[0], d, "Fn::Cidr")?;
                let count = as_int(&self.value(&a[1], d)?).ok_or("Fn::Cidr: count is not a number")?;
                let bits =
                    as_int(&self.value(&a[2], d)?).ok_or("Fn::Cidr: cidrBits is not a number")?;
                Ok(Some(json!(cidr(&block, count, bits)?)))
            }
            "Fn::FindInMap" => {
                let a = args(arg, "Fn::FindInMap", 3)?;
                let map = self.string(&a[0], d, "Fn::FindInMap")?;
                let top = self.string(&a[1], d, "Fn::FindInMap")?;
                let second = self.string(&a[2], d, "Fn::FindInMap")?;
                let found = self
                    .mappings
                    .and_then(|m| m.get(&map))
                    .and_then(|m| m.get(&top))
                    .and_then(|m| m.get(&second))
                    .ok_or_else(|| format!("Fn::FindInMap: no {map}.{top}.{second} in Mappings"))?;
                self.eval(found, d)
            }
            "Fn::If" => {
                let a = args(arg, "Fn::If", 3)?;
                let name = a[0]
                    .as_str()
                    .ok_or("Fn::If: the condition must be a condition's name")?;
                if self.condition(name, d)? {
                    self.eval(&a[1], d)
                } else {
                    self.eval(&a[2], d)
                }
            }
            "Fn::Base64" => self.eval(arg, d),
            "Fn::ImportValue" => Err(
                "Fn::ImportValue names another stack's export, which a template alone does not hold"
                    .to_string(),
            ),
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                self.condition_expr(&json!({ f: arg }), d).map(|b| Some(json!(b)))
            }
            other => Err(format!("{other} is not evaluated by vpcc import")),
        }
    }

    /// `Fn::Sub`'s text with `${Name}`, `${Res.Attr}` replaced and `${!x}`
    /// kept literally as `${x}`.
    fn sub(&self, text: &str, vars: &Map<String, Value>, d: usize) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                return Err(format!("Fn::Sub: `${{` without `}}` in {text:?}"));
            };
            let name = &after[..end];
            rest = &after[end + 1..];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
                continue;
            }
            let name = name.trim();
            let value = if let Some(v) = vars.get(name) {
                v.clone()
            } else if let Some((res, attr)) = name
                .split_once('.')
                .filter(|(r, _)| self.resources.contains_key(r))
            {
                self.get_att(res, attr, d)?
            } else {
                self.reference(name)?
                    .ok_or_else(|| format!("Fn::Sub: ${{{name}}} is AWS::NoValue"))?
            };
            let value = scalar_text(&value).ok_or_else(|| {
                format!(
                    "Fn::Sub: ${{{name}}} is {}, not a string",
                    type_name(&value)
                )
            })?;
            out.push_str(&value);
        }
        out.push_str(rest);
        Ok(out)
    }

    fn condition(&self, name: &str, d: usize) -> Result<bool, String> {
        if let Some(v) = self.condition_values.borrow().get(name) {
            return Ok(*v);
        }
        let expr = self
            .conditions
            .and_then(|c| c.get(name))
            .ok_or_else(|| format!("no condition `{name}` in Conditions"))?;
        let v = self
            .condition_expr(expr, d + 1)
            .map_err(|e| format!("condition `{name}`: {e}"))?;
        self.condition_values
            .borrow_mut()
            .insert(name.to_string(), v);
        Ok(v)
    }

    fn condition_expr(&self, expr: &Value, d: usize) -> Result<bool, String> {
        if d > MAX_DEPTH {
            return Err("conditions nest too deep (a cycle?)".to_string());
        }
        let Some((f, arg)) = expr
            .as_object()
            .filter(|m| m.len() == 1)
            .and_then(|m| m.iter().next())
        else {
            if let Some(b) = as_bool(expr) {
                return Ok(b);
            }
            return Err("expected a condition function".to_string());
        };
        let each = |list: &Value| -> Result<Vec<bool>, String> {
            list.as_array()
                .ok_or_else(|| format!("{f} takes a list"))?
                .iter()
                .map(|c| self.condition_expr(c, d + 1))
                .collect()
        };
        match f.as_str() {
            "Condition" => {
                let name = arg.as_str().ok_or("Condition takes a name")?;
                self.condition(name, d)
            }
            "Fn::Equals" => {
                let a = args(arg, "Fn::Equals", 2)?;
                let x = self.eval(&a[0], d)?;
                let y = self.eval(&a[1], d)?;
                let text = |v: &Option<Value>| v.as_ref().and_then(scalar_text);
                Ok(match (text(&x), text(&y)) {
                    (Some(a), Some(b)) => a == b,
                    _ => x == y,
                })
            }
            "Fn::And" => Ok(each(arg)?.iter().all(|b| *b)),
            "Fn::Or" => Ok(each(arg)?.iter().any(|b| *b)),
            "Fn::Not" => {
                let a = args(arg, "Fn::Not", 1)?;
                Ok(!self.condition_expr(&a[0], d + 1)?)
            }
            other => Err(format!("{other} is not a condition function")),
        }
    }

    /// A property of a resource, evaluated; `None` when absent or
    /// `AWS::NoValue`.
    fn prop(&self, r: &Res<'_>, key: &str, d: usize) -> Result<Option<Value>, String> {
        match r.props.get(key) {
            None => Ok(None),
            Some(v) => self.eval(v, d).map_err(|e| format!("{}: {key}: {e}", r.id)),
        }
    }

    fn prop_str(&self, r: &Res<'_>, key: &str, d: usize) -> Result<Option<String>, String> {
        match self.prop(r, key, d)? {
            None => Ok(None),
            Some(v) => scalar_text(&v).map(Some).ok_or_else(|| {
                format!("{}: {key}: expected a string, got {}", r.id, type_name(&v))
            }),
        }
    }

    fn prop_int(&self, r: &Res<'_>, key: &str, d: usize) -> Result<Option<i64>, String> {
        match self.prop(r, key, d)? {
            None => Ok(None),
            Some(v) => as_int(&v).map(Some).ok_or_else(|| {
                format!("{}: {key}: expected a number, got {}", r.id, type_name(&v))
            }),
        }
    }

    fn prop_bool(&self, r: &Res<'_>, key: &str, d: usize) -> Result<Option<bool>, String> {
        match self.prop(r, key, d)? {
            None => Ok(None),
            Some(v) => as_bool(&v).map(Some).ok_or_else(|| {
                format!("{}: {key}: expected a boolean, got {}", r.id, type_name(&v))
            }),
        }
    }

    /// `Fn::GetAtt RES.ATTR` for the attributes a network description
    /// uses; others are an error naming them.
    fn get_att(&self, id: &str, attr: &str, d: usize) -> Result<Value, String> {
        if d > MAX_DEPTH {
            return Err("Fn::GetAtt chains too deep (a cycle?)".to_string());
        }
        let Some(r) = self.resources.get(id) else {
            return Err(format!("Fn::GetAtt {id}.{attr}: no resource `{id}`"));
        };
        if !self.exists(id)? {
            return Err(format!(
                "Fn::GetAtt {id}.{attr}: the resource is not made (its Condition is false)"
            ));
        }
        let from_prop = |key: &str| -> Result<Value, String> {
            self.prop(r, key, d + 1)?.ok_or_else(|| {
                format!(
                    "Fn::GetAtt {id}.{attr}: {id} has no {key}, which AWS would choose at deployment"
                )
            })
        };
        let own_id = json!(id);
        match (r.ty, attr) {
            ("AWS::EC2::VPC", "VpcId")
            | ("AWS::EC2::Subnet", "SubnetId")
            | ("AWS::EC2::SecurityGroup", "GroupId")
            | ("AWS::EC2::InternetGateway", "InternetGatewayId")
            | ("AWS::EC2::RouteTable", "RouteTableId")
            | ("AWS::EC2::NatGateway", "NatGatewayId")
            | ("AWS::EC2::NetworkAcl", "Id")
            | ("AWS::EC2::VPCEndpoint", "Id")
            | ("AWS::EC2::VPCPeeringConnection", "Id")
            | ("AWS::EC2::DHCPOptions", "DhcpOptionsId")
            | ("AWS::EC2::VPCCidrBlock", "Id")
            | ("AWS::EC2::Instance", "InstanceId")
            // An Elastic IP's allocation: the EIP's own id.
            | ("AWS::EC2::EIP", "AllocationId") => Ok(own_id),
            ("AWS::EC2::VPC", "CidrBlock") => from_prop("CidrBlock"),
            ("AWS::EC2::VPC", "DefaultSecurityGroup") => Ok(json!(default_sg(id))),
            ("AWS::EC2::VPC", "DefaultNetworkAcl") => Ok(json!(default_acl(id))),
            ("AWS::EC2::VPC", "CidrBlockAssociations") => {
                let mut ids = vec![json!(format!("{id}.CidrBlock"))];
                for (cid, c) in &self.resources {
                    if c.ty == "AWS::EC2::VPCCidrBlock"
                        && self.prop_str(c, "VpcId", d + 1)?.as_deref() == Some(id)
                        && self.prop(c, "CidrBlock", d + 1)?.is_some()
                    {
                        ids.push(json!(cid));
                    }
                }
                Ok(Value::Array(ids))
            }
            ("AWS::EC2::Subnet", "CidrBlock") => from_prop("CidrBlock"),
            ("AWS::EC2::Subnet", "AvailabilityZone") => from_prop("AvailabilityZone"),
            ("AWS::EC2::Subnet" | "AWS::EC2::SecurityGroup", "VpcId") => from_prop("VpcId"),
            ("AWS::EC2::Instance", "PrivateIp") => {
                if let Some(a) = self.prop(r, "PrivateIpAddress", d + 1)? {
                    return Ok(a);
                }
                let enis = self.prop(r, "NetworkInterfaces", d + 1)?.unwrap_or_default();
                enis.as_array()
                    .into_iter()
                    .flatten()
                    .find(|n| n.get("DeviceIndex").and_then(as_int) == Some(0))
                    .and_then(|n| n.get("PrivateIpAddress").cloned())
                    .ok_or_else(|| {
                        format!(
                            "Fn::GetAtt {id}.PrivateIp: the template gives no address, which AWS would choose at deployment"
                        )
                    })
            }
            ("AWS::EC2::Instance", "AvailabilityZone") => {
                if let Some(az) = self.prop(r, "AvailabilityZone", d + 1)? {
                    return Ok(az);
                }
                let subnet = self.prop_str(r, "SubnetId", d + 1)?.unwrap_or_default();
                self.get_att(&subnet, "AvailabilityZone", d + 1)
            }
            (_, "PublicIp" | "PublicDnsName" | "PrivateDnsName" | "DnsEntries") => Err(format!(
                "Fn::GetAtt {id}.{attr}: AWS chooses it at deployment"
            )),
            (ty, _) => Err(format!(
                "Fn::GetAtt {id}.{attr}: vpcc import does not evaluate the {attr} of a {ty}"
            )),
        }
    }
}

fn main_table(vpc: &str) -> String {
    format!("{vpc}.MainRouteTable")
}
fn default_acl(vpc: &str) -> String {
    format!("{vpc}.DefaultNetworkAcl")
}
fn default_sg(vpc: &str) -> String {
    format!("{vpc}.DefaultSecurityGroup")
}

/// The resource types the import reads.
const MODELLED: [&str; 24] = [
    "AWS::EC2::VPC",
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::Subnet",
    "AWS::EC2::SubnetCidrBlock",
    "AWS::EC2::RouteTable",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::GatewayRouteTableAssociation",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::NatGateway",
    "AWS::EC2::EIP",
    "AWS::EC2::EIPAssociation",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::EC2::DHCPOptions",
    "AWS::EC2::VPCDHCPOptionsAssociation",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::Instance",
];

/// Why a type is left out, for its warning.
fn why_not(ty: &str) -> &'static str {
    if ty.starts_with("AWS::EC2::TransitGateway") {
        "transit gateways are not modelled"
    } else if ty.starts_with("AWS::EC2::VPN")
        || ty == "AWS::EC2::CustomerGateway"
        || ty == "AWS::EC2::VPNGatewayRoutePropagation"
    {
        "VPN gateways are not modelled"
    } else if ty.starts_with("AWS::EC2::") {
        "vpcc does not model this resource type"
    } else {
        "not a network resource vpcc models"
    }
}

/// The describe-* JSON being built, and the warnings.
struct Out {
    warnings: Vec<String>,
}

/// Imports the template. `params` are the `--param Key=Value` pairs;
/// `AWS::Region`, `AWS::AccountId` and `AWS::StackName` may be among them.
/// Errors: the template's shape, an intrinsic that cannot be evaluated, a
/// parameter without a value.
pub fn import(template: &Value, params: &BTreeMap<String, String>) -> Result<Imported, String> {
    let docs = describe(template, params)?;
    let (docs, mut warnings) = docs;
    let imported = super::aws::import(&docs)?;
    warnings.extend(imported.warnings);
    Ok(Imported {
        text: imported.text,
        warnings,
    })
}

/// The template as the describe-* JSON [`super::aws::import`] reads (one
/// entry per command), and the warnings about what it leaves out.
pub fn describe(
    template: &Value,
    params: &BTreeMap<String, String>,
) -> Result<(BTreeMap<String, Value>, Vec<String>), String> {
    let ev = Eval::new(template, params)?;
    let mut out = Out {
        warnings: Vec::new(),
    };
    let d = 0;
    // The resources made (a false Condition: not made), by type.
    let mut by_type: BTreeMap<&str, Vec<&Res<'_>>> = BTreeMap::new();
    for r in ev.resources.values() {
        if !ev.exists(r.id)? {
            continue;
        }
        if MODELLED.contains(&r.ty) {
            by_type.entry(r.ty).or_default().push(r);
        } else {
            out.warnings
                .push(format!("{}: {} left out ({})", r.id, r.ty, why_not(r.ty)));
        }
    }
    let of = |ty: &str| by_type.get(ty).cloned().unwrap_or_default();
    let tags = |r: &Res<'_>| -> Result<Value, String> {
        Ok(ev.prop(r, "Tags", d)?.unwrap_or_else(|| json!([])))
    };
    let req = |r: &Res<'_>, key: &str| -> Result<String, String> {
        ev.prop_str(r, key, d)?
            .ok_or_else(|| format!("{}: {} without {key}", r.id, r.ty))
    };

    // VPCs and their blocks.
    let vpc_ids: BTreeSet<String> = of("AWS::EC2::VPC")
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    let mut vpcs = Vec::new();
    let mut attributes = Vec::new();
    // VPC -> its IPv4 blocks (for the local routes).
    let mut blocks: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut dhcp_of: BTreeMap<String, String> = BTreeMap::new();
    for a in of("AWS::EC2::VPCDHCPOptionsAssociation") {
        let vpc = req(a, "VpcId")?;
        dhcp_of.insert(vpc, req(a, "DhcpOptionsId")?);
    }
    let mut cidr_blocks: Vec<(&Res<'_>, String)> = Vec::new();
    for c in of("AWS::EC2::VPCCidrBlock") {
        let vpc = req(c, "VpcId")?;
        if !vpc_ids.contains(&vpc) {
            out.warnings.push(format!(
                "{}: CIDR block of VPC {vpc}, which the template does not declare, left out",
                c.id
            ));
            continue;
        }
        cidr_blocks.push((c, vpc));
    }
    for r in of("AWS::EC2::VPC") {
        let id = r.id;
        let primary = ev.prop_str(r, "CidrBlock", d)?;
        if primary.is_none() {
            out.warnings.push(format!(
                "{id}: no CidrBlock (an IPAM pool's block is chosen at deployment); the VPC is left out"
            ));
        }
        let primary = primary.unwrap_or_default();
        let mut set = vec![json!({
            "CidrBlock": primary,
            "AssociationId": format!("{id}.CidrBlock"),
            "CidrBlockState": {"State": "associated"},
        })];
        let mut v6 = Vec::new();
        let mut mine = vec![primary.clone()];
        for (c, vpc) in &cidr_blocks {
            if vpc != id {
                continue;
            }
            if let Some(block) = ev.prop_str(c, "CidrBlock", d)? {
                mine.push(block.clone());
                set.push(json!({
                    "CidrBlock": block,
                    "AssociationId": c.id,
                    "CidrBlockState": {"State": "associated"},
                }));
            } else {
                let block = ev.prop_str(c, "Ipv6CidrBlock", d)?.map_or_else(
                    || format!("(Amazon-provided, {})", c.id),
                    |b| format!("{b} ({})", c.id),
                );
                v6.push(json!({"Ipv6CidrBlock": block, "AssociationId": c.id}));
            }
        }
        blocks.insert(id.to_string(), mine);
        vpcs.push(json!({
            "VpcId": id,
            "CidrBlock": primary,
            "CidrBlockAssociationSet": set,
            "Ipv6CidrBlockAssociationSet": v6,
            "DhcpOptionsId": dhcp_of.get(id).cloned().unwrap_or_else(|| "default".to_string()),
            "State": "available",
            "IsDefault": false,
            "Tags": tags(r)?,
        }));
        attributes.push(json!({
            "VpcId": id,
            "EnableDnsSupport": {"Value": ev.prop_bool(r, "EnableDnsSupport", d)?.unwrap_or(true)},
            "EnableDnsHostnames": {"Value": ev.prop_bool(r, "EnableDnsHostnames", d)?.unwrap_or(false)},
        }));
    }
    // Keeps `item` when its VPC is declared, else warns.
    let in_template = |out: &mut Out, r: &Res<'_>, vpc: &str| -> bool {
        let ok = vpc_ids.contains(vpc);
        if !ok {
            out.warnings.push(format!(
                "{}: {} in VPC {vpc}, which the template does not declare, left out",
                r.id, r.ty
            ));
        }
        ok
    };

    // DHCP options.
    let mut dhcp = Vec::new();
    for r in of("AWS::EC2::DHCPOptions") {
        let mut conf = Vec::new();
        for (key, name) in [
            ("DomainName", "domain-name"),
            ("DomainNameServers", "domain-name-servers"),
            ("NtpServers", "ntp-servers"),
            ("NetbiosNameServers", "netbios-name-servers"),
            ("NetbiosNodeType", "netbios-node-type"),
            (
                "Ipv6AddressPreferredLeaseTime",
                "ipv6-address-preferred-lease-time",
            ),
        ] {
            let values: Vec<Value> = match ev.prop(r, key, d)? {
                None => continue,
                Some(Value::Array(items)) => items
                    .iter()
                    .filter_map(scalar_text)
                    .map(|v| json!({ "Value": v }))
                    .collect(),
                Some(v) => scalar_text(&v)
                    .map(|v| json!({ "Value": v }))
                    .into_iter()
                    .collect(),
            };
            conf.push(json!({"Key": name, "Values": values}));
        }
        dhcp.push(json!({"DhcpOptionsId": r.id, "DhcpConfigurations": conf, "Tags": tags(r)?}));
    }

    // Subnets.
    let mut subnets = Vec::new();
    // Subnet -> (VPC, MapPublicIpOnLaunch).
    let mut subnet_info: BTreeMap<String, (String, bool)> = BTreeMap::new();
    let mut subnet_v6: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for c in of("AWS::EC2::SubnetCidrBlock") {
        let sub = req(c, "SubnetId")?;
        let block = ev
            .prop_str(c, "Ipv6CidrBlock", d)?
            .unwrap_or_else(|| "(IPv6)".to_string());
        subnet_v6
            .entry(sub)
            .or_default()
            .push(json!({"Ipv6CidrBlock": format!("{block} ({})", c.id), "AssociationId": c.id}));
    }
    for r in of("AWS::EC2::Subnet") {
        let vpc = req(r, "VpcId")?;
        if !in_template(&mut out, r, &vpc) {
            continue;
        }
        let maps = ev.prop_bool(r, "MapPublicIpOnLaunch", d)?.unwrap_or(false);
        let mut v6 = subnet_v6.remove(r.id).unwrap_or_default();
        if let Some(b) = ev.prop_str(r, "Ipv6CidrBlock", d)? {
            v6.push(json!({"Ipv6CidrBlock": b}));
        }
        let mut sub = json!({
            "SubnetId": r.id,
            "VpcId": vpc,
            "CidrBlock": ev.prop_str(r, "CidrBlock", d)?.unwrap_or_default(),
            "MapPublicIpOnLaunch": maps,
            "State": "available",
            "Ipv6CidrBlockAssociationSet": v6,
            "Tags": tags(r)?,
        });
        if let Some(az) = ev.prop_str(r, "AvailabilityZone", d)? {
            sub["AvailabilityZone"] = json!(az);
        } else if ev.prop(r, "AvailabilityZoneId", d)?.is_some() {
            out.warnings.push(format!(
                "{}: AvailabilityZoneId left out (a zone id names a different zone in each account)",
                r.id
            ));
        }
        subnet_info.insert(r.id.to_string(), (vpc, maps));
        subnets.push(sub);
    }
    for (sub, _) in subnet_v6 {
        out.warnings.push(format!(
            "{sub}: IPv6 block of a subnet the template does not declare left out"
        ));
    }

    // Route tables: each VPC's main table, then the declared ones.
    let local = |vpc: &str| -> Vec<Value> {
        blocks
            .get(vpc)
            .into_iter()
            .flatten()
            .map(|b| json!({"DestinationCidrBlock": b, "GatewayId": "local", "State": "active", "Origin": "CreateRouteTable"}))
            .collect()
    };
    let mut tables: Vec<Value> = Vec::new();
    let mut table_index: BTreeMap<String, usize> = BTreeMap::new();
    for vpc in &vpc_ids {
        let t = main_table(vpc);
        table_index.insert(t.clone(), tables.len());
        tables.push(json!({
            "RouteTableId": t,
            "VpcId": vpc,
            "Routes": local(vpc),
            "Associations": [{"Main": true, "RouteTableId": t, "RouteTableAssociationId": format!("{t}.Association")}],
            "Tags": [],
        }));
    }
    for r in of("AWS::EC2::RouteTable") {
        let vpc = req(r, "VpcId")?;
        if !in_template(&mut out, r, &vpc) {
            continue;
        }
        table_index.insert(r.id.to_string(), tables.len());
        tables.push(json!({
            "RouteTableId": r.id,
            "VpcId": vpc,
            "Routes": local(&vpc),
            "Associations": [],
            "Tags": tags(r)?,
        }));
    }
    let mut push_to =
        |out: &mut Out, r: &Res<'_>, table: &str, key: &str, v: Value| match table_index.get(table)
        {
            Some(i) => {
                if let Some(Value::Array(list)) = tables[*i].get_mut(key) {
                    list.push(v);
                }
            }
            None => out.warnings.push(format!(
                "{}: {} of route table {table}, which the template does not declare, left out",
                r.id, r.ty
            )),
        };
    for r in of("AWS::EC2::Route") {
        let table = req(r, "RouteTableId")?;
        let mut route = Map::new();
        for key in [
            "DestinationCidrBlock",
            "DestinationIpv6CidrBlock",
            "DestinationPrefixListId",
            "GatewayId",
            "NatGatewayId",
            "InstanceId",
            "VpcPeeringConnectionId",
            "NetworkInterfaceId",
            "TransitGatewayId",
            "EgressOnlyInternetGatewayId",
            "CarrierGatewayId",
            "LocalGatewayId",
            "CoreNetworkArn",
            "VpcEndpointId",
        ] {
            if let Some(v) = ev.prop_str(r, key, d)? {
                route.insert(key.to_string(), json!(v));
            }
        }
        if let Some(e) = route.remove("VpcEndpointId") {
            // A Gateway Load Balancer endpoint: AWS shows it as a gateway.
            out.warnings.push(format!(
                "{}: route to endpoint {} left out (Gateway Load Balancer endpoints are not modelled)",
                r.id,
                e.as_str().unwrap_or("")
            ));
            continue;
        }
        route.insert("State".to_string(), json!("active"));
        route.insert("Origin".to_string(), json!("CreateRoute"));
        push_to(&mut out, r, &table, "Routes", Value::Object(route));
    }
    for r in of("AWS::EC2::SubnetRouteTableAssociation") {
        let table = req(r, "RouteTableId")?;
        let subnet = req(r, "SubnetId")?;
        push_to(
            &mut out,
            r,
            &table,
            "Associations",
            json!({"Main": false, "RouteTableId": table, "SubnetId": subnet, "RouteTableAssociationId": r.id, "AssociationState": {"State": "associated"}}),
        );
    }
    for r in of("AWS::EC2::GatewayRouteTableAssociation") {
        let table = req(r, "RouteTableId")?;
        let gateway = req(r, "GatewayId")?;
        push_to(
            &mut out,
            r,
            &table,
            "Associations",
            json!({"Main": false, "RouteTableId": table, "GatewayId": gateway, "RouteTableAssociationId": r.id}),
        );
    }

    // Internet gateways.
    let mut igws = Vec::new();
    let mut attached: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for a in of("AWS::EC2::VPCGatewayAttachment") {
        let vpc = req(a, "VpcId")?;
        if let Some(g) = ev.prop_str(a, "InternetGatewayId", d)? {
            if in_template(&mut out, a, &vpc) {
                attached.entry(g).or_default().push(vpc);
            }
        } else if let Some(g) = ev.prop_str(a, "VpnGatewayId", d)? {
            out.warnings.push(format!(
                "{}: attachment of VPN gateway {g} to {vpc} left out (VPN gateways are not modelled)",
                a.id
            ));
        }
    }
    for r in of("AWS::EC2::InternetGateway") {
        let vpcs_of = attached.remove(r.id).unwrap_or_default();
        if vpcs_of.is_empty() {
            out.warnings.push(format!(
                "{}: internet gateway attached to no VPC of the template left out",
                r.id
            ));
        }
        let attachments: Vec<Value> = vpcs_of
            .iter()
            .map(|v| json!({"VpcId": v, "State": "available"}))
            .collect();
        igws.push(json!({"InternetGatewayId": r.id, "Attachments": attachments, "Tags": tags(r)?}));
    }
    for (g, _) in attached {
        out.warnings.push(format!(
            "{g}: attachment of an internet gateway the template does not declare left out"
        ));
    }

    // Elastic IPs: which instance or interface each is associated with.
    let mut eip_instance: BTreeMap<String, String> = BTreeMap::new();
    let mut eip_eni: BTreeMap<String, String> = BTreeMap::new();
    for r in of("AWS::EC2::EIP") {
        if let Some(i) = ev.prop_str(r, "InstanceId", d)? {
            eip_instance.insert(r.id.to_string(), i);
        }
    }
    for r in of("AWS::EC2::EIPAssociation") {
        let eip = match ev.prop_str(r, "AllocationId", d)? {
            Some(a) => a,
            None => ev.prop_str(r, "EIP", d)?.unwrap_or_default(),
        };
        if let Some(i) = ev.prop_str(r, "InstanceId", d)? {
            eip_instance.insert(eip, i);
        } else if let Some(n) = ev.prop_str(r, "NetworkInterfaceId", d)? {
            eip_eni.insert(eip, n);
        }
    }
    let public_instances: BTreeSet<&String> = eip_instance.values().collect();

    // NAT gateways.
    let mut nats = Vec::new();
    for r in of("AWS::EC2::NatGateway") {
        let subnet = req(r, "SubnetId")?;
        let Some((vpc, _)) = subnet_info.get(&subnet) else {
            out.warnings.push(format!(
                "{}: NAT gateway in subnet {subnet}, which the template does not declare, left out",
                r.id
            ));
            continue;
        };
        let kind = ev
            .prop_str(r, "ConnectivityType", d)?
            .unwrap_or_else(|| "public".to_string());
        let mut address =
            json!({"NetworkInterfaceId": format!("{}.NetworkInterface", r.id), "IsPrimary": true});
        if let Some(a) = ev.prop_str(r, "AllocationId", d)? {
            address["AllocationId"] = json!(a);
        }
        if let Some(ip) = ev.prop_str(r, "PrivateIpAddress", d)? {
            address["PrivateIp"] = json!(ip);
        }
        for key in [
            "SecondaryAllocationIds",
            "SecondaryPrivateIpAddresses",
            "SecondaryPrivateIpAddressCount",
        ] {
            if ev.prop(r, key, d)?.is_some() {
                out.warnings.push(format!(
                    "{}: {key} left out (secondary addresses are not modelled)",
                    r.id
                ));
            }
        }
        nats.push(json!({
            "NatGatewayId": r.id,
            "SubnetId": subnet,
            "VpcId": vpc,
            "State": "available",
            "ConnectivityType": kind,
            "NatGatewayAddresses": [address],
            "Tags": tags(r)?,
        }));
    }
    let mut addresses = Vec::new();
    for r in of("AWS::EC2::EIP") {
        let mut a = json!({"AllocationId": r.id, "PublicIp": format!("{}.PublicIp", r.id), "Domain": "vpc", "Tags": tags(r)?});
        if let Some(i) = eip_instance.get(r.id) {
            a["InstanceId"] = json!(i);
        }
        if let Some(n) = eip_eni.get(r.id) {
            a["NetworkInterfaceId"] = json!(n);
        }
        addresses.push(a);
    }

    // Security groups: each VPC's default group, then the declared ones.
    let mut sgs: Vec<Value> = Vec::new();
    let mut sg_index: BTreeMap<String, usize> = BTreeMap::new();
    for vpc in &vpc_ids {
        let g = default_sg(vpc);
        sg_index.insert(g.clone(), sgs.len());
        sgs.push(json!({
            "GroupId": g,
            "GroupName": "default",
            "Description": "default VPC security group",
            "VpcId": vpc,
            "IpPermissions": [{"IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": [{"GroupId": g}]}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}],
            "Tags": [],
        }));
    }
    let allow_all_egress = json!({"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []});
    for r in of("AWS::EC2::SecurityGroup") {
        let Some(vpc) = ev.prop_str(r, "VpcId", d)? else {
            out.warnings.push(format!(
                "{}: security group without VpcId (in the account's default VPC) left out",
                r.id
            ));
            continue;
        };
        if !in_template(&mut out, r, &vpc) {
            continue;
        }
        let mut ingress = Vec::new();
        for rule in ev
            .prop(r, "SecurityGroupIngress", d)?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
        {
            if let Some(p) = permission(&mut out, r.id, &rule, false)? {
                ingress.push(p);
            }
        }
        let inline_egress = ev
            .prop(r, "SecurityGroupEgress", d)?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        let mut egress = Vec::new();
        if inline_egress.is_empty() {
            // AWS gives a new group an allow-all egress rule; CloudFormation
            // removes it only for inline egress rules.
            egress.push(allow_all_egress.clone());
        }
        for rule in inline_egress {
            if let Some(p) = permission(&mut out, r.id, &rule, true)? {
                egress.push(p);
            }
        }
        let name = ev
            .prop_str(r, "GroupName", d)?
            .unwrap_or_else(|| format!("{}-{}", ev.stack, r.id));
        sg_index.insert(r.id.to_string(), sgs.len());
        sgs.push(json!({
            "GroupId": r.id,
            "GroupName": name,
            "Description": ev.prop_str(r, "GroupDescription", d)?.unwrap_or_default(),
            "VpcId": vpc,
            "IpPermissions": ingress,
            "IpPermissionsEgress": egress,
            "Tags": tags(r)?,
        }));
    }
    for (ty, egress) in [
        ("AWS::EC2::SecurityGroupIngress", false),
        ("AWS::EC2::SecurityGroupEgress", true),
    ] {
        for r in of(ty) {
            let group = match ev.prop_str(r, "GroupId", d)? {
                Some(g) => g,
                None => {
                    out.warnings.push(format!(
                        "{}: rule naming its group by GroupName (the default VPC's) left out",
                        r.id
                    ));
                    continue;
                }
            };
            let props = Value::Object(
                r.props
                    .keys()
                    .filter_map(|k| {
                        ev.prop(r, k, d)
                            .transpose()
                            .map(|v| v.map(|v| (k.clone(), v)))
                    })
                    .collect::<Result<Map<String, Value>, String>>()?,
            );
            let Some(p) = permission(&mut out, r.id, &props, egress)? else {
                continue;
            };
            let key = if egress {
                "IpPermissionsEgress"
            } else {
                "IpPermissions"
            };
            match sg_index.get(&group) {
                Some(i) => {
                    if let Some(Value::Array(list)) = sgs[*i].get_mut(key) {
                        list.push(p);
                    }
                }
                None => out.warnings.push(format!(
                    "{}: rule of security group {group}, which the template does not declare, left out",
                    r.id
                )),
            }
        }
    }

    // Network ACLs: each VPC's default ACL, then the declared ones.
    let deny_all = |egress: bool| json!({"RuleNumber": 32767, "Egress": egress, "Protocol": "-1", "RuleAction": "deny", "CidrBlock": "0.0.0.0/0"});
    let mut acls: Vec<Value> = Vec::new();
    let mut acl_index: BTreeMap<String, usize> = BTreeMap::new();
    for vpc in &vpc_ids {
        let a = default_acl(vpc);
        acl_index.insert(a.clone(), acls.len());
        acls.push(json!({
            "NetworkAclId": a,
            "VpcId": vpc,
            "IsDefault": true,
            "Entries": [
                {"RuleNumber": 100, "Egress": false, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"},
                {"RuleNumber": 100, "Egress": true, "Protocol": "-1", "RuleAction": "allow", "CidrBlock": "0.0.0.0/0"},
                deny_all(false),
                deny_all(true),
            ],
            "Associations": [],
            "Tags": [],
        }));
    }
    for r in of("AWS::EC2::NetworkAcl") {
        let vpc = req(r, "VpcId")?;
        if !in_template(&mut out, r, &vpc) {
            continue;
        }
        acl_index.insert(r.id.to_string(), acls.len());
        acls.push(json!({
            "NetworkAclId": r.id,
            "VpcId": vpc,
            "IsDefault": false,
            "Entries": [deny_all(false), deny_all(true)],
            "Associations": [],
            "Tags": tags(r)?,
        }));
    }
    for r in of("AWS::EC2::NetworkAclEntry") {
        let acl = req(r, "NetworkAclId")?;
        let mut e = json!({
            "RuleNumber": ev.prop_int(r, "RuleNumber", d)?.unwrap_or(0),
            "Egress": ev.prop_bool(r, "Egress", d)?.unwrap_or(false),
            "Protocol": ev.prop_str(r, "Protocol", d)?.unwrap_or_else(|| "-1".to_string()),
            "RuleAction": ev.prop_str(r, "RuleAction", d)?.unwrap_or_default().to_ascii_lowercase(),
        });
        if let Some(c) = ev.prop_str(r, "CidrBlock", d)? {
            e["CidrBlock"] = json!(c);
        }
        if let Some(c) = ev.prop_str(r, "Ipv6CidrBlock", d)? {
            e["Ipv6CidrBlock"] = json!(c);
        }
        if let Some(Value::Object(p)) = ev.prop(r, "PortRange", d)? {
            e["PortRange"] = json!({
                "From": p.get("From").and_then(as_int),
                "To": p.get("To").and_then(as_int),
            });
        }
        if let Some(Value::Object(p)) = ev.prop(r, "Icmp", d)? {
            e["IcmpTypeCode"] = json!({
                "Code": p.get("Code").and_then(as_int).unwrap_or(-1),
                "Type": p.get("Type").and_then(as_int).unwrap_or(-1),
            });
        }
        match acl_index.get(&acl) {
            Some(i) => {
                if let Some(Value::Array(list)) = acls[*i].get_mut("Entries") {
                    list.push(e);
                }
            }
            None => out.warnings.push(format!(
                "{}: entry of network ACL {acl}, which the template does not declare, left out",
                r.id
            )),
        }
    }
    let mut explicit_acl: BTreeSet<String> = BTreeSet::new();
    for r in of("AWS::EC2::SubnetNetworkAclAssociation") {
        let acl = req(r, "NetworkAclId")?;
        let subnet = req(r, "SubnetId")?;
        match acl_index.get(&acl) {
            Some(i) => {
                explicit_acl.insert(subnet.clone());
                if let Some(Value::Array(list)) = acls[*i].get_mut("Associations") {
                    list.push(json!({"NetworkAclAssociationId": r.id, "NetworkAclId": acl, "SubnetId": subnet}));
                }
            }
            None => out.warnings.push(format!(
                "{}: association with network ACL {acl}, which the template does not declare, left out",
                r.id
            )),
        }
    }
    // A subnet without an explicit ACL is in its VPC's default ACL.
    for (subnet, (vpc, _)) in &subnet_info {
        if explicit_acl.contains(subnet) {
            continue;
        }
        if let Some(i) = acl_index.get(&default_acl(vpc))
            && let Some(Value::Array(list)) = acls[*i].get_mut("Associations")
        {
            list.push(json!({"NetworkAclAssociationId": format!("{subnet}.NetworkAclAssociation"), "NetworkAclId": default_acl(vpc), "SubnetId": subnet}));
        }
    }

    // Instances.
    let mut reservations = Vec::new();
    for r in of("AWS::EC2::Instance") {
        let enis: Vec<Value> = ev
            .prop(r, "NetworkInterfaces", d)?
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default();
        let primary = enis
            .iter()
            .find(|n| n.get("DeviceIndex").and_then(as_int) == Some(0));
        let text = |v: Option<&Value>| v.and_then(scalar_text);
        let subnet = match ev.prop_str(r, "SubnetId", d)? {
            Some(s) => Some(s),
            None => text(primary.and_then(|n| n.get("SubnetId"))),
        };
        let Some(subnet) = subnet else {
            out.warnings.push(format!(
                "{}: instance without SubnetId (in the account's default VPC) left out",
                r.id
            ));
            continue;
        };
        let Some((vpc, maps)) = subnet_info.get(&subnet) else {
            out.warnings.push(format!(
                "{}: instance in subnet {subnet}, which the template does not declare, left out",
                r.id
            ));
            continue;
        };
        if primary.is_some_and(|n| n.get("NetworkInterfaceId").is_some()) {
            out.warnings.push(format!(
                "{}: the primary interface is a separate resource, which is not modelled; the instance is left out",
                r.id
            ));
            continue;
        }
        let address = match ev.prop_str(r, "PrivateIpAddress", d)? {
            Some(a) => Some(a),
            None => text(primary.and_then(|n| n.get("PrivateIpAddress"))),
        };
        let mut groups: Vec<Value> = match ev.prop(r, "SecurityGroupIds", d)? {
            Some(Value::Array(g)) => g,
            _ => primary
                .and_then(|n| n.get("GroupSet"))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        };
        if let Some(names) = ev.prop(r, "SecurityGroups", d)? {
            out.warnings.push(format!(
                "{}: SecurityGroups (group names: {names}) left out; a VPC instance names its groups by id (SecurityGroupIds)",
                r.id
            ));
        }
        if groups.is_empty() {
            groups.push(json!(default_sg(vpc)));
        }
        let groups: Vec<Value> = groups
            .iter()
            .filter_map(scalar_text)
            .map(|g| json!({"GroupId": g}))
            .collect();
        let public = match primary.and_then(|n| n.get("AssociatePublicIpAddress")) {
            Some(v) => as_bool(v).unwrap_or(false),
            None => *maps,
        } || public_instances.contains(&r.id.to_string());
        let mut private_ips = Vec::new();
        if let Some(a) = &address {
            private_ips.push(json!({"Primary": true, "PrivateIpAddress": a}));
        }
        let secondary = primary
            .and_then(|n| n.get("PrivateIpAddresses"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter(|x| x.get("Primary").and_then(as_bool) != Some(true))
                    .count()
            })
            .unwrap_or(0)
            + usize::try_from(
                primary
                    .and_then(|n| n.get("SecondaryPrivateIpAddressCount"))
                    .and_then(as_int)
                    .unwrap_or(0),
            )
            .unwrap_or(0);
        for _ in 0..secondary {
            private_ips.push(json!({"Primary": false}));
        }
        let mut interfaces = vec![json!({
            "NetworkInterfaceId": format!("{}.eth0", r.id),
            "Attachment": {"DeviceIndex": 0},
            "SubnetId": subnet,
            "Groups": groups,
            "PrivateIpAddresses": private_ips,
        })];
        for n in &enis {
            let index = n.get("DeviceIndex").and_then(as_int).unwrap_or(-1);
            if index != 0 {
                interfaces.push(json!({
                    "NetworkInterfaceId": format!("{}.eth{index}", r.id),
                    "Attachment": {"DeviceIndex": index},
                }));
            }
        }
        let mut inst = json!({
            "InstanceId": r.id,
            "SubnetId": subnet,
            "VpcId": vpc,
            "State": {"Name": "running"},
            "SecurityGroups": groups,
            "NetworkInterfaces": interfaces,
            "SourceDestCheck": ev.prop_bool(r, "SourceDestCheck", d)?.unwrap_or(true),
            "Tags": tags(r)?,
        });
        if let Some(a) = address {
            inst["PrivateIpAddress"] = json!(a);
        }
        if public {
            // AWS's pick, unknown before deployment: a placeholder.
            inst["PublicIpAddress"] = json!(format!("{}.PublicIp", r.id));
        }
        reservations
            .push(json!({"ReservationId": format!("{}.Reservation", r.id), "Instances": [inst]}));
    }

    // Endpoints.
    let mut endpoints = Vec::new();
    for r in of("AWS::EC2::VPCEndpoint") {
        let vpc = req(r, "VpcId")?;
        if !in_template(&mut out, r, &vpc) {
            continue;
        }
        let kind = ev
            .prop_str(r, "VpcEndpointType", d)?
            .unwrap_or_else(|| "Gateway".to_string());
        let strings = |key: &str| -> Result<Vec<Value>, String> {
            Ok(match ev.prop(r, key, d)? {
                Some(Value::Array(a)) => a
                    .iter()
                    .filter_map(scalar_text)
                    .map(Value::String)
                    .collect(),
                _ => Vec::new(),
            })
        };
        let mut groups = strings("SecurityGroupIds")?;
        if kind == "Interface" && groups.is_empty() {
            groups.push(json!(default_sg(&vpc)));
        }
        let groups: Vec<Value> = groups.into_iter().map(|g| json!({"GroupId": g})).collect();
        endpoints.push(json!({
            "VpcEndpointId": r.id,
            "VpcId": vpc,
            "ServiceName": req(r, "ServiceName")?,
            "VpcEndpointType": kind,
            "State": "available",
            "RouteTableIds": strings("RouteTableIds")?,
            "SubnetIds": strings("SubnetIds")?,
            "Groups": groups,
            "PrivateDnsEnabled": ev.prop_bool(r, "PrivateDnsEnabled", d)?.unwrap_or(false),
            "Tags": tags(r)?,
        }));
    }

    // Peerings.
    let mut peerings = Vec::new();
    for r in of("AWS::EC2::VPCPeeringConnection") {
        let a = req(r, "VpcId")?;
        let b = req(r, "PeerVpcId")?;
        let region = ev.prop_str(r, "PeerRegion", d)?;
        let owner = ev.prop_str(r, "PeerOwnerId", d)?;
        let elsewhere = region.as_deref().is_some_and(|x| x != ev.region)
            || owner.as_deref().is_some_and(|x| x != ev.account);
        if elsewhere {
            out.warnings.push(format!(
                "{}: peering with {b} in another account or region left out",
                r.id
            ));
            continue;
        }
        peerings.push(json!({
            "VpcPeeringConnectionId": r.id,
            "RequesterVpcInfo": {"VpcId": a, "CidrBlock": blocks.get(&a).and_then(|x| x.first()).cloned().unwrap_or_default()},
            "AccepterVpcInfo": {"VpcId": b, "CidrBlock": blocks.get(&b).and_then(|x| x.first()).cloned().unwrap_or_default()},
            "Status": {"Code": "active"},
            "Tags": tags(r)?,
        }));
    }

    let mut docs = BTreeMap::new();
    docs.insert("describe-vpcs".to_string(), json!({ "Vpcs": vpcs }));
    docs.insert(
        "describe-subnets".to_string(),
        json!({ "Subnets": subnets }),
    );
    docs.insert(
        "describe-route-tables".to_string(),
        json!({ "RouteTables": tables }),
    );
    docs.insert(
        "describe-internet-gateways".to_string(),
        json!({ "InternetGateways": igws }),
    );
    docs.insert(
        "describe-nat-gateways".to_string(),
        json!({ "NatGateways": nats }),
    );
    docs.insert(
        "describe-security-groups".to_string(),
        json!({ "SecurityGroups": sgs }),
    );
    docs.insert(
        "describe-network-acls".to_string(),
        json!({ "NetworkAcls": acls }),
    );
    docs.insert(
        "describe-instances".to_string(),
        json!({ "Reservations": reservations }),
    );
    docs.insert(
        "describe-vpc-endpoints".to_string(),
        json!({ "VpcEndpoints": endpoints }),
    );
    docs.insert(
        "describe-vpc-peering-connections".to_string(),
        json!({ "VpcPeeringConnections": peerings }),
    );
    docs.insert(
        "describe-dhcp-options".to_string(),
        json!({ "DhcpOptions": dhcp }),
    );
    docs.insert(
        "describe-addresses".to_string(),
        json!({ "Addresses": addresses }),
    );
    docs.insert(
        "describe-vpc-attribute".to_string(),
        Value::Array(attributes),
    );
    Ok((docs, out.warnings))
}

/// One rule (an inline rule or a rule resource's evaluated properties) as
/// describe-security-groups shows it; `None` (with a warning) when it
/// names its peer in a way the import cannot follow.
fn permission(
    out: &mut Out,
    id: &str,
    rule: &Value,
    egress: bool,
) -> Result<Option<Value>, String> {
    let text = |key: &str| rule.get(key).and_then(scalar_text);
    let proto = text("IpProtocol")
        .ok_or_else(|| format!("{id}: a security-group rule without IpProtocol"))?
        .to_ascii_lowercase();
    let mut p = json!({
        "IpProtocol": proto,
        "IpRanges": [],
        "Ipv6Ranges": [],
        "PrefixListIds": [],
        "UserIdGroupPairs": [],
    });
    for key in ["FromPort", "ToPort"] {
        if let Some(n) = rule.get(key).and_then(as_int) {
            p[key] = json!(n);
        }
    }
    let (group_key, list_key) = if egress {
        ("DestinationSecurityGroupId", "DestinationPrefixListId")
    } else {
        ("SourceSecurityGroupId", "SourcePrefixListId")
    };
    let mut peers = 0;
    let push = |p: &mut Value, key: &str, v: Value| {
        if let Some(Value::Array(list)) = p.get_mut(key) {
            list.push(v);
        }
    };
    if let Some(c) = text("CidrIp") {
        push(&mut p, "IpRanges", json!({ "CidrIp": c }));
        peers += 1;
    }
    if let Some(c) = text("CidrIpv6") {
        push(&mut p, "Ipv6Ranges", json!({ "CidrIpv6": c }));
        peers += 1;
    }
    if let Some(g) = text(group_key) {
        push(&mut p, "UserIdGroupPairs", json!({ "GroupId": g }));
        peers += 1;
    }
    if let Some(l) = text(list_key) {
        push(&mut p, "PrefixListIds", json!({ "PrefixListId": l }));
        peers += 1;
    }
    if peers == 0 {
        let what = if text("SourceSecurityGroupName").is_some() {
            "names its peer group by name (the default VPC's), which is not modelled"
        } else {
            "names no peer the import reads"
        };
        let dir = if egress { "egress" } else { "ingress" };
        out.warnings
            .push(format!("{id}: {dir} rule {proto} left out: it {what}"));
        return Ok(None);
    }
    Ok(Some(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Fn::Cidr by brute force: every address of the block, grouped into
    /// runs of 2^bits, the first `count` runs.
    fn brute(block: &str, count: usize, bits: u32) -> Vec<String> {
        let net: ipnet::Ipv4Net = block.parse().unwrap();
        let size = 1u64 << bits;
        let mut out = Vec::new();
        let mut run = Vec::new();
        for a in u64::from(u32::from(net.network()))..=u64::from(u32::from(net.broadcast())) {
            run.push(a);
            if run.len() as u64 == size {
                let first = std::net::Ipv4Addr::from(u32::try_from(run[0]).unwrap());
                let last = std::net::Ipv4Addr::from(u32::try_from(*run.last().unwrap()).unwrap());
                let sub = ipnet::Ipv4Net::new(first, 32 - bits as u8).unwrap();
                // The run is exactly one aligned block.
                assert_eq!(sub.network(), first);
                assert_eq!(sub.broadcast(), last);
                out.push(sub.to_string());
                run.clear();
                if out.len() == count {
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn cidr_matches_a_brute_force_split() {
        for (block, count, bits) in [
            ("10.0.0.0/16", 6, 8),
            ("10.0.0.0/16", 256, 8),
            ("10.0.0.0/24", 4, 6),
            ("192.168.4.0/22", 2, 9),
            ("192.168.4.0/22", 8, 7),
            ("172.16.0.0/20", 16, 8),
            ("10.1.2.0/24", 1, 8),
            ("10.1.2.0/24", 128, 1),
        ] {
            assert_eq!(
                cidr(block, count as i64, i64::from(bits)).unwrap(),
                brute(block, count, bits),
                "{block} {count} {bits}"
            );
        }
        // AWS's own example: Fn::Cidr ["192.168.0.0/24", 6, 5].
        assert_eq!(
            cidr("192.168.0.0/24", 6, 5).unwrap(),
            [
                "192.168.0.0/27",
                "192.168.0.32/27",
                "192.168.0.64/27",
                "192.168.0.96/27",
                "192.168.0.128/27",
                "192.168.0.160/27"
            ]
        );
        // IPv6: AWS's example block, /64s.
        assert_eq!(
            cidr("2001:db8::/56", 2, 64).unwrap(),
            ["2001:db8::/64", "2001:db8:0:1::/64"]
        );
    }

    #[test]
    fn cidr_refuses_what_aws_refuses() {
        assert!(cidr("10.0.0.0/24", 5, 6).is_err(), "5 /26 in a /24");
        assert!(cidr("10.0.0.0/24", 0, 6).is_err(), "count 0");
        assert!(cidr("10.0.0.0/24", 129, 1).is_err(), "129 /31 in a /24");
        assert!(cidr("192.168.4.0/22", 3, 9).is_err(), "3 /23 in a /22");
        assert!(cidr("10.0.0.0/16", 257, 8).is_err(), "count 257");
        assert!(cidr("10.0.0.0/24", 1, 9).is_err(), "a /23 in a /24");
        assert!(cidr("10.0.0.0/24", 1, 0).is_err(), "0 bits");
        assert!(cidr("nope", 1, 8).is_err());
    }

    #[test]
    fn short_form_tags_become_the_long_form() {
        let t = parse_template(
            "Resources:\n  A:\n    Type: X\n    Properties:\n      P: !GetAtt V.CidrBlock\n      Q: !Select [0, !GetAZs '']\n      R: !Ref Y\n",
        )
        .unwrap();
        let p = &t["Resources"]["A"]["Properties"];
        assert_eq!(p["P"], json!({"Fn::GetAtt": ["V", "CidrBlock"]}));
        assert_eq!(p["Q"], json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}));
        assert_eq!(p["R"], json!({"Ref": "Y"}));
        assert!(parse_template("Resources: !Bogus x").is_err());
        assert!(parse_template("a: [").is_err());
    }

    #[test]
    fn sub_and_conditions() {
        let t = json!({
            "Parameters": {"Env": {"Type": "String", "Default": "prod"}},
            "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
                           "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]}},
            "Resources": {"V": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}}
        });
        let ev = Eval::new(&t, &BTreeMap::new()).unwrap();
        let v = ev
            .eval(
                &json!({"Fn::Sub": ["${Env}-${AWS::Region}-${V.CidrBlock}-${!Lit}-${X}", {"X": "y"}]}),
                0,
            )
            .unwrap();
        assert_eq!(v, Some(json!("prod-us-east-1-10.0.0.0/16-${Lit}-y")));
        assert_eq!(
            ev.eval(
                &json!({"Fn::If": ["NotProd", "a", {"Ref": "AWS::NoValue"}]}),
                0
            )
            .unwrap(),
            None
        );
        let given = BTreeMap::from([("Env".to_string(), "dev".to_string())]);
        let ev = Eval::new(&t, &given).unwrap();
        assert!(ev.condition("NotProd", 0).unwrap());
        let bad = BTreeMap::from([("Nope".to_string(), "1".to_string())]);
        assert!(Eval::new(&t, &bad).is_err());
    }
}
