//! A template's text to JSON: YAML's short-form tags become the long form.

use serde_json::{Map, Value, json};

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
