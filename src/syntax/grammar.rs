//! The pest parser generated from `grammar/vpc.pest`.

#[derive(pest_derive::Parser)]
#[grammar = "grammar/vpc.pest"]
pub struct VpcParser;
