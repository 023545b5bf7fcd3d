//! The intrinsic functions that decide a network fact, evaluated lazily.

use std::cell::RefCell;
use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{
    DEFAULT_ACCOUNT, DEFAULT_REGION, DEFAULT_STACK, ZONE_LETTERS, default_acl, default_sg,
};

/// How deep intrinsics may nest (a guard against cycles through `GetAtt`).
const MAX_DEPTH: usize = 64;

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
pub(super) struct Res<'a> {
    pub(super) id: &'a str,
    pub(super) ty: &'a str,
    pub(super) props: &'a Map<String, Value>,
    /// The name of the condition that decides whether it is made.
    condition: Option<&'a Value>,
}

/// The evaluation context: parameters, conditions, resources.
pub(super) struct Eval<'a> {
    pub(super) resources: BTreeMap<&'a str, Res<'a>>,
    /// Declared parameters: their value, `None` when neither given nor
    /// defaulted (an error when referenced).
    params: BTreeMap<String, Option<Value>>,
    mappings: Option<&'a Map<String, Value>>,
    conditions: Option<&'a Map<String, Value>>,
    condition_values: RefCell<BTreeMap<String, bool>>,
    pub(super) region: String,
    pub(super) account: String,
    pub(super) stack: String,
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
pub(super) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub(super) fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub(super) fn as_bool(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

pub(super) fn args<'v>(v: &'v Value, f: &str, n: usize) -> Result<&'v [Value], String> {
    match v.as_array() {
        Some(a) if a.len() == n => Ok(a.as_slice()),
        _ => Err(format!("{f} takes a list of {n}")),
    }
}

impl<'a> Eval<'a> {
    pub(super) fn new(
        template: &'a Value,
        given: &BTreeMap<String, String>,
    ) -> Result<Self, String> {
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
    pub(super) fn exists(&self, id: &str) -> Result<bool, String> {
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
    pub(super) fn eval(&self, v: &Value, depth: usize) -> Result<Option<Value>, String> {
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

    pub(super) fn condition(&self, name: &str, d: usize) -> Result<bool, String> {
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
    pub(super) fn prop(&self, r: &Res<'_>, key: &str, d: usize) -> Result<Option<Value>, String> {
        match r.props.get(key) {
            None => Ok(None),
            Some(v) => self.eval(v, d).map_err(|e| format!("{}: {key}: {e}", r.id)),
        }
    }

    /// A property converted by `read`, which CloudFormation's loose typing
    /// lets accept a string for a number or a boolean; `what` names the
    /// type for the error.
    fn prop_as<T>(
        &self,
        r: &Res<'_>,
        key: &str,
        d: usize,
        read: fn(&Value) -> Option<T>,
        what: &str,
    ) -> Result<Option<T>, String> {
        match self.prop(r, key, d)? {
            None => Ok(None),
            Some(v) => read(&v)
                .map(Some)
                .ok_or_else(|| format!("{}: {key}: expected {what}, got {}", r.id, type_name(&v))),
        }
    }

    pub(super) fn prop_str(
        &self,
        r: &Res<'_>,
        key: &str,
        d: usize,
    ) -> Result<Option<String>, String> {
        self.prop_as(r, key, d, scalar_text, "a string")
    }

    pub(super) fn prop_int(&self, r: &Res<'_>, key: &str, d: usize) -> Result<Option<i64>, String> {
        self.prop_as(r, key, d, as_int, "a number")
    }

    pub(super) fn prop_bool(
        &self,
        r: &Res<'_>,
        key: &str,
        d: usize,
    ) -> Result<Option<bool>, String> {
        self.prop_as(r, key, d, as_bool, "a boolean")
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::cloudformation::parse_template;

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
