//! diglot-fluent: placeholder while the crate is written.

pub mod chrome;
