//! Logical ids and Terraform names from .vpc names: stable (a name's id
//! depends only on the names before it that map to the same id) and
//! collision-free (`private-a` and `private_a` get different ids).

use std::collections::BTreeSet;

#[derive(Default)]
pub(super) struct Names {
    cfn: BTreeSet<String>,
    tf: BTreeSet<(String, String)>,
}

/// FNV-1a of the name, 4 hex digits, for a deterministic suffix.
fn hash(name: &str) -> String {
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{:04x}", h & 0xffff)
}

/// `private-a` → `PrivateA`.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.push(c.to_ascii_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

/// `private-a` → `private_a`; a leading digit gets `r_`.
fn snake(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert_str(0, "r_");
    }
    out
}

impl Names {
    pub(super) fn assign(&mut self, prefix: &str, name: &str, tf_type: &str) -> (String, String) {
        let base = format!("{prefix}{}", camel(name));
        let mut id = base.clone();
        let mut salt = String::new();
        while self.cfn.contains(&id) {
            salt.push_str(name);
            id = format!("{base}X{}", hash(&salt));
        }
        self.cfn.insert(id.clone());
        let base = snake(name);
        let mut tf = base.clone();
        let mut salt = String::new();
        while self.tf.contains(&(tf_type.to_string(), tf.clone())) {
            salt.push_str(name);
            tf = format!("{base}_{}", hash(&salt));
        }
        self.tf.insert((tf_type.to_string(), tf.clone()));
        (id, tf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_do_not_collide() {
        let mut n = Names::default();
        let a = n.assign("Subnet", "private-a", "aws_subnet");
        let b = n.assign("Subnet", "private_a", "aws_subnet");
        let c = n.assign("Subnet", "privateA", "aws_subnet");
        assert_eq!(a, ("SubnetPrivateA".to_string(), "private_a".to_string()));
        assert_ne!(a.0, b.0);
        assert_ne!(a.1, b.1);
        assert_ne!(b.0, c.0);
        assert_ne!(a.1, c.1.clone() + "x");
        assert_eq!(snake("1x"), "r_1x");
    }
}
