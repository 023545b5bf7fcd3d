//! Helpers shared by the integration tests. Each test binary uses only part
//! of them.
#![allow(dead_code)]

pub mod cli;
pub mod differential;
pub mod fixture;
pub mod generator;
pub mod invariants;
pub mod schema;
