//! Back ends that turn a [`Model`](crate::model::Model) into data for other
//! programs. They take `&Model` and cannot fail on user input.

pub mod json;
pub mod routes;
