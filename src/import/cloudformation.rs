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

mod describe;
mod eval;
mod template;

use std::collections::BTreeMap;

use serde_json::Value;

use super::Imported;

pub use describe::describe;
pub use eval::cidr;
pub use template::parse_template;

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

/// The ids of the objects AWS makes with each VPC.
fn main_table(vpc: &str) -> String {
    format!("{vpc}.MainRouteTable")
}
fn default_acl(vpc: &str) -> String {
    format!("{vpc}.DefaultNetworkAcl")
}
fn default_sg(vpc: &str) -> String {
    format!("{vpc}.DefaultSecurityGroup")
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
